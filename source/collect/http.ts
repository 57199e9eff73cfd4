/**
 * A small HTTP(S) GET for the scrapers: a hard deadline, a cap on the decoded body (gzip bombs
 * included), gzip, extra headers and credentials, and redirects followed only on the same origin.
 * Error messages name the URL without its credentials.
 */
import http from 'node:http';
import https from 'node:https';
import {StringDecoder} from 'node:string_decoder';
import {createGunzip, createInflate} from 'node:zlib';
import type {Readable} from 'node:stream';
import {redactUrl} from '../domain/server-url.js';

/** How to reach a Traefik endpoint. */
export interface HttpOptions {
	readonly timeoutMs: number;
	readonly maxBytes: number;
	readonly headers?: Readonly<Record<string, string>>;
	/** `user:password` for basic auth, from the environment or the config file. */
	readonly basicAuth?: string;
	readonly bearerToken?: string;
	/** Skip TLS certificate verification (--insecure). */
	readonly insecure?: boolean;
	/** Sent as Accept; the metrics scraper sends text/plain so Traefik never answers protobuf. */
	readonly accept?: string;
	/** Connect here instead of the URL's host and port: the local end of an SSH forward (the URL still names the remote's host). */
	readonly socketPath?: string;
	/** Told the size of every answer read (what a tunnel carried). */
	readonly onBytes?: (bytes: number) => void;
}

/** A completed response. */
export interface HttpResponse {
	readonly status: number;
	readonly headers: http.IncomingHttpHeaders;
	/** The decoded body as text (decoded chunk by chunk: no whole copy of the bytes is kept). */
	readonly text: string;
	/** Bytes received (after decompression). */
	readonly bytes: number;
	/** The URL finally answered (after same-origin redirects). */
	readonly url: string;
}

const MAX_REDIRECTS = 3;

// One kept-alive connection per endpoint between polls: a poll a second must not open (and leave
// in TIME_WAIT) a connection a second on Traefik's side.
const agents = {
	http: new http.Agent({keepAlive: true, maxSockets: 4, timeout: 60_000}),
	https: new https.Agent({keepAlive: true, maxSockets: 4, timeout: 60_000}),
	httpsInsecure: new https.Agent({keepAlive: true, maxSockets: 4, timeout: 60_000, rejectUnauthorized: false}),
};

/** A size cap in words: "64 MB", "16 KiB". */
const formatCap = (bytes: number): string => (bytes >= 1048576 ? `${Math.round(bytes / 1048576)} MB` : `${Math.round(bytes / 1024)} KiB`);

function describeNetError(error: NodeJS.ErrnoException): string {
	switch (error.code) {
		case 'ECONNREFUSED':
			return 'connection refused';
		case 'ENOTFOUND':
		case 'EAI_AGAIN':
			return `host name not found (${error.code})`;
		case 'ECONNRESET':
			return 'connection reset by the server';
		case 'EHOSTUNREACH':
		case 'ENETUNREACH':
			return 'host unreachable';
		case 'DEPTH_ZERO_SELF_SIGNED_CERT':
		case 'SELF_SIGNED_CERT_IN_CHAIN':
		case 'UNABLE_TO_VERIFY_LEAF_SIGNATURE':
		case 'CERT_HAS_EXPIRED':
		case 'ERR_TLS_CERT_ALTNAME_INVALID':
			return `TLS certificate rejected (${error.code}); --insecure skips the check`;
		default:
			return error.message;
	}
}

