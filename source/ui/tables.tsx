/** The services, backends and entry-points tables, with their threshold highlights. */
import {BACKEND_COLUMNS, ENTRYPOINT_COLUMNS} from '../format/backend-columns.js';
import {SERVICE_COLUMNS} from '../format/service-columns.js';
import type {RulesConfig} from '../model/rules-config.js';
import type {BackendRow, EntryPointRow, ServiceRow} from '../model/snapshot-types.js';
import {backendCell, entryPointCell, serviceCell} from './severity.js';
import {Table} from './table.js';
import {worst, type Severity, type Theme} from './theme.js';

interface Common {
	readonly width: number;
	readonly height: number;
	readonly theme: Theme;
	readonly rules: RulesConfig;
	readonly levels: ReadonlyMap<string, Severity>;
}

/** The props a focusable table takes from its panel: size, rows, selection (shown only with focus), theme. */
function frame<Row>(props: Common & {rows: readonly Row[]; selected: number; focused: boolean}) {
	return {
		rows: props.rows,
		width: props.width,
		height: props.height,
		selected: props.focused ? props.selected : -1,
		focused: props.focused,
		theme: props.theme,
	};
}

export function ServicesTable(props: Common & {rows: readonly ServiceRow[]; selected: number; focused: boolean; sort: string}) {
	return (
		<Table
			title={`Services (sort: ${props.sort})`}
			columns={SERVICE_COLUMNS}
			{...frame(props)}
			rowKey={(r) => r.name}
			empty="no service yet: no request has reached a service, or /metrics and the API are unavailable"
			mark={(r) => props.levels.get(r.name) ?? 'plain'}
			severity={(r, key) => serviceCell(r, key, props.rules)}
		/>
	);
}

export function BackendsTable(props: Common & {rows: readonly BackendRow[]; selected: number; focused: boolean; sort: string}) {
	return (
		<Table
			title={`Backends, Traefik → server, kernel TCP states (sort: ${props.sort})`}
			columns={BACKEND_COLUMNS}
			{...frame(props)}
			rowKey={(r) => r.address}
			empty="no backend known: no API, no traefik_service_server_up, no --backend"
			mark={(r) => worst(props.levels.get(r.address) ?? 'plain', r.status === 'DOWN' ? 'crit' : 'plain')}
			severity={(r, key) => backendCell(r, key, props.rules)}
		/>
	);
}

export function EntryPointsTable(props: Omit<Common, 'rules' | 'levels'> & {rows: readonly EntryPointRow[]}) {
	return (
		<Table
			title="Entry points, inbound connections"
			columns={ENTRYPOINT_COLUMNS}
			rows={props.rows}
			width={props.width}
			height={props.height}
			selected={-1}
			focused={false}
			theme={props.theme}
			rowKey={(r) => r.name}
			empty="no entry point known (no API, and Traefik's listening sockets are not readable)"
			mark={() => 'plain'}
			severity={(r, key) => entryPointCell(r, key)}
		/>
	);
}
