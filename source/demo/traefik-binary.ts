/**
 * Which real Traefik the demo runs: `--traefik-bin`, TRAEFIK_TOP_TRAEFIK_BIN, the project-local
 * install (.cache/traefik/<pinned version>/bin/traefik, see scripts/traefik.mjs), or `traefik`
 * on PATH, the first that runs. None: the demo runs its stand-in.
 */
import {accessSync, constants, existsSync, readFileSync} from 'node:fs';
import {delimiter, dirname, join} from 'node:path';
import {fileURLToPath} from 'node:url';
import {execaSync, ExecaSyncError} from 'execa';

export interface TraefikBinary {
	readonly path: string;
	/** What `traefik version` says, e.g. 3.7.15. */
	readonly version: string;
	/** Where it was found: flag, environment, project or PATH. */
	readonly from: 'flag' | 'environment' | 'project' | 'PATH';
}

/** The version a binary reports, or why it is not a Traefik that runs. */
export function traefikVersion(path: string): string | Error {
	try {
		const {stdout: out} = execaSync(path, ['version'], {timeout: 10_000, stdin: 'ignore'});
		const version = /^Version:\s+(\S+)/m.exec(out)?.[1];
		return version ?? new Error(`${path} version did not name a Traefik version`);
	} catch (error) {
		const why = error instanceof ExecaSyncError ? error.shortMessage : String(error);
		return new Error(`${path} does not run: ${why.split('\n')[0]}`);
	}
}

/** This package's folder (from the bundle or from source) and its pinned Traefik version. */
function projectInstall(): string | null {
	for (let dir = dirname(fileURLToPath(import.meta.url)), i = 0; i < 6; i++, dir = dirname(dir)) {
		const manifest = join(dir, 'package.json');
		if (!existsSync(manifest)) continue;
		try {
			const pkg = JSON.parse(readFileSync(manifest, 'utf8')) as {name?: string; config?: {traefikVersion?: string}};
			if (pkg.name !== 'traefik-top') continue;
			const version = pkg.config?.traefikVersion;
			return version === undefined ? null : join(dir, '.cache', 'traefik', version, 'bin', 'traefik');
		} catch {
			return null;
		}
	}
	return null;
}

function onPath(env: NodeJS.ProcessEnv): string | null {
	for (const dir of (env['PATH'] ?? '').split(delimiter)) {
		if (dir === '') continue;
		const candidate = join(dir, 'traefik');
		try {
			accessSync(candidate, constants.X_OK);
			return candidate;
		} catch {
			// not here
		}
	}
	return null;
}

/**
 * The Traefik to run. A binary named by the flag or the environment must run (an Error says why
 * not); the project install and PATH are tried quietly. null: none, the stand-in runs.
 */
export function findTraefik(flag: string | undefined, env: NodeJS.ProcessEnv = process.env): TraefikBinary | Error | null {
	const named: [string | undefined, TraefikBinary['from']][] = [
		[flag, 'flag'],
		[env['TRAEFIK_TOP_TRAEFIK_BIN'], 'environment'],
	];
	for (const [path, from] of named) {
		if (path === undefined || path === '') continue;
		const version = traefikVersion(path);
		return version instanceof Error ? version : {path, version, from};
	}
	const found: [string | null, TraefikBinary['from']][] = [
		[projectInstall(), 'project'],
		[onPath(env), 'PATH'],
	];
	for (const [path, from] of found) {
		if (path === null || !existsSync(path)) continue;
		const version = traefikVersion(path);
		if (!(version instanceof Error)) return {path, version, from};
	}
	return null;
}
