import { BASE_BLOCK_SIZE, BaseBlockField, FileType, REGF_SIGNATURE, baseBlockChecksum, readBaseBlock } from './base-block.js';
import type { BaseBlockInfo } from './base-block.js';
import { CellAllocator } from './allocator.js';
import { HiveFormatError, HiveLimitError, HiveTruncatedError, HiveUsageError, NotAHiveError, UnsupportedHiveVersionError } from './errors.js';
import { fileTimeNow } from './filetime.js';
import type { FileTime } from './filetime.js';
import { KeyNode, initRootKey } from './key.js';
import { NIL } from './cells.js';

export const HBIN_SIGNATURE = 0x6e696268; // "hbin"
/** Size of a hive bin's header in bytes (32); the first cell of a bin follows it. */
export const HBIN_HEADER_SIZE = 32;
/** Size of a page in bytes (4096): the base block and every hive bin are multiples of it. */
export const PAGE_SIZE = 4096;
/** Cell indexes are uint32 and bit 31 means "volatile storage" in memory: stable hives stay below 2 GiB (regf.md §9). */
export const MAX_HIVE_BINS_SIZE = 0x7fff0000;
/** Problems a tolerant hive lists before it stops listing them (see Hive.fault). */
export const MAX_PROBLEMS = 10_000;

/** Options for opening or creating a {@link Hive}. */
export interface HiveOptions {
  /** Skip what is broken and report it in `problems` instead of throwing; the hive is then read-only. */
  tolerant?: boolean;
  /** Source of "now" for key timestamps and the base block (tests pin it). */
  clock?: () => FileTime;
  /**
   * Use the given bytes as the hive's memory instead of copying them (open only). The caller must not
   * use the array afterwards: edits to the hive write into it.
   */
  adopt?: boolean;
}

/**
 * Options for creating a new, empty {@link Hive}: format version, root key name, base-block file name.
 */
export interface CreateOptions extends HiveOptions {
  /** regf minor version: 5 (Windows XP and later, the default) or 3 (NT 4 "standard format"). */
  minorVersion?: 3 | 4 | 5 | 6;
  /** Name of the root key (Windows uses names such as `CMI-CreateHive{…}`; it is not part of any path). */
  rootName?: string;
  /** Up to 31 UTF-16 units stored in the base block's debug file-name field. */
  fileName?: string;
}

/**
 * A fault a tolerant hive skipped instead of throwing: the error's `code`, the cell `offset` and a message.
 */
export interface HiveProblem {
  code: string;
  offset: number;
  message: string;
}

/** Why a hive is dirty: Windows would replay its logs before using it (regf.md §2, Validity). */
export interface DirtyState {
  checksumValid: boolean;
  sequenceNumbersEqual: boolean;
  primarySequence: number;
  secondarySequence: number;
}

const DESCRIBE_FILE_TYPE: Record<number, string> = {
  [FileType.oldLog]: 'an old-format transaction log (.LOG)',
  [FileType.oldLogNt2000]: 'an NT 2000-era transaction log (.LOG)',
  [FileType.newLog]: 'a new-format transaction log (.LOG1/.LOG2)',
};

function describeForeignFile(bytes: Uint8Array): string {
  const magic = String.fromCharCode(...bytes.subarray(0, 4));
  if (magic.startsWith('MZ')) return 'this is a Windows executable (PE/MZ), not a registry hive';
  if (magic === 'CREG') return 'this is a Windows 9x/Me registry file (CREG), not an NT registry hive; this engine reads regf hives only';
  if (magic === 'hbin') return 'this is a fragment of a hive (it starts with an hbin, the base block is missing)';
  if (bytes.length === 0) return 'the file is empty, not a registry hive';
  return 'not a registry hive: the file does not start with the "regf" signature';
}

/**
 * A regf hive held in memory as one byte array. Records are read in place when asked (nothing is
 * decoded at open but the base block, the bin headers and the root key) and written in place;
 * `serialize` produces the file image.
 */
