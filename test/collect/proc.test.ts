// ProcReader against a /proc tree written by the test (--proc-root): discovery, restarts, vanished PIDs.
import {mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync} from 'node:fs';
import {tmpdir} from 'node:os';
import {join} from 'node:path';
import {afterEach, beforeEach, describe, expect, it} from 'vitest';
import {findTraefikPids, parseProcessStat} from '../../source/collect/process.js';
import {ProcReader} from '../../source/collect/proc.js';
import {isError, type ProcHarvest} from '../../source/domain/harvest.js';
import {Monitor} from '../../source/model/monitor.js';
import {DEFAULT_RULES} from '../../source/model/rules/config.js';

const HEADER = '  sl  local_address rem_address   st tx_queue rx_queue tr tm->when retrnsmt   uid  timeout inode\n';
const row = (local: string, remote: string, st: string, inode: number) =>
	`   0: ${local} ${remote} ${st} 00000000:00000000 00:00000000 00000000     0        0 ${inode} 1 0000000000000000 20 4 30 10 -1\n`;

let root: string;

function addProcess(pid: number, comm: string, startTicks: number, rows: string, inodes: number[]): void {
	const dir = join(root, String(pid));
	mkdirSync(join(dir, 'net'), {recursive: true});
	mkdirSync(join(dir, 'fd'), {recursive: true});
	writeFileSync(join(dir, 'comm'), `${comm}\n`);
	writeFileSync(
		join(dir, 'stat'),
		`${pid} (${comm}) S 1 ${pid} ${pid} 0 -1 4194560 100 0 0 0 250 50 0 0 20 0 12 0 ${startTicks} 900000000 5000 ` +
			'18446744073709551615 0 0 0 0 0 0 0 0 0 0 0 0 17 1 0 0 0 0 0\n',
	);
	writeFileSync(join(dir, 'net', 'tcp'), HEADER + rows);
	writeFileSync(join(dir, 'net', 'tcp6'), '  sl  local_address remote_address st\n');
	inodes.forEach((inode, i) => symlinkSync(`socket:[${inode}]`, join(dir, 'fd', String(i + 3))));
}

beforeEach(() => {
	root = mkdtempSync(join(tmpdir(), 'tt-proc-'));
	writeFileSync(join(root, 'stat'), 'cpu  1 2 3\nbtime 1700000000\n');
	mkdirSync(join(root, 'sys/net/ipv4'), {recursive: true});
	writeFileSync(join(root, 'sys/net/ipv4/ip_local_port_range'), '40000\t40999\n');
	mkdirSync(join(root, 'net'));
	writeFileSync(join(root, 'net', 'tcp'), HEADER);
	addProcess(77, 'bash', 10, '', []);
});

afterEach(() => rmSync(root, {recursive: true, force: true}));

const read = (reader: ProcReader): ProcHarvest => {
	const h = reader.read();
	if (isError(h)) throw new Error(h.error);
	return h;
};

