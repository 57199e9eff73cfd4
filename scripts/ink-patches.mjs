// Changes to Ink's renderer applied when the CLI is bundled (and by bench/ink-hooks.mjs when the
// benchmarks load Ink from source). Ink 6 redoes per frame work whose result seldom changes, and
// keeps one cache without bound; traefik-top redraws every second for hours, so:
//
// - output.js builds the frame from one grid cell object per cell (120x40: 4,800 new objects per
//   frame), each with its own copy of its style list, and tokenises every line again (its caches
//   live one frame). Lines of ordinary characters and colours are now read into interned cells
//   (see FRAME_CELLS); empty cells share one frozen cell (cells are replaced, never changed); and
//   each frame's caches fall back on the previous frame's, so memory holds two frames of cached
//   lines. Turning a row of cells back into text no longer diffs the style of every cell against
//   the one before it when both are the same.
// - render-node-to-output.js measures the width of every text node on every frame with
//   string-width (grapheme segmentation, an emoji regex per character). It now asks
//   measure-text.js, which caches the answer.
// - measure-text.js measures texts of ordinary characters from a table of character widths (see
//   STRING_WIDTH), and output.js uses the same function. Its cache held every text it ever
//   measured: a day of changing figures is a day of new strings. It is now cleared when it passes
//   10,000 entries.
//
// Each change names the exact text it replaces; the build fails if Ink's source has moved on.

/**
 * Code units that are always a grapheme of their own, whatever comes before or after them: no
 * combining mark, joiner, variation selector, prepended mark, Hangul jamo or surrogate among
 * them. Printable ASCII and Latin-1, Latin Extended and the spacing modifiers, general
 * punctuation (no zero-width or bidirectional controls), and arrows through box drawing, block
 * elements, geometric shapes, dingbats and misc symbols. A text made of these alone has one cell
 * per code unit and its width is the sum of its characters' widths (test/ui/ink-patches.test.ts
 * checks every unit of these ranges against Intl.Segmenter).
 */
export const SINGLE_UNIT_RANGES = [
	[0x20, 0x7e],
	[0xa0, 0x2ff],
	[0x2010, 0x2027],
	[0x2030, 0x205e],
	[0x2190, 0x2bff],
];
const SINGLE_UNIT = `export const singleUnit = (c) => ${SINGLE_UNIT_RANGES.map(([a, b]) => `(c >= ${a} && c <= ${b})`).join(' || ')};`;

/**
 * string-width segments every text into graphemes and tests each against an emoji regex; its
 * ASCII shortcut misses every text with a box-drawing or block character or a colour (Ink
 * measures nested texts with their colours' escapes in them). A text made of single-unit
 * characters and SGR sequences is measured from a table of character widths instead, each width
 * found once by string-width itself; the sequences are skipped, as every strip-ansi version removes
 * them whole (ESC [, numbers of up to four digits and semicolons, m). Any other text goes to
 * string-width as before.
 * Ink calls it with the default options only.
 */
const STRING_WIDTH = `${SINGLE_UNIT}
const unitWidths = new Int8Array(0x2c00).fill(-1);
const digitsFrom = (text, i) => {
    let end = i;
    while (end < text.length && end - i < 5 && text.charCodeAt(end) >= 0x30 && text.charCodeAt(end) <= 0x39) end++;
    return end - i > 4 ? -1 : end;
};
const sgrEnd = (text, i) => {
    if (text.charCodeAt(i + 1) !== 0x5b) return -1;
    let end = i + 2;
    if (text.charCodeAt(end) !== 0x6d) {
        end = digitsFrom(text, end);
        if (end === i + 2) return -1;
        while (end >= 0 && text.charCodeAt(end) === 0x3b) end = digitsFrom(text, end + 1);
        if (end < 0 || text.charCodeAt(end) !== 0x6d) return -1;
    }
    return end;
};
export const stringWidth = (text) => {
    let width = 0;
    for (let i = 0; i < text.length; i++) {
        const c = text.charCodeAt(i);
        if (c === 0x1b) {
            const end = sgrEnd(text, i);
            if (end < 0) return segmentedWidth(text);
            i = end;
            continue;
        }
        if (!singleUnit(c)) return segmentedWidth(text);
        let w = unitWidths[c];
        if (w < 0) w = unitWidths[c] = segmentedWidth(String.fromCharCode(c));
        width += w;
    }
    return width;
};
const widestLine = (text) => {
    let width = 0;
    for (const line of text.split('\\n')) width = Math.max(width, stringWidth(line));
    return width;
};`;

/**
 * The cells of a frame. @alcalzone/ansi-tokenize makes a token object and then a cell object with
 * a fresh copy of the style list for every character of every line, and its styledCharsToString
 * builds three Sets and four arrays per character to find that it has the style of the one before
 * (a 120x40 frame: 100,000 allocations).
 *
 * A line of single-unit characters and SGR sequences (what Ink's colours produce) is now read in
 * one pass into interned cells: one frozen style list per distinct style, one frozen cell per
 * style and character, each made once by the library's own tokenize and reduce. A frame then
 * allocates no cells, equal styles are the same list, and a change of style between two interned
 * lists is turned into text once. Anything else (other escapes, wide or combining characters)
 * goes through the library as before. The tables are emptied past 20,000 cells; cells already
 * handed out stay valid, being immutable.
 */
