/** The kernel's TCP vocabulary, shared by the readers, the model and the screen. Pure data. */

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

/** Every reported state at zero. */
export function emptyStates(): StateCounts {
	const counts = {} as Record<string, number>;
	for (const state of REPORTED_STATES) counts[state] = 0;
	return counts as StateCounts;
}

/**
 * An IP address as parsed from /proc: IPv4 (and IPv4-mapped IPv6) as an unsigned 32-bit number
 * in network order (a.b.c.d = a<<24|b<<16|c<<8|d), other IPv6 as its RFC 5952 text.
 * Numbers keep the hot path free of string building; formatIp() gives the display text.
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

/**
 * ESTABLISHED connections to IPv4 addresses (IPv4-mapped included) with empty queues and no
 * retransmission, which is most of a busy proxy's table: all a poll needs of them is where they
 * go, so they are kept as columns instead of one object each.
 */
export interface QuietConnections {
	/** IPv4 addresses in network order, as TcpSocket.remoteIp. */
	readonly remoteIp: number[];
	readonly remotePort: number[];
	readonly localPort: number[];
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

/** The socket inodes a process holds (a Set, or the collector's InodeSet). */
export interface InodeLookup {
	has(inode: number): boolean;
	readonly size: number;
	[Symbol.iterator](): Iterator<number>;
}
