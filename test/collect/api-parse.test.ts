import {describe, expect, it} from 'vitest';
import {listToMap, mapConfiguration, parseEntryPoints, parseRawdata, parseVersion} from '../../source/collect/api-parse.js';
import {normalizeServerUrl, qualify, serverUrlTarget, splitHostPort} from '../../source/domain/server-url.js';
import {fixtureJson, fixtureNames} from '../helpers/fixtures.js';

function byService(servers: readonly {service: string; url: string; status: string}[]): Record<string, string[]> {
	const out: Record<string, string[]> = {};
	for (const s of servers) (out[s.service] ??= []).push(`${s.url} ${s.status}`);
	return out;
}

describe('every API fixture parses', () => {
	it.each(fixtureNames('api-', '.json'))('%s', (name) => {
		const body = fixtureJson(name);
		if (name.includes('rawdata')) expect(parseRawdata(body).servers.length).toBeGreaterThan(0);
		else if (name.includes('entrypoints')) expect(parseEntryPoints(body).length).toBeGreaterThan(0);
		else if (name.includes('services')) expect(mapConfiguration(listToMap(body), new Map()).servers.length).toBeGreaterThan(0);
		else if (name.includes('routers')) expect(mapConfiguration(new Map(), listToMap(body)).routers.length).toBeGreaterThan(0);
		else expect(typeof body).toBe('object'); // overview: not used for backends
	});
});

describe('rawdata v3.7 (kubernetescrd)', () => {
	const config = parseRawdata(fixtureJson('api-rawdata-v3.7-kubernetescrd.json'));

	it('maps load-balancer servers with their status, HTTP and TCP', () => {
		const services = byService(config.servers);
		expect(services['default-whoami-80@kubernetescrd']).toEqual(['http://10.42.0.3:80 UP', 'http://10.42.0.5:80 UP']);
		expect(services['default-test3.route-673acf455cb2dab0b43a-whoamitcp-8080@kubernetescrd']).toEqual(['10.42.0.2:8080 UP', '10.42.0.6:8080 UP']);
		expect(services['default-test3.route-673acf455cb2dab0b43a-externalname-svc-9090@kubernetescrd']).toEqual(['domain.com:9090 UP']);
		const tcp = config.servers.find((s) => s.url === 'domain.com:9090');
		expect(tcp).toMatchObject({host: 'domain.com', port: 9090});
	});

	it('follows weighted, mirroring and highestRandomWeight services to their load balancers', () => {
		const router = (name: string) => config.routers.find((r) => r.name.startsWith(name));
		expect(router('default-test3-route')!.service).toBe('default-wrr1@kubernetescrd');
		expect(router('default-test3-route')!.loadBalancers).toEqual(['default-whoami-80@kubernetescrd']);
		expect(router('default-test4-route')!.loadBalancers).toEqual(['default-whoami-80@kubernetescrd']);
		expect(config.parents['default-whoami-80@kubernetescrd']).toEqual(
			expect.arrayContaining(['default-hrw1@kubernetescrd', 'default-mirror1@kubernetescrd', 'default-wrr1@kubernetescrd', 'default-wrr2@kubernetescrd']),
		);
		// A router to a missing service resolves to nothing rather than failing.
		expect(router('other-ns-test6-route')!.loadBalancers).toEqual([]);
	});
});

describe('rawdata v3.7 (kubernetesgateway)', () => {
	it('reaches the children of weighted services, which have no usedBy', () => {
		const config = parseRawdata(fixtureJson('api-rawdata-v3.7-kubernetesgateway.json'));
		const web = config.routers.find((r) => r.entryPoints.includes('web'))!;
		expect(web.loadBalancers).toHaveLength(1);
		expect(web.loadBalancers[0]).toMatch(/svc-default-whoami-0@kubernetesgateway$/);
		expect(config.servers.filter((s) => s.service === web.loadBalancers[0]).map((s) => s.port)).toEqual([80, 80]);
	});
});

