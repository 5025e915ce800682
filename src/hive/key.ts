import { KeyField, KeyFlag, NIL, Signature, ValueField, ValueFlag } from './cells.js';
import { HiveCycleError, HiveFormatError, HiveLimitError, HiveNameError, HiveNameExistsError, HiveNotFoundError, HiveUsageError } from './errors.js';
import type { FileTime } from './filetime.js';
import type { CellStore, HiveFacade } from './store.js';
import { decodeLatin1, decodeUtf16le, encodeName, encodeUtf16le, storedNameEquals } from './names.js';
import { addSecurityReference, createSecurity, defaultSecurityDescriptor, findOrCreateSecurity, readSecurity, releaseSecurity } from './security.js';
import type { CellMarks, KeyNames } from './subkey-list.js';
import { findInSubkeyList, insertIntoSubkeyList, locateInSubkeyList, readSubkeyList, removeFromSubkeyList, subkeyListCells } from './subkey-list.js';
import { UPCASE, upcaseName } from './upcase.js';
import { ValueRecord, freeValueData, isValueCell, valueStorageCells, writeValueData } from './value.js';

/** Key names: 1 to 255 UTF-16 code units, no backslash (regf.md §6.1, §9). */
export const MAX_KEY_NAME_LENGTH = 255;
/** Value names: 0 to 16,383 code units (regf.md §9). */
export const MAX_VALUE_NAME_LENGTH = 16383;
/** Keys with more values than this get a name → vk index so lookups stay O(1). */
const VALUE_INDEX_THRESHOLD = 16;

export function checkKeyName(name: string): void {
  if (name.length === 0) throw new HiveNameError('a key name cannot be empty');
  if (name.length > MAX_KEY_NAME_LENGTH) throw new HiveNameError(`key name of ${name.length} characters is longer than the ${MAX_KEY_NAME_LENGTH} allowed`);
  if (name.includes('\\')) throw new HiveNameError(`key name "${name}" contains a backslash, the path separator`);
}

export function checkValueName(name: string): void {
  if (name.length > MAX_VALUE_NAME_LENGTH)
    throw new HiveNameError(`value name of ${name.length} characters is longer than the ${MAX_VALUE_NAME_LENGTH} allowed`);
}

/** Creates the root nk and its security descriptor in a new hive; returns the root's cell index. */
export function initRootKey(hive: CellStore, name: string, timestamp: FileTime): number {
  checkKeyName(name);
  const sk = createSecurity(hive, defaultSecurityDescriptor(), NIL);
  const root = writeNewKey(hive, name, NIL, sk, timestamp);
  // Windows' root keys carry HIVE_ENTRY | NO_DELETE | COMP_NAME = 0x2C (regf.md §13).
  const flagsAt = hive.payload(root) + KeyField.flags;
  hive.setUint16(flagsAt, hive.view.getUint16(flagsAt, true) | KeyFlag.hiveEntry | KeyFlag.noDelete);
  return root;
}

function writeNewKey(hive: CellStore, name: string, parent: number, security: number, timestamp: FileTime): number {
  const encoded = encodeName(name);
  const cell = hive.allocate(KeyField.name + encoded.bytes.length);
  const at = hive.payload(cell);
  hive.setUint16(at, Signature.nk);
  hive.setUint16(at + KeyField.flags, encoded.compressed ? KeyFlag.compressedName : 0);
  hive.setBigUint64(at + KeyField.lastWritten, timestamp);
  hive.setUint32(at + KeyField.parent, parent);
  hive.setUint32(at + KeyField.subkeyList, NIL);
  hive.setUint32(at + KeyField.volatileSubkeyList, NIL);
  hive.setUint32(at + KeyField.valueList, NIL);
  hive.setUint32(at + KeyField.security, security);
  hive.setUint32(at + KeyField.className, NIL);
  hive.setUint16(at + KeyField.nameLength, encoded.bytes.length);
  hive.setBytes(encoded.bytes, at + KeyField.name);
  addSecurityReference(hive, security);
  return cell;
}

