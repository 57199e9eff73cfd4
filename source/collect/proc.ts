/** Reads the kernel's view of the Traefik process: its PID, TCP tables and socket inodes. */
import {readlinkSync} from 'node:fs';
import {join} from 'node:path';
import {execa, ExecaError} from 'execa';
import type {ProcHarvest, ProcessStat, Section} from '../domain/harvest.js';
import type {InodeSet} from './inode-set.js';
import {DEFAULT_NETLINK, INITIAL_NETLINK, planRead, type NetlinkPolicy, type NetlinkState, type QueryPorts} from './netlink-policy.js';
import {findListeningPid, findTraefikPids, processNames, readBootTime, readPidFile, readProcessStat} from './process.js';
import {describeFsError, ProcFileReader, readEphemeralPorts, readSocketInodes} from './proc-files.js';
import {parseSs, ssFilter} from './ss-parse.js';
import {readTcpTables} from './tcp-tables.js';

/** Options for one /proc poll. */
export interface ProcOptions {
	readonly procRoot: string;
	/** PID given by --pid; re-discovery by name happens when it is absent. */
	readonly pid?: number;
	/** A file holding the PID (--pid-file), read at every poll so a restart is followed. */
	readonly pidFile?: string;
	/** With several Traefik processes on the host: the one that listens on this port (a fleet target's API port). */
	readonly listenPort?: number;
}

/** Runs `ss` with arguments; its stdout. Separate so tests can count or replace the calls. */
export type SsRunner = (args: readonly string[]) => Promise<string>;

const runSs: SsRunner = async (args) =>
	(await execa('ss', args, {timeout: 5000, maxBuffer: 256 * 1024 * 1024, stdin: 'ignore', stripFinalNewline: false})).stdout;

/** Why `ss` failed, in a line: its own complaint, a timeout or signal, or why it did not start (not its long filter). */
function ssFailure(error: unknown): string {
	if (!(error instanceof ExecaError)) return error instanceof Error ? error.message.split('\n')[0]! : String(error);
	const said = String(error.stderr ?? '')
		.trim()
		.split('\n')[0];
	if (error.timedOut) return 'ss took longer than 5 s';
	if (said) return `ss: ${said}`;
	if (error.signal) return `ss ended by ${error.signal}`;
	if (error.exitCode !== undefined) return `ss exited with ${error.exitCode}`;
	return error.originalMessage;
}

/** Remembers the PID between polls so discovery runs only when the process is gone. */
export class ProcReader {
	private pid: number | null = null;
	// Read once, not every poll: the boot time never changes, the port range seldom does.
	private readonly bootTime: number | null;
	private ephemeral: {range: [number, number]; at: number} | null = null;
	private readonly tables = new ProcFileReader();
	private netlinkState: NetlinkState = INITIAL_NETLINK;

	constructor(
		private readonly options: ProcOptions,
		private readonly netlink: NetlinkPolicy = DEFAULT_NETLINK,
		private readonly ss: SsRunner = runSs,
	) {
		this.bootTime = readBootTime(options.procRoot);
	}

	private ephemeralPorts(): [number, number] {
		const now = Date.now();
		if (this.ephemeral === null || now - this.ephemeral.at > 60_000) this.ephemeral = {range: readEphemeralPorts(this.options.procRoot), at: now};
		return this.ephemeral.range;
	}

	private locate(): {pid: number | null; source: ProcHarvest['pidSource']} | {error: string} {
		const {procRoot, pid, pidFile} = this.options;
		if (pid !== undefined) return {pid, source: 'flag'};
		if (pidFile !== undefined) {
			const fromFile = readPidFile(pidFile);
			return typeof fromFile === 'number' ? {pid: fromFile, source: 'flag'} : fromFile;
		}
		if (this.pid !== null && processNames(procRoot, this.pid) !== undefined) return {pid: this.pid, source: 'discovered'};
		const candidates = findTraefikPids(procRoot);
		this.pid = (this.options.listenPort === undefined ? candidates[0] : findListeningPid(procRoot, candidates, this.options.listenPort)) ?? null;
		return {pid: this.pid, source: this.pid === null ? 'none' : 'discovered'};
	}

