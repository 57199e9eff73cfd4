/**
 * Several instances' snapshots as one: rates summed, ratios and latency quantiles made again
 * from the summed buckets, services and routers joined by name, backends kept per instance (TCP
 * states are per host and per process: they are never summed across instances). Pure.
 */
import type {AlertLevel} from '../domain/rules.js';
import type {
	BackendRow,
	EntryPointRow,
	Latency,
	RouterRow,
	ServiceRow,
	ServiceServer,
	Snapshot,
	SnapshotAlert,
	SourceState,
	StatusRates,
} from '../domain/snapshot.js';
import {latencyOf} from './traffic.js';

/** One instance's snapshot, by the instance's name. */
export interface InstanceSnapshot {
	readonly name: string;
	readonly snapshot: Snapshot;
}

type Mutable<T> = {-readonly [K in keyof T]: T[K]};

const CLASSES = ['2xx', '3xx', '4xx', '5xx'] as const;

/** null + null is null; null counts as 0 beside a number. */
function sum(values: readonly (number | null | undefined)[]): number | null {
	let total: number | null = null;
	for (const v of values) if (typeof v === 'number' && Number.isFinite(v)) total = (total ?? 0) + v;
	return total;
}

/** The weighted mean of the values that are there (null when no weight is). */
function weighted(pairs: readonly {value: number | null | undefined; weight: number | null | undefined}[]): number | null {
	let num = 0;
	let den = 0;
	for (const {value, weight} of pairs) {
		if (typeof value !== 'number' || typeof weight !== 'number' || !(weight > 0)) continue;
		num += value * weight;
		den += weight;
	}
	return den > 0 ? num / den : null;
}

function sumRates(list: readonly StatusRates[]): StatusRates {
	return Object.fromEntries(CLASSES.map((c) => [c, sum(list.map((r) => r[c]))])) as unknown as StatusRates;
}

const boundOf = (le: number | '+Inf'): number => (le === '+Inf' ? Number.POSITIVE_INFINITY : le);

/**
 * Latency of several spans as one: each bucket's requests (its share times the span's count)
 * summed by bound, and the quantiles read from the sum, as histogram_quantile over a sum by le.
 */
export function mergeLatency(parts: readonly {latency: Latency; weight?: number | null}[]): Latency {
	const fast = sameBounds(parts);
	if (fast !== null) return fast;
	const counts = new Map<number, number>();
	for (const {latency, weight} of parts) {
		const n = latency.count ?? weight ?? 0;
		if (!(n > 0)) continue;
		for (const b of latency.buckets) counts.set(boundOf(b.le), (counts.get(boundOf(b.le)) ?? 0) + (b.share ?? 0) * n);
	}
	if (counts.size === 0) return parts.length === 1 ? parts[0]!.latency : {p50: null, p95: null, p99: null, buckets: []};
	const bounds = [...counts.keys()].sort((a, b) => a - b);
	let running = 0;
	const cumulative = bounds.map((b) => (running += counts.get(b)!));
	return latencyOf(bounds, cumulative);
}

/** The merge when every part with requests has the same bounds (one configuration): summed in place, no map. Null otherwise. */
function sameBounds(parts: readonly {latency: Latency; weight?: number | null}[]): Latency | null {
	let first: readonly Latency['buckets'][number][] | null = null;
	let sums: Float64Array | null = null;
	for (const {latency, weight} of parts) {
		const n = latency.count ?? weight ?? 0;
		if (!(n > 0)) continue;
		const b = latency.buckets;
		if (first === null) {
			first = b;
			sums = new Float64Array(b.length);
		} else if (b.length !== first.length || b.some((x, i) => x.le !== first![i]!.le)) return null;
		for (let i = 0; i < b.length; i++) sums![i]! += (b[i]!.share ?? 0) * n;
	}
	if (first === null || sums === null) return null;
	for (let i = 1; i < sums.length; i++) sums[i]! += sums[i - 1]!;
	return latencyOf(
		first.map((x) => boundOf(x.le)),
		sums,
	);
}

const worse = (a: AlertLevel | undefined, b: AlertLevel | undefined): AlertLevel | undefined => (a === 'crit' || b === 'crit' ? 'crit' : (a ?? b));
const LEVEL_RANK = {ok: 0, warn: 1, crit: 2} as const;

