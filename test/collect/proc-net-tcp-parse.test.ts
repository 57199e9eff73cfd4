import {describe, expect, it} from 'vitest';
import fc from 'fast-check';
import {InodeSet} from '../../source/collect/inode-set.js';
import {formatEndpoint, formatIpv6Bytes, parseIpLiteral} from '../../source/domain/address.js';
import {parseProcNetTcp} from '../../source/collect/proc-net-tcp-parse.js';
import {TCP_STATES} from '../../source/domain/tcp.js';
import {fixtureText, PROC_FIXTURES} from '../helpers/fixtures.js';

// Rows as the kernel prints them (tcp4_seq_show / get_tcp4_sock / get_timewait4_sock), with the header:
// test/fixtures/proc/README.md says which case each row is.
const TCP4 = fixtureText('tcp.txt', PROC_FIXTURES);

const TCP6 = fixtureText('tcp6.txt', PROC_FIXTURES);

describe('parseProcNetTcp (IPv4)', () => {
	const table = parseProcNetTcp(TCP4, false);

	it('reads every row and skips the header', () => {
		expect(table.malformed).toBe(0);
		expect(table.sockets).toHaveLength(6);
	});

	it('decodes host-order addresses and big-endian ports', () => {
		const [listen, estab] = table.sockets;
		expect(formatEndpoint(listen!.localIp, listen!.localPort)).toBe('0.0.0.0:8080');
		expect(listen!.state).toBe('LISTEN');
		expect(formatEndpoint(estab!.localIp, estab!.localPort)).toBe('127.0.0.1:8080');
		expect(formatEndpoint(estab!.remoteIp, estab!.remotePort)).toBe('127.0.0.1:54321');
		expect(estab!.state).toBe('ESTABLISHED');
		expect(estab!.uid).toBe(1000);
		expect(estab!.inode).toBe(271828);
		expect(estab!.timer).toBe(2);
	});

	it('reads CLOSE_WAIT with its receive queue, TIME_WAIT with inode 0, SYN_SENT retransmissions', () => {
		const [, , closeWait, timeWait, synSent, busy] = table.sockets;
		expect(closeWait!.state).toBe('CLOSE_WAIT');
		expect(closeWait!.rxQueue).toBe(1);
		expect(timeWait!.state).toBe('TIME_WAIT');
		expect(timeWait!.inode).toBe(0);
		expect(formatEndpoint(timeWait!.remoteIp, timeWait!.remotePort)).toBe('10.0.0.3:80');
		expect(synSent!.state).toBe('SYN_SENT');
		expect(synSent!.retransmits).toBe(2);
		expect(synSent!.txQueue).toBe(1);
		expect(formatEndpoint(busy!.localIp, busy!.localPort)).toBe('10.0.0.10:41394');
		expect(busy!.txQueue).toBe(0xfa00);
		expect(busy!.rxQueue).toBe(500);
		expect(busy!.retransmits).toBe(3);
	});

	it('reads big-endian hosts when told', () => {
		const row = '   0: 7F000001:1F90 0A000003:0050 01 00000000:00000000 00:00000000 00000000     0        0 5 1 0 20 4 30 10 -1\n';
		const [s] = parseProcNetTcp(row, false, false).sockets;
		expect(formatEndpoint(s!.localIp, s!.localPort)).toBe('127.0.0.1:8080');
		expect(formatEndpoint(s!.remoteIp, s!.remotePort)).toBe('10.0.0.3:80');
	});
});

describe('ownership filter', () => {
	it("skips other processes' rows, keeps owned ones and inode-0 TIME_WAIT", () => {
		const table = parseProcNetTcp(TCP4, false, true, new Set([271828, 99]));
		expect(table.sockets.map((s) => s.inode)).toEqual([271828, 0, 99]);
		expect(table.foreign).toBe(3);
		expect(parseProcNetTcp(TCP6, true, true, new Set([3112])).sockets.map((s) => s.inode)).toEqual([3112, 0]);
	});
});

