#!/usr/bin/env node
/** traefik-top: flags -> configuration -> the interactive screen or a headless mode. */
import {readFileSync} from 'node:fs';
import {join} from 'node:path';
import envPaths from 'env-paths';
import yargs from 'yargs';
import {hideBin} from 'yargs/helpers';
import {resolveConfig, type AppConfig, type FlagValues} from './source/config.js';
import {launchDemo} from './source/demo/launch.js';
import {runProxy} from './source/demo/proxy.js';
import {runBlackhole, runStack} from './source/demo/stack.js';
import {runCheck, runJson, runOnce, runSnapshot, writeSnapshot} from './source/headless.js';
import type {Snapshot} from './source/model/snapshot-types.js';
import {startPolling, type Poller} from './source/poll.js';
import {VERSION} from './source/version.js';

const EXAMPLES: [string, string][] = [
	['$0', 'watch the Traefik on this host (metrics and API at http://127.0.0.1:8080)'],
	['$0 --demo', 'start the built-in demo stack and watch it'],
	['$0 --metrics-url http://127.0.0.1:8082/metrics --api-url http://127.0.0.1:8080', 'metrics on a dedicated entry point'],
	['$0 --pid 4242 --backend whoami@docker=10.0.0.5:80', 'no API: name a backend by hand'],
	['$0 --once', 'print every table once as text and exit'],
	['$0 --json --count 5 | jq .alerts', 'five snapshots as JSON lines'],
	['$0 --check', 'Nagios-style check: exit 0 ok, 1 warn, 2 crit, 3 unknown'],
	['TRAEFIK_TOP_BASIC_AUTH=admin:secret $0 --api-url https://traefik.example/', 'credentials come from the environment, never from argv'],
];

function parseFlags(argv: string[]) {
	return yargs(argv)
		.scriptName('traefik-top')
		.usage('$0 [options]\n\nLive terminal monitor for a host that runs Traefik: per-backend TCP states from the kernel, request rates and latency quantiles from /metrics.')
		.version(VERSION)
		.options({
			'metrics-url': {type: 'string', describe: 'Traefik /metrics URL ("off" to skip) [default: http://127.0.0.1:8080/metrics]'},
			'api-url': {type: 'string', describe: 'Traefik API base URL ("off" to skip) [default: http://127.0.0.1:8080]'},
			pid: {type: 'number', describe: 'Traefik PID [default: the process named traefik]'},
			'pid-file': {type: 'string', describe: 'file holding Traefik\'s PID, read at every poll'},
			'proc-root': {type: 'string', describe: 'where /proc is mounted (a host /proc in a container) [default: /proc]'},
			interval: {type: 'string', describe: 'poll interval, e.g. 1s, 500ms, 5s [default: 1s]'},
			retention: {type: 'string', describe: 'history kept for the sparklines [default: 10m]'},
			timeout: {type: 'string', describe: 'HTTP timeout per poll, at most the interval [default: 80% of the interval]'},
			service: {type: 'string', describe: 'pin one service (name or name@provider)'},
			entrypoint: {type: 'string', describe: 'show one entry point only'},
			backend: {type: 'string', array: true, describe: 'SERVICE=HOST:PORT, a backend to watch without the API (repeatable)'},
			header: {type: 'string', array: true, describe: '"Name: value" added to every request (repeatable)'},
			insecure: {type: 'boolean', describe: 'do not verify TLS certificates'},
			config: {type: 'string', describe: 'config file [default: $XDG_CONFIG_HOME/traefik-top/config.json]'},
			color: {type: 'boolean', describe: 'colours (--no-color or NO_COLOR turn them off) [default: true]'},
			ascii: {type: 'boolean', describe: 'ASCII symbols only'},
			rule: {type: 'string', array: true, describe: 'RULE.SETTING=VALUE, e.g. time_wait_ratio.warn=0.3 (repeatable)'},
			once: {type: 'boolean', describe: 'print one plain-text report and exit (default when stdout is not a terminal)'},
			json: {type: 'boolean', describe: 'print one snapshot JSON per interval (NDJSON)'},
			count: {type: 'number', describe: 'with --json: stop after N snapshots'},
			snapshot: {type: 'string', describe: 'collect for --duration, write one snapshot to FILE, exit'},
			duration: {type: 'string', describe: 'with --snapshot: how long to collect [default: 10s]'},
			check: {type: 'boolean', describe: 'one summary line; exit 0 ok, 1 warn, 2 crit, 3 unknown'},
			demo: {type: 'boolean', describe: 'start the built-in demo stack and monitor it'},
			'export-dir': {type: 'string', describe: 'where the e key writes snapshots [default: .]'},
		})
		.example(EXAMPLES)
		.epilogue('Environment: TRAEFIK_TOP_METRICS_URL, TRAEFIK_TOP_API_URL, TRAEFIK_TOP_PID, TRAEFIK_TOP_INTERVAL, TRAEFIK_TOP_BASIC_AUTH (user:password), TRAEFIK_TOP_BEARER_TOKEN, TRAEFIK_TOP_HEADERS, NO_COLOR. Flags win over the environment, which wins over the config file.')
		.strictOptions()
		.wrap(Math.min(120, process.stdout.columns ?? 100))
		.parseSync();
}

function readConfigFile(explicit: string | undefined): Record<string, unknown> {
	const file = explicit ?? process.env['TRAEFIK_TOP_CONFIG'] ?? join(envPaths('traefik-top', {suffix: ''}).config, 'config.json');
	let text: string;
	try {
		text = readFileSync(file, 'utf8');
	} catch (error) {
		if ((error as NodeJS.ErrnoException).code === 'ENOENT' && explicit === undefined) return {};
		throw new Error(`cannot read the config file ${file}: ${(error as Error).message}`);
	}
	try {
		const parsed: unknown = JSON.parse(text);
		if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) throw new Error('not a JSON object');
		return parsed as Record<string, unknown>;
	} catch (error) {
		throw new Error(`the config file ${file} is not valid: ${(error as Error).message}`);
	}
}

