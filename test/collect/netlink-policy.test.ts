// The netlink policy alone, with measured times handed in: no timing in the test.
import {describe, expect, it} from 'vitest';
import {DEFAULT_NETLINK, INITIAL_NETLINK, planRead, type FullRead, type NetlinkState} from '../../source/collect/netlink-policy.js';

const big: FullRead = {pid: 42, rows: 60_000, kept: 200, listening: [8080], ms: 50};
const ports = {backends: [80], entryPoints: [443]};
const after = (lastFull: FullRead | null, over: Partial<NetlinkState> = {}): NetlinkState => ({...INITIAL_NETLINK, lastFull, ...over});

describe('planRead', () => {
	it('queries netlink for a big table that is mostly other processes', () => {
		expect(planRead(after(big), DEFAULT_NETLINK, ports).way).toBe('netlink');
	});

	it("reads the whole table when it is small, mostly Traefik's, unknown, or Traefik has no PID", () => {
		expect(planRead(after({...big, rows: 5000}), DEFAULT_NETLINK, ports).way).toBe('full');
		expect(planRead(after({...big, kept: 30_000}), DEFAULT_NETLINK, ports).way).toBe('full');
		expect(planRead(after(null), DEFAULT_NETLINK, ports).way).toBe('full');
		expect(planRead(after({...big, pid: null}), DEFAULT_NETLINK, ports).way).toBe('full');
		expect(planRead(after({...big, listening: []}), DEFAULT_NETLINK, {backends: [], entryPoints: []}).way).toBe('full');
	});

	it('drops the query while it is slower than the share of the full read it must beat', () => {
		expect(planRead(after(big, {netlinkMs: 39}), DEFAULT_NETLINK, ports).way).toBe('netlink');
		expect(planRead(after(big, {netlinkMs: 41}), DEFAULT_NETLINK, ports).way).toBe('full');
	});

	it('reads in full every fullEvery polls, and then gives the query a new chance', () => {
		let state = after(big, {netlinkMs: 45});
		const ways: string[] = [];
		for (let i = 0; i < DEFAULT_NETLINK.fullEvery; i++) {
			const plan = planRead(state, DEFAULT_NETLINK, ports);
			ways.push(plan.way);
			state = plan.state;
		}
		expect(ways.slice(0, -1).every((w) => w === 'full')).toBe(true);
		expect(ways.at(-1)).toBe('full');
		expect(state.netlinkMs).toBeNull();
		expect(planRead(state, DEFAULT_NETLINK, ports).way).toBe('netlink');
	});

	it('never queries again once the query failed', () => {
		expect(planRead(after(big, {off: 'ss failed'}), DEFAULT_NETLINK, ports).way).toBe('full');
	});
});
