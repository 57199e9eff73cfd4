/** What the user has set on the screen: filter, sort, focus, selection, pin, pause, help. Pure. */
import {BACKENDS_TABLE} from '../format/columns/backends.js';
import {SERVICES_TABLE} from '../format/columns/services.js';

/** The sort keys `s` cycles through, per table. */
export const SERVICE_SORTS = SERVICES_TABLE.sorts.map((s) => s.key);
export const BACKEND_SORTS = BACKENDS_TABLE.sorts.map((s) => s.key);

export type Focus = 'services' | 'backends';

export interface ViewState {
	readonly focus: Focus;
	/** Index of the selected row in the focused table (as sorted and filtered). */
	readonly selected: number;
	readonly filter: string;
	/** Typing a filter after `/`. */
	readonly editingFilter: boolean;
	readonly sort: {readonly services: string; readonly backends: string; readonly reverse: boolean};
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
		sort: {services: SERVICE_SORTS[0]!, backends: BACKEND_SORTS[0]!, reverse: false},
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
			const re = new RegExp(regex[1]!, regex[2]!.includes('i') ? regex[2]! : `${regex[2]}i`);
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
