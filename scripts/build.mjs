// Bundles cli.tsx and everything it imports into one ESM file with no runtime dependencies.
import {build} from 'esbuild';
import {copyFileSync, mkdirSync, readFileSync, chmodSync} from 'node:fs';

const pkg = JSON.parse(readFileSync(new URL('../package.json', import.meta.url), 'utf8'));
mkdirSync('dist', {recursive: true});
await build({
	entryPoints: ['cli.tsx'],
	outfile: 'dist/cli.js',
	bundle: true,
	platform: 'node',
	format: 'esm',
	target: 'node20',
	minify: true,
	legalComments: 'none',
	jsx: 'automatic',
	define: {'process.env.NODE_ENV': '"production"', __TRAEFIK_TOP_VERSION__: JSON.stringify(pkg.version)},
	// Ink imports react-devtools-core only when DEV is set; keep it out of the bundle.
	alias: {'react-devtools-core': './scripts/devtools-stub.mjs'},
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
chmodSync('dist/cli.js', 0o755);
copyFileSync('schema/snapshot.schema.json', 'dist/snapshot.schema.json');
