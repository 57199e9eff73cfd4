/** The request stream: one row per request of Traefik's access log, newest first. */
import type {Snapshot} from '../../domain/snapshot.js';
import {sortsOf, type Column, type TableDefinition} from '../table.js';
import {formatBytes, formatLatency} from '../units.js';

export type RequestRow = NonNullable<Snapshot['requests']>[number] & {readonly levels: Readonly<Partial<Record<'status' | 'duration', 'warn' | 'crit'>>>};

export type RequestColumnKey = 'time' | 'entryPoint' | 'router' | 'service' | 'server' | 'method' | 'target' | 'status' | 'duration' | 'retries' | 'size';

/** hh:mm:ss.mmm of an ISO time (the screen's clock is UTC, as the snapshot's). */
const clock = (at: string | null): string => (at === null ? '-' : at.slice(11, 23));
const status = (r: RequestRow): string => (r.originStatus !== null && r.originStatus !== r.status ? `${r.status}<${r.originStatus}` : String(r.status));
const duration = (r: RequestRow): string => {
	if (r.durationMs === null) return '-';
	const total = formatLatency(r.durationMs / 1000);
	return r.originMs === null ? total : `${total} (${formatLatency(r.originMs / 1000)})`;
};

const columns: readonly Column<RequestRow, RequestColumnKey, 'status' | 'duration'>[] = [
	{key: 'time', header: 'TIME', width: 12, priority: 1, cell: (r) => clock(r.at)},
	{key: 'entryPoint', header: 'EP', width: 8, min: 8, priority: 6, cell: (r) => r.entryPoint ?? '-'},
	{key: 'router', header: 'ROUTER', width: 14, min: 14, priority: 7, cell: (r) => r.router ?? '-'},
	{key: 'service', header: 'SERVICE', width: 16, min: 12, grow: 1, priority: 3, cell: (r) => r.service ?? '-'},
	{key: 'server', header: 'SERVER', width: 21, min: 21, priority: 1, cell: (r) => r.serverAddr ?? r.serverUrl ?? '-'},
	{key: 'method', header: 'METHOD', width: 6, priority: 3, cell: (r) => r.method},
	{key: 'target', header: 'HOST+PATH', width: 28, min: 20, grow: 2, cell: (r) => `${r.host}${r.path}`},
	{key: 'status', header: 'STATUS', width: 7, align: 'right', level: 'status', cell: status},
	{key: 'duration', header: 'TIME(ORIGIN)', width: 13, align: 'right', level: 'duration', priority: 1, cell: duration},
	{key: 'retries', header: 'RETRY', width: 5, align: 'right', priority: 4, cell: (r) => String(r.retries)},
	{key: 'size', header: 'SIZE', width: 7, align: 'right', priority: 5, cell: (r) => formatBytes(r.size)},
];

export const REQUESTS_TABLE: TableDefinition<RequestRow, RequestColumnKey, 'status' | 'duration'> = {columns, sorts: sortsOf(columns)};
