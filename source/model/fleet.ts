/**
 * A group of Traefik instances: each has its own monitor (run/fleet.ts feeds them); this keeps
 * what is the group's own (which instance is down, how their configurations differ, the group's
 * alerts) and makes the one snapshot every view draws: the instances summed, or one of them
 * pinned. Pure: times come in.
 */
import type {DriftItem, NormalizedConfig} from '../domain/fleet.js';
import type {RuleName} from '../domain/rules.js';
import type {Snapshot, SnapshotAlert} from '../domain/snapshot.js';
import {AlertBook} from './alerts.js';
import {configDrift} from './drift.js';
import {instanceAlert, mergeSnapshots} from './fleet-merge.js';
import {FleetHistory} from './fleet-history.js';
import type {RulesConfig} from './rules/config.js';
import {judgeFleet, type FleetMember} from './rules/fleet.js';
import {iso, toSnapshotAlert} from './sources.js';

/** One instance as the fleet sees it after a poll. */
export interface FleetInstanceInput {
	readonly name: string;
	/** Its API (or metrics) URL as shown, without user:password. */
	readonly url: string;
	/** Its monitor's latest snapshot (null: no poll of it has ended yet). */
	readonly snapshot: Snapshot | null;
	/** Its configuration from the last good API answer. */
	readonly config: NormalizedConfig | null;
	/** Set when this poll of it missed the deadline: what is said about it. */
	readonly late?: string;
	/** The HTTP sources it is read by (none: the kernel view only). */
	readonly http: readonly ('metrics' | 'api')[];
}

export type Instance = NonNullable<Snapshot['instances']>[number];

/** What the fleet model needs of the settings. */
export interface FleetConfig {
	readonly rules: RulesConfig;
	readonly apiIntervalSeconds: number;
	intervalSeconds: number;
	/** Points of history kept (the retention over the interval). */
	readonly historyLength: number;
}

const HELD_WHEN_LATE: ReadonlySet<RuleName> = new Set<RuleName>(['config_drift', 'reload_stale']);

/** Why an instance is unreachable this poll, or null when one of its HTTP sources answered. */
function unreachable(input: FleetInstanceInput): string | null {
	if (input.late !== undefined) return input.late;
	const s = input.snapshot;
	if (s === null) return null;
	const sources = input.http.length === 0 ? (['proc'] as const) : input.http;
	const failing = sources.filter((name) => !s.sources[name].ok);
	if (failing.length < sources.length) return null;
	// Over a broken SSH link every source says the same: once.
	return [...new Set(failing.map((name) => s.sources[name].error ?? `${name} failed`))].join('; ');
}

export class FleetModel {
	private readonly alerts = new AlertBook();
	private readonly downPolls = new Map<string, {polls: number; error: string}>();
	private inputs: readonly FleetInstanceInput[] = [];
	private fleetAlerts: SnapshotAlert[] = [];
	private fleetResolved: SnapshotAlert[] = [];
	private members: FleetMember[] = [];
	private instanceRows: Instance[] = [];
	drift: readonly DriftItem[] = [];
	private diffed: {names: readonly string[]; configs: readonly NormalizedConfig[]} | null = null;
	lastAt = 0;

	private readonly history: FleetHistory;
	/** Every instance summed, as of the last update (its series are the group's own). */
	private merged: Snapshot | null = null;

	constructor(private readonly config: FleetConfig) {
		this.history = new FleetHistory(config.historyLength);
	}

	/** The poll interval, when the user changes it (the drift's grace is counted in polls). */
	setInterval(seconds: number): void {
		this.config.intervalSeconds = seconds;
	}

	/** Takes every instance's state after a poll, and judges the group. */
	update(now: number, inputs: readonly FleetInstanceInput[]): void {
		this.lastAt = now;
		this.inputs = inputs;
		for (const input of inputs) {
			const reason = unreachable(input);
			const previous = this.downPolls.get(input.name);
			if (reason === null) this.downPolls.delete(input.name);
			else this.downPolls.set(input.name, {polls: (previous?.polls ?? 0) + 1, error: reason});
		}
		// Compared: instances whose API answered at its last refresh (a failing API's configuration is not known now).
		const compared = inputs.filter((i) => i.config !== null && i.snapshot?.sources.api.ok === true && !this.downPolls.has(i.name));
		// Configurations change at API refreshes only: the diff is made again when one of them is another object.
		const key = compared.map((i) => i.name);
		const configs = compared.map((i) => i.config!);
		const last = this.diffed;
		if (last === null || last.names.join('\u0000') !== key.join('\u0000') || last.configs.some((c, i) => c !== configs[i])) {
			this.drift = configDrift(compared.map((i, n) => ({instance: i.name, config: configs[n]!})));
			this.diffed = {names: key, configs};
		}
		const members: FleetMember[] = inputs.map((input) => {
			const s = input.snapshot;
			const down = this.downPolls.get(input.name);
			const reloadAge = s?.traefik.configReloadAgeSeconds ?? null;
			const uptime = s?.traefik.uptimeSeconds ?? null;
			const taken = s === null ? now : Date.parse(s.takenAt);
			return {
				name: input.name,
				downPolls: down?.polls ?? 0,
				...(down === undefined ? {} : {downError: down.error}),
				routers: input.config?.routers ?? null,
				lastReloadAt: reloadAge === null ? null : taken - reloadAge * 1000,
				startedAt: uptime === null ? null : taken - uptime * 1000,
			};
		});
		const breaches = judgeFleet(
			{now, members, drift: this.drift, apiIntervalSeconds: this.config.apiIntervalSeconds, intervalSeconds: this.config.intervalSeconds},
			this.config.rules,
		);
		const held = new Set<RuleName>(inputs.some((i) => i.late !== undefined) ? HELD_WHEN_LATE : []);
		this.alerts.update(now, breaches, held);
		// The group's alerts are about an instance: their subject names it already.
		this.fleetAlerts = this.alerts.active().map((a) => ({...toSnapshotAlert(a), instance: a.subject}));
		this.fleetResolved = this.alerts.resolved().map((a) => ({...toSnapshotAlert(a), instance: a.subject}));
		this.members = members;
		this.instanceRows = inputs.map((input, i) => this.instanceRow(input, members[i]!));
		this.merged = this.merge();
		if (this.merged !== null) this.history.push(this.merged.totals, established(this.merged));
	}

