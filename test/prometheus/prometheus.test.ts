// Two real Traefik instances scraped every second by a real Prometheus, watched both ways at once:
// directly (each /metrics) and through Prometheus (--prometheus). For the same instances the two
// must agree on rates, the status split and the quantiles; a stopped instance must be
// instance_down from Prometheus' up == 0; a killed Prometheus must fail the metrics source while
// each instance's API stays live, and be back within two polls of its restart; a bad selector must
// be said in Prometheus' own words. Every process is stopped by its PID in afterAll.
import http from 'node:http';
import type net from 'node:net';
import {afterAll, beforeAll, describe, expect, it} from 'vitest';
import type {Snapshot} from '../../source/domain/snapshot.js';
import {resolveConfig} from '../../source/run/config.js';
import type {Poller} from '../../source/run/poll.js';
import {until, watch} from '../helpers/watch.js';
import {pastSnapshot} from '../../source/run/past.js';
import {prometheusRules} from '../../source/format/prometheus-rules.js';
import {PrometheusClient} from '../../source/collect/prometheus-api.js';
import {DEFAULT_RULES} from '../../source/model/rules/config.js';
import {realTraefik} from '../helpers/demo.js';
import {hasPrometheus, startTestPrometheus, type TestPrometheus} from '../helpers/prometheus.js';
import {schemaErrors} from '../helpers/schema.js';
import {startTestTraefik, type TestTraefik} from '../helpers/traefik.js';

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

