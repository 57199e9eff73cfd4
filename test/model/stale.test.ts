// A source that fails is a gap, not a recovery: the backends it named stay (marked stale), and
// the alerts of the rules that read it keep their start.
import {describe, expect, it} from 'vitest';
import {parseTraefikMetrics} from '../../source/collect/traefik-metrics-parse.js';
import type {Harvest} from '../../source/domain/harvest.js';
import {Monitor} from '../../source/model/monitor.js';
import {DEFAULT_RULES} from '../../source/model/rules/config.js';

const exposition = (scrape: number) =>
	[
		`traefik_service_requests_total{code="200",method="GET",protocol="http",service="web@file"} ${scrape * 50}`,
		`traefik_service_requests_total{code="500",method="GET",protocol="http",service="web@file"} ${scrape * 50}`,
		'traefik_service_server_up{service="web@file",url="http://10.0.0.5:80"} 1',
		'process_start_time_seconds 1.7e+09',
	].join('\n');

const harvest = (at: number, metrics: Harvest['metrics']): Harvest => ({
	collectedAt: at,
	proc: {pid: 1, pidSource: 'flag', process: null, sockets: [], malformed: 0, foreign: 0, ownedInodes: null, warnings: [], ephemeralPorts: [32768, 60999]},
	metrics,
	resolved: {'10.0.0.5': [0x0a000005]},
	resolveErrors: {},
});

describe('a failing /metrics with the API off', () => {
	it('keeps the backends server_up named, with a stale status, and the error alert with its start', () => {
		const monitor = new Monitor({
			rules: DEFAULT_RULES,
			intervalSeconds: 1,
			retentionSeconds: 600,
			host: 'x',
			filter: {service: null, entrypoint: null},
			flagServers: [],
		});
		monitor.disableSource('api');
		for (let t = 1; t <= 3; t++) monitor.ingest(harvest(t * 1000, parseTraefikMetrics(exposition(t))));
		let s = monitor.snapshot();
		expect(s.backends.map((b) => [b.address, b.status, b.statusStale])).toEqual([['10.0.0.5:80', 'UP', false]]);
		const alert = s.alerts.find((a) => a.rule === 'error_ratio')!;
		expect(alert).toBeDefined();
		for (let t = 4; t <= 6; t++) monitor.ingest(harvest(t * 1000, {error: 'http://127.0.0.1:8080/metrics: connection refused'}));
		s = monitor.snapshot();
		expect(s.sources.metrics.ok).toBe(false);
		expect(s.backends.map((b) => [b.address, b.status, b.statusStale])).toEqual([['10.0.0.5:80', 'UP', true]]);
		expect(s.alerts.find((a) => a.rule === 'error_ratio')?.since).toBe(alert.since);
		monitor.ingest(harvest(7000, parseTraefikMetrics(exposition(7))));
		monitor.ingest(harvest(8000, parseTraefikMetrics(exposition(8))));
		s = monitor.snapshot();
		expect(s.backends[0]!.statusStale).toBe(false);
		expect(s.alerts.find((a) => a.rule === 'error_ratio')?.since).toBe(alert.since);
	});
});

describe('the collector when /metrics fails', () => {
	it('still resolves the servers of the last good scrape, so their backends stay', async () => {
		const {Collector} = await import('../../source/collect/collector.js');
		const {startFakeTraefik} = await import('../helpers/fake-traefik.js');
		const traefik = await startFakeTraefik([{name: 'web@file', perScrape: 10, servers: ['http://10.0.0.5:80']}]);
		try {
			const collector = new Collector({
				procRoot: '/proc',
				pid: process.pid,
				apiUrl: null,
				metricsUrl: `${traefik.url}/metrics`,
				apiIntervalMs: 10_000,
				http: {timeoutMs: 2000, maxBytes: 1e6},
				flagServers: [],
			});
			expect((await collector.collect()).resolved).toEqual({'10.0.0.5': [0x0a000005]});
			traefik.metricsStatus = 500;
			const failed = await collector.collect();
			expect(failed.metrics).toMatchObject({error: expect.stringMatching(/HTTP 500/)});
			expect(failed.resolved).toEqual({'10.0.0.5': [0x0a000005]});
		} finally {
			await traefik.close();
		}
	});
});
