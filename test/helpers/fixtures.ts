import {readFileSync, readdirSync} from 'node:fs';
import {fileURLToPath} from 'node:url';
import {join} from 'node:path';

/** Real output of Traefik and of the kernel, kept in the repository (see each folder's SOURCES.md). */
export const FIXTURES = fileURLToPath(new URL('../fixtures/', import.meta.url));
export const TRAEFIK_FIXTURES = join(FIXTURES, 'traefik');
export const PROC_FIXTURES = join(FIXTURES, 'proc');

export function fixtureText(name: string, folder = TRAEFIK_FIXTURES): string {
	return readFileSync(join(folder, name), 'utf8');
}

export function fixtureJson(name: string, folder = TRAEFIK_FIXTURES): unknown {
	return JSON.parse(fixtureText(name, folder));
}

export function fixtureNames(prefix: string, suffix: string, folder = TRAEFIK_FIXTURES): string[] {
	return readdirSync(folder)
		.filter((f) => f.startsWith(prefix) && f.endsWith(suffix))
		.sort();
}
