/**
 * Several Traefik instances watched at once: a target (where one instance is read), and the
 * normalised form of an instance's dynamic configuration that instances are compared by.
 */

/** A remote Traefik host reached over SSH: `[user@]host` (or a ~/.ssh/config alias) and an optional port. */
export interface SshDestination {
	readonly destination: string;
	readonly port?: number;
}

/** Where one instance is read. A target with no name is the single instance of a plain run. */
export interface TargetSpec {
	readonly name: string;
	/** The metrics URL, null when /metrics is not read. */
	readonly metricsUrl: string | null;
	/** The API base URL, null when the API is not read. */
	readonly apiUrl: string | null;
	/** The kernel view on this host: a PID, a file holding it, or the traefik process that listens on `listenPort`. */
	readonly pid?: number;
	readonly pidFile?: string;
	readonly listenPort?: number;
	readonly headers?: Readonly<Record<string, string>>;
	readonly basicAuth?: string;
	readonly bearerToken?: string;
	readonly accessLog?: string;
	/** Over SSH: the URLs and the PID are the remote host's, its /proc is read there. */
	readonly ssh?: SshDestination;
	/** With --prometheus: its metrics are Prometheus' series whose instance label has this value. */
	readonly prometheusInstance?: string;
}

/** What a configuration object is. */
export type ConfigKind = 'router' | 'service' | 'middleware' | 'tcp router' | 'tcp service' | 'udp router' | 'udp service' | 'tcp middleware';

/** One object of the dynamic configuration, with what legitimately differs (status, usage, order) left out. */
export interface ConfigObject {
	readonly kind: ConfigKind;
	readonly name: string;
	/** Field -> its value in canonical JSON (keys sorted, server lists sorted). */
	readonly fields: Readonly<Record<string, string>>;
	/** A load balancer's servers, as "URL" or "URL weight N". */
	readonly servers?: readonly string[];
}

/** An instance's configuration as compared: every object by `kind name`, and a fingerprint of them all. */
export interface NormalizedConfig {
	readonly objects: ReadonlyMap<string, ConfigObject>;
	/** 12 hex digits of a SHA-256 over the sorted objects: equal configurations have equal fingerprints. */
	readonly fingerprint: string;
	readonly routers: number;
	readonly services: number;
	readonly servers: number;
	readonly middlewares: number;
	/** Objects Traefik reports with errors (status disabled or an error list). */
	readonly errors: number;
}

/** One difference between instances, in words. */
export interface DriftItem {
	readonly kind: ConfigKind;
	readonly name: string;
	/** "router api@file: missing on traefik-b". */
	readonly text: string;
	/** The instances that differ from the most common version (or lack the object). */
	readonly instances: readonly string[];
}
