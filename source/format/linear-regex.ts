/**
 * Regular expressions run in linear time: a Thompson NFA walked as a Pike VM, so that no pattern
 * typed in the filter (`/(a+)+$/` against a long name) can hang the screen. JavaScript's syntax,
 * less what needs backtracking: backreferences and lookaround are refused in words. Matching is
 * a test (no captures), case-insensitive when asked. Pure.
 */

/** One instruction of the program. */
type Op =
	| {readonly kind: 'char'; readonly test: (c: number) => boolean; next: number}
	| {readonly kind: 'split'; a: number; b: number}
	| {readonly kind: 'jump'; to: number}
	| {readonly kind: 'assert'; readonly what: 'start' | 'end' | 'word' | 'notWord'; next: number}
	| {readonly kind: 'match'};

/** A parsed piece of pattern. */
type Node =
	| {readonly type: 'char'; readonly test: (c: number) => boolean}
	| {readonly type: 'assert'; readonly what: 'start' | 'end' | 'word' | 'notWord'}
	| {readonly type: 'seq'; readonly items: readonly Node[]}
	| {readonly type: 'alt'; readonly options: readonly Node[]}
	| {readonly type: 'repeat'; readonly node: Node; readonly min: number; readonly max: number};

/** Above this the pattern is refused rather than expanded (`(a{100}){100}`). */
const MAX_PROGRAM = 20_000;
const MAX_COUNT = 1000;

const isWordChar = (c: number): boolean => (c >= 0x30 && c <= 0x39) || (c >= 0x41 && c <= 0x5a) || (c >= 0x61 && c <= 0x7a) || c === 0x5f;
const isSpace = (c: number): boolean =>
	c === 0x20 ||
	(c >= 0x09 && c <= 0x0d) ||
	c === 0xa0 ||
	c === 0x1680 ||
	(c >= 0x2000 && c <= 0x200a) ||
	c === 0x2028 ||
	c === 0x2029 ||
	c === 0x202f ||
	c === 0x205f ||
	c === 0x3000 ||
	c === 0xfeff;
const isDigit = (c: number): boolean => c >= 0x30 && c <= 0x39;
const isLineEnd = (c: number): boolean => c === 0x0a || c === 0x0d || c === 0x2028 || c === 0x2029;

/** Lower-case of a code unit for case-insensitive matching (ASCII and what toLowerCase maps one to one). */
function fold(c: number): number {
	if (c >= 0x41 && c <= 0x5a) return c + 32;
	if (c < 0x80) return c;
	const lower = String.fromCharCode(c).toLowerCase();
	return lower.length === 1 ? lower.charCodeAt(0) : c;
}

class Parser {
	private i = 0;
	constructor(
		private readonly src: string,
		private readonly ignoreCase: boolean,
	) {}

	parse(): Node {
		const node = this.alternation();
		if (this.i < this.src.length) throw new SyntaxError(this.src[this.i] === ')' ? 'unmatched )' : `unexpected ${this.src[this.i]}`);
		return node;
	}

	private peek(): string | undefined {
		return this.src[this.i];
	}

	private alternation(): Node {
		const options = [this.sequence()];
		while (this.peek() === '|') {
			this.i++;
			options.push(this.sequence());
		}
		return options.length === 1 ? options[0]! : {type: 'alt', options};
	}

	private sequence(): Node {
		const items: Node[] = [];
		while (this.i < this.src.length && this.peek() !== '|' && this.peek() !== ')') items.push(this.quantified());
		return {type: 'seq', items};
	}

	private quantified(): Node {
		const atom = this.atom();
		for (;;) {
			const c = this.peek();
			let min: number;
			let max: number;
			if (c === '*') [min, max] = [0, Infinity];
			else if (c === '+') [min, max] = [1, Infinity];
			else if (c === '?') [min, max] = [0, 1];
			else if (c === '{' && /^\{\d+(,\d*)?\}/.test(this.src.slice(this.i))) {
				const m = /^\{(\d+)(,(\d*))?\}/.exec(this.src.slice(this.i))!;
				min = Number(m[1]);
				max = m[2] === undefined ? min : m[3] === '' ? Infinity : Number(m[3]);
				if (max < min) throw new SyntaxError('numbers out of order in {} quantifier');
				if (min > MAX_COUNT || (max !== Infinity && max > MAX_COUNT)) throw new SyntaxError(`a count above ${MAX_COUNT}`);
				this.i += m[0].length - 1;
			} else return atom;
			this.i++;
			if (this.peek() === '?') this.i++; // lazy: the same for a test
			if (atom.type === 'assert') throw new SyntaxError('nothing to repeat');
			return {type: 'repeat', node: atom, min, max};
		}
	}

