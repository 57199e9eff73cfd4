/** Column fitting shared by the plain-text report and the screen's tables, by terminal cells. Pure. */
import stringWidth from 'string-width';

export type Align = 'left' | 'right';

/** A column: its header, how to fit it, how to print a row's cell, how it sorts and which rule colours it. */
export interface Column<Row, Key extends string = string, LevelKey extends string = string> {
	readonly key: Key;
	readonly header: string;
	/** Width it needs; text columns may shrink down to `min`. */
	readonly width: number;
	readonly min?: number;
	readonly align?: Align;
	/** Share of the spare room this column takes (text columns: service, address). */
	readonly grow?: number;
	/** Lower numbers are dropped last when the width is short; columns without one stay. */
	readonly priority?: number;
	readonly cell: (row: Row) => string;
	/** The figure in the row's `levels` that colours the cell: the rule that judges this column. */
	readonly level?: LevelKey;
	/** Order when the table is sorted by this column (most telling first: the largest, the worst). */
	readonly sort?: (a: Row, b: Row) => number;
	/** Which way `sort` runs: descending (the default, numbers) or ascending (text). */
	readonly sortDirection?: SortDirection;
}

export type SortDirection = 'asc' | 'desc';

/** A sort a table offers: a column's, or one of its own (the backends' "alert", worst first). */
export interface SortOrder<Row> {
	readonly key: string;
	readonly compare: (a: Row, b: Row) => number;
	/** The direction of `compare` (the screen's arrow says the direction the rows are in). */
	readonly direction: SortDirection;
}

/** Every column of a table, and the sorts `s` cycles through (the first is the default). */
export interface TableDefinition<Row, Key extends string = string, LevelKey extends string = string> {
	readonly columns: readonly Column<Row, Key, LevelKey>[];
	readonly sorts: readonly SortOrder<Row>[];
}

/** The sorts of the columns that have one, after `first` (sorts of the table's own). */
export function sortsOf<Row>(columns: readonly Column<Row>[], first: readonly SortOrder<Row>[] = []): SortOrder<Row>[] {
	return [...first, ...columns.flatMap((c) => (c.sort === undefined ? [] : [{key: c.key, compare: c.sort, direction: c.sortDirection ?? 'desc'}]))];
}

/** Plain code-unit order: service names and addresses are ASCII, and localeCompare is ~50x slower. */
export const byText = (a: string, b: string): number => (a < b ? -1 : a > b ? 1 : 0);

/** 2 for a row with a critical alert, 1 for a warning, 0 otherwise: worst first in the alert sorts. */
export const alertRank = (row: {readonly alertLevel?: 'warn' | 'crit'}): number => (row.alertLevel === 'crit' ? 2 : row.alertLevel === 'warn' ? 1 : 0);

/** Largest first, unknown (null) last. */
export const byNumber = (a: number | null | undefined, b: number | null | undefined): number => num(b) - num(a);
const num = (v: number | null | undefined): number => (v === null || v === undefined || Number.isNaN(v) ? -1 : v);

/**
 * Fits columns into `total` characters (one space between columns): drops the least important
 * columns first, then shrinks text columns to their minimum, then shares spare room by `grow`.
 */
export function fitColumns<C extends Column<never>>(columns: readonly C[], total: number): (C & {readonly fitted: number})[] {
	let kept = [...columns];
	const need = (cols: readonly C[], useMin: boolean): number =>
		cols.reduce((sum, c) => sum + (useMin ? (c.min ?? c.width) : c.width), 0) + Math.max(0, cols.length - 1);
	while (need(kept, true) > total) {
		const droppable = kept.filter((c) => c.priority !== undefined);
		if (droppable.length === 0) break;
		const worst = droppable.reduce((a, b) => ((b.priority ?? 0) >= (a.priority ?? 0) ? b : a));
		kept = kept.filter((c) => c !== worst);
	}
	const widths = kept.map((c) => c.width);
	let excess = need(kept, false) - total;
	for (let i = kept.length - 1; i >= 0 && excess > 0; i--) {
		const c = kept[i]!;
		const room = c.width - (c.min ?? c.width);
		const cut = Math.min(room, excess);
		widths[i] = c.width - cut;
		excess -= cut;
	}
	let spare = -excess;
	const growTotal = kept.reduce((sum, c) => sum + (c.grow ?? 0), 0);
	if (spare > 0 && growTotal > 0) {
		const share = spare;
		kept.forEach((c, i) => {
			if (!c.grow) return;
			const extra = Math.floor((share * c.grow) / growTotal);
			widths[i] = widths[i]! + extra;
			spare -= extra;
		});
	}
	return kept.map((c, i) => ({...c, fitted: Math.max(1, widths[i]!)}));
}

/** True when every code unit of `text` is one terminal cell of its own (the common case: ASCII, box and block glyphs). */
function narrow(text: string): boolean {
	for (let i = 0; i < text.length; i++) {
		const c = text.charCodeAt(i);
		if (c < 0x20 || (c > 0x7e && c < 0xa0) || (c > 0x2ff && (c < 0x2010 || c > 0x2bff)) || (c >= 0x2028 && c <= 0x202f) || (c >= 0x2060 && c <= 0x206f))
			return false;
	}
	return true;
}

/** Cells `text` takes in a terminal: wide (CJK) and emoji characters take two, combining marks none. */
export function textWidth(text: string): number {
	return narrow(text) ? text.length : stringWidth(text);
}

const graphemes = new Intl.Segmenter();

/** The longest start of `text` that takes at most `cells` cells, and the cells it takes. */
function cut(text: string, cells: number): {text: string; width: number} {
	if (narrow(text)) return {text: text.slice(0, cells), width: Math.min(cells, text.length)};
	let width = 0;
	let end = 0;
	for (const {segment, index} of graphemes.segment(text)) {
		const w = stringWidth(segment);
		if (width + w > cells) break;
		width += w;
		end = index + segment.length;
	}
	return {text: text.slice(0, end), width};
}

/** Cuts or pads text to `width` terminal cells; cut text ends with an ellipsis ("~" in ASCII mode). */
export function fit(text: string, width: number, align: Align = 'left', ascii = false): string {
	if (width <= 0) return '';
	const ellipsis = ascii ? '~' : '…';
	const cells = textWidth(text);
	if (cells > width) {
		if (width === 1) return ellipsis;
		const head = cut(text, width - 1);
		return `${head.text}${' '.repeat(width - 1 - head.width)}${ellipsis}`;
	}
	const pad = ' '.repeat(width - cells);
	return align === 'right' ? pad + text : text + pad;
}

/** Renders rows as plain text lines (header first), columns fitted to `total`. */
export function renderTable<Row>(columns: readonly Column<Row>[], rows: readonly Row[], total: number, ascii = false): string[] {
	const fitted = fitColumns(columns, total);
	const line = (cells: string[]): string => cells.join(' ').trimEnd();
	return [
		line(fitted.map((c) => fit(c.header, c.fitted, c.align, ascii))),
		...rows.map((row) => line(fitted.map((c) => fit(c.cell(row), c.fitted, c.align, ascii)))),
	];
}
