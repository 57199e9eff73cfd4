import {readFileSync} from 'node:fs';
import {fileURLToPath} from 'node:url';
import {describe, expect, it} from 'vitest';
import {snapshotJsonSchema} from '../../source/domain/snapshot-schema.js';
import {schemaErrors} from '../helpers/schema.js';
import {sampleSnapshot} from '../helpers/snapshot.js';

describe('the snapshot JSON Schema', () => {
	it('accepts a full snapshot', () => {
		expect(schemaErrors(sampleSnapshot())).toEqual([]);
	});

	it('rejects what breaks the fixed names', () => {
		const s = sampleSnapshot() as unknown as Record<string, unknown>;
		expect(schemaErrors({...s, schema: 'traefik-top/snapshot@2'})).not.toEqual([]);
		const {takenAt: _, ...noTime} = s;
		expect(schemaErrors(noTime).join()).toMatch(/takenAt/);
		const backends = sampleSnapshot().backends.map((b) => ({...b, states: {ESTABLISHED: 1}}));
		expect(schemaErrors({...s, backends}).join()).toMatch(/SYN_SENT/);
		expect(schemaErrors({...s, alerts: [{...sampleSnapshot().alerts[0], level: 'info'}]}).join()).toMatch(/level/);
	});
});

describe('the shipped schema file', () => {
	it('is the one the definition writes (npm run schema)', () => {
		const shipped = readFileSync(fileURLToPath(new URL('../../schema/snapshot.schema.json', import.meta.url)), 'utf8');
		expect(shipped).toBe(snapshotJsonSchema());
	});
});
