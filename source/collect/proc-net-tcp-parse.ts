/**
 * Parser for the kernel's /proc/net/tcp and /proc/net/tcp6 text (net/ipv4/tcp_ipv4.c,
 * net/ipv6/tcp_ipv6.c). It runs every poll over tables that may hold 100k rows, so it walks the
 * bytes once, builds no substrings for IPv4 and never uses a regex.
 */
import {formatIpv6Bytes} from '../domain/address.js';
import {TCP_STATES, type InodeLookup, type IpAddress, type QuietConnections, type TcpSocket, type TcpState, type TcpTable} from '../domain/tcp.js';

const SPACE = 0x20;
const NEWLINE = 0x0a;
const COLON = 0x3a;

/** Hex digit values by byte, -1 for anything else. */
const HEX = new Int8Array(256).fill(-1);
for (let c = 0; c < 10; c++) HEX[0x30 + c] = c;
for (let c = 0; c < 6; c++) {
	HEX[0x41 + c] = 10 + c;
	HEX[0x61 + c] = 10 + c;
}

/** Value of two hex digits by the pair of bytes (first << 8 | second), -1 when either is not one. */
const HEX_PAIR = new Int16Array(65536).fill(-1);
for (let hi = 0; hi < 256; hi++) {
	if (HEX[hi]! < 0) continue;
	for (let lo = 0; lo < 256; lo++) if (HEX[lo]! >= 0) HEX_PAIR[(hi << 8) | lo] = (HEX[hi]! << 4) | HEX[lo]!;
}

/** Value of `count` hex digits at `p`, or -1 if one is not a hex digit. */
function hexAt(b: Uint8Array, p: number, count: number): number {
	let value = 0;
	for (let i = 0; i < count; i++) {
		const d = HEX[b[p + i]!]!;
		if (d < 0) return -1;
		value = value * 16 + d;
	}
	return value;
}

/** Two hex digits at `p`, or -1. */
function hex2(b: Uint8Array, p: number): number {
	return HEX_PAIR[(b[p]! << 8) | b[p + 1]!]!;
}

/** End of the run of hex digits starting at `p` (at most `end`). */
function hexEnd(b: Uint8Array, p: number, end: number): number {
	while (p < end && HEX[b[p]!]! >= 0) p++;
	return p;
}

function skipSpaces(b: Uint8Array, p: number, end: number): number {
	while (p < end && (b[p] === SPACE || b[p] === 0x09)) p++;
	return p;
}

/** End of a run of decimal digits (one leading minus allowed). */
function decimalEnd(b: Uint8Array, p: number, end: number): number {
	if (p < end && b[p] === 0x2d) p++;
	while (p < end && b[p]! >= 0x30 && b[p]! <= 0x39) p++;
	return p;
}

function decimalValue(b: Uint8Array, p: number, end: number): number {
	const negative = b[p] === 0x2d;
	if (negative) p++;
	if (p >= end) return Number.NaN;
	let value = 0;
	for (; p < end; p++) value = value * 10 + (b[p]! - 0x30);
	return negative ? -value : value;
}

/** Turns a 32-bit word printed in host order into an IPv4 number in network order. */
function wordToIpv4(word: number, littleEndian: boolean): number {
	if (!littleEndian) return word >>> 0;
	return (((word & 0xff) << 24) | (((word >>> 8) & 0xff) << 16) | (((word >>> 16) & 0xff) << 8) | (word >>> 24)) >>> 0;
}

const v6Bytes = new Array<number>(16);

/** The IPv6 address of 32 hex digits at `p`; IPv4-mapped ones come back as IPv4 numbers. */
function ipv6At(b: Uint8Array, p: number, littleEndian: boolean): IpAddress | undefined {
	const w0 = hexAt(b, p, 8);
	const w1 = hexAt(b, p + 8, 8);
	const w2 = hexAt(b, p + 16, 8);
	const w3 = hexAt(b, p + 24, 8);
	if (w0 < 0 || w1 < 0 || w2 < 0 || w3 < 0) return undefined;
	const mappedMarker = littleEndian ? 0xffff0000 : 0x0000ffff;
	if (w0 === 0 && w1 === 0 && w2 === mappedMarker) return wordToIpv4(w3, littleEndian);
	const words = [w0, w1, w2, w3];
	for (let i = 0; i < 4; i++) {
		const w = words[i]!;
		for (let k = 0; k < 4; k++) v6Bytes[i * 4 + k] = (w >>> (littleEndian ? k * 8 : (3 - k) * 8)) & 0xff;
	}
	return formatIpv6Bytes(v6Bytes);
}

