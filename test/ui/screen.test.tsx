// Exact frames of the screen at fixed sizes, from a scripted snapshot (Ink's renderToString), kept
// as files under frames/: a change to the screen shows as a diff of what an operator would see.
import {renderToString} from 'ink';
import {describe, expect, it} from 'vitest';
import type {Snapshot} from '../../source/domain/snapshot.js';
import {backendRows, instanceRows, serviceRows} from '../../source/ui/rows.js';
import {textWidth} from '../../source/format/table.js';
import {Screen} from '../../source/ui/screen.js';
import {createTheme} from '../../source/ui/theme.js';
import {initialViewState, type ViewState} from '../../source/ui/view-state.js';
import {sampleBackendSeries, sampleFleet, sampleSnapshot, sampleWithRequests} from '../helpers/snapshot.js';
import {DEFAULT_RULES} from '../../source/model/rules/config.js';
import type {BackendSeriesName} from '../../source/model/backend-history.js';

const NOW = Date.UTC(2026, 10, 22, 3, 10, 1);

/** The screen as text, `columns` wide and `rows` high. */
export function frame(
	columns: number,
	rows: number,
	over: {snapshot?: Snapshot | null; view?: Partial<ViewState>; ascii?: boolean; backendSeries?: Record<BackendSeriesName, (number | null)[]>} = {},
): string {
	const snapshot = over.snapshot === undefined ? sampleSnapshot() : over.snapshot;
	const view = {...initialViewState(null), ...over.view};
	return renderToString(
		<Screen
			snapshot={snapshot}
			view={view}
			services={serviceRows(snapshot, view)}
			backends={backendRows(snapshot, view)}
			columns={columns}
			rows={rows}
			theme={createTheme({colors: false, ascii: over.ascii ?? false})}
			now={NOW}
			message={null}
			rules={DEFAULT_RULES}
			backendSeries={over.backendSeries ?? sampleBackendSeries()}
		/>,
		{columns},
	);
}

const fits = (text: string, columns: number, rows: number) => {
	const lines = text.split('\n');
	expect(lines.length).toBeLessThanOrEqual(rows);
	for (const line of lines) expect([...line].length, line).toBeLessThanOrEqual(columns);
};

describe.each([
	[80, 24],
	[120, 40],
	[200, 50],
])('at %ix%i', (columns, rows) => {
	it('the overview', async () => {
		const text = frame(columns, rows);
		fits(text, columns, rows);
		await expect(text).toMatchFileSnapshot(`frames/overview-${columns}x${rows}.txt`);
	});

	it('the backends table in focus', async () => {
		await expect(frame(columns, rows, {view: {focus: 'backends'}})).toMatchFileSnapshot(`frames/backends-focus-${columns}x${rows}.txt`);
	});
});

describe.each([
	[80, 24],
	[120, 40],
	[200, 50],
])('the views at %ix%i', (columns, rows) => {
	it.each(['backends', 'requests', 'instances', 'charts'] as const)('%s', async (screen) => {
		const text = frame(columns, rows, {view: {screen, focus: 'backends', selected: screen === 'charts' ? 2 : 0}, snapshot: sampleWithRequests()});
		fits(text, columns, rows);
		// The footer names every view, the one shown in inverse video (not in these plain frames).
		expect(text.split('\n').at(-1)).toMatch(/1 overview +2 backends +3 requests +4 instances +5 charts/);
		await expect(text).toMatchFileSnapshot(`frames/view-${screen}-${columns}x${rows}.txt`);
	});

	it('the help overlay, in bordered tables', async () => {
		const text = frame(columns, rows, {view: {help: true}});
		fits(text, columns, rows);
		expect(text).toMatch(/┌─+┬─+/);
		await expect(text).toMatchFileSnapshot(`frames/help-${columns}x${rows}.txt`);
	});
});

