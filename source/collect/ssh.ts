/**
 * One OpenSSH connection per remote Traefik host, run through execa: the system's ssh client,
 * so the user's ~/.ssh/config, agent and known_hosts apply, and host keys are checked as ssh
 * checks them (never switched off here). The connection is a ControlMaster (its socket in a
 * private folder of this run), carries the remote reader's session (remote-reader.ts) and
 * forwards Traefik's metrics and API ports to local Unix sockets in that folder, so nothing else
 * travels to Traefik's ports and no local TCP port is opened for them.
 */
import {mkdtempSync, rmSync} from 'node:fs';
import {tmpdir} from 'node:os';
import {join} from 'node:path';
import {execa, type ResultPromise} from 'execa';
import type {LinkState} from '../domain/harvest.js';
import type {SshDestination} from '../domain/fleet.js';
import {bootstrapCommand, parseHello, READER_SCRIPT, RUN_LINE, sudoCommand, type RemoteHello} from './remote-reader.js';

/** How every connection of the run is made. */
export interface SshSettings {
	/** Extra `-o` options (`--ssh-option Key=Value`). */
	readonly options: readonly string[];
	/** Read /proc as root through `sudo -n` (--ssh-sudo). */
	readonly sudo: boolean;
	readonly connectTimeoutSeconds: number;
	/** The longest wait before a broken link is tried again (two poll intervals: it is back within two polls of the host accepting). */
	readonly retryCapMs: number;
	/** The ssh client (tests and odd installs name another). */
	readonly command?: string;
}

/** Parses `[user@]host[:port]` (an IPv6 host in brackets); refuses what ssh could take for an option, or a shell for a command. */
export function parseSshDestination(text: string, what = '--ssh'): SshDestination {
	const value = text.trim();
	if (value === '' || value.startsWith('-') || /[\s'"\\;`$]/.test(value)) throw new Error(`${what} "${text}": give [user@]host[:port]`);
	const bracket = /^((?:[^@]+@)?)\[([^\]]+)\](?::(\d+))?$/.exec(value);
	const plain = /^((?:[^@]+@)?)([^:@[\]]+)(?::(\d+))?$/.exec(value);
	const match = bracket ?? plain;
	if (!match) throw new Error(`${what} "${text}": give [user@]host[:port]`);
	const port = match[3] === undefined ? undefined : Number(match[3]);
	if (port !== undefined && !(port >= 1 && port <= 65535)) throw new Error(`${what} "${text}": the port must be 1-65535`);
	return {destination: `${match[1]}${match[2]}`, ...(port === undefined ? {} : {port})};
}

/** What ssh said on stderr when it ended, in words; `host` as the user named it. */
export function describeSshFailure(stderr: string, exitCode: number | undefined, host: string, timeoutSeconds: number): string {
	const lines = stderr
		.split('\n')
		.map((l) => l.trim())
		.filter((l) => l !== '' && !/^@+$/.test(l));
	const all = lines.join('\n');
	if (/REMOTE HOST IDENTIFICATION HAS CHANGED/i.test(all)) {
		const where = /Offending \S+ key in (\S+)/.exec(all)?.[1];
		return (
			`the host key of ${host} has CHANGED since it was recorded${where ? ` (${where})` : ''}: not connected. ` +
			`If the host was reinstalled, check its new key and remove the old one (ssh-keygen -R); otherwise someone may be in the middle`
		);
	}
	if (/No \S+ host key is known for|Host key verification failed/i.test(all))
		return `the host key of ${host} is not in known_hosts: not connected (traefik-top never accepts a key; connect once with ssh and check its fingerprint)`;
	const denied = /Permission denied \(([^)]*)\)/.exec(all);
	if (denied)
		return (
			`authentication refused by ${host} (it offers ${denied[1]}); ` +
			'traefik-top never prompts: load a key into ssh-agent or name one with --ssh-option IdentityFile=PATH'
		);
	if (/Connection refused/i.test(all)) return `connection refused by ${host} (is sshd running and listening on that port?)`;
	if (/timed out|Operation timed out/i.test(all)) return `no answer from ${host} within ${timeoutSeconds} s (connection timed out)`;
	if (/Could not resolve hostname/i.test(all)) return `host name ${host} not found`;
	if (/No route to host|Network is unreachable/i.test(all)) return `${host} is unreachable (no route)`;
	const last = lines.filter((l) => !/^(Warning|debug)/.test(l)).pop();
	if (last !== undefined) return `ssh ${host}: ${last}`;
	return exitCode === undefined ? `ssh ${host} ended` : `ssh ${host} exited with code ${exitCode}`;
}

