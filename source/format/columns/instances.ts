/** The instances table (several targets): one row per Traefik instance, its identity, traffic, configuration and drift. */
import type {Snapshot} from '../../domain/snapshot.js';
import {alertRank, byNumber, byText, sortsOf, type Column, type TableDefinition} from '../table.js';
import {formatAge, formatCount, formatLatency, formatPercent, formatRate} from '../units.js';

type Instance = NonNullable<Snapshot['instances']>[number];
export type InstanceLevelKey = 'state' | 'config' | 'reload' | 'link';
/** An instance as the table shows it: with the pinned service's split when one is pinned. */
export type InstanceRow = Instance & {
	readonly levels: Partial<Record<InstanceLevelKey, 'ok' | 'warn' | 'crit'>>;
	/** The pinned service on this instance (its share of the service's requests, 5xx share, p95). */
	readonly split?: {readonly requestsPerSecond: number | null; readonly share: number | null; readonly errorRatio: number | null; readonly p95: number | null};
};
export type InstanceColumnKey =
	'name' | 'state' | 'link' | 'version' | 'uptime' | 'rps' | 'share' | 'err' | 'p95' | 'conns' | 'reload' | 'routers' | 'services' | 'servers' | 'config';

/** Seconds since the last reload at the snapshot's time. */
const reloadAge = (r: Instance): number | null => r.identity.configReloadAgeSeconds;
/** The traffic figures a row shows: the pinned service's on this instance, else the instance's own; cells and sorts read the same. */
const shown = (r: InstanceRow): {requestsPerSecond: number | null; errorRatio: number | null; p95: number | null} => r.split ?? r;

const columns: readonly Column<InstanceRow, InstanceColumnKey, InstanceLevelKey>[] = [
	{key: 'name', header: 'INSTANCE', width: 16, min: 8, cell: (r) => r.name, sort: (a, b) => byText(a.name, b.name), sortDirection: 'asc'},
	{key: 'state', header: 'STATE', width: 8, level: 'state', cell: (r) => r.state, sort: (a, b) => byText(b.state, a.state)},
	{
		key: 'link',
		header: 'SSH',
		width: 7,
		align: 'right',
		level: 'link',
		priority: 1,
		cell: (r) => (r.link === undefined ? 'local' : linkCell(r.link)),
		sort: (a, b) => byNumber(a.link?.rttMs ?? null, b.link?.rttMs ?? null),
	},
	{key: 'version', header: 'VERSION', width: 8, priority: 3, cell: (r) => r.identity.version ?? '-'},
	{key: 'uptime', header: 'UP', width: 6, align: 'right', priority: 4, cell: (r) => formatAge(r.identity.uptimeSeconds)},
	{
		key: 'rps',
		header: 'REQ/S',
		width: 6,
		align: 'right',
		cell: (r) => formatRate(shown(r).requestsPerSecond),
		sort: (a, b) => byNumber(shown(a).requestsPerSecond, shown(b).requestsPerSecond),
	},
	{key: 'share', header: 'SHARE', width: 5, align: 'right', priority: 5, cell: (r) => (r.split === undefined ? '' : formatPercent(r.split.share))},
	{
		key: 'err',
		header: '5XX%',
		width: 5,
		align: 'right',
		cell: (r) => formatPercent(shown(r).errorRatio),
		sort: (a, b) => byNumber(shown(a).errorRatio, shown(b).errorRatio),
	},
	{
		key: 'p95',
		header: 'P95',
		width: 6,
		align: 'right',
		cell: (r) => formatLatency(shown(r).p95),
		sort: (a, b) => byNumber(shown(a).p95, shown(b).p95),
	},
	{key: 'conns', header: 'CONNS', width: 5, align: 'right', priority: 2, cell: (r) => formatCount(r.identity.openConnections, 0)},
	{
		key: 'reload',
		header: 'RELOAD',
		width: 11,
		level: 'reload',
		priority: 6,
		cell: (r) => `${formatAge(reloadAge(r))}${r.configErrors === null ? '' : r.configErrors === 0 ? ' ok' : ` ${r.configErrors}err`}`,
		sort: (a, b) => byNumber(reloadAge(a), reloadAge(b)),
	},
	{
		key: 'routers',
		header: 'RTRS',
		width: 4,
		align: 'right',
		level: 'config',
		cell: (r) => formatCount(r.routers, 0),
		sort: (a, b) => byNumber(b.routers, a.routers),
	},
	{key: 'services', header: 'SVCS', width: 4, align: 'right', priority: 7, cell: (r) => formatCount(r.services, 0)},
	{key: 'servers', header: 'SRVS', width: 4, align: 'right', priority: 7, cell: (r) => formatCount(r.servers, 0)},
	{
		key: 'config',
		header: 'CONFIG',
		width: 14,
		level: 'config',
		cell: (r) => (r.fingerprint === null ? '-' : `${r.fingerprint.slice(0, 8)}${r.drift.length === 0 ? '' : ` ≠${r.drift.length}`}`),
		sort: (a, b) => b.drift.length - a.drift.length,
	},
];

