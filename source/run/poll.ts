/** The poll loop shared by every mode: one harvest per tick, never stacked, never blocking input. */
import {Collector} from '../collect/collector.js';
import type {AppConfig} from './config.js';
import {Monitor} from '../model/monitor.js';
import type {Snapshot} from '../domain/snapshot.js';
import {hostname} from 'node:os';
import type {TargetSpec} from '../domain/fleet.js';
import {startFleetPolling} from './fleet.js';
import {localPort} from './targets.js';
import type {MetricsReading, Section} from '../domain/harvest.js';

/** Builds the collector and the monitor for a configuration. */
export function createPipeline(
	config: AppConfig,
	target?: TargetSpec,
	metricsFrom?: () => Promise<Section<MetricsReading>>,
): {collector: Collector; monitor: Monitor} {
	const ssh = target === undefined ? config.ssh : target.ssh;
	// --ssh without --pid: of several Traefik processes there, the one listening on the API's (loopback) port.
	const listenPort = target?.listenPort ?? (ssh !== undefined && config.pid === undefined ? localPort(config.apiUrl ?? config.metricsUrl) : undefined);
	const collector = new Collector({
		procRoot: config.procRoot,
		...(config.pid === undefined ? {} : {pid: config.pid}),
		...(config.pidFile === undefined ? {} : {pidFile: config.pidFile}),
		...(listenPort === undefined ? {} : {listenPort}),
		...(target === undefined ? {} : {compare: true}),
		...(target !== undefined && !hasKernelView(target) ? {kernel: false} : {}),
		apiUrl: config.apiUrl,
		metricsUrl: config.metricsUrl,
		apiIntervalMs: config.apiIntervalSeconds * 1000,
		http: {
			timeoutMs: config.timeoutMs,
			maxBytes: 64 * 1024 * 1024,
			headers: config.headers,
			...(config.basicAuth === undefined ? {} : {basicAuth: config.basicAuth}),
			...(config.bearerToken === undefined ? {} : {bearerToken: config.bearerToken}),
			insecure: config.insecure,
		},
		flagServers: config.backends,
		...(metricsFrom === undefined ? {} : {metricsFrom}),
		...(config.accessLog === undefined ? {} : {accessLog: {path: config.accessLog, fromStart: config.accessLogFromStart}}),
		...(ssh === undefined
			? {}
			: {
					ssh: {
						destination: ssh,
						settings: {
							options: config.sshOptions,
							sudo: config.sshSudo,
							connectTimeoutSeconds: Math.max(5, Math.ceil(config.timeoutMs / 1000)),
							retryCapMs: 2000 * config.intervalSeconds,
						},
						...(target?.name ? {label: `${target.name} (${ssh.destination})`} : {}),
					},
				}),
	});
	return {collector, monitor: createMonitor(config, target, metricsFrom !== undefined)};
}

/** The monitor of a configuration (and target), with the sources it does not have switched off; `metricsElsewhere`: its metrics come from Prometheus. */
export function createMonitor(config: AppConfig, target?: TargetSpec, metricsElsewhere = false): Monitor {
	const monitor = new Monitor({
		rules: config.rules,
		intervalSeconds: config.intervalSeconds,
		retentionSeconds: config.retentionSeconds,
		host: hostname(),
		filter: {service: config.service, entrypoint: config.entrypoint},
		flagServers: config.backends,
		maxServices: config.maxServices,
		maxBackends: config.maxBackends,
		...(config.demoProxy === undefined ? {} : {demo: config.demoProxy}),
	});
	if (config.apiUrl === null) monitor.disableSource('api');
	if (config.metricsUrl === null && !metricsElsewhere) monitor.disableSource('metrics');
	if (config.accessLog === undefined) monitor.disableSource('accessLog');
	if (target !== undefined && !hasKernelView(target)) monitor.disableSource('proc');
	return monitor;
}

/** A target's kernel view is this host's: given by a PID or a PID file, or found by a local port it listens on. */
export const hasKernelView = (target: TargetSpec): boolean =>
	target.ssh !== undefined || target.pid !== undefined || target.pidFile !== undefined || target.listenPort !== undefined;

/** A running poll loop. */
export interface Poller {
	stop(): void;
	/** Changes the interval from the next tick on. */
	setInterval(seconds: number): void;
	readonly intervalSeconds: number;
	/** Pins a service (null unpins); the next snapshot follows it. */
	pin(service: string | null): void;
	/** With several targets: shows one instance alone (null: all of them, summed). */
	pinInstance(name: string | null): void;
	/** The latest snapshot again (after a pin, without waiting for the next tick). */
	refresh(): void;
	/** With --prometheus: show the metrics of that past moment (ms since the epoch), null: live again. */
	rewind(at: number | null): void;
}

/** A loop that runs `work` every `interval()` seconds, measured from the start of a run: a slow run shortens the wait instead of stacking. */
export interface Loop {
	stop(): void;
	readonly stopped: boolean;
}

export function startLoop(interval: () => number, work: () => Promise<void>, onError: (error: unknown) => void): Loop {
	let timer: NodeJS.Timeout | undefined;
	const loop = {
		stopped: false,
		stop() {
			loop.stopped = true;
			if (timer) clearTimeout(timer);
		},
	};
	const tick = async (): Promise<void> => {
		const started = Date.now();
		try {
			await work();
		} catch (error) {
			onError(error);
		}
		if (!loop.stopped) timer = setTimeout(tick, Math.max(0, interval() * 1000 - (Date.now() - started)));
	};
	void tick();
	return loop;
}

/** Polls every `intervalSeconds` (see startLoop) and hands each snapshot to `onSnapshot`. */
export function startPolling(config: AppConfig, onSnapshot: (snapshot: Snapshot) => void, onError: (error: unknown) => void = () => {}): Poller {
	if (config.targets.length > 0 || config.prometheus !== undefined) return startFleetPolling(config, onSnapshot, onError);
	const {collector, monitor} = createPipeline(config);
	let interval = config.intervalSeconds;
	const loop = startLoop(
		() => interval,
		async () => {
			const harvest = await collector.collect();
			if (loop.stopped) return;
			monitor.ingest(harvest);
			onSnapshot(monitor.snapshot());
		},
		onError,
	);
	return {
		stop() {
			loop.stop();
			collector.close();
		},
		setInterval(seconds: number) {
			interval = seconds;
			monitor.setInterval(seconds);
		},
		pin(service: string | null) {
			monitor.setFocus(service);
		},
		pinInstance() {
			// one instance: nothing to choose
		},
		rewind() {
			// without Prometheus there is no past to show
		},
		refresh() {
			if (monitor.lastAt > 0) onSnapshot(monitor.snapshot());
		},
		get intervalSeconds() {
			return interval;
		},
	};
}