/** Checks the cell holds a well-formed nk (faulting when not), without allocating anything. */
export function isKeyCell(hive: CellStore, cell: number): boolean {
  const capacity = hive.checkCell(cell, KeyField.name, 'key');
  if (capacity < 0) return false;
  const at = hive.payload(cell);
  if (hive.view.getUint16(at, true) !== Signature.nk) {
    hive.fault(cell, 'key: the cell is not an "nk" record');
    return false;
  }
  if (KeyField.name + hive.view.getUint16(at + KeyField.nameLength, true) > capacity) {
    hive.fault(cell, 'key: its name runs past its cell');
    return false;
  }
  return true;
}

/**
 * Reads a key's name from its nk cell (the comparison key for list ordering), checking the cell first:
 * list entries come from the file. A bad entry faults (in tolerant mode it then reads as "").
 */
export function keyNameAt(hive: CellStore, cell: number): string {
  if (!isKeyCell(hive, cell)) return '';
  const at = hive.payload(cell);
  const length = hive.view.getUint16(at + KeyField.nameLength, true);
  return hive.view.getUint16(at + KeyField.flags, true) & KeyFlag.compressedName
    ? decodeLatin1(hive.bytes, at + KeyField.name, length)
    : decodeUtf16le(hive.bytes, at + KeyField.name, length);
}

/**
 * compareNames(keyNameAt(hive, cell), name), reading the stored name in place: list searches compare
 * ~20 names per lookup, and building each as a string made half the cost of adding a key (and most of
 * the garbage) in a list of a million.
 */
export function compareKeyName(hive: CellStore, cell: number, name: string): number {
  if (!isKeyCell(hive, cell)) return -name.length;
  const view = hive.view;
  const bytes = hive.bytes;
  const at = hive.payload(cell);
  const length = view.getUint16(at + KeyField.nameLength, true);
  const base = at + KeyField.name;
  if (view.getUint16(at + KeyField.flags, true) & KeyFlag.compressedName) {
    const n = Math.min(length, name.length);
    for (let i = 0; i < n; i++) {
      const d = UPCASE[bytes[base + i]!]! - UPCASE[name.charCodeAt(i)]!;
      if (d !== 0) return d;
    }
    return length - name.length;
  }
  const units = length >>> 1;
  const n = Math.min(units, name.length);
  for (let i = 0, p = base; i < n; i++, p += 2) {
    const d = UPCASE[bytes[p]! | (bytes[p + 1]! << 8)]! - UPCASE[name.charCodeAt(i)]!;
    if (d !== 0) return d;
  }
  return units - name.length;
}

/** The name readers subkey lists use for this hive's keys. */
export function keyNames(hive: CellStore): KeyNames {
  return { nameOf: (cell) => keyNameAt(hive, cell), compare: (cell, name) => compareKeyName(hive, cell, name) };
}

/**
 * The value-list cell of a key with values, checked, or NIL (no values, or a tolerant-mode fault).
 * Its `valueCount` uint32 entries are the vk cells, in enumeration order.
 */
export function valueListOf(hive: CellStore, key: number): number {
  const at = hive.payload(key);
  const count = hive.view.getUint32(at + KeyField.valueCount, true);
  if (count === 0) return NIL;
  const list = hive.view.getUint32(at + KeyField.valueList, true);
  return hive.checkCell(list, count * 4, 'value list') < 0 ? NIL : list;
}

/**
 * The vk cell of the value named `name` ("" for the default value) in `key`, or NIL: case-insensitive
 * through the Windows upcase table, faulting on malformed vks as ValueRecord.at. Keys with more than
 * VALUE_INDEX_THRESHOLD values get a name → vk index (hive.valueIndexes) that serves later lookups;
 * below, stored names are compared in place (storedNameEquals), nothing decoded or allocated:
 * decoding and upcasing every name was half of a NETCONFIGURATION query (issue 10's profile).
 */
