/**
 * The views besides the overview: 2 backends (full height, every column the width allows), 3
 * requests and 4 instances (each says in one line what turns it on until its source is there), and
 * 5 charts (line charts with axes over the retention, for the pinned service or everything).
 */
import {Box, Text} from 'ink';
import type {BackendRow, Snapshot} from '../domain/snapshot.js';
import {fit} from '../format/table.js';
import {formatLatency, formatRate} from '../format/units.js';
import type {BackendSeriesName} from '../model/backend-history.js';
import {LineChartPanel, type PlottedSeries} from './line-chart.js';
import {BackendsTable} from './tables.js';
import {Table} from './table.js';
import {REQUESTS_TABLE, type RequestRow} from '../format/columns/requests.js';
import type {Column} from '../format/table.js';
import type {Theme} from './theme.js';
import {instanceColumns, type InstanceRow} from '../format/columns/instances.js';

/** Rows the views have: the terminal's less the header (2) and the footer (1). */
export const viewRows = (rows: number): number => rows - 3;

export function BackendsView(props: {rows: readonly BackendRow[]; width: number; height: number; selected: number; sort: string; theme: Theme}) {
	return (
		<BackendsTable
			theme={props.theme}
			rows={props.rows}
			width={props.width}
			height={Math.max(1, props.height - 2)}
			selected={props.selected}
			focused
			sort={props.sort}
		/>
	);
}

/** A view whose source is not configured: what it would show, and how to turn it on. */
export function Unconfigured({title, how, width, theme}: {title: string; how: string; width: number; theme: Theme}) {
	return (
		<Box flexDirection="column" width={width}>
			<Text bold>{fit(title, width, 'left', theme.ascii).trimEnd()}</Text>
			<Text color={theme.color('muted')}>{fit(how, width, 'left', theme.ascii).trimEnd()}</Text>
		</Box>
	);
}

export interface ChartsViewProps {
	readonly snapshot: Snapshot | null;
	/** The backend whose connections are drawn, and where it is in the list. */
	readonly backend: {readonly row: BackendRow; readonly index: number; readonly count: number} | null;
	readonly backendSeries: Readonly<Record<BackendSeriesName, readonly (number | null)[]>>;
	/** The latency rule's bound in seconds, drawn on the latency chart. */
	readonly bound: number | undefined;
	readonly width: number;
	readonly height: number;
	readonly theme: Theme;
}

const rateAxis = (v: number) => formatRate(v);
const latencyAxis = (v: number) => formatLatency(v);
const countAxis = (v: number) => (v >= 10_000 ? `${(v / 1000).toFixed(0)}k` : v >= 100 ? v.toFixed(0) : v.toFixed(1));

export function ChartsView({snapshot, backend, backendSeries, bound, width, height, theme}: ChartsViewProps) {
	const g = theme.glyphs;
	const h = snapshot?.history;
	const scope = snapshot?.totals.scope ?? 'all entry points';
	const interval = snapshot?.intervalSeconds ?? 1;
	const each = Math.max(3, Math.floor(height / 3));
	const statuses: PlottedSeries[] = (['2xx', '3xx', '4xx', '5xx'] as const).map((k, i) => ({
		name: k,
		values: h?.statusRates?.[k] ?? [],
		severity: (['ok', 'accent', 'warn', 'crit'] as const)[i]!,
		symbol: (['2', '3', '4', '5'] as const)[i]!,
	}));
	const latency: PlottedSeries[] = [
		{name: 'p50', values: h?.p50 ?? [], severity: 'ok', symbol: 'o'},
		{name: 'p95', values: h?.p95 ?? [], severity: 'accent', symbol: '+'},
		{name: 'p99', values: h?.p99 ?? [], severity: 'warn', symbol: '*'},
		...(bound === undefined
			? []
			: [{name: `bound ${formatLatency(bound)}`, values: (h?.p95 ?? []).map(() => bound), severity: 'crit' as const, symbol: '.', mark: true}]),
	];
	const connections: PlottedSeries[] = [
		{name: 'ESTAB', values: backendSeries.ESTABLISHED, severity: 'ok', symbol: 'e'},
		{name: 'TIME_W', values: backendSeries.TIME_WAIT, severity: 'warn', symbol: 't'},
		{name: 'CLOSE_W', values: backendSeries.CLOSE_WAIT, severity: 'crit', symbol: 'c'},
	];
	const which = backend ? `${backend.row.address} ${backend.row.service} ${backend.index + 1}/${backend.count} ${g.keyMove}` : 'no backend';
	// The three charts share the rows; the connections chart takes what is left.
	const charts = [
		{
			title: `Requests ${g.sep} ${scope}`,
			unit: 'req/s',
			series: statuses,
			format: rateAxis,
			height: each,
			empty: 'no rates yet: they need two scrapes of /metrics',
		},
		{
			title: `Latency ${g.sep} ${scope}`,
			unit: 'time',
			series: latency,
			format: latencyAxis,
			height: each,
			empty: 'no latency yet: no request has ended since the first scrape',
		},
		{
			title: which,
			unit: 'sockets',
			series: connections,
			format: countAxis,
			height: Math.max(3, height - 2 * each),
			empty: backend ? 'no poll of this backend yet' : 'no backend known: no API, no traefik_service_server_up, no --backend',
		},
	];
	return (
		<Box flexDirection="column" width={width}>
			{charts.map((c) => (
				<LineChartPanel key={c.unit} {...c} width={width} intervalSeconds={interval} theme={theme} />
			))}
		</Box>
	);
}

