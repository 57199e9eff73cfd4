/** The screen: every panel, the keys, and the view state. It receives snapshots; it never fetches. */
import {Box, Text, useApp, useInput} from 'ink';
import {useEffect, useMemo, useRef, useState} from 'react';
import type {RulesConfig} from '../model/rules/config.js';
import type {Snapshot} from '../domain/snapshot.js';
import {Alerts} from './alerts.js';
import {Latency, TrafficChart} from './charts.js';
import {Footer} from './footer.js';
import {Header} from './header.js';
import {Help} from './help.js';
import {layoutFor, MIN_COLUMNS, MIN_ROWS} from './layout.js';
import {backendRows, serviceRows} from './rows.js';
import {BackendsTable, EntryPointsTable, ServicesTable} from './tables.js';
import type {Theme} from './theme.js';
import {useTerminalSize} from './use-terminal-size.js';
import {BACKEND_SORTS, clampSelection, compileFilter, initialViewState, nextSort, SERVICE_SORTS, type ViewState} from './view-state.js';

/** What the screen needs from outside: snapshots in, user intents out. */
export interface AppProps {
	readonly subscribe: (listener: (snapshot: Snapshot) => void) => () => void;
	readonly theme: Theme;
	readonly rules: RulesConfig;
	readonly pinned: string | null;
	readonly onPin: (service: string | null) => void;
	/** Changes the poll interval by a step (+1 or -1) and returns the new one in seconds. */
	readonly onInterval: (step: 1 | -1) => number;
	/** Writes a snapshot; resolves with the path, rejects with a readable reason. */
	readonly onExport: (snapshot: Snapshot) => Promise<string>;
	/** For tests: a fixed size instead of the terminal's. */
	readonly size?: {columns: number; rows: number};
	/** For tests: a fixed clock. */
	readonly now?: () => number;
}

type Message = {text: string; severity: 'ok' | 'warn' | 'crit'} | null;

