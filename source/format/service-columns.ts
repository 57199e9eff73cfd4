/** Column definitions of the services table. */
import type {ServiceRow} from '../model/snapshot-types.js';
import type {Column} from './table.js';
import {formatCount, formatLatency, formatPercent} from './units.js';

export const SERVICE_COLUMNS: readonly Column<ServiceRow>[] = [
	{key: 'name', header: 'SERVICE', width: 30, min: 12, grow: 1, cell: (r) => r.name},
	{key: 'rps', header: 'REQ/S', width: 6, align: 'right', cell: (r) => formatCount(r.requestsPerSecond)},
	{key: 'err', header: '5XX%', width: 5, align: 'right', cell: (r) => formatPercent(r.errorRatio)},
	{key: 'err1m', header: '5XX%1m', width: 6, align: 'right', priority: 4, cell: (r) => formatPercent(r.errorRatioMinute)},
	{key: 'p50', header: 'P50', width: 6, align: 'right', priority: 3, cell: (r) => formatLatency(r.latency.p50)},
	{key: 'p95', header: 'P95', width: 6, align: 'right', cell: (r) => formatLatency(r.latency.p95)},
	{key: 'p99', header: 'P99', width: 6, align: 'right', priority: 2, cell: (r) => formatLatency(r.latency.p99)},
	{key: 'servers', header: 'UP', width: 5, align: 'right', cell: (r) => (r.servers.length === 0 ? '-' : `${r.serversUp}/${r.servers.length}`)},
	{key: 'estab', header: 'ESTAB', width: 5, align: 'right', cell: (r) => String(r.connections.ESTABLISHED)},
	{key: 'tw', header: 'TIME_W', width: 6, align: 'right', priority: 1, cell: (r) => String(r.connections.TIME_WAIT)},
	{key: 'cw', header: 'CLOSE_W', width: 7, align: 'right', cell: (r) => String(r.connections.CLOSE_WAIT)},
];
