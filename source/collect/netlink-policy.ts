/**
 * When a netlink query filtered to Traefik's ports (ss) replaces the full read of the TCP table.
 * Pure: the reader hands in what it measured, the policy says which way the next poll reads.
 */

/** The ports a filtered netlink query asks for: where Traefik's backends listen, and its entry points. */
export interface QueryPorts {
	readonly backends: readonly number[];
	readonly entryPoints: readonly number[];
}

/** When a filtered netlink query replaces the full read of the table. */
export interface NetlinkPolicy {
	/** The table must have had at least this many rows at the last full read... */
	readonly minRows: number;
	/** ...of which at most this share were Traefik's. */
	readonly maxShare: number;
	/** A full read every this many polls: it finds new listeners and checks the conditions again. */
	readonly fullEvery: number;
	/** The query is kept while it takes under this share of the full read's time. */
	readonly maxTimeRatio: number;
}

/** Above ~10,000 rows a query for a small part of the table costs less than the whole text (bench/proc.ts). */
export const DEFAULT_NETLINK: NetlinkPolicy = {minRows: 10_000, maxShare: 0.25, fullEvery: 30, maxTimeRatio: 0.8};

/** What the last full read of the table saw. */
export interface FullRead {
	readonly pid: number | null;
	/** Rows in the table, and of them Traefik's. */
	readonly rows: number;
	readonly kept: number;
	/** Traefik's listening ports (entry points the API may not name). */
	readonly listening: readonly number[];
	/** How long the full read took (ms). */
	readonly ms: number;
}

/** What the reader remembers between polls for the policy. */
export interface NetlinkState {
	readonly pollsSinceCheck: number;
	readonly lastFull: FullRead | null;
	/** How long the last netlink query took (ms); null until one runs after the periodic full read. */
	readonly netlinkMs: number | null;
	/** Why the query was switched off for good (it failed), or null. */
	readonly off: string | null;
}

export const INITIAL_NETLINK: NetlinkState = {pollsSinceCheck: 0, lastFull: null, netlinkMs: null, off: null};

/**
 * How the next poll reads: through a netlink query for Traefik's ports when the last full read
 * showed a big table of which Traefik holds a small part (the kernel then formats only Traefik's
 * rows), and only while the query takes under `maxTimeRatio` of the full read's time (other
 * processes' connections to the same ports come with it); else, and every `fullEvery` polls (new
 * listeners, the table's size, one more chance for the query), the full table.
 */
export function planRead(state: NetlinkState, policy: NetlinkPolicy, ports: QueryPorts | null): {way: 'full' | 'netlink'; state: NetlinkState} {
	const polls = state.pollsSinceCheck + 1;
	if (polls >= policy.fullEvery) return {way: 'full', state: {...state, pollsSinceCheck: 0, netlinkMs: null}};
	const next = {...state, pollsSinceCheck: polls};
	const last = state.lastFull;
	const wanted =
		ports !== null &&
		state.off === null &&
		last !== null &&
		last.pid !== null &&
		last.rows >= policy.minRows &&
		last.kept <= last.rows * policy.maxShare &&
		(state.netlinkMs === null || state.netlinkMs < last.ms * policy.maxTimeRatio) &&
		ports.backends.length + ports.entryPoints.length + last.listening.length > 0;
	return {way: wanted ? 'netlink' : 'full', state: next};
}
