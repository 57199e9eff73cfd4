/**
 * A report of a past moment (--at TIME with --prometheus): the minute up to that moment, one round
 * of the same queries an interval (as range queries: as many queries as one round), handed to
 * fresh monitors as polls would be, so that the rates, quantiles, ages and alerts (the minute's
 * 5xx share among them) are those of then. The kernel and API views are of
 * the present only: a report of the past has the metrics alone, and says so.
 */
import type {Snapshot} from '../domain/snapshot.js';
import type {TargetSpec} from '../domain/fleet.js';
import {FleetModel} from '../model/fleet.js';
import type {AppConfig} from './config.js';
import {prometheusSource, targetConfig} from './fleet.js';
import {createMonitor} from './poll.js';

export async function pastSnapshot(config: AppConfig, at: number): Promise<Snapshot> {
	if (config.prometheus === undefined) throw new Error('--at reads the past from Prometheus: give --prometheus URL');
	const source = prometheusSource(config.prometheus, config);
	const step = config.intervalSeconds * 1000;
	const rounds = await source.history(at - 60_000, at, step);
	if ('error' in rounds) throw new Error(rounds.error);
	const last = rounds.at(-1);
	if (last === undefined || Math.abs(last.at - at) > step) throw new Error(`${source.url}: no data at ${new Date(at).toISOString()}`);
	const named = new Map(config.targets.flatMap((t) => (t.prometheusInstance === undefined ? [] : [[t.prometheusInstance, t.name] as const])));
	const labels = [...last.instances].filter(([, r]) => r.up !== null).map(([name]) => name);
	if (labels.length === 0) throw new Error(`${source.url}: no up series match ${config.prometheus.selector} at ${new Date(at).toISOString()}`);
	const members = labels.sort().map((label) => {
		const target: TargetSpec = {name: named.get(label) ?? label, apiUrl: null, metricsUrl: null, prometheusInstance: label};
		// A monitor alone: nothing is collected for a report of the past, its readings are handed to it below.
		const monitor = createMonitor(targetConfig(config, target), target, true);
		return {label, target, monitor};
	});
	const fleet = new FleetModel({
		rules: config.rules,
		apiIntervalSeconds: config.apiIntervalSeconds,
		intervalSeconds: config.intervalSeconds,
		historyLength: rounds.length,
	});
	const note = `a report of ${new Date(at).toISOString()} from Prometheus: the kernel and API views are live only, not in it`;
	for (const round of rounds) {
		const time = round.at;
		for (const m of members) {
			const reading = source.readingOf(round, m.label);
			const metrics = 'error' in reading ? reading : {...reading, notes: [note, ...(reading.notes ?? [])]};
			m.monitor.ingest({collectedAt: time, proc: {error: 'the kernel view is live only'}, resolved: {}, resolveErrors: {}, metrics});
		}
		fleet.update(
			time,
			members.map((m) => ({
				name: m.target.name,
				url: `${source.url} ${config.prometheus!.instanceLabel}="${m.label}"`,
				snapshot: m.monitor.snapshot({history: false}),
				config: null,
				http: ['metrics'],
			})),
		);
	}
	return fleet.snapshot(null)!;
}
