/**
 * Pure mapping of Traefik API JSON (/api/rawdata, /api/http/services, /api/http/routers,
 * /api/tcp/services, /api/entrypoints, /api/version) to backend servers, routers and entry
 * points. Input is `unknown` straight from JSON.parse and is narrowed here.
 */
import type {BackendServer, EntryPoint, RouterInfo, ServerStatus, UnwatchedServer} from '../domain/harvest.js';
import {normalizeServerUrl, parseServerUrl, qualify, splitHostPort, stripUserinfo} from '../domain/server-url.js';

type Json = Record<string, unknown>;

const isObject = (v: unknown): v is Json => typeof v === 'object' && v !== null && !Array.isArray(v);
const asArray = (v: unknown): unknown[] => (Array.isArray(v) ? v : []);
const asString = (v: unknown): string | undefined => (typeof v === 'string' ? v : undefined);
const stringArray = (v: unknown): string[] => asArray(v).filter((x): x is string => typeof x === 'string');

function statusOf(serverStatus: unknown, key: string): ServerStatus {
	if (!isObject(serverStatus)) return 'unknown';
	const direct = serverStatus[key] ?? serverStatus[normalizeServerUrl(key)];
	let value = asString(direct);
	if (value === undefined) {
		const wanted = normalizeServerUrl(key);
		for (const [k, v] of Object.entries(serverStatus)) if (normalizeServerUrl(k) === wanted) value = asString(v);
	}
	return value === 'UP' || value === 'DOWN' ? value : 'unknown';
}

/** The children a weighted/mirroring/failover/highestRandomWeight service delegates to (unqualified as given). */
function childServices(info: Json): string[] {
	const names: string[] = [];
	for (const kind of ['weighted', 'highestRandomWeight']) {
		const body = info[kind];
		if (isObject(body)) for (const s of asArray(body['services'])) if (isObject(s) && asString(s['name'])) names.push(s['name'] as string);
	}
	const mirroring = info['mirroring'];
	if (isObject(mirroring)) {
		if (asString(mirroring['service'])) names.push(mirroring['service'] as string);
		for (const m of asArray(mirroring['mirrors'])) if (isObject(m) && asString(m['name'])) names.push(m['name'] as string);
	}
	const failover = info['failover'];
	if (isObject(failover)) for (const k of ['service', 'fallback']) if (asString(failover[k])) names.push(failover[k] as string);
	return names;
}

/** A service map keyed by qualified name, as /api/rawdata gives it (lists are turned into this first). */
export type ServiceMap = ReadonlyMap<string, Json>;

/** Load-balancer services reached from `name`, following weighted/mirroring/failover children. */
export function resolveLoadBalancers(services: ServiceMap, name: string, seen = new Set<string>()): string[] {
	if (seen.has(name)) return [];
	seen.add(name);
	const info = services.get(name);
	if (info === undefined) return [];
	if (isObject(info['loadBalancer'])) return [name];
	return [...new Set(childServices(info).flatMap((child) => resolveLoadBalancers(services, qualify(child, name), seen)))];
}

function httpServers(name: string, info: Json, unwatched: UnwatchedServer[]): BackendServer[] {
	const lb = info['loadBalancer'];
	if (!isObject(lb)) return [];
	const servers: BackendServer[] = [];
	for (const server of asArray(lb['servers'])) {
		const url = isObject(server) ? asString(server['url']) : undefined;
		if (url === undefined) continue;
		// Joined and shown without its password; Traefik's serverStatus is keyed by the URL as written.
		const status = statusOf(info['serverStatus'], url);
		const target = parseServerUrl(url);
		if ('error' in target) unwatched.push({service: name, url: stripUserinfo(url), status, reason: target.error});
		else servers.push({service: name, url: stripUserinfo(url), host: target.host, port: target.port, status, origin: 'api'});
	}
	return servers;
}

