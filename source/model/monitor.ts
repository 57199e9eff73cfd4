/**
 * The store: eats one harvest per tick, keeps what must survive between ticks (connection ages,
 * counters, history, alerts) and builds the snapshot every view draws. Pure: `now` comes in.
 */
import {serverUrlTarget} from '../collect/api-parse.js';
import type {MetricsReading} from '../collect/traefik-metrics-parse.js';
import {isError, type ApiHarvest, type BackendServer, type Harvest, type IpAddress, type ProcHarvest} from '../collect/types.js';
import {AlertBook, type Breach} from './alerts.js';
import {buildBackendIndex, EMPTY_INDEX, type BackendIndex} from './backends.js';
import {ConnectionTracker, classifySockets, connectionStats, emptyStates, entryPointPorts} from './connections.js';
import {evaluateCertificates, evaluateServiceRules} from './metrics-rules.js';
import {Ring} from './ring.js';
import type {RulesConfig} from './rules-config.js';
import {buildServiceRows, serviceMatches} from './services.js';
import {SNAPSHOT_SCHEMA, type BackendRow, type EntryPointRow, type ServiceRow, type Snapshot} from './snapshot-types.js';
import {iso, SourceBook, toSnapshotAlert} from './sources.js';
import {evaluateTcpRules} from './tcp-rules.js';
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
}

const toArray = (ring: Ring<number> | undefined): (number | null)[] => ring?.toArray() ?? [];

/** Servers Traefik reports through traefik_service_server_up that the API did not list. */
function metricsServers(reading: MetricsReading | null, known: readonly BackendServer[]): BackendServer[] {
	if (reading === null) return [];
	const seen = new Set(known.map((s) => `${s.service} ${s.url}`));
	const out: BackendServer[] = [];
	for (const s of reading.serverUp) {
		const target = serverUrlTarget(s.url);
		if (target === undefined || seen.has(`${s.service} ${s.url}`)) continue;
		out.push({service: s.service, url: s.url, host: target.host, port: target.port, status: s.up ? 'UP' : 'DOWN', origin: 'metrics'});
	}
	return out;
}

/** The monitor's state between ticks. */
export class Monitor {
	private readonly tracker = new ConnectionTracker();
	private readonly alerts = new AlertBook();
	private readonly sources = new SourceBook();
	private readonly traffic: TrafficModel;
	private api: ApiHarvest | null = null;
	private proc: ProcHarvest | null = null;
	private metrics: MetricsReading | null = null;
	private resolved: Readonly<Record<string, readonly IpAddress[]>> = {};
	private index: BackendIndex = EMPTY_INDEX;
	private servers: BackendServer[] = [];
	private backendRows: BackendRow[] = [];
	private entryRows: EntryPointRow[] = [];
	private serviceRows: ServiceRow[] = [];
	private other = 0;
	private readonly establishedHistory: Ring<number>;
	private restartedAt: number | undefined;
	private lastAt = 0;
	private intervalSeconds: number;
	private focus: string | null;

	constructor(private readonly config: MonitorConfig) {
		const length = Math.max(1, Math.round(config.retentionSeconds / config.intervalSeconds));
		this.establishedHistory = new Ring(length);
		this.traffic = new TrafficModel(length, 60_000, 60_000, config.rules.latency_p95.windowSeconds * 1000);
		this.intervalSeconds = config.intervalSeconds;
		this.focus = config.filter.service;
		this.traffic.focus = this.focus;
	}