	/** The PID, its process figures and the inodes it owns: what every way of reading starts with. */
	private begin():
		| {pid: number | null; source: ProcHarvest['pidSource']; process: ProcessStat | null; ownedInodes: InodeSet | null; ownershipError?: string}
		| {error: string} {
		const {procRoot} = this.options;
		const located = this.locate();
		if ('error' in located) return located;
		const {pid, source} = located;
		const process = pid === null ? null : readProcessStat(procRoot, pid, this.bootTime);
		if (pid !== null && process === null) {
			return {error: `PID ${pid} is gone${source === 'flag' ? ` (given by ${this.options.pidFile ?? '--pid'})` : ''}`};
		}
		// Ownership first: the table parser then skips other processes' rows without building them.
		if (pid === null) return {pid, source, process, ownedInodes: null};
		try {
			return {pid, source, process, ownedInodes: readSocketInodes(procRoot, pid)};
		} catch (error) {
			return {
				pid,
				source,
				process,
				ownedInodes: null,
				ownershipError: `${join(procRoot, String(pid), 'fd')}: ${describeFsError(error)}; connections are matched by address only`,
			};
		}
	}

	/** One poll: the tables of Traefik's namespace (or the host's), and which sockets Traefik owns. */
	read(): Section<ProcHarvest> {
		const t0 = performance.now();
		const started = this.begin();
		if ('error' in started) return started;
		const {pid, source, process, ownedInodes, ownershipError} = started;
		let tables;
		try {
			tables = readTcpTables(pid === null ? join(this.options.procRoot, 'net') : join(this.options.procRoot, String(pid), 'net'), ownedInodes, this.tables);
		} catch (error) {
			return {error: `cannot read the TCP tables: ${error instanceof Error ? error.message : String(error)}`};
		}
		const kept = tables.sockets.length + tables.quiet.remoteIp.length;
		const listening = ownedInodes === null ? [] : tables.sockets.filter((s) => s.state === 'LISTEN' && ownedInodes.has(s.inode)).map((s) => s.localPort);
		this.netlinkState = {...this.netlinkState, lastFull: {pid, rows: kept + tables.foreign, kept, listening, ms: performance.now() - t0}};
		const off = this.netlinkState.off;
		return {
			pid,
			pidSource: source,
			process,
			sockets: tables.sockets,
			quiet: tables.quiet,
			malformed: tables.malformed,
			foreign: tables.foreign,
			ownedInodes,
			...(ownershipError === undefined ? {} : {ownershipError}),
			warnings: off === null ? tables.warnings : [...tables.warnings, off],
			ephemeralPorts: this.ephemeralPorts(),
		};
	}

	/** Whether Traefik's sockets are in this process's network namespace (where `ss` looks). */
	private sameNamespace(pid: number): boolean {
		try {
			const {procRoot} = this.options;
			return readlinkSync(join(procRoot, 'self/ns/net')) === readlinkSync(join(procRoot, String(pid), 'ns/net'));
		} catch {
			return false;
		}
	}

	/** One poll, the way the netlink policy chooses (netlink-policy.ts); a failed query says why and goes back to full reads. */
	async readWithPorts(ports: QueryPorts | null): Promise<Section<ProcHarvest>> {
		const plan = planRead(this.netlinkState, this.netlink, ports);
		this.netlinkState = plan.state;
		const last = plan.state.lastFull;
		if (plan.way === 'full' || ports === null || last === null) return this.read();
		const started = this.begin();
		if ('error' in started) return started;
		const {pid, source, process, ownedInodes, ownershipError} = started;
		if (pid === null || pid !== last.pid || ownedInodes === null || !this.sameNamespace(pid)) return this.read();
		const filter = ssFilter(ports.backends, [...ports.entryPoints, ...last.listening]);
		let text: string;
		const t0 = performance.now();
		try {
			text = await this.ss(['-tanHeo', 'state', 'all', filter]);
		} catch (error) {
			const why = ssFailure(error);
			this.netlinkState = {...this.netlinkState, off: `the netlink query failed (${why}); reading the full table`};
			return this.read();
		}
		const table = parseSs(text, ownedInodes);
		this.netlinkState = {...this.netlinkState, netlinkMs: performance.now() - t0};
		return {
			pid,
			pidSource: source,
			process,
			sockets: table.sockets,
			malformed: table.malformed,
			foreign: table.foreign,
			ownedInodes,
			...(ownershipError === undefined ? {} : {ownershipError}),
			warnings: [],
			ephemeralPorts: this.ephemeralPorts(),
			netlink: {
				ports: new Set(ports.backends).size + new Set([...ports.entryPoints, ...last.listening]).size,
				tableRows: last.rows,
				fullEvery: this.netlink.fullEvery,
			},
		};
	}
}
