/** The footer: key hints, the filter being typed or kept, and the last export or message. */
import {Text} from 'ink';
import {fit, textWidth} from '../format/table.js';
import {terminalSafe} from '../format/terminal-safe.js';
import type {Theme} from './theme.js';
import {SCREENS, type ScreenName, type ViewState} from './view-state.js';

/** A passing message in the footer (the last export, the new interval). */
export type Message = {text: string; severity: 'ok' | 'warn' | 'crit'} | null;

export interface FooterProps {
	readonly view: ViewState;
	readonly width: number;
	readonly theme: Theme;
	readonly message: Message;
	readonly filterError?: string;
}

/**
 * The view names of the footer, each at its columns (0-based, end exclusive): drawn there, clicked
 * there. They come after what holds the view, and give way to a message (an export's path).
 */
export function footerTabs(
	view: Pick<ViewState, 'pinned' | 'filter'>,
	width: number,
	theme: Theme,
	message: Message,
): {screen: ScreenName; from: number; to: number}[] {
	let at = textWidth(stateText(view, width, theme));
	const end = width - textWidth(terminalSafe(message?.text ?? '')) - 1;
	const tabs: {screen: ScreenName; from: number; to: number}[] = [];
	for (const s of SCREENS) {
		const tab = {screen: s.name, from: at, to: at + textWidth(tabLabel(s.name))};
		if (tab.to > end) break;
		tabs.push(tab);
		at = tab.to;
	}
	return tabs;
}

const tabLabel = (screen: ScreenName): string => ` ${SCREENS.find((s) => s.name === screen)!.key} ${screen} `;

/** What holds the view (a pin, a kept filter), first, so that no width cuts it. */
function stateText(view: Pick<ViewState, 'pinned' | 'filter'>, width: number, theme: Theme): string {
	const g = theme.glyphs;
	const state = [view.pinned ? `pinned ${terminalSafe(view.pinned)} (Esc unpins)` : '', view.filter ? `filter "${terminalSafe(view.filter)}"` : '']
		.filter(Boolean)
		.join(` ${g.sep} `);
	return state ? `${fit(state, Math.max(10, width - 1), 'left', theme.ascii).trimEnd()} ` : '';
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
	const keys = ` q quit ? help / filter ${g.keyMove} move ${g.keyEnter} pin tab focus s/S sort ${g.keySpace} pause e export +/- interval`;
	const right = terminalSafe(message?.text ?? '');
	const held = stateText(view, width, theme);
	// The view names, the one shown in inverse video, as wide as the room leaves them.
	const tabs = footerTabs(view, width, theme, message);
	const tabsWidth = tabs.length === 0 ? 0 : tabs[tabs.length - 1]!.to - textWidth(held);
	const hints = fit(keys, Math.max(0, width - textWidth(held) - tabsWidth - textWidth(right) - 1), 'left', theme.ascii);
	const used = textWidth(held) + tabsWidth + textWidth(hints);
	return (
		<Text>
			{held ? (
				<Text bold color={theme.color('accent')}>
					{held}
				</Text>
			) : null}
			{tabs.map((t) => {
				const label = tabLabel(t.screen);
				return t.screen === view.screen ? (
					<Text key={t.screen} inverse bold>
						{label}
					</Text>
				) : (
					<Text key={t.screen}>{label}</Text>
				);
			})}
			<Text color={theme.color('muted')}>{hints} </Text>
			<Text color={theme.color(message?.severity ?? 'ok')} bold={message?.severity === 'crit'}>
				{fit(right, Math.max(0, width - used - 1), 'left', theme.ascii)}
			</Text>
		</Text>
	);
}
