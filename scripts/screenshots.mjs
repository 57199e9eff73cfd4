// `npm run screenshots`: PNGs of the real program in a real terminal. Runs the built CLI against
// the demo stack in tmux at several sizes, captures the panes with their colours, and renders
// them with rsvg-convert. Needs tmux and rsvg-convert (Debian: tmux, librsvg2-bin).
import {execaSync} from 'execa';
import {mkdirSync, mkdtempSync, rmSync, writeFileSync} from 'node:fs';
import {tmpdir} from 'node:os';
import {join} from 'node:path';
import {parseAnsi, toSvg} from './ansi-to-svg.mjs';

const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));
const tmux = (...args) => execaSync('tmux', args).stdout;
const work = mkdtempSync(join(tmpdir(), 'tt-shots-'));
mkdirSync('screenshots', {recursive: true});

if (execaSync(process.execPath, ['scripts/build.mjs'], {stdio: 'inherit', reject: false}).exitCode !== 0) process.exit(1);

function start(name, columns, rows) {
	tmux(
		'new-session',
		'-d',
		'-s',
		name,
		'-x',
		String(columns),
		'-y',
		String(rows),
		'-e',
		'TERM=xterm-256color',
		`${process.execPath} dist/cli.js --demo --export-dir ${work}`,
	);
}

function shoot(session, file, columns, rows, title) {
	const text = tmux('capture-pane', '-e', '-p', '-t', session);
	const svg = join(work, `${file}.svg`);
	writeFileSync(svg, toSvg(parseAnsi(text, columns).slice(0, rows), columns, title));
	execaSync('rsvg-convert', ['-o', join('screenshots', `${file}.png`), svg]);
	console.log(`screenshots/${file}.png`);
}

function stop(session) {
	tmux('send-keys', '-t', session, 'q');
}

const began = Date.now();
try {
	// The charts over most of a timeline's cycle (150 s): their own session from the start.
	start('tt-d', 200, 50);
	start('tt-a', 120, 40);
	start('tt-c', 80, 24);
	await sleep(24_000);
	shoot('tt-a', 'overview-120x40', 120, 40, 'traefik-top --demo · 120x40 · overview');
	shoot('tt-c', 'small-80x24', 80, 24, 'traefik-top --demo · 80x24');
	tmux('send-keys', '-t', 'tt-c', '5');
	await sleep(1500);
	shoot('tt-c', 'charts-80x24', 80, 24, 'traefik-top --demo · 80x24 · 5 charts');
	stop('tt-c');
	// Pin web@file (the service whose backend leaks CLOSE_WAIT): last row by name, Enter.
	tmux('send-keys', '-t', 'tt-a', 'G');
	tmux('send-keys', '-t', 'tt-a', 'Enter');
	await sleep(3000);
	shoot('tt-a', 'pinned-120x40', 120, 40, 'traefik-top --demo · 120x40 · web@file pinned (Enter)');
	// The request stream while api-1 answers 500 to every other request: errors only (x).
	tmux('send-keys', '-t', 'tt-a', 'Escape');
	tmux('send-keys', '-t', 'tt-a', '3');
	tmux('send-keys', '-t', 'tt-a', 'x');
	await sleep(2000);
	shoot('tt-a', 'requests-120x40', 120, 40, 'traefik-top --demo · 120x40 · 3 requests, errors only (x)');
	stop('tt-a');
	start('tt-b', 200, 50);
	await sleep(52_000);
	shoot('tt-b', 'alert-storm-200x50', 200, 50, 'traefik-top --demo · 200x50 · several faults at once');
	tmux('send-keys', '-t', 'tt-b', '2');
	await sleep(1500);
	shoot('tt-b', 'backends-200x50', 200, 50, 'traefik-top --demo · 200x50 · 2 backends, full height');
	tmux('send-keys', '-t', 'tt-b', '?');
	await sleep(1500);
	shoot('tt-b', 'help-200x50', 200, 50, 'traefik-top --demo · 200x50 · ? help');
	stop('tt-b');
	// web-2, the backend the CLOSE_WAIT fault hits, chosen by a filter on its address, in the charts view.
	await sleep(Math.max(0, began + 140_000 - Date.now()));
	tmux('send-keys', '-t', 'tt-d', '/', '127.0.0.12', 'Enter', '5');
	await sleep(2000);
	shoot('tt-d', 'charts-200x50', 200, 50, 'traefik-top --demo · 200x50 · 5 charts, web-2 (filter 127.0.0.12)');
	stop('tt-d');
	await sleep(2000);
	// An HA group of three (npm run fleet): the instances view once the stale copy has drifted, at 120x40 and 80x24.
	tmux('new-session', '-d', '-s', 'tt-f', '-x', '120', '-y', '40', '-e', 'TERM=xterm-256color', `${process.execPath} --import tsx scripts/fleet.ts`);
	tmux('new-session', '-d', '-s', 'tt-g', '-x', '80', '-y', '24', '-e', 'TERM=xterm-256color', `${process.execPath} --import tsx scripts/fleet.ts`);
	await sleep(34_000);
	for (const s of ['tt-f', 'tt-g']) tmux('send-keys', '-t', s, '4');
	await sleep(2000);
	shoot('tt-f', 'instances-drift-120x40', 120, 40, 'npm run fleet · 120x40 · 4 instances: c read a stale copy');
	shoot('tt-g', 'instances-80x24', 80, 24, 'npm run fleet · 80x24 · 4 instances');
	tmux('send-keys', '-t', 'tt-f', '1');
	await sleep(2000);
	shoot('tt-f', 'fleet-overview-120x40', 120, 40, 'npm run fleet · 120x40 · three instances summed, backends per instance');
	for (const s of ['tt-f', 'tt-g']) stop(s);
	await sleep(3000);
} finally {
	for (const s of ['tt-a', 'tt-b', 'tt-c', 'tt-d', 'tt-f', 'tt-g']) execaSync('tmux', ['kill-session', '-t', s], {reject: false});
	rmSync(work, {recursive: true, force: true});
}