export function findValue(hive: CellStore, key: number, name: string): number {
  const cached = hive.valueIndexes.get(key);
  if (cached !== undefined) return cached.get(upcaseName(name)) ?? NIL;
  const list = valueListOf(hive, key);
  if (list === NIL) return NIL;
  const view = hive.view;
  const count = view.getUint32(hive.payload(key) + KeyField.valueCount, true);
  const listAt = hive.payload(list);
  if (count > VALUE_INDEX_THRESHOLD) {
    const index = new Map<string, number>();
    for (let i = 0; i < count; i++) {
      const vk = view.getUint32(listAt + 4 * i, true);
      const value = ValueRecord.at(hive, vk);
      if (value !== undefined) index.set(upcaseName(value.name), vk);
    }
    hive.valueIndexes.set(key, index);
    return index.get(upcaseName(name)) ?? NIL;
  }
  const bytes = hive.bytes;
  for (let i = 0; i < count; i++) {
    const vk = view.getUint32(listAt + 4 * i, true);
    if (!isValueCell(hive, vk)) continue;
    const at = hive.payload(vk);
    const compressed = (view.getUint16(at + ValueField.flags, true) & ValueFlag.compressedName) !== 0;
    if (storedNameEquals(bytes, at + ValueField.name, view.getUint16(at + ValueField.nameLength, true), compressed, name)) return vk;
  }
  return NIL;
}

/** A key node (`nk`), read and written in place. Hold it only while the key exists. */
export class KeyNode {
  /** The hive the record belongs to (its cell store, typed as the Hive façade it is). */
  readonly hive: HiveFacade;
  readonly cell: number;

  constructor(hive: CellStore, cell: number) {
    this.hive = hive as HiveFacade;
    this.cell = cell;
  }

  /** Checks the cell holds a well-formed nk; returns undefined after a tolerant-mode fault. */
  static at(hive: CellStore, cell: number): KeyNode | undefined {
    return isKeyCell(hive, cell) ? new KeyNode(hive, cell) : undefined;
  }

  private u16(field: number): number {
    return this.hive.view.getUint16(this.hive.payload(this.cell) + field, true);
  }

  private u32(field: number): number {
    return this.hive.view.getUint32(this.hive.payload(this.cell) + field, true);
  }

  private setU32(field: number, value: number): void {
    this.hive.setUint32(this.hive.payload(this.cell) + field, value);
  }

  get name(): string {
    return keyNameAt(this.hive, this.cell);
  }

  get flags(): number {
    return this.u16(KeyField.flags);
  }

  get isRoot(): boolean {
    return this.cell === this.hive.rootCell;
  }

  get lastWritten(): FileTime {
    return this.hive.view.getBigUint64(this.hive.payload(this.cell) + KeyField.lastWritten, true);
  }

  set lastWritten(time: FileTime) {
    this.hive.setBigUint64(this.hive.payload(this.cell) + KeyField.lastWritten, time);
  }

  /** Access bits (Windows 8+): bit 0 accessed before registry initialisation, bit 1 after (regf.md §5.1). */
  get accessBits(): number {
    return this.hive.bytes[this.hive.payload(this.cell) + KeyField.accessBits]!;
  }

  /**
   * Layered keys (regf 1.6 differencing hives): 0 normal, 1 tombstone (deleted in this layer),
   * 2 supersede local, 3 supersede tree — bits 0–1 of the byte after the access bits (regf.md §5.1).
   */
  get layerSemantics(): number {
    return this.hive.bytes[this.hive.payload(this.cell) + KeyField.accessBits + 1]! & 0x3;
  }

  /** Layered keys: the class name is inherited from the lower layer (bit 7 of the same byte). */
  get inheritsClass(): boolean {
    return (this.hive.bytes[this.hive.payload(this.cell) + KeyField.accessBits + 1]! & 0x80) !== 0;
  }

  get subkeyCount(): number {
    return this.u32(KeyField.subkeyCount);
  }

