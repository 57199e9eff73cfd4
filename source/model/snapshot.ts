/** The snapshot document of the monitor's latest tick: pinned service and entry point applied, alerts by row. Pure. */
import type {ApiHarvest, LinkState, MetricsReading, ProcHarvest, UnwatchedServer} from '../domain/harvest.js';
import {SNAPSHOT_SCHEMA, type EntryPointRow, type Snapshot} from '../domain/snapshot.js';
import {emptyStates, type StateCounts} from '../domain/tcp.js';
import type {AlertBook} from './alerts.js';
import type {BackendIndex} from './backends.js';
import type {RequestRecord} from '../domain/requests.js';
import type {RequestsModel} from './requests.js';
import type {Ring} from './ring.js';
import {serviceMatches} from './services.js';
import {iso, toSnapshotAlert, type SourceBook} from './sources.js';
import type {GroupSeries, TrafficModel} from './traffic.js';

/** An entry point's connections as the kernel shows them (the snapshot adds Traefik's figures). */
export interface EntryPointFigures {
	readonly name: string;
	readonly port: number | null;
	readonly states: StateCounts;
	readonly total: number;
}

/** What a snapshot is built from: the monitor's state after a tick. */
export interface MonitorState {
	readonly config: {readonly host: string; readonly demo?: string; readonly filter: {readonly entrypoint: string | null}};
	readonly focus: string | null;
	readonly intervalSeconds: number;
	/** Seconds between the last two harvests, as they ran. */
	readonly cadenceSeconds: number | null;
	readonly traffic: TrafficModel;
	readonly alerts: AlertBook;
	readonly sources: SourceBook;
	readonly api: ApiHarvest | null;
	readonly proc: ProcHarvest | null;
	/** An SSH target's link, as of the latest harvest. */
	readonly link: LinkState | null;
	readonly metrics: MetricsReading | null;
	readonly routerServices: ReadonlyMap<string, string>;
	readonly index: BackendIndex;
	readonly unwatched: readonly UnwatchedServer[];
	readonly resolveErrors: Readonly<Record<string, string>>;
	readonly serviceRows: Snapshot['services'];
	readonly backendRows: Snapshot['backends'];
	readonly entryRows: readonly EntryPointFigures[];
	readonly totalsLevels: Snapshot['totals']['levels'];
	readonly establishedHistory: Ring<number>;
	readonly other: number;
	readonly restartedAt: number | undefined;
	readonly requests: RequestsModel;
}

const NO_RATES = {'2xx': null, '3xx': null, '4xx': null, '5xx': null} as const;
const NO_LATENCY = {p50: null, p95: null, p99: null, buckets: []} as const;

/** Entry points seen in the kernel (by port), plus those only /metrics knows (port unknown). */
function entryPointRows(state: MonitorState, now: number): EntryPointRow[] {
	const known = new Set(state.entryRows.map((e) => e.name));
	const extra: EntryPointFigures[] = [];
	for (const [name, series] of state.traffic.entrypoints) {
		if (known.has(name) || series.lastSeen !== now) continue;
		extra.push({name, port: null, states: emptyStates(), total: 0});
	}
	return [...state.entryRows, ...extra.sort((a, b) => a.name.localeCompare(b.name))].map((row) => {
		const open = state.metrics?.openConnections.get(row.name);
		const span = state.traffic.entrypoints.get(row.name)?.interval;
		return {
			...row,
			...(open === undefined ? {} : {openConnections: Math.max(0, open)}),
			...(span == null
				? {}
				: {
						requestsPerSecond: span.requestsPerSecond,
						errorRatio: span.errorRatio,
						statusRates: span.statusRates,
						bytesInPerSecond: span.bytesInPerSecond,
						bytesOutPerSecond: span.bytesOutPerSecond,
					}),
		};
	});
}

function traefikIdentity(state: MonitorState, now: number): Snapshot['traefik'] {
	const m = state.metrics;
	const process = state.proc?.process ?? null;
	const startedAt =
		m?.processStartTime != null ? m.processStartTime * 1000 : state.api?.startDate ? Date.parse(state.api.startDate) : (process?.startedAt ?? null);
	const open = m === null || m.openConnections.size === 0 ? null : [...m.openConnections.values()].reduce((a, b) => a + Math.max(0, b), 0);
	return {
		pid: state.proc?.pid ?? null,
		version: state.api?.version ?? (m && m.generation !== 'unknown' ? m.generation : null),
		uptimeSeconds: startedAt === null || Number.isNaN(startedAt) ? null : Math.max(0, Math.round((now - startedAt) / 1000)),
		cpuRatio: state.traffic.cpuRatio,
		rssBytes: m?.processRssBytes ?? process?.rssBytes ?? null,
		openConnections: open,
		configReloadAgeSeconds: m?.lastReloadSuccess ? Math.max(0, Math.round(now / 1000 - m.lastReloadSuccess)) : null,
		...(state.restartedAt === undefined ? {} : {restartedAt: iso(state.restartedAt)}),
	};
}

