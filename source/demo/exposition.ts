/**
 * A small metrics registry that writes what Traefik v3's Prometheus handler writes: families sorted
 * by name, labels sorted by name with `le` last, Go float formatting, HELP and TYPE lines.
 */

/** strconv.FormatFloat(v, 'g', -1, 64), as client_golang prints sample values. */
export function goFloat(v: number): string {
	if (Number.isNaN(v)) return 'NaN';
	if (v === Number.POSITIVE_INFINITY) return '+Inf';
	if (v === Number.NEGATIVE_INFINITY) return '-Inf';
	if (v === 0) return Object.is(v, -0) ? '-0' : '0';
	const [mantissa, exponentText] = v.toExponential().split('e');
	const exponent = Number(exponentText);
	// Go switches to the exponent form below 1e-4 and from 1e6 on (shortest %g uses precision 6).
	if (exponent < -4 || exponent >= 6) {
		const sign = exponent < 0 ? '-' : '+';
		return `${mantissa}e${sign}${String(Math.abs(exponent)).padStart(2, '0')}`;
	}
	return String(v);
}

type Kind = 'counter' | 'gauge' | 'histogram';

interface Family {
	readonly help: string;
	readonly kind: Kind;
	/** Label set (canonical text, sorted) -> value, or for histograms the bucket counts, sum and count. */
	readonly series: Map<string, number | Histogram>;
}

interface Histogram {
	readonly buckets: number[];
	sum: number;
	count: number;
}

/** Default buckets of metrics.prometheus.buckets. */
export const DEFAULT_BUCKETS = [0.1, 0.3, 1.2, 5] as const;

const escapeValue = (v: string): string => v.replace(/\\/g, '\\\\').replace(/"/g, '\\"').replace(/\n/g, '\\n');

function labelText(labels: Readonly<Record<string, string>>): string {
	return Object.keys(labels)
		.sort()
		.map((k) => `${k}="${escapeValue(labels[k]!)}"`)
		.join(',');
}

/** Counters, gauges and histograms, written out in Traefik's order. */
export class Registry {
	private readonly families = new Map<string, Family>();

	constructor(private readonly buckets: readonly number[] = DEFAULT_BUCKETS) {}

	private family(name: string, help: string, kind: Kind): Family {
		let f = this.families.get(name);
		if (f === undefined) {
			f = {help, kind, series: new Map()};
			this.families.set(name, f);
		}
		return f;
	}

	/** Adds to a counter. */
	inc(name: string, help: string, labels: Readonly<Record<string, string>>, by = 1): void {
		const series = this.family(name, help, 'counter').series;
		const key = labelText(labels);
		series.set(key, ((series.get(key) as number | undefined) ?? 0) + by);
	}

	/** Sets a gauge. */
	set(name: string, help: string, labels: Readonly<Record<string, string>>, value: number): void {
		this.family(name, help, 'gauge').series.set(labelText(labels), value);
	}

	/** Records one observation in a histogram. */
	observe(name: string, help: string, labels: Readonly<Record<string, string>>, value: number): void {
		const series = this.family(name, help, 'histogram').series;
		const key = labelText(labels);
		let h = series.get(key) as Histogram | undefined;
		if (h === undefined) {
			h = {buckets: this.buckets.map(() => 0), sum: 0, count: 0};
			series.set(key, h);
		}
		this.buckets.forEach((bound, i) => {
			if (value <= bound) h!.buckets[i]!++;
		});
		h.sum += value;
		h.count++;
	}

	/** Drops every series of a family (a certificate replaced, say). */
	clear(name: string): void {
		this.families.get(name)?.series.clear();
	}

	/** Drops every series of a family whose labels include `label="value"` (a server removed, say). */
	deleteMatching(name: string, label: string, value: string): void {
		const f = this.families.get(name);
		if (f === undefined) return;
		const needle = `${label}="${escapeValue(value)}"`;
		for (const key of f.series.keys()) if (key.split(',').includes(needle)) f.series.delete(key);
	}

	/** The exposition text. */
	render(): string {
		const out: string[] = [];
		for (const name of [...this.families.keys()].sort()) {
			const f = this.families.get(name)!;
			if (f.series.size === 0) continue;
			out.push(`# HELP ${name} ${f.help}`, `# TYPE ${name} ${f.kind}`);
			for (const key of [...f.series.keys()].sort()) {
				const value = f.series.get(key)!;
				const braces = (extra = ''): string => (key === '' && extra === '' ? '' : `{${[key, extra].filter(Boolean).join(',')}}`);
				if (typeof value === 'number') {
					out.push(`${name}${braces()} ${goFloat(value)}`);
					continue;
				}
				this.buckets.forEach((bound, i) => out.push(`${name}_bucket${braces(`le="${goFloat(bound)}"`)} ${goFloat(value.buckets[i]!)}`));
				out.push(`${name}_bucket${braces('le="+Inf"')} ${goFloat(value.count)}`);
				out.push(`${name}_sum${braces()} ${goFloat(value.sum)}`);
				out.push(`${name}_count${braces()} ${goFloat(value.count)}`);
			}
		}
		return `${out.join('\n')}\n`;
	}
}
