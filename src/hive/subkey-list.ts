import { KeyField, LEAF_CAPACITY, NIL, Signature } from './cells.js';
import { HiveFormatError, HiveLimitError } from './errors.js';
import type { CellStore } from './store.js';
import { lfHint, lhHash } from './names.js';

/**
 * Subkey lists: leaves (`li` 4-byte elements; `lf`/`lh` 8-byte elements carrying a name hint or
 * hash) and the index root `ri` whose elements are leaves (regf.md §5.2). All entries of a key, across
 * the leaves in ri order, are strictly ascending by Windows' case-insensitive name order.
 *
 * Costs. Reading a whole list is linear in the bytes of its distinct cells: an ri naming one leaf
 * twice faults, so a list can never yield more entries than its cells hold (≤ hive-bins size / 4);
 * with a `claimed` set, a walk also refuses a list cell that another key's list already used, so a
 * whole walk reads each list cell once. Lookup, insertion and removal by name touch O(log n) names
 * (binary search over the ri's leaves by their last entry, then inside one leaf) and move at most
 * one leaf's elements (≤ 507), so adding a key costs the same with 10 or 1,000,000 siblings.
 */

export type LeafKind = 'li' | 'lf' | 'lh';

/** Cells a walk has read: a Set<number> or a CellSet. */
export interface CellMarks {
  /** Whether the walk has read `cell`. */
  has(cell: number): boolean;
  /** Records that the walk read `cell`. */
  add(cell: number): unknown;
}

/** An ri's count is a uint16 (regf.md §5.2). */
const MAX_INDEX_ROOT_ENTRIES = 0xffff;

function elementSize(signature: number): number {
  return signature === Signature.li || signature === Signature.ri ? 4 : 8;
}

function isLeafSignature(signature: number): boolean {
  return signature === Signature.lf || signature === Signature.lh || signature === Signature.li;
}

/** Marks a list cell as read by the current walk; a second use faults (a list is owned by one key). */
function claim(hive: CellStore, claimed: CellMarks | undefined, cell: number, what: string): boolean {
  if (claimed === undefined) return true;
  if (claimed.has(cell)) {
    hive.fault(cell, `${what} 0x${cell.toString(16)} is also used by another key's subkey list (lists are never shared)`);
    return false;
  }
  claimed.add(cell);
  return true;
}

/** forEachLeaf's scratch for readSubkeyList (cleared before and after each ri). */
const scratchLeaves = new Set<number>();

/**
 * Appends the nk cell indexes of a list (leaf or ri) to `out`, in order. Malformed lists fault
 * (throw, or in tolerant mode are skipped). `limit` bounds how many entries are accepted in total;
 * `claimed` (a walk's set of list cells already read) rejects lists shared between keys.
 */
export function readSubkeyList(hive: CellStore, list: number, out: number[], limit = 0x7fffffff, claimed?: CellMarks): void {
  forEachLeaf(hive, list, claimed, scratchLeaves, (leaf) => {
    const count = leafEntryCount(hive, leaf, out.length, limit);
    const step = elementSize(hive.view.getUint16(hive.payload(leaf), true));
    for (let i = 0, p = hive.payload(leaf) + 4; i < count; i++, p += step) out.push(hive.view.getUint32(p, true));
  });
}

/**
 * readSubkeyList's structure: calls `onLeaf` for each leaf of a list (the list itself, or each leaf
 * of an ri, in order), checked and claimed; malformed or shared cells fault. `leaves` is scratch for
 * the ri's repeat check (cleared here), so an allocation-free walk can reuse one.
 */
