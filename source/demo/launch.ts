/** Starts the demo stack as a child process and tells where it is; the stack ends with us. */
import {spawn, type ChildProcess} from 'node:child_process';
import type {StackInfo} from './stack.js';

/** A running demo stack. */
export interface RunningDemo {
	readonly info: StackInfo;
	readonly child: ChildProcess;
	stop(): void;
}

/** Spawns `traefik-top demo-stack` (this same program) and waits for its JSON line. */
export function launchDemo(mode: 'auto' | 'manual' = 'auto', args: readonly string[] = [], timeoutMs = 30_000): Promise<RunningDemo> {
	return new Promise((resolve, reject) => {
		// stdin stays a pipe we hold: the stack exits when it closes, however this process ends.
		const child = spawn(process.execPath, [...process.execArgv, process.argv[1]!, 'demo-stack', mode, ...args], {stdio: ['pipe', 'pipe', 'inherit']});
		let buffer = '';
		const timer = setTimeout(() => {
			child.kill('SIGKILL');
			reject(new Error(`the demo stack did not start within ${timeoutMs / 1000} s`));
		}, timeoutMs);
		child.stdout!.on('data', (chunk: Buffer) => {
			buffer += chunk.toString();
			const nl = buffer.indexOf('\n');
			if (nl < 0) return;
			clearTimeout(timer);
			try {
				const info = JSON.parse(buffer.slice(0, nl)) as StackInfo;
				resolve({info, child, stop: () => void child.kill('SIGTERM')});
			} catch (error) {
				reject(new Error(`the demo stack said something unexpected: ${buffer.slice(0, 200)} (${String(error)})`));
			}
		});
		child.once('exit', (code) => {
			clearTimeout(timer);
			reject(new Error(`the demo stack exited (${code}) before it was ready`));
		});
	});
}
