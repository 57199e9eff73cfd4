// The group's pieces alone: the normalised configuration, the drift in words, the merge of
// several instances' figures, and the group's rules.
import {readFileSync} from 'node:fs';
import {describe, expect, it} from 'vitest';
import {normalizeConfig} from '../../source/collect/config-normalize.js';
import {configDrift} from '../../source/model/drift.js';
import {mergeLatency, mergeSnapshots} from '../../source/model/fleet-merge.js';
import {judgeFleet, type FleetMember} from '../../source/model/rules/fleet.js';
import {DEFAULT_RULES} from '../../source/model/rules/config.js';
import {latencyOf} from '../../source/model/traffic.js';
import {sampleSnapshot} from '../helpers/snapshot.js';

const rawdata = JSON.parse(readFileSync(new URL('../fixtures/traefik/api-rawdata-v3.7-consul.json', import.meta.url), 'utf8')) as Record<string, unknown>;
const clone = <T>(v: T): T => JSON.parse(JSON.stringify(v)) as T;
type Raw = {routers: Record<string, Record<string, unknown>>; services: Record<string, Record<string, unknown>>};

describe('the normalised configuration', () => {
	it('is the same for the same configuration whatever the status, usage and order Traefik reports', () => {
		const other = clone(rawdata) as Raw;
		for (const r of Object.values(other.routers)) {
			r['status'] = 'disabled';
			r['using'] = ['elsewhere'];
			if (Array.isArray(r['entryPoints'])) r['entryPoints'] = [...(r['entryPoints'] as string[])].reverse();
		}
		for (const s of Object.values(other.services)) {
			s['serverStatus'] = {'http://x': 'DOWN'};
			s['usedBy'] = [];
		}
		// Keys in another order.
		const reordered = Object.fromEntries(Object.entries(other).reverse());
		expect(normalizeConfig(reordered).fingerprint).toBe(normalizeConfig(rawdata).fingerprint);
	});

	it('changes with a rule, a server, a weight or a middleware order, and counts what it holds', () => {
		const base = normalizeConfig(rawdata);
		expect(base.routers).toBe(Object.keys(rawdata['routers'] as object).length);
		const changed = clone(rawdata) as Raw;
		const name = Object.keys(changed.routers)[0]!;
		changed.routers[name]!['rule'] = 'Host(`other`)';
		expect(normalizeConfig(changed).fingerprint).not.toBe(base.fingerprint);
		const reordered = clone(rawdata) as Raw;
		const withMiddlewares = Object.values(reordered.routers).find((r) => Array.isArray(r['middlewares']) && (r['middlewares'] as string[]).length > 1)!;
		withMiddlewares['middlewares'] = [...(withMiddlewares['middlewares'] as string[])].reverse();
		expect(normalizeConfig(reordered).fingerprint).not.toBe(base.fingerprint);
	});

	it('never keeps a server password', () => {
		const config = normalizeConfig({services: {s: {loadBalancer: {servers: [{url: 'http://user:secret@10.0.0.1:80'}]}}}});
		expect(JSON.stringify([...config.objects.values()])).not.toContain('secret');
	});
});

describe('config drift in words', () => {
	const web = (servers: string[], rule = 'Host(`shop`)') => ({
		routers: {'shop@docker': {rule, service: 'web', entryPoints: ['web']}, 'api@file': {rule: 'PathPrefix(`/api`)', service: 'web@docker'}},
		services: {'web@docker': {loadBalancer: {servers: servers.map((url) => ({url}))}}},
	});
	it('names each object that differs, per instance, and nothing when they agree', () => {
		const a = normalizeConfig(web(['http://10.0.0.2:80', 'http://10.0.0.3:80']));
		const b = normalizeConfig({...web(['http://10.0.0.2:80']), routers: {'shop@docker': {rule: 'Host(`shop`)', service: 'web', entryPoints: ['web']}}});
		const c = normalizeConfig(web(['http://10.0.0.2:80', 'http://10.0.0.3:80'], 'Host(`shop.old`)'));
		expect(
			configDrift([
				{instance: 'traefik-a', config: a},
				{instance: 'traefik-a2', config: a},
			]),
		).toEqual([]);
		const texts = configDrift([
			{instance: 'traefik-a', config: a},
			{instance: 'traefik-b', config: b},
			{instance: 'traefik-c', config: c},
		]).map((d) => d.text);
		expect(texts).toEqual([
			'router api@file: missing on traefik-b',
			'router shop@docker: rule differs (traefik-a, traefik-b: Host(`shop`); traefik-c: Host(`shop.old`))',
			'service web@docker: server http://10.0.0.3:80 missing on traefik-b',
		]);
		expect(
			configDrift([
				{instance: 'traefik-a', config: a},
				{instance: 'traefik-b', config: b},
			]).map((d) => d.text),
		).toContain('service web@docker: server http://10.0.0.3:80 only on traefik-a');
	});
});

