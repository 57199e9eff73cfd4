// q and Ctrl-C end the app (the terminal itself is given back by render.tsx: test/ui/render.test.tsx).
import {describe, expect, it, vi} from 'vitest';
import {DEFAULT_RULES} from '../../source/model/rules/config.js';
import {App} from '../../source/ui/app.js';
import {createTheme} from '../../source/ui/theme.js';
import {sampleSnapshot} from '../helpers/snapshot.js';
import {renderAt} from '../helpers/terminal.js';

describe.each(['q', '\x03'])('the key %j', (key) => {
	it('quits', async () => {
		let ready: () => void = () => {};
		const listening = new Promise<void>((resolve) => (ready = resolve));
		const app = renderAt(
			<App
				subscribe={(l) => (l(sampleSnapshot()), () => {})}
				theme={createTheme({colors: false, ascii: false})}
				rules={DEFAULT_RULES}
				pinned={null}
				onPin={vi.fn()}
				onInterval={() => 1}
				onExport={async () => ''}
				onReady={() => ready()}
				size={{columns: 80, rows: 24}}
			/>,
			80,
			24,
		);
		await listening;
		const exited = app.waitUntilExit();
		await app.press(key);
		await expect(exited).resolves.toBeUndefined();
	});
});
