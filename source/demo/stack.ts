/**
 * The demo stack, a process of its own: backend servers, the Traefik stand-in (a child process),
 * a load generator and the fault timeline, all on 127.0.0.1 with ports chosen by the OS.
 * It prints one JSON line saying where everything is, and stops with its parent.
 */
import {execa, type ResultPromise} from 'execa';
import http from 'node:http';
import {mkdtempSync, rmSync, writeFileSync, writeSync} from 'node:fs';
import {tmpdir} from 'node:os';
import {join} from 'node:path';
import net from 'node:net';
import {Backend} from './backends.js';
import {CYCLE_SECONDS, FAULT_NAMES, FAULTS, TIMELINE, type FaultName} from './faults.js';
import {LoadGenerator} from './load.js';
import {demoCertificate, startStandIn, startTraefik, stopChild, type DemoProxy} from './proxies.js';
import {findTraefik, type TraefikBinary} from './traefik-binary.js';
import {SERVER_ADDRESS, SERVER_NAMES, type EntryPointName, type ProxyState, type ServerName} from './topology.js';

/** What the stack prints when it is ready. */
export interface StackInfo {
	readonly pid: number;
	readonly pidFile: string;
	readonly metricsUrl: string;
	readonly apiUrl: string;
	readonly controlUrl: string;
	/** What runs: "Traefik 3.7.15 (path)" or "the stand-in (why)". */
	readonly proxy: string;
	/** Where the proxy writes its JSON access log. */
	readonly accessLog: string;
	readonly entryPoints: Readonly<Record<EntryPointName, number>>;
	readonly servers: Readonly<Record<ServerName, number>>;
}

/** Which proxy the stack runs: a Traefik binary, or the stand-in (and why). */
export type ProxyChoice = {readonly kind: 'traefik'; readonly binary: TraefikBinary} | {readonly kind: 'stand-in'; readonly why: string};

/**
 * The proxy for `demo-stack` arguments: `--traefik-bin off` asks for the stand-in, `--traefik-bin
 * PATH` names a Traefik (it must run), else the first Traefik found (see traefik-binary.ts).
 */
export function chooseProxy(args: readonly string[], env: NodeJS.ProcessEnv = process.env): ProxyChoice {
	const at = args.indexOf('--traefik-bin');
	const named = at >= 0 ? args[at + 1] : undefined;
	if (named === 'off' || (named === undefined && env['TRAEFIK_TOP_TRAEFIK_BIN'] === 'off')) return {kind: 'stand-in', why: 'asked for with --traefik-bin off'};
	const found = findTraefik(named, env);
	if (found instanceof Error) throw found;
	return found === null ? {kind: 'stand-in', why: 'no Traefik found'} : {kind: 'traefik', binary: found};
}

