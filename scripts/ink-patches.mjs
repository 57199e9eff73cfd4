// Changes to Ink's renderer applied when the CLI is bundled (and by bench/ink-hooks.mjs when the
// benchmarks load Ink from source). Ink 6 redoes per frame work whose result seldom changes, and
// keeps one cache without bound; traefik-top redraws every second for hours, so:
//
// - output.js builds the frame from one grid cell object per cell (120x40: 4,800 new objects per
//   frame) and tokenises every line again (its caches live one frame). Empty cells now share one
//   frozen cell (cells are replaced, never changed), and each frame's caches fall back on the
//   previous frame's, so memory holds two frames of cached lines.
//   Turning a row of cells back into text no longer diffs the style of every cell against the one
//   before it when both are the same (see LINE_TO_STRING).
// - render-node-to-output.js measures the width of every text node on every frame with
//   string-width (grapheme segmentation, an emoji regex per character). It now asks
//   measure-text.js, which caches the answer.
// - measure-text.js caches every text it ever measured: a day of changing figures is a day of
//   new strings. The cache is now cleared when it passes 10,000 entries.
//
// Each change names the exact text it replaces; the build fails if Ink's source has moved on.

/**
 * styledCharsToString of @alcalzone/ansi-tokenize, which builds three Sets and four arrays per
 * character to find that a character has the style of the one before it (the usual case: a
 * 120x40 frame cost 100,000 allocations). Equal styles now cost a comparison; the library still
 * computes every change of style.
 */
const LINE_TO_STRING = `const sameStyles = (a, b) => {
    if (a === b) return true;
    if (a.length !== b.length) return false;
    for (let i = 0; i < a.length; i++) {
        if (a[i].code !== b[i].code || a[i].endCode !== b[i].endCode) return false;
    }
    return true;
};
const lineToString = (chars) => {
    let ret = '';
    for (let i = 0; i < chars.length; i++) {
        const char = chars[i];
        if (i === 0) {
            if (char.styles.length > 0) ret += ansiCodesToString(char.styles);
        }
        else if (!sameStyles(chars[i - 1].styles, char.styles)) {
            ret += ansiCodesToString(diffAnsiCodes(chars[i - 1].styles, char.styles));
        }
        ret += char.value;
        if (i === chars.length - 1 && char.styles.length > 0) {
            ret += ansiCodesToString(diffAnsiCodes(char.styles, []));
        }
    }
    return ret;
};`;

/** [file under ink/, [[find, replace], ...]] */
export const INK_PATCHES = [
	[
		'build/output.js',
		[
			// Each frame's caches fall back on the previous frame's: an unchanged line is not
			// tokenised again, and memory holds two frames, whatever the run's length.
			['    styledChars = new Map();\n', '    styledChars = new Map();\n    previous = undefined;\n'],
			['            cached = styledCharsFromTokens(tokenize(line));', '            cached = this.previous?.styledChars.get(line) ?? styledCharsFromTokens(tokenize(line));'],
			['            cached = stringWidth(text);', '            cached = this.previous?.widths.get(text) ?? stringWidth(text);'],
			[
				'export default class Output {',
				"const BLANK_CELL = Object.freeze({ type: 'char', value: ' ', fullWidth: false, styles: Object.freeze([]) });\nlet lastFrameCaches;\nexport default class Output {",
			],
			[
				'    caches = new OutputCaches();',
				'    caches = (() => {\n        const caches = new OutputCaches();\n        caches.previous = lastFrameCaches;\n        if (lastFrameCaches) lastFrameCaches.previous = undefined;\n        lastFrameCaches = caches;\n        return caches;\n    })();',
			],
			[
				"import { styledCharsFromTokens, styledCharsToString, tokenize, } from '@alcalzone/ansi-tokenize';",
				"import { ansiCodesToString, diffAnsiCodes, styledCharsFromTokens, tokenize, } from '@alcalzone/ansi-tokenize';\n" + LINE_TO_STRING,
			],
			['            return styledCharsToString(lineWithoutEmptyItems).trimEnd();', '            return lineToString(lineWithoutEmptyItems).trimEnd();'],
			[
				"                row.push({\n                    type: 'char',\n                    value: ' ',\n                    fullWidth: false,\n                    styles: [],\n                });",
				'                row.push(BLANK_CELL);',
			],
		],
	],
	[
		'build/render-node-to-output.js',
		[
			["import widestLine from 'widest-line';", "import measureText from './measure-text.js';"],
			['                const currentWidth = widestLine(text);', '                const currentWidth = measureText(text).width;'],
		],
	],
	['build/measure-text.js', [['    cache.set(text, dimensions);', '    if (cache.size >= 10000) {\n        cache.clear();\n    }\n    cache.set(text, dimensions);']]],
];

const PATCHED = '/* patched by traefik-top: scripts/ink-patches.mjs */';

/** The patched source of an Ink file given its path; other files come back unchanged. */
export function patchInk(path, source) {
	const normalized = path.replaceAll('\\', '/');
	for (const [file, replacements] of INK_PATCHES) {
		if (!normalized.endsWith(`/ink/${file}`)) continue;
		// A loader chain may hand the same source over twice.
		if (source.startsWith(PATCHED)) return source;
		let text = `${PATCHED}\n${source}`;
		for (const [find, replace] of replacements) {
			if (!text.includes(find)) throw new Error(`ink patch: ${file} no longer contains ${JSON.stringify(find.slice(0, 60))}; review scripts/ink-patches.mjs against this Ink version`);
			text = text.replace(find, replace);
		}
		return text;
	}
	return source;
}

/** The files the patches touch, as an esbuild onLoad filter. */
export const INK_PATCH_FILTER = /[\\/]ink[\\/]build[\\/](output|render-node-to-output|measure-text)\.js$/;

/** An esbuild plugin that applies the patches. */
export const inkPatchPlugin = {
	name: 'ink-patches',
	setup(build) {
		build.onLoad({filter: INK_PATCH_FILTER}, async ({path}) => {
			const {readFile} = await import('node:fs/promises');
			return {contents: patchInk(path, await readFile(path, 'utf8')), loader: 'js'};
		});
	},
};
