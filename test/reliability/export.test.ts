// Exports on a full or read-only disk fail in words and keep the previous file; snapshots never
// carry credentials. The disks are small tmpfs mounts, so this needs root (as CI runs).
import {execaSync} from 'execa';
import {mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync} from 'node:fs';
import {tmpdir} from 'node:os';
import {join} from 'node:path';
import {afterAll, describe, expect, it} from 'vitest';
import {writeSnapshot} from '../../source/run/headless.js';
import {CLI} from '../helpers/demo.js';
import {sampleSnapshot} from '../helpers/snapshot.js';

const root = mkdtempSync(join(tmpdir(), 'tt-disk-'));
const mounts: string[] = [];
const isRoot = process.getuid?.() === 0;

function tmpfs(name: string, size: string): string {
	const dir = join(root, name);
	mkdirSync(dir);
	execaSync('mount', ['-t', 'tmpfs', '-o', `size=${size}`, 'tmpfs', dir]);
	mounts.push(dir);
	return dir;
}

afterAll(() => {
	for (const m of mounts) execaSync('umount', [m], {reject: false});
	rmSync(root, {recursive: true, force: true});
});

describe.runIf(isRoot)('export to a bad disk', () => {
	it('a full disk: the error says so and the previous export is intact', async () => {
		const dir = tmpfs('full', '64k');
		const file = join(dir, 'snapshot.json');
		await writeSnapshot(file, sampleSnapshot({host: 'old'}));
		const before = readFileSync(file, 'utf8');
		// Fill what is left, then try a larger snapshot.
		try {
			writeFileSync(join(dir, 'filler'), Buffer.alloc(64 * 1024));
		} catch {
			// the disk is full now, as intended
		}
		const big = sampleSnapshot({host: 'new', history: {...sampleSnapshot().history, requestsPerSecond: Array.from({length: 5000}, () => 1.5)}});
		await expect(writeSnapshot(file, big)).rejects.toThrow(/ENOSPC|no space left/);
		expect(readFileSync(file, 'utf8')).toBe(before);
	});

	it('a read-only disk: the error says so and the previous export is intact', async () => {
		const dir = tmpfs('ro', '1m');
		const file = join(dir, 'snapshot.json');
		await writeSnapshot(file, sampleSnapshot({host: 'old'}));
		const before = readFileSync(file, 'utf8');
		execaSync('mount', ['-o', 'remount,ro', dir]);
		await expect(writeSnapshot(file, sampleSnapshot({host: 'new'}))).rejects.toThrow(/EROFS|read-only/);
		expect(readFileSync(file, 'utf8')).toBe(before);
	});
});

describe('credentials', () => {
	it('appear in no snapshot and no message', () => {
		const secrets = ['hunter2-basic', 'tok-bearer-77', 'url-pass-99'];
		const out = execaSync(
			process.execPath,
			[
				'--import',
				'tsx',
				CLI,
				'--json',
				'--count',
				'2',
				'--interval',
				'300ms',
				'--api-url',
				`http://admin:${secrets[2]}@127.0.0.1:9/`,
				'--metrics-url',
				`http://admin:${secrets[2]}@127.0.0.1:9/metrics`,
			],
			{
				env: {...process.env, TRAEFIK_TOP_BASIC_AUTH: `admin:${secrets[0]}`, TRAEFIK_TOP_BEARER_TOKEN: secrets[1]},
				timeout: 30_000,
			},
		).stdout;
		const snapshot = JSON.parse(out.trim().split('\n')[1]!);
		expect(snapshot.sources.metrics.error).toMatch(/^http:\/\/127\.0\.0\.1:9\/metrics: connection refused/);
		for (const secret of secrets) expect(out).not.toContain(secret);
	});
});
