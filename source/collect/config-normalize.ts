/**
 * An instance's dynamic configuration (/api/rawdata) in the normalised form instances are
 * compared by: every router, service and middleware with what legitimately differs between two
 * instances of one configuration left out (status, serverStatus, usedBy, using, errors) and
 * every order that carries no meaning sorted (object keys, entry points, servers).
 */
import {createHash} from 'node:crypto';
import type {ConfigKind, ConfigObject, NormalizedConfig} from '../domain/fleet.js';
import {qualify, stripUserinfo} from '../domain/server-url.js';

type Json = Record<string, unknown>;
const isObject = (v: unknown): v is Json => typeof v === 'object' && v !== null && !Array.isArray(v);

/** Fields that say how the object runs, not what it is. */
const VOLATILE = new Set(['status', 'serverStatus', 'usedBy', 'using', 'error', 'errors', 'err', 'name', 'provider']);

/** JSON with object keys sorted, volatile keys dropped, and URLs without their passwords. */
function canonical(value: unknown): string {
	if (Array.isArray(value)) return `[${value.map(canonical).join(',')}]`;
	if (isObject(value)) {
		const keys = Object.keys(value)
			.filter((k) => !VOLATILE.has(k))
			.sort();
		return `{${keys.map((k) => `${JSON.stringify(k)}:${canonical(value[k])}`).join(',')}}`;
	}
	if (typeof value === 'string' && /^[a-z][a-z0-9+.-]*:\/\/[^/]*@/i.test(value)) return JSON.stringify(stripUserinfo(value));
	return JSON.stringify(value ?? null);
}

const hasErrors = (info: Json): boolean =>
	info['status'] === 'disabled' || (Array.isArray(info['error']) && info['error'].length > 0) || typeof info['err'] === 'string';

/** A router: its rule, sorted entry points, qualified service and middlewares (in order: it matters), TLS, the rest. */
function routerFields(name: string, info: Json): Record<string, string> {
	const fields: Record<string, string> = {};
	for (const [key, value] of Object.entries(info)) {
		if (VOLATILE.has(key)) continue;
		if (key === 'entryPoints' && Array.isArray(value)) fields[key] = canonical([...value].map(String).sort());
		else if (key === 'service' && typeof value === 'string') fields[key] = JSON.stringify(qualify(value, name));
		else if (key === 'middlewares' && Array.isArray(value)) fields[key] = canonical(value.map((m) => (typeof m === 'string' ? qualify(m, name) : m)));
		else fields[key] = canonical(value);
	}
	return fields;
}

/** A service: its kind's settings without the servers (compared one by one), and the servers. */
function serviceObject(kind: ConfigKind, name: string, info: Json): ConfigObject {
	const fields: Record<string, string> = {};
	let servers: string[] | undefined;
	for (const [key, value] of Object.entries(info)) {
		if (VOLATILE.has(key)) continue;
		if (key === 'loadBalancer' && isObject(value)) {
			fields['kind'] = JSON.stringify('loadBalancer');
			servers = [];
			for (const server of Array.isArray(value['servers']) ? value['servers'] : []) {
				if (!isObject(server)) continue;
				const address = typeof server['url'] === 'string' ? stripUserinfo(server['url']) : typeof server['address'] === 'string' ? server['address'] : null;
				if (address === null) continue;
				const weight = typeof server['weight'] === 'number' && server['weight'] !== 1 ? ` weight ${server['weight']}` : '';
				const extra = Object.keys(server).filter((k) => !['url', 'address', 'weight'].includes(k) && !VOLATILE.has(k));
				servers.push(`${address}${weight}${extra.length > 0 ? ` ${canonical(Object.fromEntries(extra.map((k) => [k, server[k]])))}` : ''}`);
			}
			servers.sort();
			for (const [setting, v] of Object.entries(value)) if (setting !== 'servers' && !VOLATILE.has(setting)) fields[setting] = canonical(v);
		} else {
			if (isObject(value) && fields['kind'] === undefined) fields['kind'] = JSON.stringify(key);
			fields[key] = canonical(value);
		}
	}
	return {kind, name, fields, ...(servers === undefined ? {} : {servers})};
}

/** The maps of a rawdata body, by its keys. */
const SECTIONS: readonly [string, ConfigKind][] = [
	['routers', 'router'],
	['services', 'service'],
	['middlewares', 'middleware'],
	['tcpRouters', 'tcp router'],
	['tcpServices', 'tcp service'],
	['tcpMiddlewares', 'tcp middleware'],
	['udpRouters', 'udp router'],
	['udpServices', 'udp service'],
];

/** The normalised configuration of a rawdata-shaped body (the list endpoints give the same maps). */
export function normalizeConfig(body: Readonly<Record<string, unknown>>): NormalizedConfig {
	const objects = new Map<string, ConfigObject>();
	let errors = 0;
	let servers = 0;
	const counts: Record<string, number> = {};
	for (const [section, kind] of SECTIONS) {
		const map = body[section];
		if (!isObject(map)) continue;
		for (const [name, info] of Object.entries(map)) {
			if (!isObject(info)) continue;
			if (hasErrors(info)) errors++;
			const object: ConfigObject = kind.endsWith('service')
				? serviceObject(kind, name, info)
				: kind.endsWith('router')
					? {kind, name, fields: routerFields(name, info)}
					: {kind, name, fields: {config: canonical(info)}};
			servers += object.servers?.length ?? 0;
			counts[kind] = (counts[kind] ?? 0) + 1;
			objects.set(`${kind} ${name}`, object);
		}
	}
	const hash = createHash('sha256');
	for (const key of [...objects.keys()].sort()) {
		const o = objects.get(key)!;
		hash.update(`${key}\n${canonical(o.fields)}\n${(o.servers ?? []).join('\n')}\n\n`);
	}
	const sum = (...kinds: ConfigKind[]) => kinds.reduce((n, k) => n + (counts[k] ?? 0), 0);
	return {
		objects,
		fingerprint: hash.digest('hex').slice(0, 12),
		routers: sum('router', 'tcp router', 'udp router'),
		services: sum('service', 'tcp service', 'udp service'),
		middlewares: sum('middleware', 'tcp middleware'),
		servers,
		errors,
	};
}
