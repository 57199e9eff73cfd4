/**
 * Rates and latency from successive /metrics readings: per-second rates over the last interval
 * and over the last minute, counter resets handled (a drop, or a new process start time), gaps
 * for failed scrapes, vanished series forgotten. Pure: times come in.
 */
import type {CounterGroup, MetricsReading, StatusClass} from '../domain/harvest.js';
import {threeQuantiles} from './quantile.js';
import {Ring} from './ring.js';
import type {Latency, LatencyBucket, StatusRates} from '../domain/snapshot.js';

const CLASSES: readonly StatusClass[] = ['2xx', '3xx', '4xx', '5xx', 'other'];

/** A counter group flattened for subtraction: classes, buckets (by sorted bound), count, sum, bytes, retries. */
interface Vector {
	readonly bounds: readonly number[];
	readonly values: Float64Array;
}

const FIXED = CLASSES.length + 5; // + durationCount, durationSum, bytesIn, bytesOut, retries

function toVector(g: CounterGroup): Vector {
	const bounds = [...g.buckets.keys()].sort((a, b) => a - b);
	const values = new Float64Array(FIXED + bounds.length);
	CLASSES.forEach((c, i) => (values[i] = g.requests[c]));
	values[5] = g.durationCount;
	values[6] = g.durationSum;
	values[7] = g.bytesIn ?? Number.NaN;
	values[8] = g.bytesOut ?? Number.NaN;
	values[9] = g.retries ?? Number.NaN;
	bounds.forEach((b, i) => (values[FIXED + i] = g.buckets.get(b)!));
	return {bounds, values};
}

function addInto(target: Map<string, Vector>, key: string, v: Vector): void {
	const existing = target.get(key);
	if (existing === undefined || existing.bounds.join() !== v.bounds.join()) {
		if (existing === undefined) target.set(key, {bounds: v.bounds, values: Float64Array.from(v.values)});
		return;
	}
	for (let i = 0; i < v.values.length; i++) existing.values[i]! += v.values[i]!;
}

/** later - earlier, or null when a counter went down (a reset, or a series that vanished) or buckets changed. */
function subtract(later: Vector, earlier: Vector): Float64Array | null {
	if (later.bounds.length !== earlier.bounds.length || later.bounds.some((b, i) => b !== earlier.bounds[i])) return null;
	const out = new Float64Array(later.values.length);
	for (let i = 0; i < out.length; i++) {
		const d = later.values[i]! - earlier.values[i]!;
		if (d < 0) return null;
		out[i] = d; // NaN stays NaN: a family that is absent
	}
	return out;
}

/** Figures of one group over one span of time. */
export interface SpanStats {
	readonly requests: number;
	readonly requestsPerSecond: number;
	readonly statusRates: StatusRates;
	/** 5xx share of the span's requests, null without requests. */
	readonly errorRatio: number | null;
	readonly latency: Latency;
	readonly bytesInPerSecond: number | null;
	readonly bytesOutPerSecond: number | null;
	readonly retriesPerSecond: number | null;
}

const STATUS_CLASSES = ['2xx', '3xx', '4xx', '5xx'] as const satisfies readonly (keyof StatusRates)[];

const EMPTY_LATENCY: Latency = {p50: null, p95: null, p99: null, buckets: []};

/** Latency figures from the bucket deltas of a span. */
export function latencyOf(bounds: readonly number[], cumulative: ArrayLike<number>): Latency {
	if (bounds.length === 0) return EMPTY_LATENCY;
	const total = cumulative[bounds.length - 1]!;
	const shares = new Array<LatencyBucket>(bounds.length);
	for (let i = 0; i < bounds.length; i++) {
		const count = cumulative[i]!;
		shares[i] = {
			le: bounds[i] === Number.POSITIVE_INFINITY ? '+Inf' : bounds[i]!,
			share: total > 0 ? (count - (i > 0 ? cumulative[i - 1]! : 0)) / total : null,
			cumulativeShare: total > 0 ? count / total : null,
		};
	}
	return {...threeQuantiles(bounds, cumulative), buckets: shares, count: total};
}

