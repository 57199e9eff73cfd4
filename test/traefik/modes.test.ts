// Every mode of the built CLI against a real Traefik (the pinned one, test/helpers/traefik.ts) in
// front of two real backends under keep-alive load: --once, --json, --check, --snapshot, the
// screen in tmux at 80x24 and 200x50 with an export, and both ways of reading the kernel's table
// (the /proc text and a netlink query) giving the same sockets.
import {mkdtempSync, readdirSync, readFileSync, rmSync} from 'node:fs';
import http from 'node:http';
import type net from 'node:net';
import {tmpdir} from 'node:os';
import {join} from 'node:path';
import {fileURLToPath} from 'node:url';
import {execa} from 'execa';
import {afterAll, beforeAll, describe, expect, it} from 'vitest';
import {isError} from '../../source/domain/harvest.js';
import type {Snapshot} from '../../source/domain/snapshot.js';
import {ProcReader} from '../../source/collect/proc.js';
import {realTraefik} from '../helpers/demo.js';
import {schemaErrors} from '../helpers/schema.js';
import {killSession, sendKeys, sleep, startSession, waitFor, waitForStatus, withStatus} from '../helpers/tmux.js';
import {startTestTraefik, type TestTraefik} from '../helpers/traefik.js';

const ROOT = fileURLToPath(new URL('../..', import.meta.url));
const CLI = join(ROOT, 'dist', 'cli.js');

/** A backend on its own loopback address that answers every request after a few ms. */
async function backend(address: string): Promise<{server: http.Server; url: string}> {
	const server = http.createServer((_req, res) => setTimeout(() => res.end('ok\n'), 2));
	await new Promise<void>((resolve) => server.listen(0, address, resolve));
	return {server, url: `http://${address}:${(server.address() as net.AddressInfo).port}`};
}

