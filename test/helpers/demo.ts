import {fileURLToPath} from 'node:url';
import {execa, type ResultPromise} from 'execa';
import {inject} from 'vitest';
import type {StackInfo} from '../../source/demo/stack.js';

export const CLI = fileURLToPath(new URL('../../cli.tsx', import.meta.url));

export type Child = ResultPromise<{stdin: 'pipe' | 'ignore'; stdout: 'pipe'; stderr: 'pipe'; reject: false; buffer: false}>;

/** Runs the CLI from source (node --import tsx cli.tsx ...); the caller stops it (stopChild). */
export function spawnCli(args: string[], options: {stdin?: 'pipe' | 'ignore'} = {}): Child {
	return execa(process.execPath, ['--import', 'tsx', CLI, ...args], {
		stdin: options.stdin ?? 'ignore',
		stdout: 'pipe',
		stderr: 'pipe',
		reject: false,
		buffer: false,
	}) as Child;
}

/** The real Traefik of this run (test/global-setup.ts), or null when there is none. */
export function realTraefik(): {path: string; version: string} | null {
	const found = inject('traefik');
	return 'path' in found ? found : null;
}

/** The `demo-stack` arguments that choose a proxy: the real Traefik of this run, or the stand-in. */
export function proxyArgs(proxy: 'traefik' | 'stand-in'): string[] {
	if (proxy === 'stand-in') return ['--traefik-bin', 'off'];
	const found = realTraefik();
	if (found === null) throw new Error('no real Traefik in this run (see the line the test setup printed)');
	return ['--traefik-bin', found.path];
}

/** Starts the demo stack (faults on request only) with `proxy` and waits for its JSON line. */
export function startStack(proxy: 'traefik' | 'stand-in' = 'stand-in'): Promise<{info: StackInfo; child: Child}> {
	return new Promise((resolve, reject) => {
		const child = spawnCli(['demo-stack', 'manual', ...proxyArgs(proxy)], {stdin: 'pipe'});
		let out = '';
		const timer = setTimeout(() => {
			child.kill('SIGKILL');
			reject(new Error('demo stack did not start within 40 s'));
		}, 40_000);
		child.stdout.on('data', (d: Buffer) => {
			out += d.toString();
			const nl = out.indexOf('\n');
			if (nl >= 0) {
				clearTimeout(timer);
				resolve({info: JSON.parse(out.slice(0, nl)) as StackInfo, child});
			}
		});
		child.stderr.on('data', (d: Buffer) => process.stderr.write(d));
		void child.then((result) => {
			clearTimeout(timer);
			reject(new Error(`demo stack exited (${result.exitCode ?? result.signal}) before it was ready`));
		});
	});
}

/** Ends a child by its PID (SIGTERM, then SIGKILL after 5 s) and waits for it; nothing when it has ended. */
export async function stopChild(child: Child | undefined): Promise<void> {
	if (!child || child.exitCode !== null || child.signalCode !== null) return;
	const force = setTimeout(() => child.kill('SIGKILL'), 5000);
	child.kill('SIGTERM');
	await child;
	clearTimeout(force);
}

/** Ends the stack by closing its stdin, as the monitor's exit does, and waits for it (SIGKILL after 10 s). */
export async function stopStack(child: Child | undefined): Promise<void> {
	if (!child || child.exitCode !== null || child.signalCode !== null) return;
	child.stdin?.end();
	const force = setTimeout(() => child.kill('SIGKILL'), 10_000);
	await child;
	clearTimeout(force);
}

/** Starts or stops a fault through the stack's control API. */
export async function fault(info: StackInfo, name: string, action: 'start' | 'stop'): Promise<{pid: number}> {
	const response = await fetch(`${info.controlUrl}/faults/${name}/${action}`, {method: 'POST'});
	if (!response.ok) throw new Error(`fault ${name} ${action}: ${response.status} ${await response.text()}`);
	return (await response.json()) as {pid: number};
}
