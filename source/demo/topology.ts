/**
 * The demo's dynamic configuration: entry points, routers, services and their servers, and the
 * Traefik v3 API bodies that describe them (shapes of the API handler, see the fixtures).
 */

/** Backend server names; each listens on a loopback address of its own, on a port chosen by the OS. */
export const SERVER_NAMES = ['web-1', 'web-2', 'api-1', 'api-2', 'static-1', 'auth-1', 'auth-2', 'search-1'] as const;
export type ServerName = (typeof SERVER_NAMES)[number];

/**
 * Where each backend listens: its own address in 127.0.0.0/8 (loopback on Linux), so that the
 * screen's addresses say which server a row is: 127.0.0.12 is web-2, 127.0.0.42 is auth-2.
 */
export const SERVER_ADDRESS: Readonly<Record<ServerName, string>> = {
	'web-1': '127.0.0.11',
	'web-2': '127.0.0.12',
	'api-1': '127.0.0.21',
	'api-2': '127.0.0.22',
	'static-1': '127.0.0.31',
	'auth-1': '127.0.0.41',
	'auth-2': '127.0.0.42',
	'search-1': '127.0.0.51',
};

export interface LoadBalancer {
	readonly kind: 'loadbalancer';
	readonly servers: readonly ServerName[];
	readonly healthCheck?: boolean;
}

export interface Weighted {
	readonly kind: 'weighted';
	readonly services: readonly (readonly [string, number])[];
}

export type ServiceConfig = LoadBalancer | Weighted;

export const SERVICES: Readonly<Record<string, ServiceConfig>> = {
	'web@demo': {kind: 'loadbalancer', servers: ['web-1', 'web-2']},
	'api@demo': {
		kind: 'weighted',
		services: [
			['api-v1', 3],
			['api-v2', 1],
		],
	},
	'api-v1@demo': {kind: 'loadbalancer', servers: ['api-1']},
	'api-v2@demo': {kind: 'loadbalancer', servers: ['api-2']},
	'static@demo': {kind: 'loadbalancer', servers: ['static-1']},
	'auth@demo': {kind: 'loadbalancer', servers: ['auth-1', 'auth-2'], healthCheck: true},
	'search@demo': {kind: 'loadbalancer', servers: ['search-1']},
};

export interface RouterConfig {
	readonly entryPoints: readonly string[];
	readonly prefix: string;
	readonly service: string;
	readonly priority: number;
}

export const ROUTERS: Readonly<Record<string, RouterConfig>> = {
	'web@demo': {entryPoints: ['web'], prefix: '/', service: 'web@demo', priority: 1},
	'api@demo': {entryPoints: ['web', 'internal'], prefix: '/api', service: 'api@demo', priority: 40},
	'static@demo': {entryPoints: ['web'], prefix: '/static', service: 'static@demo', priority: 70},
	'auth@demo': {entryPoints: ['web', 'internal'], prefix: '/auth', service: 'auth@demo', priority: 50},
	'search@demo': {entryPoints: ['web'], prefix: '/search', service: 'search@demo', priority: 70},
};

/** The entry points that carry traffic, plus `traefik` (API and metrics) like Traefik's :8080. */
export const ENTRY_POINTS = ['web', 'internal', 'traefik'] as const;
export type EntryPointName = (typeof ENTRY_POINTS)[number];

/** Where everything listens. */
export interface Ports {
	readonly entryPoints: Readonly<Record<EntryPointName, number>>;
	readonly servers: Readonly<Record<ServerName, number>>;
}

export const serverUrl = (ports: Ports, name: ServerName): string => `http://${SERVER_ADDRESS[name]}:${ports.servers[name]}`;

/** The router an entry point sends a path to: the longest matching prefix. */
export function route(entryPoint: string, path: string): [string, RouterConfig] | undefined {
	let best: [string, RouterConfig] | undefined;
	for (const [name, r] of Object.entries(ROUTERS)) {
		if (!r.entryPoints.includes(entryPoint) || !path.startsWith(r.prefix)) continue;
		if (best === undefined || r.prefix.length > best[1].prefix.length) best = [name, r];
	}
	return best;
}

