import type { FileTime } from './filetime.js';

/** Layout of the 4096-byte base block (regf.md §2). */
export const BASE_BLOCK_SIZE = 4096;
/** The base block's signature, "regf" read as a little-endian uint32. */
export const REGF_SIGNATURE = 0x66676572;
/** Byte offsets of the base block's fields (regf.md §2). */
export const BaseBlockField = {
  signature: 0,
  primarySequence: 4,
  secondarySequence: 8,
  lastWritten: 12,
  majorVersion: 20,
  minorVersion: 24,
  fileType: 28,
  fileFormat: 32,
  rootCell: 36,
  hiveBinsSize: 40,
  clusteringFactor: 44,
  fileName: 48,
  /** bit 0: KTM locked the hive; bit 1: defragmented / layered keys (regf.md §2). */
  flags: 144,
  checksum: 508,
} as const;

/** The base block's file type: a primary hive, or a transaction log of the old or new format (regf.md §2, §10.2). */
export const FileType = { primary: 0, oldLog: 1, oldLogNt2000: 2, newLog: 6 } as const;

/** XOR of the first 127 uint32 words, with 0 → 1 and 0xFFFFFFFF → 0xFFFFFFFE (regf.md §2, Checksum). */
export function baseBlockChecksum(view: DataView, at = 0): number {
  let sum = 0;
  for (let i = 0; i < 508; i += 4) sum ^= view.getUint32(at + i, true);
  sum >>>= 0;
  if (sum === 0xffffffff) return 0xfffffffe;
  if (sum === 0) return 1;
  return sum;
}

/** Whether a base block is clean (regf.md §2): its checksum is right and its two sequence numbers agree. */
export function baseBlockIsClean(view: DataView): boolean {
  return (
    view.getUint32(BaseBlockField.checksum, true) === baseBlockChecksum(view) &&
    view.getUint32(BaseBlockField.primarySequence, true) === view.getUint32(BaseBlockField.secondarySequence, true)
  );
}

/** The decoded fields of a hive's base block (see {@link readBaseBlock}). */
export interface BaseBlockInfo {
  primarySequence: number;
  secondarySequence: number;
  lastWritten: FileTime;
  majorVersion: number;
  minorVersion: number;
  fileType: number;
  fileFormat: number;
  rootCell: number;
  hiveBinsSize: number;
  clusteringFactor: number;
  fileName: string;
  storedChecksum: number;
  computedChecksum: number;
}

/**
 * Reads the fields of a base block (the first 4096 bytes of a hive file) from a view over it, including the stored and the computed checksum. Throws RangeError when the view is shorter than the fields.
 */
export function readBaseBlock(view: DataView): BaseBlockInfo {
  let fileName = '';
  for (let i = 0; i < 64; i += 2) {
    const unit = view.getUint16(BaseBlockField.fileName + i, true);
    if (unit === 0) break;
    fileName += String.fromCharCode(unit);
  }
  return {
    primarySequence: view.getUint32(BaseBlockField.primarySequence, true),
    secondarySequence: view.getUint32(BaseBlockField.secondarySequence, true),
    lastWritten: view.getBigUint64(BaseBlockField.lastWritten, true),
    majorVersion: view.getUint32(BaseBlockField.majorVersion, true),
    minorVersion: view.getUint32(BaseBlockField.minorVersion, true),
    fileType: view.getUint32(BaseBlockField.fileType, true),
    fileFormat: view.getUint32(BaseBlockField.fileFormat, true),
    rootCell: view.getUint32(BaseBlockField.rootCell, true),
    hiveBinsSize: view.getUint32(BaseBlockField.hiveBinsSize, true),
    clusteringFactor: view.getUint32(BaseBlockField.clusteringFactor, true),
    fileName,
    storedChecksum: view.getUint32(BaseBlockField.checksum, true),
    computedChecksum: baseBlockChecksum(view),
  };
}
