// The remote reader script run as it runs on a remote host, but here: by a POSIX sh from a PATH
// that holds only busybox's sh, awk and cat (env -i: nothing else to fall back on), on this
// machine's real /proc. Its answer must give the harvest the local reader gives for the same
// process; it must find a process named traefik (the one listening on a port, of several); and
// run as another user it must say that the sockets' owner cannot be read and keep only the rows of
// Traefik's ports. Every process started here is stopped by its PID in afterAll.
import {mkdtempSync, readFileSync, rmSync, symlinkSync} from 'node:fs';
import {tmpdir} from 'node:os';
import {join} from 'node:path';
import {afterAll, beforeAll, describe, expect, it} from 'vitest';
import {execa, execaSync, type ResultPromise} from 'execa';
import {bootstrapCommand, parseAnswer, parseHello, pollLine, READER_SCRIPT, remoteHarvest, RUN_LINE} from '../../source/collect/remote-reader.js';
import {ProcReader} from '../../source/collect/proc.js';
import {isError, type ProcHarvest} from '../../source/domain/harvest.js';
import {formatIp} from '../../source/domain/address.js';

const BUSYBOX = ['/usr/bin/busybox', '/bin/busybox'].find((p) => execaSync('test', ['-x', p], {reject: false}).exitCode === 0);
const SETPRIV = execaSync('setpriv', ['--version'], {reject: false}).exitCode === 0;

/** A process named `traefik` (node under that name) that listens on a port and holds connections to a server of its own. */
const HOLDER = `
const net = require('node:net');
const backend = net.createServer((c) => c.on('data', () => {})).listen(0, '127.0.0.1', () => {
  const front = net.createServer(() => {}).listen(0, '127.0.0.1', () => {
    for (let i = 0; i < 3; i++) net.connect(backend.address().port, '127.0.0.1');
    // One connection opened and closed at once: a TIME_WAIT row without an inode.
    const brief = net.connect(backend.address().port, '127.0.0.1', () => brief.destroy());
    setTimeout(() => console.log(JSON.stringify({listen: front.address().port, backend: backend.address().port})), 300);
  });
});
setTimeout(() => process.exit(0), 120000);
`;

