/** The command line: every flag with its help and examples (yargs). */
import yargs from 'yargs';
import type {FlagValues} from './config.js';
import {VERSION} from './version.js';

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

/** The yargs parser of every flag; `exitProcess: false` makes errors throw instead (tests). */
export function flagParser(argv: readonly string[], exitProcess = true) {
	return yargs([...argv])
		.scriptName('traefik-top')
		.usage(
			'$0 [options]\n\nLive terminal monitor for a host that runs Traefik: ' +
				'per-backend TCP states from the kernel, request rates and latency quantiles from /metrics.',
		)
		.version(VERSION)
		.options({
			'metrics-url': {type: 'string', describe: 'Traefik /metrics URL ("off" to skip) [default: http://127.0.0.1:8080/metrics]'},
			'api-url': {type: 'string', describe: 'Traefik API base URL ("off" to skip) [default: http://127.0.0.1:8080]'},
			pid: {type: 'number', describe: 'Traefik PID [default: the process named traefik]'},
			'pid-file': {type: 'string', describe: "file holding Traefik's PID, read at every poll"},
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
		.epilogue(
			'Environment: TRAEFIK_TOP_METRICS_URL, TRAEFIK_TOP_API_URL, TRAEFIK_TOP_PID, TRAEFIK_TOP_INTERVAL, ' +
				'TRAEFIK_TOP_BASIC_AUTH (user:password), TRAEFIK_TOP_BEARER_TOKEN, TRAEFIK_TOP_HEADERS, NO_COLOR. ' +
				'Flags win over the environment, which wins over the config file.',
		)
		.strictOptions()
		.wrap(Math.min(120, process.stdout.columns ?? 100))
		.exitProcess(exitProcess);
}

/** Parses argv into flag values and the config file named by --config. */
export function parseFlags(args: readonly string[], exitProcess = true): {flags: FlagValues; configFile: string | undefined} {
	const parser = flagParser(args, exitProcess);
	if (!exitProcess) {
		parser.fail((message, error) => {
			throw error ?? new Error(message);
		});
	}
	const argv = parser.parseSync();
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
	return {flags, configFile: argv.config};
}
