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

/** Host and port a Traefik server URL connects to (scheme default ports applied). */
export function serverUrlTarget(url: string): {host: string; port: number} | undefined {
	try {
		const parsed = new URL(url);
		const scheme = parsed.protocol.replace(/:$/, '');
		const port = parsed.port === '' ? DEFAULT_PORTS[scheme] : Number(parsed.port);
		if (port === undefined || parsed.hostname === '') return undefined;
		return {host: parsed.hostname.replace(/^\[|\]$/g, '').toLowerCase(), port};
	} catch {
		return undefined;
	}
}

/** Qualifies a service name with the provider of the thing that references it (`svc` -> `svc@provider`). */
export function qualify(name: string, referrer: string): string {
	if (name.includes('@')) return name;
	const at = referrer.lastIndexOf('@');
	return at < 0 ? name : `${name}${referrer.slice(at)}`;
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
