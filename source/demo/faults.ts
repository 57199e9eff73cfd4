/** The demo's scripted faults: what each does, what it should trip, and the repeating timeline. */
import type {RuleName} from '../domain/rules.js';

export const FAULT_NAMES = ['slow', 'closeWait', 'timeWait', 'unreachable', 'refused', 'errors', 'certificate', 'restart'] as const;
export type FaultName = (typeof FAULT_NAMES)[number];

/** What a fault does and which rules must catch it (and which may also fire, as a consequence). */
export interface FaultSpec {
	readonly description: string;
	/** The service it hits (or the certificate, or the proxy itself). */
	readonly service: string;
	/** The backend server it hits, when it hits one. */
	readonly server?: string;
	/** Rules that must fire for the target. */
	readonly expect: readonly RuleName[];
	/** Rules that may fire too because of it (a refused backend also makes 5xx). */
	readonly allow: readonly RuleName[];
	/** Default time it lasts in the timeline, in seconds. */
	readonly seconds: number;
	/** Seconds from the switch to the first sign in the kernel or the metrics (the backend's keep-alive timeout, say). */
	readonly onsetSeconds?: number;
}

export const FAULTS: Readonly<Record<FaultName, FaultSpec>> = {
	slow: {description: 'api-2 answers in 0.4-1.1 s', service: 'api-v2@demo', server: 'api-2', expect: ['latency_p95'], allow: [], seconds: 35},
	// web-2 closes a connection 2 s after its last request (the new keep-alive), and a pooled
	// connection may have served one just before the switch: up to 3 s.
	closeWait: {
		description: 'the proxy leaks the sockets web-2 closes (CLOSE_WAIT)',
		service: 'web@demo',
		server: 'web-2',
		expect: ['close_wait_present', 'close_wait_stuck'],
		allow: [],
		seconds: 80,
		onsetSeconds: 3,
	},
	timeWait: {
		description: 'static@demo without keep-alive, the proxy closing first (TIME_WAIT storm)',
		service: 'static@demo',
		server: 'static-1',
		expect: ['time_wait_ratio'],
		allow: ['no_established'],
		seconds: 30,
	},
	unreachable: {
		description: 'auth-2 stops accepting: a listener that never accepts (SYN_SENT)',
		service: 'auth@demo',
		server: 'auth-2',
		expect: ['syn_sent_stuck'],
		allow: ['no_established', 'server_down', 'error_ratio', 'latency_p95'],
		seconds: 30,
		onsetSeconds: 1,
	},
	refused: {
		description: 'search-1 is down: connections refused, 502s',
		service: 'search@demo',
		server: 'search-1',
		expect: ['no_established'],
		allow: ['error_ratio'],
		seconds: 25,
	},
	// error_ratio reads the last minute: its 1 % of ~250 requests takes three errors, about 1.5 s of
	// api-1's traffic after the switch.
	errors: {
		description: 'api-1 answers 500 to every other request',
		service: 'api-v1@demo',
		server: 'api-1',
		expect: ['error_ratio'],
		allow: [],
		seconds: 30,
		onsetSeconds: 1,
	},
	certificate: {description: 'the TLS certificate expires in 10 days', service: 'demo.localhost', expect: ['cert_expiry'], allow: [], seconds: 60},
	// The old process's connections close with it and linger in TIME_WAIT, as Traefik's do.
	restart: {description: 'the proxy restarts: new PID, counters reset', service: 'proxy', expect: [], allow: ['source_failed', 'time_wait_ratio'], seconds: 3},
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
