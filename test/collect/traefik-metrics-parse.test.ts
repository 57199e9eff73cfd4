import {describe, expect, it} from 'vitest';
import {parseTraefikMetrics, statusClass} from '../../source/collect/traefik-metrics-parse.js';
import {fixtureText} from '../helpers/fixtures.js';

describe('Traefik families from real scrapes', () => {
	it('v2.4 (covidpass): services by status class, default buckets, process figures', () => {
		const r = parseTraefikMetrics(fixtureText('metrics-v2.4-covidpass.txt'));
		expect(r.generation).toBe('v2');
		const web = r.services.get('covidpass-docker-compose@docker')!;
		expect(web.requests).toEqual({'2xx': 6, '3xx': 6, '4xx': 1, '5xx': 0, other: 0});
		expect([...web.buckets.keys()]).toEqual([0.1, 0.3, 1.2, 5, Number.POSITIVE_INFINITY]);
		expect(web.buckets.get(Number.POSITIVE_INFINITY)).toBe(13);
		const api = r.services.get('covidpassapinet-docker-compose@docker')!;
		expect(api.buckets.get(0.1)).toBe(5);
		expect(api.buckets.get(0.3)).toBe(6);
		expect(r.entrypoints.size).toBeGreaterThan(0);
		expect(r.processStartTime).toBeGreaterThan(1.6e9);
		expect(r.processRssBytes).toBeGreaterThan(0);
		expect(r.openConnections.size).toBeGreaterThan(0);
		expect(r.report.malformed).toBe(0);
	});

	it('v2.11 (predictora): routers with their service, TLS certificates, v2 detected', () => {
		const r = parseTraefikMetrics(fixtureText('metrics-v2.11-predictora.txt'));
		expect(r.generation).toBe('v2');
		expect(r.routers.size).toBeGreaterThan(0);
		expect([...r.routers.values()].every((g) => typeof g.service === 'string')).toBe(true);
		expect(r.certificates.length).toBeGreaterThan(0);
		expect(r.certificates[0]!.notAfter).toBeGreaterThan(1.6e9);
		expect(r.goVersion).toMatch(/^go1\./);
	});

	it('v2.2.1 (netdata): custom buckets are read, never assumed', () => {
		const r = parseTraefikMetrics(fixtureText('metrics-v2.2.1-netdata-entrypoints.txt'));
		const bounds = [...r.entrypoints.values()][0]!.buckets;
		expect([...bounds.keys()]).toEqual([0.1, 0.2, 0.3, 0.4, 0.5, 0.8, 0.9, 1, 1.1, 1.2, 5, Number.POSITIVE_INFINITY]);
		expect(r.services.size).toBe(0);
	});

	it('v3.0 fragment: traefik_open_connections (negative drift kept for the model to flag)', () => {
		const r = parseTraefikMetrics(fixtureText('metrics-v3.0-open-connections-fragment-issue10733.txt'));
		expect(r.generation).toBe('v3');
		expect([...r.openConnections.values()].some((v) => v < 0)).toBe(true);
	});

	it('Traefik Mesh proxy (no final newline) parses whole', () => {
		const text = fixtureText('metrics-v2-traefik-mesh-proxy-datadog.txt');
		const r = parseTraefikMetrics(text);
		expect(r.report.malformed).toBe(0);
		expect(r.report.lines).toBe(text.split('\n').filter((l) => l.trim() !== '' && !l.startsWith('#')).length);
		expect(r.report.samples).toBeGreaterThan(0);
	});
});

describe('status classes', () => {
	it('maps HTTP codes and v3 gRPC codes', () => {
		expect(statusClass('200', 'http')).toBe('2xx');
		expect(statusClass('499', 'http')).toBe('4xx');
		expect(statusClass('502', 'websocket')).toBe('5xx');
		expect(statusClass('0', 'http')).toBe('other');
		expect(statusClass('0', 'grpc')).toBe('2xx');
		expect(statusClass('14', 'grpc-web')).toBe('5xx');
		expect(statusClass('5', 'grpc')).toBe('4xx');
	});
});
