/** One harvest per tick: /proc and /metrics every tick, the API every few ticks, host names resolved with a cache. */
import type {AccessLogHarvest, ApiHarvest, BackendServer, Harvest, MetricsReading, Section} from '../domain/harvest.js';
import {isError} from '../domain/harvest.js';
import {fetchApi} from './api.js';
import type {HttpOptions} from './http.js';
import {fetchMetrics} from './metrics.js';
import {ProcReader} from './proc.js';
import {AccessLogFollower} from './access-log.js';
import {HostResolver} from './resolver.js';

/** Where and how to collect. */
export interface CollectorOptions {
	readonly procRoot: string;
	readonly pid?: number;
	readonly pidFile?: string;
	/** With several Traefik processes on the host: the one listening on this port. */
	readonly listenPort?: number;
	/** False: no kernel view (a Traefik on another host); /proc is not read. */
	readonly kernel?: boolean;
	/** An instance of several: its configuration is normalised at each API read, to be compared with the others'. */
	readonly compare?: boolean;
	readonly apiUrl: string | null;
	readonly metricsUrl: string | null;
	readonly apiIntervalMs: number;
	readonly http: HttpOptions;
	readonly flagServers: readonly BackendServer[];
	/** Traefik's access log, followed from its end (or start). */
	readonly accessLog?: {readonly path: string; readonly fromStart: boolean};
}

/** Gathers harvests; a call that arrives while one runs gets the running one (never stacked). */
export class Collector {
	private readonly proc: ProcReader;
	private readonly resolver = new HostResolver();
	private lastApiAt = Number.NEGATIVE_INFINITY;
	private running: Promise<Harvest> | null = null;
	/** The last good API answer: its servers are resolved every tick, its ports asked for by a netlink query. */
	private api: ApiHarvest | null = null;
	/** The servers of the last good scrape: a failed one must not blank the backends it named. */
	private serverUp: MetricsReading['serverUp'] = [];
	private lastPid: number | null = null;
	private readonly accessLog: AccessLogFollower | null;

	constructor(private readonly options: CollectorOptions) {
		this.proc = new ProcReader({procRoot: options.procRoot, pid: options.pid, pidFile: options.pidFile, listenPort: options.listenPort});
		this.accessLog = options.accessLog ? new AccessLogFollower(options.accessLog.path, {fromStart: options.accessLog.fromStart}) : null;
	}

	collect(): Promise<Harvest> {
		this.running ??= this.collectOnce().finally(() => {
			this.running = null;
		});
		return this.running;
	}

	/** Asks the API again at the next tick (Traefik restarted: its configuration may have changed). */
	refreshApi(): void {
		this.lastApiAt = Number.NEGATIVE_INFINITY;
	}

	private async collectOnce(): Promise<Harvest> {
		const started = Date.now();
		let api: Section<ApiHarvest> | undefined;
		let metrics: Section<MetricsReading> | undefined;
		const {apiUrl, metricsUrl, http, flagServers} = this.options;
		const apiDue = apiUrl !== null && started - this.lastApiAt >= this.options.apiIntervalMs;
		if (apiDue) this.lastApiAt = started;
		await Promise.all([
			metricsUrl === null ? undefined : fetchMetrics(metricsUrl, http).then((r) => (metrics = r)),
			apiDue ? fetchApi(apiUrl, http, this.options.compare).then((r) => (api = r)) : undefined,
		]);
		if (api !== undefined && !isError(api)) this.api = api;
		// Every server's host (answers are cached), and the ports a filtered netlink query asks for.
		const hosts = [...(this.api?.servers ?? []), ...flagServers].map((s) => s.host);
		const backendPorts = [...(this.api?.servers ?? []), ...flagServers].map((s) => s.port);
		if (metrics !== undefined && !isError(metrics)) this.serverUp = metrics.serverUp;
		for (const {target} of this.serverUp) {
			if ('error' in target) continue;
			hosts.push(target.host);
			backendPorts.push(target.port);
		}
		const {resolved, errors} = hosts.length === 0 ? {resolved: {}, errors: {}} : await this.resolver.resolve(hosts);
		// /proc last: the table then matches the freshest backend list.
		const proc =
			this.options.kernel === false
				? {error: 'no kernel view: this Traefik is on another host'}
				: await this.proc.readWithPorts({backends: backendPorts, entryPoints: (this.api?.entryPoints ?? []).map((e) => e.port)});
		// A new Traefik process may run a new configuration: ask its API now, not in ten seconds.
		const pid = isError(proc) ? this.lastPid : proc.pid;
		if (pid !== this.lastPid && this.lastPid !== null && pid !== null && api === undefined && apiUrl !== null) {
			this.lastApiAt = Date.now();
			api = await fetchApi(apiUrl, http, this.options.compare);
			if (!isError(api)) this.api = api;
		}
		this.lastPid = pid;
		const accessLog = this.accessLog === null ? undefined : readAccessLog(this.accessLog);
		return {
			...(accessLog === undefined ? {} : {accessLog}),
			collectedAt: Date.now(),
			proc,
			resolved,
			resolveErrors: errors,
			...(api === undefined ? {} : {api}),
			...(metrics === undefined ? {} : {metrics}),
		};
	}
}

/** One read of the access log; a file that is not there (yet) is a failing source that says so. */
function readAccessLog(follower: AccessLogFollower): Section<AccessLogHarvest> {
	try {
		const read = follower.read();
		const waiting = read.notes.find((n) => n.startsWith('waiting for') || n.startsWith('cannot open'));
		return waiting !== undefined && read.records.length === 0 ? {error: waiting} : read;
	} catch (error) {
		return {error: `cannot read ${follower.path}: ${error instanceof Error ? error.message : String(error)}`};
	}
}
