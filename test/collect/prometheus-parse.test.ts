import fc from 'fast-check';
import {describe, expect, it} from 'vitest';
import {parseExposition, type ExpositionSink} from '../../source/collect/prometheus-parse.js';
import {fixtureNames, fixtureText} from '../helpers/fixtures.js';

interface Sample {
	name: string;
	labels: Record<string, string>;
	value: number;
	timestamp?: number;
}

/** A sink that keeps everything. */
function collectAll(text: string) {
	const samples: Sample[] = [];
	const help: Record<string, string> = {};
	const types: Record<string, string> = {};
	const sink: ExpositionSink = {
		wants: () => true,
		sample: (name, labels, value, timestamp) => samples.push({name, labels: labels.toObject(), value, ...(timestamp === undefined ? {} : {timestamp})}),
		help: (name, text) => (help[name] = text),
		type: (name, type) => (types[name] = type),
	};
	const report = parseExposition(text, sink);
	return {samples, help, types, report};
}

describe('every exposition fixture parses with no line lost', () => {
	it.each(fixtureNames('metrics-', '.txt'))('%s', (name) => {
		const text = fixtureText(name);
		const sampleLines = text.split('\n').filter((l) => l.trim() !== '' && !l.startsWith('#')).length;
		const {samples, report} = collectAll(text);
		expect(report.malformed).toBe(0);
		expect(report.errors).toEqual([]);
		expect(samples).toHaveLength(sampleLines);
		expect(report.lines).toBe(sampleLines);
	});

	it('reads the last line of a file without a final newline (Traefik Mesh fixture)', () => {
		const text = fixtureText('metrics-v2-traefik-mesh-proxy-datadog.txt');
		expect(text.endsWith('\n')).toBe(false);
		const {samples} = collectAll(text);
		const lastLine = text.slice(text.lastIndexOf('\n') + 1);
		const last = samples[samples.length - 1]!;
		expect(lastLine.startsWith(last.name)).toBe(true);
		expect(lastLine.endsWith(` ${String(last.value)}`) || lastLine.includes(String(last.value))).toBe(true);
	});

	it('reads Go float formatting, +Inf bounds, HELP and TYPE', () => {
		const {samples, types, help} = collectAll(fixtureText('metrics-v2.11-predictora.txt'));
		expect(types['traefik_entrypoint_request_duration_seconds']).toBe('histogram');
		expect(help['process_start_time_seconds']).toMatch(/Start time of the process/);
		const vmax = samples.find((s) => s.name === 'process_virtual_memory_max_bytes')!;
		expect(vmax.value).toBe(1.8446744073709552e19);
		expect(samples.some((s) => s.labels['le'] === '+Inf')).toBe(true);
	});

	it('reads large counts in exponent form (netdata fixture)', () => {
		const {samples} = collectAll(fixtureText('metrics-v2.2.1-netdata-entrypoints.txt'));
		expect(samples.some((s) => s.value === 6.77133599e8)).toBe(true);
	});
});

describe('hostile text', () => {
	it('counts malformed lines with their numbers and keeps the good ones', () => {
		const text = [
			'# HELP ok A fine metric',
			'ok{a="1"} 1',
			'<html><body>login</body></html>',
			'bad{a=1} 2',
			'bad2{a="unterminated} 3',
			'bad3 notanumber',
			'bad4 0x1F',
			'bad5{a="1"}',
			'ok{a="2"} 2 1700000000000',
			'ok{a="3"} 3 12.5',
			'ok 4',
		].join('\n');
		const {samples, report} = collectAll(text);
		expect(samples.map((s) => s.value)).toEqual([1, 2, 4]);
		expect(samples[1]!.timestamp).toBe(1700000000000);
		expect(report.malformed).toBe(7);
		expect(report.errors[0]).toMatch(/^line 3: not a metric line/);
		expect(report.errors).toHaveLength(5);
	});

	it('reads escapes, spaces, trailing commas, CRLF, NaN and infinities', () => {
		const text = 'm{path="C:\\\\dir\\"x\\"\\nz" , b="2",} NaN\r\nm{a="x"} +Inf\nm -Inf -5\nm   1e-3\n';
		const {samples, report} = collectAll(text);
		expect(report.malformed).toBe(0);
		expect(samples[0]!.labels).toEqual({path: 'C:\\dir"x"\nz', b: '2'});
		expect(Number.isNaN(samples[0]!.value)).toBe(true);
		expect(samples.slice(1).map((s) => s.value)).toEqual([Number.POSITIVE_INFINITY, Number.NEGATIVE_INFINITY, 0.001]);
		expect(samples[2]!.timestamp).toBe(-5);
	});

	it('skips unwanted families without reading them, but still names junk', () => {
		let seen = 0;
		const report = parseExposition('go_x{a="1"} 1\ngo_x{broken 2\nwant 3\n!!!\n', {wants: (n) => n === 'want', sample: () => void seen++});
		expect(seen).toBe(1);
		expect(report.lines).toBe(4);
		expect(report.malformed).toBe(1);
	});

	it('never throws on arbitrary text', () => {
		fc.assert(
			fc.property(fc.string({unit: 'binary', maxLength: 300}), (text) => {
				const {report} = collectAll(text);
				expect(report.samples + report.malformed).toBe(report.lines);
			}),
			{numRuns: 2000},
		);
	});
});

