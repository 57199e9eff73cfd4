/**
 * Text from outside (service and router names, server URLs, host names, errors quoted from
 * servers, access-log fields) made safe to print in a terminal: every C0 and C1 control, DEL, and
 * every bidirectional override or isolate is shown escaped (`\x1b`, `\u202e`) instead of driving
 * the terminal. Every text mode and the screen print through this; --json and exports keep the
 * exact text (JSON escapes it). Pure.
 */

/** What a terminal would act on, or what reorders or hides the text around it. */
// eslint-disable-next-line no-control-regex -- matching control characters is the point
const UNSAFE = /[\u0000-\u001f\u007f-\u009f\u061c\u200e\u200f\u2028\u2029\u202a-\u202e\u2066-\u2069]/g;
// eslint-disable-next-line no-control-regex -- likewise
const UNSAFE_TEST = /[\u0000-\u001f\u007f-\u009f\u061c\u200e\u200f\u2028\u2029\u202a-\u202e\u2066-\u2069]/;

const escape = (c: string): string => {
	const code = c.charCodeAt(0);
	return code <= 0xff ? `\\x${code.toString(16).padStart(2, '0')}` : `\\u${code.toString(16).padStart(4, '0')}`;
};

/** `text` with its controls and direction overrides visibly escaped; the same string when it has none. */
export function terminalSafe(text: string): string {
	return UNSAFE_TEST.test(text) ? text.replace(UNSAFE, escape) : text;
}

/** A value whose strings are all terminal-safe: what the screen and the text modes draw. */
export type TerminalSafe<T> = T & {readonly __terminalSafe: true};

/**
 * A copy of `value` with every string in it (keys included) made terminal-safe. Objects and arrays
 * with nothing to escape are returned as they are, so a snapshot of safe text costs one walk.
 */
export function terminalSafeValue<T>(value: T): TerminalSafe<T> {
	return walk(value) as TerminalSafe<T>;
}

function walk(value: unknown): unknown {
	if (typeof value === 'string') return terminalSafe(value);
	if (typeof value !== 'object' || value === null) return value;
	// Numbers, booleans and null are passed over without a call: a snapshot is mostly histories.
	if (Array.isArray(value)) {
		let copy: unknown[] | null = null;
		for (let i = 0; i < value.length; i++) {
			const item: unknown = value[i];
			if (item === null || (typeof item !== 'object' && typeof item !== 'string')) continue;
			const safe = walk(item);
			if (safe !== item) {
				copy ??= value.slice();
				copy[i] = safe;
			}
		}
		return copy ?? value;
	}
	let copy: Record<string, unknown> | null = null;
	const record = value as Record<string, unknown>;
	for (const key in record) {
		const item = record[key];
		const safe = item === null || (typeof item !== 'object' && typeof item !== 'string') ? item : walk(item);
		const safeKey = terminalSafe(key);
		if (safe !== item || safeKey !== key) {
			copy ??= {...record};
			if (safeKey !== key) delete copy[key];
			copy[safeKey] = safe;
		}
	}
	return copy ?? value;
}