describe('several instances summed', () => {
	it('merges latency by the buckets, as histogram_quantile over a sum by le', () => {
		const bounds = [0.1, 0.5, 1, Number.POSITIVE_INFINITY];
		const fast = latencyOf(bounds, [90, 100, 100, 100]);
		const slow = latencyOf(bounds, [0, 10, 300, 300]);
		const merged = mergeLatency([{latency: fast}, {latency: slow}]);
		expect(merged).toEqual(latencyOf(bounds, [90, 110, 400, 400]));
		expect(merged.count).toBe(400);
	});

	it('sums rates, keeps backends per instance, and splits each service', () => {
		const one = sampleSnapshot();
		const merged = mergeSnapshots([
			{name: 'a', snapshot: one},
			{name: 'b', snapshot: one},
		]);
		expect(merged.totals.requestsPerSecond).toBeCloseTo(2 * one.totals.requestsPerSecond!, 9);
		expect(merged.totals.errorRatio).toBeCloseTo(one.totals.errorRatio!, 9);
		expect(merged.backends).toHaveLength(2 * one.backends.length);
		expect(new Set(merged.backends.map((b) => b.instance))).toEqual(new Set(['a', 'b']));
		const service = one.services.find((s) => (s.requestsPerSecond ?? 0) > 0)!;
		const row = merged.services.find((s) => s.name === service.name)!;
		expect(row.requestsPerSecond).toBeCloseTo(2 * service.requestsPerSecond!, 9);
		expect(row.instances!.map((i) => [i.instance, i.share])).toEqual([
			['a', 0.5],
			['b', 0.5],
		]);
		expect(merged.history.requestsPerSecond.at(-1)).toBeCloseTo(2 * (one.history.requestsPerSecond.at(-1) ?? 0), 9);
	});
});

describe('the group rules', () => {
	const now = Date.parse('2026-12-01T12:00:00Z');
	const member = (name: string, over: Partial<FleetMember> = {}): FleetMember => ({
		name,
		downPolls: 0,
		routers: 119,
		lastReloadAt: now - 60_000,
		startedAt: now - 3_600_000,
		...over,
	});
	const judge = (members: FleetMember[], drift: Parameters<typeof judgeFleet>[0]['drift'] = []) =>
		judgeFleet({now, members, drift, apiIntervalSeconds: 10, intervalSeconds: 1}, DEFAULT_RULES);

	it('config_drift is crit when an instance has lost more than half the routers the others have', () => {
		const drift = [{kind: 'router' as const, name: 'x@file', text: 'router x@file: missing on c', instances: ['c']}];
		expect(judge([member('a'), member('b'), member('c', {routers: 6})], drift)).toMatchObject([
			{rule: 'config_drift', level: 'crit', subject: 'c', text: expect.stringMatching(/^6 routers where the others have 119/) as string, holdPolls: 11},
		]);
		expect(judge([member('a'), member('b'), member('c', {routers: 118})], drift)).toMatchObject([{rule: 'config_drift', level: 'warn'}]);
	});

	it('reload_stale names the instance that did not reload a change the others did, not one that started since', () => {
		const change = now - 45_000;
		const found = judge([member('a', {lastReloadAt: change}), member('b', {lastReloadAt: change + 800}), member('c', {lastReloadAt: now - 3_000_000})]);
		expect(found.map((b) => [b.rule, b.subject])).toEqual([['reload_stale', 'c']]);
		expect(found[0]!.text).toMatch(/^no reload since b reloaded a change at 11:59:15/);
		// A restart is not a change; an instance started after the change loaded it.
		expect(judge([member('a', {lastReloadAt: now - 40_000, startedAt: now - 41_000}), member('c', {lastReloadAt: now - 3_000_000})])).toEqual([]);
		expect(judge([member('a', {lastReloadAt: change}), member('c', {lastReloadAt: now - 10_000, startedAt: now - 11_000})])).toEqual([]);
	});

	it('instance_down holds for its polls and says why', () => {
		expect(judge([member('a'), member('b', {downPolls: 1, downError: 'metrics: connection refused'})])).toMatchObject([
			{rule: 'instance_down', level: 'crit', subject: 'b', holdPolls: 2, text: 'cannot be reached for 1 poll (limit 2): metrics: connection refused'},
		]);
	});
});

describe('three quantiles at once', () => {
	it('give what bucketQuantile gives each, on 500 random sorted bucket sets', async () => {
		const {bucketQuantile, threeQuantiles} = await import('../../source/model/quantile.js');
		let seed = 7;
		const random = () => (seed = (seed * 1103515245 + 12345) % 2 ** 31) / 2 ** 31;
		for (let n = 0; n < 500; n++) {
			const size = 2 + Math.floor(random() * 8);
			let bound = random() < 0.1 ? 0 : random();
			let count = Math.floor(random() * 3);
			const buckets = Array.from({length: size}, (_, i) => {
				bound += random() * 2 + 1e-3;
				count += random() < 0.2 ? -1 : Math.floor(random() * 20);
				return {upperBound: i === size - 1 ? Number.POSITIVE_INFINITY : bound, count: Math.max(0, count)};
			});
			const each = [0.5, 0.95, 0.99].map((q) => bucketQuantile(q, buckets)).map((v) => (Number.isFinite(v) ? v : null));
			const three = threeQuantiles(
				buckets.map((b) => b.upperBound),
				buckets.map((b) => b.count),
			);
			expect([three.p50, three.p95, three.p99]).toEqual(each);
		}
	});
});

describe("the group's own series", () => {
	it('one point a poll from the summed totals: gaps where there is no rate, a new bucket bound with gaps before it, bounded', async () => {
		const {FleetHistory} = await import('../../source/model/fleet-history.js');
		const history = new FleetHistory(3);
		const totals = sampleSnapshot().totals;
		history.push(totals, 10);
		history.push({...totals, requestsPerSecond: null}, null);
		const wider = {...totals, latency: {...totals.latency, buckets: [...totals.latency.buckets, {le: 99, share: 0.5, cumulativeShare: 1}]}};
		history.push(wider, 12);
		history.push(totals, 13);
		const h = history.history();
		expect(h.requestsPerSecond).toEqual([null, totals.requestsPerSecond, totals.requestsPerSecond]);
		expect(h.p95).toEqual([null, totals.latency.p95, totals.latency.p95]);
		expect(h.bucketShares['99']).toEqual([null, 0.5, null]);
		expect(h.establishedConnections).toEqual([null, 12, 13]);
	});
});
