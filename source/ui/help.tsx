/**
 * The help overlay (?): the views, every key, the mouse, the marks, and each rule with its
 * settings now, in bordered tables (ink-table), scrolled with the keys when taller than the screen.
 *
 * ink-table 3.1.0 ships CommonJS that requires Ink, and Ink (through yoga-layout) has a top-level
 * await, which no require() can load: under vitest and tsx the import fails. patches/ink-table
 * adds the same code as an ES module (dist/index.mjs) and an `exports` map that gives it to
 * importers, so one import works in the bundle, in the tests and in the benchmarks alike.
 *
 * ink-table draws a rule between every two rows and sizes columns by the longest value, with
 * nothing wrapped: fine for these small, static tables, cut here to the width. The data tables stay
 * our own (table.tsx): they need a colour per cell, windowed scrolling, and no rules between rows.
 */
import {Box, Text} from 'ink';
import Table from 'ink-table';
import type {ReactNode} from 'react';
import {RULE_NAMES} from '../domain/rules.js';
import {fit} from '../format/table.js';
import type {RulesConfig} from '../model/rules/config.js';
import type {Theme} from './theme.js';
import {SCREENS} from './view-state.js';

type Row = Record<string, string>;

interface Section {
	readonly title: string;
	readonly columns: readonly string[];
	readonly rows: readonly Row[];
}

const VIEW_TEXT: Record<(typeof SCREENS)[number]['name'], string> = {
	overview: 'traffic, latency, services, backends, entry points, alerts',
	backends: 'the backends alone, full height, every column the width allows',
	requests: "single requests, from Traefik's access log",
	instances: 'the Traefik instances watched (--target): state, traffic, reload, config fingerprint and drift; Enter shows one alone, Esc all',
	charts: "line charts over the retention: req/s by status, p50/p95/p99, a backend's connections",
};

function sections(theme: Theme, rules: RulesConfig): Section[] {
	const move = theme.ascii ? 'up down j k' : '↑ ↓ j k';
	return [
		{title: 'Views', columns: ['key', 'view', 'shows'], rows: SCREENS.map((s) => ({key: s.key, view: s.name, shows: VIEW_TEXT[s.name]}))},
		{
			title: 'Keys',
			columns: ['key', 'does'],
			rows: [
				{key: 'q  Ctrl-C', does: 'quit (the terminal is restored)'},
				{key: '?  Esc', does: 'this help, and out of it; here: j k PgUp PgDn scroll'},
				{key: '1 .. 5', does: 'switch views; each keeps its sort and selection'},
				{key: '/', does: 'filter rows: text, /regex/, ! in front inverts; Enter keeps it, Esc clears'},
				{key: move, does: 'move the selection; g G first, last; PgUp PgDn a page'},
				{key: 'Enter', does: 'pin the selected service: every view shows it; Esc unpins (in view 4: show the selected instance alone)'},
				{key: 'tab', does: 'the overview: move between the services and backends tables'},
				{key: 's  S', does: 'next sort column of the table in focus, reverse it'},
				{key: 'space', does: 'pause every view (collection goes on)'},
				{key: 'e', does: 'export a snapshot (JSON) of what is shown'},
				{key: '[ ] 0', does: 'with --prometheus: a minute back, forward in its history; 0: live'},
				{key: 'r', does: 'on a backend: its requests (view 3, with --access-log)'},
				{key: 'x  w', does: 'view 3: errors only (4xx+5xx, then 5xx), slow only'},
				{key: '+  -', does: 'poll more or less often'},
			],
		},
		{
			title: 'Mouse (off with --no-mouse)',
			columns: ['do', 'does'],
			rows: [
				{do: 'wheel', does: 'scroll the table under the pointer'},
				{do: 'click', does: 'select a row; a second click on it pins its service'},
				{do: 'click a view', does: 'in the footer: switch to that view'},
			],
		},
		{
			title: 'Marks',
			columns: ['mark', 'means'],
			rows: [
				{mark: theme.glyphs.warn, means: 'a warning threshold is crossed'},
				{mark: theme.glyphs.crit, means: 'a critical one'},
				{mark: 'STALE', means: 'a source failed: its figures are the last good ones'},
				{mark: 'UP?  DOWN?', means: "Traefik's last known status of a server: the source that said it is failing"},
				{mark: theme.glyphs.gap, means: 'a gap in a chart: that poll failed'},
				{mark: '5XX%1m', means: '5xx share of the last minute, what error_ratio judges'},
				{mark: 'P50..P99', means: "latency over the latency rule's window (10 s unless set)"},
			],
		},
		{
			title: 'Rules, as set now (change with --rule RULE.SETTING=VALUE)',
			columns: ['rule', 'settings'],
			rows: RULE_NAMES.map((name) => {
				const {enabled, ...settings} = rules[name] as {enabled: boolean} & Record<string, unknown>;
				const text = Object.entries(settings)
					.map(([k, v]) => `${k}=${v === null ? 'auto' : String(v)}`)
					.join(' ');
				return {rule: name, settings: enabled ? text : `off (${text})`};
			}),
		},
	];
}

