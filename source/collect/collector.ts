/** One harvest per tick: /proc and /metrics every tick, the API every few ticks, host names resolved with a cache. */
import type {AccessLogHarvest, ApiHarvest, BackendServer, Harvest, MetricsReading, Section} from '../domain/harvest.js';
import {isError} from '../domain/harvest.js';
import {redactUrl} from '../domain/server-url.js';
import {fetchApi} from './api.js';
import type {HttpOptions} from './http.js';
import {fetchMetrics} from './metrics.js';
import {ProcReader} from './proc.js';
import {AccessLogFollower} from './access-log.js';
import {HostResolver} from './resolver.js';
import {RemoteProcReader} from './remote-proc.js';
import {SshLink, type SshSettings} from './ssh.js';
import type {SshDestination} from '../domain/fleet.js';

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
	/** The metrics from elsewhere than a scrape of metricsUrl (Prometheus' series of this instance). */
	readonly metricsFrom?: () => Promise<Section<MetricsReading>>;
	/** A Traefik on another host, reached over SSH: its /proc is read there, its URLs (and the PID) mean what they mean there. */
	readonly ssh?: {readonly destination: SshDestination; readonly settings: SshSettings; readonly label?: string};
}

/** The host and port a URL connects to. */
function endpoint(url: string): {host: string; port: number} {
	const u = new URL(url);
	return {host: u.hostname.replace(/^\[|\]$/g, ''), port: Number(u.port || (u.protocol === 'https:' ? 443 : 80))};
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
	/** With an SSH target: the connection, and the reader of the remote's /proc. */
	private readonly link: SshLink | null = null;
	private readonly remoteProc: RemoteProcReader | null = null;

	constructor(private readonly options: CollectorOptions) {
		this.proc = new ProcReader({procRoot: options.procRoot, pid: options.pid, pidFile: options.pidFile, listenPort: options.listenPort});
		if (options.ssh !== undefined) {
			const urls = [options.metricsUrl, options.apiUrl].filter((u): u is string => u !== null);
			this.link = new SshLink(options.ssh.destination, options.ssh.settings, urls.map(endpoint), options.ssh.label);
			this.remoteProc = new RemoteProcReader(this.link, {
				...(options.pid === undefined ? {} : {pid: options.pid}),
				...(options.listenPort === undefined ? {} : {listenPort: options.listenPort}),
				timeoutMs: options.http.timeoutMs,
				sudo: options.ssh.settings.sudo,
			});
		}
		this.accessLog = options.accessLog ? new AccessLogFollower(options.accessLog.path, {fromStart: options.accessLog.fromStart}) : null;
	}

	collect(): Promise<Harvest> {
		this.running ??= this.collectOnce().finally(() => {
			this.running = null;
		});
		return this.running;
	}

	/** Ends what the collector runs (an SSH connection). */
	close(): void {
		this.link?.close();
	}

	/** How to GET `url`: straight, or through the SSH link's forward (an error when the link is down). */
	private through(url: string): HttpOptions | {error: string} {
		const link = this.link;
		if (link === null) return this.options.http;
		if (!link.connected) return {error: link.downText()};
		const {host, port} = endpoint(url);
		const socketPath = link.socketFor(host, port);
		return socketPath === undefined ? {error: `${url}: not forwarded over ssh`} : {...this.options.http, socketPath, onBytes: (n) => link.addBytes(n)};
	}

	private async fetchMetrics(url: string): Promise<Section<MetricsReading>> {
		const http = this.through(url);
		return 'error' in http ? http : this.overSsh(url, await fetchMetrics(url, http));
	}

	private async fetchApi(url: string): Promise<Section<ApiHarvest>> {
		const http = this.through(url);
		return 'error' in http ? http : this.overSsh(url, await fetchApi(url, http, this.options.compare));
	}

	/** A failed request through the tunnel: what ssh said of it, when the remote could not connect to Traefik's port. */
	private overSsh<T extends object>(url: string, section: Section<T>): Section<T> {
		if (this.link === null || !isError(section)) return section;
		const said = this.link.lastChannelError;
		if (said === null) return section;
		const {host, port} = endpoint(url);
		return {error: `${redactUrl(url)}: ${this.link.link.host} could not connect to ${host}:${port} (ssh: ${said})`};
	}

	/** The ports whose rows matter: every server's (API, flags, server_up) and the entry points'. */
	private queryPorts(): {backends: number[]; entryPoints: number[]} {
		const backends = [...(this.api?.servers ?? []), ...this.options.flagServers].map((s) => s.port);
		for (const {target} of this.serverUp) if (!('error' in target)) backends.push(target.port);
		return {backends, entryPoints: (this.api?.entryPoints ?? []).map((e) => e.port)};
	}

	/** Asks the API again at the next tick (Traefik restarted: its configuration may have changed). */
	refreshApi(): void {
		this.lastApiAt = Number.NEGATIVE_INFINITY;
	}

	private async collectOnce(): Promise<Harvest> {
		const started = Date.now();
		let api: Section<ApiHarvest> | undefined;
		let metrics: Section<MetricsReading> | undefined;
		const {apiUrl, metricsUrl, flagServers} = this.options;
		// A link being made is waited for within the poll's timeout; one being retried later is not.
		if (this.link !== null && !this.link.connected) await this.link.connect(this.options.http.timeoutMs);
		this.link?.beginPoll();
		const apiDue = apiUrl !== null && started - this.lastApiAt >= this.options.apiIntervalMs;
		if (apiDue) this.lastApiAt = started;
		// Over SSH the remote's tables are read beside the scrapes (one round trip, not three), with the last API's ports.
		const remote = this.remoteProc?.read(this.queryPorts());
		await Promise.all([
			this.options.metricsFrom !== undefined
				? this.options.metricsFrom().then((r) => (metrics = r))
				: metricsUrl === null
					? undefined
					: this.fetchMetrics(metricsUrl).then((r) => (metrics = r)),
			apiDue ? this.fetchApi(apiUrl).then((r) => (api = r)) : undefined,
		]);
		if (api !== undefined && !isError(api)) this.api = api;
		// Every server's host (answers are cached), and the ports a filtered netlink query asks for.
		if (metrics !== undefined && !isError(metrics)) this.serverUp = metrics.serverUp;
		const hosts = [...(this.api?.servers ?? []), ...flagServers].map((s) => s.host);
		for (const {target} of this.serverUp) if (!('error' in target)) hosts.push(target.host);
		const {resolved, errors} = hosts.length === 0 ? {resolved: {}, errors: {}} : await this.resolver.resolve(hosts);
		// /proc last: the table then matches the freshest backend list.
		const proc =
			remote !== undefined
				? await remote
				: this.options.kernel === false
					? {error: 'no kernel view: this Traefik is on another host'}
					: await this.proc.readWithPorts(this.queryPorts());
		// A new Traefik process may run a new configuration: ask its API now, not in ten seconds.
		const pid = isError(proc) ? this.lastPid : proc.pid;
		if (pid !== this.lastPid && this.lastPid !== null && pid !== null && api === undefined && apiUrl !== null) {
			this.lastApiAt = Date.now();
			api = await this.fetchApi(apiUrl);
			if (!isError(api)) this.api = api;
		}
		this.lastPid = pid;
		const accessLog = this.accessLog === null ? undefined : readAccessLog(this.accessLog);
		this.link?.endPoll();
		return {
			...(accessLog === undefined ? {} : {accessLog}),
			...(this.link === null ? {} : {link: this.link.link}),
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
