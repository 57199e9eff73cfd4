/**
 * The child of bench/series.ts: the poll pipeline of every mode (collector and monitor) against one
 * /metrics, the API off; prints one JSON line with its poll times, peak RSS and tracking.
 * argv: metrics URL, proc root, polls (0: run for the seconds instead), seconds, interval.
 */
import {readFileSync} from 'node:fs';
import {resolveConfig} from '../source/run/config.js';
import {createPipeline} from '../source/run/poll.js';

const [metricsUrl, procRoot, pollsText, secondsText, interval] = process.argv.slice(2) as [string, string, string, string, string];
const config = resolveConfig({metricsUrl, apiUrl: 'off', procRoot, interval, timeout: interval}, {LANG: 'C.UTF-8'}, {}, false);
const {collector, monitor} = createPipeline(config);
const peakRssMb = (): number => Number(/^VmHWM:\s+(\d+)/m.exec(readFileSync('/proc/self/status', 'latin1'))?.[1] ?? 0) / 1024;
const times: number[] = [];
const rss: number[] = [];
const polls = Number(pollsText);
const until = Date.now() + Number(secondsText) * 1000;
let nextRss = Date.now() + 10_000;
for (let i = 0; polls > 0 ? i < polls : Date.now() < until; i++) {
	const started = performance.now();
	const harvest = await collector.collect();
	monitor.ingest(harvest);
	monitor.snapshot();
	times.push(performance.now() - started);
	if (Date.now() >= nextRss) {
		rss.push(Math.round(process.memoryUsage().rss / 1048576));
		nextRss += 10_000;
	}
	const wait = config.intervalSeconds * 1000 - (performance.now() - started);
	if (wait > 0) await new Promise((resolve) => setTimeout(resolve, wait));
}
const sorted = [...times].sort((a, b) => a - b);
const tracking = monitor.traffic.tracking.services;
process.stdout.write(
	`${JSON.stringify({
		polls: times.length,
		pollMs: {median: sorted[Math.floor(sorted.length / 2)], max: sorted.at(-1)},
		peakRssMb: peakRssMb(),
		rssMb: rss,
		trackedServices: tracking.tracked,
		untrackedServices: tracking.untracked,
	})}\n`,
);
process.exit(0);
