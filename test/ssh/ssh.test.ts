// A real Traefik watched through a real OpenSSH server on loopback, beside the same Traefik
// watched locally: the remote view must equal the local one (backends, states, rates), every
// connection to Traefik's ports must come from sshd (none from traefik-top), and the link must
// say how it is. The sshd and Traefik are stopped by their PIDs in afterAll.
import http from 'node:http';
import net from 'node:net';
import {chmodSync, existsSync, mkdtempSync, readdirSync, readFileSync, readlinkSync, realpathSync, rmSync, symlinkSync, writeFileSync} from 'node:fs';
import {tmpdir} from 'node:os';
import {join} from 'node:path';
import {afterAll, beforeAll, describe, expect, it} from 'vitest';
import {execa, execaSync} from 'execa';
import {freePort} from '../../source/demo/traefik.js';
import type {Snapshot} from '../../source/domain/snapshot.js';
import type {FlagValues} from '../../source/run/config.js';
import type {Poller} from '../../source/run/poll.js';
import {until, watch} from '../helpers/watch.js';
import {CLI, realTraefik} from '../helpers/demo.js';
import {schemaErrors} from '../helpers/schema.js';
import {descendants, hasOpenSsh, startTestSshd, type TestSshd} from '../helpers/sshd.js';
import {startTestTraefik, type TestTraefik} from '../helpers/traefik.js';

const BUSYBOX = ['/usr/bin/busybox', '/bin/busybox'].find((p) => existsSync(p));
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** A backend that answers every request at once. */
async function backend(): Promise<{server: http.Server; url: string; port: number}> {
	const server = http.createServer((_req, res) => res.end('ok\n'));
	await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
	const port = (server.address() as net.AddressInfo).port;
	return {server, url: `http://127.0.0.1:${port}`, port};
}

/** Every process: PID, parent and argv. */
function processes(): {pid: number; ppid: number; argv: string[]}[] {
	return readdirSync('/proc')
		.filter((e) => /^\d+$/.test(e))
		.flatMap((e) => {
			try {
				const stat = readFileSync(`/proc/${e}/stat`, 'latin1');
				const ppid = Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]);
				return [{pid: Number(e), ppid, argv: readFileSync(`/proc/${e}/cmdline`, 'latin1').split('\0').slice(0, -1)}];
			} catch {
				return [];
			}
		});
}

/** Our ssh clients of the server on `port`. */
const sshClients = (port: number): number[] =>
	processes()
		.filter((p) => p.argv[0] === 'ssh' && p.argv.includes(String(port)))
		.map((p) => p.pid);

const sshFlags = (sshd: TestSshd, extra: readonly string[] = []): string[] => [...sshd.clientOptions, ...extra];