function tcpServers(name: string, info: Json): BackendServer[] {
	const lb = info['loadBalancer'];
	if (!isObject(lb)) return [];
	const servers: BackendServer[] = [];
	for (const server of asArray(lb['servers'])) {
		const address = isObject(server) ? asString(server['address']) : undefined;
		const target = address === undefined ? undefined : splitHostPort(address);
		if (address === undefined || target === undefined) continue;
		servers.push({
			service: name,
			url: address,
			host: target.host.toLowerCase(),
			port: target.port,
			status: statusOf(info['serverStatus'], address),
			origin: 'api',
		});
	}
	return servers;
}

function routersFrom(routers: ReadonlyMap<string, Json>, services: ServiceMap): RouterInfo[] {
	const list: RouterInfo[] = [];
	for (const [name, info] of routers) {
		const service = qualify(asString(info['service']) ?? '', name);
		list.push({
			name,
			rule: asString(info['rule']) ?? '',
			entryPoints: stringArray(info['entryPoints']),
			service,
			status: asString(info['status']) ?? 'unknown',
			loadBalancers: resolveLoadBalancers(services, service),
		});
	}
	return list;
}

/** What the API says about services and routers, before host names are resolved. */
export interface ApiConfiguration {
	readonly servers: BackendServer[];
	readonly unwatched: UnwatchedServer[];
	readonly routers: RouterInfo[];
	/** Load-balancer service -> the weighted/mirroring/failover services that lead to it. */
	readonly parents: Record<string, string[]>;
}

function toMap(value: unknown): Map<string, Json> {
	const map = new Map<string, Json>();
	if (isObject(value)) for (const [k, v] of Object.entries(value)) if (isObject(v)) map.set(k, v);
	return map;
}

/** Turns a list endpoint's array (items carry `name`) into a map keyed by that name. */
export function listToMap(list: unknown): Map<string, Json> {
	const map = new Map<string, Json>();
	for (const item of asArray(list)) if (isObject(item) && asString(item['name'])) map.set(item['name'] as string, item);
	return map;
}

/** Maps HTTP and TCP services and routers (rawdata-shaped maps) to backend servers. */
export function mapConfiguration(httpServices: ServiceMap, httpRouters: ReadonlyMap<string, Json>, tcpServicesMap: ServiceMap = new Map()): ApiConfiguration {
	const servers: BackendServer[] = [];
	const unwatched: UnwatchedServer[] = [];
	const parents: Record<string, string[]> = {};
	for (const [name, info] of httpServices) {
		servers.push(...httpServers(name, info, unwatched));
		if (!isObject(info['loadBalancer'])) {
			for (const lb of resolveLoadBalancers(httpServices, name)) (parents[lb] ??= []).push(name);
		}
	}
	for (const [name, info] of tcpServicesMap) servers.push(...tcpServers(name, info));
	return {servers, unwatched, routers: routersFrom(httpRouters, httpServices), parents};
}

/** Maps a /api/rawdata body. Throws with a readable message when the body is not rawdata. */
export function parseRawdata(body: unknown): ApiConfiguration {
	if (!isObject(body) || !('services' in body || 'routers' in body)) {
		throw new Error('the API answer is not Traefik rawdata (no "routers" or "services")');
	}
	return mapConfiguration(toMap(body['services']), toMap(body['routers']), toMap(body['tcpServices']));
}

/** Parses /api/entrypoints: TCP entry points with their listening port (UDP ones are skipped). */
export function parseEntryPoints(body: unknown): EntryPoint[] {
	if (!Array.isArray(body)) throw new Error('the API answer for entry points is not a list');
	const entryPoints: EntryPoint[] = [];
	for (const item of body) {
		if (!isObject(item)) continue;
		const name = asString(item['name']);
		const address = asString(item['address']);
		if (name === undefined || address === undefined || /\/udp$/i.test(address)) continue;
		const target = splitHostPort(address.replace(/\/tcp$/i, ''));
		if (target) entryPoints.push({name, port: target.port});
	}
	return entryPoints;
}

/** Parses /api/version (`Version` with a capital V, `startDate`). */
export function parseVersion(body: unknown): {version?: string; startDate?: string} {
	if (!isObject(body)) throw new Error('the API answer for the version is not an object');
	return {version: asString(body['Version']) ?? asString(body['version']), startDate: asString(body['startDate'])};
}