	/** Every instance that has a snapshot, summed (an unreachable one says so once: instance_down, not a source_failed per source). */
	private merge(): Snapshot | null {
		const parts = this.inputs.flatMap((i) =>
			i.snapshot === null
				? []
				: [
						{
							name: i.name,
							snapshot: this.downPolls.has(i.name) ? {...i.snapshot, alerts: i.snapshot.alerts.filter((a) => a.rule !== 'source_failed')} : i.snapshot,
						},
					],
		);
		return parts.length === 0 ? null : mergeSnapshots(parts);
	}

	/**
	 * The instances' snapshots again (a service was pinned), without judging the group again.
	 * Given with their series, they seed the group's (the series of what is pinned now).
	 */
	refreshSnapshots(inputs: readonly FleetInstanceInput[], withHistory = false): void {
		if (inputs.length !== this.members.length) return;
		this.inputs = inputs;
		this.instanceRows = inputs.map((input, i) => this.instanceRow(input, this.members[i]!));
		this.merged = this.merge();
		if (withHistory && this.merged !== null) this.history.seed(this.merged.history);
	}

	private instanceRow(input: FleetInstanceInput, member: FleetMember): Instance {
		const s = input.snapshot;
		const down = this.downPolls.get(input.name);
		const own = [...(s?.alerts ?? []), ...this.fleetAlerts.filter((a) => a.subject === input.name)];
		const level = own.some((a) => a.level === 'crit') ? 'crit' : own.length > 0 ? 'warn' : undefined;
		const noSource = {ok: false, error: 'no data yet'};
		return {
			name: input.name,
			url: input.url,
			state: input.late !== undefined ? 'late' : down !== undefined ? 'down' : s === null ? 'starting' : 'up',
			...(down === undefined ? {} : {error: down.error}),
			identity: s?.traefik ?? {
				pid: null,
				version: null,
				uptimeSeconds: null,
				cpuRatio: null,
				rssBytes: null,
				openConnections: null,
				configReloadAgeSeconds: null,
			},
			sources: s?.sources ?? {proc: noSource, metrics: noSource, api: noSource},
			requestsPerSecond: s?.totals.requestsPerSecond ?? null,
			errorRatio: s?.totals.errorRatio ?? null,
			p95: s?.totals.latency.p95 ?? null,
			lastReloadAt: member.lastReloadAt === null ? null : iso(member.lastReloadAt),
			configErrors: input.config?.errors ?? null,
			routers: input.config?.routers ?? null,
			services: input.config?.services ?? null,
			servers: input.config?.servers ?? null,
			fingerprint: input.config?.fingerprint ?? null,
			drift: this.drift.filter((d) => d.instances.includes(input.name)).map((d) => d.text),
			...(level === undefined ? {} : {alertLevel: level}),
			...(s?.link === undefined ? {} : {link: s.link}),
		};
	}

	/** The instances as the last update left them. */
	instances(): readonly Instance[] {
		return this.instanceRows;
	}

	/** The group's snapshot: every instance summed, or `pinned` alone (as a single-target run shows it). */
	snapshot(pinned: string | null): Snapshot | null {
		const one = pinned === null ? undefined : this.inputs.find((i) => i.name === pinned)?.snapshot;
		const base = pinned === null ? (this.merged === null ? null : {...this.merged, history: this.history.history()}) : one ? tagged(pinned, one) : null;
		if (base === null) return null;
		const fleetAlerts = pinned === null ? this.fleetAlerts : this.fleetAlerts.filter((a) => a.subject === pinned);
		const alerts = [...fleetAlerts, ...base.alerts].sort((a, b) => (a.level === b.level ? 0 : a.level === 'crit' ? -1 : 1));
		const resolved = pinned === null ? this.fleetResolved : this.fleetResolved.filter((a) => a.subject === pinned);
		return {
			...base,
			filter: {...base.filter, instance: pinned},
			alerts,
			recentAlerts: [...resolved, ...base.recentAlerts].slice(0, 20),
			instances: this.instanceRows,
			drift: this.drift.map((d) => ({kind: d.kind, name: d.name, text: d.text, instances: [...d.instances]})),
		};
	}
}

/** ESTABLISHED connections to every backend of every instance (null: no kernel view of any). */
function established(s: Snapshot): number | null {
	if (s.backends.length === 0 && !s.sources.proc.ok) return null;
	let n = 0;
	for (const b of s.backends) n += b.states.ESTABLISHED;
	return n;
}

/** One instance's snapshot with its rows named after it. */
function tagged(name: string, s: Snapshot): Snapshot {
	return {
		...s,
		services: s.services.map((r) => ({...r, instance: name})),
		backends: s.backends.map((b) => ({...b, instance: name})),
		alerts: s.alerts.map((a) => instanceAlert(name, a)),
		recentAlerts: s.recentAlerts.map((a) => instanceAlert(name, a)),
	};
}
