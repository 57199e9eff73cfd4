// A real Traefik for a test: loopback (or an address of the test's own network namespace), ports
// chosen at random, entry points web, websecure (TLS, a certificate the test makes) and traefik
// (API, ping, /metrics with router labels), a JSON access log, a watched file-provider directory.
// Stopped by its PID in stop(), and at the latest when the test process exits; its own log is kept
// in its directory and shown when it does not come up.
import {mkdtempSync, rmSync} from 'node:fs';
import {tmpdir} from 'node:os';
import {join} from 'node:path';
import {selfSignedCertificate} from '../../source/demo/certificate.js';
import {freePort, Traefik} from '../../source/demo/traefik.js';
import {realTraefik} from './demo.js';

export interface TestTraefik {
	readonly traefik: Traefik;
	readonly ports: {readonly web: number; readonly websecure: number; readonly traefik: number};
	readonly address: string;
	/** The certificate it serves on websecure (its expiry is the test's choice). */
	readonly certificate: {readonly cert: string; readonly key: string; readonly notAfter: Date};
	readonly pid: number;
	readonly apiUrl: string;
	readonly metricsUrl: string;
	/** Writes the dynamic configuration (the certificate is added to it), and waits until Traefik has read it. */
	configure(dynamic: Record<string, unknown>): Promise<void>;
	stop(): Promise<void>;
}

const running = new Set<Traefik>();
process.once('exit', () => {
	for (const t of running) if (t.pid !== undefined) process.kill(t.pid, 'SIGKILL');
});

/** Starts the real Traefik of this run; throws when there is none (guard the suite with realTraefik()). */
export async function startTestTraefik(
	options: {address?: string; wrap?: readonly string[]; certificateDays?: number; extra?: Record<string, unknown>; accessLogFormat?: 'json' | 'common'} = {},
): Promise<TestTraefik> {
	const found = realTraefik();
	if (found === null) throw new Error('no real Traefik in this run');
	const address = options.address ?? '127.0.0.1';
	const dir = mkdtempSync(join(tmpdir(), 'traefik-top-test-'));
	const ports = {web: await freePort(), websecure: await freePort(), traefik: await freePort()};
	const certificate = selfSignedCertificate(['test.localhost'], new Date(Date.now() + (options.certificateDays ?? 90) * 86400_000));
	const traefik = new Traefik({
		binary: found.path,
		dir,
		address,
		...(options.wrap ? {wrap: options.wrap} : {}),
		...(options.extra ? {extra: options.extra} : {}),
		...(options.accessLogFormat ? {accessLogFormat: options.accessLogFormat} : {}),
		entryPoints: {web: {port: ports.web}, websecure: {port: ports.websecure, tls: true}, traefik: {port: ports.traefik}},
	});
	const tls = {certificates: [{certFile: certificate.cert, keyFile: certificate.key}]};
	traefik.writeDynamic('tls', {tls});
	running.add(traefik);
	await traefik.start();
	return {
		traefik,
		ports,
		address,
		certificate,
		pid: traefik.pid!,
		apiUrl: traefik.apiUrl,
		metricsUrl: traefik.metricsUrl,
		async configure(dynamic) {
			traefik.writeDynamic('test', dynamic);
			const routers = Object.keys((dynamic['http'] as {routers?: object} | undefined)?.routers ?? {});
			for (let i = 0; i < 100; i++) {
				const raw = (await (await fetch(`${traefik.apiUrl}/api/rawdata`)).json()) as {routers?: Record<string, unknown>};
				if (routers.every((r) => raw.routers?.[`${r}@file`] !== undefined)) return;
				await new Promise((resolve) => setTimeout(resolve, 100));
			}
			throw new Error(`Traefik did not take the configuration within 10 s; its log ends:\n${traefik.logTail()}`);
		},
		async stop() {
			await traefik.stop();
			running.delete(traefik);
			rmSync(dir, {recursive: true, force: true});
		},
	};
}
