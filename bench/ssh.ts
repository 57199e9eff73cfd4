/**
 * A poll over SSH beside a local poll of the same real Traefik, on a host with 1,000 and 30,000
 * sockets of other processes: the time of each, the bytes the remote reader sent, one round trip
 * through the connection and its shell (the reader's empty `ping`), and the bytes of Traefik's own
 * rows in the kernel's table (what the reader has to send). The sshd is Debian's, on loopback,
 * with keys made for the run; every process is stopped by its PID at the end.
 */
import http from 'node:http';
import net from 'node:net';
import {mkdtempSync, readFileSync, rmSync} from 'node:fs';
import {tmpdir} from 'node:os';
import {join} from 'node:path';
import {ensureTraefik} from '../scripts/traefik.mjs';
import {freePort, Traefik} from '../source/demo/traefik.js';
import {ProcReader} from '../source/collect/proc.js';
import {readSocketInodes} from '../source/collect/proc-files.js';
import {RemoteProcReader} from '../source/collect/remote-proc.js';
import {SshLink} from '../source/collect/ssh.js';
import {hasOpenSsh, startTestSshd} from '../test/helpers/sshd.js';
import {holdConnections} from './proc.js';

export interface SshBenchRun {
	/** Sockets of other processes on the host (both ends of loopback connections). */
	readonly hostSockets: number;
	/** Rows of the kernel's tcp and tcp6 tables in all, and Traefik's (by inode) with their bytes. */
	readonly tableRows: number;
	readonly traefikRows: number;
	readonly traefikRowBytes: number;
	/** Median ms of a local poll (ProcReader.read: the fd links, both tables, parse) and of a remote one. */
	readonly localPollMs: number;
	readonly remotePollMs: number;
	/** Median ms of the reader's empty answer: one round trip through ssh, sshd and the remote shell. */
	readonly roundTripMs: number;
	/** Bytes of one remote answer (the poll's frame). */
	readonly remoteBytes: number;
}

const median = (values: number[]): number => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)]!;

/** Bytes and count of the rows of `pid`'s tables whose inode it holds. */
function ownRows(pid: number): {rows: number; bytes: number; all: number} {
	const owned = readSocketInodes('/proc', pid);
	let rows = 0;
	let bytes = 0;
	let all = 0;
	for (const table of ['tcp', 'tcp6']) {
		const lines = readFileSync(`/proc/${pid}/net/${table}`, 'latin1').split('\n').slice(1).filter(Boolean);
		all += lines.length;
		for (const line of lines) {
			if (owned.has(Number(line.trim().split(/\s+/)[9]))) {
				rows++;
				bytes += line.length + 1;
			}
		}
	}
	return {rows, bytes, all};
}

export async function benchSsh(
	hostConnections: readonly number[] = [500, 15_000],
	runs = 21,
): Promise<{version: string; runs: SshBenchRun[]} | {missing: string}> {
	const found = ensureTraefik();
	if ('missing' in found) return found;
	if (!hasOpenSsh()) return {missing: 'no sshd, ssh and ssh-keygen here (apt-get install openssh-server)'};
	const dir = mkdtempSync(join(tmpdir(), 'tt-bench-ssh-'));
	const backend = http.createServer((_req, res) => res.end('ok\n'));
	await new Promise<void>((resolve) => backend.listen(0, '127.0.0.1', resolve));
	const backendPort = (backend.address() as net.AddressInfo).port;
	const ports = {web: await freePort(), traefik: await freePort()};
	const traefik = new Traefik({binary: found.path, dir, entryPoints: {web: {port: ports.web}, traefik: {port: ports.traefik}}});
	traefik.writeDynamic('bench', {
		http: {
			routers: {bench: {entryPoints: ['web'], rule: 'PathPrefix(`/`)', service: 'bench'}},
			services: {bench: {loadBalancer: {servers: [{url: `http://127.0.0.1:${backendPort}`}]}}},
		},
	});
	await traefik.start();
	// 200 kept-alive client connections through Traefik, and its pooled connections to the backend: Traefik's own rows.
	const agent = new http.Agent({keepAlive: true, maxSockets: 200});
	await Promise.all(
		Array.from(
			{length: 200},
			() =>
				new Promise<void>((resolve) => {
					http.get({host: '127.0.0.1', port: ports.web, path: '/', agent}, (res) => res.resume().on('end', () => resolve())).on('error', () => resolve());
				}),
		),
	);
	const sshd = await startTestSshd();
	const link = new SshLink(
		{destination: 'root@127.0.0.1', port: sshd.port},
		{options: sshd.clientOptions, sudo: false, connectTimeoutSeconds: 10, retryCapMs: 1000},
		[],
	);
	const remote = new RemoteProcReader(link, {pid: traefik.pid!, timeoutMs: 10_000, sudo: false});
	const local = new ProcReader({procRoot: '/proc', pid: traefik.pid!});
	const queryPorts = {backends: [backendPort], entryPoints: [ports.web, ports.traefik]};
	const results: SshBenchRun[] = [];
	try {
		await link.connect(10_000);
		if (!link.connected) throw new Error(`no SSH link: ${link.downText()}`);
		for (const connections of hostConnections) {
			const held = await holdConnections(connections);
			try {
				const localMs: number[] = [];
				const remoteMs: number[] = [];
				const rttMs: number[] = [];
				let bytes = 0;
				for (let i = 0; i < runs + 3; i++) {
					const t0 = performance.now();
					local.read();
					const t1 = performance.now();
					link.beginPoll();
					const answer = await remote.read(queryPorts);
					const t2 = performance.now();
					link.endPoll();
					if ('error' in answer) throw new Error(answer.error);
					const ping = await link.request((seq) => `ping ${seq}\n`, 10_000);
					const t3 = performance.now();
					if ('error' in ping) throw new Error(ping.error);
					// The first three: connections warm, code optimised.
					if (i < 3) continue;
					localMs.push(t1 - t0);
					remoteMs.push(t2 - t1);
					rttMs.push(t3 - t2);
					bytes = link.link.bytesPerPoll ?? 0;
				}
				const own = ownRows(traefik.pid!);
				results.push({
					hostSockets: connections * 2,
					tableRows: own.all,
					traefikRows: own.rows,
					traefikRowBytes: own.bytes,
					localPollMs: median(localMs),
					remotePollMs: median(remoteMs),
					roundTripMs: median(rttMs),
					remoteBytes: bytes,
				});
			} finally {
				await held.stop();
			}
		}
	} finally {
		link.close();
		agent.destroy();
		await traefik.stop();
		await sshd.stop();
		backend.close();
		rmSync(dir, {recursive: true, force: true});
	}
	return {version: found.version, runs: results};
}
