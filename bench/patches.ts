/**
 * What each change to Ink's renderer (patches/ink+6.8.0.patch) buys: the CLI built against Ink
 * with a growing part of the patch applied, each against the demo under tmux, in the same run.
 */
import {execaSync} from 'execa';
import {cpSync, existsSync, mkdirSync, rmSync} from 'node:fs';
import {join} from 'node:path';
// @ts-expect-error: a build script without types
import {bundle} from '../scripts/bundle.mjs';
import {benchCli, type SteadyFigures} from './steady.js';

const ROOT = new URL('..', import.meta.url).pathname;
const PATCH = join(ROOT, 'patches/ink+6.8.0.patch');
const FILES = {
	fullScreen: ['ink.js'],
	widths: ['measure-text.js', 'render-node-to-output.js'],
	cells: ['output.js'],
} as const;

/** Variants, each adding one part of the patch to the one before. */
const VARIANTS: readonly (readonly [string, readonly (keyof typeof FILES)[]])[] = [
	['Ink as published', []],
	['+ full-screen redraw without clear', ['fullScreen']],
	['+ widths from a table', ['fullScreen', 'widths']],
	['+ interned cells (the patch as shipped)', ['fullScreen', 'widths', 'cells']],
];

function inkVariant(dir: string, parts: readonly (keyof typeof FILES)[]): string {
	const ink = join(dir, 'node_modules', 'ink');
	rmSync(dir, {recursive: true, force: true});
	mkdirSync(join(dir, 'node_modules'), {recursive: true});
	cpSync(join(ROOT, 'node_modules/ink'), ink, {recursive: true});
	const relative = dir.slice(ROOT.length);
	execaSync('git', ['apply', '-R', '--directory', relative, PATCH], {cwd: ROOT});
	const include = parts.flatMap((p) => FILES[p].map((f) => `--include=${relative}/node_modules/ink/build/${f}`));
	if (include.length > 0) execaSync('git', ['apply', '--directory', relative, ...include, PATCH], {cwd: ROOT});
	return ink;
}

export async function benchPatches(seconds = 60): Promise<{variant: string; figures: SteadyFigures}[]> {
	const out: {variant: string; figures: SteadyFigures}[] = [];
	for (const [i, [variant, parts]] of VARIANTS.entries()) {
		const dir = join(ROOT, '.cache', 'ink-variants', String(i));
		const ink = inkVariant(dir, parts);
		const cli = join(dir, 'cli.js');
		await bundle({outfile: cli, ink: join(ink, 'build/index.js')});
		if (!existsSync(cli)) throw new Error(`no ${cli}`);
		out.push({variant, figures: await benchCli(cli, seconds, `tt-bench-patch-${i}`)});
		rmSync(dir, {recursive: true, force: true});
	}
	return out;
}
