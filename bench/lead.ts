/**
 * Detection lead over Traefik's own active health check, at its defaults (interval 30 s, timeout
 * 5 s). A real Traefik (the pinned one) balances `lead@file` over two real servers under keep-alive
 * load; traefik-top (the built CLI, --json at 1 s) watches it. For each fault the check can see,
 * at two moments of the check's cycle, two times are taken from the fault's onset: the first
 * snapshot with an alert about the server or its service, and the moment Traefik's API reports the
 * server DOWN. The lead is their difference.
 */
import http from 'node:http';
import net from 'node:net';
import {mkdtempSync, rmSync} from 'node:fs';
import {tmpdir} from 'node:os';
import {join} from 'node:path';
import {execa, type ResultPromise} from 'execa';
import {freePort, Traefik} from '../source/demo/traefik.js';
import type {Snapshot} from '../source/domain/snapshot.js';
import {ensureTraefik} from '../scripts/traefik.mjs';

export type LeadFault = 'blackhole' | 'refused' | 'slow';
export type Phase = 'mid-interval' | 'just before a check';

export interface LeadRun {
	readonly fault: LeadFault;
	readonly phase: Phase;
	/** Seconds from the onset to traefik-top's first alert about the server or its service, and which. */
	readonly ourAlertSeconds: number | null;
	readonly ourRule: string | null;
	/** Seconds from the onset to Traefik's API saying DOWN. */
	readonly traefikDownSeconds: number | null;
	readonly leadSeconds: number | null;
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
const INTERVAL_S = 30;
const SERVER_A = '127.0.0.71';
const SERVER_B = '127.0.0.72';

/** A server that can refuse (closed), never accept (a full queue, nothing accepted) or answer late. */
class FaultyServer {
	private server: http.Server | null = null;
	private blackhole: ResultPromise | null = null;
	delayMs = 0;
	/** When /health was last asked (Traefik's check). */
	lastCheck = 0;
	port = 0;

	constructor(readonly address: string) {}

	async start(): Promise<void> {
		const server = http.createServer((req, res) => {
			if (req.url === '/health') this.lastCheck = Date.now();
			setTimeout(() => res.end('ok\n'), this.delayMs);
		});
		await new Promise<void>((resolve) => server.listen(this.port, this.address, resolve));
		this.port = (server.address() as net.AddressInfo).port;
		this.server = server;
	}

	async refuse(): Promise<void> {
		const server = this.server;
		this.server = null;
		if (server) {
			server.closeAllConnections();
			await new Promise((resolve) => server.close(resolve));
		}
	}

	/**
	 * The demo's listener that never accepts (`demo-blackhole`: a backlog of one, its queue filled,
	 * its event loop blocked): SYNs to the server go unanswered.
	 */
	async blackholeOn(): Promise<void> {
		await this.refuse();
		const cli = new URL('../dist/cli.js', import.meta.url).pathname;
		const hole = execa(process.execPath, [cli, 'demo-blackhole', String(this.port), this.address], {stdout: 'pipe', reject: false, buffer: false});
		await new Promise((resolve) => hole.stdout.once('data', resolve));
		this.blackhole = hole;
	}

	async restore(): Promise<void> {
		this.delayMs = 0;
		const hole = this.blackhole;
		this.blackhole = null;
		if (hole) {
			hole.kill('SIGKILL');
			await hole;
		}
		if (!this.server) await this.start();
	}

