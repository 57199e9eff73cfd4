/** close_wait_stuck and close_wait_present: Traefik's side of a backend connection left open after the backend closed. */
import type {RuleFamily} from './family.js';
import {plural, round} from './verdict.js';

/** The rules' settings and their defaults. */
export const CLOSE_WAIT_RULES = {
	close_wait_stuck: {enabled: true, seconds: 60},
	close_wait_present: {enabled: true, seconds: 10},
};

export const closeWait: RuleFamily<typeof CLOSE_WAIT_RULES> = {
	defaults: CLOSE_WAIT_RULES,
	source: 'proc',
	backend(row, {rules}, verdict) {
		const stuck = rules.close_wait_stuck;
		const present = rules.close_wait_present;
		const age = row.closeWaitOldestSeconds;
		const count = row.states.CLOSE_WAIT;
		const subject = row.address;
		const service = row.service;
		if (stuck.enabled && age !== null && age >= stuck.seconds) {
			verdict.level('CLOSE_WAIT', 'crit');
			verdict.level('closeWaitOldestSeconds', 'crit');
			verdict.breach({
				rule: 'close_wait_stuck',
				level: 'crit',
				subject,
				service,
				value: round(age, 0),
				threshold: stuck.seconds,
				text: `${plural(count, 'connection')} in CLOSE_WAIT, the oldest for ${Math.round(age)} s (limit ${stuck.seconds} s)`,
			});
		} else if (present.enabled && count > 0) {
			verdict.level('CLOSE_WAIT', 'warn');
			verdict.level('closeWaitOldestSeconds', 'warn');
			verdict.breach({
				rule: 'close_wait_present',
				level: 'warn',
				subject,
				service,
				value: count,
				threshold: present.seconds,
				holdSeconds: present.seconds,
				text: `${plural(count, 'connection')} in CLOSE_WAIT for ${present.seconds} s or more`,
			});
		}
	},
	service(row, _ctx, verdict) {
		// The service's CLOSE_WAIT total is judged as its backends' are (present is the condition).
		if (row.connections.CLOSE_WAIT > 0) verdict.level('CLOSE_WAIT', 'warn');
	},
};
