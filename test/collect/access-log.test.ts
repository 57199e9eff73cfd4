// Following the access log like tail -F, and reading its lines, on files the test writes: lines of
// both formats as Traefik 3.7.15 wrote them, v2's ServiceURL object, a missing file, a partial
// line, a line of megabytes, binary garbage, a truncation; and fuzzed lines, which never throw.
import fc from 'fast-check';
import {appendFileSync, mkdtempSync, renameSync, rmSync, truncateSync, writeFileSync} from 'node:fs';
import {tmpdir} from 'node:os';
import {join} from 'node:path';
import {afterAll, describe, expect, it} from 'vitest';
import {AccessLogFollower} from '../../source/collect/access-log.js';
import {detectFormat, parseCommonLine, parseJsonLine} from '../../source/collect/access-log-parse.js';

// As Traefik 3.7.15 wrote them (test/traefik/access-log.test.ts checks the live ones).
const COMMON = '127.0.0.1 - - [02/Dec/2026:00:54:03 +0000] "GET /a?x=1 HTTP/1.1" 200 5 "-" "-" 1 "r@file" "http://127.0.0.1:41411" 5ms';
const JSON_LINE =
	'{"ClientAddr":"127.0.0.1:45106","ClientHost":"127.0.0.1","DownstreamContentSize":3,"DownstreamStatus":200,"Duration":2452429,' +
	'"OriginContentSize":3,"OriginDuration":2356797,"OriginStatus":200,"Overhead":95632,"RequestAddr":"127.0.0.1:45047","RequestHost":"127.0.0.1",' +
	'"RequestMethod":"GET","RequestPath":"/","RequestProtocol":"HTTP/1.1","RetryAttempts":0,"RouterName":"lead@file","ServiceAddr":"127.0.0.72:42007",' +
	'"ServiceName":"lead@file","ServiceURL":"http://127.0.0.72:42007","StartUTC":"2026-12-02T00:26:34.489446736Z","entryPointName":"web","level":"info","msg":"","time":"2026-12-02T00:26:34Z"}';

const dir = mkdtempSync(join(tmpdir(), 'tt-alog-'));
afterAll(() => rmSync(dir, {recursive: true, force: true}));
let n = 0;
const file = () => join(dir, `access-${n++}.log`);

describe('the lines', () => {
	it('reads a JSON line, durations in ns to ms', () => {
		expect(detectFormat(JSON_LINE)).toBe('json');
		expect(parseJsonLine(JSON_LINE)).toEqual({
			at: Date.parse('2026-12-02T00:26:34.489Z'),
			entryPoint: 'web',
			router: 'lead@file',
			service: 'lead@file',
			serverUrl: 'http://127.0.0.72:42007',
			serverAddr: '127.0.0.72:42007',
			method: 'GET',
			host: '127.0.0.1',
			path: '/',
			status: 200,
			originStatus: 200,
			durationMs: 2.452429,
			originMs: 2.356797,
			retries: 0,
			size: 3,
		});
	});

	it("reads v2's ServiceURL object", () => {
		const v2 = JSON_LINE.replace('"ServiceURL":"http://127.0.0.72:42007"', '"ServiceURL":{"Scheme":"http","Host":"10.0.0.3:80","Path":""}');
		expect(parseJsonLine(v2)?.serverUrl).toBe('http://10.0.0.3:80');
	});

	it('reads a common line', () => {
		expect(detectFormat(COMMON)).toBe('common');
		expect(parseCommonLine(COMMON)).toMatchObject({
			at: Date.UTC(2026, 11, 2, 0, 54, 3),
			router: 'r@file',
			serverUrl: 'http://127.0.0.1:41411',
			serverAddr: '127.0.0.1:41411',
			method: 'GET',
			path: '/a?x=1',
			status: 200,
			durationMs: 5,
			size: 5,
		});
		const quoted = COMMON.replace('"-" "-"', '"http://r/" "curl \\"7\\" x"');
		expect(parseCommonLine(quoted)?.router).toBe('r@file');
	});

	it('never throws on any line, and takes only what is a request', () => {
		fc.assert(
			fc.property(fc.oneof(fc.string(), fc.json(), fc.constant(JSON_LINE.slice(0, 80)), fc.constant(COMMON.replace('200', 'abc'))), (line) => {
				parseJsonLine(line);
				parseCommonLine(line);
				detectFormat(line);
			}),
			{numRuns: 2000},
		);
		expect(parseJsonLine('{"msg":"hello"}')).toBeNull();
		expect(parseJsonLine('[1,2]')).toBeNull();
	});
});

