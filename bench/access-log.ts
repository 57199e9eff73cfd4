/**
 * The access log: lines per second read from a file of 1,000,000 lines in Traefik's JSON and in its
 * `common` format (the lines as Traefik 3.7.15 writes them, with varied paths, statuses, servers
 * and durations), each through the follower, the parser and the per-server statistics; beside it,
 * in the same run, GoAccess on the `common` file (Debian's goaccess 1.7 reads no JSON logs). From
 * the CPU time per line, the share of a core that following a Traefik at 2,000 requests/s takes.
 */
import {appendFileSync, mkdtempSync, rmSync, writeFileSync} from 'node:fs';
import {tmpdir} from 'node:os';
import {join} from 'node:path';
import {execa} from 'execa';
import {AccessLogFollower} from '../source/collect/access-log.js';
import {RequestsModel} from '../source/model/requests.js';

const LINES = 1_000_000;

/** Writes the file in pieces (the whole would be longer than a string can be). */
function writeLines(file: string, format: 'json' | 'common'): void {
	writeFileSync(file, '');
	let out: string[] = [];
	const t0 = Date.UTC(2026, 11, 2, 0, 0, 0);
	for (let i = 0; i < LINES; i++) {
		if (out.length === 50_000) {
			appendFileSync(file, `${out.join('\n')}\n`);
			out = [];
		}
		const server = `10.0.${(i >> 8) % 8}.${i % 200}:8080`;
		const status = i % 50 === 0 ? 502 : i % 17 === 0 ? 404 : 200;
		const ns = 1_000_000 + ((i * 7919) % 400_000_000);
		const path = `/api/v1/items/${i % 5000}?page=${i % 7}`;
		const at = new Date(t0 + i * 5);
		if (format === 'json') {
			out.push(
				JSON.stringify({
					ClientAddr: `192.0.2.${i % 250}:${40000 + (i % 20000)}`,
					ClientHost: `192.0.2.${i % 250}`,
					DownstreamContentSize: 1000 + (i % 3000),
					DownstreamStatus: status,
					Duration: ns,
					OriginContentSize: 1000 + (i % 3000),
					OriginDuration: ns - 90_000,
					OriginStatus: status,
					Overhead: 90_000,
					RequestAddr: 'shop.example.com',
					RequestCount: i + 1,
					RequestHost: 'shop.example.com',
					RequestMethod: i % 9 === 0 ? 'POST' : 'GET',
					RequestPath: path,
					RequestProtocol: 'HTTP/1.1',
					RequestScheme: 'https',
					RetryAttempts: 0,
					RouterName: `svc-${i % 40}@docker`,
					ServiceAddr: server,
					ServiceName: `svc-${i % 40}@docker`,
					ServiceURL: `http://${server}`,
					StartLocal: at.toISOString(),
					StartUTC: at.toISOString(),
					entryPointName: 'websecure',
					level: 'info',
					msg: '',
					time: at.toISOString().slice(0, 19) + 'Z',
				}),
			);
		} else {
			const d = at.toUTCString().split(' '); // Wed, 02 Dec 2026 00:00:00 GMT
			const clf = `${d[1]}/${d[2]}/${d[3]}:${d[4]} +0000`;
			out.push(
				`192.0.2.${i % 250} - - [${clf}] "${i % 9 === 0 ? 'POST' : 'GET'} ${path} HTTP/1.1" ${status} ${1000 + (i % 3000)} "-" "-" ${i + 1} ` +
					`"svc-${i % 40}@docker" "http://${server}" ${Math.round(ns / 1e6)}ms`,
			);
		}
	}
	appendFileSync(file, `${out.join('\n')}\n`);
}

/** Lines per second of wall time and of CPU time through the follower, the parser and the model. */
function ours(file: string): {linesPerSecond: number; linesPerCpuSecond: number; read: number} {
	// As it follows a log: polls of at most 64 MiB each, every one's requests into the model.
	const follower = new AccessLogFollower(file, {fromStart: true});
	const model = new RequestsModel();
	const cpu = process.cpuUsage();
	const t0 = process.hrtime.bigint();
	let read = 0;
	for (let poll = 0; poll < 10_000; poll++) {
		const got = follower.read();
		model.ingest(got.records, Date.UTC(2026, 11, 2, 1, 30));
		read += got.records.length;
		if (got.lagBytes === 0) break;
	}
	const wall = Number(process.hrtime.bigint() - t0) / 1e9;
	const used = process.cpuUsage(cpu);
	follower.close();
	return {linesPerSecond: read / wall, linesPerCpuSecond: read / ((used.user + used.system) / 1e6), read};
}

/** GoAccess over the same `common` file, its report written to /dev/null: lines per second of wall time. */
async function goaccess(file: string): Promise<{linesPerSecond: number} | {missing: string}> {
	const format = '%h %^ %^ [%d:%t %^] "%r" %s %b "%R" "%u" %^ "%v" "%^" %Lms';
	const t0 = process.hrtime.bigint();
	const run = await execa(
		'goaccess',
		[file, '--no-global-config', `--log-format=${format}`, '--date-format=%d/%b/%Y', '--time-format=%T', '-o', 'json', '--no-progress'],
		{reject: false, stdout: 'pipe', stderr: 'pipe', timeout: 600_000, maxBuffer: 256 * 1024 * 1024},
	);
	const wall = Number(process.hrtime.bigint() - t0) / 1e9;
	if (run.failed) return {missing: `goaccess did not run: ${run.stderr.split('\n')[0] ?? run.shortMessage}`};
	// Its report says how many lines it took as requests: all of them, or the comparison is void.
	const valid = (JSON.parse(run.stdout) as {general?: {valid_requests?: number}}).general?.valid_requests ?? 0;
	if (valid !== LINES) return {missing: `goaccess read ${valid} of ${LINES} lines as requests`};
	return {linesPerSecond: LINES / wall};
}

export interface AccessLogBench {
	readonly json: ReturnType<typeof ours>;
	readonly common: ReturnType<typeof ours>;
	readonly goaccessCommon: {linesPerSecond: number} | {missing: string};
	/** Share of a core to follow 2,000 requests/s of JSON lines (from the CPU time per line). */
	readonly coreShareAt2000: number;
}

export async function benchAccessLog(): Promise<AccessLogBench> {
	const dir = mkdtempSync(join(tmpdir(), 'tt-alog-bench-'));
	try {
		const json = join(dir, 'access.json.log');
		const common = join(dir, 'access.common.log');
		writeLines(json, 'json');
		writeLines(common, 'common');
		(globalThis as {gc?: () => void}).gc?.();
		const j = ours(json);
		(globalThis as {gc?: () => void}).gc?.();
		const c = ours(common);
		const g = await goaccess(common);
		return {json: j, common: c, goaccessCommon: g, coreShareAt2000: 2000 / Math.min(j.linesPerCpuSecond, c.linesPerCpuSecond)};
	} finally {
		rmSync(dir, {recursive: true, force: true});
	}
}
