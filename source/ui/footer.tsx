/** The footer: key hints, the filter being typed or kept, and the last export or message. */
import {Text} from 'ink';
import {fit, textWidth} from '../format/table.js';
import {terminalSafe} from '../format/terminal-safe.js';
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
	const g = theme.glyphs;
	// Typed or pasted by the user: shown, never obeyed by the terminal.
	const filter = terminalSafe(view.filter);
	if (view.editingFilter) {
		return (
			<Text>
				<Text bold color={theme.color('accent')}>
					filter:{' '}
				</Text>
				<Text>{fit(filter, Math.max(1, width - 12), 'left', theme.ascii).trimEnd()}</Text>
				<Text inverse> </Text>
				<Text color={theme.color(filterError ? 'crit' : 'muted')}>
					{fit(
						`  ${filterError ?? `text ${g.sep} /regex/ ${g.sep} !inverts ${g.sep} Enter keeps ${g.sep} Esc clears`}`,
						Math.max(0, width - textWidth(filter) - 10),
						'left',
						theme.ascii,
					)}
				</Text>
			</Text>
		);
	}
	const keys = `q quit ? help / filter ${g.keyMove} move ${g.keyEnter} pin tab focus s/S sort ${g.keySpace} pause e export +/- interval`;
	// What holds the view comes first, so that no width cuts it: a pin or a filter is always seen.
	const state = [view.pinned ? `pinned ${terminalSafe(view.pinned)} (Esc unpins)` : '', view.filter ? `filter "${filter}"` : '']
		.filter(Boolean)
		.join(` ${g.sep} `);
	const right = terminalSafe(message?.text ?? '');
	const stateText = state ? `${fit(state, Math.max(10, width - 1), 'left', theme.ascii).trimEnd()} ` : '';
	const hints = fit(keys, Math.max(0, width - textWidth(stateText) - textWidth(right) - 1), 'left', theme.ascii);
	const used = textWidth(stateText) + textWidth(hints);
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
