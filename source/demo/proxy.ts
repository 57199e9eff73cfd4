/**
 * The demo's Traefik stand-in, a process of its own: a real HTTP reverse proxy (two entry points,
 * keep-alive pools per backend server, a weighted service, health checks) that serves Traefik v3
 * /metrics and /api on its `traefik` entry point. Faults arrive from the stack over IPC.
 */
import http from 'node:http';
import net from 'node:net';
import {X509Certificate} from 'node:crypto';
import {createWriteStream, readdirSync, readFileSync} from 'node:fs';
import {Registry} from './exposition.js';
import {
	entryPointsList,
	ENTRY_POINTS,
	overview,
	PASSIVE_HEALTH_CHECK,
	rawdata,
	route,
	routersList,
	serverUrl,
	SERVICES,
	servicesList,
	SERVER_ADDRESS,
	type EntryPointName,
	type Ports,
	type ProxyState,
	type ServerName,
} from './topology.js';

/** Messages from the stack: the state Traefik would read from its file provider. */
export type ProxyCommand = {type: 'state'; state: ProxyState};

const HELP = {
	epReq: 'How many HTTP requests processed on an entrypoint, partitioned by status code, protocol, and method.',
	epDur: 'How long it took to process the request on an entrypoint, partitioned by status code, protocol, and method.',
	epIn: 'The total size of requests in bytes handled by an entrypoint, partitioned by status code, protocol, and method.',
	epOut: 'The total size of responses in bytes handled by an entrypoint, partitioned by status code, protocol, and method.',
	rtReq: 'How many HTTP requests are processed on a router, partitioned by service, status code, protocol, and method.',
	rtDur: 'How long it took to process the request on a router, partitioned by service, status code, protocol, and method.',
	rtIn: 'The total size of requests in bytes handled by a router, partitioned by service, status code, protocol, and method.',
	rtOut: 'The total size of responses in bytes handled by a router, partitioned by service, status code, protocol, and method.',
	svReq: 'How many HTTP requests processed on a service, partitioned by status code, protocol, and method.',
	svDur: 'How long it took to process the request on a service, partitioned by status code, protocol, and method.',
	svIn: 'The total size of requests in bytes handled by a service, partitioned by status code, protocol, and method.',
	svOut: 'The total size of responses in bytes handled by a service, partitioned by status code, protocol, and method.',
	retries: 'How many request retries happened on a service.',
	up: 'service server is up, described by gauge value of 0 or 1.',
	open: 'How many open connections exist, by entryPoint and protocol',
	reloads: 'Config reloads',
	lastReload: 'Last config reload success',
	cert: 'Certificate expiration timestamp',
} as const;

const METHODS = new Set(['GET', 'HEAD', 'POST', 'PUT', 'DELETE', 'CONNECT', 'OPTIONS', 'TRACE', 'PATCH']);

