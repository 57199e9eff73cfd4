/**
 * The store: eats one harvest per tick, keeps what must survive between ticks (connection ages,
 * counters, history, alerts) and builds the snapshot every view draws. Pure: `now` comes in.
 */
import {isError, type ApiHarvest, type BackendServer, type Harvest, type IpAddress, type ProcHarvest} from '../collect/types.js';
import {AlertBook, type Alert, type Breach} from './alerts.js';
import {buildBackendIndex, type BackendIndex} from './backends.js';
import {ConnectionTracker, classifySockets, connectionStats, entryPointPorts} from './connections.js';
import {Ring} from './ring.js';
import type {RulesConfig} from './rules-config.js';
import {SNAPSHOT_SCHEMA, type BackendRow, type EntryPointRow, type Snapshot, type SnapshotAlert, type SourceState} from './snapshot-types.js';
import {evaluateTcpRules} from './tcp-rules.js';

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

interface SourceTrack {
	ok: boolean;
	error?: string;
	lastSuccessAt?: number;
	notes: string[];
	failedPolls: number;
}

const iso = (ms: number): string => new Date(ms).toISOString();

function sourceState(t: SourceTrack): SourceState {
	return {
		ok: t.ok,
		...(t.error === undefined ? {} : {error: t.error}),
		...(t.lastSuccessAt === undefined ? {} : {lastSuccessAt: iso(t.lastSuccessAt)}),
		...(t.notes.length === 0 ? {} : {notes: [...t.notes]}),
	};
}

function toSnapshotAlert(a: Alert): SnapshotAlert {
	return {
		rule: a.rule,
		level: a.level,
		subject: a.subject,
		...(a.service === undefined ? {} : {service: a.service}),
		value: a.value,
		threshold: a.threshold,
		since: iso(a.since),
		...(a.resolvedAt === undefined ? {} : {resolvedAt: iso(a.resolvedAt)}),
	};
}

/** Does a service name match a filter given with or without its @provider? */
export function serviceMatches(name: string, wanted: string): boolean {
	return name === wanted || name.split('@')[0] === wanted;
}

/** The monitor's state between ticks. */
export class Monitor {
	private readonly tracker = new ConnectionTracker();
	private readonly alerts = new AlertBook();
	private readonly sources: Record<'proc' | 'metrics' | 'api', SourceTrack> = {
		proc: {ok: false, notes: [], failedPolls: 0, error: 'no data yet'},
		metrics: {ok: false, notes: [], failedPolls: 0, error: 'no data yet'},
		api: {ok: false, notes: [], failedPolls: 0, error: 'no data yet'},
	};
	private api: ApiHarvest | null = null;
	private proc: ProcHarvest | null = null;
	private index: BackendIndex = {targets: new Map(), byPort: new Map(), unresolved: []};
	private backendRows: BackendRow[] = [];
	private entryRows: EntryPointRow[] = [];
	private other = 0;
	private readonly establishedHistory: Ring<number>;
	private restartedAt: number | undefined;
	private lastAt = 0;

	constructor(private readonly config: MonitorConfig) {
		this.establishedHistory = new Ring(Math.max(1, Math.round(config.retentionSeconds / config.intervalSeconds)));
	}

	private noteSource(name: 'proc' | 'metrics' | 'api', now: number, error: string | undefined, notes: string[] = []): void {
		const t = this.sources[name];
		t.notes = notes;
		if (error === undefined) {
			t.ok = true;
			t.error = undefined;
			t.lastSuccessAt = now;
			t.failedPolls = 0;
		} else {
			t.ok = false;
			t.error = error;
			t.failedPolls++;
		}
	}

	private rebuildIndex(flagResolved: Readonly<Record<string, readonly IpAddress[]>>): void {
		const servers = [...(this.api?.servers ?? []), ...this.config.flagServers];
		const resolved = {...flagResolved, ...(this.api?.resolved ?? {})};
		const used = new Set((this.api?.routers ?? []).filter((r) => r.status !== 'disabled').flatMap((r) => r.loadBalancers));
		this.index = buildBackendIndex(servers, resolved, used);
	}

	/** Takes one tick's harvest. */
	ingest(harvest: Harvest): void {
		const now = harvest.collectedAt;
		this.lastAt = now;
		if (harvest.api !== undefined) {
			if (isError(harvest.api)) this.noteSource('api', now, harvest.api.error);
			else {
				this.api = harvest.api;
				const errors = Object.values(harvest.api.resolveErrors);
				this.noteSource('api', now, undefined, [`services from /api/${harvest.api.via === 'rawdata' ? 'rawdata' : 'http/services'}`, ...errors]);
			}
		}
		this.rebuildIndex(harvest.flagResolved);
		if (isError(harvest.proc)) {
			this.noteSource('proc', now, harvest.proc.error);
			this.establishedHistory.push(null);
		} else {
			this.ingestProc(now, harvest.proc);
		}
		this.evaluate(now);
	}

