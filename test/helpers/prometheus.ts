// A real Prometheus for a test (Debian's prometheus, installed by .ci/run): a free loopback
// port, a config the test writes (1 s scrapes of the given /metrics URLs under job "traefik"),
// storage in a temporary folder that survives a restart. Stopped by its PID in stop(), and at
// the latest when the test process exits.
import {existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync} from 'node:fs';
import {tmpdir} from 'node:os';
import {join} from 'node:path';
import {execa, execaSync, type ResultPromise} from 'execa';
import {freePort} from '../../source/demo/traefik.js';

/** Prometheus is here. Without it the suite is skipped, except in CI (which installs it): there it fails. */
export const hasPrometheus = (): boolean => process.env['CI'] === 'true' || execaSync('prometheus', ['--version'], {reject: false}).exitCode === 0;

export interface TestPrometheus {
	readonly url: string;
	readonly port: number;
	readonly pid: number;
	/** Waits until every target has been scraped up at least `scrapes` times (bounded: 30 s). */
	ready(scrapes?: number): Promise<void>;
	/** Kills it (SIGKILL: no clean shutdown) and keeps its storage. */
	kill(): Promise<void>;
	/** Starts it again on the same port and storage. */
	restart(): Promise<void>;
	stop(): Promise<void>;
	log(): string;
}

const running = new Set<ResultPromise>();
process.once('exit', () => {
	for (const child of running) if (child.pid !== undefined) process.kill(child.pid, 'SIGKILL');
});

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** Starts Prometheus scraping `targets` (host:port of each /metrics, path /metrics) every second. */
export async function startTestPrometheus(
	targets: readonly string[],
	options: {interval?: string; rules?: string; basicAuth?: {user: string; password: string}} = {},
): Promise<TestPrometheus> {
	const dir = mkdtempSync(join(tmpdir(), 'tt-prometheus-'));
	const port = await freePort();
	const interval = options.interval ?? '1s';
	if (options.rules !== undefined) writeFileSync(join(dir, 'rules.yml'), options.rules);
	// Basic auth on its API: the password's bcrypt hash (Python's crypt, cost 4), in a web config file.
	const auth = options.basicAuth;
	if (auth !== undefined) {
		const hash = execaSync('python3', [
			'-c',
			'import crypt,sys; print(crypt.crypt(sys.argv[1], crypt.mksalt(crypt.METHOD_BLOWFISH, rounds=16)))',
			auth.password,
		]).stdout.trim();
		writeFileSync(join(dir, 'web.yml'), JSON.stringify({basic_auth_users: {[auth.user]: hash}}));
	}
	const headers: Record<string, string> = auth === undefined ? {} : {authorization: `Basic ${Buffer.from(`${auth.user}:${auth.password}`).toString('base64')}`};
	writeFileSync(
		join(dir, 'prometheus.yml'),
		JSON.stringify({
			global: {scrape_interval: interval, evaluation_interval: interval},
			...(options.rules === undefined ? {} : {rule_files: [join(dir, 'rules.yml')]}),
			scrape_configs: [{job_name: 'traefik', scrape_interval: interval, static_configs: [{targets}]}],
		}),
	);
	const log = join(dir, 'prometheus.log');
	const url = `http://127.0.0.1:${port}`;
	// The child is returned in an object: a ResultPromise returned from an async function would be awaited.
	const start = async (): Promise<{child: ResultPromise}> => {
		const child = execa(
			'prometheus',
			[
				`--config.file=${join(dir, 'prometheus.yml')}`,
				`--storage.tsdb.path=${join(dir, 'data')}`,
				`--web.listen-address=127.0.0.1:${port}`,
				'--log.level=warn',
				...(auth === undefined ? [] : [`--web.config.file=${join(dir, 'web.yml')}`]),
			],
			{stdin: 'ignore', stdout: 'ignore', stderr: {file: log}, reject: false, cleanup: true, forceKillAfterDelay: 2000},
		);
		running.add(child);
		for (let i = 0; i < 300; i++) {
			if (child.exitCode !== null) break;
			try {
				if ((await fetch(`${url}/-/ready`, {headers})).ok) return {child};
			} catch {
				// not listening yet
			}
			await sleep(50);
		}
		child.kill('SIGKILL');
		throw new Error(`prometheus did not come up: ${existsSync(log) ? readFileSync(log, 'utf8').slice(-2000) : ''}`);
	};
	let {child} = await start();
	const halt = async (signal: 'SIGTERM' | 'SIGKILL') => {
		if (child.exitCode === null) {
			child.kill(signal);
			await child;
		}
		running.delete(child);
	};
	return {
		url,
		port,
		get pid() {
			return child.pid!;
		},
		async ready(scrapes = 3) {
			for (let i = 0; i < 300; i++) {
				const answer = (await (await fetch(`${url}/api/v1/query?query=${encodeURIComponent('count_over_time(up{job="traefik"}[1m])')}`, {headers})).json()) as {
					data: {result: {value: [number, string]}[]};
				};
				const counts = answer.data.result.map((r) => Number(r.value[1]));
				if (counts.length === targets.length && counts.every((n) => n >= scrapes)) return;
				await sleep(100);
			}
			throw new Error(`prometheus has not scraped every target ${scrapes} times within 30 s`);
		},
		kill: () => halt('SIGKILL'),
		async restart() {
			await halt('SIGKILL');
			({child} = await start());
		},
		async stop() {
			await halt('SIGTERM');
			rmSync(dir, {recursive: true, force: true});
		},
		log: () => (existsSync(log) ? readFileSync(log, 'utf8') : ''),
	};
}
