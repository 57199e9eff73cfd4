// Three real Traefik processes watched as one group: a and b read one shared file-provider
// directory (watch: true, the HA layout), c reads its own copy that is never updated. A change
// written to the shared directory must show on a and b with no drift between them, and
// config_drift must name exactly what c lacks; the traffic split must match what the load
// generator sent through each instance; a stopped instance must show instance_down while the
// others stay live. Every Traefik and every server is stopped by its PID or closed in afterAll.
import {mkdtempSync, renameSync, rmSync, writeFileSync} from 'node:fs';
import http from 'node:http';
import type net from 'node:net';
import {tmpdir} from 'node:os';
import {join} from 'node:path';
import {afterAll, beforeAll, describe, expect, it} from 'vitest';
import type {Snapshot} from '../../source/domain/snapshot.js';
import {checkResult} from '../../source/format/check.js';
import {resolveConfig} from '../../source/run/config.js';
import {startPolling, type Poller} from '../../source/run/poll.js';
import {realTraefik} from '../helpers/demo.js';
import {schemaErrors} from '../helpers/schema.js';
import {startTestTraefik, type TestTraefik} from '../helpers/traefik.js';

/** A backend that answers every request at once. */
async function backend(): Promise<{server: http.Server; url: string}> {
	const server = http.createServer((_req, res) => res.end('ok\n'));
	await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
	return {server, url: `http://127.0.0.1:${(server.address() as net.AddressInfo).port}`};
}

/** The dynamic configuration: `routers` routers to service web, whose servers are `servers`. */
function dynamic(routers: readonly string[], servers: readonly string[]): Record<string, unknown> {
	return {
		http: {
			routers: Object.fromEntries(routers.map((r) => [r, {rule: `Host(\`${r}.test\`)`, service: 'web', entryPoints: ['web']}])),
			services: {web: {loadBalancer: {servers: servers.map((url) => ({url}))}}},
		},
	};
}

