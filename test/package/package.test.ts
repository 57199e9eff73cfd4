// The published package: one tarball with no runtime dependencies, runnable by npx on an empty
// cache, and working on Node 20, 22 and 24 (the binaries come from the npm registry's `node` package).
import {execaSync} from 'execa';
import {mkdirSync, mkdtempSync, readFileSync, rmSync, statSync} from 'node:fs';
import {tmpdir} from 'node:os';
import {join} from 'node:path';
import {fileURLToPath} from 'node:url';
import {afterAll, beforeAll, describe, expect, it} from 'vitest';
import {schemaErrors} from '../helpers/schema.js';

const ROOT = fileURLToPath(new URL('../..', import.meta.url));
const work = mkdtempSync(join(tmpdir(), 'tt-package-'));
let tarball = '';
let cli = '';

beforeAll(() => {
	const name = execaSync('npm', ['pack', '--silent', '--pack-destination', work], {cwd: ROOT}).stdout.trim().split('\n').pop()!;
	tarball = join(work, name);
	execaSync('tar', ['xzf', tarball, '-C', work]);
	cli = join(work, 'package', 'dist', 'cli.js');
}, 120_000);
afterAll(() => rmSync(work, {recursive: true, force: true}));

describe('the package', () => {
	it('is one small tarball with no runtime dependencies', () => {
		const manifest = JSON.parse(readFileSync(join(work, 'package', 'package.json'), 'utf8'));
		expect(manifest.dependencies ?? {}).toEqual({});
		const files = execaSync('tar', ['tzf', tarball]).stdout.trim().split('\n').sort();
		expect(files).toEqual(['package/README.md', 'package/dist/cli.js', 'package/dist/snapshot.schema.json', 'package/package.json']);
		expect(statSync(tarball).size).toBeLessThan(400 * 1024);
	});

	it('runs with npx on an empty npm cache', () => {
		const cache = join(work, 'empty-cache');
		const out = execaSync('npx', ['--yes', '--cache', cache, `./${tarball.split('/').pop()}`, '--help'], {cwd: work, timeout: 60_000}).stdout;
		expect(out).toMatch(/traefik-top \[options\]/);
		expect(out).toMatch(/--demo/);
	});
});

/** A Node binary of a major version: this one for 20, else from the registry's `node` package. */
function nodeBinary(major: number): string {
	if (process.versions.node.startsWith(`${major}.`)) return process.execPath;
	const prefix = join(work, `node${major}`);
	mkdirSync(prefix, {recursive: true});
	execaSync('npm', ['install', '--silent', '--no-audit', '--no-fund', '--prefix', prefix, `node@${major}`], {stdio: 'inherit', timeout: 300_000});
	return join(prefix, 'node_modules', '.bin', 'node');
}

describe.each([20, 22, 24])('on Node %i', (major) => {
	let node = '';
	beforeAll(() => {
		node = nodeBinary(major);
	}, 300_000);

	it('--version, --once and --json --count 2 against the demo stack', () => {
		expect(execaSync(node, ['--version']).stdout).toMatch(new RegExp(`^v${major}\\.`));
		expect(execaSync(node, [cli, '--version']).stdout.trim()).toBe(JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')).version);
		const report = execaSync(node, [cli, '--demo', '--once'], {timeout: 60_000}).stdout;
		// The stand-in, or a real Traefik when one is found.
		expect(report).toMatch(/Traefik (3\.7-stand-in|\d+\.\d+\.\d+) pid \d+/);
		expect(report).toMatch(/web@file/);
		const lines = execaSync(node, [cli, '--demo', '--json', '--count', '2'], {timeout: 60_000}).stdout.trim().split('\n');
		expect(lines).toHaveLength(2);
		for (const line of lines) expect(schemaErrors(JSON.parse(line))).toEqual([]);
	}, 120_000);
});
