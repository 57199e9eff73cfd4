/** Parsers of single settings, each with its range, each refusing a bad value in words. */
import {validateHeaderName, validateHeaderValue} from 'node:http';
import type {BackendServer} from '../domain/harvest.js';
import {redactUrl, splitHostPort} from '../domain/server-url.js';

/** Parses "1s", "500ms", "2m", "1h" or a bare number of seconds into seconds, within [min, max]. */
export function parseDuration(text: string | number, what: string, min = 0.001, max = 86_400): number {
	let seconds: number;
	if (typeof text === 'number') {
		seconds = text;
		if (!Number.isFinite(seconds)) throw new Error(`${what} must be a duration such as 1s, 500ms or 2m, got ${text}`);
	} else {
		const match = /^\s*(\d+(?:\.\d+)?)\s*(ms|s|m|h)?\s*$/.exec(text);
		if (!match) throw new Error(`${what} must be a duration such as 1s, 500ms or 2m, got "${text}"`);
		const factor = {ms: 0.001, s: 1, m: 60, h: 3600}[match[2] ?? 's'] ?? 1;
		seconds = Number(match[1]) * factor;
	}
	if (seconds < min || seconds > max) throw new Error(`${what} must be between ${describe(min)} and ${describe(max)}, got "${text}"`);
	return seconds;
}

const describe = (seconds: number): string =>
	seconds >= 3600 && seconds % 3600 === 0
		? `${seconds / 3600}h`
		: seconds >= 60 && seconds % 60 === 0
			? `${seconds / 60}m`
			: seconds < 1
				? `${Math.round(seconds * 1000)}ms`
				: `${seconds}s`;

/** Parses a whole number within [min, max] (as typed: "12", or from JSON: 12). */
export function parseInteger(value: string | number, what: string, min: number, max: number): number {
	const text = String(value).trim();
	const n = typeof value === 'number' ? value : /^[+-]?\d+$/.test(text) ? Number(text) : Number.NaN;
	if (!Number.isInteger(n)) throw new Error(`${what} must be a whole number, got ${JSON.stringify(value)}`);
	if (n < min || n > max) throw new Error(`${what} must be between ${min} and ${max}, got ${n}`);
	return n;
}

/** Parses `SERVICE=HOST:PORT` into a backend server. */
export function parseBackendFlag(text: string): BackendServer {
	const eq = text.indexOf('=');
	const target = eq > 0 ? splitHostPort(text.slice(eq + 1)) : undefined;
	if (eq <= 0 || target === undefined) throw new Error(`--backend wants SERVICE=HOST:PORT (e.g. whoami@docker=10.0.0.5:80), got "${text}"`);
	return {service: text.slice(0, eq), url: text.slice(eq + 1), host: target.host.toLowerCase(), port: target.port, status: 'unknown', origin: 'flag'};
}

/** Parses a `Name: value` header, refusing what HTTP would refuse at every request. */
export function parseHeader(text: string): [string, string] {
	const colon = text.indexOf(':');
	if (colon <= 0) throw new Error(`--header wants "Name: value", got "${text}"`);
	const name = text.slice(0, colon).trim();
	const value = text.slice(colon + 1).trim();
	try {
		validateHeaderName(name);
		validateHeaderValue(name, value);
	} catch (error) {
		throw new Error(`--header "${name}" is not a valid HTTP header: ${(error as Error).message}`);
	}
	return [name, value];
}

/**
 * A Traefik URL as users paste it: the API's base (`http://host:8080`) or its `/api` path
 * (`http://host:8080/api/`) both mean the base; "off" or "" switch the source off.
 */
export function parseApiUrl(text: string): string | null {
	if (text === '' || text === 'off') return null;
	checkUrl(text, '--api-url');
	return text.replace(/\/+$/, '').replace(/\/api$/, '');
}

/** A metrics URL ("off" or "" switch it off). */
export function parseMetricsUrl(text: string): string | null {
	if (text === '' || text === 'off') return null;
	checkUrl(text, '--metrics-url');
	return text;
}

function checkUrl(text: string, what: string): void {
	let url: URL;
	try {
		url = new URL(text);
	} catch {
		throw new Error(`${what} must be an http:// or https:// URL, got "${redactUrl(text)}"`);
	}
	if (url.protocol !== 'http:' && url.protocol !== 'https:') throw new Error(`${what} must be an http:// or https:// URL, got "${redactUrl(text)}"`);
}
