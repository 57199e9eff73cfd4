/** Colours by meaning and the symbols that go with them (colour is never the only signal). */
import {glyphsFor, type Glyphs} from '../format/glyphs.js';

export type Severity = 'ok' | 'warn' | 'crit' | 'muted' | 'accent' | 'plain';

/** How the screen draws severities. */
export interface Theme {
	/** Ink colour of a severity, undefined for the terminal's default. */
	readonly color: (severity: Severity) => string | undefined;
	/** The mark of a severity: `!` warn, `✖` crit (`X` in ASCII), a space otherwise. */
	readonly mark: (severity: Severity) => string;
	readonly glyphs: Glyphs;
	readonly ascii: boolean;
	readonly colors: boolean;
}

const COLORS: Record<Severity, string | undefined> = {ok: 'green', warn: 'yellow', crit: 'red', muted: 'gray', accent: 'cyan', plain: undefined};

/** The theme for `--no-color`/NO_COLOR and `--ascii`. */
export function createTheme(options: {colors: boolean; ascii: boolean}): Theme {
	const glyphs = glyphsFor(options.ascii);
	return {
		color: (severity) => (options.colors ? COLORS[severity] : undefined),
		mark: (severity) => (severity === 'crit' ? glyphs.crit : severity === 'warn' ? glyphs.warn : ' '),
		glyphs,
		ascii: options.ascii,
		colors: options.colors,
	};
}

/** The worse of two severities. */
export function worst(a: Severity, b: Severity): Severity {
	const rank: Record<Severity, number> = {crit: 4, warn: 3, accent: 1, ok: 1, muted: 0, plain: 0};
	return rank[b] > rank[a] ? b : a;
}