/** ServiceInfo of one service, as /api/rawdata writes it (no name, provider or type). */
function serviceInfo(name: string, ports: Ports, status: ReadonlyMap<string, 'UP' | 'DOWN'>): Record<string, unknown> {
	const config = SERVICES[name]!;
	const usedBy = Object.entries(ROUTERS)
		.filter(([, r]) => r.service === name)
		.map(([router]) => router);
	if (config.kind === 'weighted') {
		return {weighted: {services: config.services.map(([child, weight]) => ({name: child, weight}))}, status: 'enabled', ...(usedBy.length ? {usedBy} : {})};
	}
	const urls = config.servers.map((s) => serverUrl(ports, s));
	return {
		loadBalancer: {
			servers: urls.map((url) => ({url})),
			strategy: 'wrr',
			...(config.healthCheck ? {healthCheck: {path: '/health', interval: '10s', timeout: '5s'}} : {}),
			passHostHeader: true,
			responseForwarding: {flushInterval: '100ms'},
		},
		status: 'enabled',
		...(usedBy.length ? {usedBy} : {}),
		serverStatus: Object.fromEntries(urls.map((url) => [url, status.get(url) ?? 'UP'])),
	};
}

function routerInfo(name: string): Record<string, unknown> {
	const r = ROUTERS[name]!;
	return {
		entryPoints: r.entryPoints,
		service: r.service.replace(/@demo$/, ''),
		rule: `PathPrefix(\`${r.prefix}\`)`,
		ruleSyntax: 'default',
		priority: r.priority,
		observability: {accessLogs: true, metrics: true, tracing: true, traceVerbosity: 'minimal'},
		status: 'enabled',
		using: r.entryPoints,
	};
}

/** GET /api/rawdata. */
export function rawdata(ports: Ports, status: ReadonlyMap<string, 'UP' | 'DOWN'>): unknown {
	return {
		routers: Object.fromEntries(Object.keys(ROUTERS).map((name) => [name, routerInfo(name)])),
		middlewares: {},
		services: Object.fromEntries(Object.keys(SERVICES).map((name) => [name, serviceInfo(name, ports, status)])),
	};
}

const provider = (name: string): string => name.slice(name.indexOf('@') + 1);

/** GET /api/http/services (every item; the server paginates). */
export function servicesList(ports: Ports, status: ReadonlyMap<string, 'UP' | 'DOWN'>): unknown[] {
	return Object.keys(SERVICES)
		.sort()
		.map((name) => ({...serviceInfo(name, ports, status), name, provider: provider(name), type: SERVICES[name]!.kind}));
}

/** GET /api/http/routers. */
export function routersList(): unknown[] {
	return Object.keys(ROUTERS)
		.sort()
		.map((name) => ({...routerInfo(name), name, provider: provider(name), priorityStr: String(ROUTERS[name]!.priority)}));
}

/** GET /api/entrypoints. */
export function entryPointsList(ports: Ports): unknown[] {
	return ENTRY_POINTS.map((name) => ({
		address: `127.0.0.1:${ports.entryPoints[name]}`,
		transport: {lifeCycle: {graceTimeOut: '10s'}, respondingTimeouts: {readTimeout: '1m0s', idleTimeout: '3m0s'}},
		forwardedHeaders: {},
		http: {},
		http2: {maxConcurrentStreams: 250},
		name,
	}));
}

/** GET /api/overview. */
export function overview(): unknown {
	const count = (n: number) => ({total: n, warnings: 0, errors: 0});
	return {
		http: {routers: count(Object.keys(ROUTERS).length), services: count(Object.keys(SERVICES).length), middlewares: count(0)},
		tcp: {routers: count(0), services: count(0), middlewares: count(0)},
		udp: {routers: count(0), services: count(0)},
		features: {tracing: '', metrics: 'Prometheus', accessLog: false},
		providers: ['File'],
	};
}
