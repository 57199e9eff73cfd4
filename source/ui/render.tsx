/**
 * Runs the screen in the terminal's alternate screen and gives the terminal back on every way out:
 * q, Ctrl-C, SIGTERM, SIGHUP, an error in a component, a crash, a closed SSH session.
 */
import {render} from 'ink';
import {App, type AppProps} from './app.js';

const ENTER = '\x1b[?1049h\x1b[H\x1b[2J\x1b[?25l';
const LEAVE = '\x1b[?1049l\x1b[?25h';
/** Mouse reporting on (presses and the wheel, 1000, in SGR form, 1006) and off again, as the alternate screen is. */
export const MOUSE_ON = '\x1b[?1000h\x1b[?1006h';
export const MOUSE_OFF = '\x1b[?1006l\x1b[?1000l';

/** Errors that mean the terminal is gone (a closed SSH session), not a fault of ours. */
const TERMINAL_GONE = new Set(['EIO', 'EPIPE', 'ENXIO', 'EBADF', 'ENOTTY']);
const isTerminalGone = (error: unknown): boolean => TERMINAL_GONE.has(String((error as NodeJS.ErrnoException | undefined)?.code));

/**
 * Ends at once and quietly. With the terminal gone, Node's own exit would try to restore it and
 * abort on the EIO (a native stack dump); there is nothing left to restore, so skip that exit.
 */
function vanish(): never {
	process.kill(process.pid, 'SIGKILL');
	throw new Error('unreachable');
}

/**
 * Shows the app until the user quits; resolves with the exit code. When `fatal` gives a message
 * (the demo stack could not start, say), the screen closes and the message is printed.
 */
export async function runInteractive(
	props: AppProps,
	stdout: NodeJS.WriteStream = process.stdout,
	fatal?: Promise<string>,
	options: {mouse: boolean} = {mouse: true},
): Promise<number> {
	const enter = options.mouse ? ENTER + MOUSE_ON : ENTER;
	const leave = options.mouse ? MOUSE_OFF + LEAVE : LEAVE;
	let restored = false;
	let gone = false;
	const restore = (): void => {
		if (restored) return;
		restored = true;
		try {
			stdout.write(leave);
		} catch {
			gone = true; // stdout is gone (SSH closed): nothing to restore
		}
	};
	stdout.on('error', (error) => {
		if (isTerminalGone(error)) {
			gone = true;
			vanish();
		}
	});
	stdout.write(enter);
	process.once('exit', restore);
	// Frames come at the poll's pace; the frame rate caps only bursts of keys (a held j), and a
	// key is drawn within one frame of 33 ms, never held back by a frame just drawn.
	const instance = render(<App {...props} />, {exitOnCtrlC: false, maxFps: 30, incrementalRendering: true, patchConsole: true, stdout});
	let code = 0;
	const quit = (exitCode: number) => () => {
		code = exitCode;
		instance.unmount();
	};
	const handlers: [NodeJS.Signals, () => void][] = [
		['SIGTERM', quit(143)],
		['SIGHUP', quit(129)],
		['SIGINT', quit(130)],
	];
	for (const [signal, handler] of handlers) process.on(signal, handler);
	const crash = (error: unknown): void => {
		if (isTerminalGone(error)) vanish();
		instance.unmount();
		restore();
		process.stderr.write(`traefik-top crashed: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
		process.exit(70);
	};
	process.on('uncaughtException', crash);
	let fatalMessage: string | null = null;
	void fatal?.then((message) => {
		fatalMessage = message;
		code = 1;
		instance.unmount();
	});
	try {
		await instance.waitUntilExit();
	} catch (error) {
		restore();
		process.stderr.write(`traefik-top: the screen failed: ${error instanceof Error ? error.message : String(error)}\n`);
		code = 70;
	} finally {
		for (const [signal, handler] of handlers) process.off(signal, handler);
		process.off('uncaughtException', crash);
		restore();
	}
	if (gone) vanish();
	if (fatalMessage !== null) process.stderr.write(`traefik-top: ${fatalMessage}\n`);
	return code;
}
