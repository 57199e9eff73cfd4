// `npm start`: build the CLI when it is missing or older than the sources, install the pinned
// Traefik when pip can (the first start only), then run the demo: on that Traefik, or else on
// the stand-in, as the header then says.
import {execaSync} from 'execa';
import {existsSync, readdirSync, statSync} from 'node:fs';
import {join} from 'node:path';
import {ensureTraefik} from './traefik.mjs';

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
	const build = execaSync(process.execPath, ['scripts/build.mjs'], {stdio: 'inherit', reject: false});
	if (build.exitCode !== 0) process.exit(build.exitCode ?? 1);
}
// An --traefik-bin given by the user chooses for itself.
if (!process.argv.includes('--traefik-bin')) {
	const found = ensureTraefik();
	if ('missing' in found) process.stderr.write(`${found.missing}: the demo runs its stand-in\n`);
}
const run = execaSync(process.execPath, ['dist/cli.js', '--demo', ...process.argv.slice(2)], {stdio: 'inherit', reject: false});
process.exit(run.exitCode ?? 0);
