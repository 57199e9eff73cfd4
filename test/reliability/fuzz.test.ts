// Bad input never crashes and never passes as data. `npm test` runs a sample of each property;
// `npm run fuzz` runs 100,000 cases of each (FUZZ_RUNS).
import fc from 'fast-check';
import {describe, expect, it} from 'vitest';
import {parseEntryPoints, parseRawdata} from '../../source/collect/api-parse.js';
import {parseProcNetTcp} from '../../source/collect/proc-net-tcp-parse.js';
import {parseSs} from '../../source/collect/ss-parse.js';
import {parseTraefikMetrics} from '../../source/collect/traefik-metrics-parse.js';
import {TCP_STATES} from '../../source/domain/tcp.js';
import {resolveConfig} from '../../source/run/config.js';
import {parseFlags} from '../../source/run/flags.js';
import {fixtureJson, fixtureText, PROC_FIXTURES} from '../helpers/fixtures.js';

const RUNS = Number(process.env['FUZZ_RUNS'] ?? 2000);
const TIMEOUT = Math.max(60_000, RUNS * 2);

/** Kernel rows to mutate: ESTABLISHED, TIME_WAIT, and an IPv4-mapped IPv6 one. */
const TCP = fixtureText('tcp.txt', PROC_FIXTURES).split('\n');
const ROWS = [TCP[2]!, TCP[4]!, fixtureText('tcp6.txt', PROC_FIXTURES).split('\n')[2]!];

/** A text with some characters replaced, inserted or cut. */
const mutated = (texts: readonly string[]) =>
	fc
		.tuple(fc.constantFrom(...texts), fc.array(fc.tuple(fc.nat(), fc.string({unit: 'binary', maxLength: 3}), fc.nat({max: 3})), {maxLength: 6}))
		.map(([text, edits]) => {
			let t = text;
			for (const [at, insert, cut] of edits) {
				const i = t.length === 0 ? 0 : at % t.length;
				t = t.slice(0, i) + insert + t.slice(i + cut);
			}
			return t;
		});

function checkTable(text: string, ipv6: boolean): void {
	const table = parseProcNetTcp(text, ipv6);
	// The parser reads bytes (the kernel writes ASCII): count lines in the same latin1 bytes.
	const lines = Buffer.from(text, 'latin1')
		.toString('latin1')
		.split('\n')
		.filter((l) => /[^ \t]/.test(l)).length;
	expect(table.sockets.length + table.malformed).toBeLessThanOrEqual(lines);
	for (const s of table.sockets) {
		expect(TCP_STATES).toContain(s.state);
		for (const port of [s.localPort, s.remotePort]) expect(Number.isInteger(port) && port >= 0 && port <= 65535).toBe(true);
		for (const n of [s.txQueue, s.rxQueue, s.retransmits, s.inode, s.timer]) expect(Number.isFinite(n) && n >= 0).toBe(true);
		for (const ip of [s.localIp, s.remoteIp]) expect(typeof ip === 'string' || (Number.isInteger(ip) && ip >= 0 && ip <= 0xffffffff)).toBe(true);
	}
}

