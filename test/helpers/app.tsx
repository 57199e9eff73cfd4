// The app under ink-testing-library, driven by keys: keys are typed only once the app listens to
// them (onReady), and each press waits for the frame it causes.
import {render} from 'ink-testing-library';
import {vi} from 'vitest';
import type {Snapshot} from '../../source/domain/snapshot.js';
import {DEFAULT_RULES} from '../../source/model/rules/config.js';
import {App, type AppProps} from '../../source/ui/app.js';
import {createTheme} from '../../source/ui/theme.js';
import {sampleSnapshot} from './snapshot.js';

const mounted: {unmount: () => void}[] = [];

/** Unmounts every app mounted since the last call (for afterEach). */
export function unmountAll(): void {
	for (const m of mounted.splice(0)) m.unmount();
}

/** Mounts the app at `columns` x `rows` (at most 100 columns: ink-testing-library's width) and waits until it listens to keys. */
export async function mountApp(columns: number, rows: number, over: Partial<AppProps> = {}, snapshot: Snapshot | null = sampleSnapshot()) {
	let push: (s: Snapshot) => void = () => {};
	let ready: () => void = () => {};
	const listening = new Promise<void>((resolve) => (ready = resolve));
	const props: AppProps = {
		subscribe: (listener) => {
			push = listener;
			if (snapshot) listener(snapshot);
			return () => {};
		},
		theme: createTheme({colors: false, ascii: false}),
		rules: DEFAULT_RULES,
		pinned: null,
		onPin: vi.fn(),
		onInterval: vi.fn(() => 2),
		onExport: vi.fn(async () => '/tmp/x.json'),
		onReady: () => ready(),
		size: {columns, rows},
		now: () => Date.UTC(2026, 10, 22, 3, 10, 1),
		...over,
	};
	const app = render(<App {...props} />);
	await listening;
	const frames = () => app.frames.length;
	/** Waits (at most 2 s) for a frame after `count`, then for the screen to stop changing. */
	const nextFrame = async (count: number): Promise<void> => {
		for (let i = 0; i < 200 && frames() <= count; i++) await new Promise((resolve) => setTimeout(resolve, 10));
	};
	const result = {
		props,
		lastFrame: () => app.lastFrame() ?? '',
		unmount: () => app.unmount(),
		/** Types each key and waits for the frame it causes. */
		async press(...keys: string[]) {
			for (const key of keys) {
				const count = frames();
				app.stdin.write(key);
				await nextFrame(count);
			}
		},
		/** Types all keys in one chunk, as a paste or a slow link delivers them. */
		async paste(keys: string) {
			const count = frames();
			app.stdin.write(keys);
			await nextFrame(count);
		},
		async push(s: Snapshot) {
			const count = frames();
			push(s);
			await nextFrame(count);
		},
		/** Waits until `done` holds for the last frame (at most 2 s). */
		async until(done: (frame: string) => boolean) {
			for (let i = 0; i < 200 && !done(app.lastFrame() ?? ''); i++) await new Promise((resolve) => setTimeout(resolve, 10));
		},
	};
	mounted.push(result);
	return result;
}
