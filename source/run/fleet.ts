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
import {PrometheusSource} from '../collect/prometheus-source.js';
import {pastSnapshot} from './past.js';
import type {PrometheusConfig} from './config.js';

/** The Prometheus all instances are read from: its HTTP settings, and rounds shared within half an interval. */
export function prometheusSource(p: PrometheusConfig, config: AppConfig): PrometheusSource {
	return new PrometheusSource(
		{
			url: p.url,
			selector: p.selector,
			instanceLabel: p.instanceLabel,
			http: {
				timeoutMs: config.timeoutMs,
				maxBytes: 64 * 1024 * 1024,
				...(p.basicAuth === undefined ? {} : {basicAuth: p.basicAuth}),
				...(p.bearerToken === undefined ? {} : {bearerToken: p.bearerToken}),
				insecure: config.insecure,
			},
		},
		(config.intervalSeconds * 1000) / 2,
	);
}

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
	/** Stands for Prometheus while it names no instance. */
	placeholder?: boolean;
}

/** The time a target's poll may take before the others go on without it: its HTTP timeout and a little for /proc. */
export const deadlineMs = (config: AppConfig): number => config.timeoutMs + 250;

/** Polls every target each interval; the snapshot is the group's (see FleetModel). */
export function startFleetPolling(config: AppConfig, onSnapshot: (snapshot: Snapshot) => void, onError: (error: unknown) => void = () => {}): Poller {
	// With --prometheus: one source for every instance, and the instances it has series of join the group as they appear.
	const prometheus = config.prometheus === undefined ? null : prometheusSource(config.prometheus, config);
	const member = (target: TargetSpec, placeholder = false): Member => {
		const label = target.prometheusInstance;
		const metricsFrom =
			prometheus === null ? undefined : placeholder ? () => prometheus.problem() : label !== undefined ? () => prometheus.reading(label) : undefined;
		const {collector, monitor} = createPipeline(targetConfig(config, target), target, metricsFrom);
		const metrics = target.metricsUrl !== null || metricsFrom !== undefined;
		const http: ('metrics' | 'api')[] = [...(metrics ? ['metrics' as const] : []), ...(target.apiUrl === null ? [] : ['api' as const])];
		const url =
			metricsFrom !== undefined && target.apiUrl === null
				? `${prometheus!.url} ${config.prometheus!.instanceLabel}="${label}"`
				: redactUrl(target.apiUrl ?? target.metricsUrl ?? '');
		return {target, collector, monitor, url, http, pending: null, ...(placeholder ? {placeholder} : {})};
	};
	const members: Member[] = config.targets.map((t) => member(t));
	// Until Prometheus names an instance, one stands for it, so that the screen says why there is none.
	if (prometheus !== null && members.length === 0) members.push(member({name: 'prometheus', apiUrl: null, metricsUrl: null, prometheusInstance: ''}, true));
	/** New instances in Prometheus' `up`: each becomes a member, named by its label (a target that names it keeps its own name). */
	const discover = async (): Promise<void> => {
		if (prometheus === null) return;
		const found = await prometheus.instances();
		if ('error' in found) return;
		const known = new Set(members.map((m) => m.target.prometheusInstance ?? ''));
		for (const label of found) if (!known.has(label)) members.push(member({name: label, apiUrl: null, metricsUrl: null, prometheusInstance: label}));
		const stand = members.findIndex((m) => m.placeholder === true);
		if (stand >= 0 && members.length > 1) members.splice(stand, 1)[0]!.collector.close();
	};
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

	/** While rewound: the past moment shown, and its snapshot once made (live collection goes on beneath). */
	let rewound: {at: number; snapshot: Snapshot | null; error?: string} | null = null;
	const emit = (): void => {
		if (rewound !== null && rewound.error === undefined) {
			if (rewound.snapshot !== null) onSnapshot(rewound.snapshot);
			return;
		}
		const snapshot = fleet.snapshot(pinned);
		if (snapshot === null) return;
		// A moment Prometheus has nothing of: the live figures, and why not that moment.
		onSnapshot(rewound?.error === undefined ? snapshot : {...snapshot, rewind: {at: new Date(rewound.at).toISOString(), error: rewound.error}});
	};

	/** At start, the series and charts of every instance read from Prometheus are filled from its history (query_range). */
	let replayed = prometheus === null;
	const replay = async (): Promise<void> => {
		if (replayed || prometheus === null) return;
		replayed = true;
		const step = Math.max(interval * 1000, Math.ceil((config.retentionSeconds * 1000) / 10_000));
		const end = Date.now() - step;
		const rounds = await prometheus.history(end - config.retentionSeconds * 1000, end, step);
		// Without history the live polls go on (and say what fails).
		if ('error' in rounds) return;
		for (const round of rounds) {
			for (const m of members) {
				const label = m.target.prometheusInstance;
				if (label === undefined || m.placeholder === true) continue;
				const metrics = prometheus.readingOf(round, label);
				m.monitor.ingest({collectedAt: round.at, history: true, proc: {error: 'history'}, resolved: {}, resolveErrors: {}, metrics});
			}
			fleet.update(round.at, inputs(false));
		}
	};

	const loop = startLoop(
		() => interval,
		async () => {
			await discover();
			await replay();
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
		rewind(at: number | null) {
			if (config.prometheus === undefined || at === null) {
				rewound = null;
				emit();
				return;
			}
			const asked: {at: number; snapshot: Snapshot | null; error?: string} = {at, snapshot: null};
			rewound = asked;
			pastSnapshot(config, at).then(
				(snapshot) => {
					if (rewound !== asked) return;
					asked.snapshot = {...snapshot, rewind: {at: new Date(at).toISOString()}};
					emit();
				},
				(error: unknown) => {
					if (rewound !== asked) return;
					asked.error = error instanceof Error ? error.message : String(error);
					emit();
				},
			);
		},
		get intervalSeconds() {
			return interval;
		},
	};
}
