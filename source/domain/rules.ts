/** The rules' names and levels, which alerts, snapshots and the demo's fault specs share. */

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
	'server_error_ratio',
	'server_latency_p95',
	'retry_ratio',
	'config_drift',
	'instance_down',
	'reload_stale',
] as const;

export type RuleName = (typeof RULE_NAMES)[number];
