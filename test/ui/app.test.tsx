// The screen driven by keys, as a person at the terminal drives it (ink-testing-library): each key
// acts on the state the keys before it left, however fast they come.
import {afterEach, describe, expect, it} from 'vitest';
import {mountApp, unmountAll} from '../helpers/app.js';
import {sampleSnapshot, sampleWithRequests} from '../helpers/snapshot.js';

afterEach(unmountAll);

describe('keys', () => {
	it('filters (substring, regex, inverted), keeps with Enter, clears with Esc', async () => {
		const r = await mountApp(100, 40);
		await r.press('/', 'a', 'u', 't', 'h');
		expect(r.lastFrame()).toMatch(/filter: auth/);
		await r.press('\r');
		let frame = r.lastFrame();
		expect(frame).toMatch(/filter "auth"/);
		expect(frame).not.toMatch(/ api@docker /);
		expect(frame).toMatch(/10\.0\.0\.7:80/);
		await r.press('\x1b');
		expect(r.lastFrame()).toMatch(/ api@docker /);
		await r.press('/', '!', '/', '^', 'a', '/', '\r');
		frame = r.lastFrame();
		expect(frame).not.toMatch(/ auth@docker /);
		expect(frame).toMatch(/ web@docker /);
	});

	it('pins the selected service with Enter and unpins with Esc', async () => {
		const r = await mountApp(100, 40);
		// Worst first: auth and web have critical alerts, then api and static.
		await r.press('j', '\r');
		expect(r.props.onPin).toHaveBeenLastCalledWith('web@docker');
		expect(r.lastFrame()).toMatch(/pinned web@docker \(Esc unpins\)/);
		await r.press('\x1b');
		expect(r.props.onPin).toHaveBeenLastCalledWith(null);
	});

	it('acts on keys typed faster than frames: one chunk, each key on the state the one before left', async () => {
		const r = await mountApp(100, 40);
		await r.paste('jj\r');
		expect(r.props.onPin).toHaveBeenLastCalledWith('api@docker');
		await r.paste('\x1b/web\rG\r');
		expect(r.props.onPin).toHaveBeenLastCalledWith('web@docker');
	});

	it('sorts and reverses the table in focus only, and the arrow says which way the rows go', async () => {
		const r = await mountApp(100, 40);
		expect(r.lastFrame()).toMatch(/Services \(sort: alert ↓\)/);
		await r.press('s');
		expect(r.lastFrame()).toMatch(/Services \(sort: name ↑\)/);
		expect(r.lastFrame().indexOf('api@docker')).toBeLessThan(r.lastFrame().indexOf('web@docker'));
		await r.press('S');
		expect(r.lastFrame()).toMatch(/Services \(sort: name ↓\)/);
		expect(r.lastFrame()).toMatch(/Backends.*\(sort: alert ↓\)/);
		await r.press('s');
		expect(r.lastFrame()).toMatch(/Services \(sort: rps ↓\)/);
		await r.press('\t');
		expect(r.lastFrame()).toMatch(/▸Backends/);
		await r.press('s', 'S');
		expect(r.lastFrame()).toMatch(/Backends.*\(sort: service ↓\)/);
		expect(r.lastFrame()).toMatch(/Services \(sort: rps ↓\)/);
	});

	it('pauses the view while snapshots keep coming, and says so', async () => {
		const r = await mountApp(100, 40);
		await r.press(' ');
		await r.push(sampleSnapshot({traefik: {...sampleSnapshot().traefik, version: '3.7.15'}}));
		expect(r.lastFrame()).toMatch(/PAUSED/);
		expect(r.lastFrame()).toMatch(/view frozen at 03:10:00; collection goes on/);
		expect(r.lastFrame()).not.toMatch(/3\.7\.15/);
		await r.press(' ');
		expect(r.lastFrame()).toMatch(/Traefik 3\.7\.15/);
	});

	it('exports and shows where, or why not', async () => {
		const r = await mountApp(100, 40);
		await r.press('e');
		await r.until((f) => f.includes('exported to'));
		expect(r.props.onExport).toHaveBeenCalledOnce();
		expect(r.lastFrame()).toMatch(/exported to \/tmp\/x\.json/);
		const failing = await mountApp(100, 40, {onExport: async () => Promise.reject(new Error('ENOSPC: no space left on device'))});
		await failing.press('e');
		await failing.until((f) => f.includes('export failed'));
		expect(failing.lastFrame()).toMatch(/export failed: ENOSPC: no space left on device; nothing else lost/);
		expect(failing.lastFrame()).toMatch(/Services/);
	});

	it('shows help, changes the interval', async () => {
		const r = await mountApp(100, 40);
		await r.press('?');
		expect(r.lastFrame()).toMatch(/traefik-top help/);
		await r.press('?', '-');
		expect(r.props.onInterval).toHaveBeenCalledWith(1);
		expect(r.lastFrame()).toMatch(/polling every 2s/);
	});
});

