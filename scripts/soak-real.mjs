// `npm run soak`: the built CLI against the demo stack for 10 minutes (SOAK_SECONDS), its RSS
// sampled every 10 s; reports the samples and fails if memory keeps growing after warm-up.
import {spawn} from 'node:child_process';
import {readFileSync, writeFileSync} from 'node:fs';

const seconds = Number(process.env.SOAK_SECONDS ?? 600);
const child = spawn(process.execPath, ['dist/cli.js', '--demo', '--json', '--interval', '1s'], {stdio: ['ignore', 'pipe', 'inherit']});
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
const rssMb = () => Number(/^VmRSS:\s+(\d+)/m.exec(readFileSync(`/proc/${child.pid}/status`, 'latin1'))[1]) / 1024;
const samples = [];
const started = Date.now();
const timer = setInterval(() => {
	const at = Math.round((Date.now() - started) / 1000);
	samples.push({at, rssMb: Number(rssMb().toFixed(1)), snapshots});
	console.log(`${String(at).padStart(4)} s  RSS ${rssMb().toFixed(1)} MB  ${snapshots} snapshots`);
	if (at >= seconds) {
		clearInterval(timer);
		child.kill('SIGTERM');
		const warm = samples.filter((s) => s.at >= 120);
		const first = warm[0]?.rssMb ?? samples[0].rssMb;
		const peak = Math.max(...samples.map((s) => s.rssMb));
		const last = samples.at(-1).rssMb;
		// Bounded: after 2 minutes of warm-up the RSS may wobble with the GC, not climb.
		const bounded = last <= first * 1.25 + 10;
		const result = {seconds, snapshots, alertsSeen, firstAfterWarmUpMb: first, peakMb: peak, lastMb: last, bounded, samples};
		writeFileSync('bench/soak-real.json', `${JSON.stringify(result, null, 2)}\n`);
		console.log(`peak ${peak} MB, ${first} MB at 2 min, ${last} MB at the end: ${bounded ? 'bounded' : 'GROWING'}`);
		process.exit(bounded ? 0 : 1);
	}
}, 10_000);
