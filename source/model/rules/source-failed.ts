/** source_failed: /proc, /metrics or the API could not be read. */
import type {RuleFamily} from './family.js';

/** The rules' settings and their defaults. */
export const SOURCE_FAILED_RULES = {
	source_failed: {enabled: true, polls: 1},
};

export const sourceFailed: RuleFamily<typeof SOURCE_FAILED_RULES> = {
	defaults: SOURCE_FAILED_RULES,
	source: 'any',
	global({rules, failingSources}, found) {
		if (!rules.source_failed.enabled) return;
		for (const {name, error, polls} of failingSources) {
			found.push({
				rule: 'source_failed',
				level: 'warn',
				subject: name,
				value: error,
				threshold: 'ok',
				holdPolls: rules.source_failed.polls,
				text: `${name}: ${error}${polls > 1 ? ` (${polls} polls)` : ''}`,
			});
		}
	},
};