function spanStats(bounds: readonly number[], d: Float64Array, seconds: number): SpanStats {
	const requests = d[0]! + d[1]! + d[2]! + d[3]! + d[4]!;
	const rate = (v: number): number | null => (Number.isNaN(v) ? null : v / seconds);
	return {
		requests,
		requestsPerSecond: requests / seconds,
		statusRates: {'2xx': d[0]! / seconds, '3xx': d[1]! / seconds, '4xx': d[2]! / seconds, '5xx': d[3]! / seconds},
		errorRatio: requests > 0 ? d[3]! / requests : null,
		latency: latencyOf(bounds, d.subarray(FIXED)),
		bytesInPerSecond: rate(d[7]!),
		bytesOutPerSecond: rate(d[8]!),
		retriesPerSecond: rate(d[9]!),
	};
}

interface Stamped {
	readonly at: number;
	readonly vector: Vector;
}

/** How a series keeps its past: the window rules read, how far apart its readings are, how much history. */
export interface SeriesOptions {
	/** Longest span read (error_ratio's minute). */
	readonly windowMs: number;
	/** The latency rule's span. */
	readonly recentMs: number;
	/** Samples of history kept (the sparkline of a pinned service, the total's for the whole retention). */
	readonly historyLength: number;
}

/**
 * What is remembered of one service, entry point or router. Readings are kept a few seconds
 * apart over the window (not one per poll: at 100 ms polling a minute would be 600 of them), so a
 * series costs the same at any poll rate; only the total and the pinned service keep the error
 * ratio, p95 and bucket histories beside their rate.
 */
class GroupSeries {
	/** Readings of the window (and one before it), oldest first, at least `spacing` apart; the newest is `last`. */
	private readings: Stamped[] = [];
	private last: Stamped | null = null;
	lastSeen = 0;
	interval: SpanStats | null = null;
	minute: SpanStats | null = null;
	/** The last few seconds (the latency rule's window): quicker than the minute, steadier than one poll. */
	recent: SpanStats | null = null;
	readonly rps: Ring<number>;
	errorRatio: Ring<number> | null = null;
	p50: Ring<number> | null = null;
	p95: Ring<number> | null = null;
	p99: Ring<number> | null = null;
	/** Requests per second of each status class, per poll. */
	statusRates: Record<keyof StatusRates, Ring<number>> | null = null;
	bucketShares: Ring<Float32Array> | null = null;
	private readonly spacing: number;

	constructor(private readonly options: SeriesOptions) {
		this.rps = new Ring(options.historyLength);
		this.spacing = Math.min(options.windowMs / 20, options.recentMs / 5);
	}

	update(at: number, vector: Vector, rich: boolean): void {
		const {windowMs, recentMs} = this.options;
		const previous = this.last;
		const d = previous === null ? null : subtract(vector, previous.vector);
		if (previous !== null && d === null) this.readings = []; // reset: the older readings no longer subtract
		this.interval = d === null || previous === null || at <= previous.at ? null : spanStats(vector.bounds, d, (at - previous.at) / 1000);
		const stamped = {at, vector};
		this.last = stamped;
		const newest = this.readings[this.readings.length - 1];
		if (newest === undefined || at - newest.at >= this.spacing) this.readings.push(stamped);
		while (this.readings.length > 2 && this.readings[1]!.at <= at - windowMs) this.readings.shift();
		const oldest = this.readings[0]!;
		const md = oldest.at < at ? subtract(vector, oldest.vector) : null;
		this.minute = md === null ? null : spanStats(vector.bounds, md, (at - oldest.at) / 1000);
		const start = this.readings.find((w) => w.at >= at - recentMs - 1) ?? oldest;
		const rd = start.at < at ? subtract(vector, start.vector) : null;
		this.recent = rd === null ? null : spanStats(vector.bounds, rd, (at - start.at) / 1000);
		this.lastSeen = at;
		this.record(rich);
	}

	/** A poll without a reading of this group: a gap in every series. */
	gap(rich: boolean): void {
		this.interval = null;
		this.minute = null;
		this.recent = null;
		this.record(rich);
	}

