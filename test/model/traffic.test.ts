import {describe, expect, it} from 'vitest';
import {parseTraefikMetrics} from '../../source/collect/traefik-metrics-parse.js';
import {TrafficModel} from '../../source/model/traffic.js';

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