describe('round trip (property)', () => {
	// Random names, and names from small pools that prefix one another, more of them than the
	// parser remembers (8), so that lines repeat, cycle and nearly repeat their neighbours' names.
	const namePool = ['m', 'm_sum', 'm_count', 'm_bucket', 'm_bucke', 'mm', 'm:x', 'n_sum', 'n_count', 'n_bucket', 'm_s', 'x_bucket'];
	const nameArb = fc.oneof(fc.stringMatching(/^[a-zA-Z_:][a-zA-Z0-9_:]{0,20}$/), fc.constantFrom(...namePool));
	const labelNameArb = fc.oneof(
		fc.stringMatching(/^[a-zA-Z_][a-zA-Z0-9_]{0,10}$/).filter((n) => !n.startsWith('__')),
		fc.constantFrom('le', 'l', 'len', 'code', 'codes', 'service'),
	);
	const valueArb = fc.oneof(
		fc.double({noNaN: false}),
		fc.integer().map((n) => n),
		fc.constantFrom(0, -0, 1e300, 5e-324, Number.POSITIVE_INFINITY, Number.NEGATIVE_INFINITY),
	);
	const sampleArb = fc.record({
		name: nameArb,
		labels: fc.uniqueArray(fc.tuple(labelNameArb, fc.oneof(fc.string({maxLength: 12}), fc.constantFrom('200', '2000', 'GET', 'svc'))), {
			selector: ([k]) => k,
			maxLength: 5,
		}),
		value: valueArb,
		timestamp: fc.option(fc.integer({min: -1e12, max: 1e13}), {nil: undefined}),
	});
	/** Prints a value as Go does (+Inf, -Inf, NaN, shortest round-trip digits). */
	const goFloat = (v: number) => (Number.isNaN(v) ? 'NaN' : v === Number.POSITIVE_INFINITY ? '+Inf' : v === Number.NEGATIVE_INFINITY ? '-Inf' : String(v));
	const escape = (s: string) => s.replace(/\\/g, '\\\\').replace(/"/g, '\\"').replace(/\n/g, '\\n');

	it('prints random expositions and reads back the same samples', () => {
		fc.assert(
			fc.property(fc.array(sampleArb, {maxLength: 40}), fc.boolean(), (samples, finalNewline) => {
				const lines = samples.map((s) => {
					const labels = s.labels.length === 0 ? '' : `{${s.labels.map(([k, v]) => `${k}="${escape(v)}"`).join(',')}}`;
					return `${s.name}${labels} ${goFloat(s.value)}${s.timestamp === undefined ? '' : ` ${s.timestamp}`}`;
				});
				const text = lines.join('\n') + (finalNewline ? '\n' : '');
				const parsed = collectAll(text);
				expect(parsed.report.malformed).toBe(0);
				expect(parsed.samples).toHaveLength(samples.length);
				parsed.samples.forEach((p, i) => {
					const s = samples[i]!;
					expect(p.name).toBe(s.name);
					expect(p.labels).toEqual(Object.fromEntries(s.labels));
					expect(Object.is(p.value, s.value) || (Number.isNaN(p.value) && Number.isNaN(s.value)) || p.value === s.value).toBe(true);
					expect(p.timestamp).toBe(s.timestamp);
				});
			}),
			{numRuns: 1500},
		);
	});
});