	private record(rich: boolean): void {
		this.rps.push(this.interval?.requestsPerSecond ?? null);
		if (!rich) {
			this.errorRatio = this.p50 = this.p95 = this.p99 = this.statusRates = this.bucketShares = null;
			return;
		}
		const length = this.options.historyLength;
		const interval = this.interval;
		(this.errorRatio ??= new Ring(length)).push(interval?.errorRatio ?? null);
		(this.p50 ??= new Ring(length)).push(interval?.latency.p50 ?? null);
		(this.p95 ??= new Ring(length)).push(interval?.latency.p95 ?? null);
		(this.p99 ??= new Ring(length)).push(interval?.latency.p99 ?? null);
		this.statusRates ??= {'2xx': new Ring(length), '3xx': new Ring(length), '4xx': new Ring(length), '5xx': new Ring(length)};
		for (const k of STATUS_CLASSES) this.statusRates[k].push(interval?.statusRates[k] ?? null);
		const buckets = this.interval?.latency.buckets;
		(this.bucketShares ??= new Ring(length)).push(
			buckets && buckets.length > 0 && buckets[0]!.share !== null ? Float32Array.from(buckets, (b) => b.share ?? 0) : null,
		);
	}

	/** Bucket bounds of the latest reading. */
	get bounds(): readonly number[] {
		return this.last?.vector.bounds ?? [];
	}
}

/** Key of the group that sums every entry point (or every service when entry points are absent). */
export const ALL = '*';

/** How many series of a kind are tracked, and how many more there were. */
export interface Tracking {
	readonly tracked: number;
	/** Present in the last reading but not tracked (over the limit). */
	readonly untracked: number;
	readonly limit: number;
}

/** What the traffic model is told of the user's settings. */
export interface TrafficOptions {
	/** Samples of the total's history (the retention at the poll interval). */
	readonly historyLength: number;
	readonly windowMs?: number;
	readonly recentMs?: number;
	/** A series not seen for this long is forgotten. */
	readonly forgetMs?: number;
	/** Services (and routers) tracked at most: the busiest and the newest are kept. */
	readonly maxTracked?: number;
}

/** A service's own history: enough for the sparkline of a pinned one. */
const SERIES_HISTORY = 600;

/** The traffic model: one series per service, entry point and router, plus the total. */
export class TrafficModel {
	readonly services = new Map<string, GroupSeries>();
	readonly entrypoints = new Map<string, GroupSeries>();
	readonly routers = new Map<string, GroupSeries>();
	readonly total: GroupSeries;
	private startTime: number | null = null;
	private lastCpu: {at: number; seconds: number} | null = null;
	cpuRatio: number | null = null;
	/** The service whose error ratio, p95 and bucket history are kept besides the total's (the pinned one). */
	focus: string | null = null;
	private readonly windowMs: number;
	private readonly forgetMs: number;
	private readonly maxTracked: number;
	private readonly seriesOptions: SeriesOptions;
	tracking: {services: Tracking; routers: Tracking};
	private polls = 0;

	constructor(options: TrafficOptions) {
		this.windowMs = options.windowMs ?? 60_000;
		this.forgetMs = options.forgetMs ?? 60_000;
		this.maxTracked = options.maxTracked ?? 5000;
		const recentMs = options.recentMs ?? 10_000;
		this.seriesOptions = {windowMs: this.windowMs, recentMs, historyLength: Math.min(options.historyLength, SERIES_HISTORY)};
		this.total = new GroupSeries({windowMs: this.windowMs, recentMs, historyLength: options.historyLength});
		const none = {tracked: 0, untracked: 0, limit: this.maxTracked};
		this.tracking = {services: none, routers: none};
	}

	/** Takes one successful reading. Returns true when Traefik restarted since the last one. */
	ingest(at: number, reading: MetricsReading): boolean {
		const restarted = this.startTime !== null && reading.processStartTime !== null && reading.processStartTime !== this.startTime;
		if (reading.processStartTime !== null) this.startTime = reading.processStartTime;
		if (restarted) {
			// Counters started again from zero: no span may reach across the restart.
			for (const map of [this.services, this.entrypoints, this.routers]) map.clear();
			this.lastCpu = null;
		}
		this.polls++;
		const totals = new Map<string, Vector>();
		this.tracking = {
			services: this.feed(this.services, reading.services, at, totals, reading.entrypoints.size === 0),
			routers: this.feed(this.routers, reading.routers, at, null, false),
		};
		this.feed(this.entrypoints, reading.entrypoints, at, totals, true);
		const total = totals.get(ALL);
		if (restarted || total === undefined) this.total.gap(true);
		if (total !== undefined) this.total.update(at, total, true);
		if (reading.processCpuSeconds !== null) {
			const last = this.lastCpu;
			this.cpuRatio =
				last !== null && at > last.at && reading.processCpuSeconds >= last.seconds
					? (reading.processCpuSeconds - last.seconds) / ((at - last.at) / 1000)
					: null;
			this.lastCpu = {at, seconds: reading.processCpuSeconds};
		}
		return restarted;
	}

