/** Starts the demo stack as a child process and tells where it is; the stack ends with us. */
import {execa, type ResultPromise} from 'execa';
import type {StackInfo} from './stack.js';

/** A running demo stack. */
export interface RunningDemo {
	readonly info: StackInfo;
	readonly child: ResultPromise;
	stop(): void;
}

/** Spawns `traefik-top demo-stack` (this same program) and waits for its JSON line. */
export async function launchDemo(mode: 'auto' | 'manual' = 'auto', args: readonly string[] = [], timeoutMs = 30_000): Promise<RunningDemo> {
	// stdin stays a pipe we hold: the stack exits when it closes, however this process ends.
	const child = execa(process.execPath, [...process.execArgv, process.argv[1]!, 'demo-stack', mode, ...args], {
		stdin: 'pipe',
		stdout: 'pipe',
		stderr: 'inherit',
		buffer: false,
		reject: false,
	});
	const stop = (): void => void child.kill('SIGTERM');
	let timer: NodeJS.Timeout | undefined;
	const line = new Promise<string>((resolve, reject) => {
		let buffer = '';
		timer = setTimeout(() => reject(new Error(`the demo stack did not start within ${timeoutMs / 1000} s`)), timeoutMs);
		child.stdout.on('data', (chunk: Buffer) => {
			buffer += chunk.toString();
			const nl = buffer.indexOf('\n');
			if (nl >= 0) resolve(buffer.slice(0, nl));
		});
		void child.then((result) => reject(new Error(`the demo stack exited (${result.exitCode ?? result.signal}) before it was ready`)));
	});
	try {
		const first = await line;
		try {
			return {info: JSON.parse(first) as StackInfo, child, stop};
		} catch (error) {
			throw new Error(`the demo stack said something unexpected: ${first.slice(0, 200)} (${String(error)})`);
		}
	} catch (error) {
		child.kill('SIGKILL');
		throw error;
	} finally {
		clearTimeout(timer);
	}
}
