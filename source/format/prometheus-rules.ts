/**
 * `traefik-top rules --prometheus`: Prometheus alerting rules that say what the metrics-based
 * rules say, with this configuration's thresholds, so that a team can page on what the screen
 * shows. Pure: YAML text from the rules' settings.
 */
import type {RuleName} from '../domain/rules.js';

/** The settings read here (a subset of the rules' configuration). */
export interface PromRulesSettings {
	readonly error_ratio: {readonly enabled: boolean; readonly warn: number; readonly crit: number; readonly minRequests: number};
	readonly latency_p95: {readonly enabled: boolean; readonly bucket: number | null; readonly minRequests: number; readonly windowSeconds: number};
	readonly server_down: {readonly enabled: boolean};
	readonly cert_expiry: {readonly enabled: boolean; readonly warnDays: number; readonly critDays: number};
	readonly config_drift: {readonly enabled: boolean; readonly graceRefreshes: number};
	readonly reload_stale: {readonly enabled: boolean; readonly seconds: number};
}

/** Rules that read the kernel's TCP table or Traefik's access log: Prometheus has neither. */
const NOT_HERE: readonly RuleName[] = [
	'close_wait_stuck',
	'close_wait_present',
	'time_wait_ratio',
	'no_established',
	'syn_sent_stuck',
	'retransmitting',
	'ephemeral_ports',
	'server_error_ratio',
	'server_latency_p95',
];

/** Traefik's default buckets (0.1, 0.3, 1.2, 5): the second bound is what latency_p95 holds p95 to when `bucket` is not set. */
const DEFAULT_SECOND_BUCKET = 0.3;

interface Rule {
	readonly alert: string;
	readonly expr: string;
	readonly for?: string;
	readonly severity: 'warning' | 'critical';
	readonly rule: RuleName;
	readonly summary: string;
}

const pct = (ratio: number): string => `${Math.round(ratio * 10_000) / 100} %`;
const q = (text: string): string => JSON.stringify(text);

/** A rate's window: the rule's own, and at least 4 scrapes (as Grafana's $__rate_interval), so that rate() has samples. */
const windowOf = (seconds: number, scrapeSeconds: number): number => Math.max(seconds, 4 * scrapeSeconds);

