/** The whole screen for one snapshot and one view state: a pure view, drawn the same by the app and by frame tests. */
import {Box, Text} from 'ink';
import type {BackendRow, ServiceRow, Snapshot} from '../domain/snapshot.js';
import {Alerts} from './alerts.js';
import {Latency, TrafficChart} from './charts.js';
import {Footer, footerTabs, type Message} from './footer.js';
import {Region} from './regions.js';
import {Header} from './header.js';
import {Help} from './help.js';
import type {RulesConfig} from '../model/rules/config.js';
import {p95Bound} from '../model/rules/latency.js';
import type {BackendSeriesName} from '../model/backend-history.js';
import {BackendsView, ChartsView, InstancesView, RequestsView, Unconfigured, viewRows} from './views.js';
import {INSTANCES_TABLE, type InstanceRow} from '../format/columns/instances.js';
import {layoutFor, MIN_COLUMNS, MIN_ROWS} from './layout.js';
import {BackendsTable, EntryPointsTable, ServicesTable} from './tables.js';
import type {Theme} from './theme.js';
import {compileFilter, type TableSort, type ViewState} from './view-state.js';
import {terminalSafeValue} from '../format/terminal-safe.js';
import {requestRows, sortDirection} from './rows.js';
import {BACKENDS_TABLE} from '../format/columns/backends.js';
import {SERVICES_TABLE} from '../format/columns/services.js';
import type {SortDirection} from '../format/table.js';

export interface ScreenProps {
	readonly snapshot: Snapshot | null;
	readonly view: ViewState;
	readonly services: readonly ServiceRow[];
	readonly backends: readonly BackendRow[];
	/** With several targets: the instances, filtered and sorted. */
	readonly instances?: readonly InstanceRow[];
	readonly columns: number;
	readonly rows: number;
	readonly theme: Theme;
	readonly now: number;
	readonly message: Message;
	readonly rules: RulesConfig;
	/** The connections over time of the backend the charts view has selected (ESTABLISHED, TIME_WAIT, CLOSE_WAIT). */
	readonly backendSeries: Readonly<Record<BackendSeriesName, readonly (number | null)[]>>;
}

const safe = new WeakMap<Snapshot, Snapshot>();
/**
 * Every string of the snapshot made terminal-safe, once per snapshot (snapshots are immutable).
 * Its service and backend rows are left out: they are drawn from the `services` and `backends`
 * props, and the table makes each row it shows safe (a table shows a few dozen of thousands).
 */
function safeSnapshot(snapshot: Snapshot): Snapshot {
	let known = safe.get(snapshot);
	if (known === undefined) safe.set(snapshot, (known = terminalSafeValue({...snapshot, services: [], backends: []})));
	return known;
}

/**
 * The screen. Everything it draws from the data is made terminal-safe here, its one entry, or by
 * Table for the rows it shows: names, URLs and errors from outside are shown with their control
 * characters escaped.
 */
export function Screen(props: ScreenProps) {
	return <SafeScreen {...props} snapshot={props.snapshot === null ? null : safeSnapshot(props.snapshot)} />;
}