describe('the requests view', () => {
	it('says how to turn it on without an access log', () => {
		expect(frame(80, 24, {view: {screen: 'requests'}})).toMatch(/start with --access-log FILE/);
	});

	it("keeps errors only, 5xx only, slow only, one server's", () => {
		const s = sampleWithRequests();
		const shown = (view: Partial<ViewState>) => frame(120, 40, {snapshot: s, view: {screen: 'requests', focus: 'backends', ...view}});
		expect(shown({}).match(/shop\.example\.com/g)).toHaveLength(7);
		expect(shown({requestErrors: '4xx+5xx'}).match(/shop\.example\.com/g)).toHaveLength(3);
		expect(shown({requestErrors: '5xx'}).match(/shop\.example\.com/g)).toHaveLength(2);
		// Slower than the latency rule's bound (300 ms): the 3 s 502 and the 380 ms search.
		expect(shown({requestSlow: true}).match(/shop\.example\.com/g)).toHaveLength(2);
		const server = shown({requestServer: '10.0.0.1:80'});
		expect(server.match(/shop\.example\.com/g)).toHaveLength(2);
		expect(server).toMatch(/server 10\.0\.0\.1:80 \(Esc: all\)/);
		// The downstream status, and the origin's when Traefik answered otherwise.
		expect(shown({})).toMatch(/502 /);
	});
});

describe('the charts view', () => {
	it('shows each failed poll as a gap, never as a value', () => {
		// The sample's every series has a failed poll at 60 of 120; at 200 columns one column is one poll.
		const text = frame(200, 50, {view: {screen: 'charts', focus: 'backends', selected: 2}});
		// Charts: runs of lines with the axis, each after its title.
		const charts: string[][] = [];
		for (const line of text.split('\n')) {
			if (!/┤/.test(line)) charts.push([]);
			else charts.at(-1)?.push(line);
		}
		const plotted = charts.filter((c) => c.length > 0);
		expect(plotted).toHaveLength(3);
		for (const chart of plotted) {
			const gapColumn = [...chart[0]!].indexOf('┤') + 1 + 60;
			// The bottom row carries the gap mark there; every row above it is blank there.
			expect([...chart.at(-1)!.padEnd(200)][gapColumn]).toBe('·');
			for (const line of chart.slice(0, -1)) expect([...line.padEnd(200)][gapColumn]).toBe(' ');
		}
	});

	it('draws in ASCII with the gap mark of ASCII, each series with its own symbol without colours', () => {
		const text = frame(120, 40, {view: {screen: 'charts', focus: 'backends'}, ascii: true});
		expect(text).not.toMatch(/[┤┼─│╭╮╰╯┄·]/);
		expect(text).toMatch(/_/);
		expect(text).toMatch(/22 2xx +33 3xx +44 4xx +55 5xx/);
		expect(text).toMatch(/ee ESTAB +tt TIME_W +cc CLOSE_W/);
	});

	it("marks the latency rule's bound", () => {
		expect(frame(120, 40, {view: {screen: 'charts', focus: 'backends'}})).toMatch(/\.\. bound 300ms/);
	});
});

describe('states of the screen', () => {
	it('collecting, before the first snapshot', async () => {
		await expect(frame(80, 24, {snapshot: null})).toMatchFileSnapshot('frames/collecting-80x24.txt');
	});

	it('a failed source: STALE with its error and last good time, the rest kept', async () => {
		const s = sampleSnapshot({
			sources: {
				...sampleSnapshot().sources,
				metrics: {ok: false, error: 'http://127.0.0.1:8080/metrics: HTTP 401 Unauthorized', lastSuccessAt: '2026-11-22T03:09:30.000Z'},
			},
		});
		await expect(frame(120, 40, {snapshot: s})).toMatchFileSnapshot('frames/stale-120x40.txt');
	});

	it('rewound through Prometheus: PAST, the moment shown and how long ago, and that the kernel and API views are live only', async () => {
		const base = sampleSnapshot();
		const at = new Date(Date.parse(base.takenAt) - 20 * 60_000).toISOString();
		const text = frame(120, 40, {snapshot: {...base, takenAt: at, rewind: {at}}});
		expect(text).toMatch(new RegExp(`at ${at.slice(11, 19)}, 20 min ago`));
		expect(text).toMatch(/PAST/);
		expect(text).toMatch(/the kernel and API views are live only; 0 returns to live/);
	});

	it('the help overlay', async () => {
		await expect(frame(120, 40, {view: {help: true}})).toMatchFileSnapshot('frames/help-120x40.txt');
	});

	it('a filter being typed, and a kept one', async () => {
		await expect(frame(80, 24, {view: {filter: 'auth', editingFilter: true}})).toMatchFileSnapshot('frames/filter-typing-80x24.txt');
		await expect(frame(120, 40, {view: {filter: '!/^a/'}})).toMatchFileSnapshot('frames/filter-kept-120x40.txt');
	});

	it('paused', async () => {
		await expect(frame(120, 40, {view: {paused: true}})).toMatchFileSnapshot('frames/paused-120x40.txt');
	});

	it('ASCII marks only', async () => {
		const text = frame(120, 40, {ascii: true});
		expect(text).not.toMatch(/✖/);
		await expect(text).toMatchFileSnapshot('frames/ascii-120x40.txt');
	});

	it('wide (CJK) and emoji names keep the columns aligned', () => {
		const base = sampleSnapshot();
		const names = ['日本語のサービス@docker', '👍👍-emoji@docker', 'e\u0301clair-combining@docker', 'plain@docker'];
		const s = {...base, services: names.map((name, i) => ({...base.services[i % base.services.length]!, name, alertLevel: undefined}))};
		for (const columns of [80, 120]) {
			const text = frame(columns, 40, {snapshot: s});
			const rows = text.split('\n').filter((l) => names.some((n) => l.includes(n.slice(0, 4))));
			expect(rows.length).toBe(names.length);
			for (const line of text.split('\n')) expect(textWidth(line), line).toBeLessThanOrEqual(columns);
			expect(new Set(rows.map((l) => textWidth(l))).size).toBe(1);
		}
	});

	it('a filter regex that would backtrack for ever does not hang the screen', () => {
		const base = sampleSnapshot();
		const s = {...base, services: [{...base.services[0]!, name: `${'a'.repeat(50_000)}!`}]};
		expect(frame(80, 24, {snapshot: s, view: {filter: '/(a+)+$/'}})).toMatch(/filter "\/\(a\+\)\+\$\/"/);
		expect(frame(80, 24, {view: {filter: '/(a)\\1/', editingFilter: true}})).toMatch(/bad regex: backreferences are not supported/);
	});

	it('a terminal below the minimum says what it needs', () => {
		expect(frame(70, 20)).toBe('traefik-top needs a terminal of at least 80x24; this one is 70x20.\nEnlarge the window (or the font smaller); q quits.');
	});
});

