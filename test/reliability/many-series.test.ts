// A /metrics with far more services than can be shown, and a cluster that churns: the services
// tracked stay within --max-services (the rest are counted, and still summed in the total), and
// memory stays flat through churn (heap after a full GC).
import {describe, expect, it} from 'vitest';
import {parseTraefikMetrics} from '../../source/collect/traefik-metrics-parse.js';
import type {Harvest, MetricsReading} from '../../source/domain/harvest.js';
import {Monitor} from '../../source/model/monitor.js';
import {DEFAULT_RULES} from '../../source/model/rules/config.js';
import {manyServices} from '../../bench/series.js';
import {heapMb} from '../helpers/memory.js';

const harvest = (at: number, metrics: MetricsReading): Harvest => ({
	collectedAt: at,
	proc: {pid: 1, pidSource: 'flag', process: null, sockets: [], malformed: 0, foreign: 0, ownedInodes: null, warnings: [], ephemeralPorts: [32768, 60999]},
	metrics,
	resolved: {},
	resolveErrors: {},
});

const monitor = (maxServices = 5000) => {
	const m = new Monitor({
		rules: DEFAULT_RULES,
		intervalSeconds: 1,
		retentionSeconds: 600,
		host: 'x',
		filter: {service: null, entrypoint: null},
		flagServers: [],
		maxServices,
	});
	m.disableSource('api');
	return m;
};

describe('many services', () => {
	it('100,000 in one scrape: 5,000 tracked, the rest counted on screen and summed in the total', () => {
		const m = monitor();
		for (let t = 1; t <= 3; t++) m.ingest(harvest(t * 1000, parseTraefikMetrics(manyServices(0, 100_000, t))));
		const s = m.snapshot();
		expect(s.services).toHaveLength(5000);
		expect(s.sources.metrics.notes).toContain('95,000 services not tracked: over the limit of 5,000 (--max-services); the busiest and newest are');
		// Service i makes (i % 7 + 1) + (i % 2) requests a scrape: the total counts all 100,000.
		const all = Array.from({length: 100_000}, (_, i) => (i % 7) + 1 + (i % 2)).reduce((a, b) => a + b, 0);
		expect(s.totals.requestsPerSecond).toBeCloseTo(all, 3);
		// The busiest are kept: every tracked service makes 8 requests a scrape (7,142 do).
		expect(new Set(s.services.map((r) => r.requestsPerSecond))).toEqual(new Set([8]));
	}, 60_000);

	it('a churning cluster (2,000 new services a scrape, 20,000 alive) keeps its memory flat', () => {
		const m = monitor(5000);
		const heap: number[] = [];
		for (let t = 1; t <= 120; t++) {
			m.ingest(harvest(t * 1000, parseTraefikMetrics(manyServices(t * 2000, 20_000, t))));
			m.snapshot();
			if (t % 30 === 0) heap.push(heapMb());
		}
		expect(m.traffic.services.size).toBeLessThanOrEqual(5000 + 500);
		// After the first half minute the heap no longer grows: the last is within 15 % of the first.
		expect(heap.at(-1)!).toBeLessThan(heap[0]! * 1.15);
	}, 120_000);
});
