/** time_wait_ratio and ephemeral_ports: connections to a backend opened and closed instead of reused. */
import type {RuleFamily} from './family.js';
import {percent, round} from './verdict.js';

/** The rules' settings and their defaults. */
export const TIME_WAIT_RULES = {
	time_wait_ratio: {enabled: true, warn: 0.2, crit: 0.5, minConnections: 10},
	ephemeral_ports: {enabled: true, ratio: 0.5},
};

export const timeWait: RuleFamily<typeof TIME_WAIT_RULES> = {
	defaults: TIME_WAIT_RULES,
	source: 'proc',
	backend(row, {rules, ephemeralPorts}, verdict) {
		const ratioRule = rules.time_wait_ratio;
		const ratio = row.timeWaitRatio;
		if (ratioRule.enabled && ratio !== null && row.total >= ratioRule.minConnections && ratio > ratioRule.warn) {
			const level = ratio > ratioRule.crit ? 'crit' : 'warn';
			const limit = level === 'crit' ? ratioRule.crit : ratioRule.warn;
			verdict.level('TIME_WAIT', level);
			verdict.level('timeWaitRatio', level);
			verdict.breach({
				rule: 'time_wait_ratio',
				level,
				subject: row.address,
				service: row.service,
				value: round(ratio),
				threshold: limit,
				text: `${row.states.TIME_WAIT} of ${row.total} connections in TIME_WAIT: ${percent(ratio)} (limit ${percent(limit)})`,
			});
		}
		const portsRule = rules.ephemeral_ports;
		const range = ephemeralPorts[1] - ephemeralPorts[0] + 1;
		const limit = Math.floor(portsRule.ratio * range);
		if (portsRule.enabled && row.states.TIME_WAIT > limit) {
			verdict.level('TIME_WAIT', 'crit');
			verdict.breach({
				rule: 'ephemeral_ports',
				level: 'crit',
				subject: row.address,
				service: row.service,
				value: row.states.TIME_WAIT,
				threshold: limit,
				text: `${row.states.TIME_WAIT} connections in TIME_WAIT hold ephemeral ports (limit ${limit}, ${percent(portsRule.ratio)} of ${range})`,
			});
		}
	},
};
