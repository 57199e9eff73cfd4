/**
 * The store: eats one harvest per tick and keeps what must survive between ticks (connection
 * ages, counters, history, alerts). snapshot.ts turns its state into the document every view
 * draws. Pure: times come with the harvest.
 */
import type {ApiHarvest, BackendServer, Harvest, LinkState, MetricsReading, ProcHarvest, UnwatchedServer} from '../domain/harvest.js';
import type {AlertLevel, RuleName} from '../domain/rules.js';
import {isError} from '../domain/harvest.js';
import type {ServiceServer, Snapshot} from '../domain/snapshot.js';
import type {IpAddress} from '../domain/tcp.js';
import {AlertBook} from './alerts.js';
import {buildBackendIndex, EMPTY_INDEX, sameAddresses, type BackendIndex} from './backends.js';
import {ConnectionTracker, classifySockets, connectionStats, entryPointPorts} from './connections.js';
import {Ring} from './ring.js';
import type {RulesConfig} from './rules/config.js';
import type {BackendFigures, ServiceFigures} from './rules/family.js';
import {judge, rulesReading} from './rules/index.js';
import {buildServiceRows, serviceMatches, serversByService} from './services.js';
import {buildSnapshot, type EntryPointFigures, type MonitorState} from './snapshot.js';
import {RequestsModel} from './requests.js';
import {SourceBook, type SourceName} from './sources.js';
import {TrafficModel} from './traffic.js';

/** What the monitor needs to know of the user's settings. */
export interface MonitorConfig {
	readonly rules: RulesConfig;
	readonly intervalSeconds: number;
	readonly retentionSeconds: number;
	readonly host: string;
	readonly filter: {readonly service: string | null; readonly entrypoint: string | null};
	/** Servers named with --backend. */
	readonly flagServers: readonly BackendServer[];
	/** Services tracked at most (the busiest and newest), and backend addresses watched at most. */
	readonly maxServices?: number;
	readonly maxBackends?: number;
	/** With --demo: what runs, real Traefik or the stand-in. */
	readonly demo?: string;
}

/** Servers Traefik reports through traefik_service_server_up that the API did not list, and those it cannot be watched at. */
function metricsServers(
	reading: MetricsReading | null,
	known: readonly {service: string; url: string}[],
): {servers: BackendServer[]; unwatched: UnwatchedServer[]} {
	const servers: BackendServer[] = [];
	const unwatched: UnwatchedServer[] = [];
	if (reading === null) return {servers, unwatched};
	const seen = new Set(known.map((s) => `${s.service} ${s.url}`));
	for (const {service, url, up, target} of reading.serverUp) {
		if (seen.has(`${service} ${url}`)) continue;
		const status = up ? 'UP' : 'DOWN';
		if ('error' in target) unwatched.push({service, url, status, reason: target.error});
		else servers.push({service, url, host: target.host, port: target.port, status, origin: 'metrics'});
	}
	return {servers, unwatched};
}

/** What the source notes say of servers that cannot be watched (three named, the rest counted). */
function unwatchedNotes(unwatched: readonly {url: string; reason: string}[]): string[] {
	const named = unwatched.slice(0, 3).map((s) => `cannot watch ${s.url}: ${s.reason}`);
	return unwatched.length > 3 ? [...named, `and ${unwatched.length - 3} more servers that cannot be watched`] : named;
}

/** The same servers with the same statuses, in the same order (the backend index then stays). */
function sameServerUp(a: MetricsReading['serverUp'], b: MetricsReading['serverUp']): boolean {
	if (a.length !== b.length) return false;
	for (let i = 0; i < a.length; i++) if (a[i]!.url !== b[i]!.url || a[i]!.service !== b[i]!.service || a[i]!.up !== b[i]!.up) return false;
	return true;
}

