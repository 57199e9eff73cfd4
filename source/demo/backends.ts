/** The demo's backend servers: real HTTP servers on loopback addresses of their own, each with switchable misbehaviour. */
import http from 'node:http';
import type net from 'node:net';
import {SERVER_ADDRESS, type ServerName} from './topology.js';

/** How a backend behaves right now. */
export interface Behaviour {
	/** Added latency in seconds, drawn per request from this range. */
	slow: readonly [number, number] | null;
	/** Share of requests answered 500. */
	errorShare: number;
	/** Idle keep-alive connections are closed after this many ms (Node's default is 5 s). */
	keepAliveMs: number;
	/**
	 * `/download/…` is answered with a large file and the connection closed after it: behind a
	 * client that reads slowly, the proxy's socket holds the end of the file and this server's
	 * FIN, unread: CLOSE_WAIT on the proxy's side for as long as the client takes.
	 */
	largeAnswers: boolean;
	/** `/health` answers 503 (the application says it is unwell; its other answers go on). */
	unhealthy: boolean;
}

const NORMAL: Behaviour = {slow: null, errorShare: 0, keepAliveMs: 30_000, largeAnswers: false, unhealthy: false};

/** The large answer: more than the client's side of the path holds (its receive buffer and the proxy's send buffer). */
export const LARGE_ANSWER_BYTES = 5 * 1024 * 1024;
let largeAnswer: Buffer | null = null;

/** One backend: its server, its sockets, and its behaviour. */
export class Backend {
	behaviour: Behaviour = {...NORMAL};
	/** Errors owed: the share is served exactly (the first request after the switch fails), not drawn. */
	private errorCredit = 0;
	private server: http.Server | null = null;
	private readonly sockets = new Set<net.Socket>();
	port = 0;

	constructor(readonly name: ServerName) {}

	/** Listens (on `port`, or any port the first time). */
	async start(port = this.port): Promise<number> {
		const server = http.createServer((req, res) => this.handle(req, res));
		server.keepAliveTimeout = this.behaviour.keepAliveMs;
		server.on('connection', (socket) => {
			this.sockets.add(socket);
			socket.once('close', () => this.sockets.delete(socket));
		});
		await new Promise<void>((resolve, reject) => {
			server.once('error', reject);
			server.listen(port, SERVER_ADDRESS[this.name], resolve);
		});
		this.server = server;
		this.port = (server.address() as net.AddressInfo).port;
		return this.port;
	}

	/** Stops listening and drops every connection (the refused and unreachable faults). */
	async stop(): Promise<void> {
		const server = this.server;
		this.server = null;
		if (server === null) return;
		for (const s of this.sockets) s.destroy();
		await new Promise((resolve) => server.close(resolve));
	}

	get listening(): boolean {
		return this.server !== null;
	}

	/** Changes the behaviour (keep-alive applies to connections from now on). */
	set(change: Partial<Behaviour>): void {
		this.behaviour = {...this.behaviour, ...change};
		if (change.errorShare !== undefined) this.errorCredit = change.errorShare > 0 ? 1 - change.errorShare : 0;
		if (this.server) this.server.keepAliveTimeout = this.behaviour.keepAliveMs;
	}

	reset(): void {
		this.set(NORMAL);
	}

	private handle(req: http.IncomingMessage, res: http.ServerResponse): void {
		req.resume();
		if (req.url === '/health') {
			if (this.behaviour.unhealthy) res.writeHead(503, {'content-type': 'text/plain'}).end('unwell');
			else res.writeHead(200, {'content-type': 'text/plain'}).end('ok');
			return;
		}
		if (req.url?.startsWith('/download/') && this.behaviour.largeAnswers) {
			largeAnswer ??= Buffer.alloc(LARGE_ANSWER_BYTES, 'x');
			res.writeHead(200, {'content-type': 'application/octet-stream', 'content-length': largeAnswer.length, connection: 'close'}).end(largeAnswer);
			return;
		}
		const {slow, errorShare} = this.behaviour;
		// A realistic spread: most answers in a few ms, a tail up to ~150 ms.
		const base = Math.random() < 0.9 ? Math.random() * 0.02 : 0.02 + Math.random() * 0.13;
		const delay = slow ? slow[0] + Math.random() * (slow[1] - slow[0]) : base;
		// Counted, not drawn: a fault must show within the polls the tests allow, whatever the dice say.
		let fail = false;
		if (errorShare > 0) {
			this.errorCredit += errorShare;
			fail = this.errorCredit >= 1;
			if (fail) this.errorCredit -= 1;
		}
		setTimeout(() => {
			if (fail) {
				res.writeHead(500, {'content-type': 'application/json'}).end('{"error":"internal"}');
				return;
			}
			const body = JSON.stringify({server: this.name, path: req.url, at: Date.now(), pad: 'x'.repeat(200 + Math.floor(Math.random() * 800))});
			res.writeHead(200, {'content-type': 'application/json'}).end(body);
		}, delay * 1000);
	}
}
