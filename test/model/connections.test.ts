import {describe, expect, it} from 'vitest';
import {buildBackendIndex} from '../../source/model/backends.js';
import {ConnectionTracker, classifySockets, connectionStats, entryPointPorts} from '../../source/model/connections.js';
import type {BackendServer} from '../../source/domain/harvest.js';
import {sock} from '../helpers/sockets.js';

const server = (service: string, host: string, port: number, status: BackendServer['status'] = 'UP'): BackendServer => ({
	service,
	url: `http://${host}:${port}`,
	host,
	port,
	status,
	origin: 'api',
});

describe('backend index', () => {
	it('joins servers to resolved addresses, one row per address, shared addresses listed once', () => {
		const index = buildBackendIndex(
			[server('b@x', 'whoami', 80), server('a@x', '10.0.0.3', 80, 'DOWN'), server('c@x', '10.0.0.4', 80), server('d@x', 'gone', 80)],
			{whoami: [0x0a000003, 'fd00::3'], '10.0.0.3': [0x0a000003], '10.0.0.4': [0x0a000004], gone: []},
			new Set(['b@x']),
		);
		const rows = [...index.targets.values()].map((t) => `${t.address} ${t.services.join(',')} ${t.status}`);
		expect(rows).toEqual(['10.0.0.3:80 b@x,a@x DOWN', '[fd00::3]:80 b@x UP', '10.0.0.4:80 c@x UP']);
		expect(index.unresolved.map((s) => s.service)).toEqual(['d@x']);
	});
});

describe('classification', () => {
	const index = buildBackendIndex([server('api@x', '10.0.0.3', 80)], {'10.0.0.3': [0x0a000003]});
	const sockets = [
		sock('0.0.0.0:443', '0.0.0.0:0', 'LISTEN', {inode: 10}),
		sock('10.0.0.9:443', '203.0.113.7:51000', 'ESTABLISHED', {inode: 11}),
		sock('10.0.0.9:443', '203.0.113.8:51001', 'TIME_WAIT'),
		sock('10.0.0.9:41000', '10.0.0.3:80', 'ESTABLISHED', {inode: 12}),
		sock('10.0.0.9:41001', '10.0.0.3:80', 'TIME_WAIT'),
		sock('10.0.0.9:41002', '10.0.0.3:80', 'ESTABLISHED', {inode: 99}), // another process
		sock('10.0.0.9:41003', '198.51.100.1:53', 'ESTABLISHED', {inode: 13}),
	];

	it("counts only Traefik's sockets when ownership is known, TIME_WAIT by address", () => {
		const owned = new Set([10, 11, 12, 13]);
		const ports = entryPointPorts(sockets, owned, []);
		expect([...ports]).toEqual([[443, ':443']]);
		const c = classifySockets(sockets, owned, index, ports);
		expect(c.backends.get(0x0a000003 * 65536 + 80)!.map((s) => s.state)).toEqual(['ESTABLISHED', 'TIME_WAIT']);
		expect(c.inbound.get(':443')!.map((s) => s.state)).toEqual(['ESTABLISHED', 'TIME_WAIT']);
		expect(c.other).toBe(1);
		expect(c.foreign).toBe(1);
	});

	it('falls back to addresses when /proc/<pid>/fd is unreadable', () => {
		const ports = entryPointPorts(sockets, null, [{name: 'websecure', port: 443}]);
		const c = classifySockets(sockets, null, index, ports);
		expect(c.backends.get(0x0a000003 * 65536 + 80)).toHaveLength(3);
		expect(c.inbound.get('websecure')).toHaveLength(2);
	});
});