/** Retry delays: a link that broke is tried again at once, then less and less often (up to the settings' cap); one refused for good (keys, auth) every 30 s. */
const BACKOFF_MS = [0, 500, 1000, 2000, 4000, 8000];
const REFUSED_RETRY_MS = 30_000;
/** Answers missed in a row before the session is taken for dead and made again. */
const STALLS_BEFORE_RESTART = 3;

/** The private folder every link's control and forward sockets live in; removed when the last link closes. */
let runtime: {dir: string; users: number} | null = null;
let removeOnExit = false;
function acquireRuntimeDir(): string {
	if (runtime === null) {
		// mkdtemp makes it 0700: other users cannot reach the forwarded Traefik ports through it.
		runtime = {dir: mkdtempSync(join(process.env['XDG_RUNTIME_DIR'] ?? tmpdir(), 'traefik-top-')), users: 0};
		if (!removeOnExit) {
			removeOnExit = true;
			process.once('exit', () => {
				if (runtime !== null) rmSync(runtime.dir, {recursive: true, force: true});
			});
		}
	}
	runtime.users++;
	return runtime.dir;
}
function releaseRuntimeDir(): void {
	if (runtime === null) return;
	runtime.users--;
	if (runtime.users > 0) return;
	rmSync(runtime.dir, {recursive: true, force: true});
	runtime = null;
}

let linkCount = 0;

/** One connection to one host: the reader's answers and the forwarded sockets. */
export class SshLink {
	private child: ResultPromise | null = null;
	private hello: RemoteHello | null = null;
	private readonly dir: string;
	private readonly id = ++linkCount;
	private stdoutRest = '';
	private stderr = '';
	private seq = 0;
	private pending: {seq: number; lines: string[]; firstByteAt: number | null; resolve: (lines: string[], firstByteAt: number | null) => void} | null = null;
	private waitingHello: Array<() => void> = [];
	private failures = 0;
	private retryAt = 0;
	private stalls = 0;
	/** Set when this side ended a session whose reader stopped answering. */
	private stalled = false;
	private state: LinkState;
	private closed = false;
	/** Remote "host:port" -> the local socket forwarded to it. */
	private readonly sockets = new Map<string, string>();

	constructor(
		private readonly target: SshDestination,
		private readonly settings: SshSettings,
		forwards: readonly {host: string; port: number}[],
		private readonly label = target.destination,
	) {
		this.dir = acquireRuntimeDir();
		for (const f of forwards) {
			const key = `${f.host}:${f.port}`;
			if (!this.sockets.has(key)) this.sockets.set(key, join(this.dir, `${this.id}-${this.sockets.size}.sock`));
		}
		this.state = {host: label, state: 'connecting', since: Date.now(), rttMs: null, bytesPerPoll: null};
	}

	/** The local socket that reaches `host:port` on the remote, as the remote resolves it. */
	socketFor(host: string, port: number): string | undefined {
		return this.sockets.get(`${host}:${port}`);
	}

	get link(): LinkState {
		return this.state;
	}

	/** The remote's first line, once connected. */
	get remote(): RemoteHello | null {
		return this.hello;
	}

	get connected(): boolean {
		return this.state.state === 'connected';
	}

