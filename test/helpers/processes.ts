import type {ChildProcess} from 'node:child_process';
import {execa} from 'execa';

/** Spawns a node script and resolves with the child and its first stdout line. */
export function spawnNode(script: string, args: string[] = [], timeoutMs = 15_000): Promise<{child: ChildProcess; line: string}> {
	return new Promise((resolve, reject) => {
		const child = execa(process.execPath, [script, ...args], {
			stdin: 'ignore',
			stdout: 'pipe',
			stderr: 'inherit',
			buffer: false,
			reject: false,
			cleanup: true,
			forceKillAfterDelay: 2000,
		});
		let buffer = '';
		const timer = setTimeout(() => {
			child.kill('SIGKILL');
			reject(new Error(`${script} did not start within ${timeoutMs} ms`));
		}, timeoutMs);
		child.stdout!.on('data', (chunk: Buffer) => {
			buffer += chunk.toString();
			const nl = buffer.indexOf('\n');
			if (nl >= 0) {
				clearTimeout(timer);
				resolve({child, line: buffer.slice(0, nl)});
			}
		});
		child.once('exit', (code: number | null) => {
			clearTimeout(timer);
			reject(new Error(`${script} exited with ${code} before it was ready`));
		});
	});
}

/** Kills a child by its PID and waits for it to go. */
export async function stopChild(child: ChildProcess | undefined): Promise<void> {
	if (!child || child.exitCode !== null || child.signalCode !== null) return;
	const gone = new Promise<void>((resolve) => child.once('exit', () => resolve()));
	child.kill('SIGKILL');
	await gone;
}
