/** How the screen divides its rows and columns among the panels. Pure. */

export const MIN_COLUMNS = 80;
export const MIN_ROWS = 24;
/** From this width the panels go side by side. */
export const WIDE_COLUMNS = 160;

export interface Layout {
	readonly width: number;
	/** Panels side by side (wide terminals) or stacked. */
	readonly wide: boolean;
	/** Height of the traffic chart in rows. */
	readonly chartRows: number;
	/** Latency strips shown (one per bucket). */
	readonly latencyStrips: number;
	readonly serviceRows: number;
	readonly backendRows: number;
	readonly entryPointRows: number;
	readonly alertRows: number;
}

export interface Counts {
	readonly buckets: number;
	readonly services: number;
	readonly backends: number;
	readonly entrypoints: number;
	readonly alerts: number;
}

/**
 * The layout of a `columns` x `rows` terminal, every line accounted for; null below the minimum.
 * Stacked: header 2, traffic 1+chart, latency 2+strips, services 2+n, backends 2+n,
 * entry points 2+n, alerts 1+n, footer 1. Wide: traffic | latency, services | alerts + entry points.
 */
export function layoutFor(columns: number, rows: number, counts: Counts): Layout | null {
	if (columns < MIN_COLUMNS || rows < MIN_ROWS) return null;
	const wide = columns >= WIDE_COLUMNS;
	const small = rows < 30;
	const chartRows = small ? 2 : Math.min(8, 3 + Math.floor((rows - 30) / 5));
	const entryPointRows = Math.max(1, Math.min(counts.entrypoints, small ? 2 : wide ? 6 : 3));
	const alertRows = Math.max(1, Math.min(counts.alerts, small ? 2 : wide ? 10 : 5));
	let free = rows - 2 - 1;
	let latencyStrips: number;
	if (wide) {
		latencyStrips = Math.min(counts.buckets, chartRows - 1);
		free -= 1 + chartRows;
		const side = 1 + alertRows + 2 + entryPointRows;
		free -= 2 + 2; // the titles and headers of services and backends
		const serviceRows = Math.max(side - 2, Math.min(Math.max(2, counts.services), Math.floor(free * 0.4)));
		// Room the tables do not need goes to the charts.
		const spare = Math.max(0, free - serviceRows - Math.max(2, counts.backends));
		const grown = chartRows + Math.min(spare, 12);
		return {
			width: columns,
			wide,
			chartRows: grown,
			latencyStrips: Math.min(counts.buckets, grown - 1),
			serviceRows,
			backendRows: Math.max(2, free - serviceRows - (grown - chartRows)),
			entryPointRows,
			alertRows,
		};
	}
	latencyStrips = small ? 0 : Math.min(counts.buckets, Math.max(0, Math.floor((rows - 30) / 3) + 2));
	free -= 1 + chartRows + 2 + latencyStrips + 2 + 2 + 2 + entryPointRows + 1 + alertRows;
	const serviceRows = Math.max(2, Math.min(Math.max(2, counts.services), Math.floor(free * 0.45)));
	const spare = Math.max(0, free - serviceRows - Math.max(2, counts.backends));
	const grown = chartRows + Math.min(spare, 6);
	return {
		width: columns,
		wide,
		chartRows: grown,
		latencyStrips,
		serviceRows,
		backendRows: Math.max(2, free - serviceRows - (grown - chartRows)),
		entryPointRows,
		alertRows,
	};
}
