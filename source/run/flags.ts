/** The command line: every flag with its help and examples (yargs). */
import yargs from 'yargs';
import type {FlagValues} from './config.js';
import {VERSION} from './version.js';

/** Each example on one line of its own, under what it does, so that it can be pasted. */
const EXAMPLES: readonly [string, string][] = [
	['watch the Traefik on this host (metrics and API at http://127.0.0.1:8080)', 'traefik-top'],
	['the built-in demo stack, monitored live', 'traefik-top --demo'],
	[
		'an HA pair on this host, compared live (config drift, per-instance split)',
		'traefik-top --target a=http://127.0.0.1:8080 --target b=http://127.0.0.1:9080',
	],
	['a Traefik host over SSH: its kernel view, metrics and API through one connection', 'traefik-top --ssh admin@edge-1'],
	['an HA pair on two hosts, over SSH', 'traefik-top --target a=http://127.0.0.1:8080,ssh=edge-1 --target b=http://127.0.0.1:8080,ssh=edge-2'],
	['a fleet through its Prometheus: every instance it scrapes', 'traefik-top --prometheus http://prometheus:9090 --prometheus-selector \'{job="traefik"}\''],
	['metrics on a dedicated entry point', 'traefik-top --metrics-url http://127.0.0.1:8082/metrics --api-url http://127.0.0.1:8080'],
	['no API: name a backend by hand', 'traefik-top --pid 4242 --backend whoami@docker=10.0.0.5:80'],
	['every table once as text', 'traefik-top --once'],
	['five snapshots as JSON lines', 'traefik-top --json --count 5 | jq .alerts'],
	['a monitoring check: 30 s of polls, then exit 0 ok, 1 warn, 2 crit, 3 unknown', 'traefik-top --check --duration 30s'],
	['credentials from the environment, never from argv', 'TRAEFIK_TOP_BASIC_AUTH=admin:secret traefik-top --api-url https://traefik.example/'],
];

const EPILOGUE = [
	'Examples:',
	...EXAMPLES.flatMap(([what, command]) => [`  # ${what}`, `  ${command}`]),
	'',
	'Environment: TRAEFIK_TOP_METRICS_URL, TRAEFIK_TOP_API_URL, TRAEFIK_TOP_PID, TRAEFIK_TOP_INTERVAL,',
	'TRAEFIK_TOP_BASIC_AUTH (user:password), TRAEFIK_TOP_BEARER_TOKEN, TRAEFIK_TOP_HEADERS, TRAEFIK_TOP_SSH, TRAEFIK_TOP_SSH_SUDO,',
	'TRAEFIK_TOP_PROMETHEUS_URL, TRAEFIK_TOP_PROMETHEUS_BASIC_AUTH, TRAEFIK_TOP_PROMETHEUS_BEARER_TOKEN, NO_COLOR.',
	'Flags win over the environment, which wins over the config file.',
].join('\n');

