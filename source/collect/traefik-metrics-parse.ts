/**
 * Turns a Traefik /metrics exposition into per-service, per-entry-point and per-router counter
 * groups (summed over method and protocol, kept by status code and bucket bound), plus the
 * gauges of Traefik itself. Pure; v2 and v3 families both understood (Traefik's pkg/observability/metrics).
 */
import type {CertificateExpiry, CounterGroup, MetricsReading, ServerUp, StatusClass} from '../domain/harvest.js';
import {parseServerUrl, stripUserinfo} from '../domain/server-url.js';
import {parseExposition, type ExpositionSink, type Labels} from './prometheus-parse.js';

/** gRPC status code -> the HTTP status class it maps to (grpc-gateway's table). */
const GRPC_CLASS: Record<string, StatusClass> = {
	'0': '2xx',
	'1': '4xx',
	'2': '5xx',
	'3': '4xx',
	'4': '5xx',
	'5': '4xx',
	'6': '4xx',
	'7': '4xx',
	'8': '4xx',
	'9': '4xx',
	'10': '4xx',
	'11': '4xx',
	'12': '5xx',
	'13': '5xx',
	'14': '5xx',
	'15': '5xx',
	'16': '4xx',
};

/** Status class of a `code` label (and `protocol`, since gRPC codes are not HTTP codes). */
export function statusClass(code: string | undefined, protocol: string | undefined): StatusClass {
	if (code === undefined) return 'other';
	if (protocol === 'grpc' || protocol === 'grpc-web') return GRPC_CLASS[code] ?? 'other';
	switch (code.charCodeAt(0)) {
		case 0x32:
			return code.length === 3 ? '2xx' : 'other';
		case 0x33:
			return code.length === 3 ? '3xx' : 'other';
		case 0x34:
			return code.length === 3 ? '4xx' : 'other';
		case 0x35:
			return code.length === 3 ? '5xx' : 'other';
		default:
			return 'other';
	}
}

/** A service's, entry point's or router's counters before any sample. */
export const newGroup = (): CounterGroup => ({
	requests: {'2xx': 0, '3xx': 0, '4xx': 0, '5xx': 0, other: 0},
	buckets: new Map(),
	durationCount: 0,
	durationSum: 0,
	bytesIn: null,
	bytesOut: null,
	retries: null,
});

type Scope = 'services' | 'entrypoints' | 'routers';
type Measure = 'requests' | 'bucket' | 'count' | 'sum' | 'bytesIn' | 'bytesOut' | 'retries';

/** Family name -> where its samples go. */
const FAMILIES = new Map<string, [Scope, Measure]>();
for (const [scope, prefix] of [
	['services', 'traefik_service_'],
	['entrypoints', 'traefik_entrypoint_'],
	['routers', 'traefik_router_'],
] as const) {
	FAMILIES.set(`${prefix}requests_total`, [scope, 'requests']);
	FAMILIES.set(`${prefix}request_duration_seconds_bucket`, [scope, 'bucket']);
	FAMILIES.set(`${prefix}request_duration_seconds_count`, [scope, 'count']);
	FAMILIES.set(`${prefix}request_duration_seconds_sum`, [scope, 'sum']);
	FAMILIES.set(`${prefix}requests_bytes_total`, [scope, 'bytesIn']);
	FAMILIES.set(`${prefix}responses_bytes_total`, [scope, 'bytesOut']);
}
FAMILIES.set('traefik_service_retries_total', ['services', 'retries']);

const LABEL_OF: Record<Scope, string> = {services: 'service', entrypoints: 'entrypoint', routers: 'router'};

const GAUGES = new Set([
	'traefik_open_connections',
	'traefik_entrypoint_open_connections',
	'traefik_service_server_up',
	'traefik_config_reloads_total',
	'traefik_config_last_reload_success',
	'traefik_config_reloads_failure_total',
	'traefik_tls_certs_not_after',
	'process_cpu_seconds_total',
	'process_resident_memory_bytes',
	'process_start_time_seconds',
	'go_info',
]);

/**
 * A copy of a label value that does not hold on to the exposition. V8 keeps a substring as a view
 * of the text it was cut from, so one service name kept between polls kept that poll's whole body
 * (tens of MB) alive: a churning cluster grew the memory by a body for every poll.
 */
function detach<T extends string | undefined>(value: T): T {
	return (value === undefined ? value : Buffer.from(value, 'utf8').toString('utf8')) as T;
}

