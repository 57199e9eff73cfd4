// Types of scripts/traefik.mjs, for the tests and benchmarks that import it.
export declare const TRAEFIK_VERSION: string;
export declare const TRAEFIK_DIR: string;
export declare const TRAEFIK_BIN: string;
export declare function binaryVersion(path: string): string | null;
export declare function ensureTraefik(options?: {install?: boolean; log?: (line: string) => void}): {path: string; version: string} | {missing: string};
