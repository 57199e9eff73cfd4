// A real OpenSSH server for a test, on a free loopback port, with keys made for it: a host key,
// a client key in authorized_keys, and a known_hosts that holds the host key. It runs in the
// foreground (-D) as a child of the test, logs to its own file, and is stopped by its PID in
// stop(), and at the latest when the test process exits. `wrap` runs it under another command
// (unshare: a host without /proc, or without Traefik).
import {existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync} from 'node:fs';
import {tmpdir} from 'node:os';
import {join} from 'node:path';
import {execa, execaSync, type ResultPromise} from 'execa';
import {freePort} from '../../source/demo/traefik.js';

export const SSHD = ['/usr/sbin/sshd', '/usr/bin/sshd'].find((p) => existsSync(p));
/** sshd, ssh and ssh-keygen are all here. Without them the suite is skipped, except in CI (which installs them): there it fails. */
export const hasOpenSsh = (): boolean =>
	process.env['CI'] === 'true' ||
	(SSHD !== undefined && execaSync('ssh', ['-V'], {reject: false}).exitCode === 0 && execaSync('ssh-keygen', ['-?'], {reject: false}).exitCode !== 127);

export interface TestSshd {
	readonly port: number;
	readonly dir: string;
	/** The ssh -o options a client needs for this server: its key, its known_hosts, nothing of the user's. */
	readonly clientOptions: readonly string[];
	readonly knownHosts: string;
	readonly hostKeyLine: string;
	readonly pid: number;
	/** The server's log so far. */
	log(): string;
	stop(): Promise<void>;
	/** Stops it and keeps its folder, for restart(). */
	halt(): Promise<void>;
	/** Starts it again on the same port with the same keys. */
	restart(): Promise<void>;
}

const running = new Set<ResultPromise>();
process.once('exit', () => {
	for (const child of running) if (child.pid !== undefined) for (const pid of [...descendants(child.pid), child.pid]) process.kill(pid, 'SIGKILL');
});

/** The PIDs below `root`, from every process's parent in /proc/<pid>/stat. */
export function descendants(root: number): number[] {
	const parents = new Map<number, number>();
	for (const entry of readdirSync('/proc')) {
		if (!/^\d+$/.test(entry)) continue;
		try {
			const stat = readFileSync(`/proc/${entry}/stat`, 'latin1');
			parents.set(Number(entry), Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]));
		} catch {
			// exited meanwhile
		}
	}
	const below = new Set([root]);
	for (let grown = true; grown;) {
		grown = false;
		for (const [pid, parent] of parents) {
			if (below.has(parent) && !below.has(pid)) {
				below.add(pid);
				grown = true;
			}
		}
	}
	below.delete(root);
	return [...below];
}

const keygen = (file: string) => execaSync('ssh-keygen', ['-q', '-t', 'ed25519', '-N', '', '-C', 'traefik-top-test', '-f', file]);

/** Starts sshd; `settings` are extra sshd_config lines, `wrap` a command to run it under. */
export async function startTestSshd(options: {settings?: readonly string[]; wrap?: readonly string[]; port?: number; dir?: string} = {}): Promise<TestSshd> {
	const dir = options.dir ?? mkdtempSync(join(tmpdir(), 'tt-sshd-'));
	const port = options.port ?? (await freePort());
	if (!existsSync(join(dir, 'host_key'))) {
		keygen(join(dir, 'host_key'));
		keygen(join(dir, 'client_key'));
		writeFileSync(join(dir, 'authorized_keys'), readFileSync(join(dir, 'client_key.pub')), {mode: 0o600});
	}
	const hostKeyLine = `[127.0.0.1]:${port} ${readFileSync(join(dir, 'host_key.pub'), 'utf8').trim().split(' ').slice(0, 2).join(' ')}`;
	const knownHosts = join(dir, 'known_hosts');
	if (!existsSync(knownHosts)) writeFileSync(knownHosts, `${hostKeyLine}\n`);
	const config = [
		`Port ${port}`,
		'ListenAddress 127.0.0.1',
		`HostKey ${join(dir, 'host_key')}`,
		`AuthorizedKeysFile ${join(dir, 'authorized_keys')}`,
		`PidFile ${join(dir, 'sshd.pid')}`,
		'PermitRootLogin prohibit-password',
		'PasswordAuthentication no',
		'KbdInteractiveAuthentication no',
		'UsePAM no',
		'StrictModes no',
		'AllowTcpForwarding yes',
		'AllowStreamLocalForwarding yes',
		'MaxStartups 100',
		'PrintMotd no',
		...(options.settings ?? []),
	];
	writeFileSync(join(dir, 'sshd_config'), `${config.join('\n')}\n`);
	// Privilege separation wants its empty directory.
	mkdirSync('/run/sshd', {recursive: true});
	const log = join(dir, 'sshd.log');
	// The child is returned in an object: a ResultPromise returned from an async function would be awaited.
	const start = async (): Promise<{child: ResultPromise}> => {
		const command = [...(options.wrap ?? []), SSHD!, '-D', '-f', join(dir, 'sshd_config'), '-E', log];
		const child = execa(command[0]!, command.slice(1), {
			stdin: 'ignore',
			stdout: 'ignore',
			stderr: 'pipe',
			reject: false,
			cleanup: true,
			forceKillAfterDelay: 2000,
		});
		running.add(child);
		void child.then(() => running.delete(child));
		// Up when the port accepts (bounded: 10 s).
		for (let i = 0; i < 200; i++) {
			if (child.exitCode !== null) break;
			const probe = await execa('bash', ['-c', `exec 3<>/dev/tcp/127.0.0.1/${port}`], {reject: false});
			if (probe.exitCode === 0) return {child};
			await new Promise((resolve) => setTimeout(resolve, 50));
		}
		child.kill('SIGKILL');
		throw new Error(`sshd did not come up on 127.0.0.1:${port}: ${existsSync(log) ? readFileSync(log, 'utf8').slice(-2000) : ''}`);
	};
	let {child} = await start();
	// The listener and every session it forked (a session outlives its listener): all of them, by PID.
	const stop = async (): Promise<void> => {
		if (child.pid !== undefined && child.exitCode === null) {
			for (const pid of [...descendants(child.pid), child.pid]) {
				try {
					process.kill(pid, 'SIGKILL');
				} catch {
					// gone already
				}
			}
			await child;
		}
		running.delete(child);
	};
	return {
		port,
		dir,
		knownHosts,
		hostKeyLine,
		get pid() {
			return child.pid!;
		},
		clientOptions: [
			`IdentityFile=${join(dir, 'client_key')}`,
			'IdentitiesOnly=yes',
			'IdentityAgent=none',
			`UserKnownHostsFile=${knownHosts}`,
			'GlobalKnownHostsFile=/dev/null',
		],
		log: () => (existsSync(log) ? readFileSync(log, 'utf8') : ''),
		stop: async () => {
			await stop();
			if (options.dir === undefined) rmSync(dir, {recursive: true, force: true});
		},
		halt: stop,
		restart: async () => {
			await stop();
			({child} = await start());
		},
	};
}
