import fc from 'fast-check';
import {describe, expect, it} from 'vitest';
import {bucketQuantile, type Bucket} from '../../source/model/quantile.js';

const b = (pairs: [number, number][]): Bucket[] => pairs.map(([upperBound, count]) => ({upperBound, count}));
const INF = Number.POSITIVE_INFINITY;

describe('bucketQuantile (Prometheus histogram_quantile)', () => {
	it('interpolates linearly inside a bucket (hand-computed)', () => {
		// 100 observations: 50 <= 0.1, 80 <= 0.3, 95 <= 1.2, 100 <= 5
		const h = b([
			[0.1, 50],
			[0.3, 80],
			[1.2, 95],
			[5, 100],
			[INF, 100],
		]);
		expect(bucketQuantile(0.5, h)).toBeCloseTo(0.1, 12); // rank 50 ends the first bucket
		expect(bucketQuantile(0.25, h)).toBeCloseTo(0.05, 12); // lower bound 0 in the lowest bucket
		expect(bucketQuantile(0.65, h)).toBeCloseTo(0.1 + 0.2 * (15 / 30), 12);
		expect(bucketQuantile(0.95, h)).toBeCloseTo(1.2, 12);
		expect(bucketQuantile(0.99, h)).toBeCloseTo(1.2 + 3.8 * (4 / 5), 12);
	});

	it('returns the second-highest bound when the rank falls in +Inf', () => {
		expect(
			bucketQuantile(
				0.99,
				b([
					[0.1, 10],
					[5, 10],
					[INF, 20],
				]),
			),
		).toBe(5);
	});

	it('returns the lowest bound when it is <= 0 and the rank falls there', () => {
		expect(
			bucketQuantile(
				0.1,
				b([
					[-1, 5],
					[1, 10],
					[INF, 10],
				]),
			),
		).toBe(-1);
	});

	it('answers NaN without observations, without +Inf, with one bucket; infinities outside [0,1]', () => {
		expect(
			bucketQuantile(
				0.5,
				b([
					[0.1, 0],
					[INF, 0],
				]),
			),
		).toBeNaN();
		expect(
			bucketQuantile(
				0.5,
				b([
					[0.1, 3],
					[5, 4],
				]),
			),
		).toBeNaN();
		expect(bucketQuantile(0.5, b([[INF, 4]]))).toBeNaN();
		expect(
			bucketQuantile(
				-0.1,
				b([
					[0.1, 1],
					[INF, 1],
				]),
			),
		).toBe(Number.NEGATIVE_INFINITY);
		expect(
			bucketQuantile(
				1.1,
				b([
					[0.1, 1],
					[INF, 1],
				]),
			),
		).toBe(INF);
	});

	it('sorts, coalesces equal bounds and forces monotonic counts', () => {
		expect(
			bucketQuantile(
				0.5,
				b([
					[INF, 10],
					[0.3, 8],
					[0.1, 6],
				]),
			),
		).toBeCloseTo(0.1 * (5 / 6), 12);
		expect(
			bucketQuantile(
				0.5,
				b([
					[0.1, 2],
					[0.1, 2],
					[INF, 4],
				]),
			),
		).toBeCloseTo(0.05, 12);
		expect(
			bucketQuantile(
				0.9,
				b([
					[0.1, 9],
					[0.3, 5],
					[INF, 10],
				]),
			),
		).toBeCloseTo(0.1, 12);
	});
});

/** A plain reading of promql/quantile.go, written separately as a reference. */
function reference(q: number, input: Bucket[]): number {
	const sorted = [...input].sort((x, y) => x.upperBound - y.upperBound);
	const merged: Bucket[] = [];
	for (const x of sorted) {
		const last = merged.at(-1);
		if (last && last.upperBound === x.upperBound) merged[merged.length - 1] = {upperBound: x.upperBound, count: last.count + x.count};
		else merged.push(x);
	}
	if (merged.at(-1)?.upperBound !== INF || merged.length < 2) return Number.NaN;
	const counts = merged.map((x) => x.count);
	for (let i = 1; i < counts.length; i++) counts[i] = Math.max(counts[i]!, counts[i - 1]!);
	const total = counts.at(-1)!;
	if (total === 0) return Number.NaN;
	const rank = q * total;
	const idx = counts.findIndex((c, i) => i < counts.length - 1 && c >= rank);
	const at = idx < 0 ? counts.length - 1 : idx;
	if (at === counts.length - 1) return merged[counts.length - 2]!.upperBound;
	if (at === 0 && merged[0]!.upperBound <= 0) return merged[0]!.upperBound;
	const start = at === 0 ? 0 : merged[at - 1]!.upperBound;
	const below = at === 0 ? 0 : counts[at - 1]!;
	return start + (merged[at]!.upperBound - start) * ((rank - below) / (counts[at]! - below));
}

describe('bucketQuantile against the reference (property)', () => {
	it('agrees on random cumulative histograms', () => {
		const histogram = fc
			.tuple(
				fc.uniqueArray(fc.double({min: 0.001, max: 100, noNaN: true}), {minLength: 1, maxLength: 12}),
				fc.array(fc.nat({max: 1000}), {minLength: 13, maxLength: 13}),
			)
			.map(([bounds, increments]) => {
				const sortedBounds = [...bounds].sort((x, y) => x - y);
				let running = 0;
				const out = sortedBounds.map((upperBound, i) => ({upperBound, count: (running += increments[i]!)}));
				out.push({upperBound: INF, count: running + increments[12]!});
				return out;
			});
		fc.assert(
			fc.property(histogram, fc.double({min: 0, max: 1, noNaN: true}), (h, q) => {
				const ours = bucketQuantile(q, h);
				const theirs = reference(q, h);
				if (Number.isNaN(theirs)) expect(ours).toBeNaN();
				else expect(ours).toBeCloseTo(theirs, 9);
			}),
			{numRuns: 3000},
		);
	});
});
