// Each backend's connections over the polls, from the snapshots the screen receives.
import {describe, expect, it} from 'vitest';
import {BackendHistory} from '../../source/model/backend-history.js';
import {sampleSnapshot} from '../helpers/snapshot.js';

const address = '10.0.0.2:8080';

describe('BackendHistory', () => {
	it("keeps each backend's ESTABLISHED, TIME_WAIT and CLOSE_WAIT per poll, a failed kernel read as a gap", () => {
		const history = new BackendHistory(5);
		const ok = sampleSnapshot();
		const failed = sampleSnapshot({sources: {...ok.sources, proc: {ok: false, error: 'cannot read /proc/1/net/tcp'}}});
		history.record(ok);
		history.record(ok); // the same snapshot twice counts once
		history.record(failed);
		history.record(sampleSnapshot());
		const series = history.series({address});
		expect(series.CLOSE_WAIT).toEqual([12, null, 12]);
		expect(series.ESTABLISHED).toEqual([3, null, 3]);
	});

	it('holds only its capacity, and up to a poll when paused', () => {
		const history = new BackendHistory(3);
		for (let i = 0; i < 5; i++) history.record(sampleSnapshot());
		expect(history.series({address}).ESTABLISHED).toHaveLength(3);
		expect(history.series({address}, 4).ESTABLISHED).toHaveLength(2);
	});

	it('a backend that goes away gets gaps, and is let go after the capacity', () => {
		const history = new BackendHistory(3);
		const base = sampleSnapshot();
		history.record(base);
		const without = {...base, backends: base.backends.filter((b) => b.address !== address)};
		history.record({...without});
		expect(history.series({address}).ESTABLISHED).toEqual([3, null]);
		for (let i = 0; i < 3; i++) history.record({...without});
		expect(history.series({address}).ESTABLISHED).toEqual([]);
	});

	it('tracks at most maxBackends', () => {
		const history = new BackendHistory(3, 1);
		history.record(sampleSnapshot());
		const kept = sampleSnapshot().backends.filter((b) => history.series(b).ESTABLISHED.length > 0);
		expect(kept).toHaveLength(1);
	});
});
