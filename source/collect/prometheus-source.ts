/**
 * Traefik's metrics read from Prometheus instead of each instance's /metrics: a fixed set of
 * PromQL queries a poll, whatever the number of instances or services (none per instance or per
 * service), with the rate window Prometheus' own scrape interval asks for (four scrapes at
 * least, as Grafana's $__rate_interval). Each instance's answer is handed to its monitor as the
 * reading a scrape of it would give: Prometheus' rates are added up over the time between two
 * polls into counters, so the monitor's counter deltas give those rates back, and its quantiles,
 * made from the bucket deltas, are histogram_quantile over `sum by (le, instance, service)`.
 */
import type {CertificateExpiry, CounterGroup, MetricsReading, Section, ServerUp} from '../domain/harvest.js';
import {parseServerUrl, stripUserinfo} from '../domain/server-url.js';
import type {HttpOptions} from './http.js';
import {PrometheusClient, selectorEqualities, type PromSample} from './prometheus-api.js';
import {gaugeFields, newGroup, statusClass} from './traefik-metrics-parse.js';

export interface PrometheusSettings {
	readonly url: string;
	/** A series selector for Traefik's series, e.g. `{job="traefik"}` (empty: every series). */
	readonly selector: string;
	/** The label that tells instances apart. */
	readonly instanceLabel: string;
	readonly http: HttpOptions;
}

/** The gauges read as they are, in one query. */
const GAUGES = [
	'traefik_service_server_up',
	'traefik_open_connections',
	'traefik_entrypoint_open_connections',
	'traefik_tls_certs_not_after',
	'traefik_config_reloads_total',
	'traefik_config_last_reload_success',
	'process_cpu_seconds_total',
	'process_resident_memory_bytes',
	'process_start_time_seconds',
	'go_info',
] as const;

/** Per-second rates of one service or entry point, as Prometheus gives them. */
interface RateGroup {
	readonly byClass: Record<string, number>;
	readonly buckets: Map<number, number>;
	sum: number;
	retries: number | null;
}

/** What one round of queries says of one instance. */
interface InstanceRound {
	up: boolean | null;
	readonly services: Map<string, RateGroup>;
	readonly entrypoints: Map<string, RateGroup>;
	readonly gauges: PromSample[];
}

/** One round: every instance's figures, and what Prometheus warned of. */
export interface PrometheusRound {
	readonly at: number;
	readonly instances: ReadonlyMap<string, InstanceRound>;
	readonly warnings: readonly string[];
	readonly queries: number;
	readonly bytes: number;
	readonly windowSeconds: number;
}

type QueryName = 'up' | 'svcRequests' | 'svcBuckets' | 'svcSum' | 'svcRetries' | 'epRequests' | 'epBuckets' | 'gauges';

const newRates = (): RateGroup => ({byClass: {}, buckets: new Map(), sum: 0, retries: null});

/** Adds Prometheus' rates over the time since the last poll: counters whose deltas are those rates. */
class Integrator {
	private last: number | null = null;
	private readonly services = new Map<string, CounterGroup>();
	private readonly entrypoints = new Map<string, CounterGroup>();

	advance(now: number, round: InstanceRound): {services: Map<string, CounterGroup>; entrypoints: Map<string, CounterGroup>} {
		const seconds = this.last === null ? 0 : Math.max(0, (now - this.last) / 1000);
		this.last = now;
		for (const [into, from] of [
			[this.services, round.services],
			[this.entrypoints, round.entrypoints],
		] as const) {
			for (const [name, rates] of from) {
				let group = into.get(name);
				if (group === undefined) {
					group = newGroup();
					into.set(name, group);
				}
				for (const [cls, rate] of Object.entries(rates.byClass)) group.requests[cls as keyof CounterGroup['requests']] += ok(rate) * seconds;
				for (const [le, rate] of rates.buckets) group.buckets.set(le, (group.buckets.get(le) ?? 0) + ok(rate) * seconds);
				group.durationCount = group.buckets.get(Number.POSITIVE_INFINITY) ?? group.durationCount;
				group.durationSum += ok(rates.sum) * seconds;
				if (rates.retries !== null) group.retries = (group.retries ?? 0) + ok(rates.retries) * seconds;
			}
		}
		// Copies: the monitor keeps the reading of one poll beside the next.
		const copy = (m: Map<string, CounterGroup>) => new Map([...m].map(([k, g]) => [k, {...g, requests: {...g.requests}, buckets: new Map(g.buckets)}]));
		return {services: copy(this.services), entrypoints: copy(this.entrypoints)};
	}
}

