// Ink's renderer as patched by patches/ink+6.8.0.patch (applied by patch-package on install, so
// the tests, the benches and the bundle all run it) must not change a single frame: the patched
// Output draws the same random frames as Ink's own, one after another (the caches now live across
// frames), and measures texts as Ink's own does. Ink's own is rebuilt here by reversing the patch.
import {execaSync} from 'execa';
import {cpSync, mkdirSync, readFileSync, rmSync} from 'node:fs';
import {join} from 'node:path';
import {pathToFileURL} from 'node:url';
import {build} from 'esbuild';
import fc from 'fast-check';
import {afterAll, beforeAll, describe, expect, it} from 'vitest';

interface OutputLike {
	write(x: number, y: number, text: string, options: {transformers: unknown[]}): void;
	clip(clip: {x1?: number; x2?: number; y1?: number; y2?: number}): void;
	unclip(): void;
	get(): {output: string; height: number};
}
type OutputClass = new (options: {width: number; height: number}) => OutputLike;
interface Variant {
	Output: OutputClass;
	measureText: (text: string) => {width: number; height: number};
}

const ROOT = process.cwd();
// Inside node_modules, so that Ink's own dependencies resolve from the copy as from the original.
const dir = join(ROOT, 'node_modules', '.cache', `tt-ink-${process.pid}`);
let original: Variant;
let patched: Variant;

/** The single-unit ranges, read from the patched measure-text.js itself. */
const SINGLE_UNIT_RANGES = [...readFileSync(join(ROOT, 'node_modules/ink/build/measure-text.js'), 'utf8').matchAll(/\(c >= (\d+) && c <= (\d+)\)/g)].map(
	(m) => [Number(m[1]), Number(m[2])] as const,
);

async function variant(name: string, inkBuild: string): Promise<Variant> {
	const outfile = join(dir, `${name}.mjs`);
	await build({
		stdin: {
			contents: [
				`export {default as Output} from ${JSON.stringify(join(inkBuild, 'output.js'))};`,
				`export {default as measureText} from ${JSON.stringify(join(inkBuild, 'measure-text.js'))};`,
			].join('\n'),
			resolveDir: ROOT,
			loader: 'js',
		},
		outfile,
		bundle: true,
		platform: 'node',
		format: 'esm',
		logLevel: 'error',
	});
	return (await import(pathToFileURL(outfile).href)) as Variant;
}

beforeAll(async () => {
	// Ink as published: a copy of the patched package with the patch reversed.
	const pristine = join(dir, 'node_modules', 'ink');
	mkdirSync(join(dir, 'node_modules'), {recursive: true});
	cpSync(join(ROOT, 'node_modules/ink'), pristine, {recursive: true});
	execaSync('git', ['apply', '-R', '--directory', 'node_modules/.cache/' + `tt-ink-${process.pid}`, join(ROOT, 'patches/ink+6.8.0.patch')], {cwd: ROOT});
	original = await variant('original', join(pristine, 'build'));
	patched = await variant('patched', join(ROOT, 'node_modules/ink/build'));
}, 60_000);

afterAll(() => rmSync(dir, {recursive: true, force: true}));