	/** The ssh command line: options, forwards, the destination and the reader's bootstrap (no secret: credentials go in the tunnel's requests). */
	private args(): string[] {
		const s = this.settings;
		const control = join(this.dir, `${this.id}.ctl`);
		// ssh takes the first value given for an option: the user's come first, ours are defaults.
		return [
			'-T',
			...s.options.flatMap((o) => ['-o', o]),
			'-o',
			'BatchMode=yes',
			'-o',
			'ControlMaster=yes',
			'-o',
			`ControlPath=${control}`,
			'-o',
			'ControlPersist=no',
			'-o',
			'ExitOnForwardFailure=yes',
			'-o',
			'StreamLocalBindUnlink=yes',
			'-o',
			'ServerAliveInterval=5',
			'-o',
			'ServerAliveCountMax=2',
			'-o',
			`ConnectTimeout=${s.connectTimeoutSeconds}`,
			...[...this.sockets].flatMap(([remote, local]) => ['-L', `${local}:${remote}`]),
			...(this.target.port === undefined ? [] : ['-p', String(this.target.port)]),
			'--',
			this.target.destination,
			s.sudo ? sudoCommand() : bootstrapCommand(),
		];
	}

	/** Starts the connection when none runs and the retry delay has passed; resolves when the remote said hello (or the attempt ended). */
	async connect(waitMs: number): Promise<void> {
		if (this.closed) return;
		if (this.child === null) {
			if (Date.now() < this.retryAt) return;
			this.start();
		}
		if (this.hello !== null) return;
		await new Promise<void>((resolve) => {
			const timer = setTimeout(done, waitMs);
			function done() {
				clearTimeout(timer);
				resolve();
			}
			this.waitingHello.push(done);
		});
	}

	private start(): void {
		this.hello = null;
		this.stderr = '';
		this.stdoutRest = '';
		this.stalls = 0;
		this.stalled = false;
		if (this.state.state !== 'reconnecting') this.state = {...this.state, state: 'connecting', since: Date.now()};
		const child = execa(this.settings.command ?? 'ssh', this.args(), {
			stdin: 'pipe',
			stdout: 'pipe',
			stderr: 'pipe',
			buffer: false,
			reject: false,
			cleanup: true,
			forceKillAfterDelay: 2000,
			encoding: 'utf8',
		});
		this.child = child;
		child.stdin?.on('error', () => {}); // a write to a link that just died; its exit says why
		child.stdin?.write(`${READER_SCRIPT}\n${RUN_LINE}\n`);
		child.stdout?.setEncoding('utf8');
		child.stdout?.on('data', (chunk: string) => this.onStdout(child, chunk));
		child.stderr?.setEncoding('utf8');
		child.stderr?.on('data', (chunk: string) => {
			this.stderr = (this.stderr + chunk).slice(-8192);
			// A forwarded connection the remote could not make: "channel 3: open failed: connect failed: Connection refused".
			for (const m of chunk.matchAll(/open failed: ([^\r\n]+)/g)) this.channelError = m[1]!.trim();
		});
		void child.then((result) => this.onExit(child, result.exitCode));
	}

	private onStdout(child: ResultPromise, chunk: string): void {
		if (child !== this.child) return;
		const text = this.stdoutRest + chunk;
		const lines = text.split('\n');
		this.stdoutRest = lines.pop() ?? '';
		for (const line of lines) this.onLine(line);
	}

	private onLine(line: string): void {
		if (this.hello === null) {
			if (line.startsWith('@@sudo-refused')) {
				this.state = {...this.state, sudo: `refused (${line.slice(15).trim() || 'no reason given'})`};
				return;
			}
			const hello = parseHello(line);
			if (hello === undefined) return; // a login banner or a motd line
			this.hello = hello;
			this.failures = 0;
			this.state = {
				host: this.label,
				state: 'connected',
				since: Date.now(),
				rttMs: this.state.rttMs,
				bytesPerPoll: this.state.bytesPerPoll,
				...(this.settings.sudo ? {sudo: this.state.sudo ?? (hello.linux && hello.uid === 0 ? 'yes' : 'no')} : {}),
			};
			for (const done of this.waitingHello.splice(0)) done();
			return;
		}
		const pending = this.pending;
		if (pending === null) return; // an answer that came after its poll gave up
		if (pending.lines.length === 0) {
			if (line !== `@@begin ${pending.seq}`) return; // the end of an older, late answer
			pending.firstByteAt = performance.now();
		}
		pending.lines.push(line);
		if (line === `@@end ${pending.seq}`) {
			this.pending = null;
			pending.resolve(pending.lines, pending.firstByteAt);
		}
	}

