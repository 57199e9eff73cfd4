// The line charts: asciichart's drawing with the gaps laid over, resampled to the width.
import fc from 'fast-check';
import {describe, expect, it} from 'vitest';
import {lineChart, resample} from '../../source/format/line-chart.js';

const options = {width: 60, height: 6, format: (v: number) => v.toFixed(1), ascii: false, gap: '·'};

describe('lineChart', () => {
	it('marks every failed poll at the bottom and draws nothing above it', () => {
		const values = Array.from({length: 40}, (_, i) => (i === 10 || i === 25 ? null : 5 + Math.sin(i)));
		const chart = lineChart([{name: 'a', values}], options);
		expect(chart.gapColumns).toEqual([10, 25]);
		for (const c of chart.gapColumns) {
			expect(chart.rows.at(-1)![c + 1]).toEqual({char: '·', by: 'gap'});
			for (const row of chart.rows.slice(0, -1)) expect(row[c + 1]!.char).toBe(' ');
		}
	});

	it('a gap is a column only where every series failed; history not yet collected is blank, not a gap', () => {
		const a = [1, 2, null, 4, 5];
		const chart = lineChart(
			[
				{name: 'a', values: a},
				{name: 'b', values: [3, 3]},
			],
			options,
		);
		expect(chart.gapColumns).toEqual([2]);
		expect(
			lineChart(
				[
					{name: 'a', values: a},
					{name: 'b', values: [3, 3, 3]},
				],
				options,
			).gapColumns,
		).toEqual([]);
		expect(chart.rows.at(-1)![3]).toEqual({char: '·', by: 'gap'});
	});

	it('labels the y-axis from 0 to the highest value, each row the same width', () => {
		const chart = lineChart([{name: 'a', values: [0, 50, 100]}], options);
		expect(chart.labels[0]).toBe('100.0');
		expect(chart.labels.at(-1)).toBe('  0.0');
		expect(new Set(chart.labels.map((l) => l.length)).size).toBe(1);
	});

	it('never throws, whatever the values (all gaps, one point, constants, huge)', () => {
		fc.assert(
			fc.property(
				fc.array(fc.option(fc.double({min: 0, max: 1e12, noNaN: true}), {nil: null}), {maxLength: 300}),
				fc.integer({min: 20, max: 250}),
				(values, width) => {
					const chart = lineChart([{name: 'a', values}], {...options, width});
					for (const row of chart.rows) expect(row.length).toBeLessThanOrEqual(width);
				},
			),
			{numRuns: 300},
		);
	});
});

describe('resample', () => {
	it('means of equal buckets that end at the newest reading; a bucket with a gap is a gap', () => {
		expect(resample([1, 2, 3, 4, 5, 6], 3)).toEqual({values: [1.5, 3.5, 5.5], per: 2});
		expect(resample([1, null, 3, 4, 5, 6], 3)).toEqual({values: [null, 3.5, 5.5], per: 2});
		expect(resample([1, 2, 3], 10)).toEqual({values: [1, 2, 3], per: 1});
	});
});
