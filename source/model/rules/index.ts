/**
 * Every rule family, and the one pass that judges a poll's rows with them. Adding a rule: its
 * file here (defaults, judges, texts), its name in domain/rules.ts, a row in the README's table.
 */
import type {BackendLevelKey, ServiceLevelKey} from '../../domain/snapshot.js';
import type {RuleName} from '../../domain/rules.js';
import type {Breach} from '../alerts.js';
import type {SourceName} from '../sources.js';
import {certExpiry} from './cert-expiry.js';
import {closeWait} from './close-wait.js';
import {connecting} from './connecting.js';
import {errorRatio} from './error-ratio.js';
import type {BackendFigures, RuleContext, RuleFamily, RuleSettings, ServiceFigures, Spans, TotalsLevelKey} from './family.js';
import {latency} from './latency.js';
import {serverDown} from './server-down.js';
import {retryRatio, serverRequests} from './server-requests.js';
import {sourceFailed} from './source-failed.js';
import {timeWait} from './time-wait.js';
import {Verdict} from './verdict.js';

export const FAMILIES: readonly RuleFamily<Readonly<Record<string, RuleSettings>>>[] = [
	closeWait,
	timeWait,
	connecting,
	serverDown,
	errorRatio,
	latency,
	certExpiry,
	sourceFailed,
	serverRequests,
	retryRatio,
];

/** The rules that read a source: while it fails, their alerts stay as they were (a gap is not a recovery). */
export function rulesReading(source: SourceName): Set<RuleName> {
	const names = new Set<RuleName>();
	for (const family of FAMILIES) if (family.source === source) for (const name of Object.keys(family.defaults)) names.add(name as RuleName);
	return names;
}

/** A poll's rows with the levels the rules gave them, and every breach found. */
export interface Judged<B, S> {
	readonly backends: (B & {levels: Partial<Record<BackendLevelKey, 'ok' | 'warn' | 'crit'>>})[];
	readonly services: (S & {levels: Partial<Record<ServiceLevelKey, 'ok' | 'warn' | 'crit'>>})[];
	readonly totals: Partial<Record<TotalsLevelKey, 'ok' | 'warn' | 'crit'>>;
	readonly breaches: Breach[];
}

/** What to judge: `judgeBackends` false when /proc failed (its figures are not this poll's). */
export interface JudgeInput<B extends BackendFigures, S extends ServiceFigures> {
	readonly backends: readonly B[];
	readonly services: readonly S[];
	readonly totals: Spans;
	readonly judge: {readonly proc: boolean; readonly metrics: boolean};
}

/** Runs every family over the rows. */
export function judge<B extends BackendFigures, S extends ServiceFigures>(input: JudgeInput<B, S>, ctx: RuleContext): Judged<B, S> {
	const breaches: Breach[] = [];
	const reads = (family: RuleFamily<Readonly<Record<string, RuleSettings>>>): boolean =>
		family.source === 'any' || input.judge[family.source as 'proc' | 'metrics'] !== false;
	const backends = input.backends.map((row) => {
		const verdict = new Verdict<BackendLevelKey>(breaches);
		for (const family of FAMILIES) if (reads(family)) family.backend?.(row, ctx, verdict);
		return {...row, levels: verdict.levels};
	});
	const services = input.services.map((row) => {
		const verdict = new Verdict<ServiceLevelKey>(breaches);
		for (const family of FAMILIES) if (reads(family)) family.service?.(row, ctx, verdict);
		return {...row, levels: verdict.levels};
	});
	const totalsVerdict = new Verdict<TotalsLevelKey>([]);
	for (const family of FAMILIES) if (reads(family)) family.totals?.(input.totals, ctx, totalsVerdict);
	for (const family of FAMILIES) if (reads(family)) family.global?.(ctx, breaches);
	return {backends, services, totals: totalsVerdict.levels, breaches};
}
