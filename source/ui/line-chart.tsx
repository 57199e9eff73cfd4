/** A line chart with a labelled y-axis (asciichart, gaps laid over: format/line-chart.ts) and its title and legend. */
import {Box, Text} from 'ink';
import {lineChart, type ChartSeries} from '../format/line-chart.js';
import {fit, textWidth} from '../format/table.js';
import {formatAge} from '../format/units.js';
import type {Severity, Theme} from './theme.js';

export interface PlottedSeries extends ChartSeries {
	readonly severity: Severity;
	/** Drawn instead of the line's characters when there are no colours, so that colour is never the only signal. */
	readonly symbol: string;
}

export interface LineChartProps {
	readonly title: string;
	/** The unit of the y-axis, named in the title. */
	readonly unit: string;
	readonly series: readonly PlottedSeries[];
	readonly format: (value: number) => string;
	readonly width: number;
	/** Rows in all: the title line and the plot. */
	readonly height: number;
	/** Seconds between two readings, for the time span. */
	readonly intervalSeconds: number;
	readonly theme: Theme;
	/** Said instead of a chart when there is nothing to draw yet. */
	readonly empty: string;
}

/** Cells of one row grouped into runs of the same series, each one Text. */
function runs(cells: readonly {char: string; by: number | string}[]): {text: string; by: number | string}[] {
	const out: {text: string; by: number | string}[] = [];
	for (const cell of cells) {
		const last = out[out.length - 1];
		if (last && last.by === cell.by) last.text += cell.char;
		else out.push({text: cell.char, by: cell.by});
	}
	return out;
}

export function LineChartPanel({title, unit, series, format, width, height, intervalSeconds, theme, empty}: LineChartProps) {
	const g = theme.glyphs;
	const longest = Math.max(0, ...series.map((s) => s.values.length));
	const legend = series
		.map((s) => `${theme.colors ? (s.mark ? (theme.ascii ? '..' : '┄┄') : theme.ascii ? '--' : '──') : s.symbol.repeat(2)} ${s.name}`)
		.join('  ');
	if (longest === 0 || height < 3) {
		return (
			<Box flexDirection="column" width={width} height={Math.max(1, height)}>
				<Text>
					<Text bold>{fit(`${title} (${unit})`, width, 'left', theme.ascii).trimEnd()}</Text>
				</Text>
				{height > 1 ? <Text color={theme.color('muted')}>{fit(empty, width, 'left', theme.ascii)}</Text> : null}
			</Box>
		);
	}
	const chart = lineChart(series, {width, height: height - 1, format, ascii: theme.ascii, gap: g.gap});
	const span = formatAge(Math.min(longest, chart.points * chart.perColumn) * intervalSeconds);
	const column = chart.perColumn > 1 ? `, ${formatAge(chart.perColumn * intervalSeconds)}/col` : '';
	const scale = ` (${unit}, last ${span}${column})`;
	// The legend (without colours the only key to the symbols), the unit and the span are kept whole; the title gives way.
	const headRoom = Math.max(Math.min(20, width), width - textWidth(legend) - 2);
	const shownHead = `${fit(title, Math.max(8, headRoom - textWidth(scale)), 'left', theme.ascii).trimEnd()}${scale}`;
	return (
		<Box flexDirection="column" width={width}>
			<Text>
				<Text bold>{shownHead}</Text>
				<Text>{fit(`  ${legend}`, Math.max(0, width - textWidth(shownHead)), 'left', theme.ascii).trimEnd()}</Text>
			</Text>
			{chart.rows.map((cells, r) => (
				<Text key={r}>
					<Text color={theme.color('muted')}>{chart.labels[r]} </Text>
					{runs(cells).map((run, i) => {
						if (typeof run.by !== 'number') {
							return (
								<Text key={i} color={theme.color('muted')}>
									{run.text}
								</Text>
							);
						}
						const s = series[run.by]!;
						const text = theme.colors ? run.text : run.text.replace(/\S/g, s.symbol);
						return (
							<Text key={i} color={theme.color(s.severity)} dimColor={s.mark}>
								{text}
							</Text>
						);
					})}
				</Text>
			))}
		</Box>
	);
}
