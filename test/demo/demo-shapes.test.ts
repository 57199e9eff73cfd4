// The stand-in's /metrics and API as traefik-top's parsers read them, and in Traefik's text format
// (sorted families, labels sorted with le last, Go floats). That its families, labels and keys are
// Traefik's is proved against real Traefik in test/traefik/conformance.test.ts.
import {afterAll, beforeAll, describe, expect, it} from 'vitest';
import {listToMap, mapConfiguration, parseEntryPoints, parseRawdata, parseVersion} from '../../source/collect/api-parse.js';
import {parseExposition} from '../../source/collect/prometheus-parse.js';
import {parseTraefikMetrics} from '../../source/collect/traefik-metrics-parse.js';
import {goFloat} from '../../source/demo/exposition.js';
import type {StackInfo} from '../../source/demo/stack.js';
import {startStack, stopStack, type Child} from '../helpers/demo.js';

describe('the stand-in speaks Traefik v3', () => {
	let stack: {info: StackInfo; child: Child};
	const get = async (path: string) => fetch(`${stack.info.apiUrl}${path}`);

	beforeAll(async () => {
		stack = await startStack('stand-in');
		await new Promise((resolve) => setTimeout(resolve, 2500)); // some traffic first
	});
	afterAll(() => stopStack(stack?.child));

	it('/metrics: text format 0.0.4 with no malformed line, v3 families only', async () => {
		const response = await get('/metrics');
		expect(response.headers.get('content-type')).toMatch(/^text\/plain; version=0\.0\.4/);
		const text = await response.text();
		const seen = new Set<string>();
		const report = parseExposition(text, {wants: () => true, sample: (name) => void seen.add(name.replace(/_(bucket|sum|count)$/, ''))});
		expect(report.malformed).toBe(0);
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
		expect(new Set(raw.servers.map((s) => s.service))).toEqual(new Set(['web@file', 'api-v1@file', 'api-v2@file', 'static@file', 'auth@file', 'search@file']));
		expect(raw.routers.find((r) => r.name === 'api@file')!.loadBalancers).toEqual(['api-v1@file', 'api-v2@file']);
		expect(raw.parents['api-v1@file']).toEqual(['api@file']);
		const list = await get('/api/http/services?page=1&per_page=3');
		expect(list.headers.get('x-next-page')).toBe('2');
		const page2 = await get('/api/http/services?page=3&per_page=3');
		expect(page2.headers.get('x-next-page')).toBe('1');
		const all = await (await get('/api/http/services')).json();
		expect(mapConfiguration(listToMap(all), listToMap(await (await get('/api/http/routers')).json())).servers).toHaveLength(raw.servers.length);
		expect(parseEntryPoints(await (await get('/api/entrypoints')).json()).map((e) => e.name)).toEqual(['web', 'internal', 'traefik']);
		expect(parseVersion(await (await get('/api/version')).json()).version).toBe('3.7-stand-in');
		expect((await get('/api/nope')).status).toBe(404);
	});
});
