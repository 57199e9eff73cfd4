// The filter's regex engine: the same answers as JavaScript's on random patterns and texts, and
// linear time where backtracking would hang (measured in steps, not seconds).
import fc from 'fast-check';
import {describe, expect, it} from 'vitest';
import {compileLinear} from '../../source/format/linear-regex.js';

const RUNS = Number(process.env['FUZZ_RUNS'] ?? 1000);

/** Random patterns of the supported syntax, over a small alphabet so that they match often. */
const pattern: fc.Arbitrary<string> = fc.letrec((tie) => ({
	// At most two groups deep: the reference, RegExp itself, backtracks exponentially on deeper nests.
	atom: fc.oneof(
		{maxDepth: 2, depthIdentifier: 'group'},
		fc.constantFrom('a', 'b', 'c', 'A', '.', '\\d', '\\w', '\\s', '\\W', '[ab]', '[^a]', '[a-c]', '[A-Z0-9]', '\\.', '@', '-', '1'),
		tie('group'),
	),
	group: fc.tuple(tie('alt'), fc.boolean()).map(([inner, nonCapturing]) => `(${nonCapturing ? '?:' : ''}${inner as string})`),
	quantified: fc.tuple(tie('atom'), fc.constantFrom('', '', '*', '+', '?', '{2}', '{1,3}', '{0,2}', '{2,}', '*?', '+?')).map(([a, q]) => `${a as string}${q}`),
	seq: fc.array(tie('quantified'), {minLength: 1, maxLength: 4}).map((parts) => (parts as string[]).join('')),
	alt: fc.array(tie('seq'), {minLength: 1, maxLength: 3}).map((parts) => (parts as string[]).join('|')),
	top: fc.tuple(fc.constantFrom('', '^', '\\b'), tie('alt'), fc.constantFrom('', '$', '\\b')).map(([a, b, c]) => `${a}${b as string}${c}`),
})).top;

const text = fc.array(fc.constantFrom('a', 'b', 'c', 'A', 'B', '1', ' ', '@', '-', '.', 'é', '_'), {maxLength: 10}).map((cs) => cs.join(''));

describe('compileLinear', () => {
	it('answers as RegExp does, case-sensitive and not', () => {
		fc.assert(
			fc.property(pattern, text, fc.boolean(), (source, input, ignoreCase) => {
				const flags = ignoreCase ? 'i' : '';
				expect(compileLinear(source, flags).test(input), `/${source}/${flags} on ${JSON.stringify(input)}`).toBe(new RegExp(source, flags).test(input));
			}),
			// A fixed seed: RegExp, the reference, may backtrack for minutes on an unlucky draw.
			{numRuns: RUNS * 5, seed: 20261201},
		);
	});

	it('runs (a+)+$ on a long name without backtracking', () => {
		const re = compileLinear('(a+)+$');
		const name = `${'a'.repeat(20_000)}!`;
		expect(re.test(name)).toBe(false);
		expect(compileLinear('(x+x+)+y').test('x'.repeat(5000))).toBe(false);
		expect(compileLinear('(.*a){12}').test('a'.repeat(3000))).toBe(true);
	});

	it('refuses what needs backtracking, in words', () => {
		expect(() => compileLinear('(a)\\1')).toThrow(/backreferences are not supported/);
		expect(() => compileLinear('a(?=b)')).toThrow(/lookahead and lookbehind are not supported/);
		expect(() => compileLinear('(?<!x)a')).toThrow(/lookahead and lookbehind are not supported/);
		expect(() => compileLinear('a{5,2}')).toThrow(/out of order/);
		expect(() => compileLinear('(')).toThrow(/unterminated group/);
		expect(() => compileLinear('[a')).toThrow(/unterminated character class/);
		expect(() => compileLinear('*a')).toThrow(/nothing to repeat/);
		expect(() => compileLinear('((a{1000}){1000}){1000}')).toThrow(/too large|count above/);
	});
});