function requestOnce(url: URL, options: HttpOptions, deadline: number, signal: AbortSignal): Promise<HttpResponse> {
	return new Promise((resolve, reject) => {
		const headers: Record<string, string> = {'accept-encoding': 'gzip', 'user-agent': 'traefik-top', ...options.headers};
		if (options.accept) headers['accept'] = options.accept;
		if (options.basicAuth) headers['authorization'] = `Basic ${Buffer.from(options.basicAuth).toString('base64')}`;
		else if (options.bearerToken) headers['authorization'] = `Bearer ${options.bearerToken}`;
		else if (url.username)
			headers['authorization'] = `Basic ${Buffer.from(`${decodeURIComponent(url.username)}:${decodeURIComponent(url.password)}`).toString('base64')}`;
		const secure = url.protocol === 'https:';
		const client = secure ? https : http;
		const agent = secure ? (options.insecure ? agents.httpsInsecure : agents.https) : agents.http;
		const request = client.get(
			url,
			{headers, signal, timeout: Math.max(1, deadline - Date.now()), agent, ...(options.socketPath === undefined ? {} : {socketPath: options.socketPath})},
			(response) => {
				let stream: Readable = response;
				const encoding = String(response.headers['content-encoding'] ?? '').toLowerCase();
				if (encoding === 'gzip') stream = response.pipe(createGunzip());
				else if (encoding === 'deflate') stream = response.pipe(createInflate());
				const decoder = new StringDecoder('utf8');
				const parts: string[] = [];
				let size = 0;
				let failed = false;
				// The first reason wins: destroying the response below fires 'aborted' as well.
				const fail = (message: string): void => {
					if (failed) return;
					failed = true;
					reject(new Error(message));
					response.destroy();
					stream.destroy();
				};
				stream.on('data', (chunk: Buffer) => {
					size += chunk.length;
					if (size > options.maxBytes) fail(`response larger than ${formatCap(options.maxBytes)} (after decompression); not read`);
					else parts.push(decoder.write(chunk));
				});
				stream.on('error', (error) => fail(encoding ? `cannot decode the ${encoding} body: ${error.message}` : error.message));
				stream.on('end', () => {
					parts.push(decoder.end());
					options.onBytes?.(size);
					resolve({status: response.statusCode ?? 0, headers: response.headers, text: parts.join(''), bytes: size, url: url.toString()});
				});
				response.on('aborted', () => fail('the server closed the connection mid-answer'));
			},
		);
		request.on('timeout', () => request.destroy(new Error(`no answer within ${options.timeoutMs} ms`)));
		request.on('error', (error: NodeJS.ErrnoException) => {
			// A kept-alive connection the server closed while we slept (a suspend, an idle timeout)
			// fails at once on reuse: that says nothing of the server, so the caller tries a new one.
			const stale = request.reusedSocket && (error.code === 'ECONNRESET' || error.code === 'EPIPE' || error.message === 'socket hang up');
			reject(Object.assign(new Error(describeNetError(error)), {staleConnection: stale}));
		});
	});
}

/**
 * GETs `url` within `options.timeoutMs` in all (connect, headers, body and redirects).
 * Rejects with a readable message that starts with the redacted URL.
 */
export async function httpGet(url: string, options: HttpOptions): Promise<HttpResponse> {
	const deadline = Date.now() + options.timeoutMs;
	const controller = new AbortController();
	const timer = setTimeout(() => controller.abort(), options.timeoutMs);
	let current: URL;
	try {
		current = new URL(url);
	} catch {
		clearTimeout(timer);
		throw new Error(`${redactUrl(url)}: not a valid URL`);
	}
	try {
		let retried = false;
		for (let hop = 0; ; hop++) {
			let response: HttpResponse;
			try {
				response = await requestOnce(current, options, deadline, controller.signal);
			} catch (error) {
				if (!retried && (error as {staleConnection?: boolean}).staleConnection && Date.now() < deadline) {
					retried = true;
					hop--;
					continue;
				}
				throw error;
			}
			const location = response.headers.location;
			if (response.status < 300 || response.status >= 400 || location === undefined) return response;
			const next = new URL(location, current);
			if (next.origin !== current.origin) {
				throw new Error(`redirected to another host (${redactUrl(next.toString())}); not followed, credentials are only sent to the configured URL`);
			}
			if (hop >= MAX_REDIRECTS) throw new Error(`more than ${MAX_REDIRECTS} redirects`);
			current = next;
		}
	} catch (error) {
		const message = controller.signal.aborted ? `no answer within ${options.timeoutMs} ms` : error instanceof Error ? error.message : String(error);
		throw new Error(`${redactUrl(url)}: ${message}`);
	} finally {
		clearTimeout(timer);
	}
}

/** Describes a response status that is not a success, e.g. "401 Unauthorized: credentials needed". */
export function describeStatus(status: number): string {
	const name = http.STATUS_CODES[status] ?? 'unexpected status';
	const hint =
		status === 401
			? ' (credentials needed: set TRAEFIK_TOP_BASIC_AUTH or TRAEFIK_TOP_BEARER_TOKEN)'
			: status === 403
				? ' (credentials refused)'
				: status === 404
					? ' (wrong path, or this endpoint is not enabled)'
					: '';
	return `HTTP ${status} ${name}${hint}`;
}

/** True when a Content-Type is HTML (a login page or an error page instead of data). */
export function isHtml(headers: http.IncomingHttpHeaders, body: string): boolean {
	const type = String(headers['content-type'] ?? '').toLowerCase();
	if (type.includes('text/html')) return true;
	const head = body.slice(0, 256).trimStart().toLowerCase();
	return head.startsWith('<!doctype html') || head.startsWith('<html');
}
