/** The rows of each table as the user asked for them: filtered, then sorted. Pure. */
import type {BackendRow, ServiceRow, Snapshot} from '../domain/snapshot.js';
import {BACKENDS_TABLE} from '../format/columns/backends.js';
import {SERVICES_TABLE} from '../format/columns/services.js';
import type {SortOrder} from '../format/table.js';
import {compileFilter, type ViewState} from './view-state.js';

function sortBy<T>(rows: readonly T[], sorts: readonly SortOrder<T>[], key: string, reverse: boolean): T[] {
	const sorted = [...rows];
	const order = sorts.find((s) => s.key === key);
	if (order) sorted.sort(order.compare);
	return reverse ? sorted.reverse() : sorted;
}

/** Services after the filter (on the name) and the sort. */
export function serviceRows(snapshot: Snapshot | null, view: ViewState): ServiceRow[] {
	const filter = compileFilter(view.filter);
	const rows = (snapshot?.services ?? []).filter((s) => filter.test(s.name));
	return sortBy(rows, SERVICES_TABLE.sorts, view.sort.services, view.sort.reverse);
}

/** Backends after the filter (on service, address, host name) and the sort. */
export function backendRows(snapshot: Snapshot | null, view: ViewState): BackendRow[] {
	const filter = compileFilter(view.filter);
	const rows = (snapshot?.backends ?? []).filter((b) => filter.test(`${b.services.join(' ')} ${b.address} ${b.hostname ?? ''}`));
	return sortBy(rows, BACKENDS_TABLE.sorts, view.sort.backends, view.sort.reverse);
}