const ASCII_SKELETON: Record<string, string> = {'─': '-', '│': '|', '┌': '+', '┐': '+', '└': '+', '┘': '+', '├': '+', '┤': '+', '┬': '+', '┴': '+', '┼': '+'};

/** Every cell cut so that a table of these columns fits `width` (the last column gives way). */
function fitted(section: Section, width: number, ascii: boolean): Row[] {
	const widths = section.columns.map((c) => Math.max(c.length, ...section.rows.map((r) => (r[c] ?? '').length)));
	// Two spaces of padding per column, one border per column and one more.
	const fixed = widths.slice(0, -1).reduce((a, b) => a + b, 0) + section.columns.length * 3 + 1;
	const last = section.columns[section.columns.length - 1]!;
	const room = Math.max(4, width - fixed);
	return section.rows.map((r) => ({...r, [last]: fit(r[last] ?? '', room, 'left', ascii).trimEnd()}));
}

/** Lines a section takes: its title, the top rule, the heading, a rule and a line per row, the bottom rule. */
const sectionLines = (rows: number) => 1 + 3 + 2 * rows;

export interface HelpProps {
	readonly theme: Theme;
	readonly rules: RulesConfig;
	readonly width: number;
	readonly height: number;
	/** Rows scrolled past, across the sections. */
	readonly scroll: number;
}

export function Help({theme, rules, width, height, scroll}: HelpProps) {
	const all = sections(theme, rules);
	const total = all.reduce((n, s) => n + s.rows.length, 0);
	const skip = Math.max(0, Math.min(scroll, total - 1));
	const Skeleton = ({children}: {children?: ReactNode}) => (
		<Text color={theme.color('muted')}>{theme.ascii ? String(children ?? '').replace(/[─│┌┐└┘├┤┬┴┼]/g, (c) => ASCII_SKELETON[c]!) : children}</Text>
	);
	const Heading = ({children}: {children?: ReactNode}) => (
		<Text bold color={theme.color('accent')}>
			{children}
		</Text>
	);
	const shown: ReactNode[] = [];
	let left = height - 1;
	let skipped = 0;
	let shownRows = 0;
	for (const section of all) {
		const rows = fitted(section, width, theme.ascii);
		const from = Math.min(rows.length, Math.max(0, skip - skipped));
		skipped += from;
		const fits = Math.min(rows.length - from, Math.floor((left - sectionLines(0)) / 2));
		if (fits <= 0) {
			if (from < rows.length) break;
			continue;
		}
		left -= sectionLines(fits);
		shownRows += fits;
		shown.push(
			<Box key={section.title} flexDirection="column">
				<Text bold>{fit(section.title, width, 'left', theme.ascii).trimEnd()}</Text>
				<Table data={rows.slice(from, from + fits)} columns={[...section.columns]} skeleton={Skeleton} header={Heading} />
			</Box>,
		);
	}
	const more = skip + shownRows < total;
	const position = skip > 0 || more ? ` ${theme.glyphs.sep} rows ${skip + 1}-${skip + shownRows} of ${total}, j k PgUp PgDn scroll` : '';
	return (
		<Box flexDirection="column" width={width}>
			<Text color={theme.color('accent')} bold>
				{fit(`traefik-top help (? or Esc closes)${position}`, width, 'left', theme.ascii).trimEnd()}
			</Text>
			{shown}
		</Box>
	);
}