describe.skipIf(realTraefik() === null)(`every mode against Traefik ${realTraefik()?.version ?? ''}`, () => {
	let traefik: TestTraefik;
	const backends: {server: http.Server; url: string}[] = [];
	const agent = new http.Agent({keepAlive: true, maxSockets: 4});
	let load: NodeJS.Timeout | undefined;
	const dir = mkdtempSync(join(tmpdir(), 'tt-modes-'));
	const target = () => ['--metrics-url', traefik.metricsUrl, '--api-url', traefik.apiUrl, '--pid', String(traefik.pid)];
	const cli = (args: string[]) => execa(process.execPath, [CLI, ...target(), ...args], {reject: false, timeout: 60_000});

	beforeAll(async () => {
		traefik = await startTestTraefik();
		backends.push(await backend('127.0.0.61'), await backend('127.0.0.62'));
		await traefik.configure({
			http: {
				routers: {app: {entryPoints: ['web', 'websecure'], rule: 'PathPrefix(`/`)', service: 'app'}},
				services: {app: {loadBalancer: {servers: backends.map((b) => ({url: b.url})), healthCheck: {path: '/', interval: '2s'}}}},
			},
		});
		// Keep-alive load, 20 requests a second: ESTABLISHED connections to both servers.
		load = setInterval(() => {
			const request = http.get({host: '127.0.0.1', port: traefik.ports.web, path: '/', agent}, (res) => res.resume());
			request.on('error', () => {});
		}, 50);
		await sleep(3000);
	}, 60_000);

	afterAll(async () => {
		if (load) clearInterval(load);
		agent.destroy();
		for (const s of ['tt-modes-80', 'tt-modes-200']) killSession(s);
		for (const b of backends) b.server.close();
		await traefik?.stop();
		rmSync(dir, {recursive: true, force: true});
	});

	it('--json: snapshots valid against the schema, every source live, both servers ESTABLISHED', async () => {
		const run = await cli(['--json', '--count', '4', '--interval', '1s']);
		expect(run.exitCode, run.stderr).toBe(0);
		const snapshots = run.stdout
			.trim()
			.split('\n')
			.map((l) => JSON.parse(l) as Snapshot);
		expect(snapshots).toHaveLength(4);
		for (const s of snapshots) expect(schemaErrors(s)).toEqual([]);
		const last = snapshots.at(-1)!;
		expect(last.traefik.version).toBe(realTraefik()!.version);
		expect(last.traefik.pid).toBe(traefik.pid);
		expect([last.sources.proc.ok, last.sources.metrics.ok, last.sources.api.ok]).toEqual([true, true, true]);
		const app = last.backends.filter((b) => b.services.includes('app@file'));
		expect(app.map((b) => b.address).sort()).toEqual(backends.map((b) => b.url.slice('http://'.length)).sort());
		for (const b of app) expect(b.states.ESTABLISHED).toBeGreaterThan(0);
		expect(last.services.find((r) => r.name === 'app@file')!.requestsPerSecond).toBeGreaterThan(5);
		expect(last.alerts).toEqual([]);
	});

	it('--once: the report names the version, the service and both servers', async () => {
		const run = await cli(['--once']);
		expect(run.exitCode, run.stderr).toBe(0);
		expect(run.stdout).toContain(`Traefik ${realTraefik()!.version}`);
		expect(run.stdout).toContain('app@file');
		for (const b of backends) expect(run.stdout).toContain(b.url.slice('http://'.length));
		expect(run.stdout).not.toMatch(/STALE/);
	});

	it('--check: OK and exit 0 on a healthy Traefik; --snapshot: a file valid against the schema', async () => {
		const check = await cli(['--check', '--duration', '3s']);
		expect(check.stdout, check.stderr).toMatch(/^TRAEFIK OK/);
		expect(check.exitCode).toBe(0);
		const file = join(dir, 'snapshot.json');
		const snap = await cli(['--snapshot', file, '--duration', '2s']);
		expect(snap.exitCode, snap.stderr).toBe(0);
		expect(schemaErrors(JSON.parse(readFileSync(file, 'utf8')))).toEqual([]);
	});

	it('the screen in tmux at 80x24 and 200x50, and an export from it', async () => {
		const exports = join(dir, 'exports');
		const command = `${process.execPath} ${CLI} ${target().join(' ')} --export-dir ${exports}`;
		const status = (session: string) => join(dir, `${session}.status`);
		startSession('tt-modes-80', 80, 24, withStatus(command, status('tt-modes-80')));
		startSession('tt-modes-200', 200, 50, withStatus(command, status('tt-modes-200')));
		for (const session of ['tt-modes-80', 'tt-modes-200']) {
			const screen = await waitFor(session, /app@file[\s\S]*127\.0\.0\.6[12]/, 20);
			expect(screen).toContain(`Traefik ${realTraefik()!.version}`);
			expect(screen).not.toMatch(/STALE|needs a terminal/);
		}
		sendKeys('tt-modes-200', 'e');
		await waitFor('tt-modes-200', /exported/, 10);
		const files = readdirSync(exports).filter((f) => f.endsWith('.json'));
		expect(files).toHaveLength(1);
		expect(schemaErrors(JSON.parse(readFileSync(join(exports, files[0]!), 'utf8')))).toEqual([]);
		for (const session of ['tt-modes-80', 'tt-modes-200']) {
			sendKeys(session, 'q');
			expect(await waitForStatus(status(session))).toBe(0);
		}
	});

	it("the /proc text and a netlink query (ss) give the same sockets of Traefik's backends", async () => {
		// Load off, so that the sockets hold still between the two reads.
		if (load) clearInterval(load);
		load = undefined;
		await sleep(500);
		const ports = {backends: backends.map((b) => Number(new URL(b.url).port)), entryPoints: []};
		const always = {minRows: 0, maxShare: 1, fullEvery: 30, maxTimeRatio: Number.POSITIVE_INFINITY};
		const reader = new ProcReader({procRoot: '/proc', pid: traefik.pid}, always, async (args) => (await execa('ss', [...args])).stdout);
		const full = await reader.readWithPorts(ports);
		const netlink = await reader.readWithPorts(ports);
		if (isError(full) || isError(netlink)) throw new Error('a read failed');
		expect(full.netlink).toBeUndefined();
		expect(netlink.netlink!.ports).toBeGreaterThanOrEqual(2); // the backends' ports and Traefik's listening ones
		const toBackends = (r: typeof full) =>
			[
				...r.sockets.map((s) => `${s.state} ${s.localPort}->${s.remotePort}`),
				...(r.quiet?.remotePort ?? []).map((port, i) => `ESTABLISHED ${r.quiet!.localPort[i]}->${port}`),
			]
				.filter((s) => ports.backends.some((p) => s.endsWith(`->${p}`)))
				.sort();
		expect(toBackends(full).length).toBeGreaterThan(0);
		expect(toBackends(netlink)).toEqual(toBackends(full));
	});
});