// What the screen draws (box and block characters, marks, ·, ≤, …), what it may be given (wide,
// combining, joined and emoji characters in service names), and the escapes Ink's colours make,
// with malformed ones beside them.
const piece = fc.constantFrom(
	...['a', 'B', ' ', '0', '~', '█', '▁', '│', '✖', '●', '▸', '·', '≤', '…', '—', 'é', 'ß', '\u00AD', '\u2BFF', '\u2C00', '\u2009', '\n'],
	...['世', 'ｱ', '👍', '\u0301', '\u200D', '\uFE0F', '\u200B', '\u231A', '\u2705', '\uD83D', '가', '\u1100\u1161'],
	...[
		'\u001B[31m',
		'\u001B[39m',
		'\u001B[1m',
		'\u001B[22m',
		'\u001B[2m',
		'\u001B[7m',
		'\u001B[27m',
		'\u001B[0m',
		'\u001B[m',
		'\u001B[91m',
		'\u001B[38;5;196m',
		'\u001B[38;2;1;2;3m',
		'\u001B[48;5;4m',
		'\u001B[49m',
		'\u001B[1;31m',
	],
	...[
		'\u001B',
		'\u001B[',
		'\u001B[5',
		'\u001B[31',
		'\u001B[12345m',
		'\u001B[1;12345m',
		'\u001B[;5m',
		'\u001B[1;;2m',
		'\u0007',
		'\u001B]8;;http://x\u0007',
		'\u001B]8;;\u0007',
		'\u009B31m',
	],
);
const text = fc.array(piece, {minLength: 1, maxLength: 30}).map((parts) => parts.join(''));
const operation = fc.oneof(
	fc.record({type: fc.constant('write' as const), x: fc.integer({min: 0, max: 25}), y: fc.integer({min: 0, max: 8}), text}),
	fc.record({
		type: fc.constant('clip' as const),
		x1: fc.integer({min: 0, max: 20}),
		w: fc.integer({min: 0, max: 20}),
		y1: fc.integer({min: 0, max: 6}),
		h: fc.integer({min: 0, max: 6}),
	}),
	fc.constant({type: 'unclip' as const}),
);
const frame = fc.record({width: fc.integer({min: 1, max: 30}), height: fc.integer({min: 1, max: 9}), operations: fc.array(operation, {maxLength: 25})});

function draw(
	Output: OutputClass,
	f: {
		width: number;
		height: number;
		operations: readonly (
			{type: 'write'; x: number; y: number; text: string} | {type: 'clip'; x1: number; w: number; y1: number; h: number} | {type: 'unclip'}
		)[];
	},
): {output: string; height: number} {
	const output = new Output({width: f.width, height: f.height});
	let depth = 0;
	for (const op of f.operations) {
		if (op.type === 'write') output.write(op.x, op.y, op.text, {transformers: []});
		else if (op.type === 'clip') {
			output.clip({x1: op.x1, x2: op.x1 + op.w, y1: op.y1, y2: op.y1 + op.h});
			depth++;
		} else if (depth > 0) {
			output.unclip();
			depth--;
		}
	}
	return output.get();
}

