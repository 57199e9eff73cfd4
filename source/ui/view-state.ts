/** What the user has set on the screen: the view, filter, sort, focus, selection, pin, pause, help. Pure. */
import {BACKENDS_TABLE} from '../format/columns/backends.js';
import {SERVICES_TABLE} from '../format/columns/services.js';
import {INSTANCES_TABLE} from '../format/columns/instances.js';
import {compileLinear} from '../format/linear-regex.js';

/** The sort keys `s` cycles through, per table. */
export const SERVICE_SORTS = SERVICES_TABLE.sorts.map((s) => s.key);
export const BACKEND_SORTS = BACKENDS_TABLE.sorts.map((s) => s.key);
export const INSTANCE_SORTS = INSTANCES_TABLE.sorts.map((s) => s.key);

export type Focus = 'services' | 'backends' | 'instances';

/** Each table's sort. */
export interface Sorts {
	readonly services: TableSort;
	readonly backends: TableSort;
	readonly instances: TableSort;
}

/** The whole-screen views, by the number key that shows each. */
export const SCREENS = [
	{key: '1', name: 'overview'},
	{key: '2', name: 'backends'},
	{key: '3', name: 'requests'},
	{key: '4', name: 'instances'},
	{key: '5', name: 'charts'},
] as const;
export type ScreenName = (typeof SCREENS)[number]['name'];

/** What each view keeps of its own while another is shown: its tables' focus, selection and sorts. */
export interface TablesState {
	readonly focus: Focus;
	readonly selected: number;
	readonly sort: Sorts;
}

export interface TableSort {
	readonly key: string;
	readonly reverse: boolean;
}

export interface ViewState {
	/** The view shown; `focus`, `selected` and `sort` are its own, the others' are kept in `saved`. */
	readonly screen: ScreenName;
	readonly saved: Readonly<Partial<Record<ScreenName, TablesState>>>;
	readonly focus: Focus;
	/** Index of the selected row in the focused table (as sorted and filtered). */
	readonly selected: number;
	readonly filter: string;
	/** Typing a filter after `/`. */
	readonly editingFilter: boolean;
	/** Each table's sort: a key of its sorts, reversed or not (`S` reverses the focused table only). */
	readonly sort: Sorts;
	readonly pinned: string | null;
	/** With several instances: the one shown alone (null: all of them, summed). */
	readonly pinnedInstance: string | null;
	readonly paused: boolean;
	readonly help: boolean;
	/** The first line of the help shown (it scrolls when taller than the screen). */
	readonly helpScroll: number;
	/** The request stream's own filters: errors only (4xx and 5xx, or 5xx), slow only, one server's. */
	readonly requestErrors: 'all' | '4xx+5xx' | '5xx';
	readonly requestSlow: boolean;
	readonly requestServer: string | null;
}

/** A view's tables as first shown: the overview's focus on the services, the others' on the backends. */
function freshTables(screen: ScreenName): TablesState {
	return {
		focus: screen === 'overview' ? 'services' : screen === 'instances' ? 'instances' : 'backends',
		selected: 0,
		sort: {
			services: {key: SERVICE_SORTS[0]!, reverse: false},
			backends: {key: BACKEND_SORTS[0]!, reverse: false},
			instances: {key: INSTANCE_SORTS[0]!, reverse: false},
		},
	};
}

export function initialViewState(pinned: string | null, screen: ScreenName = 'overview'): ViewState {
	return {
		screen,
		saved: {},
		...freshTables(screen),
		filter: '',
		editingFilter: false,
		pinned,
		pinnedInstance: null,
		paused: false,
		help: false,
		helpScroll: 0,
		requestErrors: 'all',
		requestSlow: false,
		requestServer: null,
	};
}

/** The view with another screen shown: what this one had is kept, what that one had comes back. The pin, filter and pause hold. */
export function switchScreen(view: ViewState, to: ScreenName): ViewState {
	if (to === view.screen) return view;
	const {focus, selected, sort} = view;
	const next = view.saved[to] ?? freshTables(to);
	return {...view, screen: to, saved: {...view.saved, [view.screen]: {focus, selected, sort}}, ...next};
}

/** The screen a number key shows, if it is one. */
export function screenOfKey(input: string): ScreenName | undefined {
	return SCREENS.find((s) => s.key === input)?.name;
}

/** A filter as typed: substring, `/re/` regex, `!` in front inverts. Returns a predicate, or an error. */
export function compileFilter(text: string): {test: (value: string) => boolean; error?: string} {
	let body = text;
	let invert = false;
	if (body.startsWith('!')) {
		invert = true;
		body = body.slice(1);
	}
	if (body === '') return {test: () => true};
	let match: (value: string) => boolean;
	const regex = /^\/(.*)\/([a-z]*)$/.exec(body);
	if (regex) {
		try {
			// Linear time: no pattern typed here can hang the screen (backreferences and lookaround are refused).
			const re = compileLinear(regex[1]!, 'i');
			match = (value) => re.test(value);
		} catch (error) {
			return {test: () => true, error: `bad regex: ${(error as Error).message}`};
		}
	} else {
		const needle = body.toLowerCase();
		match = (value) => value.toLowerCase().includes(needle);
	}
	return {test: (value) => match(value) !== invert};
}

/** Next sort key in the cycle of a table. */
export function nextSort(current: string, keys: readonly string[]): string {
	const i = keys.indexOf(current);
	return keys[(i + 1) % keys.length]!;
}

/** Keeps a selection inside a table of `count` rows. */
export function clampSelection(selected: number, count: number): number {
	return Math.max(0, Math.min(selected, count - 1));
}
