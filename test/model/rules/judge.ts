// Runs the real rule families over rows, as the monitor does, for the rules' tests.
import type {CertificateExpiry} from '../../../source/domain/harvest.js';
import type {Latency} from '../../../source/domain/snapshot.js';
import {emptyStates, type StateCounts} from '../../../source/domain/tcp.js';
import {DEFAULT_RULES, type RulesConfig} from '../../../source/model/rules/config.js';
import type {BackendFigures, RuleContext, ServiceFigures, Spans} from '../../../source/model/rules/family.js';
import {judge} from '../../../source/model/rules/index.js';
import type {SpanStats} from '../../../source/model/traffic.js';

export function backendRow(over: Omit<Partial<BackendFigures>, 'states'> & {states?: Partial<StateCounts>} = {}): BackendFigures {
	const states = {...emptyStates(), ...over.states};
	const total = Object.values(states).reduce((a, b) => a + b, 0);
	return {
		service: 'svc@x',
		services: ['svc@x'],
		address: '10.0.0.3:80',
		urls: [],
		status: 'UP',
		statusStale: false,
		total,
		closeWaitOldestSeconds: null,
		timeWaitRatio: total === 0 ? null : states.TIME_WAIT / total,
		txQueueBytes: 0,
		rxQueueBytes: 0,
		retransmitting: 0,
		synSentPolls: 0,
		retransmitPolls: 0,
		newAnswered: 0,
		...over,
		states,
	};
}

export const latency = (p95: number | null, bounds: readonly (number | '+Inf')[] = [0.1, 0.3, 1.2, 5, '+Inf']): Latency => ({
	p50: null,
	p95,
	p99: null,
	buckets: bounds.map((le) => ({le, share: 0, cumulativeShare: 0})),
});

export const span = (requests: number, errorRatio: number | null = null, p95: number | null = null): SpanStats => ({
	requests,
	requestsPerSecond: requests / 60,
	statusRates: {'2xx': null, '3xx': null, '4xx': null, '5xx': null},
	errorRatio,
	latency: latency(p95),
	bytesInPerSecond: null,
	bytesOutPerSecond: null,
	retriesPerSecond: null,
});

export function serviceRow(name = 's@x', over: Partial<ServiceFigures> = {}): ServiceFigures {
	const none = latency(null);
	return {
		name,
		requestsPerSecond: 1,
		errorRatio: null,
		errorRatioMinute: null,
		statusRates: {'2xx': null, '3xx': null, '4xx': null, '5xx': null},
		latency: none,
		latencyMinute: none,
		latencyRecent: none,
		servers: [],
		serversUp: 0,
		bytesInPerSecond: null,
		bytesOutPerSecond: null,
		retriesPerSecond: null,
		connections: {ESTABLISHED: 0, TIME_WAIT: 0, CLOSE_WAIT: 0},
		...over,
	};
}

export interface Scene {
	readonly backends?: readonly BackendFigures[];
	readonly services?: readonly ServiceFigures[];
	readonly rate?: number | null;
	readonly spans?: Spans;
	readonly rules?: RulesConfig;
	readonly certificates?: readonly CertificateExpiry[];
	readonly failingSources?: RuleContext['failingSources'];
	readonly now?: number;
}

/** Judges a scene; `fired` lists `rule:level` of every breach, in order. */
export function judgeScene(scene: Scene) {
	const result = judge(
		{backends: scene.backends ?? [], services: scene.services ?? [], totals: scene.spans ?? {minute: null, recent: null}, judge: {proc: true, metrics: true}},
		{
			rules: scene.rules ?? DEFAULT_RULES,
			now: scene.now ?? 0,
			ephemeralPorts: [32768, 60999],
			serviceRate: () => scene.rate ?? null,
			spans: () => scene.spans ?? {minute: null, recent: null},
			certificates: scene.certificates ?? [],
			failingSources: scene.failingSources ?? [],
			backendsOf: (service) => (scene.backends ?? []).filter((b) => b.services.includes(service)),
		},
	);
	return {...result, fired: result.breaches.map((b) => `${b.rule}:${b.level}`)};
}

/** Breaches of one backend row, as `rule:level`. */
export const firedFor = (row: BackendFigures, rate: number | null = null, rules = DEFAULT_RULES): string[] => judgeScene({backends: [row], rate, rules}).fired;