/** A rate that is not a number (no data over the window) adds nothing. */
const ok = (n: number): number => (Number.isFinite(n) && n > 0 ? n : 0);

/** Reads every instance's metrics from Prometheus, one round of queries a poll for all of them. */
export class PrometheusSource {
	private readonly client: PrometheusClient;
	private readonly matchers: string;
	private window: {seconds: number; at: number} | null = null;
	private running: {startedAt: number; promise: Promise<PrometheusRound | {error: string}>} | null = null;
	private readonly integrators = new Map<string, Integrator>();

	constructor(
		private readonly settings: PrometheusSettings,
		/** A round started less than this long ago is shared (the instances of one poll ask at once). */
		private readonly shareMs: number,
	) {
		this.client = new PrometheusClient(settings.url, settings.http);
		this.matchers = settings.selector.trim().replace(/^\{/, '').replace(/\}$/, '').trim();
	}

	get url(): string {
		return this.client.url;
	}

	private series(name: string): string {
		return `${name}{${this.matchers}}`;
	}

	/** The rate window: four times the longest scrape interval of the selected targets (read again every 10 minutes), at least 1 s. */
	private async windowSeconds(): Promise<number> {
		if (this.window !== null && Date.now() - this.window.at < 600_000) return this.window.seconds;
		const equal = selectorEqualities(this.settings.selector);
		const intervals = await this.client.scrapeIntervals((labels) => Object.entries(equal).every(([k, v]) => labels[k] === v));
		const scrape = intervals.length === 0 ? 15 : Math.max(...intervals.filter(Number.isFinite));
		this.window = {seconds: Math.max(1, 4 * scrape), at: Date.now()};
		return this.window.seconds;
	}

	/** The queries of one round (the same few, whatever the fleet's size). */
	queries(windowSeconds: number): Record<QueryName, string> {
		const i = this.settings.instanceLabel;
		const w = `[${windowSeconds}s]`;
		const rate = (name: string, by: string) => `sum by (${i}, ${by}) (rate(${this.series(name)}${w}))`;
		return {
			up: this.series('up'),
			svcRequests: rate('traefik_service_requests_total', 'service, code, protocol'),
			svcBuckets: rate('traefik_service_request_duration_seconds_bucket', 'service, le'),
			svcSum: rate('traefik_service_request_duration_seconds_sum', 'service'),
			svcRetries: rate('traefik_service_retries_total', 'service'),
			epRequests: rate('traefik_entrypoint_requests_total', 'entrypoint, code, protocol'),
			epBuckets: rate('traefik_entrypoint_request_duration_seconds_bucket', 'entrypoint, le'),
			gauges: `{__name__=~"${GAUGES.join('|')}"${this.matchers === '' ? '' : `, ${this.matchers}`}}`,
		};
	}

	/** One round of queries, shared by the calls of the same poll; `at` (ms): the figures of that past moment, not shared. */
	round(at?: number): Promise<PrometheusRound | {error: string}> {
		const fail = (error: unknown) => ({error: error instanceof Error ? error.message : String(error)});
		if (at !== undefined) return this.runRound(at).catch(fail);
		const now = Date.now();
		if (this.running !== null && now - this.running.startedAt < this.shareMs) return this.running.promise;
		const promise = this.runRound().catch(fail);
		this.running = {startedAt: now, promise};
		return promise;
	}

