/** The shape every rule family file has: its rules' default settings and what it judges. */
import type {CertificateExpiry} from '../../domain/harvest.js';
import type {BackendLevelKey, BackendRow, ServiceLevelKey, ServiceRow} from '../../domain/snapshot.js';
import type {Breach} from '../alerts.js';
import type {SourceName} from '../sources.js';
import type {SpanStats} from '../traffic.js';
import type {RulesConfig} from './config.js';
import type {Verdict} from './verdict.js';

/** A backend row's figures, before the rules add their levels. */
export type BackendFigures = Omit<BackendRow, 'levels' | 'alertLevel'>;
/** A service row's figures, before the rules add their levels. */
export type ServiceFigures = Omit<ServiceRow, 'levels' | 'alertLevel'>;

/** Spans of traffic a rule reads: the last minute, the last few seconds. */
export interface Spans {
	readonly minute: SpanStats | null;
	readonly recent: SpanStats | null;
}

/** What the rules read beyond a row. */
export interface RuleContext {
	readonly rules: RulesConfig;
	readonly now: number;
	readonly ephemeralPorts: readonly [number, number];
	/** Requests per second of a service over the last interval (undefined: unknown). */
	readonly serviceRate: (service: string) => number | null | undefined;
	readonly spans: (service: string) => Spans;
	readonly certificates: readonly CertificateExpiry[];
	/** Sources failing for this many polls in a row, with their errors. */
	readonly failingSources: readonly {readonly name: SourceName; readonly error: string; readonly polls: number}[];
	/** The backends of a service this poll (a server's siblings). */
	readonly backendsOf: (service: string) => readonly BackendFigures[];
}

/** The settings every rule has. */
export interface RuleSettings {
	readonly enabled: boolean;
}

/** A family of rules: one file, its defaults, and the judges of what it reads. */
export interface RuleFamily<Defaults extends Readonly<Record<string, RuleSettings>>> {
	readonly defaults: Defaults;
	/** The source whose figures it reads: while that source fails, its alerts hold as they are. */
	readonly source: SourceName | 'any';
	readonly backend?: (row: BackendFigures, ctx: RuleContext, verdict: Verdict<BackendLevelKey>) => void;
	readonly service?: (row: ServiceFigures, ctx: RuleContext, verdict: Verdict<ServiceLevelKey>) => void;
	/** The traffic of everything the screen covers (no alert: the services' rows raise those). */
	readonly totals?: (spans: Spans, ctx: RuleContext, verdict: Verdict<TotalsLevelKey>) => void;
	/** Findings that belong to no row (certificates, sources). */
	readonly global?: (ctx: RuleContext, found: Breach[]) => void;
}

export type TotalsLevelKey = 'errorRatio' | 'p95';
