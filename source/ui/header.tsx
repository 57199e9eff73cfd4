/** The header: who is watched, how it is doing, and whether the data is live. */
import {Box, Text} from 'ink';
import {fit} from '../format/table.js';
import {formatAge, formatBytes, formatCount, formatPercent} from '../format/units.js';
import type {Snapshot} from '../domain/snapshot.js';
import type {Theme} from './theme.js';

export interface HeaderProps {
	readonly snapshot: Snapshot | null;
	readonly paused: boolean;
	readonly width: number;
	readonly theme: Theme;
	readonly now: number;
}

/** live / paused / stale (a source failed), with what failed. */
export function dataState(snapshot: Snapshot | null, paused: boolean): {label: string; severity: 'ok' | 'warn' | 'crit' | 'accent'; detail: string} {
	if (snapshot === null) return {label: 'collecting', severity: 'accent', detail: 'first poll under way'};
	if (paused) return {label: 'PAUSED', severity: 'accent', detail: `view frozen at ${snapshot.takenAt.slice(11, 19)}; collection goes on`};
	const failed = Object.entries(snapshot.sources).filter(([, s]) => !s.ok && s.error !== 'not configured');
	if (failed.length === 0) return {label: 'live', severity: 'ok', detail: ''};
	const detail = failed.map(([name, s]) => `${name}: ${s.error}${s.lastSuccessAt ? ` (last ok ${s.lastSuccessAt.slice(11, 19)})` : ''}`).join(' · ');
	return {label: 'STALE', severity: failed.some(([n]) => n === 'proc') ? 'crit' : 'warn', detail};
}

export function Header({snapshot, paused, width, theme, now}: HeaderProps) {
	const t = snapshot?.traefik;
	const state = dataState(snapshot, paused);
	const clock = new Date(now).toISOString().slice(11, 19);
	const who = `traefik-top · ${snapshot?.host ?? ''} · Traefik ${t?.version ?? '?'} pid ${t?.pid ?? '-'} up ${formatAge(t?.uptimeSeconds)}`;
	const reload = t?.configReloadAgeSeconds == null ? '-' : `${formatAge(t.configReloadAgeSeconds)} ago`;
	const figures =
		` cpu ${formatPercent(t?.cpuRatio)} rss ${formatBytes(t?.rssBytes)} conns ${formatCount(t?.openConnections)} ` +
		`reload ${reload} every ${snapshot?.intervalSeconds ?? '?'}s`;
	const right = ` ${state.severity === 'ok' ? '●' : theme.mark(state.severity === 'accent' ? 'warn' : state.severity)} ${state.label} ${clock}`;
	const restarted = t?.restartedAt ? ` · restarted ${t.restartedAt.slice(11, 19)}` : '';
	const notes = snapshot
		? Object.entries(snapshot.sources).flatMap(([name, s]) => (s.notes ?? []).filter((n) => !n.startsWith('services from')).map((n) => `${name}: ${n}`))
		: [];
	const line2 =
		[state.detail, ...notes].filter(Boolean).join(' · ') ||
		`sources: proc ${snapshot?.sources.proc.ok ? 'ok' : '-'} · metrics ${snapshot?.sources.metrics.ok ? 'ok' : 'off'} · ` +
			`api ${snapshot?.sources.api.ok ? 'ok' : 'off'}${restarted}`;
	return (
		<Box flexDirection="column" width={width}>
			<Text>
				<Text bold color={theme.color('accent')}>
					{fit(who + figures, width - right.length, 'left', theme.ascii)}
				</Text>
				<Text bold color={theme.color(state.severity)}>
					{right}
				</Text>
			</Text>
			<Text color={theme.color(state.detail ? state.severity : 'muted')}>{fit(line2, width, 'left', theme.ascii)}</Text>
		</Box>
	);
}
