/**
 * The fleet at scale: 20 instances x 200 services x 4 servers, synthetic, built from recorded
 * answers of real Traefik 3.7.15 (its rawdata's router and service objects, its exposition's
 * families). Per tick, CPU of: parsing the 20 scrapes, the model (20 monitors' updates and
 * snapshots, the group's judgement and merged snapshot), the drift diff alone (one instance
 * differing), and the render of the instances view and the overview at 200x50. Run in a child
 * process of its own (`--child`), so that its peak RSS is the fleet's alone.
 */
// The heap settings of the program itself (cli.tsx imports them first).
import '../source/run/runtime.js';
import {readFileSync} from 'node:fs';
import {execa} from 'execa';
import {normalizeConfig} from '../source/collect/config-normalize.js';
import {parseRawdata} from '../source/collect/api-parse.js';
import {parseTraefikMetrics} from '../source/collect/traefik-metrics-parse.js';
import type {ApiHarvest, Harvest} from '../source/domain/harvest.js';
import type {Snapshot} from '../source/domain/snapshot.js';
import {configDrift} from '../source/model/drift.js';
import {FleetModel, type FleetInstanceInput} from '../source/model/fleet.js';
import {Monitor} from '../source/model/monitor.js';
import {DEFAULT_RULES} from '../source/model/rules/config.js';
import type {ScreenName} from '../source/ui/view-state.js';
import {traefikExposition} from './metrics.js';
import {measureRenders} from './scale.js';

/** --reference: one of those instances alone (a plain run of today), measured the same way. */
const REFERENCE = process.argv.includes('--reference');
const INSTANCES = REFERENCE ? 1 : 20;
const SERVICES = 200;
const SERVERS = 4;
const TICKS = 40;

type Json = Record<string, Record<string, unknown>>;

/** The recorded rawdata's shapes, 200 times: a router and a 4-server load balancer per service (the names /metrics uses). */
function rawdata(instance: number): Record<string, Json> {
	const recorded = JSON.parse(readFileSync(new URL('../test/fixtures/recorded/traefik-3.7.15/api-rawdata.json', import.meta.url), 'utf8')) as Record<
		string,
		Json
	>;
	const router = recorded['routers']!['auth@file']!;
	const service = Object.values(recorded['services']!).find((s) => s['loadBalancer'] !== undefined)!;
	const routers: Json = {};
	const services: Json = {};
	for (let i = 0; i < SERVICES; i++) {
		const name = `svc-${String(i).padStart(5, '0')}-default-80@kubernetescrd`;
		routers[`r-${i}@kubernetescrd`] = {...router, service: name, rule: `Host(\`s${i}.example\`)`};
		const urls = Array.from({length: SERVERS}, (_, k) => `http://10.${instance === INSTANCES - 1 && i === 7 ? 9 : 1}.${i}.${k + 1}:8080`);
		services[name] = {
			...service,
			loadBalancer: {...(service['loadBalancer'] as object), servers: urls.map((url) => ({url}))},
			serverStatus: Object.fromEntries(urls.map((u) => [u, 'UP'])),
		};
	}
	// The last instance is stale: one router fewer, one service's servers elsewhere.
	if (instance === INSTANCES - 1) delete routers['r-3@kubernetescrd'];
	return {routers, services, middlewares: recorded['middlewares']!};
}

