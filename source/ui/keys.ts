/**
 * What a key does to the view, as a pure function: each key acts on the state the keys before it
 * left (a paste, or keys typed faster than a frame, arrive in one chunk and are taken one by one).
 */
import type {BackendRow, ServiceRow} from '../domain/snapshot.js';
import {BACKEND_SORTS, clampSelection, nextSort, SERVICE_SORTS, type ViewState} from './view-state.js';

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
	| {readonly type: 'interval'; readonly step: 1 | -1}
	| {readonly type: 'export'}
	| {readonly type: 'freeze'};

/** The rows the keys move over, as shown (filtered and sorted). */
export interface ShownRows {
	readonly services: readonly ServiceRow[];
	readonly backends: readonly BackendRow[];
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
	if (view.help) return input === '?' || press.escape ? set({help: false}) : same;
	const rows = rowsOf(view);
	const count = view.focus === 'services' ? rows.services.length : rows.backends.length;
	const move = (to: number) => set({selected: clampSelection(to, count)});
	if (input === '?') return set({help: true});
	if (input === '/') return set({editingFilter: true});
	if (press.upArrow || input === 'k') return move(view.selected - 1);
	if (press.downArrow || input === 'j') return move(view.selected + 1);
	if (press.pageUp) return move(view.selected - page);
	if (press.pageDown) return move(view.selected + page);
	if (input === 'g') return move(0);
	if (input === 'G') return move(count - 1);
	if (press.tab) return set({focus: view.focus === 'services' ? 'backends' : 'services', selected: 0});
	if (press.return) {
		const service = view.focus === 'services' ? rows.services[view.selected]?.name : rows.backends[view.selected]?.service;
		return service ? set({pinned: service, selected: 0}, [{type: 'pin', service}]) : same;
	}
	if (press.escape) {
		if (view.pinned) return set({pinned: null, selected: 0}, [{type: 'pin', service: null}]);
		return view.filter ? set({filter: ''}) : same;
	}
	// Sorting changes the table with focus only.
	if (input === 's') {
		const table = view.focus;
		const keys = table === 'services' ? SERVICE_SORTS : BACKEND_SORTS;
		return set({sort: {...view.sort, [table]: {key: nextSort(view.sort[table].key, keys), reverse: false}}, selected: 0});
	}
	if (input === 'S') {
		const table = view.focus;
		return set({sort: {...view.sort, [table]: {...view.sort[table], reverse: !view.sort[table].reverse}}});
	}
	if (input === ' ') return set({paused: !view.paused}, view.paused ? [] : [{type: 'freeze'}]);
	if (input === '+' || input === '-') return {view, intents: [{type: 'interval', step: input === '+' ? -1 : 1}]};
	if (input === 'e') return {view, intents: [{type: 'export'}]};
	return same;
}