describe.skipIf(realTraefik() === null || !hasPrometheus())(`Traefik ${realTraefik()?.version ?? ''} through a real Prometheus`, () => {
	const traefiks: TestTraefik[] = [];
	let prometheus: TestPrometheus;
	let backend: http.Server;
	let load: NodeJS.Timeout | undefined;
	const pollers: Poller[] = [];
	const agent = new http.Agent({keepAlive: true, maxSockets: 16});
	const label = (t: TestTraefik) => new URL(t.metricsUrl).host;
	/** The fault: every request a 503 while it is on. */
	let failing = false;

	beforeAll(async () => {
		// The load says what each request is: /slow takes 150 ms, /fast 20 ms (two buckets of Traefik's 0.1, 0.3, 1.2, 5); /err answers 500.
		backend = http.createServer((req, res) => {
			setTimeout(() => res.writeHead(failing ? 503 : req.url?.includes('err') ? 500 : 200).end('ok\n'), req.url?.includes('slow') ? 150 : 20);
		});
		await new Promise<void>((resolve) => backend.listen(0, '127.0.0.1', resolve));
		const url = `http://127.0.0.1:${(backend.address() as net.AddressInfo).port}`;
		for (let i = 0; i < 2; i++) {
			const t = await startTestTraefik();
			await t.configure({
				http: {routers: {shop: {rule: 'Host(`shop.test`)', service: 'shop', entryPoints: ['web']}}, services: {shop: {loadBalancer: {servers: [{url}]}}}},
			});
			traefiks.push(t);
		}
		// 20 and 10 requests a second to each instance, every other one slow, one in five an error.
		const sent = [0, 0];
		load = setInterval(() => {
			for (const [k, count] of [
				[0, 2],
				[1, 1],
			] as const) {
				const t = traefiks[k]!;
				if (t.traefik.pid === undefined) continue;
				for (let i = 0; i < count; i++) {
					const n = sent[k]!++;
					const path = `/${n % 2 === 0 ? 'slow' : 'fast'}${n % 5 === 0 ? '-err' : ''}`;
					http.get({host: '127.0.0.1', port: t.ports.web, path, agent, headers: {host: 'shop.test'}}, (res) => res.resume()).on('error', () => {});
				}
			}
		}, 100);
		// The rules `traefik-top rules --prometheus` prints, loaded: they must fire where our own rules do.
		prometheus = await startTestPrometheus(traefiks.map(label), {rules: prometheusRules(DEFAULT_RULES, 1, 1)});
		await prometheus.ready(5);
	}, 90_000);

	afterAll(async () => {
		for (const p of pollers) p.stop();
		clearInterval(load);
		agent.destroy();
		await prometheus?.stop();
		await Promise.all(traefiks.map((t) => t.stop()));
		backend?.close();
	});

	it('finds the instances Prometheus scrapes and agrees with their direct scrape on rates, the status split and the quantiles', async () => {
		const direct = watch({target: traefiks.map((t, i) => `${'ab'[i]}=${t.apiUrl}`)});
		const through = watch({prometheus: prometheus.url});
		pollers.push(direct.poller, through.poller);
		const ready = (s: Snapshot) => s.instances?.length === 2 && s.instances.every((i) => i.state === 'up' && (i.requestsPerSecond ?? 0) > 0);
		await until(through.snapshots, ready, 'both instances with rates through Prometheus');
		await until(direct.snapshots, ready, 'both instances with rates directly');
		// Six more polls: each side's last four are averaged (Prometheus' rate window is 4 s, 4 scrapes of 1 s).
		await sleep(6000);
		const p = through.snapshots.at(-1)!;
		expect(p.instances!.map((i) => i.name).sort()).toEqual(traefiks.map(label).sort());
		expect(schemaErrors(p)).toEqual([]);
		const notes = p.instances![0]!.sources.metrics.notes ?? [];
		// A fixed number of queries a poll for both instances (the same for fifty), and the rate window from the scrape interval.
		expect(notes, JSON.stringify(notes)).toContain(`from ${prometheus.url}: 8 queries for every instance, rates over 4s (4 scrapes)`);
		const split = (s: Snapshot, name: string) => s.services.find((x) => x.name === 'shop@file')!.instances!.find((x) => x.instance === name)!;
		const average = (list: Snapshot[], name: string, key: 'requestsPerSecond' | 'errorRatio' | 'p95') =>
			list.slice(-4).reduce((sum, s) => sum + (split(s, name)[key] ?? Number.NaN), 0) / 4;
		for (const [i, t] of traefiks.entries()) {
			const a = 'ab'[i]!;
			const b = label(t);
			// Rates: the same requests counted over windows that end up to a second apart (one scrape): within 15 %.
			expect(Math.abs(average(through.snapshots, b, 'requestsPerSecond') / average(direct.snapshots, a, 'requestsPerSecond') - 1)).toBeLessThan(0.15);
			// The 5xx share: one in five, within 5 points either way.
			expect(average(through.snapshots, b, 'errorRatio')).toBeCloseTo(0.2, 1);
			expect(Math.abs(average(through.snapshots, b, 'errorRatio') - average(direct.snapshots, a, 'errorRatio'))).toBeLessThan(0.05);
			// p95 falls in the (0.1, 0.3] bucket, where both interpolate: the share of requests under 0.1 s moves it by 0.2 s per unit of share.
			// A window a scrape longer or shorter moves that share by a few points: 20 ms.
			expect(Math.abs(average(through.snapshots, b, 'p95') - average(direct.snapshots, a, 'p95'))).toBeLessThan(0.02);
		}
		const total = (list: Snapshot[]) => list.slice(-4).reduce((sum, s) => sum + (s.totals.requestsPerSecond ?? 0), 0) / 4;
		expect(total(through.snapshots)).toBeGreaterThan(20);
		direct.poller.stop();
		through.poller.stop();
	});

	it('writes a report of a past moment: the fault that was on then, with its time', async () => {
		const before = Date.now();
		await sleep(1000);
		failing = true;
		await sleep(6000);
		const during = Date.now();
		failing = false;
		// Prometheus has scraped past the moment asked for.
		await sleep(2000);
		const config = resolveConfig({prometheus: prometheus.url, interval: '1s', at: new Date(during).toISOString(), json: true}, {}, {}, false);
		const then = await pastSnapshot(config, config.at!);
		const calm = await pastSnapshot(config, before);
		const shop = (s: Snapshot) => s.services.find((x) => x.name === 'shop@file')!;
		expect(then.takenAt).toBe(new Date(during).toISOString());
		expect(then.instances!.map((i) => i.name).sort()).toEqual(traefiks.map(label).sort());
		// The 4 s window before `during` is all 503s; before the fault, one in five was a 500.
		expect(shop(then).errorRatio).toBeGreaterThan(0.95);
		expect(shop(calm).errorRatio).toBeCloseTo(0.2, 1);
		expect(shop(then).requestsPerSecond).toBeGreaterThan(20);
		expect(then.alerts.some((a) => a.rule === 'error_ratio' && a.level === 'crit')).toBe(true);
		expect(then.instances![0]!.sources.metrics.notes?.[0]).toBe(
			`a report of ${new Date(during).toISOString()} from Prometheus: the kernel and API views are live only, not in it`,
		);
		expect(schemaErrors(then)).toEqual([]);
		// Each instance's p95 is Prometheus' own histogram_quantile over the same buckets, window and moment.
		const expr = 'histogram_quantile(0.95, sum by (le, instance, service) (rate(traefik_service_request_duration_seconds_bucket{job="traefik"}[4s])))';
		const theirs = await new PrometheusClient(prometheus.url, {timeoutMs: 5000, maxBytes: 1 << 20}).query(expr, during / 1000);
		for (const t of traefiks) {
			const q = theirs.samples.find((s) => s.labels['instance'] === label(t) && s.labels['service'] === 'shop@file')!.value;
			const ours = shop(then).instances!.find((i) => i.instance === label(t))!.p95!;
			expect(Math.abs(ours - q)).toBeLessThan(1e-9);
		}
		// The screen's rewind ([): the same moment through the running poller, then live again (0).
		const run = watch({prometheus: prometheus.url});
		pollers.push(run.poller);
		await until(run.snapshots, (s) => s.instances?.length === 2, 'live');
		run.poller.rewind(during);
		const past = await until(run.snapshots, (s) => s.rewind?.at === new Date(during).toISOString(), 'rewound', 10);
		expect(shop(past).errorRatio).toBeGreaterThan(0.95);
		run.poller.rewind(null);
		const live = await until(run.snapshots, (s) => s.rewind === undefined, 'live again', 4);
		expect(shop(live).errorRatio).toBeLessThan(0.5);
		run.poller.stop();
	});

	it('fires the printed rules, loaded into Prometheus, for the fault our own rule judges', async () => {
		// One in five requests is a 500: error_ratio is critical (limit 5 %) on shop@file, for us and for Prometheus.
		const run = watch({prometheus: prometheus.url});
		pollers.push(run.poller);
		const ours = await until(run.snapshots, (s) => s.alerts.some((a) => a.rule === 'error_ratio' && a.level === 'crit'), 'our error_ratio');
		expect(ours.alerts.filter((a) => a.rule === 'error_ratio' && a.level === 'crit').map((a) => a.service)).toContain('shop@file');
		let firing: {labels: Record<string, string>; state: string}[] = [];
		for (let i = 0; i < 100 && !firing.some((a) => a.labels['alertname'] === 'TraefikServiceErrorRatioCritical' && a.state === 'firing'); i++) {
			firing = ((await (await fetch(`${prometheus.url}/api/v1/alerts`)).json()) as {data: {alerts: typeof firing}}).data.alerts;
			await sleep(200);
		}
		const critical = firing.filter((a) => a.labels['alertname'] === 'TraefikServiceErrorRatioCritical' && a.state === 'firing');
		expect(critical.map((a) => a.labels['service'])).toEqual(['shop@file']);
		// The latency rules agree too: p95 (about 0.15 s) is under 0.3 s on both sides.
		expect(firing.some((a) => a.labels['alertname'] === 'TraefikServiceLatencyP95')).toBe(false);
		expect(ours.alerts.some((a) => a.rule === 'latency_p95')).toBe(false);
		run.poller.stop();
	});

	it('shows no negative or absurd rate across a Traefik restart (its counters start again from zero)', async () => {
		const run = watch({prometheus: prometheus.url});
		pollers.push(run.poller);
		await until(run.snapshots, (s) => s.instances?.length === 2 && s.instances.every((i) => (i.requestsPerSecond ?? 0) > 0), 'rates');
		const from = run.snapshots.length;
		const a = traefiks[0]!;
		await a.traefik.stop();
		await a.traefik.start();
		// Four scrapes past the restart: the rate window then holds samples from before and after it.
		await sleep(6000);
		const rates = run.snapshots.slice(from).flatMap((s) => s.services.filter((x) => x.name === 'shop@file').map((x) => x.requestsPerSecond ?? 0));
		expect(rates.length).toBeGreaterThan(4);
		// 30 requests a second are sent in all: a reset counter read as a rate would be thousands, or negative.
		expect(Math.min(...rates)).toBeGreaterThanOrEqual(0);
		expect(Math.max(...rates)).toBeLessThan(45);
		expect(run.snapshots.at(-1)!.instances!.every((i) => i.state === 'up')).toBe(true);
		run.poller.stop();
	});

	it('fills the series from Prometheus’ history at start: the first screen already has the past', async () => {
		const run = watch({prometheus: prometheus.url});
		pollers.push(run.poller);
		const first = await until(run.snapshots, () => true, 'a first snapshot');
		// Prometheus has scraped for a minute or more by now: the first snapshot's series hold it, one point a second.
		const points = first.history.requestsPerSecond.filter((v) => v !== null && v > 0).length;
		expect(points).toBeGreaterThan(20);
		expect(first.history.statusRates['5xx'].filter((v) => v !== null && v > 0).length).toBeGreaterThan(20);
		run.poller.stop();
	});

	it('says a 401 and what to set; with the credentials from the environment it reads; an answer over the cap is refused in words', async () => {
		const locked = await startTestPrometheus([label(traefiks[0]!)], {basicAuth: {user: 'ops', password: 'tt-prom-secret'}});
		try {
			const without = watch({prometheus: locked.url});
			pollers.push(without.poller);
			const refused = await until(without.snapshots, (s) => s.instances?.[0]?.sources.metrics.error !== undefined, '401');
			expect(refused.instances!.map((i) => i.name)).toEqual(['prometheus']);
			expect(refused.instances![0]!.sources.metrics.error).toMatch(
				/HTTP 401 \(credentials needed: TRAEFIK_TOP_PROMETHEUS_BASIC_AUTH or TRAEFIK_TOP_PROMETHEUS_BEARER_TOKEN/,
			);
			without.poller.stop();
			await locked.ready(2);
			const withIt = watch({prometheus: locked.url}, {}, {TRAEFIK_TOP_PROMETHEUS_BASIC_AUTH: 'ops:tt-prom-secret'});
			pollers.push(withIt.poller);
			const read = await until(
				withIt.snapshots,
				(s) => s.instances?.length === 1 && s.instances[0]!.name === label(traefiks[0]!) && s.instances[0]!.sources.metrics.ok,
				'read with credentials',
			);
			expect(JSON.stringify(read)).not.toContain('tt-prom-secret');
			withIt.poller.stop();
		} finally {
			await locked.stop();
		}
		const small = new PrometheusClient(prometheus.url, {timeoutMs: 5000, maxBytes: 2048});
		await expect(small.query('{__name__=~"traefik_.+"}')).rejects.toThrow(/response larger than 2 KiB \(after decompression\); not read/);
	});

	it('says a bad selector in Prometheus’ own words', async () => {
		const bad = watch({prometheus: prometheus.url, prometheusSelector: '{job=~"("}'});
		pollers.push(bad.poller);
		const s = await until(bad.snapshots, (x) => x.instances?.[0]?.sources.metrics.error !== undefined, 'the error');
		expect(s.instances![0]!.sources.metrics.error).toMatch(/Prometheus says: .*parse error|Prometheus says: .*error parsing regexp/);
		bad.poller.stop();
	});

	it('keeps each instance’s API live when Prometheus is killed, and is back within two polls of its restart; a stopped Traefik is instance_down', async () => {
		const run = watch({prometheus: prometheus.url}, {targets: traefiks.map((t, i) => ({name: 'ab'[i], url: t.apiUrl, prometheusInstance: label(t)}))});
		pollers.push(run.poller);
		await until(run.snapshots, (s) => s.instances?.length === 2 && s.instances.every((i) => i.sources.metrics.ok && i.sources.api.ok), 'both up');
		expect(run.snapshots.at(-1)!.instances!.map((i) => i.name)).toEqual(['a', 'b']);
		await prometheus.kill();
		const down = await until(run.snapshots, (s) => s.instances!.every((i) => !i.sources.metrics.ok), 'metrics failed', 6);
		for (const i of down.instances!) {
			expect(i.sources.metrics.error).toMatch(/connection refused/);
			expect(i.sources.api.ok).toBe(true);
		}
		expect(down.alerts.some((a) => a.rule === 'source_failed')).toBe(true);
		await prometheus.restart();
		const at = run.snapshots.length;
		await until(run.snapshots, (s) => s.instances!.every((i) => i.sources.metrics.ok), 'metrics back', 4);
		expect(run.snapshots.findIndex((s, k) => k >= at && s.instances!.every((i) => i.sources.metrics.ok)) - at).toBeLessThanOrEqual(2);
		// b stopped: Prometheus' next scrape of it fails (up == 0) and its API does not answer.
		await traefiks[1]!.traefik.stop();
		const gone = await until(run.snapshots, (s) => s.alerts.some((a) => a.rule === 'instance_down' && a.subject === 'b'), 'instance_down b', 10);
		expect(gone.instances!.find((i) => i.name === 'b')!.error).toMatch(/Prometheus reports 127\.0\.0\.1:\d+ down \(up == 0 at its last scrape\)/);
		expect(gone.instances!.find((i) => i.name === 'a')!.state).toBe('up');
		run.poller.stop();
	});
});
