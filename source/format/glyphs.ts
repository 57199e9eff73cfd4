/**
 * The symbols the screen and the report draw, in Unicode and in plain ASCII (for --ascii, and
 * for a terminal that cannot show UTF-8: TERM=dumb, or a C/POSIX locale). Pure.
 */

export interface Glyphs {
	/** The marks of a breach: colour is never the only signal. */
	readonly crit: string;
	readonly warn: string;
	/** The state dot of a live screen. */
	readonly live: string;
	/** Before the title of the table that has focus. */
	readonly focus: string;
	/** Between fields of a line. */
	readonly sep: string;
	/** A failed poll in a chart. */
	readonly gap: string;
	/** Traefik -> server. */
	readonly arrow: string;
	/** Sort order: descending, ascending. */
	readonly down: string;
	readonly up: string;
	/** "at most" in the latency shares. */
	readonly atMost: string;
	/** The end of a cut text. */
	readonly ellipsis: string;
	/** Key names in the hints. */
	readonly keyMove: string;
	readonly keyEnter: string;
	readonly keySpace: string;
}

export const UNICODE_GLYPHS: Glyphs = {
	crit: '✖',
	warn: '!',
	live: '●',
	focus: '▸',
	sep: '·',
	gap: '·',
	arrow: '→',
	down: '↓',
	up: '↑',
	atMost: '≤',
	ellipsis: '…',
	keyMove: '↑↓',
	keyEnter: '⏎',
	keySpace: '␣',
};

export const ASCII_GLYPHS: Glyphs = {
	crit: 'X',
	warn: '!',
	live: '*',
	focus: '>',
	sep: '|',
	gap: '_',
	arrow: '->',
	down: 'v',
	up: '^',
	atMost: '<=',
	ellipsis: '~',
	keyMove: 'j/k',
	keyEnter: 'Enter',
	keySpace: 'space',
};

export const glyphsFor = (ascii: boolean): Glyphs => (ascii ? ASCII_GLYPHS : UNICODE_GLYPHS);

/** Whether the terminal can show UTF-8: not TERM=dumb, and a locale whose charset is UTF-8. */
export function terminalTakesUtf8(env: Readonly<Record<string, string | undefined>>): boolean {
	if (env['TERM'] === 'dumb') return false;
	// The first of these that is set decides, as setlocale() does.
	const locale = env['LC_ALL'] || env['LC_CTYPE'] || env['LANG'] || '';
	return /utf-?8/i.test(locale);
}
