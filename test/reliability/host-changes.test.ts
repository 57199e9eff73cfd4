// The host changes under the monitor: a backend's name resolves to a new address, DNS fails for a
// while, thousands of sockets churn between two polls.
import {describe, expect, it} from 'vitest';
import {HostResolver} from '../../source/collect/resolver.js';
import type {BackendServer, Harvest} from '../../source/domain/harvest.js';
import type {TcpSocket} from '../../source/domain/tcp.js';
import {Monitor} from '../../source/model/monitor.js';
import {DEFAULT_RULES} from '../../source/model/rules/config.js';
import {sock} from '../helpers/sockets.js';

describe('host names', () => {
	it('follows a name to its new address after the TTL, and keeps the last good one through a DNS failure', async () => {
		let answer: {address: string}[] | Error = [{address: '10.0.0.5'}];
		const resolver = new HostResolver(30_000, async () => {
			if (answer instanceof Error) throw Object.assign(answer, {code: 'EAI_AGAIN'});
			return answer;
		});
		expect((await resolver.resolve(['whoami'], 0)).resolved['whoami']).toEqual([0x0a000005]);
		answer = [{address: '10.0.0.9'}];
		expect((await resolver.resolve(['whoami'], 10_000)).resolved['whoami']).toEqual([0x0a000005]); // cached
		expect((await resolver.resolve(['whoami'], 31_000)).resolved['whoami']).toEqual([0x0a000009]);
		answer = new Error('temporary failure');
		const failed = await resolver.resolve(['whoami'], 62_000);
		expect(failed.resolved['whoami']).toEqual([0x0a000009]);
		expect(failed.errors['whoami']).toBe('cannot resolve whoami (EAI_AGAIN)');
	});

	it('moves the backend row to the new address', () => {
		const server: BackendServer = {service: 'whoami@docker', url: 'http://whoami:80', host: 'whoami', port: 80, status: 'UP', origin: 'flag'};
		const monitor = new Monitor({
			rules: DEFAULT_RULES,
			intervalSeconds: 1,
			retentionSeconds: 60,
			host: 'h',
			filter: {service: null, entrypoint: null},
			flagServers: [server],
		});
		const proc = (sockets: TcpSocket[]) => ({
			pid: 1,
			pidSource: 'flag' as const,
			process: null,
			sockets,
			malformed: 0,
			foreign: 0,
			ownedInodes: null,
			warnings: [],
			ephemeralPorts: [32768, 60999] as const,
		});
		monitor.ingest({
			collectedAt: 1000,
			proc: proc([sock('10.9.9.9:40000', '10.0.0.5:80', 'ESTABLISHED')]),
			resolved: {whoami: [0x0a000005]},
			resolveErrors: {},
		});
		expect(monitor.snapshot().backends.map((b) => `${b.address} ${b.hostname} ${b.states.ESTABLISHED}`)).toEqual(['10.0.0.5:80 whoami 1']);
		monitor.ingest({
			collectedAt: 2000,
			proc: proc([sock('10.9.9.9:40001', '10.0.0.9:80', 'ESTABLISHED'), sock('10.9.9.9:40000', '10.0.0.5:80', 'TIME_WAIT')]),
			resolved: {whoami: [0x0a000009]},
			resolveErrors: {},
		});
		expect(monitor.snapshot().backends.map((b) => `${b.address} ${b.states.ESTABLISHED}`)).toEqual(['10.0.0.9:80 1']);
	});
});

describe('churn', () => {
	it('5,000 sockets replaced between two polls: counts exact, the tracker holds only the live ones', () => {
		const server: BackendServer = {service: 's@x', url: 'http://10.0.0.5:80', host: '10.0.0.5', port: 80, status: 'UP', origin: 'flag'};
		const monitor = new Monitor({
			rules: DEFAULT_RULES,
			intervalSeconds: 1,
			retentionSeconds: 60,
			host: 'h',
			filter: {service: null, entrypoint: null},
			flagServers: [server],
		});
		const poll = (at: number, base: number): Harvest => ({
			collectedAt: at,
			proc: {
				pid: 1,
				pidSource: 'flag',
				process: null,
				sockets: Array.from({length: 5000}, (_, i) => sock(`10.9.9.9:${base + i}`, '10.0.0.5:80', i % 2 ? 'TIME_WAIT' : 'CLOSE_WAIT')),
				malformed: 0,
				foreign: 0,
				ownedInodes: null,
				warnings: [],
				ephemeralPorts: [32768, 60999],
			},
			resolved: {'10.0.0.5': [0x0a000005]},
			resolveErrors: {},
		});
		monitor.ingest(poll(1000, 10_000));
		monitor.ingest(poll(2000, 20_000));
		const row = monitor.snapshot().backends[0]!;
		expect(row.states.TIME_WAIT).toBe(2500);
		expect(row.states.CLOSE_WAIT).toBe(2500);
		expect(row.closeWaitOldestSeconds).toBe(0); // all new 4-tuples: their age starts now
		expect((monitor as unknown as {tracker: {size: number}}).tracker.size).toBe(5000);
	});
});
