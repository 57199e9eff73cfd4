/** The package version, replaced by the bundler; read from package.json when run from source. */
declare const __TRAEFIK_TOP_VERSION__: string | undefined;

export const VERSION: string = typeof __TRAEFIK_TOP_VERSION__ === 'string' ? __TRAEFIK_TOP_VERSION__ : '0.0.0-dev';
