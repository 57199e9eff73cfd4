/** Thresholds of every rule, with their defaults (from each family's file), and the user's overrides. */
import {RULE_NAMES} from '../../domain/rules.js';
import {CERT_EXPIRY_RULES} from './cert-expiry.js';
import {CLOSE_WAIT_RULES} from './close-wait.js';
import {CONNECTING_RULES} from './connecting.js';
import {ERROR_RATIO_RULES} from './error-ratio.js';
import {LATENCY_RULES} from './latency.js';
import {SERVER_DOWN_RULES} from './server-down.js';
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
		typeof SOURCE_FAILED_RULES
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
		rule[key] = parsed;
	}
	return result as unknown as RulesConfig;
}

function parseSetting(text: string): unknown {
	if (text === 'true' || text === 'false') return text === 'true';
	if (text === 'null') return null;
	const number = Number(text.replace(/%$/, ''));
	if (text.trim() !== '' && Number.isFinite(number)) return text.endsWith('%') ? number / 100 : number;
	return text;
}