const FRAME_CELLS = `const NO_STYLES = Object.freeze([]);
let internedStyles, styleSteps, cellsByStyles, styleChanges, internedCells;
const resetInterned = () => {
    internedStyles = new Map([['', NO_STYLES]]);
    styleSteps = new Map();
    cellsByStyles = new Map();
    styleChanges = new WeakMap();
    internedCells = 0;
};
resetInterned();
const stepStyles = (styles, sgr) => {
    let steps = styleSteps.get(styles);
    if (steps === undefined) styleSteps.set(styles, (steps = new Map()));
    let next = steps.get(sgr);
    if (next === undefined) {
        let codes = styles;
        for (const token of tokenize(sgr)) {
            if (token.type !== 'ansi') return undefined;
            codes = reduceAnsiCodesIncremental(codes, [token]);
        }
        const key = codes.map((code) => code.code).join('');
        next = internedStyles.get(key);
        if (next === undefined) internedStyles.set(key, (next = Object.freeze([...codes])));
        steps.set(sgr, next);
    }
    return next;
};
const cellOf = (styles, c) => {
    let cells = cellsByStyles.get(styles);
    if (cells === undefined) cellsByStyles.set(styles, (cells = new Map()));
    let cell = cells.get(c);
    if (cell === undefined) {
        const [token] = tokenize(String.fromCharCode(c));
        cell = Object.freeze({ ...token, styles });
        cells.set(c, cell);
        internedCells++;
    }
    return cell;
};
const internedStyledChars = (line) => {
    if (internedCells > 20000) resetInterned();
    const chars = [];
    let styles = NO_STYLES;
    for (let i = 0; i < line.length;) {
        const c = line.charCodeAt(i);
        if (c === 0x1b) {
            if (line.charCodeAt(i + 1) !== 0x5b) return undefined;
            let end = i + 2;
            for (let d = line.charCodeAt(end); (d >= 0x30 && d <= 0x39) || d === 0x3b; d = line.charCodeAt(++end));
            if (line.charCodeAt(end) !== 0x6d) return undefined;
            styles = stepStyles(styles, line.slice(i, end + 1));
            if (styles === undefined) return undefined;
            i = end + 1;
        }
        else if (singleUnit(c)) {
            chars.push(cellOf(styles, c));
            i++;
        }
        else return undefined;
    }
    return chars;
};
const styledCharsOf = (line) => internedStyledChars(line) ?? styledCharsFromTokens(tokenize(line));
const sameStyles = (a, b) => {
    if (a === b) return true;
    if (a.length !== b.length) return false;
    for (let i = 0; i < a.length; i++) {
        if (a[i].code !== b[i].code || a[i].endCode !== b[i].endCode) return false;
    }
    return true;
};
const styleChange = (from, to) => {
    if (!Object.isFrozen(from) || !Object.isFrozen(to)) return ansiCodesToString(diffAnsiCodes(from, to));
    let byTarget = styleChanges.get(from);
    if (byTarget === undefined) styleChanges.set(from, (byTarget = new Map()));
    let change = byTarget.get(to);
    if (change === undefined) byTarget.set(to, (change = ansiCodesToString(diffAnsiCodes(from, to))));
    return change;
};
const lineToString = (chars) => {
    let ret = '';
    for (let i = 0; i < chars.length; i++) {
        const char = chars[i];
        if (i === 0) {
            if (char.styles.length > 0) ret += ansiCodesToString(char.styles);
        }
        else if (!sameStyles(chars[i - 1].styles, char.styles)) {
            ret += styleChange(chars[i - 1].styles, char.styles);
        }
        ret += char.value;
        if (i === chars.length - 1 && char.styles.length > 0) {
            ret += styleChange(char.styles, NO_STYLES);
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
			// One width function and one single-unit test, both in measure-text.js.
			["import stringWidth from 'string-width';", "import { singleUnit, stringWidth } from './measure-text.js';"],
			['            cached = styledCharsFromTokens(tokenize(line));', '            cached = this.previous?.styledChars.get(line) ?? styledCharsOf(line);'],
			['            cached = stringWidth(text);', '            cached = this.previous?.widths.get(text) ?? stringWidth(text);'],
			[
				'export default class Output {',
				"const BLANK_CELL = Object.freeze({ type: 'char', value: ' ', fullWidth: false, styles: NO_STYLES });\nlet lastFrameCaches;\nexport default class Output {",
			],
			[
				'    caches = new OutputCaches();',
				'    caches = (() => {\n        const caches = new OutputCaches();\n        caches.previous = lastFrameCaches;\n        if (lastFrameCaches) lastFrameCaches.previous = undefined;\n        lastFrameCaches = caches;\n        return caches;\n    })();',
			],
			[
				"import { styledCharsFromTokens, styledCharsToString, tokenize, } from '@alcalzone/ansi-tokenize';",
				"import { ansiCodesToString, diffAnsiCodes, reduceAnsiCodesIncremental, styledCharsFromTokens, tokenize, } from '@alcalzone/ansi-tokenize';\n" +
					FRAME_CELLS,
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
	[
		'build/measure-text.js',
		[
			["import widestLine from 'widest-line';", `import segmentedWidth from 'string-width';\n${STRING_WIDTH}`],
			['    cache.set(text, dimensions);', '    if (cache.size >= 10000) {\n        cache.clear();\n    }\n    cache.set(text, dimensions);'],
		],
	],
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
			if (!text.includes(find))
				throw new Error(`ink patch: ${file} no longer contains ${JSON.stringify(find.slice(0, 60))}; review scripts/ink-patches.mjs against this Ink version`);
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
