/**
 * Parser for the kernel's /proc/net/tcp and /proc/net/tcp6 text (net/ipv4/tcp_ipv4.c,
 * net/ipv6/tcp_ipv6.c). It runs every poll over tables that may hold 100k rows, so it walks the
 * bytes once, builds no substrings for IPv4 and never uses a regex.
 */
import {TCP_STATES, type IpAddress, type TcpSocket, type TcpTable} from './types.js';

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

/** Four hex digits at `p` (two pair lookups: the hot path of every row), or a negative number. */
function hex4(b: Uint8Array, p: number): number {
	const hi = hex2(b, p);
	const lo = hex2(b, p + 2);
	// Any -1 makes the OR negative.
	return (hi | lo) < 0 ? -1 : (hi << 8) | lo;
}

/** Eight hex digits at `p` as an unsigned 32-bit value, or -1. */
function hex8(b: Uint8Array, p: number): number {
	const hi = hex4(b, p);
	const lo = hex4(b, p + 4);
	return (hi | lo) < 0 ? -1 : hi * 65536 + lo;
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

const hexGroup = (hi: number, lo: number): string => ((hi << 8) | lo).toString(16);

/** RFC 5952 text for 16 bytes: lower case, the longest run of 2+ zero groups shortened to `::`. */
export function formatIpv6Bytes(bytes: ArrayLike<number>): string {
	const groups: string[] = [];
	for (let i = 0; i < 16; i += 2) groups.push(hexGroup(bytes[i]!, bytes[i + 1]!));
	let bestStart = -1;
	let bestLength = 1;
	for (let i = 0; i < 8; ) {
		if (groups[i] !== '0') {
			i++;
			continue;
		}
		let j = i;
		while (j < 8 && groups[j] === '0') j++;
		if (j - i > bestLength) {
			bestStart = i;
			bestLength = j - i;
		}
		i = j;
	}
	if (bestStart < 0) return groups.join(':');
	return `${groups.slice(0, bestStart).join(':')}::${groups.slice(bestStart + bestLength).join(':')}`;
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

/** Column offsets of an IPv4 row after "sl: " as the kernel prints it (fixed widths). */
const C = {localPort: 9, remote: 14, remotePort: 23, state: 28, tx: 31, rx: 40, timer: 49, retransmits: 61, rest: 69} as const;

/**
 * The fast path: an IPv4 row in the kernel's exact fixed-width layout, read at known offsets.
 * null when the row deviates in any way (the general scanner then decides).
 */
function parseCanonicalIpv4(b: Uint8Array, p: number, end: number, littleEndian: boolean, owned: ReadonlySet<number> | null): TcpSocket | null | undefined | false {
	if (p + C.rest + 6 > end) return null;
	// Written out: a loop over an offsets table costs more than the rest of the row.
	if (b[p + 8] !== COLON || b[p + 13] !== SPACE || b[p + 22] !== COLON || b[p + 27] !== SPACE || b[p + 30] !== SPACE) return null;
	if (b[p + 39] !== COLON || b[p + 48] !== SPACE || b[p + 51] !== COLON || b[p + 60] !== SPACE || b[p + 69] !== SPACE) return null;
	let uid: number;
	let timeout: number;
	let inode: number;
	if (b[p + 75] === SPACE && b[p + 84] === SPACE) {
		// "%5u %8d %lu": uid and timeout right-aligned in fixed widths, the inode from column 85.
		uid = paddedDecimal(b, p + 70, p + 75);
		timeout = paddedDecimal(b, p + 76, p + 84);
		inode = decimalValue(b, p + 85, decimalEnd(b, p + 85, end));
	} else {
		let q = skipSpaces(b, p + C.rest, end);
		let r = decimalEnd(b, q, end);
		uid = decimalValue(b, q, r);
		q = skipSpaces(b, r, end);
		r = decimalEnd(b, q, end);
		timeout = decimalValue(b, q, r);
		q = skipSpaces(b, r, end);
		r = decimalEnd(b, q, end);
		inode = decimalValue(b, q, r);
	}
	if (Number.isNaN(uid) || Number.isNaN(timeout) || !(inode >= 0)) return undefined;
	// Another process's socket: not worth the rest of the row (TIME_WAIT has inode 0, no owner).
	if (owned !== null && inode !== 0 && !owned.has(inode)) return false;
	const localWord = hex8(b, p);
	const localPort = hex4(b, p + C.localPort);
	const remoteWord = hex8(b, p + C.remote);
	const remotePort = hex4(b, p + C.remotePort);
	const stateCode = hex2(b, p + C.state);
	const txQueue = hex8(b, p + C.tx);
	const rxQueue = hex8(b, p + C.rx);
	const timer = hex2(b, p + C.timer);
	// tm->when is not used: its width was checked with the separators, its digits are not read.
	const retransmits = hex8(b, p + C.retransmits);
	const state = TCP_STATES[stateCode - 1];
	if ((localWord | localPort | remoteWord | remotePort | txQueue | rxQueue | timer | retransmits) < 0 || state === undefined) return null;
	return {
		localIp: wordToIpv4(localWord, littleEndian),
		localPort,
		remoteIp: wordToIpv4(remoteWord, littleEndian),
		remotePort,
		state,
		txQueue,
		rxQueue,
		timer,
		retransmits,
		uid,
		inode,
	};
}

/**
 * Parses one data row in [p, end); undefined when malformed. The kernel prints
 * "sl: local rem st tx:rx tr:when retrnsmt uid timeout inode ..." (widths vary: sl, when, uid).
 */
function parseRow(b: Uint8Array, p: number, end: number, ipv6: boolean, littleEndian: boolean, owned: ReadonlySet<number> | null): TcpSocket | undefined | false {
	// sl:
	p = skipSpaces(b, p, end);
	const slEnd = decimalEnd(b, p, end);
	if (slEnd === p || b[slEnd] !== COLON) return undefined;
	p = skipSpaces(b, slEnd + 1, end);
	// local and remote "ADDR:PORT"
	const addrLength = ipv6 ? 32 : 8;
	if (!ipv6) {
		const fast = parseCanonicalIpv4(b, p, end, littleEndian, owned);
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
	return {
		localIp: typeof localIp === 'number' && !ipv6 ? wordToIpv4(localIp, littleEndian) : localIp,
		localPort,
		remoteIp: typeof remoteIp === 'number' && !ipv6 ? wordToIpv4(remoteIp, littleEndian) : remoteIp,
		remotePort,
		state,
		txQueue,
		rxQueue,
		timer,
		retransmits,
		uid,
		inode,
	};
}

/**
 * Parses a /proc/net/tcp (or tcp6 when `ipv6`) table. Rows that cannot be read are skipped and
 * counted in `malformed`; the header line and blank lines are not rows.
 * `littleEndian` describes the host that wrote the text (x86 and arm64: true).
 * With `owned` (the inodes a process holds), other processes' sockets are only counted in
 * `foreign`; sockets without an inode (TIME_WAIT) are kept, to be matched by address.
 */
export function parseProcNetTcp(text: Uint8Array | string, ipv6: boolean, littleEndian = true, owned: ReadonlySet<number> | null = null): TcpTable {
	const b = typeof text === 'string' ? Buffer.from(text, 'latin1') : text;
	const n = b.length;
	const sockets: TcpSocket[] = [];
	let malformed = 0;
	let foreign = 0;
	let p = 0;
	while (p < n) {
		// The kernel pads IPv4 rows to 149 characters: check there before searching.
		let end = p + 149 < n && b[p + 149] === NEWLINE ? p + 149 : b.indexOf(NEWLINE, p);
		if (end < 0) end = n;
		const first = skipSpaces(b, p, end);
		if (first < end && !(p === 0 && b[first] === 0x73 /* 's' of the "sl local_address" header */)) {
			const row = parseRow(b, p, end, ipv6, littleEndian, owned);
			if (row === undefined) malformed++;
			else if (row === false) foreign++;
			else sockets.push(row);
		}
		p = end + 1;
	}
	return {sockets, malformed, foreign};
}
