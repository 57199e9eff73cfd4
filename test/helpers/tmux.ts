// tmux, driven as a person would: a session of a given size running a command, keys, the pane's text.
import {existsSync, readFileSync} from 'node:fs';
import {execaSync} from 'execa';

export const tmux = (...args: string[]): string => execaSync('tmux', args).stdout;
export const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
export const capture = (session: string): string => tmux('capture-pane', '-p', '-t', session);
/** A tmux format of the session's pane, e.g. '#{alternate_on}'. */
export const display = (session: string, format: string): string => tmux('display-message', '-p', '-t', session, format).trim();

/** Waits (at most `seconds`) until the pane shows `pattern`; throws with the screen when it never does. */
export async function waitFor(session: string, pattern: RegExp, seconds = 30): Promise<string> {
	let screen = '';
	for (let i = 0; i < seconds * 5; i++) {
		screen = capture(session);
		if (pattern.test(screen)) return screen;
		await sleep(200);
	}
	throw new Error(`the screen never showed ${pattern}:\n${screen}`);
}

/** A detached session of `columns`x`rows` running `command` in a UTF-8 xterm; it stays when the command ends. */
export function startSession(name: string, columns: number, rows: number, command: string, cwd?: string): void {
	tmux(
		'new-session',
		'-d',
		'-s',
		name,
		'-x',
		String(columns),
		'-y',
		String(rows),
		'-e',
		'TERM=xterm-256color',
		'-e',
		'LANG=C.UTF-8',
		...(cwd ? ['-c', cwd] : []),
		command,
	);
	tmux('set-option', '-t', name, 'remain-on-exit', 'on');
}

export function killSession(name: string): void {
	try {
		tmux('kill-session', '-t', name);
	} catch {
		// already gone
	}
}

/** Types keys into the session (tmux key names: 'q', 'Enter', 'C-c'). */
export function sendKeys(session: string, ...keys: string[]): void {
	tmux('send-keys', '-t', session, ...keys);
}

/**
 * How a command started with `withStatus` ended: its exit status, once it has (at most `seconds`),
 * else null. (tmux does not keep the status of a pane whose terminal closed before it was reaped.)
 */
export async function waitForStatus(file: string, seconds = 10): Promise<number | null> {
	for (let i = 0; i < seconds * 5; i++) {
		if (existsSync(file)) {
			const text = readFileSync(file, 'utf8').trim();
			if (text !== '') return Number(text);
		}
		await sleep(200);
	}
	return null;
}

/** `command`, then its exit status written to `file` by the shell. */
export const withStatus = (command: string, file: string): string => `${command}; echo $? > ${file}`;