/** Writes a file of a watched directory whole (a temporary file renamed over it). */
function writeWatched(dir: string, config: unknown): void {
	const temporary = join(dir, '.app.yaml.tmp');
	writeFileSync(temporary, JSON.stringify(config));
	renameSync(temporary, join(dir, 'app.yaml'));
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

describe.skipIf(realTraefik() === null)(`three instances of Traefik ${realTraefik()?.version ?? ''}`, () => {
	const shared = mkdtempSync(join(tmpdir(), 'tt-fleet-shared-'));
	const stale = mkdtempSync(join(tmpdir(), 'tt-fleet-stale-'));
	const traefiks: TestTraefik[] = [];
	const servers: {server: http.Server; url: string}[] = [];
	const agent = new http.Agent({keepAlive: true, maxSockets: 8});
	const snapshots: Snapshot[] = [];
	let poller: Poller | undefined;
	let load: NodeJS.Timeout | undefined;
	/** Requests the load generator has had answered, per instance. */
	const sent = {a: 0, b: 0, c: 0};

	/** Resolves with the first snapshot (from the next poll on) that `wanted` accepts; its index among the polls. */
	async function until(wanted: (s: Snapshot) => boolean, what: string, polls = 60): Promise<{snapshot: Snapshot; poll: number}> {
		const from = snapshots.length;
		for (let i = 0; i < polls * 10; i++) {
			for (let k = from; k < snapshots.length; k++) if (wanted(snapshots[k]!)) return {snapshot: snapshots[k]!, poll: k};
			if (snapshots.length - from > polls) break;
			await sleep(100);
		}
		const last = snapshots.at(-1)?.instances?.map((i) => [i.name, i.state, i.drift]);
		throw new Error(`${what}: not within ${polls} polls; the last snapshot's instances: ${JSON.stringify(last)}`);
	}

	const instance = (s: Snapshot, name: string) => s.instances!.find((i) => i.name === name)!;

	beforeAll(async () => {
		servers.push(await backend(), await backend());
		const first = dynamic(['shop', 'blog', 'docs'], [servers[0]!.url]);
		writeWatched(shared, first);
		writeWatched(stale, first);
		for (const dir of [shared, shared, stale]) traefiks.push(await startTestTraefik({extra: {providers: {file: {directory: dir, watch: true}}}}));
		const [a, b, c] = traefiks;
		// Different rates through each instance: 6, 3 and 1 requests every 100 ms.
		const through = (t: TestTraefik, name: keyof typeof sent, n: number) => {
			for (let i = 0; i < n; i++) {
				http
					.get({host: '127.0.0.1', port: t.ports.web, path: '/', agent, headers: {host: 'shop.test'}}, (res) => {
						res.resume();
						if (res.statusCode === 200) sent[name]++;
					})
					.on('error', () => {});
			}
		};
		load = setInterval(() => {
			through(a!, 'a', 6);
			if (b!.traefik.pid !== undefined) through(b!, 'b', 3);
			through(c!, 'c', 1);
		}, 100);
		const config = resolveConfig(
			{target: [`a=${a!.apiUrl}`, `b=${b!.apiUrl}`, `c=${c!.apiUrl}`], interval: '500ms', rule: ['config_drift.graceRefreshes=2']},
			{},
			{apiInterval: 1},
			true,
		);
		poller = startPolling(config, (s) => snapshots.push(s));
	}, 90_000);

	afterAll(async () => {
		poller?.stop();
		clearInterval(load);
		agent.destroy();
		await Promise.all(traefiks.map((t) => t.stop()));
		for (const s of servers) s.server.close();
		rmSync(shared, {recursive: true, force: true});
		rmSync(stale, {recursive: true, force: true});
	});

	it('finds each instance by the port its API listens on, and sees one configuration on all three', async () => {
		// Up, and each with the file provider's routers read (an API read just before Traefik loaded the directory has Traefik's own only).
		const {snapshot} = await until((s) => s.instances!.every((i) => i.state === 'up' && i.routers === 6), 'all three up with the configuration');
		expect(snapshot.instances!.map((i) => i.identity.pid)).toEqual(traefiks.map((t) => t.pid));
		expect(new Set(snapshot.instances!.map((i) => i.fingerprint)).size).toBe(1);
		expect(snapshot.drift).toEqual([]);
		expect(snapshot.instances!.map((i) => i.identity.version)).toEqual([realTraefik()!.version, realTraefik()!.version, realTraefik()!.version]);
		// shop, blog, docs and Traefik's own api, ping and prometheus routers.
		expect(snapshot.instances!.map((i) => i.routers)).toEqual([6, 6, 6]);
		expect(schemaErrors(snapshot)).toEqual([]);
	});

	it('sums the services and splits each one as the load generator sent it through each instance', async () => {
		await sleep(3000);
		const polls = snapshots.slice(-4);
		const shares = {a: 0, b: 0, c: 0};
		for (const s of polls) {
			const web = s.services.find((r) => r.name === 'web@file')!;
			for (const name of ['a', 'b', 'c'] as const) shares[name] += web.instances!.find((i) => i.instance === name)!.share! / polls.length;
		}
		// 6 : 3 : 1. One poll's rates are counter deltas over about 500 ms: a request landing on either side of a poll moves a share by a few percent.
		expect(shares.a).toBeCloseTo(0.6, 1);
		expect(shares.b).toBeCloseTo(0.3, 1);
		expect(shares.c).toBeCloseTo(0.1, 1);
		const last = polls.at(-1)!;
		const web = last.services.find((r) => r.name === 'web@file')!;
		const split = web.instances!.reduce((n, i) => n + (i.requestsPerSecond ?? 0), 0);
		expect(web.requestsPerSecond).toBeCloseTo(split, 6);
		// Backends are per instance: the same server once for each, never summed.
		expect(last.backends.filter((b) => b.address === servers[0]!.url.slice(7)).map((b) => b.instance)).toEqual(['a', 'b', 'c']);
	});

	it('shows a change to the shared directory on a and b without drift between them, and names what the stale copy lacks', async () => {
		const polled = snapshots.length;
		writeWatched(shared, dynamic(['shop', 'blog', 'docs', 'admin'], [servers[0]!.url, servers[1]!.url]));
		// The change as Traefik applied it: a's API shows the new router.
		const [a] = traefiks;
		let applied = 0;
		for (let i = 0; i < 100 && applied === 0; i++) {
			const raw = (await (await fetch(`${a!.apiUrl}/api/rawdata`)).json()) as {routers?: Record<string, unknown>};
			if (raw.routers?.['admin@file'] !== undefined) applied = snapshots.length;
			else await sleep(100);
		}
		expect(applied).toBeGreaterThan(0);
		const {snapshot, poll} = await until((s) => s.alerts.some((al) => al.rule === 'config_drift'), 'config_drift');
		// Within the grace (2 API refreshes of 1 s, 2 polls each) and one poll more after Traefik applied it.
		const pollsAfter = poll - applied + 1;
		expect(pollsAfter).toBeLessThanOrEqual(5);
		const seconds = ((Date.parse(snapshot.takenAt) - Date.parse(snapshots[applied]!.takenAt)) / 1000).toFixed(1);
		console.log(`config_drift ${pollsAfter} polls (${seconds} s) after a applied the change; ${applied - polled} polls from the write`);
		expect(instance(snapshot, 'a').fingerprint).toBe(instance(snapshot, 'b').fingerprint);
		expect(instance(snapshot, 'c').fingerprint).not.toBe(instance(snapshot, 'a').fingerprint);
		expect(snapshot.drift!.map((d) => d.text)).toEqual(['router admin@file: missing on c', `service web@file: server ${servers[1]!.url} missing on c`]);
		expect(snapshot.drift!.every((d) => d.instances.join() === 'c')).toBe(true);
		expect(instance(snapshot, 'a').drift).toEqual([]);
		expect(instance(snapshot, 'c').drift).toHaveLength(2);
		const alert = snapshot.alerts.find((al) => al.rule === 'config_drift')!;
		expect(alert).toMatchObject({level: 'warn', subject: 'c', instance: 'c'});
		expect(alert.text).toContain('router admin@file: missing on c');
		// --check gives the worst state and names the instance.
		const check = checkResult(snapshot);
		expect(check.code).toBe(1);
		expect(check.line).toContain('config_drift c: 2 differences from the others');
		expect(schemaErrors(snapshot)).toEqual([]);
	});

	it('shows a stopped instance as instance_down while the others stay live with their rates', async () => {
		const [, b] = traefiks;
		const before = snapshots.length;
		// Its stop waits for its open connections (1 s): polls go on meanwhile.
		const stopped = b!.traefik.stop();
		const {snapshot, poll} = await until((s) => s.alerts.some((al) => al.rule === 'instance_down'), 'instance_down', 20);
		await stopped;
		const firstDown = snapshots.findIndex((s, i) => i >= before && instance(s, 'b').state === 'down');
		// It fires at the second poll that cannot reach b (polls: 2), not before and not later.
		expect(poll - firstDown).toBe(1);
		const alert = snapshot.alerts.find((al) => al.rule === 'instance_down')!;
		expect(alert).toMatchObject({level: 'crit', subject: 'b'});
		expect(alert.text).toMatch(/^cannot be reached for 2 polls \(limit 2\): http:\/\/127\.0\.0\.1:\d+\/metrics: connection refused/);
		expect(instance(snapshot, 'b').state).toBe('down');
		// One alert says it: not one per failing source as well.
		expect(snapshot.alerts.filter((al) => al.instance === 'b' && al.rule === 'source_failed')).toEqual([]);
		await sleep(1500);
		const now = snapshots.at(-1)!;
		for (const name of ['a', 'c']) expect(instance(now, name).state).toBe('up');
		// a gets 60 requests a second, c 10 (counter deltas over about 500 ms each).
		expect(instance(now, 'a').requestsPerSecond!).toBeGreaterThan(40);
		expect(instance(now, 'a').requestsPerSecond!).toBeLessThan(80);
		expect(instance(now, 'c').requestsPerSecond!).toBeGreaterThan(5);
		expect(instance(now, 'c').requestsPerSecond!).toBeLessThan(15);
		expect(checkResult(now).code).toBe(2);
		expect(checkResult(now).line).toContain('instance_down b:');
	});
});
