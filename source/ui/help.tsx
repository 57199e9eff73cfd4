/** The help overlay (?): every key, and what the marks and columns mean. */
import {Box, Text} from 'ink';
import type {Theme} from './theme.js';

const keys = (theme: Theme): [string, string][] => [
	['q, Ctrl-C', 'quit (the terminal is restored)'],
	['?', 'this help'],
	['/', 'filter rows: text, /regex/, ! in front inverts; Enter keeps it, Esc clears'],
	[theme.ascii ? 'up down j k' : '↑ ↓  j k', 'move the selection;  g G  first, last;  PgUp PgDn  a page'],
	['Enter', 'pin the selected service: the whole screen shows it;  Esc unpins'],
	['tab', 'move between the services and backends tables'],
	['s  S', 'next sort column of the table in focus, reverse it'],
	['space', 'pause the view (collection goes on)'],
	['e', 'export a snapshot (JSON) of what is shown'],
	['+  -', 'poll more or less often'],
];

const marks = (theme: Theme): [string, string][] => [
	[theme.glyphs.warn, 'a warning threshold is crossed'],
	[theme.glyphs.crit, 'a critical one'],
	['STALE', 'a source failed: its figures are the last good ones'],
	['UP?  DOWN?', "Traefik's last known status of a server: the source that said it is failing"],
	[theme.glyphs.gap, 'a gap in a chart: that poll failed'],
	['5XX%1m', '5xx share of the last minute, what error_ratio judges'],
	['P50..P99', "latency over the latency rule's window (10 s unless set)"],
];

function Row({name, text, dim, theme}: {name: string; text: string; dim?: boolean; theme: Theme}) {
	return (
		<Box>
			<Box width={12} flexShrink={0}>
				<Text bold>{name}</Text>
			</Box>
			<Box flexGrow={1}>
				<Text wrap="wrap" color={dim ? theme.color('muted') : undefined}>
					{text}
				</Text>
			</Box>
		</Box>
	);
}

export function Help({theme, width}: {theme: Theme; width: number}) {
	return (
		<Box flexDirection="column" borderStyle={theme.ascii ? 'classic' : 'round'} borderColor={theme.color('accent')} paddingX={1} width={Math.min(width, 90)}>
			<Text bold color={theme.color('accent')}>
				traefik-top keys (? closes)
			</Text>
			{keys(theme).map(([k, d]) => (
				<Row key={k} name={k} text={d} theme={theme} />
			))}
			<Text> </Text>
			{marks(theme).map(([k, d]) => (
				<Row key={k} name={k} text={d} dim theme={theme} />
			))}
		</Box>
	);
}