/** A number right-aligned in [start, end): spaces, an optional minus, digits to the end; NaN otherwise. */
function paddedDecimal(b: Uint8Array, start: number, end: number): number {
	let p = start;
	while (p < end && b[p] === SPACE) p++;
	const digitsEnd = decimalEnd(b, p, end);
	return digitsEnd === end ? decimalValue(b, p, end) : Number.NaN;
}

/** Four '0' characters as one big-endian word. */
const ZEROS = 0x30303030;

/**
 * Eight hex digits at `p` read as two big-endian words, or -1. Queues and retransmission counts
 * are almost always "00000000": two word compares instead of eight byte decodes.
 */
function word8(dv: DataView, p: number): number {
	const high = dv.getUint32(p);
	const low = dv.getUint32(p + 4);
	if (high === ZEROS && low === ZEROS) return 0;
	const h0 = HEX_PAIR[high >>> 16]!;
	const h1 = HEX_PAIR[high & 0xffff]!;
	const h2 = HEX_PAIR[low >>> 16]!;
	const h3 = HEX_PAIR[low & 0xffff]!;
	return (h0 | h1 | h2 | h3) < 0 ? -1 : ((h0 << 8) | h1) * 65536 + ((h2 << 8) | h3);
}

/** Four hex digits at `p` from one word, or -1. */
function word4(dv: DataView, p: number): number {
	const word = dv.getUint32(p);
	const hi = HEX_PAIR[word >>> 16]!;
	const lo = HEX_PAIR[word & 0xffff]!;
	return (hi | lo) < 0 ? -1 : (hi << 8) | lo;
}

/** Counts a quiet connection in the columns. */
function addQuiet(quiet: QuietConnections, remoteIp: number, remotePort: number, localPort: number): true {
	quiet.remoteIp.push(remoteIp);
	quiet.remotePort.push(remotePort);
	quiet.localPort.push(localPort);
	return true;
}

/**
 * The socket of one row, built in this one place for both paths (V8 then gives every socket one
 * shape), or `true` when it went to `quiet`: an ESTABLISHED connection to an IPv4 address (IPv4-mapped
 * included) with nothing queued and no retransmission.
 */
function socketOf(
	quiet: QuietConnections | null,
	localIp: IpAddress,
	localPort: number,
	remoteIp: IpAddress,
	remotePort: number,
	state: TcpState,
	txQueue: number,
	rxQueue: number,
	timer: number,
	retransmits: number,
	uid: number,
	inode: number,
): TcpSocket | true {
	if (quiet !== null && state === 'ESTABLISHED' && typeof remoteIp === 'number' && txQueue === 0 && rxQueue === 0 && retransmits === 0)
		return addQuiet(quiet, remoteIp, remotePort, localPort);
	return {localIp, localPort, remoteIp, remotePort, state, txQueue, rxQueue, timer, retransmits, uid, inode};
}

/** Column offsets of an IPv4 row after "sl: " as the kernel prints it (fixed widths). */
const COLUMN = {
	localPort: 9,
	remote: 14,
	remotePort: 23,
	state: 28,
	tx: 31,
	rx: 40,
	timer: 49,
	retransmits: 61,
	rest: 69,
	uid: 70,
	timeout: 76,
	inode: 85,
} as const;

/**
 * The fast path: an IPv4 row in the kernel's exact fixed-width layout ("%5u %8d %lu" for uid,
 * timeout and inode), read at known offsets. The inode comes first, so another process's row costs
 * a few compares and one lookup. Returns the socket, `true` when it went to `quiet`, `false` for
 * another process's row, undefined for a malformed one, and null when the row deviates from the
 * layout in any way (the general scanner then decides).
 */
