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

/**
 * A complete new-format log: its base block (the first sector of `baseBlock` with file type 6 and
 * seq1 = seq2 = `sequence`), then one HvLE entry of `sequence` holding `pages`, padded to 512 bytes.
 */
export function encodeLogFile(baseBlock: Uint8Array, sequence: number, hiveBinsSize: number, pages: DirtyPage[]): Uint8Array {
  const dataSize = pages.reduce((n, p) => n + p.bytes.length, 0);
  const entrySize = Math.ceil((40 + 8 * pages.length + dataSize) / 512) * 512;
  const log = new Uint8Array(512 + entrySize);
  log.set(baseBlock.subarray(0, 512));
  const view = new DataView(log.buffer);
  view.setUint32(BaseBlockField.primarySequence, sequence, true);
  view.setUint32(BaseBlockField.secondarySequence, sequence, true);
  view.setUint32(BaseBlockField.fileType, FileType.newLog, true);
  view.setUint32(BaseBlockField.hiveBinsSize, hiveBinsSize, true);
  view.setUint32(BaseBlockField.checksum, baseBlockChecksum(view), true);
  const at = 512;
  view.setUint32(at, 0x454c7648, true); // "HvLE"
  view.setUint32(at + 4, entrySize, true);
  view.setUint32(at + 8, view.getUint32(144, true) & 1, true);
  view.setUint32(at + 12, sequence, true);
  view.setUint32(at + 16, hiveBinsSize, true);
  view.setUint32(at + 20, pages.length, true);
  let data = at + 40 + 8 * pages.length;
  pages.forEach((page, i) => {
    view.setUint32(at + 40 + 8 * i, page.offset, true);
    view.setUint32(at + 44 + 8 * i, page.bytes.length, true);
    log.set(page.bytes, data);
    data += page.bytes.length;
  });
  const hash1 = marvin32(log, at + 40, entrySize - 40);
  view.setUint32(at + 24, hash1.lo, true);
  view.setUint32(at + 28, hash1.hi, true);
  const hash2 = marvin32(log, at, 32);
  view.setUint32(at + 32, hash2.lo, true);
  view.setUint32(at + 36, hash2.hi, true);
  return log;
}
