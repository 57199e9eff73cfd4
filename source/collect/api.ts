/** Fetches Traefik's API: the version, the configuration (rawdata, or the paginated lists), the entry points. */
import {describeStatus, httpGet, isHtml, type HttpOptions} from './http.js';
import {redactUrl} from '../domain/server-url.js';
import {listToMap, mapConfiguration, parseEntryPoints, parseRawdata, parseVersion, type ApiConfiguration} from './api-parse.js';
import type {ApiHarvest, Section} from '../domain/harvest.js';
import {normalizeConfig} from './config-normalize.js';

/** The most pages read from a paginated list: a broken X-Next-Page must not loop forever. */
const MAX_PAGES = 50;

async function getJson(rawUrl: string, options: HttpOptions): Promise<{body: unknown; nextPage?: string; status: number}> {
	const url = redactUrl(rawUrl);
	const response = await httpGet(rawUrl, {...options, accept: 'application/json'});
	if (response.status === 404) return {body: undefined, status: 404};
	if (response.status !== 200) throw new Error(`${url}: ${describeStatus(response.status)}`);
	if (isHtml(response.headers, response.text)) throw new Error(`${url}: answered an HTML page, not JSON (a login page or a proxy error?)`);
	try {
		const next = response.headers['x-next-page'];
		return {body: JSON.parse(response.text), nextPage: typeof next === 'string' ? next : undefined, status: 200};
	} catch {
		throw new Error(`${url}: the answer is not valid JSON (${response.bytes} bytes, maybe truncated)`);
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

async function fetchConfiguration(
	base: string,
	options: HttpOptions,
): Promise<{config: ApiConfiguration; via: 'rawdata' | 'lists'; rawdata: Record<string, unknown>}> {
	const raw = await getJson(`${base}/api/rawdata`, options);
	if (raw.status === 200) return {config: parseRawdata(raw.body), via: 'rawdata', rawdata: raw.body as Record<string, unknown>};
	const services = await getAllPages(base, '/api/http/services', options);
	if (services === undefined) throw new Error(`${redactUrl(base + '/api')}: not found (is api.insecure set, or is the API behind another path?)`);
	const routers = (await getAllPages(base, '/api/http/routers', options)) ?? [];
	const tcpServices = (await getAllPages(base, '/api/tcp/services', options)) ?? [];
	const [servicesMap, routersMap, tcpMap] = [listToMap(services), listToMap(routers), listToMap(tcpServices)];
	// The lists in rawdata's shape: the configuration is compared the same way whichever way it came.
	const rawdata = {services: Object.fromEntries(servicesMap), routers: Object.fromEntries(routersMap), tcpServices: Object.fromEntries(tcpMap)};
	return {config: mapConfiguration(servicesMap, routersMap, tcpMap), via: 'lists', rawdata};
}

/** One API poll: version, services and routers, entry points; with `compare`, the configuration normalised (an instance of several). */
export async function fetchApi(base: string, options: HttpOptions, compare = false): Promise<Section<ApiHarvest>> {
	const root = base.replace(/\/+$/, '');
	try {
		const [version, configuration, entryPointsBody] = await Promise.all([
			getJson(`${root}/api/version`, options),
			fetchConfiguration(root, options),
			getAllPages(root, '/api/entrypoints', options),
		]);
		const versionInfo = version.status === 200 ? parseVersion(version.body) : {};
		return {
			...versionInfo,
			servers: configuration.config.servers,
			unwatched: configuration.config.unwatched,
			routers: configuration.config.routers,
			parents: configuration.config.parents,
			entryPoints: entryPointsBody === undefined ? [] : parseEntryPoints(entryPointsBody),
			via: configuration.via,
			...(compare ? {config: normalizeConfig(configuration.rawdata)} : {}),
		};
	} catch (error) {
		return {error: error instanceof Error ? error.message : String(error)};
	}
}
