/**
 * What a key does to the view, as a pure function: each key acts on the state the keys before it
 * left (a paste, or keys typed faster than a frame, arrive in one chunk and are taken one by one).
 */
import type {BackendRow, ServiceRow} from '../domain/snapshot.js';
import type {InstanceRow} from '../format/columns/instances.js';
import type {RegionKind} from './regions.js';
import {BACKEND_SORTS, INSTANCE_SORTS, clampSelection, nextSort, screenOfKey, SERVICE_SORTS, switchScreen, type ViewState} from './view-state.js';

/** A key as Ink's useInput reports it (the parts used here). */
export interface KeyPress {
	readonly input: string;
	readonly return?: boolean;
	readonly escape?: boolean;
	readonly tab?: boolean;
	readonly backspace?: boolean;
	readonly delete?: boolean;
	readonly upArrow?: boolean;
	readonly downArrow?: boolean;
	readonly pageUp?: boolean;
	readonly pageDown?: boolean;
	readonly ctrl?: boolean;
	readonly meta?: boolean;
}

/** What the app must do beyond changing the view. */
export type Intent =
	| {readonly type: 'quit'}
	| {readonly type: 'pin'; readonly service: string | null}
	| {readonly type: 'pinInstance'; readonly name: string | null}
	| {readonly type: 'interval'; readonly step: 1 | -1}
	| {readonly type: 'export'}
	| {readonly type: 'freeze'}
	/** Through Prometheus' history: a minute back (-1), forward (1), or live (0). */
	| {readonly type: 'rewind'; readonly step: -1 | 0 | 1};

/** The rows the keys move over, as shown (filtered and sorted). */
export interface ShownRows {
	readonly services: readonly ServiceRow[];
	readonly backends: readonly BackendRow[];
	readonly instances: readonly InstanceRow[];
}

/** Splits a chunk of typed input into single key presses. */
export function splitKeys(input: string, key: Omit<KeyPress, 'input'>): KeyPress[] {
	if (input.length <= 1 || key.ctrl || key.meta) return [{...key, input}];
	return [...input].map((char) => (char === '\r' ? {input: '', return: true} : {input: char}));
}

/** The view after one key, and what else to do. `rowsOf` gives the rows shown in a view. */
export function reduceKey(view: ViewState, press: KeyPress, rowsOf: (view: ViewState) => ShownRows, page: number): {view: ViewState; intents: Intent[]} {
	const {input} = press;
	const same = {view, intents: [] as Intent[]};
	const set = (change: Partial<ViewState>, intents: Intent[] = []) => ({view: {...view, ...change}, intents});
	if (view.editingFilter) {
		if (press.return) return set({editingFilter: false});
		if (press.escape) return set({editingFilter: false, filter: ''});
		if (press.backspace || press.delete) return set({filter: view.filter.slice(0, -1)});
		if (input && !press.ctrl && !press.meta) return set({filter: view.filter + input, selected: 0});
		return same;
	}
	if (input === 'q' || (press.ctrl && input === 'c')) return {view, intents: [{type: 'quit'}]};
	if (view.help) {
		if (input === '?' || press.escape) return set({help: false, helpScroll: 0});
		const scroll = (by: number) => set({helpScroll: Math.max(0, view.helpScroll + by)});
		if (press.upArrow || input === 'k') return scroll(-1);
		if (press.downArrow || input === 'j') return scroll(1);
		if (press.pageUp) return scroll(-page);
		if (press.pageDown || input === ' ') return scroll(page);
		if (input === 'g') return set({helpScroll: 0});
		const screen = screenOfKey(input);
		return screen ? {view: {...switchScreen(view, screen), help: false, helpScroll: 0}, intents: []} : same;
	}
	const screen = screenOfKey(input);
	if (screen) return {view: switchScreen(view, screen), intents: []};
	const rows = rowsOf(view);
	const count = rows[view.focus].length;
	const move = (to: number) => set({selected: clampSelection(to, count)});
	if (input === '?') return set({help: true});
	if (input === '/') return set({editingFilter: true});
	if (press.upArrow || input === 'k') return move(view.selected - 1);
	if (press.downArrow || input === 'j') return move(view.selected + 1);
	if (press.pageUp) return move(view.selected - page);
	if (press.pageDown) return move(view.selected + page);
	if (input === 'g') return move(0);
	if (input === 'G') return move(count - 1);
	// Only the overview has two tables to move between; the other views show the backends alone.
	if (press.tab) return view.screen === 'overview' ? set({focus: view.focus === 'services' ? 'backends' : 'services', selected: 0}) : same;
	if (press.return && view.focus === 'instances') {
		const name = rows.instances[view.selected]?.name;
		return name ? set({pinnedInstance: name}, [{type: 'pinInstance', name}]) : same;
	}
	if (press.return) {
		const service = view.focus === 'services' ? rows.services[view.selected]?.name : rows.backends[view.selected]?.service;
		return service ? set({pinned: service, selected: 0}, [{type: 'pin', service}]) : same;
	}
	// The request stream: x cycles errors only (4xx and 5xx, then 5xx), w slow only; r on a backend shows its requests.
	if (view.screen === 'requests' && input === 'x') {
		const next = {all: '4xx+5xx', '4xx+5xx': '5xx', '5xx': 'all'} as const;
		return set({requestErrors: next[view.requestErrors], selected: 0});
	}
	if (view.screen === 'requests' && input === 'w') return set({requestSlow: !view.requestSlow, selected: 0});
	if (input === 'r' && view.focus === 'backends' && view.screen !== 'requests') {
		const row = rows.backends[view.selected];
		return row ? {view: {...switchScreen(view, 'requests'), requestServer: row.address}, intents: []} : same;
	}
	if (press.escape && view.screen === 'requests' && view.requestServer !== null) return set({requestServer: null, selected: 0});
	if (press.escape) {
		if (view.pinnedInstance !== null && (view.screen === 'instances' || !view.pinned)) return set({pinnedInstance: null}, [{type: 'pinInstance', name: null}]);
		if (view.pinned) return set({pinned: null, selected: 0}, [{type: 'pin', service: null}]);
		return view.filter ? set({filter: ''}) : same;
	}
	// Sorting changes the table with focus only.
	if (input === 's') {
		const table = view.focus;
		const keys = table === 'services' ? SERVICE_SORTS : table === 'instances' ? INSTANCE_SORTS : BACKEND_SORTS;
		return set({sort: {...view.sort, [table]: {key: nextSort(view.sort[table].key, keys), reverse: false}}, selected: 0});
	}
	if (input === 'S') {
		const table = view.focus;
		return set({sort: {...view.sort, [table]: {...view.sort[table], reverse: !view.sort[table].reverse}}});
	}
	if (input === ' ') return set({paused: !view.paused}, view.paused ? [] : [{type: 'freeze'}]);
	if (input === '+' || input === '-') return {view, intents: [{type: 'interval', step: input === '+' ? -1 : 1}]};
	if (input === 'e') return {view, intents: [{type: 'export'}]};
	if (input === '[' || input === ']' || input === '0') return {view, intents: [{type: 'rewind', step: input === '[' ? -1 : input === ']' ? 1 : 0}]};
	return same;
}

