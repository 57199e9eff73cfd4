// Real sockets on loopback, owned by a child acting as the proxy, in every state a sick backend
// produces; traefik-top's per-backend counts must equal what `ss -tan` reports for them.
import {execaSync} from 'execa';
import {chmodSync, copyFileSync, mkdtempSync, rmSync} from 'node:fs';
import net from 'node:net';
import {tmpdir} from 'node:os';
import {join} from 'node:path';
import {fileURLToPath} from 'node:url';
import type {ChildProcess} from 'node:child_process';
import {afterAll, beforeAll, describe, expect, it} from 'vitest';
import {ProcReader} from '../../source/collect/proc.js';
import {isError, type BackendServer} from '../../source/domain/harvest.js';
import {DEFAULT_RULES} from '../../source/model/rules/config.js';
import {Monitor} from '../../source/model/monitor.js';
import type {Snapshot} from '../../source/domain/snapshot.js';
import {spawnNode, stopChild} from '../helpers/processes.js';
import {schemaErrors} from '../helpers/schema.js';

const helper = (name: string) => fileURLToPath(new URL(`../helpers/${name}`, import.meta.url));
const LOCALHOST = 0x7f000001;

type Mode = 'hold' | 'leak' | 'finwait' | 'close' | 'syn';
const PLAN: {service: string; mode: Mode; count: number}[] = [
	{service: 'held@test', mode: 'hold', count: 3},
	{service: 'leaky@test', mode: 'leak', count: 4},
	{service: 'halfclosed@test', mode: 'finwait', count: 2},
	{service: 'churn@test', mode: 'close', count: 5},
	{service: 'blackhole@test', mode: 'syn', count: 5},
];

/** Counts per state of sockets whose peer is `address`, from `ss -tan`. */
function ssCounts(address: string): Record<string, number> {
	const out = execaSync('ss', ['-tanH']).stdout;
	const counts: Record<string, number> = {};
	for (const line of out.split('\n')) {
		const cols = line.trim().split(/\s+/);
		if (cols.length < 5 || cols[4] !== address) continue;
		const state = cols[0] === 'ESTAB' ? 'ESTABLISHED' : cols[0]!.replace(/-(\d)$/, '$1').replaceAll('-', '_');
		counts[state] = (counts[state] ?? 0) + 1;
	}
	return counts;
}

const nonZero = (states: Record<string, number>) => Object.fromEntries(Object.entries(states).filter(([, n]) => n > 0));

