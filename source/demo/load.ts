/** The demo's load generator: a steady, bounded mix of paths and methods on both entry points. */
import http from 'node:http';
import net from 'node:net';
import type {EntryPointName} from './topology.js';

interface Route {
	readonly entryPoint: EntryPointName;
	readonly method: string;
	readonly path: () => string;
	/** Requests per second. */
	readonly rate: number;
}

const id = (): number => 1 + Math.floor(Math.random() * 5000);

const ROUTES: readonly Route[] = [
	{entryPoint: 'web', method: 'GET', path: () => '/', rate: 3},
	{entryPoint: 'web', method: 'GET', path: () => `/products/${id()}`, rate: 4},
	{entryPoint: 'web', method: 'POST', path: () => '/cart', rate: 1.5},
	{entryPoint: 'web', method: 'GET', path: () => `/static/app.${id() % 7}.js`, rate: 2},
	{entryPoint: 'web', method: 'GET', path: () => `/search?q=item${id()}`, rate: 2},
	{entryPoint: 'web', method: 'GET', path: () => `/api/users/${id()}`, rate: 4},
	{entryPoint: 'web', method: 'POST', path: () => '/api/orders', rate: 1.5},
	{entryPoint: 'web', method: 'DELETE', path: () => `/api/sessions/${id()}`, rate: 0.5},
	{entryPoint: 'web', method: 'GET', path: () => '/auth/verify', rate: 2},
	{entryPoint: 'web', method: 'POST', path: () => '/auth/login', rate: 0.5},
	{entryPoint: 'internal', method: 'GET', path: () => '/api/reports/daily', rate: 1.5},
	{entryPoint: 'internal', method: 'GET', path: () => '/auth/verify', rate: 1},
];

/** Slow downloads: one started every this many ms, each read nothing of for STALL_MS, then read to its end. */
const SLOW_EVERY_MS = 1000;
const STALL_MS = 75_000;
const MAX_SLOW = 60;

/** At most this many requests in flight: a stuck backend must not make the generator grow. */
const MAX_IN_FLIGHT = 200;
const TICK_MS = 50;

/** Sends the mix through keep-alive clients, like browsers and services would. */
export class LoadGenerator {
	private readonly agents: Record<string, http.Agent> = {};
	private readonly credit = new Map<Route, number>();
	private readonly boosts = new Map<string, number>();
	private timer: NodeJS.Timeout | undefined;
	private slowTimer: NodeJS.Timeout | undefined;
	private readonly slow = new Set<net.Socket>();
	private inFlight = 0;
	sent = 0;

	constructor(private readonly ports: Readonly<Record<EntryPointName, number>>) {
		for (const name of Object.keys(ports)) this.agents[name] = new http.Agent({keepAlive: true, maxSockets: 64});
	}

	/** Multiplies the rate of the routes under a path prefix (the TIME_WAIT storm's extra load). */
	boost(prefix: string, factor: number): void {
		this.boosts.set(prefix, factor);
	}

	start(): void {
		this.timer = setInterval(() => this.tick(), TICK_MS);
	}

	stop(): void {
		if (this.timer) clearInterval(this.timer);
		this.slowClients(false);
		for (const agent of Object.values(this.agents)) agent.destroy();
	}

	/**
	 * Clients on a slow link downloading from `/download/` on `web`: each reads nothing for
	 * 75 s, then reads the rest and hangs up. Off: no new ones, and the ones under way hang up now.
	 */
	slowClients(on: boolean): void {
		if (this.slowTimer) clearInterval(this.slowTimer);
		this.slowTimer = undefined;
		if (!on) {
			for (const socket of this.slow) socket.destroy();
			this.slow.clear();
			return;
		}
		this.slowTimer = setInterval(() => {
			if (this.slow.size >= MAX_SLOW) return;
			const socket = net.connect(this.ports.web, '127.0.0.1', () => socket.write(`GET /download/${id()}.iso HTTP/1.1\r\nHost: demo.localhost\r\n\r\n`));
			this.slow.add(socket);
			socket.pause();
			const resume = setTimeout(() => {
				socket.on('data', () => {}); // read now, and thrown away
				socket.resume();
				socket.setTimeout(10_000, () => socket.destroy());
			}, STALL_MS);
			socket.on('end', () => socket.destroy());
			socket.once('close', () => {
				clearTimeout(resume);
				this.slow.delete(socket);
			});
			socket.on('error', () => socket.destroy());
		}, SLOW_EVERY_MS);
	}

	private tick(): void {
		for (const route of ROUTES) {
			const sample = route.path();
			const factor = [...this.boosts].find(([prefix]) => sample.startsWith(prefix))?.[1] ?? 1;
			let credit = (this.credit.get(route) ?? Math.random()) + (route.rate * factor * TICK_MS) / 1000;
			while (credit >= 1) {
				credit -= 1;
				this.send(route);
			}
			this.credit.set(route, credit);
		}
	}

	private send(route: Route): void {
		if (this.inFlight >= MAX_IN_FLIGHT) return;
		this.inFlight++;
		this.sent++;
		let done = false;
		const finish = (): void => {
			if (!done) this.inFlight--;
			done = true;
		};
		const body = route.method === 'POST' ? JSON.stringify({item: id(), quantity: 1 + (id() % 3)}) : undefined;
		const request = http.request(
			{
				host: '127.0.0.1',
				port: this.ports[route.entryPoint],
				method: route.method,
				path: route.path(),
				agent: this.agents[route.entryPoint],
				timeout: 10_000,
				headers: body ? {'content-type': 'application/json', 'content-length': Buffer.byteLength(body)} : {},
			},
			(res) => {
				res.resume();
				res.on('end', finish);
				res.on('error', finish);
			},
		);
		request.on('timeout', () => request.destroy());
		request.on('error', finish);
		request.end(body);
	}
}
