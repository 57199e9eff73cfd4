// `npm run fleet`: an HA group of three real Traefik instances on loopback, watched in one
// screen. a and b read one shared file-provider directory (watch: true); c reads its own copy,
// which misses the change written to the shared directory 20 s after the start: config drift
// (a router and a server that c lacks). A load generator sends 6 : 3 : 1 requests through a, b
// and c. `npm run fleet -- --stack` starts the group alone and prints its --target flags (for
// the screenshots); otherwise the built CLI runs in this terminal with them, and the group
// stops when it exits. Every Traefik is stopped by its PID.
import {execa} from 'execa';
import {mkdirSync, mkdtempSync, renameSync, rmSync, writeFileSync} from 'node:fs';
import http from 'node:http';
import type net from 'node:net';
import {tmpdir} from 'node:os';
import {join} from 'node:path';
import {freePort, Traefik} from '../source/demo/traefik.js';
import {ensureTraefik} from './traefik.mjs';

const found = ensureTraefik() as {path: string} | {missing: string};
if ('missing' in found) {
	process.stderr.write(`${found.missing}: the fleet needs the real Traefik\n`);
	process.exit(1);
}
const work = mkdtempSync(join(tmpdir(), 'traefik-top-fleet-'));
const shared = join(work, 'shared');
const stale = join(work, 'stale-copy');

const servers: http.Server[] = [];
async function backend(): Promise<string> {
	const server = http.createServer((_req, res) => setTimeout(() => res.end('ok\n'), Math.random() * 30));
	// Idle connections stay open for Traefik's pool (Node closes them after 5 s by default).
	server.keepAliveTimeout = 120_000;
	await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
	servers.push(server);
	return `http://127.0.0.1:${(server.address() as net.AddressInfo).port}`;
}

function dynamic(routers: readonly string[], urls: readonly string[]): unknown {
	return {
		http: {
			routers: Object.fromEntries(routers.map((r) => [r, {rule: `Host(\`${r}.localhost\`)`, service: 'shop', entryPoints: ['web']}])),
			services: {shop: {loadBalancer: {servers: urls.map((url) => ({url}))}}},
		},
	};
}

function write(dir: string, config: unknown): void {
	const temporary = join(work, '.app.yaml.tmp');
	writeFileSync(temporary, JSON.stringify(config, null, 2));
	renameSync(temporary, join(dir, 'app.yaml'));
}

const urls = [await backend(), await backend(), await backend()];
const traefiks: Traefik[] = [];
const stopAll = async (): Promise<void> => {
	await Promise.all(traefiks.map((t) => t.stop()));
	for (const s of servers) s.close();
	rmSync(work, {recursive: true, force: true});
};
try {
	for (const dir of [shared, stale]) {
		mkdirSync(dir, {recursive: true});
		write(dir, dynamic(['shop', 'blog', 'docs'], urls.slice(0, 2)));
	}
	for (const [name, dir] of [
		['a', shared],
		['b', shared],
		['c', stale],
	] as const) {
		const home = join(work, name);
		const ports = {web: await freePort(), traefik: await freePort()};
		const traefik = new Traefik({
			binary: found.path,
			dir: home,
			graceTimeOut: '1s',
			entryPoints: {web: {port: ports.web}, traefik: {port: ports.traefik}},
			extra: {providers: {file: {directory: dir, watch: true}}},
		});
		await traefik.start();
		traefiks.push(traefik);
	}
} catch (error) {
	await stopAll();
	throw error;
}
const agent = new http.Agent({keepAlive: true, maxSockets: 16});
const load = setInterval(() => {
	traefiks.forEach((t, i) => {
		if (t.pid === undefined) return;
		for (let k = 0; k < [6, 3, 1][i]!; k++) {
			const port = t.options.entryPoints['web']!.port;
			http.get({host: '127.0.0.1', port, path: '/', agent, headers: {host: 'shop.localhost'}}, (res) => res.resume()).on('error', () => {});
		}
	});
}, 100);
const change = setTimeout(() => write(shared, dynamic(['shop', 'blog', 'docs', 'admin'], urls)), 20_000);
const targets = traefiks.flatMap((t, i) => ['--target', `${'abc'[i]}=${t.apiUrl}`]);
const end = async (): Promise<void> => {
	clearInterval(load);
	clearTimeout(change);
	agent.destroy();
	await stopAll();
};
if (process.argv.includes('--stack')) {
	process.stdout.write(`${JSON.stringify({targets})}\n`);
	for (const signal of ['SIGTERM', 'SIGINT', 'SIGHUP'] as const) process.once(signal, () => void end().then(() => process.exit(0)));
	process.stdin.resume();
	process.stdin.once('end', () => void end().then(() => process.exit(0)));
} else {
	// Not spawnSync: the load and the change run in this process meanwhile.
	const screen = execa(process.execPath, ['dist/cli.js', ...targets, ...process.argv.slice(2)], {
		stdio: 'inherit',
		reject: false,
		cleanup: true,
		forceKillAfterDelay: 2000,
	});
	const code = await new Promise<number>((resolve) => screen.once('exit', (status: number | null) => resolve(status ?? 0)));
	await end();
	process.exit(code);
}
