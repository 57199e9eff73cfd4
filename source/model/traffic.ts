/**
 * Rates and latency from successive /metrics readings: per-second rates over the last interval
 * and over the last minute, counter resets handled (a drop, or a new process start time), gaps
 * for failed scrapes, vanished series forgotten. Pure: times come in.
 */
import type {CounterGroup, MetricsReading, StatusClass} from '../domain/harvest.js';
import {quantileOrNull, type Bucket} from './quantile.js';
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

const EMPTY_LATENCY: Latency = {p50: null, p95: null, p99: null, buckets: []};

/** Latency figures from the bucket deltas of a span. */
export function latencyOf(bounds: readonly number[], cumulative: ArrayLike<number>): Latency {
	if (bounds.length === 0) return EMPTY_LATENCY;
	const buckets: Bucket[] = bounds.map((upperBound, i) => ({upperBound, count: cumulative[i]!}));
	const total = buckets[buckets.length - 1]!.count;
	const shares: LatencyBucket[] = buckets.map((b, i) => ({
		le: b.upperBound === Number.POSITIVE_INFINITY ? '+Inf' : b.upperBound,
		share: total > 0 ? (b.count - (i > 0 ? buckets[i - 1]!.count : 0)) / total : null,
		cumulativeShare: total > 0 ? b.count / total : null,
	}));
	return {p50: quantileOrNull(0.5, buckets), p95: quantileOrNull(0.95, buckets), p99: quantileOrNull(0.99, buckets), buckets: shares};
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

/** What is remembered of one service, entry point or router. */
class GroupSeries {
	/** Readings of the last minute (and one before it), oldest first. */
	private window: Stamped[] = [];
	lastSeen = 0;
	interval: SpanStats | null = null;
	minute: SpanStats | null = null;
	/** The last few seconds (the latency rule's window): quicker than the minute, steadier than one poll. */
	recent: SpanStats | null = null;
	readonly rps: Ring<number>;
	readonly errorRatio: Ring<number>;
	readonly p95: Ring<number>;
	bucketShares: Ring<Float32Array> | null = null;

	constructor(historyLength: number) {
		this.rps = new Ring(historyLength);
		this.errorRatio = new Ring(historyLength);
		this.p95 = new Ring(historyLength);
	}

	update(at: number, vector: Vector, windowMs: number, keepBuckets: boolean, recentMs = 10_000): void {
		const previous = this.window[this.window.length - 1];
		const d = previous === undefined ? null : subtract(vector, previous.vector);
		if (previous !== undefined && d === null) this.window = []; // reset: the older readings no longer subtract
		this.interval = d === null || previous === undefined || at <= previous.at ? null : spanStats(vector.bounds, d, (at - previous.at) / 1000);
		this.window.push({at, vector});
		while (this.window.length > 2 && this.window[1]!.at <= at - windowMs) this.window.shift();
		const oldest = this.window[0]!;
		const md = this.window.length > 1 ? subtract(vector, oldest.vector) : null;
		this.minute = md === null ? null : spanStats(vector.bounds, md, (at - oldest.at) / 1000);
		const start = this.window.find((w) => w.at >= at - recentMs - 1) ?? oldest;
		const rd = start.at < at ? subtract(vector, start.vector) : null;
		this.recent = rd === null ? null : spanStats(vector.bounds, rd, (at - start.at) / 1000);
		this.lastSeen = at;
		this.record(keepBuckets);
	}

	/** A poll without a reading of this group: a gap in every series. */
	gap(keepBuckets: boolean): void {
		this.interval = null;
		this.minute = null;
		this.recent = null;
		this.record(keepBuckets);
	}

	private record(keepBuckets: boolean): void {
		this.rps.push(this.interval?.requestsPerSecond ?? null);
		this.errorRatio.push(this.interval?.errorRatio ?? null);
		this.p95.push(this.interval?.latency.p95 ?? null);
		if (keepBuckets) {
			this.bucketShares ??= new Ring(this.rps.capacity);
			const buckets = this.interval?.latency.buckets;
			this.bucketShares.push(buckets && buckets.length > 0 && buckets[0]!.share !== null ? Float32Array.from(buckets, (b) => b.share ?? 0) : null);
		} else {
			this.bucketShares = null;
		}
	}

	/** Bucket bounds of the latest reading. */
	get bounds(): readonly number[] {
		return this.window[this.window.length - 1]?.vector.bounds ?? [];
	}
}

/** Key of the group that sums every entry point (or every service when entry points are absent). */
export const ALL = '*';

/** The traffic model: one series per service, entry point and router, plus the total. */
export class TrafficModel {
	readonly services = new Map<string, GroupSeries>();
	readonly entrypoints = new Map<string, GroupSeries>();
	readonly routers = new Map<string, GroupSeries>();
	readonly total: GroupSeries;
	private startTime: number | null = null;
	private lastCpu: {at: number; seconds: number} | null = null;
	cpuRatio: number | null = null;
	/** The service whose bucket history is kept besides the total's (the pinned one). */
	focus: string | null = null;

	constructor(
		private readonly historyLength: number,
		private readonly windowMs = 60_000,
		private readonly forgetMs = 60_000,
		private readonly recentMs = 10_000,
	) {
		this.total = new GroupSeries(historyLength);
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
		const totals = new Map<string, Vector>();
		this.feed(this.services, reading.services, at, totals, reading.entrypoints.size === 0);
		this.feed(this.entrypoints, reading.entrypoints, at, totals, true);
		this.feed(this.routers, reading.routers, at, null, false);
		const total = totals.get(ALL);
		if (restarted || total === undefined) this.total.gap(true);
		if (total !== undefined) this.total.update(at, total, this.windowMs, true, this.recentMs);
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

	private feed(
		series: Map<string, GroupSeries>,
		groups: Map<string, CounterGroup>,
		at: number,
		totals: Map<string, Vector> | null,
		countInTotal: boolean,
	): void {
		for (const [key, group] of groups) {
			let s = series.get(key);
			if (s === undefined) {
				s = new GroupSeries(this.historyLength);
				series.set(key, s);
			}
			const vector = toVector(group);
			s.update(at, vector, this.windowMs, key === this.focus, this.recentMs);
			if (totals !== null && countInTotal) addInto(totals, ALL, vector);
		}
		for (const [key, s] of series) {
			if (groups.has(key)) continue;
			if (at - s.lastSeen > this.forgetMs) series.delete(key);
			else s.gap(key === this.focus);
		}
	}
}

export type {GroupSeries};
