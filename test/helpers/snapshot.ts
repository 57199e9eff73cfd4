import {REPORTED_STATES, type StateCounts} from '../../source/domain/tcp.js';
import type {BackendRow, Latency, ServiceRow, Snapshot, SnapshotAlert} from '../../source/domain/snapshot.js';
import {DEFAULT_RULES} from '../../source/model/rules/config.js';
import type {BackendFigures, ServiceFigures} from '../../source/model/rules/family.js';
import {judge} from '../../source/model/rules/index.js';
import {normalizeConfig} from '../../source/collect/config-normalize.js';
import {FleetModel} from '../../source/model/fleet.js';
import type {SpanStats} from '../../source/model/traffic.js';

export const states = (counts: Partial<StateCounts> = {}): StateCounts => Object.fromEntries(REPORTED_STATES.map((s) => [s, counts[s] ?? 0])) as StateCounts;

const latency = (p50: number, p95: number, p99: number): Latency => ({
	p50,
	p95,
	p99,
	buckets: [
		{le: 0.1, share: 0.8, cumulativeShare: 0.8},
		{le: 0.3, share: 0.15, cumulativeShare: 0.95},
		{le: 1.2, share: 0.04, cumulativeShare: 0.99},
		{le: 5, share: 0.01, cumulativeShare: 1},
		{le: '+Inf', share: 0, cumulativeShare: 1},
	],
});

export function service(name: string, over: Partial<ServiceFigures> = {}): ServiceFigures {
	return {
		name,
		requestsPerSecond: 12.5,
		errorRatio: 0,
		errorRatioMinute: 0,
		statusRates: {'2xx': 12, '3xx': 0.5, '4xx': 0, '5xx': 0},
		latency: latency(0.04, 0.09, 0.2),
		latencyMinute: latency(0.04, 0.09, 0.2),
		latencyRecent: latency(0.04, 0.09, 0.2),
		servers: [{url: 'http://10.0.0.1:80', address: '10.0.0.1:80', status: 'UP'}],
		serversUp: 1,
		bytesInPerSecond: 1000,
		bytesOutPerSecond: 20000,
		retriesPerSecond: 0,
		connections: {ESTABLISHED: 4, TIME_WAIT: 0, CLOSE_WAIT: 0},
		...over,
	};
}

export function backend(serviceName: string, address: string, over: Partial<BackendFigures> & {counts?: Partial<StateCounts>} = {}): BackendFigures {
	const {counts, ...rest} = over;
	const s = states(counts ?? {ESTABLISHED: 4});
	const total = Object.values(s).reduce((a, b) => a + b, 0);
	return {
		service: serviceName,
		services: [serviceName],
		address,
		urls: [`http://${address}`],
		status: 'UP',
		statusStale: false,
		states: s,
		total,
		closeWaitOldestSeconds: s.CLOSE_WAIT > 0 ? 75 : null,
		timeWaitRatio: total ? s.TIME_WAIT / total : null,
		txQueueBytes: 0,
		rxQueueBytes: 0,
		retransmitting: 0,
		synSentPolls: s.SYN_SENT > 0 ? 3 : 0,
		retransmitPolls: 0,
		newAnswered: 0,
		...rest,
	};
}

export const alert = (rule: SnapshotAlert['rule'], level: SnapshotAlert['level'], subject: string, service?: string): SnapshotAlert => ({
	rule,
	level,
	subject,
	...(service ? {service} : {}),
	value: 5,
	threshold: 1,
	text: `${rule} seen (5, limit 1)`,
	since: '2026-11-22T03:00:00.000Z',
});

const span = (requests: number, errorRatio: number | null, lat: Latency): SpanStats => ({
	requests,
	requestsPerSecond: requests / 60,
	statusRates: {'2xx': null, '3xx': null, '4xx': null, '5xx': null},
	errorRatio,
	latency: lat,
	bytesInPerSecond: null,
	bytesOutPerSecond: null,
	retriesPerSecond: null,
});

/**
 * Rows with the levels the real rule families give their figures, and marks from `alerts`: the
 * screen only draws what the model would have said.
 */