  get valueCount(): number {
    return this.u32(KeyField.valueCount);
  }

  get securityCell(): number {
    return this.u32(KeyField.security);
  }

  /** The parent key, or undefined for the root (whose parent field is meaningless, regf.md §5.1). */
  parent(): KeyNode | undefined {
    if (this.isRoot) return undefined;
    return KeyNode.at(this.hive, this.u32(KeyField.parent));
  }

  /** The class name, or undefined when the key has none (regf.md §5.7). */
  get className(): string | undefined {
    const cell = this.u32(KeyField.className);
    const length = this.u16(KeyField.classNameLength);
    if (cell === NIL || length === 0) return undefined;
    if (this.hive.checkCell(cell, length, 'class name') < 0) return undefined;
    return decodeUtf16le(this.hive.bytes, this.hive.payload(cell), length);
  }

  /** The self-relative security descriptor bytes of the key's sk. */
  securityDescriptor(): Uint8Array | undefined {
    return readSecurity(this.hive, this.securityCell)?.descriptor;
  }

  /**
   * Cell indexes of the subkeys, in list order. A walk passes its set of list cells already read
   * (`claimed`), so that a list shared by two keys faults instead of being read again.
   */
  subkeyCells(claimed?: CellMarks): number[] {
    const out: number[] = [];
    readSubkeyList(this.hive, this.u32(KeyField.subkeyList), out, this.subkeyCount, claimed);
    if (out.length !== this.subkeyCount) {
      this.hive.fault(this.cell, `key "${this.name}": its subkey lists hold ${out.length} entries but its count says ${this.subkeyCount}`);
    }
    return out;
  }

  /**
   * The subkeys of this key, in the order of its subkey list (a tolerant hive leaves out those it cannot read).
   */
  subkeys(): KeyNode[] {
    const keys: KeyNode[] = [];
    for (const cell of this.subkeyCells()) {
      const key = KeyNode.at(this.hive, cell);
      if (key !== undefined) keys.push(key);
    }
    return keys;
  }

  /** The subkey named `name`, compared case-insensitively through the Windows upcase table. */
  subkey(name: string): KeyNode | undefined {
    const cell = findInSubkeyList(this.hive, this.u32(KeyField.subkeyList), name, keyNames(this.hive));
    return cell === NIL ? undefined : new KeyNode(this.hive, cell);
  }

  /** Cell indexes of the value records, in value-list (enumeration) order. */
  valueCells(): number[] {
    const list = valueListOf(this.hive, this.cell);
    if (list === NIL) return [];
    const count = this.valueCount;
    const at = this.hive.payload(list);
    const out = new Array<number>(count);
    for (let i = 0; i < count; i++) out[i] = this.hive.view.getUint32(at + 4 * i, true);
    return out;
  }

  /**
   * The values of this key, in the order of its value list (a tolerant hive leaves out those it cannot read).
   */
  values(): ValueRecord[] {
    const values: ValueRecord[] = [];
    for (const cell of this.valueCells()) {
      const value = ValueRecord.at(this.hive, cell);
      if (value !== undefined) values.push(value);
    }
    return values;
  }

  /** The value named `name` ("" for the default value), case-insensitively. */
  value(name: string): ValueRecord | undefined {
    const cell = findValue(this.hive, this.cell, name);
    return cell === NIL ? undefined : new ValueRecord(this.hive, cell);
  }

  // ---- writing -----------------------------------------------------------------------------

  private touch(): void {
    this.lastWritten = this.hive.clock();
  }

  private raiseMax(field: number, value: number, mask = 0xffffffff): void {
    const current = this.u32(field);
    const low = current & mask;
    if (value > low) this.setU32(field, ((current & ~mask) | Math.min(value, mask)) >>> 0);
  }

