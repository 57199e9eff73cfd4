/** Scale: 500 services and 2,000 backends (a synthetic harvest): ms per model update and per render. */
import {parseTraefikMetrics} from '../source/collect/traefik-metrics-parse.js';
import type {BackendServer, Harvest} from '../source/domain/harvest.js';
import type {TcpSocket} from '../source/domain/tcp.js';
import {Monitor} from '../source/model/monitor.js';
import {DEFAULT_RULES} from '../source/model/rules/config.js';
import type {Snapshot} from '../source/domain/snapshot.js';
import {App} from '../source/ui/app.js';
import {createTheme} from '../source/ui/theme.js';
import type {ScreenName} from '../source/ui/view-state.js';
import {renderAt} from '../test/helpers/terminal.js';
import {traefikExposition} from './metrics.js';

const SERVICES = 500;
const BACKENDS = 2000;

/** Sockets of one poll: per backend 4 ESTABLISHED and 1 TIME_WAIT, half the backends with a CLOSE_WAIT. */
function sockets(poll: number): TcpSocket[] {
	const out: TcpSocket[] = [];
	for (let b = 0; b < BACKENDS; b++) {
		const remoteIp = 0x0a000000 + b;
		for (let k = 0; k < 6; k++) {
			const state = k < 4 ? 'ESTABLISHED' : k === 4 ? 'TIME_WAIT' : b % 2 === 0 ? 'CLOSE_WAIT' : 'ESTABLISHED';
			out.push({
				localIp: 0x0a640001,
				localPort: 20000 + ((b * 6 + k + poll * 7) % 40000),
				remoteIp,
				remotePort: 8080,
				state,
				txQueue: 0,
				rxQueue: 0,
				timer: 0,
				retransmits: 0,
				uid: 0,
				inode: state === 'TIME_WAIT' ? 0 : 1 + b * 6 + k,
			});
		}
	}
	return out;
}

/**
 * `screen`: the view drawn (the overview unless given); `polls`: harvests taken before the frames
 * are measured (600 fills the retention's history, which the charts draw).
 */
export async function benchScale(
	columns = 120,
	rows = 40,
	options: {screen?: ScreenName; polls?: number} = {},
): Promise<{updateMs: number; snapshotMs: number; renderMs: number}> {
	const polls = options.polls ?? 30;
	const servers: BackendServer[] = Array.from({length: BACKENDS}, (_, b) => ({
		service: `svc-${String(b % SERVICES).padStart(5, '0')}-default-80@kubernetescrd`,
		url: `http://10.0.${b >> 8}.${b & 255}:8080`,
		host: `10.0.${b >> 8}.${b & 255}`,
		port: 8080,
		status: 'UP',
		origin: 'flag',
	}));
	const resolved = Object.fromEntries(servers.map((s, b) => [s.host, [0x0a000000 + b]]));
	const monitor = new Monitor({
		rules: DEFAULT_RULES,
		intervalSeconds: 1,
		retentionSeconds: 600,
		host: 'bench',
		filter: {service: null, entrypoint: null},
		flagServers: servers,
	});
	monitor.disableSource('api');
	const text = traefikExposition(SERVICES);
	const readings = [parseTraefikMetrics(text), parseTraefikMetrics(text.replace(/\} (\d+)$/gm, (_, n: string) => `} ${Number(n) + 17}`))];
	const socketPolls = Array.from({length: 4}, (_, i) => sockets(i));
	const harvest = (i: number): Harvest => ({
		collectedAt: 1_000_000 + i * 1000,
		proc: {
			pid: 1,
			pidSource: 'flag',
			process: null,
			sockets: socketPolls[i % 4]!,
			malformed: 0,
			foreign: 0,
			ownedInodes: null,
			warnings: [],
			ephemeralPorts: [32768, 60999],
		},
		metrics: readings[i % 2]!,
		resolved,
		resolveErrors: {},
	});
	const updates: number[] = [];
	const snapshots: number[] = [];
	let snapshot: Snapshot | null = null;
	for (let i = 0; i < polls; i++) {
		let t = process.hrtime.bigint();
		monitor.ingest(harvest(i));
		updates.push(Number(process.hrtime.bigint() - t) / 1e6);
		t = process.hrtime.bigint();
		snapshot = monitor.snapshot();
		snapshots.push(Number(process.hrtime.bigint() - t) / 1e6);
	}
	const prepared: Snapshot[] = [];
	for (let i = 0; i < 40; i++) {
		monitor.ingest(harvest(polls + i));
		prepared.push(monitor.snapshot());
	}
	(globalThis as {gc?: () => void}).gc?.();
	const renders = await measureRenders(prepared, columns, rows, options.screen);
	void snapshot;
	const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;
	return {updateMs: median(updates.slice(5)), snapshotMs: median(snapshots.slice(5)), renderMs: median(renders.slice(3))};
}

/**
 * CPU of each frame the screen draws for `snapshots`, pushed one by one into the app, counted
 * until the frame is written (React schedules the update; Ink then renders and writes). CPU time,
 * not wall time, and the wait is an event, not a loop: only the work is counted.
 */
export async function measureRenders(snapshots: readonly Snapshot[], columns: number, rows: number, screen?: ScreenName): Promise<number[]> {
	let push: (s: Snapshot) => void = () => {};
	const r = renderAt(
		<App
			subscribe={(l) => ((push = l), () => {})}
			theme={createTheme({colors: true, ascii: false})}
			rules={DEFAULT_RULES}
			pinned={null}
			onPin={() => {}}
			onInterval={() => 1}
			onExport={async () => ''}
			size={{columns, rows}}
			{...(screen === undefined ? {} : {screen})}
		/>,
		columns,
		rows,
	);
	const renders: number[] = [];
	for (const next of snapshots) {
		const cpu = process.cpuUsage();
		const written = r.nextFrame();
		push(next);
		await written;
		const used = process.cpuUsage(cpu);
		renders.push((used.user + used.system) / 1000);
	}
	r.unmount();
	return renders;
}
