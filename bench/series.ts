/**
 * Many series: a /metrics of 10k, 100k and 300k services (the last near the 64 MB body cap), and
 * a churning one (2,000 new services a scrape, 100,000 alive at once), scraped by the real poll
 * pipeline in a child process: its peak RSS and the time of each poll, against the parse alone.
 */
import {execa, execaSync} from 'execa';
import http from 'node:http';
import {mkdirSync, mkdtempSync, rmSync, writeFileSync} from 'node:fs';
import type net from 'node:net';
import {tmpdir} from 'node:os';
import {join} from 'node:path';
import {capture, sendKeys, sleep, startSession} from '../test/helpers/tmux.js';

/** Two lines per service, as a busy Traefik without histograms per code writes them (about 210 bytes a service). */
export function manyServices(from: number, count: number, scrape: number): string {
	const lines: string[] = [
		'# HELP traefik_service_requests_total How many HTTP requests processed on a service.',
		'# TYPE traefik_service_requests_total counter',
	];
	for (let i = from; i < from + count; i++) {
		const service = `preview-${String(i).padStart(6, '0')}-web@kubernetes`;
		lines.push(`traefik_service_requests_total{code="200",method="GET",protocol="http",service="${service}"} ${scrape * ((i % 7) + 1)}`);
		lines.push(`traefik_service_requests_total{code="500",method="GET",protocol="http",service="${service}"} ${scrape * (i % 2)}`);
	}
	lines.push('# TYPE process_start_time_seconds gauge', 'process_start_time_seconds 1.7e+09');
	return `${lines.join('\n')}\n`;
}

export interface SeriesRun {
	readonly label: string;
	readonly bodyMb: number;
	readonly polls: number;
	readonly pollMs: {readonly median: number; readonly max: number};
	readonly peakRssMb: number;
	/** RSS every 10 s (churn). */
	readonly rssMb: readonly number[];
	readonly trackedServices: number;
	readonly untrackedServices: number;
}

/** A /proc with no Traefik and empty TCP tables: the runs measure /metrics alone. */
function emptyProc(dir: string): string {
	const root = join(dir, 'proc');
	mkdirSync(join(root, 'net'), {recursive: true});
	const header = '  sl  local_address rem_address   st tx_queue rx_queue tr tm->when retrnsmt   uid  timeout inode\n';
	writeFileSync(join(root, 'net/tcp'), header);
	writeFileSync(join(root, 'net/tcp6'), header);
	writeFileSync(join(root, 'stat'), 'btime 1700000000\n');
	return root;
}

/** Serves `body(scrape)` on /metrics and runs the child for `polls` polls (or `seconds`). */
async function run(label: string, body: (scrape: number) => string, options: {polls?: number; seconds?: number; interval?: string}): Promise<SeriesRun> {
	const dir = mkdtempSync(join(tmpdir(), 'tt-series-'));
	let scrape = 0;
	let bytes = 0;
	const server = http.createServer((_req, res) => {
		const text = body(++scrape);
		bytes = Buffer.byteLength(text);
		res.writeHead(200, {'content-type': 'text/plain; version=0.0.4'}).end(text);
	});
	await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
	const port = (server.address() as net.AddressInfo).port;
	try {
		const child = execa(
			process.execPath,
			[
				'--import',
				'tsx',
				new URL('./series-child.ts', import.meta.url).pathname,
				`http://127.0.0.1:${port}/metrics`,
				emptyProc(dir),
				String(options.polls ?? 0),
				String(options.seconds ?? 0),
				options.interval ?? '1s',
			],
			{stdin: 'ignore', stdout: 'pipe', stderr: 'inherit', buffer: false, reject: false, cleanup: true, forceKillAfterDelay: 2000},
		);
		let out = '';
		child.stdout!.on('data', (d: Buffer) => (out += d.toString()));
		const code = await new Promise<number | null>((resolve) => child.once('exit', resolve));
		if (code !== 0) throw new Error(`${label}: the child exited with ${code}: ${out.slice(0, 400)}`);
		const result = JSON.parse(out.trim().split('\n').at(-1)!) as Omit<SeriesRun, 'label' | 'bodyMb'>;
		return {label, bodyMb: bytes / 1048576, ...result};
	} finally {
		server.close();
		rmSync(dir, {recursive: true, force: true});
	}
}

export async function benchSeries(): Promise<SeriesRun[]> {
	const runs: SeriesRun[] = [];
	for (const services of [10_000, 100_000, 280_000])
		runs.push(await run(`${services.toLocaleString('en-US')} services`, (k) => manyServices(0, services, k), {polls: 8, interval: '2s'}));
	// Churn: each scrape drops the oldest 2,000 services and brings 2,000 new ones; 100,000 alive.
	runs.push(
		await run('churn: 2,000 new services a scrape, 100,000 alive, 3 minutes', (k) => manyServices(k * 2000, 100_000, k), {seconds: 180, interval: '1s'}),
	);
	return runs;
}

/**
 * Keys while polls are heavy: the screen against a /metrics of `services` services, `?` typed
 * `times` times; how long until the help shows, as tmux sees the pane (within 10 ms).
 */
export async function benchKeys(services = 100_000, times = 10): Promise<{services: number; keyMs: {median: number; max: number}}> {
	// The body is made in another process: this one only watches the pane.
	const server = execa(process.execPath, ['--import', 'tsx', new URL('./series-server.ts', import.meta.url).pathname, String(services)], {
		stdin: 'pipe',
		stdout: 'pipe',
		stderr: 'inherit',
		buffer: false,
		reject: false,
		cleanup: true,
		forceKillAfterDelay: 2000,
	});
	const port = Number(await new Promise<string>((resolve) => server.stdout!.once('data', (d: Buffer) => resolve(d.toString()))));
	const cli = new URL('../dist/cli.js', import.meta.url).pathname;
	const name = 'tt-bench-keys';
	startSession(name, 120, 40, `${process.execPath} ${cli} --metrics-url http://127.0.0.1:${port}/metrics --api-url off --interval 1s --timeout 1s`);
	const shows = (pattern: RegExp) => pattern.test(capture(name));
	try {
		for (let i = 0; i < 300 && !shows(/services not tracked/); i++) await sleep(100);
		const keyMs: number[] = [];
		for (let i = 0; i < times; i++) {
			await sleep(137 * (i % 7)); // land at different points of the poll
			const t0 = performance.now();
			sendKeys(name, '?');
			while (!shows(/traefik-top help/) && performance.now() - t0 < 5000) await sleep(10);
			keyMs.push(performance.now() - t0);
			sendKeys(name, '?');
			while (shows(/traefik-top help/)) await sleep(10);
		}
		keyMs.sort((a, b) => a - b);
		return {services, keyMs: {median: keyMs[Math.floor(keyMs.length / 2)]!, max: keyMs.at(-1)!}};
	} finally {
		spawnSyncQuiet('tmux', ['kill-session', '-t', name]);
		server.stdin!.end();
		server.kill();
	}
}

function spawnSyncQuiet(command: string, args: string[]): void {
	try {
		execaSync(command, args, {stdio: 'ignore'});
	} catch {
		// already gone
	}
}
