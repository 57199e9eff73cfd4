/**
 * Prometheus' histogram_quantile for classic buckets (promql/quantile.go bucketQuantile): linear
 * interpolation inside a bucket, the upper bound of the second-highest bucket when the rank falls
 * in +Inf, 0 as the lower bound of the lowest bucket unless its bound is <= 0. Pure.
 */

/** One classic bucket: its upper bound (Infinity for +Inf) and cumulative count. */
export interface Bucket {
	readonly upperBound: number;
	readonly count: number;
}

/** The q-quantile of cumulative buckets; NaN where Prometheus answers NaN. */
export function bucketQuantile(q: number, input: readonly Bucket[]): number {
	if (Number.isNaN(q)) return Number.NaN;
	if (q < 0) return Number.NEGATIVE_INFINITY;
	if (q > 1) return Number.POSITIVE_INFINITY;
	if (input.length === 0) return Number.NaN;
	const sorted = [...input].sort((a, b) => a.upperBound - b.upperBound);
	if (sorted[sorted.length - 1]!.upperBound !== Number.POSITIVE_INFINITY) return Number.NaN;
	// Coalesce equal bounds, then correct float noise and force monotonic counts, as Prometheus does.
	const buckets: {upperBound: number; count: number}[] = [];
	for (const b of sorted) {
		const last = buckets[buckets.length - 1];
		if (last && last.upperBound === b.upperBound) last.count += b.count;
		else buckets.push({upperBound: b.upperBound, count: b.count});
	}
	let prev = buckets[0]!.count;
	for (let i = 1; i < buckets.length; i++) {
		const current = buckets[i]!.count;
		const delta = Math.abs(current - prev);
		if (delta === 0) continue;
		if (delta / current <= 1e-12) buckets[i]!.count = prev;
		else prev = current;
	}
	let max = buckets[0]!.count;
	for (let i = 1; i < buckets.length; i++) {
		if (buckets[i]!.count > max) max = buckets[i]!.count;
		else if (buckets[i]!.count < max) buckets[i]!.count = max;
	}
	if (buckets.length < 2) return Number.NaN;
	const observations = buckets[buckets.length - 1]!.count;
	if (observations === 0) return Number.NaN;
	let rank = q * observations;
	// sort.Search over all but the +Inf bucket: the first whose count reaches the rank.
	let b = 0;
	while (b < buckets.length - 1 && buckets[b]!.count < rank) b++;
	if (b === buckets.length - 1) return buckets[buckets.length - 2]!.upperBound;
	if (b === 0 && buckets[0]!.upperBound <= 0) return buckets[0]!.upperBound;
	let bucketStart = 0;
	const bucketEnd = buckets[b]!.upperBound;
	let count = buckets[b]!.count;
	if (b > 0) {
		bucketStart = buckets[b - 1]!.upperBound;
		count -= buckets[b - 1]!.count;
		rank -= buckets[b - 1]!.count;
	}
	return bucketStart + (bucketEnd - bucketStart) * (rank / count);
}

/** bucketQuantile with NaN and infinities turned into null (nothing to show). */
export function quantileOrNull(q: number, buckets: readonly Bucket[]): number | null {
	const value = bucketQuantile(q, buckets);
	return Number.isFinite(value) ? value : null;
}

/**
 * p50, p95 and p99 of buckets already sorted by distinct bounds (a counter group's), cleaned once
 * for the three: the same values as bucketQuantile gives each (null where it gives no finite one).
 */
export function threeQuantiles(bounds: ArrayLike<number>, cumulative: ArrayLike<number>): {p50: number | null; p95: number | null; p99: number | null} {
	const none = {p50: null, p95: null, p99: null};
	if (bounds.length < 2 || bounds[bounds.length - 1] !== Number.POSITIVE_INFINITY) return none;
	const counts = Array.from(cumulative);
	let prev = counts[0]!;
	for (let i = 1; i < counts.length; i++) {
		const current = counts[i]!;
		const delta = Math.abs(current - prev);
		if (delta === 0) continue;
		if (delta / current <= 1e-12) counts[i] = prev;
		else prev = current;
	}
	let max = counts[0]!;
	for (let i = 1; i < counts.length; i++) {
		if (counts[i]! > max) max = counts[i]!;
		else if (counts[i]! < max) counts[i] = max;
	}
	const observations = counts[counts.length - 1]!;
	if (observations === 0) return none;
	const at = (q: number): number | null => {
		let rank = q * observations;
		let b = 0;
		while (b < counts.length - 1 && counts[b]! < rank) b++;
		let value: number;
		if (b === counts.length - 1) value = bounds[bounds.length - 2]!;
		else if (b === 0 && bounds[0]! <= 0) value = bounds[0]!;
		else {
			let start = 0;
			let count = counts[b]!;
			if (b > 0) {
				start = bounds[b - 1]!;
				count -= counts[b - 1]!;
				rank -= counts[b - 1]!;
			}
			value = start + (bounds[b]! - start) * (rank / count);
		}
		return Number.isFinite(value) ? value : null;
	};
	return {p50: at(0.5), p95: at(0.95), p99: at(0.99)};
}
