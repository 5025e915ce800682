import { CellSet } from './cell-set.js';
import { DATA_INLINE, KeyField, NIL, ValueField } from './cells.js';
import { HiveUsageError } from './errors.js';
import type { Hive } from './hive.js';
import { KeyNode, valueListOf } from './key.js';
import { upcaseName } from './upcase.js';
import { isValueCell, storageFor, valueStorageCells } from './value.js';

/** Deepest key path accepted: Windows allows 512 levels below a hive root (regf.md §9); some margin. */
export const MAX_WALK_DEPTH = 1024;

/** One key yielded by {@link walkKeys}: the key, its path below the starting key and its depth. */
export interface WalkEntry {
  key: KeyNode;
  /** Names from the root's child down to this key; the root's own name is not part of any path. */
  path: string;
  depth: number;
  /**
   * False only in tolerant mode, when the key's value list, values or data share cells with a key
   * yielded before (a fault was recorded): reading its values reads those cells again, so a consumer
   * that must stay linear in the file (export, stat) skips them.
   */
  valuesOwned?: boolean;
}

/**
 * What one walk has read. In a well-formed hive every subkey list, value list, value and data cell
 * belongs to exactly one key (regf.md §5; the validator's "cell-shared" rule). A hostile hive that
 * shares them (one 512 KiB leaf under every key it lists, one value list or one 1 GiB big-data value
 * under thousands of keys) would make a walk do work quadratic in the file, or worse; claiming each
 * cell once keeps a whole walk linear in the hive's bytes.
 */
export class WalkClaims {
  /** Cells already read by this walk: subkey lists and leaves, value lists, values, data cells. */
  readonly cells: CellSet;

  constructor(readonly hive: Hive) {
    this.cells = new CellSet(hive.hiveBinsSize);
  }

  /** The key's subkey cells; a list or leaf claimed before faults and is skipped. */
  subkeyCells(key: KeyNode): number[] {
    return key.subkeyCells(this.cells);
  }

  private claim(cell: number, what: string): boolean {
    if (this.cells.has(cell)) {
      this.hive.fault(cell, `${what} 0x${cell.toString(16)} is also used by another key (a shared cell)`);
      return false;
    }
    this.cells.add(cell);
    return true;
  }

  /**
   * Claims the key's value list, its values and their data cells. False after a tolerant-mode fault
   * (one of them was already read for another key): the caller should then skip the key's values.
   */
  values(key: KeyNode): boolean {
    return this.valuesOf(key.cell);
  }

  /** {@link values} by the key's nk cell, allocating nothing for inline and single-cell data (visitKeys). */
  valuesOf(key: number): boolean {
    const hive = this.hive;
    const list = valueListOf(hive, key);
    if (list === NIL) return true;
    if (!this.claim(list, 'value list')) return false;
    const view = hive.view;
    const count = view.getUint32(hive.payload(key) + KeyField.valueCount, true);
    const listAt = hive.payload(list);
    for (let i = 0; i < count; i++) {
      const vk = view.getUint32(listAt + 4 * i, true);
      if (!this.claim(vk, 'value')) return false;
      if (!isValueCell(hive, vk)) continue;
      // The common cases without building an array: inline data owns no cell, small data one cell.
      const at = hive.payload(vk);
      const sizeField = view.getUint32(at + ValueField.dataSize, true);
      const length = sizeField & ~DATA_INLINE;
      if (length === 0 || (sizeField & DATA_INLINE) !== 0) continue;
      if (storageFor(hive, length) === 'cell') {
        const cell = view.getUint32(at + ValueField.data, true);
        if (hive.checkCell(cell, length, 'value data') >= 0 && !this.claim(cell, 'value data')) return false;
        continue;
      }
      for (const cell of valueStorageCells(hive, vk) ?? []) if (!this.claim(cell, 'value data')) return false;
    }
    return true;
  }
}

/**
 * Visits every key depth first, children in subkey-list order, without recursion (`paths: false`
 * skips building the path strings when they are not needed). A key reached twice (a list pointing
 * back at an ancestor or sharing a child), a list, value or data cell shared by two keys, or a path
 * deeper than MAX_WALK_DEPTH faults: a HiveFormatError in strict mode, a skipped branch and a
 * recorded problem in tolerant mode (a key whose values are shared is still yielded then).
 *
 * Bounds: each key is yielded once and each list, value and data cell read once, so a walk takes time
 * linear in the hive's size, and memory for the stack and the sets of cells seen (O(cells)).
 */
