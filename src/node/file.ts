import { closeSync, existsSync, fsyncSync, openSync, readFileSync, renameSync, unlinkSync, writeSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { BASE_BLOCK_SIZE, DirtyHiveError, Hive, baseBlockChecksum, recoverHive } from '../hive/index.js';
import type { HiveOptions, RecoveryResult, TransactionLogs } from '../hive/index.js';
import { commitIncrementally, nodeCommitFileSystem } from './commit.js';
import type { CommitFileSystem, CommitResult } from './commit.js';

/** A hive and the file it came from. The only place that touches the file system for hives. */
export class HiveFile {
  readonly path: string;
  readonly hive: Hive;

  constructor(path: string, hive: Hive) {
    this.path = resolve(path);
    this.hive = hive;
  }

  /** Present when the hive was dirty and was brought up to date from its transaction logs. */
  recovery: RecoveryResult | undefined;

  /**
   * Reads and opens a hive file (see Hive.open for what it throws). With `recover`, a dirty hive whose
   * logs lie beside it (NAME.LOG1, NAME.LOG2, NAME.LOG, any case) is replayed in memory first; the
   * files themselves are not touched.
   * @throws {LogRecoveryError} with `recover`, when the logs cannot repair the hive
   */
  static open(path: string, options: HiveOptions & { recover?: boolean } = {}): HiveFile {
    // The Buffer is adopted, not copied: a 100 MB hive costs 100 MB (Hive.open wraps it as a plain view).
    const bytes = readFileSync(path);
    if (options.recover && baseBlockIsDirty(bytes)) {
      const logs = findLogs(path);
      if (logs.log1 !== undefined || logs.log2 !== undefined || logs.log !== undefined) {
        const recovery = recoverHive(bytes, logs);
        const file = new HiveFile(path, Hive.open(recovery.bytes, { ...options, adopt: true }));
        file.recovery = recovery;
        return file;
      }
    }
    return new HiveFile(path, Hive.open(bytes, { ...options, adopt: true }));
  }

  /**
   * Writes the hive back over its file. A hive that was dirty when read holds a state Windows would
   * first repair from its logs; writing it back as clean would make that repair impossible, so it is
   * refused unless `force` is given.
   * @throws {DirtyHiveError}
   */
  save(options: { force?: boolean } = {}): void {
    if (this.hive.dirty !== undefined && this.recovery === undefined && !options.force) {
      throw new DirtyHiveError(`${this.path} was dirty when read (its transaction logs hold changes not yet in it); refusing to write over it: recover it first, save to another file, or pass --force`);
    }
    writeFileAtomic(this.path, this.hive.serialize());
  }

  /**
   * Writes only what changed since the file was last written, crash-safely, through NAME.LOG1 (see
   * commitIncrementally). Like save, refuses a hive that was dirty when read unless it was recovered
   * or `force` is given.
   */
  commit(options: { force?: boolean; fileSystem?: CommitFileSystem } = {}): CommitResult {
    if (this.hive.dirty !== undefined && this.recovery === undefined && !options.force) {
      throw new DirtyHiveError(`${this.path} was dirty when read; refusing to commit over it: recover it first or pass --force`);
    }
    const fileSystem = options.fileSystem ?? nodeCommitFileSystem;
    const onDisk = fileSystem.read(this.path) ?? new Uint8Array(0);
    const { image: _image, ...result } = commitIncrementally(fileSystem, this.path, onDisk, this.hive);
    return result;
  }

  saveAs(path: string): void {
    writeFileAtomic(path, this.hive.serialize());
  }
}

/** Dirty by its base block alone (bad checksum or seq1 ≠ seq2, regf.md §2), without opening the hive. */
function baseBlockIsDirty(bytes: Uint8Array): boolean {
  if (bytes.length < BASE_BLOCK_SIZE) return false;
  const view = new DataView(bytes.buffer, bytes.byteOffset, BASE_BLOCK_SIZE);
  return view.getUint32(508, true) !== baseBlockChecksum(view) || view.getUint32(4, true) !== view.getUint32(8, true);
}

/** The transaction logs beside a hive file: NAME.LOG1, NAME.LOG2 and NAME.LOG, in upper or lower case. */
export function findLogs(path: string): TransactionLogs {
  const read = (suffix: string): Uint8Array | undefined => {
    for (const candidate of [`${path}.${suffix}`, `${path}.${suffix.toLowerCase()}`]) {
      if (existsSync(candidate)) return new Uint8Array(readFileSync(candidate));
    }
    return undefined;
  };
  return { log1: read('LOG1'), log2: read('LOG2'), log: read('LOG') };
}

/**
 * Replaces a file so that a crash leaves either the old or the new content, never a mix: write a
 * temporary file beside it, flush it, rename it over the target, flush the directory.
 */
export function writeFileAtomic(path: string, bytes: Uint8Array): void {
  const target = resolve(path);
  const temporary = `${target}.tmp-${process.pid}-${Date.now()}`;
  let fd = openSync(temporary, 'w', 0o644);
  try {
    let written = 0;
    while (written < bytes.length) written += writeSync(fd, bytes, written, bytes.length - written);
    fsyncSync(fd);
  } catch (error) {
    closeSync(fd);
    try {
      unlinkSync(temporary);
    } catch {
      // the temporary file may not exist; the original error matters
    }
    throw error;
  }
  closeSync(fd);
  renameSync(temporary, target);
  try {
    fd = openSync(dirname(target), 'r');
    try {
      fsyncSync(fd);
    } finally {
      closeSync(fd);
    }
  } catch {
    // some file systems refuse to open or fsync a directory; the rename itself is done
  }
}
