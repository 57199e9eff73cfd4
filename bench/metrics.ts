/**
 * /metrics benchmark: Traefik-shaped expositions of 500 and 5,000 services (every code/method mix,
 * default buckets), parsed by traefik-top and by parse-prometheus-text-format in the same run.
 */
import parsePrometheusTextFormat from 'parse-prometheus-text-format';
import {parseTraefikMetrics} from '../source/collect/traefik-metrics-parse.js';
import {heapMb, measure, type Figure} from './measure.js';

const MIXES: readonly [string, string][] = [
	['200', 'GET'],
	['200', 'POST'],
	['302', 'GET'],
	['404', 'GET'],
	['502', 'GET'],
];
const BOUNDS = ['0.1', '0.3', '1.2', '5', '+Inf'];

/** An exposition as Traefik v3 writes it, sorted by family, for `services` services. */
export function traefikExposition(services: number): string {
	const names = Array.from({length: services}, (_, i) => `svc-${String(i).padStart(5, '0')}-default-80@kubernetescrd`);
	const out: string[] = [];
	const family = (name: string, help: string, type: string, lines: (svc: string, code: string, method: string, i: number) => string[]) => {
		out.push(`# HELP ${name} ${help}`, `# TYPE ${name} ${type}`);
		names.forEach((svc, i) => MIXES.forEach(([code, method]) => out.push(...lines(svc, code, method, i))));
	};
	const labels = (svc: string, code: string, method: string) => `code="${code}",method="${method}",protocol="http",service="${svc}"`;
	family(
		'traefik_service_request_duration_seconds',
		'How long it took to process the request on a service, partitioned by status code, protocol, and method.',
		'histogram',
		(svc, code, method, i) => {
			const base = 1000 + i;
			return [
				...BOUNDS.map((le, k) => `traefik_service_request_duration_seconds_bucket{${labels(svc, code, method)},le="${le}"} ${base + k * 7}`),
				`traefik_service_request_duration_seconds_sum{${labels(svc, code, method)}} ${(base * 0.0731).toPrecision(12)}`,
				`traefik_service_request_duration_seconds_count{${labels(svc, code, method)}} ${base + 28}`,
			];
		},
	);
	family(
		'traefik_service_requests_total',
		'How many HTTP requests processed on a service, partitioned by status code, protocol, and method.',
		'counter',
		(svc, code, method, i) => [`traefik_service_requests_total{${labels(svc, code, method)}} ${1028 + i}`],
	);
	family(
		'traefik_service_responses_bytes_total',
		'The total size of responses in bytes handled by a service, partitioned by status code, protocol, and method.',
		'counter',
		(svc, code, method, i) => [`traefik_service_responses_bytes_total{${labels(svc, code, method)}} ${(2.840814e6 + i * 1024).toExponential(6)}`],
	);
	return `${out.join('\n')}\n`;
}

/** ms per parse and MB retained, ours beside the reference package. */
export function benchMetrics(services: number): {figures: Figure[]; series: number; megabytes: number; retainedMb: {ours: number; reference: number}} {
	const text = traefikExposition(services);
	const series = text.split('\n').filter((l) => l !== '' && !l.startsWith('#')).length;
	const runs = services >= 5000 ? 5 : 15;
	const ours = measure(
		`metrics.${services}.ours`,
		`traefik-top parse (${series} series, ${(text.length / 1e6).toFixed(1)} MB)`,
		() => parseTraefikMetrics(text),
		runs,
	);
	const reference = measure(`metrics.${services}.reference`, 'parse-prometheus-text-format on the same text', () => parsePrometheusTextFormat(text), runs);
	const before = heapMb();
	let kept: unknown = parseTraefikMetrics(text);
	const oursMb = heapMb() - before;
	kept = null;
	const before2 = heapMb();
	kept = parsePrometheusTextFormat(text);
	const referenceMb = heapMb() - before2;
	void kept;
	return {figures: [ours, reference], series, megabytes: text.length / 1e6, retainedMb: {ours: oursMb, reference: referenceMb}};
}
