/** One request as Traefik's access log tells it (either format; what `common` lacks is null). */
export interface RequestRecord {
	/** When it started (ms since the epoch), null when the line's time does not parse. */
	readonly at: number | null;
	readonly entryPoint: string | null;
	readonly router: string | null;
	readonly service: string | null;
	/** The server that answered, as Traefik names it (ServiceURL), and its host:port (ServiceAddr). */
	readonly serverUrl: string | null;
	readonly serverAddr: string | null;
	readonly method: string;
	readonly host: string;
	readonly path: string;
	/** The status the client got. */
	readonly status: number;
	/** The status the server gave, when it differs in meaning (null: Traefik answered itself, or not logged). */
	readonly originStatus: number | null;
	readonly durationMs: number | null;
	/** The server's part of the duration. */
	readonly originMs: number | null;
	readonly retries: number;
	readonly size: number | null;
}
