import {mkdtempSync, rmSync, writeFileSync} from 'node:fs';
import {tmpdir} from 'node:os';
import {join} from 'node:path';
import fc from 'fast-check';
import {describe, expect, it} from 'vitest';
import {InodeSet} from '../../source/collect/inode-set.js';
import {ProcFileReader} from '../../source/collect/proc-files.js';

describe('InodeSet', () => {
	it('answers as a Set does, through growth, duplicates and keys past 32 bits', () => {
		fc.assert(
			fc.property(
				fc.array(fc.oneof(fc.nat({max: 0xffffffff}), fc.integer({min: 1, max: 2 ** 40}), fc.integer({min: 1, max: 50})), {maxLength: 400}),
				fc.array(fc.nat({max: 2 ** 40}), {maxLength: 100}),
				(keys, probes) => {
					const ours = new InodeSet(4);
					const reference = new Set<number>();
					for (const k of keys) {
						ours.add(k);
						if (k !== 0) reference.add(k);
					}
					expect(ours.size).toBe(reference.size);
					for (const k of [...keys, ...probes]) expect(ours.has(k)).toBe(reference.has(k));
					expect([...ours].sort((a, b) => a - b)).toEqual([...reference].sort((a, b) => a - b));
				},
			),
			{numRuns: 300},
		);
	});

	it('never holds 0 (TIME_WAIT rows have no inode, and no owner)', () => {
		expect(new InodeSet().add(0).has(0)).toBe(false);
	});
});

describe('ProcFileReader', () => {
	it('reads whole files of any size into its kept buffer, byte for byte', () => {
		const dir = mkdtempSync(join(tmpdir(), 'tt-reader-'));
		try {
			const reader = new ProcFileReader();
			for (const size of [0, 1, 300_000, 3_000_000, 10]) {
				const file = join(dir, `f${size}`);
				const bytes = Buffer.alloc(size, 0);
				for (let i = 0; i < size; i++) bytes[i] = (i * 31) & 0xff;
				writeFileSync(file, bytes);
				expect(Buffer.compare(reader.read(file), bytes)).toBe(0);
			}
		} finally {
			rmSync(dir, {recursive: true, force: true});
		}
	});

	it('reads a table the kernel generates on read', () => {
		const text = new ProcFileReader().read('/proc/net/tcp').toString('latin1');
		expect(text.startsWith('  sl  local_address')).toBe(true);
	});

	it('gives memory back after a minute of small tables', () => {
		const dir = mkdtempSync(join(tmpdir(), 'tt-reader-'));
		try {
			const reader = new ProcFileReader();
			writeFileSync(join(dir, 'big'), Buffer.alloc(4_000_000, 0x41));
			writeFileSync(join(dir, 'small'), 'small\n');
			reader.read(join(dir, 'big'));
			const capacity = () => (reader as unknown as {buffer: Buffer}).buffer.length;
			expect(capacity()).toBeGreaterThanOrEqual(4_000_000);
			for (let i = 0; i < 62; i++) expect(reader.read(join(dir, 'small')).toString()).toBe('small\n');
			expect(capacity()).toBeLessThan(1_000_000);
		} finally {
			rmSync(dir, {recursive: true, force: true});
		}
	});
});
