// Whole frames of the screen at fixed sizes, from scripted snapshots, driven by keys.
import {afterEach, describe, expect, it, vi} from 'vitest';
import {App, type AppProps} from '../../source/ui/app.js';
import {createTheme} from '../../source/ui/theme.js';
import {DEFAULT_RULES} from '../../source/model/rules/config.js';
import type {Snapshot} from '../../source/domain/snapshot.js';
import {renderAt} from '../helpers/ink.js';
import {sampleSnapshot} from '../helpers/snapshot.js';

type Rendered = ReturnType<typeof renderAt>;
const mounted: Rendered[] = [];
afterEach(() => {
	for (const r of mounted.splice(0)) r.unmount();
});

function mount(columns: number, rows: number, over: Partial<AppProps> = {}, snapshot: Snapshot | null = sampleSnapshot()) {
	let push: (s: Snapshot) => void = () => {};
	const props: AppProps = {
		subscribe: (listener) => {
			push = listener;
			if (snapshot) listener(snapshot);
			return () => {};
		},
		theme: createTheme({colors: false, ascii: false}),
		rules: DEFAULT_RULES,
		pinned: null,
		onPin: vi.fn(),
		onInterval: vi.fn(() => 2),
		onExport: vi.fn(async () => '/tmp/x.json'),
		size: {columns, rows},
		now: () => Date.UTC(2026, 10, 22, 3, 10, 1),
		...over,
	};
	const r = renderAt(<App {...props} />, columns, rows);
	mounted.push(r);
	return {...r, props, push: (s: Snapshot) => push(s)};
}

const fits = (lines: string[], columns: number, rows: number) => {
	expect(lines.length).toBeLessThanOrEqual(rows);
	for (const l of lines) expect([...l].length, l).toBeLessThanOrEqual(columns);
};

describe.each([
	[80, 24],
	[120, 40],
])('at %ix%i', (columns, rows) => {
	it('draws every panel within the terminal', async () => {
		const r = mount(columns, rows);
		await r.settle();
		const frame = r.lastFrame();
		fits(r.lines(), columns, rows);
		expect(frame).toMatch(/traefik-top · edge-1 · Traefik 3\.7\.9 pid 4242 up 2h03m/);
		expect(frame).toMatch(/Traffic · all entry points · 52\.5 req\/s/);
		expect(frame).toMatch(/Latency · all entry points · p50 50ms\s+p95 120ms\s+p99 400ms/);
		expect(frame).toMatch(/Services \(sort: name\)/);
		expect(frame).toMatch(/Backends, Traefik → server/);
		expect(frame).toMatch(/Entry points/);
		expect(frame).toMatch(/Alerts: 4 active \(4 critical\)/);
		expect(frame).toMatch(/q quit \? help/);
	});

	it('marks breaches with a symbol, not colour alone', async () => {
		const r = mount(columns, rows);
		await r.settle();
		const lines = r.lines();
		const row = (text: string) => lines.find((l) => l.includes(text) && !l.includes('since'))!;
		expect(row('10.0.0.2:8080')).toMatch(/^✖ web@docker/); // CLOSE_WAIT stuck
		expect(row('10.0.0.7:80')).toMatch(/^✖ auth@docker/); // SYN_SENT, DOWN
		// Rows sort worst first: the healthy backend is last (off screen at 80x24).
		if (rows >= 40) expect(row('10.0.0.1:80')).toMatch(/^ {2}api@docker/);
		expect(lines.find((l) => l.startsWith('✖ CRIT close_wait_stuck'))).toBeDefined();
	});
});