	async stop(): Promise<void> {
		await this.restore();
		await this.refuse();
	}
}

export async function benchLead(): Promise<{version: string; runs: LeadRun[]} | {missing: string}> {
	const found = ensureTraefik();
	if ('missing' in found) return found;
	const dir = mkdtempSync(join(tmpdir(), 'tt-lead-'));
	const a = new FaultyServer(SERVER_A);
	const b = new FaultyServer(SERVER_B);
	await a.start();
	await b.start();
	const ports = {web: await freePort(), traefik: await freePort()};
	const traefik = new Traefik({binary: found.path, dir, entryPoints: {web: {port: ports.web}, traefik: {port: ports.traefik}}});
	traefik.writeDynamic('lead', {
		http: {
			routers: {lead: {entryPoints: ['web'], rule: 'PathPrefix(`/`)', service: 'lead'}},
			// Traefik's defaults: interval 30s, timeout 5s.
			services: {lead: {loadBalancer: {servers: [a, b].map((s) => ({url: `http://${s.address}:${s.port}`})), healthCheck: {path: '/health'}}}},
		},
	});
	await traefik.start();
	const agent = new http.Agent({keepAlive: true, maxSockets: 8});
	const load = setInterval(() => {
		const request = http.get({host: '127.0.0.1', port: ports.web, path: '/', agent, timeout: 20_000}, (res) => res.resume());
		request.on('error', () => {});
		request.on('timeout', () => request.destroy());
	}, 50);
	const cli = new URL('../dist/cli.js', import.meta.url).pathname;
	const monitor = execa(
		process.execPath,
		[cli, '--json', '--interval', '1s', '--pid', String(traefik.pid), '--metrics-url', traefik.metricsUrl, '--api-url', traefik.apiUrl],
		{
			stdout: 'pipe',
			stderr: 'ignore',
			reject: false,
			buffer: false,
		},
	);
	const snapshots: {at: number; snapshot: Snapshot}[] = [];
	let buffer = '';
	monitor.stdout.on('data', (d: Buffer) => {
		buffer += d.toString();
		for (let nl = buffer.indexOf('\n'); nl >= 0; nl = buffer.indexOf('\n')) {
			snapshots.push({at: Date.now(), snapshot: JSON.parse(buffer.slice(0, nl)) as Snapshot});
			buffer = buffer.slice(nl + 1);
		}
	});
	const urlA = `http://${SERVER_A}:${a.port}`;
	const statusOfA = async (): Promise<string | undefined> => {
		try {
			const body = (await (await fetch(`${traefik.apiUrl}/api/http/services/lead@file`)).json()) as {serverStatus?: Record<string, string>};
			return body.serverStatus?.[urlA];
		} catch {
			return undefined;
		}
	};
	const runs: LeadRun[] = [];
	try {
		// Warm-up: rates need two scrapes, the first check has run.
		for (let i = 0; i < 600 && a.lastCheck === 0; i++) await sleep(100);
		await sleep(3000);
		for (const fault of ['blackhole', 'refused', 'slow'] as const) {
			for (const phase of ['mid-interval', 'just before a check'] as const) {
				// Wait for the moment of the check's cycle: 15 s after a check, or 1 s before the next.
				const offset = phase === 'mid-interval' ? 15_000 : INTERVAL_S * 1000 - 1000;
				const due = a.lastCheck + offset;
				await sleep(Math.max(0, due - Date.now()));
				const onset = Date.now();
				if (fault === 'blackhole') await a.blackholeOn();
				else if (fault === 'refused') await a.refuse();
				else a.delayMs = 6000; // past the check's 5 s timeout
				let downAt: number | null = null;
				let alertAt: number | null = null;
				let rule: string | null = null;
				// Bounded: one interval and a timeout, and 15 s more.
				while (Date.now() - onset < (INTERVAL_S + 20) * 1000 && (downAt === null || alertAt === null)) {
					if (downAt === null && (await statusOfA()) === 'DOWN') downAt = Date.now();
					if (alertAt === null) {
						const hit = snapshots.find(
							(s) => s.at > onset && s.snapshot.alerts.some((al) => al.subject.startsWith(`${SERVER_A}:`) || al.service === 'lead@file'),
						);
						if (hit) {
							alertAt = hit.at;
							rule = hit.snapshot.alerts.find((al) => al.subject.startsWith(`${SERVER_A}:`) || al.service === 'lead@file')!.rule;
						}
					}
					await sleep(200);
				}
				const seconds = (t: number | null) => (t === null ? null : (t - onset) / 1000);
				const ours = seconds(alertAt);
				const theirs = seconds(downAt);
				runs.push({
					fault,
					phase,
					ourAlertSeconds: ours,
					ourRule: rule,
					traefikDownSeconds: theirs,
					leadSeconds: ours !== null && theirs !== null ? theirs - ours : null,
				});
				await a.restore();
				// Until Traefik's next check finds A up again, and our alerts have cleared.
				for (let i = 0; i < 450 && (await statusOfA()) !== 'UP'; i++) await sleep(200);
				await sleep(5000);
			}
		}
	} finally {
		clearInterval(load);
		agent.destroy();
		monitor.kill('SIGTERM');
		await monitor;
		await traefik.stop();
		await a.stop();
		await b.stop();
		rmSync(dir, {recursive: true, force: true});
	}
	return {version: found.version, runs};
}
