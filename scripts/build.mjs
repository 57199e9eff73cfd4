// `npm run build`: dist/cli.js, the whole program in one file with no runtime dependencies.
import {chmodSync, copyFileSync, mkdirSync} from 'node:fs';
import {bundle} from './bundle.mjs';

mkdirSync('dist', {recursive: true});
await bundle({outfile: 'dist/cli.js'});
chmodSync('dist/cli.js', 0o755);
copyFileSync('schema/snapshot.schema.json', 'dist/snapshot.schema.json');