describe('parseProcNetTcp (IPv6)', () => {
	const table = parseProcNetTcp(TCP6, true);

	it('reads every row', () => {
		expect(table.malformed).toBe(0);
		expect(table.sockets).toHaveLength(4);
	});

	it('shows IPv4-mapped addresses as IPv4', () => {
		const s = table.sockets[1]!;
		expect(formatEndpoint(s.localIp, s.localPort)).toBe('127.0.0.1:8080');
		expect(formatEndpoint(s.remoteIp, s.remotePort)).toBe('127.0.0.2:58016');
	});

	it('formats IPv6 per RFC 5952', () => {
		expect(formatEndpoint(table.sockets[0]!.localIp, 8080)).toBe('[::]:8080');
		expect(formatEndpoint(table.sockets[2]!.localIp, table.sockets[2]!.localPort)).toBe('[::1]:8080');
		expect(table.sockets[2]!.state).toBe('TIME_WAIT');
		const doc = table.sockets[3]!;
		expect(formatEndpoint(doc.remoteIp, doc.remotePort)).toBe('[2001:db8::2]:80');
	});
});

describe('malformed input', () => {
	it('skips and counts broken rows, keeps the good ones', () => {
		const text = [
			'  sl  local_address rem_address   st tx_queue rx_queue tr tm->when retrnsmt   uid  timeout inode',
			'   0: 0100007F:1F90 0100007F:D431 01 00000000:00000000 00:00000000 00000000  1000        0 1 1 0 20 4 30 10 -1',
			'   1: 0100007F:1F90', // truncated
			'   2: ZZZZZZZZ:1F90 0100007F:D431 01 00000000:00000000 00:00000000 00000000  1000        0 2 1 0',
			'   3: 0100007F:1F90 0100007F:D431 FF 00000000:00000000 00:00000000 00000000  1000        0 3 1 0', // bad state
			'garbage line',
			'',
			'   4: 0100007F:1F90 0100007F:D432 06 00000000:00000000 03:00000010 00000000     0        0 0 3 0',
		].join('\n');
		const table = parseProcNetTcp(text, false);
		expect(table.sockets.map((s) => s.state)).toEqual(['ESTABLISHED', 'TIME_WAIT']);
		expect(table.malformed).toBe(4);
	});

	it('treats an IPv4 row in the IPv6 parser as malformed', () => {
		expect(parseProcNetTcp('   0: 0100007F:1F90 0100007F:D431 01 00000000:00000000 00:00000000 00000000 0 0 1 1\n', true).malformed).toBe(1);
	});

	it('accepts a last row without newline and an empty table', () => {
		expect(parseProcNetTcp('   0: 0100007F:1F90 0100007F:D431 01 00000000:00000000 00:00000000 00000000 0 0 1', false).sockets).toHaveLength(1);
		expect(parseProcNetTcp('', false)).toEqual({sockets: [], malformed: 0, foreign: 0});
	});
});

describe('addresses', () => {
	it('parses literals the way the table stores them', () => {
		expect(parseIpLiteral('127.0.0.1')).toBe(0x7f000001);
		expect(parseIpLiteral('::ffff:10.0.0.3')).toBe(0x0a000003);
		expect(parseIpLiteral('[2001:DB8:0:0:0:0:0:2]')).toBe('2001:db8::2');
		expect(parseIpLiteral('fe80::1%eth0')).toBe('fe80::1');
		expect(parseIpLiteral('whoami.default.svc')).toBeUndefined();
		expect(parseIpLiteral('256.1.1.1')).toBeUndefined();
	});

	it('compresses only the longest zero run', () => {
		expect(formatIpv6Bytes([0x20, 0x01, 0x0d, 0xb8, 0, 0, 0, 1, 0, 0, 0, 0, 0, 0, 0, 1])).toBe('2001:db8:0:1::1');
		expect(formatIpv6Bytes([0x20, 0x01, 0x0d, 0xb8, 0, 1, 0, 0, 0, 1, 0, 1, 0, 1, 0, 1])).toBe('2001:db8:1:0:1:1:1:1');
	});
});

