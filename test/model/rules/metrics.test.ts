// The rule families that read Traefik's figures: error ratio, latency, server status, certificates, sources.
import {describe, expect, it} from 'vitest';
import {DEFAULT_RULES} from '../../../source/model/rules/config.js';
import {judgeScene, serviceRow, span} from './judge.js';

describe('metrics rules', () => {
	const errors = (ratio: number, requests = 100) => judgeScene({services: [serviceRow()], spans: {minute: span(requests, ratio), recent: null}});

	it('error_ratio: warn over 1 %, crit over 5 % of the last minute, from the minimum of requests', () => {
		expect(errors(0.02).fired).toEqual(['error_ratio:warn']);
		expect(errors(0.02).breaches[0]!.text).toBe('5xx 2 % of 100 requests in the last minute (limit 1 %)');
		expect(errors(0.02).services[0]!.levels).toEqual({errorRatioMinute: 'warn'});
		expect(errors(0.2).fired).toEqual(['error_ratio:crit']);
		expect(errors(0.2).totals).toEqual({errorRatio: 'crit'});
		expect(errors(0.2, 5).fired).toEqual([]);
		expect(errors(0.005).fired).toEqual([]);
	});

	it('latency_p95: over its window, above the second bucket by default, or the bound the user names', () => {
		const slow = (p95: number, requests = 100, rules = DEFAULT_RULES) =>
			judgeScene({services: [serviceRow()], spans: {minute: null, recent: span(requests, 0, p95)}, rules});
		expect(slow(0.5).breaches).toMatchObject([{rule: 'latency_p95', threshold: 0.3, value: 0.5, text: 'p95 500 ms over the last 10 s (limit 300 ms)'}]);
		expect(slow(0.5).services[0]!.levels).toEqual({p95Recent: 'warn'});
		expect(slow(0.5).totals).toEqual({p95: 'warn'});
		expect(slow(0.25).fired).toEqual([]);
		expect(slow(0.9, 3).fired).toEqual([]);
		expect(slow(0.5, 100, {...DEFAULT_RULES, latency_p95: {...DEFAULT_RULES.latency_p95, bucket: 1.2}}).fired).toEqual([]);
	});

	it('server_down: every DOWN server of a service, and its servers cell', () => {
		const servers = [
			{url: 'http://10.0.0.7:80', address: '10.0.0.7:80', status: 'DOWN' as const},
			{url: 'http://10.0.0.8:80', address: '10.0.0.8:80', status: 'UP' as const},
		];
		const down = judgeScene({services: [serviceRow('auth@x', {servers, serversUp: 1})]});
		expect(down.breaches).toMatchObject([
			{rule: 'server_down', subject: '10.0.0.7:80', service: 'auth@x', text: 'Traefik marks http://10.0.0.7:80 DOWN (1 of 2 servers up)'},
		]);
		expect(down.services[0]!.levels).toEqual({servers: 'crit'});
	});

	it('cert_expiry: 14 days warn, 3 days crit', () => {
		const now = Date.UTC(2026, 10, 22);
		const cert = (days: number) => ({cn: 'example.com', sans: 'example.com,www.example.com', serial: '1a', notAfter: now / 1000 + days * 86400});
		const found = judgeScene({certificates: [cert(30), cert(10), cert(2)], now});
		expect(found.breaches.map((b) => `${b.level} ${b.value} ${b.text}`)).toEqual([
			'warn 10 days expires in 10 days (limit 14 days)',
			'crit 2 days expires in 2 days (limit 3 days)',
		]);
	});

	it('source_failed: says which source and why', () => {
		const found = judgeScene({failingSources: [{name: 'metrics', error: 'connection refused', polls: 1}]});
		expect(found.breaches).toMatchObject([{rule: 'source_failed', subject: 'metrics', text: 'metrics: connection refused'}]);
	});
});
