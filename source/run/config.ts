/**
 * The settings of one run: flags over environment (TRAEFIK_TOP_*) over the config file over
 * defaults. Pure: the caller reads the file and the environment.
 */
import {splitHostPort} from '../domain/server-url.js';
import type {BackendServer} from '../domain/harvest.js';
import {applyRuleOverrides, DEFAULT_RULES, type RulesConfig} from '../model/rules/config.js';

export type Mode = 'interactive' | 'once' | 'json' | 'snapshot' | 'check';

/** Everything a run needs. */
export interface AppConfig {
	readonly metricsUrl: string | null;
	readonly apiUrl: string | null;
	readonly pid?: number;
	readonly pidFile?: string;
	readonly procRoot: string;
	readonly intervalSeconds: number;
	readonly apiIntervalSeconds: number;
	readonly retentionSeconds: number;
	readonly timeoutMs: number;
	readonly service: string | null;
	readonly entrypoint: string | null;
	readonly backends: readonly BackendServer[];
	readonly headers: Readonly<Record<string, string>>;
	readonly basicAuth?: string;
	readonly bearerToken?: string;
	readonly insecure: boolean;
	readonly color: boolean;
	readonly ascii: boolean;
	readonly mode: Mode;
	readonly count?: number;
	readonly snapshotFile?: string;
	readonly durationSeconds: number;
	readonly exportDir: string;
	readonly demo: boolean;
	readonly rules: RulesConfig;
}

/** Flag values as yargs hands them over (absent when not given). */
export interface FlagValues {
	readonly metricsUrl?: string;
	readonly apiUrl?: string;
	readonly pid?: number;
	readonly pidFile?: string;
	readonly procRoot?: string;
	readonly interval?: string;
	readonly retention?: string;
	readonly timeout?: string;
	readonly service?: string;
	readonly entrypoint?: string;
	readonly backend?: readonly string[];
	readonly header?: readonly string[];
	readonly insecure?: boolean;
	readonly color?: boolean;
	readonly ascii?: boolean;
	readonly once?: boolean;
	readonly json?: boolean;
	readonly count?: number;
	readonly snapshot?: string;
	readonly duration?: string;
	readonly check?: boolean;
	readonly demo?: boolean;
	readonly rule?: readonly string[];
	readonly exportDir?: string;
}

const DEFAULT_BASE = 'http://127.0.0.1:8080';

/** Parses "1s", "500ms", "2m", "1h" or a bare number of seconds into seconds. */
export function parseDuration(text: string | number, what: string): number {
	if (typeof text === 'number') {
		if (Number.isFinite(text) && text > 0) return text;
		throw new Error(`${what} must be a positive duration, got ${text}`);
	}
	const match = /^\s*(\d+(?:\.\d+)?)\s*(ms|s|m|h)?\s*$/.exec(text);
	if (!match) throw new Error(`${what} must be a duration such as 1s, 500ms or 2m, got "${text}"`);
	const value = Number(match[1]);
	const factor = {ms: 0.001, s: 1, m: 60, h: 3600}[match[2] ?? 's'] ?? 1;
	const seconds = value * factor;
	if (seconds <= 0) throw new Error(`${what} must be more than zero, got "${text}"`);
	return seconds;
}

/** Parses `SERVICE=HOST:PORT` into a backend server. */
export function parseBackendFlag(text: string): BackendServer {
	const eq = text.indexOf('=');
	const target = eq > 0 ? splitHostPort(text.slice(eq + 1)) : undefined;
	if (eq <= 0 || target === undefined) throw new Error(`--backend wants SERVICE=HOST:PORT (e.g. whoami@docker=10.0.0.5:80), got "${text}"`);
	return {service: text.slice(0, eq), url: text.slice(eq + 1), host: target.host.toLowerCase(), port: target.port, status: 'unknown', origin: 'flag'};
}

/** Parses a `Name: value` header. */
export function parseHeader(text: string): [string, string] {
	const colon = text.indexOf(':');
	if (colon <= 0) throw new Error(`--header wants "Name: value", got "${text}"`);
	return [text.slice(0, colon).trim(), text.slice(colon + 1).trim()];
}

const urlOrOff = (value: string | undefined): string | null | undefined => (value === undefined ? undefined : value === '' || value === 'off' ? null : value);

type FileConfig = Readonly<Record<string, unknown>>;

/** `null` (switched off) is kept; only a missing value takes the default. */
const orDefault = <T>(value: T | null | undefined, fallback: T): T | null => (value === undefined ? fallback : value);

function pick<T>(...values: (T | undefined)[]): T | undefined {
	return values.find((v) => v !== undefined);
}

const str = (v: unknown): string | undefined => (typeof v === 'string' ? v : typeof v === 'number' ? String(v) : undefined);
const bool = (v: unknown): boolean | undefined =>
	typeof v === 'boolean' ? v : v === '1' || v === 'true' ? true : v === '0' || v === 'false' ? false : undefined;
const list = (v: unknown): string[] | undefined =>
	Array.isArray(v)
		? v.map(String)
		: typeof v === 'string'
			? v
					.split(/[\n,]/)
					.map((s) => s.trim())
					.filter(Boolean)
			: undefined;

