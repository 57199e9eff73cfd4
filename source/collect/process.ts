/** Finding the Traefik process and reading what /proc/<pid>/stat says of it. */
import {readFileSync, readdirSync, readlinkSync} from 'node:fs';
import {join} from 'node:path';
import type {ProcessStat} from '../domain/harvest.js';
import {describeFsError} from './proc-files.js';

/** The comm name and exe basename of a process, or undefined when it is gone. */
export function processNames(procRoot: string, pid: number): {comm: string; exe: string} | undefined {
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

/** Inodes of the sockets listening on `port` in a process's network namespace (its tcp and tcp6 tables). */
function listeningInodes(procRoot: string, pid: number, port: number): Set<number> {
	const hex = `:${port.toString(16).toUpperCase().padStart(4, '0')}`;
	const inodes = new Set<number>();
	for (const table of ['tcp', 'tcp6']) {
		let text: string;
		try {
			text = readFileSync(join(procRoot, String(pid), 'net', table), 'latin1');
		} catch {
			continue;
		}
		for (const line of text.split('\n')) {
			const f = line.trim().split(/\s+/);
			// sl local rem st tx:rx tr:when retrnsmt uid timeout inode
			if (f[3] === '0A' && f[1]?.endsWith(hex) && f[9] !== undefined) inodes.add(Number(f[9]));
		}
	}
	return inodes;
}

/** The first of `candidates` that holds a socket listening on `port` (undefined: none does, or their fds cannot be read). */
export function findListeningPid(procRoot: string, candidates: readonly number[], port: number): number | undefined {
	for (const pid of candidates) {
		const wanted = listeningInodes(procRoot, pid, port);
		if (wanted.size === 0) continue;
		let fds: string[];
		try {
			fds = readdirSync(join(procRoot, String(pid), 'fd'));
		} catch {
			continue;
		}
		for (const fd of fds) {
			try {
				const target = readlinkSync(join(procRoot, String(pid), 'fd', fd));
				if (target.startsWith('socket:[') && wanted.has(Number(target.slice(8, -1)))) return pid;
			} catch {
				// closed between readdir and readlink
			}
		}
	}
	return undefined;
}

/** Linux reports times in /proc in USER_HZ, 100 on every mainstream architecture. */
const CLOCK_TICKS = 100;
const PAGE_BYTES = 4096;

/** Boot time (s since the epoch) from /proc/stat's btime line. */
export function readBootTime(procRoot: string): number | null {
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

/** The PID in a pid file, or an error in words. */
export function readPidFile(file: string): number | {error: string} {
	try {
		const pid = Number(readFileSync(file, 'latin1').trim());
		return Number.isInteger(pid) && pid > 0 ? pid : {error: `${file} does not hold a PID`};
	} catch (error) {
		return {error: `${file}: ${describeFsError(error)}`};
	}
}
