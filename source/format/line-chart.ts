/**
 * Line charts with a labelled y-axis, drawn by asciichart, with the gaps laid over. Pure.
 *
 * asciichart 1.5 cannot draw a missing value (a NaN throws), and a failed poll must never look like
 * a value. So each series is drawn alone with its gaps filled by the value before them (a flat
 * run, never a spike), on one common scale; the drawings are laid on one another, and every
 * column of a gap is then blanked and marked at the bottom. Each cell says which series drew it,
 * so the screen can colour it, or, without colours, draw each series with a symbol of its own.
 */
import asciichart from 'asciichart';

export interface ChartSeries {
	readonly name: string;
	/** Oldest first; null is a gap (a failed poll). */
	readonly values: readonly (number | null)[];
	/** A bound drawn as a dotted line (the latency rule's), not data. */
	readonly mark?: boolean;
}

/** One cell of a chart: its character and what drew it. */
export interface ChartCell {
	readonly char: string;
	/** The index of the series that drew it; 'axis', 'gap' or 'blank' otherwise. */
	readonly by: number | 'axis' | 'gap' | 'blank';
}

export interface LineChart {
	/** The y-axis label of each row (the same width), top first. */
	readonly labels: readonly string[];
	/** The cells right of the label: the axis, then one column per point. */
	readonly rows: readonly (readonly ChartCell[])[];
	/** Points shown; each column stands for `perColumn` readings. */
	readonly points: number;
	readonly perColumn: number;
	/** Columns (0-based, after the axis) that are gaps. */
	readonly gapColumns: readonly number[];
}

export interface ChartOptions {
	/** Columns for the whole chart, label and axis included. */
	readonly width: number;
	/** Rows of the plot. */
	readonly height: number;
	/** A value as the axis labels it ("12.5", "300ms"). */
	readonly format: (value: number) => string;
	readonly ascii: boolean;
	/** Drawn with the gap mark: `·`, or `_` in ASCII. */
	readonly gap: string;
	/** The scale's bottom, 0 unless given (rates and counts start at zero). */
	readonly min?: number;
}

const ASCII_OF: Record<string, string> = {'┼': '+', '┤': '|', '─': '-', '│': '|', '╭': '.', '╮': '.', '╰': "'", '╯': "'"};
const MARK_CHAR = {unicode: '┄', ascii: '.'};

/** The last `points` columns of `values`, each the mean of `per` readings, null when any of them is a gap. */
export function resample(values: readonly (number | null)[], points: number): {values: (number | null)[]; per: number} {
	const per = Math.max(1, Math.ceil(values.length / Math.max(1, points)));
	if (per === 1) return {values: values.slice(-points), per};
	const out: (number | null)[] = [];
	// Buckets end at the newest reading, so the right edge is always now.
	for (let end = values.length; end > 0 && out.length < points; end -= per) {
		const bucket = values.slice(Math.max(0, end - per), end);
		out.push(bucket.some((v) => v === null) ? null : (bucket as number[]).reduce((a, b) => a + b, 0) / bucket.length);
	}
	return {values: out.reverse(), per};
}

/** Gaps (and the columns before the history began) filled by the value before them, or after at the start, or 0. */
function filled(values: readonly (number | null | undefined)[]): number[] {
	const first = values.find((v) => v !== null && v !== undefined) ?? 0;
	let last = first;
	return values.map((v) => (v === null || v === undefined ? last : (last = v)));
}

/** A line chart of `series` (all of the same length, oldest first) in `options.width` columns. */
export function lineChart(series: readonly ChartSeries[], options: ChartOptions): LineChart {
	const height = Math.max(2, options.height);
	const longest = Math.max(0, ...series.map((s) => s.values.length));
	const min = options.min ?? 0;
	const real = series.flatMap((s) => s.values.filter((v): v is number => v !== null && Number.isFinite(v)));
	let max = Math.max(min, ...real);
	// A flat (or all but flat: a denormal over zero) series gets a scale of one unit.
	if (!(max - min > 1e-9)) max = min + 1;
	// The label width is that of the widest label the scale can have.
	const labelWidth = Math.max(options.format(max).length, options.format(min).length, options.format((max + min) / 2).length);
	// Each column stands for `per` readings, as few as the width allows; as many columns as that takes.
	const room = Math.max(2, options.width - labelWidth - 2);
	const per = Math.max(1, Math.ceil(longest / room));
	const points = Math.max(2, Math.min(room, Math.ceil(longest / per)));
	const sampled = series.map((s) => resample(s.values, points));
	// A series shorter than the others starts later: undefined before its history, not a gap.
	const shown: (number | null | undefined)[][] = sampled.map((s) => [
		...Array.from({length: Math.max(0, points - s.values.length)}, () => undefined),
		...s.values,
	]);
	const data = shown.filter((_s, k) => !series[k]!.mark);
	const columns = Array.from({length: points}, (_, i) => i);
	// A gap: a failed poll (null) where no series has a value.
	const gapColumns = columns.filter((i) => data.some((s) => s[i] === null) && data.every((s) => s[i] === null || s[i] === undefined));
	const unborn = columns.filter((i) => data.length > 0 && data.every((s) => s[i] === undefined));
	const format = (value: number) => options.format(value).padStart(labelWidth);
	const config = {height: height - 1, min, max, format};
	const drawings = shown.map((values) => asciichart.plot(filled(values), config).split('\n'));
	const labels: string[] = [];
	const rows: ChartCell[][] = [];
	for (let r = 0; r < height; r++) {
		const base = drawings[0]?.[r] ?? '';
		const axisAt = [...base].findIndex((c) => c === '┼' || c === '┤');
		labels.push(axisAt < 0 ? ''.padStart(labelWidth) : [...base].slice(0, axisAt).join('').trimEnd().padStart(labelWidth));
		const cells: ChartCell[] = [{char: options.ascii ? '|' : '┤', by: 'axis'}];
		for (let c = 0; c < points; c++) cells.push({char: ' ', by: 'blank'});
		// Later series are drawn over earlier ones, as asciichart does; the bounds under the data.
		const order = series.map((s, k) => ({s, k})).sort((a, b) => Number(b.s.mark ?? false) - Number(a.s.mark ?? false));
		for (const {s, k} of order) {
			const chars = [...(drawings[k]?.[r] ?? '')].slice(axisAt + 1);
			for (let c = 0; c < points; c++) {
				const ch = chars[c];
				if (ch === undefined || ch === ' ') continue;
				const char = s.mark ? MARK_CHAR[options.ascii ? 'ascii' : 'unicode'] : options.ascii ? (ASCII_OF[ch] ?? ch) : ch;
				cells[c + 1] = {char, by: k};
			}
		}
		rows.push(cells);
	}
	// A gap column shows no line: blank above, the gap mark on the bottom row; before the history, nothing.
	for (const c of unborn) for (let r = 0; r < height; r++) rows[r]![c + 1] = {char: ' ', by: 'blank'};
	for (const c of gapColumns) {
		for (let r = 0; r < height; r++) rows[r]![c + 1] = r === height - 1 ? {char: options.gap, by: 'gap'} : {char: ' ', by: 'gap'};
	}
	return {labels, rows, points, perColumn: per, gapColumns};
}
