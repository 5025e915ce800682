import { CellAllocator } from './allocator.js';
import { BASE_BLOCK_SIZE, BaseBlockField } from './base-block.js';
import { NIL } from './cells.js';
import { DirtySet } from './dirty.js';
import { HiveFormatError, HiveLimitError, HiveUsageError } from './errors.js';
import type { FileTime } from './filetime.js';

/**
 * The cell store: the bottom of the hive engine. It owns the hive's memory (base block and bins), the
 * bins' layout, the allocator and the dirty set, and every write to the hive goes through it so that
 * the dirty set never misses a byte. The records (key.ts, value.ts, subkey-list.ts, security.ts) use
 * it; `Hive` (hive.ts) is the façade above it (open, create, root, serialize). Nothing here imports a
 * record or the façade.
 */

export const HBIN_SIGNATURE = 0x6e696268; // "hbin"
/** Size of a hive bin's header in bytes (32); the first cell of a bin follows it. */
export const HBIN_HEADER_SIZE = 32;
/** Size of a page in bytes (4096): the base block and every hive bin are multiples of it. */
export const PAGE_SIZE = 4096;
/** Cell indexes are uint32 and bit 31 means "volatile storage" in memory: stable hives stay below 2 GiB (regf.md §9). */
export const MAX_HIVE_BINS_SIZE = 0x7fff0000;
/** Problems a tolerant hive lists before it stops listing them (see Hive.fault). */
export const MAX_PROBLEMS = 10_000;

/**
 * A fault a tolerant hive skipped instead of throwing: the error's `code`, the cell `offset` and a message.
 */
export interface HiveProblem {
  code: string;
  offset: number;
  message: string;
}

/**
 * The type records hand back as their `hive`. hive.ts fills it in by declaration merging
 * (`interface StoreFacade { hive: Hive }`), so that `key.hive` is typed as the `Hive` it is at run time
 * while no record module imports hive.ts: the import graph stays acyclic (store ← records ← Hive).
 */
// biome-ignore lint/suspicious/noEmptyInterface: filled in by declaration merging in hive.ts
export interface StoreFacade {}
/** The façade type (Hive) when hive.ts is part of the program, else the store itself. */
export type HiveFacade = StoreFacade extends { hive: infer H } ? H : CellStore;

/** How a {@link CellStore} treats its bytes: tolerance of broken structures, the clock, in-place growth. */
export interface StoreOptions {
  /** Read past broken structures, listing them, instead of throwing. */
  tolerant?: boolean;
  /** The time stamps of changed keys and of the base block. */
  clock: () => FileTime;
  /** The memory may grow in place up to the end of its ArrayBuffer (an adopted, private buffer). */
  growInPlace?: boolean;
}

/**
 * The bottom of a hive: its bytes, bins, cells, allocator and dirty set. Every write goes through its
 * write methods, which record what changed; {@link Hive} is the façade above it.
 */
export class CellStore {
  /**
   * The whole file image; its length may exceed `BASE_BLOCK_SIZE + hiveBinsSize` (spare capacity).
   * Read it freely; write only through the store's write methods (setUint32, setBytes, …), which
   * record what changed for commits.
   */
  bytes: Uint8Array;
  /** A view over `bytes` for reading. Writes go through the store's methods (see `bytes`). */
  view: DataView;
  hiveBinsSize: number;
  readonly tolerant: boolean;
  readonly problems: HiveProblem[] = [];
  /**
   * The source of "now" for key timestamps and the base block (from {@link HiveOptions.clock}; default {@link fileTimeNow}).
   */
  readonly clock: () => FileTime;
  /** Byte offsets (relative to the hive-bins start) of every bin, ascending; cell→bin lookups use it. */
  binStarts: number[] = [];
  /** Per-key caches of value names, for keys with many values (see findValue in key.ts). */
  readonly valueIndexes = new Map<number, Map<string, number>>();
  /**
   * What was written since the hive was opened or last committed: 512-byte sectors of the hive bins
   * and the base block. A commit writes exactly these (see node/commit.ts).
   */
  changes: DirtySet;
  /** The hive-bins size the file on disk has (at open, or at the last commit): bins past it are growth. */
  committedBinsSize: number;
  protected writeBlockedReason: string | undefined;
  private allocatorInstance: CellAllocator | undefined;
  private readonly growInPlace: boolean;

  protected constructor(bytes: Uint8Array, hiveBinsSize: number, options: StoreOptions) {
    this.bytes = bytes;
    this.view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
    this.hiveBinsSize = hiveBinsSize;
    this.tolerant = options.tolerant ?? false;
    this.clock = options.clock;
    this.growInPlace = options.growInPlace ?? false;
    this.changes = new DirtySet(hiveBinsSize);
    this.committedBinsSize = hiveBinsSize;
  }

  get minorVersion(): number {
    return this.view.getUint32(BaseBlockField.minorVersion, true);
  }

