/** What a rule family hands back about one row: breaches for the alert book, levels for its cells. Pure. */
import type {CellLevel} from '../../domain/snapshot.js';
import type {Breach} from '../alerts.js';

const RANK: Record<CellLevel, number> = {ok: 0, warn: 1, crit: 2};

/** The worse of two levels. */
export const worseLevel = (a: CellLevel | undefined, b: CellLevel): CellLevel => (a === undefined || RANK[b] > RANK[a] ? b : a);

/**
 * One row's verdict. A level says how the rule judges a figure now; the alert it may raise waits
 * for the rule's hold (10 s of CLOSE_WAIT, 2 polls of SYN_SENT), so a cell can turn before its mark.
 */
export class Verdict<Key extends string> {
	levels: Partial<Record<Key, CellLevel>> = {};

	constructor(private readonly found: Breach[]) {}

	/** Starts the verdict of the next row (one verdict serves every row of a poll). */
	next(): this {
		this.levels = {};
		return this;
	}

	/** A condition of a rule holds this poll. */
	breach(breach: Breach): void {
		this.found.push(breach);
	}

	/** The level of a figure the rule reads (the worst one wins when two rules read it). */
	level(key: Key, level: CellLevel): void {
		this.levels[key] = worseLevel(this.levels[key], level);
	}
}

/** A number rounded for an alert's value. */
export const round = (n: number, digits = 3): number => Number(n.toFixed(digits));

/** "3 polls", "1 poll". */
export const plural = (n: number, unit: string): string => `${n} ${unit}${n === 1 ? '' : 's'}`;

/** A ratio as a percentage for alert texts: 0.0123 -> "1.2 %". */
export const percent = (ratio: number): string => `${Number((ratio * 100).toFixed(ratio < 0.1 ? 1 : 0))} %`;
