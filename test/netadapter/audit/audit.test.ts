import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { FUNCTIONS, harness, runRow } from './harness.js';
import { AUDIT_MARKDOWN_PATH, renderAudit } from './markdown.js';
import { AUDIT_ROWS } from './rows.js';

/**
 * Issue 9 part 1: every audit row as a named test, on every release it lists. The expected outcome,
 * out-parameter and object checks come from the NetAdapterCx/KMDF lines each row cites.
 */
describe('NETCONFIGURATION source audit', () => {
  for (const fn of FUNCTIONS) {
    const rows = AUDIT_ROWS.filter((row) => row.fn === fn);
    if (rows.length === 0) continue;
    describe(fn, () => {
      for (const row of rows) {
        // A gap row states what the model lacks: its test must fail until the gap is closed (then drop `gap`).
        const test = row.gap === undefined ? it : it.fails;
        test.each(row.releases.map((release) => [release]))(`${row.backend}: ${row.id} [%s]`, (release) => {
          expect(runRow(row, harness(row, release))).toEqual(row.expected);
        });
      }
    });
  }

  it('row ids are unique per function and backend, and every row cites a source line', () => {
    const ids = AUDIT_ROWS.map((row) => `${row.fn}/${row.backend}/${row.id}`);
    expect(new Set(ids).size).toBe(ids.length);
    for (const row of AUDIT_ROWS) {
      expect(row.releases.length, row.id).toBeGreaterThan(0);
      expect(row.cites.length, row.id).toBeGreaterThan(0);
      for (const cite of row.cites) expect(cite, row.id).toMatch(/^[\w./-]+@[0-9a-f]{7}:\d+(-\d+)?$/);
    }
  });

  it(`${AUDIT_MARKDOWN_PATH} is what the rows generate (UPDATE_AUDIT=1 rewrites it)`, () => {
    const path = new URL(`../../../${AUDIT_MARKDOWN_PATH}`, import.meta.url);
    const generated = renderAudit(AUDIT_ROWS);
    if (process.env.UPDATE_AUDIT === '1') writeFileSync(path, generated);
    expect(existsSync(path) ? readFileSync(path, 'utf8') : '').toBe(generated);
  });
});