/** The worst level of each key over several rows' levels. */
function worstLevels<K extends string>(list: readonly Partial<Record<K, 'ok' | 'warn' | 'crit'>>[]): Partial<Record<K, 'ok' | 'warn' | 'crit'>> {
	const out: Partial<Record<K, 'ok' | 'warn' | 'crit'>> = {};
	for (const levels of list) {
		for (const [key, level] of Object.entries(levels) as [K, 'ok' | 'warn' | 'crit' | undefined][]) {
			if (level === undefined) continue;
			const current = out[key];
			if (current === undefined || LEVEL_RANK[level] > LEVEL_RANK[current]) out[key] = level;
		}
	}
	return out;
}

/** Groups rows of every instance by a key, in first-seen order. */
function byKey<T>(parts: readonly InstanceSnapshot[], rows: (s: Snapshot) => readonly T[], key: (row: T) => string): Map<string, {name: string; row: T}[]> {
	const groups = new Map<string, {name: string; row: T}[]>();
	for (const {name, snapshot} of parts) {
		for (const row of rows(snapshot)) {
			const k = key(row);
			const list = groups.get(k);
			if (list === undefined) groups.set(k, [{name, row}]);
			else list.push({name, row});
		}
	}
	return groups;
}

function mergeServers(lists: readonly (readonly ServiceServer[])[]): ServiceServer[] {
	const byUrl = new Map<string, ServiceServer>();
	for (const list of lists) {
		for (const server of list) {
			const known = byUrl.get(server.url);
			// One instance's DOWN is shown: the instances' health checks disagree, and one of them sends no traffic there.
			if (known === undefined || (server.status === 'DOWN' && known.status !== 'DOWN')) byUrl.set(server.url, server);
		}
	}
	return [...byUrl.values()];
}

function mergeService(group: readonly {name: string; row: ServiceRow}[]): ServiceRow {
	if (group.length === 1 && group[0]!.row.instances === undefined) {
		const {name, row} = group[0]!;
		return {
			...row,
			instances: [
				{
					instance: name,
					requestsPerSecond: row.requestsPerSecond,
					share: row.requestsPerSecond === null ? null : 1,
					errorRatio: row.errorRatio,
					p95: row.latency.p95,
				},
			],
		};
	}
	const rows = group.map((g) => g.row);
	const rps = sum(rows.map((r) => r.requestsPerSecond));
	const servers = mergeServers(rows.map((r) => r.servers));
	const parents = [...new Set(rows.flatMap((r) => r.parents ?? []))];
	const alertLevel = rows.reduce<AlertLevel | undefined>((level, r) => worse(level, r.alertLevel), undefined);
	return {
		name: rows[0]!.name,
		requestsPerSecond: rps,
		errorRatio: weighted(rows.map((r) => ({value: r.errorRatio, weight: r.requestsPerSecond}))),
		errorRatioMinute: weighted(rows.map((r) => ({value: r.errorRatioMinute, weight: r.latencyMinute.count ?? r.requestsPerSecond}))),
		statusRates: sumRates(rows.map((r) => r.statusRates)),
		latency: mergeLatency(rows.map((r) => ({latency: r.latency, weight: r.requestsPerSecond}))),
		latencyMinute: mergeLatency(rows.map((r) => ({latency: r.latencyMinute}))),
		latencyRecent: mergeLatency(rows.map((r) => ({latency: r.latencyRecent}))),
		servers,
		serversUp: servers.filter((s) => s.status === 'UP').length,
		bytesInPerSecond: sum(rows.map((r) => r.bytesInPerSecond)),
		bytesOutPerSecond: sum(rows.map((r) => r.bytesOutPerSecond)),
		retriesPerSecond: sum(rows.map((r) => r.retriesPerSecond)),
		connections: {
			ESTABLISHED: rows.reduce((n, r) => n + r.connections.ESTABLISHED, 0),
			TIME_WAIT: rows.reduce((n, r) => n + r.connections.TIME_WAIT, 0),
			CLOSE_WAIT: rows.reduce((n, r) => n + r.connections.CLOSE_WAIT, 0),
		},
		...(parents.length === 0 ? {} : {parents}),
		instances: group.map(({name, row}) => ({
			instance: name,
			requestsPerSecond: row.requestsPerSecond,
			share: rps !== null && rps > 0 && row.requestsPerSecond !== null ? row.requestsPerSecond / rps : null,
			errorRatio: row.errorRatio,
			p95: row.latency.p95,
		})),
		levels: worstLevels(rows.map((r) => r.levels)),
		...(alertLevel === undefined ? {} : {alertLevel}),
	};
}

