// The rules of single servers (from the access log) and of retries (from /metrics).
import {describe, expect, it} from 'vitest';
import {backendRow, judgeScene, serviceRow, span} from './judge.js';

const stats = (requests: number, errorRatio: number, p95: number) => ({
	requestsPerSecond: requests / 60,
	errorRatio,
	p50: p95 / 3,
	p95,
	retriesPerSecond: 0,
	requests,
});
const server = (address: string, s: ReturnType<typeof stats>) => backendRow({service: 'shop@x', services: ['shop@x'], address, requests: s});

describe('server_error_ratio', () => {
	it('fires for the one server whose 5xx stand out among healthy siblings', () => {
		const {fired, breaches} = judgeScene({backends: [server('10.0.0.1:80', stats(200, 0.3, 0.05)), server('10.0.0.2:80', stats(200, 0, 0.05))]});
		expect(fired).toEqual(['server_error_ratio:crit']);
		expect(breaches[0]!.subject).toBe('10.0.0.1:80');
		expect(breaches[0]!.text).toMatch(/5xx 30 % of this server's 200 requests .* its 1 sibling under 1 %/);
	});

	it('stays quiet when every server fails alike (error_ratio says it), for a lone server, and below minRequests', () => {
		expect(judgeScene({backends: [server('10.0.0.1:80', stats(200, 0.3, 0.05)), server('10.0.0.2:80', stats(200, 0.2, 0.05))]}).fired).toEqual([]);
		expect(judgeScene({backends: [server('10.0.0.1:80', stats(200, 0.3, 0.05))]}).fired).toEqual([]);
		expect(judgeScene({backends: [server('10.0.0.1:80', stats(10, 0.5, 0.05)), server('10.0.0.2:80', stats(200, 0, 0.05))]}).fired).toEqual([]);
	});
});

describe('server_latency_p95', () => {
	it("fires above its bound, on the server's own minute", () => {
		expect(judgeScene({backends: [server('10.0.0.1:80', stats(100, 0, 1.5)), server('10.0.0.2:80', stats(100, 0, 0.2))]}).fired).toEqual([
			'server_latency_p95:warn',
		]);
		expect(judgeScene({backends: [server('10.0.0.1:80', stats(5, 0, 9))]}).fired).toEqual([]);
	});
});

describe('retry_ratio', () => {
	it("fires on a service's attempts made again over its requests in the last minute", () => {
		const minute = {...span(600), retriesPerSecond: 4}; // 40 % of 10 req/s
		expect(judgeScene({services: [serviceRow('s@x')], spans: {minute, recent: null}}).fired).toEqual(['retry_ratio:crit']);
		expect(judgeScene({services: [serviceRow('s@x')], spans: {minute: {...span(600), retriesPerSecond: 0.1}, recent: null}}).fired).toEqual([]);
	});
});
