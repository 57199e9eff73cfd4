/** The footer: key hints, the filter being typed or kept, and the last export or message. */
import {Text} from 'ink';
import {fit} from '../format/table.js';
import type {Theme} from './theme.js';
import type {ViewState} from './view-state.js';

/** A passing message in the footer (the last export, the new interval). */
export type Message = {text: string; severity: 'ok' | 'warn' | 'crit'} | null;

export interface FooterProps {
	readonly view: ViewState;
	readonly width: number;
	readonly theme: Theme;
	readonly message: Message;
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
	// What holds the view comes first, so that no width cuts it: a pin or a filter is always seen.
	const state = [view.pinned ? `pinned ${view.pinned} (Esc unpins)` : '', view.filter ? `filter "${view.filter}"` : ''].filter(Boolean).join(' · ');
	const right = message?.text ?? '';
	const stateText = state ? fit(`${state} `, Math.max(10, width - 1), 'left', theme.ascii).trimEnd() + ' ' : '';
	const hints = fit(
		theme.ascii ? keys.replace('↑↓', 'j/k').replace('⏎', 'Enter').replace('␣', 'space') : keys,
		Math.max(0, width - [...stateText].length - right.length - 1),
		'left',
		theme.ascii,
	);
	const used = [...stateText].length + [...hints].length;
	return (
		<Text>
			{stateText ? (
				<Text bold color={theme.color('accent')}>
					{stateText}
				</Text>
			) : null}
			<Text color={theme.color('muted')}>{hints} </Text>
			<Text color={theme.color(message?.severity ?? 'ok')} bold={message?.severity === 'crit'}>
				{fit(right, Math.max(0, width - used - 1), 'left', theme.ascii)}
			</Text>
		</Text>
	);
}
