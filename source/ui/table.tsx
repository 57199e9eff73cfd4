/**
 * A data table with per-cell levels and a mark column, scrolled to keep the selection in view.
 * Our own rather than ink-table's: each cell takes the colour its rule gave it, long tables
 * scroll in a window, and at 80x24 there is no room for row rules.
 */
import {Box, Text} from 'ink';
import {fit, fitColumns, type Column} from '../format/table.js';
import {terminalSafeValue} from '../format/terminal-safe.js';
import {Region} from './regions.js';
import type {Severity, Theme} from './theme.js';
import type {Focus} from './view-state.js';

/** A row as the tables draw it: its figures' levels, and the worst active alert about it. */
export interface LeveledRow {
	readonly levels: Readonly<Partial<Record<string, 'ok' | 'warn' | 'crit'>>>;
	readonly alertLevel?: 'warn' | 'crit';
}

export interface TableProps<Row extends LeveledRow> {
	readonly title: string;
	readonly columns: readonly Column<Row>[];
	readonly rows: readonly Row[];
	readonly width: number;
	/** Data rows shown (the header and title come on top). */
	readonly height: number;
	/** Selected row index, or -1 when the table has no focus. */
	readonly selected: number;
	readonly theme: Theme;
	/** A row's React key: its identity, or its place where rows have none (a stream of requests). */
	readonly rowKey: (row: Row, index: number) => string;
	readonly empty: string;
	readonly focused: boolean;
	/** Which table the mouse finds here, when it is one the keys move over. */
	readonly region?: Focus;
}

/** Which rows to show so that `selected` stays visible. */
export function visibleWindow(count: number, height: number, selected: number): [number, number] {
	if (count <= height) return [0, count];
	const start = Math.max(0, Math.min(count - height, selected - Math.floor(height / 2)));
	return [start, start + height];
}

const safeRows = new WeakMap<object, unknown>();
/** A row with every string terminal-safe, made once per row object (rows are immutable). */
function safeRow<Row extends object>(row: Row): Row {
	let known = safeRows.get(row) as Row | undefined;
	if (known === undefined) safeRows.set(row, (known = terminalSafeValue(row)));
	return known;
}

/** A cell's colour: its rule's level; a cell that shows no value ("-") is dimmed. */
function cellSeverity(row: LeveledRow, levelKey: string | undefined, text: string): Severity {
	const level = levelKey === undefined ? undefined : row.levels[levelKey];
	if (level !== undefined) return level;
	return text === '-' ? 'muted' : 'plain';
}

export function Table<Row extends LeveledRow>(props: TableProps<Row>) {
	const {theme, rows, width} = props;
	const fitted = fitColumns(props.columns, width - 2);
	const [start, end] = visibleWindow(rows.length, props.height, Math.max(0, props.selected));
	// Names and URLs from outside: only the rows shown are made terminal-safe, each once.
	const shown = rows.slice(start, end).map(safeRow);
	// What is off screen is counted, and how much of it is in breach.
	const hidden = rows.length - shown.length;
	const hiddenInBreach = hidden === 0 ? 0 : rows.filter((r, i) => (i < start || i >= end) && r.alertLevel !== undefined).length;
	const more = hidden === 0 ? ` ${rows.length}` : ` ${rows.length}, +${hidden} more${hiddenInBreach > 0 ? `, ${hiddenInBreach} in breach` : ''}`;
	return (
		<Box flexDirection="column" width={width}>
			<Text bold color={theme.color(props.focused ? 'accent' : 'plain')}>
				{fit(`${props.focused ? theme.glyphs.focus : ' '}${props.title}${more}`, width, 'left', theme.ascii)}
			</Text>
			<Text color={theme.color('muted')}>
				{fit(`  ${fitted.map((c) => fit(c.header, c.fitted, c.align, theme.ascii)).join(' ')}`, width, 'left', theme.ascii)}
			</Text>
			{shown.length === 0 ? <Text color={theme.color('muted')}>{fit(`  ${props.empty}`, width, 'left', theme.ascii)}</Text> : null}
			{props.region === undefined ? (
				shown.map(drawRow)
			) : (
				<Region name={`rows-${props.region}`} kind={{kind: 'rows', table: props.region, start}}>
					{shown.map(drawRow)}
				</Region>
			)}
		</Box>
	);
	function drawRow(row: Row, i: number) {
		const index = start + i;
		const isSelected = index === props.selected;
		const rowMark: Severity = row.alertLevel ?? 'plain';
		// Cells of the same severity are drawn as one run: fewer styled pieces for Ink to lay out.
		const runs: {severity: Severity; text: string}[] = [];
		fitted.forEach((c, k) => {
			const value = c.cell(row);
			const severity = cellSeverity(row, c.level, value);
			const text = fit(value, c.fitted, c.align, theme.ascii) + (k < fitted.length - 1 ? ' ' : '');
			const last = runs[runs.length - 1];
			if (last && last.severity === severity) last.text += text;
			else runs.push({severity, text});
		});
		return (
			<Text key={props.rowKey(row, index)} inverse={isSelected}>
				<Text color={theme.color(rowMark)} bold={rowMark === 'crit'}>
					{theme.mark(rowMark)}
				</Text>
				<Text> </Text>
				{runs.map((run, k) => (
					<Text key={k} color={theme.color(run.severity)} bold={run.severity === 'crit'}>
						{run.text}
					</Text>
				))}
			</Text>
		);
	}
}
