/** Reads the kernel's view of the Traefik process: its PID, TCP tables and socket inodes. */
import {execFile} from 'node:child_process';
import {closeSync, openSync, readFileSync, readSync, readdirSync, readlinkSync} from 'node:fs';
import {endianness} from 'node:os';
import {join} from 'node:path';
import {promisify} from 'node:util';
import {parseProcNetTcp} from './proc-net-tcp-parse.js';
import {parseSs, ssFilter} from './ss-parse.js';
import {InodeSet} from './inode-set.js';
import type {InodeLookup, QuietConnections, TcpSocket} from '../domain/tcp.js';
import type {ProcHarvest, ProcessStat, Section} from '../domain/harvest.js';

const LITTLE_ENDIAN = endianness() === 'LE';

/** Why a read failed, in words: "permission denied" rather than EACCES. */
export function describeFsError(error: unknown): string {
	const code = (error as NodeJS.ErrnoException | undefined)?.code;
	switch (code) {
		case 'EACCES':
		case 'EPERM':
			return 'permission denied';
		case 'ENOENT':
		case 'ESRCH':
			return 'no such file (the process may have exited)';
		default:
			return error instanceof Error ? error.message : String(error);
	}
}

/** The comm name and exe basename of a process, or undefined when it is gone. */
function processNames(procRoot: string, pid: number): {comm: string; exe: string} | undefined {
	try {
		const comm = readFileSync(join(procRoot, String(pid), 'comm'), 'utf8').trim();
		let exe = '';
		try {
			exe =
				readlinkSync(join(procRoot, String(pid), 'exe'))
					.split('/')
					.pop() ?? '';
		} catch {
			// exe is unreadable for other users' processes; comm is enough then.
		}
		return {comm, exe: exe.replace(/ \(deleted\)$/, '')};
	} catch {
		return undefined;
	}
}

/** Finds processes whose comm or exe is `traefik`, lowest PID first (the parent of any workers). */
export function findTraefikPids(procRoot: string, name = 'traefik'): number[] {
	let entries: string[];
	try {
		entries = readdirSync(procRoot);
	} catch {
		return [];
	}
	const pids: number[] = [];
	for (const entry of entries) {
		if (entry.charCodeAt(0) < 0x30 || entry.charCodeAt(0) > 0x39) continue;
		const pid = Number(entry);
		const names = processNames(procRoot, pid);
		if (names && (names.comm === name || names.exe === name)) pids.push(pid);
	}
	return pids.sort((a, b) => a - b);
}

/** Linux reports times in /proc in USER_HZ, 100 on every mainstream architecture. */
const CLOCK_TICKS = 100;
const PAGE_BYTES = 4096;

/** Boot time (s since the epoch) from /proc/stat's btime line. */
function readBootTime(procRoot: string): number | null {
	try {
		const match = /^btime (\d+)$/m.exec(readFileSync(join(procRoot, 'stat'), 'latin1'));
		return match ? Number(match[1]) : null;
	} catch {
		return null;
	}
}

/** Parses the text of /proc/<pid>/stat; null when it is not one. */
export function parseProcessStat(text: string, bootTime: number | null): ProcessStat | null {
	// comm (field 2) may hold spaces and parentheses: fields restart after the last ')'.
	const close = text.lastIndexOf(')');
	if (close < 0) return null;
	const fields = text.slice(close + 2).split(' ');
	// fields[0] is field 3 (state): utime 14, stime 15, starttime 22, rss 24.
	const utime = Number(fields[11]);
	const stime = Number(fields[12]);
	const startTicks = Number(fields[19]);
	const rssPages = Number(fields[21]);
	if (![utime, stime, startTicks, rssPages].every(Number.isFinite)) return null;
	return {
		startTicks,
		startedAt: bootTime === null ? null : (bootTime + startTicks / CLOCK_TICKS) * 1000,
		cpuSeconds: (utime + stime) / CLOCK_TICKS,
		rssBytes: rssPages * PAGE_BYTES,
	};
}

/** /proc/<pid>/stat of a process, or null when it is gone; `bootTime` from readBootTime. */
export function readProcessStat(procRoot: string, pid: number, bootTime: number | null = readBootTime(procRoot)): ProcessStat | null {
	try {
		return parseProcessStat(readFileSync(join(procRoot, String(pid), 'stat'), 'latin1'), bootTime);
	} catch {
		return null;
	}
}

