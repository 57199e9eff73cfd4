/**
 * Config drift: what differs between the normalised configurations of several instances, in
 * words, per object ("router api@file: missing on traefik-b"). Pure.
 */
import type {ConfigObject, DriftItem, NormalizedConfig} from '../domain/fleet.js';

/** One instance's configuration, by the instance's name. */
export interface InstanceConfig {
	readonly instance: string;
	readonly config: NormalizedConfig;
}

/** The most values shown in one difference; longer values are cut. */
const MAX_VALUE = 60;

const shown = (json: string | undefined): string => {
	if (json === undefined) return 'unset';
	let text = json;
	try {
		const value: unknown = JSON.parse(json);
		if (typeof value === 'string') text = value;
	} catch {
		// canonical JSON always parses; keep the text as it is otherwise
	}
	return text.length > MAX_VALUE ? `${text.slice(0, MAX_VALUE - 1)}…` : text;
};

/** "a, b" or "a, b and 3 more". */
function names(list: readonly string[], max = 4): string {
	return list.length <= max ? list.join(', ') : `${list.slice(0, max).join(', ')} and ${list.length - max} more`;
}

/** Instances grouped by the value they have, the most common first (ties: the first instance's group first). */
function groupByValue(values: readonly {instance: string; value: string | undefined}[]): {value: string | undefined; instances: string[]}[] {
	const groups = new Map<string, {value: string | undefined; instances: string[]}>();
	for (const {instance, value} of values) {
		const key = value ?? '\u0000unset';
		const group = groups.get(key);
		if (group === undefined) groups.set(key, {value, instances: [instance]});
		else group.instances.push(instance);
	}
	return [...groups.values()].sort((a, b) => b.instances.length - a.instances.length);
}

/** Differences of one object present on several instances. */
function objectDrift(label: string, present: readonly {instance: string; object: ConfigObject}[], out: DriftItem[]): void {
	const first = present[0]!.object;
	const fieldNames = new Set(present.flatMap(({object}) => Object.keys(object.fields)));
	for (const field of [...fieldNames].sort()) {
		const groups = groupByValue(present.map(({instance, object}) => ({instance, value: object.fields[field]})));
		if (groups.length < 2) continue;
		const detail = groups.map((g) => `${names(g.instances, 2)}: ${shown(g.value)}`).join('; ');
		out.push({kind: first.kind, name: first.name, text: `${label}: ${field} differs (${detail})`, instances: groups.slice(1).flatMap((g) => g.instances)});
	}
	if (present.every(({object}) => object.servers === undefined)) return;
	const holders = new Map<string, string[]>();
	for (const {instance, object} of present)
		for (const server of object.servers ?? []) (holders.get(server) ?? holders.set(server, []).get(server)!).push(instance);
	for (const [server, on] of [...holders].sort(([a], [b]) => (a < b ? -1 : 1))) {
		if (on.length === present.length) continue;
		const off = present.map((p) => p.instance).filter((i) => !on.includes(i));
		const text = on.length <= off.length ? `server ${server} only on ${names(on)}` : `server ${server} missing on ${names(off)}`;
		out.push({kind: first.kind, name: first.name, text: `${label}: ${text}`, instances: on.length <= off.length ? on : off});
	}
}

/** Every difference between the instances' configurations, sorted by object; empty when all fingerprints are equal. */
export function configDrift(configs: readonly InstanceConfig[]): DriftItem[] {
	if (configs.length < 2 || configs.every((c) => c.config.fingerprint === configs[0]!.config.fingerprint)) return [];
	const keys = new Set(configs.flatMap((c) => [...c.config.objects.keys()]));
	const out: DriftItem[] = [];
	for (const key of [...keys].sort()) {
		const present = configs.flatMap((c) => {
			const object = c.config.objects.get(key);
			return object === undefined ? [] : [{instance: c.instance, object}];
		});
		const {kind, name} = present[0]!.object;
		const label = `${kind} ${name}`;
		if (present.length < configs.length) {
			const on = present.map((p) => p.instance);
			const off = configs.map((c) => c.instance).filter((i) => !on.includes(i));
			const text = on.length < off.length ? `only on ${names(on)}` : `missing on ${names(off)}`;
			out.push({kind, name, text: `${label}: ${text}`, instances: on.length < off.length ? on : off});
		}
		if (present.length >= 2) objectDrift(label, present, out);
	}
	return out;
}
