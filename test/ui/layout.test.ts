// How the screen divides its rows: every line accounted for, rows in breach first.
import {describe, expect, it} from 'vitest';
import {layoutFor, type Counts, type Layout} from '../../source/ui/layout.js';

const counts: Counts = {buckets: 5, services: 30, servicesInBreach: 0, backends: 60, backendsInBreach: 0, entrypoints: 3, alerts: 4, activeAlerts: 4};

/** Lines a layout uses, as screen.tsx draws it. */
function used(l: Layout): number {
	if (l.wide) return 3 + 1 + l.chartRows + 2 + l.serviceRows + 2 + l.backendRows;
	return (
		3 +
		(1 + l.chartRows) +
		(1 + (l.latencyShares ? 1 : 0) + l.latencyStrips) +
		(2 + l.serviceRows) +
		(2 + l.backendRows) +
		(2 + l.entryPointRows) +
		(1 + l.alertRows)
	);
}

describe('layoutFor', () => {
	it('refuses below 80x24', () => {
		expect(layoutFor(79, 24, counts)).toBeNull();
		expect(layoutFor(80, 23, counts)).toBeNull();
	});

	it('never gives the panels more rows than the terminal has, nor a table none', () => {
		for (let rows = 24; rows <= 80; rows++) {
			for (const columns of [80, 120, 200]) {
				for (const c of [
					counts,
					{...counts, services: 1, backends: 1, alerts: 0, activeAlerts: 0},
					{...counts, servicesInBreach: 12, backendsInBreach: 40, alerts: 30, activeAlerts: 30},
				]) {
					const l = layoutFor(columns, rows, c)!;
					expect(used(l), `${columns}x${rows}`).toBeLessThanOrEqual(rows);
					expect(Math.min(l.serviceRows, l.backendRows, l.alertRows, l.entryPointRows, l.chartRows)).toBeGreaterThanOrEqual(1);
				}
			}
		}
	});

	it('at 80x24, rows in breach and alerts come before the charts and the healthy rows', () => {
		const storm = layoutFor(80, 24, {...counts, servicesInBreach: 2, backendsInBreach: 3, alerts: 4, activeAlerts: 4})!;
		expect(storm.alertRows).toBe(4);
		expect(storm.backendRows).toBe(3);
		expect(storm.serviceRows).toBeGreaterThanOrEqual(2);
		expect(storm.chartRows).toBeLessThanOrEqual(2);
		expect(storm.latencyStrips).toBe(0);
		const calm = layoutFor(80, 24, {...counts, alerts: 0, activeAlerts: 0})!;
		expect(calm.chartRows).toBeGreaterThanOrEqual(2);
		expect(calm.serviceRows + calm.backendRows).toBeGreaterThan(storm.serviceRows + storm.backendRows - 4);
	});

	it('goes side by side from 160 columns', () => {
		expect(layoutFor(159, 40, counts)!.wide).toBe(false);
		expect(layoutFor(160, 40, counts)!.wide).toBe(true);
	});
});
