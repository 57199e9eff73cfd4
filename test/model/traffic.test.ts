import {describe, expect, it} from 'vitest';
import {parseTraefikMetrics} from '../../source/collect/traefik-metrics-parse.js';
import {evaluateCertificates, evaluateServiceRules} from '../../source/model/metrics-rules.js';
import {DEFAULT_RULES} from '../../source/model/rules-config.js';
import type {ServiceRow} from '../../source/model/snapshot-types.js';
import {TrafficModel, type SpanStats} from '../../source/model/traffic.js';

/** An exposition of one service: `ok` 200s, `bad` 500s, all observed under 0.1 s except `slow` under 5 s. */
function exposition(service: string, ok: number, bad: number, slow = 0, start = 1.7e9): string {
	const total = ok + bad;
	const l = (code: string) => `code="${code}",method="GET",protocol="http",service="${service}"`;
	return [
		`traefik_service_requests_total{${l('200')}} ${ok}`,
		`traefik_service_requests_total{${l('500')}} ${bad}`,
		`traefik_service_request_duration_seconds_bucket{${l('200')},le="0.1"} ${total - slow}`,
		`traefik_service_request_duration_seconds_bucket{${l('200')},le="0.3"} ${total - slow}`,
		`traefik_service_request_duration_seconds_bucket{${l('200')},le="1.2"} ${total - slow}`,
		`traefik_service_request_duration_seconds_bucket{${l('200')},le="5"} ${total}`,
		`traefik_service_request_duration_seconds_bucket{${l('200')},le="+Inf"} ${total}`,
		`process_start_time_seconds ${start}`,
	].join('\n');
}

describe('TrafficModel', () => {
	it('rates per interval and over the last minute', () => {
		const m = new TrafficModel(600);
		for (let t = 0; t <= 90; t++) m.ingest(t * 1000, parseTraefikMetrics(exposition('a@x', t * 10, t, 0)));
		const a = m.services.get('a@x')!;
		expect(a.interval!.requestsPerSecond).toBeCloseTo(11, 9);
		expect(a.interval!.errorRatio).toBeCloseTo(1 / 11, 9);
		expect(a.minute!.requests).toBeCloseTo(660, 9);
		expect(a.minute!.requestsPerSecond).toBeCloseTo(11, 9);
		expect(a.rps.toArray()[0]).toBeNull();
		expect(a.rps.length).toBe(91);
	});

	it('treats a drop as a reset: no rate for that interval, the minute starts again', () => {
		const m = new TrafficModel(60);
		m.ingest(0, parseTraefikMetrics(exposition('a@x', 100, 0)));
		m.ingest(1000, parseTraefikMetrics(exposition('a@x', 110, 0)));
		m.ingest(2000, parseTraefikMetrics(exposition('a@x', 5, 0)));
		const a = m.services.get('a@x')!;
		expect(a.interval).toBeNull();
		expect(a.minute).toBeNull();
		m.ingest(3000, parseTraefikMetrics(exposition('a@x', 8, 0)));
		expect(a.interval!.requestsPerSecond).toBeCloseTo(3, 9);
	});

	it('restarts on a new process start time, and forgets vanished services', () => {
		const m = new TrafficModel(60, 60_000, 5000);
		m.ingest(0, parseTraefikMetrics(exposition('a@x', 100, 0, 0, 1.7e9)));
		expect(m.ingest(1000, parseTraefikMetrics(exposition('a@x', 200, 0, 0, 1.8e9)))).toBe(true);
		expect(m.services.get('a@x')!.interval).toBeNull();
		m.ingest(2000, parseTraefikMetrics(exposition('b@x', 1, 0, 0, 1.8e9)));
		expect(m.services.has('a@x')).toBe(true);
		m.ingest(8000, parseTraefikMetrics(exposition('b@x', 2, 0, 0, 1.8e9)));
		expect(m.services.has('a@x')).toBe(false);
	});

	it('marks gaps for failed scrapes', () => {
		const m = new TrafficModel(60);
		m.ingest(0, parseTraefikMetrics(exposition('a@x', 1, 0)));
		m.ingest(1000, parseTraefikMetrics(exposition('a@x', 2, 0)));
		m.gap();
		expect(m.services.get('a@x')!.rps.toArray()).toEqual([null, 1, null]);
		expect(m.total.rps.toArray()).toEqual([null, 1, null]);
	});
});

describe('metrics rules', () => {
	const latency = (p95: number | null) => ({
		p50: null,
		p95,
		p99: null,
		buckets: [0.1, 0.3, 1.2, 5, '+Inf'].map((le) => ({le: le as number | '+Inf', share: 0, cumulativeShare: 0})),
	});
	const row = (errorRatioMinute: number | null): ServiceRow => ({name: 's@x', errorRatioMinute}) as unknown as ServiceRow;
	const spans =
		(requests: number, p95: number | null = null) =>
		() => ({
			minute: {requests} as SpanStats,
			recent: {requests, latency: latency(p95)} as unknown as SpanStats,
		});

	it('error_ratio: warn over 1 %, crit over 5 %, from the minimum of requests', () => {
		expect(evaluateServiceRules([row(0.02)], DEFAULT_RULES, spans(100)).map((b) => b.level)).toEqual(['warn']);
		expect(evaluateServiceRules([row(0.2)], DEFAULT_RULES, spans(100)).map((b) => b.level)).toEqual(['crit']);
		expect(evaluateServiceRules([row(0.2)], DEFAULT_RULES, spans(5))).toEqual([]);
		expect(evaluateServiceRules([row(0.005)], DEFAULT_RULES, spans(100))).toEqual([]);
	});

	it('latency_p95: over its window, above the second bucket by default, or the bound the user names', () => {
		expect(evaluateServiceRules([row(0)], DEFAULT_RULES, spans(100, 0.5))).toMatchObject([{rule: 'latency_p95', threshold: 0.3, value: 0.5}]);
		expect(evaluateServiceRules([row(0)], DEFAULT_RULES, spans(100, 0.25))).toEqual([]);
		expect(evaluateServiceRules([row(0)], DEFAULT_RULES, spans(3, 0.9))).toEqual([]);
		const rules = {...DEFAULT_RULES, latency_p95: {...DEFAULT_RULES.latency_p95, bucket: 1.2}};
		expect(evaluateServiceRules([row(0)], rules, spans(100, 0.5))).toEqual([]);
	});

	it('cert_expiry: 14 days warn, 3 days crit', () => {
		const now = Date.UTC(2026, 10, 22);
		const cert = (days: number) => ({cn: 'example.com', sans: 'example.com,www.example.com', serial: '1a', notAfter: now / 1000 + days * 86400});
		expect(evaluateCertificates([cert(30), cert(10), cert(2)], DEFAULT_RULES, now).map((b) => `${b.level} ${b.value}`)).toEqual([
			'warn 10 days',
			'crit 2 days',
		]);
	});
});
