/** The state of each data source across polls, and the alerts it raises. Pure. */
import type {Alert} from './alerts.js';
import type {SnapshotAlert, SourceState} from '../domain/snapshot.js';

export type SourceName = 'proc' | 'metrics' | 'api' | 'accessLog';

interface SourceTrack {
	ok: boolean;
	off: boolean;
	error?: string;
	lastSuccessAt?: number;
	notes: string[];
	failedPolls: number;
}

/** A time (ms since the epoch) as ISO 8601, the form snapshots use. */
export const iso = (ms: number): string => new Date(ms).toISOString();

/** Keeps ok/failed, the last error and the last success of each source. */
export class SourceBook {
	private readonly tracks: Record<SourceName, SourceTrack> = {
		proc: {ok: false, off: false, notes: [], failedPolls: 0, error: 'no data yet'},
		metrics: {ok: false, off: false, notes: [], failedPolls: 0, error: 'no data yet'},
		api: {ok: false, off: false, notes: [], failedPolls: 0, error: 'no data yet'},
		accessLog: {ok: false, off: false, notes: [], failedPolls: 0, error: 'no data yet'},
	};

	/** Switched off by the user: never an alert. */
	disable(name: SourceName): void {
		this.tracks[name] = {ok: false, off: true, error: 'not configured', notes: [], failedPolls: 0};
	}

	succeed(name: SourceName, now: number, notes: string[] = []): void {
		this.tracks[name] = {ok: true, off: false, lastSuccessAt: now, notes, failedPolls: 0};
	}

	fail(name: SourceName, error: string): void {
		const t = this.tracks[name];
		// Keep the last success and notes: the screen says how stale the data is.
		this.tracks[name] = {...t, ok: false, error, failedPolls: t.failedPolls + 1};
	}

	/** Switched off by the user (or not there for this target: no kernel view of another host). */
	off(name: SourceName): boolean {
		return this.tracks[name].off;
	}

	ok(name: SourceName): boolean {
		return this.tracks[name].ok;
	}

	/** Sources that are failing now (switched-off ones never are), with their errors and how many polls in a row. */
	failing(): {name: SourceName; error: string; polls: number}[] {
		const out: {name: SourceName; error: string; polls: number}[] = [];
		for (const name of Object.keys(this.tracks) as SourceName[]) {
			const t = this.tracks[name];
			if (!t.ok && !t.off && t.failedPolls > 0) out.push({name, error: t.error ?? 'failed', polls: t.failedPolls});
		}
		return out;
	}

	/** Every source; the access log only when it is configured. */
	snapshot(): Record<Exclude<SourceName, 'accessLog'>, SourceState> & {accessLog?: SourceState} {
		const one = (t: SourceTrack): SourceState => ({
			ok: t.ok,
			...(t.error === undefined || t.ok ? {} : {error: t.error}),
			...(t.lastSuccessAt === undefined ? {} : {lastSuccessAt: iso(t.lastSuccessAt)}),
			...(t.notes.length === 0 ? {} : {notes: [...t.notes]}),
		});
		return {
			proc: one(this.tracks.proc),
			metrics: one(this.tracks.metrics),
			api: one(this.tracks.api),
			...(this.tracks.accessLog.off ? {} : {accessLog: one(this.tracks.accessLog)}),
		};
	}
}

const written = new WeakMap<Alert, SnapshotAlert>();

/** An alert as the snapshot writes it (ISO times); an unchanged alert is written once. */
export function toSnapshotAlert(a: Alert): SnapshotAlert {
	const known = written.get(a);
	if (known !== undefined) return known;
	const out: SnapshotAlert = {
		rule: a.rule,
		level: a.level,
		subject: a.subject,
		...(a.service === undefined ? {} : {service: a.service}),
		value: a.value,
		threshold: a.threshold,
		text: a.text,
		since: iso(a.since),
		...(a.resolvedAt === undefined ? {} : {resolvedAt: iso(a.resolvedAt)}),
	};
	written.set(a, out);
	return out;
}
