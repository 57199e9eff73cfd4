/**
 * Where things are on the screen, for the mouse: the tables' rows and the footer's view names,
 * registered by the components that draw them and found by the cell a click or the wheel lands on.
 * Positions are Yoga's layout of the last frame (what the user clicked on), not a second
 * computation of the layout that could drift from it.
 */
import {Box, type DOMElement} from 'ink';
import {createContext, useContext, useEffect, useRef, type ReactNode, type RefObject} from 'react';
import type {Focus, ScreenName} from './view-state.js';

/** What a region is: the data rows of a table (its first shown row's index), the footer, or the help. */
export type RegionKind =
	| {readonly kind: 'rows'; readonly table: Focus; readonly start: number}
	| {readonly kind: 'footer'; readonly tabs: readonly {screen: ScreenName; from: number; to: number}[]}
	| {readonly kind: 'help'};

interface Entry {
	readonly ref: RefObject<DOMElement | null>;
	kind: RegionKind;
}

/** The regions of the screen drawn last, by a name of each. */
export class Regions {
	private readonly entries = new Map<string, Entry>();

	register(name: string, entry: Entry): () => void {
		this.entries.set(name, entry);
		return () => {
			if (this.entries.get(name) === entry) this.entries.delete(name);
		};
	}

	/** The region under a cell (0-based column and line), with the cell's place inside it. */
	at(x: number, y: number): {kind: RegionKind; x: number; y: number} | null {
		for (const entry of this.entries.values()) {
			const box = entry.ref.current ? boxOf(entry.ref.current) : null;
			if (box && x >= box.x && x < box.x + box.width && y >= box.y && y < box.y + box.height) return {kind: entry.kind, x: x - box.x, y: y - box.y};
		}
		return null;
	}
}

/** A node's box on the screen: its Yoga layout, offset by every parent's. */
function boxOf(node: DOMElement): {x: number; y: number; width: number; height: number} | null {
	const own = node.yogaNode;
	if (!own) return null;
	let x = 0;
	let y = 0;
	for (let n: DOMElement | undefined = node; n; n = n.parentNode) {
		if (!n.yogaNode) continue;
		x += n.yogaNode.getComputedLeft();
		y += n.yogaNode.getComputedTop();
	}
	return {x, y, width: own.getComputedWidth(), height: own.getComputedHeight()};
}

export const RegionsContext = createContext<Regions | null>(null);

/** A ref to put on the Box of a region; what it is is updated at every render. */
export function useRegion(name: string, kind: RegionKind): RefObject<DOMElement | null> {
	const regions = useContext(RegionsContext);
	const ref = useRef<DOMElement | null>(null);
	const entry = useRef<Entry>({ref, kind});
	entry.current.kind = kind;
	useEffect(() => (regions ? regions.register(name, entry.current) : undefined), [regions, name]);
	return ref;
}

/** A column Box that is a region. */
export function Region({name, kind, children}: {name: string; kind: RegionKind; children?: ReactNode}) {
	const ref = useRegion(name, kind);
	return (
		<Box ref={ref} flexDirection="column">
			{children}
		</Box>
	);
}