function parseCanonicalIpv4(
	b: Uint8Array,
	dv: DataView,
	p: number,
	end: number,
	littleEndian: boolean,
	owned: InodeLookup | null,
	quiet: QuietConnections | null,
): TcpSocket | null | undefined | false | true {
	if (p + COLUMN.inode + 1 > end || b[p + 84] !== SPACE) return null;
	let q = p + COLUMN.inode;
	let inode = 0;
	for (; q < end; q++) {
		const digit = b[q]! - 0x30;
		if (digit < 0 || digit > 9) break;
		inode = inode * 10 + digit;
	}
	if (q === p + COLUMN.inode || (q < end && b[q] !== SPACE)) return null;
	// Another process's socket: not worth the rest of the row (TIME_WAIT has inode 0, no owner).
	if (owned !== null && inode !== 0 && !owned.has(inode)) return false;
	// Written out: a loop over an offsets table costs more than the rest of the row.
	if (b[p + 8] !== COLON || b[p + 13] !== SPACE || b[p + 22] !== COLON || b[p + 27] !== SPACE || b[p + 30] !== SPACE) return null;
	if (b[p + 39] !== COLON || b[p + 48] !== SPACE || b[p + 51] !== COLON || b[p + 60] !== SPACE || b[p + 69] !== SPACE || b[p + 75] !== SPACE) return null;
	const uid = paddedDecimal(b, p + COLUMN.uid, p + COLUMN.uid + 5);
	// The timeout, like tm->when, is not reported: its column must end in a digit, its value is not read.
	const timeoutLast = b[p + COLUMN.timeout + 7]!;
	if (Number.isNaN(uid) || timeoutLast < 0x30 || timeoutLast > 0x39) return undefined;
	const localWord = word8(dv, p);
	const localPort = word4(dv, p + COLUMN.localPort);
	const remoteWord = word8(dv, p + COLUMN.remote);
	const remotePort = word4(dv, p + COLUMN.remotePort);
	const stateCode = hex2(b, p + COLUMN.state);
	const txQueue = word8(dv, p + COLUMN.tx);
	const rxQueue = word8(dv, p + COLUMN.rx);
	const timer = hex2(b, p + COLUMN.timer);
	// tm->when is not used: its width was checked with the separators, its digits are not read.
	const retransmits = word8(dv, p + COLUMN.retransmits);
	const state = TCP_STATES[stateCode - 1];
	// 32-bit words are compared one by one: OR-ing them would read 0x80000000 and up as negative.
	if (localWord < 0 || remoteWord < 0 || txQueue < 0 || rxQueue < 0 || retransmits < 0 || (localPort | remotePort | timer) < 0 || state === undefined)
		return null;
	// socketOf's quiet test, made here first: the busiest kind of row then costs no call.
	if (quiet !== null && state === 'ESTABLISHED' && txQueue === 0 && rxQueue === 0 && retransmits === 0)
		return addQuiet(quiet, wordToIpv4(remoteWord, littleEndian), remotePort, localPort);
	return socketOf(
		null,
		wordToIpv4(localWord, littleEndian),
		localPort,
		wordToIpv4(remoteWord, littleEndian),
		remotePort,
		state,
		txQueue,
		rxQueue,
		timer,
		retransmits,
		uid,
		inode,
	);
}

/**
 * Parses one data row in [p, end); undefined when malformed. The kernel prints
 * "sl: local rem st tx:rx tr:when retrnsmt uid timeout inode ..." (widths vary: sl, when, uid).
 */
