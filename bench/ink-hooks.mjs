// Node module hooks for the benchmarks: Ink loaded from node_modules gets the same patches as the
// bundle (scripts/ink-patches.mjs), so bench/scale.tsx measures the renderer that ships.
// Used as `node --import ./bench/ink-hooks.mjs`: registers itself, then acts as the load hook.
import {register} from 'node:module';
import {fileURLToPath} from 'node:url';
import {INK_PATCH_FILTER, patchInk} from '../scripts/ink-patches.mjs';

if (!process.env['TT_INK_HOOKS_LOADED']) {
	process.env['TT_INK_HOOKS_LOADED'] = '1';
	register(import.meta.url);
}

export async function load(url, context, nextLoad) {
	const result = await nextLoad(url, context);
	if (!url.startsWith('file:') || !INK_PATCH_FILTER.test(fileURLToPath(url))) return result;
	const source = typeof result.source === 'string' ? result.source : Buffer.from(result.source).toString('utf8');
	return {...result, source: patchInk(fileURLToPath(url), source)};
}