describe('connection tracking', () => {
	it('ages connections in their current state and forgets closed ones', () => {
		const tracker = new ConnectionTracker();
		const cw = sock('10.0.0.9:41000', '10.0.0.3:80', 'CLOSE_WAIT');
		const est = sock('10.0.0.9:41001', '10.0.0.3:80', 'ESTABLISHED');
		tracker.begin();
		connectionStats(0, [sock('10.0.0.9:41000', '10.0.0.3:80', 'ESTABLISHED'), est], tracker);
		tracker.sweep();
		tracker.begin();
		let stats = connectionStats(5000, [cw, est], tracker);
		tracker.sweep();
		expect(stats.closeWaitOldestSeconds).toBe(0);
		tracker.begin();
		stats = connectionStats(65_000, [cw], tracker);
		tracker.sweep();
		expect(stats.closeWaitOldestSeconds).toBe(60);
		expect(stats.newAnswered).toBe(0);
		expect(tracker.size).toBe(1);
	});

	it('counts consecutive polls in SYN_SENT and of retransmission', () => {
		const tracker = new ConnectionTracker();
		const syn = sock('10.0.0.9:41000', '10.0.0.3:80', 'SYN_SENT', {retransmits: 1});
		const lossy = sock('10.0.0.9:41001', '10.0.0.3:80', 'ESTABLISHED', {retransmits: 2});
		for (let poll = 1; poll <= 3; poll++) {
			tracker.begin();
			const stats = connectionStats(poll * 1000, [syn, lossy], tracker);
			tracker.sweep();
			expect(stats.synSentPolls).toBe(poll);
			expect(stats.retransmitPolls).toBe(poll);
			expect(stats.retransmitting).toBe(2);
			expect(stats.newAnswered).toBe(poll === 1 ? 1 : 0);
		}
		tracker.begin();
		const healed = connectionStats(4000, [{...lossy, retransmits: 0}], tracker);
		expect(healed.retransmitPolls).toBe(0);
	});

	it('reports every state key and the TIME_WAIT ratio', () => {
		const tracker = new ConnectionTracker();
		tracker.begin();
		const stats = connectionStats(
			0,
			[
				sock('1.1.1.1:1', '2.2.2.2:2', 'TIME_WAIT'),
				sock('1.1.1.1:3', '2.2.2.2:2', 'ESTABLISHED'),
				sock('1.1.1.1:4', '2.2.2.2:2', 'TIME_WAIT'),
				sock('1.1.1.1:5', '2.2.2.2:2', 'FIN_WAIT1'),
			],
			tracker,
		);
		expect(Object.keys(stats.states)).toEqual([
			'ESTABLISHED',
			'SYN_SENT',
			'SYN_RECV',
			'FIN_WAIT1',
			'FIN_WAIT2',
			'TIME_WAIT',
			'CLOSE',
			'CLOSE_WAIT',
			'LAST_ACK',
			'CLOSING',
		]);
		expect(stats.timeWaitRatio).toBe(0.5);
		expect(connectionStats(0, [], tracker).timeWaitRatio).toBeNull();
	});
});

describe('quiet connections', () => {
	it('counted as columns, they give the same rows as the same connections listed one by one', () => {
		const index = buildBackendIndex([server('api@x', '10.0.0.3', 80), server('web@x', '10.0.0.4', 8080)], {'10.0.0.3': [0x0a000003], '10.0.0.4': [0x0a000004]});
		const listed = [
			sock('0.0.0.0:443', '0.0.0.0:0', 'LISTEN', {inode: 1}),
			...Array.from({length: 40}, (_, i) => sock(`10.0.0.9:${41000 + i}`, i % 3 === 0 ? '10.0.0.4:8080' : '10.0.0.3:80', 'ESTABLISHED', {inode: 100 + i})),
			...Array.from({length: 7}, (_, i) => sock(`10.0.0.9:443`, `203.0.113.${i}:5${i}000`, 'ESTABLISHED', {inode: 200 + i})),
			sock('10.0.0.9:42000', '10.0.0.3:80', 'CLOSE_WAIT', {inode: 300}),
			sock('10.0.0.9:42001', '10.0.0.3:80', 'TIME_WAIT'),
			sock('10.0.0.9:42002', '198.51.100.1:53', 'ESTABLISHED', {inode: 301}),
		];
		const owned = new Set([1, 300, 301, ...listed.map((s) => s.inode).filter((n) => n >= 100)]);
		const quietOnes = listed.filter((s) => s.state === 'ESTABLISHED');
		const rest = listed.filter((s) => s.state !== 'ESTABLISHED');
		const quiet = {
			remoteIp: quietOnes.map((s) => s.remoteIp as number),
			remotePort: quietOnes.map((s) => s.remotePort),
			localPort: quietOnes.map((s) => s.localPort),
		};
		const summarize = (c: ReturnType<typeof classifySockets>, tracker: ConnectionTracker) => ({
			backends: [...index.targets.keys()].map((k) => connectionStats(1000, c.backends.get(k) ?? [], tracker, c.quietBackends.get(k))),
			inbound: connectionStats(1000, c.inbound.get(':443') ?? [], tracker, c.quietInbound.get(':443')),
			other: c.other,
		});
		const ports = entryPointPorts(listed, owned, []);
		const one = summarize(classifySockets(listed, owned, index, ports), new ConnectionTracker());
		const two = summarize(classifySockets(rest, owned, index, ports, quiet), new ConnectionTracker());
		expect(two).toEqual(one);
		expect(one.backends.map((b) => b.states.ESTABLISHED)).toEqual([26, 14]);
		expect(one.inbound.states.ESTABLISHED).toBe(7);
		expect(one.other).toBe(1);
	});
});
