/**
 * The screen's poll loop in a worker thread: however long a scrape, its parse or the model take
 * (a 60 MB /metrics, a churning cluster), the thread that reads keys and draws is never held by
 * them. The worker runs the same loop as every mode (poll.ts) and posts each snapshot.
 */
import {parentPort, Worker, workerData} from 'node:worker_threads';
import type {Snapshot} from '../domain/snapshot.js';
import type {AppConfig} from './config.js';
import {startPolling, type Poller} from './poll.js';

/** Marks the worker's workerData: cli.tsx starts the loop instead of the program when it sees it. */
export const POLLER_ROLE = 'traefik-top-poller';

type ToWorker =
	| {type: 'pin'; service: string | null}
	| {type: 'pinInstance'; name: string | null}
	| {type: 'interval'; seconds: number}
	| {type: 'rewind'; at: number | null}
	| {type: 'refresh'}
	| {type: 'stop'};
type FromWorker = {type: 'snapshot'; snapshot: Snapshot} | {type: 'error'; message: string};

/** True in a worker started by startPollingThread. */
export const isPollerThread = (): boolean => parentPort !== null && (workerData as {role?: string} | null)?.role === POLLER_ROLE;

/** In the worker: the loop, driven by the main thread's messages. */
export function runPollerThread(): void {
	const port = parentPort!;
	const config = (workerData as {config: AppConfig}).config;
	const post = (message: FromWorker) => port.postMessage(message);
	const poller = startPolling(
		config,
		(snapshot) => post({type: 'snapshot', snapshot}),
		(error) => post({type: 'error', message: error instanceof Error ? error.message : String(error)}),
	);
	port.on('message', (message: ToWorker) => {
		if (message.type === 'pin') {
			poller.pin(message.service);
			poller.refresh();
		} else if (message.type === 'pinInstance') {
			poller.pinInstance(message.name);
			poller.refresh();
		} else if (message.type === 'interval') poller.setInterval(message.seconds);
		else if (message.type === 'rewind') poller.rewind(message.at);
		else if (message.type === 'refresh') poller.refresh();
		else {
			poller.stop();
			port.close();
		}
	});
}

/** In the main thread: a Poller whose loop runs in a worker started from `entry` (this program's own file). */
export function startPollingThread(
	config: AppConfig,
	entry: string,
	onSnapshot: (snapshot: Snapshot) => void,
	onError: (message: string) => void = () => {},
): Poller {
	const worker = new Worker(entry, {workerData: {role: POLLER_ROLE, config}});
	let interval = config.intervalSeconds;
	const send = (message: ToWorker) => worker.postMessage(message);
	worker.on('message', (message: FromWorker) => (message.type === 'snapshot' ? onSnapshot(message.snapshot) : onError(message.message)));
	worker.on('error', (error) => onError(`the poll loop failed: ${error.message}`));
	// The screen ends the process; the worker must not keep it alive on its own.
	worker.unref();
	return {
		stop() {
			send({type: 'stop'});
			void worker.terminate();
		},
		setInterval(seconds: number) {
			interval = seconds;
			send({type: 'interval', seconds});
		},
		pin(service: string | null) {
			send({type: 'pin', service});
		},
		pinInstance(name: string | null) {
			send({type: 'pinInstance', name});
		},
		refresh() {
			send({type: 'refresh'});
		},
		rewind(at: number | null) {
			send({type: 'rewind', at});
		},
		get intervalSeconds() {
			return interval;
		},
	};
}
