/**
 * The snapshot@1 document: what every view draws, what --json prints and what `e` exports.
 * Field names marked fixed in PRODUCT.md must not change; schema/snapshot.schema.json mirrors this.
 */
import type {ServerStatus, StateCounts} from '../collect/types.js';
import type {AlertLevel, RuleName} from './rules-config.js';

export const SNAPSHOT_SCHEMA = 'traefik-top/snapshot@1';

/** State of one data source. */
export interface SourceState {
	readonly ok: boolean;
	readonly error?: string;
	/** ISO time of the last successful read. */
	readonly lastSuccessAt?: string;
	/** Extra facts worth showing (fd unreadable, malformed rows, how the API was read). */
	readonly notes?: readonly string[];
}

export interface BackendRow {
	/** Primary service (a router reaches it); `services` lists every service sharing the address. */
	readonly service: string;
	readonly services: readonly string[];
	readonly address: string;
	readonly urls: readonly string[];
	readonly hostname?: string;
	/** Traefik's server status (UP/DOWN from the API or traefik_service_server_up). */
	readonly status: ServerStatus;
	readonly states: StateCounts;
	readonly total: number;
	readonly closeWaitOldestSeconds: number | null;
	readonly timeWaitRatio: number | null;
	readonly txQueueBytes: number;
	readonly rxQueueBytes: number;
	readonly retransmitting: number;
	readonly synSentPolls: number;
	readonly retransmitPolls: number;
	readonly newAnswered: number;
	/** Set when the host name did not resolve: the row has no connections to count. */
	readonly error?: string;
}

export interface EntryPointRow {
	readonly name: string;
	readonly port: number | null;
	readonly states: StateCounts;
	readonly total: number;
	/** traefik_open_connections for this entry point, when /metrics has it. */
	readonly openConnections?: number | null;
	/** Traefik's request figures for the entry point (null before two scrapes). */
	readonly requestsPerSecond?: number | null;
	readonly errorRatio?: number | null;
	readonly statusRates?: StatusRates;
	readonly bytesInPerSecond?: number | null;
	readonly bytesOutPerSecond?: number | null;
}

/** One router's figures (only when Traefik exports router metrics: addRoutersLabels). */
export interface RouterRow {
	readonly name: string;
	readonly service: string | null;
	readonly requestsPerSecond: number | null;
	readonly errorRatio: number | null;
	readonly statusRates: StatusRates;
	readonly latency: Latency;
}

export interface LatencyBucket {
	/** Upper bound in seconds; the +Inf bucket is "+Inf". */
	readonly le: number | '+Inf';
	/** Share of the interval's requests in this bucket (not cumulative), null without requests. */
	readonly share: number | null;
	/** Share of the interval's requests at or under this bound (SLO view). */
	readonly cumulativeShare: number | null;
}

export interface Latency {
	readonly p50: number | null;
	readonly p95: number | null;
	readonly p99: number | null;
	readonly buckets: readonly LatencyBucket[];
}

export interface StatusRates {
	readonly '2xx': number | null;
	readonly '3xx': number | null;
	readonly '4xx': number | null;
	readonly '5xx': number | null;
}

export interface ServiceServer {
	readonly url: string;
	readonly address: string | null;
	readonly status: ServerStatus;
}

export interface ServiceRow {
	readonly name: string;
	readonly requestsPerSecond: number | null;
	readonly errorRatio: number | null;
	/** 5xx share over the last minute (what error_ratio judges). */
	readonly errorRatioMinute: number | null;
	readonly statusRates: StatusRates;
	readonly latency: Latency;
	readonly latencyMinute: Latency;
	readonly servers: readonly ServiceServer[];
	readonly serversUp: number;
	readonly bytesInPerSecond: number | null;
	readonly bytesOutPerSecond: number | null;
	readonly retriesPerSecond: number | null;
	/** Connection totals over the service's backends. */
	readonly connections: {readonly ESTABLISHED: number; readonly TIME_WAIT: number; readonly CLOSE_WAIT: number};
	/** Weighted/mirroring/failover services that lead here. */
	readonly parents?: readonly string[];
}

export interface SnapshotAlert {
	readonly rule: RuleName;
	readonly level: AlertLevel;
	readonly subject: string;
	readonly service?: string;
	readonly value: number | string;
	readonly threshold: number | string;
	readonly since: string;
	readonly resolvedAt?: string;
}

export interface TraefikIdentity {
	readonly pid: number | null;
	readonly version: string | null;
	readonly uptimeSeconds: number | null;
	readonly cpuRatio: number | null;
	readonly rssBytes: number | null;
	readonly openConnections: number | null;
	readonly configReloadAgeSeconds: number | null;
	/** When a new Traefik process (new PID or start time) was first seen. */
	readonly restartedAt?: string;
}

export interface Snapshot {
	readonly schema: typeof SNAPSHOT_SCHEMA;
	readonly takenAt: string;
	readonly host: string;
	readonly intervalSeconds: number;
	readonly filter: {readonly service: string | null; readonly entrypoint: string | null};
	readonly traefik: TraefikIdentity;
	readonly sources: {readonly proc: SourceState; readonly metrics: SourceState; readonly api: SourceState};
	/** Traffic of what the screen covers: every entry point, or the pinned service. */
	readonly totals: {
		readonly scope: string;
		readonly requestsPerSecond: number | null;
		readonly statusRates: StatusRates;
		readonly errorRatio: number | null;
		readonly latency: Latency;
	};
	readonly services: readonly ServiceRow[];
	readonly backends: readonly BackendRow[];
	readonly entrypoints: readonly EntryPointRow[];
	readonly routers: readonly RouterRow[];
	readonly alerts: readonly SnapshotAlert[];
	readonly recentAlerts: readonly SnapshotAlert[];
	readonly history: {
		readonly requestsPerSecond: readonly (number | null)[];
		readonly errorRatio: readonly (number | null)[];
		readonly p95: readonly (number | null)[];
		/** Per latency bucket bound (as text), the share of requests in it per poll. */
		readonly bucketShares: Readonly<Record<string, readonly (number | null)[]>>;
		readonly establishedConnections: readonly (number | null)[];
	};
	/** Sockets in Traefik's tables that are neither inbound nor to a known backend. */
	readonly otherConnections: number;
	/** Backend servers known but not resolved to an address. */
	readonly unresolvedServers: readonly {readonly service: string; readonly url: string; readonly error: string}[];
}
