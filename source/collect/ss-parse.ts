/**
 * Parser for `ss -tanHeo` (iproute2): the kernel's TCP sockets through a netlink sock_diag query,
 * as the same TcpSocket the /proc parser gives. Used when a filtered query is cheaper than the
 * whole table (see ProcReader), so the output is small by design: a plain split per line.
 *
 * A line: `STATE RECV-Q SEND-Q LOCAL PEER [timer:(NAME,WHEN,COUNT)] [uid:N] [ino:N] [sk:X] ...`.
 * ss leaves uid out when it is 0, and prints `*` for a wildcard address or port.
 */
import {parseIpLiteral} from '../domain/address.js';
import type {InodeLookup, IpAddress, TcpSocket, TcpState, TcpTable} from '../domain/tcp.js';

/** ss's state names (ss.c, sstate_name) -> the kernel's. */
const STATES: Readonly<Record<string, TcpState>> = {
	ESTAB: 'ESTABLISHED',
	'SYN-SENT': 'SYN_SENT',
	'SYN-RECV': 'SYN_RECV',
	'FIN-WAIT-1': 'FIN_WAIT1',
	'FIN-WAIT-2': 'FIN_WAIT2',
	'TIME-WAIT': 'TIME_WAIT',
	UNCONN: 'CLOSE',
	'CLOSE-WAIT': 'CLOSE_WAIT',
	'LAST-ACK': 'LAST_ACK',
	LISTEN: 'LISTEN',
	CLOSING: 'CLOSING',
};

/** ss's timer names -> /proc's `tr` codes. */
const TIMERS: Readonly<Record<string, number>> = {on: 1, keepalive: 2, timewait: 3, persist: 4};

/** `ADDR:PORT`, `[ADDR]:PORT`, `ADDR%IFACE:PORT`, `*:PORT`, `ADDR:*`. */
export function parseSsEndpoint(text: string): {ip: IpAddress; port: number} | undefined {
	const colon = text.lastIndexOf(':');
	if (colon <= 0) return undefined;
	const host = text.slice(0, colon);
	const portText = text.slice(colon + 1);
	const port = portText === '*' ? 0 : Number(portText);
	if (portText === '' || !Number.isInteger(port) || port < 0 || port > 65535) return undefined;
	const ip = host === '*' ? 0 : parseIpLiteral(host);
	return ip === undefined ? undefined : {ip, port};
}

const count = (text: string): number => {
	const n = Number(text);
	return Number.isInteger(n) && n >= 0 ? n : Number.NaN;
};

/**
 * Parses the lines of `ss -tanHeo`. With `owned`, other processes' sockets are only counted in
 * `foreign`, as the /proc parser does. The count of the timer (the third field) is the number of
 * retransmissions when the timer is the retransmit timer ("on"), as /proc's retrnsmt column is.
 */
export function parseSs(text: string, owned: InodeLookup | null = null): TcpTable {
	const sockets: TcpSocket[] = [];
	let malformed = 0;
	let foreign = 0;
	for (const line of text.split('\n')) {
		const fields = line.trim().split(/\s+/);
		if (fields.length === 1 && fields[0] === '') continue;
		const state = STATES[fields[0] ?? ''];
		const rxQueue = count(fields[1] ?? '');
		const txQueue = count(fields[2] ?? '');
		const local = parseSsEndpoint(fields[3] ?? '');
		const remote = parseSsEndpoint(fields[4] ?? '');
		if (state === undefined || Number.isNaN(rxQueue) || Number.isNaN(txQueue) || local === undefined || remote === undefined) {
			malformed++;
			continue;
		}
		let timer = 0;
		let retransmits = 0;
		let uid = 0;
		let inode = 0;
		for (let i = 5; i < fields.length; i++) {
			const field = fields[i]!;
			if (field.startsWith('timer:(') && field.endsWith(')')) {
				const [name = '', , times = '0'] = field.slice(7, -1).split(',');
				timer = TIMERS[name] ?? 0;
				if (timer === 1) retransmits = count(times) || 0;
			} else if (field.startsWith('uid:')) uid = count(field.slice(4)) || 0;
			else if (field.startsWith('ino:')) inode = count(field.slice(4)) || 0;
		}
		if (owned !== null && inode !== 0 && !owned.has(inode)) {
			foreign++;
			continue;
		}
		sockets.push({
			localIp: local.ip,
			localPort: local.port,
			remoteIp: remote.ip,
			remotePort: remote.port,
			state,
			txQueue,
			rxQueue,
			timer,
			retransmits,
			uid,
			inode,
		});
	}
	return {sockets, malformed, foreign};
}

/** The filter of a query for the sockets to these backend ports and on these entry-point ports. */
export function ssFilter(backendPorts: Iterable<number>, entryPorts: Iterable<number>): string {
	const terms = [...[...new Set(backendPorts)].map((p) => `dport = :${p}`), ...[...new Set(entryPorts)].map((p) => `sport = :${p}`)];
	return `( ${terms.join(' or ')} )`;
}
