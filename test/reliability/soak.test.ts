// A day of polls (86,400 at 1 s) on a fake clock, against a harvest that churns: connections come
// and go, services appear and vanish, counters grow and Traefik restarts. Memory (heap after a
// full GC) must stay flat, and every history and tracker stay bounded.
import {describe, expect, it} from 'vitest';
import {parseTraefikMetrics} from '../../source/collect/traefik-metrics-parse.js';
import type {BackendServer, Harvest} from '../../source/domain/harvest.js';
import type {TcpSocket} from '../../source/domain/tcp.js';
import {Monitor} from '../../source/model/monitor.js';
import {DEFAULT_RULES} from '../../source/model/rules/config.js';
import {heapMb} from '../helpers/memory.js';

const POLLS = 86_400;
const BACKENDS = 40;

/** The harvest of poll `i`: services rotate every 2,000 polls, Traefik restarts every 20,000. */
function harvest(i: number, servers: readonly BackendServer[]): Harvest {
	const generation = Math.floor(i / 2000);
	const start = 1.7e9 + Math.floor(i / 20_000) * 1000;
	const sinceStart = i % 20_000;
	const lines: string[] = [`process_start_time_seconds ${start}`, `process_cpu_seconds_total ${sinceStart * 0.01}`];
	for (let s = 0; s < 12; s++) {
		const service = `svc-${generation}-${s}@file`;
		const n = sinceStart * (s + 1);
		lines.push(`traefik_service_requests_total{code="200",method="GET",protocol="http",service="${service}"} ${n}`);
		lines.push(`traefik_service_requests_total{code="502",method="GET",protocol="http",service="${service}"} ${Math.floor(n / 100)}`);
		for (const [le, share] of [
			['0.1', 0.9],
			['0.3', 0.97],
			['1.2', 0.99],
			['5', 1],
			['+Inf', 1],
		] as const) {
			lines.push(
				`traefik_service_request_duration_seconds_bucket{code="200",method="GET",protocol="http",service="${service}",le="${le}"} ${Math.floor(n * share)}`,
			);
		}
	}
	const sockets: TcpSocket[] = [];
	for (let b = 0; b < BACKENDS; b++) {
		for (let k = 0; k < 6; k++) {
			// Ports move on every poll: old 4-tuples vanish, new ones appear (TIME_WAIT churn).
			const state = k < 3 ? 'ESTABLISHED' : k < 5 ? 'TIME_WAIT' : 'CLOSE_WAIT';
			sockets.push({
				localIp: 0x0a640001,
				localPort: 30000 + ((i * 7 + b * 11 + k) % 28000),
				remoteIp: 0x0a000000 + b,
				remotePort: 80,
				state,
				txQueue: 0,
				rxQueue: 0,
				timer: 0,
				retransmits: k === 0 && i % 3 === 0 ? 1 : 0,
				uid: 0,
				inode: state === 'TIME_WAIT' ? 0 : 1000 + b * 6 + k,
			});
		}
	}
	return {
		collectedAt: 1_700_000_000_000 + i * 1000,
		proc: {
			pid: 100 + Math.floor(i / 20_000),
			pidSource: 'discovered',
			process: null,
			sockets,
			malformed: 0,
			foreign: 0,
			ownedInodes: null,
			warnings: [],
			ephemeralPorts: [32768, 60999],
		},
		metrics: i % 997 === 0 ? {error: 'http://127.0.0.1:8080/metrics: no answer within 800 ms'} : parseTraefikMetrics(lines.join('\n')),
		resolved: Object.fromEntries(servers.map((s, b) => [s.host, [0x0a000000 + b]])),
		resolveErrors: {},
	};
}

describe('a day of polls', () => {
	it('keeps memory flat and every structure bounded', () => {
		const servers: BackendServer[] = Array.from({length: BACKENDS}, (_, b) => ({
			service: `svc-0-${b % 12}@file`,
			url: `http://10.0.0.${b}:80`,
			host: `10.0.0.${b}`,
			port: 80,
			status: 'UP',
			origin: 'flag',
		}));
		const monitor = new Monitor({
			rules: DEFAULT_RULES,
			intervalSeconds: 1,
			retentionSeconds: 600,
			host: 'soak',
			filter: {service: null, entrypoint: null},
			flagServers: servers,
		});
		monitor.disableSource('api');
		const samples: {poll: number; heap: number}[] = [];
		for (let i = 0; i < POLLS; i++) {
			monitor.ingest(harvest(i, servers));
			if (i === 10_000 || i === POLLS - 1 || i % 20_000 === 5000) samples.push({poll: i, heap: heapMb()});
		}
		const s = monitor.snapshot();
		// Bounded: histories hold the retention (600 polls), connections only the live ones.
		expect(s.history.requestsPerSecond.length).toBe(600);
		expect(s.history.establishedConnections.length).toBe(600);
		expect(s.services.length).toBeLessThanOrEqual(12 + BACKENDS);
		expect(s.recentAlerts.length).toBeLessThanOrEqual(20);
		const tracked = (monitor as unknown as {tracker: {size: number}}).tracker.size;
		expect(tracked).toBeLessThanOrEqual(BACKENDS * 3 + 1);
		const traffic = (monitor as unknown as {traffic: {services: Map<string, unknown>}}).traffic;
		expect(traffic.services.size).toBeLessThanOrEqual(24);
		// Flat: the heap after GC at the end is within 3 MB of the heap after the first 10,000 polls.
		const first = samples[0]!.heap;
		const last = samples.at(-1)!.heap;
		console.log(`soak heap after GC (MB): ${samples.map((x) => `${x.poll}: ${x.heap.toFixed(1)}`).join(', ')}`);
		expect(last - first).toBeLessThan(3);
	}, 600_000);
});
