// The stand-in against real Traefik: the same topology, load and faults (search-1 and web-1 refusing for 8 s)
// sent through both, then their answers compared, values aside: every traefik_* family with its
// TYPE and label names, the key paths of the six API answers traefik-top reads, and the fields of
// each kind of access-log line. Real Traefik is the pinned one, run now, and its answers as
// recorded by `npm run record` (so the recorded fixtures are checked against the binary too).
import {readFileSync} from 'node:fs';
import {fileURLToPath} from 'node:url';
import {afterAll, beforeAll, describe, expect, it} from 'vitest';
import type {StackInfo} from '../../source/demo/stack.js';
import {fault, realTraefik, startStack, stopStack, type Child} from '../helpers/demo.js';
import {accessLogShapes, keyPaths, metricShapes, pathDifferences, shapeDifferences} from '../helpers/shapes.js';

const API = ['rawdata', 'http-services', 'http-routers', 'entrypoints', 'overview', 'version'] as const;
type Api = (typeof API)[number];

interface Answers {
	readonly metrics: string;
	readonly api: Readonly<Record<Api, unknown>>;
	readonly accessLog: readonly string[];
}

const RECORDED = fileURLToPath(new URL('../fixtures/recorded/traefik-3.7.15/', import.meta.url));
const recorded = (): Answers => ({
	metrics: readFileSync(`${RECORDED}metrics.txt`, 'utf8'),
	api: Object.fromEntries(API.map((a) => [a, JSON.parse(readFileSync(`${RECORDED}api-${a}.json`, 'utf8'))])) as Record<Api, unknown>,
	accessLog: readFileSync(`${RECORDED}access.log`, 'utf8').split('\n'),
});

/** Traffic for 6 s, search-1 and web-1 refusing for 8 s, then every answer: what the recording does. */
async function answersOf(info: StackInfo): Promise<Answers> {
	const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
	await sleep(6000);
	await fault(info, 'refused', 'start');
	await fault(info, 'ejected', 'start');
	await sleep(8000);
	const text = async (path: string) => (await fetch(`${info.apiUrl}${path}`)).text();
	const metrics = await text('/metrics');
	const api = {} as Record<Api, unknown>;
	for (const a of API) api[a] = JSON.parse(await text(`/api/${a.replace('-', '/')}`));
	await fault(info, 'refused', 'stop');
	await fault(info, 'ejected', 'stop');
	return {metrics, api, accessLog: readFileSync(info.accessLog, 'utf8').split('\n')};
}

/**
 * Differences that stay, each with its reason. Real Traefik lists its own routers and services
 * (api@internal, ping@internal, prometheus@internal, noop@internal); they are values under
 * name-keyed maps, so they do not change the key paths. Nothing else may differ.
 */
const KNOWN: readonly string[] = [];

function compare(real: Answers, standIn: Answers): string[] {
	const diffs = [
		...shapeDifferences(metricShapes(real.metrics), metricShapes(standIn.metrics)).map((d) => `/metrics ${d}`),
		...API.flatMap((a) => pathDifferences(keyPaths(real.api[a]), keyPaths(standIn.api[a])).map((d) => `/api/${a} ${d}`)),
		...shapeDifferences(accessLogShapes(real.accessLog), accessLogShapes(standIn.accessLog)).map((d) => `access log ${d}`),
	];
	return diffs.filter((d) => !KNOWN.includes(d));
}

describe('the stand-in answers as real Traefik does, values aside', () => {
	const stacks: Child[] = [];
	let standIn: Answers;
	beforeAll(async () => {
		const stack = await startStack('stand-in');
		stacks.push(stack.child);
		standIn = await answersOf(stack.info);
	}, 60_000);
	afterAll(async () => {
		for (const child of stacks) await stopStack(child);
	});

	it('the comparison sees what it compares (the test is not vacuous)', () => {
		const shapes = metricShapes(recorded().metrics);
		expect(shapes.get('traefik_service_requests_total')).toBe('counter: code,method,protocol,service');
		expect(shapes.get('traefik_service_server_up')).toBe('gauge: service,url');
		expect(keyPaths(recorded().api.rawdata)).toContain('.services.*.serverStatus.*');
		expect(accessLogShapes(recorded().accessLog).get('proxied')).toContain('ServiceURL');
		// A family renamed, a key dropped or a field missing is seen.
		expect(shapeDifferences(shapes, metricShapes(recorded().metrics.replace(/traefik_service_server_up/g, 'traefik_server_up')))).toHaveLength(2);
	});

	it('against the answers recorded from Traefik 3.7.15', () => {
		expect(compare(recorded(), standIn)).toEqual([]);
	});

	it.skipIf(realTraefik() === null)(
		'against the pinned Traefik run now, on the same topology, load and fault',
		async () => {
			const stack = await startStack('traefik');
			stacks.push(stack.child);
			expect(stack.info.proxy).toContain(`Traefik ${realTraefik()!.version}`);
			const live = await answersOf(stack.info);
			expect(compare(live, standIn)).toEqual([]);
			// And the recording is still what this Traefik says.
			expect(compare(live, recorded())).toEqual([]);
		},
		60_000,
	);
});