/** Inodes of every socket a process holds, from the `socket:[N]` links in /proc/<pid>/fd. */
export function readSocketInodes(procRoot: string, pid: number): InodeSet {
	const dir = join(procRoot, String(pid), 'fd');
	const fds = readdirSync(dir);
	const inodes = new InodeSet(fds.length);
	for (const fd of fds) {
		let target: string;
		try {
			target = readlinkSync(join(dir, fd));
		} catch {
			continue; // closed between readdir and readlink
		}
		if (target.startsWith('socket:[')) inodes.add(Number(target.slice(8, -1)));
	}
	return inodes;
}

/** The ephemeral port range; Linux's default when the file cannot be read. */
export function readEphemeralPorts(procRoot: string): [number, number] {
	try {
		const [low, high] = readFileSync(join(procRoot, 'sys/net/ipv4/ip_local_port_range'), 'latin1').trim().split(/\s+/).map(Number);
		if (low !== undefined && high !== undefined && low > 0 && high >= low) return [low, high];
	} catch {
		// fall through
	}
	return [32768, 60999];
}

/**
 * A buffer kept between polls for files whose size the kernel only knows while printing them
 * (/proc/net/tcp is generated on read). Reading into it in large chunks costs fewer system calls
 * than readFileSync, which reads 64 KiB at a time and concatenates, and allocates nothing per poll:
 * a 30,000-connection table is 9 MB of text every second.
 */
export class ProcFileReader {
	private buffer = Buffer.allocUnsafe(256 * 1024);
	private smallReads = 0;

	/** The whole file; the view is valid until the next read. */
	read(path: string): Buffer {
		const fd = openSync(path, 'r');
		let length = 0;
		try {
			for (;;) {
				if (length === this.buffer.length) {
					const bigger = Buffer.allocUnsafe(this.buffer.length * 2);
					this.buffer.copy(bigger, 0, 0, length);
					this.buffer = bigger;
				}
				const n = readSync(fd, this.buffer, length, this.buffer.length - length, null);
				if (n === 0) break;
				length += n;
			}
		} finally {
			closeSync(fd);
		}
		// Give memory back once the tables have stayed small for a minute of polls.
		this.smallReads = length * 8 < this.buffer.length && this.buffer.length > 1024 * 1024 ? this.smallReads + 1 : 0;
		if (this.smallReads > 60) {
			const view = Buffer.from(this.buffer.subarray(0, length));
			this.buffer = Buffer.allocUnsafe(Math.max(256 * 1024, length * 2));
			this.smallReads = 0;
			return view;
		}
		return this.buffer.subarray(0, length);
	}
}

/** Reads and parses tcp and tcp6 of a network namespace directory (`<proc>/<pid>/net` or `<proc>/net`). */
export function readTcpTables(
	netDir: string,
	owned: InodeLookup | null = null,
	reader = new ProcFileReader(),
): {sockets: TcpSocket[]; quiet: QuietConnections; malformed: number; foreign: number; warnings: string[]} {
	const sockets: TcpSocket[] = [];
	// Both tables add to the same columns (tcp6 has the IPv4-mapped connections of dual-stack listeners).
	const quiet: QuietConnections = {remoteIp: [], remotePort: [], localPort: []};
	let malformed = 0;
	let foreign = 0;
	const warnings: string[] = [];
	let read = 0;
	for (const [file, ipv6] of [
		['tcp', false],
		['tcp6', true],
	] as const) {
		let data: Buffer;
		try {
			data = reader.read(join(netDir, file));
		} catch (error) {
			warnings.push(`${join(netDir, file)}: ${describeFsError(error)}`);
			continue;
		}
		read++;
		const table = parseProcNetTcp(data, ipv6, LITTLE_ENDIAN, owned, quiet);
		for (const s of table.sockets) sockets.push(s);
		malformed += table.malformed;
		foreign += table.foreign;
	}
	if (read === 0) throw new Error(warnings.join('; '));
	return {sockets, quiet, malformed, foreign, warnings};
}

/** Options for one /proc poll. */
export interface ProcOptions {
	readonly procRoot: string;
	/** PID given by --pid; re-discovery by name happens when it is absent. */
	readonly pid?: number;
	/** A file holding the PID (--pid-file), read at every poll so a restart is followed. */
	readonly pidFile?: string;
}