export function* walkKeys(hive: Hive, start: KeyNode = hive.root(), options: { paths?: boolean } = {}): Generator<WalkEntry> {
  const withPaths = options.paths ?? true;
  const seen = new CellSet(hive.hiveBinsSize).add(start.cell);
  const claims = new WalkClaims(hive);
  const stack: WalkEntry[] = [{ key: start, path: '', depth: 0 }];
  while (stack.length > 0) {
    const entry = stack.pop()!;
    if (!claims.values(entry.key)) entry.valuesOwned = false;
    yield entry;
    const children = claims.subkeyCells(entry.key);
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

/** One pair of same-path keys yielded by {@link walkPairs}. */
export interface PairEntry {
  /** The key on the left side, or undefined when only the right side has this path. */
  left: KeyNode | undefined;
  /** The key on the right side, or undefined when only the left side has it (and `createRight` is off). */
  right: KeyNode | undefined;
  /** Names below the two starting keys, e.g. "\\a\\b"; "" for the starting pair. */
  path: string;
  depth: number;
}

/** Options for {@link walkPairs}. */
export interface PairOptions {
  /**
   * Create each left child missing on the right (`right.addSubkey(name)`) before descending: a
   * recursive copy is then `for (const p of walkPairs(src, dst, { createRight: true })) copy values`.
   */
  createRight?: boolean;
}

/**
 * Walks two key trees side by side (for compare and copy), depth first, without recursion. Children
 * are matched by name case-insensitively (Windows' upcase): left order first, then right-only names
 * in right order. A pair whose one side is missing is yielded but not descended into. The children of
 * a pair are read when the consumer asks for the next entry, so it may change the right side (add
 * values, subkeys) while walking. Each side has its own cycle, sharing and depth checks (as walkKeys:
 * a fault throws HiveFormatError in strict mode; in tolerant mode the branch is skipped).
 * @throws {HiveUsageError} with `createRight`, the right tree lies inside the left one, so copying
 * would feed on its own output (found when the left walk reaches it, before it copies anything into it)
 */
export function* walkPairs(left: KeyNode, right: KeyNode, options: PairOptions = {}): Generator<PairEntry> {
  const create = options.createRight ?? false;
  const leftSide = { seen: new CellSet(left.hive.hiveBinsSize).add(left.cell), claims: new WalkClaims(left.hive) };
  const rightSide = { seen: new CellSet(right.hive.hiveBinsSize).add(right.cell), claims: new WalkClaims(right.hive) };
  const sameHive = left.hive === right.hive;
  if (create && sameHive && left.cell === right.cell) throw overlap('', left.cell);
  const stack: PairEntry[] = [{ left, right, path: '', depth: 0 }];
  while (stack.length > 0) {
    const entry = stack.pop()!;
    yield entry;
    if (entry.left === undefined || entry.right === undefined) continue;
    const lefts = childrenOf(entry.left, leftSide, entry);
    const rights = childrenOf(entry.right, rightSide, entry);
    if ((lefts.length > 0 || rights.length > 0) && entry.depth >= MAX_WALK_DEPTH) {
      entry.left.hive.fault(entry.left.cell, `key tree deeper than ${MAX_WALK_DEPTH} levels`);
      continue;
    }
    if (create && sameHive) {
      // A right-side key met by the left walk: the target lies inside the source, which would grow
      // as it is copied. (A source inside its target is fine: each source key is read once.)
      for (const key of lefts) if (rightSide.seen.has(key.cell)) throw overlap(`${entry.path}\\${key.name}`, key.cell);
    }
    const byName = new Map<string, KeyNode>();
    for (const key of rights) byName.set(upcaseName(key.name), key);
    const pairs: PairEntry[] = [];
    for (const key of lefts) {
      const name = key.name;
      const folded = upcaseName(name);
      let match = byName.get(folded);
      byName.delete(folded);
      if (match === undefined && create) {
        match = entry.right.addSubkey(name);
        rightSide.seen.add(match.cell);
      }
      pairs.push({ left: key, right: match, path: `${entry.path}\\${name}`, depth: entry.depth + 1 });
    }
    for (const key of byName.values()) pairs.push({ left: undefined, right: key, path: `${entry.path}\\${key.name}`, depth: entry.depth + 1 });
    for (let i = pairs.length - 1; i >= 0; i--) stack.push(pairs[i]!);
  }
}

function overlap(path: string, cell: number): HiveUsageError {
  return new HiveUsageError(`the two trees overlap at "${path}": copying a tree into itself would never end`, cell);
}

function childrenOf(key: KeyNode, side: { seen: CellSet; claims: WalkClaims }, entry: PairEntry): KeyNode[] {
  const hive = key.hive;
  const out: KeyNode[] = [];
  for (const cell of side.claims.subkeyCells(key)) {
    if (side.seen.has(cell)) {
      hive.fault(cell, `key reached twice while walking the tree (a subkey list cycle or a shared key) under "${entry.path}"`);
      continue;
    }
    side.seen.add(cell);
    const child = KeyNode.at(hive, cell);
    if (child !== undefined) out.push(child);
  }
  return out;
}