/** The monitor's state between ticks. */
export class Monitor implements MonitorState {
	readonly tracker = new ConnectionTracker();
	readonly alerts = new AlertBook();
	readonly sources = new SourceBook();
	/** Traefik's access log: the last requests, and per server a minute of figures. */
	readonly requests = new RequestsModel();
	private malformedLines = 0;
	readonly traffic: TrafficModel;
	readonly establishedHistory: Ring<number>;
	api: ApiHarvest | null = null;
	proc: ProcHarvest | null = null;
	link: LinkState | null = null;
	metrics: MetricsReading | null = null;
	/** Router -> the service it sends to (router metrics). */
	routerServices: ReadonlyMap<string, string> = new Map();
	resolveErrors: Readonly<Record<string, string>> = {};
	index: BackendIndex = EMPTY_INDEX;
	/** Servers with no TCP address to watch (unix://, a bad port). */
	unwatched: readonly UnwatchedServer[] = [];
	/** Servers not watched because there are more than --max-backends. */
	unwatchedByLimit = 0;
	backendRows: Snapshot['backends'] = [];
	entryRows: EntryPointFigures[] = [];
	serviceRows: Snapshot['services'] = [];
	totalsLevels: Snapshot['totals']['levels'] = {};
	other = 0;
	restartedAt: number | undefined;
	lastAt = 0;
	cadenceSeconds: number | null = null;
	intervalSeconds: number;
	focus: string | null;
	private resolved: Readonly<Record<string, readonly IpAddress[]>> = {};
	private serversOf: ReadonlyMap<string, readonly ServiceServer[]> = new Map();
	/** What the backend index was built from: it is rebuilt only when one of them changes. */
	private indexInputs: {api: ApiHarvest | null; resolved: Readonly<Record<string, readonly IpAddress[]>>; serverUp: MetricsReading['serverUp']} | null = null;
	private readonly heldBy: Record<'proc' | 'metrics', ReadonlySet<RuleName>> = {proc: rulesReading('proc'), metrics: rulesReading('metrics')};

	constructor(readonly config: MonitorConfig) {
		const length = Math.max(1, Math.round(config.retentionSeconds / config.intervalSeconds));
		this.establishedHistory = new Ring(length);
		this.traffic = new TrafficModel({historyLength: length, recentMs: config.rules.latency_p95.windowSeconds * 1000, maxTracked: config.maxServices});
		this.intervalSeconds = config.intervalSeconds;
		this.focus = config.filter.service;
		this.traffic.focus = this.focus;
	}

	/** Marks a source as switched off by the user (it then raises no alert). */
	private ingestAccessLog(now: number, section: NonNullable<Harvest['accessLog']>): void {
		if (isError(section)) {
			this.sources.fail('accessLog', section.error);
			return;
		}
		// The common format names the router, not the service: the API's routers say which.
		const records = section.records.map((r) =>
			r.service === null && r.router !== null && this.routerServices.has(r.router) ? {...r, service: this.routerServices.get(r.router)!} : r,
		);
		this.requests.ingest(records, now);
		this.malformedLines += section.malformed;
		// Notes are what the screen must say (they take the sources line): what was not read, and what the file did.
		const notes = [...(this.malformedLines > 0 ? [`${this.malformedLines.toLocaleString('en-US')} lines not read as requests`] : []), ...section.notes];
		this.sources.succeed('accessLog', now, notes);
	}

	disableSource(name: SourceName): void {
		this.sources.disable(name);
	}

	/** No kernel view (a target on another host): backends come from the API and /metrics, with no TCP states. */
	private get procOff(): boolean {
		return this.sources.off('proc');
	}

	/** The poll interval, when the user changes it. */
	setInterval(seconds: number): void {
		this.intervalSeconds = seconds;
	}

	/** Pins a service (or null): the snapshot then shows it alone, with its bucket history. */
	setFocus(service: string | null): void {
		this.focus = service;
		this.traffic.focus = service === null ? null : (this.serviceRows.find((r) => serviceMatches(r.name, service))?.name ?? service);
	}