export function judged(
	services: readonly ServiceFigures[],
	backends: readonly BackendFigures[],
	alerts: readonly SnapshotAlert[],
): {services: ServiceRow[]; backends: BackendRow[]} {
	const bySubject = new Map<string, 'warn' | 'crit'>();
	for (const a of alerts) for (const key of [a.subject, a.service]) if (key && bySubject.get(key) !== 'crit') bySubject.set(key, a.level);
	const found = judge(
		{backends, services, totals: {minute: null, recent: null}, judge: {proc: true, metrics: true}},
		{
			rules: DEFAULT_RULES,
			now: Date.UTC(2026, 10, 22, 3, 10),
			ephemeralPorts: [32768, 60999],
			serviceRate: (name) => services.find((s) => s.name === name)?.requestsPerSecond,
			spans: (name) => {
				const s = services.find((r) => r.name === name);
				return s === undefined
					? {minute: null, recent: null}
					: {minute: span(600, s.errorRatioMinute, s.latencyMinute), recent: span(100, s.errorRatio, s.latencyRecent)};
			},
			certificates: [],
			failingSources: [],
			backendsOf: (service) => backends.filter((b) => b.services.includes(service)),
		},
	);
	const mark = <T extends {levels: object}>(row: T, key: string): T => {
		const level = bySubject.get(key);
		return level === undefined ? row : {...row, alertLevel: level};
	};
	return {services: found.services.map((r) => mark(r, r.name)), backends: found.backends.map((r) => mark(r, r.address))};
}

const series = (n: number, f: (i: number) => number | null) => Array.from({length: n}, (_, i) => f(i));

/** A realistic snapshot: four services, one leaking CLOSE_WAIT, one stuck in SYN_SENT, alerts. */
export function sampleSnapshot(over: Partial<Snapshot> = {}): Snapshot {
	const alerts = [
		{
			...alert('close_wait_stuck', 'crit', '10.0.0.2:8080', 'web@docker'),
			value: 75,
			threshold: 60,
			text: '12 connections in CLOSE_WAIT, the oldest for 75 s (limit 60 s)',
		},
		{...alert('syn_sent_stuck', 'crit', '10.0.0.7:80', 'auth@docker'), value: 3, threshold: 2, text: '3 connections in SYN_SENT for 3 polls (limit 2)'},
		{...alert('error_ratio', 'crit', 'web@docker', 'web@docker'), value: 0.06, threshold: 0.05, text: '5xx 6 % of 750 requests in the last minute (limit 5 %)'},
		{
			...alert('time_wait_ratio', 'crit', '10.0.0.8:80', 'auth@docker'),
			value: 0.938,
			threshold: 0.5,
			text: '30 of 32 connections in TIME_WAIT: 94 % (limit 50 %)',
		},
	];
	const rows = judged(
		[
			service('api@docker'),
			service('web@docker', {errorRatio: 0.08, errorRatioMinute: 0.06, connections: {ESTABLISHED: 3, TIME_WAIT: 0, CLOSE_WAIT: 12}}),
			service('auth@docker', {
				servers: [
					{url: 'http://10.0.0.7:80', address: '10.0.0.7:80', status: 'DOWN'},
					{url: 'http://10.0.0.8:80', address: '10.0.0.8:80', status: 'UP'},
				],
				serversUp: 1,
			}),
			service('static@file', {requestsPerSecond: null, errorRatio: null, latency: {p50: null, p95: null, p99: null, buckets: []}}),
		],
		[
			backend('api@docker', '10.0.0.1:80'),
			backend('web@docker', '10.0.0.2:8080', {counts: {ESTABLISHED: 3, CLOSE_WAIT: 12}}),
			backend('auth@docker', '10.0.0.7:80', {status: 'DOWN', counts: {SYN_SENT: 3}}),
			backend('auth@docker', '10.0.0.8:80', {counts: {ESTABLISHED: 2, TIME_WAIT: 30}}),
		],
		alerts,
	);
	return {
		schema: 'traefik-top/snapshot@1',
		takenAt: '2026-11-22T03:10:00.000Z',
		host: 'edge-1',
		intervalSeconds: 1,
		cadenceSeconds: 1,
		filter: {service: null, entrypoint: null},
		traefik: {pid: 4242, version: '3.7.9', uptimeSeconds: 7384, cpuRatio: 0.034, rssBytes: 96 * 1048576, openConnections: 57, configReloadAgeSeconds: 300},
		sources: {
			proc: {ok: true, lastSuccessAt: '2026-11-22T03:10:00.000Z'},
			metrics: {ok: true, lastSuccessAt: '2026-11-22T03:10:00.000Z'},
			api: {ok: true, lastSuccessAt: '2026-11-22T03:09:55.000Z'},
		},
		totals: {
			scope: 'all entry points',
			requestsPerSecond: 52.5,
			statusRates: {'2xx': 50, '3xx': 1, '4xx': 1, '5xx': 0.5},
			errorRatio: 0.0095,
			latency: latency(0.05, 0.12, 0.4),
			levels: {},
		},
		services: rows.services,
		backends: rows.backends,
		entrypoints: [
			{name: 'web', port: 80, states: states({ESTABLISHED: 40, TIME_WAIT: 3}), total: 43, openConnections: 40},
			{name: 'websecure', port: 443, states: states({ESTABLISHED: 17}), total: 17, openConnections: 17},
		],
		routers: [],
		alerts,
		recentAlerts: [{...alert('latency_p95', 'warn', 'api@docker', 'api@docker'), resolvedAt: '2026-11-22T03:05:00.000Z'}],
		history: {
			requestsPerSecond: series(120, (i) => (i === 60 ? null : 40 + 10 * Math.sin(i / 8))),
			errorRatio: series(120, () => 0.01),
			p50: series(120, (i) => (i === 60 ? null : 0.05 + 0.01 * Math.sin(i / 6))),
			p95: series(120, (i) => (i === 60 ? null : 0.12 + 0.25 * Math.max(0, Math.sin(i / 10)))),
			p99: series(120, (i) => (i === 60 ? null : 0.4 + 0.3 * Math.max(0, Math.sin(i / 10)))),
			statusRates: {
				'2xx': series(120, (i) => (i === 60 ? null : 38 + 10 * Math.sin(i / 8))),
				'3xx': series(120, (i) => (i === 60 ? null : 1)),
				'4xx': series(120, (i) => (i === 60 ? null : 1 + (i % 20 === 0 ? 3 : 0))),
				'5xx': series(120, (i) => (i === 60 ? null : i > 90 ? 4 : 0.5)),
			},
			bucketShares: {
				'0.1': series(120, () => 0.8),
				'0.3': series(120, () => 0.15),
				'1.2': series(120, () => 0.04),
				'5': series(120, () => 0.01),
				'+Inf': series(120, () => 0),
			},
			establishedConnections: series(120, () => 12),
		},
		otherConnections: 2,
		unresolvedServers: [],
		...over,
	};
}

