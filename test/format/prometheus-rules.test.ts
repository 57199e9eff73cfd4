// `traefik-top rules --prometheus`: what it prints is accepted by promtool, and, evaluated by
// Prometheus' own rule engine (`promtool test rules`) on the counters of a fault, fires for the
// same service as traefik-top's own rule does on the same counters; on healthy counters neither
// fires. promtool comes with Debian's prometheus package (.ci/run installs it).
import {mkdtempSync, rmSync, writeFileSync} from 'node:fs';
import {tmpdir} from 'node:os';
import {join} from 'node:path';
import {execa} from 'execa';
import {afterAll, describe, expect, it} from 'vitest';
import {parseTraefikMetrics} from '../../source/collect/traefik-metrics-parse.js';
import {prometheusRules} from '../../source/format/prometheus-rules.js';
import {Monitor} from '../../source/model/monitor.js';
import {applyRuleOverrides, DEFAULT_RULES} from '../../source/model/rules/config.js';

const hasPromtool = (await execa('promtool', ['--version'], {reject: false})).exitCode === 0;
if (!hasPromtool && process.env['CI']) throw new Error('promtool is missing (Debian: apt-get install prometheus); CI must not skip these tests');

describe.skipIf(!hasPromtool)('Prometheus alerting rules', () => {
	const dir = mkdtempSync(join(tmpdir(), 'tt-promrules-'));
	afterAll(() => rmSync(dir, {recursive: true, force: true}));
	const SCRAPE = 5;

	/** promtool's verdict on the rules for these series at `at`: the alerts it finds for `alertname`. */
	async function evaluate(rules: string, series: Record<string, string>, alertname: string, at: string, expected: unknown[]): Promise<string> {
		writeFileSync(join(dir, 'rules.yml'), rules);
		const test = {
			rule_files: ['rules.yml'],
			evaluation_interval: `${SCRAPE}s`,
			tests: [
				{
					interval: `${SCRAPE}s`,
					input_series: Object.entries(series).map(([name, values]) => ({series: name, values})),
					alert_rule_test: [{eval_time: at, alertname, exp_alerts: expected}],
				},
			],
		};
		writeFileSync(join(dir, 'test.yml'), JSON.stringify(test));
		const result = await execa('promtool', ['test', 'rules', join(dir, 'test.yml')], {reject: false, timeout: 30_000});
		return result.exitCode === 0 ? 'ok' : `${result.stdout}${result.stderr}`;
	}

	/** traefik-top's own alerts on the same counters, scraped every 5 s for `steps` scrapes. */
	function ownAlerts(counts: (step: number) => {ok: number; errors: number}, steps: number): string[] {
		const monitor = new Monitor({
			rules: DEFAULT_RULES,
			intervalSeconds: SCRAPE,
			retentionSeconds: 600,
			host: 't',
			filter: {service: null, entrypoint: null},
			flagServers: [],
		});
		monitor.disableSource('api');
		monitor.disableSource('proc');
		for (let step = 0; step <= steps; step++) {
			const {ok, errors} = counts(step);
			const labels = (code: string) => `code="${code}",method="GET",protocol="http",service="web@file"`;
			const text = `traefik_service_requests_total{${labels('200')}} ${ok}\ntraefik_service_requests_total{${labels('502')}} ${errors}\n`;
			monitor.ingest({
				collectedAt: 1_000_000 + step * SCRAPE * 1000,
				proc: {error: 'off'},
				metrics: parseTraefikMetrics(text),
				resolved: {},
				resolveErrors: {},
			});
		}
		return monitor.snapshot().alerts.map((a) => `${a.rule} ${a.subject} ${a.level}`);
	}

	const rules = prometheusRules(DEFAULT_RULES, 10, SCRAPE);

	it('are accepted by promtool, with the thresholds of the configuration', async () => {
		const custom = prometheusRules(applyRuleOverrides(DEFAULT_RULES, {'error_ratio.warn': 0.02, 'latency_p95.bucket': 0.5}), 10, SCRAPE);
		expect(custom).toContain(') > 0.02');
		expect(custom).toContain('> 0.5\n');
		for (const text of [rules, custom]) {
			writeFileSync(join(dir, 'check.yml'), text);
			const check = await execa('promtool', ['check', 'rules', join(dir, 'check.yml')], {reject: false});
			expect(`${check.stdout}${check.stderr}`).toMatch(/SUCCESS: 7 rules found/);
		}
		expect(rules).toMatch(/# .*close_wait_stuck.*\n# .*ephemeral_ports/);
	});

	it('fire for a service with 10 % of 5xx, as error_ratio does on the same counters, and not for a healthy one', async () => {
		// 45 answers and 5 errors a scrape: 10 % of 5xx (over error_ratio's crit, 5 %).
		const fault = {
			'traefik_service_requests_total{service="web@file",code="200"}': '0+45x40',
			'traefik_service_requests_total{service="web@file",code="502"}': '0+5x40',
		};
		const fires = (alertname: string, severity: string) => [
			{
				exp_labels: {service: 'web@file', severity, rule: 'error_ratio'},
				exp_annotations: {summary: `web@file: 5xx 10% of its requests over 60s (limit ${severity === 'warning' ? '1' : '5'} %)`},
			},
		];
		expect(await evaluate(rules, fault, 'TraefikServiceErrorRatio', '2m', fires('TraefikServiceErrorRatio', 'warning'))).toBe('ok');
		expect(await evaluate(rules, fault, 'TraefikServiceErrorRatioCritical', '2m', fires('TraefikServiceErrorRatioCritical', 'critical'))).toBe('ok');
		expect(ownAlerts((step) => ({ok: 45 * step, errors: 5 * step}), 24)).toContain('error_ratio web@file crit');
		const healthy = {
			'traefik_service_requests_total{service="web@file",code="200"}': '0+50x40',
			'traefik_service_requests_total{service="web@file",code="502"}': '0+0x40',
		};
		expect(await evaluate(rules, healthy, 'TraefikServiceErrorRatio', '2m', [])).toBe('ok');
		expect(ownAlerts((step) => ({ok: 50 * step, errors: 0}), 24)).toEqual([]);
	});

	it('fire for a server Traefik marks DOWN, and for an instance whose reload lags the others', async () => {
		const down = {'traefik_service_server_up{service="web@file",url="http://10.0.0.2:80"}': '1 1 1 0 0 0 0'};
		const expected = [
			{
				exp_labels: {service: 'web@file', url: 'http://10.0.0.2:80', severity: 'critical', rule: 'server_down'},
				exp_annotations: {summary: "web@file: Traefik's health check says http://10.0.0.2:80 is DOWN"},
			},
		];
		expect(await evaluate(rules, down, 'TraefikServerDown', '25s', expected)).toBe('ok');
		// b reloaded a change at 1,000 s; c is still at 100 s; the grace is 2 API refreshes of 10 s.
		const reloads = {
			'traefik_config_last_reload_success{job="traefik",instance="a"}': '1000x20',
			'traefik_config_last_reload_success{job="traefik",instance="b"}': '1000x20',
			'traefik_config_last_reload_success{job="traefik",instance="c"}': '100x20',
		};
		const lag = [
			{
				exp_labels: {job: 'traefik', instance: 'c', severity: 'warning', rule: 'config_drift'},
				exp_annotations: {summary: "c: its last configuration reload is 15m 0s behind another instance's (limit 30 s)"},
			},
		];
		expect(await evaluate(rules, reloads, 'TraefikConfigReloadBehind', '30s', lag)).toBe('ok');
	});
});
