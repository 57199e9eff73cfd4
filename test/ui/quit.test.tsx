// q and Ctrl-C end the app (the terminal itself is given back by render.tsx: test/ui/render.test.tsx).
import {render} from 'ink';
import {EventEmitter} from 'node:events';
import {describe, expect, it, vi} from 'vitest';
import {DEFAULT_RULES} from '../../source/model/rules/config.js';
import {App} from '../../source/ui/app.js';
import {createTheme} from '../../source/ui/theme.js';
import {sampleSnapshot} from '../helpers/snapshot.js';

class Stdin extends EventEmitter {
	isTTY = true;
	private data: string | null = null;
	write(data: string) {
		this.data = data;
		this.emit('readable');
	}
	read() {
		const data = this.data;
		this.data = null;
		return data;
	}
	setEncoding() {}
	setRawMode() {}
	resume() {}
	pause() {}
	ref() {}
	unref() {}
}

describe.each(['q', '\x03'])('the key %j', (key) => {
	it('quits', async () => {
		const stdin = new Stdin();
		const stdout = Object.assign(new EventEmitter(), {columns: 80, rows: 24, write: () => true});
		let ready: () => void = () => {};
		const listening = new Promise<void>((resolve) => (ready = resolve));
		const app = render(
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
			{stdin: stdin as unknown as NodeJS.ReadStream, stdout: stdout as unknown as NodeJS.WriteStream, debug: true, exitOnCtrlC: false, patchConsole: false},
		);
		await listening;
		const exited = app.waitUntilExit();
		stdin.write(key);
		await expect(exited).resolves.toBeUndefined();
	});
});
