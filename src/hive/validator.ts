/**
 * The validator: every invariant a writer must keep and Windows checks on load (regf.md §11, §13),
 * checked on raw bytes, independently of the reader. (Implementation in progress.)
 */
export interface Violation {
  /** Stable identifier of the rule broken, e.g. "list-order", "sk-refcount". */
  rule: string;
  /** Cell index (relative to the hive-bins start, file offset − 4096) or, when `kind` is "file", a file offset. */
  offset: number;
  kind: 'cell' | 'file';
  message: string;
}

export interface CheckOptions {
  /** Stop after this many violations (default 1000). */
  maxViolations?: number;
}

export function checkHive(bytes: Uint8Array, options: CheckOptions = {}): Violation[] {
  void bytes;
  void options;
  return [];
}
