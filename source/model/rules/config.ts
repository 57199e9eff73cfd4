/** Thresholds of every rule, with their defaults (from each family's file), and the user's overrides. */
import {RULE_NAMES} from '../../domain/rules.js';
import {CERT_EXPIRY_RULES} from './cert-expiry.js';
import {CLOSE_WAIT_RULES} from './close-wait.js';
import {CONNECTING_RULES} from './connecting.js';
import {ERROR_RATIO_RULES} from './error-ratio.js';
import {FLEET_RULES} from './fleet.js';
import {LATENCY_RULES} from './latency.js';
import {SERVER_DOWN_RULES} from './server-down.js';
import {SERVER_REQUEST_RULES} from './server-requests.js';
import {SOURCE_FAILED_RULES} from './source-failed.js';
import {TIME_WAIT_RULES} from './time-wait.js';

type Settings<T> = {readonly [Rule in keyof T]: Readonly<T[Rule]>};

/** Every threshold, each rule switchable with `enabled`. */
export type RulesConfig = Settings<
	typeof CLOSE_WAIT_RULES &
		typeof TIME_WAIT_RULES &
		typeof CONNECTING_RULES &
		typeof SERVER_DOWN_RULES &
		typeof ERROR_RATIO_RULES &
		typeof LATENCY_RULES &
		typeof CERT_EXPIRY_RULES &
		typeof SOURCE_FAILED_RULES &
		typeof SERVER_REQUEST_RULES &
		typeof FLEET_RULES
>;

export const DEFAULT_RULES: RulesConfig = {
	...CLOSE_WAIT_RULES,
	...TIME_WAIT_RULES,
	...CONNECTING_RULES,
	...SERVER_DOWN_RULES,
	...ERROR_RATIO_RULES,
	...LATENCY_RULES,
	...CERT_EXPIRY_RULES,
	...SOURCE_FAILED_RULES,
	...SERVER_REQUEST_RULES,
	...FLEET_RULES,
};

/**
 * Applies `name.key=value` overrides (from --rule flags or the config file) to the defaults.
 * Throws with a readable message on an unknown rule, key or a value of the wrong type.
 */
export function applyRuleOverrides(base: RulesConfig, overrides: Readonly<Record<string, unknown>>): RulesConfig {
	const result: Record<string, Record<string, unknown>> = {};
	for (const name of RULE_NAMES) result[name] = {...base[name]};
	for (const [path, value] of Object.entries(overrides)) {
		const [name, key] = path.split('.');
		const rule = name === undefined ? undefined : result[name];
		if (rule === undefined || key === undefined) throw new Error(`unknown rule "${path}" (rules: ${RULE_NAMES.join(', ')})`);
		if (!(key in rule)) throw new Error(`rule ${name} has no setting "${key}" (settings: ${Object.keys(rule).join(', ')})`);
		const current = rule[key];
		const parsed = typeof value === 'string' ? parseSetting(value) : value;
		const compatible =
			typeof current === typeof parsed ||
			(current === null && (typeof parsed === 'number' || parsed === null)) ||
			(typeof current === 'number' && parsed === null && key === 'bucket');
		if (!compatible || (typeof parsed === 'number' && !Number.isFinite(parsed))) {
			throw new Error(`rule setting ${name}.${key} must be ${current === null ? 'a number' : typeof current}, got ${JSON.stringify(value)}`);
		}
		if (typeof parsed === 'number') checkRange(`${name}.${key}`, key, parsed);
		rule[key] = parsed;
	}
	for (const name of RULE_NAMES) {
		const rule = result[name]!;
		if (typeof rule['warn'] === 'number' && typeof rule['crit'] === 'number' && rule['warn'] > rule['crit']) {
			throw new Error(`rule ${name}: warn (${rule['warn']}) must not be above crit (${rule['crit']})`);
		}
		if (typeof rule['warnDays'] === 'number' && typeof rule['critDays'] === 'number' && rule['critDays'] > rule['warnDays']) {
			throw new Error(`rule ${name}: critDays (${rule['critDays']}) must not be above warnDays (${rule['warnDays']})`);
		}
	}
	return result as unknown as RulesConfig;
}

/** The range of each kind of setting, by its name (the same name means the same thing in every rule). */
const RANGES: Readonly<Record<string, readonly [number, number, 'integer' | 'number', string]>> = {
	warn: [0, 1, 'number', 'a share between 0 and 1 (or a percentage)'],
	crit: [0, 1, 'number', 'a share between 0 and 1 (or a percentage)'],
	ratio: [0, 1, 'number', 'a share between 0 and 1 (or a percentage)'],
	polls: [1, 1000, 'integer', 'a whole number of polls from 1 to 1000'],
	seconds: [1, 86_400, 'number', 'seconds from 1 to 86400'],
	windowSeconds: [1, 3600, 'number', 'seconds from 1 to 3600'],
	minConnections: [0, 1e9, 'integer', 'a whole number of connections'],
	minRequests: [0, 1e9, 'integer', 'a whole number of requests'],
	minRequestsPerSecond: [0, 1e9, 'number', 'requests per second, 0 or more'],
	warnDays: [0, 3650, 'number', 'days from 0 to 3650'],
	critDays: [0, 3650, 'number', 'days from 0 to 3650'],
	bucket: [1e-6, 1e6, 'number', 'a bucket bound in seconds, above 0'],
	graceRefreshes: [1, 1000, 'integer', 'a whole number of API refreshes from 1 to 1000'],
};

function checkRange(path: string, key: string, value: number): void {
	const range = RANGES[key];
	if (range === undefined) return;
	const [min, max, kind, words] = range;
	if (value < min || value > max || (kind === 'integer' && !Number.isInteger(value))) throw new Error(`rule setting ${path} must be ${words}, got ${value}`);
}

function parseSetting(text: string): unknown {
	if (text === 'true' || text === 'false') return text === 'true';
	if (text === 'null') return null;
	const number = Number(text.replace(/%$/, ''));
	if (text.trim() !== '' && Number.isFinite(number)) return text.endsWith('%') ? number / 100 : number;
	return text;
}
