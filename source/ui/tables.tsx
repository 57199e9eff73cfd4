/** The services, backends and entry-points tables: their definitions drawn with the shared Table. */
import {backendColumns} from '../format/columns/backends.js';
import {ENTRYPOINTS_TABLE} from '../format/columns/entrypoints.js';
import {SERVICES_TABLE} from '../format/columns/services.js';
import type {Column} from '../format/table.js';
import type {BackendRow, EntryPointRow, ServiceRow} from '../domain/snapshot.js';
import {Table} from './table.js';
import {backendKey} from '../model/backend-history.js';
import type {Theme} from './theme.js';

interface Frame<Row> {
	readonly rows: readonly Row[];
	readonly width: number;
	readonly height: number;
	readonly theme: Theme;
	readonly selected: number;
	readonly focused: boolean;
	readonly sort: string;
}

/** The props a focusable table takes from its panel: size, rows, selection (shown only with focus), theme. */
function frame<Row>(props: Frame<Row>) {
	return {
		rows: props.rows,
		width: props.width,
		height: props.height,
		selected: props.focused ? props.selected : -1,
		focused: props.focused,
		theme: props.theme,
	};
}

export function ServicesTable(props: Frame<ServiceRow>) {
	return (
		<Table
			title={`Services (sort: ${props.sort})`}
			columns={SERVICES_TABLE.columns as readonly Column<ServiceRow>[]}
			{...frame(props)}
			rowKey={(r) => r.name}
			region="services"
			empty="no service yet: no request has reached a service, or /metrics and the API are unavailable"
		/>
	);
}

export function BackendsTable(props: Frame<BackendRow>) {
	const columns = backendColumns(props.rows);
	return (
		<Table
			title={`Backends, Traefik ${props.theme.glyphs.arrow} server, kernel TCP states (sort: ${props.sort})`}
			columns={columns as readonly Column<BackendRow>[]}
			{...frame(props)}
			rowKey={backendKey}
			region="backends"
			empty="no backend known: no API, no traefik_service_server_up, no --backend"
		/>
	);
}

const unjudged = (row: EntryPointRow) => ({...row, levels: {}});

export function EntryPointsTable(props: Omit<Frame<EntryPointRow>, 'selected' | 'focused' | 'sort'>) {
	return (
		<Table
			title="Entry points, inbound connections"
			columns={ENTRYPOINTS_TABLE.columns as readonly Column<EntryPointRow & {levels: object}>[]}
			rows={props.rows.map(unjudged)}
			width={props.width}
			height={props.height}
			selected={-1}
			focused={false}
			theme={props.theme}
			rowKey={(r) => r.name}
			empty="no entry point known (no API, and Traefik's listening sockets are not readable)"
		/>
	);
}