	/** Marks a source as switched off by the user (it then raises no alert). */
	disableSource(name: 'metrics' | 'api'): void {
		this.sources.disable(name);
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
		this.lastAt = now;
		this.resolved = harvest.resolved;
		if (harvest.api !== undefined) {
			if (isError(harvest.api)) this.sources.fail('api', harvest.api.error);
			else {
				this.api = harvest.api;
				this.sources.succeed('api', now, [
					`services from /api/${harvest.api.via === 'rawdata' ? 'rawdata' : 'http/services'}`,
					...Object.values(harvest.api.resolveErrors),
				]);
			}
		}
		if (harvest.metrics !== undefined) this.ingestMetrics(now, harvest.metrics);
		this.rebuildIndex();
		if (isError(harvest.proc)) {
			this.sources.fail('proc', harvest.proc.error);
			this.establishedHistory.push(null);
		} else {
			this.ingestProc(now, harvest.proc);
		}
		this.serviceRows = buildServiceRows({
			traffic: this.traffic,
			at: now,
			servers: this.servers,
			resolved: {...this.resolved, ...(this.api?.resolved ?? {})},
			backends: this.backendRows,
			parents: this.api?.parents ?? {},
		});
		this.evaluate(now);
	}

	private ingestMetrics(now: number, section: NonNullable<Harvest['metrics']>): void {
		if (isError(section)) {
			this.sources.fail('metrics', section.error);
			this.traffic.gap();
			return;
		}
		this.metrics = section;
		const notes: string[] = [];
		const {report} = section;
		if (report.malformed > 0) notes.push(`${report.malformed} malformed line(s) skipped: ${report.errors[0] ?? ''}`);
		for (const [entrypoint, value] of section.openConnections) {
			if (value < 0) notes.push(`traefik_open_connections is ${value} for ${entrypoint} (Traefik 3.0 drift bug, traefik#10733): shown as 0`);
		}
		if (section.generation === 'unknown' && section.services.size === 0 && section.entrypoints.size === 0)
			notes.push("no traefik_* request families yet (no request served, or not Traefik's /metrics)");
		this.sources.succeed('metrics', now, notes);
		if (this.traffic.ingest(now, section)) this.markRestart(now);
	}

	private markRestart(now: number): void {
		this.restartedAt = now;
		this.tracker.clear();
	}

	private indexInputs: {api: ApiHarvest | null; resolved: unknown; serverUp: string} | null = null;

	/** Rebuilds the backend index only when the API, the addresses or server_up changed. */
	private rebuildIndex(): void {
		const serverUp = (this.metrics?.serverUp ?? []).map((s) => `${s.service} ${s.url} ${s.up}`).join('\n');
		const inputs = this.indexInputs;
		if (inputs !== null && inputs.api === this.api && inputs.resolved === this.resolved && inputs.serverUp === serverUp) return;
		this.indexInputs = {api: this.api, resolved: this.resolved, serverUp};
		const known = [...(this.api?.servers ?? []), ...this.config.flagServers];
		this.servers = [...known, ...metricsServers(this.metrics, known)];
		const resolved = {...this.resolved, ...(this.api?.resolved ?? {})};
		const used = new Set((this.api?.routers ?? []).filter((r) => r.status !== 'disabled').flatMap((r) => r.loadBalancers));
		this.index = buildBackendIndex(this.servers, resolved, used);
	}

	private ingestProc(now: number, proc: ProcHarvest): void {
		const previous = this.proc;
		if (previous !== null && (previous.pid !== proc.pid || previous.process?.startTicks !== proc.process?.startTicks)) this.markRestart(now);
		// The sockets are not kept past this poll: they die young instead of being copied by a scavenge.
		this.proc = {...proc, sockets: [], quiet: undefined, ownedInodes: null};
		const notes: string[] = [];
		if (proc.pid === null) notes.push('no Traefik process found: reading the host table, matching by address');
		if (proc.ownershipError) notes.push(proc.ownershipError);
		if (proc.malformed > 0) notes.push(`${proc.malformed} malformed row(s) skipped`);
		if (proc.netlink)
			notes.push(
				`sockets from a netlink query (ss) for Traefik's ${proc.netlink.ports} ports: they are a small part of the ${proc.netlink.tableRows}-row table, read in full every ${proc.netlink.fullEvery} polls`,
			);
		notes.push(...proc.warnings.filter((w) => !w.includes('tcp6')));
		this.sources.succeed('proc', now, notes);

		const ports = entryPointPorts(proc.sockets, proc.ownedInodes, this.api?.entryPoints ?? []);
		const classified = classifySockets(proc.sockets, proc.ownedInodes, this.index, ports, proc.quiet);
		this.tracker.begin();
		this.backendRows = [...this.index.targets.values()].map((target) => ({
			service: target.services[0] ?? '',
			services: target.services,
			address: target.address,
			urls: target.urls,
			...(target.hostname === undefined ? {} : {hostname: target.hostname}),
			status: target.status,
			...connectionStats(now, classified.backends.get(target.key) ?? [], this.tracker, classified.quietBackends.get(target.key)),
		}));
		this.entryRows = [...ports].map(([port, name]) => {
			const stats = connectionStats(now, classified.inbound.get(name) ?? [], this.tracker, classified.quietInbound.get(name));
			const open = this.metrics?.openConnections.get(name);
			return {name, port, states: stats.states, total: stats.total, ...(open === undefined ? {} : {openConnections: Math.max(0, open)})};
		});
		this.tracker.sweep();
		this.other = classified.other;
		this.establishedHistory.push(this.backendRows.reduce((sum, r) => sum + r.states.ESTABLISHED, 0));
	}