	/** Takes one tick's harvest. */
	ingest(harvest: Harvest): void {
		const now = harvest.collectedAt;
		this.cadenceSeconds = this.lastAt === 0 ? null : Math.max(0, (now - this.lastAt) / 1000);
		this.lastAt = now;
		this.resolved = harvest.resolved;
		this.link = harvest.link ?? null;
		this.resolveErrors = harvest.resolveErrors;
		if (harvest.api !== undefined && !harvest.history) {
			if (isError(harvest.api)) this.sources.fail('api', harvest.api.error);
			else {
				this.api = harvest.api;
				const via = `services from /api/${harvest.api.via === 'rawdata' ? 'rawdata' : 'http/services'}`;
				this.sources.succeed('api', now, [via, ...Object.values(harvest.resolveErrors), ...unwatchedNotes(harvest.api.unwatched)]);
			}
		}
		if (harvest.metrics !== undefined) this.ingestMetrics(now, harvest.metrics);
		if (harvest.accessLog !== undefined) this.ingestAccessLog(now, harvest.accessLog);
		this.rebuildIndex();
		let backends: BackendFigures[] | null = null;
		if (harvest.history) {
			this.establishedHistory.push(null);
		} else if (this.procOff) {
			backends = this.addressOnly(now);
			this.establishedHistory.push(null);
		} else if (isError(harvest.proc)) {
			this.sources.fail('proc', harvest.proc.error);
			this.establishedHistory.push(null);
		} else {
			backends = this.ingestProc(now, harvest.proc);
		}
		const services = buildServiceRows({
			traffic: this.traffic,
			at: now,
			servers: this.serversOf,
			backends: backends ?? this.backendRows,
			parents: this.api?.parents ?? {},
			routerServices: this.routerServices,
		});
		this.evaluate(now, backends, services);
	}

	private ingestMetrics(now: number, section: NonNullable<Harvest['metrics']>): void {
		if (isError(section)) {
			this.sources.fail('metrics', section.error);
			this.traffic.gap();
			return;
		}
		// What is kept of a reading between polls: its gauges, not its (maybe 100,000) counter groups.
		this.metrics = {...section, services: new Map(), entrypoints: new Map(), routers: new Map()};
		const routerServices = new Map<string, string>();
		for (const [name, group] of section.routers) if (group.service !== undefined) routerServices.set(name, group.service);
		this.routerServices = routerServices;
		const notes: string[] = [];
		const {report} = section;
		notes.push(...(section.notes ?? []));
		if (report.malformed > 0) notes.push(`${report.malformed} malformed line(s) skipped: ${report.errors[0] ?? ''}`);
		for (const [entrypoint, value] of section.openConnections) {
			if (value < 0) notes.push(`traefik_open_connections is ${value} for ${entrypoint} (Traefik 3.0 drift bug, traefik#10733): shown as 0`);
		}
		notes.push(...unwatchedNotes(section.serverUp.flatMap((s) => ('error' in s.target ? [{url: s.url, reason: s.target.error}] : []))));
		if (section.generation === 'unknown' && section.services.size === 0 && section.entrypoints.size === 0) {
			notes.push("no traefik_* request families yet (no request served, or not Traefik's /metrics)");
		}
		const restarted = this.traffic.ingest(now, section);
		for (const [kind, t] of [
			['services', this.traffic.tracking.services],
			['routers', this.traffic.tracking.routers],
		] as const) {
			if (t.untracked === 0) continue;
			const over = `${t.untracked.toLocaleString('en-US')} ${kind} not tracked: over the limit of ${t.limit.toLocaleString('en-US')}`;
			notes.push(`${over} (--max-services); the busiest and newest are`);
		}
		this.sources.succeed('metrics', now, notes);
		if (restarted) this.markRestart(now);
	}

	private markRestart(now: number): void {
		this.restartedAt = now;
		this.tracker.clear();
	}