export class Hive {
  /** The whole file image; its length may exceed `BASE_BLOCK_SIZE + hiveBinsSize` (spare capacity). */
  bytes: Uint8Array;
  view: DataView;
  hiveBinsSize: number;
  readonly tolerant: boolean;
  readonly problems: HiveProblem[] = [];
  /**
   * The source of "now" for key timestamps and the base block (from {@link HiveOptions.clock}; default {@link fileTimeNow}).
   */
  readonly clock: () => FileTime;
  /** Present when the hive was dirty when read (bad checksum or unequal sequence numbers). */
  readonly dirty: DirtyState | undefined;
  /** Trailing bytes after the last bin in the source file (Windows pads primaries; kept out of saves). */
  readonly trailingBytes: number;
  /** Byte offsets (relative to the hive-bins start) of every bin, ascending; cell→bin lookups use it. */
  binStarts: number[] = [];
  private allocatorInstance: CellAllocator | undefined;
  private writeBlockedReason: string | undefined;
  /** Per-key caches of value names, for keys with many values (see KeyNode.findValue). */
  readonly valueIndexes = new Map<number, Map<string, number>>();

  private constructor(bytes: Uint8Array, hiveBinsSize: number, options: HiveOptions, dirty: DirtyState | undefined, trailing: number) {
    this.bytes = bytes;
    this.view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
    this.hiveBinsSize = hiveBinsSize;
    this.tolerant = options.tolerant ?? false;
    this.clock = options.clock ?? fileTimeNow;
    this.dirty = dirty;
    this.trailingBytes = trailing;
  }

  /**
   * Opens a hive image. The bytes are copied (unless `adopt`), so the caller's array is never changed.
   * @throws {NotAHiveError} not a regf primary (another file kind, or a transaction log)
   * @throws {UnsupportedHiveVersionError} regf 1.0–1.2 or a major version other than 1
   * @throws {HiveTruncatedError} the file ends before the bins the base block declares (strict mode)
   * @throws {HiveFormatError} a bin header or the root key is malformed (strict mode)
   */
  static open(source: Uint8Array, options: HiveOptions = {}): Hive {
    if (source.length < 4 || source[0] !== 0x72 || source[1] !== 0x65 || source[2] !== 0x67 || source[3] !== 0x66) {
      throw new NotAHiveError(describeForeignFile(source));
    }
    if (source.length < BASE_BLOCK_SIZE) {
      throw new HiveTruncatedError(`the file is ${source.length} bytes, shorter than the 4096-byte base block`, 0, 'file');
    }
    const headerView = new DataView(source.buffer, source.byteOffset, BASE_BLOCK_SIZE);
    const info = readBaseBlock(headerView);
    if (info.fileType !== FileType.primary) {
      const kind = DESCRIBE_FILE_TYPE[info.fileType] ?? `a file of regf type ${info.fileType}`;
      throw new NotAHiveError(`this is ${kind}, not a primary hive: open the hive file it belongs to`);
    }
    if (info.majorVersion !== 1 || info.minorVersion < 3 || info.minorVersion > 6) {
      throw new UnsupportedHiveVersionError(info.majorVersion, info.minorVersion);
    }
    const tolerant = options.tolerant ?? false;
    const problems: HiveProblem[] = [];
    const report = (error: HiveFormatError | HiveTruncatedError): void => {
      if (!tolerant) throw error;
      problems.push({ code: error.code, offset: error.offset ?? 0, message: error.message });
    };

    let hiveBinsSize = info.hiveBinsSize;
    const available = source.length - BASE_BLOCK_SIZE;
    if (hiveBinsSize === 0 || hiveBinsSize % PAGE_SIZE !== 0 || hiveBinsSize > MAX_HIVE_BINS_SIZE) {
      report(
        new HiveFormatError(
          `the base block's hive-bins size ${hiveBinsSize} is not a positive multiple of 4096 below 2 GiB`,
          BaseBlockField.hiveBinsSize,
          'file',
        ),
      );
      hiveBinsSize = Math.floor(Math.min(available, MAX_HIVE_BINS_SIZE) / PAGE_SIZE) * PAGE_SIZE;
    }
    if (hiveBinsSize > available) {
      report(
        new HiveTruncatedError(
          `the base block declares ${hiveBinsSize} bytes of hive bins but the file holds only ${available} after the base block: the file is truncated`,
          source.length,
          'file',
        ),
      );
      hiveBinsSize = Math.floor(available / PAGE_SIZE) * PAGE_SIZE;
    }
    let image: Uint8Array;
    if (options.adopt) {
      // A plain Uint8Array view, never a Node Buffer: Buffer#slice shares memory, and data() relies
      // on slice copying.
      image = new Uint8Array(source.buffer, source.byteOffset, BASE_BLOCK_SIZE + hiveBinsSize);
    } else {
      image = new Uint8Array(BASE_BLOCK_SIZE + hiveBinsSize);
      image.set(source.subarray(0, image.length));
    }

    const checksumValid = info.storedChecksum === info.computedChecksum;
    const sequenceNumbersEqual = info.primarySequence === info.secondarySequence;
    const dirty =
      checksumValid && sequenceNumbersEqual
        ? undefined
        : { checksumValid, sequenceNumbersEqual, primarySequence: info.primarySequence, secondarySequence: info.secondarySequence };

    const hive = new Hive(image, hiveBinsSize, options, dirty, source.length - BASE_BLOCK_SIZE - hiveBinsSize);
    hive.problems.push(...problems);
    hive.scanBins();
    hive.checkRoot();
    if (hive.problems.length > 0) hive.writeBlockedReason = 'the hive was opened in tolerant mode and has problems; it is read-only';
    return hive;
  }

