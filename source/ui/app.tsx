/** The interactive screen: snapshots in, keys in, user intents out. It receives state; it never fetches. */
import {useApp, useInput} from 'ink';
import {useEffect, useRef, useState} from 'react';
import type {Snapshot} from '../domain/snapshot.js';
import type {RulesConfig} from '../model/rules/config.js';
import type {Message} from './footer.js';
import {parseMouse, reduceKey, reduceMouse, splitKeys, type Intent, type ShownRows} from './keys.js';
import {Regions, RegionsContext} from './regions.js';
import {backendRows, instanceRows, requestRows, serviceRows} from './rows.js';
import {p95Bound} from '../model/rules/latency.js';
import {Screen} from './screen.js';
import type {Theme} from './theme.js';
import {useTerminalSize} from './use-terminal-size.js';
import {initialViewState, type ScreenName, type ViewState} from './view-state.js';
import {BackendHistory} from '../model/backend-history.js';

/** What the screen needs from outside: snapshots in, user intents out. */
export interface AppProps {
	readonly subscribe: (listener: (snapshot: Snapshot) => void) => () => void;
	readonly theme: Theme;
	readonly rules: RulesConfig;
	readonly pinned: string | null;
	readonly onPin: (service: string | null) => void;
	/** With several instances: shows one alone (null: all, summed). */
	readonly onPinInstance?: (name: string | null) => void;
	/** Steps through Prometheus' history (a minute back or forward, 0: live); says where it is now. */
	readonly onRewind?: (step: -1 | 0 | 1) => {text: string; severity: 'ok' | 'warn'};
	/** Changes the poll interval by a step (+1 or -1) and returns the new one in seconds. */
	readonly onInterval: (step: 1 | -1) => number;
	/**
	 * Writes a snapshot, and the request stream as the requests view shows it (with an access log);
	 * resolves with what was written, rejects with a readable reason.
	 */
	readonly onExport: (snapshot: Snapshot, requests?: readonly NonNullable<Snapshot['requests']>[number][]) => Promise<string>;
	/** Called once keys are listened to (tests type only after it). */
	readonly onReady?: () => void;
	/** For tests: a fixed size instead of the terminal's. */
	readonly size?: {columns: number; rows: number};
	/** For tests: a fixed clock. */
	readonly now?: () => number;
	/** The view shown first (the overview unless set). */
	readonly screen?: ScreenName;
}

/** The rows a view shows of a snapshot, computed once per (snapshot, filter, sort). */
function useShownRows(): (snapshot: Snapshot | null, view: ViewState) => ShownRows {
	const memo = useRef<{snapshot: Snapshot | null; filter: string; sort: ViewState['sort']; rows: ShownRows} | null>(null);
	return (snapshot, view) => {
		const m = memo.current;
		if (m !== null && m.snapshot === snapshot && m.filter === view.filter && m.sort === view.sort) return m.rows;
		const rows = {services: serviceRows(snapshot, view), backends: backendRows(snapshot, view), instances: instanceRows(snapshot, view)};
		memo.current = {snapshot, filter: view.filter, sort: view.sort, rows};
		return rows;
	};
}

export function App(props: AppProps) {
	const {exit} = useApp();
	const {columns, rows} = useTerminalSize(props.size);
	// Keys can arrive faster than frames: they read and write the newest state in these refs.
	const latest = useRef<Snapshot | null>(null);
	const frozen = useRef<Snapshot | null>(null);
	const view = useRef<ViewState>(initialViewState(props.pinned, props.screen));
	// Every backend's connections over the polls, for the charts view (paused: up to the frozen poll).
	const history = useRef(new BackendHistory());
	const frozenPoll = useRef(0);
	const regions = useRef(new Regions());
	const [, redraw] = useState(0);
	const [message, setMessage] = useState<Message>(null);
	const shownRows = useShownRows();
	const shown = (v: ViewState) => shownRows(v.paused ? frozen.current : latest.current, v);

	useEffect(
		() =>
			props.subscribe((s) => {
				latest.current = s;
				history.current.record(s);
				redraw((n) => n + 1);
			}),
		[props.subscribe],
	);

	const perform = (intent: Intent): void => {
		switch (intent.type) {
			case 'quit':
				exit();
				return;
			case 'pin':
				props.onPin(intent.service);
				return;
			case 'pinInstance':
				props.onPinInstance?.(intent.name);
				return;
			case 'freeze':
				frozen.current = latest.current;
				frozenPoll.current = history.current.polls;
				return;
			case 'interval':
				setMessage({text: `polling every ${props.onInterval(intent.step)}s`, severity: 'ok'});
				return;
			case 'rewind':
				setMessage(props.onRewind?.(intent.step) ?? {text: "[ and ] step through Prometheus' history: start with --prometheus URL", severity: 'warn'});
				return;
			case 'export': {
				const snapshot = view.current.paused ? frozen.current : latest.current;
				if (snapshot === null) return;
				setMessage({text: 'exporting…', severity: 'ok'});
				const requests =
					snapshot.requests === undefined ? undefined : requestRows(snapshot, view.current, p95Bound(props.rules, snapshot.totals.latency.buckets));
				props
					.onExport(
						snapshot,
						requests?.map(({levels: _levels, ...r}) => r),
					)
					.then(
						(path) => setMessage({text: `exported to ${path}`, severity: 'ok'}),
						(error: unknown) =>
							setMessage({text: `export failed: ${error instanceof Error ? error.message : String(error)}; nothing else lost`, severity: 'crit'}),
					);
			}
		}
	};
	useInput((input, key) => {
		const mouse = parseMouse(input);
		if (mouse) {
			const result = reduceMouse(view.current, mouse, regions.current.at(mouse.x, mouse.y), shown);
			if (result.view !== view.current || result.intents.length > 0) {
				view.current = result.view;
				for (const intent of result.intents) perform(intent);
				redraw((n) => n + 1);
			}
			return;
		}
		for (const press of splitKeys(input, key)) {
			const result = reduceKey(view.current, press, shown, Math.max(1, Math.floor(rows / 3)));
			view.current = result.view;
			for (const intent of result.intents) perform(intent);
		}
		redraw((n) => n + 1);
	});
	// Declared after useInput: its effect runs after useInput's, when keys are listened to.
	useEffect(() => props.onReady?.(), []);

	const v = view.current;
	const snapshot = v.paused ? frozen.current : latest.current;
	const {services, backends, instances} = shown(v);
	const chosen = v.screen === 'charts' ? backends[v.selected] : undefined;
	const backendSeries = history.current.series(chosen ?? {address: ''}, v.paused ? frozenPoll.current : undefined);
	return (
		<RegionsContext.Provider value={regions.current}>
			<Screen
				snapshot={snapshot}
				view={v}
				services={services}
				backends={backends}
				instances={instances}
				columns={columns}
				rows={rows}
				theme={props.theme}
				now={props.now?.() ?? Date.now()}
				message={message}
				rules={props.rules}
				backendSeries={backendSeries}
			/>
		</RegionsContext.Provider>
	);
}
