/** Fetches Traefik's API and resolves backend host names to the addresses the kernel shows. */
import {lookup} from 'node:dns/promises';
import {describeStatus, httpGet, isHtml, redactUrl, type HttpOptions} from './http.js';
import {listToMap, mapConfiguration, parseEntryPoints, parseRawdata, parseVersion, type ApiConfiguration} from './api-parse.js';
import {parseIpLiteral} from './address-parse.js';
import type {ApiHarvest, BackendServer, IpAddress, Section} from './types.js';

/** The most pages read from a paginated list: a broken X-Next-Page must not loop forever. */
const MAX_PAGES = 50;

async function getJson(rawUrl: string, options: HttpOptions): Promise<{body: unknown; nextPage?: string; status: number}> {
	const url = redactUrl(rawUrl);
	const response = await httpGet(rawUrl, {...options, accept: 'application/json'});
	if (response.status === 404) return {body: undefined, status: 404};
	if (response.status !== 200) throw new Error(`${url}: ${describeStatus(response.status)}`);
	if (isHtml(response.headers, response.body)) throw new Error(`${url}: answered an HTML page, not JSON (a login page or a proxy error?)`);
	try {
		const next = response.headers['x-next-page'];
		return {body: JSON.parse(response.body.toString('utf8')), nextPage: typeof next === 'string' ? next : undefined, status: 200};
	} catch {
		throw new Error(`${url}: the answer is not valid JSON (${response.body.length} bytes, maybe truncated)`);
	}
}

/** Reads every page of a list endpoint (`X-Next-Page` is "1" on the last page). */
async function getAllPages(base: string, path: string, options: HttpOptions): Promise<unknown[] | undefined> {
	const items: unknown[] = [];
	let page = 1;
	for (let read = 0; read < MAX_PAGES; read++) {
		const {body, nextPage, status} = await getJson(`${base}${path}?page=${page}&per_page=100`, options);
		if (status === 404) return read === 0 ? undefined : items;
		if (!Array.isArray(body)) throw new Error(`${redactUrl(base + path)}: the answer is not a list`);
		items.push(...body);
		const next = Number(nextPage);
		if (!Number.isInteger(next) || next <= page) return items;
		page = next;
	}
	throw new Error(`${redactUrl(base + path)}: more than ${MAX_PAGES} pages; the list was cut there`);
}

async function fetchConfiguration(base: string, options: HttpOptions): Promise<{config: ApiConfiguration; via: 'rawdata' | 'lists'}> {
	const raw = await getJson(`${base}/api/rawdata`, options);
	if (raw.status === 200) return {config: parseRawdata(raw.body), via: 'rawdata'};
	const services = await getAllPages(base, '/api/http/services', options);
	if (services === undefined) throw new Error(`${redactUrl(base + '/api')}: not found (is api.insecure set, or is the API behind another path?)`);
	const routers = (await getAllPages(base, '/api/http/routers', options)) ?? [];
	const tcpServices = (await getAllPages(base, '/api/tcp/services', options)) ?? [];
	return {config: mapConfiguration(listToMap(services), listToMap(routers), listToMap(tcpServices)), via: 'lists'};
}

/** Resolves host names, keeping answers for `ttlMs` so DNS is not asked every poll. */
export class HostResolver {
	private readonly cache = new Map<string, {addresses: IpAddress[]; at: number; error?: string}>();

	constructor(
		private readonly ttlMs = 30_000,
		private readonly lookupAll: (host: string) => Promise<{address: string}[]> = (host) => lookup(host, {all: true}),
	) {}

	/** Addresses of each host (literals map to themselves) and the errors of those that failed. */
	async resolve(hosts: Iterable<string>, now = Date.now()): Promise<{resolved: Record<string, IpAddress[]>; errors: Record<string, string>}> {
		const resolved: Record<string, IpAddress[]> = {};
		const errors: Record<string, string> = {};
		await Promise.all(
			[...new Set(hosts)].map(async (host) => {
				const literal = parseIpLiteral(host);
				if (literal !== undefined) {
					resolved[host] = [literal];
					return;
				}
				let entry = this.cache.get(host);
				if (entry === undefined || now - entry.at > this.ttlMs) {
					try {
						const answers = await this.lookupAll(host);
						const addresses = answers.map((a) => parseIpLiteral(a.address)).filter((a): a is IpAddress => a !== undefined);
						entry = {addresses, at: now};
					} catch (error) {
						const code = (error as NodeJS.ErrnoException).code ?? 'error';
						// Keep the last good addresses: a DNS hiccup must not blank the table.
						entry = {addresses: entry?.addresses ?? [], at: now, error: `cannot resolve ${host} (${code})`};
					}
					this.cache.set(host, entry);
				}
				resolved[host] = entry.addresses;
				if (entry.error) errors[host] = entry.error;
			}),
		);
		return {resolved, errors};
	}
}

/** One API poll: version, services and routers, entry points, host names resolved. */
export async function fetchApi(
	base: string,
	options: HttpOptions,
	resolver: HostResolver,
	extraServers: readonly BackendServer[] = [],
): Promise<Section<ApiHarvest>> {
	const root = base.replace(/\/+$/, '');
	try {
		const [version, configuration, entryPointsBody] = await Promise.all([
			getJson(`${root}/api/version`, options),
			fetchConfiguration(root, options),
			getAllPages(root, '/api/entrypoints', options),
		]);
		const {resolved, errors} = await resolver.resolve([...configuration.config.servers, ...extraServers].map((s) => s.host));
		const versionInfo = version.status === 200 ? parseVersion(version.body) : {};
		return {
			...versionInfo,
			servers: configuration.config.servers,
			routers: configuration.config.routers,
			parents: configuration.config.parents,
			entryPoints: entryPointsBody === undefined ? [] : parseEntryPoints(entryPointsBody),
			resolved,
			resolveErrors: errors,
			via: configuration.via,
		};
	} catch (error) {
		return {error: error instanceof Error ? error.message : String(error)};
	}
}
