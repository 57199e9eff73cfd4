// The bundler's settings, shared by `npm run build` and the benches that build variants of the CLI.
import {build} from 'esbuild';
import {readFileSync} from 'node:fs';

const root = new URL('..', import.meta.url).pathname;
const pkg = JSON.parse(readFileSync(new URL('../package.json', import.meta.url), 'utf8'));

/** Bundles cli.tsx into one ESM file with no runtime dependencies; `ink` may name another copy of Ink. */
export async function bundle({outfile, ink}) {
	await build({
		entryPoints: [`${root}cli.tsx`],
		outfile,
		bundle: true,
		platform: 'node',
		format: 'esm',
		target: 'node20',
		minify: true,
		legalComments: 'none',
		jsx: 'automatic',
		define: {'process.env.NODE_ENV': '"production"', __TRAEFIK_TOP_VERSION__: JSON.stringify(pkg.version)},
		// Ink imports react-devtools-core only when DEV is set; keep it out of the bundle.
		alias: {'react-devtools-core': `${root}scripts/devtools-stub.mjs`, ...(ink === undefined ? {} : {ink})},
		// CommonJS dependencies inside an ESM bundle need require, __filename and __dirname.
		banner: {
			js: [
				"import {createRequire as __ttCreateRequire} from 'node:module';",
				"import {fileURLToPath as __ttPath} from 'node:url';",
				'const require=__ttCreateRequire(import.meta.url);',
				'const __filename=__ttPath(import.meta.url);',
				"const __dirname=__ttPath(new URL('.', import.meta.url));",
			].join(''),
		},
		logLevel: 'warning',
	});
}
