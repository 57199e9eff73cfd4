/** One harvest per tick: /proc and /metrics every tick, the API every few ticks, host names resolved with a cache. */
import {fetchApi, HostResolver} from './api.js';
import type {HttpOptions} from './http.js';
import {fetchMetrics} from './metrics.js';
import type {MetricsReading} from './traefik-metrics-parse.js';
import {ProcReader} from './proc.js';
import {serverUrlTarget} from './api-parse.js';
import {isError, type ApiHarvest, type BackendServer, type Harvest, type IpAddress, type Section} from './types.js';

/** Where and how to collect. */
export interface CollectorOptions {
	readonly procRoot: string;
	readonly pid?: number;
	readonly pidFile?: string;
	readonly apiUrl: string | null;
	readonly metricsUrl: string | null;
	readonly apiIntervalMs: number;
	readonly http: HttpOptions;
	readonly flagServers: readonly BackendServer[];
}

/** Gathers harvests; a call that arrives while one runs gets the running one (never stacked). */
export class Collector {
	private readonly proc: ProcReader;
	private readonly resolver = new HostResolver();
	private lastApiAt = Number.NEGATIVE_INFINITY;
	private running: Promise<Harvest> | null = null;
	private resolvedKey = '';
	/** Ports of the last good API answer: a filtered netlink query asks for them. */
	private apiPorts: {backends: number[]; entryPoints: number[]} = {backends: [], entryPoints: []};
	private lastResolved: Readonly<Record<string, readonly IpAddress[]>> = {};

	constructor(private readonly options: CollectorOptions) {
		this.proc = new ProcReader({procRoot: options.procRoot, pid: options.pid, pidFile: options.pidFile});
	}

	/** The previous answer when the addresses did not change: the model then keeps its backend index. */
	private stable(resolved: Record<string, IpAddress[]>): Readonly<Record<string, readonly IpAddress[]>> {
		const key = JSON.stringify(resolved);
		if (key !== this.resolvedKey) {
			this.resolvedKey = key;
			this.lastResolved = resolved;
		}
		return this.lastResolved;
	}

	collect(): Promise<Harvest> {
		this.running ??= this.collectOnce().finally(() => {
			this.running = null;
		});
		return this.running;
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
			apiDue ? fetchApi(apiUrl, http, this.resolver, flagServers).then((r) => (api = r)) : undefined,
		]);
		// Hosts of --backend flags and of traefik_service_server_up URLs (answers are cached), and
		// their ports with the API's for a filtered netlink query.
		if (api !== undefined && !isError(api)) this.apiPorts = {backends: api.servers.map((s) => s.port), entryPoints: api.entryPoints.map((e) => e.port)};
		const hosts = flagServers.map((s) => s.host);
		const backendPorts = [...this.apiPorts.backends, ...flagServers.map((s) => s.port)];
		if (metrics !== undefined && !isError(metrics)) {
			for (const s of metrics.serverUp) {
				const target = serverUrlTarget(s.url);
				if (target === undefined) continue;
				hosts.push(target.host);
				backendPorts.push(target.port);
			}
		}
		const resolved = this.stable(hosts.length === 0 ? {} : (await this.resolver.resolve(hosts)).resolved);
		// /proc last: the table then matches the freshest backend list.
		const proc = await this.proc.readWithPorts({backends: backendPorts, entryPoints: this.apiPorts.entryPoints});
		return {
			collectedAt: Date.now(),
			proc,
			resolved,
			...(api === undefined ? {} : {api}),
			...(metrics === undefined ? {} : {metrics}),
		};
	}
}