  get majorVersion(): number {
    return this.view.getUint32(BaseBlockField.majorVersion, true);
  }

  get rootCell(): number {
    return this.view.getUint32(BaseBlockField.rootCell, true);
  }

  /** Big data (`db`) exists from regf 1.4 on (regf.md §5.6). */
  get supportsBigData(): boolean {
    return this.minorVersion >= 4;
  }

  /**
   * Reports a malformed structure: throws in strict mode, records it in tolerant mode. At most
   * MAX_PROBLEMS are kept (then one closing entry): a hostile file can break the same rule millions of
   * times, and the list must stay small.
   */
  fault(offset: number, message: string): void {
    if (!this.tolerant) throw new HiveFormatError(message, offset);
    // No Error object in tolerant mode: capturing a stack per problem made a hostile hive with
    // millions of faults slow. The message reads as HiveError formats it.
    if (this.problems.length < MAX_PROBLEMS) {
      this.problems.push({ code: 'HIVE_FORMAT', offset, message: `${message} (at cell offset 0x${offset.toString(16)})` });
    } else if (this.problems.length === MAX_PROBLEMS) {
      this.problems.push({ code: 'HIVE_FORMAT', offset, message: `more than ${MAX_PROBLEMS} problems; the rest are not listed` });
    }
  }

  /**
   * @throws {HiveUsageError} the hive is read-only (opened tolerant with problems). Mutators call it
   * before their first write, so a refused edit changes no byte.
   */
  assertWritable(): void {
    if (this.writeBlockedReason !== undefined) throw new HiveUsageError(this.writeBlockedReason);
  }

  // ---- cells -------------------------------------------------------------------------------

  /** File offset of a cell's payload (the record), i.e. past its 4-byte size field. */
  payload(cell: number): number {
    return BASE_BLOCK_SIZE + cell + 4;
  }

  /** Signed size field of a cell: negative when allocated (regf.md §4). */
  cellSizeField(cell: number): number {
    return this.view.getInt32(BASE_BLOCK_SIZE + cell, true);
  }

  /**
   * Checks that `cell` is the index of an allocated cell inside the hive bins whose payload holds at
   * least `minPayload` bytes. Returns the payload capacity, or -1 after a tolerant-mode fault.
   */
  checkCell(cell: number, minPayload: number, what: string): number {
    if (cell === NIL) {
      this.fault(cell, `${what}: missing (nil cell index)`);
      return -1;
    }
    if (cell % 8 !== 0 || cell < HBIN_HEADER_SIZE || cell + 8 > this.hiveBinsSize) {
      this.fault(cell, `${what}: cell index 0x${cell.toString(16)} is outside the hive bins or misaligned`);
      return -1;
    }
    const field = this.view.getInt32(BASE_BLOCK_SIZE + cell, true);
    if (field >= 0) {
      this.fault(cell, `${what}: points at a free cell`);
      return -1;
    }
    const size = -field;
    if (size % 8 !== 0 || size < 8 || cell + size > this.hiveBinsSize) {
      this.fault(cell, `${what}: cell size ${size} is invalid or runs past the hive bins`);
      return -1;
    }
    if (size - 4 < minPayload) {
      this.fault(cell, `${what}: cell of ${size} bytes is too small for its ${minPayload}-byte record`);
      return -1;
    }
    return size - 4;
  }

  /** Index into `binStarts` of the bin holding `cell`. */
  binIndexOf(cell: number): number {
    const starts = this.binStarts;
    let lo = 0;
    let hi = starts.length - 1;
    while (lo < hi) {
      const mid = (lo + hi + 1) >>> 1;
      if (starts[mid]! <= cell) lo = mid;
      else hi = mid - 1;
    }
    return lo;
  }

  /** The end offset (bytes, relative to the start of the hive bins) of the bin with index `index`. */
  binEnd(index: number): number {
    return index + 1 < this.binStarts.length ? this.binStarts[index + 1]! : this.hiveBinsSize;
  }

  // ---- writing -----------------------------------------------------------------------------

  get allocator(): CellAllocator {
    this.assertWritable();
    if (this.allocatorInstance === undefined) this.allocatorInstance = new CellAllocator(this);
    return this.allocatorInstance;
  }

  /** Allocates a cell whose payload holds `payloadSize` bytes; returns its cell index. Contents are zeroed. */
  allocate(payloadSize: number): number {
    return this.allocator.allocate(payloadSize);
  }

  /** Frees a cell (NIL is ignored). */
  free(cell: number): void {
    if (cell === NIL) return;
    this.allocator.free(cell);
  }

  /**
   * Prepares the bins of cells about to be freed (reads their free cells, checks their tiling), so
   * that an edit refused for a broken bin is refused before its first write.
   * @throws {HiveFormatError} a bin's cells do not tile it
   */
  prepareFree(cells: Iterable<number>): void {
    const allocator = this.allocator;
    for (const cell of cells) if (cell !== NIL && cell >= HBIN_HEADER_SIZE && cell < this.hiveBinsSize) allocator.indexBinOf(cell);
  }