describe('rawdata v3.7 (consul)', () => {
	const config = parseRawdata(fixtureJson('api-rawdata-v3.7-consul.json'));

	it('keeps servers of services never built, with an unknown status', () => {
		const services = byService(config.servers);
		expect(services['simplesvc@consul']).toEqual(['http://10.0.1.1:8888 UP', 'http://10.0.1.1:8889 UP']);
		expect(services['srvcA@consul']).toEqual(['http://10.0.1.2:8888 unknown', 'http://10.0.1.2:8889 unknown']);
	});

	it("qualifies a router's unqualified service with the router's provider", () => {
		expect(config.routers.find((r) => r.name === 'Router0@consul')!.loadBalancers).toEqual(['simplesvc@consul']);
		expect(config.parents['srvcA@consul']).toEqual(['Service03@consul', 'mirror@consul']);
	});
});

describe('rawdata v2.11', () => {
	it('maps the same way without v3-only fields; TCP servers without serverStatus are unknown', () => {
		const config = parseRawdata(fixtureJson('api-rawdata-v2.11-kubernetescrd.json'));
		expect(byService(config.servers)['default-whoami-80@kubernetescrd']).toEqual(['http://10.42.0.4:80 UP', 'http://10.42.0.6:80 UP']);
		expect(config.servers.filter((s) => s.url === '10.42.0.2:8080').every((s) => s.status === 'unknown')).toBe(true);
	});
});

describe('list endpoints', () => {
	it('maps /api/http/services (default port 80, weighted without children)', () => {
		const config = mapConfiguration(listToMap(fixtureJson('api-http-services-v3.7-handler-golden.json')), new Map());
		expect(config.servers.map((s) => `${s.service} ${s.host}:${s.port} ${s.status}`)).toEqual([
			'bar@myprovider 127.0.0.1:80 UP',
			'baz@myprovider 127.0.0.2:80 UP',
		]);
	});

	it('parses entry points and their ports', () => {
		expect(parseEntryPoints(fixtureJson('api-entrypoints-v3.7-handler-golden.json'))).toEqual([
			{name: 'web', port: 80},
			{name: 'websecure', port: 443},
		]);
		expect(
			parseEntryPoints([
				{name: 'dns', address: ':53/udp'},
				{name: 'v6', address: '[::]:8443'},
				{name: 'tcp', address: '0.0.0.0:9000/tcp'},
			]),
		).toEqual([
			{name: 'v6', port: 8443},
			{name: 'tcp', port: 9000},
		]);
	});

	it('reads /api/version with its capital V', () => {
		expect(parseVersion({Version: '3.7.9', Codename: 'x', startDate: '2026-11-22T00:00:00Z'})).toEqual({version: '3.7.9', startDate: '2026-11-22T00:00:00Z'});
	});

	it('rejects what is not rawdata in words', () => {
		expect(() => parseRawdata('<html>')).toThrow(/not Traefik rawdata/);
		expect(() => parseEntryPoints({})).toThrow(/not a list/);
	});
});

describe('URL helpers', () => {
	it('normalises server URLs like Go url.URL.String()', () => {
		expect(normalizeServerUrl('HTTP://Whoami:80/')).toBe('http://whoami:80');
		expect(normalizeServerUrl('http://10.0.0.1:8080/api')).toBe('http://10.0.0.1:8080/api');
	});

	it('finds the host and port a server URL connects to', () => {
		expect(serverUrlTarget('https://backend.internal')).toEqual({host: 'backend.internal', port: 443});
		expect(serverUrlTarget('h2c://[fd00::5]:8080')).toEqual({host: 'fd00::5', port: 8080});
		expect(serverUrlTarget('not a url')).toBeUndefined();
	});

	it('splits host:port, IPv6 in brackets', () => {
		expect(splitHostPort('[::1]:9000')).toEqual({host: '::1', port: 9000});
		expect(splitHostPort('db:5432')).toEqual({host: 'db', port: 5432});
		expect(splitHostPort('db')).toBeUndefined();
		expect(splitHostPort('db:99999')).toBeUndefined();
	});

	it('qualifies names', () => {
		expect(qualify('svc', 'router@docker')).toBe('svc@docker');
		expect(qualify('svc@file', 'router@docker')).toBe('svc@file');
	});
});
