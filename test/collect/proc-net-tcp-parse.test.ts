import {describe, expect, it} from 'vitest';
import fc from 'fast-check';
import {formatEndpoint, parseIpLiteral} from '../../source/collect/address-parse.js';
import {InodeSet} from '../../source/collect/inode-set.js';
import {formatIpv6Bytes, parseProcNetTcp} from '../../source/collect/proc-net-tcp-parse.js';
import {TCP_STATES} from '../../source/collect/types.js';

// Rows as the kernel prints them (tcp4_seq_show / get_tcp4_sock / get_timewait4_sock), with the header.
const TCP4 = `  sl  local_address rem_address   st tx_queue rx_queue tr tm->when retrnsmt   uid  timeout inode                                                     
   0: 00000000:1F90 00000000:0000 0A 00000000:00000000 00:00000000 00000000     0        0 1599 1 00000000e0939a97 100 0 0 10 0                      
   1: 0100007F:1F90 0100007F:D431 01 00000000:00000000 02:000A7C3B 00000000  1000        0 271828 1 00000000a1b2c3d4 20 4 30 10 -1                   
   2: 0100007F:D431 0100007F:1F91 08 00000000:00000001 00:00000000 00000000  1000        0 271829 1 00000000a1b2c3d5 20 4 0 10 -1                    
   3: 0100007F:C350 0300000A:0050 06 00000000:00000000 03:000016F4 00000000     0        0 0 3 0000000000000000                                      
   4: 0100007F:C351 0300000A:0050 02 00000001:00000000 01:00000183 00000002  1000        0 271830 2 00000000a1b2c3d6 1000 0 0 10 -1                   
  10: 0A00000A:A1B2 0500000A:1F40 01 0000FA00:000001F4 01:00000014 00000003   33        0 99 1 00000000a1b2c3d7 20 4 30 10 -1                     
`;

const TCP6 = `  sl  local_address                         remote_address                        st tx_queue rx_queue tr tm->when retrnsmt   uid  timeout inode
   0: 00000000000000000000000000000000:1F90 00000000000000000000000000000000:0000 0A 00000000:00000000 00:00000000 00000000     0        0 3111 1 0000000000000000 100 0 0 10 0
   1: 0000000000000000FFFF00000100007F:1F90 0000000000000000FFFF00000200007F:E2A0 01 00000000:00000000 00:00000000 00000000     0        0 3112 1 0000000000000000 20 4 29 10 -1
   2: 00000000000000000000000001000000:1F90 00000000000000000000000001000000:E2A1 06 00000000:00000000 03:00001770 00000000     0        0 0 3 0000000000000000
   3: B80D0120000000000000000001000000:C000 B80D0120000000000000000002000000:0050 01 00000000:00000000 00:00000000 00000000     0        0 3113 1 0000000000000000 20 4 29 10 -1
`;

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
		`${String(sl).padStart(4)}: ${hex(f.local, 8)}:${hex(f.lport, 4)} ${hex(f.remote, 8)}:${hex(f.rport, 4)} ${hex(f.st, 2)} ${hex(f.tx, 8)}:${hex(f.rx, 8)} ${hex(f.tr, 2)}:${hex(f.when, 8)} ${hex(f.retr, 8)} ${String(f.uid).padStart(5)} ${String(f.timeout).padStart(8)} ${f.inode} 1 0000000000000000 20 4 30 10 -1`.padEnd(
			149,
		);
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
