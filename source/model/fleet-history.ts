/**
 * The series of a group of instances, kept by the group: one point a poll from the summed
 * figures, so that a poll costs the same however long the retention (the instances' own series
 * are merged once, when what is pinned changes). Pure.
 */
import type {Snapshot} from '../domain/snapshot.js';
import {Ring} from './ring.js';

type History = Snapshot['history'];
type Totals = Snapshot['totals'];

const CLASSES = ['2xx', '3xx', '4xx', '5xx'] as const;

export class FleetHistory {
	private rings: ReturnType<FleetHistory['empty']>;

	constructor(private readonly length: number) {
		this.rings = this.empty();
	}

	private empty() {
		const ring = () => new Ring<number>(this.length);
		return {
			rps: ring(),
			errorRatio: ring(),
			p50: ring(),
			p95: ring(),
			p99: ring(),
			status: {'2xx': ring(), '3xx': ring(), '4xx': ring(), '5xx': ring()},
			buckets: new Map<string, Ring<number>>(),
			established: ring(),
			points: 0,
		};
	}

	/** Starts again from merged series (the instances' own, merged once). */
	seed(history: History): void {
		const r = (this.rings = this.empty());
		const fill = (ring: Ring<number>, values: readonly (number | null)[]) => {
			for (const v of values.slice(-this.length)) ring.push(v);
		};
		fill(r.rps, history.requestsPerSecond);
		fill(r.errorRatio, history.errorRatio);
		fill(r.p50, history.p50);
		fill(r.p95, history.p95);
		fill(r.p99, history.p99);
		for (const c of CLASSES) fill(r.status[c], history.statusRates[c]);
		for (const [le, values] of Object.entries(history.bucketShares)) {
			const ring = new Ring<number>(this.length);
			fill(ring, values);
			r.buckets.set(le, ring);
		}
		fill(r.established, history.establishedConnections);
		r.points = Math.min(this.length, history.requestsPerSecond.length);
	}

	/** This poll's point: the summed totals (a gap where they have no rate) and the summed ESTABLISHED connections. */
	push(totals: Totals, established: number | null): void {
		const r = this.rings;
		const gap = totals.requestsPerSecond === null;
		r.rps.push(totals.requestsPerSecond);
		r.errorRatio.push(gap ? null : totals.errorRatio);
		r.p50.push(gap ? null : totals.latency.p50);
		r.p95.push(gap ? null : totals.latency.p95);
		r.p99.push(gap ? null : totals.latency.p99);
		for (const c of CLASSES) r.status[c].push(totals.statusRates[c]);
		const seen = new Set<string>();
		for (const b of totals.latency.buckets) {
			const le = String(b.le);
			seen.add(le);
			let ring = r.buckets.get(le);
			if (ring === undefined) {
				ring = new Ring<number>(this.length);
				// A bound first seen now: its earlier points are gaps.
				for (let i = 0; i < Math.min(r.points, this.length); i++) ring.push(null);
				r.buckets.set(le, ring);
			}
			ring.push(gap ? null : b.share);
		}
		for (const [le, ring] of r.buckets) if (!seen.has(le)) ring.push(null);
		r.established.push(established);
		r.points++;
	}

	/** The series, oldest first. */
	history(): History {
		const r = this.rings;
		return {
			requestsPerSecond: r.rps.toArray(),
			errorRatio: r.errorRatio.toArray(),
			p50: r.p50.toArray(),
			p95: r.p95.toArray(),
			p99: r.p99.toArray(),
			statusRates: {'2xx': r.status['2xx'].toArray(), '3xx': r.status['3xx'].toArray(), '4xx': r.status['4xx'].toArray(), '5xx': r.status['5xx'].toArray()},
			bucketShares: Object.fromEntries([...r.buckets].map(([le, ring]) => [le, ring.toArray()])),
			establishedConnections: r.established.toArray(),
		};
	}
}