async function child(): Promise<void> {
	const base = traefikExposition(SERVICES);
	// Counters that grow from scrape to scrape, as Traefik's do (no reset); a healthy fleet: the 502s of
	// only two services grow (the others' stay as they were), so that a few alerts are active, not one per service.
	const scrape = (tick: number) =>
		base.replace(/^(.*)\} (\d+)$/gm, (line, head: string, n: string) =>
			line.includes('code="502"') && !/svc-0000[12]-/.test(line) ? line : `${head}} ${Number(n) + 17 * tick}`,
		);
	const bodies = Array.from({length: INSTANCES}, (_, i) => rawdata(i));
	const apis: ApiHarvest[] = bodies.map((body) => ({
		...parseRawdata(body),
		entryPoints: [{name: 'web', port: 80}],
		via: 'rawdata',
		config: normalizeConfig(body),
	}));
	const monitors = Array.from({length: INSTANCES}, () => {
		const m = new Monitor({
			rules: DEFAULT_RULES,
			intervalSeconds: 1,
			retentionSeconds: 600,
			host: 'bench',
			filter: {service: null, entrypoint: null},
			flagServers: [],
		});
		return m;
	});
	const fleet = new FleetModel({rules: DEFAULT_RULES, apiIntervalSeconds: 10, intervalSeconds: 1, historyLength: 600});
	const resolved = {};
	const cpuMs = (since: NodeJS.CpuUsage) => {
		const u = process.cpuUsage(since);
		return (u.user + u.system) / 1000;
	};
	const parse: number[] = [];
	const model: number[] = [];
	const ingests: number[] = [];
	const snaps: number[] = [];
	const groups: number[] = [];
	let merged: Snapshot | null = null;
	const prepared: Snapshot[] = [];
	for (let tick = 0; tick < TICKS + 30; tick++) {
		const text = scrape(tick);
		// Each scrape parsed and taken in turn, as the poll loop takes each target's harvest when it comes.
		let parseMs = 0;
		let ingestMs = 0;
		let snapMs = 0;
		const inputs: FleetInstanceInput[] = monitors.map((m, i) => {
			const p = process.cpuUsage();
			const reading = parseTraefikMetrics(text);
			parseMs += cpuMs(p);
			const harvest: Harvest = {
				collectedAt: 1_000_000 + tick * 1000,
				proc: {error: 'no kernel view in this benchmark'},
				metrics: reading,
				...(tick % 10 === 0 ? {api: apis[i]!} : {}),
				resolved,
				resolveErrors: {},
			};
			const t0 = process.cpuUsage();
			m.ingest(harvest);
			ingestMs += cpuMs(t0);
			const t1 = process.cpuUsage();
			const own = m.snapshot({history: false});
			snapMs += cpuMs(t1);
			return {
				name: `traefik-${String(i).padStart(2, '0')}`,
				url: `http://10.0.0.${i}:8080`,
				snapshot: own,
				config: m.api?.config ?? null,
				http: ['metrics', 'api'],
			};
		});
		parse.push(parseMs);
		const t1 = process.cpuUsage();
		fleet.update(1_000_000 + tick * 1000, inputs);
		merged = fleet.snapshot(null);
		if (tick >= 30) {
			ingests.push(ingestMs);
			snaps.push(snapMs);
			groups.push(cpuMs(t1));
		}
		model.push(ingestMs + snapMs + cpuMs(t1));
		if (tick >= 30) prepared.push(merged!);
	}
	const configs = apis.map((a, i) => ({instance: `traefik-${i}`, config: a.config!}));
	const diffs: number[] = [];
	let items = 0;
	for (let i = 0; i < 20; i++) {
		const c = process.cpuUsage();
		items = configDrift(configs).length;
		diffs.push(cpuMs(c));
	}
	const render = (screen: ScreenName) => measureRenders(prepared, 200, 50, screen);
	const modelRssMb = process.resourceUsage().maxRSS / 1024;
	(globalThis as {gc?: () => void}).gc?.();
	const retainedMb = process.memoryUsage().heapUsed / 1e6;
	const instancesView = await render('instances');
	const overview = await render('overview');
	const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;
	const result = {
		instances: INSTANCES,
		services: SERVICES,
		servers: SERVERS,
		parseMs: median(parse.slice(30)),
		modelMs: median(model.slice(30)),
		ingestMs: median(ingests),
		instanceSnapshotsMs: median(snaps),
		groupMs: median(groups),
		modelRssMb,
		retainedMb,
		driftMs: median(diffs.slice(5)),
		driftItems: items,
		renderInstancesMs: median(instancesView.slice(3)),
		renderOverviewMs: median(overview.slice(3)),
		mergedServices: merged?.services.length ?? 0,
		alerts: merged?.alerts.length ?? 0,
		peakRssMb: process.resourceUsage().maxRSS / 1024,
	};
	process.stdout.write(`${JSON.stringify(result)}\n`);
}

export interface FleetBench {
	readonly instances: number;
	readonly services: number;
	readonly servers: number;
	readonly parseMs: number;
	readonly modelMs: number;
	/** Of the model: the 20 monitors' updates, their snapshots, and the group's judgement and merged snapshot. */
	readonly ingestMs: number;
	readonly instanceSnapshotsMs: number;
	readonly groupMs: number;
	/** Peak RSS before the renders, and the heap that stays after a collection (the model's state and the 40 merged snapshots the renders take). */
	readonly modelRssMb: number;
	readonly retainedMb: number;
	readonly driftMs: number;
	readonly driftItems: number;
	readonly renderInstancesMs: number;
	readonly renderOverviewMs: number;
	readonly mergedServices: number;
	readonly alerts: number;
	readonly peakRssMb: number;
}

/** Runs the fleet benchmark in a process of its own, and its reference (one of the instances alone) in another. */
export async function benchFleet(): Promise<{fleet: FleetBench; reference: FleetBench}> {
	const once = async (extra: string[]) => {
		const {stdout} = await execa(process.execPath, ['--expose-gc', '--import', 'tsx', new URL(import.meta.url).pathname, '--child', ...extra], {
			env: {NODE_ENV: 'production'},
			timeout: 300_000,
		});
		return JSON.parse(stdout.trim().split('\n').pop()!) as FleetBench;
	};
	return {fleet: await once([]), reference: await once(['--reference'])};
}

if (process.argv.includes('--child')) await child();
