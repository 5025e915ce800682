import { KeyField, LEAF_CAPACITY, NIL, Signature } from './cells.js';
import type { Hive } from './hive.js';
import { lfHint, lhHash } from './names.js';
import { compareNames } from './upcase.js';

/**
 * Subkey lists: leaves (`li` 4-byte elements; `lf`/`lh` 8-byte elements carrying a name hint or
 * hash) and the index root `ri` whose elements are leaves (regf.md §5.2). All entries of a key, across
 * the leaves in ri order, are strictly ascending by Windows' case-insensitive name order.
 */

export type LeafKind = 'li' | 'lf' | 'lh';

function elementSize(signature: number): number {
  return signature === Signature.li || signature === Signature.ri ? 4 : 8;
}

function isLeafSignature(signature: number): boolean {
  return signature === Signature.lf || signature === Signature.lh || signature === Signature.li;
}

/**
 * Appends the nk cell indexes of a list (leaf or ri) to `out`, in order. Malformed lists fault
 * (throw, or in tolerant mode are skipped). `limit` bounds how many entries are accepted in total.
 */
export function readSubkeyList(hive: Hive, list: number, out: number[], limit = 0x7fffffff): void {
  if (list === NIL) return;
  const capacity = hive.checkCell(list, 4, 'subkey list');
  if (capacity < 0) return;
  const view = hive.view;
  const at = hive.payload(list);
  const signature = view.getUint16(at, true);
  const count = view.getUint16(at + 2, true);
  if (signature === Signature.ri) {
    if (4 + count * 4 > capacity) return hive.fault(list, `ri list: ${count} entries do not fit its cell`);
    for (let i = 0; i < count; i++) {
      const leaf = view.getUint32(at + 4 + i * 4, true);
      if (hive.checkCell(leaf, 4, 'subkey list leaf') < 0) continue;
      const leafSignature = view.getUint16(hive.payload(leaf), true);
      if (!isLeafSignature(leafSignature)) {
        hive.fault(leaf, `ri list 0x${list.toString(16)}: entry ${i} is not an li/lf/lh leaf`);
        continue;
      }
      readLeaf(hive, leaf, out, limit);
    }
    return;
  }
  if (!isLeafSignature(signature)) return hive.fault(list, 'subkey list: unknown signature (expected li, lf, lh or ri)');
  readLeaf(hive, list, out, limit);
}

function readLeaf(hive: Hive, leaf: number, out: number[], limit: number): void {
  const view = hive.view;
  const at = hive.payload(leaf);
  const signature = view.getUint16(at, true);
  const count = view.getUint16(at + 2, true);
  const step = elementSize(signature);
  const capacity = -view.getInt32(at - 4, true) - 4;
  if (4 + count * step > capacity) return hive.fault(leaf, `subkey leaf: ${count} entries do not fit its cell`);
  if (out.length + count > limit) return hive.fault(leaf, `subkey list: more entries than the key's subkey count`);
  for (let i = 0, p = at + 4; i < count; i++, p += step) out.push(view.getUint32(p, true));
}

/** Reads one key's name for comparisons, without decoding anything else. */
export type NameOf = (cell: number) => string;

interface LeafRef {
  cell: number;
  signature: number;
  entries: number[];
}

function leafEntries(hive: Hive, leaf: number): LeafRef {
  const at = hive.payload(leaf);
  const signature = hive.view.getUint16(at, true);
  const entries: number[] = [];
  readLeaf(hive, leaf, entries, 0x7fffffff);
  return { cell: leaf, signature, entries };
}

/**
 * The leaves of a list (the list itself when it is a leaf), each checked: an allocated cell with a
 * leaf signature whose entries fit. A bad one faults (throws, or is skipped in tolerant mode).
 */
function listLeaves(hive: Hive, list: number): LeafRef[] {
  if (list === NIL || hive.checkCell(list, 4, 'subkey list') < 0) return [];
  const signature = hive.view.getUint16(hive.payload(list), true);
  const leaves = signature === Signature.ri ? leavesOf(hive, list) : [list];
  const refs: LeafRef[] = [];
  for (const leaf of leaves) {
    if (hive.checkCell(leaf, 4, 'subkey list leaf') < 0) continue;
    if (!isLeafSignature(hive.view.getUint16(hive.payload(leaf), true))) {
      hive.fault(leaf, 'subkey list: unknown signature (expected li, lf, lh or ri leaves)');
      continue;
    }
    refs.push(leafEntries(hive, leaf));
  }
  return refs;
}

