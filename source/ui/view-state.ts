/** What the user has set on the screen: filter, sort, focus, selection, pin, pause, help. Pure. */
import {BACKENDS_TABLE} from '../format/columns/backends.js';
import {SERVICES_TABLE} from '../format/columns/services.js';
import {compileLinear} from '../format/linear-regex.js';

/** The sort keys `s` cycles through, per table. */
export const SERVICE_SORTS = SERVICES_TABLE.sorts.map((s) => s.key);
export const BACKEND_SORTS = BACKENDS_TABLE.sorts.map((s) => s.key);

export type Focus = 'services' | 'backends';

export interface TableSort {
	readonly key: string;
	readonly reverse: boolean;
}

export interface ViewState {
	readonly focus: Focus;
	/** Index of the selected row in the focused table (as sorted and filtered). */
	readonly selected: number;
	readonly filter: string;
	/** Typing a filter after `/`. */
	readonly editingFilter: boolean;
	/** Each table's sort: a key of its sorts, reversed or not (`S` reverses the focused table only). */
	readonly sort: {readonly services: TableSort; readonly backends: TableSort};
	readonly pinned: string | null;
	readonly paused: boolean;
	readonly help: boolean;
}

export function initialViewState(pinned: string | null): ViewState {
	return {
		focus: 'services',
		selected: 0,
		filter: '',
		editingFilter: false,
		sort: {services: {key: SERVICE_SORTS[0]!, reverse: false}, backends: {key: BACKEND_SORTS[0]!, reverse: false}},
		pinned,
		paused: false,
		help: false,
	};
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
