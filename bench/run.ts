/**
 * `npm run bench`: every figure beside a reference measured in the same run, written to
 * bench/results.json. Sections: proc (default all); pass names to run some: `npm run bench -- proc`.
 */
import {existsSync, readFileSync, writeFileSync} from 'node:fs';
import {fileURLToPath} from 'node:url';
import {cpus, totalmem} from 'node:os';
import type {Figure} from './measure.js';
import {benchMetrics} from './metrics.js';
import {benchScale} from './scale.js';
import {benchStartup} from './startup.js';
import {benchSteady} from './steady.js';
import {benchPatches} from './patches.js';
import {benchKeys, benchSeries} from './series.js';
import {benchLead} from './lead.js';
import {benchAccessLog} from './access-log.js';
import {benchFleet} from './fleet.js';
import {benchReal, benchSynthetic} from './proc.js';
import {benchSsh} from './ssh.js';
import {benchPrometheus} from './prometheus.js';

interface Comparison {
	readonly id: string;
	readonly what: string;
	readonly value: number;
	readonly target: string;
	readonly ok: boolean;
}

const wanted = new Set(process.argv.slice(2));
const run = (name: string) => wanted.size === 0 || wanted.has(name);
const figures: Figure[] = [];
const comparisons: Comparison[] = [];
const byId = (id: string) => figures.find((f) => f.id === id)!.medianMs;

function print(list: Figure[]): void {
	for (const f of list) console.log(`  ${f.label.padEnd(62)} ${f.medianMs.toFixed(2).padStart(9)} ms (min ${f.minMs.toFixed(2)}, ${f.runs} runs)`);
}

if (run('proc')) {
	console.log('/proc: synthetic 100,000-row table');
	const synthetic = benchSynthetic(100_000);
	print(synthetic);
	figures.push(...synthetic);
	const parseCost = byId('proc.synthetic100000.poll') - byId('proc.synthetic100000.read');
	comparisons.push({
		id: 'proc.synthetic.vsAwk',
		what: 'poll (read+parse+classify+track) / the awk one-liner (reference)',
		value: byId('proc.synthetic100000.poll') / byId('proc.synthetic100000.awk'),
		target: 'shown',
		ok: true,
	});
	comparisons.push({
		id: 'proc.synthetic.vsNaive',
		what: 'parse cost / split+regex parse cost',
		value:
			(byId('proc.synthetic100000.readParse') - byId('proc.synthetic100000.read')) / (byId('proc.synthetic100000.naive') - byId('proc.synthetic100000.read')),
		target: '< 1',
		ok: parseCost < byId('proc.synthetic100000.naive'),
	});
	for (const connections of [1_000, 10_000, 30_000]) {
		console.log(`/proc: real table, ${connections} loopback connections held open`);
		const real = await benchReal(connections);
		print(real);
		figures.push(...real);
		const tag = `proc.real${connections}`;
		const added = byId(`${tag}.work`);
		const overhead = added / byId(`${tag}.read`);
		comparisons.push({
			id: `${tag}.overhead`,
			what: `parse+classify+track added to the table's read, ${connections} connections`,
			value: overhead,
			target: '< 0.10',
			ok: overhead < 0.1,
		});
		// A poll reads more of /proc than the table: the fd links that say which sockets are Traefik's.
		const overProc = added / (byId(`${tag}.read`) + byId(`${tag}.fd`));
		comparisons.push({
			id: `${tag}.netlinkFiltered`,
			what: `a netlink query filtered to one backend port (ss) / the table's read, ${connections} connections`,
			value: byId(`${tag}.ssFiltered`) / byId(`${tag}.read`),
			target: 'shown',
			ok: true,
		});
		if (figures.some((f) => f.id === `${tag}.proxyNetlink`)) {
			comparisons.push({
				id: `${tag}.proxyNetlinkGain`,
				what: `a 200-connection proxy's poll via netlink / via the table, ${connections} connections on the host`,
				value: byId(`${tag}.proxyNetlink`) / byId(`${tag}.proxyTable`),
				target: '< 1',
				ok: byId(`${tag}.proxyNetlink`) < byId(`${tag}.proxyTable`),
			});
		}
		comparisons.push({
			id: `${tag}.overheadOfProcReads`,
			what: `the same, against all /proc reading of a poll (table + fd links)`,
			value: overProc,
			target: '< 0.10',
			ok: overProc < 0.1,
		});
	}
}

