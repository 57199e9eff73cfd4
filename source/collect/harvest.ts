/** One harvest per tick: /proc every tick, the API every few ticks, host names resolved with a cache. */
import {fetchApi, HostResolver} from './api.js';
import type {HttpOptions} from './http.js';
import {ProcReader} from './proc.js';
import type {ApiHarvest, BackendServer, Harvest, IpAddress, Section} from './types.js';

/** Where and how to collect. */
export interface CollectorOptions {
	readonly procRoot: string;
	readonly pid?: number;
	readonly apiUrl: string | null;
	readonly apiIntervalMs: number;
	readonly http: HttpOptions;
	readonly flagServers: readonly BackendServer[];
}

/** Gathers harvests; a call that arrives while one runs gets the running one (never stacked). */
export class Collector {
	private readonly proc: ProcReader;
	private readonly resolver = new HostResolver();
	private lastApiAt = Number.NEGATIVE_INFINITY;
	private running: Promise<Harvest> | null = null;
	private flagResolved: Record<string, IpAddress[]> = {};

	constructor(private readonly options: CollectorOptions) {
		this.proc = new ProcReader({procRoot: options.procRoot, ...(options.pid === undefined ? {} : {pid: options.pid})});
	}

	/** Asks for the API at the next tick, whatever its schedule (a restart, a key press). */
	refreshApi(): void {
		this.lastApiAt = Number.NEGATIVE_INFINITY;
	}

	collect(): Promise<Harvest> {
		this.running ??= this.collectOnce().finally(() => {
			this.running = null;
		});
		return this.running;
	}

	private async collectOnce(): Promise<Harvest> {
		const started = Date.now();
		let api: Section<ApiHarvest> | undefined;
		const apiDue = started - this.lastApiAt >= this.options.apiIntervalMs;
		const pending: Promise<unknown>[] = [];
		if (apiDue) {
			this.lastApiAt = started;
			if (this.options.apiUrl !== null) {
				pending.push(
					fetchApi(this.options.apiUrl, this.options.http, this.resolver, this.options.flagServers).then((result) => {
						api = result;
					}),
				);
			}
			if (this.options.flagServers.length > 0) {
				pending.push(
					this.resolver.resolve(this.options.flagServers.map((s) => s.host)).then(({resolved}) => {
						this.flagResolved = resolved;
					}),
				);
			}
		}
		await Promise.all(pending);
		// /proc last: the table then matches the freshest backend list.
		const proc = this.proc.read();
		const harvest: Harvest = {collectedAt: Date.now(), proc, flagServers: this.options.flagServers, flagResolved: this.flagResolved};
		return api === undefined ? harvest : {...harvest, api};
	}
}
