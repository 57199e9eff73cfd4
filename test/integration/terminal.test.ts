// The built CLI in a real terminal (tmux) against the demo stack, driven by keys like a person:
// filter, pin, sort, pause, export, quit; the terminal comes back and no demo process is left.
import {execaSync} from 'execa';
import {mkdtempSync, readdirSync, readFileSync, rmSync} from 'node:fs';
import {tmpdir} from 'node:os';
import {join} from 'node:path';
import {fileURLToPath} from 'node:url';
import {afterAll, describe, expect, it} from 'vitest';
import {schemaErrors} from '../helpers/schema.js';
import {capture, display, sleep, startSession, tmux, waitFor} from '../helpers/tmux.js';

const ROOT = fileURLToPath(new URL('../..', import.meta.url));

/** Processes of the built CLI's demo still alive: stack, stand-in, blackhole, or the real Traefik it started. */
const demoProcesses = () =>
	execaSync('ps', ['-eo', 'pid,args'])
		.stdout.split('\n')
		.filter(
			(l) =>
				(l.includes(join(ROOT, 'dist/cli.js')) && / demo-(stack|proxy|blackhole)/.test(l)) ||
				/--configFile=\S*traefik-top-demo-[^/]+\/traefik\/traefik\.yaml/.test(l),
		);