	private evaluate(now: number): void {
		const breaches: Breach[] = [];
		const rules = this.config.rules;
		const rateOf = (service: string): number | null | undefined => this.traffic.services.get(service)?.interval?.requestsPerSecond;
		if (this.proc !== null && this.sources.ok('proc')) {
			breaches.push(...evaluateTcpRules(this.backendRows, {rules, ephemeralPorts: this.proc.ephemeralPorts, serviceRate: rateOf}));
		}
		if (this.sources.ok('metrics')) {
			breaches.push(
				...evaluateServiceRules(this.serviceRows, rules, (s) => ({
					minute: this.traffic.services.get(s)?.minute ?? null,
					recent: this.traffic.services.get(s)?.recent ?? null,
				})),
			);
			breaches.push(...evaluateCertificates(this.metrics?.certificates ?? [], rules, now));
		}
		if (rules.server_down.enabled) {
			for (const row of this.serviceRows) {
				for (const server of row.servers) {
					if (server.status === 'DOWN')
						breaches.push({rule: 'server_down', level: 'crit', subject: server.address ?? server.url, service: row.name, value: 'DOWN', threshold: 'UP'});
				}
			}
		}
		if (rules.source_failed.enabled) breaches.push(...this.sources.breaches(rules.source_failed.polls));
		this.alerts.update(now, breaches);
	}

	/** Entry points seen in the kernel (by port), plus those only /metrics knows (port unknown). */
	private entryPointRows(now: number): EntryPointRow[] {
		const known = new Set(this.entryRows.map((e) => e.name));
		const extra: EntryPointRow[] = [];
		for (const [name, series] of this.traffic.entrypoints) {
			if (known.has(name) || series.lastSeen !== now) continue;
			const open = this.metrics?.openConnections.get(name);
			extra.push({name, port: null, states: emptyStates(), total: 0, ...(open === undefined ? {} : {openConnections: Math.max(0, open)})});
		}
		return [...this.entryRows, ...extra.sort((a, b) => a.name.localeCompare(b.name))];
	}

