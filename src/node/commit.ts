import { closeSync, fsyncSync, ftruncateSync, openSync, readFileSync, existsSync, writeSync } from 'node:fs';
import { BASE_BLOCK_SIZE, dirtyPages, encodeLogFile, baseBlockChecksum } from '../hive/index.js';
import type { Hive } from '../hive/index.js';

/**
 * Crash-safe, incremental commit in Windows' own order (regf.md §10.1, §11 "In-place update"):
 *   1. the changed pages go into a log entry (NAME.LOG1), flushed;
 *   2. the primary's base block gets seq1 = new sequence (seq2 stays old), flushed — from here the
 *      primary is dirty and its log finishes the commit;
 *   3. the changed pages are written to the primary, flushed;
 *   4. seq2 = seq1, checksum, base block written, flushed — clean again.
 * A crash at any point leaves a file that opens (with log recovery) as exactly the old or the new
 * state. Only the changed pages are written, so a small change to a large hive costs kilobytes.
 */

/** The file operations a commit needs; tests substitute one that can crash between any two of them. */
export interface CommitFileSystem {
  read(path: string): Uint8Array | undefined;
  /** Writes `bytes` at `position`, growing the file if needed. */
  write(path: string, position: number, bytes: Uint8Array): void;
  truncate(path: string, length: number): void;
  flush(path: string): void;
}

export const nodeCommitFileSystem: CommitFileSystem = {
  read: (path) => (existsSync(path) ? new Uint8Array(readFileSync(path)) : undefined),
  write: (path, position, bytes) => {
    const fd = openSync(path, existsSync(path) ? 'r+' : 'w+');
    try {
      let done = 0;
      while (done < bytes.length) done += writeSync(fd, bytes, done, bytes.length - done, position + done);
    } finally {
      closeSync(fd);
    }
  },
  truncate: (path, length) => {
    const fd = openSync(path, 'r+');
    try {
      ftruncateSync(fd, length);
    } finally {
      closeSync(fd);
    }
  },
  flush: (path) => {
    const fd = openSync(path, 'r+');
    try {
      fsyncSync(fd);
    } finally {
      closeSync(fd);
    }
  },
};

export interface CommitResult {
  sequence: number;
  pages: number;
  /** Bytes written to the log and the primary together. */
  bytesWritten: number;
}

/**
 * Commits `hive` to `path`, whose current content is `committed` (the image last read or committed).
 * Returns what was written; `committed` should then be replaced by the returned image.
 */
export function commitIncrementally(fs: CommitFileSystem, path: string, committed: Uint8Array, hive: Hive): CommitResult & { image: Uint8Array } {
  const view = hive.view;
  const oldSequence = committed.length >= BASE_BLOCK_SIZE ? new DataView(committed.buffer, committed.byteOffset, committed.byteLength).getUint32(8, true) : 0;
  const sequence = (Math.max(oldSequence, view.getUint32(4, true), view.getUint32(8, true)) + 1) >>> 0;
  const hiveBinsSize = hive.hiveBinsSize;
  const image = hive.bytes.slice(0, BASE_BLOCK_SIZE + hiveBinsSize);
  const imageView = new DataView(image.buffer);
  imageView.setUint32(40, hiveBinsSize, true);
  const pages = dirtyPages(committed, image, hiveBinsSize);
  let written = 0;

  // 1. The log entry, complete and flushed before the primary is touched. Older logs are emptied
  //    first: recovery must not replay a stale LOG2 before this entry (an empty log is ignored).
  for (const stale of [`${path}.LOG2`, `${path}.LOG`]) {
    const existing = fs.read(stale);
    if (existing !== undefined && existing.length > 0) {
      fs.truncate(stale, 0);
      fs.flush(stale);
    }
  }
  imageView.setUint32(4, sequence, true);
  imageView.setUint32(8, sequence, true);
  const log = encodeLogFile(image, sequence, hiveBinsSize, pages);
  const logPath = `${path}.LOG1`;
  fs.write(logPath, 0, log);
  fs.truncate(logPath, log.length);
  fs.flush(logPath);
  written += log.length;

  // 2. Mark the primary dirty: seq1 = new, seq2 = old.
  imageView.setUint32(8, oldSequence, true);
  imageView.setUint32(508, baseBlockChecksum(imageView), true);
  fs.write(path, 0, image.subarray(0, BASE_BLOCK_SIZE));
  fs.flush(path);
  written += BASE_BLOCK_SIZE;

  // 3. The changed pages.
  for (const page of pages) {
    fs.write(path, BASE_BLOCK_SIZE + page.offset, page.bytes);
    written += page.bytes.length;
  }
  fs.flush(path);

  // 4. Clean again.
  imageView.setUint32(8, sequence, true);
  imageView.setUint32(508, baseBlockChecksum(imageView), true);
  fs.write(path, 0, image.subarray(0, 512));
  fs.flush(path);
  written += 512;

  view.setUint32(4, sequence, true);
  view.setUint32(8, sequence, true);
  return { sequence, pages: pages.length, bytesWritten: written, image };
}
