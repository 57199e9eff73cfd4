/** The help overlay (?). */
import {Box, Text} from 'ink';
import type {Theme} from './theme.js';

const KEYS: [string, string][] = [
	['q, Ctrl-C', 'quit (the terminal is restored)'],
	['?', 'this help'],
	['/', 'filter rows: text, /regex/, ! in front inverts; Enter keeps it, Esc clears'],
	['↑ ↓  j k', 'move the selection;  g G  first, last;  PgUp PgDn  a page'],
	['Enter', 'pin the selected service: the whole screen shows it;  Esc unpins'],
	['tab', 'move between the services and backends tables'],
	['s  S', 'next sort column, reverse the order'],
	['space', 'pause the view (collection goes on)'],
	['e', 'export a snapshot (JSON) of what is shown'],
	['+  -', 'poll more or less often'],
];

const MARKS: [string, string][] = [
	['!', 'a warning threshold is crossed'],
	['✖ (X)', 'a critical one'],
	['STALE', 'a source failed: its figures are the last good ones'],
	['·', 'a gap in a chart: that poll failed'],
];

export function Help({theme, width}: {theme: Theme; width: number}) {
	return (
		<Box flexDirection="column" borderStyle={theme.ascii ? 'classic' : 'round'} borderColor={theme.color('accent')} paddingX={1} width={Math.min(width, 90)}>
			<Text bold color={theme.color('accent')}>
				traefik-top keys (? closes)
			</Text>
			{KEYS.map(([k, d]) => (
				<Text key={k}>
					<Text bold>{k.padEnd(12)}</Text>
					<Text>{d}</Text>
				</Text>
			))}
			<Text> </Text>
			{MARKS.map(([k, d]) => (
				<Text key={k}>
					<Text bold>{k.padEnd(12)}</Text>
					<Text color={theme.color('muted')}>{d}</Text>
				</Text>
			))}
		</Box>
	);
}
