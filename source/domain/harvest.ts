/**
 * What one tick collects, as the collectors hand it to the model: data or the reason it is
 * missing, per source. Types and one guard; no behaviour.
 */
import type {NormalizedConfig} from './fleet.js';
import type {RequestRecord} from './requests.js';
import type {InodeLookup, IpAddress, QuietConnections, TcpSocket} from './tcp.js';

/** What a parse of an exposition saw. */
export interface ParseReport {
	/** Sample lines read (wanted or not). */
	readonly lines: number;
	readonly samples: number;
	readonly malformed: number;
	/** The first few problems, with their line numbers. */
	readonly errors: readonly string[];
}

/** HTTP status class of a request; gRPC statuses (v3 puts them in `code`) are mapped to theirs. */
export type StatusClass = '2xx' | '3xx' | '4xx' | '5xx' | 'other';

/** Counters of one service, entry point or router at one scrape. */
export interface CounterGroup {
	/** Status class -> requests (summed over code, method, protocol). */
	readonly requests: Record<StatusClass, number>;
	/** Upper bound (Infinity for +Inf) -> cumulative observations, summed over code, method, protocol. */
	readonly buckets: Map<number, number>;
	durationCount: number;
	durationSum: number;
	bytesIn: number | null;
	bytesOut: number | null;
	retries: number | null;
	/** Routers only: the service the router sends to. */
	service?: string;
}

/** One traefik_service_server_up series: a server Traefik health-checks, and where it connects. */
export interface ServerUp {
	readonly service: string;
	readonly url: string;
	readonly up: boolean;
	/** Host and port of the URL, parsed once, or why it has none. */
	readonly target: {readonly host: string; readonly port: number} | {readonly error: string};
}

/** A TLS certificate Traefik serves (traefik_tls_certs_not_after). */
export interface CertificateExpiry {
	readonly cn: string;
	readonly sans: string;
	readonly serial: string;
	/** Expiry, seconds since the epoch. */
	readonly notAfter: number;
}

/** One scrape of /metrics, aggregated. */
export interface MetricsReading {
	/** v3 has traefik_open_connections; v2 has *_open_connections per entry point or the reload failure metrics. */
	readonly generation: 'v2' | 'v3' | 'unknown';
	readonly services: Map<string, CounterGroup>;
	readonly entrypoints: Map<string, CounterGroup>;
	readonly routers: Map<string, CounterGroup>;
	/** Entry point -> open TCP connections (v3), or in-flight requests (v2). */
	readonly openConnections: Map<string, number>;
	readonly serverUp: readonly ServerUp[];
	configReloads: number | null;
	lastReloadSuccess: number | null;
	readonly certificates: CertificateExpiry[];
	processCpuSeconds: number | null;
	processRssBytes: number | null;
	processStartTime: number | null;
	goVersion: string | null;
	readonly report: ParseReport;
	/** Said of the source beside its figures (read from Prometheus: its rate window, its warnings). */
	readonly notes?: readonly string[];
}

/** A failed source: what happened, in words an operator understands. */
export interface SourceError {
	readonly error: string;
}

/** A backend server known from the API, the metrics or a --backend flag. */
export interface BackendServer {
	/** Qualified service name (`name@provider`), the load-balancer service that owns the server. */
	readonly service: string;
	/** Server URL as configured (`http://10.0.0.3:80`), or host:port for --backend. */
	readonly url: string;
	/** Host part of the URL (a name or an address literal). */
	readonly host: string;
	readonly port: number;
	/** Traefik's status for the server: UP, DOWN, or unknown when Traefik gives none. */
	readonly status: ServerStatus;
	/** Where the server came from. */
	readonly origin: 'api' | 'metrics' | 'flag';
	/**
	 * Set when the status is traefik_service_server_up's 0 over an API that still says UP: a
	 * passive health check (v3.6+) leaves a server out without changing its serverStatus.
	 */
	readonly downBy?: 'server_up';
}

export type ServerStatus = 'UP' | 'DOWN' | 'unknown';

/** A server of a service that has no TCP address to watch: shown with its URL and the reason. */
export interface UnwatchedServer {
	readonly service: string;
	/** Without user:password. */
	readonly url: string;
	readonly status: ServerStatus;
	readonly reason: string;
}

/** An entry point known from the API (name and listening port). */
export interface EntryPoint {
	readonly name: string;
	readonly port: number;
}

/** What the API tells about the running configuration. */
export interface ApiInventory {
	readonly version?: string;
	readonly startDate?: string;
	readonly servers: readonly BackendServer[];
	/** Servers whose URL cannot be watched in the kernel's tables (unix://, a bad port), with why. */
	readonly unwatched: readonly UnwatchedServer[];
	readonly entryPoints: readonly EntryPoint[];
	readonly routers: readonly RouterInfo[];
	/** Load-balancer service -> the weighted/mirroring/failover services that lead to it. */
	readonly parents: Readonly<Record<string, readonly string[]>>;
}

