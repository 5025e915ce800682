import { BASE_BLOCK_SIZE, BaseBlockField, FileType, REGF_SIGNATURE, baseBlockChecksum, readBaseBlock } from './base-block.js';
import type { BaseBlockInfo } from './base-block.js';
import { HiveFormatError, HiveTruncatedError, NotAHiveError, UnsupportedHiveVersionError } from './errors.js';
import { fileTimeNow } from './filetime.js';
import type { FileTime } from './filetime.js';
import { KeyNode, initRootKey } from './key.js';
import { NIL } from './cells.js';
import { CellStore, HBIN_HEADER_SIZE, HBIN_SIGNATURE, MAX_HIVE_BINS_SIZE, PAGE_SIZE } from './store.js';
import type { HiveProblem } from './store.js';

export { HBIN_HEADER_SIZE, HBIN_SIGNATURE, MAX_HIVE_BINS_SIZE, MAX_PROBLEMS, PAGE_SIZE } from './store.js';
export type { HiveProblem } from './store.js';

// The records type their `hive` as this façade without importing this module (see store.ts).
declare module './store.js' {
  interface StoreFacade {
    hive: Hive;
  }
}

/** Options for opening or creating a {@link Hive}. */
export interface HiveOptions {
  /** Skip what is broken and report it in `problems` instead of throwing; the hive is then read-only. */
  tolerant?: boolean;
  /** Source of "now" for key timestamps and the base block (tests pin it). */
  clock?: () => FileTime;
  /**
   * Use the given bytes as the hive's memory instead of copying them (open only). The caller must not
   * use the array, nor the rest of its ArrayBuffer after it, afterwards: edits to the hive write into
   * it, and a growing hive grows into the rest of the buffer before it allocates a new one (a file
   * read with spare room at its end grows without a second copy in memory).
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
export class Hive extends CellStore {
  /** Present when the hive was dirty when read (bad checksum or unequal sequence numbers). */
  readonly dirty: DirtyState | undefined;
  /** Trailing bytes after the last bin in the source file (Windows pads primaries; kept out of saves). */
  readonly trailingBytes: number;

  private constructor(bytes: Uint8Array, hiveBinsSize: number, options: HiveOptions, dirty: DirtyState | undefined, trailing: number) {
    super(bytes, hiveBinsSize, { tolerant: options.tolerant, clock: options.clock ?? fileTimeNow, growInPlace: options.adopt });
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
    // A hive built in memory belongs to no file yet: all of it is to be written.
    hive.markChanged(0, BASE_BLOCK_SIZE + PAGE_SIZE);
    return hive;
  }

  get baseBlock(): BaseBlockInfo {
    return readBaseBlock(this.view);
  }

  /** The hive's root key. */
  root(): KeyNode {
    return new KeyNode(this, this.rootCell);
  }

  /**
   * The file image: sequence numbers both set past the old ones, the last-written time set to now (and
   * copied into the first bin, as Windows does), the checksum computed last (regf.md §11.1). Bytes
   * after the last bin in the source file are not written. The in-memory hive becomes clean.
   */
  serialize(): Uint8Array {
    this.stamp();
    return this.bytes.slice(0, BASE_BLOCK_SIZE + this.hiveBinsSize);
  }

  /** The sequence number the next write of this hive gets: one past both of the base block's. */
  get nextSequence(): number {
    const view = this.view;
    return (Math.max(view.getUint32(BaseBlockField.primarySequence, true), view.getUint32(BaseBlockField.secondarySequence, true)) + 1) >>> 0;
  }

  /**
   * Prepares the base block for a write (what serialize and a commit write): both sequence numbers set
   * to `sequence`, the last-written time set to now and copied into the first bin (regf.md §3: a backup
   * of the base-block timestamp), the hive-bins size, and the checksum last (regf.md §11.1).
   */
  stamp(sequence = this.nextSequence): void {
    this.setUint32(BaseBlockField.primarySequence, sequence);
    this.setUint32(BaseBlockField.secondarySequence, sequence);
    const now = this.clock();
    this.setBigUint64(BaseBlockField.lastWritten, now);
    this.setBigUint64(BASE_BLOCK_SIZE + 20, now);
    this.setUint32(BaseBlockField.hiveBinsSize, this.hiveBinsSize);
    this.setUint32(BaseBlockField.checksum, baseBlockChecksum(this.view));
  }

  /**
   * A copy of this hive with the same memory, problems and record of what changed since its file was
   * last written (an import that must leave the original untouched until it succeeds commits the copy).
   */
  copy(): Hive {
    const hive = new Hive(
      this.bytes.slice(0, BASE_BLOCK_SIZE + this.hiveBinsSize),
      this.hiveBinsSize,
      { tolerant: this.tolerant, clock: this.clock },
      this.dirty,
      this.trailingBytes,
    );
    hive.binStarts = this.binStarts.slice();
    hive.problems.push(...this.problems);
    hive.writeBlockedReason = this.writeBlockedReason;
    hive.changes = this.changes.clone();
    hive.committedBinsSize = this.committedBinsSize;
    return hive;
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
