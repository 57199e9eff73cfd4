import {spawn, type ChildProcess} from 'node:child_process';
import {fileURLToPath} from 'node:url';
import type {StackInfo} from '../../source/demo/stack.js';

export const CLI = fileURLToPath(new URL('../../cli.tsx', import.meta.url));

/** Runs the CLI from source (node --import tsx cli.tsx ...). */
export function spawnCli(args: string[], options: {stdin?: 'pipe' | 'ignore'} = {}): ChildProcess {
	return spawn(process.execPath, ['--import', 'tsx', CLI, ...args], {stdio: [options.stdin ?? 'ignore', 'pipe', 'pipe']});
}

/** Starts the demo stack (faults on request only) and waits for its JSON line. */
export function startStack(): Promise<{info: StackInfo; child: ChildProcess}> {
	return new Promise((resolve, reject) => {
		const child = spawnCli(['demo-stack', 'manual'], {stdin: 'pipe'});
		let out = '';
		const timer = setTimeout(() => reject(new Error('demo stack did not start')), 30_000);
		child.stdout!.on('data', (d: Buffer) => {
			out += d.toString();
			const nl = out.indexOf('\n');
			if (nl >= 0) {
				clearTimeout(timer);
				resolve({info: JSON.parse(out.slice(0, nl)) as StackInfo, child});
			}
		});
		child.stderr!.on('data', (d: Buffer) => process.stderr.write(d));
		child.once('exit', (code) => reject(new Error(`demo stack exited with ${code}`)));
	});
}

/** Ends the stack by closing its stdin, as the monitor's exit does, and waits for it. */
export async function stopStack(child: ChildProcess | undefined): Promise<void> {
	if (!child || child.exitCode !== null || child.signalCode !== null) return;
	const gone = new Promise<void>((resolve) => child.once('exit', () => resolve()));
	child.stdin?.end();
	const force = setTimeout(() => child.kill('SIGKILL'), 5000);
	await gone;
	clearTimeout(force);
}

/** Starts or stops a fault through the stack's control API. */
export async function fault(info: StackInfo, name: string, action: 'start' | 'stop'): Promise<{pid: number}> {
	const response = await fetch(`${info.controlUrl}/faults/${name}/${action}`, {method: 'POST'});
	if (!response.ok) throw new Error(`fault ${name} ${action}: ${response.status} ${await response.text()}`);
	return (await response.json()) as {pid: number};
}
