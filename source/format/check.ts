/** The one line of --check (Nagios plugin convention) and its exit code. Pure. */
import type {Snapshot} from '../domain/snapshot.js';
import {terminalSafe} from './terminal-safe.js';

export interface CheckResult {
	/** 0 ok, 1 warning, 2 critical, 3 unknown. */
	readonly code: 0 | 1 | 2 | 3;
	readonly line: string;
}

/** The worst state of a snapshot, the alerts that make it, and performance data after `|`. */
export function checkResult(snapshot: Snapshot): CheckResult {
	const crit = snapshot.alerts.filter((a) => a.level === 'crit');
	const warn = snapshot.alerts.filter((a) => a.level === 'warn');
	const failed = Object.entries(snapshot.sources).filter(([, s]) => !s.ok && s.error !== 'not configured');
	// Worst first (the alerts come critical first), five at most: a monitoring system shows one line.
	const shown = snapshot.alerts.slice(0, 5).map((a) => `${a.rule} ${a.subject}: ${a.text}`);
	const more = snapshot.alerts.length > shown.length ? `; and ${snapshot.alerts.length - shown.length} more` : '';
	const summary = `${shown.join('; ')}${more}`;
	const counts = {alerts: snapshot.alerts.length, crit: crit.length, warn: warn.length, backends: snapshot.backends.length, services: snapshot.services.length};
	const perf = Object.entries(counts)
		.map(([k, v]) => `${k}=${v}`)
		.join(' ');
	const result = (code: CheckResult['code'], text: string): CheckResult => ({code, line: terminalSafe(`${text} | ${perf}`)});
	if (crit.length > 0) return result(2, `TRAEFIK CRITICAL - ${crit.length} critical, ${warn.length} warning: ${summary}`);
	if (warn.length > 0) return result(1, `TRAEFIK WARNING - ${warn.length} warning: ${summary}`);
	if (failed.length === Object.keys(snapshot.sources).length || !snapshot.sources.proc.ok) {
		return result(3, `TRAEFIK UNKNOWN - ${failed.map(([n, s]) => `${n}: ${s.error}`).join('; ')}`);
	}
	return result(0, `TRAEFIK OK - ${snapshot.backends.length} backends, ${snapshot.services.length} services, no alerts`);
}
