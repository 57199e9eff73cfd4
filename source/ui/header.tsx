/** The header: who is watched, how it is doing, and whether the data is live. */
import {Box, Text} from 'ink';
import type {Snapshot} from '../domain/snapshot.js';
import {fit, textWidth} from '../format/table.js';
import {formatAge, formatBytes, formatCount, formatLatency, formatPercent} from '../format/units.js';
import type {Theme} from './theme.js';

export interface HeaderProps {
	readonly snapshot: Snapshot | null;
	readonly paused: boolean;
	readonly width: number;
	readonly theme: Theme;
	readonly now: number;
}

/** live / paused / stale (a source failed), with what failed. */
export function dataState(snapshot: Snapshot | null, paused: boolean, sep = '·'): {label: string; severity: 'ok' | 'warn' | 'crit' | 'accent'; detail: string} {
	if (snapshot === null) return {label: 'collecting', severity: 'accent', detail: 'first poll under way'};
	if (paused) return {label: 'PAUSED', severity: 'accent', detail: `view frozen at ${snapshot.takenAt.slice(11, 19)}; collection goes on`};
	if (snapshot.rewind?.error !== undefined)
		return {
			label: 'live',
			severity: 'warn',
			detail: `cannot show ${snapshot.rewind.at.slice(11, 19)}: ${snapshot.rewind.error}; the live figures are shown (0 clears)`,
		};
	if (snapshot.rewind !== undefined)
		return {label: 'PAST', severity: 'accent', detail: "metrics from Prometheus' history: the kernel and API views are live only; 0 returns to live"};
	const failed = Object.entries(snapshot.sources).filter(([, s]) => !s.ok && s.error !== 'not configured');
	if (failed.length === 0) return {label: 'live', severity: 'ok', detail: ''};
	const detail = failed.map(([name, s]) => `${name}: ${s.error}${s.lastSuccessAt ? ` (last ok ${s.lastSuccessAt.slice(11, 19)})` : ''}`).join(` ${sep} `);
	return {label: 'STALE', severity: failed.some(([n]) => n === 'proc') ? 'crit' : 'warn', detail};
}

/** Polls that take much longer than asked: the header says how often they really run. */
export function cadenceText(snapshot: Snapshot | null): {text: string; late: boolean} {
	const asked = snapshot?.intervalSeconds;
	if (asked === undefined) return {text: 'every ?s', late: false};
	const actual = snapshot?.cadenceSeconds ?? null;
	const late = actual !== null && actual > asked * 1.5 + 0.2;
	return {text: late ? `every ${asked}s, polls take ${actual.toFixed(1)}s` : `every ${asked}s`, late};
}

/** Fields in the order they are drawn, each with its priority (0 is kept longest). */
function headerFields(snapshot: Snapshot | null, now: number): {text: string; priority: number}[] {
	const t = snapshot?.traefik;
	const reload = t?.configReloadAgeSeconds == null ? '-' : `${formatAge(t.configReloadAgeSeconds)} ago`;
	const instances = snapshot?.instances;
	const pinned = snapshot?.filter.instance ?? null;
	const group = instances === undefined ? [] : [{text: fleetText(instances, pinned, snapshot?.drift?.length ?? 0), priority: 0}];
	const link = snapshot?.link;
	const rewind = snapshot?.rewind;
	const ago = rewind === undefined ? 0 : Math.max(0, (now - Date.parse(rewind.at)) / 1000);
	const past =
		rewind === undefined || rewind.error !== undefined
			? []
			: [{text: `at ${rewind.at.slice(11, 19)}, ${ago < 60 ? `${Math.round(ago)} s` : `${Math.round(ago / 60)} min`} ago`, priority: 0}];
	// Over SSH: where and how fast first; the bytes a poll go early when the line is short.
	const ssh =
		link === undefined
			? []
			: link.state === 'connected'
				? [
						{text: linkText(link), priority: 1},
						{text: `${formatBytes(link.bytesPerPoll)}/poll`, priority: 5},
					]
				: [{text: linkText(link), priority: 0}];
	return [
		{text: 'traefik-top', priority: 0},
		{text: snapshot?.host ?? '', priority: 6},
		{text: `Traefik ${t?.version ?? '?'}`, priority: 1},
		...past,
		...group,
		...ssh,
		...(instances !== undefined && pinned === null ? [] : [{text: `pid ${t?.pid ?? '-'}`, priority: 1}]),
		{text: `up ${formatAge(t?.uptimeSeconds)}`, priority: 5},
		{text: `cpu ${formatPercent(t?.cpuRatio)}`, priority: 3},
		{text: `rss ${formatBytes(t?.rssBytes)}`, priority: 4},
		{text: `conns ${formatCount(t?.openConnections)}`, priority: 2},
		{text: `reload ${reload}`, priority: 5},
		{text: cadenceText(snapshot).text, priority: cadenceText(snapshot).late ? 0 : 2},
	];
}