/** The yargs parser of every flag; `exitProcess: false` makes errors throw instead (tests). */
export function flagParser(argv: readonly string[], exitProcess = true) {
	return (
		yargs([...argv])
			.scriptName('traefik-top')
			.usage(
				'$0 [options]\n\nLive terminal monitor for a host that runs Traefik:\n' +
					'per-backend TCP states from the kernel, request rates and latency quantiles from /metrics.',
			)
			.version(VERSION)
			.options({
				'metrics-url': {type: 'string', describe: 'Traefik /metrics URL ("off" to skip) [default: http://127.0.0.1:8080/metrics]'},
				'api-url': {type: 'string', describe: 'Traefik API base URL ("off" to skip) [default: http://127.0.0.1:8080]'},
				pid: {type: 'string', describe: 'Traefik PID [default: the process named traefik]'},
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
				mouse: {
					type: 'boolean',
					describe: 'the screen takes the mouse: the wheel scrolls, a click selects, a second pins (--no-mouse: the terminal keeps it) [default: true]',
				},
				rule: {type: 'string', array: true, describe: 'RULE.SETTING=VALUE, e.g. time_wait_ratio.warn=0.3 (repeatable)'},
				once: {type: 'boolean', describe: 'print one plain-text report and exit (default when stdout is not a terminal)'},
				json: {type: 'boolean', describe: 'print one snapshot JSON per interval (NDJSON)'},
				count: {type: 'string', describe: 'with --json: stop after N snapshots'},
				'max-services': {type: 'string', describe: 'services tracked at most, the busiest and newest (the rest are counted) [default: 5000]'},
				'max-backends': {type: 'string', describe: 'backend addresses watched at most [default: 20000]'},
				snapshot: {type: 'string', describe: 'collect for --duration, write one snapshot to FILE, exit'},
				duration: {type: 'string', describe: 'with --snapshot or --check: how long to collect first [default: 10s; --check: until there are rates]'},
				check: {type: 'boolean', describe: 'one summary line; exit 0 ok, 1 warn, 2 crit, 3 unknown'},
				demo: {type: 'boolean', describe: 'start the built-in demo stack and monitor it (a real Traefik when one is found, else a stand-in)'},
				'access-log': {type: 'string', describe: "Traefik's access log (JSON or common), followed like tail -F: single requests and per-server figures"},
				'access-log-from-start': {type: 'boolean', describe: 'read the access log from its start, not its end'},
				'traefik-bin': {
					type: 'string',
					describe: 'with --demo: the Traefik binary to run, "off" for the stand-in [default: TRAEFIK_TOP_TRAEFIK_BIN, the project install, PATH]',
				},
				'export-dir': {type: 'string', describe: 'where the e key writes snapshots [default: .]'},
				target: {
					type: 'string',
					array: true,
					describe:
						'NAME=URL[,pid=N][,pidfile=PATH][,api=URL][,metrics=URL][,log=PATH][,header=Name: value][,ssh=[user@]host[:port]]: ' +
						'one Traefik instance of several, watched together (repeatable)',
				},
				ssh: {
					type: 'string',
					describe:
						'[user@]host[:port]: watch the Traefik on that host through one SSH connection (the URLs and --pid are its own; needs only sh, cat and awk there)',
				},
				'ssh-option': {type: 'string', array: true, describe: 'an ssh -o option for every SSH connection, e.g. IdentityFile=~/.ssh/edge (repeatable)'},
				'ssh-sudo': {type: 'boolean', describe: "read the remote /proc through sudo -n (Traefik's sockets of another user); says so when refused"},
				prometheus: {
					type: 'string',
					describe: 'URL of a Prometheus that scrapes the Traefik instances: their metrics from it, a few queries a poll for all of them',
				},
				'prometheus-selector': {type: 'string', describe: 'series selector of the Traefik instances in Prometheus [default: {job="traefik"}]'},
				'prometheus-instance-label': {type: 'string', describe: 'the label that tells instances apart [default: instance]'},
				at: {type: 'string', describe: 'with --prometheus and --once or --json: a report of that past moment (an ISO 8601 time, or how long ago: 20m)'},
			})
			.epilogue(EPILOGUE)
			.strictOptions()
			// Not wrapped: an example broken in the middle could not be pasted.
			.wrap(null)
			.exitProcess(exitProcess)
	);
}

/** A flag given once: yargs makes a list of one given twice, which would mean one of them is dropped unseen. */
function once<T>(value: T | T[], name: string): T {
	if (Array.isArray(value)) throw new Error(`--${name} is given ${value.length} times; give it once`);
	return value;
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
		metricsUrl: once(argv['metrics-url'], 'metrics-url'),
		apiUrl: once(argv['api-url'], 'api-url'),
		pid: once(argv.pid, 'pid'),
		pidFile: once(argv['pid-file'], 'pid-file'),
		procRoot: once(argv['proc-root'], 'proc-root'),
		interval: once(argv.interval, 'interval'),
		retention: once(argv.retention, 'retention'),
		timeout: once(argv.timeout, 'timeout'),
		service: once(argv.service, 'service'),
		entrypoint: once(argv.entrypoint, 'entrypoint'),
		backend: argv.backend,
		header: argv.header,
		insecure: once(argv.insecure, 'insecure'),
		color: once(argv.color, 'color'),
		ascii: once(argv.ascii, 'ascii'),
		mouse: once(argv.mouse, 'mouse'),
		rule: argv.rule,
		once: once(argv.once, 'once'),
		json: once(argv.json, 'json'),
		count: once(argv.count, 'count'),
		maxServices: once(argv['max-services'], 'max-services'),
		maxBackends: once(argv['max-backends'], 'max-backends'),
		snapshot: once(argv.snapshot, 'snapshot'),
		duration: once(argv.duration, 'duration'),
		check: once(argv.check, 'check'),
		demo: once(argv.demo, 'demo'),
		traefikBin: once(argv['traefik-bin'], 'traefik-bin'),
		accessLog: once(argv['access-log'], 'access-log'),
		accessLogFromStart: once(argv['access-log-from-start'], 'access-log-from-start'),
		exportDir: once(argv['export-dir'], 'export-dir'),
		target: argv.target,
		ssh: once(argv.ssh, 'ssh'),
		sshOption: argv['ssh-option'],
		sshSudo: once(argv['ssh-sudo'], 'ssh-sudo'),
		prometheus: once(argv.prometheus, 'prometheus'),
		prometheusSelector: once(argv['prometheus-selector'], 'prometheus-selector'),
		prometheusInstanceLabel: once(argv['prometheus-instance-label'], 'prometheus-instance-label'),
		at: once(argv.at, 'at'),
	};
	return {flags, configFile: once(argv.config, 'config')};
}
