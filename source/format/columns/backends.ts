/** The backends table: every TCP state, CLOSE_WAIT age, TIME_WAIT ratio, queues, retransmits, per column. */
import type {BackendLevelKey, BackendRow} from '../../domain/snapshot.js';
import {alertRank, byNumber, byText, sortsOf, type Column, type TableDefinition} from '../table.js';
import {formatAge, formatBytes, formatLatency, formatPercent, formatRate} from '../units.js';

export type BackendColumnKey =
	| 'instance'
	| 'service'
	| 'address'
	| 'status'
	| 'estab'
	| 'synSent'
	| 'timeWait'
	| 'closeWait'
	| 'closeWaitAge'
	| 'finWait'
	| 'other'
	| 'twRatio'
	| 'sendQ'
	| 'recvQ'
	| 'retrans'
	| 'reqRate'
	| 'reqErr'
	| 'reqP95';

const other = (r: BackendRow): number => r.states.SYN_RECV + r.states.CLOSE + r.states.LAST_ACK + r.states.CLOSING;
const byService = (a: BackendRow, b: BackendRow): number => byText(a.service, b.service) || byText(a.address, b.address);

const columns: readonly Column<BackendRow, BackendColumnKey, BackendLevelKey>[] = [
	{
		key: 'service',
		header: 'SERVICE',
		width: 24,
		min: 11,
		grow: 2,
		cell: (r) => (r.services.length > 1 ? `${r.service} +${r.services.length - 1}` : r.service),
		sort: byService,
		sortDirection: 'asc',
	},
	{key: 'address', header: 'BACKEND', width: 21, min: 16, grow: 1, cell: (r) => r.address, sort: (a, b) => byText(a.address, b.address), sortDirection: 'asc'},
	{
		key: 'status',
		header: 'STATUS',
		width: 6,
		priority: 5,
		level: 'status',
		cell: (r) => (r.status === 'unknown' ? '-' : r.statusStale ? `${r.status}?` : r.status),
	},
	{
		key: 'estab',
		header: 'ESTAB',
		width: 5,
		align: 'right',
		level: 'ESTABLISHED',
		cell: (r) => String(r.states.ESTABLISHED),
		sort: (a, b) => b.states.ESTABLISHED - a.states.ESTABLISHED,
	},
	{
		key: 'synSent',
		header: 'SYN_S',
		width: 5,
		align: 'right',
		level: 'SYN_SENT',
		cell: (r) => String(r.states.SYN_SENT),
		sort: (a, b) => b.states.SYN_SENT - a.states.SYN_SENT,
	},
	{
		key: 'timeWait',
		header: 'TIME_W',
		width: 6,
		align: 'right',
		level: 'TIME_WAIT',
		cell: (r) => String(r.states.TIME_WAIT),
		sort: (a, b) => b.states.TIME_WAIT - a.states.TIME_WAIT,
	},
	{
		key: 'closeWait',
		header: 'CLOSE_W',
		width: 7,
		align: 'right',
		level: 'CLOSE_WAIT',
		cell: (r) => String(r.states.CLOSE_WAIT),
		sort: (a, b) => b.states.CLOSE_WAIT - a.states.CLOSE_WAIT || byNumber(a.closeWaitOldestSeconds, b.closeWaitOldestSeconds),
	},
	{
		key: 'closeWaitAge',
		header: 'CW_AGE',
		width: 6,
		align: 'right',
		priority: 3,
		level: 'closeWaitOldestSeconds',
		cell: (r) => formatAge(r.closeWaitOldestSeconds),
	},
	{key: 'finWait', header: 'FIN_W', width: 5, align: 'right', priority: 4, cell: (r) => String(r.states.FIN_WAIT1 + r.states.FIN_WAIT2)},
	{key: 'other', header: 'OTHER', width: 5, align: 'right', priority: 6, cell: (r) => String(other(r))},
	{
		key: 'twRatio',
		header: 'TW%',
		width: 4,
		align: 'right',
		priority: 2,
		level: 'timeWaitRatio',
		cell: (r) => formatPercent(r.timeWaitRatio),
		sort: (a, b) => byNumber(a.timeWaitRatio, b.timeWaitRatio),
	},
	{key: 'sendQ', header: 'SEND-Q', width: 7, align: 'right', priority: 7, cell: (r) => formatBytes(r.txQueueBytes)},
	{key: 'recvQ', header: 'RECV-Q', width: 7, align: 'right', priority: 8, cell: (r) => formatBytes(r.rxQueueBytes)},
	{
		key: 'retrans',
		header: 'RETR',
		width: 4,
		align: 'right',
		priority: 3,
		level: 'retransmitting',
		cell: (r) => String(r.retransmitting),
		sort: (a, b) => b.retransmitting - a.retransmitting,
	},
	// This server's requests in the access log (--access-log): the one place where the kernel's
	// states and a server's own latency sit side by side. Dropped first when the width is short.
	{
		key: 'reqRate',
		header: 'S-REQ/S',
		width: 7,
		align: 'right',
		priority: 11,
		cell: (r) => formatRate(r.requests?.requestsPerSecond),
		sort: (a, b) => byNumber(a.requests?.requestsPerSecond ?? null, b.requests?.requestsPerSecond ?? null),
	},
	{
		key: 'reqErr',
		header: 'S-5XX%',
		width: 6,
		align: 'right',
		priority: 9,
		level: 'serverErrorRatio',
		cell: (r) => formatPercent(r.requests?.errorRatio),
		sort: (a, b) => byNumber(a.requests?.errorRatio ?? null, b.requests?.errorRatio ?? null),
	},
	{
		key: 'reqP95',
		header: 'S-P95',
		width: 6,
		align: 'right',
		priority: 10,
		level: 'serverP95',
		cell: (r) => formatLatency(r.requests?.p95),
		sort: (a, b) => byNumber(a.requests?.p95 ?? null, b.requests?.p95 ?? null),
	},
];

/** Rows with an active alert first (critical before warning), then by service. */
const byAlert = (a: BackendRow, b: BackendRow): number => alertRank(b) - alertRank(a) || byService(a, b);

/** The columns of a server's own requests, shown only when the access log gives them. */
const SERVER_REQUEST_COLUMNS: ReadonlySet<BackendColumnKey> = new Set(['reqRate', 'reqErr', 'reqP95']);
const KERNEL_COLUMNS = columns.filter((c) => !SERVER_REQUEST_COLUMNS.has(c.key));

/** The columns for these rows: a server's own figures only when some row has them (without an access log, no columns of dashes). */
/** The instance a row's connections are of: shown first with several instances (TCP states are per host and process). */
const INSTANCE_COLUMN: Column<BackendRow, BackendColumnKey, BackendLevelKey> = {
	key: 'instance',
	header: 'INSTANCE',
	width: 10,
	min: 6,
	cell: (r) => r.instance ?? '',
	sort: (a, b) => byText(a.instance ?? '', b.instance ?? '') || byService(a, b),
	sortDirection: 'asc',
};

export function backendColumns(rows: readonly BackendRow[]): readonly Column<BackendRow, BackendColumnKey, BackendLevelKey>[] {
	const chosen = rows.some((r) => r.requests !== undefined) ? columns : KERNEL_COLUMNS;
	return rows.some((r) => r.instance !== undefined) ? [INSTANCE_COLUMN, ...chosen] : chosen;
}

export const BACKENDS_TABLE: TableDefinition<BackendRow, BackendColumnKey, BackendLevelKey> = {
	columns,
	sorts: sortsOf(columns, [{key: 'alert', compare: byAlert, direction: 'desc'}]),
};
