import {describe, expect, it} from 'vitest';
import {AlertBook} from '../../source/model/alerts.js';
import {emptyStates} from '../../source/model/connections.js';
import {applyRuleOverrides, DEFAULT_RULES} from '../../source/model/rules-config.js';
import type {BackendRow} from '../../source/model/snapshot-types.js';
import {evaluateTcpRules} from '../../source/model/tcp-rules.js';

function row(overrides: Omit<Partial<BackendRow>, 'states'> & {states?: Partial<BackendRow['states']>} = {}): BackendRow {
	const states = {...emptyStates(), ...overrides.states};
	const total = Object.values(states).reduce((a, b) => a + b, 0);
	return {
		service: 'svc@x',
		services: ['svc@x'],
		address: '10.0.0.3:80',
		urls: [],
		status: 'UP',
		total,
		closeWaitOldestSeconds: null,
		timeWaitRatio: total === 0 ? null : states.TIME_WAIT / total,
		txQueueBytes: 0,
		rxQueueBytes: 0,
		retransmitting: 0,
		synSentPolls: 0,
		retransmitPolls: 0,
		newAnswered: 0,
		...overrides,
		states,
	};
}

const ctx = (rate: number | null = null, rules = DEFAULT_RULES) => ({rules, ephemeralPorts: [32768, 60999] as const, serviceRate: () => rate});
const fired = (r: BackendRow, rate: number | null = null, rules = DEFAULT_RULES) => evaluateTcpRules([r], ctx(rate, rules)).map((b) => `${b.rule}:${b.level}`);

describe('TCP rules', () => {
	it('is quiet for a healthy keep-alive pool', () => {
		expect(fired(row({states: {ESTABLISHED: 12}, newAnswered: 1}), 50)).toEqual([]);
	});

	it('CLOSE_WAIT: present (held 10 s) then stuck at 60 s', () => {
		const present = evaluateTcpRules([row({states: {ESTABLISHED: 3, CLOSE_WAIT: 2}, closeWaitOldestSeconds: 12})], ctx());
		expect(present).toMatchObject([{rule: 'close_wait_present', level: 'warn', holdSeconds: 10, value: 2}]);
		expect(fired(row({states: {ESTABLISHED: 3, CLOSE_WAIT: 2}, closeWaitOldestSeconds: 61}))).toEqual(['close_wait_stuck:crit']);
	});

	it('TIME_WAIT ratio: warn over 20 %, crit over 50 %, not below the minimum of connections', () => {
		expect(fired(row({states: {ESTABLISHED: 8, TIME_WAIT: 3}, newAnswered: 1}))).toEqual(['time_wait_ratio:warn']);
		expect(fired(row({states: {ESTABLISHED: 4, TIME_WAIT: 8}, newAnswered: 1}))).toEqual(['time_wait_ratio:crit']);
		expect(fired(row({states: {ESTABLISHED: 2, TIME_WAIT: 3}, newAnswered: 1}))).toEqual([]);
	});

	it('no_established only for a backend that gets traffic and answers nothing', () => {
		expect(fired(row(), 10)).toEqual(['no_established:crit']);
		expect(fired(row(), 0)).toEqual([]);
		expect(fired(row(), null)).toEqual([]);
		// Connections that completed this poll prove the backend answers (no keep-alive).
		expect(fired(row({states: {TIME_WAIT: 4}, newAnswered: 4}), 10)).toEqual([]);
		// Traefik already knows it is down: server_down speaks for it.
		expect(fired(row({status: 'DOWN'}), 10)).toEqual([]);
	});

	it('SYN_SENT stuck for 2 polls, retransmitting for 2 polls', () => {
		expect(fired(row({states: {SYN_SENT: 3}, synSentPolls: 1}))).toEqual(['no_established:crit']);
		expect(fired(row({states: {SYN_SENT: 3}, synSentPolls: 2}))).toEqual(['no_established:crit', 'syn_sent_stuck:crit']);
		expect(fired(row({states: {ESTABLISHED: 3}, retransmitting: 1, retransmitPolls: 2, newAnswered: 1}))).toEqual(['retransmitting:warn']);
	});

	it('ephemeral ports: TIME_WAIT to one backend over half the range', () => {
		expect(fired(row({states: {ESTABLISHED: 20000, TIME_WAIT: 14200}, newAnswered: 1}))).toEqual(['time_wait_ratio:warn', 'ephemeral_ports:crit']);
	});

	it('obeys configured thresholds and switches', () => {
		const rules = applyRuleOverrides(DEFAULT_RULES, {'time_wait_ratio.warn': '0.5', 'time_wait_ratio.crit': '90%', 'no_established.enabled': false});
		expect(fired(row({states: {ESTABLISHED: 8, TIME_WAIT: 3}, newAnswered: 1}), null, rules)).toEqual([]);
		expect(fired(row(), 10, rules)).toEqual([]);
		expect(() => applyRuleOverrides(DEFAULT_RULES, {'nope.x': 1})).toThrow(/unknown rule/);
		expect(() => applyRuleOverrides(DEFAULT_RULES, {'time_wait_ratio.warn': 'lots'})).toThrow(/must be number/);
	});
});

describe('alert lifecycle', () => {
	const breach = {rule: 'close_wait_present', level: 'warn', subject: '10.0.0.3:80', value: 1, threshold: 10, holdSeconds: 10} as const;

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
		const b = {rule: 'no_established', level: 'crit', subject: 'x', value: 0, threshold: 1, holdPolls: 2} as const;
		book.update(0, [b]);
		expect(book.active()).toEqual([]);
		book.update(1000, [b]);
		expect(book.active()).toHaveLength(1);
		const tw = {rule: 'time_wait_ratio', subject: 'y', value: 0.6, threshold: 0.5} as const;
		book.update(2000, [{...tw, level: 'crit'}]);
		book.update(3000, [{...tw, level: 'warn', value: 0.3}]);
		expect(book.active()[0]).toMatchObject({rule: 'time_wait_ratio', level: 'crit', value: 0.3});
	});
});