function mergeRouter(rows: readonly RouterRow[]): RouterRow {
	return {
		name: rows[0]!.name,
		service: rows[0]!.service,
		requestsPerSecond: sum(rows.map((r) => r.requestsPerSecond)),
		errorRatio: weighted(rows.map((r) => ({value: r.errorRatio, weight: r.requestsPerSecond}))),
		statusRates: sumRates(rows.map((r) => r.statusRates)),
		latency: mergeLatency(rows.map((r) => ({latency: r.latency, weight: r.requestsPerSecond}))),
	};
}

function mergeEntryPoint(rows: readonly EntryPointRow[]): EntryPointRow {
	const states = {...rows[0]!.states} as Mutable<EntryPointRow['states']>;
	for (const r of rows.slice(1)) for (const key of Object.keys(states) as (keyof typeof states)[]) states[key] += r.states[key];
	const rates = rows.flatMap((r) => (r.statusRates === undefined ? [] : [r.statusRates]));
	const optional = <K extends keyof EntryPointRow>(key: K, value: EntryPointRow[K] | null) => (rows.some((r) => r[key] !== undefined) ? {[key]: value} : {});
	return {
		name: rows[0]!.name,
		port: rows.every((r) => r.port === rows[0]!.port) ? rows[0]!.port : null,
		states,
		total: rows.reduce((n, r) => n + r.total, 0),
		...optional('openConnections', sum(rows.map((r) => r.openConnections))),
		...optional('requestsPerSecond', sum(rows.map((r) => r.requestsPerSecond))),
		...optional('errorRatio', weighted(rows.map((r) => ({value: r.errorRatio, weight: r.requestsPerSecond})))),
		...(rates.length === 0 ? {} : {statusRates: sumRates(rates)}),
		...optional('bytesInPerSecond', sum(rows.map((r) => r.bytesInPerSecond))),
		...optional('bytesOutPerSecond', sum(rows.map((r) => r.bytesOutPerSecond))),
	};
}

/** A source over every instance: ok when each is, the failing ones named in the error, notes by instance. */
function mergeSource(parts: readonly {name: string; source: SourceState | undefined}[]): SourceState | undefined {
	const present = parts.filter((p): p is {name: string; source: SourceState} => p.source !== undefined);
	if (present.length === 0) return undefined;
	const configured = present.filter((p) => p.source.ok || p.source.error !== 'not configured');
	if (configured.length === 0) return present[0]!.source;
	const failing = configured.filter((p) => !p.source.ok);
	const successes = configured.flatMap((p) => (p.source.lastSuccessAt === undefined ? [] : [p.source.lastSuccessAt])).sort();
	// A note every instance has is said once; the others with the instance's name.
	const everywhere = new Set((configured[0]!.source.notes ?? []).filter((n) => configured.every((p) => p.source.notes?.includes(n))));
	const notes = [...everywhere, ...configured.flatMap((p) => (p.source.notes ?? []).filter((n) => !everywhere.has(n)).map((n) => `${p.name}: ${n}`))];
	return {
		ok: failing.length === 0,
		...(failing.length === 0 ? {} : {error: failing.map((p) => `${p.name}: ${p.source.error ?? 'failed'}`).join('; ')}),
		...(successes.length === 0 ? {} : {lastSuccessAt: successes[0]!}),
		...(notes.length === 0 ? {} : {notes}),
	};
}

/** Series of several instances summed point by point, aligned at their newest point. */
function sumSeries(list: readonly (readonly (number | null)[])[]): (number | null)[] {
	const length = Math.max(0, ...list.map((s) => s.length));
	const out: (number | null)[] = new Array<number | null>(length).fill(null);
	for (const series of list) {
		const offset = length - series.length;
		for (let i = 0; i < series.length; i++) {
			const v = series[i];
			if (typeof v === 'number') out[offset + i] = (out[offset + i] ?? 0) + v;
		}
	}
	return out;
}