	private async runRound(at?: number): Promise<PrometheusRound> {
		const windowSeconds = await this.windowSeconds();
		const q = this.queries(windowSeconds);
		const names = Object.keys(q) as QueryName[];
		const answers = await Promise.all(names.map((n) => this.client.query(q[n], at === undefined ? undefined : at / 1000)));
		const by = Object.fromEntries(names.map((n, k) => [n, answers[k]!.samples])) as Record<QueryName, readonly PromSample[]>;
		const warnings = [...new Set(answers.flatMap((a) => a.warnings))];
		return {
			at: at ?? Date.now(),
			instances: this.assemble(by),
			warnings,
			queries: names.length,
			bytes: answers.reduce((n, a) => n + a.bytes, 0),
			windowSeconds,
		};
	}

	/**
	 * The rounds of the past, one a `stepMs` from `startMs` to `endMs`: the same queries as range
	 * queries (as many as one round's), split by time. For the series and charts at start.
	 */
	async history(startMs: number, endMs: number, stepMs: number): Promise<PrometheusRound[] | {error: string}> {
		try {
			const windowSeconds = await this.windowSeconds();
			const q = this.queries(windowSeconds);
			const names = Object.keys(q) as QueryName[];
			const answers = await Promise.all(names.map((n) => this.client.queryRange(q[n], startMs / 1000, endMs / 1000, stepMs / 1000)));
			const times = new Map<number, Record<QueryName, PromSample[]>>();
			for (const [k, answer] of answers.entries()) {
				for (const s of answer.samples) {
					let at = times.get(s.at);
					if (at === undefined) times.set(s.at, (at = Object.fromEntries(names.map((n) => [n, []])) as unknown as Record<QueryName, PromSample[]>));
					at[names[k]!].push(s);
				}
			}
			const warnings = [...new Set(answers.flatMap((a) => a.warnings))];
			const bytes = answers.reduce((n, a) => n + a.bytes, 0);
			return [...times]
				.sort(([a], [b]) => a - b)
				.map(([at, by]) => ({at: at * 1000, instances: this.assemble(by), warnings, queries: names.length, bytes, windowSeconds}));
		} catch (error) {
			return {error: error instanceof Error ? error.message : String(error)};
		}
	}

	/** One round's answers, per instance. */
	private assemble(by: Readonly<Record<QueryName, readonly PromSample[]>>): Map<string, InstanceRound> {
		const label = this.settings.instanceLabel;
		const instances = new Map<string, InstanceRound>();
		const of = (s: PromSample): InstanceRound | undefined => {
			const name = s.labels[label];
			if (name === undefined) return undefined;
			let round = instances.get(name);
			if (round === undefined) {
				round = {up: null, services: new Map(), entrypoints: new Map(), gauges: []};
				instances.set(name, round);
			}
			return round;
		};
		const group = (map: Map<string, RateGroup>, name: string | undefined): RateGroup | undefined => {
			if (name === undefined) return undefined;
			let g = map.get(name);
			if (g === undefined) map.set(name, (g = newRates()));
			return g;
		};
		for (const s of by.up) {
			const r = of(s);
			if (r !== undefined) r.up = r.up === true || s.value === 1;
		}
		for (const [samples, scope, key] of [
			[by.svcRequests, 'services', 'service'],
			[by.epRequests, 'entrypoints', 'entrypoint'],
		] as const) {
			for (const s of samples) {
				const g = group(of(s)?.[scope] ?? new Map(), s.labels[key]);
				if (g === undefined) continue;
				const cls = statusClass(s.labels['code'], s.labels['protocol']);
				g.byClass[cls] = (g.byClass[cls] ?? 0) + s.value;
			}
		}
		for (const [samples, scope, key] of [
			[by.svcBuckets, 'services', 'service'],
			[by.epBuckets, 'entrypoints', 'entrypoint'],
		] as const) {
			for (const s of samples) {
				const g = group(of(s)?.[scope] ?? new Map(), s.labels[key]);
				const le = s.labels['le'] === '+Inf' ? Number.POSITIVE_INFINITY : Number(s.labels['le']);
				if (g !== undefined && !Number.isNaN(le)) g.buckets.set(le, (g.buckets.get(le) ?? 0) + s.value);
			}
		}
		for (const s of by.svcSum) {
			const g = group(of(s)?.services ?? new Map(), s.labels['service']);
			if (g !== undefined) g.sum += s.value;
		}
		for (const s of by.svcRetries) {
			const g = group(of(s)?.services ?? new Map(), s.labels['service']);
			if (g !== undefined) g.retries = (g.retries ?? 0) + s.value;
		}
		for (const s of by.gauges) of(s)?.gauges.push(s);
		return instances;
	}