  /**
   * Creates a subkey that inherits this key's security descriptor (refcount + 1) and inserts it at its
   * sorted place in the subkey list (regf.md §11, "Create key").
   * @throws {HiveNameError} empty name, longer than 255, or containing a backslash
   * @throws {HiveNameExistsError} a subkey of that name exists (case-insensitively)
   */
  addSubkey(name: string, options: { className?: string } = {}): KeyNode {
    this.hive.assertWritable();
    checkKeyName(name);
    const hive = this.hive;
    const names = keyNames(hive);
    // One search serves both the duplicate check and the insertion (allocating the nk changes no list).
    const slot = locateInSubkeyList(hive, this.u32(KeyField.subkeyList), name, names);
    if (slot !== undefined && slot.found !== NIL) throw new HiveNameExistsError(`a subkey named "${name}" already exists under "${this.name}"`, this.cell);
    if (this.subkeyCount >= 0xffff * 0xffff) throw new HiveLimitError('too many subkeys', this.cell);
    const now = hive.clock();
    const child = writeNewKey(hive, name, this.cell, this.securityCell, now);
    const list = insertIntoSubkeyList(hive, this.u32(KeyField.subkeyList), child, name, names, slot);
    this.setU32(KeyField.subkeyList, list);
    this.setU32(KeyField.subkeyCount, this.subkeyCount + 1);
    this.raiseMax(KeyField.maxSubkeyNameLength, name.length * 2, 0xffff);
    this.lastWritten = now;
    const key = new KeyNode(hive, child);
    if (options.className !== undefined) key.setClassName(options.className);
    return key;
  }

  /** Opens or creates each component of a backslash-separated path below this key. */
  ensurePath(path: string): KeyNode {
    let key: KeyNode = this;
    for (const part of path.split('\\')) {
      if (part === '') continue;
      key = key.subkey(part) ?? key.addSubkey(part);
    }
    return key;
  }

  /**
   * Deletes the subkey named `name` and everything below it, freeing every cell they used. The whole
   * subtree is walked (iteratively) and every cell it would free checked before the first byte
   * changes: a subtree that leads back to an ancestor, to the root or to a key reached twice, a cell
   * owned twice, or a security descriptor whose count or links are wrong, refuse the deletion.
   * @throws {HiveNotFoundError} no such subkey
   * @throws {HiveCycleError} the subtree is not a tree (its offset is the key reached twice)
   * @throws {HiveFormatError} a record in the subtree is malformed (nothing was changed)
   * @throws {HiveUsageError} the hive is read-only
   */
  deleteSubkey(name: string): void {
    const hive = this.hive;
    hive.assertWritable();
    const child = this.subkey(name);
    if (child === undefined) throw new HiveNotFoundError(`no subkey named "${name}" under "${this.name}"`, this.cell);
    const plan = planKeyTreeDeletion(hive, this, child.cell);
    // Bins are indexed for freeing on demand: a bin whose cells do not tile refuses here, before any write.
    hive.prepareFree(plan.cells);
    const list = removeFromSubkeyList(hive, this.u32(KeyField.subkeyList), child.cell, keyNames(hive));
    this.setU32(KeyField.subkeyList, list);
    this.setU32(KeyField.subkeyCount, this.subkeyCount - 1);
    this.touch();
    for (const sk of plan.securityReleases) releaseSecurity(hive, sk);
    for (const cell of plan.cells) hive.free(cell);
    for (const key of plan.keys) hive.valueIndexes.delete(key);
  }

