/** The demo's scripted faults: what each does, what it should trip, and the repeating timeline. */
import type {RuleName} from '../domain/rules.js';

export const FAULT_NAMES = ['slow', 'closeWait', 'timeWait', 'unreachable', 'refused', 'ejected', 'unhealthy', 'errors', 'certificate', 'restart'] as const;
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
	slow: {
		description: 'api-2 answers in 0.4-1.1 s',
		service: 'api-v2@file',
		server: 'api-2',
		expect: ['latency_p95'],
		allow: ['server_latency_p95'],
		seconds: 35,
	},
	// Slow clients download from web@file; web-2 answers with 5 MB and closes. The proxy's socket
	// holds the end of the file and web-2's FIN, unread while the client stalls: CLOSE_WAIT from
	// the first download on (one a second, half of them to web-2), each for the 75 s of its stall.
	// Whether one does at once depends on how far the kernel has grown the buffers on the way: the
	// first may take some seconds. The downloads that end count 75 s in the service's latency:
	// latency_p95 may fire as well.
	closeWait: {
		description: 'slow clients download large files from web-2, which closes after each (CLOSE_WAIT)',
		service: 'web@file',
		server: 'web-2',
		expect: ['close_wait_present', 'close_wait_stuck'],
		allow: ['latency_p95', 'server_latency_p95'],
		seconds: 80,
		onsetSeconds: 8,
	},
	timeWait: {
		description: 'static@file without keep-alive, the proxy closing first (TIME_WAIT storm)',
		service: 'static@file',
		server: 'static-1',
		expect: ['time_wait_ratio'],
		allow: ['no_established'],
		seconds: 30,
	},
	unreachable: {
		description: 'auth-2 stops accepting: a listener that never accepts (SYN_SENT)',
		service: 'auth@file',
		server: 'auth-2',
		expect: ['syn_sent_stuck'],
		// The connections Traefik gives up on, and its health checks' (each closed by Traefik),
		// stay in TIME_WAIT beside the SYN_SENT ones: TIME_WAIT's share of the backend rises.
		allow: ['no_established', 'server_down', 'error_ratio', 'latency_p95', 'time_wait_ratio', 'server_error_ratio', 'server_latency_p95'],
		seconds: 30,
		onsetSeconds: 1,
	},
	refused: {
		description: 'search-1 is down: connections refused, 502s',
		service: 'search@file',
		server: 'search-1',
		expect: ['no_established'],
		allow: ['error_ratio', 'retry_ratio'],
		seconds: 25,
	},
	// web@file has a passive health check: after three refused attempts Traefik leaves web-1 out for
	// 10 s, server_up 0 while the API still says UP, and tries it again; web-2 takes the traffic.
	ejected: {
		description: "web-1 refuses connections: web@file's passive health check leaves it out (server_up 0, the API says UP)",
		service: 'web@file',
		server: 'web-1',
		expect: ['server_down'],
		allow: ['no_established', 'error_ratio', 'server_error_ratio'],
		seconds: 20,
	},
	// error_ratio reads the last minute: its 1 % of ~250 requests takes three errors, about 1.5 s of
	// api-1's traffic after the switch.
	// auth@file's active health check asks /health every 10 s: the next check marks auth-1 DOWN.
	unhealthy: {
		description: "auth-1's /health answers 503: the active health check marks it DOWN",
		service: 'auth@file',
		server: 'auth-1',
		expect: ['server_down'],
		allow: [],
		seconds: 25,
		onsetSeconds: 10,
	},
	errors: {
		description: 'api-1 answers 500 to every other request',
		service: 'api-v1@file',
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
	[76, 'ejected'],
	[100, 'restart'],
	[110, 'unhealthy'],
];

/** Length of one cycle of the timeline. */
export const CYCLE_SECONDS = 150;