export function forEachLeaf(hive: CellStore, list: number, claimed: CellMarks | undefined, leaves: Set<number>, onLeaf: (leaf: number) => void): void {
  if (list === NIL || hive.checkCell(list, 4, 'subkey list') < 0) return;
  const view = hive.view;
  const signature = view.getUint16(hive.payload(list), true);
  if (signature === Signature.ri) {
    const count = indexRootCount(hive, list);
    if (count === undefined || !claim(hive, claimed, list, 'ri list')) return;
    // One leaf named twice would let 65,535 entries of an ri each replay a 65,535-entry leaf (4.3
    // billion subkeys from a 1 MB file): every leaf is read once, a repeat faults.
    leaves.clear();
    for (let i = 0; i < count; i++) {
      const leaf = indexRootEntry(hive, list, i);
      if (leaves.has(leaf)) {
        hive.fault(leaf, `ri list 0x${list.toString(16)}: entry ${i} names a leaf already listed`);
        continue;
      }
      leaves.add(leaf);
      if (hive.checkCell(leaf, 4, 'subkey list leaf') < 0) continue;
      const leafSignature = view.getUint16(hive.payload(leaf), true);
      if (!isLeafSignature(leafSignature)) {
        hive.fault(leaf, `ri list 0x${list.toString(16)}: entry ${i} is not an li/lf/lh leaf`);
        continue;
      }
      if (!claim(hive, claimed, leaf, 'subkey list leaf')) continue;
      onLeaf(leaf);
    }
    leaves.clear();
    return;
  }
  if (!isLeafSignature(signature)) return hive.fault(list, 'subkey list: unknown signature (expected li, lf, lh or ri)');
  if (!claim(hive, claimed, list, 'subkey list')) return;
  onLeaf(list);
}

/**
 * How many entries to read from a leaf `forEachLeaf` passed, `have` already read of at most `limit`:
 * its count, or 0 after a fault (entries past its cell, or more than the key's subkey count).
 */
export function leafEntryCount(hive: CellStore, leaf: number, have: number, limit: number): number {
  const view = hive.view;
  const at = hive.payload(leaf);
  const count = view.getUint16(at + 2, true);
  const capacity = -view.getInt32(at - 4, true) - 4;
  if (4 + count * elementSize(view.getUint16(at, true)) > capacity) {
    hive.fault(leaf, `subkey leaf: ${count} entries do not fit its cell`);
    return 0;
  }
  if (have + count > limit) {
    hive.fault(leaf, `subkey list: more entries than the key's subkey count`);
    return 0;
  }
  return count;
}

/** How a list reads its keys' names: decoded (for hashes), or compared in place (for searches). */
export interface KeyNames {
  /** The stored name of the key at `cell`. */
  nameOf(cell: number): string;
  /** compareNames(nameOf(cell), name), without building the stored name as a string. */
  compare(cell: number, name: string): number;
}

/** A checked leaf: an allocated cell with a leaf signature whose `count` elements fit. */
export interface Leaf {
  cell: number;
  signature: number;
  count: number;
  step: number;
}

function openLeaf(hive: CellStore, cell: number): Leaf | undefined {
  const capacity = hive.checkCell(cell, 4, 'subkey list leaf');
  if (capacity < 0) return undefined;
  const at = hive.payload(cell);
  const signature = hive.view.getUint16(at, true);
  if (!isLeafSignature(signature)) {
    hive.fault(cell, 'subkey list: unknown signature (expected an li, lf or lh leaf)');
    return undefined;
  }
  const count = hive.view.getUint16(at + 2, true);
  const step = elementSize(signature);
  if (4 + count * step > capacity) {
    hive.fault(cell, `subkey leaf: ${count} entries do not fit its cell`);
    return undefined;
  }
  return { cell, signature, count, step };
}

function entryOf(hive: CellStore, leaf: Leaf, i: number): number {
  return hive.view.getUint32(hive.payload(leaf.cell) + 4 + i * leaf.step, true);
}

function leafEntries(hive: CellStore, leaf: Leaf): number[] {
  const entries: number[] = [];
  for (let i = 0; i < leaf.count; i++) entries.push(entryOf(hive, leaf, i));
  return entries;
}

/** A checked ri: its entry count fits its cell. Undefined after a tolerant-mode fault. */
function indexRootCount(hive: CellStore, ri: number): number | undefined {
  const count = hive.view.getUint16(hive.payload(ri) + 2, true);
  if (4 + count * 4 > -hive.cellSizeField(ri) - 4) {
    hive.fault(ri, `ri list: ${count} entries do not fit its cell`);
    return undefined;
  }
  return count;
}

function indexRootEntry(hive: CellStore, ri: number, i: number): number {
  return hive.view.getUint32(hive.payload(ri) + 4 + 4 * i, true);
}

/**
 * Index of the ri leaf that holds, or would receive, `name`: the first whose last entry is ≥ name,
 * else the last leaf (binary search; leaves are in ascending order). A broken or empty leaf counts
 * as "before every name".
 */
