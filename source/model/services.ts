/** The services table: Traefik's figures per service joined with its servers and connections. Pure. */
import {formatEndpoint} from '../domain/address.js';
import type {BackendServer, UnwatchedServer} from '../domain/harvest.js';
import type {IpAddress} from '../domain/tcp.js';
import type {Latency, ServiceServer} from '../domain/snapshot.js';
import type {BackendFigures, ServiceFigures} from './rules/family.js';
import type {TrafficModel} from './traffic.js';

const NO_LATENCY: Latency = {p50: null, p95: null, p99: null, buckets: []};

/** Does a service name match a filter given with or without its @provider? */
export function serviceMatches(name: string, wanted: string): boolean {
	return name === wanted || name.split('@')[0] === wanted;
}

/** What the rows are built from. */
export interface ServiceInputs {
	readonly traffic: TrafficModel;
	/** Time of the latest harvest: services whose series were not in it are not listed. */
	readonly at: number;
	/** Each service's servers (serversByService), built when the servers or their addresses change. */
	readonly servers: ReadonlyMap<string, readonly ServiceServer[]>;
	readonly backends: readonly BackendFigures[];
	readonly parents: Readonly<Record<string, readonly string[]>>;
	/** Router -> the service its metrics name (router families on). */
	readonly routerServices?: ReadonlyMap<string, string>;
}

/**
 * Retried attempts per second. Traefik v3 declares traefik_service_retries_total but never writes
 * it (traefik/traefik#10928), and its access log's RetryAttempts stays 0; each attempt is counted
 * in the service's requests, though, while its routers count the request once. So where the router
 * families are on: the service's requests over those of the routers that send to it. Otherwise
 * the retries counter, as Traefik v2 writes it.
 */
function retriesPerSecond(name: string, counted: number | null, attempts: number | null, input: ServiceInputs): number | null {
	if (counted !== null && counted > 0) return counted;
	let routed: number | null = null;
	for (const [router, service] of input.routerServices ?? []) {
		if (service !== name) continue;
		const series = input.traffic.routers.get(router);
		const rate = series !== undefined && series.lastSeen === input.at ? (series.interval?.requestsPerSecond ?? null) : null;
		if (rate !== null) routed = (routed ?? 0) + rate;
	}
	if (routed === null || attempts === null) return counted;
	return Math.max(0, attempts - routed);
}

/** The servers of each service as its row lists them: URL, the address it resolves to, Traefik's status. */
export function serversByService(
	servers: readonly BackendServer[],
	resolved: Readonly<Record<string, readonly IpAddress[]>>,
	unwatched: readonly UnwatchedServer[] = [],
): Map<string, ServiceServer[]> {
	const serversOf = new Map<string, ServiceServer[]>();
	const add = (service: string, server: ServiceServer) => {
		const list = serversOf.get(service) ?? [];
		list.push(server);
		serversOf.set(service, list);
	};
	for (const s of servers) {
		const ip = resolved[s.host]?.[0];
		add(s.service, {url: s.url, address: ip === undefined ? null : formatEndpoint(ip, s.port), status: s.status, ...(s.downBy ? {downBy: s.downBy} : {})});
	}
	// A service whose servers cannot be watched is still a service: listed, with no address.
	for (const s of unwatched) add(s.service, {url: s.url, address: null, status: s.status});
	return serversOf;
}

/** One row per service that has traffic figures now or backend servers, sorted by name. */
export function buildServiceRows(input: ServiceInputs): (ServiceFigures & {levels: object; alertLevel: undefined})[] {
	const names = new Set<string>();
	for (const [name, series] of input.traffic.services) if (series.lastSeen === input.at) names.add(name);
	for (const name of input.servers.keys()) names.add(name);
	// Connection totals per service, in one pass over the backends (not one pass per service).
	const totals = new Map<string, {ESTABLISHED: number; TIME_WAIT: number; CLOSE_WAIT: number}>();
	for (const b of input.backends) {
		for (const name of b.services) {
			let t = totals.get(name);
			if (t === undefined) {
				t = {ESTABLISHED: 0, TIME_WAIT: 0, CLOSE_WAIT: 0};
				totals.set(name, t);
			}
			t.ESTABLISHED += b.states.ESTABLISHED;
			t.TIME_WAIT += b.states.TIME_WAIT;
			t.CLOSE_WAIT += b.states.CLOSE_WAIT;
		}
	}
	const rows: (ServiceFigures & {levels: object; alertLevel: undefined})[] = [];
	for (const name of [...names].sort()) {
		const series = input.traffic.services.get(name);
		const fresh = series !== undefined && series.lastSeen === input.at;
		const interval = fresh ? series.interval : null;
		const minute = fresh ? series.minute : null;
		const recent = fresh ? series.recent : null;
		const servers = input.servers.get(name) ?? [];
		const connections = totals.get(name) ?? {ESTABLISHED: 0, TIME_WAIT: 0, CLOSE_WAIT: 0};
		const parents = input.parents[name];
		rows.push({
			name,
			requestsPerSecond: interval?.requestsPerSecond ?? null,
			errorRatio: interval?.errorRatio ?? null,
			errorRatioMinute: minute?.errorRatio ?? null,
			statusRates: interval?.statusRates ?? {'2xx': null, '3xx': null, '4xx': null, '5xx': null},
			latency: interval?.latency ?? NO_LATENCY,
			latencyMinute: minute?.latency ?? NO_LATENCY,
			latencyRecent: recent?.latency ?? NO_LATENCY,
			servers,
			serversUp: servers.filter((s) => s.status === 'UP').length,
			bytesInPerSecond: interval?.bytesInPerSecond ?? null,
			bytesOutPerSecond: interval?.bytesOutPerSecond ?? null,
			retriesPerSecond: retriesPerSecond(name, interval?.retriesPerSecond ?? null, interval?.requestsPerSecond ?? null, input),
			connections,
			...(parents === undefined ? {} : {parents}),
			levels: {},
			alertLevel: undefined,
		});
	}
	return rows;
}
