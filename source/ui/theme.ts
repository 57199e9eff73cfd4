/** Colours by meaning and the symbols that go with them (colour is never the only signal). */

export type Severity = 'ok' | 'warn' | 'crit' | 'muted' | 'accent' | 'plain';

/** How the screen draws severities. */
export interface Theme {
	/** Ink colour of a severity, undefined for the terminal's default. */
	readonly color: (severity: Severity) => string | undefined;
	/** The mark of a severity: `!` warn, `✖` crit (`X` in ASCII). */
	readonly mark: (severity: Severity) => string;
	readonly ascii: boolean;
	readonly colors: boolean;
}

const COLORS: Record<Severity, string | undefined> = {ok: 'green', warn: 'yellow', crit: 'red', muted: 'gray', accent: 'cyan', plain: undefined};

/** The theme for `--no-color`/NO_COLOR and `--ascii`. */
export function createTheme(options: {colors: boolean; ascii: boolean}): Theme {
	return {
		color: (severity) => (options.colors ? COLORS[severity] : undefined),
		mark: (severity) => (severity === 'crit' ? (options.ascii ? 'X' : '✖') : severity === 'warn' ? '!' : ' '),
		ascii: options.ascii,
		colors: options.colors,
	};
}

/** The worse of two severities. */
export function worst(a: Severity, b: Severity): Severity {
	const rank: Record<Severity, number> = {crit: 4, warn: 3, accent: 1, ok: 1, muted: 0, plain: 0};
	return rank[b] > rank[a] ? b : a;
}