describe('several instances', () => {
	const fleetFrame = (columns: number, rows: number, snapshot: Snapshot, view: Partial<ViewState> = {}) => {
		const v = {...initialViewState(null), screen: 'instances' as const, focus: 'instances' as const, ...view};
		return renderToString(
			<Screen
				snapshot={snapshot}
				view={v}
				services={serviceRows(snapshot, v)}
				backends={backendRows(snapshot, v)}
				instances={instanceRows(snapshot, v)}
				columns={columns}
				rows={rows}
				theme={createTheme({colors: false, ascii: false})}
				now={NOW}
				message={null}
				rules={DEFAULT_RULES}
				backendSeries={sampleBackendSeries()}
			/>,
			{columns},
		);
	};

	it.each([
		[80, 24],
		[120, 40],
	])('the instances view at %ix%i: one row each, the drift in words', async (columns, rows) => {
		const text = fleetFrame(columns, rows, sampleFleet());
		fits(text, columns, rows);
		expect(text).toMatch(/3 instances, config drift/);
		expect(text).toMatch(/router admin@docker: missing on edge-c/);
		expect(text).toMatch(/service web@docker: server http:\/\/10\.0\.0\.3:80 missing on edge-c/);
		await expect(text).toMatchFileSnapshot(`frames/fleet-instances-${columns}x${rows}.txt`);
	});

	it("a pinned service's split: each instance's share of its requests", async () => {
		const text = fleetFrame(120, 40, sampleFleet('web@docker'));
		expect(text).toMatch(/web@docker on each: share of its requests/);
		expect(text).toMatch(/edge-a .* 60%/);
		expect(text).toMatch(/edge-c .* 10%/);
		await expect(text).toMatchFileSnapshot('frames/fleet-split-120x40.txt');
	});

	it('instances read over SSH: each link’s round trip, or that it is being made again', async () => {
		const text = fleetFrame(120, 40, sampleFleet(null, {ssh: true}));
		fits(text, 120, 40);
		expect(text).toMatch(/INSTANCE +STATE +SSH/);
		expect(text).toMatch(/edge-a +up +3\.2ms/);
		expect(text).toMatch(/edge-c +up +retry/);
		await expect(text).toMatchFileSnapshot('frames/fleet-ssh-120x40.txt');
	});

	it('the backends table names the instance of each row', () => {
		const text = fleetFrame(120, 40, sampleFleet(), {screen: 'backends', focus: 'backends'});
		expect(text).toMatch(/INSTANCE +SERVICE/);
		expect(text).toMatch(/edge-b +\S+/);
	});
});
