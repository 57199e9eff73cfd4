// The demo's /metrics and API go through the same parsers as the real fixtures, and its families
// and labels are those Traefik v3 declares (read from traefik-reference.md itself).
import {readFileSync} from 'node:fs';
import {fileURLToPath} from 'node:url';
import {afterAll, beforeAll, describe, expect, it} from 'vitest';
import {listToMap, mapConfiguration, parseEntryPoints, parseRawdata, parseVersion} from '../../source/collect/api-parse.js';
import {parseExposition} from '../../source/collect/prometheus-parse.js';
import {parseTraefikMetrics} from '../../source/collect/traefik-metrics-parse.js';
import {goFloat} from '../../source/demo/exposition.js';
import type {StackInfo} from '../../source/demo/stack.js';
import {startStack, stopStack} from '../helpers/demo.js';
import type {ChildProcess} from 'node:child_process';

const REFERENCE = readFileSync(fileURLToPath(new URL('../../../shared/traefik-reference.md', import.meta.url)), 'utf8');

/** Family -> label names, from the v3 tables of the reference (`| \`name\` | type | labels |`). */
function referenceFamilies(): Map<string, string[]> {
	const families = new Map<string, string[]>();
	const section = REFERENCE.slice(REFERENCE.indexOf('## 2. Traefik v3 metric families'), REFERENCE.indexOf('## 3.'));
	for (const line of section.split('\n')) {
		const m = /^\| `(traefik_[a-z_]+)` \| (counter|gauge|histogram) \| (.*?) \|/.exec(line);
		if (!m) continue;
		const labels = m[3] === '–' ? [] : [...m[3]!.matchAll(/`([a-z_]+)`/g)].map((x) => x[1]!).filter((l) => l !== 'headerLabels');
		families.set(m[1]!, labels.sort());
	}
	// The router families are described in prose: "same five families named traefik_router_*, labels code, method, protocol, router, service".
	for (const suffix of ['requests_total', 'request_duration_seconds', 'requests_bytes_total', 'responses_bytes_total'])
		families.set(`traefik_router_${suffix}`, ['code', 'method', 'protocol', 'router', 'service']);
	return families;
}

describe('the demo speaks Traefik v3', () => {
	let stack: {info: StackInfo; child: ChildProcess};
	const get = async (path: string) => fetch(`${stack.info.apiUrl}${path}`);

	beforeAll(async () => {
		stack = await startStack();
		await new Promise((resolve) => setTimeout(resolve, 2500)); // some traffic first
	});
	afterAll(() => stopStack(stack?.child));

	it('reads the reference tables (the test is not vacuous)', () => {
		expect(referenceFamilies().get('traefik_service_requests_total')).toEqual(['code', 'method', 'protocol', 'service']);
		expect(referenceFamilies().size).toBeGreaterThanOrEqual(14);
	});

	it('/metrics: every traefik_* family and label set is one Traefik v3 declares', async () => {
		const response = await get('/metrics');
		expect(response.headers.get('content-type')).toMatch(/^text\/plain; version=0\.0\.4/);
		const text = await response.text();
		const reference = referenceFamilies();
		const seen = new Map<string, Set<string>>();
		const report = parseExposition(text, {
			wants: () => true,
			sample(name, labels) {
				const family = name.replace(/_(bucket|sum|count)$/, '');
				const key = reference.has(family) ? family : name;
				const names = labels.names.slice(0, labels.count).filter((l) => l !== 'le');
				(seen.get(key) ?? seen.set(key, new Set()).get(key)!).add(names.join(','));
			},
		});
		expect(report.malformed).toBe(0);
		const traefik = [...seen.keys()].filter((k) => k.startsWith('traefik_'));
		expect(traefik.length).toBeGreaterThanOrEqual(12);
		for (const family of traefik) {
			expect(reference.has(family), `${family} is not a Traefik v3 family`).toBe(true);
			for (const labelSet of seen.get(family)!) expect(labelSet.split(',').filter(Boolean), family).toEqual(reference.get(family));
		}
		for (const v2Only of ['traefik_entrypoint_open_connections', 'traefik_config_reloads_failure_total']) expect(seen.has(v2Only)).toBe(false);
		expect(seen.has('process_cpu_seconds_total') && seen.has('process_start_time_seconds') && seen.has('go_goroutines')).toBe(true);
	});

	it('/metrics: sorted families, labels sorted with le last, default buckets', async () => {
		const text = await (await get('/metrics')).text();
		const names = [...text.matchAll(/^# TYPE (\S+)/gm)].map((m) => m[1]!);
		expect(names).toEqual([...names].sort());
		const bucketLine = text.split('\n').find((l) => l.startsWith('traefik_service_request_duration_seconds_bucket'))!;
		expect(bucketLine).toMatch(/^traefik_service_request_duration_seconds_bucket\{code="\d+",method="[A-Z]+",protocol="http",service="[^"]+",le="0\.1"\} \d/);
		const reading = parseTraefikMetrics(text);
		expect(reading.generation).toBe('v3');
		expect([...reading.services.values()][0]!.buckets.size).toBe(5);
		expect([...[...reading.services.values()][0]!.buckets.keys()]).toEqual([0.1, 0.3, 1.2, 5, Number.POSITIVE_INFINITY]);
		expect(reading.serverUp.length).toBe(2);
	});

	it('formats floats as Go does', () => {
		expect(goFloat(2840814)).toBe('2.840814e+06');
		expect(goFloat(1.8446744073709552e19)).toBe('1.8446744073709552e+19');
		expect(goFloat(123456)).toBe('123456');
		expect(goFloat(0.000123)).toBe('0.000123');
		expect(goFloat(0.0000123)).toBe('1.23e-05');
		expect(goFloat(Number.POSITIVE_INFINITY)).toBe('+Inf');
	});

	it("the API answers go through the fixtures' parsers", async () => {
		const raw = parseRawdata(await (await get('/api/rawdata')).json());
		expect(new Set(raw.servers.map((s) => s.service))).toEqual(new Set(['web@demo', 'api-v1@demo', 'api-v2@demo', 'static@demo', 'auth@demo', 'search@demo']));
		expect(raw.routers.find((r) => r.name === 'api@demo')!.loadBalancers).toEqual(['api-v1@demo', 'api-v2@demo']);
		expect(raw.parents['api-v1@demo']).toEqual(['api@demo']);
		const list = await get('/api/http/services?page=1&per_page=3');
		expect(list.headers.get('x-next-page')).toBe('2');
		const page2 = await get('/api/http/services?page=3&per_page=3');
		expect(page2.headers.get('x-next-page')).toBe('1');
		const all = await (await get('/api/http/services')).json();
		expect(mapConfiguration(listToMap(all), listToMap(await (await get('/api/http/routers')).json())).servers).toHaveLength(raw.servers.length);
		expect(parseEntryPoints(await (await get('/api/entrypoints')).json()).map((e) => e.name)).toEqual(['web', 'internal', 'traefik']);
		expect(parseVersion(await (await get('/api/version')).json()).version).toBe('3.7.9-demo');
		expect((await get('/api/nope')).status).toBe(404);
	});
});
