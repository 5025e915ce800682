import { CellSet } from './cell-set.js';
import { DATA_INLINE, KeyField, Signature, ValueField } from './cells.js';
import type { Hive } from './hive.js';
import { isKeyCell, keyNameAt } from './key.js';
import { forEachLeaf, leafEntryCount } from './subkey-list.js';
import { MAX_WALK_DEPTH, WalkClaims } from './walk.js';
import { readValueData, storageFor } from './value.js';

/**
 * Allocation-free walks (issue 10): the same keys in the same order, with the same cycle, sharing and
 * depth checks and the same faults as {@link walkKeys}, but nothing is allocated per key or value — an
 * explicit stack in typed arrays, bitmaps for the cells seen, subkey and value lists read in place
 * from the hive's bytes, value data located as (offset, length). Profiles of the iterator showed one
 * object per entry, arrays of child cells and subarray copies, and 10–14% of the time in GC.
 *
 * The checks are shared with readSubkeyList (forEachLeaf, leafEntryCount), KeyNode.at (isKeyCell) and
 * ValueRecord.at (isValueCell), and the claims are walkKeys' own (WalkClaims.valuesOf); those of
 * KeyNode.subkeyCells are made in the same order with the same messages, so a strict walk throws the same HiveFormatError and a tolerant one records the same problems (test/hive/visit.test.ts compares them).
 */

/** Called once per key: its nk cell, its depth below the start (0 for the start), and whether its values may be read (see WalkEntry.valuesOwned). */
export type KeyVisitor = (cell: number, depth: number, valuesOwned: boolean) => void;

/**
 * Where a value's data lies, reused from one value to the next: `bytes[offset … offset + length)`.
 * For inline and single-cell data `bytes` is the hive's own array (valid until the next write); big
 * data (`db`, more than 16,344 bytes) is assembled into a new array, the one case that allocates.
 */
export class DataSpan {
  bytes: Uint8Array = new Uint8Array(0);
  offset = 0;
  length = 0;
}

/**
 * Locates a vk's data without copying it. False after a tolerant-mode fault (malformed storage), with
 * an empty span. The vk itself must have been checked (isValueCell).
 */
export function locateValueData(hive: Hive, vk: number, span: DataSpan): boolean {
  const view = hive.view;
  const at = hive.payload(vk);
  const sizeField = view.getUint32(at + ValueField.dataSize, true);
  const length = sizeField & ~DATA_INLINE;
  span.bytes = hive.bytes;
  span.offset = 0;
  span.length = 0;
  if (length === 0) return true;
  if ((sizeField & DATA_INLINE) !== 0) {
    if (length > 4) {
      hive.fault(vk, `value: inline data of ${length} bytes (at most 4 fit inline)`);
      return false;
    }
    span.offset = at + ValueField.data;
    span.length = length;
    return true;
  }
  const cell = view.getUint32(at + ValueField.data, true);
  if (storageFor(hive, length) === 'big') {
    const data = readValueData(hive, vk, false);
    if (data === undefined) return false;
    span.bytes = data;
    span.length = data.length;
    return true;
  }
  if (hive.checkCell(cell, length, 'value data') < 0) return false;
  span.offset = hive.payload(cell);
  span.length = length;
  return true;
}

/**
 * One walk's state: the stack (typed arrays, grown by doubling), the keys seen and the list, value
 * and data cells claimed (bitmaps of 1/64 of the hive's size each). See {@link visitKeys}.
 */
class Walker {
  private cells = new Int32Array(1024);
  private depths = new Uint16Array(1024);
  private readonly seen: CellSet;
  /** The list, value and data cells claimed (walkKeys' own bookkeeping). */
  private readonly claims: WalkClaims;
  /** Leaves of the ri being read (forEachLeaf's repeat check), reused. */
  private readonly leaves = new Set<number>();
  /** The children being read by readChildren: from `base` to `top` on the stack, at most `limit`. */
  private base = 0;
  private top = 0;
  private limit = 0;

  constructor(private readonly hive: Hive) {
    this.seen = new CellSet(hive.hiveBinsSize);
    this.claims = new WalkClaims(hive);
  }

