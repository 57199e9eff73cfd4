/** The footer: key hints, the filter being typed or kept, and the last export or message. */
import {Text} from 'ink';
import {fit} from '../format/table.js';
import type {Theme} from './theme.js';
import type {ViewState} from './view-state.js';

export interface FooterProps {
	readonly view: ViewState;
	readonly width: number;
	readonly theme: Theme;
	readonly message: {text: string; severity: 'ok' | 'warn' | 'crit'} | null;
	readonly filterError?: string;
}

export function Footer({view, width, theme, message, filterError}: FooterProps) {
	if (view.editingFilter) {
		return (
			<Text>
				<Text bold color={theme.color('accent')}>
					filter:{' '}
				</Text>
				<Text>{view.filter}</Text>
				<Text inverse> </Text>
				<Text color={theme.color(filterError ? 'crit' : 'muted')}>
					{fit(`  ${filterError ?? 'text · /regex/ · !inverts · Enter keeps · Esc clears'}`, Math.max(0, width - view.filter.length - 10), 'left', theme.ascii)}
				</Text>
			</Text>
		);
	}
	const keys = 'q quit ? help / filter ↑↓ move ⏎ pin tab focus s/S sort ␣ pause e export +/- interval';
	const state = [view.filter ? `filter "${view.filter}"` : '', view.pinned ? `pinned ${view.pinned} (Esc unpins)` : ''].filter(Boolean).join(' · ');
	const right = message?.text ?? '';
	const left = fit(
		`${theme.ascii ? keys.replace('↑↓', 'j/k').replace('⏎', 'Enter').replace('␣', 'space') : keys}${state ? ` · ${state}` : ''}`,
		Math.max(10, width - right.length - 1),
		'left',
		theme.ascii,
	);
	return (
		<Text>
			<Text color={theme.color('muted')}>{left} </Text>
			<Text color={theme.color(message?.severity ?? 'ok')} bold={message?.severity === 'crit'}>
				{fit(right, Math.max(0, width - left.length - 1), 'left', theme.ascii)}
			</Text>
		</Text>
	);
}