  /** Grows the image by one bin of `binSize` bytes at the end; returns the new bin's offset. */
  appendBin(binSize: number): number {
    const offset = this.hiveBinsSize;
    if (offset + binSize > MAX_HIVE_BINS_SIZE) {
      throw new HiveLimitError(`the hive would grow past 2 GiB of hive bins, the format's limit`);
    }
    const needed = BASE_BLOCK_SIZE + offset + binSize;
    if (needed > this.bytes.length) this.grow(needed);
    this.bytes.fill(0, BASE_BLOCK_SIZE + offset, needed);
    this.writeBinHeader(offset, binSize);
    this.hiveBinsSize = offset + binSize;
    this.view.setUint32(BaseBlockField.hiveBinsSize, this.hiveBinsSize, true);
    this.changes.baseBlock = true;
    this.changes.mark(offset, offset + binSize);
    this.binStarts.push(offset);
    return offset;
  }

  /**
   * Makes `bytes` at least `needed` long: into the rest of an adopted buffer when it has room (no
   * copy: a file read with spare room grows without a second image in memory), else a new buffer.
   */
  private grow(needed: number): void {
    const buffer = this.bytes.buffer;
    const offset = this.bytes.byteOffset;
    let grown: Uint8Array;
    if (this.growInPlace && buffer instanceof ArrayBuffer && buffer.byteLength - offset >= needed) {
      grown = new Uint8Array(buffer, offset, buffer.byteLength - offset);
    } else {
      const length = Math.max(needed, Math.min(this.bytes.length * 2, this.bytes.length + 16 * 1024 * 1024));
      grown = new Uint8Array(length);
      grown.set(this.bytes);
    }
    this.bytes = grown;
    this.view = new DataView(grown.buffer, grown.byteOffset, grown.byteLength);
  }

  /** Writes the header of a new bin at `offset` (relative to the hive bins) and records it as changed. */
  protected writeBinHeader(offset: number, size: number): void {
    const at = BASE_BLOCK_SIZE + offset;
    this.view.setUint32(at, HBIN_SIGNATURE, true);
    this.view.setUint32(at + 4, offset, true);
    this.view.setUint32(at + 8, size, true);
    this.markChanged(at, 32);
  }

  /** Records that the bytes [fileOffset, fileOffset + length) of the image changed. */
  markChanged(fileOffset: number, length: number): void {
    const end = fileOffset + length;
    if (fileOffset < BASE_BLOCK_SIZE) {
      this.changes.baseBlock = true;
      if (end <= BASE_BLOCK_SIZE) return;
      fileOffset = BASE_BLOCK_SIZE;
    }
    this.changes.mark(fileOffset - BASE_BLOCK_SIZE, end - BASE_BLOCK_SIZE);
  }

  // The write methods: file offsets, little-endian, each recording what it changed.

  /** Writes an unsigned byte at file offset `at` and records the bytes as changed. */
  setUint8(at: number, value: number): void {
    this.bytes[at] = value;
    this.markChanged(at, 1);
  }

  /** Writes a little-endian unsigned 16-bit number at file offset `at` and records the bytes as changed. */
  setUint16(at: number, value: number): void {
    this.view.setUint16(at, value, true);
    this.markChanged(at, 2);
  }

  /** Writes a little-endian unsigned 32-bit number at file offset `at` and records the bytes as changed. */
  setUint32(at: number, value: number): void {
    this.view.setUint32(at, value, true);
    this.markChanged(at, 4);
  }

  /** Writes a little-endian signed 32-bit number at file offset `at` and records the bytes as changed. */
  setInt32(at: number, value: number): void {
    this.view.setInt32(at, value, true);
    this.markChanged(at, 4);
  }

  /** Writes a little-endian unsigned 64-bit number at file offset `at` and records the bytes as changed. */
  setBigUint64(at: number, value: bigint): void {
    this.view.setBigUint64(at, value, true);
    this.markChanged(at, 8);
  }

  /** Copies `source` to file offset `at`. */
  setBytes(source: Uint8Array, at: number): void {
    this.bytes.set(source, at);
    this.markChanged(at, source.length);
  }

  /** Moves [start, end) to `target` (file offsets; the ranges may overlap). */
  copyWithin(target: number, start: number, end: number): void {
    this.bytes.copyWithin(target, start, end);
    this.markChanged(target, end - start);
  }

  /** Fills [start, end) (file offsets) with `value` and records the bytes as changed. */
  fill(value: number, start: number, end: number): void {
    this.bytes.fill(value, start, end);
    this.markChanged(start, end - start);
  }

  /** Forgets what changed: the file now holds exactly this image (after a commit or a whole save). */
  markClean(): void {
    this.changes.clear();
    this.committedBinsSize = this.hiveBinsSize;
  }
}
