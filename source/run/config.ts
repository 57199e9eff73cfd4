/**
 * The settings of one run: flags over environment (TRAEFIK_TOP_*) over the config file over
 * defaults. Pure: the caller reads the file and the environment.
 */
import type {BackendServer} from '../domain/harvest.js';
import {terminalTakesUtf8} from '../format/glyphs.js';
import {parseApiUrl, parseBackendFlag, parseDuration, parseHeader, parseInteger, parseMetricsUrl} from './settings.js';
import type {SshDestination, TargetSpec} from '../domain/fleet.js';
import {parseSshDestination} from '../collect/ssh.js';
import {parseGoDuration} from '../collect/prometheus-api.js';
import {refuseOverSsh, resolveTargets} from './targets.js';
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
	/** At most this many services are tracked (the busiest and newest); the rest are counted on screen. */
	readonly maxServices: number;
	/** At most this many backend addresses are watched. */
	readonly maxBackends: number;
	readonly service: string | null;
	readonly entrypoint: string | null;
	readonly backends: readonly BackendServer[];
	readonly headers: Readonly<Record<string, string>>;
	readonly basicAuth?: string;
	readonly bearerToken?: string;
	readonly insecure: boolean;
	readonly color: boolean;
	readonly ascii: boolean;
	/** The screen takes the mouse (SGR reporting): wheel, clicks. */
	readonly mouse: boolean;
	readonly mode: Mode;
	readonly count?: number;
	readonly snapshotFile?: string;
	/** --duration: how long --snapshot and --check collect (null: --snapshot 10 s, --check as soon as there are rates). */
	readonly durationSeconds: number | null;
	readonly exportDir: string;
	readonly demo: boolean;
	/** --traefik-bin: the Traefik --demo runs (else TRAEFIK_TOP_TRAEFIK_BIN, the project's, PATH's, or the stand-in). */
	readonly traefikBin?: string;
	/** --access-log: Traefik's access log, followed; read from its start with --access-log-from-start. */
	readonly accessLog?: string;
	readonly accessLogFromStart: boolean;
	/** With --demo: what runs, said in the header ("Traefik 3.7.15 (path)", "the stand-in (why)"). */
	readonly demoProxy?: string;
	readonly rules: RulesConfig;
	/** --target / the config file's targets: several instances (empty: the one instance of the URLs above). */
	readonly targets: readonly TargetSpec[];
	/** --ssh: the one instance is on that host (its URLs and PID are the remote's). */
	readonly ssh?: SshDestination;
	/** --ssh-option: `-o` options for every SSH connection. */
	readonly sshOptions: readonly string[];
	/** --ssh-sudo: read the remote /proc through sudo -n. */
	readonly sshSudo: boolean;
	/** --prometheus: the instances' metrics from that Prometheus. */
	readonly prometheus?: PrometheusConfig;
	/** --at: with --once or --json, a report of that past moment (ms since the epoch) from Prometheus. */
	readonly at?: number;
}

export interface PrometheusConfig {
	readonly url: string;
	readonly selector: string;
	readonly instanceLabel: string;
	readonly basicAuth?: string;
	readonly bearerToken?: string;
}

/** Flag values as yargs hands them over (absent when not given). */
export interface FlagValues {
	readonly metricsUrl?: string;
	readonly apiUrl?: string;
	readonly pid?: string;
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
	readonly mouse?: boolean;
	readonly once?: boolean;
	readonly json?: boolean;
	readonly count?: string;
	readonly maxServices?: string;
	readonly maxBackends?: string;
	readonly snapshot?: string;
	readonly duration?: string;
	readonly check?: boolean;
	readonly demo?: boolean;
	readonly traefikBin?: string;
	readonly accessLog?: string;
	readonly accessLogFromStart?: boolean;
	readonly rule?: readonly string[];
	readonly exportDir?: string;
	readonly target?: readonly string[];
	readonly ssh?: string;
	readonly sshOption?: readonly string[];
	readonly sshSudo?: boolean;
	readonly prometheus?: string;
	readonly prometheusSelector?: string;
	readonly prometheusInstanceLabel?: string;
	readonly at?: string;
}

const DEFAULT_BASE = 'http://127.0.0.1:8080';

/** The most samples a history keeps (a day at 1 s): --retention / --interval is held to it. */
export const MAX_HISTORY_SAMPLES = 86_400;

type FileConfig = Readonly<Record<string, unknown>>;