// Skipped without busybox, except in CI (which installs it): there it fails.
describe.skipIf(BUSYBOX === undefined && process.env['CI'] !== 'true')('the remote reader under busybox sh, awk and cat only', () => {
	const dir = mkdtempSync(join(tmpdir(), 'tt-reader-'));
	const bin = join(dir, 'bin');
	/** The same and busybox's ls: the fd links are then read with ls -l instead of cat of every fdinfo file. */
	const binLs = join(dir, 'bin-ls');
	const holders: {child: ResultPromise; pid: number; listen: number; backend: number}[] = [];

	/** Runs the reader over `lines` the way ssh runs it (the bootstrap, the script on stdin), as `user` when given. */
	async function reader(lines: readonly string[], user?: number, path = bin): Promise<string[]> {
		const prefix = user === undefined ? [] : ['setpriv', `--reuid=${user}`, `--regid=${user}`, '--clear-groups'];
		const command = [...prefix, 'env', '-i', `PATH=${path}`, 'sh', '-c', bootstrapCommand()];
		const input = `${READER_SCRIPT}\n${RUN_LINE}\n${lines.join('')}quit\n`;
		const result = await execa(command[0]!, command.slice(1), {input, timeout: 30_000, reject: false});
		expect(result.stderr).toBe('');
		return result.stdout.split('\n');
	}

	const frame = (out: string[], seq: number) => out.slice(out.indexOf(`@@begin ${seq}`), out.indexOf(`@@end ${seq}`) + 1);
	const rows = (h: ProcHarvest) =>
		h.sockets.map((s) => `${formatIp(s.localIp)}:${s.localPort} ${formatIp(s.remoteIp)}:${s.remotePort} ${s.state} ${s.inode}`).sort();

	beforeAll(async () => {
		execaSync('mkdir', ['-p', bin, binLs]);
		// Readable by the other user the last test runs the reader as.
		execaSync('chmod', ['755', dir, bin, binLs]);
		for (const tool of ['sh', 'awk', 'cat']) symlinkSync(BUSYBOX!, join(bin, tool));
		for (const tool of ['sh', 'awk', 'cat', 'ls']) symlinkSync(BUSYBOX!, join(binLs, tool));
		// node under the name traefik: its comm is "traefik", as a real Traefik's is.
		symlinkSync(process.execPath, join(dir, 'traefik'));
		for (let i = 0; i < 2; i++) {
			const child = execa(join(dir, 'traefik'), ['-e', HOLDER], {stdout: 'pipe', buffer: false, cleanup: true, forceKillAfterDelay: 2000, reject: false});
			const line = await new Promise<string>((resolve) => child.stdout!.once('data', (d: Buffer) => resolve(d.toString())));
			holders.push({child, pid: child.pid!, ...(JSON.parse(line) as {listen: number; backend: number})});
		}
	});

	afterAll(() => {
		for (const h of holders) h.child.kill('SIGKILL');
		rmSync(dir, {recursive: true, force: true});
	});

	it.each([
		['cat of every fdinfo file', false],
		['ls -l of the fd links', true],
	])('answers with the rows the local reader keeps for the same process (%s)', async (_how, withLs) => {
		const h = holders[0]!;
		const out = await reader([pollLine(1, {pid: h.pid, localPorts: [], backendPorts: [h.backend]})], undefined, withLs ? binLs : bin);
		const hello = parseHello(out[0]!);
		expect(hello).toMatchObject({linux: true, uid: 0});
		const answer = parseAnswer(frame(out, 1));
		if ('error' in answer) throw new Error(answer.error);
		expect(answer).toMatchObject({pid: h.pid, pidSource: 'flag', ownership: 'known'});
		const remote = remoteHarvest(answer, hello as never, 'here', false);
		const local = new ProcReader({procRoot: '/proc', pid: h.pid}).read();
		if (isError(remote) || isError(local)) throw new Error('a read failed');
		// The owned sockets (the listener, three connections) and the TIME_WAIT row of its backend port; nothing else of the host.
		expect(rows(remote)).toEqual(rows(local).filter((r) => !r.endsWith(' 0') || r.includes(`:${h.backend} TIME_WAIT`)));
		// The three quiet connections are counted as columns, not rows, by both.
		const quiet = (x: ProcHarvest) => x.quiet!.remotePort.filter((port) => port === h.backend).length;
		expect(quiet(remote)).toBe(3);
		expect(quiet(local)).toBe(3);
		expect(rows(remote).some((r) => r.includes(`:${h.backend} TIME_WAIT 0`))).toBe(true);
		expect(remote.process?.startTicks).toBe(local.process?.startTicks);
		expect(remote.foreign).toBeGreaterThan(0);
	});

	it('finds the process named traefik, and of several the one listening on a given port', async () => {
		const [a, b] = holders;
		const out = await reader([pollLine(1, {localPorts: [], backendPorts: []}), pollLine(2, {listenPort: b!.listen, localPorts: [], backendPorts: []})]);
		const first = parseAnswer(frame(out, 1));
		const second = parseAnswer(frame(out, 2));
		// Without a port: the lowest PID named traefik on the host (other tests' Traefiks may run beside these two).
		if ('error' in first) throw new Error(first.error);
		expect(first.pidSource).toBe('discovered');
		expect(first.pid).toBeLessThanOrEqual(Math.min(a!.pid, b!.pid));
		const comm = (() => {
			try {
				return readFileSync(`/proc/${first.pid}/comm`, 'utf8').trim();
			} catch {
				return 'traefik'; // it has just exited: it was one when the reader read it
			}
		})();
		expect(comm).toBe('traefik');
		expect(second).toMatchObject({pid: b!.pid, pidSource: 'discovered'});
	});

	it.skipIf(!SETPRIV)('run as another user: says the owner cannot be read, and keeps the rows of Traefik’s ports only', async () => {
		const h = holders[0]!;
		const out = await reader([pollLine(1, {pid: h.pid, localPorts: [h.listen], backendPorts: [h.backend]})], 65534);
		const answer = parseAnswer(frame(out, 1));
		if ('error' in answer) throw new Error(answer.error);
		expect(answer.ownership).toBe('denied');
		const harvest = remoteHarvest(answer, parseHello(out[0]!) as never, 'edge-1', false);
		if (isError(harvest)) throw new Error(harvest.error);
		expect(harvest.ownedInodes).toBeNull();
		expect(harvest.ownershipError).toBe(
			`edge-1:/proc/${h.pid}/fdinfo: permission denied (Traefik runs as another user; --ssh-sudo tries sudo -n); connections are matched by address only`,
		);
		// Every row kept is on one of the two ports (the listener and the connections to the backend, both ends of them).
		// The listener and the TIME_WAIT row as sockets, the three quiet connections as columns.
		expect(harvest.sockets.length).toBeGreaterThanOrEqual(2);
		expect(harvest.sockets.every((s) => s.localPort === h.listen || s.remotePort === h.backend)).toBe(true);
		expect(harvest.quiet!.remotePort.filter((port) => port === h.backend).length).toBe(3);
		expect(harvest.foreign).toBeGreaterThan(0);
	});

	it('says when there is no /proc', async () => {
		const result = await execa('env', ['-i', `PATH=${bin}`, 'sh', '-c', bootstrapCommand('/nonexistent')], {input: `${READER_SCRIPT}\n${RUN_LINE}\nquit\n`});
		expect(parseHello(result.stdout.split('\n')[0]!)).toEqual({linux: false, system: ''});
	});
});