	private atom(): Node {
		const c = this.src[this.i++]!;
		switch (c) {
			case '(':
				return this.group();
			case '[':
				return this.charClass();
			case '.':
				return {type: 'char', test: (x) => !isLineEnd(x)};
			case '^':
				return {type: 'assert', what: 'start'};
			case '$':
				return {type: 'assert', what: 'end'};
			case '\\':
				return this.escapeNode();
			case '*':
			case '+':
			case '?':
				throw new SyntaxError('nothing to repeat');
			default:
				return this.literal(c.charCodeAt(0));
		}
	}

	private literal(code: number): Node {
		if (!this.ignoreCase) return {type: 'char', test: (x) => x === code};
		const folded = fold(code);
		return {type: 'char', test: (x) => fold(x) === folded};
	}

	private group(): Node {
		if (this.src.startsWith('?:', this.i)) this.i += 2;
		else if (
			this.src.startsWith('?=', this.i) ||
			this.src.startsWith('?!', this.i) ||
			this.src.startsWith('?<=', this.i) ||
			this.src.startsWith('?<!', this.i)
		) {
			throw new SyntaxError('lookahead and lookbehind are not supported (they need backtracking)');
		} else if (this.src.startsWith('?<', this.i)) {
			const end = this.src.indexOf('>', this.i);
			if (end < 0) throw new SyntaxError('invalid group name');
			this.i = end + 1;
		} else if (this.peek() === '?') throw new SyntaxError('invalid group');
		const inner = this.alternation();
		if (this.src[this.i++] !== ')') throw new SyntaxError('unterminated group');
		return inner;
	}

	/** What an escape after `\` stands for: one code unit, a set of them, or (outside a class) an assertion. */
	private escape(inClass: boolean): {code: number} | {set: (c: number) => boolean} | {assert: 'word' | 'notWord'} {
		const c = this.src[this.i++];
		if (c === undefined) throw new SyntaxError('\\ at end of pattern');
		switch (c) {
			case 'd':
				return {set: isDigit};
			case 'D':
				return {set: (x) => !isDigit(x)};
			case 'w':
				return {set: isWordChar};
			case 'W':
				return {set: (x) => !isWordChar(x)};
			case 's':
				return {set: isSpace};
			case 'S':
				return {set: (x) => !isSpace(x)};
			case 'b':
				return inClass ? {code: 0x08} : {assert: 'word'};
			case 'B':
				if (inClass) throw new SyntaxError('\\B in a character class');
				return {assert: 'notWord'};
			case 'n':
				return {code: 0x0a};
			case 'r':
				return {code: 0x0d};
			case 't':
				return {code: 0x09};
			case 'f':
				return {code: 0x0c};
			case 'v':
				return {code: 0x0b};
			case '0':
				return {code: 0};
			case 'x':
			case 'u': {
				const digits = c === 'x' ? 2 : 4;
				const hex = this.src.slice(this.i, this.i + digits);
				if (!new RegExp(`^[0-9a-fA-F]{${digits}}$`).test(hex)) throw new SyntaxError(`invalid \\${c} escape`);
				this.i += digits;
				return {code: Number.parseInt(hex, 16)};
			}
			default:
				if (c >= '1' && c <= '9') throw new SyntaxError('backreferences are not supported (they need backtracking)');
				if (/[a-zA-Z]/.test(c)) throw new SyntaxError(`invalid escape \\${c}`);
				return {code: c.charCodeAt(0)};
		}
	}

	/** A node for an escape outside a class. */
	private escapeNode(): Node {
		const e = this.escape(false);
		if ('assert' in e) return {type: 'assert', what: e.assert};
		if ('set' in e) return {type: 'char', test: e.set};
		return this.literal(e.code);
	}

	private charClass(): Node {
		let negate = false;
		if (this.peek() === '^') {
			negate = true;
			this.i++;
		}
		const tests: ((c: number) => boolean)[] = [];
		const same = this.ignoreCase ? (x: number, code: number) => fold(x) === fold(code) : (x: number, code: number) => x === code;
		while (this.peek() !== ']') {
			if (this.i >= this.src.length) throw new SyntaxError('unterminated character class');
			const from = this.classAtom();
			if (this.peek() === '-' && this.src[this.i + 1] !== ']' && this.i + 1 < this.src.length && typeof from === 'number') {
				this.i++;
				const to = this.classAtom();
				if (typeof to !== 'number') throw new SyntaxError('invalid range in a character class');
				if (to < from) throw new SyntaxError('range out of order in character class');
				tests.push(this.ignoreCase ? (x) => (x >= from && x <= to) || rangeHasFolded(from, to, x) : (x) => x >= from && x <= to);
			} else if (typeof from === 'number') tests.push((x) => same(x, from));
			else tests.push(from);
		}
		this.i++;
		return {type: 'char', test: negate ? (x) => !tests.some((t) => t(x)) : (x) => tests.some((t) => t(x))};
	}

	/** One code unit, or a set (\\d, \\w, ...), inside a class. */
	private classAtom(): number | ((c: number) => boolean) {
		const c = this.src[this.i++]!;
		if (c !== '\\') return c.charCodeAt(0);
		const e = this.escape(true);
		if ('set' in e) return e.set;
		if ('code' in e) return e.code;
		throw new SyntaxError('invalid escape in a character class');
	}
}