/** The setting parsed, or the default when it is not given. */
const orDefault = <T>(value: string | undefined, fallback: T, parse: (text: string) => T): T => (value === undefined ? fallback : parse(value));

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
	const interval = parseDuration(pick(flags.interval, e('INTERVAL'), str(file['interval'])) ?? '1s', '--interval', 0.1, 3600);
	const pidText = pick(flags.pid, e('PID'), str(file['pid']));
	const pid = pidText === undefined ? undefined : parseInteger(pidText, '--pid (a process ID)', 1, 2 ** 22);
	const retention = parseDuration(pick(flags.retention, e('RETENTION'), str(file['retention'])) ?? '10m', '--retention', 10, 86_400);
	if (retention / interval > MAX_HISTORY_SAMPLES) {
		throw new Error(
			`--retention ${retention}s at --interval ${interval}s keeps ${Math.round(retention / interval)} samples per series; at most ${MAX_HISTORY_SAMPLES}`,
		);
	}
	const timeout = parseDuration(pick(flags.timeout, e('TIMEOUT'), str(file['timeout'])) ?? Math.max(0.1, interval * 0.8), '--timeout', 0.05, 3600);
	const count = flags.count === undefined ? undefined : parseInteger(flags.count, '--count', 1, 1e9);
	const limit = (flag: string | undefined, env: string, key: string, what: string, fallback: number) =>
		parseInteger(pick(flag, e(env), str(file[key])) ?? fallback, what, 10, 10_000_000);
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
	const targets = resolveTargets(flags.target, file['targets']);
	const single = targets.length === 1 && targets[0]!.name === '' ? targets[0]! : undefined;
	const json = flags.json === true;
	const mode: Mode = flags.check ? 'check' : flags.snapshot !== undefined ? 'snapshot' : json ? 'json' : flags.once || !stdoutIsTty ? 'once' : 'interactive';
	const noColor = env['NO_COLOR'] !== undefined && env['NO_COLOR'] !== '';
	const sshText = pick(flags.ssh, e('SSH'), str(file['ssh']));
	const ssh = sshText === undefined ? single?.ssh : parseSshDestination(sshText);
	const sshOptions = (pick(flags.sshOption, list(file['sshOptions'])) ?? []).map(checkSshOption);
	const promUrl = pick(flags.prometheus, e('PROMETHEUS_URL'), str(file['prometheusUrl']));
	const prometheus: PrometheusConfig | undefined =
		promUrl === undefined
			? undefined
			: {
					url:
						parseApiUrl(promUrl) ??
						(() => {
							throw new Error('--prometheus: give the URL of Prometheus (e.g. http://127.0.0.1:9090)');
						})(),
					selector: checkSelector(pick(flags.prometheusSelector, e('PROMETHEUS_SELECTOR'), str(file['prometheusSelector'])) ?? '{job="traefik"}'),
					instanceLabel: checkLabel(pick(flags.prometheusInstanceLabel, str(file['prometheusInstanceLabel'])) ?? 'instance'),
					...optional('basicAuth', pick(e('PROMETHEUS_BASIC_AUTH'), str(file['prometheusBasicAuth']))),
					...optional('bearerToken', pick(e('PROMETHEUS_BEARER_TOKEN'), str(file['prometheusBearerToken']))),
				};
	const pidFile = pick(flags.pidFile, e('PID_FILE'), str(file['pidFile']));
	const accessLog = pick(flags.accessLog, e('ACCESS_LOG'), str(file['accessLog']));
	if (ssh !== undefined) refuseOverSsh({pidFile, accessLog}, '--ssh');
	return {
		metricsUrl: single?.metricsUrl ?? orDefault(pick(flags.metricsUrl, e('METRICS_URL'), str(file['metricsUrl'])), `${DEFAULT_BASE}/metrics`, parseMetricsUrl),
		apiUrl: single?.apiUrl ?? orDefault(pick(flags.apiUrl, e('API_URL'), str(file['apiUrl'])), DEFAULT_BASE, parseApiUrl),
		...(pid === undefined ? (single?.pid === undefined ? {} : {pid: single.pid}) : {pid}),
		...optional('pidFile', pidFile),
		procRoot: pick(flags.procRoot, e('PROC_ROOT'), str(file['procRoot'])) ?? '/proc',
		intervalSeconds: interval,
		apiIntervalSeconds: Math.max(interval, parseDuration(pick(str(file['apiInterval']), e('API_INTERVAL')) ?? '10s', 'apiInterval', 1, 3600)),
		retentionSeconds: retention,
		timeoutMs: Math.round(1000 * Math.min(timeout, interval)),
		maxServices: limit(flags.maxServices, 'MAX_SERVICES', 'maxServices', '--max-services', 5000),
		maxBackends: limit(flags.maxBackends, 'MAX_BACKENDS', 'maxBackends', '--max-backends', 20_000),
		service: pick(flags.service, e('SERVICE'), str(file['service'])) ?? null,
		entrypoint: pick(flags.entrypoint, e('ENTRYPOINT'), str(file['entrypoint'])) ?? null,
		backends: (pick(flags.backend, list(e('BACKENDS')), list(file['backends'])) ?? []).map(parseBackendFlag),
		headers,
		...optional('basicAuth', pick(e('BASIC_AUTH'), str(file['basicAuth']))),
		...optional('bearerToken', pick(e('BEARER_TOKEN'), str(file['bearerToken']))),
		insecure: pick(flags.insecure, bool(e('INSECURE')), bool(file['insecure'])) ?? false,
		color: flags.color === false ? false : !noColor && (pick(bool(e('COLOR')), bool(file['color'])) ?? true),
		// A terminal that cannot show UTF-8 (TERM=dumb, a C or POSIX locale) gets ASCII unless told otherwise.
		ascii: pick(flags.ascii, bool(e('ASCII')), bool(file['ascii'])) ?? !terminalTakesUtf8(env),
		mouse: pick(flags.mouse, bool(e('MOUSE')), bool(file['mouse'])) ?? true,
		mode,
		...optional('count', count),
		...optional('snapshotFile', flags.snapshot),
		durationSeconds: flags.duration === undefined ? null : parseDuration(flags.duration, '--duration', 0.1, 86_400),
		exportDir: pick(flags.exportDir, e('EXPORT_DIR'), str(file['exportDir'])) ?? '.',
		demo: flags.demo === true,
		...optional('traefikBin', flags.traefikBin),
		...optional('accessLog', accessLog),
		accessLogFromStart: flags.accessLogFromStart === true,
		rules: applyRuleOverrides(DEFAULT_RULES, overrides),
		targets: single === undefined ? targets : [],
		...optional('ssh', ssh),
		sshOptions,
		sshSudo: pick(flags.sshSudo, bool(e('SSH_SUDO')), bool(file['sshSudo'])) ?? false,
		...optional('prometheus', prometheus),
		...optional('at', flags.at === undefined ? undefined : parseAt(flags.at, prometheus !== undefined, mode)),
	};
}

