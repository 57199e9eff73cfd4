import {describe, expect, it} from 'vitest';
import {buildBackendIndex} from '../../source/model/backends.js';
import {ConnectionTracker, classifySockets, connectionStats, entryPointPorts} from '../../source/model/connections.js';
import type {BackendServer} from '../../source/collect/types.js';
import {sock} from '../helpers/sockets.js';

const server = (service: string, host: string, port: number, status: BackendServer['status'] = 'UP'): BackendServer => ({service, url: `http://${host}:${port}`, host, port, status, origin: 'api'});

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

	it('counts only Traefik\'s sockets when ownership is known, TIME_WAIT by address', () => {
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
		const stats = connectionStats(0, [sock('1.1.1.1:1', '2.2.2.2:2', 'TIME_WAIT'), sock('1.1.1.1:3', '2.2.2.2:2', 'ESTABLISHED'), sock('1.1.1.1:4', '2.2.2.2:2', 'TIME_WAIT'), sock('1.1.1.1:5', '2.2.2.2:2', 'FIN_WAIT1')], tracker);
		expect(Object.keys(stats.states)).toEqual(['ESTABLISHED', 'SYN_SENT', 'SYN_RECV', 'FIN_WAIT1', 'FIN_WAIT2', 'TIME_WAIT', 'CLOSE', 'CLOSE_WAIT', 'LAST_ACK', 'CLOSING']);
		expect(stats.timeWaitRatio).toBe(0.5);
		expect(connectionStats(0, [], tracker).timeWaitRatio).toBeNull();
	});
});
