/**
 * The instances one run watches: `--target NAME=URL[,key=value…]` (repeatable) or the config
 * file's `targets` list. A single target without a name is the plain run's one instance.
 */
import type {TargetSpec} from '../domain/fleet.js';
import {redactUrl} from '../domain/server-url.js';
import {parseApiUrl, parseHeader, parseInteger, parseMetricsUrl} from './settings.js';
import {parseSshDestination} from '../collect/ssh.js';

/** What a target may say beside its URL, on the command line. */
const FLAG_KEYS = ['api', 'metrics', 'pid', 'pidfile', 'log', 'header', 'ssh'] as const;
/** ... and in the config file. */
const FILE_KEYS = [
	'name',
	'url',
	'apiUrl',
	'metricsUrl',
	'pid',
	'pidFile',
	'accessLog',
	'headers',
	'basicAuth',
	'bearerToken',
	'ssh',
	'prometheusInstance',
] as const;

const NAME = /^[A-Za-z0-9][A-Za-z0-9._-]{0,62}$/;

/** Where a target is read from a base URL (`http://host:8080` -> its API there, /metrics under it). */
function fromBase(url: string, what: string): {apiUrl: string | null; metricsUrl: string | null} {
	const apiUrl = parseApiUrl(url);
	if (apiUrl === null) throw new Error(`${what}: the URL is "off"; give the URL of Traefik's API (e.g. http://10.0.0.5:8080)`);
	return {apiUrl, metricsUrl: parseMetricsUrl(`${apiUrl}/metrics`)};
}

/** The port of a loopback or local URL: the kernel view finds the traefik process listening there. */
export function localPort(url: string | null): number | undefined {
	if (url === null) return undefined;
	const parsed = new URL(url);
	if (!['127.0.0.1', 'localhost', '[::1]', '0.0.0.0'].includes(parsed.hostname) && !parsed.hostname.startsWith('127.')) return undefined;
	return Number(parsed.port || (parsed.protocol === 'https:' ? 443 : 80));
}

function finish(spec: TargetSpec, what: string): TargetSpec {
	if (spec.ssh !== undefined) refuseOverSsh(spec, what);
	if (spec.pid !== undefined || spec.pidFile !== undefined) return spec;
	const port = localPort(spec.apiUrl ?? spec.metricsUrl);
	return port === undefined ? spec : {...spec, listenPort: port};
}

/** Parses one `--target` value: `NAME=URL[,api=URL][,metrics=URL][,pid=N][,pidfile=PATH][,log=PATH][,header=Name: value]`. */
export function parseTargetFlag(text: string): TargetSpec {
	const what = `--target "${redactUrl(text.split(',')[0] ?? text)}"`;
	const [head = '', ...rest] = text.split(',');
	const eq = head.indexOf('=');
	const named = eq > 0 && !head.slice(0, eq).includes(':');
	const name = named ? head.slice(0, eq) : '';
	const url = named ? head.slice(eq + 1) : head;
	if (named && !NAME.test(name)) throw new Error(`${what}: the name must be letters, digits, ".", "_" or "-" (at most 63), got "${name}"`);
	let spec: {-readonly [K in keyof TargetSpec]: TargetSpec[K]} = {name, ...fromBase(url, what)};
	const headers: Record<string, string> = {};
	for (const part of rest) {
		const at = part.indexOf('=');
		const key = part.slice(0, at).trim();
		const value = part.slice(at + 1).trim();
		if (at <= 0 || !(FLAG_KEYS as readonly string[]).includes(key)) {
			throw new Error(
				`${what}: "${part}" is not a setting (settings: ${FLAG_KEYS.map((k) => `${k}=`).join(', ')}); credentials go in the config file or the environment`,
			);
		}
		if (key === 'api') spec.apiUrl = parseApiUrl(value);
		else if (key === 'metrics') spec.metricsUrl = parseMetricsUrl(value);
		else if (key === 'pid') spec.pid = parseInteger(value, `${what}: pid`, 1, 2 ** 22);
		else if (key === 'pidfile') spec.pidFile = value;
		else if (key === 'log') spec.accessLog = value;
		else if (key === 'ssh') spec.ssh = parseSshDestination(value, `${what}: ssh=`);
		else {
			const [h, v] = parseHeader(value);
			headers[h] = v;
		}
	}
	if (Object.keys(headers).length > 0) spec = {...spec, headers};
	return finish(spec, what);
}

