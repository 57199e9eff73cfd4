/** The entry-points table: inbound client connections by state, and Traefik's request figures. */
import type {EntryPointRow} from '../../domain/snapshot.js';
import {sortsOf, type Column, type TableDefinition} from '../table.js';
import {formatPercent, formatRate} from '../units.js';

export type EntryPointColumnKey = 'name' | 'port' | 'estab' | 'synRecv' | 'timeWait' | 'closeWait' | 'finWait' | 'other' | 'open' | 'rps' | 'err';

const columns: readonly Column<EntryPointRow, EntryPointColumnKey, never>[] = [
	{key: 'name', header: 'ENTRYPOINT', width: 14, min: 8, grow: 1, cell: (r) => r.name},
	{key: 'port', header: 'PORT', width: 5, align: 'right', cell: (r) => (r.port === null ? '-' : String(r.port))},
	{key: 'estab', header: 'ESTAB', width: 6, align: 'right', cell: (r) => String(r.states.ESTABLISHED)},
	{key: 'synRecv', header: 'SYN_R', width: 5, align: 'right', cell: (r) => String(r.states.SYN_RECV)},
	{key: 'timeWait', header: 'TIME_W', width: 6, align: 'right', cell: (r) => String(r.states.TIME_WAIT)},
	{key: 'closeWait', header: 'CLOSE_W', width: 7, align: 'right', cell: (r) => String(r.states.CLOSE_WAIT)},
	{key: 'finWait', header: 'FIN_W', width: 5, align: 'right', priority: 2, cell: (r) => String(r.states.FIN_WAIT1 + r.states.FIN_WAIT2)},
	{
		key: 'other',
		header: 'OTHER',
		width: 5,
		align: 'right',
		priority: 3,
		cell: (r) => String(r.states.SYN_SENT + r.states.CLOSE + r.states.LAST_ACK + r.states.CLOSING),
	},
	{
		key: 'open',
		header: 'OPEN(T)',
		width: 7,
		align: 'right',
		priority: 1,
		cell: (r) => (r.openConnections === undefined || r.openConnections === null ? '-' : String(r.openConnections)),
	},
	{key: 'rps', header: 'REQ/S', width: 6, align: 'right', priority: 4, cell: (r) => formatRate(r.requestsPerSecond)},
	{key: 'err', header: '5XX%', width: 5, align: 'right', priority: 5, cell: (r) => formatPercent(r.errorRatio)},
];

export const ENTRYPOINTS_TABLE: TableDefinition<EntryPointRow, EntryPointColumnKey, never> = {columns, sorts: sortsOf(columns)};