/** --at: an ISO 8601 time ("2026-12-02T14:02:10Z"), or how long ago ("20m", "1h30m"); only with --prometheus and --once or --json. */
function parseAt(text: string, prometheus: boolean, mode: Mode): number {
	if (!prometheus) throw new Error('--at reads the past from Prometheus: give --prometheus URL');
	if (mode !== 'once' && mode !== 'json') throw new Error('--at writes a report of the past: use it with --once or --json');
	const ago = parseGoDuration(text);
	const at = Number.isFinite(ago) ? Date.now() - ago * 1000 : Date.parse(text);
	if (!Number.isFinite(at)) throw new Error(`--at wants a time (2026-12-02T14:02:10Z) or how long ago (20m), got "${text}"`);
	if (at > Date.now() + 1000) throw new Error(`--at ${text} is in the future`);
	return at;
}

/** A series selector: `{...}` with matchers (Prometheus says what is wrong inside; this only refuses what is not one). */
function checkSelector(text: string): string {
	const t = text.trim();
	if (!/^\{.*\}$/s.test(t) || /[\n\r]/.test(t)) throw new Error(`--prometheus-selector wants a series selector like {job="traefik"}, got "${text}"`);
	return t;
}

function checkLabel(text: string): string {
	if (!/^[a-zA-Z_][a-zA-Z0-9_]*$/.test(text)) throw new Error(`--prometheus-instance-label wants a label name, got "${text}"`);
	return text;
}

/** An ssh -o option is Key=Value (or "Key Value"); one that runs a command of its own is refused. */
function checkSshOption(option: string): string {
	const match = /^\s*([A-Za-z]+)\s*[= ]\s*(\S.*)$/.exec(option);
	if (!match) throw new Error(`--ssh-option wants Key=Value (an ssh -o option, e.g. IdentityFile=~/.ssh/edge), got "${option}"`);
	const key = match[1]!.toLowerCase();
	if (['localcommand', 'permitlocalcommand', 'proxycommand', 'remotecommand', 'controlpath', 'controlmaster', 'controlpersist'].includes(key))
		throw new Error(`--ssh-option ${match[1]}: not taken (traefik-top runs its own command and control socket; a ProxyCommand goes in ~/.ssh/config)`);
	return `${match[1]}=${match[2]}`;
}

function optional<K extends string, V>(key: K, value: V | undefined): {[P in K]?: V} {
	return (value === undefined ? {} : {[key]: value}) as {[P in K]?: V};
}