describe(`fuzz (${RUNS} cases per property)`, () => {
	it(
		'/proc tables: random bytes and mutated kernel rows',
		() => {
			fc.assert(
				fc.property(fc.string({unit: 'binary', maxLength: 400}), fc.boolean(), (text, ipv6) => checkTable(text, ipv6)),
				{numRuns: RUNS},
			);
			fc.assert(
				fc.property(fc.array(mutated(ROWS), {maxLength: 5}), fc.boolean(), (rows, ipv6) => checkTable(rows.join('\n'), ipv6)),
				{numRuns: RUNS},
			);
		},
		TIMEOUT,
	);

	it(
		'netlink (ss) output: random text and mutated lines',
		() => {
			const lines = [
				'ESTAB 0 36 10.0.0.9:37172 10.0.0.3:8080 timer:(on,204ms,3) uid:1000 ino:3022917 sk:c8e0a',
				'CLOSE-WAIT 1 0 [::ffff:127.0.0.1]:41000 [::1]:9000 ino:555',
				'TIME-WAIT 0 0 127.0.0.1:34256 127.0.0.1:8080 timer:(timewait,59sec,0) ino:0',
			];
			const check = (text: string) => {
				const table = parseSs(text);
				for (const s of table.sockets) {
					expect(TCP_STATES).toContain(s.state);
					for (const port of [s.localPort, s.remotePort]) expect(Number.isInteger(port) && port >= 0 && port <= 65535).toBe(true);
					for (const n of [s.txQueue, s.rxQueue, s.retransmits, s.inode, s.timer, s.uid]) expect(Number.isFinite(n) && n >= 0).toBe(true);
				}
			};
			fc.assert(fc.property(fc.string({unit: 'binary', maxLength: 300}), check), {numRuns: RUNS});
			fc.assert(
				fc.property(fc.array(mutated(lines), {maxLength: 5}), (rows) => check(rows.join('\n'))),
				{numRuns: RUNS},
			);
		},
		TIMEOUT,
	);

	it(
		'/metrics: random text and mutated real scrapes',
		() => {
			const lines = fixtureText('metrics-v2.4-covidpass.txt')
				.split('\n')
				.filter((l) => l.startsWith('traefik_'));
			const check = (text: string): void => {
				const r = parseTraefikMetrics(text);
				expect(r.report.samples + r.report.malformed).toBeLessThanOrEqual(r.report.lines);
				for (const g of r.services.values()) for (const v of Object.values(g.requests)) expect(Number.isNaN(v)).toBe(false);
			};
			fc.assert(fc.property(fc.string({unit: 'binary', maxLength: 400}), check), {numRuns: RUNS});
			fc.assert(
				fc.property(fc.array(mutated(lines), {maxLength: 8}), (picked) => check(picked.join('\n'))),
				{numRuns: RUNS},
			);
		},
		TIMEOUT,
	);

	it(
		'API JSON: any JSON value maps or is refused in words',
		() => {
			const rawdata = fixtureJson('api-rawdata-v3.7-kubernetescrd.json') as Record<string, unknown>;
			const check = (body: unknown): void => {
				for (const parse of [parseRawdata, parseEntryPoints]) {
					try {
						parse(body);
					} catch (error) {
						expect(error).toBeInstanceOf(Error);
						expect((error as Error).constructor).toBe(Error); // a message, not a TypeError
					}
				}
			};
			fc.assert(fc.property(fc.jsonValue(), check), {numRuns: RUNS});
			// Real rawdata with random values in place of its services.
			fc.assert(
				fc.property(fc.dictionary(fc.string(), fc.jsonValue(), {maxKeys: 5}), (services) =>
					check({...rawdata, services: {...(rawdata['services'] as object), ...services}}),
				),
				{numRuns: RUNS},
			);
		},
		TIMEOUT,
	);

	it(
		'settings: flags, environment and config file are accepted or refused in words',
		() => {
			const text = fc.oneof(fc.string({maxLength: 12}), fc.constantFrom('1s', '500ms', '0', '-1', '2m', 'x', '', '1e9', 'off'));
			fc.assert(
				fc.property(
					fc.record(
						{
							interval: text,
							backend: fc.array(text, {maxLength: 2}),
							header: fc.array(text, {maxLength: 2}),
							rule: fc.array(fc.oneof(text, fc.constantFrom('time_wait_ratio.warn=0.3', 'nope.x=1', 'error_ratio.crit=abc')), {maxLength: 2}),
						},
						{requiredKeys: []},
					),
					fc.dictionary(fc.constantFrom('TRAEFIK_TOP_PID', 'TRAEFIK_TOP_INTERVAL', 'TRAEFIK_TOP_HEADERS', 'NO_COLOR'), text),
					fc.jsonValue(),
					(flags, env, file) => {
						try {
							const config = resolveConfig(
								flags,
								env,
								typeof file === 'object' && file !== null && !Array.isArray(file) ? (file as Record<string, unknown>) : {},
								false,
							);
							expect(config.intervalSeconds).toBeGreaterThan(0);
						} catch (error) {
							expect((error as Error).constructor).toBe(Error);
							expect((error as Error).message.length).toBeGreaterThan(10);
						}
					},
				),
				{numRuns: RUNS},
			);
		},
		TIMEOUT,
	);

	it(
		'the command line: any argv is parsed or refused in words',
		() => {
			const token = fc.oneof(
				fc.constantFrom(
					'--interval',
					'--pid',
					'--backend',
					'--rule',
					'--header',
					'--once',
					'--json',
					'--count',
					'--no-color',
					'--ascii',
					'--nope',
					'-x',
					'--',
					'--service',
					'--metrics-url',
				),
				fc.string({maxLength: 10}).filter((t) => !/^--?(h|help|version)$/.test(t)),
			);
			fc.assert(
				fc.property(fc.array(token, {maxLength: 8}), (argv) => {
					try {
						const {flags} = parseFlags(argv, false);
						resolveConfig(flags, {}, {}, false);
					} catch (error) {
						expect(error).toBeInstanceOf(Error);
						expect(error instanceof TypeError || error instanceof RangeError).toBe(false);
						expect((error as Error).message.length).toBeGreaterThan(5);
					}
				}),
				{numRuns: RUNS},
			);
		},
		TIMEOUT,
	);
});
