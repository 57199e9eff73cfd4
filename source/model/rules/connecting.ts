/** no_established, syn_sent_stuck and retransmitting: a backend that does not answer Traefik's connections. */
import type {RuleFamily} from './family.js';
import {plural} from './verdict.js';

/** The rules' settings and their defaults. */
export const CONNECTING_RULES = {
	no_established: {enabled: true, polls: 2, minRequestsPerSecond: 0.5},
	syn_sent_stuck: {enabled: true, polls: 2},
	retransmitting: {enabled: true, polls: 2},
};

export const connecting: RuleFamily<typeof CONNECTING_RULES> = {
	defaults: CONNECTING_RULES,
	source: 'proc',
	backend(row, {rules, serviceRate}, verdict) {
		const s = row.states;
		const none = rules.no_established;
		if (none.enabled && s.ESTABLISHED === 0 && row.newAnswered === 0 && row.status !== 'DOWN') {
			// "Gets traffic": its service has requests (metrics), or Traefik is trying to connect (kernel).
			const rate = row.services.map(serviceRate).reduce<number | null>((sum, r) => (typeof r === 'number' ? (sum ?? 0) + r : sum), null);
			const trying = s.SYN_SENT > 0;
			if ((rate !== null && rate >= none.minRequestsPerSecond) || trying) {
				verdict.level('ESTABLISHED', 'crit');
				const why = trying ? `${plural(s.SYN_SENT, 'connection')} in SYN_SENT` : `${rate!.toFixed(1)} req/s on its service`;
				verdict.breach({
					rule: 'no_established',
					level: 'crit',
					subject: row.address,
					service: row.service,
					value: 0,
					threshold: 1,
					holdPolls: none.polls,
					text: `no ESTABLISHED connection and none completed for ${plural(none.polls, 'poll')}, with ${why}`,
				});
			}
		}
		const syn = rules.syn_sent_stuck;
		if (syn.enabled && row.synSentPolls >= syn.polls) {
			verdict.level('SYN_SENT', 'crit');
			verdict.breach({
				rule: 'syn_sent_stuck',
				level: 'crit',
				subject: row.address,
				service: row.service,
				value: s.SYN_SENT,
				threshold: syn.polls,
				text: `${plural(s.SYN_SENT, 'connection')} in SYN_SENT for ${plural(row.synSentPolls, 'poll')} (limit ${syn.polls})`,
			});
		}
		const retrans = rules.retransmitting;
		if (retrans.enabled && row.retransmitPolls >= retrans.polls) {
			verdict.level('retransmitting', 'warn');
			verdict.breach({
				rule: 'retransmitting',
				level: 'warn',
				subject: row.address,
				service: row.service,
				value: row.retransmitting,
				threshold: retrans.polls,
				text: `${plural(row.retransmitting, 'connection')} retransmitting for ${plural(row.retransmitPolls, 'poll')} (limit ${retrans.polls})`,
			});
		}
	},
};
