// A real Traefik in a network namespace of its own, as in a container: it and its backend see only
// the namespace's loopback and one end of a veth pair; traefik-top runs outside, reaches the API
// and /metrics over the veth, and reads the namespace's TCP table through /proc/<pid>/net. The
// namespace, the link and every process are the test's own, removed when it ends. Needs root.
import {readFileSync} from 'node:fs';
import http from 'node:http';
import {fileURLToPath} from 'node:url';
import {execa, execaSync, type ResultPromise} from 'execa';
import {afterAll, beforeAll, describe, expect, it} from 'vitest';
import type {Snapshot} from '../../source/domain/snapshot.js';
import {realTraefik} from '../helpers/demo.js';
import {schemaErrors} from '../helpers/schema.js';
import {sleep} from '../helpers/tmux.js';
import {startTestTraefik, type TestTraefik} from '../helpers/traefik.js';

const CLI = fileURLToPath(new URL('../../dist/cli.js', import.meta.url));
const root = process.getuid?.() === 0;
const ip = (...args: string[]) => execaSync('ip', args);

describe.skipIf(realTraefik() === null || !root)('Traefik in a network namespace of its own (read through /proc/<pid>/net)', () => {
	const tag = String(process.pid % 10_000);
	const ns = `tt-ns-${tag}`;
	const hostSide = `tth${tag}`;
	const nsSide = `ttn${tag}`;
	const subnet = `10.233.${process.pid % 250}`;
	let traefik: TestTraefik | undefined;
	let backend: ResultPromise | undefined;
	let backendPort = 0;
	const agent = new http.Agent({keepAlive: true, maxSockets: 2});
	let load: NodeJS.Timeout | undefined;

	beforeAll(async () => {
		ip('netns', 'add', ns);
		ip('link', 'add', hostSide, 'type', 'veth', 'peer', 'name', nsSide);
		ip('link', 'set', nsSide, 'netns', ns);
		ip('addr', 'add', `${subnet}.1/30`, 'dev', hostSide);
		ip('link', 'set', hostSide, 'up');
		ip('netns', 'exec', ns, 'ip', 'addr', 'add', `${subnet}.2/30`, 'dev', nsSide);
		ip('netns', 'exec', ns, 'ip', 'link', 'set', nsSide, 'up');
		ip('netns', 'exec', ns, 'ip', 'link', 'set', 'lo', 'up');
		// The backend, on the namespace's own loopback: the host cannot reach it, Traefik can.
		backend = execa('ip', ['netns', 'exec', ns, process.execPath, '-e', BACKEND], {stdout: 'pipe', stderr: 'inherit', reject: false, buffer: false});
		backendPort = Number(await new Promise<string>((resolve) => backend!.stdout!.once('data', (d: Buffer) => resolve(d.toString()))));
		traefik = await startTestTraefik({address: `${subnet}.2`, wrap: ['ip', 'netns', 'exec', ns]});
		await traefik.configure({
			http: {
				routers: {app: {entryPoints: ['web'], rule: 'PathPrefix(`/`)', service: 'app'}},
				services: {app: {loadBalancer: {servers: [{url: `http://127.0.0.1:${backendPort}`}]}}},
			},
		});
		load = setInterval(() => {
			const request = http.get({host: `${subnet}.2`, port: traefik!.ports.web, path: '/', agent}, (res) => res.resume());
			request.on('error', () => {});
		}, 100);
		await sleep(2000);
	}, 60_000);

	afterAll(async () => {
		if (load) clearInterval(load);
		agent.destroy();
		await traefik?.stop();
		backend?.kill('SIGKILL');
		await backend;
		for (const args of [
			['link', 'del', hostSide],
			['netns', 'del', ns],
		]) {
			try {
				ip(...args);
			} catch {
				// already gone with the namespace
			}
		}
	});

	it("sees the backend connections in the namespace's table, not in the host's", async () => {
		const run = await execa(
			process.execPath,
			[CLI, '--json', '--count', '3', '--pid', String(traefik!.pid), '--metrics-url', traefik!.metricsUrl, '--api-url', traefik!.apiUrl],
			{reject: false, timeout: 60_000},
		);
		expect(run.exitCode, run.stderr).toBe(0);
		const last = JSON.parse(run.stdout.trim().split('\n').at(-1)!) as Snapshot;
		expect(schemaErrors(last)).toEqual([]);
		expect([last.sources.proc.ok, last.sources.metrics.ok, last.sources.api.ok]).toEqual([true, true, true]);
		const row = last.backends.find((b) => b.address === `127.0.0.1:${backendPort}`);
		expect(row, JSON.stringify(last.backends)).toBeDefined();
		expect(row!.states.ESTABLISHED).toBeGreaterThan(0);
		// The host's own table has no such connection: the figures came from the namespace's.
		const hex = backendPort.toString(16).toUpperCase().padStart(4, '0');
		const host = readFileSync('/proc/net/tcp', 'utf8')
			.split('\n')
			.filter((l) => l.includes(`0100007F:${hex} 01`));
		expect(host).toEqual([]);
		expect(JSON.stringify(last.sources.proc.notes ?? [])).not.toMatch(/netlink/);
	});
});

const BACKEND = `
const s = require('node:http').createServer((q, r) => r.end('ok\\n'));
s.listen(0, '127.0.0.1', () => process.stdout.write(String(s.address().port)));
`;
