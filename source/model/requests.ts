/**
 * The requests of Traefik's access log: the last ones kept in a ring, and per server (the
 * `ServiceURL`/`ServiceAddr` that answered) a minute of statistics in 5-second buckets, with a
 * latency histogram on a log scale for its quantiles. Memory is bounded whatever the traffic:
 * the ring's length, and per server 12 buckets of 36 counters. Pure (`now` passed in).
 */
import type {RequestRecord} from '../domain/requests.js';

const BUCKET_MS = 5000;
const BUCKETS = 12; // a minute
/** Latency bounds in ms: 1 ms to about 65 s, each twice the one before... in half steps. */
const BOUNDS = Array.from({length: 33}, (_, i) => 2 ** (i / 2));
const COUNTERS = 3 + BOUNDS.length; // requests, 5xx, retries, then the histogram

/** A server's figures over the last minute. */
export interface ServerRequestStats {
	readonly requestsPerSecond: number;
	/** 5xx share of its requests, null without requests. */
	readonly errorRatio: number | null;
	readonly p50: number | null;
	readonly p95: number | null;
	readonly retriesPerSecond: number;
	readonly requests: number;
}

interface ServerTrack {
	readonly counts: Uint32Array;
	/** The bucket number (time / BUCKET_MS) each slot holds. */
	readonly slots: Float64Array;
	lastAt: number;
}

export class RequestsModel {
	private ring: RequestRecord[] = [];
	private next = 0;
	private readonly servers = new Map<string, ServerTrack>();
	/** Requests taken since the start. */
	total = 0;

	constructor(
		readonly capacity = 10_000,
		readonly maxServers = 20_000,
	) {}

	/** Takes the requests of one read (oldest first). `now` dates a line whose time did not parse. */
	ingest(records: readonly RequestRecord[], now: number): void {
		for (const r of records) {
			this.total++;
			if (this.ring.length < this.capacity) this.ring.push(r);
			else {
				this.ring[this.next] = r;
				this.next = (this.next + 1) % this.capacity;
			}
			const key = r.serverUrl ?? r.serverAddr;
			if (key !== null) this.count(key, r, Math.min(now, r.at ?? now));
		}
		// Servers not heard of for a minute are let go.
		for (const [key, track] of this.servers) if (now - track.lastAt > BUCKET_MS * BUCKETS) this.servers.delete(key);
	}

	/** The last `n` requests, newest first, that `keep` keeps. */
	latest(n: number, keep: (r: RequestRecord) => boolean = () => true): RequestRecord[] {
		const out: RequestRecord[] = [];
		const len = this.ring.length;
		for (let i = 0; i < len && out.length < n; i++) {
			const r = this.ring[(this.next - 1 - i + len * 2) % len]!;
			if (keep(r)) out.push(r);
		}
		return out;
	}

	/** The figures of a server (by its URL, else its host:port) over the last minute, null when it had no request. */
	stats(key: string, now: number): ServerRequestStats | null {
		const track = this.servers.get(key);
		if (track === undefined) return null;
		const sum = new Float64Array(COUNTERS);
		const current = Math.floor(now / BUCKET_MS);
		let oldest = current;
		for (let s = 0; s < BUCKETS; s++) {
			const bucket = track.slots[s]!;
			if (bucket <= current - BUCKETS || bucket > current) continue;
			oldest = Math.min(oldest, bucket);
			for (let k = 0; k < COUNTERS; k++) sum[k]! += track.counts[s * COUNTERS + k]!;
		}
		const requests = sum[0]!;
		if (requests === 0) return null;
		// The span covered: from the oldest bucket's start to now (at least one bucket).
		const seconds = Math.max(BUCKET_MS, now - oldest * BUCKET_MS) / 1000;
		return {
			requestsPerSecond: requests / seconds,
			errorRatio: sum[1]! / requests,
			p50: quantile(sum, requests, 0.5),
			p95: quantile(sum, requests, 0.95),
			retriesPerSecond: sum[2]! / seconds,
			requests,
		};
	}

	private count(key: string, r: RequestRecord, at: number): void {
		let track = this.servers.get(key);
		if (track === undefined) {
			if (this.servers.size >= this.maxServers) return;
			track = {counts: new Uint32Array(BUCKETS * COUNTERS), slots: new Float64Array(BUCKETS).fill(-1), lastAt: at};
			this.servers.set(key, track);
		}
		track.lastAt = Math.max(track.lastAt, at);
		const bucket = Math.floor(at / BUCKET_MS);
		const slot = bucket % BUCKETS;
		if (track.slots[slot] !== bucket) {
			if (track.slots[slot]! > bucket) return; // older than the minute kept
			track.slots[slot] = bucket;
			track.counts.fill(0, slot * COUNTERS, (slot + 1) * COUNTERS);
		}
		const base = slot * COUNTERS;
		track.counts[base]!++;
		if (r.status >= 500) track.counts[base + 1]!++;
		track.counts[base + 2]! += r.retries;
		if (r.durationMs !== null) {
			let b = BOUNDS.findIndex((bound) => r.durationMs! <= bound);
			if (b < 0) b = BOUNDS.length - 1;
			track.counts[base + 3 + b]!++;
		}
	}
}

/** A quantile in seconds from the histogram part of `sum`: the bound of the bucket it falls in. */
function quantile(sum: Float64Array, requests: number, q: number): number | null {
	let timed = 0;
	for (let b = 0; b < BOUNDS.length; b++) timed += sum[3 + b]!;
	if (timed === 0 || requests === 0) return null;
	const want = q * timed;
	let seen = 0;
	for (let b = 0; b < BOUNDS.length; b++) {
		seen += sum[3 + b]!;
		if (seen >= want) return BOUNDS[b]! / 1000;
	}
	return BOUNDS[BOUNDS.length - 1]! / 1000;
}