/** Starts the proxy on `ports` (0 = any) and reports the ports it got over IPC. */
export async function runProxy(requested: Ports, accessLogFile?: string): Promise<void> {
	process.title = 'traefik-demo';
	const accessLog = accessLogFile === undefined ? undefined : accessLogWriter(accessLogFile);
	const startedAt = Date.now();
	const registry = new Registry();
	const status = new Map<string, 'UP' | 'DOWN'>();
	let closeFirst = new Set<string>();
	const open: Record<string, number> = {};
	const rr = new Map<string, number>();
	let certificate: X509Certificate | null = null;

	const reload = (): void => {
		registry.inc('traefik_config_reloads_total', HELP.reloads, {});
		registry.set('traefik_config_last_reload_success', HELP.lastReload, {}, Math.floor(Date.now() / 1000));
		if (certificate === null) return;
		// As Traefik labels it: the subject's CN, the SANs joined by commas, the serial in decimal.
		registry.clear('traefik_tls_certs_not_after');
		registry.set(
			'traefik_tls_certs_not_after',
			HELP.cert,
			{
				cn: /CN=([^\n,]+)/.exec(certificate.subject)?.[1] ?? '',
				sans: (certificate.subjectAltName ?? '').replace(/DNS:/g, '').replace(/, /g, ','),
				serial: BigInt(`0x${certificate.serialNumber}`).toString(10),
			},
			Math.floor(new Date(certificate.validTo).getTime() / 1000),
		);
	};

	// One keep-alive pool per server, as Traefik keeps one transport per server.
	const agents = new Map<ServerName, http.Agent>();
	const agentFor = (server: ServerName): http.Agent => {
		let agent = agents.get(server);
		if (agent === undefined) {
			// Traefik's defaults: no cap on connections per host (maxConnsPerHost 0), 200 idle ones kept.
			agent = new http.Agent({keepAlive: true, maxFreeSockets: 200});
			agents.set(server, agent);
		}
		return agent;
	};

	const passive = new PassiveHealthCheck((service, url, up) => registry.set('traefik_service_server_up', HELP.up, {service, url}, up ? 1 : 0));
	const pick = (service: string): [string, ServerName] | undefined => {
		const config = SERVICES[service];
		if (config === undefined) return undefined;
		if (config.kind === 'weighted') {
			const total = config.services.reduce((sum, [, w]) => sum + w, 0);
			let ticket = (rr.get(service) ?? 0) % total;
			rr.set(service, (rr.get(service) ?? 0) + 1);
			for (const [child, weight] of config.services) {
				if (ticket < weight) return pick(`${child}@file`);
				ticket -= weight;
			}
			return undefined;
		}
		// As Traefik: a server marked DOWN or left out by the passive check gets nothing; with none left, 503.
		const candidates = config.servers.filter((s) => status.get(serverUrl(ports, s)) !== 'DOWN' && !passive.ejected(service, serverUrl(ports, s)));
		if (candidates.length === 0) return undefined;
		const n = rr.get(service) ?? 0;
		rr.set(service, n + 1);
		return [service, candidates[n % candidates.length]!];
	};

	const record = (
		entryPoint: string,
		router: string | undefined,
		routerService: string | undefined,
		service: string | undefined,
		method: string,
		code: number,
		seconds: number,
		bytesIn: number,
		bytesOut: number,
	): void => {
		const base = {code: String(code), method: METHODS.has(method) ? method : 'EXTENSION_METHOD', protocol: 'http'};
		registry.inc('traefik_entrypoint_requests_total', HELP.epReq, {...base, entrypoint: entryPoint});
		registry.observe('traefik_entrypoint_request_duration_seconds', HELP.epDur, {...base, entrypoint: entryPoint}, seconds);
		registry.inc('traefik_entrypoint_requests_bytes_total', HELP.epIn, {...base, entrypoint: entryPoint}, bytesIn);
		registry.inc('traefik_entrypoint_responses_bytes_total', HELP.epOut, {...base, entrypoint: entryPoint}, bytesOut);
		if (router !== undefined && routerService !== undefined) {
			registry.inc('traefik_router_requests_total', HELP.rtReq, {...base, router, service: routerService});
			registry.observe('traefik_router_request_duration_seconds', HELP.rtDur, {...base, router, service: routerService}, seconds);
			registry.inc('traefik_router_requests_bytes_total', HELP.rtIn, {...base, router, service: routerService}, bytesIn);
			registry.inc('traefik_router_responses_bytes_total', HELP.rtOut, {...base, router, service: routerService}, bytesOut);
		}
		if (service !== undefined) {
			registry.inc('traefik_service_requests_total', HELP.svReq, {...base, service});
			registry.observe('traefik_service_request_duration_seconds', HELP.svDur, {...base, service}, seconds);
			registry.inc('traefik_service_requests_bytes_total', HELP.svIn, {...base, service}, bytesIn);
			registry.inc('traefik_service_responses_bytes_total', HELP.svOut, {...base, service}, bytesOut);
		}
	};

	/** One failed attempt that a retry middleware tries again: the service's figures only. */
	const recordAttempt = (service: string, method: string, code: number, seconds: number): void => {
		const labels = {code: String(code), method: METHODS.has(method) ? method : 'EXTENSION_METHOD', protocol: 'http', service};
		registry.inc('traefik_service_requests_total', HELP.svReq, labels);
		registry.observe('traefik_service_request_duration_seconds', HELP.svDur, labels, seconds);
		registry.inc('traefik_service_requests_bytes_total', HELP.svIn, labels, 0);
		registry.inc('traefik_service_responses_bytes_total', HELP.svOut, labels, 11);
	};

	const forward = (entryPoint: string, req: http.IncomingMessage, res: http.ServerResponse): void => {
		const started = process.hrtime.bigint();
		const path = req.url ?? '/';
		const matched = route(entryPoint, path);
		const bytesIn = Number(req.headers['content-length'] ?? 0);
		const startedAt = new Date();
		/** `origin`: the server that answered and what it said (none when the proxy answered itself). */
		const finish = (code: number, service: string | undefined, bytesOut: number, origin?: {url: string; status: number; nanoseconds: number}): void => {
			const nanoseconds = Number(process.hrtime.bigint() - started);
			record(entryPoint, matched?.[0], matched?.[1].service, service, req.method ?? 'GET', code, nanoseconds / 1e9, bytesIn, bytesOut);
			accessLog?.({
				entryPoint,
				router: matched?.[0],
				service,
				req,
				startedAt,
				nanoseconds,
				status: code,
				bytesIn,
				bytesOut,
				origin,
			});
		};
		if (matched === undefined) {
			res.writeHead(404).end('404 page not found\n');
			finish(404, undefined, 19);
			return;
		}
		const retry = matched[1].retry;
		let body: Buffer | null = null; // read once, sent again on a retry (Traefik buffers it likewise)
		const attempt = (n: number): void => {
			const target = pick(matched[1].service);
			if (target === undefined) {
				res.writeHead(503).end('no available server');
				finish(503, undefined, 19);
				return;
			}
			const [service, server] = target;
			const active = closeFirst.has(service);
			const attemptStarted = process.hrtime.bigint();
			const upstream = http.request(
				{
					host: SERVER_ADDRESS[server],
					port: ports.servers[server],
					method: req.method,
					path,
					headers: {...req.headers, 'x-forwarded-for': req.socket.remoteAddress ?? '', ...(active ? {connection: 'keep-alive'} : {})},
					// The TIME_WAIT fault: no pool, and the proxy closes first after every response.
					agent: active ? false : agentFor(server),
					timeout: 3000,
				},
				(upstreamRes) => {
					// The timeout is the wait for the answer's head, as Traefik's responseHeaderTimeout:
					// a client reading slowly must not make the proxy give up on the body.
					upstream.setTimeout(0);
					let size = 0;
					const headAt = process.hrtime.bigint();
					upstreamRes.on('data', (chunk: Buffer) => (size += chunk.length));
					const socket = upstreamRes.socket;
					upstreamRes.on('end', () => {
						const status = upstreamRes.statusCode ?? 502;
						finish(status, service, size, {url: serverUrl(ports, server), status, nanoseconds: Number(process.hrtime.bigint() - headAt)});
						if (active) socket?.destroy();
					});
					res.writeHead(upstreamRes.statusCode ?? 502, upstreamRes.headers);
					upstreamRes.pipe(res);
				},
			);
			let failed = false;
			const fail = (code: number): void => {
				if (failed) return;
				failed = true;
				upstream.destroy();
				passive.failed(service, serverUrl(ports, server));
				// A retry middleware tries a connection that failed again: each attempt is counted in
				// the service's requests (the router counts the request once), as Traefik counts them.
				if (code === 502 && retry !== undefined && n < retry.attempts) {
					recordAttempt(service, req.method ?? 'GET', code, Number(process.hrtime.bigint() - attemptStarted) / 1e9);
					setTimeout(() => attempt(n + 1), retry.initialIntervalMs * 2 ** (n - 1));
					return;
				}
				const text = code === 504 ? 'Gateway Timeout' : 'Bad Gateway';
				if (!res.headersSent) res.writeHead(code).end(text);
				// As Traefik logs a failed attempt: the server it tried, and the status it made of it.
				finish(code, service, text.length, {url: serverUrl(ports, server), status: code, nanoseconds: Number(process.hrtime.bigint() - started)});
			};
			upstream.on('timeout', () => fail(504));
			upstream.on('error', () => fail(502));
			upstream.end(body);
		};
		const chunks: Buffer[] = [];
		req.on('data', (chunk: Buffer) => chunks.push(chunk));
		req.on('end', () => {
			body = Buffer.concat(chunks);
			attempt(1);
		});
	};

	const handleTraefik = (req: http.IncomingMessage, res: http.ServerResponse): void => {
		const url = new URL(req.url ?? '/', 'http://x');
		const json = (body: unknown, headers: Record<string, string> = {}): void => {
			res.writeHead(200, {'content-type': 'application/json', ...headers}).end(`${JSON.stringify(body)}\n`);
		};
		const paged = (items: unknown[]): void => {
			const perPage = Math.max(1, Number(url.searchParams.get('per_page') ?? 100));
			const page = Math.max(1, Number(url.searchParams.get('page') ?? 1));
			const next = page * perPage < items.length ? page + 1 : 1;
			json(items.slice((page - 1) * perPage, page * perPage), {'x-next-page': String(next)});
		};
		switch (url.pathname) {
			case '/metrics':
				processMetrics(registry, startedAt, open);
				res.writeHead(200, {'content-type': 'text/plain; version=0.0.4; charset=utf-8'}).end(registry.render());
				return;
			case '/api/rawdata':
				return json(rawdata(ports, status));
			case '/api/http/services':
				return paged(servicesList(ports, status));
			case '/api/http/routers':
				return paged(routersList());
			case '/api/entrypoints':
				return paged(entryPointsList(ports));
			case '/api/overview':
				return json(overview());
			case '/api/version':
				return json({Version: '3.7-stand-in', Codename: 'stand-in', startDate: new Date(startedAt).toISOString()});
			default:
				res.writeHead(404, {'content-type': 'text/plain; charset=utf-8'}).end('404 page not found\n');
		}
	};

	const servers: Partial<Record<EntryPointName, http.Server>> = {};
	const ports: Ports = {entryPoints: {...requested.entryPoints}, servers: requested.servers};
	for (const name of ENTRY_POINTS) {
		const server = http.createServer({keepAliveTimeout: 30_000}, name === 'traefik' ? handleTraefik : (req, res) => forward(name, req, res));
		server.on('connection', (socket) => {
			open[name] = (open[name] ?? 0) + 1;
			socket.once('close', () => (open[name] = (open[name] ?? 1) - 1));
		});
		await new Promise<void>((resolve, reject) => {
			server.once('error', reject);
			server.listen(requested.entryPoints[name], '127.0.0.1', resolve);
		});
		(ports.entryPoints as Record<string, number>)[name] = (server.address() as net.AddressInfo).port;
		servers[name] = server;
	}
	reload();

	// Active health checks of the services that ask for them, as Traefik's healthCheck does.
	const check = (): void => {
		for (const [name, config] of Object.entries(SERVICES)) {
			if (config.kind !== 'loadbalancer' || !config.healthCheck) continue;
			for (const server of config.servers) {
				const url = serverUrl(ports, server);
				// Through the server's own pool, as Traefik's health checks use the server's transport.
				const request = http.get(`${url}/health`, {timeout: 5000, agent: agentFor(server)}, (r) => {
					r.resume();
					const up = r.statusCode === 200 ? 'UP' : 'DOWN';
					status.set(url, up);
					registry.set('traefik_service_server_up', HELP.up, {service: name, url}, up === 'UP' ? 1 : 0);
				});
				const down = (): void => {
					request.destroy();
					status.set(url, 'DOWN');
					registry.set('traefik_service_server_up', HELP.up, {service: name, url}, 0);
				};
				request.on('timeout', down);
				request.on('error', down);
			}
		}
	};
	check();
	setInterval(check, 10_000).unref();

	process.on('message', (command: ProxyCommand) => {
		if (command.type !== 'state') return;
		closeFirst = new Set(command.state.closeFirst);
		certificate = new X509Certificate(command.state.certificate.cert);
		reload();
	});
	// The stack is gone: so is its proxy.
	process.on('disconnect', () => process.exit(0));
	process.send?.({type: 'ready', ports});
}