/** A mouse report (SGR, `ESC [ < b ; x ; y M|m`, as Ink hands it over without its ESC): press, wheel, 1-based cell. */
export interface MouseReport {
	readonly button: 'left' | 'wheelUp' | 'wheelDown' | 'other';
	readonly press: boolean;
	/** 0-based column and line. */
	readonly x: number;
	readonly y: number;
}

const SGR_MOUSE = /^\[<(\d+);(\d+);(\d+)([Mm])$/;

/** The mouse report an input is, or null when it is a key. */
export function parseMouse(input: string): MouseReport | null {
	const m = SGR_MOUSE.exec(input);
	if (!m) return null;
	// Shift, Meta and Ctrl add 4, 8 and 16; motion adds 32 (not asked for, but a terminal may send it).
	const code = Number(m[1]) & ~(4 | 8 | 16);
	const button = code === 0 ? 'left' : code === 64 ? 'wheelUp' : code === 65 ? 'wheelDown' : 'other';
	return {button, press: m[4] === 'M', x: Number(m[2]) - 1, y: Number(m[3]) - 1};
}

/** Rows the wheel moves at a notch. */
export const WHEEL_ROWS = 3;

/**
 * What the mouse does to the view: the wheel scrolls the table under the pointer (or the help),
 * a click selects a row and a second click on it pins its service, a click on a view's name in
 * the footer shows that view. `at` is what lies under the pointer (regions.tsx).
 */
export function reduceMouse(
	view: ViewState,
	report: MouseReport,
	at: {kind: RegionKind; y: number; x: number} | null,
	rowsOf: (view: ViewState) => ShownRows,
): {view: ViewState; intents: Intent[]} {
	const same = {view, intents: [] as Intent[]};
	if (!report.press || report.button === 'other' || view.editingFilter) return same;
	if (report.button !== 'left') {
		const delta = report.button === 'wheelUp' ? -WHEEL_ROWS : WHEEL_ROWS;
		if (view.help) return {view: {...view, helpScroll: Math.max(0, view.helpScroll + delta)}, intents: []};
		if (at?.kind.kind !== 'rows') return same;
		const table = at.kind.table;
		const rows = rowsOf(view);
		const count = rows[table].length;
		const base = view.focus === table ? view.selected : at.kind.start;
		return {view: {...view, focus: table, selected: clampSelection(base + delta, count)}, intents: []};
	}
	if (at === null || view.help) return same;
	if (at.kind.kind === 'footer') {
		const tab = at.kind.tabs.find((t) => at.x >= t.from && at.x < t.to);
		return tab ? {view: switchScreen(view, tab.screen), intents: []} : same;
	}
	if (at.kind.kind !== 'rows') return same;
	const table = at.kind.table;
	const index = at.kind.start + at.y;
	const rows = rowsOf(view);
	const row = rows[table][index];
	if (row === undefined) return same;
	if (view.focus === table && view.selected === index && table === 'instances') {
		const name = (row as InstanceRow).name;
		return {view: {...view, pinnedInstance: name}, intents: [{type: 'pinInstance', name}]};
	}
	if (view.focus === table && view.selected === index) {
		const service = 'name' in row ? row.name : row.service;
		return {view: {...view, pinned: service, selected: 0}, intents: [{type: 'pin', service}]};
	}
	return {view: {...view, focus: table, selected: index}, intents: []};
}
