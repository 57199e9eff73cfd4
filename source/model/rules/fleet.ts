/**
 * The rules of a group of instances: config_drift (their configurations disagree), instance_down
 * (one cannot be reached), reload_stale (one did not reload after the others did). They judge
 * the group, not one instance, so the fleet model runs them after every instance's own rules.
 */
import type {DriftItem} from '../../domain/fleet.js';
import type {Breach} from '../alerts.js';
import type {RulesConfig} from './config.js';
import {round} from './verdict.js';

/** The rules' settings and their defaults. */
export const FLEET_RULES = {
	/** Fires once the same difference has lasted `graceRefreshes` API refreshes; crit when one instance has under `ratio` of the others' routers. */
	config_drift: {enabled: true, graceRefreshes: 2, ratio: 0.5},
	instance_down: {enabled: true, polls: 2},
	/** An instance that has not reloaded `seconds` after a change another instance reloaded. */
	reload_stale: {enabled: true, seconds: 30},
};

/** A reload closer than this to the process start is its first load, not a change. */
const STARTUP_RELOAD_MS = 5000;
/** Instances' reloads of one change this far apart are the same reload. */
const SKEW_MS = 5000;

/** What the fleet rules read of one instance. */
export interface FleetMember {
	readonly name: string;
	/** Polls in a row in which neither /metrics nor the API answered (0: it answers). */
	readonly downPolls: number;
	readonly downError?: string;
	/** Routers in its configuration (null: not read yet). */
	readonly routers: number | null;
	/** traefik_config_last_reload_success, ms (null: unknown). */
	readonly lastReloadAt: number | null;
	/** When its process started, ms (null: unknown). */
	readonly startedAt: number | null;
}

export interface FleetInput {
	readonly now: number;
	readonly members: readonly FleetMember[];
	readonly drift: readonly DriftItem[];
	readonly apiIntervalSeconds: number;
	readonly intervalSeconds: number;
}

const at = (ms: number): string => new Date(ms).toISOString().slice(11, 19);

function configDrift(input: FleetInput, settings: RulesConfig['config_drift'], found: Breach[]): void {
	if (!settings.enabled || input.drift.length === 0) return;
	const up = input.members.filter((m) => m.downPolls === 0 && m.routers !== null);
	const byInstance = new Map<string, DriftItem[]>();
	for (const item of input.drift) for (const name of item.instances) (byInstance.get(name) ?? byInstance.set(name, []).get(name)!).push(item);
	for (const [name, items] of byInstance) {
		const member = up.find((m) => m.name === name);
		const others = up.filter((m) => m.name !== name).map((m) => m.routers!);
		const most = others.length === 0 ? 0 : Math.max(...others);
		const lost = member !== undefined && most > 0 && member.routers! < most * settings.ratio;
		const shown = items
			.slice(0, 3)
			.map((i) => i.text)
			.join('; ');
		const more = items.length > 3 ? `; and ${items.length - 3} more` : '';
		found.push({
			rule: 'config_drift',
			level: lost ? 'crit' : 'warn',
			subject: name,
			value: items.length,
			threshold: lost ? `${Math.round(settings.ratio * 100)}% of ${most} routers` : 0,
			text: lost
				? `${member!.routers} routers where the others have ${most}: ${shown}${more}`
				: `${items.length} difference${items.length === 1 ? '' : 's'} from the others: ${shown}${more}`,
			// The first refresh that shows it is the first of the grace; counted in polls, which timers cannot jitter.
			holdPolls: 1 + Math.max(0, settings.graceRefreshes - 1) * Math.max(1, Math.round(input.apiIntervalSeconds / input.intervalSeconds)),
		});
	}
}

function instanceDown(input: FleetInput, settings: RulesConfig['instance_down'], found: Breach[]): void {
	if (!settings.enabled) return;
	for (const m of input.members) {
		if (m.downPolls === 0) continue;
		found.push({
			rule: 'instance_down',
			level: 'crit',
			subject: m.name,
			value: m.downPolls,
			threshold: settings.polls,
			text: `cannot be reached for ${m.downPolls} poll${m.downPolls === 1 ? '' : 's'} (limit ${settings.polls}): ${m.downError ?? 'no answer'}`,
			holdPolls: settings.polls,
		});
	}
}

function reloadStale(input: FleetInput, settings: RulesConfig['reload_stale'], found: Breach[]): void {
	if (!settings.enabled) return;
	const up = input.members.filter((m) => m.downPolls === 0 && m.lastReloadAt !== null);
	// The latest change: a reload after its instance's first load.
	let change: FleetMember | null = null;
	for (const m of up) {
		if (m.startedAt !== null && m.lastReloadAt! - m.startedAt < STARTUP_RELOAD_MS) continue;
		if (change === null || m.lastReloadAt! > change.lastReloadAt!) change = m;
	}
	if (change === null || input.now - change.lastReloadAt! < settings.seconds * 1000) return;
	const changedAt = change.lastReloadAt!;
	const since = (input.now - changedAt) / 1000;
	for (const m of up) {
		// Reloads of one change land within the providers' throttle (2 s by default) of each other.
		// Started after the change: it loaded whatever was there then.
		if (changedAt - m.lastReloadAt! <= SKEW_MS || (m.startedAt !== null && m.startedAt > changedAt)) continue;
		found.push({
			rule: 'reload_stale',
			level: 'warn',
			subject: m.name,
			value: `${round(since, 0)} s`,
			threshold: `${settings.seconds} s`,
			text:
				`no reload since ${change.name} reloaded a change at ${at(changedAt)}, ${round(since, 0)} s ago ` +
				`(limit ${settings.seconds} s); its last at ${at(m.lastReloadAt!)}`,
		});
	}
}

/** Every breach of the group's rules this poll. */
export function judgeFleet(input: FleetInput, rules: RulesConfig): Breach[] {
	const found: Breach[] = [];
	instanceDown(input, rules.instance_down, found);
	configDrift(input, rules.config_drift, found);
	reloadStale(input, rules.reload_stale, found);
	return found;
}
