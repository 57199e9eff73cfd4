/**
 * /proc benchmarks: parse + classify a 100,000-row table, and the real table of a process holding
 * 10,000+ loopback connections, each beside the bare read of the same file and `awk`.
 */
import type {ChildProcess} from 'node:child_process';
import {execa, execaSync} from 'execa';
import {mkdtempSync, readFileSync, rmSync, writeFileSync} from 'node:fs';
import {tmpdir} from 'node:os';
import {join} from 'node:path';
import {parseProcNetTcp} from '../source/collect/proc-net-tcp-parse.js';
import {ProcFileReader, readSocketInodes} from '../source/collect/proc-files.js';
import {ProcReader} from '../source/collect/proc.js';
import type {BackendServer, Harvest, ProcHarvest} from '../source/domain/harvest.js';
import type {InodeLookup, TcpTable} from '../source/domain/tcp.js';
import {Monitor} from '../source/model/monitor.js';
import {DEFAULT_RULES} from '../source/model/rules/config.js';
import {measure, measureAsync, type Figure} from './measure.js';

const hex8 = (n: number) => (n >>> 0).toString(16).toUpperCase().padStart(8, '0');
const hex4 = (n: number) => n.toString(16).toUpperCase().padStart(4, '0');
/** IPv4 a.b.c.d as the kernel prints it on a little-endian host. */
const le = (a: number, b: number, c: number, d: number) => hex8((d << 24) | (c << 16) | (b << 8) | a);

const STATES = ['01', '01', '01', '01', '06', '06', '08', '02', '05', '0A'];

/** A /proc/net/tcp text of `rows` rows: 80 % to 50 backends (10.0.1.x:8080), the rest inbound on :443. */
export function syntheticTable(rows: number): string {
	const lines = ['  sl  local_address rem_address   st tx_queue rx_queue tr tm->when retrnsmt   uid  timeout inode'];
	for (let i = 0; i < rows; i++) {
		const st = STATES[i % STATES.length]!;
		const inode = st === '06' ? 0 : 100000 + i;
		const outbound = i % 5 !== 0;
		const local = outbound ? `${le(10, 0, 0, 9)}:${hex4(32768 + (i % 28000))}` : `${le(10, 0, 0, 9)}:01BB`;
		const remote = outbound ? `${le(10, 0, 1, i % 50)}:1F90` : `${le(203, 0, (i >> 8) & 255, i & 255)}:${hex4(1024 + (i % 60000))}`;
		lines.push(
			`${String(i).padStart(4)}: ${local} ${remote} ${st} 00000000:00000000 00:00000000 00000000  1000        0 ${inode} ` +
				'1 0000000000000000 20 4 30 10 -1                     ',
		);
	}
	return `${lines.join('\n')}\n`;
}

/** The obvious parse (split on whitespace, parseInt per field), as a reference. */
function naiveParse(text: string): number {
	let count = 0;
	for (const line of text.split('\n')) {
		const f = line.trim().split(/\s+/);
		if (!/^\d+:$/.test(f[0] ?? '')) continue;
		const [lip, lport] = f[1]!.split(':');
		const [rip, rport] = f[2]!.split(':');
		if ([lip, lport, rip, rport, f[3]].map((x) => Number.parseInt(x!, 16)).some(Number.isNaN)) continue;
		count++;
	}
	return count;
}

function monitorFor(servers: BackendServer[]): Monitor {
	const monitor = new Monitor({
		rules: DEFAULT_RULES,
		intervalSeconds: 1,
		retentionSeconds: 600,
		host: 'bench',
		filter: {service: null, entrypoint: null},
		flagServers: servers,
	});
	monitor.disableSource('api');
	monitor.disableSource('metrics');
	return monitor;
}

function harvestOf(proc: ProcHarvest, at: number, resolved: Harvest['resolved']): Harvest {
	return {collectedAt: at, proc, resolved, resolveErrors: {}};
}

/** A harvest of one parsed table, quiet connections included, as ProcReader builds it. */
function procHarvest(table: TcpTable, owned: InodeLookup | null): ProcHarvest {
	return {
		pid: 1,
		pidSource: 'flag',
		process: null,
		sockets: table.sockets,
		...(table.quiet ? {quiet: table.quiet} : {}),
		malformed: 0,
		foreign: 0,
		ownedInodes: owned,
		warnings: [],
		ephemeralPorts: [32768, 60999],
	};
}

