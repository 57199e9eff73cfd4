/** Thresholds of every rule (PRODUCT.md's table), with their defaults. */

export type AlertLevel = 'warn' | 'crit';

export const RULE_NAMES = [
	'close_wait_stuck',
	'close_wait_present',
	'time_wait_ratio',
	'no_established',
	'syn_sent_stuck',
	'retransmitting',
	'server_down',
	'error_ratio',
	'latency_p95',
	'ephemeral_ports',
	'cert_expiry',
	'source_failed',
] as const;

export type RuleName = (typeof RULE_NAMES)[number];

/** Every threshold, each rule switchable with `enabled`. */
export interface RulesConfig {
	readonly close_wait_stuck: {readonly enabled: boolean; readonly seconds: number};
	readonly close_wait_present: {readonly enabled: boolean; readonly seconds: number};
	readonly time_wait_ratio: {readonly enabled: boolean; readonly warn: number; readonly crit: number; readonly minConnections: number};
	readonly no_established: {readonly enabled: boolean; readonly polls: number; readonly minRequestsPerSecond: number};
	readonly syn_sent_stuck: {readonly enabled: boolean; readonly polls: number};
	readonly retransmitting: {readonly enabled: boolean; readonly polls: number};
	readonly server_down: {readonly enabled: boolean};
	readonly error_ratio: {readonly enabled: boolean; readonly warn: number; readonly crit: number; readonly minRequests: number};
	/** `bucket`: the bound in seconds; null means the second bucket of the histogram. */
	readonly latency_p95: {readonly enabled: boolean; readonly bucket: number | null; readonly minRequests: number; readonly windowSeconds: number};
	readonly ephemeral_ports: {readonly enabled: boolean; readonly ratio: number};
	readonly cert_expiry: {readonly enabled: boolean; readonly warnDays: number; readonly critDays: number};
	readonly source_failed: {readonly enabled: boolean; readonly polls: number};
}

export const DEFAULT_RULES: RulesConfig = {
	close_wait_stuck: {enabled: true, seconds: 60},
	close_wait_present: {enabled: true, seconds: 10},
	time_wait_ratio: {enabled: true, warn: 0.2, crit: 0.5, minConnections: 10},
	no_established: {enabled: true, polls: 2, minRequestsPerSecond: 0.5},
	syn_sent_stuck: {enabled: true, polls: 2},
	retransmitting: {enabled: true, polls: 2},
	server_down: {enabled: true},
	error_ratio: {enabled: true, warn: 0.01, crit: 0.05, minRequests: 20},
	latency_p95: {enabled: true, bucket: null, minRequests: 10, windowSeconds: 10},
	ephemeral_ports: {enabled: true, ratio: 0.5},
	cert_expiry: {enabled: true, warnDays: 14, critDays: 3},
	source_failed: {enabled: true, polls: 1},
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