describe('AccessLogFollower', () => {
	it('waits for a missing file and says so, then reads it from its start', () => {
		const f = file();
		const follower = new AccessLogFollower(f);
		expect(follower.read().notes[0]).toMatch(/^waiting for .* \(ENOENT\)$/);
		writeFileSync(f, `${JSON_LINE}\n`);
		// A file that appears after the start is new: read from its start.
		expect(follower.read().records).toHaveLength(1);
		appendFileSync(f, `${JSON_LINE}\n`);
		expect(follower.read().records).toHaveLength(1);
	});

	it('starts at the end unless told to start at the start; keeps a partial line until it is whole', () => {
		const f = file();
		writeFileSync(f, `${COMMON}\n${COMMON}\n`);
		expect(new AccessLogFollower(f, {fromStart: true}).read().records).toHaveLength(2);
		const follower = new AccessLogFollower(f);
		expect(follower.read().records).toHaveLength(0);
		appendFileSync(f, COMMON.slice(0, 40));
		expect(follower.read().records).toHaveLength(0);
		appendFileSync(f, `${COMMON.slice(40)}\n`);
		expect(follower.read().records).toHaveLength(1);
	});

	it('cuts a line of megabytes, counts binary garbage, and goes on', () => {
		const f = file();
		writeFileSync(f, '');
		const follower = new AccessLogFollower(f, {maxLineBytes: 64 * 1024});
		follower.read();
		appendFileSync(f, `${'x'.repeat(3 * 1024 * 1024)}\n`);
		appendFileSync(f, Buffer.from([0xff, 0xfe, 0x00, 0x41, 0x0a]));
		appendFileSync(f, `${JSON_LINE}\n`);
		const read = follower.read();
		expect(read.records).toHaveLength(1);
		expect(read.malformed).toBe(2);
		expect(follower.firstMalformed).toMatch(/bytes \(cut\)/);
	});

	it('follows a rename-and-create and a truncation', () => {
		const f = file();
		writeFileSync(f, '');
		const follower = new AccessLogFollower(f);
		follower.read();
		appendFileSync(f, `${COMMON}\n`);
		renameSync(f, `${f}.1`);
		appendFileSync(`${f}.1`, `${COMMON}\n`); // written to the old file before the reopen
		writeFileSync(f, `${COMMON}\n`);
		const rotated = follower.read();
		expect(rotated.records).toHaveLength(3);
		expect(rotated.notes.join(' ')).toMatch(/rotated/);
		truncateSync(f, 0);
		expect(follower.read().notes.join(' ')).toMatch(/truncated/);
		appendFileSync(f, `${COMMON}\n`);
		expect(follower.read().records).toHaveLength(1);
	});

	it('reads at most its budget a poll, says how far behind it is, and catches up', () => {
		const f = file();
		writeFileSync(f, '');
		const follower = new AccessLogFollower(f, {maxReadBytes: 64 * 1024});
		follower.read();
		appendFileSync(f, `${JSON_LINE}\n`.repeat(2000));
		const first = follower.read();
		expect(first.lagBytes).toBeGreaterThan(0);
		expect(first.notes.join(' ')).toMatch(/bytes behind/);
		let total = first.records.length;
		for (let i = 0; i < 100 && total < 2000; i++) total += follower.read().records.length;
		expect(total).toBe(2000);
	});
});