	/** The snapshot of the latest tick, filtered by the pinned service and entry point. */
	snapshot(): Snapshot {
		const now = this.lastAt || Date.now();
		const wanted = this.focus;
		const entrypoint = this.config.filter.entrypoint;
		const pick = <T extends {services: readonly string[]}>(rows: readonly T[]): readonly T[] =>
			wanted === null ? rows : rows.filter((r) => r.services.some((s) => serviceMatches(s, wanted)));
		const services = wanted === null ? this.serviceRows : this.serviceRows.filter((r) => serviceMatches(r.name, wanted));
		const pinned = wanted === null ? undefined : services[0]?.name;
		const series = pinned === undefined ? this.traffic.total : this.traffic.services.get(pinned);
		const m = this.metrics;
		const process = this.proc?.process ?? null;
		const startedAt =
			m?.processStartTime != null ? m.processStartTime * 1000 : this.api?.startDate ? Date.parse(this.api.startDate) : (process?.startedAt ?? null);
		const open = m === null || m.openConnections.size === 0 ? null : [...m.openConnections.values()].reduce((a, b) => a + Math.max(0, b), 0);
		const bounds = series?.bounds.map((b) => (b === Number.POSITIVE_INFINITY ? '+Inf' : String(b))) ?? [];
		const bucketRows = series?.bucketShares?.toArray() ?? [];
		return {
			schema: SNAPSHOT_SCHEMA,
			takenAt: iso(now),
			host: this.config.host,
			intervalSeconds: this.intervalSeconds,
			filter: {service: wanted, entrypoint},
			traefik: {
				pid: this.proc?.pid ?? null,
				version: this.api?.version ?? (m && m.generation !== 'unknown' ? m.generation : null),
				uptimeSeconds: startedAt === null || Number.isNaN(startedAt) ? null : Math.max(0, Math.round((now - startedAt) / 1000)),
				cpuRatio: this.traffic.cpuRatio,
				rssBytes: m?.processRssBytes ?? process?.rssBytes ?? null,
				openConnections: open,
				configReloadAgeSeconds: m?.lastReloadSuccess ? Math.max(0, Math.round(now / 1000 - m.lastReloadSuccess)) : null,
				...(this.restartedAt === undefined ? {} : {restartedAt: iso(this.restartedAt)}),
			},
			sources: this.sources.snapshot(),
			totals: {
				scope: pinned ?? 'all entry points',
				requestsPerSecond: series?.interval?.requestsPerSecond ?? null,
				statusRates: series?.interval?.statusRates ?? {'2xx': null, '3xx': null, '4xx': null, '5xx': null},
				errorRatio: series?.interval?.errorRatio ?? null,
				latency: series?.interval?.latency ?? {p50: null, p95: null, p99: null, buckets: []},
			},
			services,
			backends: pick(this.backendRows),
			entrypoints: this.entryPointRows(now)
				.filter((e) => entrypoint === null || e.name === entrypoint)
				.map((row) => {
					const span = this.traffic.entrypoints.get(row.name)?.interval;
					return span == null
						? row
						: {
								...row,
								requestsPerSecond: span.requestsPerSecond,
								errorRatio: span.errorRatio,
								statusRates: span.statusRates,
								bytesInPerSecond: span.bytesInPerSecond,
								bytesOutPerSecond: span.bytesOutPerSecond,
							};
				}),
			routers: [...this.traffic.routers]
				.filter(([, series]) => series.lastSeen === now)
				.map(([name, series]) => ({
					name,
					service: this.metrics?.routers.get(name)?.service ?? null,
					requestsPerSecond: series.interval?.requestsPerSecond ?? null,
					errorRatio: series.interval?.errorRatio ?? null,
					statusRates: series.interval?.statusRates ?? {'2xx': null, '3xx': null, '4xx': null, '5xx': null},
					latency: series.interval?.latency ?? {p50: null, p95: null, p99: null, buckets: []},
				}))
				.filter((r) => wanted === null || (r.service !== null && serviceMatches(r.service, wanted)))
				.sort((a, b) => a.name.localeCompare(b.name)),
			alerts: this.alerts
				.active()
				.filter((a) => wanted === null || a.service === undefined || serviceMatches(a.service, wanted))
				.map(toSnapshotAlert),
			recentAlerts: this.alerts.resolved().map(toSnapshotAlert),
			history: {
				requestsPerSecond: toArray(series?.rps),
				errorRatio: toArray(series?.errorRatio),
				p95: toArray(series?.p95),
				bucketShares: Object.fromEntries(bounds.map((le, i) => [le, bucketRows.map((row) => (row === null ? null : (row[i] ?? null)))])),
				establishedConnections: this.establishedHistory.toArray(),
			},
			otherConnections: this.other,
			unresolvedServers: this.index.unresolved.map((s) => ({
				service: s.service,
				url: s.url,
				error: this.api?.resolveErrors[s.host] ?? `cannot resolve ${s.host}`,
			})),
		};
	}
}
