// The renderer changes in scripts/ink-patches.mjs must not change a single frame: the patched and
// the original Output class draw the same random frames, one after another (the caches now live
// across frames, so later frames reuse what earlier ones cached).
import {mkdtempSync, rmSync} from 'node:fs';
import {tmpdir} from 'node:os';
import {join} from 'node:path';
import {pathToFileURL} from 'node:url';
import {build} from 'esbuild';
import fc from 'fast-check';
import {afterAll, beforeAll, describe, expect, it} from 'vitest';
// @ts-expect-error: a build script without types
import {inkPatchPlugin, patchInk} from '../../scripts/ink-patches.mjs';

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

const inkBuild = join(process.cwd(), 'node_modules/ink/build');
let dir = '';
let original: Variant;
let patched: Variant;

async function variant(name: string, plugins: (typeof inkPatchPlugin)[]): Promise<Variant> {
	const outfile = join(dir, `${name}.mjs`);
	await build({
		stdin: {contents: `export {default as Output} from ${JSON.stringify(join(inkBuild, 'output.js'))};\nexport {default as measureText} from ${JSON.stringify(join(inkBuild, 'measure-text.js'))};`, resolveDir: process.cwd(), loader: 'js'},
		outfile,
		bundle: true,
		platform: 'node',
		format: 'esm',
		plugins,
		logLevel: 'error',
	});
	return (await import(pathToFileURL(outfile).href)) as Variant;
}

beforeAll(async () => {
	dir = mkdtempSync(join(tmpdir(), 'tt-ink-'));
	original = await variant('original', []);
	patched = await variant('patched', [inkPatchPlugin]);
}, 60_000);

afterAll(() => rmSync(dir, {recursive: true, force: true}));

const piece = fc.constantFrom('a', 'B', ' ', '0', '█', '▁', '│', '✖', '世', '👍', 'é', '\n', '\u001B[31m', '\u001B[39m', '\u001B[1m', '\u001B[22m', '\u001B[2m', '\u001B[7m', '\u001B[27m');
const text = fc.array(piece, {minLength: 1, maxLength: 30}).map((parts) => parts.join(''));
const operation = fc.oneof(
	fc.record({type: fc.constant('write' as const), x: fc.integer({min: 0, max: 25}), y: fc.integer({min: 0, max: 8}), text}),
	fc.record({type: fc.constant('clip' as const), x1: fc.integer({min: 0, max: 20}), w: fc.integer({min: 0, max: 20}), y1: fc.integer({min: 0, max: 6}), h: fc.integer({min: 0, max: 6})}),
	fc.constant({type: 'unclip' as const}),
);
const frame = fc.record({width: fc.integer({min: 1, max: 30}), height: fc.integer({min: 1, max: 9}), operations: fc.array(operation, {maxLength: 25})});

function draw(Output: OutputClass, f: {width: number; height: number; operations: readonly ({type: 'write'; x: number; y: number; text: string} | {type: 'clip'; x1: number; w: number; y1: number; h: number} | {type: 'unclip'})[]}): {output: string; height: number} {
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

	it('refuses to build against an Ink whose source moved on', () => {
		expect(() => patchInk('/n/node_modules/ink/build/measure-text.js', 'export default () => 0;')).toThrow(/no longer contains/);
		expect(patchInk('/n/node_modules/other/build/output.js', 'x')).toBe('x');
	});
});