function chooseLeaf(hive: CellStore, ri: number, count: number, name: string, names: KeyNames): number {
  let lo = 0;
  let hi = count - 1;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    const leaf = openLeaf(hive, indexRootEntry(hive, ri, mid));
    const before = leaf === undefined || leaf.count === 0 || names.compare(entryOf(hive, leaf, leaf.count - 1), name) < 0;
    if (before) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

/** Position where `name` goes in the leaf (binary search), or -(position + 1) when it is already there. */
function searchLeaf(hive: CellStore, leaf: Leaf, name: string, names: KeyNames): number {
  let lo = 0;
  let hi = leaf.count;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    const c = names.compare(entryOf(hive, leaf, mid), name);
    if (c === 0) return -(mid + 1);
    if (c < 0) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

function writeLeaf(hive: CellStore, signature: number, entries: readonly number[], names: KeyNames): number {
  const step = elementSize(signature);
  const cell = hive.allocate(4 + entries.length * step);
  const at = hive.payload(cell);
  hive.setUint16(at, signature);
  hive.setUint16(at + 2, entries.length);
  let p = at + 4;
  for (const entry of entries) {
    hive.setUint32(p, entry);
    if (signature === Signature.lh) hive.setUint32(p + 4, lhHash(names.nameOf(entry)));
    else if (signature === Signature.lf) hive.setUint32(p + 4, lfHint(names.nameOf(entry)));
    p += step;
  }
  return cell;
}

function writeIndexRoot(hive: CellStore, leaves: readonly number[]): number {
  const cell = hive.allocate(4 + leaves.length * 4);
  const at = hive.payload(cell);
  hive.setUint16(at, Signature.ri);
  hive.setUint16(at + 2, leaves.length);
  leaves.forEach((leaf, i) => hive.setUint32(at + 4 + i * 4, leaf));
  return cell;
}

/** What Windows creates: `lh` from regf 1.5 on, `lf` before; under an ri, v1.3 hives use `li` (regf.md §13). */
function newLeafSignature(hive: CellStore, underIndexRoot: boolean): number {
  if (hive.minorVersion >= 5) return Signature.lh;
  return underIndexRoot ? Signature.li : Signature.lf;
}

/**
 * Slots to give a list cell that must grow past `count` elements: exact while small (most keys have
 * a few subkeys), then 1.5× so n appends copy O(n) elements in total, never past `cap`. A cell larger
 * than its list is legal (regf.md §4: the size field is the cell's, the count is the list's).
 */
function grownSlots(count: number, cap: number): number {
  return Math.min(cap, count < 8 ? count + 1 : Math.ceil((count + 1) * 1.5));
}

/**
 * Makes room for `extra` more elements in a list cell (leaf or ri) holding `count` elements of
 * `step` bytes; moves it to a larger cell when needed. Returns the cell that now holds the list.
 */
function reserve(hive: CellStore, cell: number, count: number, step: number, cap: number): number {
  const needed = 4 + (count + 1) * step;
  if (needed <= -hive.cellSizeField(cell) - 4) return cell;
  const moved = hive.allocate(4 + grownSlots(count, cap) * step);
  const from = hive.payload(cell);
  hive.copyWithin(hive.payload(moved), from, from + 4 + count * step);
  hive.free(cell);
  return moved;
}

/** Inserts an element at `position` of a leaf that has room to grow; returns the leaf's (new) cell. */
function insertIntoLeaf(hive: CellStore, leaf: Leaf, position: number, child: number, name: string): number {
  const cell = reserve(hive, leaf.cell, leaf.count, leaf.step, LEAF_CAPACITY);
  const at = hive.payload(cell);
  const from = at + 4 + position * leaf.step;
  hive.copyWithin(from + leaf.step, from, at + 4 + leaf.count * leaf.step);
  hive.setUint32(from, child);
  if (leaf.signature === Signature.lh) hive.setUint32(from + 4, lhHash(name));
  else if (leaf.signature === Signature.lf) hive.setUint32(from + 4, lfHint(name));
  hive.setUint16(at + 2, leaf.count + 1);
  return cell;
}

/** A full leaf plus one entry, as two new half leaves (Windows' split, regf.md §5.2); frees the old leaf. */
function splitLeaf(hive: CellStore, leaf: Leaf, position: number, child: number, signature: number, names: KeyNames): [number, number] {
  const entries = leafEntries(hive, leaf);
  entries.splice(position, 0, child);
  const half = entries.length >>> 1;
  const first = writeLeaf(hive, signature, entries.slice(0, half), names);
  const second = writeLeaf(hive, signature, entries.slice(half), names);
  hive.free(leaf.cell);
  return [first, second];
}

function newSingleLeaf(hive: CellStore, child: number, names: KeyNames): number {
  return writeLeaf(hive, newLeafSignature(hive, false), [child], names);
}

/**
 * Where `name` is or would go in a list: the ri entry index of its leaf (-1 when the list is a lone
 * leaf), the checked leaf, the position in it, and the entry's cell when the name is there (else NIL).
 * Undefined when the list is empty or, after a tolerant-mode fault, unreadable.
 */
export interface ListSlot {
  list: number;
  index: number;
  leaf: Leaf;
  position: number;
  found: number;
}

export function locateInSubkeyList(hive: CellStore, list: number, name: string, names: KeyNames): ListSlot | undefined {
  if (list === NIL || hive.checkCell(list, 4, 'subkey list') < 0) return undefined;
  let index = -1;
  let leafCell = list;
  if (hive.view.getUint16(hive.payload(list), true) === Signature.ri) {
    const count = indexRootCount(hive, list);
    if (count === undefined || count === 0) return undefined;
    index = chooseLeaf(hive, list, count, name, names);
    leafCell = indexRootEntry(hive, list, index);
  }
  const leaf = openLeaf(hive, leafCell);
  if (leaf === undefined) return undefined;
  const position = searchLeaf(hive, leaf, name, names);
  return position < 0 ? { list, index, leaf, position: -position - 1, found: entryOf(hive, leaf, -position - 1) } : { list, index, leaf, position, found: NIL };
}

/** Finds the subkey named `name` (case-insensitively, by binary search) in a key's list. */
export function findInSubkeyList(hive: CellStore, list: number, name: string, names: KeyNames): number {
  return locateInSubkeyList(hive, list, name, names)?.found ?? NIL;
}

/**
 * Inserts `child` (named `name`) into the list `list` at its sorted place; returns the list's new
 * cell index. Only the leaf that receives the entry changes (in place when its cell has room); a leaf
 * that would pass 507 entries is split in two, and a single leaf becomes an ri of two leaves.
 * The caller has checked that no entry of that name exists; `slot`, when given, is
 * locateInSubkeyList's answer for this list and name, with no list edited since.
 * @throws {HiveFormatError} the list is broken (a bad leaf where the entry belongs)
 * @throws {HiveLimitError} the ri already holds 65,535 leaves
 */
export function insertIntoSubkeyList(hive: CellStore, list: number, child: number, name: string, names: KeyNames, slot?: ListSlot): number {
  if (list === NIL) return newSingleLeaf(hive, child, names);
  const where = slot !== undefined && slot.list === list ? slot : locateInSubkeyList(hive, list, name, names);
  if (where === undefined) throw new HiveFormatError('the subkey list is broken; refusing to add a key', list);
  const { index, leaf, position } = where;
  if (index < 0) {
    if (leaf.count < LEAF_CAPACITY) return insertIntoLeaf(hive, leaf, position, child, name);
    const signature = leaf.signature === Signature.lh ? Signature.lh : newLeafSignature(hive, true);
    return writeIndexRoot(hive, splitLeaf(hive, leaf, position, child, signature, names));
  }
  if (leaf.count < LEAF_CAPACITY) {
    const cell = insertIntoLeaf(hive, leaf, position, child, name);
    if (cell !== leaf.cell) hive.setUint32(hive.payload(list) + 4 + 4 * index, cell);
    return list;
  }
  const count = hive.view.getUint16(hive.payload(list) + 2, true);
  if (count >= MAX_INDEX_ROOT_ENTRIES) throw new HiveLimitError(`the subkey index root already holds ${count} leaves, the most its count field allows`, list);
  const [first, second] = splitLeaf(hive, leaf, position, child, leaf.signature, names);
  const ri = reserve(hive, list, count, 4, MAX_INDEX_ROOT_ENTRIES);
  const at = hive.payload(ri);
  const from = at + 4 + 4 * (index + 1);
  hive.copyWithin(from + 4, from, at + 4 + 4 * count);
  hive.setUint32(at + 4 + 4 * index, first);
  hive.setUint32(from, second);
  hive.setUint16(at + 2, count + 1);
  return ri;
}

/** Position of `child` in the leaf: by name first (O(log n)), by scanning when the list is out of order. */
function positionInLeaf(hive: CellStore, leaf: Leaf, child: number, name: string, names: KeyNames): number {
  const found = searchLeaf(hive, leaf, name, names);
  if (found < 0 && entryOf(hive, leaf, -found - 1) === child) return -found - 1;
  for (let i = 0; i < leaf.count; i++) if (entryOf(hive, leaf, i) === child) return i;
  return -1;
}

/** Removes element `position` of a leaf in place (the cell keeps its size). */
function removeFromLeaf(hive: CellStore, leaf: Leaf, position: number): void {
  const at = hive.payload(leaf.cell);
  const from = at + 4 + position * leaf.step;
  hive.copyWithin(from, from + leaf.step, at + 4 + leaf.count * leaf.step);
  hive.setUint16(at + 2, leaf.count - 1);
}

/**
 * Removes `child` from the list; returns the list's new cell index (NIL when it became empty). An
 * emptied leaf is dropped from its ri and an ri left with one leaf collapses into it (regf.md §11.5).
 */
export function removeFromSubkeyList(hive: CellStore, list: number, child: number, names: KeyNames): number {
  if (list === NIL || hive.checkCell(list, 4, 'subkey list') < 0) return list;
  const name = names.nameOf(child);
  if (hive.view.getUint16(hive.payload(list), true) !== Signature.ri) {
    const leaf = openLeaf(hive, list);
    if (leaf === undefined) return list;
    const position = positionInLeaf(hive, leaf, child, name, names);
    if (position < 0) return list;
    if (leaf.count === 1) {
      hive.free(list);
      return NIL;
    }
    removeFromLeaf(hive, leaf, position);
    return list;
  }
  const count = indexRootCount(hive, list);
  if (count === undefined || count === 0) return list;
  let index = chooseLeaf(hive, list, count, name, names);
  let leaf = openLeaf(hive, indexRootEntry(hive, list, index));
  let position = leaf === undefined ? -1 : positionInLeaf(hive, leaf, child, name, names);
  for (let i = 0; position < 0 && i < count; i++) {
    // Out-of-order list (another writer's bug): look in every leaf.
    index = i;
    leaf = openLeaf(hive, indexRootEntry(hive, list, i));
    position = leaf === undefined ? -1 : positionInLeaf(hive, leaf, child, name, names);
  }
  if (leaf === undefined || position < 0) return list;
  if (leaf.count > 1) {
    removeFromLeaf(hive, leaf, position);
    return list;
  }
  hive.free(leaf.cell);
  const at = hive.payload(list);
  hive.copyWithin(at + 4 + 4 * index, at + 4 + 4 * (index + 1), at + 4 + 4 * count);
  hive.setUint16(at + 2, count - 1);
  if (count - 1 === 0) {
    hive.free(list);
    return NIL;
  }
  if (count - 1 === 1) {
    const last = indexRootEntry(hive, list, 0);
    hive.free(list);
    return last;
  }
  return list;
}

/** The cells of a list: the list itself and, for an ri, each distinct leaf (not the keys they point at). */
export function subkeyListCells(hive: CellStore, list: number): number[] {
  if (list === NIL || hive.checkCell(list, 4, 'subkey list') < 0) return [];
  const cells = [list];
  if (hive.view.getUint16(hive.payload(list), true) === Signature.ri) {
    const count = indexRootCount(hive, list) ?? 0;
    const seen = new Set<number>();
    for (let i = 0; i < count; i++) {
      const leaf = indexRootEntry(hive, list, i);
      if (seen.has(leaf)) {
        hive.fault(leaf, `ri list 0x${list.toString(16)}: entry ${i} names a leaf already listed`);
        continue;
      }
      seen.add(leaf);
      if (hive.checkCell(leaf, 4, 'subkey list leaf') >= 0) cells.push(leaf);
    }
  }
  return cells;
}

/** Frees a list and its leaves (not the keys they point at). */
export function freeSubkeyList(hive: CellStore, list: number): void {
  for (const cell of subkeyListCells(hive, list)) hive.free(cell);
}

/** The subkey-list cell index of a key. */
export function subkeyListOf(hive: CellStore, key: number): number {
  return hive.view.getUint32(hive.payload(key) + KeyField.subkeyList, true);
}
