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
	/** Traefik's passive health check (v3.6+): a server failing 3 times within 10 s is left out for 10 s. */
	readonly passiveHealthCheck?: boolean;
}

export interface Weighted {
	readonly kind: 'weighted';
	readonly services: readonly (readonly [string, number])[];
}

export type ServiceConfig = LoadBalancer | Weighted;

export const SERVICES: Readonly<Record<string, ServiceConfig>> = {
	'web@file': {kind: 'loadbalancer', servers: ['web-1', 'web-2'], passiveHealthCheck: true},
	'api@file': {
		kind: 'weighted',
		services: [
			['api-v1', 3],
			['api-v2', 1],
		],
	},
	'api-v1@file': {kind: 'loadbalancer', servers: ['api-1']},
	'api-v2@file': {kind: 'loadbalancer', servers: ['api-2']},
	'static@file': {kind: 'loadbalancer', servers: ['static-1']},
	'auth@file': {kind: 'loadbalancer', servers: ['auth-1', 'auth-2'], healthCheck: true},
	'search@file': {kind: 'loadbalancer', servers: ['search-1']},
};

export interface RouterConfig {
	readonly entryPoints: readonly string[];
	readonly prefix: string;
	readonly service: string;
	readonly priority: number;
	/** A retry middleware: attempts in all, the first wait (doubled at each attempt). */
	readonly retry?: {readonly attempts: number; readonly initialIntervalMs: number};
}

export const ROUTERS: Readonly<Record<string, RouterConfig>> = {
	'web@file': {entryPoints: ['web'], prefix: '/', service: 'web@file', priority: 1},
	'api@file': {entryPoints: ['web', 'internal'], prefix: '/api', service: 'api@file', priority: 40},
	'static@file': {entryPoints: ['web'], prefix: '/static', service: 'static@file', priority: 70},
	'download@file': {entryPoints: ['web'], prefix: '/download', service: 'web@file', priority: 60},
	'auth@file': {entryPoints: ['web', 'internal'], prefix: '/auth', service: 'auth@file', priority: 50},
	'search@file': {entryPoints: ['web'], prefix: '/search', service: 'search@file', priority: 70, retry: {attempts: 3, initialIntervalMs: 100}},
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

/** The demo's active health check: every 10 s, 5 s to answer. */
export const HEALTH_CHECK = {path: '/health', interval: '10s', timeout: '5s'} as const;
/** The demo's passive health check, as its config says and as Traefik's API shows it. */
export const PASSIVE_HEALTH_CHECK = {failureWindow: '10s', maxFailedAttempts: 3} as const;
/** The same as Traefik's API shows it, with its defaults filled in. */
const HEALTH_CHECK_INFO = {mode: 'http', ...HEALTH_CHECK, followRedirects: true};

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
			...(config.healthCheck ? {healthCheck: HEALTH_CHECK_INFO} : {}),
			...(config.passiveHealthCheck ? {passiveHealthCheck: PASSIVE_HEALTH_CHECK} : {}),
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
		...(r.retry ? {middlewares: [retryMiddleware(name)]} : {}),
		service: r.service.replace(/@file$/, ''),
		rule: `PathPrefix(\`${r.prefix}\`)`,
		ruleSyntax: 'default',
		priority: r.priority,
		observability: {accessLogs: true, metrics: true, tracing: true, traceVerbosity: 'minimal'},
		status: 'enabled',
		using: r.entryPoints,
	};
}

/** The retry middleware of a router (`search-retry@file`). */
const retryMiddleware = (router: string): string => router.replace(/@file$/, '-retry@file');
const retryConfig = (retry: NonNullable<RouterConfig['retry']>) => ({attempts: retry.attempts, initialInterval: `${retry.initialIntervalMs}ms`});

