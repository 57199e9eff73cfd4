// Before every test: dist/cli.js built once (the tests that run the built program), and the
// pinned real Traefik found or installed into .cache/traefik (scripts/traefik.mjs). Without one
// the real-Traefik tests are skipped with one line saying why; under CI=true a missing Traefik
// fails the run.
import {execaSync} from 'execa';
import {fileURLToPath} from 'node:url';
import type {TestProject} from 'vitest/node';
import {ensureTraefik} from '../scripts/traefik.mjs';

declare module 'vitest' {
	export interface ProvidedContext {
		/** The real Traefik binary, or why there is none. */
		traefik: {path: string; version: string} | {missing: string};
	}
}

export default function setup(project: TestProject): void {
	execaSync(process.execPath, ['scripts/build.mjs'], {cwd: fileURLToPath(new URL('..', import.meta.url)), stdio: 'inherit'});
	const found = ensureTraefik({install: true});
	if ('missing' in found) {
		if (process.env['CI'] === 'true') throw new Error(`CI=true and no real Traefik: ${found.missing}`);
		process.stderr.write(`\nreal-Traefik tests skipped: ${found.missing}\n\n`);
	}
	project.provide('traefik', found);
}
