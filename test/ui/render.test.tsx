// The terminal comes back even when a component throws: the alternate screen is left, the cursor
// shown, and the exit code says the screen failed.
import {Console} from 'node:console';
import {EventEmitter} from 'node:events';
import {describe, expect, it} from 'vitest';
import {DEFAULT_RULES} from '../../source/model/rules/config.js';
import type {Snapshot} from '../../source/domain/snapshot.js';
import {runInteractive} from '../../source/ui/render.js';
import {createTheme} from '../../source/ui/theme.js';
import {sampleSnapshot} from '../helpers/snapshot.js';

class Terminal extends EventEmitter {
	written = '';
	columns = 120;
	rows = 40;
	isTTY = true;
	write = (text: string) => {
		this.written += text;
		return true;
	};
}

describe('runInteractive', () => {
	it('restores the terminal after an error inside a component', async () => {
		// Ink patches the console with console.Console, which the test runner's console lacks.
		(console as unknown as {Console: typeof Console}).Console ??= Console;
		const terminal = new Terminal();
		const broken = {...sampleSnapshot(), services: null} as unknown as Snapshot; // makes a panel throw
		const original = process.stderr.write.bind(process.stderr);
		let stderr = '';
		process.stderr.write = ((chunk: string) => {
			stderr += chunk;
			return true;
		}) as typeof process.stderr.write;
		let code: number;
		try {
			code = await runInteractive(
				{
					subscribe: (listener) => {
						setTimeout(() => listener(broken), 20);
						return () => {};
					},
					theme: createTheme({colors: false, ascii: false}),
					rules: DEFAULT_RULES,
					pinned: null,
					onPin: () => {},
					onInterval: () => 1,
					onExport: async () => '',
				},
				terminal as unknown as NodeJS.WriteStream,
			);
		} finally {
			process.stderr.write = original;
		}
		expect(code).toBe(70);
		expect(stderr).toMatch(/the screen failed/);
		const bytes = terminal.written;
		expect(bytes.indexOf('\x1b[?1049h')).toBe(0);
		expect(bytes.lastIndexOf('\x1b[?1049l')).toBeGreaterThan(bytes.lastIndexOf('\x1b[?1049h'));
		expect(bytes.lastIndexOf('\x1b[?25h')).toBeGreaterThan(bytes.lastIndexOf('\x1b[?25l'));
	});
});