/** An SSH link in a cell: its round trip when connected, else its state. */
export function linkCell(link: NonNullable<Instance['link']>): string {
	if (link.state === 'connected') return link.rttMs === null ? 'up' : formatLatency(link.rttMs / 1000);
	return link.state === 'connecting' ? 'conn…' : 'retry';
}

/** The columns for these rows: SHARE only when a pinned service splits them, SSH only when an instance is read over SSH. */
export function instanceColumns(rows: readonly InstanceRow[]): readonly Column<InstanceRow, InstanceColumnKey, InstanceLevelKey>[] {
	const split = rows.some((r) => r.split !== undefined);
	const ssh = rows.some((r) => r.link !== undefined);
	return columns.filter((c) => (c.key !== 'share' || split) && (c.key !== 'link' || ssh));
}

/** Instances with an active alert first, then in the order given. */
const byAlert = (a: InstanceRow, b: InstanceRow): number => alertRank(b) - alertRank(a);

export const INSTANCES_TABLE: TableDefinition<InstanceRow, InstanceColumnKey, InstanceLevelKey> = {
	columns,
	sorts: sortsOf(columns, [
		{key: 'given', compare: () => 0, direction: 'asc'},
		{key: 'alert', compare: byAlert, direction: 'desc'},
	]),
};

/** The instances of a snapshot as rows: levels from their state and drift, the pinned service's split. */
export function instanceTableRows(snapshot: Snapshot | null): InstanceRow[] {
	const pinned = snapshot?.filter.service === null ? undefined : snapshot?.services[0];
	const stale = new Set<string>();
	const drifted = new Map<string, 'warn' | 'crit'>();
	for (const a of snapshot?.alerts ?? []) {
		if (a.rule === 'reload_stale') stale.add(a.subject);
		else if (a.rule === 'config_drift') drifted.set(a.subject, a.level);
	}
	return (snapshot?.instances ?? []).map((i) => {
		const split = pinned?.instances?.find((s) => s.instance === i.name);
		const drift = drifted.get(i.name);
		return {
			...i,
			levels: {
				state: i.state === 'up' ? 'ok' : i.state === 'starting' ? 'warn' : 'crit',
				...(i.drift.length === 0 ? {} : {config: drift ?? 'warn'}),
				...(stale.has(i.name) ? {reload: 'warn'} : {}),
				...(i.link === undefined ? {} : {link: i.link.state === 'connected' ? 'ok' : i.link.state === 'connecting' ? 'warn' : 'crit'}),
			},
			...(pinned === undefined ? {} : {split: split ?? {requestsPerSecond: null, share: null, errorRatio: null, p95: null}}),
		};
	});
}