function SafeScreen({snapshot, view, services, backends, instances = [], columns, rows, theme, now, message, rules, backendSeries}: ScreenProps) {
	const layout = layoutFor(columns, rows, {
		buckets: Object.keys(snapshot?.history.bucketShares ?? {}).length,
		services: services.length,
		servicesInBreach: services.filter((r) => r.alertLevel !== undefined).length,
		backends: backends.length,
		backendsInBreach: backends.filter((r) => r.alertLevel !== undefined).length,
		entrypoints: snapshot?.entrypoints.length ?? 0,
		alerts: (snapshot?.alerts.length ?? 0) + Math.min(2, snapshot?.recentAlerts.length ?? 0),
		activeAlerts: snapshot?.alerts.length ?? 0,
	});
	if (layout === null) {
		return (
			<Box flexDirection="column">
				<Text bold color={theme.color('warn')}>
					{`traefik-top needs a terminal of at least ${MIN_COLUMNS}x${MIN_ROWS}; this one is ${columns}x${rows}.`}
				</Text>
				<Text>Enlarge the window (or the font smaller); q quits.</Text>
			</Box>
		);
	}
	const width = columns;
	// The latency rule's bound: what "slow" means in the request stream and the line on the latency chart.
	const bound = p95Bound(rules, snapshot?.totals.latency.buckets ?? []);
	const half = Math.floor((width - 1) / 2);
	const side = width - half - 1;
	const sortLabel = (sorts: readonly {readonly key: string; readonly direction: SortDirection}[], sort: TableSort) =>
		`${sort.key} ${sortDirection(sorts, sort) === 'desc' ? theme.glyphs.down : theme.glyphs.up}`;
	const traffic = <TrafficChart snapshot={snapshot} width={layout.wide ? half : width} rows={layout.chartRows} theme={theme} />;
	const latency = (
		<Latency
			snapshot={snapshot}
			width={layout.wide ? side : width}
			shares={layout.latencyShares}
			strips={layout.wide ? layout.chartRows - 1 : layout.latencyStrips}
			theme={theme}
		/>
	);
	const servicesTable = (
		<ServicesTable
			theme={theme}
			rows={services}
			width={layout.wide ? half : width}
			height={layout.serviceRows}
			selected={view.selected}
			focused={view.focus === 'services'}
			sort={sortLabel(SERVICES_TABLE.sorts, view.sort.services)}
		/>
	);
	const entrypoints = <EntryPointsTable theme={theme} rows={snapshot?.entrypoints ?? []} width={layout.wide ? side : width} height={layout.entryPointRows} />;
	const alerts = <Alerts snapshot={snapshot} width={layout.wide ? side : width} height={layout.alertRows} theme={theme} />;
	const backendsTable = (
		<BackendsTable
			theme={theme}
			rows={backends}
			width={width}
			height={layout.backendRows}
			selected={view.selected}
			focused={view.focus === 'backends'}
			sort={sortLabel(BACKENDS_TABLE.sorts, view.sort.backends)}
		/>
	);
	const overview = () =>
		layout.wide ? (
			<>
				<Box>
					{traffic}
					<Text> </Text>
					{latency}
				</Box>
				<Box>
					{servicesTable}
					<Text> </Text>
					<Box flexDirection="column">
						{alerts}
						{entrypoints}
					</Box>
				</Box>
				{backendsTable}
			</>
		) : (
			<>
				{traffic}
				{latency}
				{servicesTable}
				{backendsTable}
				{entrypoints}
				{alerts}
			</>
		);
	return (
		<Box flexDirection="column" width={width} height={rows}>
			<Header snapshot={snapshot} paused={view.paused} width={width} theme={theme} now={now} />
			{view.help ? (
				<Region name="help" kind={{kind: 'help'}}>
					<Help theme={theme} rules={rules} width={width} height={viewRows(rows)} scroll={view.helpScroll} />
				</Region>
			) : view.screen === 'overview' ? (
				overview()
			) : view.screen === 'backends' ? (
				<BackendsView
					rows={backends}
					width={width}
					height={viewRows(rows)}
					selected={view.selected}
					sort={sortLabel(BACKENDS_TABLE.sorts, view.sort.backends)}
					theme={theme}
				/>
			) : view.screen === 'requests' ? (
				snapshot?.sources.accessLog === undefined ? (
					<Unconfigured
						title="Requests, from Traefik's access log"
						how="start with --access-log FILE (Traefik's accessLog.filePath, JSON or common) to see every request here"
						width={width}
						theme={theme}
					/>
				) : (
					<RequestsView
						rows={requestRows(snapshot, view, bound)}
						of={snapshot.requests?.length ?? 0}
						errors={view.requestErrors}
						slow={view.requestSlow}
						bound={bound}
						server={view.requestServer}
						width={width}
						height={viewRows(rows)}
						theme={theme}
					/>
				)
			) : view.screen === 'instances' ? (
				snapshot?.instances === undefined ? (
					<Unconfigured
						title={`Instances ${theme.glyphs.sep} one Traefik watched`}
						how="start with --target NAME=URL once per instance (or the config file's targets) to watch an HA group side by side and catch config drift"
						width={width}
						theme={theme}
					/>
				) : (
					<InstancesView
						snapshot={snapshot}
						rows={instances}
						width={width}
						height={viewRows(rows)}
						selected={view.selected}
						sort={sortLabel(INSTANCES_TABLE.sorts, view.sort.instances)}
						theme={theme}
					/>
				)
			) : (
				<ChartsView
					snapshot={snapshot}
					backend={backends[view.selected] ? {row: backends[view.selected]!, index: view.selected, count: backends.length} : null}
					backendSeries={backendSeries}
					bound={bound}
					width={width}
					height={viewRows(rows)}
					theme={theme}
				/>
			)}
			<Box flexGrow={1} />
			<Region name="footer" kind={{kind: 'footer', tabs: view.editingFilter ? [] : footerTabs(view, width, theme, message)}}>
				<Footer view={view} width={width} theme={theme} message={message} filterError={compileFilter(view.filter).error} />
			</Region>
		</Box>
	);
}
