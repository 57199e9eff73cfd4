// An access log that grows by a gigabyte, and one of binary garbage: the follower and the model
// read through them a poll at a time, crash on nothing, and keep memory bounded (heap after a full
// GC: the last 10,000 requests and a minute per server, whatever the file holds).
import {appendFileSync, mkdtempSync, rmSync, writeFileSync} from 'node:fs';
import {tmpdir} from 'node:os';
import {join} from 'node:path';
import {afterAll, describe, expect, it} from 'vitest';
import {AccessLogFollower} from '../../source/collect/access-log.js';
import {RequestsModel} from '../../source/model/requests.js';
import {heapMb} from '../helpers/memory.js';

const dir = mkdtempSync(join(tmpdir(), 'tt-alog-big-'));
afterAll(() => rmSync(dir, {recursive: true, force: true}));

const line = (i: number) =>
	JSON.stringify({
		DownstreamStatus: i % 20 === 0 ? 502 : 200,
		Duration: 1_000_000 + (i % 1000) * 10_000,
		RequestMethod: 'GET',
		RequestHost: 'shop.example.com',
		RequestPath: `/items/${i}?${'q'.repeat(i % 300)}`,
		RouterName: 'shop@docker',
		ServiceName: 'shop@docker',
		ServiceURL: `http://10.0.${(i >> 8) & 255}.${i & 255}:80`,
		ServiceAddr: `10.0.${(i >> 8) & 255}.${i & 255}:80`,
		StartUTC: new Date(Date.UTC(2026, 11, 2) + i).toISOString(),
		entryPointName: 'websecure',
	});

/** Follows `file` to its end as polls would, the requests into a model; the polls it took. */
function follow(file: string, model: RequestsModel): {polls: number; records: number; malformed: number} {
	const follower = new AccessLogFollower(file, {fromStart: true});
	let records = 0;
	let malformed = 0;
	let polls = 0;
	for (; polls < 1000; polls++) {
		const read = follower.read();
		records += read.records.length;
		malformed += read.malformed;
		model.ingest(read.records, Date.UTC(2026, 11, 2, 0, 30));
		if (read.lagBytes === 0) break;
	}
	follower.close();
	return {polls: polls + 1, records, malformed};
}

describe('the access log, hostile', () => {
	it('a gigabyte of log: read in bounded polls, memory bounded', () => {
		const file = join(dir, 'big.log');
		writeFileSync(file, '');
		const chunk = Array.from({length: 20_000}, (_, i) => line(i)).join('\n') + '\n';
		const times = Math.ceil(2 ** 30 / Buffer.byteLength(chunk));
		for (let i = 0; i < times; i++) appendFileSync(file, chunk);
		const before = heapMb();
		const model = new RequestsModel();
		const done = follow(file, model);
		expect(done.records).toBe(20_000 * times);
		// At most 64 MiB a poll: a gigabyte takes at least 16 polls.
		expect(done.polls).toBeGreaterThanOrEqual(16);
		expect(model.latest(20_000)).toHaveLength(10_000);
		expect(heapMb() - before).toBeLessThan(150);
	}, 240_000);

	it('binary garbage and lines of megabytes: counted, never a crash, memory bounded', () => {
		const file = join(dir, 'garbage.log');
		writeFileSync(file, '');
		let seed = 7;
		const random = () => (seed = (seed * 1103515245 + 12345) & 0x7fffffff) & 0xff;
		for (let k = 0; k < 64; k++) {
			appendFileSync(file, Buffer.from(Array.from({length: 1 << 20}, random)));
			appendFileSync(file, `${line(k)}\n`);
		}
		appendFileSync(file, `${'x'.repeat(8 << 20)}\n${line(99)}\n`);
		const before = heapMb();
		const model = new RequestsModel();
		const done = follow(file, model);
		expect(done.malformed).toBeGreaterThan(64);
		expect(done.records).toBeGreaterThanOrEqual(1);
		expect(heapMb() - before).toBeLessThan(50);
	}, 120_000);
});
