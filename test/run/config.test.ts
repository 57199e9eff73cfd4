// Every setting has a range; a bad one is refused at start, in words, whatever it came from.
import {mkdtempSync, rmSync, writeFileSync} from 'node:fs';
import {tmpdir} from 'node:os';
import {join} from 'node:path';
import {describe, expect, it} from 'vitest';
import {resolveConfig, type FlagValues} from '../../source/run/config.js';
import {readConfigFile} from '../../source/run/config-file.js';
import {parseFlags} from '../../source/run/flags.js';
import {parseApiUrl} from '../../source/run/settings.js';

const resolve = (flags: FlagValues = {}, env: Record<string, string> = {LANG: 'C.UTF-8'}, file: Record<string, unknown> = {}) =>
	resolveConfig(flags, env, file, true);
const refused = (flags: FlagValues, env?: Record<string, string>, file?: Record<string, unknown>) => {
	try {
		resolve(flags, env, file);
	} catch (error) {
		return (error as Error).message;
	}
	throw new Error('accepted');
};

describe('settings', () => {
	it('refuses numbers out of range or not numbers, naming what it got', () => {
		expect(refused({count: 'abc'})).toBe('--count must be a whole number, got "abc"');
		expect(refused({count: '-3'})).toBe('--count must be between 1 and 1000000000, got -3');
		expect(refused({count: '0'})).toBe('--count must be between 1 and 1000000000, got 0');
		expect(refused({pid: 'notanumber'})).toBe('--pid (a process ID) must be a whole number, got "notanumber"');
		expect(refused({interval: '10ms'})).toMatch(/--interval must be between 100ms and 1h/);
		expect(refused({retention: '10000h'})).toMatch(/--retention must be between 10s and 24h/);
		expect(refused({retention: '24h', interval: '100ms'})).toMatch(/keeps 864000 samples per series; at most 86400/);
		expect(refused({maxServices: '3'})).toMatch(/--max-services must be between 10 and/);
		expect(resolve({count: '5'}).count).toBe(5);
	});

	it('refuses a header HTTP would refuse at every request', () => {
		expect(refused({header: ['X-Bad: a\u0001b']})).toMatch(/--header "X-Bad" is not a valid HTTP header/);
		expect(refused({header: ['Bad Name: x']})).toMatch(/--header "Bad Name" is not a valid HTTP header/);
		expect(resolve({header: ['X-Trace: 1']}).headers).toEqual({'X-Trace': '1'});
	});

	it('refuses rule settings out of their range, and warn above crit', () => {
		expect(refused({rule: ['time_wait_ratio.warn=2']})).toMatch(/time_wait_ratio\.warn must be a share between 0 and 1/);
		expect(refused({rule: ['syn_sent_stuck.polls=0.5']})).toMatch(/syn_sent_stuck\.polls must be a whole number of polls/);
		expect(refused({rule: ['error_ratio.warn=0.5', 'error_ratio.crit=0.1']})).toMatch(/warn \(0\.5\) must not be above crit \(0\.1\)/);
		expect(resolve({rule: ['time_wait_ratio.warn=30%']}).rules.time_wait_ratio.warn).toBeCloseTo(0.3);
	});

	it('takes the API as its base URL or its /api path', () => {
		expect(parseApiUrl('http://traefik:8080/api')).toBe('http://traefik:8080');
		expect(parseApiUrl('http://traefik:8080/api/')).toBe('http://traefik:8080');
		expect(parseApiUrl('http://traefik:8080/')).toBe('http://traefik:8080');
		expect(parseApiUrl('https://edge.example/traefik/api')).toBe('https://edge.example/traefik');
		expect(parseApiUrl('off')).toBeNull();
		expect(refused({apiUrl: 'ftp://x'})).toMatch(/--api-url must be an http:\/\/ or https:\/\/ URL/);
		expect(refused({apiUrl: 'http://admin:pw@'})).not.toContain('pw');
	});

	it('falls back to ASCII where the terminal cannot show UTF-8, unless told', () => {
		expect(resolve({}, {TERM: 'dumb', LANG: 'C.UTF-8'}).ascii).toBe(true);
		expect(resolve({}, {LANG: 'C'}).ascii).toBe(true);
		expect(resolve({}, {}).ascii).toBe(true);
		expect(resolve({}, {LC_ALL: 'POSIX', LANG: 'en_US.UTF-8'}).ascii).toBe(true);
		expect(resolve({}, {LANG: 'en_US.UTF-8'}).ascii).toBe(false);
		expect(resolve({ascii: false}, {LANG: 'C'}).ascii).toBe(false);
	});

	it('refuses a flag given twice rather than dropping one unseen', () => {
		expect(() => parseFlags(['--metrics-url', 'http://a', '--metrics-url', 'http://b'], false)).toThrow(/--metrics-url is given 2 times/);
	});
});

describe('the config file', () => {
	const dir = mkdtempSync(join(tmpdir(), 'tt-config-'));
	const write = (name: string, text: string) => {
		const path = join(dir, name);
		writeFileSync(path, text);
		return path;
	};

	it('refuses unknown keys and values of the wrong type, in words', () => {
		expect(() => readConfigFile(write('a.json', '{"interval": true}'), '')).toThrow(/"interval" must be a string or a number, got true/);
		expect(() => readConfigFile(write('b.json', '{"intervall": "1s"}'), '')).toThrow(/unknown setting "intervall"/);
		expect(() => readConfigFile(write('c.json', '{"backends": "x"}'), '')).toThrow(/"backends" must be a list of strings/);
		expect(() => readConfigFile(write('d.json', '[1]'), '')).toThrow(/is not a JSON object/);
		expect(() => readConfigFile(write('e.json', '{'), '')).toThrow(/is not valid JSON/);
	});

	it('reads at most 1 MiB: a device that never ends is refused', () => {
		expect(() => readConfigFile('/dev/zero', '')).toThrow(/cannot read the config file \/dev\/zero: not a regular file/);
		expect(() => readConfigFile(write('big.json', `{"service": "${'x'.repeat(1024 * 1024)}"}`), '')).toThrow(/larger than 1024 KiB/);
	});

	it('a missing default file is no error, a missing named one is', () => {
		expect(readConfigFile(undefined, join(dir, 'none.json'))).toEqual({});
		expect(() => readConfigFile(join(dir, 'none.json'), '')).toThrow(/no such file|ENOENT/);
		rmSync(dir, {recursive: true, force: true});
	});
});