  private grow(needed: number): void {
    let size = this.cells.length;
    while (size < needed) size *= 2;
    if (size === this.cells.length) return;
    const cells = new Int32Array(size);
    cells.set(this.cells);
    this.cells = cells;
    const depths = new Uint16Array(size);
    depths.set(this.depths);
    this.depths = depths;
  }

  /** Appends a leaf's entries to the stack (readSubkeyList's copy); `forEachLeaf` calls it. */
  private readonly readLeaf = (leaf: number): void => {
    const hive = this.hive;
    const view = hive.view;
    const at = hive.payload(leaf);
    const count = leafEntryCount(hive, leaf, this.top - this.base, this.limit);
    const step = view.getUint16(at, true) === Signature.li ? 4 : 8;
    this.grow(this.top + count);
    const cells = this.cells;
    let top = this.top;
    for (let i = 0, p = at + 4; i < count; i++, p += step) cells[top++] = view.getUint32(p, true);
    this.top = top;
  };

  /** readSubkeyList into the stack from `base`: the key's children in list order; returns the new top. */
  private readChildren(key: number, base: number): number {
    const hive = this.hive;
    const keyAt = hive.payload(key);
    const limit = hive.view.getUint32(keyAt + KeyField.subkeyCount, true);
    this.base = base;
    this.top = base;
    this.limit = limit;
    forEachLeaf(hive, hive.view.getUint32(keyAt + KeyField.subkeyList, true), this.claims.cells, this.leaves, this.readLeaf);
    const top = this.top;
    if (top - base !== limit) {
      hive.fault(key, `key "${keyNameAt(hive, key)}": its subkey lists hold ${top - base} entries but its count says ${limit}`);
    }
    return top;
  }

  run(start: number, onKey: KeyVisitor): void {
    const hive = this.hive;
    this.seen.add(start);
    this.cells[0] = start;
    this.depths[0] = 0;
    let top = 1;
    while (top > 0) {
      top--;
      const cell = this.cells[top]!;
      const depth = this.depths[top]!;
      onKey(cell, depth, this.claims.valuesOf(cell));
      const end = this.readChildren(cell, top);
      if (end === top) continue;
      if (depth >= MAX_WALK_DEPTH) {
        hive.fault(cell, `key tree deeper than ${MAX_WALK_DEPTH} levels`);
        continue;
      }
      // Children were read in list order; the stack pops the last pushed first, so reverse them
      // (then the first child is visited first), and keep those that are new, well-formed keys.
      const cells = this.cells;
      const depths = this.depths;
      for (let i = top, j = end - 1; i < j; i++, j--) {
        const t = cells[i]!;
        cells[i] = cells[j]!;
        cells[j] = t;
      }
      let kept = top;
      for (let i = top; i < end; i++) {
        const child = cells[i]! >>> 0;
        if (this.seen.has(child)) {
          hive.fault(child, 'key reached twice while walking the tree (a subkey list cycle or a shared key)');
          continue;
        }
        this.seen.add(child);
        if (!isKeyCell(hive, child)) continue;
        cells[kept] = child;
        depths[kept] = depth + 1;
        kept++;
      }
      top = kept;
    }
  }
}

/**
 * Visits every key below and including `start` (default: the root) depth first, children in
 * subkey-list order — the order of {@link walkKeys} — calling `onKey(cell, depth, valuesOwned)`.
 * Nothing is allocated per key: read the key through its cell (hive.payload(cell), KeyField) or
 * wrap it (`new KeyNode(hive, cell)`) only where needed. The visitor must not change the hive.
 *
 * Faults as walkKeys: a key reached twice, a list, value or data cell shared by two keys, a tree
 * deeper than 1,024 levels throw HiveFormatError in strict mode; in tolerant mode the branch is
 * skipped and the problem recorded (a key whose values share cells is visited with `valuesOwned`
 * false). Bounds: each key is visited once and each list, value and data cell read once, so the time
 * is linear in the hive's size; memory is the stack and two bitmaps of 1/64 of the hive bins each.
 */
export function visitKeys(hive: Hive, onKey: KeyVisitor, start: number = hive.rootCell): void {
  new Walker(hive).run(start, onKey);
}