function writeLeaf(hive: Hive, signature: number, entries: readonly number[], nameOf: NameOf, reuse: number): number {
  const step = elementSize(signature);
  const payloadSize = 4 + entries.length * step;
  let cell = reuse;
  if (cell === NIL || -hive.cellSizeField(cell) - 4 < payloadSize) cell = hive.allocate(payloadSize);
  const view = hive.view;
  const at = hive.payload(cell);
  view.setUint16(at, signature, true);
  view.setUint16(at + 2, entries.length, true);
  let p = at + 4;
  for (const entry of entries) {
    view.setUint32(p, entry, true);
    if (signature === Signature.lh) view.setUint32(p + 4, lhHash(nameOf(entry)), true);
    else if (signature === Signature.lf) view.setUint32(p + 4, lfHint(nameOf(entry)), true);
    p += step;
  }
  if (cell !== reuse && reuse !== NIL) hive.free(reuse);
  return cell;
}

function writeIndexRoot(hive: Hive, leaves: readonly number[], reuse: number): number {
  const payloadSize = 4 + leaves.length * 4;
  let cell = reuse;
  if (cell === NIL || -hive.cellSizeField(cell) - 4 < payloadSize) cell = hive.allocate(payloadSize);
  const view = hive.view;
  const at = hive.payload(cell);
  view.setUint16(at, Signature.ri, true);
  view.setUint16(at + 2, leaves.length, true);
  leaves.forEach((leaf, i) => view.setUint32(at + 4 + i * 4, leaf, true));
  if (cell !== reuse && reuse !== NIL) hive.free(reuse);
  return cell;
}

/** What Windows creates: `lh` from regf 1.5 on, `lf` before; under an ri, v1.3 hives use `li` (regf.md §13). */
function newLeafSignature(hive: Hive, underIndexRoot: boolean): number {
  if (hive.minorVersion >= 5) return Signature.lh;
  return underIndexRoot ? Signature.li : Signature.lf;
}