	/** A failed scrape: every series gets a gap. */
	gap(): void {
		for (const map of [this.services, this.entrypoints, this.routers]) for (const [key, g] of map) g.gap(key === this.focus);
		this.total.gap(true);
		this.cpuRatio = null;
	}

	/**
	 * Which of `groups` to track when there are more than the limit: those already tracked, then
	 * the busiest of the rest by their requests so far (a new series has all its requests new).
	 * Chosen again every 10 polls, and whenever a tracked one vanished or a place is free.
	 */
	private chosen: Set<string> | null = null;
	private choose(series: Map<string, GroupSeries>, groups: Map<string, CounterGroup>): Set<string> | null {
		if (groups.size <= this.maxTracked) return null;
		if (this.chosen !== null && this.polls % 10 !== 0 && [...this.chosen].every((k) => groups.has(k)) && this.chosen.size >= this.maxTracked)
			return this.chosen;
		const scored: {key: string; score: number}[] = [];
		for (const [key, group] of groups) {
			const rate = series.get(key)?.interval?.requests;
			// Tracked ones by their last interval, others by all their requests: both busy-ness, and the tracked keep their place on ties.
			scored.push({key, score: rate !== undefined ? rate + 0.5 : requestsOf(group)});
		}
		scored.sort((a, b) => b.score - a.score);
		this.chosen = new Set(scored.slice(0, this.maxTracked).map((s) => s.key));
		return this.chosen;
	}

	private feed(
		series: Map<string, GroupSeries>,
		groups: Map<string, CounterGroup>,
		at: number,
		totals: Map<string, Vector> | null,
		countInTotal: boolean,
	): Tracking {
		const limited = series !== this.entrypoints;
		const chosen = limited ? this.choose(series, groups) : null;
		let untracked = 0;
		for (const [key, group] of groups) {
			if (chosen !== null && !chosen.has(key)) {
				// Not tracked: still counted in the total.
				untracked++;
				if (totals !== null && countInTotal) addGroupInto(totals, ALL, group);
				continue;
			}
			let s = series.get(key);
			if (s === undefined) {
				s = new GroupSeries(this.seriesOptions);
				series.set(key, s);
			}
			const vector = toVector(group);
			s.update(at, vector, key === this.focus);
			if (totals !== null && countInTotal) addInto(totals, ALL, vector);
		}
		// Vanished series are kept a while as gaps, but never more of them than a tenth of the
		// limit: a churning cluster (preview environments) must not grow the memory.
		const keepVanished = Math.max(10, Math.floor(this.maxTracked / 10));
		const vanished: [string, GroupSeries][] = [];
		for (const [key, s] of series) {
			if (groups.has(key) && (chosen === null || chosen.has(key))) continue;
			if (at - s.lastSeen > this.forgetMs) series.delete(key);
			else vanished.push([key, s]);
		}
		if (vanished.length > keepVanished) {
			vanished.sort((a, b) => a[1].lastSeen - b[1].lastSeen);
			for (const [key] of vanished.splice(0, vanished.length - keepVanished)) series.delete(key);
		}
		for (const [key, s] of vanished) s.gap(key === this.focus);
		return {tracked: series.size, untracked, limit: this.maxTracked};
	}
}

/** All the requests a counter group counts. */
const requestsOf = (g: CounterGroup): number => g.requests['2xx'] + g.requests['3xx'] + g.requests['4xx'] + g.requests['5xx'] + g.requests.other;

/** Adds a group's counters to a total without building its vector. */
function addGroupInto(target: Map<string, Vector>, key: string, g: CounterGroup): void {
	const existing = target.get(key);
	if (existing === undefined) {
		target.set(key, toVector(g));
		return;
	}
	if (existing.bounds.length !== g.buckets.size || existing.bounds.some((b) => !g.buckets.has(b))) return;
	const v = existing.values;
	CLASSES.forEach((c, i) => (v[i]! += g.requests[c]));
	v[5]! += g.durationCount;
	v[6]! += g.durationSum;
	v[7]! += g.bytesIn ?? Number.NaN;
	v[8]! += g.bytesOut ?? Number.NaN;
	v[9]! += g.retries ?? Number.NaN;
	existing.bounds.forEach((b, i) => (v[FIXED + i]! += g.buckets.get(b)!));
}

export type {GroupSeries};
