// A local HTTP server serves a real scrape, then the same scrape with counters advanced by known
// amounts; the snapshot's rates, ratios and quantiles must equal the hand-computed ones.
import http from 'node:http';
import {gzipSync} from 'node:zlib';
import type {AddressInfo} from 'node:net';
import {afterAll, beforeAll, describe, expect, it} from 'vitest';
import {Collector} from '../../source/collect/collector.js';
import {Monitor} from '../../source/model/monitor.js';
import {DEFAULT_RULES} from '../../source/model/rules/config.js';
import type {Snapshot} from '../../source/domain/snapshot.js';
import {fixtureText} from '../helpers/fixtures.js';
import {schemaErrors} from '../helpers/schema.js';

const SERVICE = 'covidpass-docker-compose@docker';
const BASE = fixtureText('metrics-v2.4-covidpass.txt');

/** Adds `amount` to the sample whose line starts with `prefix` (name and labels). */
function advance(text: string, prefix: string, amount: number): string {
	const lines = text.split('\n');
	const i = lines.findIndex((l) => l.startsWith(prefix));
	if (i < 0) throw new Error(`no line ${prefix}`);
	const value = Number(lines[i]!.slice(prefix.length).trim());
	lines[i] = `${prefix} ${value + amount}`;
	return lines.join('\n');
}

/** The second scrape: 10 more 200s (6 under 0.1 s, 3 more under 0.3 s, 1 under 5 s) and 5 new 502s between 1.2 and 5 s. */
function advanced(): string {
	const l200 = `code="200",method="GET",protocol="http",service="${SERVICE}"`;
	let text = BASE;
	text = advance(text, `traefik_service_requests_total{${l200}}`, 10);
	for (const [le, add] of [
		['0.1', 6],
		['0.3', 9],
		['1.2', 9],
		['5', 10],
		['+Inf', 10],
	] as const) {
		text = advance(text, `traefik_service_request_duration_seconds_bucket{${l200},le="${le}"}`, add);
	}
	text = advance(text, `traefik_service_request_duration_seconds_count{${l200}}`, 10);
	text = advance(text, 'process_cpu_seconds_total', 0.5);
	const l502 = `code="502",method="GET",protocol="http",service="${SERVICE}"`;
	const extra = [
		`traefik_service_requests_total{${l502}} 5`,
		...[
			['0.1', 0],
			['0.3', 0],
			['1.2', 0],
			['5', 5],
			['+Inf', 5],
		].map(([le, v]) => `traefik_service_request_duration_seconds_bucket{${l502},le="${le}"} ${v}`),
		`traefik_service_request_duration_seconds_count{${l502}} 5`,
		`traefik_service_request_duration_seconds_sum{${l502}} 12.5`,
	];
	return `${text}\n${extra.join('\n')}\n`;
}

