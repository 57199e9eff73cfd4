/** The services table: one definition per column (header, cell, sort, the rule that colours it). */
import type {ServiceLevelKey, ServiceRow} from '../../domain/snapshot.js';
import {alertRank, byNumber, byText, sortsOf, type Column, type TableDefinition} from '../table.js';
import {formatLatency, formatPercent, formatRate} from '../units.js';

export type ServiceColumnKey = 'name' | 'rps' | 'err' | 'err1m' | 'p50' | 'p95' | 'p99' | 'retry' | 'servers' | 'estab' | 'tw' | 'cw';

const columns: readonly Column<ServiceRow, ServiceColumnKey, ServiceLevelKey>[] = [
	{key: 'name', header: 'SERVICE', width: 30, min: 12, grow: 1, cell: (r) => r.name, sort: (a, b) => byText(a.name, b.name), sortDirection: 'asc'},
	{
		key: 'rps',
		header: 'REQ/S',
		width: 6,
		align: 'right',
		cell: (r) => formatRate(r.requestsPerSecond),
		sort: (a, b) => byNumber(a.requestsPerSecond, b.requestsPerSecond),
	},
	// Beside the mark, the figures its rules judge: 5xx over the last minute (error_ratio), latency
	// over the latency rule's window (latency_p95, 10 s by default). The last interval's 5xx share
	// comes after, dropped first when the width is short.
	{
		key: 'err1m',
		header: '5XX%1m',
		width: 6,
		align: 'right',
		level: 'errorRatioMinute',
		cell: (r) => formatPercent(r.errorRatioMinute),
		sort: (a, b) => byNumber(a.errorRatioMinute, b.errorRatioMinute),
	},
	{key: 'err', header: '5XX%', width: 5, align: 'right', priority: 4, cell: (r) => formatPercent(r.errorRatio)},
	{key: 'p50', header: 'P50', width: 6, align: 'right', priority: 3, cell: (r) => formatLatency(r.latencyRecent.p50)},
	{
		key: 'p95',
		header: 'P95',
		width: 6,
		align: 'right',
		level: 'p95Recent',
		cell: (r) => formatLatency(r.latencyRecent.p95),
		sort: (a, b) => byNumber(a.latencyRecent.p95, b.latencyRecent.p95),
	},
	{key: 'p99', header: 'P99', width: 6, align: 'right', priority: 2, cell: (r) => formatLatency(r.latencyRecent.p99)},
	// Attempts a retry middleware made again: what a backend that refuses costs the clients in time.
	{
		key: 'retry',
		header: 'RETRY/S',
		width: 7,
		align: 'right',
		priority: 5,
		level: 'retries',
		cell: (r) => formatRate(r.retriesPerSecond),
		sort: (a, b) => byNumber(a.retriesPerSecond, b.retriesPerSecond),
	},
	{
		key: 'servers',
		header: 'UP',
		width: 5,
		align: 'right',
		level: 'servers',
		cell: (r) => (r.servers.length === 0 ? '-' : `${r.serversUp}/${r.servers.length}`),
	},
	{
		key: 'estab',
		header: 'ESTAB',
		width: 5,
		align: 'right',
		cell: (r) => String(r.connections.ESTABLISHED),
		sort: (a, b) => b.connections.ESTABLISHED - a.connections.ESTABLISHED,
	},
	{key: 'tw', header: 'TIME_W', width: 6, align: 'right', priority: 1, cell: (r) => String(r.connections.TIME_WAIT)},
	{
		key: 'cw',
		header: 'CLOSE_W',
		width: 7,
		align: 'right',
		level: 'CLOSE_WAIT',
		cell: (r) => String(r.connections.CLOSE_WAIT),
		sort: (a, b) => b.connections.CLOSE_WAIT - a.connections.CLOSE_WAIT,
	},
];

/** Services with an active alert first (critical before warning), then by name. */
const byAlert = (a: ServiceRow, b: ServiceRow): number => alertRank(b) - alertRank(a) || byText(a.name, b.name);

export const SERVICES_TABLE: TableDefinition<ServiceRow, ServiceColumnKey, ServiceLevelKey> = {
	columns,
	sorts: sortsOf(columns, [{key: 'alert', compare: byAlert, direction: 'desc'}]),
};
