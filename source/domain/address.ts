/** IP address text <-> the IpAddress form of the TCP tables, and the endpoint texts and keys. Pure. */
import type {IpAddress} from './tcp.js';

const hexGroup = (hi: number, lo: number): string => ((hi << 8) | lo).toString(16);

/** RFC 5952 text for 16 bytes: lower case, the longest run of 2+ zero groups shortened to `::`. */
export function formatIpv6Bytes(bytes: ArrayLike<number>): string {
	const groups: string[] = [];
	for (let i = 0; i < 16; i += 2) groups.push(hexGroup(bytes[i]!, bytes[i + 1]!));
	let bestStart = -1;
	let bestLength = 1;
	for (let i = 0; i < 8;) {
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

function parseIpv4(text: string): number | undefined {
	const parts = text.split('.');
	if (parts.length !== 4) return undefined;
	let value = 0;
	for (const part of parts) {
		if (!/^\d{1,3}$/.test(part)) return undefined;
		const octet = Number(part);
		if (octet > 255) return undefined;
		value = value * 256 + octet;
	}
	return value;
}

function parseIpv6Bytes(text: string): number[] | undefined {
	let head = text;
	let tailV4: number | undefined;
	const lastColon = text.lastIndexOf(':');
	if (text.includes('.', lastColon)) {
		tailV4 = parseIpv4(text.slice(lastColon + 1));
		if (tailV4 === undefined) return undefined;
		head = `${text.slice(0, lastColon + 1)}0:0`;
	}
	const halves = head.split('::');
	if (halves.length > 2) return undefined;
	const toGroups = (s: string): string[] => (s === '' ? [] : s.split(':'));
	const left = toGroups(halves[0]!);
	const right = halves.length === 2 ? toGroups(halves[1]!) : [];
	const missing = 8 - left.length - right.length;
	if (halves.length === 2 ? missing < 1 : missing !== 0) return undefined;
	const groups = [...left, ...Array<string>(halves.length === 2 ? missing : 0).fill('0'), ...right];
	const bytes: number[] = [];
	for (const group of groups) {
		if (!/^[0-9a-fA-F]{1,4}$/.test(group)) return undefined;
		const value = Number.parseInt(group, 16);
		bytes.push(value >> 8, value & 0xff);
	}
	if (tailV4 !== undefined) {
		bytes[12] = tailV4 >>> 24;
		bytes[13] = (tailV4 >>> 16) & 0xff;
		bytes[14] = (tailV4 >>> 8) & 0xff;
		bytes[15] = tailV4 & 0xff;
	}
	return bytes;
}

/**
 * Parses an IPv4 or IPv6 literal (brackets and a zone allowed) into an IpAddress;
 * IPv4-mapped IPv6 becomes IPv4. Undefined when the text is not an address (e.g. a host name).
 */
export function parseIpLiteral(text: string): IpAddress | undefined {
	let t = text.trim();
	if (t.startsWith('[') && t.endsWith(']')) t = t.slice(1, -1);
	const zone = t.indexOf('%');
	if (zone >= 0) t = t.slice(0, zone);
	if (!t.includes(':')) return parseIpv4(t);
	const bytes = parseIpv6Bytes(t);
	if (bytes === undefined) return undefined;
	const mapped = bytes.slice(0, 10).every((b) => b === 0) && bytes[10] === 0xff && bytes[11] === 0xff;
	if (mapped) return ((bytes[12]! << 24) | (bytes[13]! << 16) | (bytes[14]! << 8) | bytes[15]!) >>> 0;
	return formatIpv6Bytes(bytes);
}

/** Display text of an address: dotted IPv4, RFC 5952 IPv6. */
export function formatIp(ip: IpAddress): string {
	if (typeof ip === 'string') return ip;
	return `${ip >>> 24}.${(ip >>> 16) & 0xff}.${(ip >>> 8) & 0xff}.${ip & 0xff}`;
}

/** "ip:port", with IPv6 in brackets ("[::1]:80"), the form the snapshot uses. */
export function formatEndpoint(ip: IpAddress, port: number): string {
	return typeof ip === 'string' ? `[${ip}]:${port}` : `${formatIp(ip)}:${port}`;
}

/** A cheap map key for an endpoint: a number for IPv4 (ip * 65536 + port), text for IPv6. */
export function endpointKey(ip: IpAddress, port: number): number | string {
	return typeof ip === 'number' ? ip * 65536 + port : `[${ip}]:${port}`;
}
