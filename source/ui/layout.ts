/**
 * How the screen divides its rows among the panels. Rows go by claim: first what an incident
 * needs (active alerts, and the rows in breach of each table), then a chart line each, then the
 * other rows of the tables, then the charts grow. So at 80x24 the charts shrink before a table
 * loses a row in breach. Pure.
 */

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
	/** Whether the latency panel shows its line of shares under each bound. */
	readonly latencyShares: boolean;
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
	readonly servicesInBreach: number;
	readonly backends: number;
	readonly backendsInBreach: number;
	readonly entrypoints: number;
	/** Active alerts plus the resolved ones worth a line. */
	readonly alerts: number;
	readonly activeAlerts: number;
}

type Panel = 'chart' | 'shares' | 'strips' | 'services' | 'backends' | 'entrypoints' | 'alerts';

/** Gives `free` rows to claims in order; a claim asks up to `rows` more rows for a panel. */
function allocate(free: number, base: Record<Panel, number>, claims: readonly [Panel, number][]): Record<Panel, number> {
	const got = {...base};
	let left = free - Object.values(base).reduce((a, b) => a + b, 0);
	for (const [panel, rows] of claims) {
		const take = Math.max(0, Math.min(rows, left));
		got[panel] += take;
		left -= take;
	}
	return got;
}

/**
 * The layout of a `columns` x `rows` terminal, every line accounted for; null below the minimum.
 * Stacked: header 2, traffic 1+chart, latency 1+shares+strips, services 2+n, backends 2+n,
 * entry points 2+n, alerts 1+n, footer 1. Wide: traffic | latency, services | alerts + entry points,
 * backends.
 */
export function layoutFor(columns: number, rows: number, counts: Counts): Layout | null {
	if (columns < MIN_COLUMNS || rows < MIN_ROWS) return null;
	const wide = columns >= WIDE_COLUMNS;
	const services = Math.max(1, counts.services);
	const backends = Math.max(1, counts.backends);
	const entrypoints = Math.max(1, counts.entrypoints);
	const alerts = Math.max(1, counts.alerts);
	if (wide) return wideLayout(columns, rows, counts, {services, backends, entrypoints, alerts});
	// Fixed lines: header 2, footer 1, the titles of traffic and latency, the titles and headers of the tables.
	const free = rows - 3 - 1 - 1 - 2 - 2 - 2 - 1;
	const got = allocate(free, {chart: 1, shares: 0, strips: 0, services: 1, backends: 1, entrypoints: 1, alerts: 1}, [
		['alerts', Math.min(counts.activeAlerts, 6) - 1],
		['backends', Math.min(counts.backendsInBreach, 8) - 1],
		['services', Math.min(counts.servicesInBreach, 6) - 1],
		['alerts', Math.min(counts.activeAlerts, 10) - Math.min(counts.activeAlerts, 6)],
		['chart', 1],
		['shares', 1],
		['backends', Math.min(counts.backendsInBreach, 20) - Math.min(counts.backendsInBreach, 8)],
		['services', Math.min(counts.servicesInBreach, 12) - Math.min(counts.servicesInBreach, 6)],
		['entrypoints', Math.min(entrypoints, 3) - 1],
		['backends', Math.min(backends, 6) - Math.max(1, Math.min(counts.backendsInBreach, 20))],
		['services', Math.min(services, 6) - Math.max(1, Math.min(counts.servicesInBreach, 12))],
		['alerts', alerts - Math.max(1, Math.min(counts.activeAlerts, 10))],
		['strips', Math.min(counts.buckets, 6)],
		['chart', 3],
		['backends', backends],
		['services', services],
		['entrypoints', entrypoints],
		['chart', 3],
	]);
	return {
		width: columns,
		wide,
		chartRows: got.chart,
		latencyShares: got.shares > 0,
		latencyStrips: got.strips,
		serviceRows: got.services,
		backendRows: got.backends,
		entryPointRows: got.entrypoints,
		alertRows: got.alerts,
	};
}

/** Side by side: the charts, then services beside alerts and entry points, then the backends full width. */
function wideLayout(columns: number, rows: number, counts: Counts, need: {services: number; backends: number; entrypoints: number; alerts: number}): Layout {
	// Header 2, footer 1, the charts' title 1, the titles and headers of services and backends 4.
	const free = rows - 3 - 1 - 4;
	// The side column fits beside what is left once the charts and the backends have two rows each.
	const sideRoom = free - 2 - 2 + 2 - 3;
	const alertRows = Math.max(1, Math.min(need.alerts, 10, sideRoom - 1));
	const entryPointRows = Math.max(1, Math.min(need.entrypoints, 6, sideRoom - alertRows));
	// Beside the services: the alerts' title and rows, the entry points' title, header and rows.
	const sideRows = 1 + alertRows + 2 + entryPointRows - 2;
	const got = allocate(free, {chart: 2, shares: 0, strips: 0, services: sideRows, backends: 2, entrypoints: 0, alerts: 0}, [
		['backends', Math.min(counts.backendsInBreach, 30) - 2],
		['services', Math.min(counts.servicesInBreach, 20) - sideRows],
		['chart', 3],
		['backends', Math.min(need.backends, 12) - Math.max(2, Math.min(counts.backendsInBreach, 30))],
		['services', Math.min(need.services, 12) - Math.max(sideRows, Math.min(counts.servicesInBreach, 20))],
		['chart', 3],
		['backends', need.backends],
		['services', need.services],
		['chart', 6],
	]);
	return {
		width: columns,
		wide: true,
		chartRows: got.chart,
		latencyShares: true,
		latencyStrips: Math.min(counts.buckets, got.chart - 1),
		serviceRows: got.services,
		backendRows: got.backends,
		entryPointRows,
		alertRows,
	};
}