describe('ProcReader', () => {
	it("finds Traefik by name and reads its namespace's table and sockets", () => {
		addProcess(4242, 'traefik', 5000, row('0100007F:D431', '0300000A:0050', '01', 11) + row('0100007F:D432', '0300000A:0050', '06', 0), [11]);
		expect(findTraefikPids(root)).toEqual([4242]);
		const h = read(new ProcReader({procRoot: root}));
		expect(h.pid).toBe(4242);
		expect(h.pidSource).toBe('discovered');
		// The quiet ESTABLISHED one is counted in columns, the TIME_WAIT one listed.
		expect(h.sockets.map((s) => s.state)).toEqual(['TIME_WAIT']);
		expect(h.quiet!.remotePort).toEqual([80]);
		expect([...h.ownedInodes!]).toEqual([11]);
		expect(h.ephemeralPorts).toEqual([40000, 40999]);
		expect(h.process).toMatchObject({startTicks: 5000, cpuSeconds: 3, rssBytes: 5000 * 4096, startedAt: (1700000000 + 50) * 1000});
	});

	it('reads the host table without a Traefik process', () => {
		const h = read(new ProcReader({procRoot: root}));
		expect(h.pid).toBeNull();
		expect(h.pidSource).toBe('none');
	});

	it('re-discovers a restarted Traefik, and the monitor marks the restart', () => {
		addProcess(4242, 'traefik', 5000, row('0100007F:D431', '0300000A:0050', '08', 11), [11]);
		const reader = new ProcReader({procRoot: root});
		const monitor = new Monitor({
			rules: DEFAULT_RULES,
			intervalSeconds: 1,
			retentionSeconds: 60,
			host: 'h',
			filter: {service: null, entrypoint: null},
			flagServers: [{service: 's@x', url: '10.0.0.3:80', host: '10.0.0.3', port: 80, status: 'unknown', origin: 'flag'}],
		});
		const resolved = {'10.0.0.3': [0x0a000003]};
		monitor.ingest({collectedAt: 1000, proc: read(reader), resolved, resolveErrors: {}});
		expect(monitor.snapshot().backends[0]!.states.CLOSE_WAIT).toBe(1);
		rmSync(join(root, '4242'), {recursive: true});
		addProcess(5353, 'traefik', 9000, row('0100007F:D431', '0300000A:0050', '08', 12), [12]);
		monitor.ingest({collectedAt: 2000, proc: read(reader), resolved, resolveErrors: {}});
		const s = monitor.snapshot();
		expect(s.traefik.pid).toBe(5353);
		expect(s.traefik.restartedAt).toBe(new Date(2000).toISOString());
		// Same 4-tuple, new process: the CLOSE_WAIT age starts again.
		expect(s.backends[0]!.closeWaitOldestSeconds).toBe(0);
	});

	it('says so when a --pid process is gone, and keeps going', () => {
		const h = new ProcReader({procRoot: root, pid: 999}).read();
		expect(h).toEqual({error: 'PID 999 is gone (given by --pid)'});
	});

	it('reports a missing table in words', () => {
		addProcess(4242, 'traefik', 5000, '', []);
		rmSync(join(root, '4242', 'net'), {recursive: true});
		const h = new ProcReader({procRoot: root}).read();
		expect(isError(h) && h.error).toMatch(/cannot read the TCP tables: .*net\/tcp: no such file/);
	});
});

describe('parseProcessStat', () => {
	it('survives a comm with spaces and parentheses', () => {
		const stat = '42 (my (odd) name) S 1 42 42 0 -1 0 0 0 0 0 100 100 0 0 20 0 1 0 777 1000 10 0';
		expect(parseProcessStat(stat, null)).toMatchObject({startTicks: 777, cpuSeconds: 2, rssBytes: 40960, startedAt: null});
		expect(parseProcessStat('garbage', null)).toBeNull();
	});
});

