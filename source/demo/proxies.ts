/**
 * The proxy the demo stack runs: a real Traefik when one is found, configured through a watched
 * file-provider directory, or the stand-in (a child process of this program) otherwise. Both take
 * the same topology and the same changes of state; the stack does not know which one runs.
 */
import type {ChildProcess} from 'node:child_process';
import {join} from 'node:path';
import http from 'node:http';
import {execaNode, type ResultPromise} from 'execa';
import {selfSignedCertificate} from './certificate.js';
import type {ProxyCommand} from './proxy.js';
import {freePort, Traefik} from './traefik.js';
import type {TraefikBinary} from './traefik-binary.js';
import {CLOSE_FIRST_TRANSPORT, dynamicConfig, type EntryPointName, type Ports, type ProxyState, type ServerName} from './topology.js';

export interface DemoProxy {
	/** What runs, for the header: "Traefik 3.7.15" or "the stand-in". */
	readonly label: string;
	readonly pid: number;
	readonly entryPoints: Readonly<Record<EntryPointName, number>>;
	/** Applies a state (the certificate, the services whose connections it closes first). */
	apply(state: ProxyState): Promise<void>;
	/** A restart: a new PID, counters from zero. */
	restart(): Promise<void>;
	stop(): Promise<void>;
}

/** A certificate for the demo's host names, expiring in `days`. */
export function demoCertificate(days: number): ProxyState['certificate'] {
	return selfSignedCertificate(['demo.localhost', 'www.demo.localhost'], new Date(Date.now() + days * 86400_000));
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

/** The stand-in: `demo-proxy`, a child of this program, told its state over IPC. */
export async function startStandIn(dir: string, servers: Readonly<Record<ServerName, number>>, state: ProxyState): Promise<DemoProxy> {
	let ports: Ports = {entryPoints: {web: 0, internal: 0, traefik: 0}, servers};
	let child: ResultPromise;
	let current = state;
	const send = (command: ProxyCommand): void => {
		if (child.connected) child.send(command);
	};
	const spawnProxy = (): Promise<void> =>
		new Promise((resolve, reject) => {
			const next = execaNode(process.argv[1]!, ['demo-proxy', JSON.stringify(ports), join(dir, 'access.log')], {
				stdin: 'ignore',
				stdout: 'ignore',
				stderr: 'inherit',
				ipc: true,
				serialization: 'json',
				reject: false,
			});
			void next.then((result) => reject(new Error(`the stand-in exited (${result.exitCode ?? result.signal}) before it was ready`)));
			next.once('message', (message: {type: string; ports: Ports}) => {
				ports = message.ports;
				child = next;
				send({type: 'state', state: current});
				resolve();
			});
		});
	await spawnProxy();
	return {
		label: 'the stand-in',
		get pid() {
			return child.pid!;
		},
		get entryPoints() {
			return ports.entryPoints;
		},
		async apply(next) {
			current = next;
			send({type: 'state', state: next});
		},
		async restart() {
			await stopChild(child);
			await spawnProxy();
		},
		stop: () => stopChild(child),
	};
}

/** A real Traefik in `dir`, on ports it is given, configured by a file it watches. */
export async function startTraefik(binary: TraefikBinary, dir: string, servers: Readonly<Record<ServerName, number>>, state: ProxyState): Promise<DemoProxy> {
	const entryPoints = {web: await freePort(), internal: await freePort(), traefik: await freePort()};
	const ports: Ports = {entryPoints, servers};
	const traefik = new Traefik({
		binary: binary.path,
		dir: join(dir, 'traefik'),
		entryPoints: {web: {port: entryPoints.web}, internal: {port: entryPoints.internal}, traefik: {port: entryPoints.traefik}},
		// The slow clients' downloads would hold every stop and restart for Traefik's default 10 s.
		graceTimeOut: '1s',
	});
	traefik.writeDynamic('demo', dynamicConfig(ports, state));
	await traefik.start();
	await waitForConfig(traefik.apiUrl, state);
	return {
		label: `Traefik ${binary.version}`,
		get pid() {
			return traefik.pid!;
		},
		entryPoints,
		async apply(next) {
			traefik.writeDynamic('demo', dynamicConfig(ports, next));
			await waitForConfig(traefik.apiUrl, next);
		},
		async restart() {
			await traefik.restart();
			await waitForConfig(traefik.apiUrl, state);
		},
		stop: () => traefik.stop(),
	};
}

/**
 * Until Traefik's API shows `state` applied (the file provider reloads within a second or so),
 * for at most 10 s: a fault starts when Traefik has taken it, not when the file was written.
 */
async function waitForConfig(apiUrl: string, state: ProxyState): Promise<void> {
	const deadline = Date.now() + 10_000;
	while (Date.now() < deadline) {
		const raw = (await getJson(`${apiUrl}/api/rawdata`)) as {services?: Record<string, {loadBalancer?: {serversTransport?: string}}>} | null;
		const services = raw?.services ?? {};
		const applied =
			Object.keys(services).some((name) => name.endsWith('@file')) &&
			Object.entries(services).every(([name, s]) => {
				if (!name.endsWith('@file') || s.loadBalancer === undefined) return true;
				const closing = s.loadBalancer.serversTransport?.startsWith(CLOSE_FIRST_TRANSPORT) === true;
				return closing === state.closeFirst.includes(name);
			});
		if (applied) return;
		await new Promise((resolve) => setTimeout(resolve, 100));
	}
}

function getJson(url: string): Promise<unknown> {
	return new Promise((resolve) => {
		const request = http.get(url, {timeout: 2000, agent: false}, (response) => {
			let text = '';
			response.setEncoding('utf8');
			response.on('data', (chunk: string) => (text += chunk));
			response.on('end', () => {
				try {
					resolve(JSON.parse(text));
				} catch {
					resolve(null);
				}
			});
		});
		request.on('timeout', () => request.destroy());
		request.on('error', () => resolve(null));
	});
}
