/**
 * The demo's Traefik stand-in, a process of its own: a real HTTP reverse proxy (two entry points,
 * keep-alive pools per backend server, a weighted service, health checks) that serves Traefik v3
 * /metrics and /api on its `traefik` entry point. Faults arrive from the stack over IPC.
 */
import http from 'node:http';
import net from 'node:net';
import {readdirSync, readFileSync} from 'node:fs';
import {Registry} from './exposition.js';
import {
	entryPointsList,
	ENTRY_POINTS,
	overview,
	rawdata,
	route,
	routersList,
	serverUrl,
	SERVICES,
	servicesList,
	SERVER_ADDRESS,
	type EntryPointName,
	type Ports,
	type ServerName,
} from './topology.js';

/** Messages from the stack. */
export type ProxyCommand =
	{type: 'leak'; server: ServerName; on: boolean} | {type: 'closeFirst'; service: string; on: boolean} | {type: 'certificate'; expiresInDays: number};

const HELP = {
	epReq: 'How many HTTP requests processed on an entrypoint, partitioned by status code, protocol, and method.',
	epDur: 'How long it took to process the request on an entrypoint, partitioned by status code, protocol, and method.',
	epIn: 'The total size of requests in bytes handled by an entrypoint, partitioned by status code, protocol, and method.',
	epOut: 'The total size of responses in bytes handled by an entrypoint, partitioned by status code, protocol, and method.',
	rtReq: 'How many HTTP requests are processed on a router, partitioned by service, status code, protocol, and method.',
	rtDur: 'How long it took to process the request on a router, partitioned by service, status code, protocol, and method.',
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
export async function runProxy(requested: Ports): Promise<void> {
	process.title = 'traefik-demo';
	const startedAt = Date.now();
	const registry = new Registry();
	const status = new Map<string, 'UP' | 'DOWN'>();
	const leaking = new Set<ServerName>();
	const leaked: net.Socket[] = [];
	const closeFirst = new Set<string>();
	const open: Record<string, number> = {};
	const rr = new Map<string, number>();
	let reloads = 0;
	let certificateDays = 90;

	const reload = (): void => {
		reloads++;
		registry.set('traefik_config_reloads_total', HELP.reloads, {}, reloads);
		registry.set('traefik_config_last_reload_success', HELP.lastReload, {}, Math.floor(Date.now() / 1000));
		registry.set(
			'traefik_tls_certs_not_after',
			HELP.cert,
			{cn: 'demo.localhost', sans: 'demo.localhost,www.demo.localhost', serial: '5a3f09c1d27e'},
			Math.floor(Date.now() / 1000 + certificateDays * 86400),
		);
	};

	// One keep-alive pool per server, as Traefik keeps one transport per server. Sockets are
	// half-open capable: the CLOSE_WAIT fault keeps them open when the backend hangs up.
	const agents = new Map<ServerName, http.Agent>();
	const agentFor = (server: ServerName): http.Agent => {
		let agent = agents.get(server);
		if (agent === undefined) {
			// Traefik's defaults: no cap on connections per host (maxConnsPerHost 0), 200 idle ones kept.
			agent = new http.Agent({keepAlive: true, maxFreeSockets: 200});
			(agent as unknown as {createConnection: (o: net.NetConnectOpts) => net.Socket}).createConnection = (options) => {
				const socket = net.connect({...options, allowHalfOpen: true});
				socket.on('end', () => {
					if (!leaked.includes(socket)) socket.end();
				});
				return socket;
			};
			// The leak: a connection back in the pool is forgotten, never closed. When the backend
			// later hangs up, nobody closes our side: CLOSE_WAIT, for as long as the process lives.
			agent.on('free', (socket: net.Socket) => {
				if (!leaking.has(server) || leaked.length >= 2000) return;
				socket.emit('agentRemove');
				leaked.push(socket);
			});
			agents.set(server, agent);
		}
		return agent;
	};

	const pick = (service: string): [string, ServerName] | undefined => {
		const config = SERVICES[service];
		if (config === undefined) return undefined;
		if (config.kind === 'weighted') {
			const total = config.services.reduce((sum, [, w]) => sum + w, 0);
			let ticket = (rr.get(service) ?? 0) % total;
			rr.set(service, (rr.get(service) ?? 0) + 1);
			for (const [child, weight] of config.services) {
				if (ticket < weight) return pick(`${child}@demo`);
				ticket -= weight;
			}
			return undefined;
		}
		const healthy = config.servers.filter((s) => status.get(serverUrl(ports, s)) !== 'DOWN');
		const candidates = healthy.length > 0 ? healthy : config.servers;
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
		}
		if (service !== undefined) {
			registry.inc('traefik_service_requests_total', HELP.svReq, {...base, service});
			registry.observe('traefik_service_request_duration_seconds', HELP.svDur, {...base, service}, seconds);
			registry.inc('traefik_service_requests_bytes_total', HELP.svIn, {...base, service}, bytesIn);
			registry.inc('traefik_service_responses_bytes_total', HELP.svOut, {...base, service}, bytesOut);
		}
	};

	const forward = (entryPoint: string, req: http.IncomingMessage, res: http.ServerResponse): void => {
		const started = process.hrtime.bigint();
		const path = req.url ?? '/';
		const matched = route(entryPoint, path);
		const bytesIn = Number(req.headers['content-length'] ?? 0);
		const finish = (code: number, service: string | undefined, bytesOut: number): void =>
			record(
				entryPoint,
				matched?.[0],
				matched?.[1].service,
				service,
				req.method ?? 'GET',
				code,
				Number(process.hrtime.bigint() - started) / 1e9,
				bytesIn,
				bytesOut,
			);
		if (matched === undefined) {
			res.writeHead(404).end('404 page not found\n');
			finish(404, undefined, 19);
			return;
		}
		const target = pick(matched[1].service);
		if (target === undefined) {
			res.writeHead(503).end();
			finish(503, undefined, 0);
			return;
		}
		const [service, server] = target;
		const active = closeFirst.has(service);
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
				let size = 0;
				upstreamRes.on('data', (chunk: Buffer) => (size += chunk.length));
				const socket = upstreamRes.socket;
				upstreamRes.on('end', () => {
					finish(upstreamRes.statusCode ?? 502, service, size);
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
			if (!res.headersSent) res.writeHead(code).end(code === 504 ? 'Gateway Timeout' : 'Bad Gateway');
			finish(code, service, 0);
		};
		upstream.on('timeout', () => fail(504));
		upstream.on('error', () => fail(502));
		req.pipe(upstream);
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
				return json({Version: '3.7.9-demo', Codename: 'demo', startDate: new Date(startedAt).toISOString()});
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
		if (command.type === 'leak') {
			if (command.on) leaking.add(command.server);
			else {
				leaking.delete(command.server);
				for (const s of leaked.splice(0)) s.destroy();
			}
		} else if (command.type === 'closeFirst') {
			if (command.on) closeFirst.add(command.service);
			else closeFirst.delete(command.service);
		} else if (command.type === 'certificate') {
			certificateDays = command.expiresInDays;
			reload();
		}
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