describe('Ink renderer patches', () => {
	it('the patched Output draws every random frame as the original does, frame after frame', () => {
		fc.assert(
			fc.property(fc.array(frame, {minLength: 1, maxLength: 6}), (frames) => {
				for (const f of frames) expect(draw(patched.Output, f)).toEqual(draw(original.Output, f));
			}),
			{numRuns: 400},
		);
	});

	it('draws every character of the single-unit ranges, in and out of style, as the original does', () => {
		for (const [from, to] of SINGLE_UNIT_RANGES) {
			for (let c = from; c <= to; c++) {
				const ch = String.fromCharCode(c);
				const f = {
					width: 8,
					height: 2,
					operations: [
						{type: 'write' as const, x: 1, y: 0, text: `a${ch}\u001B[1;31m${ch}b\u001B[0m${ch}`},
						{type: 'write' as const, x: 0, y: 1, text: `${ch}世${ch}`},
					],
				};
				expect(draw(patched.Output, f)).toEqual(draw(original.Output, f));
			}
		}
	});

	it('every unit of the single-unit ranges is a grapheme of its own beside any other of them', () => {
		// Grapheme breaks come from the properties of the two units around them: a unit that
		// breaks after a base letter (no Extend, SpacingMark, ZWJ or jamo), before one (no Prepend)
		// and from itself breaks between any two units of these ranges.
		const segmenter = new Intl.Segmenter();
		const graphemes = (t: string) => [...segmenter.segment(t)].length;
		for (const [from, to] of SINGLE_UNIT_RANGES) {
			for (let c = from; c <= to; c++) {
				const ch = String.fromCharCode(c);
				for (const pair of [`a${ch}`, `${ch}a`, `${ch}${ch}`, ` ${ch}`, `${ch} `])
					expect(graphemes(pair), `U+${c.toString(16)} in ${JSON.stringify(pair)}`).toBe(2);
			}
		}
	});

	it('draws as the original past the bound of interned cells (256 colours x 100 characters)', () => {
		const chars = [...'abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789█▁▂▃▄▅▆▇│─┼✖●▸·≤…—éßàçñøåæ!?#%&()*+,-./:;<=>@[]^_{|}']
			.slice(0, 100)
			.join('');
		for (let colour = 0; colour < 256; colour++) {
			const f = {
				width: 110,
				height: 2,
				operations: [
					{type: 'write' as const, x: 0, y: 0, text: `\u001B[38;5;${colour}m${chars}\u001B[39m`},
					{type: 'write' as const, x: 3, y: 1, text: `\u001B[1m${chars.slice(colour % 50, 60)}\u001B[22m`},
				],
			};
			expect(draw(patched.Output, f)).toEqual(draw(original.Output, f));
		}
	});

	it('measures every character of the single-unit ranges as string-width does, alone and among others', () => {
		for (const [from, to] of SINGLE_UNIT_RANGES) {
			for (let c = from; c <= to; c++) {
				const ch = String.fromCharCode(c);
				for (const t of [ch, `a${ch}${ch}b`, `${ch}世`, `x\n${ch}${ch}${ch}`, `\u001B[1m\u001B[38;5;196m${ch}\u001B[39m${ch}\u001B[22m`])
					expect(patched.measureText(t)).toEqual(original.measureText(t));
			}
		}
	});

	it('measures random texts as string-width does', () => {
		fc.assert(
			fc.property(fc.array(piece, {minLength: 1, maxLength: 40}), fc.string({unit: 'binary', maxLength: 6}), (parts, extra) => {
				const t = parts.join('') + extra;
				expect(patched.measureText(t)).toEqual(original.measureText(t));
			}),
			{numRuns: 2000},
		);
	});

	it('keeps the caches of two frames, never more', () => {
		for (let i = 0; i < 50; i++) draw(patched.Output, {width: 10, height: 2, operations: [{type: 'write', x: 0, y: 0, text: `frame ${i}`}]});
		let caches = (new patched.Output({width: 1, height: 1}) as unknown as {caches: {previous?: unknown}}).caches;
		let kept = 0;
		for (; caches !== undefined && kept < 10; kept++) caches = caches.previous as typeof caches;
		expect(kept).toBe(2);
	});

	it('measures text as before, past the cache bound', () => {
		for (let i = 0; i < 25_000; i++) {
			const t = `${i} ${'世'.repeat(i % 3)}\n${'x'.repeat(i % 7)}`;
			expect(patched.measureText(t)).toEqual(original.measureText(t));
		}
	});

	it('is what the installed Ink runs: the patch is applied, to the Ink version it was made for', () => {
		const pkg = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')) as {devDependencies: Record<string, string>};
		const ink = JSON.parse(readFileSync(join(ROOT, 'node_modules/ink/package.json'), 'utf8')) as {version: string};
		expect(`ink+${pkg.devDependencies['ink']}.patch`).toBe(`ink+${ink.version}.patch`);
		for (const file of ['ink.js', 'output.js', 'measure-text.js', 'render-node-to-output.js']) {
			expect(readFileSync(join(ROOT, 'node_modules/ink/build', file), 'utf8'), file).toMatch(/traefik-top:/);
		}
	});

	it('redraws a full-screen frame line by line: no clear, the scrollback stays', async () => {
		const {render, Text, Box} = await import('ink');
		const React = await import('react');
		const {EventEmitter} = await import('node:events');
		const stdout = Object.assign(new EventEmitter(), {
			columns: 20,
			rows: 3,
			isTTY: true,
			written: '',
			write(t: string) {
				this.written += t;
				return true;
			},
		});
		const frame = (n: number) =>
			React.createElement(Box, {flexDirection: 'column', height: 3}, ...[0, 1, 2].map((i) => React.createElement(Text, {key: i}, `line ${i} ${n}`)));
		const app = render(frame(0), {stdout: stdout as unknown as NodeJS.WriteStream, patchConsole: false, incrementalRendering: true, exitOnCtrlC: false});
		for (let n = 1; n < 4; n++) {
			app.rerender(frame(n));
			await new Promise((resolve) => setTimeout(resolve, 40));
		}
		app.unmount();
		expect(stdout.written).toMatch(/line 2 3/);
		expect(stdout.written).not.toContain('\u001B[2J');
		expect(stdout.written).not.toContain('\u001B[3J');
	});
});
