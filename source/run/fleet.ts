/**
 * The poll loop of several instances: one collector and one monitor per target, polled at
 * once; a target that has not answered by the deadline is shown late and the others go on
 * (its harvest is taken whenever it comes, and it is not polled again before). The fleet model
 * then judges the group and makes the snapshot.
 */
import type {TargetSpec} from '../domain/fleet.js';
import {redactUrl} from '../domain/server-url.js';
import type {Snapshot} from '../domain/snapshot.js';
import {FleetModel, type FleetInstanceInput} from '../model/fleet.js';
import type {Monitor} from '../model/monitor.js';
import type {Collector} from '../collect/collector.js';
import type {AppConfig} from './config.js';
import {createPipeline, startLoop, type Poller} from './poll.js';

/** A target's settings: the run's, with its own URLs, process and credentials. */
export function targetConfig(config: AppConfig, target: TargetSpec): AppConfig {
	const {pid: _pid, pidFile: _pidFile, accessLog: _log, ...rest} = config;
	return {
		...rest,
		metricsUrl: target.metricsUrl,
		apiUrl: target.apiUrl,
		...(target.pid === undefined ? {} : {pid: target.pid}),
		...(target.pidFile === undefined ? {} : {pidFile: target.pidFile}),
		...(target.accessLog === undefined ? {} : {accessLog: target.accessLog}),
		headers: {...config.headers, ...target.headers},
		...(target.basicAuth === undefined ? {} : {basicAuth: target.basicAuth}),
		...(target.bearerToken === undefined ? {} : {bearerToken: target.bearerToken}),
		targets: [],
	};
}

interface Member {
	readonly target: TargetSpec;
	readonly collector: Collector;
	readonly monitor: Monitor;
	readonly url: string;
	readonly http: ('metrics' | 'api')[];
	/** The collect still running, and since when. */
	pending: {since: number} | null;
	late?: string;
}

/** The time a target's poll may take before the others go on without it: its HTTP timeout and a little for /proc. */
export const deadlineMs = (config: AppConfig): number => config.timeoutMs + 250;

/** Polls every target each interval; the snapshot is the group's (see FleetModel). */
export function startFleetPolling(config: AppConfig, onSnapshot: (snapshot: Snapshot) => void, onError: (error: unknown) => void = () => {}): Poller {
	const members: Member[] = config.targets.map((target) => {
		const {collector, monitor} = createPipeline(targetConfig(config, target), target);
		const http: ('metrics' | 'api')[] = [...(target.metricsUrl === null ? [] : ['metrics' as const]), ...(target.apiUrl === null ? [] : ['api' as const])];
		return {target, collector, monitor, url: redactUrl(target.apiUrl ?? target.metricsUrl ?? ''), http, pending: null};
	});
	const fleet = new FleetModel({
		rules: config.rules,
		apiIntervalSeconds: config.apiIntervalSeconds,
		intervalSeconds: config.intervalSeconds,
		historyLength: Math.max(1, Math.round(config.retentionSeconds / config.intervalSeconds)),
	});
	let interval = config.intervalSeconds;
	let pinned: string | null = null;
	const deadline = deadlineMs(config);

	// The group keeps its own series: an instance's are made only when it is shown alone, or to seed the group's.
	const inputs = (withHistory: boolean): FleetInstanceInput[] =>
		members.map((m) => ({
			name: m.target.name,
			url: m.url,
			snapshot: m.monitor.lastAt > 0 ? m.monitor.snapshot({history: withHistory || m.target.name === pinned}) : null,
			config: m.monitor.api?.config ?? null,
			...(m.late === undefined ? {} : {late: m.late}),
			http: m.http,
		}));

	const pollOne = async (m: Member): Promise<void> => {
		delete m.late;
		if (m.pending !== null) {
			m.late = `its poll started ${((Date.now() - m.pending.since) / 1000).toFixed(1)} s ago has not ended`;
			return;
		}
		m.pending = {since: Date.now()};
		const harvest = m.collector.collect().then(
			(h) => {
				m.pending = null;
				if (!loop.stopped) m.monitor.ingest(h);
			},
			(error: unknown) => {
				m.pending = null;
				onError(error);
			},
		);
		let timeout: NodeJS.Timeout | undefined;
		const late = new Promise<'late'>((resolve) => (timeout = setTimeout(() => resolve('late'), deadline)));
		const outcome = await Promise.race([harvest.then(() => 'done' as const), late]);
		clearTimeout(timeout);
		if (outcome === 'late') m.late = `no answer within the poll's deadline (${(deadline / 1000).toFixed(2)} s)`;
	};

	const emit = (): void => {
		const snapshot = fleet.snapshot(pinned);
		if (snapshot !== null) onSnapshot(snapshot);
	};

	const loop = startLoop(
		() => interval,
		async () => {
			await Promise.all(members.map(pollOne));
			if (loop.stopped) return;
			fleet.update(Date.now(), inputs(false));
			emit();
		},
		onError,
	);
	return {
		stop() {
			loop.stop();
			for (const m of members) m.collector.close();
		},
		setInterval(seconds: number) {
			interval = seconds;
			for (const m of members) m.monitor.setInterval(seconds);
			fleet.setInterval(seconds);
		},
		pin(service: string | null) {
			for (const m of members) m.monitor.setFocus(service);
		},
		pinInstance(name: string | null) {
			pinned = name !== null && members.some((m) => m.target.name === name) ? name : null;
		},
		refresh() {
			if (fleet.lastAt === 0) return;
			fleet.refreshSnapshots(inputs(true), true);
			emit();
		},
		get intervalSeconds() {
			return interval;
		},
	};
}
