/** The rows of each table as the user asked for them: filtered, then sorted. Pure. */
import type {BackendRow, ServiceRow, Snapshot} from '../model/snapshot-types.js';
import type {Severity} from './theme.js';
import {compileFilter, type ViewState} from './view-state.js';

/** Plain code-unit order: service names and addresses are ASCII, and localeCompare is ~50x slower. */
const byText = (a: string, b: string): number => (a < b ? -1 : a > b ? 1 : 0);

const rank: Record<Severity, number> = {crit: 3, warn: 2, accent: 0, ok: 0, muted: 0, plain: 0};
const num = (v: number | null | undefined): number => (v === null || v === undefined || Number.isNaN(v) ? -1 : v);

type Sorter<T> = (a: T, b: T) => number;

const SERVICE_SORTERS: Record<string, Sorter<ServiceRow>> = {
	name: (a, b) => byText(a.name, b.name),
	rps: (a, b) => num(b.requestsPerSecond) - num(a.requestsPerSecond),
	err: (a, b) => num(b.errorRatio) - num(a.errorRatio),
	p95: (a, b) => num(b.latency.p95) - num(a.latency.p95),
	estab: (a, b) => b.connections.ESTABLISHED - a.connections.ESTABLISHED,
	cw: (a, b) => b.connections.CLOSE_WAIT - a.connections.CLOSE_WAIT,
};

function backendSorters(levels: ReadonlyMap<string, Severity>): Record<string, Sorter<BackendRow>> {
	const level = (r: BackendRow) => rank[levels.get(r.address) ?? 'plain'];
	return {
		alert: (a, b) => level(b) - level(a) || byText(a.service, b.service) || byText(a.address, b.address),
		service: (a, b) => byText(a.service, b.service) || byText(a.address, b.address),
		address: (a, b) => byText(a.address, b.address),
		estab: (a, b) => b.states.ESTABLISHED - a.states.ESTABLISHED,
		synSent: (a, b) => b.states.SYN_SENT - a.states.SYN_SENT,
		timeWait: (a, b) => b.states.TIME_WAIT - a.states.TIME_WAIT,
		closeWait: (a, b) => b.states.CLOSE_WAIT - a.states.CLOSE_WAIT || num(b.closeWaitOldestSeconds) - num(a.closeWaitOldestSeconds),
		twRatio: (a, b) => num(b.timeWaitRatio) - num(a.timeWaitRatio),
		retrans: (a, b) => b.retransmitting - a.retransmitting,
	};
}

function sortBy<T>(rows: readonly T[], sorter: Sorter<T> | undefined, reverse: boolean): T[] {
	const sorted = [...rows];
	if (sorter) sorted.sort(sorter);
	return reverse ? sorted.reverse() : sorted;
}

/** Services after the filter (on the name) and the sort. */
export function serviceRows(snapshot: Snapshot | null, view: ViewState): ServiceRow[] {
	const filter = compileFilter(view.filter);
	const rows = (snapshot?.services ?? []).filter((s) => filter.test(s.name));
	return sortBy(rows, SERVICE_SORTERS[view.sort.services], view.sort.reverse);
}

/** Backends after the filter (on service, address, host name) and the sort. */
export function backendRows(snapshot: Snapshot | null, view: ViewState, levels: ReadonlyMap<string, Severity>): BackendRow[] {
	const filter = compileFilter(view.filter);
	const rows = (snapshot?.backends ?? []).filter((b) => filter.test(`${b.services.join(' ')} ${b.address} ${b.hostname ?? ''}`));
	return sortBy(rows, backendSorters(levels)[view.sort.backends], view.sort.reverse);
}
