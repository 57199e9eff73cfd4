// Traefik's access log as real Traefik writes it, in both formats: every field read is there with
// its type, the log's counts per service and status class equal the increase of
// traefik_service_requests_total over the same requests exactly, and a rotation during load
// (rename-and-create with USR1, and copytruncate) loses no line and counts none twice.
import {copyFileSync, readFileSync, renameSync, truncateSync} from 'node:fs';
import http from 'node:http';
import type net from 'node:net';
import {afterAll, beforeAll, describe, expect, it} from 'vitest';
import {AccessLogFollower} from '../../source/collect/access-log.js';
import {parseTraefikMetrics} from '../../source/collect/traefik-metrics-parse.js';
import type {RequestRecord} from '../../source/domain/requests.js';
import {realTraefik} from '../helpers/demo.js';
import {startTestTraefik, type TestTraefik} from '../helpers/traefik.js';

const CLASSES = ['2xx', '3xx', '4xx', '5xx'] as const;
const classOf = (status: number) => `${Math.floor(status / 100)}xx`;

/** A backend that answers by path: /ok 200, /missing 404, /fail 500, /moved 301. */
async function backend(): Promise<{server: http.Server; url: string}> {
	const codes: Record<string, number> = {'/ok': 200, '/missing': 404, '/fail': 500, '/moved': 301};
	const server = http.createServer((req, res) => res.writeHead(codes[req.url ?? ''] ?? 200, {Location: '/ok'}).end('x'.repeat(10)));
	await new Promise<void>((resolve) => server.listen(0, '127.0.0.61', resolve));
	return {server, url: `http://127.0.0.61:${(server.address() as net.AddressInfo).port}`};
}

/** traefik_service_requests_total per "service class". */
async function serviceCounts(metricsUrl: string): Promise<Map<string, number>> {
	const reading = parseTraefikMetrics(await (await fetch(metricsUrl)).text());
	const out = new Map<string, number>();
	for (const [service, group] of reading.services) for (const c of CLASSES) out.set(`${service} ${c}`, group.requests[c]);
	return out;
}