function rulesOf(s: PromRulesSettings, apiIntervalSeconds: number, scrapeSeconds: number): Rule[] {
	const out: Rule[] = [];
	if (s.error_ratio.enabled) {
		const {warn, crit, minRequests} = s.error_ratio;
		const w = `${windowOf(60, scrapeSeconds)}s`;
		const ratio =
			`sum by (service) (rate(traefik_service_requests_total{code=~"5.."}[${w}]))\n` + `  / sum by (service) (rate(traefik_service_requests_total[${w}]))`;
		const enough = `sum by (service) (increase(traefik_service_requests_total[${w}])) >= ${minRequests}`;
		for (const [severity, limit] of [
			['warning', warn],
			['critical', crit],
		] as const) {
			out.push({
				alert: severity === 'warning' ? 'TraefikServiceErrorRatio' : 'TraefikServiceErrorRatioCritical',
				expr: `(${ratio}\n) > ${limit}\nand ${enough}`,
				severity,
				rule: 'error_ratio',
				summary: `{{ $labels.service }}: 5xx {{ $value | humanizePercentage }} of its requests over ${w} (limit ${pct(limit)})`,
			});
		}
	}
	if (s.latency_p95.enabled) {
		const {bucket, minRequests, windowSeconds} = s.latency_p95;
		const bound = bucket ?? DEFAULT_SECOND_BUCKET;
		const w = `${windowOf(windowSeconds, scrapeSeconds)}s`;
		out.push({
			alert: 'TraefikServiceLatencyP95',
			expr:
				`histogram_quantile(0.95, sum by (service, le) (rate(traefik_service_request_duration_seconds_bucket[${w}]))) > ${bound}\n` +
				`and sum by (service) (increase(traefik_service_request_duration_seconds_count[${w}])) >= ${minRequests}`,
			severity: 'warning',
			rule: 'latency_p95',
			summary: `{{ $labels.service }}: p95 {{ $value | humanizeDuration }} over ${w} (limit ${bound} s)`,
		});
	}
	if (s.server_down.enabled) {
		out.push({
			alert: 'TraefikServerDown',
			expr: 'traefik_service_server_up == 0',
			severity: 'critical',
			rule: 'server_down',
			summary: "{{ $labels.service }}: Traefik's health check says {{ $labels.url }} is DOWN",
		});
	}
	if (s.cert_expiry.enabled) {
		const {warnDays, critDays} = s.cert_expiry;
		for (const [severity, days] of [
			['warning', warnDays],
			['critical', critDays],
		] as const) {
			out.push({
				alert: severity === 'warning' ? 'TraefikCertificateExpiry' : 'TraefikCertificateExpiryCritical',
				expr: `(traefik_tls_certs_not_after - time()) / 86400 < ${days}`,
				severity,
				rule: 'cert_expiry',
				summary: `{{ $labels.cn }} (serial {{ $labels.serial }}) expires in {{ $value | printf "%.1f" }} days (limit ${days} days)`,
			});
		}
	}
	if (s.config_drift.enabled || s.reload_stale.enabled) {
		// Instances of one job whose last reload lags the newest one's: the reload series is what
		// Prometheus has of their configurations (rawdata is not a metric).
		const grace = Math.max(1, s.config_drift.graceRefreshes) * apiIntervalSeconds;
		out.push({
			alert: 'TraefikConfigReloadBehind',
			expr:
				'max without (instance) (traefik_config_last_reload_success)\n' +
				`  - ignoring (instance) group_right traefik_config_last_reload_success > ${s.reload_stale.seconds}`,
			for: `${grace}s`,
			severity: 'warning',
			rule: s.config_drift.enabled ? 'config_drift' : 'reload_stale',
			summary:
				`{{ $labels.instance }}: its last configuration reload is {{ $value | humanizeDuration }} behind ` +
				`another instance's (limit ${s.reload_stale.seconds} s)`,
		});
	}
	return out;
}

/** The rules file. */
export function prometheusRules(settings: PromRulesSettings, apiIntervalSeconds: number, scrapeSeconds = 15): string {
	const lines = [
		"# Prometheus alerting rules from traefik-top's rules, with the thresholds of this configuration.",
		'# Check them with `promtool check rules FILE`; load them with rule_files in prometheus.yml.',
		`# Rate windows are each rule's own, and at least 4 scrapes of ${scrapeSeconds} s (--scrape-interval).`,
		"# Not here, because they read the kernel's TCP table or Traefik's access log, which Prometheus",
		'# does not scrape (traefik-top watches them live on the Traefik host):',
		`# ${NOT_HERE.slice(0, 5).join(', ')},`,
		`# ${NOT_HERE.slice(5).join(', ')}.`,
		...(settings.latency_p95.bucket === null
			? [`# latency_p95.bucket is not set: ${DEFAULT_SECOND_BUCKET} s, the second of Traefik's default buckets, is used; set it to a bound of yours.`]
			: []),
		'groups:',
		'  - name: traefik-top',
	];
	const rules = rulesOf(settings, apiIntervalSeconds, scrapeSeconds);
	lines.push(rules.length === 0 ? '    rules: []' : '    rules:');
	for (const r of rules) {
		lines.push(`      - alert: ${r.alert}`, '        expr: |');
		for (const line of r.expr.split('\n')) lines.push(`          ${line}`);
		if (r.for !== undefined) lines.push(`        for: ${r.for}`);
		lines.push(
			'        labels:',
			`          severity: ${r.severity}`,
			`          rule: ${r.rule}`,
			'        annotations:',
			`          summary: ${q(r.summary)}`,
		);
	}
	return `${lines.join('\n')}\n`;
}
