// Sources that misbehave, each a real server on loopback: every call ends by its deadline with a
// message an operator understands, and the monitor marks that source stale while the rest goes on.
import http from 'node:http';
import net from 'node:net';
import {gzipSync} from 'node:zlib';
import {afterAll, beforeAll, describe, expect, it} from 'vitest';
import {fetchApi} from '../../source/collect/api.js';
import {httpGet, type HttpOptions} from '../../source/collect/http.js';
import {fetchMetrics} from '../../source/collect/metrics.js';
import {isError} from '../../source/domain/harvest.js';
import {Monitor} from '../../source/model/monitor.js';
import {DEFAULT_RULES} from '../../source/model/rules/config.js';

const OPTIONS: HttpOptions = {timeoutMs: 800, maxBytes: 8 * 1024 * 1024};
const sockets = new Set<net.Socket>();
let server: http.Server;
let base = '';
let closedPort = 0;

function route(req: http.IncomingMessage, res: http.ServerResponse): void {
	const url = new URL(req.url ?? '/', 'http://x');
	switch (url.pathname) {
		case '/hang':
			return; // accepts, reads, never answers
		case '/trickle': {
			res.writeHead(200, {'content-type': 'text/plain; version=0.0.4'});
			const timer = setInterval(() => res.write('#'), 100);
			res.on('close', () => clearInterval(timer));
			return;
		}
		case '/huge': {
			res.writeHead(200, {'content-type': 'text/plain; version=0.0.4'});
			const chunk = Buffer.alloc(1024 * 1024, 'm');
			let sent = 0;
			const pump = (): void => {
				while (sent < 200 && res.write(chunk)) sent++;
				if (sent >= 200) res.end();
				else res.once('drain', pump);
			};
			pump();
			return;
		}
		case '/bomb':
			// 64 MiB of zeros in a 64 KiB gzip body: eight times the cap once inflated.
			res.writeHead(200, {'content-type': 'text/plain; version=0.0.4', 'content-encoding': 'gzip'}).end(BOMB);
			return;
		case '/html':
			res.writeHead(200, {'content-type': 'text/html'}).end('<!doctype html><title>Login</title>');
			return;
		case '/redirect':
			res.writeHead(302, {location: `http://127.0.0.2:${(server.address() as net.AddressInfo).port}/metrics`}).end();
			return;
		case '/same-origin':
			res.writeHead(301, {location: '/metrics'}).end();
			return;
		case '/metrics':
			res.writeHead(200, {'content-type': 'text/plain; version=0.0.4'}).end('traefik_config_reloads_total 3\n');
			return;
		case '/api/rawdata':
			if (url.searchParams.has('x')) return;
			res.writeHead(404).end();
			return;
		case '/api/version':
			res.writeHead(200, {'content-type': 'application/json'}).end('{"Version":"3.7.9"}');
			return;
		case '/api/entrypoints':
			res.writeHead(200, {'content-type': 'application/json'}).end('[{"name":"web","address":":80"}]');
			return;
		case '/api/http/services': {
			// A broken paginator: there is always a next page.
			const page = Number(url.searchParams.get('page') ?? 1);
			const items = Array.from({length: 100}, (_, i) => ({name: `s${page}-${i}@file`, loadBalancer: {servers: [{url: 'http://10.0.0.1:80'}]}}));
			res.writeHead(200, {'content-type': 'application/json', 'x-next-page': String(page + 1)}).end(JSON.stringify(items));
			return;
		}
		default: {
			const status = Number(url.pathname.slice(1));
			if (status >= 400) res.writeHead(status).end('no');
			else res.writeHead(404).end();
		}
	}
}

const BOMB = gzipSync(Buffer.alloc(64 * 1024 * 1024, 0), {level: 9});

beforeAll(async () => {
	server = http.createServer(route);
	server.on('connection', (s) => {
		sockets.add(s);
		s.on('close', () => sockets.delete(s));
	});
	await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
	base = `http://127.0.0.1:${(server.address() as net.AddressInfo).port}`;
	const probe = net.createServer();
	await new Promise<void>((resolve) => probe.listen(0, '127.0.0.1', resolve));
	closedPort = (probe.address() as net.AddressInfo).port;
	await new Promise((resolve) => probe.close(resolve));
}, 60_000);

afterAll(async () => {
	for (const s of sockets) s.destroy();
	await new Promise((resolve) => server.close(resolve));
});

const metricsError = async (url: string, options = OPTIONS): Promise<string> => {
	const result = await fetchMetrics(url, options);
	if (!isError(result)) throw new Error(`expected a failure for ${url}`);
	return result.error;
};