/** A backend's connections over 120 polls, as BackendHistory gives them: a CLOSE_WAIT leak from poll 70, a failed poll at 60. */
export function sampleBackendSeries(): Record<'ESTABLISHED' | 'TIME_WAIT' | 'CLOSE_WAIT', (number | null)[]> {
	const at = (f: (i: number) => number) => series(120, (i) => (i === 60 ? null : f(i)));
	return {
		ESTABLISHED: at((i) => 4 + (i % 7 === 0 ? 1 : 0)),
		TIME_WAIT: at((i) => (i > 30 && i < 50 ? 20 : 2)),
		CLOSE_WAIT: at((i) => (i < 70 ? 0 : Math.min(12, i - 70))),
	};
}

const WEB_SERVER_MINUTE = {requestsPerSecond: 12.5, errorRatio: 0.08, p50: 0.045, p95: 0.362, retriesPerSecond: 0.4, requests: 750};

/** The sample with Traefik's access log followed: its last requests, newest first, and web@docker's server's figures. */
export function sampleWithRequests(): Snapshot {
	const base = sampleSnapshot();
	const at = (s: number) => new Date(Date.UTC(2026, 10, 22, 3, 10, 0) - s * 1000).toISOString();
	const request = (i: number, status: number, durationMs: number, path: string, server = '10.0.0.2:8080', service = 'web@docker') => ({
		at: at(i),
		entryPoint: 'websecure',
		router: service.replace('@docker', '-secure@docker'),
		service,
		serverUrl: `http://${server}`,
		serverAddr: server,
		method: i % 4 === 0 ? 'POST' : 'GET',
		host: 'shop.example.com',
		path,
		status,
		originStatus: status === 502 ? null : status,
		durationMs,
		originMs: status === 502 ? null : durationMs - 0.3,
		retries: status === 502 ? 2 : 0,
		size: status === 502 ? 11 : 2048 + i,
	});
	return sampleSnapshot({
		sources: {...base.sources, accessLog: {ok: true, lastSuccessAt: '2026-11-22T03:10:00.000Z'}},
		requests: [
			request(0, 200, 41.2, '/cart'),
			request(1, 502, 3001, '/checkout'),
			request(2, 200, 12.5, '/api/items?page=2', '10.0.0.1:80', 'api@docker'),
			request(3, 404, 2.1, '/favicon.ico'),
			request(4, 200, 380, '/search?q=shoes', '10.0.0.1:80', 'api@docker'),
			request(5, 500, 88, '/checkout'),
			request(6, 200, 9.9, '/'),
		],
		backends: base.backends.map((b) => (b.address === '10.0.0.2:8080' ? {...b, requests: WEB_SERVER_MINUTE} : b)),
	});
}