	/** Rebuilds the backend index only when the API, the addresses or server_up changed. */
	private rebuildIndex(): void {
		const serverUp = this.metrics?.serverUp ?? [];
		const inputs = this.indexInputs;
		if (inputs !== null && inputs.api === this.api && sameAddresses(inputs.resolved, this.resolved) && sameServerUp(inputs.serverUp, serverUp)) return;
		this.indexInputs = {api: this.api, resolved: this.resolved, serverUp};
		// server_up 0 wins over the API's UP: Traefik's passive health check changes only the metric.
		const down = new Set(serverUp.filter((s) => !s.up).map((s) => `${s.service} ${s.url}`));
		const known = [...(this.api?.servers ?? []), ...this.config.flagServers].map((s) =>
			s.status !== 'DOWN' && down.has(`${s.service} ${s.url}`) ? {...s, status: 'DOWN' as const, downBy: 'server_up' as const} : s,
		);
		const fromMetrics = metricsServers(this.metrics, [...known, ...(this.api?.unwatched ?? [])]);
		const used = new Set((this.api?.routers ?? []).filter((r) => r.status !== 'disabled').flatMap((r) => r.loadBalancers));
		// Past the limit, the servers of services a router reaches come first.
		const all = [...known, ...fromMetrics.servers];
		const limit = this.config.maxBackends ?? Number.POSITIVE_INFINITY;
		const servers = all.length <= limit ? all : [...all].sort((a, b) => Number(used.has(b.service)) - Number(used.has(a.service))).slice(0, limit);
		this.unwatchedByLimit = all.length - servers.length;
		this.unwatched = [...(this.api?.unwatched ?? []), ...fromMetrics.unwatched];
		this.index = buildBackendIndex(servers, this.resolved, used);
		this.serversOf = serversByService(servers, this.resolved, this.unwatched);
	}

	private ingestProc(now: number, proc: ProcHarvest): BackendFigures[] {
		const previous = this.proc;
		if (previous !== null && (previous.pid !== proc.pid || previous.process?.startTicks !== proc.process?.startTicks)) this.markRestart(now);
		// The sockets are not kept past this poll: they die young instead of being copied by a scavenge.
		this.proc = {...proc, sockets: [], quiet: undefined, ownedInodes: null};
		const notes: string[] = [];
		if (proc.pid === null)
			notes.push(`no Traefik process found${proc.host === undefined ? '' : ` on ${proc.host}`}: reading the host table, matching by address`);
		if (proc.ownershipError) notes.push(proc.ownershipError);
		if (proc.malformed > 0) notes.push(`${proc.malformed} malformed row(s) skipped`);
		if (proc.netlink) {
			const {ports, tableRows, fullEvery} = proc.netlink;
			notes.push(
				`sockets from a netlink query (ss) for Traefik's ${ports} ports: ` +
					`they are a small part of the ${tableRows}-row table, read in full every ${fullEvery} polls`,
			);
		}
		notes.push(...proc.warnings.filter((w) => !w.includes('tcp6')));
		if (this.unwatchedByLimit > 0)
			notes.push(`${this.unwatchedByLimit.toLocaleString('en-US')} servers not watched: over the limit of ${this.config.maxBackends} (--max-backends)`);
		this.sources.succeed('proc', now, notes);

		const ports = entryPointPorts(proc.sockets, proc.ownedInodes, this.api?.entryPoints ?? []);
		const classified = classifySockets(proc.sockets, proc.ownedInodes, this.index, ports, proc.quiet);
		this.tracker.begin();
		const backends = this.rowsOfTargets((key) => connectionStats(now, classified.backends.get(key) ?? [], this.tracker, classified.quietBackends.get(key)));
		this.entryRows = [...ports].map(([port, name]) => {
			const stats = connectionStats(now, classified.inbound.get(name) ?? [], this.tracker, classified.quietInbound.get(name));
			return {name, port, states: stats.states, total: stats.total};
		});
		this.tracker.sweep();
		this.other = classified.other;
		this.establishedHistory.push(backends.reduce((sum, r) => sum + r.states.ESTABLISHED, 0));
		return backends;
	}