describe('scrape to snapshot', () => {
	let server: http.Server;
	let body = BASE;
	let url = '';
	let gzipped = 0;
	let override: {status?: number; type?: string; body?: string} | null = null;

	beforeAll(async () => {
		server = http.createServer((req, res) => {
			if (override) {
				res.writeHead(override.status ?? 200, {'content-type': override.type ?? 'text/plain; version=0.0.4'}).end(override.body ?? 'no');
				return;
			}
			const headers: http.OutgoingHttpHeaders = {'content-type': 'text/plain; version=0.0.4; charset=utf-8'};
			if (String(req.headers['accept-encoding']).includes('gzip')) {
				gzipped++;
				res.writeHead(200, {...headers, 'content-encoding': 'gzip'}).end(gzipSync(body));
			} else res.writeHead(200, headers).end(body);
		});
		await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
		url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/metrics`;
	});
	afterAll(() => new Promise((resolve) => server.close(resolve)));

	async function twoScrapes(): Promise<{first: Snapshot; second: Snapshot; seconds: number}> {
		const collector = new Collector({
			procRoot: '/proc',
			apiUrl: null,
			metricsUrl: url,
			apiIntervalMs: 10_000,
			http: {timeoutMs: 2000, maxBytes: 1 << 24},
			flagServers: [],
		});
		const monitor = new Monitor({
			rules: DEFAULT_RULES,
			intervalSeconds: 1,
			retentionSeconds: 60,
			host: 't',
			filter: {service: null, entrypoint: null},
			flagServers: [],
		});
		monitor.disableSource('api');
		body = BASE;
		const h1 = await collector.collect();
		monitor.ingest(h1);
		const first = monitor.snapshot();
		await new Promise((resolve) => setTimeout(resolve, 250));
		body = advanced();
		const h2 = await collector.collect();
		monitor.ingest(h2);
		return {first, second: monitor.snapshot(), seconds: (h2.collectedAt - h1.collectedAt) / 1000};
	}

	it('has no rate at the first scrape (null, never a made-up 0)', async () => {
		const {first} = await twoScrapes();
		const row = first.services.find((s) => s.name === SERVICE)!;
		expect(first.sources.metrics.ok).toBe(true);
		expect(row.requestsPerSecond).toBeNull();
		expect(row.errorRatio).toBeNull();
		expect(row.latency.p95).toBeNull();
		expect(first.traefik.cpuRatio).toBeNull();
		expect(gzipped).toBeGreaterThan(0);
	});

	it('computes rates, the status split, the error ratio and quantiles of the interval', async () => {
		const {second, seconds} = await twoScrapes();
		const row = second.services.find((s) => s.name === SERVICE)!;
		expect(row.requestsPerSecond).toBeCloseTo(15 / seconds, 9);
		expect(row.statusRates['2xx']).toBeCloseTo(10 / seconds, 9);
		expect(row.statusRates['5xx']).toBeCloseTo(5 / seconds, 9);
		expect(row.statusRates['3xx']).toBe(0);
		expect(row.errorRatio).toBeCloseTo(5 / 15, 12);
		// Cumulative deltas: <=0.1: 6, <=0.3: 9, <=1.2: 9, <=5: 15, +Inf: 15.
		expect(row.latency.p50).toBeCloseTo(0.1 + 0.2 * (1.5 / 3), 12);
		expect(row.latency.p95).toBeCloseTo(1.2 + 3.8 * (5.25 / 6), 12);
		expect(row.latency.p99).toBeCloseTo(1.2 + 3.8 * (5.85 / 6), 12);
		expect(row.latency.buckets.map((b) => [b.le, b.share, b.cumulativeShare])).toEqual([
			[0.1, 6 / 15, 6 / 15],
			[0.3, 3 / 15, 9 / 15],
			[1.2, 0, 9 / 15],
			[5, 6 / 15, 1],
			['+Inf', 0, 1],
		]);
		expect(second.traefik.cpuRatio).toBeCloseTo(0.5 / seconds, 9);
		expect(second.traefik.version).toBe('v2');
		const untouched = second.services.find((s) => s.name === 'covidpassapinet-docker-compose@docker')!;
		expect(untouched.requestsPerSecond).toBe(0);
		expect(untouched.latency.p95).toBeNull();
		expect(second.history.requestsPerSecond.at(-1)).not.toBeNull();
		// Entry points known only from /metrics still get their rates (no port without /proc or API).
		const websecure = second.entrypoints.find((e) => e.name === 'websecure')!;
		expect(websecure.port).toBeNull();
		expect(websecure.requestsPerSecond).toBe(0);
		expect(schemaErrors(second)).toEqual([]);
	});

	it('gives no rate across a counter reset or a failed scrape, and says why', async () => {
		const collector = new Collector({
			procRoot: '/proc',
			apiUrl: null,
			metricsUrl: url,
			apiIntervalMs: 10_000,
			http: {timeoutMs: 2000, maxBytes: 1 << 24},
			flagServers: [],
		});
		const monitor = new Monitor({
			rules: DEFAULT_RULES,
			intervalSeconds: 1,
			retentionSeconds: 60,
			host: 't',
			filter: {service: null, entrypoint: null},
			flagServers: [],
		});
		body = advanced();
		monitor.ingest(await collector.collect());
		body = BASE.replace('process_start_time_seconds 1.62504854775e+09', 'process_start_time_seconds 1.7e+09');
		monitor.ingest(await collector.collect());
		let s = monitor.snapshot();
		expect(s.services.find((r) => r.name === SERVICE)!.requestsPerSecond).toBeNull();
		expect(s.traefik.restartedAt).toBeDefined();
		body = '<!doctype html><html><body>Sign in</body></html>';
		monitor.ingest(await collector.collect());
		s = monitor.snapshot();
		expect(s.sources.metrics.ok).toBe(false);
		expect(s.sources.metrics.error).toMatch(/HTML page, not metrics/);
		expect(s.sources.metrics.lastSuccessAt).toBeDefined();
		expect(s.history.requestsPerSecond.at(-1)).toBeNull();
		expect(s.alerts.map((a) => a.rule)).toContain('source_failed');
		for (const [answer, message] of [
			[{status: 401}, /HTTP 401 Unauthorized \(credentials needed/],
			[{status: 404}, /HTTP 404 Not Found \(wrong path/],
			[{type: 'application/json', body: '{"routers":{}}'}, /answered JSON, not a metrics exposition/],
			[{body: '{"error": "no such route"}'}, /not a Prometheus exposition \(line 1: not a metric line/],
		] as const) {
			override = answer;
			monitor.ingest(await collector.collect());
			expect(monitor.snapshot().sources.metrics.error, JSON.stringify(answer)).toMatch(message);
		}
		override = null;
	});
});