describe('a metrics endpoint that misbehaves', () => {
	it.each([
		['connection refused', () => `http://127.0.0.1:${closedPort}/metrics`, /connection refused/],
		['a host name that does not resolve', () => 'http://no-such-host.invalid/metrics', /host name not found|no answer within 800 ms/],
		['accepts and never answers', () => `${base}/hang`, /no answer within 800 ms/],
		['trickles bytes forever', () => `${base}/trickle`, /no answer within 800 ms/],
		['a 200 MB body', () => `${base}/huge`, /response larger than 8 MB/],
		['a gzip bomb', () => `${base}/bomb`, /response larger than 8 MB \(after decompression\)/],
		['HTML instead of metrics', () => `${base}/html`, /HTML page, not metrics/],
		['401', () => `${base}/401`, /HTTP 401 Unauthorized \(credentials needed/],
		['403', () => `${base}/403`, /HTTP 403 Forbidden \(credentials refused\)/],
		['500', () => `${base}/500`, /HTTP 500 Internal Server Error/],
		['a redirect to another host', () => `${base}/redirect`, /redirected to another host \(http:\/\/127\.0\.0\.2:\d+\/metrics\); not followed/],
	])('%s: a clear message', async (_name, url, message) => {
		expect(await metricsError(url())).toMatch(message);
	});

	it('follows a redirect on the same origin', async () => {
		const ok = await fetchMetrics(`${base}/same-origin`, OPTIONS);
		expect(isError(ok)).toBe(false);
	});

	it('never sends credentials to another host, and never prints them', async () => {
		const secret = 's3cr3t-t0ken';
		const error = await metricsError(`http://admin:${secret}@127.0.0.1:${(server.address() as net.AddressInfo).port}/redirect`, {
			...OPTIONS,
			bearerToken: secret,
		});
		expect(error).not.toContain(secret);
		expect(error).not.toContain('admin');
		const response = await httpGet(`${base}/metrics`, {...OPTIONS, basicAuth: `u:${secret}`});
		expect(response.status).toBe(200);
	});
});

describe('an API that misbehaves', () => {
	it('a list that always has a next page is cut, and said so', async () => {
		const result = await fetchApi(base, {...OPTIONS, timeoutMs: 5000});
		expect(isError(result) && result.error).toMatch(/\/api\/http\/services: more than 50 pages; the list was cut there/);
	});

	it('truncated JSON is reported as such', async () => {
		const truncated = http.createServer((_req, res) => res.writeHead(200, {'content-type': 'application/json'}).end('{"routers": {"a": '));
		await new Promise<void>((resolve) => truncated.listen(0, '127.0.0.1', resolve));
		try {
			const result = await fetchApi(`http://127.0.0.1:${(truncated.address() as net.AddressInfo).port}`, OPTIONS);
			expect(isError(result) && result.error).toMatch(/the answer is not valid JSON \(\d+ bytes, maybe truncated\)/);
		} finally {
			truncated.closeAllConnections();
			await new Promise((resolve) => truncated.close(resolve));
		}
	});
});

describe('the monitor with a failing source', () => {
	it('marks it stale in the snapshot, keeps its last success, raises source_failed, and keeps the rest live', () => {
		const monitor = new Monitor({
			rules: DEFAULT_RULES,
			intervalSeconds: 1,
			retentionSeconds: 60,
			host: 'h',
			filter: {service: null, entrypoint: null},
			flagServers: [],
		});
		const proc = {
			pid: 1,
			pidSource: 'flag' as const,
			process: null,
			sockets: [],
			malformed: 0,
			foreign: 0,
			ownedInodes: null,
			warnings: [],
			ephemeralPorts: [32768, 60999] as const,
		};
		monitor.ingest({
			collectedAt: 1000,
			proc,
			resolved: {},
			resolveErrors: {},
			metrics: {error: 'http://127.0.0.1:8080/metrics: no answer within 800 ms'},
			api: {error: 'http://127.0.0.1:8080/api/version: HTTP 401 Unauthorized'},
		});
		const s = monitor.snapshot();
		expect(s.sources.proc.ok).toBe(true);
		expect(s.sources.metrics).toMatchObject({ok: false, error: 'http://127.0.0.1:8080/metrics: no answer within 800 ms'});
		expect(
			s.alerts
				.filter((a) => a.rule === 'source_failed')
				.map((a) => a.subject)
				.sort(),
		).toEqual(['api', 'metrics']);
		expect(s.history.requestsPerSecond.at(-1)).toBeNull();
	});
});
