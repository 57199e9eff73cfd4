// A Traefik-shaped HTTP server on loopback for tests of what traefik-top does with what it is
// given: /metrics with counters that grow at every scrape, /api/rawdata and /api/version.
import http from 'node:http';
import type net from 'node:net';

export interface FakeService {
	readonly name: string;
	/** Requests per scrape, and how many of them are 500s. */
	readonly perScrape: number;
	readonly errorsPerScrape?: number;
	/** Server URLs (in rawdata and traefik_service_server_up). */
	readonly servers?: readonly string[];
	readonly down?: readonly string[];
}

export interface FakeTraefik {
	readonly url: string;
	readonly scrapes: number;
	/** Answers every /metrics with this status from now on (500), or normally again (200). */
	metricsStatus: number;
	close(): Promise<void>;
}

const esc = (v: string): string => v.replace(/\\/g, '\\\\').replace(/"/g, '\\"').replace(/\n/g, '\\n');

export async function startFakeTraefik(services: readonly FakeService[], options: {api?: boolean} = {}): Promise<FakeTraefik> {
	let scrapes = 0;
	const state = {metricsStatus: 200};
	const server = http.createServer((req, res) => {
		const path = (req.url ?? '/').split('?')[0];
		if (path === '/metrics') {
			if (state.metricsStatus !== 200) {
				res.writeHead(state.metricsStatus).end('internal error');
				return;
			}
			scrapes++;
			const lines = ['# TYPE traefik_service_requests_total counter'];
			for (const s of services) {
				const errors = (s.errorsPerScrape ?? 0) * scrapes;
				const ok = s.perScrape * scrapes - errors;
				lines.push(`traefik_service_requests_total{code="200",method="GET",protocol="http",service="${esc(s.name)}"} ${ok}`);
				lines.push(`traefik_service_requests_total{code="500",method="GET",protocol="http",service="${esc(s.name)}"} ${errors}`);
			}
			lines.push('# TYPE traefik_service_server_up gauge');
			for (const s of services)
				for (const url of s.servers ?? []) lines.push(`traefik_service_server_up{service="${esc(s.name)}",url="${esc(url)}"} ${s.down?.includes(url) ? 0 : 1}`);
			lines.push('# TYPE process_start_time_seconds gauge', 'process_start_time_seconds 1.7e+09', '');
			res.writeHead(200, {'content-type': 'text/plain; version=0.0.4'}).end(lines.join('\n'));
			return;
		}
		if (options.api && path === '/api/rawdata') {
			const body = {
				routers: Object.fromEntries(services.map((s) => [s.name, {entryPoints: ['web'], service: s.name, rule: `Host(\`${s.name}\`)`, status: 'enabled'}])),
				services: Object.fromEntries(
					services.map((s) => [
						s.name,
						{
							loadBalancer: {servers: (s.servers ?? []).map((url) => ({url}))},
							status: 'enabled',
							serverStatus: Object.fromEntries((s.servers ?? []).map((url) => [url, s.down?.includes(url) ? 'DOWN' : 'UP'])),
						},
					]),
				),
			};
			res.writeHead(200, {'content-type': 'application/json'}).end(`${JSON.stringify(body)}\n`);
			return;
		}
		if (options.api && path === '/api/version') {
			res.writeHead(200, {'content-type': 'application/json'}).end('{"Version":"3.7.15","Codename":"langres","startDate":"2026-12-01T00:00:00Z"}\n');
			return;
		}
		if (options.api && path === '/api/entrypoints') {
			res.writeHead(200, {'content-type': 'application/json', 'x-next-page': '1'}).end('[]\n');
			return;
		}
		res.writeHead(404).end('404 page not found\n');
	});
	await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
	const url = `http://127.0.0.1:${(server.address() as net.AddressInfo).port}`;
	return {
		url,
		get scrapes() {
			return scrapes;
		},
		get metricsStatus() {
			return state.metricsStatus;
		},
		set metricsStatus(status: number) {
			state.metricsStatus = status;
		},
		close: () =>
			new Promise<void>((resolve) => {
				server.closeAllConnections();
				server.close(() => resolve());
			}),
	};
}