describe('keys', () => {
	it('filters (substring, regex, inverted), keeps with Enter, clears with Esc', async () => {
		const r = mount(120, 40);
		await r.settle();
		await r.press('/', 'a', 'u', 't', 'h');
		expect(r.lastFrame()).toMatch(/filter: auth/);
		await r.press('\r');
		let frame = r.lastFrame();
		expect(frame).toMatch(/filter "auth"/);
		expect(frame).not.toMatch(/ api@docker /);
		expect(frame).toMatch(/10\.0\.0\.7:80/);
		await r.press('\x1b');
		expect(r.lastFrame()).toMatch(/ api@docker /);
		await r.press('/', '!', '/', '^a', '/', '\r');
		frame = r.lastFrame();
		expect(frame).not.toMatch(/ auth@docker /);
		expect(frame).toMatch(/ web@docker /);
	});

	it('pins the selected service with Enter and unpins with Esc', async () => {
		const r = mount(120, 40);
		await r.settle();
		await r.press('j', '\r');
		expect(r.props.onPin).toHaveBeenLastCalledWith('auth@docker');
		expect(r.lastFrame()).toMatch(/pinned auth@docker \(Esc unpins\)/);
		await r.press('\x1b');
		expect(r.props.onPin).toHaveBeenLastCalledWith(null);
	});

	it('sorts, reverses, moves focus', async () => {
		const r = mount(120, 40);
		await r.settle();
		await r.press('s');
		expect(r.lastFrame()).toMatch(/Services \(sort: rps\)/);
		await r.press('S');
		expect(r.lastFrame()).toMatch(/Services \(sort: rps ↓\)/);
		await r.press('\t');
		expect(r.lastFrame()).toMatch(/▸Backends/);
		await r.press('s');
		expect(r.lastFrame()).toMatch(/sort: service ↓/);
	});

	it('pauses the view while snapshots keep coming, and says so', async () => {
		const r = mount(120, 40);
		await r.settle();
		await r.press(' ');
		r.push(sampleSnapshot({host: 'changed-host'}));
		await r.settle();
		expect(r.lastFrame()).toMatch(/PAUSED/);
		expect(r.lastFrame()).toMatch(/view frozen at 03:10:00; collection goes on/);
		expect(r.lastFrame()).not.toMatch(/changed-host/);
		await r.press(' ');
		expect(r.lastFrame()).toMatch(/changed-host/);
	});

	it('exports and shows where, or why not', async () => {
		const r = mount(120, 40);
		await r.settle();
		await r.press('e');
		await r.settle();
		expect(r.props.onExport).toHaveBeenCalledOnce();
		expect(r.lastFrame()).toMatch(/exported to \/tmp\/x\.json/);
		const failing = mount(120, 40, {onExport: async () => Promise.reject(new Error('ENOSPC: no space left on device'))});
		await failing.settle();
		await failing.press('e');
		await failing.settle();
		expect(failing.lastFrame()).toMatch(/export failed: ENOSPC: no space left on device; nothing else lost/);
		expect(failing.lastFrame()).toMatch(/Services/);
	});

	it('shows help, changes the interval, quits', async () => {
		const r = mount(120, 40);
		await r.settle();
		await r.press('?');
		expect(r.lastFrame()).toMatch(/traefik-top keys/);
		await r.press('?', '-');
		expect(r.props.onInterval).toHaveBeenCalledWith(1);
		expect(r.lastFrame()).toMatch(/polling every 2s/);
		const exited = r.waitUntilExit();
		await r.press('q');
		await exited;
	});
});

describe('Ctrl-C', () => {
	it('quits like q', async () => {
		const r = mount(80, 24);
		await r.settle();
		const exited = r.waitUntilExit();
		await r.press('\x03');
		await exited;
	});
});

describe('states of the data', () => {
	it('says it is collecting before the first snapshot', async () => {
		const r = mount(80, 24, {}, null);
		await r.settle();
		expect(r.lastFrame()).toMatch(/collecting/);
	});

	it('marks a failed source as stale with its error, and keeps the rest', async () => {
		const s = sampleSnapshot({
			sources: {
				...sampleSnapshot().sources,
				metrics: {ok: false, error: 'http://127.0.0.1:8080/metrics: HTTP 401 Unauthorized', lastSuccessAt: '2026-11-22T03:09:30.000Z'},
			},
		});
		const r = mount(120, 40, {}, s);
		await r.settle();
		expect(r.lastFrame()).toMatch(/! STALE/);
		expect(r.lastFrame()).toMatch(/metrics: http:\/\/127\.0\.0\.1:8080\/metrics: HTTP 401 Unauthorized \(last ok 03:09:30\)/);
		expect(r.lastFrame()).toMatch(/10\.0\.0\.2:8080/);
	});

	it('asks for a bigger terminal below 80x24', async () => {
		const r = mount(70, 20);
		await r.settle();
		expect(r.lastFrame()).toMatch(/needs a terminal of at least 80x24; this one is 70x20/);
	});

	it('uses ASCII marks under --ascii', async () => {
		const r = mount(120, 40, {theme: createTheme({colors: false, ascii: true})});
		await r.settle();
		expect(r.lastFrame()).toMatch(/^X CRIT close_wait_stuck/m);
		expect(r.lastFrame()).not.toMatch(/✖/);
	});

	it('shows gaps in the chart as gaps', async () => {
		const r = mount(200, 50);
		await r.settle();
		expect(r.lastFrame()).toMatch(/█·█/);
	});
});