export interface RouterInfo {
	readonly name: string;
	readonly rule: string;
	readonly entryPoints: readonly string[];
	/** Qualified service the router points at. */
	readonly service: string;
	readonly status: string;
	/** Load-balancer services the router's service reaches (after weighted/mirroring/failover). */
	readonly loadBalancers: readonly string[];
}

/** What /proc/<pid>/stat says of the process. */
export interface ProcessStat {
	/** Start time in clock ticks since boot: a new value means a new process. */
	readonly startTicks: number;
	/** Start time (ms since the epoch), from the boot time in /proc/stat. */
	readonly startedAt: number | null;
	/** User + system CPU time used so far, in seconds. */
	readonly cpuSeconds: number;
	readonly rssBytes: number;
}

/** What one poll read from /proc for the Traefik process (or the host, without a PID). */
export interface ProcHarvest {
	/** Traefik's PID, or null when the host's own table is read. */
	readonly pid: number | null;
	/** How the PID was found: the --pid flag, a process named traefik, or none. */
	readonly pidSource: 'flag' | 'discovered' | 'none';
	/** Figures from /proc/<pid>/stat, null without a PID. */
	readonly process: ProcessStat | null;
	readonly sockets: readonly TcpSocket[];
	/** Quiet ESTABLISHED connections, counted but not listed in `sockets`. */
	readonly quiet?: QuietConnections;
	readonly malformed: number;
	/** Rows of other processes in the same namespace, not kept (needs ownership). */
	readonly foreign: number;
	/** Inodes of the sockets the process holds, or null when /proc/<pid>/fd could not be read. */
	readonly ownedInodes: InodeLookup | null;
	/** Why ownership is unknown (permission), said once by the UI. */
	readonly ownershipError?: string;
	/** Problems with one of the two tables (tcp6 missing on a host without IPv6, say). */
	readonly warnings: readonly string[];
	/** The kernel's ephemeral port range (net.ipv4.ip_local_port_range). */
	readonly ephemeralPorts: readonly [number, number];
	/** Set when the tables are another host's (an SSH target): the name it was reached by. */
	readonly host?: string;
	/** Set when the sockets came from a netlink query filtered to Traefik's ports, not the full table. */
	readonly netlink?: {readonly ports: number; readonly tableRows: number; readonly fullEvery: number};
}

/** What the API poll gathered: the configuration. */
export interface ApiHarvest extends ApiInventory {
	/** Which endpoint gave the services (rawdata, or the paginated lists). */
	readonly via: 'rawdata' | 'lists';
	/** The configuration as instances are compared by (fleet drift). */
	readonly config?: NormalizedConfig;
}

/** A section of the harvest: data, or the reason it is missing. */
export type Section<T> = T | SourceError;

/** True when a section holds an error instead of data. */
export function isError<T extends object>(section: Section<T>): section is SourceError {
	return 'error' in section && typeof (section as SourceError).error === 'string';
}

/** One tick's worth of collected data, stamped with the time collection ended. */
/** What a poll read of Traefik's access log: the requests written since the last, and what happened to the file. */
export interface AccessLogHarvest {
	readonly records: readonly RequestRecord[];
	/** Lines that are not access-log lines (or not UTF-8, or cut for their length) in this read. */
	readonly malformed: number;
	readonly format: 'json' | 'common' | null;
	/** Rotation, truncation, a missing file, a read that fell behind. */
	readonly notes: readonly string[];
	/** Bytes written and not yet read. */
	readonly lagBytes: number;
}

/** How the SSH link to a remote Traefik host is, for the screen. */
export interface LinkState {
	/** The destination, as given. */
	readonly host: string;
	readonly state: 'connecting' | 'connected' | 'reconnecting';
	/** When the state began (ms since the epoch). */
	readonly since: number;
	/** Time to the first byte of the reader's last answer (ms): one round trip plus the remote's PID check. */
	readonly rttMs: number | null;
	/** Bytes of the reader's last answer and of the HTTP answers through the tunnel in the same poll. */
	readonly bytesPerPoll: number | null;
	readonly lastError?: string;
	/** With --ssh-sudo: "yes", "no" (already root) or why sudo -n refused. */
	readonly sudo?: string;
}

export interface Harvest {
	readonly collectedAt: number;
	/** A moment of the past replayed from Prometheus at start: its metrics only; the kernel and API sources are left as they are. */
	readonly history?: true;
	/** With an SSH target: the link it came through. */
	readonly link?: LinkState;
	/** Undefined without --access-log. */
	readonly accessLog?: Section<AccessLogHarvest>;
	readonly proc: Section<ProcHarvest>;
	/** Undefined when the API was not polled this tick (it is polled less often). */
	readonly api?: Section<ApiHarvest>;
	/** Undefined when /metrics is switched off. */
	readonly metrics?: Section<MetricsReading>;
	/** Addresses of every server host (API, --backend flags, traefik_service_server_up), IP literals included. */
	readonly resolved: Readonly<Record<string, readonly IpAddress[]>>;
	/** Host name -> why it could not be resolved (the last good addresses are kept meanwhile). */
	readonly resolveErrors: Readonly<Record<string, string>>;
}
