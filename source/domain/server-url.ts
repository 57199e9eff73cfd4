/** Server URLs and host:port texts as Traefik writes them: parsed, normalised, and made safe to show. Pure. */

const DEFAULT_PORTS: Record<string, number> = {http: 80, h2c: 80, ws: 80, https: 443, wss: 443};

/**
 * Normalises a server URL the way serverStatus keys compare: lower-case scheme and host, no lone
 * trailing "/". Ports stay as written (Go's url.URL.String() keeps an explicit :80).
 */
export function normalizeServerUrl(url: string): string {
	const match = /^([a-zA-Z][\w+.-]*):\/\/([^/?#]*)(.*)$/.exec(url.trim());
	if (!match) return url.trim();
	const rest = match[3] === '/' ? '' : match[3]!;
	const authority = match[2]!;
	const at = authority.lastIndexOf('@');
	const host = at < 0 ? authority.toLowerCase() : `${authority.slice(0, at + 1)}${authority.slice(at + 1).toLowerCase()}`;
	return `${match[1]!.toLowerCase()}://${host}${rest}`;
}

/** Splits `host:port` (IPv6 in brackets) into its parts; undefined when there is no valid port. */
export function splitHostPort(text: string, defaultPort?: number): {host: string; port: number} | undefined {
	const trimmed = text.trim();
	const bracket = /^\[([^\]]+)\](?::(\d+))?$/.exec(trimmed);
	if (bracket) {
		const port = bracket[2] === undefined ? defaultPort : Number(bracket[2]);
		return port !== undefined && port > 0 && port < 65536 ? {host: bracket[1]!, port} : undefined;
	}
	const colon = trimmed.lastIndexOf(':');
	if (colon < 0 || trimmed.indexOf(':') !== colon) {
		// No port, or an unbracketed IPv6 literal.
		return defaultPort !== undefined && trimmed !== '' ? {host: trimmed, port: defaultPort} : undefined;
	}
	const port = Number(trimmed.slice(colon + 1));
	if (!Number.isInteger(port) || port <= 0 || port >= 65536) return undefined;
	return {host: trimmed.slice(0, colon), port};
}

/**
 * Where a Traefik server URL connects, or why it cannot be watched in the kernel's tables: the
 * scheme's default port when the URL has none (as Traefik does), IPv6 with or without a zone
 * (`[fe80::1%25eth0]`, shown in /proc without one), user:password ignored.
 */
export function parseServerUrl(url: string): {host: string; port: number} | {error: string} {
	const match = /^([a-zA-Z][a-zA-Z0-9+.-]*):\/\/([^/?#]*)/.exec(url.trim());
	if (!match) return {error: 'not a URL with a scheme and a host'};
	const scheme = match[1]!.toLowerCase();
	const fallback = DEFAULT_PORTS[scheme];
	if (fallback === undefined) return {error: `${scheme}:// is not a TCP address`};
	const authority = match[2]!.replace(/^[^@]*@/, '');
	let host: string;
	let portText: string | undefined;
	const bracket = /^\[([^\]]+)\](?::(.*))?$/.exec(authority);
	if (bracket) {
		host = bracket[1]!.replace(/%.*$/, '');
		portText = bracket[2];
	} else {
		const colon = authority.lastIndexOf(':');
		if (colon >= 0 && authority.indexOf(':') !== colon) return {error: 'an IPv6 address must be in brackets'};
		host = colon < 0 ? authority : authority.slice(0, colon);
		portText = colon < 0 ? undefined : authority.slice(colon + 1);
	}
	if (host === '') return {error: 'no host'};
	const port = portText === undefined || portText === '' ? fallback : /^\d{1,5}$/.test(portText) ? Number(portText) : Number.NaN;
	if (!(port >= 1 && port <= 65535)) return {error: `port ${portText} is not between 1 and 65535`};
	return {host: host.toLowerCase(), port};
}

/** Host and port a Traefik server URL connects to, or undefined (parseServerUrl says why). */
export function serverUrlTarget(url: string): {host: string; port: number} | undefined {
	const target = parseServerUrl(url);
	return 'error' in target ? undefined : target;
}

/** Qualifies a service name with the provider of the thing that references it (`svc` -> `svc@provider`). */
export function qualify(name: string, referrer: string): string {
	if (name.includes('@')) return name;
	const at = referrer.lastIndexOf('@');
	return at < 0 ? name : `${name}${referrer.slice(at)}`;
}

/**
 * A server URL without its user:password (`http://user:secret@10.0.0.1:80` -> `http://10.0.0.1:80`),
 * the rest of the text as Traefik wrote it: what every output shows of a server.
 */
export function stripUserinfo(url: string): string {
	return url.replace(/^([a-zA-Z][a-zA-Z0-9+.-]*:\/\/)[^/?#@]*@/, '$1');
}

/** The URL as text without user:password, safe for messages and snapshots. */
export function redactUrl(url: string): string {
	try {
		const parsed = new URL(url);
		if (parsed.username || parsed.password) {
			parsed.username = '';
			parsed.password = '';
		}
		return parsed.toString();
	} catch {
		return url.replace(/\/\/[^/@]*@/, '//');
	}
}