/** Threads of this process (/proc/self/status), like go_threads. */
function threads(): number {
	try {
		return Number(/^Threads:\s+(\d+)/m.exec(readFileSync('/proc/self/status', 'latin1'))?.[1] ?? 1);
	} catch {
		return 1;
	}
}

/** The process_* and go_* families client_golang registers beside Traefik's own. */
function processMetrics(registry: Registry, startedAt: number, open: Record<string, number>): void {
	const cpu = process.cpuUsage();
	registry.set('process_cpu_seconds_total', 'Total user and system CPU time spent in seconds.', {}, (cpu.user + cpu.system) / 1e6);
	registry.set('process_resident_memory_bytes', 'Resident memory size in bytes.', {}, process.memoryUsage().rss);
	registry.set('process_start_time_seconds', 'Start time of the process since unix epoch in seconds.', {}, startedAt / 1000);
	let fds = 0;
	try {
		fds = readdirSync('/proc/self/fd').length;
	} catch {
		// not on Linux
	}
	registry.set('process_open_fds', 'Number of open file descriptors.', {}, fds);
	// The Go runtime's families, answered with the stand-in's nearest equivalents.
	registry.set('go_goroutines', 'Number of goroutines that currently exist.', {}, 12 + Object.values(open).reduce((a, b) => a + b, 0));
	registry.set('go_memstats_alloc_bytes', 'Number of bytes allocated and still in use.', {}, process.memoryUsage().heapUsed);
	registry.set('go_threads', 'Number of OS threads created.', {}, threads());
	for (const name of ENTRY_POINTS) registry.set('traefik_open_connections', HELP.open, {entrypoint: name, protocol: 'TCP'}, open[name] ?? 0);
}