if (run('metrics')) {
	for (const services of [500, 5000]) {
		const result = benchMetrics(services);
		console.log(`/metrics: ${services} services, ${result.series} series, ${result.megabytes.toFixed(1)} MB`);
		print(result.figures);
		console.log(`  retained after parse: traefik-top ${result.retainedMb.ours.toFixed(1)} MB, reference ${result.retainedMb.reference.toFixed(1)} MB`);
		figures.push(...result.figures);
		const speedup = byId(`metrics.${services}.reference`) / byId(`metrics.${services}.ours`);
		comparisons.push({
			id: `metrics.${services}.speedup`,
			what: `parse speed-up over parse-prometheus-text-format, ${services} services`,
			value: speedup,
			target: '>= 5',
			ok: speedup >= 5,
		});
		comparisons.push({
			id: `metrics.${services}.retainedMb`,
			what: `MB retained after parse (reference: ${result.retainedMb.reference.toFixed(1)} MB), ${services} services`,
			value: result.retainedMb.ours,
			target: '< reference',
			ok: result.retainedMb.ours < result.retainedMb.reference,
		});
	}
}

const extra: Record<string, unknown> = {};

if (run('scale')) {
	const scale = await benchScale(120, 40);
	const wide = await benchScale(200, 50);
	console.log(
		`scale: 500 services, 2,000 backends (12,000 sockets)\n  model update ${scale.updateMs.toFixed(2)} ms, snapshot ${scale.snapshotMs.toFixed(2)} ms, ` +
			`render (CPU) ${scale.renderMs.toFixed(2)} ms at 120x40, ${wide.renderMs.toFixed(2)} ms at 200x50`,
	);
	extra['scale'] = {...scale, renderMs200x50: wide.renderMs};
	comparisons.push({
		id: 'scale.renderMs',
		what: 'render of the screen at 500 services / 2,000 backends, 120x40 (ms CPU)',
		value: scale.renderMs,
		target: '< 16',
		ok: scale.renderMs < 16,
	});
	// The views at the retention's full history, each against the overview drawn the same way in this run.
	const drawn = {} as Record<'overview' | 'backends' | 'charts', number>;
	for (const screen of ['overview', 'backends', 'charts'] as const) drawn[screen] = (await benchScale(120, 40, {screen, polls: 600})).renderMs;
	console.log(
		`  views with 600 polls of history, render (CPU) at 120x40: overview ${drawn.overview.toFixed(2)} ms, ` +
			`backends ${drawn.backends.toFixed(2)} ms, charts ${drawn.charts.toFixed(2)} ms`,
	);
	extra['views'] = drawn;
	for (const screen of ['backends', 'charts'] as const) {
		comparisons.push({
			id: `views.${screen}RenderMs`,
			what: `render of the ${screen} view at 500 services / 2,000 backends, 600 polls, 120x40 (ms CPU)`,
			value: drawn[screen],
			target: '< 16',
			ok: drawn[screen] < 16,
		});
		comparisons.push({
			id: `views.${screen}OverOverview`,
			what: `the ${screen} view's CPU per frame over the overview's (reference: ${drawn.overview.toFixed(2)} ms, same run)`,
			value: drawn[screen] / drawn.overview,
			target: '<= 1',
			ok: drawn[screen] <= drawn.overview,
		});
	}
	comparisons.push({
		id: 'scale.updateMs',
		what: 'model update at 500 services / 2,000 backends (ms)',
		value: scale.updateMs + scale.snapshotMs,
		target: '< 16',
		ok: scale.updateMs + scale.snapshotMs < 16,
	});
}

if (run('startup')) {
	const cli = new URL('../dist/cli.js', import.meta.url).pathname;
	const startup = await benchStartup(cli);
	console.log(
		`startup\n  first frame ${startup.firstFrameMs.toFixed(0)} ms; node -e 0 ${startup.nodeMs.toFixed(0)} ms; --help ${startup.helpMs.toFixed(0)} ms`,
	);
	extra['startup'] = startup;
	comparisons.push({
		id: 'startup.firstFrameMs',
		what: `time to the first frame (node -e 0: ${startup.nodeMs.toFixed(0)} ms)`,
		value: startup.firstFrameMs,
		target: '< 500',
		ok: startup.firstFrameMs < 500,
	});
}

