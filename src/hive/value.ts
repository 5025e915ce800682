import { BIG_DATA_SEGMENT, DATA_INLINE, Signature, ValueField, ValueFlag } from './cells.js';
import { HiveLimitError } from './errors.js';
import type { CellStore, HiveFacade } from './store.js';
import { decodeLatin1, decodeUtf16le } from './names.js';

/** Registry value types (regf.md §5.4). Any other uint32 is legal and kept as is. */
export const ValueType = {
  REG_NONE: 0,
  REG_SZ: 1,
  REG_EXPAND_SZ: 2,
  REG_BINARY: 3,
  REG_DWORD: 4,
  REG_DWORD_BIG_ENDIAN: 5,
  REG_LINK: 6,
  REG_MULTI_SZ: 7,
  REG_RESOURCE_LIST: 8,
  REG_FULL_RESOURCE_DESCRIPTOR: 9,
  REG_RESOURCE_REQUIREMENTS_LIST: 10,
  REG_QWORD: 11,
} as const;

/** Largest value this engine stores: 65,535 big-data segments (the db count is a uint16). */
export const MAX_BIG_VALUE = 0xffff * BIG_DATA_SEGMENT;
/** Largest value in a 1.3 hive, which has no big data: one cell, which must fit in one bin. */
export const MAX_SINGLE_CELL_VALUE = 0x3fff0000;
const EMPTY = new Uint8Array(0);

/** Checks the cell holds a well-formed vk (faulting when not), without allocating anything. */
export function isValueCell(hive: CellStore, cell: number): boolean {
  const capacity = hive.checkCell(cell, 20, 'value');
  if (capacity < 0) return false;
  const at = hive.payload(cell);
  if (hive.view.getUint16(at, true) !== Signature.vk) {
    hive.fault(cell, 'value: the cell is not a "vk" record');
    return false;
  }
  if (20 + hive.view.getUint16(at + ValueField.nameLength, true) > capacity) {
    hive.fault(cell, 'value: its name runs past its cell');
    return false;
  }
  return true;
}

/** A value record (`vk`), read in place. */
export class ValueRecord {
  /** The hive the record belongs to (its cell store, typed as the Hive façade it is). */
  readonly hive: HiveFacade;
  readonly cell: number;

  constructor(hive: CellStore, cell: number) {
    this.hive = hive as HiveFacade;
    this.cell = cell;
  }

  /** Checks the cell holds a well-formed vk; returns undefined after a tolerant-mode fault. */
  static at(hive: CellStore, cell: number): ValueRecord | undefined {
    return isValueCell(hive, cell) ? new ValueRecord(hive, cell) : undefined;
  }

  get flags(): number {
    return this.hive.view.getUint16(this.hive.payload(this.cell) + ValueField.flags, true);
  }

  /** The value's name; "" is the default value. */
  get name(): string {
    const at = this.hive.payload(this.cell);
    const length = this.hive.view.getUint16(at + ValueField.nameLength, true);
    return this.flags & ValueFlag.compressedName
      ? decodeLatin1(this.hive.bytes, at + ValueField.name, length)
      : decodeUtf16le(this.hive.bytes, at + ValueField.name, length);
  }

  get type(): number {
    return this.hive.view.getUint32(this.hive.payload(this.cell) + ValueField.type, true);
  }

  get dataLength(): number {
    return this.hive.view.getUint32(this.hive.payload(this.cell) + ValueField.dataSize, true) & ~DATA_INLINE;
  }

  /** A v1.6 layered-key tombstone: the value is deleted in this layer (regf.md §5.4). */
  get isTombstone(): boolean {
    return (this.flags & ValueFlag.tombstone) !== 0;
  }

  /** The data bytes (a copy). Malformed storage faults; in tolerant mode it then reads as empty. */
  data(): Uint8Array {
    return readValueData(this.hive, this.cell) ?? EMPTY;
  }
}

/** Where a value's data lives; decided by its length and the hive version exactly as Windows does. */
export type DataStorage = 'inline' | 'cell' | 'big';

/**
 * Where a value's data of `length` bytes is stored in this hive: inline in the value cell (up to 4 bytes), in one data cell, or as big data (segments, hive version 1.4 and later only).
 */
export function storageFor(hive: CellStore, length: number): DataStorage {
  if (length <= 4) return 'inline';
  return hive.supportsBigData && length > BIG_DATA_SEGMENT ? 'big' : 'cell';
}

