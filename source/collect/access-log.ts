/**
 * Follows Traefik's access log the way `tail -F` does, a poll at a time: from the end (or the
 * start), through rotation by rename-and-create (and Traefik reopening its file on USR1) and by
 * copytruncate, through a file that is missing for a while, with a partial last line kept until
 * it is whole. Memory is bounded whatever the file does: a poll reads at most `maxReadBytes`
 * (the rest waits for the next), and a line longer than `maxLineBytes` is cut and counted.
 */
import {closeSync, fstatSync, openSync, readSync, statSync} from 'node:fs';
import type {AccessLogHarvest} from '../domain/harvest.js';
import type {RequestRecord} from '../domain/requests.js';
import {detectFormat, parseLine, type AccessLogFormat} from './access-log-parse.js';

export interface FollowOptions {
	/** Read the file from its start rather than its end (--access-log-from-start). */
	readonly fromStart?: boolean;
	readonly maxLineBytes?: number;
	readonly maxReadBytes?: number;
}

const CHUNK = 1 << 20;

export class AccessLogFollower {
	private fd: number | null = null;
	private inode = 0;
	private offset = 0;
	private partial: Buffer[] = [];
	private partialBytes = 0;
	/** The partial line grew past the limit: drop bytes until its end. */
	private cutting = false;
	private format: AccessLogFormat | null = null;
	private first = true;
	private readonly buffer = Buffer.allocUnsafe(CHUNK);
	private readonly decoder = new TextDecoder('utf-8', {fatal: false});
	/** Totals since the start, for the notes. */
	malformedTotal = 0;
	firstMalformed: string | null = null;

	constructor(
		readonly path: string,
		private readonly options: FollowOptions = {},
	) {}

	/** The lines written since the last read, parsed; what happened to the file on the way. */
	read(): AccessLogHarvest {
		const records: RequestRecord[] = [];
		const notes: string[] = [];
		let malformed = 0;
		const maxRead = this.options.maxReadBytes ?? 64 * CHUNK;
		let st: ReturnType<typeof statSync> | null = null;
		try {
			st = statSync(this.path);
		} catch (error) {
			const code = (error as NodeJS.ErrnoException).code ?? String(error);
			// Not there at the start: once it is, it is new, and read from its start (as tail -F does).
			if (this.fd === null) {
				this.first = false;
				return {records, malformed, format: this.format, notes: [`waiting for ${this.path} (${code})`], lagBytes: 0};
			}
			// Renamed away and not made again yet: what the old file still has is read below.
			notes.push(`${this.path} is gone (${code}); reading what the old file still has`);
		}
		let budget = maxRead;
		if (this.fd !== null && st !== null && st.ino !== this.inode) {
			// Rotated by rename: the rest of the old file first, then the new one from its start.
			budget -= this.drain(records, (n) => (malformed += n), budget);
			if (this.offset >= fstatSync(this.fd).size) {
				this.close();
				notes.push(`${this.path} was rotated (a new file); following the new one from its start`);
			}
		}
		if (this.fd === null && st !== null) {
			try {
				this.fd = openSync(this.path, 'r');
			} catch (error) {
				return {records, malformed, format: this.format, notes: [...notes, `cannot open ${this.path}: ${(error as Error).message}`], lagBytes: 0};
			}
			const own = fstatSync(this.fd);
			this.inode = own.ino;
			this.offset = this.first && !this.options.fromStart ? own.size : 0;
			this.first = false;
			this.resetLine();
		}
		if (this.fd === null) return {records, malformed, format: this.format, notes, lagBytes: 0};
		const size = fstatSync(this.fd).size;
		if (size < this.offset) {
			// Truncated in place (copytruncate): from its start again.
			notes.push(`${this.path} was truncated; reading it from its start`);
			this.offset = 0;
			this.resetLine();
		}
		this.drain(records, (n) => (malformed += n), budget);
		const lagBytes = Math.max(0, fstatSync(this.fd).size - this.offset);
		if (lagBytes > 0) notes.push(`${lagBytes.toLocaleString('en-US')} bytes behind: read at most ${maxRead.toLocaleString('en-US')} a poll`);
		this.malformedTotal += malformed;
		return {records, malformed, format: this.format, notes, lagBytes};
	}

	close(): void {
		if (this.fd !== null) closeSync(this.fd);
		this.fd = null;
		this.resetLine();
	}

	private resetLine(): void {
		this.partial = [];
		this.partialBytes = 0;
		this.cutting = false;
	}

	/** Reads from the offset, at most `budget` bytes; the bytes read. */
	private drain(records: RequestRecord[], countMalformed: (n: number) => void, budget: number): number {
		const maxLine = this.options.maxLineBytes ?? CHUNK;
		let total = 0;
		while (total < budget && this.fd !== null) {
			const n = readSync(this.fd, this.buffer, 0, Math.min(CHUNK, budget - total), this.offset);
			if (n <= 0) break;
			this.offset += n;
			total += n;
			let start = 0;
			for (let nl = this.buffer.indexOf(10, start); nl >= 0 && nl < n; nl = this.buffer.indexOf(10, start)) {
				const piece = this.buffer.subarray(start, nl);
				start = nl + 1;
				if (this.cutting) {
					this.resetLine();
					continue;
				}
				const bytes = this.partialBytes === 0 ? piece : Buffer.concat([...this.partial, piece]);
				this.resetLine();
				if (bytes.length > maxLine) {
					countMalformed(1);
					this.noteMalformed(`a line of ${bytes.length.toLocaleString('en-US')} bytes (cut)`);
					continue;
				}
				this.take(this.decoder.decode(bytes), records, countMalformed);
			}
			if (start < n) {
				if (this.cutting) continue;
				const rest = Buffer.from(this.buffer.subarray(start, n));
				this.partial.push(rest);
				this.partialBytes += rest.length;
				if (this.partialBytes > maxLine) {
					// A line past the limit: count it once, keep nothing of it, skip to its end.
					countMalformed(1);
					this.noteMalformed(`a line of more than ${maxLine.toLocaleString('en-US')} bytes (cut)`);
					this.partial = [];
					this.partialBytes = 0;
					this.cutting = true;
				}
			}
		}
		return total;
	}

	private take(line: string, records: RequestRecord[], countMalformed: (n: number) => void): void {
		if (line.trim() === '') return;
		this.format ??= detectFormat(line);
		const record = this.format === null ? null : parseLine(line, this.format);
		if (record === null) {
			countMalformed(1);
			this.noteMalformed(line);
			return;
		}
		if (line.includes('\uFFFD')) {
			countMalformed(1);
			this.noteMalformed(line);
		}
		records.push(record);
	}

	private noteMalformed(line: string): void {
		this.firstMalformed ??= line.length > 200 ? `${line.slice(0, 200)}…` : line;
	}
}
