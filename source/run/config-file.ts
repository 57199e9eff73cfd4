/** The config file ($XDG_CONFIG_HOME/traefik-top/config.json): read with a size cap, every key checked. */
import {closeSync, fstatSync, openSync, readSync} from 'node:fs';

/** A config file is a few kilobytes; anything past this is not one (`--config /dev/zero`). */
export const MAX_CONFIG_BYTES = 1024 * 1024;

type Kind = 'string' | 'boolean' | 'number' | 'string[]' | 'object' | 'object[]';

/** Every key the file may hold, and what it must be (numbers and durations may also be written as strings). */
const KEYS: Readonly<Record<string, readonly Kind[]>> = {
	metricsUrl: ['string'],
	apiUrl: ['string'],
	pid: ['number', 'string'],
	pidFile: ['string'],
	procRoot: ['string'],
	interval: ['string', 'number'],
	apiInterval: ['string', 'number'],
	retention: ['string', 'number'],
	timeout: ['string', 'number'],
	service: ['string'],
	entrypoint: ['string'],
	backends: ['string[]'],
	headers: ['string[]'],
	basicAuth: ['string'],
	bearerToken: ['string'],
	insecure: ['boolean'],
	color: ['boolean'],
	ascii: ['boolean'],
	mouse: ['boolean'],
	accessLog: ['string'],
	exportDir: ['string'],
	maxServices: ['number', 'string'],
	maxBackends: ['number', 'string'],
	rules: ['object'],
	targets: ['object[]'],
	ssh: ['string'],
	sshOptions: ['string[]'],
	sshSudo: ['boolean'],
	prometheusUrl: ['string'],
	prometheusSelector: ['string'],
	prometheusInstanceLabel: ['string'],
	prometheusBasicAuth: ['string'],
	prometheusBearerToken: ['string'],
};

const describeKind = (k: Kind): string => (k.endsWith('[]') ? `a list of ${k.slice(0, -2)}s` : `a ${k}`);

function kindOf(value: unknown): Kind | 'null' | 'array' {
	if (value === null) return 'null';
	if (Array.isArray(value)) {
		if (value.every((v) => typeof v === 'string')) return 'string[]';
		if (value.every((v) => typeof v === 'object' && v !== null && !Array.isArray(v))) return 'object[]';
		return 'array';
	}
	return typeof value as Kind;
}

/** Checks every key of a parsed file; throws, in words, at the first unknown key or wrong type. */
export function checkConfigFile(file: Readonly<Record<string, unknown>>, where: string): void {
	for (const [key, value] of Object.entries(file)) {
		const kinds = KEYS[key];
		if (kinds === undefined) throw new Error(`${where}: unknown setting "${key}" (settings: ${Object.keys(KEYS).join(', ')})`);
		const kind = kindOf(value);
		if (!(kinds as readonly string[]).includes(kind) && !(kind === 'array' && value !== null && (value as unknown[]).length === 0)) {
			throw new Error(`${where}: "${key}" must be ${kinds.map(describeKind).join(' or ')}, got ${JSON.stringify(value)}`);
		}
	}
}

/** Reads a file of at most MAX_CONFIG_BYTES; a longer one (or a device that never ends) is refused. */
export function readCapped(path: string, cap = MAX_CONFIG_BYTES): string {
	const fd = openSync(path, 'r');
	try {
		if (!fstatSync(fd).isFile() && !fstatSync(fd).isFIFO()) throw new Error('not a regular file');
		const buffer = Buffer.alloc(cap + 1);
		let length = 0;
		for (;;) {
			const n = readSync(fd, buffer, length, buffer.length - length, null);
			if (n === 0) break;
			length += n;
			if (length > cap) throw new Error(`larger than ${Math.round(cap / 1024)} KiB; not a config file`);
		}
		return buffer.subarray(0, length).toString('utf8');
	} finally {
		closeSync(fd);
	}
}

/** The parsed config file: `explicit` (--config) must exist; the default path may be missing. */
export function readConfigFile(explicit: string | undefined, defaultPath: string): Record<string, unknown> {
	const file = explicit ?? defaultPath;
	let text: string;
	try {
		text = readCapped(file);
	} catch (error) {
		if ((error as NodeJS.ErrnoException).code === 'ENOENT' && explicit === undefined) return {};
		throw new Error(`cannot read the config file ${file}: ${(error as Error).message}`);
	}
	let parsed: unknown;
	try {
		parsed = JSON.parse(text);
	} catch (error) {
		throw new Error(`the config file ${file} is not valid JSON: ${(error as Error).message}`);
	}
	if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) throw new Error(`the config file ${file} is not a JSON object`);
	checkConfigFile(parsed as Record<string, unknown>, `config file ${file}`);
	return parsed as Record<string, unknown>;
}
