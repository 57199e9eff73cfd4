/** latency_p95: p95 over the last few seconds above a bucket bound (by default the histogram's second one). */
import type {LatencyBucket} from '../../domain/snapshot.js';
import type {RulesConfig} from './config.js';
import type {RuleFamily, Spans} from './family.js';
import {round} from './verdict.js';

/** The bound p95 is held to: the rule's `bucket`, else the histogram's second finite bound (its first when it has one). */
export function p95Bound(rules: RulesConfig, buckets: readonly LatencyBucket[]): number | undefined {
	if (rules.latency_p95.bucket !== null) return rules.latency_p95.bucket;
	const finite = buckets.map((b) => b.le).filter((le): le is number => le !== '+Inf');
	return finite[1] ?? finite[0];
}

function judge(recent: Spans['recent'], rules: RulesConfig): {p95: number; bound: number} | undefined {
	const settings = rules.latency_p95;
	const p95 = recent?.latency.p95 ?? null;
	if (!settings.enabled || recent === null || p95 === null || recent.requests < settings.minRequests) return undefined;
	const bound = p95Bound(rules, recent.latency.buckets);
	return bound !== undefined && p95 > bound ? {p95, bound} : undefined;
}

const ms = (seconds: number): string => (seconds < 1 ? `${Math.round(seconds * 1000)} ms` : `${Number(seconds.toFixed(2))} s`);

/** The rules' settings and their defaults. */
export const LATENCY_RULES = {
	latency_p95: {enabled: true, bucket: null as number | null, minRequests: 10, windowSeconds: 10},
};

export const latency: RuleFamily<typeof LATENCY_RULES> = {
	defaults: LATENCY_RULES,
	source: 'metrics',
	service(row, {rules, spans}, verdict) {
		const found = judge(spans(row.name).recent, rules);
		if (found === undefined) return;
		verdict.level('p95Recent', 'warn');
		verdict.breach({
			rule: 'latency_p95',
			level: 'warn',
			subject: row.name,
			service: row.name,
			value: round(found.p95, 4),
			threshold: found.bound,
			text: `p95 ${ms(found.p95)} over the last ${rules.latency_p95.windowSeconds} s (limit ${ms(found.bound)})`,
		});
	},
	totals(spans, {rules}, verdict) {
		if (judge(spans.recent, rules) !== undefined) verdict.level('p95', 'warn');
	},
};
