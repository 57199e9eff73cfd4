// The parsers on what the pinned Traefik wrote (test/fixtures/recorded, `npm run record`): the demo
// topology, with search-1 and web-1 refusing connections when it was recorded.
import {describe, expect, it} from 'vitest';
import {listToMap, mapConfiguration, parseEntryPoints, parseRawdata, parseVersion} from '../../source/collect/api-parse.js';
import {parseTraefikMetrics} from '../../source/collect/traefik-metrics-parse.js';
import {fixtureJson, fixtureText, FIXTURES} from '../helpers/fixtures.js';

const DIR = `${FIXTURES}recorded/traefik-3.7.15`;
const json = (name: string) => fixtureJson(name, DIR);

describe('Traefik 3.7.15 as recorded', () => {
	it('/metrics: v3, every service with its counts and default buckets, server_up 0 for the server its passive check left out', () => {
		const reading = parseTraefikMetrics(fixtureText('metrics.txt', DIR));
		expect(reading.generation).toBe('v3');
		expect(reading.report.malformed).toBe(0);
		expect([...reading.services.keys()].sort()).toEqual(['api-v1@file', 'api-v2@file', 'auth@file', 'search@file', 'static@file', 'web@file']);
		expect([...reading.services.get('web@file')!.buckets.keys()]).toEqual([0.1, 0.3, 1.2, 5, Number.POSITIVE_INFINITY]);
		// A retried request: three attempts at the service, one request at the router.
		const search = reading.services.get('search@file')!;
		const router = reading.routers.get('search@file')!;
		expect(router.service).toBe('search@file');
		expect(search.requests['5xx']).toBeGreaterThan(2 * router.requests['5xx']);
		expect(reading.serverUp.find((s) => s.service === 'web@file')).toMatchObject({up: false});
		expect(reading.certificates).toHaveLength(1);
		expect(reading.certificates[0]!.cn).toBe('demo.localhost');
		expect(reading.processStartTime).toBeGreaterThan(1.7e9);
	});

	it('the API: servers of every load balancer, the weighted service followed, serverStatus UP for the server left out', () => {
		const raw = parseRawdata(json('api-rawdata.json'));
		const services = new Set(raw.servers.map((s) => s.service));
		expect(services).toEqual(new Set(['web@file', 'api-v1@file', 'api-v2@file', 'static@file', 'auth@file', 'search@file']));
		expect(raw.routers.find((r) => r.name === 'api@file')!.loadBalancers).toEqual(['api-v1@file', 'api-v2@file']);
		// The router's service is written unqualified ("web"); the services map is keyed web@file.
		expect(raw.routers.find((r) => r.name === 'web@file')!.service).toBe('web@file');
		expect(raw.servers.filter((s) => s.service === 'web@file').every((s) => s.status === 'UP')).toBe(true);
		const listed = mapConfiguration(listToMap(json('api-http-services.json')), listToMap(json('api-http-routers.json')));
		expect(listed.servers.map((s) => s.url).sort()).toEqual(raw.servers.map((s) => s.url).sort());
		expect(
			parseEntryPoints(json('api-entrypoints.json'))
				.map((e) => e.name)
				.sort(),
		).toEqual(['internal', 'traefik', 'web']);
		expect(parseVersion(json('api-version.json')).version).toBe('3.7.15');
	});
});
