/** The demo's scripted faults: what each does, what it should trip, and the repeating timeline. */
import type {RuleName} from '../model/rules-config.js';

export const FAULT_NAMES = ['slow', 'closeWait', 'timeWait', 'unreachable', 'refused', 'errors', 'certificate', 'restart'] as const;
export type FaultName = (typeof FAULT_NAMES)[number];

/** What a fault does and which rules must catch it (and which may also fire, as a consequence). */
export interface FaultSpec {
	readonly description: string;
	/** The service or backend server it hits. */
	readonly target: string;
	/** Rules that must fire for the target. */
	readonly expect: readonly RuleName[];
	/** Rules that may fire too because of it (a refused backend also makes 5xx). */
	readonly allow: readonly RuleName[];
	/** Default time it lasts in the timeline, in seconds. */
	readonly seconds: number;
}

export const FAULTS: Readonly<Record<FaultName, FaultSpec>> = {
	slow: {description: 'api-2 answers in 0.5-2.5 s', target: 'api-v2@demo', expect: ['latency_p95'], allow: [], seconds: 35},
	closeWait: {description: 'the proxy leaks the sockets web-2 closes (CLOSE_WAIT)', target: 'web-2', expect: ['close_wait_present', 'close_wait_stuck'], allow: [], seconds: 80},
	timeWait: {description: 'static@demo without keep-alive, the proxy closing first (TIME_WAIT storm)', target: 'static@demo', expect: ['time_wait_ratio'], allow: ['no_established'], seconds: 30},
	unreachable: {description: 'auth-2 stops accepting: a listener that never accepts (SYN_SENT)', target: 'auth-2', expect: ['syn_sent_stuck'], allow: ['no_established', 'server_down', 'error_ratio', 'latency_p95'], seconds: 30},
	refused: {description: 'search-1 is down: connections refused, 502s', target: 'search-1', expect: ['no_established'], allow: ['error_ratio'], seconds: 25},
	errors: {description: 'api-1 answers 500 to a third of its requests', target: 'api-v1@demo', expect: ['error_ratio'], allow: [], seconds: 30},
	certificate: {description: 'the TLS certificate expires in 10 days', target: 'demo.localhost', expect: ['cert_expiry'], allow: [], seconds: 60},
	restart: {description: 'the proxy restarts: new PID, counters reset', target: 'proxy', expect: [], allow: ['source_failed'], seconds: 3},
};

/** When each fault starts in the repeating timeline (seconds from the start of a cycle). */
export const TIMELINE: readonly (readonly [number, FaultName])[] = [
	[2, 'closeWait'],
	[4, 'certificate'],
	[8, 'slow'],
	[14, 'timeWait'],
	[24, 'errors'],
	[34, 'unreachable'],
	[46, 'refused'],
	[100, 'restart'],
];

/** Length of one cycle of the timeline. */
export const CYCLE_SECONDS = 150;