/** Runs the stack until its parent goes away. `auto`: faults follow the timeline; `manual`: only on request. */
export async function runStack(mode: 'auto' | 'manual', choice: ProxyChoice): Promise<void> {
	const dir = mkdtempSync(join(tmpdir(), 'traefik-top-demo-'));
	const pidFile = join(dir, 'traefik.pid');
	const backends = Object.fromEntries(SERVER_NAMES.map((n) => [n, new Backend(n)])) as Record<ServerName, Backend>;
	const servers = {} as Record<ServerName, number>;
	for (const name of SERVER_NAMES) servers[name] = await backends[name].start();
	const children = new Set<ResultPromise>();
	let stopping = false;

	let state: ProxyState = {closeFirst: [], certificate: demoCertificate(90)};
	const proxy: DemoProxy = choice.kind === 'traefik' ? await startTraefik(choice.binary, dir, servers, state) : await startStandIn(dir, servers, state);
	const proxyLabel = choice.kind === 'traefik' ? `${proxy.label} (${choice.binary.path})` : `${proxy.label} (${choice.why})`;
	const writePid = (): void => writeFileSync(pidFile, `${proxy.pid}\n`);
	writePid();
	const change = (next: Partial<ProxyState>): Promise<void> => {
		state = {...state, ...next};
		return proxy.apply(state);
	};

	const load = new LoadGenerator(proxy.entryPoints);
	load.start();

	let blackhole: ResultPromise | undefined;
	const active = new Set<FaultName>();
	const actions: Record<FaultName, [() => Promise<void> | void, () => Promise<void> | void]> = {
		slow: [() => backends['api-2'].set({slow: [0.4, 1.1]}), () => backends['api-2'].reset()],
		closeWait: [
			() => {
				backends['web-2'].set({largeAnswers: true});
				load.slowClients(true);
			},
			() => {
				load.slowClients(false);
				backends['web-2'].reset();
			},
		],
		timeWait: [
			async () => {
				await change({closeFirst: ['static@file']});
				load.boost('/static', 8);
			},
			async () => {
				await change({closeFirst: []});
				load.boost('/static', 1);
			},
		],
		unreachable: [
			async () => {
				const port = backends['auth-2'].port;
				await backends['auth-2'].stop();
				const child = execa(process.execPath, [...process.execArgv, process.argv[1]!, 'demo-blackhole', String(port), SERVER_ADDRESS['auth-2']], {
					stdin: 'ignore',
					stdout: 'pipe',
					stderr: 'inherit',
					buffer: false,
					reject: false,
				});
				children.add(child);
				void child.then(() => children.delete(child));
				await new Promise((resolve) => child.stdout.once('data', resolve));
				blackhole = child;
			},
			async () => {
				const child = blackhole;
				blackhole = undefined;
				if (child) await stopChild(child);
				await backends['auth-2'].start();
			},
		],
		refused: [() => backends['search-1'].stop(), () => backends['search-1'].start().then(() => undefined)],
		unhealthy: [() => backends['auth-1'].set({unhealthy: true}), () => backends['auth-1'].reset()],
		ejected: [() => backends['web-1'].stop(), () => backends['web-1'].start().then(() => undefined)],
		errors: [() => backends['api-1'].set({errorShare: 0.5}), () => backends['api-1'].reset()],
		certificate: [() => change({certificate: demoCertificate(10)}), () => change({certificate: demoCertificate(90)})],
		restart: [
			async () => {
				await proxy.restart();
				writePid();
			},
			() => undefined,
		],
	};
	const startFault = async (name: FaultName): Promise<void> => {
		if (active.has(name) && name !== 'restart') return;
		active.add(name);
		await actions[name][0]();
		if (name === 'restart') active.delete(name);
	};
	const stopFault = async (name: FaultName): Promise<void> => {
		if (!active.delete(name)) return;
		await actions[name][1]();
	};
	// The control API: the state, and faults on request (tests trigger them one by one).
	const control = http.createServer((req, res) => {
		const match = /^\/faults\/(\w+)\/(start|stop)$/.exec(req.url ?? '');
		if (req.method === 'POST' && match && (FAULT_NAMES as readonly string[]).includes(match[1]!)) {
			const name = match[1] as FaultName;
			(match[2] === 'start' ? startFault(name) : stopFault(name)).then(
				() => res.writeHead(200, {'content-type': 'application/json'}).end(JSON.stringify({ok: true, active: [...active], pid: proxy.pid})),
				(error: unknown) => res.writeHead(500).end(String(error)),
			);
			return;
		}
		res.writeHead(200, {'content-type': 'application/json'}).end(JSON.stringify({active: [...active], faults: FAULTS, pid: proxy.pid, mode}));
	});
	await new Promise<void>((resolve) => control.listen(0, '127.0.0.1', resolve));

	let timer: NodeJS.Timeout | undefined;
	if (mode === 'auto') {
		const started = Date.now();
		timer = setInterval(() => {
			const t = ((Date.now() - started) / 1000) % CYCLE_SECONDS;
			for (const [at, name] of TIMELINE) {
				const ends = at + FAULTS[name].seconds;
				if (t >= at && t < ends && !active.has(name) && !(name === 'restart' && t >= at + 1)) void startFault(name);
				if ((t >= ends || t < at) && active.has(name)) void stopFault(name);
			}
		}, 250);
	}

	const shutdown = async (terminalGone = false): Promise<void> => {
		if (stopping) return;
		stopping = true;
		if (timer) clearInterval(timer);
		load.stop();
		await Promise.all([proxy.stop(), ...[...children].map(stopChild)]);
		rmSync(dir, {recursive: true, force: true});
		// Its terminal closed (SIGHUP): Node's exit would try to give back a terminal that is gone,
		// and abort on it with a native dump. There is nothing left to give back.
		if (terminalGone && (process.stdin.isTTY || process.stdout.isTTY)) process.kill(process.pid, 'SIGKILL');
		process.exit(0);
	};
	process.on('SIGTERM', () => void shutdown());
	process.on('SIGINT', () => void shutdown());
	process.on('SIGHUP', () => void shutdown(true));
	// The monitor holds our stdin: when it goes, whatever way it ended, so do we.
	// A terminal's stdin that ends is a terminal that is gone.
	process.stdin.on('end', () => void shutdown(process.stdin.isTTY === true));
	process.stdin.on('error', () => void shutdown(true));
	process.stdin.resume();

	const info: StackInfo = {
		pid: proxy.pid,
		pidFile,
		proxy: proxyLabel,
		accessLog: choice.kind === 'traefik' ? join(dir, 'traefik', 'access.log') : join(dir, 'access.log'),
		metricsUrl: `http://127.0.0.1:${proxy.entryPoints.traefik}/metrics`,
		apiUrl: `http://127.0.0.1:${proxy.entryPoints.traefik}`,
		controlUrl: `http://127.0.0.1:${(control.address() as net.AddressInfo).port}`,
		entryPoints: proxy.entryPoints,
		servers,
	};
	process.stdout.write(`${JSON.stringify(info)}\n`);
}

/**
 * The listener that never accepts (the unreachable fault): backlog 1, its accept queue filled by
 * two connections of its own, then the event loop blocked, so every SYN from the proxy is dropped.
 */
export function runBlackhole(port: number, host = '127.0.0.1'): void {
	const server = net.createServer();
	server.listen({host, port, backlog: 1}, () => {
		// connect() is issued at once; the kernel completes both handshakes while we are blocked.
		const own = [net.connect(port, host), net.connect(port, host)];
		writeSync(1, 'ready\n'); // synchronous: the loop must not run again (it would accept)
		// Blocked (bounded, 10 minutes): libuv never calls accept(); SYNs past the queue are dropped.
		Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, 600_000);
		void own;
		process.exit(0);
	});
}
