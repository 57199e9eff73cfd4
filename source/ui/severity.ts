/** Which cells and rows breach a threshold, from the snapshot and the rules. Pure. */
import type {RulesConfig} from '../model/rules-config.js';
import type {BackendRow, EntryPointRow, ServiceRow, Snapshot} from '../model/snapshot-types.js';
import {worst, type Severity} from './theme.js';

/** Highest level of the active alerts about a subject (address or service name). */
export function alertLevels(snapshot: Snapshot): Map<string, Severity> {
	const levels = new Map<string, Severity>();
	for (const a of snapshot.alerts) {
		for (const subject of [a.subject, a.service]) {
			if (subject === undefined) continue;
			levels.set(subject, worst(levels.get(subject) ?? 'plain', a.level));
		}
	}
	return levels;
}

/** Severity of a backend cell. */
export function backendCell(row: BackendRow, key: string, rules: RulesConfig): Severity {
	switch (key) {
		case 'status':
			return row.status === 'DOWN' ? 'crit' : row.status === 'UP' ? 'ok' : 'muted';
		case 'estab':
			return row.states.ESTABLISHED === 0 && (row.states.SYN_SENT > 0 || row.total > 0) ? 'warn' : 'plain';
		case 'synSent':
			return row.synSentPolls >= rules.syn_sent_stuck.polls ? 'crit' : row.states.SYN_SENT > 0 ? 'warn' : 'plain';
		case 'closeWait':
		case 'closeWaitAge': {
			const age = row.closeWaitOldestSeconds;
			return age !== null && age >= rules.close_wait_stuck.seconds ? 'crit' : row.states.CLOSE_WAIT > 0 ? 'warn' : 'plain';
		}
		case 'twRatio':
		case 'timeWait': {
			const r = row.timeWaitRatio;
			if (r === null || row.total < rules.time_wait_ratio.minConnections) return 'plain';
			return r > rules.time_wait_ratio.crit ? 'crit' : r > rules.time_wait_ratio.warn ? 'warn' : 'plain';
		}
		case 'retrans':
			return row.retransmitPolls >= rules.retransmitting.polls ? 'warn' : 'plain';
		case 'sendQ':
			return row.txQueueBytes > 0 ? 'warn' : 'plain';
		default:
			return 'plain';
	}
}

/** Severity of a service cell. */
export function serviceCell(row: ServiceRow, key: string, rules: RulesConfig): Severity {
	switch (key) {
		case 'err':
		case 'err1m': {
			const r = key === 'err' ? row.errorRatio : row.errorRatioMinute;
			return r === null ? 'plain' : r > rules.error_ratio.crit ? 'crit' : r > rules.error_ratio.warn ? 'warn' : 'plain';
		}
		case 'p95': {
			const bounds = row.latency.buckets.map((b) => b.le).filter((le): le is number => le !== '+Inf');
			const bound = rules.latency_p95.bucket ?? bounds[1] ?? bounds[0];
			return row.latency.p95 !== null && bound !== undefined && row.latency.p95 > bound ? 'warn' : 'plain';
		}
		case 'servers':
			return row.servers.length > 0 && row.serversUp === 0
				? 'crit'
				: row.serversUp < row.servers.filter((s) => s.status !== 'unknown').length
					? 'warn'
					: 'plain';
		case 'cw':
			return row.connections.CLOSE_WAIT > 0 ? 'warn' : 'plain';
		case 'rps':
			return row.requestsPerSecond === null ? 'muted' : 'plain';
		default:
			return 'plain';
	}
}

/** Severity of an entry-point cell. */
export function entryPointCell(row: EntryPointRow, key: string): Severity {
	if (key === 'closeWait') return row.states.CLOSE_WAIT > 0 ? 'warn' : 'plain';
	if (key === 'synRecv') return row.states.SYN_RECV > 10 ? 'warn' : 'plain';
	return 'plain';
}
