/**
 * Prometheus text exposition format 0.0.4, parsed straight into a sink: no object per sample,
 * label pairs in reused arrays, families the sink does not want skipped after their name.
 * Traefik is scraped every second and big installations expose 200k+ series: this is hot.
 */
import type {ParseReport} from '../domain/harvest.js';

/** Labels of the sample being visited; valid only during the `sample` call. */
export class Labels {
	readonly names: string[] = [];
	readonly values: string[] = [];
	count = 0;

	/** The value of a label, or undefined. */
	get(name: string): string | undefined {
		for (let i = 0; i < this.count; i++) if (this.names[i] === name) return this.values[i];
		return undefined;
	}

	/** A copy as a plain object (for tests and rare paths). */
	toObject(): Record<string, string> {
		const out: Record<string, string> = {};
		for (let i = 0; i < this.count; i++) out[this.names[i]!] = this.values[i]!;
		return out;
	}
}

/** Receives the samples of an exposition. */
export interface ExpositionSink {
	/** Asked once per distinct metric name: false skips its lines without reading them. */
	wants(name: string): boolean;
	sample(name: string, labels: Labels, value: number, timestampMs: number | undefined): void;
	help?(name: string, text: string): void;
	type?(name: string, type: string): void;
}

const MAX_ERRORS = 5;

const isNameStart = (c: number): boolean => (c >= 0x61 && c <= 0x7a) || (c >= 0x41 && c <= 0x5a) || c === 0x5f || c === 0x3a;
const isNameChar = (c: number): boolean => isNameStart(c) || (c >= 0x30 && c <= 0x39);
const isLabelStart = (c: number): boolean => (c >= 0x61 && c <= 0x7a) || (c >= 0x41 && c <= 0x5a) || c === 0x5f;
const isLabelChar = (c: number): boolean => isLabelStart(c) || (c >= 0x30 && c <= 0x39);

const RECENT_NAMES = 8;

/** Parses a sample value as Go's strconv.ParseFloat would (Inf/NaN spellings included). */
export function parseValue(token: string): number {
	if (token.length === 0) return Number.NaN;
	const n = Number(token);
	if (!Number.isNaN(n)) return n;
	switch (token.toLowerCase()) {
		case '+inf':
		case 'inf':
		case '+infinity':
		case 'infinity':
			return Number.POSITIVE_INFINITY;
		case '-inf':
		case '-infinity':
			return Number.NEGATIVE_INFINITY;
		case 'nan':
			return Number.NaN;
		default:
			return Number.NaN;
	}
}

/** True for the Inf/NaN spellings Go accepts (NaN is a value, not junk). */
const isSpecialValue = (token: string): boolean => /^[+-]?(inf(inity)?|nan)$/i.test(token);

/** JavaScript also reads 0x1F, 0b1 and 0o7 as numbers; Go's ParseFloat and Prometheus do not. */
function isRadixLiteral(token: string): boolean {
	if (token.charCodeAt(0) !== 0x30) return false;
	const c = token.charCodeAt(1) | 0x20;
	return c === 0x78 || c === 0x62 || c === 0x6f;
}

function unescapeLabel(raw: string): string {
	return raw.replace(/\\(.)/g, (_, c: string) => (c === 'n' ? '\n' : c));
}