  /** Creates an empty hive: a root key (flags 0x2C, as Windows writes it) and one security descriptor. */
  static create(options: CreateOptions = {}): Hive {
    const minor = options.minorVersion ?? 5;
    const image = new Uint8Array(BASE_BLOCK_SIZE + PAGE_SIZE);
    const view = new DataView(image.buffer);
    view.setUint32(BaseBlockField.signature, REGF_SIGNATURE, true);
    view.setUint32(BaseBlockField.primarySequence, 1, true);
    view.setUint32(BaseBlockField.secondarySequence, 1, true);
    view.setUint32(BaseBlockField.majorVersion, 1, true);
    view.setUint32(BaseBlockField.minorVersion, minor, true);
    view.setUint32(BaseBlockField.fileType, FileType.primary, true);
    view.setUint32(BaseBlockField.fileFormat, 1, true);
    view.setUint32(BaseBlockField.rootCell, NIL, true);
    view.setUint32(BaseBlockField.hiveBinsSize, PAGE_SIZE, true);
    view.setUint32(BaseBlockField.clusteringFactor, 1, true);
    const fileName = (options.fileName ?? '').slice(0, 31);
    for (let i = 0; i < fileName.length; i++) view.setUint16(BaseBlockField.fileName + 2 * i, fileName.charCodeAt(i), true);
    const hive = new Hive(image, PAGE_SIZE, options, undefined, 0);
    hive.writeBinHeader(0, PAGE_SIZE);
    view.setInt32(BASE_BLOCK_SIZE + HBIN_HEADER_SIZE, PAGE_SIZE - HBIN_HEADER_SIZE, true);
    hive.binStarts = [0];
    const timestamp = hive.clock();
    view.setBigUint64(BaseBlockField.lastWritten, timestamp, true);
    const root = initRootKey(hive, options.rootName ?? 'ROOT', timestamp);
    view.setUint32(BaseBlockField.rootCell, root, true);
    return hive;
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

  get baseBlock(): BaseBlockInfo {
    return readBaseBlock(this.view);
  }

  /** Big data (`db`) exists from regf 1.4 on (regf.md §5.6). */
  get supportsBigData(): boolean {
    return this.minorVersion >= 4;
  }

  /** The hive's root key. */
  root(): KeyNode {
    return new KeyNode(this, this.rootCell);
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
    void this.allocator;
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
    if (this.writeBlockedReason !== undefined) throw new HiveUsageError(this.writeBlockedReason);
    if (this.allocatorInstance === undefined) this.allocatorInstance = CellAllocator.forHive(this);
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

  /** Grows the image by one bin of `binSize` bytes at the end; returns the new bin's offset. */
  appendBin(binSize: number): number {
    const offset = this.hiveBinsSize;
    if (offset + binSize > MAX_HIVE_BINS_SIZE) {
      throw new HiveLimitError(`the hive would grow past 2 GiB of hive bins, the format's limit`);
    }
    const needed = BASE_BLOCK_SIZE + offset + binSize;
    if (needed > this.bytes.length) {
      const grown = new Uint8Array(Math.max(needed, Math.min(this.bytes.length * 2, this.bytes.length + 64 * 1024 * 1024)));
      grown.set(this.bytes);
      this.bytes = grown;
      this.view = new DataView(grown.buffer);
    }
    this.bytes.fill(0, BASE_BLOCK_SIZE + offset, needed);
    this.writeBinHeader(offset, binSize);
    this.hiveBinsSize = offset + binSize;
    this.view.setUint32(BaseBlockField.hiveBinsSize, this.hiveBinsSize, true);
    this.binStarts.push(offset);
    return offset;
  }

  private writeBinHeader(offset: number, size: number): void {
    const at = BASE_BLOCK_SIZE + offset;
    this.view.setUint32(at, HBIN_SIGNATURE, true);
    this.view.setUint32(at + 4, offset, true);
    this.view.setUint32(at + 8, size, true);
  }

  /**
   * The file image: sequence numbers both set past the old ones, the last-written time set to now (and
   * copied into the first bin, as Windows does), the checksum computed last (regf.md §11.1). Bytes
   * after the last bin in the source file are not written. The in-memory hive becomes clean.
   */
  serialize(): Uint8Array {
    const view = this.view;
    const next = (Math.max(view.getUint32(BaseBlockField.primarySequence, true), view.getUint32(BaseBlockField.secondarySequence, true)) + 1) >>> 0;
    view.setUint32(BaseBlockField.primarySequence, next, true);
    view.setUint32(BaseBlockField.secondarySequence, next, true);
    const now = this.clock();
    view.setBigUint64(BaseBlockField.lastWritten, now, true);
    view.setBigUint64(BASE_BLOCK_SIZE + 20, now, true);
    view.setUint32(BaseBlockField.hiveBinsSize, this.hiveBinsSize, true);
    view.setUint32(BaseBlockField.checksum, baseBlockChecksum(view), true);
    return this.bytes.slice(0, BASE_BLOCK_SIZE + this.hiveBinsSize);
  }

  // ---- open-time checks ------------------------------------------------------------------------

  /** Walks the bin headers (not the cells): signatures, offsets, sizes, contiguity (regf.md §3). */
  private scanBins(): void {
    const starts: number[] = [];
    let offset = 0;
    while (offset < this.hiveBinsSize) {
      const at = BASE_BLOCK_SIZE + offset;
      const signature = this.view.getUint32(at, true);
      const recorded = this.view.getUint32(at + 4, true);
      const size = this.view.getUint32(at + 8, true);
      if (signature !== HBIN_SIGNATURE) {
        this.fault(offset, `hive bin at 0x${offset.toString(16)}: missing "hbin" signature`);
        break;
      }
      if (recorded !== offset) {
        this.fault(offset, `hive bin at 0x${offset.toString(16)}: its header says it is at 0x${recorded.toString(16)}`);
        break;
      }
      if (size < PAGE_SIZE || size % PAGE_SIZE !== 0 || offset + size > this.hiveBinsSize) {
        this.fault(offset, `hive bin at 0x${offset.toString(16)}: size ${size} is not a multiple of 4096 inside the hive bins`);
        break;
      }
      starts.push(offset);
      offset += size;
    }
    this.binStarts = starts.length > 0 ? starts : [0];
  }

  /** Without a readable root there is nothing to show, so this throws even in tolerant mode. */
  private checkRoot(): void {
    const root = this.rootCell;
    const before = this.problems.length;
    if (this.checkCell(root, 76, 'root key') >= 0 && this.view.getUint16(this.payload(root), true) !== 0x6b6e) {
      this.fault(root, 'root key: the cell is not an "nk" record');
    }
    if (this.problems.length > before) throw new HiveFormatError(`no readable root key: ${this.problems[before]!.message}`, root);
  }
}
