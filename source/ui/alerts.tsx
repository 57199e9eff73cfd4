/** Active alerts (worst first) and, dimmed, the recently resolved ones. */
import {Box, Text} from 'ink';
import {fit} from '../format/table.js';
import type {Snapshot, SnapshotAlert} from '../domain/snapshot.js';
import type {Theme} from './theme.js';

const line = (a: SnapshotAlert): string =>
	`${a.rule} ${a.subject}${a.service && a.service !== a.subject ? ` (${a.service})` : ''}: ${a.value} vs ${a.threshold} ` +
	`since ${a.since.slice(11, 19)}${a.resolvedAt ? `, resolved ${a.resolvedAt.slice(11, 19)}` : ''}`;

export function Alerts({snapshot, width, height, theme}: {snapshot: Snapshot | null; width: number; height: number; theme: Theme}) {
	const active = snapshot?.alerts ?? [];
	const resolved = snapshot?.recentAlerts ?? [];
	const shownActive = active.slice(0, height);
	const shownResolved = resolved.slice(0, Math.max(0, height - shownActive.length));
	const crit = active.filter((a) => a.level === 'crit').length;
	return (
		<Box flexDirection="column" width={width}>
			<Text bold color={theme.color(crit > 0 ? 'crit' : active.length > 0 ? 'warn' : 'ok')}>
				{fit(
					`Alerts: ${active.length} active (${crit} critical)${active.length > height ? `, ${active.length - height} more` : ''}`,
					width,
					'left',
					theme.ascii,
				)}
			</Text>
			{active.length === 0 && resolved.length === 0 ? <Text color={theme.color('muted')}>{fit('  none', width)}</Text> : null}
			{shownActive.map((a) => (
				<Text key={`${a.rule}${a.subject}`} color={theme.color(a.level)} bold={a.level === 'crit'}>
					{fit(`${theme.mark(a.level)} ${a.level.toUpperCase()} ${line(a)}`, width, 'left', theme.ascii)}
				</Text>
			))}
			{shownResolved.map((a) => (
				<Text key={`r${a.rule}${a.subject}${a.resolvedAt}`} color={theme.color('muted')} dimColor>
					{fit(`  ok   ${line(a)}`, width, 'left', theme.ascii)}
				</Text>
			))}
		</Box>
	);
}