function history(series: GroupSeries | undefined, established: Ring<number>): Snapshot['history'] {
	const bounds = series?.bounds.map((b) => (b === Number.POSITIVE_INFINITY ? '+Inf' : String(b))) ?? [];
	const bucketRows = series?.bucketShares?.toArray() ?? [];
	return {
		requestsPerSecond: series?.rps.toArray() ?? [],
		errorRatio: series?.errorRatio?.toArray() ?? [],
		p50: series?.p50?.toArray() ?? [],
		p95: series?.p95?.toArray() ?? [],
		p99: series?.p99?.toArray() ?? [],
		statusRates: {
			'2xx': series?.statusRates?.['2xx'].toArray() ?? [],
			'3xx': series?.statusRates?.['3xx'].toArray() ?? [],
			'4xx': series?.statusRates?.['4xx'].toArray() ?? [],
			'5xx': series?.statusRates?.['5xx'].toArray() ?? [],
		},
		bucketShares: Object.fromEntries(bounds.map((le, i) => [le, bucketRows.map((row) => (row === null ? null : (row[i] ?? null)))])),
		establishedConnections: established.toArray(),
	};
}

/** The series of a snapshot made without them (a fleet's instances: the fleet keeps the group's). */
export const NO_HISTORY: Snapshot['history'] = {
	requestsPerSecond: [],
	errorRatio: [],
	p50: [],
	p95: [],
	p99: [],
	statusRates: {'2xx': [], '3xx': [], '4xx': [], '5xx': []},
	bucketShares: {},
	establishedConnections: [],
};

/** Requests a snapshot carries: the newest, of what is pinned. */
export const REQUESTS_SHOWN = 200;

const requestRows = new WeakMap<RequestRecord, NonNullable<Snapshot['requests']>[number]>();

/** A request as the snapshot writes it (its time in ISO 8601), made once per request. */
function toSnapshotRequest(r: RequestRecord): NonNullable<Snapshot['requests']>[number] {
	const known = requestRows.get(r);
	if (known !== undefined) return known;
	const row = {...r, at: r.at === null ? null : iso(r.at)};
	requestRows.set(r, row);
	return row;
}

/** The snapshot of `state` at `now` (the time of its latest harvest). */
export function buildSnapshot(state: MonitorState, now: number, withHistory = true): Snapshot {
	const wanted = state.focus;
	const entrypoint = state.config.filter.entrypoint;
	const pinnedTo = (services: readonly string[]): boolean => wanted === null || services.some((s) => serviceMatches(s, wanted));
	const active = state.alerts.active();
	const alerts = wanted === null ? active : active.filter((a) => a.service === undefined || pinnedTo([a.service]));
	const services = wanted === null ? state.serviceRows : state.serviceRows.filter((r) => pinnedTo([r.name]));
	const pinned = wanted === null ? undefined : services[0]?.name;
	const series = pinned === undefined ? state.traffic.total : state.traffic.services.get(pinned);
	const sources = state.sources.snapshot();
	const span = series?.interval;
	return {
		schema: SNAPSHOT_SCHEMA,
		takenAt: iso(now),
		host: state.config.host,
		...(state.config.demo === undefined ? {} : {demo: state.config.demo}),
		...(state.link === null ? {} : {link: {...state.link, since: iso(state.link.since)}}),
		intervalSeconds: state.intervalSeconds,
		cadenceSeconds: state.cadenceSeconds,
		filter: {service: wanted, entrypoint},
		traefik: traefikIdentity(state, now),
		sources,
		totals: {
			scope: pinned ?? 'all entry points',
			requestsPerSecond: span?.requestsPerSecond ?? null,
			statusRates: span?.statusRates ?? NO_RATES,
			errorRatio: span?.errorRatio ?? null,
			latency: span?.latency ?? NO_LATENCY,
			levels: pinned === undefined ? state.totalsLevels : {errorRatio: services[0]?.levels.errorRatioMinute, p95: services[0]?.levels.p95Recent},
		},
		services,
		backends: wanted === null ? state.backendRows : state.backendRows.filter((r) => pinnedTo(r.services)),
		entrypoints: entryPointRows(state, now).filter((e) => entrypoint === null || e.name === entrypoint),
		routers: [...state.traffic.routers]
			.filter(([, s]) => s.lastSeen === now)
			.map(([name, s]) => ({
				name,
				service: state.routerServices.get(name) ?? null,
				requestsPerSecond: s.interval?.requestsPerSecond ?? null,
				errorRatio: s.interval?.errorRatio ?? null,
				statusRates: s.interval?.statusRates ?? NO_RATES,
				latency: s.interval?.latency ?? NO_LATENCY,
			}))
			.filter((r) => wanted === null || (r.service !== null && serviceMatches(r.service, wanted)))
			.sort((a, b) => a.name.localeCompare(b.name)),
		...(sources.accessLog === undefined
			? {}
			: {
					requests: state.requests
						.latest(REQUESTS_SHOWN, (r) => wanted === null || (r.service !== null && serviceMatches(r.service, wanted)))
						.map(toSnapshotRequest),
				}),
		alerts: alerts.map(toSnapshotAlert),
		recentAlerts: state.alerts.resolved().map(toSnapshotAlert),
		history: withHistory ? history(series, state.establishedHistory) : NO_HISTORY,
		otherConnections: state.other,
		unresolvedServers: [
			...state.index.unresolved.map((s) => ({service: s.service, url: s.url, error: state.resolveErrors[s.host] ?? `cannot resolve ${s.host}`})),
			...state.unwatched.map((s) => ({service: s.service, url: s.url, error: `cannot watch: ${s.reason}`})),
		],
	};
}