/** Whether `x` matches the range [from, to] case-insensitively: some letter in the range folds to x's fold. */
function rangeHasFolded(from: number, to: number, x: number): boolean {
	const target = fold(x);
	const upper = String.fromCharCode(x).toUpperCase();
	const u = upper.length === 1 ? upper.charCodeAt(0) : x;
	return (u >= from && u <= to) || (target >= from && target <= to);
}

/** Compiles a node into `ops`; returns the entry index. `next` is where it continues. */
function emit(node: Node, ops: Op[], next: number): number {
	if (ops.length > MAX_PROGRAM) throw new SyntaxError('the pattern is too large');
	switch (node.type) {
		case 'char':
			ops.push({kind: 'char', test: node.test, next});
			return ops.length - 1;
		case 'assert':
			ops.push({kind: 'assert', what: node.what, next});
			return ops.length - 1;
		case 'seq': {
			let entry = next;
			for (let k = node.items.length - 1; k >= 0; k--) entry = emit(node.items[k]!, ops, entry);
			return entry;
		}
		case 'alt': {
			let entry = emit(node.options[node.options.length - 1]!, ops, next);
			for (let k = node.options.length - 2; k >= 0; k--) {
				const option = emit(node.options[k]!, ops, next);
				ops.push({kind: 'split', a: option, b: entry});
				entry = ops.length - 1;
			}
			return entry;
		}
		case 'repeat': {
			let entry: number;
			if (node.max === Infinity) {
				// A loop: split into the node (which comes back to the split) or on.
				ops.push({kind: 'split', a: -1, b: next});
				const loop = ops.length - 1;
				(ops[loop] as {a: number}).a = emit(node.node, ops, loop);
				entry = loop;
			} else {
				// X{2,4} is X X (X (X)?)?: each optional copy leads to the next one, or skips to the end.
				entry = next;
				for (let k = node.min; k < node.max; k++) {
					const body = emit(node.node, ops, entry);
					ops.push({kind: 'split', a: body, b: next});
					entry = ops.length - 1;
				}
			}
			for (let k = 0; k < node.min; k++) entry = emit(node.node, ops, entry);
			return entry;
		}
	}
}

/** A compiled pattern. */
export interface LinearRegex {
	test(text: string): boolean;
}

/** Compiles `source` (JavaScript regex syntax without backreferences and lookaround); throws a SyntaxError in words. */
export function compileLinear(source: string, flags = ''): LinearRegex {
	const ignoreCase = flags.includes('i');
	const tree = new Parser(source, ignoreCase).parse();
	const ops: Op[] = [{kind: 'match'}];
	const start = emit(tree, ops, 0);
	return {test: (text) => run(ops, start, text)};
}

function run(ops: readonly Op[], start: number, text: string): boolean {
	const n = ops.length;
	let current = new Int32Array(n);
	let next = new Int32Array(n);
	let currentCount = 0;
	let nextCount = 0;
	const onList = new Int32Array(n).fill(-1);
	const stack = new Int32Array(n * 2 + 2);
	/** Adds `pc` and every state it reaches without reading, at position `at`, to the list. */
	const add = (list: Int32Array, count: number, pc: number, at: number, stamp: number): number => {
		let top = 0;
		stack[top++] = pc;
		while (top > 0) {
			const p = stack[--top]!;
			if (onList[p] === stamp) continue;
			onList[p] = stamp;
			const op = ops[p]!;
			if (op.kind === 'jump') stack[top++] = op.to;
			else if (op.kind === 'split') {
				stack[top++] = op.b;
				stack[top++] = op.a;
			} else if (op.kind === 'assert') {
				const before = at > 0 ? text.charCodeAt(at - 1) : -1;
				const after = at < text.length ? text.charCodeAt(at) : -1;
				const boundary = (before >= 0 && isWordChar(before)) !== (after >= 0 && isWordChar(after));
				const ok = op.what === 'start' ? at === 0 : op.what === 'end' ? at === text.length : op.what === 'word' ? boundary : !boundary;
				if (ok) stack[top++] = op.next;
			} else list[count++] = p;
		}
		return count;
	};
	let stamp = 0;
	for (let at = 0; ; at++) {
		// A match may start anywhere: a new thread at every position (the list is deduplicated).
		currentCount = add(current, currentCount, start, at, stamp);
		for (let k = 0; k < currentCount; k++) if (ops[current[k]!]!.kind === 'match') return true;
		if (at >= text.length) return false;
		const c = text.charCodeAt(at);
		stamp++;
		nextCount = 0;
		for (let k = 0; k < currentCount; k++) {
			const op = ops[current[k]!]!;
			if (op.kind === 'char' && op.test(c)) nextCount = add(next, nextCount, op.next, at + 1, stamp);
		}
		[current, next] = [next, current];
		currentCount = nextCount;
	}
}