/** GET /api/rawdata (Traefik leaves `middlewares` out when there are none). */
export function rawdata(ports: Ports, status: ReadonlyMap<string, 'UP' | 'DOWN'>): unknown {
	const middlewares = Object.entries(ROUTERS).flatMap(([name, r]) =>
		r.retry ? [[retryMiddleware(name), {retry: {...retryConfig(r.retry), maxRequestBodyBytes: 2097152}, status: 'enabled', usedBy: [name]}] as const] : [],
	);
	return {
		routers: Object.fromEntries(Object.keys(ROUTERS).map((name) => [name, routerInfo(name)])),
		...(middlewares.length > 0 ? {middlewares: Object.fromEntries(middlewares)} : {}),
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
		http: {sanitizePath: true, maxHeaderBytes: 1048576},
		http2: {maxConcurrentStreams: 250, maxDecoderHeaderTableSize: 4096, maxEncoderHeaderTableSize: 4096},
		udp: {timeout: '3s'},
		name,
	}));
}

/** GET /api/overview. */
export function overview(): unknown {
	const count = (n: number) => ({total: n, warnings: 0, errors: 0});
	return {
		http: {
			routers: count(Object.keys(ROUTERS).length),
			services: count(Object.keys(SERVICES).length),
			middlewares: count(Object.values(ROUTERS).filter((r) => r.retry).length),
		},
		tcp: {routers: count(0), services: count(0), middlewares: count(0)},
		udp: {routers: count(0), services: count(0)},
		certificates: count(1),
		features: {tracing: '', metrics: 'Prometheus', accessLog: true},
		providers: ['File'],
	};
}

/** What the stack changes in the proxy's dynamic configuration while faults run. */
export interface ProxyState {
	/** Services whose connections the proxy closes after every answer (no idle pool): TIME_WAIT on its side. */
	readonly closeFirst: readonly string[];
	/** The TLS certificate the proxy holds. */
	readonly certificate: {readonly cert: string; readonly key: string};
}

/** The name of the servers transport with no idle connections (Traefik: maxIdleConnsPerHost -1). */
export const CLOSE_FIRST_TRANSPORT = 'close-first';

/**
 * The dynamic configuration Traefik's file provider reads for this topology (names are
 * unqualified within the file, which Traefik qualifies `@file`).
 */
export function dynamicConfig(ports: Ports, state: ProxyState): Record<string, unknown> {
	const local = (name: string) => name.replace(/@file$/, '');
	const routers = Object.fromEntries(
		Object.entries(ROUTERS).map(([name, r]) => [
			local(name),
			{
				entryPoints: r.entryPoints,
				rule: `PathPrefix(\`${r.prefix}\`)`,
				service: local(r.service),
				priority: r.priority,
				...(r.retry ? {middlewares: [local(retryMiddleware(name))]} : {}),
			},
		]),
	);
	const middlewares = Object.fromEntries(
		Object.entries(ROUTERS).flatMap(([name, r]) => (r.retry ? [[local(retryMiddleware(name)), {retry: retryConfig(r.retry)}]] : [])),
	);
	const services = Object.fromEntries(
		Object.entries(SERVICES).map(([name, config]) => {
			if (config.kind === 'weighted') return [local(name), {weighted: {services: config.services.map(([child, weight]) => ({name: child, weight}))}}];
			return [
				local(name),
				{
					loadBalancer: {
						servers: config.servers.map((s) => ({url: serverUrl(ports, s)})),
						...(config.healthCheck ? {healthCheck: HEALTH_CHECK} : {}),
						...(config.passiveHealthCheck ? {passiveHealthCheck: PASSIVE_HEALTH_CHECK} : {}),
						...(state.closeFirst.includes(name) ? {serversTransport: CLOSE_FIRST_TRANSPORT} : {}),
					},
				},
			];
		}),
	);
	return {
		http: {routers, middlewares, services, serversTransports: {[CLOSE_FIRST_TRANSPORT]: {maxIdleConnsPerHost: -1}}},
		tls: {certificates: [{certFile: state.certificate.cert, keyFile: state.certificate.key}]},
	};
}
