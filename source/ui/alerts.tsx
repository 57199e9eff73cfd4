/** Active alerts (worst first) and, dimmed, the recently resolved ones: what was seen, against what limit, since when. */
import {Box, Text} from 'ink';
import type {Snapshot, SnapshotAlert} from '../domain/snapshot.js';
import {fit} from '../format/table.js';
import type {Theme} from './theme.js';

/** One alert as a line: rule, subject (and service), what was seen against its limit, since when. */
export function alertText(a: SnapshotAlert): string {
	const service = a.service && a.service !== a.subject ? ` (${a.service})` : '';
	const when = `since ${a.since.slice(11, 19)}${a.resolvedAt ? `, resolved ${a.resolvedAt.slice(11, 19)}` : ''}`;
	return `${a.rule} ${a.subject}${service}: ${a.text}, ${when}`;
}

export function Alerts({snapshot, width, height, theme}: {snapshot: Snapshot | null; width: number; height: number; theme: Theme}) {
	const active = snapshot?.alerts ?? [];
	const resolved = snapshot?.recentAlerts ?? [];
	const shownActive = active.slice(0, height);
	const shownResolved = resolved.slice(0, Math.max(0, height - shownActive.length));
	const crit = active.filter((a) => a.level === 'crit').length;
	const hidden = active.length - shownActive.length;
	const hiddenCrit = active.slice(shownActive.length).filter((a) => a.level === 'crit').length;
	const more = hidden > 0 ? `, +${hidden} more${hiddenCrit > 0 ? ` (${hiddenCrit} critical)` : ''}` : '';
	return (
		<Box flexDirection="column" width={width}>
			<Text bold color={theme.color(crit > 0 ? 'crit' : active.length > 0 ? 'warn' : 'ok')}>
				{fit(`Alerts: ${active.length} active (${crit} critical)${more}`, width, 'left', theme.ascii)}
			</Text>
			{active.length === 0 && resolved.length === 0 ? <Text color={theme.color('muted')}>{fit('  none', width, 'left', theme.ascii)}</Text> : null}
			{shownActive.map((a) => (
				<Text key={`${a.rule}${a.instance ?? ''}${a.subject}`} color={theme.color(a.level)} bold={a.level === 'crit'}>
					{fit(`${theme.mark(a.level)} ${a.level.toUpperCase()} ${alertText(a)}`, width, 'left', theme.ascii)}
				</Text>
			))}
			{shownResolved.map((a) => (
				<Text key={`r${a.rule}${a.instance ?? ''}${a.subject}${a.resolvedAt}`} color={theme.color('muted')} dimColor>
					{fit(`  ok   ${alertText(a)}`, width, 'left', theme.ascii)}
				</Text>
			))}
		</Box>
	);
}