export function App(props: AppProps) {
	const {theme} = props;
	const {exit} = useApp();
	const {columns, rows} = useTerminalSize(props.size);
	const [latest, setLatest] = useState<Snapshot | null>(null);
	const [frozen, setFrozen] = useState<Snapshot | null>(null);
	const [view, setViewState] = useState<ViewState>(() => initialViewState(props.pinned));
	// Keys can arrive faster than frames: the handler reads and writes the newest state here.
	const viewRef = useRef(view);
	const setView = (next: ViewState | ((v: ViewState) => ViewState)) => {
		viewRef.current = typeof next === 'function' ? next(viewRef.current) : next;
		setViewState(viewRef.current);
	};
	const [message, setMessage] = useState<Message>(null);

	const latestRef = useRef<Snapshot | null>(null);
	useEffect(
		() =>
			props.subscribe((s) => {
				latestRef.current = s;
				setLatest(s);
			}),
		[props.subscribe],
	);
	const snapshot = view.paused ? frozen : latest;
	const services = useMemo(() => serviceRows(snapshot, view), [snapshot, view]);
	const backends = useMemo(() => backendRows(snapshot, view), [snapshot, view]);
	const filterError = compileFilter(view.filter).error;
	const focusedRows = view.focus === 'services' ? services.length : backends.length;

	const update = (change: Partial<ViewState>) => setView((v) => ({...v, ...change}));
	const move = (delta: number | 'first' | 'last') =>
		setView((v) => ({...v, selected: clampSelection(delta === 'first' ? 0 : delta === 'last' ? focusedRows - 1 : v.selected + delta, focusedRows)}));
	const pin = (service: string | null) => {
		props.onPin(service);
		update({pinned: service, selected: 0});
	};

	type Key = Parameters<Parameters<typeof useInput>[0]>[1];
	const handleKey = (input: string, key: Key): void => {
		const view = viewRef.current;
		if (view.editingFilter) {
			if (key.return) update({editingFilter: false});
			else if (key.escape) update({editingFilter: false, filter: ''});
			else if (key.backspace || key.delete) update({filter: view.filter.slice(0, -1)});
			else if (input && !key.ctrl && !key.meta) update({filter: view.filter + input, selected: 0});
			return;
		}
		if (input === 'q' || (key.ctrl && input === 'c')) {
			exit();
			return;
		}
		if (view.help) {
			if (input === '?' || key.escape) update({help: false});
			return;
		}
		const page = Math.max(1, Math.floor(rows / 3));
		if (input === '?') update({help: true});
		else if (input === '/') update({editingFilter: true});
		else if (key.upArrow || input === 'k') move(-1);
		else if (key.downArrow || input === 'j') move(1);
		else if (key.pageUp) move(-page);
		else if (key.pageDown) move(page);
		else if (input === 'g') move('first');
		else if (input === 'G') move('last');
		else if (key.tab) update({focus: view.focus === 'services' ? 'backends' : 'services', selected: 0});
		else if (key.return) {
			const service = view.focus === 'services' ? services[view.selected]?.name : backends[view.selected]?.service;
			if (service) pin(service);
		} else if (key.escape) {
			if (view.pinned) pin(null);
			else if (view.filter) update({filter: ''});
		} else if (input === 's') {
			setView((v) => ({
				...v,
				sort:
					v.focus === 'services'
						? {...v.sort, services: nextSort(v.sort.services, SERVICE_SORTS)}
						: {...v.sort, backends: nextSort(v.sort.backends, BACKEND_SORTS)},
			}));
		} else if (input === 'S') setView((v) => ({...v, sort: {...v.sort, reverse: !v.sort.reverse}}));
		else if (input === ' ') {
			setFrozen(latestRef.current);
			update({paused: !view.paused});
		} else if (input === '+' || input === '-') {
			const seconds = props.onInterval(input === '+' ? -1 : 1);
			setMessage({text: `polling every ${seconds}s`, severity: 'ok'});
		} else if (input === 'e' && (view.paused ? frozen : latestRef.current)) {
			setMessage({text: 'exporting…', severity: 'ok'});
			props.onExport((view.paused ? frozen : latestRef.current)!).then(
				(path) => setMessage({text: `exported to ${path}`, severity: 'ok'}),
				(error: unknown) => setMessage({text: `export failed: ${error instanceof Error ? error.message : String(error)}; nothing else lost`, severity: 'crit'}),
			);
		}
	};
	useInput((input, key) => {
		// A paste, or keys typed faster than a read ("/search⏎"), arrive as one chunk: one at a time.
		if (input.length > 1 && !key.ctrl && !key.meta) {
			for (const char of input) handleKey(char === '\r' ? '' : char, {...key, return: char === '\r'});
			return;
		}
		handleKey(input, key);
	});

	const layout = layoutFor(columns, rows, {
		buckets: Object.keys(snapshot?.history.bucketShares ?? {}).length,
		services: services.length,
		backends: backends.length,
		entrypoints: snapshot?.entrypoints.length ?? 0,
		alerts: (snapshot?.alerts.length ?? 0) + Math.min(2, snapshot?.recentAlerts.length ?? 0),
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
	const now = props.now?.() ?? Date.now();
	const width = columns;
	const half = Math.floor((width - 1) / 2);
	const header = <Header snapshot={snapshot} paused={view.paused} width={width} theme={theme} now={now} />;
	const traffic = <TrafficChart snapshot={snapshot} width={layout.wide ? half : width} rows={layout.chartRows} theme={theme} />;
	const latency = (
		<Latency
			snapshot={snapshot}
			width={layout.wide ? width - half - 1 : width}
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
			sort={`${view.sort.services}${view.sort.reverse ? ' ↓' : ''}`}
		/>
	);
	const entrypoints = (
		<EntryPointsTable theme={theme} rows={snapshot?.entrypoints ?? []} width={layout.wide ? width - half - 1 : width} height={layout.entryPointRows} />
	);
	const alerts = <Alerts snapshot={snapshot} width={layout.wide ? width - half - 1 : width} height={layout.alertRows} theme={theme} />;
	const backendsTable = (
		<BackendsTable
			theme={theme}
			rows={backends}
			width={width}
			height={layout.backendRows}
			selected={view.selected}
			focused={view.focus === 'backends'}
			sort={`${view.sort.backends}${view.sort.reverse ? ' ↓' : ''}`}
		/>
	);
	return (
		<Box flexDirection="column" width={width} height={rows}>
			{header}
			{view.help ? (
				<Help theme={theme} width={width} />
			) : layout.wide ? (
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
			)}
			<Box flexGrow={1} />
			<Footer view={view} width={width} theme={theme} message={message} filterError={filterError} />
		</Box>
	);
}