	private onExit(child: ResultPromise, exitCode: number | undefined): void {
		if (child !== this.child) return;
		this.child = null;
		this.hello = null;
		for (const done of this.waitingHello.splice(0)) done();
		if (this.pending !== null) {
			const pending = this.pending;
			this.pending = null;
			pending.resolve([], null);
		}
		if (this.closed) return;
		const error = this.stalled
			? `the reader on ${this.label} stopped answering for ${STALLS_BEFORE_RESTART} polls; the session was ended`
			: describeSshFailure(this.stderr, exitCode, this.label, this.settings.connectTimeoutSeconds);
		const refused = /host key|authentication refused/.test(error);
		this.retryAt = Date.now() + (refused ? REFUSED_RETRY_MS : Math.min(this.settings.retryCapMs, BACKOFF_MS[Math.min(this.failures, BACKOFF_MS.length - 1)]!));
		this.failures++;
		const since = this.state.state === 'reconnecting' ? this.state.since : Date.now();
		this.state = {host: this.label, state: 'reconnecting', since, rttMs: null, bytesPerPoll: null, lastError: error};
	}

	/** Sends one command and waits for its framed answer, at most `timeoutMs`. */
	async request(command: (seq: number) => string, timeoutMs: number): Promise<{lines: string[]; rttMs: number; bytes: number} | {error: string}> {
		const child = this.child;
		if (child === null || this.hello === null) return {error: this.downText()};
		const seq = ++this.seq;
		const sent = performance.now();
		let firstByteAt: number | null = null;
		const lines = await new Promise<string[] | null>((resolve) => {
			const timer = setTimeout(() => {
				if (this.pending?.seq === seq) this.pending = null;
				resolve(null);
			}, timeoutMs);
			this.pending = {
				seq,
				lines: [],
				firstByteAt: null,
				resolve: (l, first) => {
					clearTimeout(timer);
					firstByteAt = first;
					resolve(l);
				},
			};
			child.stdin?.write(command(seq));
		});
		if (lines === null) {
			this.stalls++;
			if (this.stalls >= STALLS_BEFORE_RESTART) {
				this.stalled = true;
				child.kill();
			}
			return {error: `the reader on ${this.label} did not answer within ${timeoutMs} ms (the remote command stalls)`};
		}
		if (lines.length === 0) return {error: this.downText()};
		this.stalls = 0;
		const bytes = lines.reduce((sum, l) => sum + Buffer.byteLength(l) + 1, 0);
		const rttMs = Math.round(((firstByteAt ?? performance.now()) - sent) * 10) / 10;
		this.pollBytes += bytes;
		this.state = {...this.state, rttMs};
		return {lines, rttMs, bytes};
	}

	private pollBytes = 0;
	/** What ssh said of the last forwarded connection the remote side could not open. */
	private channelError: string | null = null;

	/** Why the remote could not open a forwarded connection in this poll. */
	get lastChannelError(): string | null {
		return this.channelError;
	}

	/** A poll starts: its bytes are counted from here (the reader's answer and every HTTP answer through the tunnel). */
	beginPoll(): void {
		this.pollBytes = 0;
		this.channelError = null;
	}

	addBytes(bytes: number): void {
		this.pollBytes += bytes;
	}

	endPoll(): void {
		if (this.connected) this.state = {...this.state, bytesPerPoll: this.pollBytes};
	}

	/** The link's trouble in words, for every source that needs it. */
	downText(): string {
		const s = this.state;
		if (s.state === 'connecting') return `connecting to ${this.label} over ssh`;
		if (s.state === 'reconnecting')
			return `ssh ${this.label}: reconnecting since ${new Date(s.since).toISOString().slice(11, 19)}: ${s.lastError ?? 'the link broke'}`;
		return `ssh ${this.label}: the link is down`;
	}

	/** Ends the connection (ssh is killed, forcibly after 2 s) and removes the sockets' folder when no link uses it. */
	close(): void {
		if (this.closed) return;
		this.closed = true;
		const child = this.child;
		this.child = null;
		if (child !== null) {
			child.stdin?.end('quit\n');
			child.kill();
		}
		releaseRuntimeDir();
	}
}
