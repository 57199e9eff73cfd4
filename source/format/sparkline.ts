/**
 * Sparklines and small bar charts in block characters. A gap (a failed read, null) is drawn as a
 * gap, never as a zero: the reason these are drawn here rather than with asciichart, which cannot
 * skip a point. Pure.
 */

const BLOCKS = ['▁', '▂', '▃', '▄', '▅', '▆', '▇', '█'];
const ASCII_BLOCKS = ['.', ':', '-', '=', '+', '*', '#', '@'];
const EIGHTHS = [' ', '▁', '▂', '▃', '▄', '▅', '▆', '▇', '█'];
const ASCII_EIGHTHS = [' ', '.', '.', ':', ':', '+', '+', '#', '#'];

/** The last `width` values, left-padded with `undefined` (no data yet, unlike a null gap). */
export function lastValues(values: readonly (number | null)[], width: number): (number | null | undefined)[] {
	const tail = values.slice(Math.max(0, values.length - width));
	return [...Array<undefined>(Math.max(0, width - tail.length)).fill(undefined), ...tail];
}

/** Largest non-null value (0 when none). */
export function maxOf(values: readonly (number | null | undefined)[]): number {
	let max = 0;
	for (const v of values) if (typeof v === 'number' && Number.isFinite(v) && v > max) max = v;
	return max;
}

/** One line: each value a block from ▁ to █ scaled to `max`; gaps are spaces (or `gap`). */
export function sparkline(values: readonly (number | null)[], width: number, options: {max?: number; ascii?: boolean; gap?: string} = {}): string {
	const shown = lastValues(values, width);
	const max = options.max ?? maxOf(shown);
	const blocks = options.ascii ? ASCII_BLOCKS : BLOCKS;
	return shown
		.map((v) => {
			if (v === undefined) return ' ';
			if (v === null || !Number.isFinite(v)) return options.gap ?? '·';
			if (max <= 0 || v <= 0) return blocks[0]!;
			return blocks[Math.min(blocks.length - 1, Math.floor((v / max) * (blocks.length - 1) + 0.5))]!;
		})
		.join('');
}

/** `height` lines (top first) of vertical bars in eighths of a cell, scaled to `max`. */
export function barChart(values: readonly (number | null)[], width: number, height: number, options: {max?: number; ascii?: boolean} = {}): string[] {
	const shown = lastValues(values, width);
	const max = options.max ?? maxOf(shown);
	const eighths = options.ascii ? ASCII_EIGHTHS : EIGHTHS;
	const levels = shown.map((v) =>
		v === undefined ? undefined : v === null || !Number.isFinite(v) ? null : max <= 0 ? 0 : Math.round((Math.max(0, v) / max) * height * 8),
	);
	const rows: string[] = [];
	for (let row = height - 1; row >= 0; row--) {
		rows.push(
			levels
				.map((level) => {
					if (level === undefined) return ' ';
					if (level === null) return row === 0 ? (options.ascii ? '_' : '·') : ' ';
					const fill = level - row * 8;
					return fill >= 8 ? eighths[8]! : fill <= 0 ? (row === 0 && level === 0 ? eighths[1]! : ' ') : eighths[fill]!;
				})
				.join(''),
		);
	}
	return rows;
}
