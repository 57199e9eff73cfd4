// `npm run bench:against -- REF [section ...]`: the benchmark sections of this tree and of another
// commit, run in turn in the same session on the same machine, written to bench/against.json.
// The other commit is checked out in a git worktree under .cache/ with its own `npm ci`.
import {execaSync} from 'execa';
import {existsSync, mkdirSync, readFileSync, writeFileSync} from 'node:fs';
import {join} from 'node:path';

const [ref, ...asked] = process.argv.slice(2);
if (!ref) {
	console.error('usage: npm run bench:against -- REF [scale|steady|proc|metrics ...]');
	process.exit(2);
}
const sections = asked.length > 0 ? asked : ['scale', 'steady'];
const here = process.cwd();
const sha = execaSync('git', ['rev-parse', ref]).stdout.trim();
const there = join(here, '.cache', 'bench-against', sha.slice(0, 12));
if (!existsSync(there)) {
	mkdirSync(join(here, '.cache', 'bench-against'), {recursive: true});
	execaSync('git', ['worktree', 'add', '--detach', there, sha], {stdio: 'inherit'});
	execaSync('npm', ['ci', '--no-audit', '--no-fund'], {cwd: there, stdio: 'inherit'});
}

/** Runs one section in a tree and returns what its bench wrote. */
function bench(dir, section) {
	execaSync('npm', ['run', 'bench', '--', section], {
		cwd: dir,
		stdio: ['ignore', 'inherit', 'inherit'],
		env: {...process.env, BENCH_OUT: join(dir, 'bench/against-run.json')},
	});
	const file = existsSync(join(dir, 'bench/against-run.json')) ? join(dir, 'bench/against-run.json') : join(dir, 'bench/results.json');
	return JSON.parse(readFileSync(file, 'utf8'));
}

const picks = {
	scale: (r) => ({modelUpdateMs: r.scale.updateMs, snapshotMs: r.scale.snapshotMs, renderMs120x40: r.scale.renderMs, renderMs200x50: r.scale.renderMs200x50}),
	steady: (r) => ({
		cpuSecondsPerMinute: r.steady.tui.cpuSecondsPerMinute,
		peakRssMb: r.steady.tui.peakRssMb,
		terminalBytesPerMinute: r.steady.tui.bytesPerMinute,
	}),
	proc: (r) => Object.fromEntries(r.figures.filter((f) => /^proc\.real\d+\.(work|read)$/.test(f.id)).map((f) => [f.id, f.medianMs])),
	metrics: (r) => Object.fromEntries(r.figures.filter((f) => /^metrics\.\d+\.ours$/.test(f.id)).map((f) => [f.id, f.medianMs])),
};

const result = {takenAt: new Date().toISOString(), ref, sha, sections: {}};
for (const section of sections) {
	const pick = picks[section];
	if (!pick) throw new Error(`unknown section ${section}`);
	// Alternated, twice each, so that a change in the machine's load falls on both sides.
	const runs = {ref: [], here: []};
	for (let i = 0; i < 2; i++) {
		runs.ref.push(pick(bench(there, section)));
		runs.here.push(pick(bench(here, section)));
	}
	result.sections[section] = runs;
	console.log(`\n${section}`);
	for (const key of Object.keys(runs.here[0])) {
		const f = (xs) => xs.map((x) => Number(x[key]).toFixed(2)).join(', ');
		console.log(`  ${key.padEnd(28)} ${ref}: ${f(runs.ref)}   this tree: ${f(runs.here)}`);
	}
}
writeFileSync(join(here, 'bench/against.json'), `${JSON.stringify(result, null, 2)}\n`);
console.log('\nwritten to bench/against.json');
