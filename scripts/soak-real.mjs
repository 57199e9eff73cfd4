// `npm run soak`: the built CLI against the demo stack for 10 minutes (SOAK_SECONDS), twice at once:
// headless (--json) and the screen in a 120x40 tmux pane (when tmux is there), each one's RSS
// sampled every 10 s; reports the samples and fails if either keeps growing after warm-up.
import {execa, execaSync} from 'execa';
import {readFileSync, writeFileSync} from 'node:fs';

const seconds = Number(process.env.SOAK_SECONDS ?? 600);
const child = execa(process.execPath, ['dist/cli.js', '--demo', '--json', '--interval', '1s'], {
	stdin: 'ignore',
	stdout: 'pipe',
	stderr: 'inherit',
	buffer: false,
	reject: false,
	cleanup: true,
	forceKillAfterDelay: 2000,
});
let snapshots = 0;
let alertsSeen = 0;
let buffer = '';
child.stdout.on('data', (d) => {
	buffer += d.toString();
	for (let nl = buffer.indexOf('\n'); nl >= 0; nl = buffer.indexOf('\n')) {
		const line = buffer.slice(0, nl);
		buffer = buffer.slice(nl + 1);
		snapshots++;
		alertsSeen += JSON.parse(line).alerts.length;
	}
});

const SESSION = `tt-soak-${process.pid}`;
const hasTmux = execaSync('tmux', ['-V'], {reject: false}).exitCode === 0;
let screenPid = null;
if (hasTmux) {
	execaSync('tmux', [
		'new-session',
		'-d',
		'-s',
		SESSION,
		'-x',
		'120',
		'-y',
		'40',
		'-e',
		'TERM=xterm-256color',
		`exec ${process.execPath} dist/cli.js --demo --interval 1s`,
	]);
	screenPid = Number(execaSync('tmux', ['display-message', '-p', '-t', SESSION, '#{pane_pid}']).stdout.trim());
}
const stopScreen = () => {
	if (!hasTmux) return;
	execaSync('tmux', ['send-keys', '-t', SESSION, 'q'], {reject: false});
	execaSync('sleep', ['1'], {reject: false});
	execaSync('tmux', ['kill-session', '-t', SESSION], {reject: false});
};
process.on('exit', stopScreen);

const rssMb = (pid) => {
	try {
		return Number((Number(/^VmRSS:\s+(\d+)/m.exec(readFileSync(`/proc/${pid}/status`, 'latin1'))[1]) / 1024).toFixed(1));
	} catch {
		return null; // gone
	}
};

/** Bounded: after 2 minutes of warm-up the RSS may wobble with the GC, not climb. */
function verdict(samples) {
	const warm = samples.filter((s) => s.at >= 120 && s.rssMb !== null);
	const first = warm[0]?.rssMb ?? samples[0]?.rssMb ?? 0;
	const peak = Math.max(...samples.map((s) => s.rssMb ?? 0));
	const last = samples.at(-1)?.rssMb ?? null;
	return {firstAfterWarmUpMb: first, peakMb: peak, lastMb: last, bounded: last !== null && last <= first * 1.25 + 10};
}

const headless = [];
const screen = [];
const started = Date.now();
const timer = setInterval(() => {
	const at = Math.round((Date.now() - started) / 1000);
	headless.push({at, rssMb: rssMb(child.pid), snapshots});
	if (screenPid !== null) screen.push({at, rssMb: rssMb(screenPid)});
	console.log(
		`${String(at).padStart(4)} s  headless RSS ${headless.at(-1).rssMb} MB (${snapshots} snapshots)` +
			(screenPid === null ? '' : `  screen RSS ${screen.at(-1).rssMb} MB`),
	);
	if (at >= seconds) {
		clearInterval(timer);
		child.kill('SIGTERM');
		stopScreen();
		const result = {
			seconds,
			snapshots,
			alertsSeen,
			headless: {...verdict(headless), samples: headless},
			...(screenPid === null ? {} : {screen: {...verdict(screen), samples: screen}}),
		};
		writeFileSync('bench/soak-real.json', `${JSON.stringify(result, null, 2)}\n`);
		const ok = result.headless.bounded && (result.screen?.bounded ?? true);
		for (const [name, r] of Object.entries({headless: result.headless, screen: result.screen})) {
			if (r) console.log(`${name}: peak ${r.peakMb} MB, ${r.firstAfterWarmUpMb} MB at 2 min, ${r.lastMb} MB at the end: ${r.bounded ? 'bounded' : 'GROWING'}`);
		}
		process.exit(ok ? 0 : 1);
	}
}, 10_000);