describe('fixed-width fast path', () => {
	const hex = (n: number, width: number) => n.toString(16).toUpperCase().padStart(width, '0');
	/** One row printed as tcp4_seq_show prints it ("%4d: %08X:%04X %08X:%04X %02X %08X:%08X %02X:%08lX %08X %5u %8d %lu ..."). */
	const kernelRow = (
		sl: number,
		f: {
			local: number;
			lport: number;
			remote: number;
			rport: number;
			st: number;
			tx: number;
			rx: number;
			tr: number;
			when: number;
			retr: number;
			uid: number;
			timeout: number;
			inode: number;
		},
	) =>
		(
			`${String(sl).padStart(4)}: ${hex(f.local, 8)}:${hex(f.lport, 4)} ${hex(f.remote, 8)}:${hex(f.rport, 4)} ${hex(f.st, 2)} ` +
			`${hex(f.tx, 8)}:${hex(f.rx, 8)} ${hex(f.tr, 2)}:${hex(f.when, 8)} ${hex(f.retr, 8)} ${String(f.uid).padStart(5)} ` +
			`${String(f.timeout).padStart(8)} ${f.inode} 1 0000000000000000 20 4 30 10 -1`
		).padEnd(149);
	const fields = fc.record({
		local: fc.nat({max: 0xffffffff}),
		lport: fc.nat({max: 0xffff}),
		remote: fc.nat({max: 0xffffffff}),
		rport: fc.nat({max: 0xffff}),
		st: fc.integer({min: 1, max: 12}),
		tx: fc.oneof(fc.constant(0), fc.nat({max: 0xffffffff})),
		rx: fc.oneof(fc.constant(0), fc.nat({max: 0xffffffff})),
		tr: fc.integer({min: 0, max: 4}),
		when: fc.nat({max: 0xffffffff}),
		retr: fc.oneof(fc.constant(0), fc.nat({max: 0xffff})),
		uid: fc.nat({max: 99999}),
		timeout: fc.nat({max: 9999999}),
		inode: fc.nat({max: 0xffffffff}),
	});

	it("reads the kernel's layout exactly as the general scanner reads a re-spaced copy", () => {
		fc.assert(
			fc.property(fc.array(fields, {minLength: 1, maxLength: 20}), (rows) => {
				const canonical = rows.map((f, i) => kernelRow(i * 997, f)).join('\n');
				// Two spaces after "sl:" move every column: only the general scanner reads these.
				const respaced = rows.map((f, i) => kernelRow(i * 997, f).replace(': ', ':  ')).join('\n');
				const fast = parseProcNetTcp(canonical, false);
				const general = parseProcNetTcp(respaced, false);
				expect(fast.malformed).toBe(0);
				expect(fast.sockets).toEqual(general.sockets);
				fast.sockets.forEach((s, i) => {
					const f = rows[i]!;
					expect([s.localPort, s.remotePort, s.txQueue, s.rxQueue, s.timer, s.retransmits, s.uid, s.inode]).toEqual([
						f.lport,
						f.rport,
						f.tx,
						f.rx,
						f.tr,
						f.retr,
						f.uid,
						f.inode,
					]);
					expect(s.state).toBe(TCP_STATES[f.st - 1]);
				});
			}),
			{numRuns: 300},
		);
	});

	it('with `quiet`, lists exactly the quiet ESTABLISHED rows as columns and every other row as before', () => {
		fc.assert(
			fc.property(fc.array(fields, {minLength: 1, maxLength: 30}), (rows) => {
				const text = rows.map((f, i) => kernelRow(i, f)).join('\n');
				const all = parseProcNetTcp(text, false).sockets;
				const split = parseProcNetTcp(text, false, true, null, true);
				const isQuiet = (s: (typeof all)[number]) => s.state === 'ESTABLISHED' && s.txQueue === 0 && s.rxQueue === 0 && s.retransmits === 0;
				expect(split.sockets).toEqual(all.filter((s) => !isQuiet(s)));
				const quiet = all.filter(isQuiet);
				expect(split.quiet!.remoteIp).toEqual(quiet.map((s) => s.remoteIp));
				expect(split.quiet!.remotePort).toEqual(quiet.map((s) => s.remotePort));
				expect(split.quiet!.localPort).toEqual(quiet.map((s) => s.localPort));
				// The general scanner (re-spaced rows) sorts them the same way.
				const respaced = parseProcNetTcp(text.replaceAll(': ', ':  '), false, true, null, true);
				expect(respaced.sockets).toEqual(split.sockets);
				expect(respaced.quiet).toEqual(split.quiet);
			}),
			{numRuns: 300},
		);
	});

	it("skips another process's row by its inode alone, and counts it", () => {
		const row = kernelRow(0, {
			local: 0x0100007f,
			lport: 8080,
			remote: 0x0100007f,
			rport: 50000,
			st: 1,
			tx: 0,
			rx: 0,
			tr: 0,
			when: 0,
			retr: 0,
			uid: 0,
			timeout: 0,
			inode: 4242,
		});
		expect(parseProcNetTcp(row, false, true, new InodeSet().add(1)).foreign).toBe(1);
		expect(parseProcNetTcp(row, false, true, new InodeSet().add(4242)).sockets).toHaveLength(1);
	});
});
