/** Reading /proc's files: generated tables into a kept buffer, socket links, the port range; failures in words. */
import {closeSync, openSync, readFileSync, readSync, readdirSync, readlinkSync} from 'node:fs';
import {join} from 'node:path';
import {InodeSet} from './inode-set.js';

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