if (run('steady')) {
	const steady = await benchSteady(60);
	const line = (name: string, f: {cpuSecondsPerMinute: number; peakRssMb: number; bytesPerMinute: number}) =>
		`  ${name.padEnd(34)} ${f.cpuSecondsPerMinute.toFixed(2)} CPU s/min (${((f.cpuSecondsPerMinute / 60) * 100).toFixed(2)} % of a core), ` +
		`peak RSS ${f.peakRssMb.toFixed(0)} MB, ${(f.bytesPerMinute / 1024).toFixed(0)} KiB/min to the terminal`;
	console.log(`steady state, 60 s at 1 s polling, 120x40\n${line('traefik-top --demo', steady.tui)}\n${line('idle Ink clock (the floor)', steady.clock)}`);
	extra['steady'] = steady;
	comparisons.push({
		id: 'steady.cpu',
		what: 'share of a core used by the watcher (demo, 1 s polling)',
		value: steady.tui.cpuSecondsPerMinute / 60,
		target: '< 0.02',
		ok: steady.tui.cpuSecondsPerMinute / 60 < 0.02,
	});
	comparisons.push({id: 'steady.rss', what: 'peak RSS of the watcher (MB)', value: steady.tui.peakRssMb, target: '< 120', ok: steady.tui.peakRssMb < 120});
	comparisons.push({
		id: 'steady.bytes',
		what: 'bytes written to the terminal per minute at 120x40',
		value: steady.tui.bytesPerMinute,
		target: '< 1048576',
		ok: steady.tui.bytesPerMinute < 1048576,
	});
}

if (run('series')) {
	const series = await benchSeries();
	console.log('many series: the poll pipeline in a child process against one /metrics');
	for (const r of series) {
		const poll = `poll ${r.pollMs.median.toFixed(0)} ms (max ${r.pollMs.max.toFixed(0)})`;
		console.log(`  ${r.label.padEnd(62)} ${r.bodyMb.toFixed(1)} MB body, ${poll}, peak RSS ${r.peakRssMb.toFixed(0)} MB`);
	}
	extra['series'] = {runs: series};
	const churn = series.at(-1)!;
	comparisons.push({
		id: 'series.churnGrowthMb',
		what: 'RSS after 3 minutes of churn minus after 30 s (MB)',
		value: churn.rssMb.at(-1)! - churn.rssMb[2]!,
		target: '< 100',
		ok: churn.rssMb.at(-1)! - churn.rssMb[2]! < 100,
	});
}

if (run('keys')) {
	const keys = await benchKeys();
	const keyMs = `${keys.keyMs.median.toFixed(0)} ms (max ${keys.keyMs.max.toFixed(0)})`;
	console.log(`keys during polls of ${keys.services.toLocaleString('en-US')} services: ? shows the help in ${keyMs}`);
	extra['keys'] = keys;
	comparisons.push({
		id: 'keys.maxMs',
		what: 'key to frame while polls are heavy (100,000 services), max (ms)',
		value: keys.keyMs.max,
		target: '< 100',
		ok: keys.keyMs.max < 100,
	});
}

if (run('fleet')) {
	const {fleet: f, reference: r} = await benchFleet();
	const tick = f.modelMs + f.renderInstancesMs;
	console.log(
		`fleet: ${f.instances} instances x ${f.services} services x ${f.servers} servers (synthetic, from recorded Traefik 3.7.15 answers), CPU per tick:\n` +
			`  parse of the ${f.instances} scrapes ${f.parseMs.toFixed(1)} ms; model ${f.modelMs.toFixed(1)} ms (monitors ${f.ingestMs.toFixed(1)}, ` +
			`their snapshots ${f.instanceSnapshotsMs.toFixed(1)}, group and merge ${f.groupMs.toFixed(1)}); drift diff ${f.driftMs.toFixed(1)} ms ` +
			`(${f.driftItems} differences, made again only when a configuration changes); render at 200x50: instances ${f.renderInstancesMs.toFixed(1)} ms, ` +
			`overview ${f.renderOverviewMs.toFixed(1)} ms\n` +
			`  peak RSS ${f.peakRssMb.toFixed(0)} MB (${f.modelRssMb.toFixed(0)} MB before the renders; ` +
			`${f.retainedMb.toFixed(0)} MB of heap retained after a collection)\n` +
			`  reference, one of those instances alone: model ${r.modelMs.toFixed(1)} ms, ` +
			`render ${r.renderInstancesMs.toFixed(1)} / ${r.renderOverviewMs.toFixed(1)} ms, peak RSS ${r.peakRssMb.toFixed(0)} MB`,
	);
	extra['fleet'] = {fleet: f, reference: r};
	comparisons.push({
		id: 'fleet.tickMs',
		what: `model update, drift and render of the instances view per tick, ${f.instances} x ${f.services} x ${f.servers} (ms CPU)`,
		value: tick,
		target: '< 50',
		ok: tick < 50,
	});
	comparisons.push({
		id: 'fleet.modelOverReference',
		what: `the fleet's model per tick over ${f.instances} times one instance's (reference: ${r.modelMs.toFixed(1)} ms, same run)`,
		value: f.modelMs / (f.instances * r.modelMs),
		target: '<= 1.2',
		ok: f.modelMs <= 1.2 * f.instances * r.modelMs,
	});
	comparisons.push({id: 'fleet.peakRssMb', what: 'peak RSS of the fleet benchmark process (MB)', value: f.peakRssMb, target: '< 200', ok: f.peakRssMb < 200});
}