/** Parses a /metrics body into a reading. Never throws: problems are in `report`. */
export function parseTraefikMetrics(text: string): MetricsReading {
	const services = new Map<string, CounterGroup>();
	const entrypoints = new Map<string, CounterGroup>();
	const routers = new Map<string, CounterGroup>();
	const scopes: Record<Scope, Map<string, CounterGroup>> = {services, entrypoints, routers};
	const openConnections = new Map<string, number>();
	const serverUp: ServerUp[] = [];
	const certificates: CertificateExpiry[] = [];
	let v3 = false;
	let v2 = false;
	const gauges: Record<string, number | null> = {};
	let goVersion: string | null = null;

	// Consecutive lines mostly name the same service: remember the last group looked up.
	let lastScope: Scope | null = null;
	let lastKey = '';
	let lastGroup: CounterGroup | undefined;
	const bounds = new Map<string, number>();
	const group = (scope: Scope, labels: Labels): CounterGroup | undefined => {
		const key = labels.get(LABEL_OF[scope]);
		if (key === undefined) return undefined;
		if (scope === lastScope && key === lastKey) return lastGroup;
		const map = scopes[scope];
		let g = map.get(key);
		if (g === undefined) {
			g = newGroup();
			if (scope === 'routers') g.service = detach(labels.get('service'));
			map.set(detach(key), g);
		}
		lastScope = scope;
		lastKey = key;
		lastGroup = g;
		return g;
	};

	const addOpen = (entrypoint: string, value: number): void => {
		const known = openConnections.get(entrypoint);
		openConnections.set(known === undefined ? detach(entrypoint)! : entrypoint, (known ?? 0) + value);
	};

	let lastName = '';
	let lastFamily: [Scope, Measure] | undefined;
	const sink: ExpositionSink = {
		wants: (name) => FAMILIES.has(name) || GAUGES.has(name),
		sample(name, labels, value) {
			// Names repeat from line to line (the parser hands over the same string): look up once.
			if (name !== lastName) {
				lastName = name;
				lastFamily = FAMILIES.get(name);
			}
			const family = lastFamily;
			if (family !== undefined) {
				const [scope, measure] = family;
				const g = group(scope, labels);
				if (g === undefined || Number.isNaN(value)) return;
				switch (measure) {
					case 'requests':
						g.requests[statusClass(labels.get('code'), labels.get('protocol'))] += value;
						break;
					case 'bucket': {
						const le = labels.get('le');
						let bound = le === undefined ? Number.NaN : bounds.get(le);
						if (bound === undefined) {
							bound = le === '+Inf' ? Number.POSITIVE_INFINITY : Number(le);
							bounds.set(le!, bound);
						}
						if (!Number.isNaN(bound)) g.buckets.set(bound, (g.buckets.get(bound) ?? 0) + value);
						break;
					}
					case 'count':
						g.durationCount += value;
						break;
					case 'sum':
						g.durationSum += value;
						break;
					default:
						g[measure] = (g[measure] ?? 0) + value;
				}
				return;
			}
			switch (name) {
				case 'traefik_open_connections':
					v3 = true;
					addOpen(labels.get('entrypoint') ?? '?', value);
					break;
				case 'traefik_entrypoint_open_connections':
					v2 = true;
					addOpen(labels.get('entrypoint') ?? '?', value);
					break;
				case 'traefik_config_reloads_failure_total':
					v2 = true;
					break;
				case 'traefik_service_server_up': {
					const service = labels.get('service');
					const url = labels.get('url');
					if (service !== undefined && url !== undefined)
						serverUp.push({service: detach(service), url: detach(stripUserinfo(url)), up: value === 1, target: parseServerUrl(url)});
					break;
				}
				case 'traefik_tls_certs_not_after':
					certificates.push({
						cn: detach(labels.get('cn')) ?? '',
						sans: detach(labels.get('sans')) ?? '',
						serial: detach(labels.get('serial')) ?? '',
						notAfter: value,
					});
					break;
				case 'go_info':
					goVersion = detach(labels.get('version')) ?? null;
					break;
				default:
					gauges[name] = value;
			}
		},
	};
	const report = parseExposition(text, sink);
	return {
		generation: v3 ? 'v3' : v2 ? 'v2' : 'unknown',
		services,
		entrypoints,
		routers,
		openConnections,
		serverUp,
		certificates,
		goVersion,
		...gaugeFields(gauges),
		report,
	};
}

/** The reading's plain gauges, by the names Traefik and its Go runtime give them (a scrape's, or Prometheus' series of one). */
export function gaugeFields(
	gauges: Readonly<Record<string, number | null>>,
): Pick<MetricsReading, 'configReloads' | 'lastReloadSuccess' | 'processCpuSeconds' | 'processRssBytes' | 'processStartTime'> {
	return {
		configReloads: gauges['traefik_config_reloads_total'] ?? null,
		lastReloadSuccess: gauges['traefik_config_last_reload_success'] ?? null,
		processCpuSeconds: gauges['process_cpu_seconds_total'] ?? null,
		processRssBytes: gauges['process_resident_memory_bytes'] ?? null,
		processStartTime: gauges['process_start_time_seconds'] ?? null,
	};
}
