/**
 * A fleet read through Prometheus: 50 instances x 200 services of synthetic Traefik series (the
 * families and labels Traefik 3 writes), 3 minutes of 15 s scrapes, written as OpenMetrics and
 * loaded into a fresh storage with `promtool tsdb create-blocks-from openmetrics`, then served by
 * Debian's Prometheus on loopback. One poll is the round of queries at the last scrape's time:
 * its wall time (Prometheus' evaluation and the transfer), our CPU in it (the answers' parse and
 * their split by instance, then every instance's reading), the number of queries and the bytes.
 * Beside it, in the same run, Prometheus' own time for the cheapest query (`up`): the floor.
 */
import {createWriteStream, mkdtempSync, rmSync, writeFileSync} from 'node:fs';
import {tmpdir} from 'node:os';
import {join} from 'node:path';
import {once} from 'node:events';
import {execa, execaSync, type ResultPromise} from 'execa';
import {freePort} from '../source/demo/traefik.js';
import {PrometheusClient} from '../source/collect/prometheus-api.js';
import {PrometheusSource} from '../source/collect/prometheus-source.js';

export interface PrometheusBench {
	readonly instances: number;
	readonly services: number;
	readonly series: number;
	readonly samples: number;
	readonly loadSeconds: number;
	readonly queries: number;
	readonly bytes: number;
	/** Medians over the polls. */
	readonly pollMs: number;
	readonly ourCpuMs: number;
	readonly upQueryMs: number;
}

const BOUNDS = ['0.1', '0.3', '1.2', '5', '+Inf'];
const median = (v: number[]): number => [...v].sort((a, b) => a - b)[Math.floor(v.length / 2)]!;

/** Writes the OpenMetrics text: family by family, series by series, each series' samples in time order. */
async function writeOpenMetrics(file: string, instances: number, services: number, times: readonly number[]): Promise<{series: number; samples: number}> {
	const out = createWriteStream(file);
	let series = 0;
	let samples = 0;
	let buffer: string[] = [];
	const flush = async () => {
		if (!out.write(buffer.join(''))) await once(out, 'drain');
		buffer = [];
	};
	const emit = async (name: string, labels: string, value: (k: number) => number) => {
		series++;
		for (let k = 0; k < times.length; k++) {
			buffer.push(`${name}{${labels}} ${value(k)} ${times[k]}\n`);
			samples++;
		}
		if (buffer.length > 20_000) await flush();
	};
	const each = async (fn: (i: number, s: number, base: string) => Promise<void>) => {
		for (let i = 0; i < instances; i++)
			for (let s = 0; s < services; s++) await fn(i, s, `job="traefik",instance="10.0.${Math.floor(i / 250)}.${i % 250}:8080",service="svc-${s}@docker"`);
	};
	buffer.push('# TYPE up gauge\n');
	for (let i = 0; i < instances; i++) await emit('up', `job="traefik",instance="10.0.${Math.floor(i / 250)}.${i % 250}:8080"`, () => 1);
	buffer.push('# TYPE traefik_service_requests counter\n');
	await each(async (_i, s, base) => {
		const rate = 1 + (s % 10);
		await emit('traefik_service_requests_total', `${base},code="200",method="GET",protocol="http"`, (k) => Math.round(rate * 15 * k));
		await emit('traefik_service_requests_total', `${base},code="500",method="GET",protocol="http"`, (k) => Math.round(rate * 0.3 * k));
	});
	buffer.push('# TYPE traefik_service_request_duration_seconds histogram\n');
	await each(async (_i, s, base) => {
		const n = 1 + (s % 10);
		const shares = [0.6, 0.9, 0.99, 1, 1];
		for (const [b, le] of BOUNDS.entries())
			await emit('traefik_service_request_duration_seconds_bucket', `${base},code="200",method="GET",protocol="http",le="${le}"`, (k) =>
				Math.round(n * 15 * k * shares[b]!),
			);
		await emit('traefik_service_request_duration_seconds_sum', `${base},code="200",method="GET",protocol="http"`, (k) => n * 15 * k * 0.08);
		await emit('traefik_service_request_duration_seconds_count', `${base},code="200",method="GET",protocol="http"`, (k) => n * 15 * k);
	});
	buffer.push('# TYPE traefik_service_server_up gauge\n');
	await each(async (i, s, base) => emit('traefik_service_server_up', `${base},url="http://10.1.${s % 250}.${i % 250}:80"`, () => 1));
	buffer.push('# EOF\n');
	await flush();
	out.end();
	await once(out, 'finish');
	return {series, samples};
}

