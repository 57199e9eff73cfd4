// Writes schema/snapshot.schema.json from the one definition in source/domain/snapshot-schema.ts.
// `npm run schema`; test/domain/snapshot-schema.test.ts fails when the shipped file is not current.
import {writeFileSync} from 'node:fs';
import {snapshotJsonSchema} from '../source/domain/snapshot-schema.js';

writeFileSync(new URL('../schema/snapshot.schema.json', import.meta.url), snapshotJsonSchema());