/** Merges flags, environment and file into the run's settings; throws a readable message on bad input. */
export function resolveConfig(flags: FlagValues, env: Readonly<Record<string, string | undefined>>, file: FileConfig, stdoutIsTty: boolean): AppConfig {
	const e = (name: string): string | undefined => {
		const value = env[`TRAEFIK_TOP_${name}`];
		return value === undefined || value === '' ? undefined : value;
	};
	const interval = parseDuration(pick(flags.interval, e('INTERVAL'), str(file['interval'])) ?? '1s', '--interval');
	if (interval < 0.1 || interval > 3600) throw new Error('--interval must be between 100ms and 1h');
	const pidText = pick(flags.pid === undefined ? undefined : String(flags.pid), e('PID'), str(file['pid']));
	const pid = pidText === undefined ? undefined : Number(pidText);
	if (pid !== undefined && (!Number.isInteger(pid) || pid <= 0)) throw new Error(`--pid must be a process ID, got "${pidText}"`);
	const headers: Record<string, string> = {};
	for (const h of pick(flags.header, list(e('HEADERS')), list(file['headers'])) ?? []) {
		const [name, value] = parseHeader(h);
		headers[name] = value;
	}
	const fileRules = typeof file['rules'] === 'object' && file['rules'] !== null ? (file['rules'] as Record<string, unknown>) : {};
	const overrides: Record<string, unknown> = {};
	for (const [rule, settings] of Object.entries(fileRules)) {
		if (typeof settings !== 'object' || settings === null) throw new Error(`config file: rules.${rule} must be an object`);
		for (const [key, value] of Object.entries(settings)) overrides[`${rule}.${key}`] = value;
	}
	for (const r of flags.rule ?? []) {
		const eq = r.indexOf('=');
		if (eq < 0) throw new Error(`--rule wants RULE.SETTING=VALUE (e.g. time_wait_ratio.warn=0.3), got "${r}"`);
		overrides[r.slice(0, eq)] = r.slice(eq + 1);
	}
	const json = flags.json === true;
	const mode: Mode = flags.check ? 'check' : flags.snapshot !== undefined ? 'snapshot' : json ? 'json' : flags.once || !stdoutIsTty ? 'once' : 'interactive';
	const noColor = env['NO_COLOR'] !== undefined && env['NO_COLOR'] !== '';
	return {
		metricsUrl: orDefault(pick(urlOrOff(flags.metricsUrl), urlOrOff(e('METRICS_URL')), urlOrOff(str(file['metricsUrl']))), `${DEFAULT_BASE}/metrics`),
		apiUrl: orDefault(pick(urlOrOff(flags.apiUrl), urlOrOff(e('API_URL')), urlOrOff(str(file['apiUrl']))), DEFAULT_BASE),
		...(pid === undefined ? {} : {pid}),
		...optional('pidFile', pick(flags.pidFile, e('PID_FILE'), str(file['pidFile']))),
		procRoot: pick(flags.procRoot, e('PROC_ROOT'), str(file['procRoot'])) ?? '/proc',
		intervalSeconds: interval,
		apiIntervalSeconds: Math.max(interval, parseDuration(pick(str(file['apiInterval']), e('API_INTERVAL')) ?? '10s', 'apiInterval')),
		retentionSeconds: parseDuration(pick(flags.retention, e('RETENTION'), str(file['retention'])) ?? '10m', '--retention'),
		timeoutMs: Math.round(
			1000 * Math.min(parseDuration(pick(flags.timeout, e('TIMEOUT'), str(file['timeout'])) ?? `${Math.max(0.1, interval * 0.8)}s`, '--timeout'), interval),
		),
		service: pick(flags.service, e('SERVICE'), str(file['service'])) ?? null,
		entrypoint: pick(flags.entrypoint, e('ENTRYPOINT'), str(file['entrypoint'])) ?? null,
		backends: (pick(flags.backend, list(e('BACKENDS')), list(file['backends'])) ?? []).map(parseBackendFlag),
		headers,
		...optional('basicAuth', pick(e('BASIC_AUTH'), str(file['basicAuth']))),
		...optional('bearerToken', pick(e('BEARER_TOKEN'), str(file['bearerToken']))),
		insecure: pick(flags.insecure, bool(e('INSECURE')), bool(file['insecure'])) ?? false,
		color: flags.color === false ? false : !noColor && (pick(bool(e('COLOR')), bool(file['color'])) ?? true),
		ascii: pick(flags.ascii, bool(e('ASCII')), bool(file['ascii'])) ?? false,
		mode,
		...optional('count', flags.count),
		...optional('snapshotFile', flags.snapshot),
		durationSeconds: parseDuration(flags.duration ?? '10s', '--duration'),
		exportDir: pick(flags.exportDir, e('EXPORT_DIR'), str(file['exportDir'])) ?? '.',
		demo: flags.demo === true,
		rules: applyRuleOverrides(DEFAULT_RULES, overrides),
	};
}

function optional<K extends string, V>(key: K, value: V | undefined): {[P in K]?: V} {
	return (value === undefined ? {} : {[key]: value}) as {[P in K]?: V};
}
