// `npm start` is the README's first command: on a fresh clone its script builds the program (there
// is no dist/ yet), then runs the demo with the arguments it is given. Here in a folder that holds
// the project without its dist/, with --once and the stand-in (no Traefik to install): it must
// build, print the report and exit 0, as the screen would start.
import {mkdtempSync, readdirSync, rmSync, symlinkSync} from 'node:fs';
import {tmpdir} from 'node:os';
import {join} from 'node:path';
import {fileURLToPath} from 'node:url';
import {execa} from 'execa';
import {afterAll, describe, expect, it} from 'vitest';

const ROOT = fileURLToPath(new URL('../..', import.meta.url));

describe('npm start (scripts/start.mjs) on a clone without dist/', () => {
	const dir = mkdtempSync(join(tmpdir(), 'tt-start-'));
	afterAll(() => rmSync(dir, {recursive: true, force: true}));

	it('builds, runs the demo with the arguments given, and exits with its status', async () => {
		for (const entry of readdirSync(ROOT)) if (entry !== 'dist' && entry !== '.git') symlinkSync(join(ROOT, entry), join(dir, entry));
		const run = await execa(process.execPath, ['scripts/start.mjs', '--once', '--traefik-bin', 'off'], {
			cwd: dir,
			reject: false,
			timeout: 90_000,
			cleanup: true,
			forceKillAfterDelay: 2000,
		});
		expect(run.exitCode, run.stderr).toBe(0);
		expect(readdirSync(join(dir, 'dist'))).toContain('cli.js');
		expect(run.stdout).toMatch(/^traefik-top .* on /);
		expect(run.stdout).toContain('SERVICES');
	});
});
