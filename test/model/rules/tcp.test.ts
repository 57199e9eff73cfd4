// The rule families that read the kernel: close-wait, time-wait, connecting; their breaches, texts and cell levels.
import {describe, expect, it} from 'vitest';
import {applyRuleOverrides, DEFAULT_RULES} from '../../../source/model/rules/config.js';
import {backendRow as row, firedFor as fired, judgeScene} from './judge.js';

describe('TCP rules', () => {
	it('is quiet for a healthy keep-alive pool', () => {
		const healthy = judgeScene({backends: [row({states: {ESTABLISHED: 12}, newAnswered: 1})], rate: 50});
		expect(healthy.fired).toEqual([]);
		expect(healthy.backends[0]!.levels).toEqual({status: 'ok'});
	});

	it('CLOSE_WAIT: present (held 10 s) then stuck at 60 s, with the cells that show it', () => {
		const present = judgeScene({backends: [row({states: {ESTABLISHED: 3, CLOSE_WAIT: 2}, closeWaitOldestSeconds: 12})]});
		expect(present.breaches).toMatchObject([
			{rule: 'close_wait_present', level: 'warn', holdSeconds: 10, value: 2, text: '2 connections in CLOSE_WAIT for 10 s or more'},
		]);
		expect(present.backends[0]!.levels).toMatchObject({CLOSE_WAIT: 'warn', closeWaitOldestSeconds: 'warn'});
		const stuck = judgeScene({backends: [row({states: {ESTABLISHED: 3, CLOSE_WAIT: 2}, closeWaitOldestSeconds: 61})]});
		expect(stuck.fired).toEqual(['close_wait_stuck:crit']);
		expect(stuck.breaches[0]!.text).toBe('2 connections in CLOSE_WAIT, the oldest for 61 s (limit 60 s)');
		expect(stuck.backends[0]!.levels).toMatchObject({CLOSE_WAIT: 'crit', closeWaitOldestSeconds: 'crit'});
	});

	it('TIME_WAIT ratio: warn over 20 %, crit over 50 %, not below the minimum of connections', () => {
		expect(fired(row({states: {ESTABLISHED: 8, TIME_WAIT: 3}, newAnswered: 1}))).toEqual(['time_wait_ratio:warn']);
		const storm = judgeScene({backends: [row({states: {ESTABLISHED: 4, TIME_WAIT: 8}, newAnswered: 1})]});
		expect(storm.fired).toEqual(['time_wait_ratio:crit']);
		expect(storm.breaches[0]!.text).toBe('8 of 12 connections in TIME_WAIT: 67 % (limit 50 %)');
		expect(storm.backends[0]!.levels).toMatchObject({TIME_WAIT: 'crit', timeWaitRatio: 'crit'});
		expect(fired(row({states: {ESTABLISHED: 2, TIME_WAIT: 3}, newAnswered: 1}))).toEqual([]);
	});

	it('no_established only for a backend that gets traffic and answers nothing', () => {
		const dead = judgeScene({backends: [row()], rate: 10});
		expect(dead.fired).toEqual(['no_established:crit']);
		expect(dead.breaches[0]!.text).toBe('no ESTABLISHED connection and none completed for 2 polls, with 10.0 req/s on its service');
		expect(dead.backends[0]!.levels).toMatchObject({ESTABLISHED: 'crit'});
		expect(fired(row(), 0)).toEqual([]);
		expect(fired(row(), null)).toEqual([]);
		// Connections that completed this poll prove the backend answers (no keep-alive).
		expect(fired(row({states: {TIME_WAIT: 4}, newAnswered: 4}), 10)).toEqual([]);
		// Traefik already knows it is down: server_down speaks for it.
		expect(fired(row({status: 'DOWN'}), 10)).toEqual([]);
	});

	it('SYN_SENT stuck for 2 polls, retransmitting for 2 polls', () => {
		expect(fired(row({states: {SYN_SENT: 3}, synSentPolls: 1}))).toEqual(['no_established:crit']);
		const stuck = judgeScene({backends: [row({states: {SYN_SENT: 3}, synSentPolls: 2})]});
		expect(stuck.fired).toEqual(['no_established:crit', 'syn_sent_stuck:crit']);
		expect(stuck.breaches[1]!.text).toBe('3 connections in SYN_SENT for 2 polls (limit 2)');
		expect(stuck.backends[0]!.levels).toMatchObject({SYN_SENT: 'crit', ESTABLISHED: 'crit'});
		const retrans = judgeScene({backends: [row({states: {ESTABLISHED: 3}, retransmitting: 1, retransmitPolls: 2, newAnswered: 1})]});
		expect(retrans.fired).toEqual(['retransmitting:warn']);
		expect(retrans.backends[0]!.levels).toMatchObject({retransmitting: 'warn'});
	});

	it('ephemeral ports: TIME_WAIT to one backend over half the range', () => {
		expect(fired(row({states: {ESTABLISHED: 20000, TIME_WAIT: 14200}, newAnswered: 1}))).toEqual(['time_wait_ratio:warn', 'ephemeral_ports:crit']);
	});

	it('server status: DOWN is critical on the cell, UP is shown as fine', () => {
		expect(judgeScene({backends: [row({status: 'DOWN'})]}).backends[0]!.levels).toEqual({status: 'crit'});
		expect(judgeScene({backends: [row({status: 'unknown', states: {ESTABLISHED: 1}})]}).backends[0]!.levels).toEqual({});
	});

	it('obeys configured thresholds and switches', () => {
		const rules = applyRuleOverrides(DEFAULT_RULES, {'time_wait_ratio.warn': '0.5', 'time_wait_ratio.crit': '90%', 'no_established.enabled': false});
		expect(fired(row({states: {ESTABLISHED: 8, TIME_WAIT: 3}, newAnswered: 1}), null, rules)).toEqual([]);
		expect(fired(row(), 10, rules)).toEqual([]);
		expect(() => applyRuleOverrides(DEFAULT_RULES, {'nope.x': 1})).toThrow(/unknown rule/);
		expect(() => applyRuleOverrides(DEFAULT_RULES, {'time_wait_ratio.warn': 'lots'})).toThrow(/must be number/);
	});
});
