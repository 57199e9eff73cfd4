// Each table's definition: one home per column (header, cell, sort, the rule that colours it).
import {describe, expect, it} from 'vitest';
import {BACKENDS_TABLE} from '../../source/format/columns/backends.js';
import {ENTRYPOINTS_TABLE} from '../../source/format/columns/entrypoints.js';
import {SERVICES_TABLE} from '../../source/format/columns/services.js';
import {fitColumns, renderTable} from '../../source/format/table.js';
import {sampleSnapshot} from '../helpers/snapshot.js';

describe('table definitions', () => {
	it("every sort names a column of its table or one of the table's own, once", () => {
		for (const table of [SERVICES_TABLE, BACKENDS_TABLE, ENTRYPOINTS_TABLE]) {
			const keys = table.sorts.map((s) => s.key);
			expect(new Set(keys).size).toBe(keys.length);
			for (const key of keys) expect(key === 'alert' || table.columns.some((c) => c.key === key), key).toBe(true);
		}
	});

	it('colours cells from the levels the rules gave the row', () => {
		const levels = Object.fromEntries(BACKENDS_TABLE.columns.filter((c) => c.level).map((c) => [c.key, c.level]));
		expect(levels).toEqual({
			status: 'status',
			estab: 'ESTABLISHED',
			synSent: 'SYN_SENT',
			timeWait: 'TIME_WAIT',
			closeWait: 'CLOSE_WAIT',
			closeWaitAge: 'closeWaitOldestSeconds',
			twRatio: 'timeWaitRatio',
			retrans: 'retransmitting',
			reqErr: 'serverErrorRatio',
			reqP95: 'serverP95',
		});
	});

	it('sorts backends worst first by default, then by service', () => {
		const backends = [...sampleSnapshot().backends].sort(BACKENDS_TABLE.sorts[0]!.compare);
		expect(backends.map((b) => `${b.alertLevel ?? '-'} ${b.address}`)).toEqual(['crit 10.0.0.7:80', 'crit 10.0.0.8:80', 'crit 10.0.0.2:8080', '- 10.0.0.1:80']);
	});

	it('drops the least important columns first, and keeps the rest within the width', () => {
		const fitted = fitColumns(SERVICES_TABLE.columns, 78);
		expect(fitted.map((c) => c.key)).not.toContain('err');
		expect(fitted.map((c) => c.key)).toContain('err1m');
		expect(fitted.reduce((sum, c) => sum + c.fitted, fitted.length - 1)).toBeLessThanOrEqual(78);
		for (const line of renderTable(BACKENDS_TABLE.columns, sampleSnapshot().backends, 100)) expect(line.length).toBeLessThanOrEqual(100);
	});
});
