// Data written by other people (service names from labels, server URLs from a config repository)
// that tries to drive the operator's terminal or leak a password: in every mode, nothing of it
// reaches the terminal as it is, and no password reaches any output.
import {mkdtempSync, readFileSync, rmSync} from 'node:fs';
import {tmpdir} from 'node:os';
import {join} from 'node:path';
import {fileURLToPath} from 'node:url';
import {execa, execaSync} from 'execa';
import {afterAll, beforeAll, describe, expect, it} from 'vitest';
import type {Snapshot} from '../../source/domain/snapshot.js';
import {terminalSafe} from '../../source/format/terminal-safe.js';
import {startFakeTraefik, type FakeTraefik} from '../helpers/fake-traefik.js';

const CLI = fileURLToPath(new URL('../../dist/cli.js', import.meta.url));
const SECRET = 's3cr3t-pass';

/** Names that would write the clipboard, set the title, clear the screen, hide or reorder text. */
const HOSTILE = [
	'clip\u001b]52;c;aGFja2Vk\u0007@docker',
	'title\u001b]2;pwned-title\u0007@docker',
	'clear\u001b[2J\u001b[3J\u001b[H@docker',
	'cr\rTRAEFIK OK - all good\b\b@docker',
	'hide\u001b[8mhidden\u001b[0m@docker',
	'bidi\u202ekcod@docker',
	'csi\u009b2J@docker',
	'del\u007f@docker',
	'nl\nTRAEFIK OK@docker',
];

/** Any byte a terminal acts on, but the line ends and tabs of our own layout. */
// eslint-disable-next-line no-control-regex -- control characters are what this looks for
const CONTROL = /[\u0000-\u0008\u000b-\u001f\u007f-\u009f\u202a-\u202e\u2066-\u2069]/;

let traefik: FakeTraefik;
const dir = mkdtempSync(join(tmpdir(), 'tt-hostile-'));

beforeAll(async () => {
	traefik = await startFakeTraefik(
		[
			...HOSTILE.map((name) => ({name, perScrape: 40, errorsPerScrape: 20, servers: ['http://127.0.0.1:9']})),
			{name: 'secret@file', perScrape: 10, servers: [`http://admin:${SECRET}@127.0.0.1:9/`], down: [`http://admin:${SECRET}@127.0.0.1:9/`]},
		],
		{api: true},
	);
});

afterAll(async () => {
	await traefik?.close();
	rmSync(dir, {recursive: true, force: true});
});

const args = (...mode: string[]) => [
	CLI,
	'--metrics-url',
	`${traefik.url}/metrics`,
	'--api-url',
	traefik.url,
	'--interval',
	'200ms',
	'--pid',
	String(process.pid),
	...mode,
];
// Not spawnSync: the fake Traefik answers from this very process.
const run = (...mode: string[]) => execa(process.execPath, args(...mode), {reject: false, timeout: 30_000, env: {LANG: 'C.UTF-8'}});

describe('text from outside in every mode', () => {
	it('--once prints every hostile name escaped, and nothing a terminal would act on', async () => {
		const out = await run('--once');
		expect(out.exitCode).toBe(0);
		expect(out.stdout).not.toMatch(CONTROL);
		for (const name of HOSTILE) expect(out.stdout).toContain(terminalSafe(name));
		expect(out.stdout).toContain('clip\\x1b]52;c;aGFja2Vk\\x07@docker');
		expect(out.stdout).toContain('bidi\\u202ekcod@docker');
	});

	it('--check says what fires, escaped, on one line', async () => {
		const out = await run('--check');
		expect(out.exitCode).toBe(2);
		expect(out.stdout.trimEnd().split('\n')).toHaveLength(1);
		expect(out.stdout.trimEnd()).not.toMatch(CONTROL);
		expect(out.stdout).toMatch(/^TRAEFIK CRITICAL - /);
		expect(out.stdout).toContain('\\x1b]52');
	});

	it('--json keeps the exact text, JSON-escaped', async () => {
		const out = await run('--json', '--count', '2');
		const last = JSON.parse(out.stdout.trim().split('\n').at(-1)!) as Snapshot;
		expect(last.services.map((s) => s.name)).toEqual(expect.arrayContaining(HOSTILE));
	});

	it('errors quoting what a server said are printed escaped too', () => {
		const out = execaSync(process.execPath, [CLI, '--config', join(dir, 'no\u001b]2;title\u0007such.json')], {encoding: 'utf8', reject: false});
		expect(out.exitCode).toBe(3);
		expect(out.stderr).toContain('no\\x1b]2;title\\x07such.json');
		expect(out.stderr.trimEnd()).not.toMatch(CONTROL);
	});
});

