// A fake terminal of a given size (Ink lays out to stdout.columns, which ink-testing-library fixes at
// 100): the render benchmarks measure 120x40 and 200x50, and the exit test waits for the app to end.
import {EventEmitter} from 'node:events';
import {render} from 'ink';
import type {ReactElement} from 'react';

class FakeStdout extends EventEmitter {
	frames: string[] = [];
	constructor(
		readonly columns: number,
		readonly rows: number,
	) {
		super();
	}
	write = (frame: string) => {
		this.frames.push(frame);
		this.emit('frame');
		return true;
	};
}

class FakeStdin extends EventEmitter {
	isTTY = true;
	private data: string | null = null;
	write = (data: string) => {
		this.data = data;
		this.emit('readable');
		this.emit('data', data);
	};
	read = () => {
		const data = this.data;
		this.data = null;
		return data;
	};
	setEncoding() {}
	setRawMode() {}
	resume() {}
	pause() {}
	ref() {}
	unref() {}
}

/** Renders `tree` at `columns` x `rows`; `press` types keys and waits for the next frame. */
export function renderAt(tree: ReactElement, columns: number, rows: number) {
	const stdout = new FakeStdout(columns, rows);
	const stdin = new FakeStdin();
	const instance = render(tree, {
		stdout: stdout as unknown as NodeJS.WriteStream,
		stdin: stdin as unknown as NodeJS.ReadStream,
		debug: true,
		exitOnCtrlC: false,
		patchConsole: false,
	});
	const lastFrame = () => stdout.frames.at(-1) ?? '';
	/** Resolves when the next frame is written (at most `ms` later), without spinning: the wait costs no CPU. */
	const nextFrame = (ms = 5000): Promise<boolean> =>
		new Promise((resolve) => {
			const timer = setTimeout(() => {
				stdout.off('frame', done);
				resolve(false);
			}, ms);
			const done = () => {
				clearTimeout(timer);
				resolve(true);
			};
			stdout.once('frame', done);
		});
	return {
		lastFrame,
		nextFrame,
		lines: () => lastFrame().split('\n'),
		async press(...keys: string[]) {
			for (const key of keys) {
				stdin.write(key);
				await new Promise((resolve) => setTimeout(resolve, 20));
			}
		},
		async settle() {
			await new Promise((resolve) => setTimeout(resolve, 30));
		},
		unmount: () => instance.unmount(),
		waitUntilExit: () => instance.waitUntilExit(),
	};
}
