/** The TCP rules of PRODUCT.md, evaluated on one poll's backend rows. Pure. */
import type {Breach} from './alerts.js';
import type {RulesConfig} from './rules-config.js';
import type {BackendRow} from './snapshot-types.js';

/** What the TCP rules need beyond the rows. */
export interface TcpRuleContext {
	readonly rules: RulesConfig;
	readonly ephemeralPorts: readonly [number, number];
	/** Requests per second of a service from /metrics, or undefined when unknown. */
	readonly serviceRate: (service: string) => number | null | undefined;
}

const round = (n: number, digits = 3): number => Number(n.toFixed(digits));

/** Breaches of close_wait_stuck, close_wait_present, time_wait_ratio, no_established, syn_sent_stuck, retransmitting, ephemeral_ports. */
export function evaluateTcpRules(rows: readonly BackendRow[], ctx: TcpRuleContext): Breach[] {
	const {rules} = ctx;
	const breaches: Breach[] = [];
	const ephemeralCount = ctx.ephemeralPorts[1] - ctx.ephemeralPorts[0] + 1;
	for (const row of rows) {
		const subject = row.address;
		const service = row.service;
		const s = row.states;
		const cw = row.closeWaitOldestSeconds;
		if (rules.close_wait_stuck.enabled && cw !== null && cw >= rules.close_wait_stuck.seconds) {
			breaches.push({rule: 'close_wait_stuck', level: 'crit', subject, service, value: round(cw, 0), threshold: rules.close_wait_stuck.seconds});
		} else if (rules.close_wait_present.enabled && s.CLOSE_WAIT > 0) {
			breaches.push({
				rule: 'close_wait_present',
				level: 'warn',
				subject,
				service,
				value: s.CLOSE_WAIT,
				threshold: rules.close_wait_present.seconds,
				holdSeconds: rules.close_wait_present.seconds,
			});
		}
		const tw = rules.time_wait_ratio;
		if (tw.enabled && row.timeWaitRatio !== null && row.total >= tw.minConnections && row.timeWaitRatio > tw.warn) {
			const crit = row.timeWaitRatio > tw.crit;
			breaches.push({
				rule: 'time_wait_ratio',
				level: crit ? 'crit' : 'warn',
				subject,
				service,
				value: round(row.timeWaitRatio),
				threshold: crit ? tw.crit : tw.warn,
			});
		}
		const ne = rules.no_established;
		if (ne.enabled && s.ESTABLISHED === 0 && row.newAnswered === 0 && row.status !== 'DOWN') {
			// "Gets traffic": the service has requests (metrics), or Traefik is trying to connect (kernel).
			const rate = row.services.map(ctx.serviceRate).reduce<number | null>((sum, r) => (typeof r === 'number' ? (sum ?? 0) + r : sum), null);
			const trying = s.SYN_SENT > 0;
			if ((rate !== null && rate >= ne.minRequestsPerSecond) || trying) {
				breaches.push({rule: 'no_established', level: 'crit', subject, service, value: 0, threshold: 1, holdPolls: ne.polls});
			}
		}
		if (rules.syn_sent_stuck.enabled && row.synSentPolls >= rules.syn_sent_stuck.polls) {
			breaches.push({rule: 'syn_sent_stuck', level: 'crit', subject, service, value: s.SYN_SENT, threshold: rules.syn_sent_stuck.polls});
		}
		if (rules.retransmitting.enabled && row.retransmitPolls >= rules.retransmitting.polls) {
			breaches.push({rule: 'retransmitting', level: 'warn', subject, service, value: row.retransmitting, threshold: rules.retransmitting.polls});
		}
		const ep = rules.ephemeral_ports;
		if (ep.enabled && s.TIME_WAIT > ep.ratio * ephemeralCount) {
			breaches.push({rule: 'ephemeral_ports', level: 'crit', subject, service, value: s.TIME_WAIT, threshold: Math.floor(ep.ratio * ephemeralCount)});
		}
	}
	return breaches;
}