/**
 * The data of a vk, or undefined after a tolerant-mode fault. With `copy` false, inline and cell data
 * come back as views into the hive (valid until the next write); big data is always assembled anew.
 */
export function readValueData(hive: CellStore, vk: number, copy = true): Uint8Array | undefined {
  const view = hive.view;
  const at = hive.payload(vk);
  const sizeField = view.getUint32(at + ValueField.dataSize, true);
  const length = sizeField & ~DATA_INLINE;
  if (length === 0) return EMPTY;
  if (sizeField & DATA_INLINE) {
    if (length > 4) {
      hive.fault(vk, `value: inline data of ${length} bytes (at most 4 fit inline)`);
      return undefined;
    }
    return copy
      ? hive.bytes.slice(at + ValueField.data, at + ValueField.data + length)
      : hive.bytes.subarray(at + ValueField.data, at + ValueField.data + length);
  }
  const dataCell = view.getUint32(at + ValueField.data, true);
  if (storageFor(hive, length) === 'big') return readBigData(hive, dataCell, length);
  if (hive.checkCell(dataCell, length, 'value data') < 0) return undefined;
  const start = hive.payload(dataCell);
  return copy ? hive.bytes.slice(start, start + length) : hive.bytes.subarray(start, start + length);
}

/**
 * Reads a db value. Bounds (regf.md §5.6): the length must fit in the hive bins, the segment list in
 * its cell, and every segment must be a distinct allocated cell holding its share, all checked before
 * the output is allocated. Distinct segments hold distinct bytes, so the result is never larger than
 * the hive bins (one segment named 65,535 times would otherwise turn 16 KiB into 1 GiB), and the work
 * is linear in the bytes returned.
 */
function readBigData(hive: CellStore, db: number, length: number): Uint8Array | undefined {
  const segments = bigDataSegments(hive, db, length);
  if (segments === undefined) return undefined;
  const out = new Uint8Array(length);
  segments.forEach((segment, i) => {
    const take = Math.min(BIG_DATA_SEGMENT, length - i * BIG_DATA_SEGMENT);
    const start = hive.payload(segment);
    out.set(hive.bytes.subarray(start, start + take), i * BIG_DATA_SEGMENT);
  });
  return out;
}

/** The checked segment cells that hold `length` bytes of a db record, or undefined after a tolerant fault. */
function bigDataSegments(hive: CellStore, db: number, length: number): number[] | undefined {
  if (length > hive.hiveBinsSize) {
    hive.fault(db, `big data: a length of ${length} bytes is larger than the whole hive (${hive.hiveBinsSize} bytes of bins)`);
    return undefined;
  }
  if (hive.checkCell(db, 8, 'big data') < 0) return undefined;
  const view = hive.view;
  const at = hive.payload(db);
  if (view.getUint16(at, true) !== Signature.db) {
    hive.fault(db, 'big data: the cell is not a "db" record');
    return undefined;
  }
  const count = view.getUint16(at + 2, true);
  const needed = Math.ceil(length / BIG_DATA_SEGMENT);
  if (count < needed) {
    hive.fault(db, `big data: ${count} segments cannot hold ${length} bytes`);
    return undefined;
  }
  const list = view.getUint32(at + 4, true);
  if (hive.checkCell(list, needed * 4, 'big data segment list') < 0) return undefined;
  const listAt = hive.payload(list);
  const segments: number[] = [];
  const seen = new Set<number>();
  for (let i = 0; i < needed; i++) {
    const segment = view.getUint32(listAt + 4 * i, true);
    if (seen.has(segment)) {
      hive.fault(db, `big data: segment ${i} (cell 0x${segment.toString(16)}) is listed twice`);
      return undefined;
    }
    seen.add(segment);
    const take = Math.min(BIG_DATA_SEGMENT, length - i * BIG_DATA_SEGMENT);
    if (hive.checkCell(segment, take, 'big data segment') < 0) return undefined;
    segments.push(segment);
  }
  return segments;
}

/**
 * Every cell that holds a vk's data, checked (allocated, large enough, segments distinct): none for
 * inline or empty data; the data cell; or the db record, its segment list and the segments. Undefined
 * after a tolerant-mode fault. Used to free a value and, by walks, to make sure no two values share
 * storage (which would let a small file expand into gigabytes of output).
 */