function parseRow(
	b: Uint8Array,
	dv: DataView,
	p: number,
	end: number,
	ipv6: boolean,
	littleEndian: boolean,
	owned: InodeLookup | null,
	quiet: QuietConnections | null,
): TcpSocket | undefined | false | true {
	// sl: (`p` is at its first digit)
	const slEnd = decimalEnd(b, p, end);
	if (slEnd === p || b[slEnd] !== COLON) return undefined;
	p = skipSpaces(b, slEnd + 1, end);
	// local and remote "ADDR:PORT"
	const addrLength = ipv6 ? 32 : 8;
	if (!ipv6) {
		const fast = parseCanonicalIpv4(b, dv, p, end, littleEndian, owned, quiet);
		if (fast !== null) return fast;
	}
	if (p + 2 * (addrLength + 5) + 1 > end || b[p + addrLength] !== COLON) return undefined;
	const localIp = ipv6 ? ipv6At(b, p, littleEndian) : hexAt(b, p, 8);
	const localPort = hexAt(b, p + addrLength + 1, 4);
	p = skipSpaces(b, p + addrLength + 5, end);
	if (p + addrLength + 5 > end || b[p + addrLength] !== COLON) return undefined;
	const remoteIp = ipv6 ? ipv6At(b, p, littleEndian) : hexAt(b, p, 8);
	const remotePort = hexAt(b, p + addrLength + 1, 4);
	p = skipSpaces(b, p + addrLength + 5, end);
	if (localIp === undefined || remoteIp === undefined || localIp === -1 || remoteIp === -1 || localPort < 0 || remotePort < 0) return undefined;
	// st
	const state = TCP_STATES[hexAt(b, p, 2) - 1];
	if (state === undefined || (b[p + 2] !== SPACE && b[p + 2] !== 0x09)) return undefined;
	p = skipSpaces(b, p + 2, end);
	// tx_queue:rx_queue
	let q = hexEnd(b, p, end);
	if (q === p || q - p > 16 || b[q] !== COLON) return undefined;
	const txQueue = hexAt(b, p, q - p);
	p = q + 1;
	q = hexEnd(b, p, end);
	if (q === p || q - p > 16) return undefined;
	const rxQueue = hexAt(b, p, q - p);
	p = skipSpaces(b, q, end);
	// tr:tm->when
	q = hexEnd(b, p, end);
	if (q === p || b[q] !== COLON) return undefined;
	const timer = hexAt(b, p, q - p);
	q = hexEnd(b, q + 1, end);
	p = skipSpaces(b, q, end);
	// retrnsmt
	q = hexEnd(b, p, end);
	if (q === p || q - p > 16) return undefined;
	const retransmits = hexAt(b, p, q - p);
	p = skipSpaces(b, q, end);
	// uid timeout inode (decimal)
	q = decimalEnd(b, p, end);
	const uid = decimalValue(b, p, q);
	p = skipSpaces(b, q, end);
	q = decimalEnd(b, p, end);
	const timeout = decimalValue(b, p, q);
	p = skipSpaces(b, q, end);
	q = decimalEnd(b, p, end);
	const inode = decimalValue(b, p, q);
	if (Number.isNaN(uid) || Number.isNaN(timeout) || !(inode >= 0)) return undefined;
	if (owned !== null && inode !== 0 && !owned.has(inode)) return false;
	return socketOf(
		quiet,
		typeof localIp === 'number' && !ipv6 ? wordToIpv4(localIp, littleEndian) : localIp,
		localPort,
		typeof remoteIp === 'number' && !ipv6 ? wordToIpv4(remoteIp, littleEndian) : remoteIp,
		remotePort,
		state,
		txQueue,
		rxQueue,
		timer,
		retransmits,
		uid,
		inode,
	);
}

/**
 * Parses a /proc/net/tcp (or tcp6 when `ipv6`) table. Rows that cannot be read are skipped and
 * counted in `malformed`; the header line and blank lines are not rows.
 * `littleEndian` describes the host that wrote the text (x86 and arm64: true).
 * With `owned` (the inodes a process holds), other processes' sockets are only counted in
 * `foreign`; sockets without an inode (TIME_WAIT) are kept, to be matched by address.
 * With `quiet` (`true`, or columns to add to), ESTABLISHED rows to an IPv4 address with empty
 * queues and no retransmission go to `quiet` as three columns instead of `sockets` as objects.
 */
export function parseProcNetTcp(
	text: Uint8Array | string,
	ipv6: boolean,
	littleEndian = true,
	owned: InodeLookup | null = null,
	quiet: QuietConnections | boolean = false,
): TcpTable {
	const b = typeof text === 'string' ? Buffer.from(text, 'latin1') : text;
	const n = b.length;
	const dv = new DataView(b.buffer, b.byteOffset, b.byteLength);
	const sockets: TcpSocket[] = [];
	const quietRows: QuietConnections | null = quiet === true ? {remoteIp: [], remotePort: [], localPort: []} : quiet === false ? null : quiet;
	let malformed = 0;
	let foreign = 0;
	let p = 0;
	while (p < n) {
		// The kernel pads IPv4 rows to 149 characters: check there before searching.
		let end = p + 149 < n && b[p + 149] === NEWLINE ? p + 149 : b.indexOf(NEWLINE, p);
		if (end < 0) end = n;
		const first = skipSpaces(b, p, end);
		if (first < end && !(p === 0 && b[first] === 0x73 /* 's' of the "sl local_address" header */)) {
			const row = parseRow(b, dv, first, end, ipv6, littleEndian, owned, quietRows);
			if (row === undefined) malformed++;
			else if (row === false) foreign++;
			else if (row !== true) sockets.push(row);
		}
		p = end + 1;
	}
	return quietRows === null ? {sockets, malformed, foreign} : {sockets, malformed, foreign, quiet: quietRows};
}
