import type { AuditRow } from './harness.js';
import { addressRows } from './address.js';
import { assignRows } from './assign.js';
import { cFaceRows } from './c-face.js';
import { openCloseRows } from './open-close.js';
import { preconditionRows } from './preconditions.js';
import { queryBinaryRows } from './query-binary.js';
import { queryMultiStringRows } from './query-multistring.js';
import { queryStringRows } from './query-string.js';
import { queryUlongRows } from './query-ulong.js';

/** Every audit row, grouped by function in the order of FUNCTIONS. */
export const AUDIT_ROWS: readonly AuditRow[] = [
  ...openCloseRows,
  ...queryUlongRows,
  ...queryStringRows,
  ...queryMultiStringRows,
  ...queryBinaryRows,
  ...addressRows,
  ...assignRows,
  ...preconditionRows,
  ...cFaceRows,
];
