/** Column definitions of the backends and entry-points tables, shared by the report and the screen. */
import type {BackendRow, EntryPointRow} from '../model/snapshot-types.js';
import type {Column} from './table.js';
import {formatAge, formatBytes, formatCount, formatPercent} from './units.js';

const other = (r: BackendRow | EntryPointRow): number => r.states.SYN_RECV + r.states.CLOSE + r.states.LAST_ACK + r.states.CLOSING;
const num = (n: number): string => String(n);

/** The backends table: every state, CLOSE_WAIT age, TIME_WAIT ratio, queues, retransmits. */
export const BACKEND_COLUMNS: readonly Column<BackendRow>[] = [
	{key: 'service', header: 'SERVICE', width: 24, min: 11, grow: 2, cell: (r) => (r.services.length > 1 ? `${r.service} +${r.services.length - 1}` : r.service)},
	{key: 'address', header: 'BACKEND', width: 21, min: 15, grow: 1, cell: (r) => r.address},
	{key: 'status', header: 'STATUS', width: 6, priority: 5, cell: (r) => (r.status === 'unknown' ? '-' : r.status)},
	{key: 'estab', header: 'ESTAB', width: 5, align: 'right', cell: (r) => num(r.states.ESTABLISHED)},
	{key: 'synSent', header: 'SYN_S', width: 5, align: 'right', cell: (r) => num(r.states.SYN_SENT)},
	{key: 'timeWait', header: 'TIME_W', width: 6, align: 'right', cell: (r) => num(r.states.TIME_WAIT)},
	{key: 'closeWait', header: 'CLOSE_W', width: 7, align: 'right', cell: (r) => num(r.states.CLOSE_WAIT)},
	{key: 'closeWaitAge', header: 'CW_AGE', width: 6, align: 'right', priority: 3, cell: (r) => formatAge(r.closeWaitOldestSeconds)},
	{key: 'finWait', header: 'FIN_W', width: 5, align: 'right', priority: 4, cell: (r) => num(r.states.FIN_WAIT1 + r.states.FIN_WAIT2)},
	{key: 'other', header: 'OTHER', width: 5, align: 'right', priority: 6, cell: (r) => num(other(r))},
	{key: 'twRatio', header: 'TW%', width: 4, align: 'right', priority: 2, cell: (r) => formatPercent(r.timeWaitRatio)},
	{key: 'sendQ', header: 'SEND-Q', width: 6, align: 'right', priority: 7, cell: (r) => formatBytes(r.txQueueBytes)},
	{key: 'recvQ', header: 'RECV-Q', width: 6, align: 'right', priority: 8, cell: (r) => formatBytes(r.rxQueueBytes)},
	{key: 'retrans', header: 'RETR', width: 4, align: 'right', priority: 3, cell: (r) => num(r.retransmitting)},
];

/** The entry-points table: inbound client connections by state. */
export const ENTRYPOINT_COLUMNS: readonly Column<EntryPointRow>[] = [
	{key: 'name', header: 'ENTRYPOINT', width: 14, min: 8, grow: 1, cell: (r) => r.name},
	{key: 'port', header: 'PORT', width: 5, align: 'right', cell: (r) => (r.port === null ? '-' : String(r.port))},
	{key: 'estab', header: 'ESTAB', width: 6, align: 'right', cell: (r) => num(r.states.ESTABLISHED)},
	{key: 'synRecv', header: 'SYN_R', width: 5, align: 'right', cell: (r) => num(r.states.SYN_RECV)},
	{key: 'timeWait', header: 'TIME_W', width: 6, align: 'right', cell: (r) => num(r.states.TIME_WAIT)},
	{key: 'closeWait', header: 'CLOSE_W', width: 7, align: 'right', cell: (r) => num(r.states.CLOSE_WAIT)},
	{key: 'finWait', header: 'FIN_W', width: 5, align: 'right', priority: 2, cell: (r) => num(r.states.FIN_WAIT1 + r.states.FIN_WAIT2)},
	{
		key: 'other',
		header: 'OTHER',
		width: 5,
		align: 'right',
		priority: 3,
		cell: (r) => num(r.states.SYN_SENT + r.states.CLOSE + r.states.LAST_ACK + r.states.CLOSING),
	},
	{
		key: 'open',
		header: 'OPEN(T)',
		width: 7,
		align: 'right',
		priority: 1,
		cell: (r) => (r.openConnections === undefined || r.openConnections === null ? '-' : num(r.openConnections)),
	},
	{key: 'rps', header: 'REQ/S', width: 6, align: 'right', priority: 4, cell: (r) => formatCount(r.requestsPerSecond)},
	{key: 'err', header: '5XX%', width: 5, align: 'right', priority: 5, cell: (r) => formatPercent(r.errorRatio)},
];