describe('a server URL with a password', () => {
	it('appears in no output: --json, --once, --check, --snapshot', async () => {
		const snapshotFile = join(dir, 'snap.json');
		const outputs = [(await run('--json', '--count', '2')).stdout, (await run('--once')).stdout, (await run('--check')).stdout];
		await run('--snapshot', snapshotFile, '--duration', '0.5s');
		outputs.push(readFileSync(snapshotFile, 'utf8'));
		const json = JSON.parse(outputs[0]!.trim().split('\n').at(-1)!) as Snapshot;
		expect(json.services.find((s) => s.name === 'secret@file')!.servers.map((s) => s.url)).toEqual(['http://127.0.0.1:9/']);
		for (const [i, out] of outputs.entries()) {
			if (i !== 2) expect(out).toContain('secret@file'); // the check line names five alerts at most
			expect(out).not.toContain(SECRET);
		}
	});
});

describe('the screen', () => {
	const tmux = (...a: string[]) => execaSync('tmux', a).stdout.trim();
	const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
	afterAll(() => {
		execaSync('tmux', ['kill-session', '-t', 'tt-hostile'], {reject: false});
	});

	it('writes no clipboard, no title, and shows the names escaped', async () => {
		// A terminal that obeys OSC 52 (clipboard) and OSC 2 (title) sequences, as tmux does when asked.
		tmux('new-session', '-d', '-s', 'tt-hostile', '-x', '200', '-y', '50', '-e', 'TERM=xterm-256color', '-e', 'LANG=C.UTF-8', 'sleep 60');
		tmux('set-option', '-t', 'tt-hostile', 'set-clipboard', 'on');
		tmux('set-option', '-t', 'tt-hostile', 'allow-rename', 'on');
		tmux('respawn-pane', '-k', '-t', 'tt-hostile', [process.execPath, ...args('--max-services', '100')].map((a) => `'${a.replace(/'/g, "'\\''")}'`).join(' '));
		const title = tmux('display-message', '-p', '-t', 'tt-hostile', '#{pane_title}');
		let screen = '';
		for (let i = 0; i < 100 && !screen.includes('clip\\x1b]52'); i++) {
			await sleep(100);
			screen = tmux('capture-pane', '-p', '-t', 'tt-hostile');
		}
		await sleep(1500); // several frames
		expect(screen).toContain('clip\\x1b]52');
		expect(tmux('display-message', '-p', '-t', 'tt-hostile', '#{pane_title}')).toBe(title);
		expect(tmux('display-message', '-p', '-t', 'tt-hostile', '#{pane_title}')).not.toContain('pwned');
		expect(execaSync('tmux', ['list-buffers'], {encoding: 'utf8', reject: false}).stdout).toBe('');
		tmux('send-keys', '-t', 'tt-hostile', 'q');
	});
});

describe('a reader that goes away', () => {
	it('--json | head -c 100 ends quietly with status 0', async () => {
		const child = execa(process.execPath, args('--json'), {
			stdin: 'ignore',
			stdout: 'pipe',
			stderr: 'pipe',
			buffer: false,
			reject: false,
			cleanup: true,
			forceKillAfterDelay: 2000,
		});
		let stderr = '';
		child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
		await new Promise<void>((resolve) => child.stdout.once('data', () => resolve()));
		child.stdout.destroy(); // as head does after its 100 bytes
		const code = await new Promise<number | null>((resolve) => child.once('exit', (c) => resolve(c)));
		expect(code).toBe(0);
		expect(stderr).toBe('');
	});
});
