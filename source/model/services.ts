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
		add(s.service, {url: s.url, address: ip === undefined ? null : formatEndpoint(ip, s.port), status: s.status});
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
			retriesPerSecond: interval?.retriesPerSecond ?? null,
			connections,
			...(parents === undefined ? {} : {parents}),
			levels: {},
			alertLevel: undefined,
		});
	}
	return rows;
}
