/**
 * The demo stack, a process of its own: backend servers, the Traefik stand-in (a child process),
 * a load generator and the fault timeline, all on 127.0.0.1 with ports chosen by the OS.
 * It prints one JSON line saying where everything is, and stops with its parent.
 */
import {fork, spawn, type ChildProcess} from 'node:child_process';
import http from 'node:http';
import {mkdtempSync, rmSync, writeFileSync, writeSync} from 'node:fs';
import {tmpdir} from 'node:os';
import {join} from 'node:path';
import net from 'node:net';
import {Backend} from './backends.js';
import {CYCLE_SECONDS, FAULT_NAMES, FAULTS, TIMELINE, type FaultName} from './faults.js';
import {LoadGenerator} from './load.js';
import type {ProxyCommand} from './proxy.js';
import {SERVER_ADDRESS, SERVER_NAMES, type EntryPointName, type Ports, type ServerName} from './topology.js';

/** What the stack prints when it is ready. */
export interface StackInfo {
	readonly pid: number;
	readonly pidFile: string;
	readonly metricsUrl: string;
	readonly apiUrl: string;
	readonly controlUrl: string;
	readonly entryPoints: Readonly<Record<EntryPointName, number>>;
	readonly servers: Readonly<Record<ServerName, number>>;
}

/** The command line that runs this program again with another subcommand (works from source and bundle). */
function selfCommand(): {script: string; execArgv: string[]} {
	return {script: process.argv[1]!, execArgv: process.execArgv};
}

/** Runs the stack until its parent goes away. `auto`: faults follow the timeline; `manual`: only on request. */
export async function runStack(mode: 'auto' | 'manual'): Promise<void> {
	const dir = mkdtempSync(join(tmpdir(), 'traefik-top-demo-'));
	const pidFile = join(dir, 'traefik.pid');
	const backends = Object.fromEntries(SERVER_NAMES.map((n) => [n, new Backend(n)])) as Record<ServerName, Backend>;
	const servers = {} as Record<ServerName, number>;
	for (const name of SERVER_NAMES) servers[name] = await backends[name].start();
	const self = selfCommand();
	const children = new Set<ChildProcess>();
	let stopping = false;

	let proxy: ChildProcess;
	let ports: Ports = {entryPoints: {web: 0, internal: 0, traefik: 0}, servers};
	const startProxy = (): Promise<void> =>
		new Promise((resolve, reject) => {
			const child = fork(self.script, ['demo-proxy', JSON.stringify(ports)], {execArgv: self.execArgv, stdio: ['ignore', 'ignore', 'inherit', 'ipc']});
			children.add(child);
			child.once('exit', () => children.delete(child));
			child.once('error', reject);
			child.once('message', (message: {type: string; ports: Ports}) => {
				ports = message.ports;
				proxy = child;
				writeFileSync(pidFile, `${child.pid}\n`);
				resolve();
			});
		});
	await startProxy();
	const send = (command: ProxyCommand): void => {
		if (proxy.connected) proxy.send(command);
	};

	const load = new LoadGenerator(ports.entryPoints);
	load.start();

	let blackhole: ChildProcess | undefined;
	const active = new Set<FaultName>();
	const actions: Record<FaultName, [() => Promise<void> | void, () => Promise<void> | void]> = {
		slow: [() => backends['api-2'].set({slow: [0.4, 1.1]}), () => backends['api-2'].reset()],
		closeWait: [
			() => {
				backends['web-2'].set({keepAliveMs: 2000});
				send({type: 'leak', server: 'web-2', on: true});
			},
			() => {
				send({type: 'leak', server: 'web-2', on: false});
				backends['web-2'].reset();
			},
		],
		timeWait: [
			() => {
				send({type: 'closeFirst', service: 'static@demo', on: true});
				load.boost('/static', 8);
			},
			() => {
				send({type: 'closeFirst', service: 'static@demo', on: false});
				load.boost('/static', 1);
			},
		],
		unreachable: [
			async () => {
				const port = backends['auth-2'].port;
				await backends['auth-2'].stop();
				const child = spawn(process.execPath, [...self.execArgv, self.script, 'demo-blackhole', String(port), SERVER_ADDRESS['auth-2']], {
					stdio: ['ignore', 'pipe', 'inherit'],
				});
				children.add(child);
				child.once('exit', () => children.delete(child));
				await new Promise((resolve) => child.stdout!.once('data', resolve));
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
		errors: [() => backends['api-1'].set({errorShare: 0.5}), () => backends['api-1'].reset()],
		certificate: [() => send({type: 'certificate', expiresInDays: 10}), () => send({type: 'certificate', expiresInDays: 90})],
		restart: [
			async () => {
				const old = proxy;
				await stopChild(old);
				await startProxy();
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
		await Promise.all([...children].map(stopChild));
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
		pid: proxy!.pid!,
		pidFile,
		metricsUrl: `http://127.0.0.1:${ports.entryPoints.traefik}/metrics`,
		apiUrl: `http://127.0.0.1:${ports.entryPoints.traefik}`,
		controlUrl: `http://127.0.0.1:${(control.address() as net.AddressInfo).port}`,
		entryPoints: ports.entryPoints,
		servers,
	};
	process.stdout.write(`${JSON.stringify(info)}\n`);
}

/** Ends a child and waits for it (SIGKILL after 2 s). */
export function stopChild(child: ChildProcess): Promise<void> {
	if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve();
	return new Promise((resolve) => {
		const force = setTimeout(() => child.kill('SIGKILL'), 2000);
		child.once('exit', () => {
			clearTimeout(force);
			resolve();
		});
		child.kill('SIGTERM');
	});
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
