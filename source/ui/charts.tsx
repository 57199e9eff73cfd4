/** The traffic chart (requests per second with the status split) and the latency strips. */
import {Box, Text} from 'ink';
import type {Snapshot, StatusRates} from '../domain/snapshot.js';
import {barChart, maxOf, sparkline} from '../format/sparkline.js';
import {fit, textWidth} from '../format/table.js';
import {formatLatency, formatPercent, formatRate} from '../format/units.js';
import type {Severity, Theme} from './theme.js';

export interface ChartProps {
	readonly snapshot: Snapshot | null;
	readonly width: number;
	readonly rows: number;
	readonly theme: Theme;
}

export function TrafficChart({snapshot, width, rows, theme}: ChartProps) {
	const g = theme.glyphs;
	const history = snapshot?.history.requestsPerSecond ?? [];
	const totals = snapshot?.totals;
	const rates = totals?.statusRates ?? {'2xx': null, '3xx': null, '4xx': null, '5xx': null};
	const total = totals?.requestsPerSecond ?? null;
	const errorRatio = totals?.errorRatio ?? null;
	const share = (k: keyof StatusRates) => (total && rates[k] !== null ? formatPercent(rates[k]! / total) : '-');
	const errSeverity: Severity = totals?.levels.errorRatio ?? (errorRatio === null ? 'muted' : 'ok');
	const rate = ` ${g.sep} ${formatRate(total)} req/s`;
	const split = `  2xx ${share('2xx')} 3xx ${share('3xx')} 4xx ${share('4xx')} `;
	const errors = `5xx ${share('5xx')}${errSeverity === 'crit' || errSeverity === 'warn' ? ` ${theme.mark(errSeverity)}` : ''}`;
	// The scope (a pinned service's name) gives way first when the line is long.
	const title = fit(
		`Traffic ${g.sep} ${totals?.scope ?? 'all entry points'}`,
		Math.max(12, width - textWidth(rate + split + errors)),
		'left',
		theme.ascii,
	).trimEnd();
	const labelWidth = 7;
	const chartWidth = Math.max(10, width - labelWidth - 1);
	const max = maxOf(history.slice(-chartWidth));
	const lines = barChart(history, chartWidth, rows, {ascii: theme.ascii});
	return (
		<Box flexDirection="column" width={width}>
			<Text>
				<Text bold>{title}</Text>
				<Text bold color={theme.color('accent')}>
					{rate}
				</Text>
				<Text>{split}</Text>
				<Text color={theme.color(errSeverity)} bold={errSeverity === 'crit'}>
					{errors}
				</Text>
			</Text>
			{lines.map((line, i) => (
				<Text key={i}>
					<Text color={theme.color('muted')}>{fit(i === 0 ? formatRate(max) : i === lines.length - 1 ? '0' : '', labelWidth, 'right')} </Text>
					<Text color={theme.color(errSeverity === 'crit' ? 'crit' : 'ok')}>{line}</Text>
				</Text>
			))}
		</Box>
	);
}

export interface LatencyProps {
	readonly snapshot: Snapshot | null;
	readonly width: number;
	/** Whether the line of shares under each bound is shown. */
	readonly shares: boolean;
	readonly strips: number;
	readonly theme: Theme;
}

/** p50/p95/p99 of what the screen covers, the SLO shares, and one strip per bucket. */
export function Latency({snapshot, width, shares, strips, theme}: LatencyProps) {
	const g = theme.glyphs;
	const latency = snapshot?.totals.latency;
	const p95Severity: Severity = snapshot?.totals.levels.p95 ?? 'plain';
	const slo = (latency?.buckets ?? [])
		.filter((b) => b.le !== '+Inf')
		.map((b) => `${g.atMost}${formatLatency(b.le as number)} ${formatPercent(b.cumulativeShare)}`)
		.join('  ');
	const history = snapshot?.history.bucketShares ?? {};
	// Object keys put integer-like bounds ("5") first: order by the bound itself.
	const keys = Object.keys(history)
		.sort((a, b) => (a === '+Inf' ? 1 : b === '+Inf' ? -1 : Number(a) - Number(b)))
		.slice(0, strips);
	const stripWidth = Math.max(10, width - 10);
	const figures = `p50 ${formatLatency(latency?.p50)}  `;
	const p95 = `p95 ${formatLatency(latency?.p95)}${p95Severity === 'warn' ? ` ${theme.mark('warn')}` : ''}  `;
	const p99 = `p99 ${formatLatency(latency?.p99)}`;
	const scope = fit(
		`Latency ${g.sep} ${snapshot?.totals.scope ?? 'all entry points'}`,
		Math.max(12, width - textWidth(figures + p95 + p99) - 3),
		'left',
		theme.ascii,
	);
	const title = `${scope.trimEnd()} ${g.sep} `;
	return (
		<Box flexDirection="column" width={width}>
			<Text>
				<Text bold>{title}</Text>
				<Text>{figures}</Text>
				<Text color={theme.color(p95Severity)} bold={p95Severity !== 'plain'}>
					{p95}
				</Text>
				<Text>{p99}</Text>
			</Text>
			{shares ? (
				<Text color={theme.color('muted')}>{fit(slo ? `under: ${slo}` : 'under: - (no requests in the last interval)', width, 'left', theme.ascii)}</Text>
			) : null}
			{keys.map((le) => (
				<Text key={le}>
					<Text color={theme.color('muted')}>{fit(le === '+Inf' ? '>last' : `${g.atMost}${formatLatency(Number(le))}`, 8, 'right', theme.ascii)} </Text>
					<Text color={theme.color('accent')}>{sparkline(history[le] ?? [], stripWidth, {max: 1, ascii: theme.ascii, gap: g.gap})}</Text>
				</Text>
			))}
		</Box>
	);
}
