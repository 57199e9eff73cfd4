/**
 * Traefik's access log, one line at a time, in both of its formats. Pure.
 *
 * - JSON (`accessLog.format: json`): one object per line; durations in nanoseconds; `ServiceURL`
 *   a string in v3 and an object ({Scheme, Host, Path}) in v2.
 * - `common`, the default: CLF and Traefik's own tail, as 3.7 writes it:
 *   `127.0.0.1 - - [02/Dec/2026:00:54:03 +0000] "GET /a?x=1 HTTP/1.1" 200 5 "-" "-" 1 "r@file" "http://127.0.0.1:41411" 5ms`
 *   (client, user, time, request line, status, size, referrer, user agent, request count,
 *   router, server URL, duration). It has no entry point, service, origin status or retries.
 */
import type {RequestRecord} from '../domain/requests.js';

export type AccessLogFormat = 'json' | 'common';

/** A line's format, from how it starts; null for a line that is neither. */
export function detectFormat(line: string): AccessLogFormat | null {
	const t = line.trimStart();
	if (t.startsWith('{')) return 'json';
	return COMMON.test(t) ? 'common' : null;
}

const str = (v: unknown): string | null => (typeof v === 'string' && v !== '' ? v : null);
const num = (v: unknown): number | null => (typeof v === 'number' && Number.isFinite(v) ? v : null);

/** v3's string, or v2's {Scheme, Host, Path} object, as a URL string. */
function serviceUrl(v: unknown): string | null {
	if (typeof v === 'string') return v === '' ? null : v;
	if (v && typeof v === 'object') {
		const o = v as {Scheme?: unknown; Host?: unknown; Path?: unknown};
		const host = str(o.Host);
		if (host === null) return null;
		return `${str(o.Scheme) ?? 'http'}://${host}${str(o.Path) ?? ''}`;
	}
	return null;
}

/** A JSON line as a request, or null when it is not one of Traefik's access-log objects. */
export function parseJsonLine(line: string): RequestRecord | null {
	let o: Record<string, unknown>;
	try {
		const parsed: unknown = JSON.parse(line);
		if (parsed === null || typeof parsed !== 'object' || Array.isArray(parsed)) return null;
		o = parsed as Record<string, unknown>;
	} catch {
		return null;
	}
	const status = num(o['DownstreamStatus']);
	const method = str(o['RequestMethod']);
	if (status === null || method === null) return null;
	const start = Date.parse(str(o['StartUTC']) ?? str(o['time']) ?? '');
	const duration = num(o['Duration']);
	const origin = num(o['OriginDuration']);
	const originStatus = num(o['OriginStatus']);
	return {
		at: Number.isNaN(start) ? null : start,
		entryPoint: str(o['entryPointName']),
		router: str(o['RouterName']),
		service: str(o['ServiceName']),
		serverUrl: serviceUrl(o['ServiceURL']),
		serverAddr: str(o['ServiceAddr']),
		method,
		host: str(o['RequestHost']) ?? '',
		path: str(o['RequestPath']) ?? '',
		status,
		// 0 or absent: Traefik answered itself (a redirect, no router, no server).
		originStatus: originStatus === null || originStatus === 0 ? null : originStatus,
		durationMs: duration === null ? null : duration / 1e6,
		originMs: origin === null ? null : origin / 1e6,
		retries: num(o['RetryAttempts']) ?? 0,
		size: num(o['DownstreamContentSize']),
	};
}

// host - user [time] "request" status size "referrer" "agent" count "router" "url" Nms
const QUOTED = String.raw`"((?:[^"\\]|\\.)*)"`;
const COMMON = new RegExp(String.raw`^(\S+) \S+ (\S+) \[([^\]]+)\] ${QUOTED} (\d{3}) (\S+) ${QUOTED} ${QUOTED} (\d+) ${QUOTED} ${QUOTED} (\d+)ms\s*$`);
const MONTHS: Record<string, string> = {
	Jan: '01',
	Feb: '02',
	Mar: '03',
	Apr: '04',
	May: '05',
	Jun: '06',
	Jul: '07',
	Aug: '08',
	Sep: '09',
	Oct: '10',
	Nov: '11',
	Dec: '12',
};

/** CLF's `02/Dec/2026:00:54:03 +0000` in ms, or null. */
export function parseClfTime(text: string): number | null {
	const m = /^(\d{2})\/([A-Z][a-z]{2})\/(\d{4}):(\d{2}):(\d{2}):(\d{2}) ([+-])(\d{2})(\d{2})$/.exec(text);
	const month = m ? MONTHS[m[2]!] : undefined;
	if (!m || month === undefined) return null;
	const t = Date.parse(`${m[3]}-${month}-${m[1]}T${m[4]}:${m[5]}:${m[6]}${m[7]}${m[8]}:${m[9]}`);
	return Number.isNaN(t) ? null : t;
}

const unquote = (s: string): string => s.replace(/\\(.)/g, '$1');
const dash = (s: string): string | null => (s === '-' || s === '' ? null : s);

/** A `common` line as a request, or null. */
export function parseCommonLine(line: string): RequestRecord | null {
	const m = COMMON.exec(line);
	if (!m) return null;
	const request = unquote(m[4]!);
	const space = request.indexOf(' ');
	const lastSpace = request.lastIndexOf(' ');
	const method = space > 0 ? request.slice(0, space) : request;
	const path = space > 0 ? request.slice(space + 1, lastSpace > space ? lastSpace : undefined) : '';
	const url = dash(unquote(m[11]!));
	let serverAddr: string | null = null;
	if (url !== null) {
		try {
			const u = new URL(url);
			serverAddr = u.port === '' ? `${u.hostname}:${u.protocol === 'https:' ? 443 : 80}` : u.host;
		} catch {
			serverAddr = null;
		}
	}
	const size = Number(m[6]);
	return {
		at: parseClfTime(m[3]!),
		entryPoint: null,
		router: dash(unquote(m[10]!)),
		service: null,
		serverUrl: url,
		serverAddr,
		method,
		host: '',
		path,
		status: Number(m[5]),
		originStatus: null,
		durationMs: Number(m[12]),
		originMs: null,
		retries: 0,
		size: Number.isFinite(size) ? size : null,
	};
}

/** A line in a known format. */
export function parseLine(line: string, format: AccessLogFormat): RequestRecord | null {
	return format === 'json' ? parseJsonLine(line) : parseCommonLine(line);
}