interface AccessEntry {
	readonly entryPoint: string;
	readonly router: string | undefined;
	readonly service: string | undefined;
	readonly req: http.IncomingMessage;
	readonly startedAt: Date;
	readonly nanoseconds: number;
	readonly status: number;
	readonly bytesIn: number;
	readonly bytesOut: number;
	readonly origin: {readonly url: string; readonly status: number; readonly nanoseconds: number} | undefined;
}

/** A JSON access log as Traefik's (accessLog.format json): its field names, types and order. */
function accessLogWriter(file: string): (entry: AccessEntry) => void {
	const out = createWriteStream(file, {flags: 'a'});
	let count = 0;
	return (e) => {
		const client = e.req.socket;
		const [host, port] = (e.req.headers.host ?? '').split(':') as [string, string | undefined];
		const local = `${client.localAddress ?? ''}:${client.localPort ?? ''}`;
		const iso = e.startedAt.toISOString().replace(/\.(\d{3})Z$/, '.$1000000Z');
		const line: Record<string, unknown> = {
			ClientAddr: `${client.remoteAddress ?? ''}:${client.remotePort ?? ''}`,
			ClientHost: String(e.req.headers['x-forwarded-for'] ?? client.remoteAddress ?? ''),
			ClientPort: String(client.remotePort ?? ''),
			ClientUsername: '-',
			DownstreamContentSize: e.bytesOut,
			DownstreamStatus: e.status,
			Duration: e.nanoseconds,
			...(e.origin === undefined ? {GzipRatio: 0} : {}),
			OriginContentSize: e.origin === undefined ? 0 : e.bytesOut,
			OriginDuration: e.origin?.nanoseconds ?? 0,
			OriginStatus: e.origin?.status ?? 0,
			Overhead: e.nanoseconds - (e.origin?.nanoseconds ?? 0),
			RequestAddr: e.req.headers.host ?? local,
			RequestContentSize: e.bytesIn,
			RequestCount: ++count,
			RequestHost: host,
			RequestMethod: e.req.method ?? 'GET',
			RequestPath: e.req.url ?? '/',
			RequestPort: port ?? '-',
			RequestProtocol: `HTTP/${e.req.httpVersion}`,
			RequestScheme: 'http',
			RetryAttempts: 0,
			...(e.router === undefined ? {} : {RouterName: e.router}),
			...(e.origin === undefined ? {} : {ServiceAddr: new URL(e.origin.url).host, ServiceName: e.service, ServiceURL: e.origin.url}),
			StartLocal: iso,
			StartUTC: iso,
			entryPointName: e.entryPoint,
			level: 'info',
			msg: '',
			time: `${e.startedAt.toISOString().slice(0, 19)}Z`,
		};
		out.write(`${JSON.stringify(line)}\n`);
	};
}

