/**
 * `npm run bench`: every figure beside a reference measured in the same run, written to
 * bench/results.json. Sections: proc (default all); pass names to run some: `npm run bench -- proc`.
 */
import {writeFileSync} from 'node:fs';
import {cpus, totalmem} from 'node:os';
import type {Figure} from './measure.js';
import {benchMetrics} from './metrics.js';
import {benchReal, benchSynthetic} from './proc.js';

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
	comparisons.push({id: 'proc.synthetic.vsAwk', what: 'poll (read+parse+classify+track) / the awk one-liner (reference)', value: byId('proc.synthetic100000.poll') / byId('proc.synthetic100000.awk'), target: 'shown', ok: true});
	comparisons.push({id: 'proc.synthetic.vsNaive', what: 'parse cost / split+regex parse cost', value: (byId('proc.synthetic100000.readParse') - byId('proc.synthetic100000.read')) / (byId('proc.synthetic100000.naive') - byId('proc.synthetic100000.read')), target: '< 1', ok: parseCost < byId('proc.synthetic100000.naive')});
	for (const connections of [10_000]) {
		console.log(`/proc: real table, ${connections} loopback connections held open`);
		const real = await benchReal(connections);
		print(real);
		figures.push(...real);
		const tag = `proc.real${connections}`;
		const added = byId(`${tag}.poll`) - byId(`${tag}.read`);
		const overhead = added / byId(`${tag}.read`);
		comparisons.push({id: `${tag}.overhead`, what: `parse+classify+track added to the table's read, ${connections} connections`, value: overhead, target: '< 0.10', ok: overhead < 0.1});
		// A poll reads more of /proc than the table: the fd links that say which sockets are Traefik's.
		const overProc = added / (byId(`${tag}.read`) + byId(`${tag}.fd`));
		comparisons.push({id: `${tag}.overheadOfProcReads`, what: `the same, against all /proc reading of a poll (table + fd links)`, value: overProc, target: '< 0.10', ok: overProc < 0.1});
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
		comparisons.push({id: `metrics.${services}.speedup`, what: `parse speed-up over parse-prometheus-text-format, ${services} services`, value: speedup, target: '>= 5', ok: speedup >= 5});
		comparisons.push({id: `metrics.${services}.retainedMb`, what: `MB retained after parse (reference: ${result.retainedMb.reference.toFixed(1)} MB), ${services} services`, value: result.retainedMb.ours, target: '< reference', ok: result.retainedMb.ours < result.retainedMb.reference});
	}
}

console.log('\ncomparisons');
for (const c of comparisons) console.log(`  ${c.ok ? 'ok  ' : 'MISS'} ${c.what.padEnd(72)} ${c.value.toFixed(3)} (target ${c.target})`);
const machine = {cpus: cpus().length, model: cpus()[0]?.model ?? '?', memoryGb: Math.round(totalmem() / 2 ** 30), node: process.version};
writeFileSync(new URL('./results.json', import.meta.url), `${JSON.stringify({takenAt: new Date().toISOString(), machine, figures, comparisons}, null, 2)}\n`);
console.log('\nwritten to bench/results.json');