/** parse + classify + track of a 100k-row table written to a file. */
export function benchSynthetic(rows = 100_000): Figure[] {
	const dir = mkdtempSync(join(tmpdir(), 'tt-bench-'));
	const file = join(dir, 'tcp');
	writeFileSync(file, syntheticTable(rows));
	const servers: BackendServer[] = Array.from({length: 50}, (_, i) => ({
		service: `svc${i % 10}@bench`,
		url: `http://10.0.1.${i}:8080`,
		host: `10.0.1.${i}`,
		port: 8080,
		status: 'UP',
		origin: 'api',
	}));
	const resolved = Object.fromEntries(servers.map((s, i) => [s.host, [0x0a000100 + i]]));
	const monitor = monitorFor(servers);
	let t = 0;
	try {
		const read = measure(`proc.synthetic${rows}.read`, 'read the file (readFileSync)', () => readFileSync(file));
		const parse = measure(`proc.synthetic${rows}.readParse`, 'read + parse', () => parseProcNetTcp(readFileSync(file), false, true, null, true));
		const poll = measure(`proc.synthetic${rows}.poll`, 'read + parse + classify + track (one poll)', () => {
			const table = parseProcNetTcp(readFileSync(file), false, true, null, true);
			monitor.ingest(harvestOf(procHarvest(table, null), (t += 1000), resolved));
		});
		const naive = measure(`proc.synthetic${rows}.naive`, 'read + split/regex parse (reference)', () => naiveParse(readFileSync(file, 'latin1')));
		const awk = measure(
			`proc.synthetic${rows}.awk`,
			"awk '/^ *[0-9]+:/ {print $2, $4}' (whole process)",
			() => execaSync('awk', ['/^ *[0-9]+:/ {print $2, $4}', file], {maxBuffer: 1 << 28}).stdout,
			7,
		);
		return [read, parse, poll, naive, awk];
	} finally {
		rmSync(dir, {recursive: true, force: true});
	}
}

function startHolder(args: string[]): Promise<{child: ChildProcess; line: string}> {
	return new Promise((resolve, reject) => {
		const child = execa(process.execPath, [new URL('./holders.mjs', import.meta.url).pathname, ...args], {
			stdin: 'ignore',
			stdout: 'pipe',
			stderr: 'inherit',
			buffer: false,
			reject: false,
			cleanup: true,
			forceKillAfterDelay: 2000,
		});
		let out = '';
		child.stdout!.on('data', (d: Buffer) => {
			out += d.toString();
			if (out.includes('\n')) resolve({child, line: out.trim()});
		});
		child.once('exit', (code) => reject(new Error(`holder exited with ${code}`)));
	});
}

/** Stops holders: SIGTERM (they reset every connection and exit), SIGKILL for any still there after 5 s. */
function stopHolders(children: ChildProcess[]): Promise<void> {
	return Promise.all(
		children.map(
			(child) =>
				new Promise<void>((resolve) => {
					if (child.exitCode !== null || child.signalCode !== null) return resolve();
					const timer = setTimeout(() => child.kill('SIGKILL'), 5000);
					child.once('exit', () => {
						clearTimeout(timer);
						resolve();
					});
					child.kill('SIGTERM');
				}),
		),
	).then(() => undefined);
}

/** Holds `connections` loopback connections in child processes; returns them and a stop function. */
export async function holdConnections(connections: number): Promise<{clients: ChildProcess[]; ports: number[]; stop: () => Promise<void>}> {
	const perProcess = 15_000; // under the 20k fd limit of one process
	const servers: ChildProcess[] = [];
	const ports: number[] = [];
	for (let i = 0; i < Math.ceil(connections / perProcess); i++) {
		const {child, line} = await startHolder(['server', '8']);
		servers.push(child);
		ports.push(...(JSON.parse(line) as number[]));
	}
	const clients: ChildProcess[] = [];
	for (let left = connections; left > 0; left -= perProcess) {
		const {child} = await startHolder(['client', String(Math.min(perProcess, left)), JSON.stringify(ports)]);
		clients.push(child);
	}
	// SIGTERM: the holders reset their connections (no TIME_WAIT left to swell the next table).
	return {clients, ports, stop: () => stopHolders([...clients, ...servers])};
}

/**
 * Times the two halves of each poll, the kernel's read and our parse + classify + track of the
 * bytes it gave, in the same iterations, so that a slow moment of the machine weighs on both. A
 * monitor polls for hours and its code is optimised after the first polls: 50 unmeasured polls
 * come first (a 2,000-row table is otherwise measured half-interpreted).
 */