/** The history of several instances: rates summed; the error ratio and quantiles made again from the summed rates and buckets. */
function mergeHistory(histories: readonly Snapshot['history'][]): Snapshot['history'] {
	if (histories.length === 1) return histories[0]!;
	const rps = sumSeries(histories.map((h) => h.requestsPerSecond));
	const statusRates = Object.fromEntries(
		CLASSES.map((c) => [c, sumSeries(histories.map((h) => h.statusRates[c]))]),
	) as unknown as Snapshot['history']['statusRates'];
	const errorRatio = rps.map((total, i) => (total !== null && total > 0 && statusRates['5xx'][i] !== null ? statusRates['5xx'][i]! / total : null));
	// Each bucket's rate per poll: its share times the instance's rate, summed over the instances.
	const bounds = [...new Set(histories.flatMap((h) => Object.keys(h.bucketShares)))].sort(
		(a, b) => boundOf(a === '+Inf' ? '+Inf' : Number(a)) - boundOf(b === '+Inf' ? '+Inf' : Number(b)),
	);
	const bucketRates = bounds.map((le) =>
		sumSeries(
			histories.map((h) => {
				const shares = h.bucketShares[le] ?? [];
				const offset = h.requestsPerSecond.length - shares.length;
				return shares.map((share, i) => (share === null ? null : share * (h.requestsPerSecond[offset + i] ?? 0)));
			}),
		),
	);
	const points = Math.max(0, ...bucketRates.map((s) => s.length));
	const latencies = Array.from({length: points}, (_, i) => {
		const rates = bucketRates.map((s) => s[s.length - points + i] ?? 0);
		let running = 0;
		const cumulative = rates.map((r) => (running += r ?? 0));
		return running > 0
			? latencyOf(
					bounds.map((b) => boundOf(b === '+Inf' ? '+Inf' : Number(b))),
					cumulative,
				)
			: null;
	});
	const bucketShares = Object.fromEntries(
		bounds.map((le, b) => [
			le,
			bucketRates[b]!.map((rate, i) => {
				const total = rps[rps.length - bucketRates[b]!.length + i];
				return rate !== null && typeof total === 'number' && total > 0 ? rate / total : null;
			}),
		]),
	);
	return {
		requestsPerSecond: rps,
		errorRatio,
		p50: latencies.map((l) => l?.p50 ?? null),
		p95: latencies.map((l) => l?.p95 ?? null),
		p99: latencies.map((l) => l?.p99 ?? null),
		statusRates,
		bucketShares,
		establishedConnections: sumSeries(histories.map((h) => h.establishedConnections)),
	};
}

const named = new WeakMap<SnapshotAlert, SnapshotAlert>();

/** An alert of one instance, named after it (made once per alert: an unchanged alert is the same object from poll to poll). */
export function instanceAlert(name: string, a: SnapshotAlert): SnapshotAlert {
	if (a.instance !== undefined) return a;
	const known = named.get(a);
	if (known !== undefined && known.instance === name) return known;
	const out = {...a, instance: name, text: `${name}: ${a.text}`};
	named.set(a, out);
	return out;
}

const byLevelThenAge = (a: SnapshotAlert, b: SnapshotAlert): number =>
	a.level === b.level ? (a.since < b.since ? -1 : a.since > b.since ? 1 : 0) : a.level === 'crit' ? -1 : 1;