export function valueStorageCells(hive: CellStore, vk: number): number[] | undefined {
  const view = hive.view;
  const at = hive.payload(vk);
  const sizeField = view.getUint32(at + ValueField.dataSize, true);
  const length = sizeField & ~DATA_INLINE;
  if (length === 0 || sizeField & DATA_INLINE) return [];
  const dataCell = view.getUint32(at + ValueField.data, true);
  if (storageFor(hive, length) === 'cell') return hive.checkCell(dataCell, length, 'value data') < 0 ? undefined : [dataCell];
  const segments = bigDataSegments(hive, dataCell, length);
  if (segments === undefined) return undefined;
  // Windows may list more segments than the length needs (count ≥ needed); those cells belong to the
  // value too.
  const dbAt = hive.payload(dataCell);
  const count = view.getUint16(dbAt + 2, true);
  const list = view.getUint32(dbAt + 4, true);
  if (hive.checkCell(list, count * 4, 'big data segment list') < 0) return undefined;
  const seen = new Set(segments);
  for (let i = segments.length; i < count; i++) {
    const segment = view.getUint32(hive.payload(list) + 4 * i, true);
    if (seen.has(segment)) {
      hive.fault(dataCell, `big data: segment ${i} (cell 0x${segment.toString(16)}) is listed twice`);
      return undefined;
    }
    seen.add(segment);
    if (hive.checkCell(segment, 0, 'big data segment') < 0) return undefined;
    segments.push(segment);
  }
  return [dataCell, list, ...segments];
}

/**
 * Stores data for a value and returns the vk's size and data fields. Inline when ≤ 4 bytes; one cell;
 * or, on regf ≥ 1.4 above 16,344 bytes, a `db` record, its segment list and 16,344-byte segments
 * (each a 16,352-byte cell, which fills a 16 KiB bin exactly, as Windows lays them out).
 */
export function writeValueData(hive: CellStore, data: Uint8Array): { sizeField: number; dataField: number } {
  const length = data.length;
  if (length <= 4) {
    let dataField = 0;
    for (let i = 0; i < length; i++) dataField |= data[i]! << (8 * i);
    return { sizeField: (DATA_INLINE | length) >>> 0, dataField: dataField >>> 0 };
  }
  if (storageFor(hive, length) === 'cell') {
    if (length > MAX_SINGLE_CELL_VALUE) throw new HiveLimitError(`a value of ${length} bytes does not fit in one cell of a regf 1.3 hive`);
    const cell = hive.allocate(length);
    hive.setBytes(data, hive.payload(cell));
    return { sizeField: length, dataField: cell };
  }
  if (length > MAX_BIG_VALUE) throw new HiveLimitError(`a value of ${length} bytes exceeds the big-data limit of ${MAX_BIG_VALUE} bytes`);
  const count = Math.ceil(length / BIG_DATA_SEGMENT);
  const segments: number[] = [];
  for (let i = 0; i < count; i++) {
    const chunk = data.subarray(i * BIG_DATA_SEGMENT, Math.min(length, (i + 1) * BIG_DATA_SEGMENT));
    // Every segment, the last one too, gets a full 16,344-byte payload (a 16,352-byte cell): that is
    // what every db value in the corpus shows (e.g. yarp BigDataHive's 1-byte last segment), and
    // readers such as hivex take (cell size − 8) bytes from each segment.
    const segment = hive.allocate(BIG_DATA_SEGMENT);
    hive.setBytes(chunk, hive.payload(segment));
    segments.push(segment);
  }
  const list = hive.allocate(count * 4);
  segments.forEach((segment, i) => hive.setUint32(hive.payload(list) + 4 * i, segment));
  const db = hive.allocate(8);
  const at = hive.payload(db);
  hive.setUint16(at, Signature.db);
  hive.setUint16(at + 2, count);
  hive.setUint32(at + 4, list);
  return { sizeField: length, dataField: db };
}

/**
 * Frees whatever cells hold a vk's data (nothing for inline or empty data).
 * @throws {HiveFormatError} the storage is malformed (strict mode; tolerant mode frees nothing)
 */
export function freeValueData(hive: CellStore, vk: number): void {
  for (const cell of valueStorageCells(hive, vk) ?? []) hive.free(cell);
}
