/**
 * A real Traefik run on loopback: its static configuration (entry points, the API and ping on
 * `traefik`, Prometheus metrics with router labels, a JSON access log, a watched file-provider
 * directory), started, waited for on /ping, restarted and stopped by its PID. The demo stack runs
 * it in place of the stand-in, and the tests and benchmarks run it to prove every rule.
 */
import {existsSync, mkdirSync, readFileSync, renameSync, writeFileSync} from 'node:fs';
import http from 'node:http';
import net from 'node:net';
import {join} from 'node:path';
import {execa, type ResultPromise} from 'execa';

export interface EntryPointSpec {
	readonly port: number;
	/** TLS on by default for every router of this entry point (websecure). */
	readonly tls?: boolean;
}

export interface TraefikOptions {
	readonly binary: string;
	/** A directory of its own: traefik.yaml, dynamic/, access.log and traefik.log go there. */
	readonly dir: string;
	/** Entry points by name; `traefik` carries the API, ping and /metrics. */
	readonly entryPoints: Readonly<Record<string, EntryPointSpec>>;
	/** More static configuration, merged at the top level (e.g. {log: {level: 'DEBUG'}}). */
	readonly extra?: Readonly<Record<string, unknown>>;
	/** Where the entry points listen and are reached [default: 127.0.0.1]. */
	readonly address?: string;
	/** A command Traefik runs under, e.g. ['ip', 'netns', 'exec', 'NAME'] (it must exec Traefik: the PID stays Traefik's). */
	readonly wrap?: readonly string[];
	/**
	 * How long a stop waits for open connections (each entry point's lifeCycle.graceTimeOut)
	 * [default: Traefik's, 10 s]. A stalled download holds Traefik that long on every stop.
	 */
	readonly graceTimeOut?: string;
	/** The access log's format [default: json]. */
	readonly accessLogFormat?: 'json' | 'common';
}

/** A port the OS says is free on 127.0.0.1 now (Traefik's static config needs numbers). */
export async function freePort(host = '127.0.0.1'): Promise<number> {
	const server = net.createServer();
	await new Promise<void>((resolve, reject) => {
		server.once('error', reject);
		server.listen(0, host, resolve);
	});
	const port = (server.address() as net.AddressInfo).port;
	await new Promise((resolve) => server.close(resolve));
	return port;
}

/** Traefik's static configuration for `options`. JSON is YAML: the file is written as JSON. */
export function staticConfig(options: TraefikOptions): Record<string, unknown> {
	const entryPoints = Object.fromEntries(
		Object.entries(options.entryPoints).map(([name, spec]) => [
			name,
			{
				address: `${options.address ?? '127.0.0.1'}:${spec.port}`,
				...(spec.tls ? {http: {tls: {}}} : {}),
				...(options.graceTimeOut === undefined ? {} : {transport: {lifeCycle: {graceTimeOut: options.graceTimeOut}}}),
			},
		]),
	);
	return {
		global: {checkNewVersion: false, sendAnonymousUsage: false},
		entryPoints,
		api: {insecure: true, dashboard: false},
		ping: {entryPoint: 'traefik'},
		metrics: {prometheus: {entryPoint: 'traefik', addRoutersLabels: true, addServicesLabels: true, addEntryPointsLabels: true}},
		accessLog: {filePath: join(options.dir, 'access.log'), format: options.accessLogFormat ?? 'json', bufferingSize: 0},
		log: {level: 'INFO', noColor: true},
		providers: {file: {directory: join(options.dir, 'dynamic'), watch: true}},
		...options.extra,
	};
}

/** A running (or stopped) Traefik. */
export class Traefik {
	private child: ResultPromise | null = null;
	readonly logFile: string;
	readonly accessLog: string;
	readonly dynamicDir: string;

	constructor(readonly options: TraefikOptions) {
		this.logFile = join(options.dir, 'traefik.log');
		this.accessLog = join(options.dir, 'access.log');
		this.dynamicDir = join(options.dir, 'dynamic');
		mkdirSync(this.dynamicDir, {recursive: true});
		writeFileSync(join(options.dir, 'traefik.yaml'), `${JSON.stringify(staticConfig(options), null, 2)}\n`);
	}

	get pid(): number | undefined {
		return this.child?.pid;
	}

	get apiUrl(): string {
		return `http://${this.options.address ?? '127.0.0.1'}:${this.options.entryPoints['traefik']!.port}`;
	}

	get metricsUrl(): string {
		return `${this.apiUrl}/metrics`;
	}

	/**
	 * Writes a file of the watched directory at once and whole (a temporary file renamed over it),
	 * so that Traefik never reads half of one.
	 */
	writeDynamic(name: string, config: unknown): void {
		const file = join(this.dynamicDir, `${name}.yaml`);
		const temporary = join(this.options.dir, `.${name}.yaml.tmp`);
		writeFileSync(temporary, `${JSON.stringify(config, null, 2)}\n`);
		renameSync(temporary, file);
	}

	/** Starts Traefik and resolves once /ping answers (rejects with the end of its log if it does not within `timeoutMs`). */
	async start(timeoutMs = 20_000): Promise<void> {
		if (this.child) throw new Error('Traefik is already running');
		const [command, ...prefix] = [...(this.options.wrap ?? []), this.options.binary];
		this.child = execa(command!, [...prefix, `--configFile=${join(this.options.dir, 'traefik.yaml')}`], {
			stdin: 'ignore',
			stdout: {file: this.logFile, append: true},
			stderr: {file: this.logFile, append: true},
			reject: false,
			cleanup: true,
			forceKillAfterDelay: 5000,
		});
		const child = this.child;
		const deadline = Date.now() + timeoutMs;
		while (Date.now() < deadline) {
			if (child.exitCode !== null || child.signalCode !== null) break;
			if ((await ping(`${this.apiUrl}/ping`)) === 200) return;
			await new Promise((resolve) => setTimeout(resolve, 100));
		}
		const tail = this.logTail();
		await this.stop();
		throw new Error(`Traefik did not answer /ping within ${timeoutMs / 1000} s; its log ends:\n${tail}`);
	}

	/** Ends Traefik by its PID: SIGTERM, then SIGKILL after 5 s; resolves when it has exited. */
	async stop(): Promise<void> {
		const child = this.child;
		this.child = null;
		if (!child || child.exitCode !== null || child.signalCode !== null) return;
		child.kill('SIGTERM');
		await child;
	}

	/** A stop and a start: a new PID, counters from zero, the same ports and configuration. */
	async restart(): Promise<void> {
		await this.stop();
		await this.start();
	}

	/** The last lines of Traefik's own log. */
	logTail(lines = 30): string {
		if (!existsSync(this.logFile)) return '(no log)';
		return readFileSync(this.logFile, 'utf8').trimEnd().split('\n').slice(-lines).join('\n');
	}
}

/** The status of one GET, or 0 when there is no answer within a second. */
function ping(url: string): Promise<number> {
	return new Promise((resolve) => {
		const request = http.get(url, {timeout: 1000, agent: false}, (response) => {
			response.resume();
			resolve(response.statusCode ?? 0);
		});
		request.on('timeout', () => request.destroy());
		request.on('error', () => resolve(0));
	});
}