/** Several instances' snapshots as one (the first one's settings: interval, filter, host). */
export function mergeSnapshots(parts: readonly InstanceSnapshot[]): Snapshot {
	const first = parts[0]!.snapshot;
	const all = parts.map((p) => p.snapshot);
	const versions = [...new Set(all.flatMap((s) => (s.traefik.version === null ? [] : [s.traefik.version])))];
	const uptimes = all.flatMap((s) => (s.traefik.uptimeSeconds === null ? [] : [s.traefik.uptimeSeconds]));
	const reloadAges = all.flatMap((s) => (s.traefik.configReloadAgeSeconds === null ? [] : [s.traefik.configReloadAgeSeconds]));
	const restarts = all.flatMap((s) => (s.traefik.restartedAt === undefined ? [] : [s.traefik.restartedAt])).sort();
	const services = [
		...byKey(
			parts,
			(s) => s.services,
			(r) => r.name,
		).values(),
	].map(mergeService);
	const backends: BackendRow[] = parts.flatMap(({name, snapshot}) => snapshot.backends.map((b) => (b.instance === undefined ? {...b, instance: name} : b)));
	const requests = parts.some((p) => p.snapshot.requests !== undefined)
		? parts
				.flatMap((p) => p.snapshot.requests ?? [])
				.sort((a, b) => ((a.at ?? '') < (b.at ?? '') ? 1 : -1))
				.slice(0, Math.max(...parts.map((p) => p.snapshot.requests?.length ?? 0)))
		: undefined;
	const unresolved = new Map(all.flatMap((s) => s.unresolvedServers).map((u) => [`${u.service} ${u.url}`, u]));
	const accessLog = mergeSource(parts.map((p) => ({name: p.name, source: p.snapshot.sources.accessLog})));
	return {
		schema: first.schema,
		takenAt: all.map((s) => s.takenAt).sort()[all.length - 1]!,
		host: first.host,
		...(first.demo === undefined ? {} : {demo: first.demo}),
		intervalSeconds: first.intervalSeconds,
		cadenceSeconds: sum(all.map((s) => s.cadenceSeconds)) === null ? null : Math.max(...all.map((s) => s.cadenceSeconds ?? 0)),
		filter: first.filter,
		traefik: {
			pid: null,
			version: versions.length === 0 ? null : versions.join(', '),
			uptimeSeconds: uptimes.length === 0 ? null : Math.min(...uptimes),
			cpuRatio: sum(all.map((s) => s.traefik.cpuRatio)),
			rssBytes: sum(all.map((s) => s.traefik.rssBytes)),
			openConnections: sum(all.map((s) => s.traefik.openConnections)),
			configReloadAgeSeconds: reloadAges.length === 0 ? null : Math.max(...reloadAges),
			...(restarts.length === 0 ? {} : {restartedAt: restarts[restarts.length - 1]!}),
		},
		sources: {
			proc: mergeSource(parts.map((p) => ({name: p.name, source: p.snapshot.sources.proc})))!,
			metrics: mergeSource(parts.map((p) => ({name: p.name, source: p.snapshot.sources.metrics})))!,
			api: mergeSource(parts.map((p) => ({name: p.name, source: p.snapshot.sources.api})))!,
			...(accessLog === undefined ? {} : {accessLog}),
		},
		totals: {
			scope: first.totals.scope,
			requestsPerSecond: sum(all.map((s) => s.totals.requestsPerSecond)),
			statusRates: sumRates(all.map((s) => s.totals.statusRates)),
			errorRatio: weighted(all.map((s) => ({value: s.totals.errorRatio, weight: s.totals.requestsPerSecond}))),
			latency: mergeLatency(all.map((s) => ({latency: s.totals.latency, weight: s.totals.requestsPerSecond}))),
			levels: worstLevels(all.map((s) => s.totals.levels)),
		},
		services,
		backends,
		entrypoints: [
			...byKey(
				parts,
				(s) => s.entrypoints,
				(e) => e.name,
			).values(),
		].map((g) => mergeEntryPoint(g.map((x) => x.row))),
		routers: [
			...byKey(
				parts,
				(s) => s.routers,
				(r) => r.name,
			).values(),
		]
			.map((g) => mergeRouter(g.map((x) => x.row)))
			.sort((a, b) => a.name.localeCompare(b.name)),
		...(requests === undefined ? {} : {requests}),
		alerts: parts.flatMap((p) => p.snapshot.alerts.map((a) => instanceAlert(p.name, a))).sort(byLevelThenAge),
		recentAlerts: parts
			.flatMap((p) => p.snapshot.recentAlerts.map((a) => instanceAlert(p.name, a)))
			.sort((a, b) => ((a.resolvedAt ?? '') < (b.resolvedAt ?? '') ? 1 : -1)),
		history: mergeHistory(all.map((s) => s.history)),
		otherConnections: all.reduce((n, s) => n + s.otherConnections, 0),
		unresolvedServers: [...unresolved.values()],
	};
}
