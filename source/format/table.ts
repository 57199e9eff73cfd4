/** Column fitting shared by the plain-text report and the screen's tables. Pure. */

export type Align = 'left' | 'right';

/** A column: its header, how to fit it, and how to print a row's cell. */
export interface Column<Row> {
	readonly key: string;
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
}

/** A column with its final width. */
export interface FittedColumn<Row> extends Column<Row> {
	readonly fitted: number;
}

/**
 * Fits columns into `total` characters (one space between columns): drops the least important
 * columns first, then shrinks text columns to their minimum, then shares spare room by `grow`.
 */
export function fitColumns<Row>(columns: readonly Column<Row>[], total: number): FittedColumn<Row>[] {
	let kept = [...columns];
	const need = (cols: readonly Column<Row>[], useMin: boolean): number =>
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

/** Cuts or pads text to `width`; cut text ends with an ellipsis ("~" in ASCII mode). */
export function fit(text: string, width: number, align: Align = 'left', ascii = false): string {
	if (width <= 0) return '';
	const chars = [...text];
	if (chars.length > width) return width === 1 ? (ascii ? '~' : '…') : `${chars.slice(0, width - 1).join('')}${ascii ? '~' : '…'}`;
	const pad = ' '.repeat(width - chars.length);
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