export interface RequestsViewProps {
	readonly rows: readonly RequestRow[];
	/** How many the snapshot has before the view's filters. */
	readonly of: number;
	readonly errors: 'all' | '4xx+5xx' | '5xx';
	readonly slow: boolean;
	readonly bound: number | undefined;
	readonly server: string | null;
	readonly width: number;
	readonly height: number;
	readonly theme: Theme;
}

/** The access log's requests, newest first, with what the view keeps of them said in the title. */
export function RequestsView({rows, of, errors, slow, bound, server, width, height, theme}: RequestsViewProps) {
	const g = theme.glyphs;
	const kept = [
		errors === 'all' ? '' : `${errors} only`,
		slow ? `slower than ${bound === undefined ? 'the bound' : formatLatency(bound)}` : '',
		server === null ? '' : `server ${server} (Esc: all)`,
	]
		.filter(Boolean)
		.join(` ${g.sep} `);
	return (
		<Box flexDirection="column" width={width}>
			<Table
				title={`Requests, newest first${kept ? ` ${g.sep} ${kept}` : ''} ${g.sep} x errors, w slow ${g.sep}`}
				columns={REQUESTS_TABLE.columns as readonly Column<RequestRow>[]}
				rows={rows}
				width={width}
				height={Math.max(1, height - 2)}
				selected={-1}
				focused={false}
				theme={theme}
				// Two requests can be alike in every field: a row is its place in the stream.
				rowKey={(_r, index) => String(index)}
				empty={of === 0 ? 'no request in the access log yet' : 'no request matches'}
			/>
		</Box>
	);
}

export interface InstancesViewProps {
	readonly snapshot: Snapshot | null;
	readonly rows: readonly InstanceRow[];
	readonly width: number;
	readonly height: number;
	readonly selected: number;
	readonly sort: string;
	readonly theme: Theme;
}

/**
 * 4 instances: one row per Traefik instance (Enter shows it alone, Esc all again); with a pinned
 * service, each instance's share of it. Under the table, what differs between their
 * configurations, per object, or that they agree.
 */
export function InstancesView({snapshot, rows, width, height, selected, sort, theme}: InstancesViewProps) {
	const g = theme.glyphs;
	const drift = snapshot?.drift ?? [];
	const pinned = snapshot?.filter.service ?? null;
	const fingerprints = new Set(rows.flatMap((r) => (r.fingerprint === null ? [] : [r.fingerprint])));
	// The table takes what the instances need; the drift list the rest (at least 3 lines).
	const tableRows = Math.max(1, Math.min(rows.length, height - 2 - 2 - Math.min(Math.max(drift.length, 1), 3)));
	const driftRows = Math.max(1, height - tableRows - 2 - 2);
	const shown = drift.slice(0, driftRows - (drift.length > driftRows ? 1 : 0));
	const title = pinned === null ? `Instances (sort: ${sort})` : `Instances ${g.sep} ${pinned} on each: share of its requests, 5xx, p95 (sort: ${sort})`;
	const pinnedInstance = snapshot?.filter.instance ?? null;
	return (
		<Box flexDirection="column" width={width}>
			<Table
				title={pinnedInstance === null ? title : `${title} ${g.sep} showing ${pinnedInstance} alone (Esc: all)`}
				columns={instanceColumns(rows) as readonly Column<InstanceRow>[]}
				rows={rows}
				width={width}
				height={tableRows}
				selected={selected}
				focused
				theme={theme}
				rowKey={(r) => r.name}
				region="instances"
				empty="no instance has answered yet"
			/>
			<Text bold>{fit(`Config drift ${g.sep} /api/rawdata compared, status and order left out`, width, 'left', theme.ascii).trimEnd()}</Text>
			{drift.length === 0 ? (
				<Text color={theme.color(fingerprints.size <= 1 ? 'ok' : 'muted')}>
					{fit(
						fingerprints.size === 1
							? `the ${rows.filter((r) => r.fingerprint !== null).length} configurations read agree (fingerprint ${[...fingerprints][0]})`
							: 'no two configurations read yet',
						width,
						'left',
						theme.ascii,
					).trimEnd()}
				</Text>
			) : (
				<>
					{shown.map((d, i) => (
						<Text key={i} color={theme.color('warn')}>
							{fit(`${theme.mark('warn')} ${d.text}`, width, 'left', theme.ascii).trimEnd()}
						</Text>
					))}
					{drift.length > shown.length ? (
						<Text color={theme.color('muted')}>
							{fit(`and ${drift.length - shown.length} more (the snapshot, e, has them all)`, width, 'left', theme.ascii).trimEnd()}
						</Text>
					) : null}
				</>
			)}
		</Box>
	);
}