  /**
   * Renames this key and moves it to its new sorted place in the parent's list. Returns the key,
   * which lives in a new cell when the new name does not fit the old one.
   */
  rename(newName: string): KeyNode {
    this.hive.assertWritable();
    checkKeyName(newName);
    const parent = this.parent();
    if (parent === undefined) throw new HiveUsageError('the root key cannot be renamed through its parent list; its name is not part of any path', this.cell);
    const existing = parent.subkey(newName);
    if (existing !== undefined && existing.cell !== this.cell)
      throw new HiveNameExistsError(`a subkey named "${newName}" already exists under "${parent.name}"`, parent.cell);
    const hive = this.hive;
    const names = keyNames(hive);
    const parentListField = hive.payload(parent.cell) + KeyField.subkeyList;
    let list = removeFromSubkeyList(hive, hive.view.getUint32(parentListField, true), this.cell, names);
    const encoded = encodeName(newName);
    let cell = this.cell;
    const capacity = -hive.cellSizeField(cell) - 4;
    if (KeyField.name + encoded.bytes.length > capacity) {
      cell = hive.allocate(KeyField.name + encoded.bytes.length);
      hive.copyWithin(hive.payload(cell), hive.payload(this.cell), hive.payload(this.cell) + KeyField.name);
      for (const childCell of this.subkeyCells()) hive.setUint32(hive.payload(childCell) + KeyField.parent, cell);
      hive.free(this.cell);
      const index = hive.valueIndexes.get(this.cell);
      hive.valueIndexes.delete(this.cell);
      if (index !== undefined) hive.valueIndexes.set(cell, index);
    }
    const at = hive.payload(cell);
    const flags = hive.view.getUint16(at + KeyField.flags, true);
    hive.setUint16(at + KeyField.flags, encoded.compressed ? flags | KeyFlag.compressedName : flags & ~KeyFlag.compressedName);
    hive.setUint16(at + KeyField.nameLength, encoded.bytes.length);
    hive.setBytes(encoded.bytes, at + KeyField.name);
    list = insertIntoSubkeyList(hive, list, cell, newName, names);
    hive.setUint32(parentListField, list);
    parent.raiseMax(KeyField.maxSubkeyNameLength, newName.length * 2, 0xffff);
    parent.touch();
    return new KeyNode(hive, cell);
  }

  /**
   * Sets a value: new data is written before the vk points at it and the old data is freed after
   * (regf.md §11, "Set value"). A new value is appended to the value list.
   */
  setValue(name: string, type: number, data: Uint8Array): ValueRecord {
    this.hive.assertWritable();
    checkValueName(name);
    const hive = this.hive;
    const existing = findValue(this.hive, this.cell, name);
    if (existing !== NIL) {
      hive.prepareFree(valueStorageCells(hive, existing) ?? []);
      const stored = writeValueData(hive, data);
      freeValueData(hive, existing);
      const at = hive.payload(existing);
      hive.setUint32(at + ValueField.dataSize, stored.sizeField);
      hive.setUint32(at + ValueField.data, stored.dataField);
      hive.setUint32(at + ValueField.type, type >>> 0);
      hive.setUint16(at + ValueField.flags, hive.view.getUint16(at + ValueField.flags, true) & ~ValueFlag.tombstone);
      this.raiseMax(KeyField.maxValueDataLength, data.length);
      this.touch();
      return new ValueRecord(hive, existing);
    }
    const encoded = encodeName(name);
    const stored = writeValueData(hive, data);
    const vk = hive.allocate(ValueField.name + encoded.bytes.length);
    const at = hive.payload(vk);
    hive.setUint16(at, Signature.vk);
    hive.setUint16(at + ValueField.nameLength, encoded.bytes.length);
    hive.setUint32(at + ValueField.dataSize, stored.sizeField);
    hive.setUint32(at + ValueField.data, stored.dataField);
    hive.setUint32(at + ValueField.type, type >>> 0);
    hive.setUint16(at + ValueField.flags, encoded.compressed ? ValueFlag.compressedName : 0);
    hive.setBytes(encoded.bytes, at + ValueField.name);
    this.appendToValueList(vk);
    hive.valueIndexes.get(this.cell)?.set(upcaseName(name), vk);
    this.raiseMax(KeyField.maxValueNameLength, name.length * 2);
    this.raiseMax(KeyField.maxValueDataLength, data.length);
    this.touch();
    return new ValueRecord(hive, vk);
  }

