/**
 * Prometheus' HTTP API (/api/v1/query, /api/v1/targets), read with the scrapers' HTTP client: a
 * hard deadline, a size cap, credentials from the environment or the config file. Every failure is
 * said in words, with Prometheus' own error text when it gives one; `warnings` are kept for the
 * source's notes.
 */
import {describeStatus, httpGet, isHtml, type HttpOptions} from './http.js';
import {redactUrl} from '../domain/server-url.js';

/** One series of an instant vector: its labels, and its value (NaN and ±Inf as Prometheus writes them). */
export interface PromSample {
	readonly labels: Readonly<Record<string, string>>;
	readonly value: number;
	/** Seconds since the epoch, of the evaluation. */
	readonly at: number;
}

export interface PromAnswer {
	readonly samples: readonly PromSample[];
	readonly warnings: readonly string[];
	readonly bytes: number;
}

/** What Prometheus answers, before its data is read. */
interface Envelope {
	status?: string;
	data?: {resultType?: string; result?: unknown; activeTargets?: unknown};
	error?: string;
	errorType?: string;
	warnings?: unknown;
}

function value(text: unknown): number {
	if (text === '+Inf') return Number.POSITIVE_INFINITY;
	if (text === '-Inf') return Number.NEGATIVE_INFINITY;
	return typeof text === 'string' ? Number(text) : Number.NaN;
}

/** A client of one Prometheus server. */
export class PrometheusClient {
	private readonly base: string;

	constructor(
		url: string,
		private readonly http: HttpOptions,
	) {
		this.base = url.replace(/\/+$/, '');
	}

	get url(): string {
		return redactUrl(this.base).replace(/\/$/, '');
	}

	private async get(path: string): Promise<{envelope: Envelope; bytes: number}> {
		const where = `${this.url}${path.split('?')[0]}`;
		const response = await httpGet(`${this.base}${path}`, {...this.http, accept: 'application/json'});
		let envelope: Envelope | undefined;
		try {
			envelope = JSON.parse(response.text) as Envelope;
		} catch {
			envelope = undefined;
		}
		// Prometheus answers a bad query with 400 or 422 and says why in its envelope: its words come first.
		if (envelope?.status === 'error') throw new Error(`${where}: Prometheus says: ${envelope.error ?? envelope.errorType ?? 'error'}`);
		if (response.status === 401 || response.status === 403) {
			const hint = response.status === 401 ? 'credentials needed' : 'credentials refused';
			throw new Error(
				`${where}: HTTP ${response.status} (${hint}: TRAEFIK_TOP_PROMETHEUS_BASIC_AUTH or TRAEFIK_TOP_PROMETHEUS_BEARER_TOKEN, ` +
					'or prometheusBasicAuth in the config file)',
			);
		}
		if (response.status !== 200) throw new Error(`${where}: ${describeStatus(response.status)}`);
		if (isHtml(response.headers, response.text)) throw new Error(`${where}: answered an HTML page, not the Prometheus API (a login page or a proxy?)`);
		if (envelope === undefined || envelope.status !== 'success') throw new Error(`${where}: not an answer of the Prometheus API (${response.bytes} bytes)`);
		return {envelope, bytes: response.bytes};
	}

	/** An instant query; its result must be a vector. */
	async query(expr: string, at?: number): Promise<PromAnswer> {
		const params = new URLSearchParams({query: expr});
		if (at !== undefined) params.set('time', String(at));
		const {envelope, bytes} = await this.get(`/api/v1/query?${params}`);
		const data = envelope.data;
		if (data?.resultType !== 'vector' || !Array.isArray(data.result)) throw new Error(`${this.url}: the query did not give a vector: ${expr}`);
		const samples: PromSample[] = [];
		for (const item of data.result as {metric?: Record<string, string>; value?: [number, string]}[]) {
			if (item.metric === undefined || !Array.isArray(item.value)) continue;
			samples.push({labels: item.metric, value: value(item.value[1]), at: Number(item.value[0])});
		}
		const warnings = Array.isArray(envelope.warnings) ? envelope.warnings.map(String) : [];
		return {samples, warnings, bytes};
	}

	/** A range query (times in seconds): every series' values, one sample a step, as instant samples with their times. */
	async queryRange(expr: string, start: number, end: number, step: number): Promise<PromAnswer> {
		const params = new URLSearchParams({query: expr, start: String(start), end: String(end), step: String(step)});
		const {envelope, bytes} = await this.get(`/api/v1/query_range?${params}`);
		const data = envelope.data;
		if (data?.resultType !== 'matrix' || !Array.isArray(data.result)) throw new Error(`${this.url}: the range query did not give a matrix: ${expr}`);
		const samples: PromSample[] = [];
		for (const item of data.result as {metric?: Record<string, string>; values?: [number, string][]}[]) {
			if (item.metric === undefined || !Array.isArray(item.values)) continue;
			for (const [at, v] of item.values) samples.push({labels: item.metric, value: value(v), at: Number(at)});
		}
		const warnings = Array.isArray(envelope.warnings) ? envelope.warnings.map(String) : [];
		return {samples, warnings, bytes};
	}

	/** The scrape intervals (seconds) of the active targets whose labels `matches`. */
	async scrapeIntervals(matches: (labels: Readonly<Record<string, string>>) => boolean): Promise<number[]> {
		const {envelope} = await this.get('/api/v1/targets?state=active');
		const targets = Array.isArray(envelope.data?.activeTargets)
			? (envelope.data.activeTargets as {labels?: Record<string, string>; scrapeInterval?: string}[])
			: [];
		return targets.filter((t) => t.labels !== undefined && matches(t.labels)).flatMap((t) => (t.scrapeInterval ? [parseGoDuration(t.scrapeInterval)] : []));
	}
}

/** A Prometheus duration ("15s", "1m30s", "500ms") in seconds; NaN when it is not one. */
export function parseGoDuration(text: string): number {
	const units: Record<string, number> = {ms: 0.001, s: 1, m: 60, h: 3600, d: 86400, w: 604800, y: 31536000};
	let total = 0;
	let rest = text.trim();
	if (rest === '') return Number.NaN;
	while (rest !== '') {
		const m = /^(\d+(?:\.\d+)?)(ms|s|m|h|d|w|y)/.exec(rest);
		if (!m) return Number.NaN;
		total += Number(m[1]) * units[m[2]!]!;
		rest = rest.slice(m[0].length);
	}
	return total;
}

/** The equality matchers of a selector like `{job="traefik",env="prod"}`: what a target's labels are checked against (others are not). */
export function selectorEqualities(selector: string): Record<string, string> {
	const out: Record<string, string> = {};
	// `name="value"` only: `!=` and `=~` do not match this pattern (a "!" or "~" stands beside the "=").
	for (const m of selector.matchAll(/([a-zA-Z_][a-zA-Z0-9_]*)\s*=\s*"((?:[^"\\]|\\.)*)"/g)) out[m[1]!] = m[2]!.replace(/\\(.)/g, '$1');
	return out;
}
