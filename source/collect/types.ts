/** Types shared by the collectors, the model and the UI. Pure data, no behaviour. */
import type {MetricsReading} from './traefik-metrics-parse.js';

/** TCP states as the kernel numbers them in /proc/net/tcp (include/net/tcp_states.h). */
export const TCP_STATES = [
	'ESTABLISHED',
	'SYN_SENT',
	'SYN_RECV',
	'FIN_WAIT1',
	'FIN_WAIT2',
	'TIME_WAIT',
	'CLOSE',
	'CLOSE_WAIT',
	'LAST_ACK',
	'LISTEN',
	'CLOSING',
	'NEW_SYN_RECV',
] as const;

export type TcpState = (typeof TCP_STATES)[number];

/** The states a snapshot reports for a backend or an entry point (every key always present). */
export const REPORTED_STATES = [
	'ESTABLISHED',
	'SYN_SENT',
	'SYN_RECV',
	'FIN_WAIT1',
	'FIN_WAIT2',
	'TIME_WAIT',
	'CLOSE',
	'CLOSE_WAIT',
	'LAST_ACK',
	'CLOSING',
] as const satisfies readonly TcpState[];

export type ReportedState = (typeof REPORTED_STATES)[number];
export type StateCounts = Record<ReportedState, number>;

/**
 * An IP address as parsed from /proc: IPv4 (and IPv4-mapped IPv6) as an unsigned 32-bit number
 * in network order (a.b.c.d = a<<24|b<<16|c<<8|d), other IPv6 as its RFC 5952 text.
 * Numbers keep the hot path free of string building; see format/address.ts for display.
 */
export type IpAddress = number | string;

/** One row of /proc/<pid>/net/tcp{,6}. */
export interface TcpSocket {
	readonly localIp: IpAddress;
	readonly localPort: number;
	readonly remoteIp: IpAddress;
	readonly remotePort: number;
	readonly state: TcpState;
	readonly txQueue: number;
	readonly rxQueue: number;
	/** Kernel timer: 0 none, 1 retransmit/probe, 2 keepalive, 3 TIME_WAIT, 4 zero window probe. */
	readonly timer: number;
	/** Consecutive unacknowledged retransmissions (icsk_retransmits). */
	readonly retransmits: number;
	readonly uid: number;
	/** Socket inode; 0 for TIME_WAIT and other sockets no process owns. */
	readonly inode: number;
}

/** A parsed table plus the count of rows that could not be read. */
export interface TcpTable {
	readonly sockets: TcpSocket[];
	readonly malformed: number;
	/** Rows of other processes, skipped when the owner's inodes were known. */
	readonly foreign: number;
	/** With the parser's `quiet` option: the quiet ESTABLISHED rows, not in `sockets`. */
	readonly quiet?: QuietConnections;
}

/**
 * ESTABLISHED connections to IPv4 addresses (IPv4-mapped included) with empty queues and no
 * retransmission, which is most of a busy proxy's table: all a poll needs of them is where they go, so they are kept as two columns
 * instead of one object each.
 */
export interface QuietConnections {
	/** IPv4 addresses in network order, as TcpSocket.remoteIp. */
	readonly remoteIp: number[];
	readonly remotePort: number[];
	readonly localPort: number[];
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
}

export type ServerStatus = 'UP' | 'DOWN' | 'unknown';

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
	/** Set when the sockets came from a netlink query filtered to Traefik's ports, not the full table. */
	readonly netlink?: {readonly ports: number; readonly tableRows: number; readonly fullEvery: number};
}

/** What the API poll gathered: the configuration, with host names resolved to addresses. */
export interface ApiHarvest extends ApiInventory {
	/** Host name -> addresses (IP literals map to themselves). */
	readonly resolved: Readonly<Record<string, readonly IpAddress[]>>;
	/** Host name -> why it could not be resolved. */
	readonly resolveErrors: Readonly<Record<string, string>>;
	/** Which endpoint gave the services (rawdata, or the paginated lists). */
	readonly via: 'rawdata' | 'lists';
}

/** A section of the harvest: data, or the reason it is missing. */
export type Section<T> = T | SourceError;

/** True when a section holds an error instead of data. */
export function isError<T extends object>(section: Section<T>): section is SourceError {
	return 'error' in section && typeof (section as SourceError).error === 'string';
}

/** One tick's worth of collected data, stamped with the time collection ended. */
export interface Harvest {
	readonly collectedAt: number;
	readonly proc: Section<ProcHarvest>;
	/** Undefined when the API was not polled this tick (it is polled less often). */
	readonly api?: Section<ApiHarvest>;
	/** Undefined when /metrics is switched off. */
	readonly metrics?: Section<MetricsReading>;
	/** Addresses of the hosts of --backend flags and of traefik_service_server_up URLs. */
	readonly resolved: Readonly<Record<string, readonly IpAddress[]>>;
}

/** The socket inodes a process holds (a Set, or the collector's InodeSet). */
export interface InodeLookup {
	has(inode: number): boolean;
	readonly size: number;
	[Symbol.iterator](): Iterator<number>;
}