export async function benchPrometheus(instances = 50, services = 200, polls = 9): Promise<PrometheusBench | {missing: string}> {
	for (const tool of ['prometheus', 'promtool'])
		if (execaSync(tool, ['--version'], {reject: false}).exitCode !== 0) return {missing: `no ${tool} here (apt-get install prometheus)`};
	const dir = mkdtempSync(join(tmpdir(), 'tt-bench-prom-'));
	let server: ResultPromise | undefined;
	try {
		// 3 minutes of 15 s scrapes, ending a minute ago (blocks cannot hold the head's time).
		const end = Math.floor(Date.now() / 1000) - 60;
		const times = Array.from({length: 13}, (_, k) => end - (12 - k) * 15);
		const file = join(dir, 'fleet.om');
		const {series, samples} = await writeOpenMetrics(file, instances, services, times);
		const t0 = performance.now();
		await execa('promtool', ['tsdb', 'create-blocks-from', 'openmetrics', file, join(dir, 'data')], {stdout: 'ignore', stderr: 'pipe', timeout: 600_000});
		const loadSeconds = (performance.now() - t0) / 1000;
		rmSync(file);
		const port = await freePort();
		writeFileSync(join(dir, 'prometheus.yml'), 'global: {scrape_interval: 15s}\n');
		server = execa(
			'prometheus',
			[
				`--config.file=${join(dir, 'prometheus.yml')}`,
				`--storage.tsdb.path=${join(dir, 'data')}`,
				`--web.listen-address=127.0.0.1:${port}`,
				'--log.level=error',
			],
			{
				stdin: 'ignore',
				stdout: 'ignore',
				stderr: 'ignore',
				reject: false,
				cleanup: true,
				forceKillAfterDelay: 2000,
			},
		);
		const url = `http://127.0.0.1:${port}`;
		for (let i = 0; i < 600; i++) {
			try {
				if ((await fetch(`${url}/-/ready`)).ok) break;
			} catch {
				// not yet
			}
			await new Promise((resolve) => setTimeout(resolve, 100));
		}
		const http = {timeoutMs: 30_000, maxBytes: 512 * 1024 * 1024};
		const source = new PrometheusSource({url, selector: '{job="traefik"}', instanceLabel: 'instance', http}, 0);
		const client = new PrometheusClient(url, http);
		const at = end * 1000;
		const pollMs: number[] = [];
		const cpuMs: number[] = [];
		const upMs: number[] = [];
		let queries = 0;
		let bytes = 0;
		for (let p = 0; p < polls + 1; p++) {
			const wall = performance.now();
			const cpu = process.cpuUsage();
			const round = await source.round(at);
			if ('error' in round) throw new Error(round.error);
			for (const name of round.instances.keys()) source.readingOf(round, name);
			const used = process.cpuUsage(cpu);
			const took = performance.now() - wall;
			const u = performance.now();
			await client.query('up{job="traefik"}', end);
			if (p === 0) continue; // the first: Prometheus' caches and our code warm
			pollMs.push(took);
			cpuMs.push((used.user + used.system) / 1000);
			upMs.push(performance.now() - u);
			queries = round.queries;
			bytes = round.bytes;
			if (round.instances.size !== instances) throw new Error(`${round.instances.size} instances read, ${instances} written`);
		}
		return {instances, services, series, samples, loadSeconds, queries, bytes, pollMs: median(pollMs), ourCpuMs: median(cpuMs), upQueryMs: median(upMs)};
	} finally {
		if (server !== undefined) {
			server.kill('SIGTERM');
			await server;
		}
		rmSync(dir, {recursive: true, force: true});
	}
}
