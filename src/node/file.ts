import { closeSync, fsyncSync, openSync, readFileSync, renameSync, unlinkSync, writeSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { DirtyHiveError, Hive } from '../hive/index.js';
import type { HiveOptions } from '../hive/index.js';

/** A hive and the file it came from. The only place that touches the file system for hives. */
export class HiveFile {
  readonly path: string;
  readonly hive: Hive;

  constructor(path: string, hive: Hive) {
    this.path = resolve(path);
    this.hive = hive;
  }

  /** Reads and opens a hive file (see Hive.open for what it throws). */
  static open(path: string, options: HiveOptions = {}): HiveFile {
    return new HiveFile(path, Hive.open(readFileSync(path), { ...options, adopt: true }));
  }

  /**
   * Writes the hive back over its file. A hive that was dirty when read holds a state Windows would
   * first repair from its logs; writing it back as clean would make that repair impossible, so it is
   * refused unless `force` is given.
   * @throws {DirtyHiveError}
   */
  save(options: { force?: boolean } = {}): void {
    if (this.hive.dirty !== undefined && !options.force) {
      throw new DirtyHiveError(`${this.path} was dirty when read (its transaction logs hold changes not yet in it); refusing to write over it: recover it first, save to another file, or pass --force`);
    }
    writeFileAtomic(this.path, this.hive.serialize());
  }

  saveAs(path: string): void {
    writeFileAtomic(path, this.hive.serialize());
  }
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