async function main(): Promise<number> {
	const argv = parseFlags(hideBin(process.argv));
	const flags: FlagValues = {
		metricsUrl: argv['metrics-url'],
		apiUrl: argv['api-url'],
		pid: argv.pid,
		pidFile: argv['pid-file'],
		procRoot: argv['proc-root'],
		interval: argv.interval,
		retention: argv.retention,
		timeout: argv.timeout,
		service: argv.service,
		entrypoint: argv.entrypoint,
		backend: argv.backend,
		header: argv.header,
		insecure: argv.insecure,
		color: argv.color,
		ascii: argv.ascii,
		rule: argv.rule,
		once: argv.once,
		json: argv.json,
		count: argv.count,
		snapshot: argv.snapshot,
		duration: argv.duration,
		check: argv.check,
		demo: argv.demo,
		exportDir: argv['export-dir'],
	};
	let config: AppConfig = resolveConfig(flags, process.env, readConfigFile(argv.config), Boolean(process.stdout.isTTY));
	if (config.demo) {
		const demo = startDemo(config);
		// The screen comes first; it starts collecting once the stack is up.
		if (config.mode === 'interactive') return interactive(config, demo);
		config = await demo;
		process.stderr.write(`demo stack: Traefik stand-in ${config.pidFile}, API ${config.apiUrl}\n`);
	}
	switch (config.mode) {
		case 'json':
			return runJson(config, process.stdout);
		case 'snapshot':
			return runSnapshot(config, config.snapshotFile ?? 'traefik-top-snapshot.json');
		case 'check':
			return runCheck(config, process.stdout);
		case 'once':
			return runOnce(config, process.stdout);
		default:
			return interactive(config);
	}
}

/** Launches the demo stack (stopped when we exit) and points the configuration at it. */
async function startDemo(config: AppConfig): Promise<AppConfig> {
	const demo = await launchDemo('auto');
	process.once('exit', () => demo.stop());
	const {pid: _ignored, ...rest} = config;
	return {...rest, metricsUrl: demo.info.metricsUrl, apiUrl: demo.info.apiUrl, pidFile: demo.info.pidFile};
}

const INTERVALS = [0.25, 0.5, 1, 2, 5, 10, 30, 60];

/**
 * The live screen. It is drawn at once ("collecting"); the poller starts when `ready` gives the
 * final configuration (the demo stack may still be starting).
 */
async function interactive(config: AppConfig, ready: Promise<AppConfig> = Promise.resolve(config)): Promise<number> {
	// Ink draws only a final frame when CI is set (is-in-ci, read when Ink loads). A person at a
	// terminal is watching whatever a CI variable left in the environment says, so the screen is
	// loaded only now, without them; headless modes never load React and Ink at all.
	delete process.env['CI'];
	delete process.env['CONTINUOUS_INTEGRATION'];
	const [{runInteractive}, {createTheme}] = await Promise.all([import('./source/ui/render.js'), import('./source/ui/theme.js')]);
	const listeners = new Set<(s: Snapshot) => void>();
	let last: Snapshot | null = null;
	let poller: Poller | null = null;
	let stopped = false;
	const fatal = ready.then(
		(settled) => {
			if (!stopped) {
				poller = startPolling(settled, (snapshot) => {
					last = snapshot;
					for (const l of listeners) l(snapshot);
				});
			}
			return new Promise<string>(() => {}); // never: the screen ends with q or a signal
		},
		(error: unknown) => (error instanceof Error ? error.message : String(error)),
	);
	const code = await runInteractive({
		subscribe(listener) {
			listeners.add(listener);
			if (last) listener(last);
			return () => listeners.delete(listener);
		},
		theme: createTheme({colors: config.color, ascii: config.ascii}),
		rules: config.rules,
		pinned: config.service,
		onPin(service) {
			poller?.pin(service);
			poller?.refresh();
		},
		onInterval(step) {
			const current = poller?.intervalSeconds ?? config.intervalSeconds;
			const index = INTERVALS.findIndex((s) => s >= current);
			const next = INTERVALS[Math.max(0, Math.min(INTERVALS.length - 1, (index < 0 ? INTERVALS.length - 1 : index) + step))]!;
			poller?.setInterval(next);
			return next;
		},
		async onExport(snapshot) {
			const file = join(config.exportDir, `traefik-top-${snapshot.takenAt.replace(/[:.]/g, '-')}.json`);
			await writeSnapshot(file, snapshot);
			return file;
		},
	}, process.stdout, fatal);
	stopped = true;
	(poller as Poller | null)?.stop();
	return code;
}

/** Hidden subcommands: the demo stack and its parts run as processes of this same program. */
async function dispatch(): Promise<number | null> {
	const [command, arg] = process.argv.slice(2);
	switch (command) {
		case 'demo-stack':
			await runStack(arg === 'manual' ? 'manual' : 'auto');
			return null;
		case 'demo-proxy':
			await runProxy(JSON.parse(arg ?? '{}'));
			return null;
		case 'demo-blackhole':
			runBlackhole(Number(arg));
			return null;
		default:
			return main();
	}
}

dispatch().then(
	(code) => {
		if (code === null) return; // a long-running subcommand: it ends itself
		process.exitCode = code;
		// Sockets and timers of the pollers must not keep a finished run alive.
		setImmediate(() => process.exit(code));
	},
	(error: unknown) => {
		process.stderr.write(`traefik-top: ${error instanceof Error ? error.message : String(error)}\n`);
		process.exit(3);
	},
);
