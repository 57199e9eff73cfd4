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
		const m = new TrafficModel({historyLength: 600});
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
		const m = new TrafficModel({historyLength: 60});
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
		const m = new TrafficModel({historyLength: 60, forgetMs: 5000});
		m.ingest(0, parseTraefikMetrics(exposition('a@x', 100, 0, 0, 1.7e9)));
		expect(m.ingest(1000, parseTraefikMetrics(exposition('a@x', 200, 0, 0, 1.8e9)))).toBe(true);
		expect(m.services.get('a@x')!.interval).toBeNull();
		m.ingest(2000, parseTraefikMetrics(exposition('b@x', 1, 0, 0, 1.8e9)));
		expect(m.services.has('a@x')).toBe(true);
		m.ingest(8000, parseTraefikMetrics(exposition('b@x', 2, 0, 0, 1.8e9)));
		expect(m.services.has('a@x')).toBe(false);
	});

	it('marks gaps for failed scrapes', () => {
		const m = new TrafficModel({historyLength: 60});
		m.ingest(0, parseTraefikMetrics(exposition('a@x', 1, 0)));
		m.ingest(1000, parseTraefikMetrics(exposition('a@x', 2, 0)));
		m.gap();
		expect(m.services.get('a@x')!.rps.toArray()).toEqual([null, 1, null]);
		expect(m.total.rps.toArray()).toEqual([null, 1, null]);
	});

	it('tracks at most the limit of services, the busiest and the newest, and still counts every one in the total', () => {
		const many = (t: number, names: readonly [string, number][]) =>
			parseTraefikMetrics(
				names
					.map(([name, perSecond], i) =>
						exposition(name, perSecond * t, 0)
							.split('\n')
							.slice(0, i === 0 ? undefined : -1)
							.join('\n'),
					)
					.join('\n'),
			);
		const m = new TrafficModel({historyLength: 60, maxTracked: 10});
		const names = Array.from({length: 30}, (_, i) => [`s${i}@x`, i + 1] as [string, number]);
		for (let t = 1; t <= 3; t++) m.ingest(t * 1000, many(t, names));
		expect(m.tracking.services).toEqual({tracked: 10, untracked: 20, limit: 10});
		expect([...m.services.keys()].sort()).toEqual(
			names
				.slice(20)
				.map(([n]) => n)
				.sort(),
		);
		// The total counts the untracked too: 1 + 2 + ... + 30 requests a second.
		expect(m.total.interval!.requestsPerSecond).toBeCloseTo(465, 6);
	});

	it('keeps a bounded number of vanished series through churn', () => {
		const m = new TrafficModel({historyLength: 60, maxTracked: 100});
		for (let t = 1; t <= 50; t++) {
			// 40 new services every poll, each gone the next.
			const names = Array.from({length: 40}, (_, i) => `churn-${t}-${i}@x`);
			m.ingest(t * 1000, parseTraefikMetrics(names.map((n) => exposition(n, 1, 0).split('\n').slice(0, -1).join('\n')).join('\n')));
			expect(m.services.size).toBeLessThanOrEqual(40 + 10);
		}
	});

	it('keeps one reading every few seconds, whatever the poll rate: a minute at 100 ms is not 600 readings', () => {
		const m = new TrafficModel({historyLength: 600});
		for (let t = 0; t <= 900; t++) m.ingest(t * 100, parseTraefikMetrics(exposition('a@x', t, 0)));
		const a = m.services.get('a@x')! as unknown as {readings: unknown[]};
		expect(a.readings.length).toBeLessThanOrEqual(35);
		expect(m.services.get('a@x')!.minute!.requestsPerSecond).toBeCloseTo(10, 6);
	});
});
