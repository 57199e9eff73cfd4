#!/usr/bin/env node
/** traefik-top: flags -> configuration -> the interactive screen or a headless mode. */
import './source/run/runtime.js';
import {join, resolve} from 'node:path';
import envPaths from 'env-paths';
import {hideBin} from 'yargs/helpers';
import {resolveConfig, type AppConfig} from './source/run/config.js';
import {readConfigFile} from './source/run/config-file.js';
import {terminalSafe} from './source/format/terminal-safe.js';
import {prometheusRules} from './source/format/prometheus-rules.js';
import {parseDuration} from './source/run/settings.js';
import {parseFlags} from './source/run/flags.js';
import {launchDemo} from './source/demo/launch.js';
import {runProxy} from './source/demo/proxy.js';
import {chooseProxy, runBlackhole, runStack} from './source/demo/stack.js';
import {runCheck, writeRequests, runJson, runOnce, runSnapshot, writeSnapshot} from './source/run/headless.js';
import type {Snapshot} from './source/domain/snapshot.js';
import type {Poller} from './source/run/poll.js';
import {isPollerThread, runPollerThread, startPollingThread} from './source/run/poll-thread.js';
import {fileURLToPath} from 'node:url';

async function main(): Promise<number> {
	const {flags, configFile} = parseFlags(hideBin(process.argv));
	const file = readConfigFile(configFile ?? process.env['TRAEFIK_TOP_CONFIG'], join(envPaths('traefik-top', {suffix: ''}).config, 'config.json'));
	let config: AppConfig = resolveConfig(flags, process.env, file, Boolean(process.stdout.isTTY));
	if (config.demo) {
		const demo = startDemo(config);
		// The screen comes first; it starts collecting once the stack is up.
		if (config.mode === 'interactive') return interactive(config, demo);
		config = await demo;
		process.stderr.write(`demo stack: ${config.demoProxy}; API ${config.apiUrl}, metrics ${config.metricsUrl}, PID in ${config.pidFile}\n`);
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
	const demo = await launchDemo('auto', config.traefikBin === undefined ? [] : ['--traefik-bin', config.traefikBin]);
	process.once('exit', () => demo.stop());
	const {pid: _ignored, ...rest} = config;
	return {
		...rest,
		metricsUrl: demo.info.metricsUrl,
		apiUrl: demo.info.apiUrl,
		pidFile: demo.info.pidFile,
		demoProxy: demo.info.proxy,
		accessLog: config.accessLog ?? demo.info.accessLog,
	};
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
	/** With --prometheus: the past moment shown ([ and ]), null: live. */
	let rewindAt: number | null = null;
	let stopped = false;
	const fatal = ready.then(
		(settled) => {
			if (!stopped) {
				poller = startPollingThread(settled, fileURLToPath(import.meta.url), (snapshot) => {
					last = snapshot;
					for (const l of listeners) l(snapshot);
				});
			}
			return new Promise<string>(() => {}); // never: the screen ends with q or a signal
		},
		(error: unknown) => (error instanceof Error ? error.message : String(error)),
	);
	const code = await runInteractive(
		{
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
			onPinInstance(name) {
				poller?.pinInstance(name);
				poller?.refresh();
			},
			onRewind(step) {
				if (config.prometheus === undefined) return {text: "[ and ] step through Prometheus' history: start with --prometheus URL", severity: 'warn'};
				const now = Date.now();
				rewindAt = step === 0 ? null : Math.min(now, (rewindAt ?? now) + step * 60_000);
				if (rewindAt !== null && rewindAt >= now) rewindAt = null;
				poller?.rewind(rewindAt);
				return rewindAt === null
					? {text: 'live', severity: 'ok'}
					: {
							text: `at ${new Date(rewindAt).toISOString().slice(11, 19)}, ${Math.round((now - rewindAt) / 60_000)} min ago ([ ] a minute, 0 live)`,
							severity: 'ok',
						};
			},
			onInterval(step) {
				const current = poller?.intervalSeconds ?? config.intervalSeconds;
				const index = INTERVALS.findIndex((s) => s >= current);
				const next = INTERVALS[Math.max(0, Math.min(INTERVALS.length - 1, (index < 0 ? INTERVALS.length - 1 : index) + step))]!;
				poller?.setInterval(next);
				return next;
			},
			async onExport(snapshot, requests) {
				// The message names the whole path: the default directory is wherever traefik-top was started.
				const base = resolve(config.exportDir, `traefik-top-${snapshot.takenAt.replace(/[:.]/g, '-')}`);
				await writeSnapshot(`${base}.json`, snapshot);
				if (requests === undefined) return `${base}.json`;
				await writeRequests(`${base}-requests.ndjson`, requests);
				return `${base}.json (+ -requests.ndjson, ${requests.length} requests)`;
			},
		},
		process.stdout,
		fatal,
		{mouse: config.mouse},
	);
	stopped = true;
	(poller as Poller | null)?.stop();
	return code;
}

/**
 * `traefik-top rules --prometheus [--scrape-interval 15s] [--config FILE] [--rule R.S=V]`: the rules
 * as Prometheus alerting rules, with this configuration's thresholds.
 */
function printRules(args: readonly string[]): number {
	if (!args.includes('--prometheus')) {
		process.stderr.write(
			'traefik-top rules --prometheus [--scrape-interval 15s] [--config FILE] [--rule RULE.SETTING=VALUE]: prints Prometheus alerting rules\n',
		);
		return 2;
	}
	const at = args.indexOf('--scrape-interval');
	const scrape = at >= 0 ? parseDuration(args[at + 1] ?? '', '--scrape-interval', 1, 3600) : 15;
	const rest = args.filter((a, i) => a !== '--prometheus' && (at < 0 || (i !== at && i !== at + 1)));
	const {flags, configFile} = parseFlags(rest);
	const file = readConfigFile(configFile ?? process.env['TRAEFIK_TOP_CONFIG'], join(envPaths('traefik-top', {suffix: ''}).config, 'config.json'));
	const config = resolveConfig(flags, process.env, file, false);
	process.stdout.write(prometheusRules(config.rules, config.apiIntervalSeconds, scrape));
	return 0;
}

/** Hidden subcommands: the demo stack and its parts run as processes of this same program. */
async function dispatch(): Promise<number | null> {
	const [command, arg] = process.argv.slice(2);
	switch (command) {
		case 'demo-stack':
			await runStack(arg === 'manual' ? 'manual' : 'auto', chooseProxy(process.argv.slice(4)));
			return null;
		case 'demo-proxy':
			await runProxy(JSON.parse(arg ?? '{}'), process.argv[4]);
			return null;
		case 'demo-blackhole':
			runBlackhole(Number(arg), process.argv[4]);
			return null;
		case 'rules':
			return printRules(process.argv.slice(3));
		default:
			return main();
	}
}

// A reader that goes away (`--json | head`) ends the run quietly, whatever the mode. Other errors
// are left to the screen's own handler (a closed terminal), or fail as Node would fail them.
for (const stream of [process.stdout, process.stderr]) {
	stream.on('error', (error: NodeJS.ErrnoException) => {
		if (error.code === 'EPIPE') process.exit(0);
		if (stream.listenerCount('error') === 1) throw error;
	});
}

if (isPollerThread()) runPollerThread();
else
	dispatch().then(
		(code) => {
			if (code === null) return; // a long-running subcommand: it ends itself
			process.exitCode = code;
			// Sockets and timers of the pollers must not keep a finished run alive.
			setImmediate(() => process.exit(code));
		},
		(error: unknown) => {
			// Messages may quote what a server or a file said: printed terminal-safe.
			process.stderr.write(`traefik-top: ${terminalSafe(error instanceof Error ? error.message : String(error))}\n`);
			process.exit(3);
		},
	);
