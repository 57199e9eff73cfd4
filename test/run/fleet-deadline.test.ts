// One target that never answers does not hold the others: each poll ends by its deadline, the
// silent target shows down (instance_down after 2 polls), the answering one stays up at every poll.
import http from 'node:http';
import type net from 'node:net';
import {afterAll, describe, expect, it} from 'vitest';
import type {Snapshot} from '../../source/domain/snapshot.js';
import {resolveConfig} from '../../source/run/config.js';
import {startPolling} from '../../source/run/poll.js';

const EXPOSITION = [
	'# TYPE traefik_service_requests_total counter',
	'traefik_service_requests_total{code="200",method="GET",protocol="http",service="web@file"} 10',
	'',
].join('\n');

describe('a fleet with one silent target', () => {
	const held: http.ServerResponse[] = [];
	const answering = http.createServer((req, res) => {
		if (req.url === '/metrics') res.end(EXPOSITION);
		else res.writeHead(404).end();
	});
	// Accepts every request and never answers it.
	const silent = http.createServer((_req, res) => void held.push(res));
	afterAll(() => {
		for (const res of held) res.destroy();
		answering.close();
		silent.close();
	});

	it('polls the others at every interval and says which one is down', async () => {
		const port = async (server: http.Server) => {
			await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
			return (server.address() as net.AddressInfo).port;
		};
		const [a, b] = [await port(answering), await port(silent)];
		const config = resolveConfig({target: [`a=http://127.0.0.1:${a},api=off`, `b=http://127.0.0.1:${b},api=off`], interval: '300ms'}, {}, {}, true);
		const snapshots: Snapshot[] = [];
		const poller = startPolling(config, (s) => snapshots.push(s));
		try {
			for (let i = 0; i < 100 && snapshots.length < 6; i++) await new Promise((resolve) => setTimeout(resolve, 100));
		} finally {
			poller.stop();
		}
		expect(snapshots.length).toBeGreaterThanOrEqual(6);
		const last = snapshots.at(-1)!;
		const state = (s: Snapshot, name: string) => s.instances!.find((i) => i.name === name)!;
		for (const s of snapshots) expect(state(s, 'a').state).toBe('up');
		expect(state(last, 'b').state).toBe('down');
		expect(state(last, 'b').error).toMatch(/metrics/);
		expect(last.alerts.find((al) => al.rule === 'instance_down')).toMatchObject({subject: 'b', level: 'crit'});
		// a's figures are fresh at every poll: its metrics source succeeded at the time of each snapshot.
		expect(new Set(snapshots.map((s) => state(s, 'a').sources.metrics.lastSuccessAt)).size).toBe(snapshots.length);
	});
});