  private appendToValueList(vk: number): void {
    const hive = this.hive;
    const count = this.valueCount;
    // With no values the list pointer should be nil; a stale one from another writer is ignored
    // (at worst a leaked cell), never trusted.
    const list = count === 0 ? NIL : this.u32(KeyField.valueList);
    if (list !== NIL && hive.checkCell(list, count * 4, 'value list') < 0)
      throw new HiveFormatError('value list is broken; refusing to add a value', this.cell);
    const capacity = list === NIL ? 0 : (-hive.cellSizeField(list) - 4) >>> 2;
    let target = list;
    if (count + 1 > capacity) {
      // Lists grow geometrically once long, so appending n values costs O(n), not O(n²); a values
      // list cell may be longer than 4 × count (regf.md §5.3).
      const slots = count < 16 ? count + 1 : Math.ceil((count + 1) * 1.5);
      target = hive.allocate(slots * 4);
      if (count > 0) hive.copyWithin(hive.payload(target), hive.payload(list), hive.payload(list) + count * 4);
      if (list !== NIL) hive.free(list);
      this.setU32(KeyField.valueList, target);
    }
    hive.setUint32(hive.payload(target) + count * 4, vk);
    this.setU32(KeyField.valueCount, count + 1);
  }

  /**
   * Deletes a value, keeping the order of the others.
   * @throws {HiveNotFoundError} no such value
   */
  deleteValue(name: string): void {
    this.hive.assertWritable();
    const vk = findValue(this.hive, this.cell, name);
    if (vk === NIL) throw new HiveNotFoundError(`no value named "${name}" in key "${this.name}"`, this.cell);
    const hive = this.hive;
    const cells = this.valueCells();
    const index = cells.indexOf(vk);
    const list = this.u32(KeyField.valueList);
    const at = hive.payload(list);
    hive.copyWithin(at + index * 4, at + (index + 1) * 4, at + cells.length * 4);
    this.setU32(KeyField.valueCount, cells.length - 1);
    if (cells.length === 1) {
      hive.free(list);
      this.setU32(KeyField.valueList, NIL);
    }
    hive.valueIndexes.get(this.cell)?.delete(upcaseName(new ValueRecord(hive, vk).name));
    freeValueData(hive, vk);
    hive.free(vk);
    this.touch();
  }

  /** Sets (or, with undefined, removes) the key's class name; the parent's largest-class field follows. */
  setClassName(className: string | undefined): void {
    this.hive.assertWritable();
    const hive = this.hive;
    const old = this.u32(KeyField.className);
    if (className !== undefined && className.length > 0) {
      const bytes = encodeUtf16le(className);
      if (bytes.length > 0xffff) throw new HiveLimitError('a class name is limited to 32,767 characters', this.cell);
      const cell = hive.allocate(bytes.length);
      hive.setBytes(bytes, hive.payload(cell));
      this.setU32(KeyField.className, cell);
      hive.setUint16(hive.payload(this.cell) + KeyField.classNameLength, bytes.length);
      this.parent()?.raiseMax(KeyField.maxSubkeyClassLength, bytes.length);
    } else {
      this.setU32(KeyField.className, NIL);
      hive.setUint16(hive.payload(this.cell) + KeyField.classNameLength, 0);
    }
    if (old !== NIL && old !== 0 && hive.checkCell(old, 0, 'class name') >= 0) hive.free(old);
    this.touch();
  }

  /** Points the key at an sk holding `descriptor`, shared with other keys when identical. */
  setSecurityDescriptor(descriptor: Uint8Array): void {
    this.hive.assertWritable();
    const hive = this.hive;
    const old = this.securityCell;
    const target = findOrCreateSecurity(hive, descriptor, old);
    if (target === old) return;
    addSecurityReference(hive, target);
    this.setU32(KeyField.security, target);
    releaseSecurity(hive, old);
  }
}

interface DeletionPlan {
  /** The nk cells of the subtree. */
  keys: number[];
  /** Every cell to free, each once: keys, value lists, values and their data, class names, subkey lists. */
  cells: number[];
  /** One sk per key of the subtree (an sk appears as often as keys use it). */
  securityReleases: number[];
}