/** The PID in a pid file, or an error in words. */
export function readPidFile(file: string): number | {error: string} {
	try {
		const pid = Number(readFileSync(file, 'latin1').trim());
		return Number.isInteger(pid) && pid > 0 ? pid : {error: `${file} does not hold a PID`};
	} catch (error) {
		return {error: `${file}: ${describeFsError(error)}`};
	}
}

/** The ports a filtered netlink query asks for: where Traefik's backends listen, and its entry points. */
export interface QueryPorts {
	readonly backends: readonly number[];
	readonly entryPoints: readonly number[];
}

/** When a filtered netlink query replaces the full read of the table. */
export interface NetlinkPolicy {
	/** The table must have had at least this many rows at the last full read... */
	readonly minRows: number;
	/** ...of which at most this share were Traefik's. */
	readonly maxShare: number;
	/** A full read every this many polls: it finds new listeners and checks the conditions again. */
	readonly fullEvery: number;
	/** The query is kept while it takes under this share of the full read's time. */
	readonly maxTimeRatio: number;
}

/** Above ~10,000 rows a query for a small part of the table costs less than the whole text (bench/proc.ts). */
export const DEFAULT_NETLINK: NetlinkPolicy = {minRows: 10_000, maxShare: 0.25, fullEvery: 30, maxTimeRatio: 0.8};

const execFileAsync = promisify(execFile);

/** Runs `ss` with arguments; its stdout. Separate so tests can count or replace the calls. */
export type SsRunner = (args: readonly string[]) => Promise<string>;

const runSs: SsRunner = async (args) => (await execFileAsync('ss', [...args], {timeout: 5000, maxBuffer: 256 * 1024 * 1024, encoding: 'utf8'})).stdout;

/** Remembers the PID between polls so discovery runs only when the process is gone. */
export class ProcReader {
	private pid: number | null = null;
	// Read once, not every poll: the boot time never changes, the port range seldom does.
	private readonly bootTime: number | null;
	private ephemeral: {range: [number, number]; at: number} | null = null;
	private readonly tables = new ProcFileReader();
	/** What the last full read saw: rows in the table, rows that were Traefik's, its listening ports. */
	private lastFull: {pid: number | null; rows: number; kept: number; listening: number[]; ms: number} | null = null;
	/** How long the last netlink query took (ms); null until one runs after the periodic full read. */
	private netlinkMs: number | null = null;
	private pollsSinceCheck = 0;
	private netlinkOff: string | null = null;

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
		this.pid = findTraefikPids(procRoot)[0] ?? null;
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
		this.lastFull = {pid, rows: kept + tables.foreign, kept, listening, ms: performance.now() - t0};
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
			warnings: this.netlinkOff === null ? tables.warnings : [...tables.warnings, this.netlinkOff],
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

	/**
	 * One poll, through a netlink query filtered to `ports` when the last full read showed a big
	 * table of which Traefik holds a small part (the kernel then formats only Traefik's rows), else
	 * the full read. The query is kept only while it takes under `maxTimeRatio` of the full read's
	 * time (other processes' connections to the same ports come with it); a failed one says why and
	 * goes back to full reads.
	 */
	async readWithPorts(ports: QueryPorts | null): Promise<Section<ProcHarvest>> {
		const last = this.lastFull;
		const {minRows, maxShare, fullEvery, maxTimeRatio} = this.netlink;
		// The periodic full read: new listeners, the table's size, and one more chance for the query.
		if (++this.pollsSinceCheck >= fullEvery) {
			this.pollsSinceCheck = 0;
			this.netlinkMs = null;
			return this.read();
		}
		const wanted =
			ports !== null &&
			this.netlinkOff === null &&
			last !== null &&
			last.pid !== null &&
			last.rows >= minRows &&
			last.kept <= last.rows * maxShare &&
			(this.netlinkMs === null || this.netlinkMs < last.ms * maxTimeRatio) &&
			ports.backends.length + ports.entryPoints.length + last.listening.length > 0;
		if (!wanted) return this.read();
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
			this.netlinkOff = `the netlink query failed (${error instanceof Error ? error.message.split('\n')[0] : String(error)}); reading the full table`;
			return this.read();
		}
		const table = parseSs(text, ownedInodes);
		this.netlinkMs = performance.now() - t0;
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
			netlink: {ports: new Set(ports.backends).size + new Set([...ports.entryPoints, ...last.listening]).size, tableRows: last.rows, fullEvery},
		};
	}
}
