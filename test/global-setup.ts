// Builds dist/cli.js once before the tests that run the built program (terminal, package).
import {execFileSync} from 'node:child_process';
import {fileURLToPath} from 'node:url';

export default function setup(): void {
	execFileSync(process.execPath, ['scripts/build.mjs'], {cwd: fileURLToPath(new URL('..', import.meta.url)), stdio: 'inherit'});
}