describe.skipIf(realTraefik() === null)(`the access log of Traefik ${realTraefik()?.version ?? ''}`, () => {
	const traefiks: TestTraefik[] = [];
	let be: {server: http.Server; url: string};
	beforeAll(async () => {
		be = await backend();
	});
	afterAll(async () => {
		await Promise.all(traefiks.map((t) => t.stop()));
		be.server.close();
	});

	async function start(format: 'json' | 'common'): Promise<TestTraefik> {
		const t = await startTestTraefik({accessLogFormat: format});
		traefiks.push(t);
		await t.configure({
			http: {
				routers: {
					a: {entryPoints: ['web'], rule: 'PathPrefix(`/a`)', service: 'a', middlewares: ['strip']},
					b: {entryPoints: ['web'], rule: 'PathPrefix(`/b`)', service: 'b', middlewares: ['strip']},
				},
				middlewares: {strip: {stripPrefix: {prefixes: ['/a', '/b']}}},
				services: {a: {loadBalancer: {servers: [{url: be.url}]}}, b: {loadBalancer: {servers: [{url: be.url}]}}},
			},
		});
		return t;
	}

	const send = async (t: TestTraefik, paths: readonly string[]) => {
		for (const p of paths) await (await fetch(`http://127.0.0.1:${t.ports.web}${p}`, {redirect: 'manual'})).arrayBuffer();
	};
	const mix = Array.from({length: 60}, (_, i) => `/${i % 3 === 0 ? 'b' : 'a'}/${['ok', 'missing', 'fail', 'moved', 'ok'][i % 5]}`);

	it.each(['json', 'common'] as const)('%s: every field is there, and the counts equal /metrics exactly', async (format) => {
		const t = await start(format);
		const file = t.traefik.accessLog;
		await send(t, ['/a/ok']); // the log exists, and the services have series
		const follower = new AccessLogFollower(file);
		expect(follower.read().records).toEqual([]); // from the end
		const before = await serviceCounts(t.metricsUrl);
		await send(t, mix);
		const after = await serviceCounts(t.metricsUrl);
		const read = follower.read();
		expect(read.format).toBe(format);
		expect(read.malformed).toBe(0);
		expect(read.records).toHaveLength(mix.length);
		for (const r of read.records) {
			expect(typeof r.at).toBe('number');
			expect(r.method).toBe('GET');
			expect(r.router).toMatch(/^[ab]@file$/);
			expect(r.serverUrl).toBe(be.url);
			expect(r.serverAddr).toBe(be.url.slice('http://'.length));
			expect(typeof r.durationMs).toBe('number');
			expect(r.size).toBe(10);
			if (format === 'json') {
				expect(r.service).toMatch(/^[ab]@file$/);
				expect(r.entryPoint).toBe('web');
				expect(r.originStatus).toBe(r.status);
				expect(typeof r.originMs).toBe('number');
				expect(r.path).toMatch(/^\/[ab]\//);
			}
		}
		// The common format names the router; here each router has its service of the same name.
		const serviceOf = (r: RequestRecord) => r.service ?? r.router!;
		const fromLog = new Map<string, number>();
		for (const r of read.records) fromLog.set(`${serviceOf(r)} ${classOf(r.status)}`, (fromLog.get(`${serviceOf(r)} ${classOf(r.status)}`) ?? 0) + 1);
		for (const service of ['a@file', 'b@file']) {
			for (const c of CLASSES) {
				const key = `${service} ${c}`;
				expect(fromLog.get(key) ?? 0, key).toBe((after.get(key) ?? 0) - (before.get(key) ?? 0));
			}
		}
	});

	it.each(['rename and USR1', 'copytruncate'] as const)('a rotation by %s during load loses no line and counts none twice', async (how) => {
		const t = await start('json');
		const file = t.traefik.accessLog;
		await send(t, ['/a/ok']);
		const follower = new AccessLogFollower(file);
		follower.read();
		const seen: RequestRecord[] = [];
		const paths = Array.from({length: 200}, (_, i) => `/a/ok?n=${i}`);
		let sent = 0;
		const sending = (async () => {
			for (const p of paths) {
				await send(t, [p]);
				sent++;
			}
		})();
		// Rotate while requests flow, reading between; a bounded wait for the sender.
		for (let i = 0; i < 400 && sent < 60; i++) await new Promise((resolve) => setTimeout(resolve, 10));
		seen.push(...follower.read().records);
		if (how === 'rename and USR1') {
			renameSync(file, `${file}.1`);
			process.kill(t.pid, 'SIGUSR1'); // Traefik reopens its access log at the path
		} else {
			copyFileSync(file, `${file}.1`);
			truncateSync(file, 0);
		}
		for (let i = 0; i < 20; i++) {
			seen.push(...follower.read().records);
			await new Promise((resolve) => setTimeout(resolve, 25));
		}
		await sending;
		await new Promise((resolve) => setTimeout(resolve, 200));
		seen.push(...follower.read().records);
		const numbers = seen.map((r) => Number(/n=(\d+)/.exec(r.path)?.[1]));
		if (how === 'rename and USR1') expect([...numbers].sort((x, y) => x - y)).toEqual(paths.map((_, i) => i));
		else {
			// copytruncate itself can lose what is written between the copy and the truncation
			// (as with tail -F); what the follower read is each line once, in order.
			expect(new Set(numbers).size).toBe(numbers.length);
			expect(numbers).toEqual([...numbers].sort((x, y) => x - y));
			expect(numbers.length).toBeGreaterThanOrEqual(paths.length - 5);
		}
		expect(readFileSync(`${file}.1`, 'utf8').length).toBeGreaterThan(0);
	});
});