	/** A row per watched address: Traefik's name and status for it, and its connections as `stats` gives them. */
	private rowsOfTargets(stats: (key: number | string) => ReturnType<typeof connectionStats>): BackendFigures[] {
		return [...this.index.targets.values()].map((target) => ({
			service: target.services[0] ?? '',
			services: target.services,
			address: target.address,
			urls: target.urls,
			...(target.hostname === undefined ? {} : {hostname: target.hostname}),
			status: target.status,
			statusStale: target.origins.some((origin) => origin !== 'flag' && !this.sources.ok(origin)),
			...stats(target.key),
			levels: {},
			alertLevel: undefined,
		}));
	}

	/** Without a kernel view: each server Traefik names, with its status and no connections. */
	private addressOnly(now: number): BackendFigures[] {
		this.tracker.begin();
		const rows = this.rowsOfTargets(() => connectionStats(now, [], this.tracker, undefined));
		this.tracker.sweep();
		return rows;
	}

	/** Judges the rows with every rule; `backends` is null when /proc failed this poll (the last rows stay). */
	private evaluate(now: number, polled: readonly BackendFigures[] | null, services: readonly ServiceFigures[]): void {
		const metricsOk = this.sources.ok('metrics');
		// Each backend with its server's minute from the access log (by its URLs, else its address).
		const backends = polled === null || this.requests.total === 0 ? polled : polled.map((row) => this.withRequests(row, now));
		const byService = new Map<string, BackendFigures[]>();
		for (const b of backends ?? []) {
			for (const s of b.services) {
				const list = byService.get(s);
				if (list === undefined) byService.set(s, [b]);
				else list.push(b);
			}
		}
		const spansOf = (service: string) => {
			const series = this.traffic.services.get(service);
			return {minute: series?.minute ?? null, recent: series?.recent ?? null};
		};
		const judged = judge(
			{
				backends: backends ?? [],
				services,
				totals: {minute: this.traffic.total.minute, recent: this.traffic.total.recent},
				judge: {proc: backends !== null && !this.procOff, metrics: metricsOk},
			},
			{
				rules: this.config.rules,
				now,
				ephemeralPorts: this.proc?.ephemeralPorts ?? [32768, 60999],
				serviceRate: (service) => this.traffic.services.get(service)?.interval?.requestsPerSecond,
				spans: spansOf,
				certificates: metricsOk ? (this.metrics?.certificates ?? []) : [],
				failingSources: this.sources.failing(),
				backendsOf: (service) => byService.get(service) ?? [],
			},
		);
		if (backends !== null) this.backendRows = judged.backends;
		this.serviceRows = judged.services;
		this.totalsLevels = judged.totals;
		const held = new Set<RuleName>();
		if (backends === null) for (const r of this.heldBy.proc) held.add(r);
		if (!metricsOk) for (const r of this.heldBy.metrics) held.add(r);
		this.alerts.update(now, judged.breaches, held);
		this.markRows();
	}

	private withRequests(row: BackendFigures, now: number): BackendFigures {
		for (const key of [...row.urls, row.address]) {
			const stats = this.requests.stats(key, now);
			if (stats !== null) return {...row, requests: stats};
		}
		return row;
	}

	/** Each row's mark: the worst active alert about it (by its address, its service, or its name). */
	private markRows(): void {
		const bySubject = new Map<string, AlertLevel>();
		for (const a of this.alerts.active()) {
			for (const subject of [a.subject, a.service]) if (subject !== undefined && bySubject.get(subject) !== 'crit') bySubject.set(subject, a.level);
		}
		for (const row of this.backendRows as unknown as {address: string; alertLevel?: AlertLevel}[]) row.alertLevel = bySubject.get(row.address);
		for (const row of this.serviceRows as unknown as {name: string; alertLevel?: AlertLevel}[]) row.alertLevel = bySubject.get(row.name);
	}

	/** The snapshot of the latest tick, filtered by the pinned service and entry point; `history: false` leaves the series empty. */
	snapshot(options: {history?: boolean} = {}): Snapshot {
		return buildSnapshot(this, this.lastAt, options.history ?? true);
	}
}
