/**
 * Steady state: the whole TUI under tmux against the demo stack at 1 s polling, and the idle Ink
 * clock beside it: CPU seconds per minute, peak RSS, bytes written to the terminal per minute.
 */
import {execaSync} from 'execa';
import {mkdtempSync, readFileSync, rmSync, statSync} from 'node:fs';
import {tmpdir} from 'node:os';
import {join} from 'node:path';
import {build} from 'esbuild';
import {readProcessStat} from '../source/collect/process.js';

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
const tmux = (...args: string[]) => execaSync('tmux', args).stdout.trim();

/** CPU seconds (user + system) of a process, read the way the collector reads Traefik's. */
function cpuSeconds(pid: number): number {
	return readProcessStat('/proc', pid, null)?.cpuSeconds ?? Number.NaN;
}

/** Peak resident memory of a process in MB (VmHWM). */
function peakRssMb(pid: number): number {
	const kb = Number(/^VmHWM:\s+(\d+)/m.exec(readFileSync(`/proc/${pid}/status`, 'latin1'))?.[1] ?? 0);
	return kb / 1024;
}

export interface SteadyFigures {
	readonly cpuSecondsPerMinute: number;
	readonly peakRssMb: number;
	readonly bytesPerMinute: number;
}

/** Runs `command` in a 120x40 tmux pane for `seconds` after a warm-up and measures the process. */
async function measurePane(name: string, command: string, seconds: number, dir: string): Promise<SteadyFigures> {
	const log = join(dir, `${name}.tty`);
	tmux('new-session', '-d', '-s', name, '-x', '120', '-y', '40', '-e', 'TERM=xterm-256color', `exec ${command}`);
	try {
		const pid = Number(tmux('display-message', '-p', '-t', name, '#{pane_pid}'));
		await sleep(8000); // start-up, first scrapes, the demo's first faults
		tmux('pipe-pane', '-t', name, '-o', `cat > ${log}`);
		const cpu0 = cpuSeconds(pid);
		await sleep(seconds * 1000);
		const cpu1 = cpuSeconds(pid);
		const bytes = statSync(log).size;
		const peak = peakRssMb(pid);
		return {cpuSecondsPerMinute: ((cpu1 - cpu0) * 60) / seconds, peakRssMb: peak, bytesPerMinute: (bytes * 60) / seconds};
	} finally {
		execaSync('tmux', ['send-keys', '-t', name, 'q'], {reject: false});
		await sleep(1500);
		execaSync('tmux', ['kill-session', '-t', name], {reject: false});
	}
}

/** One built CLI against the demo for `seconds`. */
export async function benchCli(cli: string, seconds = 60, name = 'tt-bench-tui'): Promise<SteadyFigures> {
	const dir = mkdtempSync(join(tmpdir(), 'tt-steady-'));
	try {
		return await measurePane(name, `${process.execPath} ${cli} --demo --interval 1s`, seconds, dir);
	} finally {
		rmSync(dir, {recursive: true, force: true});
	}
}

/** traefik-top --demo and the idle clock, each for `seconds`. */
export async function benchSteady(seconds = 60): Promise<{tui: SteadyFigures; clock: SteadyFigures}> {
	const dir = mkdtempSync(join(tmpdir(), 'tt-steady-'));
	try {
		const clock = join(dir, 'clock.js');
		await build({
			entryPoints: [new URL('./clock-app.tsx', import.meta.url).pathname],
			outfile: clock,
			bundle: true,
			platform: 'node',
			format: 'esm',
			jsx: 'automatic',
			define: {'process.env.NODE_ENV': '"production"'},
			alias: {'react-devtools-core': new URL('../scripts/devtools-stub.mjs', import.meta.url).pathname},
			banner: {js: "import {createRequire} from 'node:module';const require=createRequire(import.meta.url);"},
			logLevel: 'error',
		});
		const root = new URL('..', import.meta.url).pathname;
		const tui = await measurePane('tt-bench-tui', `${process.execPath} ${join(root, 'dist/cli.js')} --demo --interval 1s`, seconds, dir);
		const floor = await measurePane('tt-bench-clock', `${process.execPath} ${clock}`, seconds, dir);
		return {tui, clock: floor};
	} finally {
		rmSync(dir, {recursive: true, force: true});
	}
}
