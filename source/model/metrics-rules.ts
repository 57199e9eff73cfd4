/** The rules that read Traefik's own figures: error_ratio, latency_p95, cert_expiry. Pure. */
import type {CertificateExpiry} from '../collect/traefik-metrics-parse.js';
import type {Breach} from './alerts.js';
import type {RulesConfig} from './rules-config.js';
import type {ServiceRow} from './snapshot-types.js';
import type {SpanStats} from './traffic.js';

const round = (n: number, digits = 4): number => Number(n.toFixed(digits));

/** Spans of a service the rules read: the last minute (error_ratio), the last few seconds (latency_p95). */
export interface ServiceSpans {
	readonly minute: SpanStats | null;
	readonly recent: SpanStats | null;
}

/** error_ratio over the last minute and latency_p95 over the rule's window, for each service. */
export function evaluateServiceRules(rows: readonly ServiceRow[], rules: RulesConfig, spans: (service: string) => ServiceSpans): Breach[] {
	const breaches: Breach[] = [];
	for (const row of rows) {
		const {minute, recent} = spans(row.name);
		const requests = minute?.requests ?? 0;
		const er = rules.error_ratio;
		if (er.enabled && row.errorRatioMinute !== null && requests >= er.minRequests && row.errorRatioMinute > er.warn) {
			const crit = row.errorRatioMinute > er.crit;
			breaches.push({
				rule: 'error_ratio',
				level: crit ? 'crit' : 'warn',
				subject: row.name,
				service: row.name,
				value: round(row.errorRatioMinute),
				threshold: crit ? er.crit : er.warn,
			});
		}
		const lp = rules.latency_p95;
		const p95 = recent?.latency.p95 ?? null;
		if (lp.enabled && recent !== null && p95 !== null && recent.requests >= lp.minRequests) {
			const finite = recent.latency.buckets.map((b) => b.le).filter((le): le is number => le !== '+Inf');
			const bound = lp.bucket ?? finite[1] ?? finite[0];
			if (bound !== undefined && p95 > bound)
				breaches.push({rule: 'latency_p95', level: 'warn', subject: row.name, service: row.name, value: round(p95), threshold: bound});
		}
	}
	return breaches;
}

/** cert_expiry: certificates that expire within the warn (crit) number of days. */
export function evaluateCertificates(certificates: readonly CertificateExpiry[], rules: RulesConfig, nowMs: number): Breach[] {
	const ce = rules.cert_expiry;
	if (!ce.enabled) return [];
	const breaches: Breach[] = [];
	for (const cert of certificates) {
		const days = (cert.notAfter * 1000 - nowMs) / 86_400_000;
		if (days > ce.warnDays) continue;
		const crit = days <= ce.critDays;
		const subject = `${cert.cn || cert.sans.split(',')[0] || 'certificate'}${cert.serial ? ` (serial ${cert.serial})` : ''}`;
		breaches.push({
			rule: 'cert_expiry',
			level: crit ? 'crit' : 'warn',
			subject,
			value: `${round(days, 1)} days`,
			threshold: `${crit ? ce.critDays : ce.warnDays} days`,
		});
	}
	return breaches;
}