if (run('ssh')) {
	const ssh = await benchSsh();
	if ('missing' in ssh) {
		console.log(`ssh: skipped (${ssh.missing})`);
		extra['ssh'] = ssh;
	} else {
		console.log(`ssh: a poll of Traefik ${ssh.version} through a real sshd on loopback, beside a local poll of it`);
		for (const r of ssh.runs) {
			const kb = (n: number) => `${(n / 1024).toFixed(1)} KiB`;
			console.log(
				`  ${r.hostSockets.toLocaleString('en-US')} sockets on the host (${r.tableRows.toLocaleString('en-US')} rows, Traefik's ${r.traefikRows}): ` +
					`local ${r.localPollMs.toFixed(1)} ms, over ssh ${r.remotePollMs.toFixed(1)} ms (round trip ${r.roundTripMs.toFixed(1)} ms); ` +
					`${kb(r.remoteBytes)} sent, Traefik's rows ${kb(r.traefikRowBytes)}`,
			);
			const tag = `ssh.host${r.hostSockets}`;
			comparisons.push({
				id: `${tag}.pollMs`,
				what: `poll over ssh / (1.5 x the local poll + one round trip), ${r.hostSockets} sockets on the host`,
				value: r.remotePollMs / (1.5 * r.localPollMs + r.roundTripMs),
				target: '< 1',
				ok: r.remotePollMs < 1.5 * r.localPollMs + r.roundTripMs,
			});
			comparisons.push({
				id: `${tag}.bytes`,
				what: `bytes of a poll over ssh / the bytes of Traefik's own rows, ${r.hostSockets} sockets on the host`,
				value: r.remoteBytes / r.traefikRowBytes,
				target: '< 2',
				ok: r.remoteBytes < 2 * r.traefikRowBytes,
			});
		}
		extra['ssh'] = ssh;
	}
}

if (run('prometheus')) {
	const p = await benchPrometheus();
	if ('missing' in p) {
		console.log(`prometheus: skipped (${p.missing})`);
	} else {
		console.log(
			`prometheus: ${p.instances} instances x ${p.services} services ` +
				`(${p.series.toLocaleString('en-US')} series, ${p.samples.toLocaleString('en-US')} samples, ` +
				`loaded by promtool in ${p.loadSeconds.toFixed(1)} s): a poll is ${p.queries} queries, ${(p.bytes / 1048576).toFixed(1)} MiB, ` +
				`${p.pollMs.toFixed(0)} ms in all, ${p.ourCpuMs.toFixed(0)} ms of our CPU; Prometheus answers up{job="traefik"} alone in ${p.upQueryMs.toFixed(1)} ms`,
		);
	}
	extra['prometheus'] = p;
	if (!('missing' in p)) {
		comparisons.push({
			id: 'prometheus.queries',
			what: `queries a poll for ${p.instances} instances x ${p.services} services`,
			value: p.queries,
			target: '<= 8',
			ok: p.queries <= 8,
		});
		comparisons.push({
			id: 'prometheus.pollMs',
			what: `a poll through Prometheus, ${p.instances} x ${p.services} (ms, wall)`,
			value: p.pollMs,
			target: '< 250',
			ok: p.pollMs < 250,
		});
		comparisons.push({
			id: 'prometheus.cpuMs',
			what: `our CPU in that poll (parse, split by instance, readings) (ms)`,
			value: p.ourCpuMs,
			target: '< 50',
			ok: p.ourCpuMs < 50,
		});
	}
}