function measurePolls(tag: string, note: string, file: string, process: (data: Buffer) => void, runs = 21, warmUp = 50): [Figure, Figure, Figure] {
	const reader = new ProcFileReader();
	for (let i = 0; i < warmUp; i++) process(reader.read(file));
	const reads: number[] = [];
	const works: number[] = [];
	const polls: number[] = [];
	for (let i = 0; i < runs; i++) {
		const t0 = performance.now();
		const data = reader.read(file);
		const t1 = performance.now();
		process(data);
		const t2 = performance.now();
		reads.push(t1 - t0);
		works.push(t2 - t1);
		polls.push(t2 - t0);
	}
	const figure = (id: string, label: string, times: number[]): Figure => {
		times.sort((a, b) => a - b);
		return {id: `${tag}.${id}`, label, medianMs: times[Math.floor(times.length / 2)]!, minMs: times[0]!, runs};
	};
	return [
		figure('read', `read ${file} (${note}: the kernel's cost)`, reads),
		figure('work', 'parse + classify + track of those bytes', works),
		figure('poll', 'the whole poll (read + the above)', polls),
	];
}

/**
 * A proxy holding 200 connections on a host whose table the held connections fill: one poll of
 * ProcReader through the whole table against one through the netlink query it switches to.
 */
async function smallProxyOnBusyHost(tag: string, rows: number): Promise<Figure[]> {
	const small = await holdConnections(200);
	try {
		const pid = small.clients[0]!.pid!;
		const ports = {backends: small.ports, entryPoints: []};
		const table = new ProcReader({procRoot: '/proc', pid});
		const full = measure(`${tag}.proxyTable`, `a poll of a 200-connection proxy on this host through the table (${rows} rows)`, () => table.read(), 9, 3);
		const reader = new ProcReader({procRoot: '/proc', pid});
		let via = '';
		const netlink = await measureAsync(
			`${tag}.proxyNetlink`,
			'the same poll through the filtered netlink query it switches to',
			async () => {
				const h = await reader.readWithPorts(ports);
				via = 'netlink' in h && h.netlink ? 'netlink' : 'table';
			},
			9,
		);
		if (via !== 'netlink') throw new Error(`the reader did not switch to netlink (${via})`);
		return [full, netlink];
	} finally {
		await small.stop();
	}
}

/** The real table of a process holding `connections` connections (each seen twice: both ends). */
export async function benchReal(connections: number): Promise<Figure[]> {
	const held = await holdConnections(connections);
	try {
		const pid = held.clients[0]!.pid!;
		const tcp = `/proc/${pid}/net/tcp`;
		const rows = readFileSync(tcp, 'latin1').split('\n').length - 2;
		const servers: BackendServer[] = held.ports.map((port) => ({
			service: 'held@bench',
			url: `127.0.0.1:${port}`,
			host: '127.0.0.1',
			port,
			status: 'UP',
			origin: 'flag',
		}));
		const monitor = monitorFor(servers);
		const resolved = {'127.0.0.1': [0x7f000001]};
		let owned = readSocketInodes('/proc', pid);
		let t = 0;
		const tag = `proc.real${connections}`;
		const note = `${rows} rows`;
		// The reference is the cheapest whole read of the file: large reads into a buffer kept between
		// polls, which is also how a poll reads it. readFileSync (64 KiB reads, then a copy) is shown too.
		const readFile = measure(`${tag}.readFileSync`, `readFileSync of the same file`, () => readFileSync(tcp), 9);
		const [read, work, poll] = measurePolls(tag, note, tcp, (data) => {
			const table = parseProcNetTcp(data, false, true, owned, true);
			monitor.ingest(harvestOf(procHarvest(table, owned), (t += 1000), resolved));
		});
		const fd = measure(
			`${tag}.fd`,
			`readlink of /proc/${pid}/fd (socket ownership)`,
			() => {
				owned = readSocketInodes('/proc', pid);
			},
			5,
		);
		const awk = measure(
			`${tag}.awk`,
			'awk one-liner on the same file (whole process)',
			() => execaSync('awk', ['/^ *[0-9]+:/ {print $2, $4}', tcp], {maxBuffer: 1 << 28}).stdout,
			5,
		);
		const ss = measure(`${tag}.ss`, '`ss -tan` (whole process, netlink)', () => execaSync('ss', ['-tan'], {maxBuffer: 1 << 28}).stdout, 5);
		// A filtered netlink query: the kernel formats only the rows the filter keeps. Here one
		// backend port of eight, as when Traefik holds a small part of a busy host's connections.
		const filter = ['-tanHeo', 'state', 'all', `( dport = :${held.ports[0]} )`];
		const kept = execaSync('ss', filter, {maxBuffer: 1 << 28})
			.stdout.split('\n')
			.filter(Boolean).length;
		const ssFiltered = measure(
			`${tag}.ssFiltered`,
			`\`ss -tanHeo\` filtered to one port (${kept} rows, whole process)`,
			() => execaSync('ss', filter, {maxBuffer: 1 << 28}).stdout,
			5,
		);
		const proxy = connections >= 10_000 ? await smallProxyOnBusyHost(tag, rows) : [];
		return [read, work, poll, readFile, fd, awk, ss, ssFiltered, ...proxy];
	} finally {
		await held.stop();
	}
}
