import type { AuditRow } from './harness.js';
import { queryStringRows } from './query-string.js';
import { queryUlongRows } from './query-ulong.js';

/** Every audit row, grouped by function in the order of FUNCTIONS. */
export const AUDIT_ROWS: readonly AuditRow[] = [...queryUlongRows, ...queryStringRows];
