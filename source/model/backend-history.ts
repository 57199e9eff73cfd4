/**
 * ESTABLISHED, TIME_WAIT and CLOSE_WAIT of each backend over the last polls, for the chart of the
 * selected one: kept from the snapshots the screen receives, so a chart has its past the moment a
 * backend is chosen. Pure (fed snapshots, no clock).
 *
 * Compact on purpose: 2,000 backends over 600 polls are 3.6 million counts, kept as 16-bit
 * integers (7 MB) in one ring per backend; a count above 65,534 is kept as 65,534, and 65,535 is a
 * gap (a poll whose kernel read failed, or one where the backend was not listed).
 */
import type {BackendRow, Snapshot} from '../domain/snapshot.js';

/** A backend row's key: its address, and with several instances the instance it is seen from. */
export const backendKey = (row: Pick<BackendRow, 'address' | 'instance'>): string =>
	row.instance === undefined ? row.address : `${row.instance} ${row.address}`;

export const BACKEND_SERIES = ['ESTABLISHED', 'TIME_WAIT', 'CLOSE_WAIT'] as const;
export type BackendSeriesName = (typeof BACKEND_SERIES)[number];

const GAP = 0xffff;
const TOP = 0xfffe;

interface Track {
	/** BACKEND_SERIES.length values per poll, by poll number modulo the capacity. */
	readonly counts: Uint16Array;
	/** The poll of the first value kept. */
	readonly since: number;
	lastSeen: number;
}

export class BackendHistory {
	private readonly tracks = new Map<string, Track>();
	private readonly seen = new WeakSet<Snapshot>();
	/** Polls recorded so far. */
	polls = 0;

	constructor(
		readonly capacity = 600,
		readonly maxBackends = 5000,
	) {}

	/** Records one snapshot (a snapshot given twice counts once). */
	record(snapshot: Snapshot): void {
		if (this.seen.has(snapshot)) return;
		this.seen.add(snapshot);
		const poll = this.polls++;
		const slot = (poll % this.capacity) * BACKEND_SERIES.length;
		const failed = !snapshot.sources.proc.ok;
		for (const row of snapshot.backends) {
			let track = this.tracks.get(backendKey(row));
			if (track === undefined) {
				if (this.tracks.size >= this.maxBackends) continue;
				track = {counts: new Uint16Array(this.capacity * BACKEND_SERIES.length).fill(GAP), since: poll, lastSeen: poll};
				this.tracks.set(backendKey(row), track);
			}
			track.lastSeen = poll;
			for (let k = 0; k < BACKEND_SERIES.length; k++) track.counts[slot + k] = failed ? GAP : Math.min(TOP, row.states[BACKEND_SERIES[k]!]);
		}
		// A backend missing from this poll gets a gap; one missing for the whole capacity is let go.
		for (const [address, track] of this.tracks) {
			if (track.lastSeen === poll) continue;
			if (poll - track.lastSeen >= this.capacity) this.tracks.delete(address);
			else track.counts.fill(GAP, slot, slot + BACKEND_SERIES.length);
		}
	}

	/** The series of a backend, oldest first, up to poll `until` (exclusive; all recorded by default); null is a gap. */
	series(row: Pick<BackendRow, 'address' | 'instance'>, until = this.polls): Record<BackendSeriesName, (number | null)[]> {
		const out = {ESTABLISHED: [], TIME_WAIT: [], CLOSE_WAIT: []} as Record<BackendSeriesName, (number | null)[]>;
		const track = this.tracks.get(backendKey(row));
		if (track === undefined) return out;
		const from = Math.max(track.since, until - this.capacity, this.polls - this.capacity);
		for (let poll = from; poll < Math.min(until, this.polls); poll++) {
			const slot = (poll % this.capacity) * BACKEND_SERIES.length;
			for (let k = 0; k < BACKEND_SERIES.length; k++) {
				const v = track.counts[slot + k]!;
				out[BACKEND_SERIES[k]!].push(v === GAP ? null : v);
			}
		}
		return out;
	}
}