	/** Why no instance is known: the round's error, or that no `up` series matches. */
	async problem(): Promise<{error: string}> {
		const round = await this.round();
		if ('error' in round) return round;
		return {error: `${this.url}: no up series match ${this.settings.selector || 'the selector'} (is Traefik scraped, under another job?)`};
	}

	/** The instances Prometheus has `up` for, in the label's order. */
	async instances(): Promise<string[] | {error: string}> {
		const round = await this.round();
		if ('error' in round) return round;
		return [...round.instances]
			.filter(([, r]) => r.up !== null)
			.map(([name]) => name)
			.sort();
	}

	/** One instance's reading, as a scrape of it would give (an error in words when Prometheus cannot say). */
	async reading(instance: string): Promise<Section<MetricsReading>> {
		const round = await this.round();
		return 'error' in round ? round : this.readingOf(round, instance);
	}

	/** An instance's reading from `round` (rounds of one instance must come in time order). */
	readingOf(round: PrometheusRound, instance: string): Section<MetricsReading> {
		const r = round.instances.get(instance);
		if (r === undefined || r.up === null)
			return {error: `${this.url}: no series of ${this.settings.instanceLabel}="${instance}" (not scraped by this Prometheus, or outside the selector)`};
		if (!r.up) return {error: `${this.url}: Prometheus reports ${instance} down (up == 0 at its last scrape)`};
		let integrator = this.integrators.get(instance);
		if (integrator === undefined) this.integrators.set(instance, (integrator = new Integrator()));
		const {services, entrypoints} = integrator.advance(round.at, r);
		return {
			...gaugesOf(r.gauges),
			services,
			entrypoints,
			routers: new Map(),
			report: {lines: r.gauges.length, samples: r.gauges.length, malformed: 0, errors: []},
			notes: [
				`from ${this.url}: ${round.queries} queries for every instance, rates over ${round.windowSeconds}s (4 scrapes)`,
				...round.warnings.map((w) => `Prometheus warns: ${w}`),
			],
		};
	}
}

/** The gauges of one instance, as the exposition parser makes them. */
function gaugesOf(samples: readonly PromSample[]): Omit<MetricsReading, 'services' | 'entrypoints' | 'routers' | 'report'> {
	const openConnections = new Map<string, number>();
	const serverUp: ServerUp[] = [];
	const certificates: CertificateExpiry[] = [];
	const gauges: Record<string, number> = {};
	let goVersion: string | null = null;
	let v3 = false;
	for (const s of samples) {
		const name = s.labels['__name__'];
		const l = s.labels;
		if (name === 'traefik_open_connections' || name === 'traefik_entrypoint_open_connections') {
			v3 ||= name === 'traefik_open_connections';
			const ep = l['entrypoint'] ?? '?';
			openConnections.set(ep, (openConnections.get(ep) ?? 0) + s.value);
		} else if (name === 'traefik_service_server_up' && l['service'] !== undefined && l['url'] !== undefined) {
			serverUp.push({service: l['service'], url: stripUserinfo(l['url']), up: s.value === 1, target: parseServerUrl(l['url'])});
		} else if (name === 'traefik_tls_certs_not_after') {
			certificates.push({cn: l['cn'] ?? '', sans: l['sans'] ?? '', serial: l['serial'] ?? '', notAfter: s.value});
		} else if (name === 'go_info') goVersion = l['version'] ?? null;
		else if (name !== undefined) gauges[name] = s.value;
	}
	return {
		generation: v3 ? 'v3' : 'unknown',
		openConnections,
		serverUp,
		certificates,
		goVersion,
		...gaugeFields(gauges),
	};
}
