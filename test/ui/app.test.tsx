// The screen driven by keys, as a person at the terminal drives it (ink-testing-library): each key
// acts on the state the keys before it left, however fast they come.
import {afterEach, describe, expect, it} from 'vitest';
import {mountApp, unmountAll} from '../helpers/app.js';
import {sampleSnapshot} from '../helpers/snapshot.js';

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
		expect(r.lastFrame()).toMatch(/traefik-top keys/);
		await r.press('?', '-');
		expect(r.props.onInterval).toHaveBeenCalledWith(1);
		expect(r.lastFrame()).toMatch(/polling every 2s/);
	});
});
