/**
 * Classifies the kernel's sockets (inbound on an entry point, outbound to a backend, other),
 * tracks each connection by its 4-tuple across polls, and sums them per backend. Pure.
 */
import {endpointKey} from '../domain/address.js';
import type {BackendIndex} from './backends.js';
import {REPORTED_STATES, type InodeLookup, type QuietConnections, type StateCounts, type TcpSocket, type TcpState} from '../domain/tcp.js';
import type {EntryPoint} from '../domain/harvest.js';

/** Every reported state at zero. */
export function emptyStates(): StateCounts {
	const counts = {} as Record<string, number>;
	for (const state of REPORTED_STATES) counts[state] = 0;
	return counts as StateCounts;
}

/** The sockets of one poll, sorted by what they are to Traefik. */
export interface ClassifiedSockets {
	/** Backend target key -> outbound sockets to it. */
	readonly backends: Map<number | string, TcpSocket[]>;
	/** Backend target key -> quiet ESTABLISHED connections to it (counted, not listed). */
	readonly quietBackends: Map<number | string, number>;
	/** Entry point name -> inbound client sockets (listeners excluded). */
	readonly inbound: Map<string, TcpSocket[]>;
	/** Entry point name -> quiet ESTABLISHED inbound connections. */
	readonly quietInbound: Map<string, number>;
	/** Traefik's sockets that are neither (API clients, DNS over TCP, unknown destinations). */
	readonly other: number;
	/** Sockets in the table that belong to other processes (known only when fd was readable). */
	readonly foreign: number;
}

/**
 * Entry-point port -> name: the API's entry points, plus every LISTEN socket Traefik owns
 * (named `:port` when the API does not know it).
 */
export function entryPointPorts(sockets: readonly TcpSocket[], owned: InodeLookup | null, apiEntryPoints: readonly EntryPoint[]): Map<number, string> {
	const ports = new Map<number, string>();
	for (const ep of apiEntryPoints) ports.set(ep.port, ep.name);
	if (owned !== null) {
		for (const s of sockets) {
			if (s.state === 'LISTEN' && owned.has(s.inode) && !ports.has(s.localPort)) ports.set(s.localPort, `:${s.localPort}`);
		}
	}
	return ports;
}

const bump = <K>(counts: Map<K, number>, key: K): void => {
	counts.set(key, (counts.get(key) ?? 0) + 1);
};

/**
 * Sorts sockets. With `owned` known, a socket counts only if Traefik holds its inode, or it has
 * no inode (TIME_WAIT, request sockets) and is then attributed by address. Without it, every
 * socket is matched by address. `quiet` connections were already filtered by the parser.
 */
export function classifySockets(
	sockets: readonly TcpSocket[],
	owned: InodeLookup | null,
	index: Pick<BackendIndex, 'find'>,
	ports: ReadonlyMap<number, string>,
	quiet?: QuietConnections,
): ClassifiedSockets {
	const backends = new Map<number | string, TcpSocket[]>();
	const inbound = new Map<string, TcpSocket[]>();
	const quietBackends = new Map<number | string, number>();
	const quietInbound = new Map<string, number>();
	let other = 0;
	let foreign = 0;
	for (const s of sockets) {
		if (owned !== null && s.inode !== 0 && !owned.has(s.inode)) {
			foreign++;
			continue;
		}
		if (s.state === 'LISTEN') continue;
		const target = index.find(s.remoteIp, s.remotePort);
		if (target !== undefined) {
			const list = backends.get(target.key);
			if (list) list.push(s);
			else backends.set(target.key, [s]);
			continue;
		}
		const entry = ports.get(s.localPort);
		if (entry !== undefined) {
			const list = inbound.get(entry);
			if (list) list.push(s);
			else inbound.set(entry, [s]);
			continue;
		}
		// Without ownership, the host's unrelated sockets would all count as "other": only count Traefik's.
		if (owned !== null) other++;
	}
	if (quiet !== undefined) {
		const {remoteIp, remotePort, localPort} = quiet;
		for (let i = 0; i < remoteIp.length; i++) {
			const target = index.find(remoteIp[i]!, remotePort[i]!);
			if (target !== undefined) {
				bump(quietBackends, target.key);
				continue;
			}
			const entry = ports.get(localPort[i]!);
			if (entry !== undefined) bump(quietInbound, entry);
			else if (owned !== null) other++;
		}
	}
	return {backends, quietBackends, inbound, quietInbound, other, foreign};
}

/** What the tracker knows of one connection. */
export interface TrackedConnection {
	state: TcpState;
	/** When the connection was first seen in its current state (ms). */
	since: number;
	/** Consecutive polls seen in the current state. */
	polls: number;
	/** Consecutive polls seen with unacknowledged retransmissions. */
	retransmitPolls: number;
	/** Whether this poll is the first to see the connection. */
	fresh: boolean;
	generation: number;
}