if (run('accesslog')) {
	const a = await benchAccessLog();
	const k = (n: number) => `${Math.round(n / 1000).toLocaleString('en-US')}k`;
	const g = 'missing' in a.goaccessCommon ? a.goaccessCommon.missing : `${k(a.goaccessCommon.linesPerSecond)} lines/s`;
	console.log(
		`access log, 1,000,000 lines: JSON ${k(a.json.linesPerSecond)} lines/s, common ${k(a.common.linesPerSecond)} lines/s; GoAccess 1.7 (common): ${g}; ` +
			`2,000 req/s take ${(a.coreShareAt2000 * 100).toFixed(2)} % of a core`,
	);
	extra['accesslog'] = a;
	if (!('missing' in a.goaccessCommon)) {
		comparisons.push({
			id: 'accesslog.commonOverGoaccess',
			what: `common-format lines/s over GoAccess's (reference: ${k(a.goaccessCommon.linesPerSecond)} lines/s, same run)`,
			value: a.common.linesPerSecond / a.goaccessCommon.linesPerSecond,
			target: '>= 1',
			ok: a.common.linesPerSecond >= a.goaccessCommon.linesPerSecond,
		});
	}
	comparisons.push({
		id: 'accesslog.coreShareAt2000',
		what: 'share of a core to follow Traefik at 2,000 requests/s (%)',
		value: a.coreShareAt2000 * 100,
		target: '< 5',
		ok: a.coreShareAt2000 < 0.05,
	});
}

if (run('lead')) {
	const lead = await benchLead();
	if ('missing' in lead) console.log(`detection lead: skipped, ${lead.missing}`);
	else {
		console.log(`detection lead over Traefik ${lead.version}'s active health check (interval 30 s, timeout 5 s), seconds from the onset`);
		const s = (v: number | null) => (v === null ? '-' : v.toFixed(1));
		for (const r of lead.runs) {
			const what = `${r.fault}, ${r.phase}`.padEnd(32);
			console.log(`  ${what} traefik-top ${s(r.ourAlertSeconds)} (${r.ourRule ?? '-'}), Traefik DOWN ${s(r.traefikDownSeconds)}, lead ${s(r.leadSeconds)}`);
		}
		extra['lead'] = lead;
		const mid = lead.runs.filter((r) => r.phase === 'mid-interval' && r.leadSeconds !== null).map((r) => r.leadSeconds!);
		comparisons.push({
			id: 'lead.midIntervalMin',
			what: 'detection lead over the health check, a fault in mid-interval, smallest (s)',
			value: mid.length === 0 ? Number.NaN : Math.min(...mid),
			target: '>= 15',
			ok: mid.length === 3 && Math.min(...mid) >= 15,
		});
	}
}

if (wanted.has('patches')) {
	// Not in the default run: four more minutes against the demo.
	const patches = await benchPatches(60);
	console.log('Ink renderer patches, 60 s each against the demo at 1 s polling, 120x40');
	for (const p of patches) {
		const {cpuSecondsPerMinute, bytesPerMinute, peakRssMb} = p.figures;
		const kib = (bytesPerMinute / 1024).toFixed(0);
		console.log(`  ${p.variant.padEnd(44)} ${cpuSecondsPerMinute.toFixed(2)} CPU s/min, ${kib} KiB/min, peak RSS ${peakRssMb.toFixed(0)} MB`);
	}
	extra['patches'] = patches;
}

console.log('\ncomparisons');
for (const c of comparisons) console.log(`  ${c.ok ? 'ok  ' : 'MISS'} ${c.what.padEnd(72)} ${c.value.toFixed(3)} (target ${c.target})`);
const machine = {cpus: cpus().length, model: cpus()[0]?.model ?? '?', memoryGb: Math.round(totalmem() / 2 ** 30), node: process.version};
// A run of some sections replaces theirs and keeps the others' (each section says when it ran).
const out = process.env['BENCH_OUT'] ?? fileURLToPath(new URL('./results.json', import.meta.url));
const previous = (existsSync(out) ? JSON.parse(readFileSync(out, 'utf8')) : {}) as {
	figures?: Figure[];
	comparisons?: Comparison[];
	sections?: Record<string, string>;
};
const ran = new Set([...figures.map((f) => f.id.split('.')[0]!), ...comparisons.map((c) => c.id.split('.')[0]!), ...Object.keys(extra)]);
const kept = <T extends {id: string}>(list: readonly T[] | undefined) => (list ?? []).filter((x) => !ran.has(x.id.split('.')[0]!));
const takenAt = new Date().toISOString();
writeFileSync(
	out,
	`${JSON.stringify(
		{
			...previous,
			takenAt,
			machine,
			sections: {...previous.sections, ...Object.fromEntries([...ran].map((name) => [name, takenAt]))},
			figures: [...kept(previous.figures), ...figures],
			comparisons: [...kept(previous.comparisons), ...comparisons],
			...extra,
		},
		null,
		2,
	)}\n`,
);
console.log(`\nwritten to ${out}`);