const str = (v: unknown): string | undefined => (typeof v === 'string' ? v : typeof v === 'number' ? String(v) : undefined);

/** Parses one entry of the config file's `targets`. */
export function parseTargetEntry(entry: Readonly<Record<string, unknown>>, index: number): TargetSpec {
	const what = `config file: targets[${index}]`;
	for (const key of Object.keys(entry)) {
		if (!(FILE_KEYS as readonly string[]).includes(key)) throw new Error(`${what}: unknown setting "${key}" (settings: ${FILE_KEYS.join(', ')})`);
	}
	const name = str(entry['name']);
	if (name === undefined || !NAME.test(name)) throw new Error(`${what}: "name" must be letters, digits, ".", "_" or "-" (at most 63)`);
	const url = str(entry['url']);
	const base = url === undefined ? {apiUrl: null, metricsUrl: null} : fromBase(url, what);
	const apiUrl = entry['apiUrl'] === undefined ? base.apiUrl : parseApiUrl(str(entry['apiUrl']) ?? '');
	const metricsUrl = entry['metricsUrl'] === undefined ? base.metricsUrl : parseMetricsUrl(str(entry['metricsUrl']) ?? '');
	const prometheusInstance = str(entry['prometheusInstance']);
	if (apiUrl === null && metricsUrl === null && prometheusInstance === undefined)
		throw new Error(`${what}: give "url" (the API's base URL), or "apiUrl" or "metricsUrl", or "prometheusInstance"`);
	const headers: Record<string, string> = {};
	const list = entry['headers'];
	if (list !== undefined && !(Array.isArray(list) && list.every((h) => typeof h === 'string')))
		throw new Error(`${what}: "headers" must be a list of "Name: value"`);
	for (const h of (list as string[] | undefined) ?? []) {
		const [k, v] = parseHeader(h);
		headers[k] = v;
	}
	const pid = entry['pid'] === undefined ? undefined : parseInteger(str(entry['pid']) ?? '', `${what}: pid`, 1, 2 ** 22);
	const optional = (key: string, value: string | undefined) => (value === undefined ? {} : {[key]: value});
	return finish(
		{
			name,
			apiUrl,
			metricsUrl,
			...(pid === undefined ? {} : {pid}),
			...optional('pidFile', str(entry['pidFile'])),
			...optional('accessLog', str(entry['accessLog'])),
			...optional('basicAuth', str(entry['basicAuth'])),
			...optional('bearerToken', str(entry['bearerToken'])),
			...optional('prometheusInstance', prometheusInstance),
			...(str(entry['ssh']) === undefined ? {} : {ssh: parseSshDestination(str(entry['ssh'])!, `${what}: ssh`)}),
			...(Object.keys(headers).length === 0 ? {} : {headers}),
		},
		what,
	);
}

/** What a target on another host cannot be given: files that are read on this side. */
export function refuseOverSsh(spec: {readonly pidFile?: string | undefined; readonly accessLog?: string | undefined}, what: string): void {
	if (spec.pidFile !== undefined)
		throw new Error(`${what}: a PID file is not read over ssh; give the remote PID (pid=N), or let the API's port find the process`);
	if (spec.accessLog !== undefined) throw new Error(`${what}: an access log is read on this host only, not over ssh`);
}

/**
 * The run's targets: the flags' (which replace the file's), else the file's. Names must be
 * unique; a single unnamed target is the plain run (an empty list, with its URLs as the run's).
 */
export function resolveTargets(flags: readonly string[] | undefined, file: unknown): TargetSpec[] {
	let targets: TargetSpec[];
	if (flags !== undefined && flags.length > 0) targets = flags.map(parseTargetFlag);
	else if (Array.isArray(file)) targets = file.map((entry, i) => parseTargetEntry(entry as Record<string, unknown>, i));
	else return [];
	if (targets.length === 1 && targets[0]!.name === '') return targets;
	const seen = new Set<string>();
	for (const t of targets) {
		if (t.name === '') throw new Error(`with several targets each needs a name: --target NAME=URL (got "${t.apiUrl ?? t.metricsUrl}" without one)`);
		if (seen.has(t.name)) throw new Error(`two targets are named "${t.name}"; give each its own name`);
		seen.add(t.name);
	}
	return targets;
}