/** Position where `name` goes in `entries` (binary search), or -(position + 1) when it is already there. */
function searchEntries(entries: readonly number[], name: string, nameOf: NameOf): number {
  let lo = 0;
  let hi = entries.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    const c = compareNames(nameOf(entries[mid]!), name);
    if (c === 0) return -(mid + 1);
    if (c < 0) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

/** Finds the subkey named `name` (case-insensitively, by binary search) in a key's list. */
export function findInSubkeyList(hive: Hive, list: number, name: string, nameOf: NameOf): number {
  for (const ref of listLeaves(hive, list)) {
    if (ref.entries.length === 0) continue;
    if (compareNames(nameOf(ref.entries[ref.entries.length - 1]!), name) < 0) continue;
    const position = searchEntries(ref.entries, name, nameOf);
    return position < 0 ? ref.entries[-position - 1]! : NIL;
  }
  return NIL;
}

function leavesOf(hive: Hive, indexRoot: number): number[] {
  const at = hive.payload(indexRoot);
  const count = hive.view.getUint16(at + 2, true);
  if (4 + count * 4 > -hive.cellSizeField(indexRoot) - 4) {
    hive.fault(indexRoot, `ri list: ${count} entries do not fit its cell`);
    return [];
  }
  const leaves: number[] = [];
  for (let i = 0; i < count; i++) leaves.push(hive.view.getUint32(at + 4 + 4 * i, true));
  return leaves;
}

/**
 * Inserts `child` (named `name`) into the list `list` at its sorted place; returns the list's new
 * cell index. Only the leaf that receives the entry is rewritten (in place when its cell has room); a
 * leaf that would pass 507 entries is split in two, and a single leaf becomes an ri of two leaves.
 * The caller has checked that no entry of that name exists.
 */
export function insertIntoSubkeyList(hive: Hive, list: number, child: number, name: string, nameOf: NameOf): number {
  if (list === NIL) return writeLeaf(hive, newLeafSignature(hive, false), [child], nameOf, NIL);
  const isIndexRoot = hive.view.getUint16(hive.payload(list), true) === Signature.ri;
  const refs = listLeaves(hive, list);
  if (refs.length === 0) return writeLeaf(hive, newLeafSignature(hive, false), [child], nameOf, NIL);
  let target = refs.length - 1;
  for (let i = 0; i < refs.length; i++) {
    const last = refs[i]!.entries[refs[i]!.entries.length - 1];
    if (last !== undefined && compareNames(nameOf(last), name) > 0) {
      target = i;
      break;
    }
  }
  const ref = refs[target]!;
  const position = searchEntries(ref.entries, name, nameOf);
  ref.entries.splice(position < 0 ? -position - 1 : position, 0, child);
  if (!isIndexRoot) {
    if (ref.entries.length <= LEAF_CAPACITY) return writeLeaf(hive, ref.signature, ref.entries, nameOf, list);
    const leafSignature = ref.signature === Signature.lh ? Signature.lh : newLeafSignature(hive, true);
    const half = ref.entries.length >>> 1;
    const first = writeLeaf(hive, leafSignature, ref.entries.slice(0, half), nameOf, NIL);
    const second = writeLeaf(hive, leafSignature, ref.entries.slice(half), nameOf, NIL);
    hive.free(list);
    return writeIndexRoot(hive, [first, second], NIL);
  }
  const leaves = refs.map((r) => r.cell);
  if (ref.entries.length <= LEAF_CAPACITY) {
    leaves[target] = writeLeaf(hive, ref.signature, ref.entries, nameOf, ref.cell);
  } else {
    const half = ref.entries.length >>> 1;
    const first = writeLeaf(hive, ref.signature, ref.entries.slice(0, half), nameOf, NIL);
    const second = writeLeaf(hive, ref.signature, ref.entries.slice(half), nameOf, NIL);
    hive.free(ref.cell);
    leaves.splice(target, 1, first, second);
  }
  return writeIndexRoot(hive, leaves, list);
}

/**
 * Removes `child` from the list; returns the list's new cell index (NIL when it became empty). An
 * emptied leaf is dropped from its ri and an ri left with one leaf collapses into it (regf.md §11.5).
 */
export function removeFromSubkeyList(hive: Hive, list: number, child: number, nameOf: NameOf): number {
  const refs = listLeaves(hive, list);
  if (refs.length === 0) return list;
  const isIndexRoot = hive.view.getUint16(hive.payload(list), true) === Signature.ri;
  if (!isIndexRoot) {
    const ref = refs[0]!;
    const index = ref.entries.indexOf(child);
    if (index < 0) return list;
    ref.entries.splice(index, 1);
    if (ref.entries.length === 0) {
      hive.free(list);
      return NIL;
    }
    return writeLeaf(hive, ref.signature, ref.entries, nameOf, list);
  }
  const leaves = refs.map((r) => r.cell);
  for (let i = 0; i < refs.length; i++) {
    const ref = refs[i]!;
    const index = ref.entries.indexOf(child);
    if (index < 0) continue;
    ref.entries.splice(index, 1);
    if (ref.entries.length === 0) {
      hive.free(ref.cell);
      leaves.splice(i, 1);
    } else {
      leaves[i] = writeLeaf(hive, ref.signature, ref.entries, nameOf, ref.cell);
    }
    break;
  }
  if (leaves.length === 0) {
    hive.free(list);
    return NIL;
  }
  if (leaves.length === 1) {
    hive.free(list);
    return leaves[0]!;
  }
  return writeIndexRoot(hive, leaves, list);
}

/** Frees a list and its leaves (not the keys they point at). */
export function freeSubkeyList(hive: Hive, list: number): void {
  if (list === NIL || hive.checkCell(list, 4, 'subkey list') < 0) return;
  if (hive.view.getUint16(hive.payload(list), true) === Signature.ri) {
    for (const ref of listLeaves(hive, list)) hive.free(ref.cell);
  }
  hive.free(list);
}

/** The subkey-list cell index of a key. */
export function subkeyListOf(hive: Hive, key: number): number {
  return hive.view.getUint32(hive.payload(key) + KeyField.subkeyList, true);
}