/** Parses `text`, calling the sink for every wanted sample. Never throws on bad input. */
export function parseExposition(text: string, sink: ExpositionSink): ParseReport {
	const n = text.length;
	const labels = new Labels();
	const wanted = new Map<string, boolean>();
	const errors: string[] = [];
	let lines = 0;
	let samples = 0;
	let malformed = 0;
	let lineNo = 0;
	// The last few distinct metric names with the sink's answer: lines of a family come together,
	// and a histogram's lines cycle through _bucket, _sum and _count.
	const recentNames: string[] = [];
	const recentWanted: boolean[] = [];
	let nextRecent = 0;
	let pos = 0;
	// Position of the next backslash in the text (-1: none left), so label values need no char loop.
	let nextBackslash = text.indexOf('\\');

	const fail = (message: string): void => {
		malformed++;
		if (errors.length < MAX_ERRORS) errors.push(`line ${lineNo}: ${message}`);
	};

	while (pos < n) {
		lineNo++;
		let end = text.indexOf('\n', pos);
		if (end < 0) end = n;
		let p = pos;
		pos = end + 1;
		while (p < end && (text.charCodeAt(p) === 0x20 || text.charCodeAt(p) === 0x09)) p++;
		if (p >= end || (p === end - 1 && text.charCodeAt(p) === 0x0d)) continue;
		const first = text.charCodeAt(p);
		if (first === 0x23 /* # */) {
			if (sink.help === undefined && sink.type === undefined) continue;
			const m = /^#[ \t]+(HELP|TYPE)[ \t]+([a-zA-Z_:][a-zA-Z0-9_:]*)(?:[ \t]+(.*))?$/.exec(text.slice(p, end).replace(/\r$/, ''));
			if (m?.[1] === 'HELP')
				sink.help?.(
					m[2]!,
					(m[3] ?? '').replace(/\\(\\|n)/g, (_, c: string) => (c === 'n' ? '\n' : '\\')),
				);
			else if (m?.[1] === 'TYPE') sink.type?.(m[2]!, (m[3] ?? '').trim());
			continue;
		}
		lines++;
		// Metric name: reuse a recent line's when it repeats. The cheap test first (the character
		// after it must end a name), then a slice and ===, which compares in native code: a
		// character loop or startsWith costs three times as much on these 30-50 character names.
		let name = '';
		let isWanted = false;
		let q = -1;
		for (let r = 0; r < recentNames.length; r++) {
			const candidate = recentNames[r]!;
			const after = p + candidate.length;
			const c = text.charCodeAt(after);
			if ((c === 0x7b || c === 0x20 || c === 0x09) && text.slice(p, after) === candidate) {
				name = candidate;
				isWanted = recentWanted[r]!;
				q = after;
				break;
			}
		}
		if (q < 0) {
			if (!isNameStart(first)) {
				fail(`not a metric line: "${text.slice(p, Math.min(end, p + 40))}"`);
				continue;
			}
			q = p + 1;
			while (q < end && isNameChar(text.charCodeAt(q))) q++;
			name = text.slice(p, q);
			let w = wanted.get(name);
			if (w === undefined) {
				w = sink.wants(name);
				wanted.set(name, w);
			}
			isWanted = w;
			recentNames[nextRecent] = name;
			recentWanted[nextRecent] = w;
			nextRecent = (nextRecent + 1) % RECENT_NAMES;
		}
		if (!isWanted) continue;
		// Labels
		labels.count = 0;
		let ok = true;
		if (text.charCodeAt(q) === 0x7b /* { */) {
			q++;
			for (;;) {
				while (q < end && (text.charCodeAt(q) === 0x20 || text.charCodeAt(q) === 0x09)) q++;
				if (text.charCodeAt(q) === 0x7d /* } */) {
					q++;
					break;
				}
				const ls = q;
				// Lines of a family repeat their label names: when the previous line's name is here,
				// reuse its string and skip the character checks.
				const i = labels.count;
				const previousName = labels.names[i];
				let labelName: string;
				if (previousName !== undefined && text.charCodeAt(ls + previousName.length) === 0x3d && text.slice(ls, ls + previousName.length) === previousName) {
					labelName = previousName;
					q = ls + previousName.length;
				} else {
					if (!isLabelStart(text.charCodeAt(q))) {
						fail(`bad label name in ${name}`);
						ok = false;
						break;
					}
					while (q < end && isLabelChar(text.charCodeAt(q))) q++;
					labelName = text.slice(ls, q);
					while (q < end && (text.charCodeAt(q) === 0x20 || text.charCodeAt(q) === 0x09)) q++;
				}
				if (text.charCodeAt(q) !== 0x3d /* = */ || text.charCodeAt(q + 1) !== 0x22 /* " */) {
					fail(`expected ="…" after label ${labelName} of ${name}`);
					ok = false;
					break;
				}
				q += 2;
				const vs = q;
				// The closing quote by native search; escapes (rare) take the slow path.
				if (nextBackslash !== -1 && nextBackslash < vs) nextBackslash = text.indexOf('\\', vs);
				let close = text.indexOf('"', vs);
				const escaped = nextBackslash !== -1 && nextBackslash < close;
				if (escaped) {
					close = vs;
					while (close < end) {
						const c = text.charCodeAt(close);
						if (c === 0x5c) close += 2;
						else if (c === 0x22) break;
						else close++;
					}
				}
				if (close < 0 || close >= end) {
					fail(`unterminated value of label ${labelName} of ${name}`);
					ok = false;
					break;
				}
				q = close;
				labels.names[i] = labelName;
				labels.values[i] = escaped ? unescapeLabel(text.slice(vs, q)) : text.slice(vs, q);
				labels.count++;
				q++;
				while (q < end && (text.charCodeAt(q) === 0x20 || text.charCodeAt(q) === 0x09)) q++;
				const sep = text.charCodeAt(q);
				if (sep === 0x2c /* , */) q++;
				else if (sep !== 0x7d) {
					fail(`expected , or } in the labels of ${name}`);
					ok = false;
					break;
				}
			}
			if (!ok) continue;
		}
		// Value and optional timestamp
		while (q < end && (text.charCodeAt(q) === 0x20 || text.charCodeAt(q) === 0x09)) q++;
		let ve = q;
		while (ve < end && text.charCodeAt(ve) !== 0x20 && text.charCodeAt(ve) !== 0x09 && text.charCodeAt(ve) !== 0x0d) ve++;
		// Counters and bucket counts are mostly plain integers: read those without a substring.
		let value = 0;
		let digits = 0;
		while (digits < 15 && q + digits < ve) {
			const c = text.charCodeAt(q + digits);
			if (c < 0x30 || c > 0x39) break;
			value = value * 10 + (c - 0x30);
			digits++;
		}
		if (digits === 0 || q + digits !== ve || (digits > 1 && text.charCodeAt(q) === 0x30)) {
			const token = text.slice(q, ve);
			value = Number(token);
			if (token.length === 0 || (Number.isNaN(value) && !isSpecialValue(token)) || isRadixLiteral(token)) {
				fail(`bad value "${token.slice(0, 30)}" for ${name}`);
				continue;
			}
			if (Number.isNaN(value)) value = parseValue(token);
		}
		let timestamp: number | undefined;
		q = ve;
		while (q < end && (text.charCodeAt(q) === 0x20 || text.charCodeAt(q) === 0x09 || text.charCodeAt(q) === 0x0d)) q++;
		if (q < end) {
			let te = q;
			while (te < end && text.charCodeAt(te) !== 0x20 && text.charCodeAt(te) !== 0x0d) te++;
			const ts = text.slice(q, te);
			if (!/^-?\d+$/.test(ts)) {
				fail(`bad timestamp "${ts.slice(0, 30)}" for ${name}`);
				continue;
			}
			timestamp = Number(ts);
		}
		samples++;
		sink.sample(name, labels, value, timestamp);
	}
	return {lines, samples, malformed, errors};
}
