/** Alert lifecycle: conditions that must hold for a time or a number of polls, then fire and resolve. Pure. */
import type {AlertLevel, RuleName} from '../domain/rules.js';

/** A rule's condition found true in this poll. */
export interface Breach {
	readonly rule: RuleName;
	readonly level: AlertLevel;
	/** What is breaching: a backend address, a service, a certificate, a source. */
	readonly subject: string;
	/** The service concerned, when there is one. */
	readonly service?: string;
	readonly value: number | string;
	readonly threshold: number | string;
	/** What was seen against what limit, in units ("SYN_SENT for 3 polls (limit 2)"). */
	readonly text: string;
	/** The condition must hold this long before the alert fires. */
	readonly holdSeconds?: number;
	/** ... and for this many consecutive polls. */
	readonly holdPolls?: number;
}

/** An alert as the snapshot and the screen show it. */
export interface Alert {
	readonly rule: RuleName;
	readonly level: AlertLevel;
	readonly subject: string;
	readonly service?: string;
	readonly value: number | string;
	readonly threshold: number | string;
	readonly text: string;
	/** When the condition was first seen (ms since the epoch). */
	readonly since: number;
	/** When it stopped (resolved alerts only). */
	readonly resolvedAt?: number;
}

interface Pending {
	first: number;
	polls: number;
	breach: Breach;
	active: boolean;
	/** The worst level reached while active (an alert does not calm down while it lasts). */
	level: AlertLevel;
	/** The alert as last handed out: kept while nothing in it changes, so snapshots reuse it. */
	alert: Alert | null;
}

const keyOf = (b: {rule: string; subject: string}): string => `${b.rule}\u0000${b.subject}`;

/** Keeps pending and active alerts between polls, and the recently resolved ones. */
export class AlertBook {
	private readonly pending = new Map<string, Pending>();
	private resolvedList: Alert[] = [];
	/** The active alerts in order, kept until an update changes one. */
	private activeList: Alert[] | null = null;

	constructor(
		private readonly keepResolved = 20,
		private readonly resolvedRetentionMs = 10 * 60_000,
	) {}

	/**
	 * Feeds the breaches of one poll; conditions absent from it end, except those of `held` rules
	 * (their source failed this poll: not seeing a condition is not seeing it end).
	 */
	update(now: number, breaches: readonly Breach[], held: ReadonlySet<RuleName> = new Set()): void {
		const seen = new Set<string>();
		for (const breach of breaches) {
			const key = keyOf(breach);
			if (seen.has(key)) continue;
			seen.add(key);
			let p = this.pending.get(key);
			if (p === undefined) {
				p = {first: now, polls: 0, breach, active: false, level: breach.level, alert: null};
				this.pending.set(key, p);
			}
			p.polls++;
			const level = p.active && p.level === 'crit' ? 'crit' : breach.level;
			const old = p.breach;
			if (level !== p.level || old.value !== breach.value || old.threshold !== breach.threshold || old.text !== breach.text) p.alert = null;
			p.breach = breach;
			p.level = level;
			if (!p.active && now - p.first >= (breach.holdSeconds ?? 0) * 1000 && p.polls >= (breach.holdPolls ?? 1)) p.active = true;
			if (p.active && p.alert === null) this.activeList = null;
		}
		for (const [key, p] of this.pending) {
			if (seen.has(key) || held.has(p.breach.rule)) continue;
			this.pending.delete(key);
			if (p.active) {
				this.resolvedList.unshift({...this.toAlert(p), resolvedAt: now});
				this.activeList = null;
			}
		}
		this.resolvedList = this.resolvedList.filter((a) => now - (a.resolvedAt ?? now) <= this.resolvedRetentionMs).slice(0, this.keepResolved);
	}

	private toAlert(p: Pending): Alert {
		if (p.alert !== null) return p.alert;
		const {rule, subject, service, value, threshold, text} = p.breach;
		p.alert = {rule, level: p.level, subject, ...(service === undefined ? {} : {service}), value, threshold, text, since: p.first};
		return p.alert;
	}

	/** Active alerts, critical first, then oldest first (the same objects while they do not change). */
	active(): readonly Alert[] {
		this.activeList ??= [...this.pending.values()]
			.filter((p) => p.active)
			.map((p) => this.toAlert(p))
			.sort((a, b) => (a.level === b.level ? a.since - b.since : a.level === 'crit' ? -1 : 1));
		return this.activeList;
	}

	/** Recently resolved alerts, newest first. */
	resolved(): readonly Alert[] {
		return this.resolvedList;
	}

	/** Forgets pending conditions of the given rules (e.g. after a Traefik restart). */
	reset(): void {
		this.pending.clear();
		this.activeList = null;
	}
}
