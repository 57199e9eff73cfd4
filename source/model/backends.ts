/** The join of Traefik's backend servers with the addresses the kernel shows. Pure. */
import {endpointKey, formatEndpoint} from '../domain/address.js';
import type {BackendServer, ServerStatus} from '../domain/harvest.js';
import type {IpAddress} from '../domain/tcp.js';

/** One backend address (ip:port) and the services whose servers point at it. */
export interface BackendTarget {
	readonly key: number | string;
	readonly address: string;
	/** Services sharing this address, the primary (the one the row is listed under) first. */
	readonly services: readonly string[];
	/** Server URLs that resolve here (one per service, usually the same text). */
	readonly urls: readonly string[];
	/** Traefik's status: DOWN if any service marks it DOWN, UP if any says UP, else unknown. */
	readonly status: ServerStatus;
	/** The host name as configured when it is not an IP literal. */
	readonly hostname?: string;
	/** Where Traefik's word on these servers came from (the API, server_up, a flag). */
	readonly origins: readonly BackendServer['origin'][];
}

/** The lookup the classifier uses, plus servers whose host could not be resolved. */
export interface BackendIndex {
	readonly targets: ReadonlyMap<number | string, BackendTarget>;
	/** The target a socket's remote endpoint points at: the per-socket lookup builds no key. */
	readonly find: (ip: IpAddress, port: number) => BackendTarget | undefined;
	readonly unresolved: readonly BackendServer[];
}

const worse = (a: ServerStatus, b: ServerStatus): ServerStatus => (a === 'DOWN' || b === 'DOWN' ? 'DOWN' : a === 'UP' || b === 'UP' ? 'UP' : 'unknown');

/**
 * Builds the index. `usedServices` (services reached by a router) are preferred as the primary
 * service of a shared address, so a connection is listed under the service that really sends it.
 */
export function buildBackendIndex(
	servers: readonly BackendServer[],
	resolved: Readonly<Record<string, readonly IpAddress[]>>,
	usedServices: ReadonlySet<string> = new Set(),
): BackendIndex {
	const building = new Map<
		number | string,
		{
			ip: IpAddress;
			port: number;
			address: string;
			services: string[];
			urls: string[];
			status: ServerStatus;
			hostname?: string;
			origins: BackendServer['origin'][];
		}
	>();
	const unresolved: BackendServer[] = [];
	for (const server of servers) {
		const addresses = resolved[server.host] ?? [];
		if (addresses.length === 0) unresolved.push(server);
		for (const ip of addresses) {
			const key = endpointKey(ip, server.port);
			let target = building.get(key);
			if (target === undefined) {
				target = {ip, port: server.port, address: formatEndpoint(ip, server.port), services: [], urls: [], status: server.status, origins: []};
				building.set(key, target);
			} else {
				target.status = worse(target.status, server.status);
			}
			if (!target.services.includes(server.service)) target.services.push(server.service);
			if (!target.urls.includes(server.url)) target.urls.push(server.url);
			if (!target.origins.includes(server.origin)) target.origins.push(server.origin);
			if (String(ip) !== server.host && !server.host.includes(':') && !/^[\d.]+$/.test(server.host)) target.hostname = server.host;
		}
	}
	const targets = new Map<number | string, BackendTarget>();
	const byPort = new Map<number, Map<IpAddress, BackendTarget>>();
	for (const [key, {ip, port, ...t}] of building) {
		const services = [...t.services].sort((a, b) => Number(usedServices.has(b)) - Number(usedServices.has(a)) || a.localeCompare(b));
		const target = {key, ...t, services};
		targets.set(key, target);
		let onPort = byPort.get(port);
		if (onPort === undefined) {
			onPort = new Map();
			byPort.set(port, onPort);
		}
		onPort.set(ip, target);
	}
	return {targets, find: portLookup(byPort), unresolved};
}

/** Whether two resolved-address maps say the same (the collector builds a new one every tick). */
export function sameAddresses(a: Readonly<Record<string, readonly IpAddress[]>>, b: Readonly<Record<string, readonly IpAddress[]>>): boolean {
	if (a === b) return true;
	const keys = Object.keys(a);
	if (keys.length !== Object.keys(b).length) return false;
	for (const key of keys) {
		const x = a[key]!;
		const y = b[key];
		if (y === undefined || x.length !== y.length) return false;
		for (let i = 0; i < x.length; i++) if (x[i] !== y[i]) return false;
	}
	return true;
}

/** An index with no backend. */
export const EMPTY_INDEX: BackendIndex = {targets: new Map(), find: () => undefined, unresolved: []};

/**
 * Port -> address -> target as a table of the 65,536 ports: a socket whose remote port is no
 * backend's (most of a busy host's) costs one array read, and a port with one address one compare.
 */
function portLookup(byPort: ReadonlyMap<number, ReadonlyMap<IpAddress, BackendTarget>>): BackendIndex['find'] {
	const slotOf = new Uint16Array(65536);
	const single: (IpAddress | undefined)[] = [undefined];
	const singleTarget: (BackendTarget | undefined)[] = [undefined];
	const many: (ReadonlyMap<IpAddress, BackendTarget> | undefined)[] = [undefined];
	for (const [port, onPort] of byPort) {
		slotOf[port] = single.length;
		const [first] = onPort;
		const one = onPort.size === 1 && first !== undefined;
		single.push(one ? first[0] : undefined);
		singleTarget.push(one ? first[1] : undefined);
		many.push(one ? undefined : onPort);
	}
	return (ip, port) => {
		const slot = slotOf[port]!;
		if (slot === 0) return undefined;
		const target = singleTarget[slot];
		if (target !== undefined) return single[slot] === ip ? target : undefined;
		return many[slot]!.get(ip);
	};
}