/**
 * Walks the subtree at `top` with an explicit stack (any depth, each key once) and lists what deleting
 * it frees, checking everything first, so that a hostile hive makes the deletion fail without any
 * change. Cost: linear in the subtree's cells. The walk starts with the hive root, `parent` and `top`
 * already seen, so a list leading back to any ancestor on the path is found: the ancestor's own list
 * leads down to `parent`, which is then reached a second time.
 */
function planKeyTreeDeletion(hive: CellStore, parent: KeyNode, top: number): DeletionPlan {
  const problemsBefore = hive.problems.length;
  const seen = new Set<number>([hive.rootCell, parent.cell, top]);
  const claimedLists = new Set<number>();
  const owned = new Set<number>();
  const plan: DeletionPlan = { keys: [], cells: [], securityReleases: [] };
  const own = (cell: number, what: string): void => {
    if (owned.has(cell)) throw new HiveFormatError(`${what}: cell 0x${cell.toString(16)} is used twice in the subtree; refusing to delete`, cell);
    owned.add(cell);
    plan.cells.push(cell);
  };
  const stack = [top];
  while (stack.length > 0) {
    const cell = stack.pop()!;
    const key = KeyNode.at(hive, cell);
    if (key === undefined) continue;
    plan.keys.push(cell);
    own(cell, 'key');
    const at = hive.payload(cell);
    const view = hive.view;
    for (const child of key.subkeyCells(claimedLists)) {
      if (seen.has(child)) {
        throw new HiveCycleError(
          `the subtree of "${keyNameAt(hive, top)}" leads back to a key reached before (a subkey list cycle or a shared key); refusing to delete`,
          child,
        );
      }
      seen.add(child);
      stack.push(child);
    }
    for (const listCell of subkeyListCells(hive, view.getUint32(at + KeyField.subkeyList, true))) own(listCell, 'subkey list');
    const valueCount = view.getUint32(at + KeyField.valueCount, true);
    const valueList = view.getUint32(at + KeyField.valueList, true);
    if (valueCount > 0 && valueList !== NIL) {
      own(valueList, 'value list');
      for (const vk of key.valueCells()) {
        if (ValueRecord.at(hive, vk) === undefined) continue;
        own(vk, 'value');
        for (const dataCell of valueStorageCells(hive, vk) ?? []) own(dataCell, 'value data');
      }
    }
    const className = view.getUint32(at + KeyField.className, true);
    if (className !== NIL && view.getUint16(at + KeyField.classNameLength, true) > 0 && hive.checkCell(className, 0, 'class name') >= 0)
      own(className, 'class name');
    plan.securityReleases.push(key.securityCell);
  }
  checkSecurityReleases(hive, plan.securityReleases);
  if (hive.problems.length > problemsBefore) {
    throw new HiveFormatError(`the subtree of "${keyNameAt(hive, top)}" is malformed (${hive.problems[problemsBefore]!.message}); refusing to delete`, top);
  }
  return plan;
}

/** Each sk released must count at least that many users, and one that reaches 0 must have sound links. */
function checkSecurityReleases(hive: CellStore, releases: readonly number[]): void {
  const uses = new Map<number, number>();
  for (const sk of releases) uses.set(sk, (uses.get(sk) ?? 0) + 1);
  for (const [sk, count] of uses) {
    const record = readSecurity(hive, sk);
    if (record === undefined) continue;
    if (record.referenceCount < count) {
      throw new HiveFormatError(`security descriptor: reference count ${record.referenceCount} but ${count} keys being deleted use it; refusing to delete`, sk);
    }
    if (record.referenceCount === count && record.flink !== sk) {
      if (readSecurity(hive, record.flink) === undefined || readSecurity(hive, record.blink) === undefined) {
        throw new HiveFormatError('security descriptor list is broken; refusing to delete', sk);
      }
    }
  }
}