/**
 * Three instances of the sample, as the fleet model makes them: a and b with one configuration,
 * c with a stale copy (a router and a server fewer); `service` pinned when given.
 */
export function sampleFleet(service: string | null = null, options: {ssh?: boolean} = {}): Snapshot {
	const config = (routers: string[], servers: string[]) =>
		normalizeConfig({
			routers: Object.fromEntries(routers.map((r) => [r, {rule: `Host(\`${r}\`)`, service: 'web@docker', entryPoints: ['web']}])),
			services: {'web@docker': {loadBalancer: {servers: servers.map((url) => ({url}))}}},
		});
	const fresh = config(['web@docker', 'admin@docker'], ['http://10.0.0.2:80', 'http://10.0.0.3:80']);
	const stale = config(['web@docker'], ['http://10.0.0.2:80']);
	const base = sampleSnapshot();
	const one = service === null ? base : {...base, filter: {...base.filter, service}, services: base.services.filter((s) => s.name === service)};
	const scaled = (factor: number): Snapshot => ({
		...one,
		totals: {...one.totals, requestsPerSecond: (one.totals.requestsPerSecond ?? 0) * factor},
		services: one.services.map((s) => ({...s, requestsPerSecond: s.requestsPerSecond === null ? null : s.requestsPerSecond * factor})),
	});
	const fleet = new FleetModel({rules: DEFAULT_RULES, apiIntervalSeconds: 10, intervalSeconds: 1, historyLength: 600});
	// With ssh: edge-a and edge-b read over SSH links, edge-c's link being made again.
	const link = (host: string, state: 'connected' | 'reconnecting', rttMs: number | null): Snapshot['link'] =>
		options.ssh
			? {
					host,
					state,
					since: base.takenAt,
					rttMs,
					bytesPerPoll: rttMs === null ? null : 48_000,
					...(state === 'connected' ? {} : {lastError: 'connection refused by edge-c'}),
				}
			: undefined;
	const linked = (s: Snapshot, l: Snapshot['link']): Snapshot => (l === undefined ? s : {...s, link: l});
	const inputs = [
		{
			name: 'edge-a',
			url: 'http://10.0.1.1:8080',
			snapshot: linked(scaled(0.6), link('edge-a', 'connected', 3.2)),
			config: fresh,
			http: ['metrics', 'api'] as const,
		},
		{
			name: 'edge-b',
			url: 'http://10.0.1.2:8080',
			snapshot: linked(scaled(0.3), link('edge-b', 'connected', 41)),
			config: fresh,
			http: ['metrics', 'api'] as const,
		},
		{
			name: 'edge-c',
			url: 'http://10.0.1.3:8080',
			snapshot: linked(scaled(0.1), link('edge-c', 'reconnecting', null)),
			config: stale,
			http: ['metrics', 'api'] as const,
		},
	];
	fleet.update(Date.parse(base.takenAt), inputs);
	// The group's series seeded from the instances' own, as a pin does.
	fleet.refreshSnapshots(inputs, true);
	for (let i = 1; i < 12; i++) fleet.update(Date.parse(base.takenAt) + i * 1000, inputs);
	return fleet.snapshot(null)!;
}