describe('per-backend TCP states from the kernel, against ss', () => {
	const servers: net.Server[] = [];
	const accepted: net.Socket[] = [];
	let blocked: ChildProcess | undefined;
	let proxy: ChildProcess | undefined;
	const backends: BackendServer[] = [];

	beforeAll(async () => {
		const listen = (server: net.Server) =>
			new Promise<number>((resolve) => server.listen(0, '127.0.0.1', () => resolve((server.address() as net.AddressInfo).port)));
		const makeServer = (mode: Mode): net.Server => {
			const server = net.createServer({allowHalfOpen: mode === 'finwait'}, (socket) => {
				accepted.push(socket);
				socket.on('error', () => {});
				if (mode === 'leak') socket.end(); // the backend closes; the proxy never does
			});
			servers.push(server);
			return server;
		};
		const plan = [];
		for (const p of PLAN) {
			let port: number;
			if (p.mode === 'syn') {
				const started = await spawnNode(helper('blocked-listener.mjs'));
				blocked = started.child;
				port = Number(started.line);
			} else {
				port = await listen(makeServer(p.mode));
			}
			backends.push({service: p.service, url: `127.0.0.1:${port}`, host: '127.0.0.1', port, status: 'unknown', origin: 'flag'});
			plan.push({host: '127.0.0.1', port, mode: p.mode, count: p.count});
		}
		proxy = (await spawnNode(helper('fake-proxy.mjs'), [JSON.stringify(plan)])).child;
		await new Promise((resolve) => setTimeout(resolve, 300));
	});

	afterAll(async () => {
		await stopChild(proxy);
		await stopChild(blocked);
		for (const s of accepted) s.destroy();
		await Promise.all(servers.map((s) => new Promise((resolve) => s.close(resolve))));
	});

	function monitorSnapshot(): Snapshot {
		const monitor = new Monitor({
			rules: DEFAULT_RULES,
			intervalSeconds: 1,
			retentionSeconds: 60,
			host: 'test',
			filter: {service: null, entrypoint: null},
			flagServers: backends,
		});
		monitor.disableSource('api');
		monitor.disableSource('metrics');
		const reader = new ProcReader({procRoot: '/proc', pid: proxy!.pid!});
		monitor.ingest({collectedAt: Date.now(), proc: reader.read(), resolved: {'127.0.0.1': [LOCALHOST]}, resolveErrors: {}});
		return monitor.snapshot();
	}

	it("owns the proxy's sockets through /proc/<pid>/fd", () => {
		const snapshot = monitorSnapshot();
		expect(snapshot.sources.proc.ok).toBe(true);
		expect(snapshot.sources.proc.notes ?? []).not.toContainEqual(expect.stringMatching(/permission denied/));
		expect(snapshot.traefik.pid).toBe(proxy!.pid);
	});

	it.each(PLAN.map((p) => [p.service, p.mode]))('%s (%s): counts equal ss -tan', (service) => {
		const snapshot = monitorSnapshot();
		const row = snapshot.backends.find((b) => b.service === service)!;
		expect(row).toBeDefined();
		const ours = nonZero(row.states);
		const theirs = ssCounts(row.address);
		expect(ours).toEqual(theirs);
	});

	it('sees each fault in the state it makes', () => {
		const rows = Object.fromEntries(monitorSnapshot().backends.map((b) => [b.service, b]));
		expect(rows['held@test']!.states.ESTABLISHED).toBe(3);
		expect(rows['leaky@test']!.states.CLOSE_WAIT).toBe(4);
		expect(rows['leaky@test']!.closeWaitOldestSeconds).not.toBeNull();
		expect(rows['halfclosed@test']!.states.FIN_WAIT2).toBe(2);
		expect(rows['churn@test']!.states.TIME_WAIT).toBe(5);
		expect(rows['churn@test']!.timeWaitRatio).toBe(1);
		// Backlog 1: two connections wait in the accept queue, the others are never answered.
		expect(rows['blackhole@test']!.states.SYN_SENT).toBe(3);
	});

	it("gives the same counts through a netlink query filtered to the backends' ports, and falls back when it fails", async () => {
		const always = {minRows: 0, maxShare: 1, fullEvery: 30, maxTimeRatio: Number.POSITIVE_INFINITY};
		const ports = {backends: backends.map((b) => b.port), entryPoints: []};
		let queries = 0;
		const reader = new ProcReader({procRoot: '/proc', pid: proxy!.pid!}, always, async (args) => {
			queries++;
			return execaSync('ss', [...args]).stdout;
		});
		const first = await reader.readWithPorts(ports);
		if (isError(first)) throw new Error(first.error);
		expect(first.netlink).toBeUndefined(); // the first poll reads the table to learn its size
		const second = await reader.readWithPorts(ports);
		if (isError(second)) throw new Error(second.error);
		expect(queries).toBe(1);
		expect(second.netlink).toMatchObject({ports: PLAN.length});
		const monitor = new Monitor({
			rules: DEFAULT_RULES,
			intervalSeconds: 1,
			retentionSeconds: 60,
			host: 'test',
			filter: {service: null, entrypoint: null},
			flagServers: backends,
		});
		monitor.disableSource('api');
		monitor.disableSource('metrics');
		monitor.ingest({collectedAt: Date.now(), proc: second, resolved: {'127.0.0.1': [LOCALHOST]}, resolveErrors: {}});
		const snapshot = monitor.snapshot();
		expect(snapshot.sources.proc.notes).toContainEqual(expect.stringMatching(/netlink query/));
		const byProc = Object.fromEntries(monitorSnapshot().backends.map((b) => [b.service, nonZero(b.states)]));
		for (const row of snapshot.backends) {
			expect(nonZero(row.states)).toEqual(ssCounts(row.address));
			expect(nonZero(row.states)).toEqual(byProc[row.service]);
		}

		const failing = new ProcReader({procRoot: '/proc', pid: proxy!.pid!}, always, () => Promise.reject(new Error('spawn ss ENOENT')));
		await failing.readWithPorts(ports);
		const fallback = await failing.readWithPorts(ports);
		if (isError(fallback)) throw new Error(fallback.error);
		expect(fallback.netlink).toBeUndefined();
		expect(fallback.warnings).toContainEqual(expect.stringMatching(/netlink query failed \(spawn ss ENOENT\); reading the full table/));
	});

	/** The CLI from source, or the built one at `built` (one file, no dependencies). */
	const cliArgs = (built?: string): string[] => {
		const args = [
			...(built === undefined ? ['--import', 'tsx', fileURLToPath(new URL('../../cli.tsx', import.meta.url))] : [built]),
			'--json',
			'--count',
			'2',
			'--interval',
			'300ms',
			'--pid',
			String(proxy!.pid),
			'--api-url',
			'off',
			'--metrics-url',
			'off',
			'--rule',
			'time_wait_ratio.minConnections=5',
		];
		for (const b of backends) args.push('--backend', `${b.service}=${b.host}:${b.port}`);
		return args;
	};

	it('gives the same counts through the CLI (--json)', () => {
		const lines = execaSync(process.execPath, cliArgs(), {timeout: 30_000}).stdout.trim().split('\n');
		expect(lines).toHaveLength(2);
		const snapshot = JSON.parse(lines[1]!) as Snapshot;
		expect(snapshot.schema).toBe('traefik-top/snapshot@1');
		expect(schemaErrors(snapshot)).toEqual([]);
		for (const row of snapshot.backends) expect(nonZero(row.states)).toEqual(ssCounts(row.address));
		const rules = snapshot.alerts.map((a) => `${a.rule} ${a.service}`);
		expect(rules).toContain('syn_sent_stuck blackhole@test');
		expect(rules).toContain('time_wait_ratio churn@test');
	});

	// Only root can start a process as another user; CI runs as root.
	it.runIf(process.getuid?.() === 0)('as another user: says /proc/<pid>/fd is unreadable, then matches by address', () => {
		// The built CLI is one file: copied where that user can read it, wherever this clone lives
		// (a mode-0700 home, say, that user cannot enter).
		const dir = mkdtempSync(join(tmpdir(), 'tt-nobody-'));
		chmodSync(dir, 0o755);
		const cli = join(dir, 'cli.js');
		copyFileSync(fileURLToPath(new URL('../../dist/cli.js', import.meta.url)), cli);
		chmodSync(cli, 0o755);
		let out: string;
		try {
			out = execaSync(process.execPath, cliArgs(cli), {
				timeout: 30_000,
				uid: 65534,
				gid: 65534,
				cwd: dir,
				env: {...process.env, HOME: dir},
			}).stdout;
		} finally {
			rmSync(dir, {recursive: true, force: true});
		}
		const snapshot = JSON.parse(out.trim().split('\n')[1]!) as Snapshot;
		expect(snapshot.sources.proc.ok).toBe(true);
		expect(snapshot.sources.proc.notes).toContainEqual(expect.stringMatching(/fd: permission denied; connections are matched by address only/));
		for (const row of snapshot.backends) expect(nonZero(row.states)).toEqual(ssCounts(row.address));
	});
});
