/** Start-up: time from exec to the first frame of the screen, beside `node -e 0`. */
import {execa, execaSync} from 'execa';

/** Wall time of a whole command, in ms (median of `runs`). */
function wall(command: string, args: string[], runs = 7): number {
	const times: number[] = [];
	for (let i = 0; i < runs; i++) {
		const t = process.hrtime.bigint();
		execaSync(command, args, {reject: false});
		times.push(Number(process.hrtime.bigint() - t) / 1e6);
	}
	return times.sort((a, b) => a - b)[Math.floor(runs / 2)]!;
}

/** ms until the first frame (the header) appears, in a pseudo-terminal made by `script`. */
function firstFrame(cli: string): Promise<number> {
	return new Promise((resolve, reject) => {
		const started = process.hrtime.bigint();
		// Nothing to reach: the frame must come before any source answers.
		const child = execa('script', ['-qfec', `${process.execPath} ${cli} --api-url off --metrics-url off --interval 1s`, '/dev/null'], {
			stdin: 'pipe',
			stdout: 'pipe',
			stderr: 'ignore',
			buffer: false,
			reject: false,
			cleanup: true,
			forceKillAfterDelay: 2000,
			env: {...process.env, TERM: 'xterm-256color', COLUMNS: '120', LINES: '40'},
		});
		let out = '';
		child.stdin!.on('error', () => {}); // it may be gone when q is sent
		const timer = setTimeout(() => {
			child.kill('SIGKILL');
			reject(new Error('no frame within 10 s'));
		}, 10_000);
		child.stdout!.on('data', (d: Buffer) => {
			out += d.toString('latin1');
			if (out.includes('traefik-top')) {
				clearTimeout(timer);
				resolve(Number(process.hrtime.bigint() - started) / 1e6);
				child.stdin!.write('q');
				setTimeout(() => child.kill('SIGKILL'), 500);
			}
		});
	});
}

export async function benchStartup(cli: string): Promise<{firstFrameMs: number; nodeMs: number; helpMs: number}> {
	const frames: number[] = [];
	for (let i = 0; i < 5; i++) frames.push(await firstFrame(cli));
	frames.sort((a, b) => a - b);
	return {firstFrameMs: frames[2]!, nodeMs: wall(process.execPath, ['-e', '0']), helpMs: wall(process.execPath, [cli, '--help'])};
}
