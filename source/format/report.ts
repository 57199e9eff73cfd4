/** The plain-text report of --once (and the default when stdout is not a terminal). Pure. */
import type {Snapshot, SnapshotAlert, SourceState} from '../domain/snapshot.js';
import {backendColumns} from './columns/backends.js';
import {ENTRYPOINTS_TABLE} from './columns/entrypoints.js';
import {SERVICES_TABLE} from './columns/services.js';
import {instanceColumns, instanceTableRows} from './columns/instances.js';
import {glyphsFor} from './glyphs.js';
import {renderTable} from './table.js';
import {terminalSafeValue} from './terminal-safe.js';
import {formatAge, formatBytes, formatCount, formatPercent} from './units.js';

function sourceLine(name: string, s: SourceState): string {
	const state = s.ok ? 'ok' : s.error === 'not configured' ? 'off' : `FAILED: ${s.error ?? 'unknown error'}`;
	const notes = s.notes && s.notes.length > 0 ? ` (${s.notes.join('; ')})` : '';
	return `  ${name.padEnd(8)} ${state}${notes}`;
}

/** An SSH link in words: connected with its round trip and bytes, or being made again since when and why. */
function linkLine(link: NonNullable<Snapshot['link']>): string {
	const sudo = link.sudo === undefined ? '' : `, sudo ${link.sudo}`;
	if (link.state === 'connected')
		return `${link.host}: connected since ${link.since}, round trip ${link.rttMs ?? '?'} ms, ${formatBytes(link.bytesPerPoll)} a poll${sudo}`;
	if (link.state === 'connecting') return `${link.host}: connecting`;
	return `${link.host}: reconnecting since ${link.since}: ${link.lastError ?? 'the link broke'}`;
}

/** One alert as a line: level, rule, subject, what was seen against what limit, since when. */
export function alertLine(a: SnapshotAlert, ascii = false): string {
	const mark = glyphsFor(ascii)[a.level];
	const resolved = a.resolvedAt ? `, resolved ${a.resolvedAt}` : '';
	const service = a.service && a.service !== a.subject ? ` (${a.service})` : '';
	return `${mark} ${a.level.toUpperCase().padEnd(4)} ${a.rule.padEnd(18)} ${a.subject}${service}: ${a.text}, since ${a.since}${resolved}`;
}

/** Renders every table of the snapshot as text, `width` columns wide; names and errors from outside are printed terminal-safe. */
export function renderReport(raw: Snapshot, width = 120, ascii = false): string {
	const s = terminalSafeValue(raw);
	const t = s.traefik;
	const lines: string[] = [];
	lines.push(
		`traefik-top ${s.takenAt} on ${s.host}: Traefik ${t.version ?? '?'} pid ${t.pid ?? '-'} up ${formatAge(t.uptimeSeconds)}` +
			` cpu ${formatPercent(t.cpuRatio)} rss ${formatBytes(t.rssBytes)} open conns ${formatCount(t.openConnections)}` +
			(t.restartedAt ? ` (restarted ${t.restartedAt})` : ''),
	);
	if (s.filter.service || s.filter.entrypoint) lines.push(`filter: service=${s.filter.service ?? '*'} entrypoint=${s.filter.entrypoint ?? '*'}`);
	if (s.instances !== undefined) {
		lines.push('', `INSTANCES (${s.instances.length})${s.filter.instance ? `: showing ${s.filter.instance} alone` : ': summed below'}`);
		const rows = instanceTableRows(s);
		lines.push(...renderTable(instanceColumns(rows), rows, width, ascii));
		for (const i of s.instances) if (i.error) lines.push(`  ${i.name}: ${i.error}`);
		const drift = s.drift ?? [];
		lines.push('', `CONFIG DRIFT (${drift.length})`);
		lines.push(...(drift.length === 0 ? ['  none: the configurations read agree'] : drift.map((d) => `  ${d.text}`)));
	}
	lines.push('', 'SOURCES');
	if (s.link !== undefined) lines.push(`  ${'ssh'.padEnd(8)} ${linkLine(s.link)}`);
	lines.push(sourceLine('proc', s.sources.proc), sourceLine('metrics', s.sources.metrics), sourceLine('api', s.sources.api));
	lines.push('', `SERVICES (${s.services.length})`);
	lines.push(
		...(s.services.length === 0
			? ['  none (no service has been requested yet, or /metrics is not available)']
			: renderTable(SERVICES_TABLE.columns, s.services, width, ascii)),
	);
	const split = s.filter.service === null ? undefined : s.services[0]?.instances;
	if (split !== undefined && s.instances !== undefined) {
		lines.push('', `${s.services[0]!.name} ON EACH INSTANCE`);
		for (const i of split) {
			lines.push(
				`  ${i.instance.padEnd(20)} ${formatCount(i.requestsPerSecond).padStart(6)} req/s  share ${formatPercent(i.share)}  5xx ${formatPercent(i.errorRatio)}`,
			);
		}
	}
	if (s.routers.length > 0) {
		lines.push('', `ROUTERS (${s.routers.length})`);
		for (const r of s.routers)
			lines.push(
				`  ${r.name.padEnd(40)} -> ${(r.service ?? '?').padEnd(30)} ${formatCount(r.requestsPerSecond).padStart(6)} req/s  5xx ${formatPercent(r.errorRatio)}`,
			);
	}
	lines.push('', `BACKENDS (${s.backends.length})`);
	lines.push(
		...(s.backends.length === 0
			? ['  none known (no API, no traefik_service_server_up, no --backend)']
			: renderTable(backendColumns(s.backends), s.backends, width, ascii)),
	);
	for (const u of s.unresolvedServers) lines.push(`  ${u.service} ${u.url}: ${u.error}`);
	lines.push('', `ENTRY POINTS (${s.entrypoints.length})`);
	lines.push(
		...(s.entrypoints.length === 0
			? ["  none known (no API, and Traefik's listening sockets are not readable)"]
			: renderTable(ENTRYPOINTS_TABLE.columns, s.entrypoints, width, ascii)),
	);
	lines.push(`  other Traefik connections: ${s.otherConnections}`);
	lines.push('', `ALERTS (${s.alerts.length} active)`);
	lines.push(...(s.alerts.length === 0 ? ['  none'] : s.alerts.map((a) => `  ${alertLine(a, ascii)}`)));
	if (s.recentAlerts.length > 0) lines.push('  recently resolved:', ...s.recentAlerts.map((a) => `    ${alertLine(a, ascii)}`));
	return `${lines.join('\n')}\n`;
}