/**
 * Remembers connections across polls by 4-tuple (remote endpoint, then local endpoint: two numeric
 * map keys for IPv4, no string building); closed ones are forgotten at the next sweep.
 */
export class ConnectionTracker {
	private readonly connections = new Map<number | string, Map<number | string, TrackedConnection>>();
	private generation = 0;
	private count = 0;

	/** Starts a poll. */
	begin(): void {
		this.generation++;
	}

	/** Records one socket seen in the current poll and returns its history. */
	observe(now: number, s: TcpSocket): TrackedConnection {
		const outer = endpointKey(s.remoteIp, s.remotePort);
		const inner = endpointKey(s.localIp, s.localPort);
		let byLocal = this.connections.get(outer);
		if (byLocal === undefined) {
			byLocal = new Map();
			this.connections.set(outer, byLocal);
		}
		let c = byLocal.get(inner);
		if (c === undefined) {
			c = {state: s.state, since: now, polls: 1, retransmitPolls: s.retransmits > 0 ? 1 : 0, fresh: true, generation: this.generation};
			byLocal.set(inner, c);
			this.count++;
			return c;
		}
		if (c.generation === this.generation) return c;
		if (c.state === s.state) c.polls++;
		else {
			c.state = s.state;
			c.since = now;
			c.polls = 1;
		}
		c.retransmitPolls = s.retransmits > 0 ? c.retransmitPolls + 1 : 0;
		c.fresh = false;
		c.generation = this.generation;
		return c;
	}

	/** Forgets connections not seen in the current poll. */
	sweep(): void {
		for (const [outer, byLocal] of this.connections) {
			for (const [inner, c] of byLocal) {
				if (c.generation === this.generation) continue;
				byLocal.delete(inner);
				this.count--;
			}
			if (byLocal.size === 0) this.connections.delete(outer);
		}
	}

	/** Forgets everything (Traefik restarted: its connections are new ones). */
	clear(): void {
		this.connections.clear();
		this.count = 0;
	}

	/** Connections remembered now. */
	get size(): number {
		return this.count;
	}
}

/** The connection figures of one backend or entry point in one poll. */
export interface ConnectionStats {
	readonly states: StateCounts;
	readonly total: number;
	/** Age of the oldest CLOSE_WAIT connection in seconds (since first seen), null when none. */
	readonly closeWaitOldestSeconds: number | null;
	/** TIME_WAIT share of all connections, null when there are none. */
	readonly timeWaitRatio: number | null;
	readonly txQueueBytes: number;
	readonly rxQueueBytes: number;
	/** Connections with unacknowledged retransmissions now (SYN_SENT retries included). */
	readonly retransmitting: number;
	/** Longest run of polls a connection has stayed in SYN_SENT. */
	readonly synSentPolls: number;
	/** Longest run of polls an established-side connection has kept retransmitting. */
	readonly retransmitPolls: number;
	/** Connections first seen this poll in a state that proves the peer answered. */
	readonly newAnswered: number;
}

/** Sums sockets and updates the tracker with them; `quiet` more are ESTABLISHED with nothing queued. */
export function connectionStats(now: number, sockets: readonly TcpSocket[], tracker: ConnectionTracker, quiet = 0): ConnectionStats {
	const states = emptyStates();
	states.ESTABLISHED += quiet;
	let oldestCloseWait = Number.POSITIVE_INFINITY;
	let txQueueBytes = 0;
	let rxQueueBytes = 0;
	let retransmitting = 0;
	let synSentPolls = 0;
	let retransmitPolls = 0;
	let newAnswered = 0;
	for (const s of sockets) {
		if (s.state in states) states[s.state as keyof StateCounts]++;
		txQueueBytes += s.txQueue;
		rxQueueBytes += s.rxQueue;
		if (s.retransmits > 0) retransmitting++;
		// A healthy ESTABLISHED connection has no history worth keeping: no rule reads its age, and
		// skipping it keeps a poll of a busy proxy cheap. It is tracked from its first change on.
		if (s.state === 'ESTABLISHED' && s.retransmits === 0) continue;
		const c = tracker.observe(now, s);
		if (s.state === 'CLOSE_WAIT' && c.since < oldestCloseWait) oldestCloseWait = c.since;
		if (s.state === 'SYN_SENT') synSentPolls = Math.max(synSentPolls, c.polls);
		else retransmitPolls = Math.max(retransmitPolls, c.retransmitPolls);
		if (c.fresh && s.state !== 'SYN_SENT') newAnswered++;
	}
	const total = sockets.length + quiet;
	return {
		states,
		total,
		closeWaitOldestSeconds: Number.isFinite(oldestCloseWait) ? (now - oldestCloseWait) / 1000 : null,
		timeWaitRatio: total === 0 ? null : states.TIME_WAIT / total,
		txQueueBytes,
		rxQueueBytes,
		retransmitting,
		synSentPolls,
		retransmitPolls,
		newAnswered,
	};
}
