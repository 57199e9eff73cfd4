/** error_ratio: the 5xx share of a service's requests over the last minute. */
import type {AlertLevel} from '../../domain/rules.js';
import type {RulesConfig} from './config.js';
import type {RuleFamily, Spans} from './family.js';
import {percent, round} from './verdict.js';

/** The level of a minute's 5xx share, or undefined when it is below the rule or too few requests back it. */
function judge(minute: Spans['minute'], rules: RulesConfig): {level: AlertLevel; ratio: number; limit: number; requests: number} | undefined {
	const settings = rules.error_ratio;
	const ratio = minute?.errorRatio ?? null;
	const requests = minute?.requests ?? 0;
	if (!settings.enabled || ratio === null || requests < settings.minRequests || ratio <= settings.warn) return undefined;
	const level: AlertLevel = ratio > settings.crit ? 'crit' : 'warn';
	return {level, ratio, limit: level === 'crit' ? settings.crit : settings.warn, requests};
}

/** The rules' settings and their defaults. */
export const ERROR_RATIO_RULES = {
	error_ratio: {enabled: true, warn: 0.01, crit: 0.05, minRequests: 20},
};

export const errorRatio: RuleFamily<typeof ERROR_RATIO_RULES> = {
	defaults: ERROR_RATIO_RULES,
	source: 'metrics',
	service(row, {rules, spans}, verdict) {
		const found = judge(spans(row.name).minute, rules);
		if (found === undefined) return;
		verdict.level('errorRatioMinute', found.level);
		verdict.breach({
			rule: 'error_ratio',
			level: found.level,
			subject: row.name,
			service: row.name,
			value: round(found.ratio, 4),
			threshold: found.limit,
			text: `5xx ${percent(found.ratio)} of ${Math.round(found.requests)} requests in the last minute (limit ${percent(found.limit)})`,
		});
	},
	totals(spans, {rules}, verdict) {
		const found = judge(spans.minute, rules);
		if (found !== undefined) verdict.level('errorRatio', found.level);
	},
};
