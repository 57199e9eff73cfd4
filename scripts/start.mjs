// `npm start`: build the CLI when it is missing or older than the sources, then run the demo.
import {spawnSync} from 'node:child_process';
import {existsSync, readdirSync, statSync} from 'node:fs';
import {join} from 'node:path';

function newest(dir) {
	let latest = 0;
	for (const entry of readdirSync(dir, {withFileTypes: true})) {
		const path = join(dir, entry.name);
		latest = Math.max(latest, entry.isDirectory() ? newest(path) : statSync(path).mtimeMs);
	}
	return latest;
}

const built = existsSync('dist/cli.js') ? statSync('dist/cli.js').mtimeMs : 0;
if (built < Math.max(newest('source'), statSync('cli.tsx').mtimeMs)) {
	const build = spawnSync(process.execPath, ['scripts/build.mjs'], {stdio: 'inherit'});
	if (build.status !== 0) process.exit(build.status ?? 1);
}
const run = spawnSync(process.execPath, ['dist/cli.js', '--demo', ...process.argv.slice(2)], {stdio: 'inherit'});
process.exit(run.status ?? 0);