/**
 * Traefik's passive health check (loadBalancer.passiveHealthCheck, v3.6+): a server whose requests
 * fail `maxFailedAttempts` times within `failureWindow` is left out for the window, then tried
 * again. traefik_service_server_up is written on each change only (0 when left out, 1 when back).
 */
class PassiveHealthCheck {
	private readonly failures = new Map<string, number[]>();
	private readonly until = new Map<string, number>();
	private readonly windowMs = Number.parseInt(PASSIVE_HEALTH_CHECK.failureWindow, 10) * 1000;

	constructor(private readonly changed: (service: string, url: string, up: boolean) => void) {}

	private watched(service: string): boolean {
		const config = SERVICES[service];
		return config?.kind === 'loadbalancer' && config.passiveHealthCheck === true;
	}

	failed(service: string, url: string): void {
		if (!this.watched(service)) return;
		const now = Date.now();
		const recent = (this.failures.get(url) ?? []).filter((t) => now - t < this.windowMs);
		recent.push(now);
		this.failures.set(url, recent);
		if (recent.length >= PASSIVE_HEALTH_CHECK.maxFailedAttempts && !this.until.has(url)) {
			this.until.set(url, now + this.windowMs);
			this.failures.delete(url);
			this.changed(service, url, false);
		}
	}

	ejected(service: string, url: string): boolean {
		const until = this.until.get(url);
		if (until === undefined) return false;
		if (Date.now() < until) return true;
		this.until.delete(url);
		this.changed(service, url, true);
		return false;
	}
}