/** The SSH link: "ssh edge-1 4ms", or since when it is being made again. */
export function linkText(link: NonNullable<Snapshot['link']>): string {
	if (link.state === 'connected') return `ssh ${link.host} ${formatLatency((link.rttMs ?? 0) / 1000)}`;
	if (link.state === 'connecting') return `ssh ${link.host} connecting`;
	return `ssh ${link.host} reconnecting since ${link.since.slice(11, 19)}`;
}

/** Several instances: how many, how many are down, whether they agree; or which one is pinned. */
function fleetText(instances: NonNullable<Snapshot['instances']>, pinned: string | null, drift: number): string {
	if (pinned !== null) return `instance ${pinned} (${instances.findIndex((i) => i.name === pinned) + 1} of ${instances.length})`;
	const down = instances.filter((i) => i.state === 'down' || i.state === 'late').length;
	return `${instances.length} instances${down > 0 ? `, ${down} down` : ''}${drift > 0 ? ', config drift' : ''}`;
}

/** The fields that fit in `width`, dropping the least important first, in their own order. */
export function fitFields(fields: readonly {text: string; priority: number}[], width: number, joiner: string): string {
	let kept = fields.filter((f) => f.text !== '');
	const length = (list: typeof kept) => textWidth(list.map((f) => f.text).join(joiner));
	while (kept.length > 1 && length(kept) > width) {
		const worst = kept.reduce((a, b) => (b.priority >= a.priority ? b : a));
		kept = kept.filter((f) => f !== worst);
	}
	return kept.map((f) => f.text).join(joiner);
}

export function Header({snapshot, paused, width, theme, now}: HeaderProps) {
	const g = theme.glyphs;
	const t = snapshot?.traefik;
	const state = dataState(snapshot, paused, g.sep);
	const clock = new Date(now).toISOString().slice(11, 19);
	const right = ` ${state.severity === 'ok' ? g.live : theme.mark(state.severity === 'accent' ? 'warn' : state.severity)} ${state.label} ${clock}`;
	const late = cadenceText(snapshot).late;
	const left = fitFields(headerFields(snapshot, now), width - textWidth(right), ` ${g.sep} `);
	const restarted = t?.restartedAt ? ` ${g.sep} restarted ${t.restartedAt.slice(11, 19)}` : '';
	const notes = snapshot
		? Object.entries(snapshot.sources).flatMap(([name, s]) => (s.notes ?? []).filter((n) => !n.includes('services from /api')).map((n) => `${name}: ${n}`))
		: [];
	const sources = snapshot
		? [
				...(['proc', 'metrics', 'api'] as const).map((n) => `${n} ${snapshot.sources[n].ok ? 'ok' : n === 'proc' ? '-' : 'off'}`),
				...(snapshot.sources.accessLog === undefined ? [] : [`access log ${snapshot.sources.accessLog.ok ? 'ok' : '-'}`]),
			].join(` ${g.sep} `)
		: '';
	const demo = snapshot?.demo === undefined ? '' : ` ${g.sep} demo: ${snapshot.demo}`;
	const line2 = [state.detail, ...notes].filter(Boolean).join(` ${g.sep} `) || `sources: ${sources}${restarted}${demo}`;
	return (
		<Box flexDirection="column" width={width}>
			<Text>
				<Text bold color={theme.color(late ? 'warn' : 'accent')}>
					{fit(left, width - textWidth(right), 'left', theme.ascii)}
				</Text>
				<Text bold color={theme.color(state.severity)}>
					{right}
				</Text>
			</Text>
			<Text color={theme.color(state.detail ? state.severity : 'muted')}>{fit(line2, width, 'left', theme.ascii)}</Text>
		</Box>
	);
}
