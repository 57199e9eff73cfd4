import {describe, expect, it} from 'vitest';
import {formatEndpoint} from '../../source/domain/address.js';
import {parseSs, parseSsEndpoint, ssFilter} from '../../source/collect/ss-parse.js';

// Lines as `ss -tanHeo state all` (iproute2 6.1) prints them.
const OUTPUT = `LISTEN     0      511    127.0.0.1:44889   0.0.0.0:*     ino:3022851 sk:c8def cgroup:/ <->
ESTAB      0      0      127.0.0.1:43125 127.0.0.1:49504 ino:3022889 sk:c8e08 cgroup:/ <->
ESTAB      0      36     10.0.0.9:37172 10.0.0.3:8080 timer:(on,204ms,3) uid:1000 ino:3022917 sk:c8e0a cgroup:/ <->
FIN-WAIT-2 0      0      127.0.0.1:34255 127.0.0.1:53384 timer:(timewait,43sec,0) ino:0 sk:c8e09
TIME-WAIT  0      0      127.0.0.1:34256 127.0.0.1:8080 timer:(timewait,59sec,0) ino:0 sk:c8e10
CLOSE-WAIT 1      0      [::ffff:127.0.0.1]:41000 [::ffff:127.0.0.1]:9000 timer:(keepalive,7.4sec,0) ino:555 sk:1
SYN-SENT   0      1      [fd00::9]:40000 [fd00::3]:443 timer:(on,1.2sec,2) ino:556 sk:2
LISTEN     0      4096   *:80 *:* ino:557 sk:3
LISTEN     0      4096   127.0.0.53%lo:53 0.0.0.0:* uid:101 ino:558 sk:4
garbage line
ESTAB      x      0      127.0.0.1:1 127.0.0.1:2
`;

describe('parseSs', () => {
	const table = parseSs(OUTPUT);

	it('reads every socket line and counts the others', () => {
		expect(table.sockets).toHaveLength(9);
		expect(table.malformed).toBe(2);
	});

	it('maps states, queues, timers and retransmissions as /proc has them', () => {
		const view = table.sockets.map(
			(s) =>
				`${s.state} ${formatEndpoint(s.localIp, s.localPort)} ${formatEndpoint(s.remoteIp, s.remotePort)} ` +
				`rx=${s.rxQueue} tx=${s.txQueue} tr=${s.timer} re=${s.retransmits} uid=${s.uid} ino=${s.inode}`,
		);
		expect(view).toEqual([
			'LISTEN 127.0.0.1:44889 0.0.0.0:0 rx=0 tx=511 tr=0 re=0 uid=0 ino=3022851',
			'ESTABLISHED 127.0.0.1:43125 127.0.0.1:49504 rx=0 tx=0 tr=0 re=0 uid=0 ino=3022889',
			'ESTABLISHED 10.0.0.9:37172 10.0.0.3:8080 rx=0 tx=36 tr=1 re=3 uid=1000 ino=3022917',
			'FIN_WAIT2 127.0.0.1:34255 127.0.0.1:53384 rx=0 tx=0 tr=3 re=0 uid=0 ino=0',
			'TIME_WAIT 127.0.0.1:34256 127.0.0.1:8080 rx=0 tx=0 tr=3 re=0 uid=0 ino=0',
			'CLOSE_WAIT 127.0.0.1:41000 127.0.0.1:9000 rx=1 tx=0 tr=2 re=0 uid=0 ino=555',
			'SYN_SENT [fd00::9]:40000 [fd00::3]:443 rx=0 tx=1 tr=1 re=2 uid=0 ino=556',
			'LISTEN 0.0.0.0:80 0.0.0.0:0 rx=0 tx=4096 tr=0 re=0 uid=0 ino=557',
			'LISTEN 127.0.0.53:53 0.0.0.0:0 rx=0 tx=4096 tr=0 re=0 uid=101 ino=558',
		]);
	});

	it('keeps owned sockets and ownerless TIME_WAIT, counts the rest as foreign', () => {
		const owned = parseSs(OUTPUT, new Set([3022917, 555]));
		expect(owned.sockets.map((s) => s.inode)).toEqual([3022917, 0, 0, 555]);
		expect(owned.foreign).toBe(5);
	});

	it('reads endpoints in every form ss prints', () => {
		expect(parseSsEndpoint('[::1]:8080')).toEqual({ip: '::1', port: 8080});
		expect(parseSsEndpoint('*:*')).toEqual({ip: 0, port: 0});
		expect(parseSsEndpoint('10.0.0.1')).toBeUndefined();
		expect(parseSsEndpoint('10.0.0.1:70000')).toBeUndefined();
		expect(parseSsEndpoint('host:80')).toBeUndefined();
	});

	it('builds one filter for backend and entry-point ports', () => {
		expect(ssFilter([8080, 8080, 9000], [443])).toBe('( dport = :8080 or dport = :9000 or sport = :443 )');
	});
});