describe('traefik-top in a real terminal', () => {
	const exportDir = mkdtempSync(join(tmpdir(), 'tt-export-'));
	const sessions: string[] = [];
	const start = (name: string, args = '') => {
		sessions.push(name);
		// The shell writes how traefik-top ended (tmux does not say it reliably while piping the pane).
		const status = join(exportDir, `${name}.status`);
		startSession(name, 120, 40, `${process.execPath} dist/cli.js --demo --export-dir ${exportDir} ${args}; echo $? > ${status}`, ROOT);
		tmux('pipe-pane', '-t', name, '-o', `cat > ${join(exportDir, `${name}.tty`)}`);
	};
	/** traefik-top's exit status, once it has ended. */
	const exitStatus = async (name: string): Promise<string> => {
		const file = join(exportDir, `${name}.status`);
		for (let i = 0; i < 100; i++) {
			try {
				return readFileSync(file, 'utf8').trim();
			} catch {
				await sleep(100);
			}
		}
		return 'still running';
	};
	/** The PID of traefik-top (the pane's shell's child). */
	const cliPid = (name: string) =>
		Number(
			execaSync('ps', ['-o', 'pid=', '--ppid', display(name, '#{pane_pid}')])
				.stdout.trim()
				.split('\n')[0],
		);
	/** What the program wrote to the terminal last: the alternate screen left, the cursor shown. */
	const restored = (name: string) => {
		const bytes = readFileSync(join(exportDir, `${name}.tty`), 'latin1');
		return {
			leftAlternate: bytes.lastIndexOf('\x1b[?1049l') > bytes.lastIndexOf('\x1b[?1049h') && bytes.includes('\x1b[?1049h'),
			cursorShown: bytes.lastIndexOf('\x1b[?25h') > bytes.lastIndexOf('\x1b[?25l'),
		};
	};

	afterAll(() => {
		for (const s of sessions) execaSync('tmux', ['kill-session', '-t', s], {reject: false});
		rmSync(exportDir, {recursive: true, force: true});
	});

	it('filters, pins, sorts, pauses, exports and quits cleanly', async () => {
		start('tt-keys');
		await waitFor('tt-keys', /● live/);
		await waitFor('tt-keys', /web@file +\d/);
		expect(display('tt-keys', '#{alternate_on}')).toBe('1');

		tmux('send-keys', '-t', 'tt-keys', '/', 'search', 'Enter');
		let screen = await waitFor('tt-keys', /filter "search"/);
		expect(screen).not.toMatch(/api-v1@file/);
		expect(screen).toMatch(/search@file/);
		tmux('send-keys', '-t', 'tt-keys', 'Escape');
		await waitFor('tt-keys', /api-v1@file/);

		tmux('send-keys', '-t', 'tt-keys', 's');
		await waitFor('tt-keys', /Services \(sort: name ↑\)/);
		tmux('send-keys', '-t', 'tt-keys', 'G', 'Enter');
		await waitFor('tt-keys', /pinned web@file/);
		// The poll loop (its own thread) answers the pin with the pinned service's snapshot.
		screen = await waitFor('tt-keys', /Traffic · web@file/);
		expect(screen).not.toMatch(/api-v1@file/);
		tmux('send-keys', '-t', 'tt-keys', 'Escape');
		await waitFor('tt-keys', /Traffic · all entry points/);

		tmux('send-keys', '-t', 'tt-keys', 's');
		await waitFor('tt-keys', /Services \(sort: rps ↓\)/);

		tmux('send-keys', '-t', 'tt-keys', 'Space');
		screen = await waitFor('tt-keys', /PAUSED/);
		const frozenClock = /view frozen at (\d\d:\d\d:\d\d)/.exec(screen)![1];
		await sleep(2500);
		expect(capture('tt-keys')).toMatch(new RegExp(`view frozen at ${frozenClock}`));
		tmux('send-keys', '-t', 'tt-keys', 'e');
		screen = await waitFor('tt-keys', /exported to \S+\.json/);
		const file = readdirSync(exportDir).find((f) => f.endsWith('.json'))!;
		const exported = JSON.parse(readFileSync(join(exportDir, file), 'utf8'));
		expect(schemaErrors(exported)).toEqual([]);
		expect(exported.takenAt.slice(11, 19)).toBe(frozenClock);
		expect(exported.backends.length).toBeGreaterThan(0);
		tmux('send-keys', '-t', 'tt-keys', 'Space');
		await waitFor('tt-keys', /● live/);

		tmux('send-keys', '-t', 'tt-keys', 'q');
		expect(await exitStatus('tt-keys')).toBe('0');
		expect(display('tt-keys', '#{alternate_on}')).toBe('0');
		expect(restored('tt-keys')).toEqual({leftAlternate: true, cursorShown: true});
		for (let i = 0; i < 80 && demoProcesses().length > 0; i++) await sleep(100);
		expect(demoProcesses()).toEqual([]);
	});

	it('switches through every view with the number keys and the mouse; the mouse mode goes back off', async () => {
		const name = 'tt-views';
		start(name);
		await waitFor(name, /web@file +\d/);
		// Mouse reporting on (SGR) while the screen runs.
		expect(display(name, '#{mouse_any_flag}')).toBe('1');
		expect(display(name, '#{mouse_sgr_flag}')).toBe('1');
		for (const [key, shows] of [
			['2', /▸Backends, Traefik → server.*\(sort: alert ↓\)/],
			// The demo follows its Traefik's access log: the stream itself.
			['3', /Requests, newest first/],
			['4', /one Traefik watched/],
			['5', /Requests · all entry points \(req\/s, last/],
			['1', /Services \(sort: alert ↓\)/],
		] as const) {
			tmux('send-keys', '-t', name, key);
			await waitFor(name, shows);
		}
		// A click on "5 charts" in the footer, as the terminal reports it (SGR, 1-based).
		const lines = capture(name).replace(/\n+$/, '').split('\n');
		const footer = lines.length - 1;
		const x = lines[footer]!.indexOf('5 charts');
		expect(x).toBeGreaterThan(0);
		tmux('send-keys', '-t', name, '-l', `\x1b[<0;${x + 2};${footer + 1}M\x1b[<0;${x + 2};${footer + 1}m`);
		const charts = await waitFor(name, /\(sockets, last/);
		expect(charts).toMatch(/┤/);
		tmux('send-keys', '-t', name, 'q');
		expect(await exitStatus(name)).toBe('0');
		expect(display(name, '#{mouse_any_flag}')).toBe('0');
		expect(restored(name)).toEqual({leftAlternate: true, cursorShown: true});
	});

	it.each([
		['SIGTERM', 143],
		['SIGHUP', 129],
	])('gives the terminal back on %s and leaves no demo process', async (signal, code) => {
		const name = `tt-${signal.toLowerCase()}`;
		start(name);
		await waitFor(name, /● live/);
		process.kill(cliPid(name), signal);
		expect(await exitStatus(name)).toBe(String(code));
		expect(display(name, '#{alternate_on}')).toBe('0');
		expect(restored(name)).toEqual({leftAlternate: true, cursorShown: true});
		for (let i = 0; i < 80 && demoProcesses().length > 0; i++) await sleep(100);
		expect(demoProcesses()).toEqual([]);
	});

	it('ends quietly when the terminal goes away (a closed SSH session)', async () => {
		const name = 'tt-gone';
		sessions.push(name);
		const err = join(exportDir, 'gone.err');
		tmux('new-session', '-d', '-s', name, '-x', '100', '-y', '30', '-e', 'LANG=C.UTF-8', '-c', ROOT, `${process.execPath} dist/cli.js --demo 2>${err}`);
		await waitFor(name, /● live/);
		const pid = cliPid(name);
		tmux('kill-session', '-t', name);
		const alive = () => execaSync('kill', ['-0', String(pid)], {reject: false}).exitCode === 0;
		for (let i = 0; i < 50 && alive(); i++) await sleep(100);
		expect(alive()).toBe(false);
		expect(readFileSync(err, 'utf8')).toBe('');
		for (let i = 0; i < 80 && demoProcesses().length > 0; i++) await sleep(100);
		expect(demoProcesses()).toEqual([]);
	});

	it('leaves the scrollback as it was: no frame clears the history', async () => {
		const name = 'tt-history';
		sessions.push(name);
		tmux('new-session', '-d', '-s', name, '-x', '100', '-y', '30', '-e', 'LANG=C.UTF-8', '-e', 'TERM=xterm-256color', '-c', ROOT, 'sh');
		tmux('set-option', '-t', name, 'history-limit', '5000');
		tmux('send-keys', '-t', name, 'seq 1 300', 'Enter');
		await waitFor(name, /^300$/m);
		const before = Number(display(name, '#{history_size}'));
		expect(before).toBeGreaterThan(250);
		tmux('send-keys', '-t', name, `${process.execPath} dist/cli.js --demo`, 'Enter');
		await waitFor(name, /● live/);
		await sleep(3000); // frames
		tmux('send-keys', '-t', name, 'q');
		for (let i = 0; i < 50 && display(name, '#{alternate_on}') === '1'; i++) await sleep(100);
		await sleep(300);
		tmux('send-keys', '-t', name, 'echo screen-ended', 'Enter');
		await waitFor(name, /^screen-ended$/m);
		expect(Number(display(name, '#{history_size}'))).toBeGreaterThanOrEqual(before);
		const history = tmux('capture-pane', '-p', '-t', name, '-S', '-400');
		expect(history).toMatch(/^1$/m);
		expect(history).toMatch(/^150$/m);
	});

	it('demo-stack manual ends quietly when its terminal is killed', async () => {
		const name = 'tt-stack';
		sessions.push(name);
		const err = join(exportDir, 'stack.err');
		tmux('new-session', '-d', '-s', name, '-x', '100', '-y', '30', '-c', ROOT, `${process.execPath} dist/cli.js demo-stack manual 2>${err}`);
		await waitFor(name, /"controlUrl"/);
		tmux('kill-session', '-t', name);
		for (let i = 0; i < 50 && demoProcesses().length > 0; i++) await sleep(100);
		expect(demoProcesses()).toEqual([]);
		expect(readFileSync(err, 'utf8')).toBe('');
	});
});

describe('--help', () => {
	it('keeps every example on a line of its own, whole, at any width', () => {
		for (const columns of ['80', '200']) {
			const help = execaSync(process.execPath, [join(ROOT, 'dist/cli.js'), '--help'], {env: {...process.env, COLUMNS: columns}}).stdout;
			const examples = help
				.slice(help.indexOf('Examples:'))
				.split('\n')
				.filter((l) => l.startsWith('  traefik-top') || l.startsWith('  TRAEFIK_TOP'));
			expect(examples).toContain('  traefik-top --metrics-url http://127.0.0.1:8082/metrics --api-url http://127.0.0.1:8080');
			expect(examples).toContain('  traefik-top --check --duration 30s');
			for (const line of help.split('\n')) if (line.startsWith('  # ')) expect(help).toContain(line);
		}
	});
});
