import { BASE_BLOCK_SIZE, BaseBlockField, FileType, baseBlockChecksum } from './base-block.js';
import { marvin32 } from './marvin.js';

/**
 * Writing new-format transaction logs (regf.md §10.4), so a commit can follow Windows' own scheme:
 * the changed pages go to a log entry first, and any log-aware reader (Windows, yarp, this engine)
 * can finish an interrupted commit.
 */

/** Granularity of dirty tracking: Windows tracks 4 KiB blocks (regf.md §10.3). */
export const DIRTY_PAGE = 4096;

/**
 * A changed page of the hive bins: its offset (bytes, relative to the start of the hive bins) and its 4096 bytes of new content.
 */
export interface DirtyPage {
  /** Offset relative to the hive-bins start. */
  offset: number;
  bytes: Uint8Array;
}

/**
 * The pages of the hive bins that differ between two images (a page beyond the old image counts as
 * changed). Comparing images instead of tracking writes cannot miss a change.
 */
export function dirtyPages(before: Uint8Array, after: Uint8Array, hiveBinsSize: number): DirtyPage[] {
  const pages: DirtyPage[] = [];
  for (let offset = 0; offset < hiveBinsSize; offset += DIRTY_PAGE) {
    const start = BASE_BLOCK_SIZE + offset;
    const end = start + DIRTY_PAGE;
    let changed = end > before.length;
    if (!changed) {
      for (let i = start; i < end; i += 4) {
        if (before[i] !== after[i] || before[i + 1] !== after[i + 1] || before[i + 2] !== after[i + 2] || before[i + 3] !== after[i + 3]) {
          changed = true;
          break;
        }
      }
    }
    if (changed) pages.push({ offset, bytes: after.subarray(start, end) });
  }
  return pages;
}

const HVLE = 0x454c7648; // "HvLE"
const DIRT = 0x54524944; // "DIRT"

/**
 * A log's first sector: the first 512 bytes of `baseBlock` (a primary base block) with seq1 = seq2 =
 * `sequence`, file type `fileType` (6 new format, 1 old format) and the checksum recomputed (regf.md
 * §10.2).
 */
export function encodeLogHeader(baseBlock: Uint8Array, sequence: number, hiveBinsSize: number, fileType: number = FileType.newLog): Uint8Array {
  const header = baseBlock.slice(0, 512);
  const view = new DataView(header.buffer);
  view.setUint32(BaseBlockField.primarySequence, sequence, true);
  view.setUint32(BaseBlockField.secondarySequence, sequence, true);
  view.setUint32(BaseBlockField.fileType, fileType, true);
  view.setUint32(BaseBlockField.hiveBinsSize, hiveBinsSize, true);
  view.setUint32(BaseBlockField.checksum, baseBlockChecksum(view), true);
  return header;
}

/**
 * One HvLE entry (regf.md §10.4): header, page references, the pages, padded to 512 bytes; both
 * Marvin32 hashes filled in. `flags` is the base block's flags field (bit 0 is kept).
 */
export function encodeLogEntry(sequence: number, hiveBinsSize: number, flags: number, pages: readonly DirtyPage[]): Uint8Array {
  let dataSize = 0;
  for (const page of pages) dataSize += page.bytes.length;
  const entrySize = Math.ceil((40 + 8 * pages.length + dataSize) / 512) * 512;
  const entry = new Uint8Array(entrySize);
  const view = new DataView(entry.buffer);
  view.setUint32(0, HVLE, true);
  view.setUint32(4, entrySize, true);
  view.setUint32(8, flags & 1, true);
  view.setUint32(12, sequence, true);
  view.setUint32(16, hiveBinsSize, true);
  view.setUint32(20, pages.length, true);
  let data = 40 + 8 * pages.length;
  pages.forEach((page, i) => {
    view.setUint32(40 + 8 * i, page.offset, true);
    view.setUint32(44 + 8 * i, page.bytes.length, true);
    entry.set(page.bytes, data);
    data += page.bytes.length;
  });
  const hash1 = marvin32(entry, 40, entrySize - 40);
  view.setUint32(24, hash1.lo, true);
  view.setUint32(28, hash1.hi, true);
  const hash2 = marvin32(entry, 0, 32);
  view.setUint32(32, hash2.lo, true);
  view.setUint32(36, hash2.hi, true);
  return entry;
}

/**
 * A complete new-format log: its base block (the first sector of `baseBlock` with file type 6 and
 * seq1 = seq2 = `sequence`), then one HvLE entry of `sequence` holding `pages`, padded to 512 bytes.
 */
export function encodeLogFile(baseBlock: Uint8Array, sequence: number, hiveBinsSize: number, pages: DirtyPage[]): Uint8Array {
  const header = encodeLogHeader(baseBlock, sequence, hiveBinsSize);
  // The entry copies the base block's flags (regf.md §10.4: only bit 0 matters to Windows).
  const flags = new DataView(baseBlock.buffer, baseBlock.byteOffset, baseBlock.byteLength).getUint32(BaseBlockField.flags, true);
  const entry = encodeLogEntry(sequence, hiveBinsSize, flags, pages);
  const log = new Uint8Array(512 + entry.length);
  log.set(header);
  log.set(entry, 512);
  return log;
}

/**
 * A complete old-format log (regf.md §10.3; Windows 7 and earlier): the first sector of `baseBlock`
 * as file type 1 with seq1 = seq2 = `sequence` — the same numbers as the primary, as Vista and later
 * write them — then "DIRT" and a bitmap with one bit per 512 bytes of the hive bins (LSB first), then,
 * from the next 512-byte boundary, the marked 512-byte pages in bit order. `pages` are runs at
 * 512-byte offsets (a commit passes Windows' 4 KiB blocks, so the bitmap holds 0x00 and 0xFF bytes).
 * The base block's last-written time is what makes the log apply to its primary (§10.3), so the
 * primary written with it must carry the same time.
 */
export function encodeOldLogFile(baseBlock: Uint8Array, sequence: number, hiveBinsSize: number, pages: readonly DirtyPage[]): Uint8Array {
  const bitmapBytes = hiveBinsSize / 4096;
  const first = Math.ceil((512 + 4 + bitmapBytes) / 512) * 512;
  let dataSize = 0;
  for (const page of pages) dataSize += page.bytes.length;
  const log = new Uint8Array(first + dataSize);
  log.set(encodeLogHeader(baseBlock, sequence, hiveBinsSize, FileType.oldLog));
  new DataView(log.buffer).setUint32(512, DIRT, true);
  // Pages go out in bit order: sort the runs by offset (they are disjoint).
  const sorted = [...pages].sort((a, b) => a.offset - b.offset);
  let at = first;
  for (const page of sorted) {
    if (page.offset % 512 !== 0 || page.bytes.length % 512 !== 0) throw new RangeError('old-format log pages are 512-byte aligned runs');
    for (let bit = page.offset / 512, n = 0; n < page.bytes.length / 512; bit++, n++) log[516 + (bit >>> 3)]! |= 1 << (bit & 7);
    log.set(page.bytes, at);
    at += page.bytes.length;
  }
  return log;
}
