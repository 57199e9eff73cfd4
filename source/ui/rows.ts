/** The rows of each table as the user asked for them: filtered, then sorted. Pure. */
import type {BackendRow, ServiceRow, Snapshot} from '../domain/snapshot.js';
import {BACKENDS_TABLE} from '../format/columns/backends.js';
import {SERVICES_TABLE} from '../format/columns/services.js';
import type {RequestRow} from '../format/columns/requests.js';
import {INSTANCES_TABLE, instanceTableRows, type InstanceRow} from '../format/columns/instances.js';
import type {SortDirection, SortOrder} from '../format/table.js';
import {compileFilter, type TableSort, type ViewState} from './view-state.js';

function sortBy<T>(rows: readonly T[], sorts: readonly SortOrder<T>[], sort: TableSort): T[] {
	const sorted = [...rows];
	const order = sorts.find((s) => s.key === sort.key);
	if (order) sorted.sort(order.compare);
	return sort.reverse ? sorted.reverse() : sorted;
}

/** The direction the rows of a table are in: its sort's own, or the other way when reversed. */
export function sortDirection(sorts: readonly {readonly key: string; readonly direction: SortDirection}[], sort: TableSort): SortDirection {
	const natural = sorts.find((s) => s.key === sort.key)?.direction ?? 'desc';
	return sort.reverse ? (natural === 'asc' ? 'desc' : 'asc') : natural;
}

/** Services after the filter (on the name) and the sort. */
export function serviceRows(snapshot: Snapshot | null, view: ViewState): ServiceRow[] {
	const filter = compileFilter(view.filter);
	const rows = (snapshot?.services ?? []).filter((s) => filter.test(s.name));
	return sortBy(rows, SERVICES_TABLE.sorts, view.sort.services);
}

/** Backends after the filter (on service, address, host name) and the sort. */
export function backendRows(snapshot: Snapshot | null, view: ViewState): BackendRow[] {
	const filter = compileFilter(view.filter);
	const rows = (snapshot?.backends ?? []).filter((b) => filter.test(`${b.services.join(' ')} ${b.address} ${b.hostname ?? ''}`));
	return sortBy(rows, BACKENDS_TABLE.sorts, view.sort.backends);
}

/** Instances after the filter (on the name) and the sort; with a pinned service, its split on each. */
export function instanceRows(snapshot: Snapshot | null, view: ViewState): InstanceRow[] {
	const filter = compileFilter(view.filter);
	return sortBy(
		instanceTableRows(snapshot).filter((i) => filter.test(i.name)),
		INSTANCES_TABLE.sorts,
		view.sort.instances,
	);
}

/**
 * The request stream as the view asks: the filter (on service, server, host and path, status),
 * errors only, slow only (above the latency rule's bound), one server's; each row's levels.
 */
export function requestRows(snapshot: Snapshot | null, view: ViewState, boundSeconds: number | undefined): RequestRow[] {
	const filter = compileFilter(view.filter);
	const slowMs = boundSeconds === undefined ? Number.POSITIVE_INFINITY : boundSeconds * 1000;
	const out: RequestRow[] = [];
	for (const r of snapshot?.requests ?? []) {
		if (view.requestErrors === '5xx' && r.status < 500) continue;
		if (view.requestErrors === '4xx+5xx' && r.status < 400) continue;
		if (view.requestSlow && !(r.durationMs !== null && r.durationMs > slowMs)) continue;
		if (view.requestServer !== null && r.serverAddr !== view.requestServer && r.serverUrl?.includes(view.requestServer) !== true) continue;
		if (!filter.test(`${r.service ?? ''} ${r.serverAddr ?? r.serverUrl ?? ''} ${r.host}${r.path} ${r.status}`)) continue;
		const status = r.status >= 500 ? 'crit' : r.status >= 400 ? 'warn' : undefined;
		const duration = r.durationMs !== null && r.durationMs > slowMs ? 'warn' : undefined;
		out.push({...r, levels: {...(status ? {status} : {}), ...(duration ? {duration} : {})}});
	}
	return out;
}
