import {describe, expect, it} from 'vitest';
import {AlertBook} from '../../source/model/alerts.js';

describe('alert lifecycle', () => {
	const breach = {rule: 'close_wait_present', level: 'warn', subject: '10.0.0.3:80', value: 1, threshold: 10, holdSeconds: 10, text: 't'} as const;

	it('fires after the hold time, keeps its start, resolves and is remembered', () => {
		const book = new AlertBook();
		book.update(0, [breach]);
		book.update(5000, [breach]);
		expect(book.active()).toEqual([]);
		book.update(10_000, [breach]);
		expect(book.active()).toMatchObject([{rule: 'close_wait_present', since: 0}]);
		book.update(11_000, []);
		expect(book.active()).toEqual([]);
		expect(book.resolved()).toMatchObject([{rule: 'close_wait_present', since: 0, resolvedAt: 11_000}]);
		book.update(11_000 + 11 * 60_000, []);
		expect(book.resolved()).toEqual([]);
	});

	it('needs consecutive polls when asked, and never calms down while active', () => {
		const book = new AlertBook();
		const b = {rule: 'no_established', level: 'crit', subject: 'x', value: 0, threshold: 1, holdPolls: 2, text: 't'} as const;
		book.update(0, [b]);
		expect(book.active()).toEqual([]);
		book.update(1000, [b]);
		expect(book.active()).toHaveLength(1);
		const tw = {rule: 'time_wait_ratio', subject: 'y', value: 0.6, threshold: 0.5, text: 't'} as const;
		book.update(2000, [{...tw, level: 'crit'}]);
		book.update(3000, [{...tw, level: 'warn', value: 0.3}]);
		expect(book.active()[0]).toMatchObject({rule: 'time_wait_ratio', level: 'crit', value: 0.3});
	});

	it('keeps the alerts of a rule whose source failed this poll, with their start', () => {
		const book = new AlertBook();
		book.update(0, [breach]);
		book.update(10_000, [breach]);
		book.update(11_000, [], new Set(['close_wait_present']));
		expect(book.active()).toMatchObject([{rule: 'close_wait_present', since: 0}]);
		book.update(12_000, [breach]);
		expect(book.active()).toMatchObject([{rule: 'close_wait_present', since: 0}]);
	});
});