	private ingestProc(now: number, proc: ProcHarvest): void {
		const previous = this.proc;
		if (previous !== null && (previous.pid !== proc.pid || previous.process?.startTicks !== proc.process?.startTicks)) {
			this.restartedAt = now;
			this.tracker.clear();
		}
		this.proc = proc;
		const notes: string[] = [];
		if (proc.pid === null) notes.push('no Traefik process found: reading the host table, matching by address');
		if (proc.ownershipError) notes.push(proc.ownershipError);
		if (proc.malformed > 0) notes.push(`${proc.malformed} malformed row(s) skipped`);
		notes.push(...proc.warnings.filter((w) => !w.includes('tcp6')));
		this.noteSource('proc', now, undefined, notes);

		const ports = entryPointPorts(proc.sockets, proc.ownedInodes, this.api?.entryPoints ?? []);
		const classified = classifySockets(proc.sockets, proc.ownedInodes, this.index, ports);
		this.tracker.begin();
		this.backendRows = [...this.index.targets.values()].map((target) => {
			const stats = connectionStats(now, classified.backends.get(target.key) ?? [], this.tracker);
			return {
				service: target.services[0] ?? '',
				services: target.services,
				address: target.address,
				urls: target.urls,
				...(target.hostname === undefined ? {} : {hostname: target.hostname}),
				status: target.status,
				...stats,
			};
		});
		this.entryRows = [...ports].map(([port, name]) => {
			const stats = connectionStats(now, classified.inbound.get(name) ?? [], this.tracker);
			return {name, port, states: stats.states, total: stats.total};
		});
		this.tracker.sweep();
		this.other = classified.other;
		this.establishedHistory.push(this.backendRows.reduce((sum, r) => sum + r.states.ESTABLISHED, 0));
	}

	private evaluate(now: number): void {
		const breaches: Breach[] = [];
		const rules = this.config.rules;
		if (this.proc !== null && this.sources.proc.ok) {
			breaches.push(...evaluateTcpRules(this.backendRows, {rules, ephemeralPorts: this.proc.ephemeralPorts, serviceRate: () => undefined}));
		}
		if (rules.server_down.enabled) {
			for (const row of this.backendRows) {
				if (row.status === 'DOWN') breaches.push({rule: 'server_down', level: 'crit', subject: row.address, service: row.service, value: 'DOWN', threshold: 'UP'});
			}
		}
		if (rules.source_failed.enabled) {
			for (const [name, t] of Object.entries(this.sources)) {
				if (!t.ok && t.error !== 'no data yet' && !(name === 'metrics' && t.error === 'not configured')) {
					breaches.push({rule: 'source_failed', level: 'warn', subject: name, value: t.error ?? 'failed', threshold: 'ok', holdPolls: rules.source_failed.polls});
				}
			}
		}
		this.alerts.update(now, breaches);
	}

	/** Marks a source as switched off by the user (it then raises no alert). */
	disableSource(name: 'metrics' | 'api'): void {
		this.sources[name] = {ok: false, error: 'not configured', notes: [], failedPolls: 0};
	}

	/** The snapshot of the latest tick, filtered as configured. */
	snapshot(): Snapshot {
		const {filter} = this.config;
		const now = this.lastAt || Date.now();
		const wanted = filter.service;
		const backends = wanted === null ? this.backendRows : this.backendRows.filter((r) => r.services.some((s) => serviceMatches(s, wanted)));
		const entrypoints = filter.entrypoint === null ? this.entryRows : this.entryRows.filter((e) => e.name === filter.entrypoint);
		const alerts = this.alerts.active().filter((a) => wanted === null || a.service === undefined || serviceMatches(a.service, wanted));
		const process = this.proc?.process ?? null;
		return {
			schema: SNAPSHOT_SCHEMA,
			takenAt: iso(now),
			host: this.config.host,
			intervalSeconds: this.config.intervalSeconds,
			filter: {service: filter.service, entrypoint: filter.entrypoint},
			traefik: {
				pid: this.proc?.pid ?? null,
				version: this.api?.version ?? null,
				uptimeSeconds: process?.startedAt == null ? null : Math.max(0, Math.round((now - process.startedAt) / 1000)),
				cpuRatio: null,
				rssBytes: process?.rssBytes ?? null,
				openConnections: null,
				configReloadAgeSeconds: null,
				...(this.restartedAt === undefined ? {} : {restartedAt: iso(this.restartedAt)}),
			},
			sources: {proc: sourceState(this.sources.proc), metrics: sourceState(this.sources.metrics), api: sourceState(this.sources.api)},
			services: [],
			backends,
			entrypoints,
			alerts: alerts.map(toSnapshotAlert),
			recentAlerts: this.alerts.resolved().map(toSnapshotAlert),
			history: {requestsPerSecond: [], errorRatio: [], p95: [], bucketShares: {}, establishedConnections: this.establishedHistory.toArray()},
			otherConnections: this.other,
			unresolvedServers: this.index.unresolved.map((s) => ({service: s.service, url: s.url, error: this.api?.resolveErrors[s.host] ?? `cannot resolve ${s.host}`})),
		};
	}
}
