// The shape of what a Traefik says, values aside: its metric families with their TYPE and label
// names, the key paths of its API answers, the fields of its access log. Two proxies conform when
// their shapes are equal (test/traefik/conformance.test.ts).

/** traefik_* family -> "TYPE: label,label" (le and quantile left out), from an exposition. */
export function metricShapes(text: string): Map<string, string> {
	const types = new Map<string, string>();
	const labels = new Map<string, Set<string>>();
	for (const line of text.split('\n')) {
		const type = /^# TYPE (\S+) (\S+)/.exec(line);
		if (type) {
			types.set(type[1]!, type[2]!);
			continue;
		}
		if (line === '' || line.startsWith('#')) continue;
		const sample = /^([a-zA-Z_:][a-zA-Z0-9_:]*)(?:\{(.*)\})?\s/.exec(line);
		if (!sample) continue;
		const stripped = sample[1]!.replace(/_(bucket|sum|count)$/, '');
		const family = types.get(stripped) === 'histogram' || types.get(stripped) === 'summary' ? stripped : sample[1]!;
		const names = [...(sample[2] ?? '').matchAll(/([a-zA-Z_][a-zA-Z0-9_]*)="/g)].map((m) => m[1]!).filter((n) => n !== 'le' && n !== 'quantile');
		const set = labels.get(family) ?? new Set<string>();
		for (const n of names) set.add(n);
		labels.set(family, set);
	}
	const shapes = new Map<string, string>();
	for (const [family, set] of labels) {
		if (!family.startsWith('traefik_')) continue;
		shapes.set(family, `${types.get(family) ?? '?'}: ${[...set].sort().join(',')}`);
	}
	return shapes;
}

/** Object keys that are names (of routers, services, servers), not fields: shown as `*`. */
const NAME_KEYED = new Set(['routers', 'services', 'middlewares', 'serverStatus', 'tcpRouters', 'tcpServices', 'tcpMiddlewares', 'udpRouters', 'udpServices']);

/** Every key path of a JSON value: `.services.*.loadBalancer.servers[].url`; maps keyed by names are `*`. */
export function keyPaths(value: unknown, path = '', out = new Set<string>(), byName = false): Set<string> {
	if (Array.isArray(value)) {
		for (const item of value) keyPaths(item, `${path}[]`, out);
	} else if (typeof value === 'object' && value !== null) {
		for (const [key, item] of Object.entries(value)) {
			const here = `${path}.${byName ? '*' : key}`;
			out.add(here);
			keyPaths(item, here, out, !byName && NAME_KEYED.has(key) && (path === '' || key === 'serverStatus'));
		}
	}
	return out;
}

/** Access-log fields by kind of line: `proxied` (sent to a server, whatever came of it), `local` (Traefik answered itself). */
export function accessLogShapes(lines: readonly string[]): Map<string, string> {
	const kinds = new Map<string, Set<string>>();
	for (const line of lines) {
		if (line.trim() === '') continue;
		const entry = JSON.parse(line) as Record<string, unknown>;
		const kind = Number(entry['OriginStatus'] ?? 0) === 0 ? 'local' : 'proxied';
		const set = kinds.get(kind) ?? new Set<string>();
		for (const key of Object.keys(entry)) set.add(key);
		kinds.set(kind, set);
	}
	return new Map([...kinds].map(([kind, set]) => [kind, [...set].sort().join(',')]));
}

/** Where two shape maps differ: "name: a ≠ b", "name: only in a". */
export function shapeDifferences(
	a: ReadonlyMap<string, string>,
	b: ReadonlyMap<string, string>,
	names: readonly [string, string] = ['real', 'stand-in'],
): string[] {
	const out: string[] = [];
	for (const key of [...new Set([...a.keys(), ...b.keys()])].sort()) {
		const x = a.get(key);
		const y = b.get(key);
		if (x === y) continue;
		out.push(x === undefined ? `${key}: only in ${names[1]}` : y === undefined ? `${key}: only in ${names[0]}` : `${key}: ${names[0]} ${x} / ${names[1]} ${y}`);
	}
	return out;
}

/** Set differences of key paths, as lines. */
export function pathDifferences(a: ReadonlySet<string>, b: ReadonlySet<string>, names: readonly [string, string] = ['real', 'stand-in']): string[] {
	return [
		...[...a].filter((k) => !b.has(k)).map((k) => `${k}: only in ${names[0]}`),
		...[...b].filter((k) => !a.has(k)).map((k) => `${k}: only in ${names[1]}`),
	].sort();
}
