/**
 * What Traefik's access log tells of single servers, and /metrics of retries:
 * - server_error_ratio: one server's 5xx share over the last minute while its siblings' is low;
 * - server_latency_p95: one server's p95 over the last minute above a bound;
 * - retry_ratio: a service's attempts made again over its requests in the last minute.
 */
import type {AlertLevel} from '../../domain/rules.js';
import type {RuleFamily} from './family.js';
import {percent, round} from './verdict.js';

/** The rules' settings and their defaults. */
export const SERVER_REQUEST_RULES = {
	server_error_ratio: {enabled: true, warn: 0.05, crit: 0.25, minRequests: 20, siblingsBelow: 0.01},
	server_latency_p95: {enabled: true, seconds: 1, minRequests: 20},
	retry_ratio: {enabled: true, warn: 0.05, crit: 0.25, minRequests: 20},
};

const ms = (seconds: number) => `${Math.round(seconds * 1000)} ms`;

export const serverRequests: RuleFamily<typeof SERVER_REQUEST_RULES> = {
	defaults: SERVER_REQUEST_RULES,
	source: 'accessLog',
	backend(row, {rules, backendsOf}, verdict) {
		const stats = row.requests;
		if (stats === undefined) return;
		const errors = rules.server_error_ratio;
		if (errors.enabled && stats.errorRatio !== null && stats.requests >= errors.minRequests && stats.errorRatio > errors.warn) {
			// Only when it stands out: the service's other servers, with requests, answer well.
			const siblings = backendsOf(row.service).filter(
				(b) => b.address !== row.address && b.requests !== undefined && b.requests.requests >= errors.minRequests,
			);
			if (siblings.length > 0 && siblings.every((b) => (b.requests!.errorRatio ?? 0) < errors.siblingsBelow)) {
				const level: AlertLevel = stats.errorRatio > errors.crit ? 'crit' : 'warn';
				const limit = level === 'crit' ? errors.crit : errors.warn;
				const others = `its ${siblings.length} sibling${siblings.length === 1 ? '' : 's'} under ${percent(errors.siblingsBelow)}`;
				verdict.level('serverErrorRatio', level);
				verdict.breach({
					rule: 'server_error_ratio',
					level,
					subject: row.address,
					service: row.service,
					value: round(stats.errorRatio, 4),
					threshold: limit,
					text: `5xx ${percent(stats.errorRatio)} of this server's ${stats.requests} requests in the last minute (limit ${percent(limit)}), ${others}`,
				});
			}
		}
		const slow = rules.server_latency_p95;
		if (slow.enabled && stats.p95 !== null && stats.requests >= slow.minRequests && stats.p95 > slow.seconds) {
			verdict.level('serverP95', 'warn');
			verdict.breach({
				rule: 'server_latency_p95',
				level: 'warn',
				subject: row.address,
				service: row.service,
				value: round(stats.p95, 4),
				threshold: slow.seconds,
				text: `p95 ${ms(stats.p95)} over this server's ${stats.requests} requests in the last minute (limit ${ms(slow.seconds)})`,
			});
		}
	},
};

/** retry_ratio reads /metrics (Traefik v3 counts every attempt as a service request): a family of its own source. */
export const retryRatio: RuleFamily<Pick<typeof SERVER_REQUEST_RULES, 'retry_ratio'>> = {
	defaults: {retry_ratio: SERVER_REQUEST_RULES.retry_ratio},
	source: 'metrics',
	service(row, {rules, spans}, verdict) {
		const settings = rules.retry_ratio;
		const minute = spans(row.name).minute;
		if (!settings.enabled || minute === null || minute.retriesPerSecond === null || minute.requestsPerSecond <= 0) return;
		const requests = minute.requestsPerSecond * 60;
		const ratio = minute.retriesPerSecond / minute.requestsPerSecond;
		if (requests < settings.minRequests || ratio <= settings.warn) return;
		const level: AlertLevel = ratio > settings.crit ? 'crit' : 'warn';
		verdict.level('retries', level);
		verdict.breach({
			rule: 'retry_ratio',
			level,
			subject: row.name,
			service: row.name,
			value: round(ratio, 4),
			threshold: level === 'crit' ? settings.crit : settings.warn,
			text: `${percent(ratio)} of its requests tried again in the last minute (limit ${percent(level === 'crit' ? settings.crit : settings.warn)})`,
		});
	},
};