describe('views', () => {
	it('switch with the number keys; each keeps its sort and selection, the pin, filter and pause hold', async () => {
		const r = await mountApp(100, 40);
		await r.press('s'); // the overview's services by name
		expect(r.lastFrame()).toMatch(/Services \(sort: name ↑\)/);
		await r.press('2');
		expect(r.lastFrame()).toMatch(/▸Backends.*\(sort: alert ↓\)/);
		await r.press('s', 'j');
		expect(r.lastFrame()).toMatch(/▸Backends.*\(sort: service ↑\)/);
		await r.press('/', 'a', 'u', '\r', ' ');
		expect(r.lastFrame()).toMatch(/filter "au"/);
		expect(r.lastFrame()).toMatch(/PAUSED/);
		await r.press('1');
		const overview = r.lastFrame();
		expect(overview).toMatch(/Services \(sort: name ↑\)/);
		expect(overview).toMatch(/filter "au"/);
		expect(overview).toMatch(/PAUSED/);
		await r.press('2');
		expect(r.lastFrame()).toMatch(/▸Backends.*\(sort: service ↑\)/);
		await r.press('5');
		expect(r.lastFrame()).toMatch(/req\/s, last/);
		await r.press('3');
		expect(r.lastFrame()).toMatch(/access log/);
		await r.press('4');
		expect(r.lastFrame()).toMatch(/one Traefik watched/);
	});

	it('the help scrolls, and a number key leaves it for that view', async () => {
		const r = await mountApp(100, 24);
		await r.press('?');
		expect(r.lastFrame()).toMatch(/rows 1-\d+ of \d+/);
		await r.press('j', 'j');
		expect(r.lastFrame()).toMatch(/rows 3-\d+ of \d+/);
		await r.press('5');
		expect(r.lastFrame()).not.toMatch(/traefik-top help/);
		expect(r.lastFrame()).toMatch(/req\/s, last/);
	});
});

describe('the mouse (SGR reports on stdin)', () => {
	// A press and its release, in one chunk as a terminal sends them.
	const click = (x: number, y: number) => `\x1b[<0;${x + 1};${y + 1}M\x1b[<0;${x + 1};${y + 1}m`;
	const wheel = (down: boolean, x: number, y: number) => `\x1b[<${down ? 65 : 64};${x + 1};${y + 1}M`;
	const lineOf = (frame: string, pattern: RegExp) => frame.split('\n').findIndex((l) => pattern.test(l));
	/** The app with its first snapshot drawn. */
	async function drawn() {
		const r = await mountApp(100, 40);
		for (let i = 0; i < 200 && !/api@docker/.test(r.lastFrame()); i++) await new Promise((resolve) => setTimeout(resolve, 10));
		return r;
	}

	it('a click selects a row, a second click on it pins its service', async () => {
		const r = await drawn();
		const y = lineOf(r.lastFrame(), /^ {2}api@docker /);
		expect(y).toBeGreaterThan(0);
		await r.press(click(10, y));
		await r.press(click(10, y));
		expect(r.props.onPin).toHaveBeenLastCalledWith('api@docker');
		expect(r.lastFrame()).toMatch(/pinned api@docker/);
	});

	it('a click in the backends table moves the focus there, the wheel scrolls the table under the pointer', async () => {
		const r = await drawn();
		const y = lineOf(r.lastFrame(), /10\.0\.0\.8:80/);
		await r.press(click(20, y));
		expect(r.lastFrame()).toMatch(/▸Backends/);
		await r.press('\r');
		expect(r.props.onPin).toHaveBeenLastCalledWith('auth@docker');
		await r.press('\x1b');
		const services = lineOf(r.lastFrame(), /^ {2}web@docker |^✖ web@docker /);
		await r.press(wheel(true, 5, services));
		expect(r.lastFrame()).toMatch(/▸Services/);
		await r.press('\r');
		// Three rows down from the top of the services table: the fourth, static@file.
		expect(r.props.onPin).toHaveBeenLastCalledWith('static@file');
	});

	it('a click on a view name in the footer shows that view', async () => {
		const r = await drawn();
		const footer = r.lastFrame().split('\n').length - 1;
		const x = r.lastFrame().split('\n').at(-1)!.indexOf('5 charts');
		await r.press(click(x + 2, footer));
		expect(r.lastFrame()).toMatch(/req\/s, last/);
		await r.press(click(r.lastFrame().split('\n').at(-1)!.indexOf('1 overview') + 1, footer));
		expect(r.lastFrame()).toMatch(/Services \(sort/);
	});
});

describe('the request stream', () => {
	it('e exports the stream as the requests view shows it, beside the snapshot', async () => {
		const r = await mountApp(100, 40, {}, sampleWithRequests());
		await r.press('3');
		expect(r.lastFrame()).toMatch(/Requests, newest first/);
		await r.press('x', 'e');
		const [snapshot, requests] = (r.props.onExport as unknown as {mock: {calls: [unknown, {status: number; levels?: unknown}[]][]}}).mock.calls.at(-1)!;
		expect(snapshot).toBeTruthy();
		expect(requests.map((q) => q.status)).toEqual([502, 404, 500]);
		expect(requests.every((q) => q.levels === undefined)).toBe(true);
	});

	it('r on a backend shows its requests; Esc shows all again', async () => {
		const r = await mountApp(100, 40, {}, sampleWithRequests());
		await r.press('2');
		// The backends view, worst first: auth 10.0.0.7, auth 10.0.0.8, web 10.0.0.2, api 10.0.0.1.
		await r.press('j', 'j', 'r');
		expect(r.lastFrame()).toMatch(/server 10\.0\.0\.2:8080 \(Esc: all\)/);
		expect(r.lastFrame()).not.toMatch(/10\.0\.0\.1:80 +(GET|POST)/);
		await r.press('\x1b');
		expect(r.lastFrame()).toMatch(/10\.0\.0\.1:80 +(GET|POST)/);
	});
});