describe('ProcReader: the filtered netlink query', () => {
	/** Traefik (PID 4242) holds 1 of `rows` rows; both it and we are in namespace net:[1]. */
	function bigTable(rows: number, namespace = 'net:[1]'): void {
		const foreign = Array.from({length: rows - 1}, (_, i) => row('0100007F:D431', '0300000A:0050', '01', 1000 + i)).join('');
		addProcess(4242, 'traefik', 5000, row('0100007F:D432', '0300000A:0050', '08', 11) + foreign, [11]);
		mkdirSync(join(root, 'self/ns'), {recursive: true});
		mkdirSync(join(root, '4242/ns'), {recursive: true});
		symlinkSync('net:[1]', join(root, 'self/ns/net'));
		symlinkSync(namespace, join(root, '4242/ns/net'));
	}
	const SS_LINE = 'CLOSE-WAIT 1 0 127.0.0.1:54322 10.0.0.3:80 ino:11 sk:1\n';
	const ports = {backends: [80], entryPoints: []};
	const policy = {minRows: 50, maxShare: 0.25, fullEvery: 5, maxTimeRatio: 0.8};
	// Timing left out where the test is not about it: a query never counts as slower.
	const untimed = {...policy, maxTimeRatio: Number.POSITIVE_INFINITY};

	async function polls(reader: ProcReader, n: number): Promise<string[]> {
		const via: string[] = [];
		for (let i = 0; i < n; i++) {
			const h = await reader.readWithPorts(ports);
			if (isError(h)) throw new Error(h.error);
			expect(h.sockets.map((s) => s.state)).toEqual(['CLOSE_WAIT']);
			via.push(h.netlink ? 'netlink' : 'table');
		}
		return via;
	}

	it("queries only Traefik's ports once the table is big and Traefik's part small, and reads it all every fullEvery polls", async () => {
		bigTable(100);
		const calls: string[][] = [];
		const reader = new ProcReader({procRoot: root, pid: 4242}, untimed, async (args) => {
			calls.push([...args]);
			return SS_LINE;
		});
		expect(await polls(reader, 11)).toEqual([
			'table',
			'netlink',
			'netlink',
			'netlink',
			'table',
			'netlink',
			'netlink',
			'netlink',
			'netlink',
			'table',
			'netlink',
		]);
		expect(calls[0]).toEqual(['-tanHeo', 'state', 'all', '( dport = :80 )']);
	});

	it('keeps reading the table when it is small, when Traefik is in another namespace, or when the query is slower', async () => {
		bigTable(20);
		const never = () => Promise.reject(new Error('not expected'));
		expect(await polls(new ProcReader({procRoot: root, pid: 4242}, policy, never), 3)).toEqual(['table', 'table', 'table']);
		rmSync(join(root, '4242'), {recursive: true, force: true});
		rmSync(join(root, 'self'), {recursive: true, force: true});
		bigTable(100, 'net:[2]');
		expect(await polls(new ProcReader({procRoot: root, pid: 4242}, policy, never), 3)).toEqual(['table', 'table', 'table']);
		rmSync(join(root, '4242'), {recursive: true, force: true});
		rmSync(join(root, 'self'), {recursive: true, force: true});
		bigTable(100);
		const slow = () => new Promise<string>((resolve) => setTimeout(() => resolve(SS_LINE), 300));
		// One try after each full read; 300 ms is slower than reading 100 rows, so the table it is.
		expect(await polls(new ProcReader({procRoot: root, pid: 4242}, policy, slow), 7)).toEqual([
			'table',
			'netlink',
			'table',
			'table',
			'table',
			'netlink',
			'table',
		]);
	});
});

describe('a Traefik that restarts', () => {
	it('has its API asked again at once, not at the next API interval', async () => {
		const {Collector} = await import('../../source/collect/collector.js');
		const {startFakeTraefik} = await import('../helpers/fake-traefik.js');
		const traefik = await startFakeTraefik([{name: 'web@file', perScrape: 10, servers: ['http://10.0.0.3:80']}], {api: true});
		try {
			addProcess(4242, 'traefik', 5000, '', []);
			const collector = new Collector({
				procRoot: root,
				apiUrl: traefik.url,
				metricsUrl: null,
				apiIntervalMs: 3_600_000,
				http: {timeoutMs: 2000, maxBytes: 1e6},
				flagServers: [],
			});
			const first = await collector.collect();
			expect(first.api).toBeDefined();
			expect((await collector.collect()).api).toBeUndefined();
			// Traefik restarts: a new PID.
			rmSync(join(root, '4242'), {recursive: true});
			addProcess(5353, 'traefik', 9000, '', []);
			const afterRestart = await collector.collect();
			expect(isError(afterRestart.proc) ? null : afterRestart.proc.pid).toBe(5353);
			expect(afterRestart.api).toMatchObject({version: '3.7.15'});
		} finally {
			await traefik.close();
		}
	});
});
