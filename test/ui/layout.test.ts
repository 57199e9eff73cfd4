// How the screen divides its rows: every line accounted for, at every size from the minimum up.
import {describe, expect, it} from 'vitest';
import {layoutFor} from '../../source/ui/layout.js';

const counts = {buckets: 5, services: 30, backends: 60, entrypoints: 3, alerts: 4};

describe('layoutFor', () => {
	it('refuses below 80x24', () => {
		expect(layoutFor(79, 24, counts)).toBeNull();
		expect(layoutFor(80, 23, counts)).toBeNull();
	});

	it('never gives the panels more rows than the terminal has', () => {
		for (let rows = 24; rows <= 80; rows++) {
			for (const columns of [80, 120, 200]) {
				const l = layoutFor(columns, rows, counts)!;
				const used = l.wide
					? 2 + 1 + l.chartRows + 2 + Math.max(l.serviceRows, 1 + l.alertRows + 2 + l.entryPointRows - 2) + 2 + l.backendRows + 1
					: 2 + 1 + l.chartRows + 2 + l.latencyStrips + 2 + l.serviceRows + 2 + l.backendRows + 2 + l.entryPointRows + 1 + l.alertRows + 1;
				expect(used, `${columns}x${rows}`).toBeLessThanOrEqual(rows);
			}
		}
	});

	it('goes side by side from 160 columns', () => {
		expect(layoutFor(159, 40, counts)!.wide).toBe(false);
		expect(layoutFor(160, 40, counts)!.wide).toBe(true);
	});
});
