/**
 * Parser for the kernel's /proc/net/tcp and /proc/net/tcp6 text (net/ipv4/tcp_ipv4.c,
 * net/ipv6/tcp_ipv6.c). It runs every poll over tables that may hold 100k rows, so it walks the
 * bytes once, builds no substrings for IPv4 and never uses a regex.
 */
import {TCP_STATES, type IpAddress, type TcpSocket, type TcpTable} from './types.js';

const SPACE = 0x20;
const TAB = 0x09;
const NEWLINE = 0x0a;
const COLON = 0x3a;

// Parser cursor: module state keeps the helpers free of tuple returns on the hot path.
let buf: Uint8Array = new Uint8Array(0);
let pos = 0;
let end = 0;

function hexDigit(c: number): number {
	if (c >= 0x30 && c <= 0x39) return c - 0x30;
	if (c >= 0x41 && c <= 0x46) return c - 0x37;
	if (c >= 0x61 && c <= 0x66) return c - 0x57;
	return -1;
}

function skipSpaces(): void {
	while (pos < end) {
		const c = buf[pos]!;
		if (c !== SPACE && c !== TAB) return;
		pos++;
	}
}

/** Reads `count` hex digits exactly; -1 when one is missing. */
function readHexFixed(count: number): number {
	if (pos + count > end) return -1;
	let value = 0;
	for (let i = 0; i < count; i++) {
		const d = hexDigit(buf[pos + i]!);
		if (d < 0) return -1;
		value = value * 16 + d;
	}
	pos += count;
	return value;
}

/** Reads a run of hex digits (at least one, at most 16); -1 when there is none. */
function readHex(): number {
	const start = pos;
	let value = 0;
	while (pos < end) {
		const d = hexDigit(buf[pos]!);
		if (d < 0) break;
		value = value * 16 + d;
		pos++;
	}
	return pos === start || pos - start > 16 ? -1 : value;
}

/** Reads a run of decimal digits, allowing a leading minus (timeouts may be negative). */
function readDecimal(): number {
	let negative = false;
	if (pos < end && buf[pos] === 0x2d) {
		negative = true;
		pos++;
	}
	const start = pos;
	let value = 0;
	while (pos < end) {
		const c = buf[pos]!;
		if (c < 0x30 || c > 0x39) break;
		value = value * 10 + (c - 0x30);
		pos++;
	}
	if (pos === start) return Number.NaN;
	return negative ? -value : value;
}

function expect(char: number): boolean {
	if (pos < end && buf[pos] === char) {
		pos++;
		return true;
	}
	return false;
}

function skipLine(): void {
	while (pos < end && buf[pos] !== NEWLINE) pos++;
	if (pos < end) pos++;
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

/** Reads the 32 hex digits of an IPv6 address; IPv4-mapped ones come back as IPv4 numbers. */
function readIpv6(littleEndian: boolean): IpAddress | undefined {
	const w0 = readHexFixed(8);
	const w1 = readHexFixed(8);
	const w2 = readHexFixed(8);
	const w3 = readHexFixed(8);
	if (w0 < 0 || w1 < 0 || w2 < 0 || w3 < 0) return undefined;
	const mappedMarker = littleEndian ? 0xffff0000 : 0x0000ffff;
	if (w0 === 0 && w1 === 0 && w2 === mappedMarker) return wordToIpv4(w3, littleEndian);
	const words = [w0, w1, w2, w3];
	for (let i = 0; i < 4; i++) {
		const w = words[i]!;
		for (let b = 0; b < 4; b++) {
			const shift = littleEndian ? b * 8 : (3 - b) * 8;
			v6Bytes[i * 4 + b] = (w >>> shift) & 0xff;
		}
	}
	return formatIpv6Bytes(v6Bytes);
}

function readAddress(ipv6: boolean, littleEndian: boolean): IpAddress | undefined {
	if (ipv6) return readIpv6(littleEndian);
	const word = readHexFixed(8);
	return word < 0 ? undefined : wordToIpv4(word, littleEndian);
}

/** Parses one data row at the cursor; undefined (cursor anywhere on the line) when malformed. */
function readRow(ipv6: boolean, littleEndian: boolean): TcpSocket | undefined {
	skipSpaces();
	if (Number.isNaN(readDecimal()) || !expect(COLON)) return undefined;
	skipSpaces();
	const localIp = readAddress(ipv6, littleEndian);
	if (localIp === undefined || !expect(COLON)) return undefined;
	const localPort = readHexFixed(4);
	skipSpaces();
	const remoteIp = readAddress(ipv6, littleEndian);
	if (remoteIp === undefined || !expect(COLON)) return undefined;
	const remotePort = readHexFixed(4);
	skipSpaces();
	const stateCode = readHexFixed(2);
	const state = TCP_STATES[stateCode - 1];
	if (localPort < 0 || remotePort < 0 || state === undefined) return undefined;
	skipSpaces();
	const txQueue = readHex();
	if (!expect(COLON)) return undefined;
	const rxQueue = readHex();
	skipSpaces();
	const timer = readHex();
	if (!expect(COLON)) return undefined;
	const timerExpires = readHex();
	skipSpaces();
	const retransmits = readHex();
	skipSpaces();
	const uid = readDecimal();
	skipSpaces();
	const timeout = readDecimal();
	skipSpaces();
	const inode = readDecimal();
	if (txQueue < 0 || rxQueue < 0 || timer < 0 || timerExpires < 0 || retransmits < 0) return undefined;
	if (Number.isNaN(uid) || Number.isNaN(timeout) || Number.isNaN(inode) || inode < 0) return undefined;
	return {localIp, localPort, remoteIp, remotePort, state, txQueue, rxQueue, timer, retransmits, uid, inode};
}

/**
 * Parses a /proc/net/tcp (or tcp6 when `ipv6`) table. Rows that cannot be read are skipped and
 * counted in `malformed`; the header line and blank lines are not rows.
 * `littleEndian` describes the host that wrote the text (x86 and arm64: true).
 */
export function parseProcNetTcp(text: Uint8Array | string, ipv6: boolean, littleEndian = true): TcpTable {
	buf = typeof text === 'string' ? Buffer.from(text, 'latin1') : text;
	pos = 0;
	end = buf.length;
	const sockets: TcpSocket[] = [];
	let malformed = 0;
	try {
		while (pos < end) {
			const lineStart = pos;
			skipSpaces();
			if (pos >= end) break;
			const first = buf[pos]!;
			if (first === NEWLINE) {
				pos++;
				continue;
			}
			if (first === 0x73 /* 's' of the "sl local_address ..." header */ && lineStart === 0) {
				skipLine();
				continue;
			}
			pos = lineStart;
			const row = readRow(ipv6, littleEndian);
			if (row === undefined) malformed++;
			else sockets.push(row);
			skipLine();
		}
	} finally {
		buf = new Uint8Array(0);
	}
	return {sockets, malformed};
}