describe.skipIf(realTraefik() === null || !hasOpenSsh())(`Traefik ${realTraefik()?.version ?? ''} over a real sshd`, () => {
	let sshd: TestSshd;
	let traefik: TestTraefik;
	const servers: {server: http.Server; url: string; port: number}[] = [];
	const agent = new http.Agent({keepAlive: false});
	let load: NodeJS.Timeout | undefined;
	const pollers: Poller[] = [];

	/** This Traefik watched through `server` (500 ms polls), stopped in afterAll at the latest. */
	const overSsh = (server: TestSshd, extra: FlagValues = {}) => {
		const run = watch({
			apiUrl: traefik.apiUrl,
			metricsUrl: traefik.metricsUrl,
			interval: '500ms',
			ssh: `root@127.0.0.1:${server.port}`,
			sshOption: sshFlags(server),
			...extra,
		});
		pollers.push(run.poller);
		return run;
	};

	beforeAll(async () => {
		sshd = await startTestSshd();
		traefik = await startTestTraefik();
		servers.push(await backend(), await backend());
		await traefik.configure({
			http: {
				routers: {shop: {rule: 'Host(`shop.test`)', service: 'shop', entryPoints: ['web']}},
				services: {shop: {loadBalancer: {servers: servers.map((s) => ({url: s.url}))}}},
			},
		});
		// 20 requests a second through Traefik, each on a connection of its own (TIME_WAIT rows on both sides).
		load = setInterval(() => {
			for (let i = 0; i < 2; i++)
				http.get({host: '127.0.0.1', port: traefik.ports.web, path: '/', agent, headers: {host: 'shop.test'}}, (res) => res.resume()).on('error', () => {});
		}, 100);
	}, 90_000);

	afterAll(async () => {
		for (const p of pollers) p.stop();
		clearInterval(load);
		await traefik?.stop();
		await sshd?.stop();
		for (const s of servers) s.server.close();
	});

	it('shows the same backends, states and rates as the local view of the same Traefik', async () => {
		const urls = {apiUrl: traefik.apiUrl, metricsUrl: traefik.metricsUrl, interval: '1s'};
		const local = watch({...urls, pid: String(traefik.pid)});
		const remote = watch({...urls, ssh: `root@127.0.0.1:${sshd.port}`, sshOption: sshFlags(sshd)});
		pollers.push(local.poller, remote.poller);
		const ready = (s: Snapshot) =>
			s.sources.proc.ok &&
			s.sources.metrics.ok &&
			s.sources.api.ok &&
			s.backends.filter((b) => b.service === 'shop@file').length === 2 &&
			(s.totals.requestsPerSecond ?? 0) > 0;
		const r = await until(remote.snapshots, ready, 'the remote view complete');
		await until(local.snapshots, ready, 'the local view complete');
		expect(r.link).toMatchObject({host: `root@127.0.0.1`, state: 'connected'});
		expect(r.link!.rttMs).toBeGreaterThan(0);
		expect(r.link!.bytesPerPoll).toBeGreaterThan(0);
		expect(r.traefik.pid).toBe(traefik.pid);
		expect(schemaErrors(r)).toEqual([]);
		// Compared over the same few polls: the rates within one request per second, the backends and their states equal.
		await sleep(5500);
		const [l, rr] = [local.snapshots.at(-1)!, remote.snapshots.at(-1)!];
		const backends = (s: Snapshot) =>
			s.backends
				.filter((b) => b.service === 'shop@file')
				.map((b) => ({address: b.address, status: b.status}))
				.sort((a, b) => a.address.localeCompare(b.address));
		expect(backends(rr)).toEqual(backends(l));
		expect(
			backends(rr)
				.map((b) => b.address)
				.sort(),
		).toEqual(servers.map((s) => `127.0.0.1:${s.port}`).sort());
		// Rates over the same 5 s: each poll's rate is a counter delta over its second, and the two watchers poll at different
		// moments, so a request is counted in one second by one and in the next by the other; over 5 s that is under 1/s.
		const rate = (list: Snapshot[]) => {
			const last = list.slice(-5).map((x) => x.services.find((y) => y.name === 'shop@file')!.requestsPerSecond ?? 0);
			return last.reduce((a, b) => a + b, 0) / last.length;
		};
		expect(rate(remote.snapshots)).toBeGreaterThan(10);
		expect(Math.abs(rate(remote.snapshots) - rate(local.snapshots))).toBeLessThanOrEqual(1);
		const listening = (s: Snapshot) => s.entrypoints.map((e) => ({name: e.name, port: e.port})).sort((a, b) => a.name.localeCompare(b.name));
		expect(listening(rr)).toEqual(listening(l));
		const states = (s: Snapshot) => s.backends.filter((b) => b.service === 'shop@file').map((b) => b.states.TIME_WAIT + b.states.ESTABLISHED);
		// Every request is a new connection to a backend: both views see their TIME_WAIT rows (counts move from poll to poll).
		expect(states(rr).every((n) => n > 0)).toBe(true);
		expect(states(l).every((n) => n > 0)).toBe(true);
	});

	it('reaches Traefik only through sshd: every connection to its API port is sshd’s, none is traefik-top’s', async () => {
		// traefik-top in a process of its own, so that its sockets are told from this test's.
		const cli = execa(
			process.execPath,
			[
				'--import',
				'tsx',
				CLI,
				'--json',
				'--interval',
				'500ms',
				'--count',
				'8',
				'--api-url',
				traefik.apiUrl,
				'--metrics-url',
				traefik.metricsUrl,
				'--ssh',
				`root@127.0.0.1:${sshd.port}`,
				...sshFlags(sshd).flatMap((o) => ['--ssh-option', o]),
			],
			{reject: false, timeout: 60_000, cleanup: true, forceKillAfterDelay: 2000},
		);
		let seen: {name: string; pid: number}[] = [];
		try {
			for (let i = 0; i < 100 && seen.length === 0; i++) {
				await sleep(100);
				const out = (await execa('ss', ['-tnpH', 'state', 'established', `( dport = :${traefik.ports.traefik} )`])).stdout;
				seen = [...out.matchAll(/users:\(\("([^"]+)",pid=(\d+)/g)].map((m) => ({name: m[1]!, pid: Number(m[2])})).filter((o) => o.pid !== process.pid);
			}
		} finally {
			const result = await cli;
			expect(result.exitCode, result.stderr).toBe(0);
			const last = JSON.parse(result.stdout.trim().split('\n').at(-1)!) as Snapshot;
			expect(last.link?.state).toBe('connected');
			expect(last.sources.metrics.ok && last.sources.api.ok && last.sources.proc.ok).toBe(true);
		}
		expect(seen.length).toBeGreaterThan(0);
		expect(seen.filter((o) => o.name !== 'sshd')).toEqual([]);
		expect(seen.some((o) => o.pid === cli.pid)).toBe(false);
	});

	it('says in words why a connection is not made, and keeps every other source of the run', async () => {
		const refusedPort = await freePort();
		const wrongKey = join(sshd.dir, 'other_key');
		execaSync('ssh-keygen', ['-q', '-t', 'ed25519', '-N', '', '-f', wrongKey]);
		const emptyKnownHosts = join(sshd.dir, 'known_hosts.empty');
		writeFileSync(emptyKnownHosts, '');
		// Another key recorded for this host and port: what a reinstalled host (or a man in the middle) looks like.
		const changedKnownHosts = join(sshd.dir, 'known_hosts.changed');
		const other = readFileSync(`${wrongKey}.pub`, 'utf8').trim().split(' ').slice(0, 2).join(' ');
		writeFileSync(changedKnownHosts, `[127.0.0.1]:${sshd.port} ${other}\n`);
		// A port that accepts and never speaks: the banner exchange times out.
		const silent = net.createServer(() => {});
		await new Promise<void>((resolve) => silent.listen(0, '127.0.0.1', resolve));
		const silentPort = (silent.address() as net.AddressInfo).port;
		const options = (known: string, key = join(sshd.dir, 'client_key')) => [
			`IdentityFile=${key}`,
			'IdentitiesOnly=yes',
			'IdentityAgent=none',
			`UserKnownHostsFile=${known}`,
			'GlobalKnownHostsFile=/dev/null',
			'ConnectTimeout=1',
		];
		const cases: {what: string; ssh: string; options: string[]; says: RegExp}[] = [
			{
				what: 'unknown host key',
				ssh: `root@127.0.0.1:${sshd.port}`,
				options: options(emptyKnownHosts),
				says: /host key of root@127\.0\.0\.1 is not in known_hosts: not connected/,
			},
			{
				what: 'changed host key',
				ssh: `root@127.0.0.1:${sshd.port}`,
				options: options(changedKnownHosts),
				says: /host key of root@127\.0\.0\.1 has CHANGED since it was recorded/,
			},
			{
				what: 'authentication refused',
				ssh: `root@127.0.0.1:${sshd.port}`,
				options: options(sshd.knownHosts, wrongKey),
				says: /authentication refused by root@127\.0\.0\.1 \(it offers publickey\)/,
			},
			{what: 'connection refused', ssh: `root@127.0.0.1:${refusedPort}`, options: options(sshd.knownHosts), says: /connection refused by root@127\.0\.0\.1/},
			{
				what: 'timed out',
				ssh: `root@127.0.0.1:${silentPort}`,
				options: options(sshd.knownHosts),
				says: /no answer from root@127\.0\.0\.1 within \d+ s \(connection timed out\)/,
			},
		];
		try {
			// Connected, but nothing listens on the remote's port the metrics URL names: what ssh said of it, per source.
			const closed = await freePort();
			const wrongPort = watch({
				apiUrl: traefik.apiUrl,
				metricsUrl: `http://127.0.0.1:${closed}/metrics`,
				interval: '500ms',
				ssh: `root@127.0.0.1:${sshd.port}`,
				sshOption: sshFlags(sshd),
			});
			pollers.push(wrongPort.poller);
			const w = await until(
				wrongPort.snapshots,
				(x) => x.link?.state === 'connected' && x.sources.api.ok && x.sources.metrics.error !== undefined,
				'a closed remote port',
			);
			expect(w.sources.metrics.error).toBe(
				`http://127.0.0.1:${closed}/metrics: root@127.0.0.1 could not connect to 127.0.0.1:${closed} (ssh: connect failed: Connection refused)`,
			);
			wrongPort.poller.stop();
			const runs = cases.map((c) => ({
				c,
				run: watch({apiUrl: traefik.apiUrl, metricsUrl: traefik.metricsUrl, interval: '500ms', ssh: c.ssh, sshOption: c.options}),
			}));
			for (const {run} of runs) pollers.push(run.poller);
			for (const {c, run} of runs) {
				const s = await until(run.snapshots, (x) => x.link?.state === 'reconnecting', c.what);
				expect(s.link!.lastError, c.what).toMatch(c.says);
				// Each source says why; nothing else is tried on Traefik's ports.
				expect(s.sources.proc.error, c.what).toMatch(/reconnecting since \d\d:\d\d:\d\d/);
				expect(s.sources.metrics.error, c.what).toContain(s.link!.lastError);
				expect(schemaErrors(s)).toEqual([]);
			}
		} finally {
			silent.close();
		}
	});

	it('says when the remote has no /proc, and still reads its metrics and API through the tunnel', async () => {
		// sshd with a /proc of its own that is an empty tmpfs: what a host that is not Linux gives the reader.
		const bare = await startTestSshd({wrap: ['unshare', '--mount', '--propagation', 'private', 'sh', '-c', 'mount -t tmpfs none /proc && exec "$0" "$@"']});
		try {
			const run = overSsh(bare);
			const s = await until(run.snapshots, (x) => x.link?.state === 'connected' && x.sources.metrics.ok && x.sources.api.ok && !x.sources.proc.ok, 'no /proc');
			expect(s.sources.proc.error).toMatch(
				/^root@127\.0\.0\.1 has no \/proc \(Linux [^)]*\): the kernel view needs a Linux host; metrics and the API are read through the tunnel$/,
			);
			expect(s.services.some((x) => x.name === 'shop@file')).toBe(true);
			run.poller.stop();
		} finally {
			await bare.stop();
		}
	});

	it('says when no Traefik process runs on the remote, and reads its table by address', async () => {
		// sshd in a PID namespace of its own: the remote's /proc shows no traefik.
		const alone = await startTestSshd({wrap: ['unshare', '--pid', '--fork', '--kill-child', '--mount-proc']});
		try {
			const run = overSsh(alone);
			const s = await until(run.snapshots, (x) => x.link?.state === 'connected' && x.sources.proc.ok && x.backends.length > 0, 'no Traefik');
			expect(s.sources.proc.notes).toContain('no Traefik process found on root@127.0.0.1: reading the host table, matching by address');
			expect(s.traefik.pid).toBeNull();
			run.poller.stop();
		} finally {
			await alone.stop();
		}
	});

	it('ends a session whose reader stalls, says so, and reconnects; a killed ssh is made again within two polls', async () => {
		const own = await startTestSshd();
		// A stopped reader outlives its session (it is then init's child): killed by its PID whatever happens.
		let stopped: number | undefined;
		try {
			const run = overSsh(own);
			await until(run.snapshots, (x) => x.link?.state === 'connected' && x.sources.proc.ok, 'connected');
			// The remote reader, stopped: a remote command that stalls past every poll's deadline.
			const below = new Set(descendants(own.pid));
			const reader = processes().find((p) => below.has(p.pid) && p.argv[0] === 'sh' && p.argv[3] === 'traefik-top');
			expect(reader).toBeDefined();
			process.kill(reader!.pid, 'SIGSTOP');
			stopped = reader!.pid;
			const stalled = await until(
				run.snapshots,
				(x) => /did not answer within \d+ ms \(the remote command stalls\)/.test(x.sources.proc.error ?? ''),
				'stall seen',
			);
			expect(stalled.sources.metrics.ok).toBe(true);
			// The third missed answer ends the session; the next poll makes a new one (a later "since").
			await until(run.snapshots, (x) => x.link !== undefined && x.link.since !== stalled.link!.since, 'session ended', 6);
			await until(run.snapshots, (x) => x.link?.state === 'connected' && x.sources.proc.ok, 'reconnected after the stall', 6);
			process.kill(reader!.pid, 'SIGKILL');
			// Our ssh, killed: the next poll sees it gone, the one after is connected again.
			const master = sshClients(own.port);
			expect(master.length).toBe(1);
			process.kill(master[0]!, 'SIGKILL');
			const killedAt = Date.now();
			const after = run.snapshots.length;
			// The next poll finds it gone and makes it again (the first retry is at once): connected, with a new "since".
			const back = await until(
				run.snapshots,
				(x) => x.link?.state === 'connected' && Date.parse(x.link.since) > killedAt && x.sources.proc.ok,
				'reconnected',
				4,
			);
			expect(run.snapshots.indexOf(back) - after).toBeLessThanOrEqual(1);
			// sshd itself down: "connection refused" meanwhile, and back within two polls of it accepting again.
			await own.halt();
			await until(run.snapshots, (x) => /connection refused/.test(x.link?.lastError ?? ''), 'sshd down', 10);
			await sleep(2000);
			await own.restart();
			const accepting = run.snapshots.length;
			await until(run.snapshots, (x) => x.link?.state === 'connected', 'back after sshd restarted', 6);
			expect(run.snapshots.findIndex((x, i) => i >= accepting && x.link?.state === 'connected') - accepting).toBeLessThanOrEqual(2);
			run.poller.stop();
			await sleep(500);
			expect(sshClients(own.port)).toEqual([]);
		} finally {
			if (stopped !== undefined) {
				try {
					process.kill(stopped, 'SIGKILL');
				} catch {
					// killed already
				}
			}
			await own.stop();
		}
	});

	it.skipIf(BUSYBOX === undefined && process.env['CI'] !== 'true')('runs the reader with busybox’s sh, awk and cat alone on the remote PATH', async () => {
		const bin = mkdtempSync(join(tmpdir(), 'tt-busybox-'));
		chmodSync(bin, 0o755);
		for (const tool of ['sh', 'awk', 'cat']) symlinkSync(BUSYBOX!, join(bin, tool));
		const lean = await startTestSshd({settings: [`SetEnv PATH=${bin}`]});
		try {
			const run = overSsh(lean);
			const s = await until(
				run.snapshots,
				(x) => x.sources.proc.ok && x.traefik.pid === traefik.pid && x.backends.some((b) => b.service === 'shop@file'),
				'busybox reader',
			);
			expect(s.sources.proc.error).toBeUndefined();
			// The reader's shell is busybox: its /proc/<pid>/exe.
			const below = new Set(descendants(lean.pid));
			const reader = processes().find((p) => below.has(p.pid) && p.argv[0] === 'sh' && p.argv[3] === 'traefik-top');
			expect(readlinkSync(`/proc/${reader!.pid}/exe`)).toBe(realpathSync(BUSYBOX!));
			run.poller.stop();
		} finally {
			await lean.stop();
			rmSync(bin, {recursive: true, force: true});
		}
	});

	it('with --ssh-sudo on a host without sudo: says sudo -n was refused, and reads as the login user', async () => {
		const run = overSsh(sshd, {sshSudo: true});
		const s = await until(run.snapshots, (x) => x.sources.proc.ok && x.link?.sudo !== undefined, 'sudo tried');
		expect(s.link!.sudo).toMatch(/^refused \(.*sudo.*not found\)$/);
		expect(s.sources.proc.notes?.some((n) => n.startsWith('sudo -n on root@127.0.0.1: refused') && n.endsWith('read as uid 0'))).toBe(true);
		expect(s.traefik.pid).toBe(traefik.pid);
		run.poller.stop();
	});

	it('watches two SSH targets and a local one in one fleet view, and keeps their credentials on this side', async () => {
		const more = [await startTestTraefik(), await startTestTraefik()];
		const token = `tt-secret-${Math.random().toString(36).slice(2)}`;
		try {
			const ssh = `root@127.0.0.1:${sshd.port}`;
			const run = watch(
				{interval: '500ms', sshOption: sshFlags(sshd)},
				{
					targets: [
						{name: 'edge-a', url: traefik.apiUrl, ssh, bearerToken: token},
						{name: 'edge-b', url: more[0]!.apiUrl, ssh, bearerToken: token},
						{name: 'local', url: more[1]!.apiUrl},
					],
				},
			);
			pollers.push(run.poller);
			const s = await until(run.snapshots, (x) => x.instances?.every((i) => i.state === 'up' && i.sources.proc.ok) === true, 'three instances up', 60);
			expect(s.instances!.map((i) => [i.name, i.identity.pid])).toEqual([
				['edge-a', traefik.pid],
				['edge-b', more[0]!.pid],
				['local', more[1]!.pid],
			]);
			expect(s.instances!.map((i) => i.link?.state ?? 'local')).toEqual(['connected', 'connected', 'local']);
			expect(s.instances![0]!.link!.host).toBe(`edge-a (${'root@127.0.0.1'})`);
			expect(schemaErrors(s)).toEqual([]);
			// One connection per SSH target, each with its own forwards.
			expect(sshClients(sshd.port).length).toBeGreaterThanOrEqual(2);
			// The token is in no process's command line: not ssh's, not the remote reader's.
			for (const p of processes()) expect(p.argv.join(' ')).not.toContain(token);
			run.poller.stop();
		} finally {
			await Promise.all(more.map((t) => t.stop()));
		}
	});
});
