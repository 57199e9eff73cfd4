import {readFileSync, readdirSync} from 'node:fs';
import {fileURLToPath} from 'node:url';
import {join} from 'node:path';

/** ../shared/fixtures/traefik, next to the project's root. */
export const TRAEFIK_FIXTURES = fileURLToPath(new URL('../../../shared/fixtures/traefik/', import.meta.url));

export function fixtureText(name: string): string {
	return readFileSync(join(TRAEFIK_FIXTURES, name), 'utf8');
}

export function fixtureJson(name: string): unknown {
	return JSON.parse(fixtureText(name));
}

export function fixtureNames(prefix: string, suffix: string): string[] {
	return readdirSync(TRAEFIK_FIXTURES)
		.filter((f) => f.startsWith(prefix) && f.endsWith(suffix))
		.sort();
}
