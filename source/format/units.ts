/** Units as an operator reads them: 1.2k, 3.4 MiB, 12%, 1m05s. Pure. */

/** A count or rate in at most 5 characters: 999, 1.2k, 12k, 1.2M. */
export function formatCount(value: number | null | undefined, digits = 1): string {
	if (value === null || value === undefined || !Number.isFinite(value)) return '-';
	const abs = Math.abs(value);
	if (abs >= 1e9) return `${(value / 1e9).toFixed(abs >= 1e10 ? 0 : 1)}G`;
	if (abs >= 1e6) return `${(value / 1e6).toFixed(abs >= 1e7 ? 0 : 1)}M`;
	if (abs >= 1e4) return `${Math.round(value / 1e3)}k`;
	if (abs >= 1e3) return `${(value / 1e3).toFixed(1)}k`;
	if (Number.isInteger(value)) return String(value);
	return value.toFixed(abs >= 100 ? 0 : digits);
}

/**
 * A rate in a fixed shape, so that the digits do not jump between polls: one decimal under 100
 * (22.0, 6.5), whole numbers to 9,999 (250), then 12k, 1.2M.
 */
export function formatRate(value: number | null | undefined): string {
	if (value === null || value === undefined || !Number.isFinite(value)) return '-';
	const abs = Math.abs(value);
	if (abs >= 1e4) return formatCount(value);
	if (abs >= 100) return String(Math.round(value));
	return value.toFixed(1);
}

/** Bytes with a binary unit: 512B, 1.5KiB, 12MiB. */
export function formatBytes(value: number | null | undefined): string {
	if (value === null || value === undefined || !Number.isFinite(value)) return '-';
	const units = ['B', 'KiB', 'MiB', 'GiB', 'TiB'];
	let v = value;
	let unit = 0;
	while (Math.abs(v) >= 1024 && unit < units.length - 1) {
		v /= 1024;
		unit++;
	}
	return `${unit === 0 || v >= 100 ? Math.round(v) : v.toFixed(1)}${units[unit]}`;
}

/** A ratio as a percentage: 0.123 -> "12%", small ones with a decimal: "0.5%". */
export function formatPercent(ratio: number | null | undefined): string {
	if (ratio === null || ratio === undefined || !Number.isFinite(ratio)) return '-';
	const pct = ratio * 100;
	// One decimal under 10 %, zero included: a column keeps its shape from poll to poll.
	if (Math.abs(pct) < 9.95) return `${pct.toFixed(1)}%`;
	return `${Math.round(pct)}%`;
}

/** A duration in seconds, compact: 45s, 3m05s, 2h10m, 3d04h. */
export function formatAge(seconds: number | null | undefined): string {
	if (seconds === null || seconds === undefined || !Number.isFinite(seconds)) return '-';
	const s = Math.max(0, Math.floor(seconds));
	if (s < 60) return `${s}s`;
	if (s < 3600) return `${Math.floor(s / 60)}m${String(s % 60).padStart(2, '0')}s`;
	if (s < 86400) return `${Math.floor(s / 3600)}h${String(Math.floor((s % 3600) / 60)).padStart(2, '0')}m`;
	return `${Math.floor(s / 86400)}d${String(Math.floor((s % 86400) / 3600)).padStart(2, '0')}h`;
}

/** A latency in seconds as ms or s: 0.0042 -> "4.2ms", 1.5 -> "1.50s". */
export function formatLatency(seconds: number | null | undefined): string {
	if (seconds === null || seconds === undefined || !Number.isFinite(seconds)) return '-';
	if (seconds === Number.POSITIVE_INFINITY) return '+Inf';
	const ms = seconds * 1000;
	if (ms < 10) return `${ms.toFixed(1)}ms`;
	if (ms < 1000) return `${Math.round(ms)}ms`;
	if (Number.isInteger(seconds)) return `${seconds}s`;
	return `${seconds.toFixed(seconds < 10 ? 2 : 1)}s`;
}
