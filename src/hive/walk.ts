import type { Hive } from './hive.js';
import { KeyNode } from './key.js';

/** Deepest key path accepted: Windows allows 512 levels below a hive root (regf.md §9); some margin. */
export const MAX_WALK_DEPTH = 1024;

export interface WalkEntry {
  key: KeyNode;
  /** Names from the root's child down to this key; the root's own name is not part of any path. */
  path: string;
  depth: number;
}

/**
 * Visits every key depth first, children in subkey-list order, without recursion (`paths: false`
 * skips building the path strings when they are not needed). A key reached twice
 * (a list pointing back at an ancestor or sharing a child) or a path deeper than MAX_WALK_DEPTH faults:
 * a HiveFormatError in strict mode, a skipped branch and a recorded problem in tolerant mode.
 */
export function* walkKeys(hive: Hive, start: KeyNode = hive.root(), options: { paths?: boolean } = {}): Generator<WalkEntry> {
  const withPaths = options.paths ?? true;
  const seen = new Set<number>([start.cell]);
  const stack: WalkEntry[] = [{ key: start, path: '', depth: 0 }];
  while (stack.length > 0) {
    const entry = stack.pop()!;
    yield entry;
    const children = entry.key.subkeyCells();
    if (children.length > 0 && entry.depth >= MAX_WALK_DEPTH) {
      hive.fault(entry.key.cell, `key tree deeper than ${MAX_WALK_DEPTH} levels`);
      continue;
    }
    for (let i = children.length - 1; i >= 0; i--) {
      const cell = children[i]!;
      if (seen.has(cell)) {
        hive.fault(cell, `key reached twice while walking the tree (a subkey list cycle or a shared key) under "${entry.path}"`);
        continue;
      }
      seen.add(cell);
      const child = KeyNode.at(hive, cell);
      if (child !== undefined) stack.push({ key: child, path: withPaths ? `${entry.path}\\${child.name}` : '', depth: entry.depth + 1 });
    }
  }
}

