import { resolve } from 'node:path';
import { BASE_BLOCK_SIZE, DirtyHiveError, Hive, HiveUsageError, baseBlockIsClean } from '../hive/index.js';
import type { HiveOptions, RecoveryResult, TransactionLogs } from '../hive/index.js';
import { TXN_POINTER_SUFFIX, commitIncrementally, commitIncrementallyAll, nodeFileSystem, pendingRecoveryOf, recoverWithCommitRecord } from './commit.js';
import type { CommitFileSystem, CommitResult, LogState, PendingRecovery } from './commit.js';
import { HiveFileError } from './errors.js';
import { findLogFiles, ownershipOf, readHiveFile, readHiveHead, readNoFollow, realPathOf, replaceFileAtomically } from './io.js';
import type { FileOwnership, LogFileNames } from './io.js';
import { acquireHiveLock } from './lock.js';
import type { HiveLock } from './lock.js';

/**
 * Options for opening a hive file read-only: the {@link HiveOptions} plus whether to replay its transaction logs in memory.
 */
export interface OpenOptions extends HiveOptions {
  /**
   * Replay the transaction logs beside a dirty hive (NAME.LOG1/.LOG2/.LOG in any case) in memory. The
   * files are not touched until a commit, which first makes the recovered state durable.
   */
  recover?: boolean;
}

/**
 * Options for opening a hive file to change it: how long to wait for another writer's lock (seconds), or a lock already held.
 */
export interface OpenForWritingOptions extends OpenOptions {
  /** Seconds to wait for another writer's lock (default 0: fail at once with HiveLockedError). */
  wait?: number;
  /** A lock already held for this hive (from withHiveLocks); it is then not released by close(). */
  lock?: HiveLock;
}

/** Options for committing a {@link HiveFile}. */
export interface CommitFileOptions {
  /** Commit over a hive that was dirty when read and was not recovered. */
  force?: boolean;
  /** Tests substitute a fault-injecting file system. */
  fileSystem?: CommitFileSystem;
}

/**
 * A hive and the file it came from. The only place that touches the file system for hives.
 *
 * A symbolic link named as the hive is followed: every write goes to the link's target (realPath),
 * whose mode and owner are kept; the link stays a link. Logs, temporary and lock files are never
 * reached through links (see io.ts).
 */
export class HiveFile {
  /** The path as named, made absolute (messages use it). */
  readonly path: string;
  /** The file actually read and written: `path` with links resolved. */
  readonly realPath: string;
  /** The hive in memory; `replaceHive` swaps it (e.g. for an import that builds a new Hive). */
  get hive(): Hive {
    return this.current;
  }
  private current: Hive;

  /** Present when the hive was dirty and was brought up to date from its transaction logs. */
  recovery: RecoveryResult | undefined;

  private pending: PendingRecovery | undefined;
  /**
   * The Hive whose record of changes is relative to the file as it is on disk (the one opened from it,
   * or last committed to it). Another Hive (replaceHive) is committed by comparing it with the file.
   */
  private tracked: Hive | undefined;
  /** What the last commit wrote to the logs: the next commit appends without reading them. */
  private logState: LogState | undefined;
  private logNames: LogFileNames = {};
  private ownership: FileOwnership | undefined;
  private lock: HiveLock | undefined;
  private ownsLock = false;

  /**
   * A HiveFile for a hive built in memory, to be written to `path` (save/saveAs). It holds no lock and
   * no recovery state: to change a hive read from disk, use openForWriting and replaceHive.
   */
  constructor(path: string, hive: Hive) {
    this.path = resolve(path);
    this.realPath = realPathOf(this.path);
    this.current = hive;
  }

  /**
   * Replaces the in-memory hive (an import that returns a new Hive) while keeping what this file knows
   * about its disk state: the writer lock, a recovered state not yet made durable, the log names, the
   * mode. Use this instead of `new HiveFile(path, hive)`, which knows none of it — committing such a
   * HiveFile over a recovered hive would write its log without first making the recovery durable.
   */
  replaceHive(hive: Hive): void {
    this.current = hive;
  }

  /**
   * Reads and opens a hive file for reading (no lock: a concurrent writer's commit order keeps what is
   * read the old or the new state). See Hive.open for the format errors.
   * @throws {HiveFileError} ENOENT, EISDIR, EACCES, NOT_REGULAR, TOO_LARGE, SYMLINK (a log that is a link) …
   * @throws {NotAHiveError} the file is a transaction log or not a hive
   * @throws {HiveTruncatedError} the base block declares more bins than the file holds (checked after 4 KiB)
   * @throws {LogRecoveryError} with `recover`: the logs cannot repair the hive, do not belong to it, or
   *   replay to a hive the validator rejects
   */
  static open(path: string, options: OpenOptions = {}): HiveFile {
    const absolute = resolve(path);
    const real = realPathOf(absolute);
    const { bytes, stats } = readHiveFile(real, { tolerant: options.tolerant });
    const { recover, ...hiveOptions } = options;
    const names = recover ? findLogFiles(real) : {};
    if (recover && (baseBlockIsDirty(bytes) || readNoFollow(real + TXN_POINTER_SUFFIX, 'log') !== undefined)) {
      const logs = readLogs(names);
      if (logs.log1 !== undefined || logs.log2 !== undefined || logs.log !== undefined) {
        const recovery = recoverWithCommitRecord(nodeFileSystem(), real, bytes, logs);
        if (recovery.recovered) {
          const pending = pendingRecoveryOf(bytes, recovery);
          const file = new HiveFile(absolute, Hive.open(recovery.bytes, { ...hiveOptions, adopt: true }));
          file.recovery = recovery;
          file.pending = pending;
          file.tracked = file.hive;
          file.logNames = names;
          file.ownership = ownershipOf(stats);
          return file;
        }
      }
    }
    const file = new HiveFile(absolute, Hive.open(bytes, { ...hiveOptions, adopt: true }));
    file.tracked = file.hive;
    file.ownership = ownershipOf(stats);
    file.logNames = names;
    return file;
  }

  /**
   * Takes the hive's writer lock (waiting up to `wait` seconds), then opens it like `open`. The lock is
   * held until `close()`: call it in a `finally`. Commit as often as needed in between.
   * @throws {HiveLockedError} another writer held the lock for the whole wait
   */
  static openForWriting(path: string, options: OpenForWritingOptions = {}): HiveFile {
    const { wait, lock: given, ...openOptions } = options;
    // A mistyped hive path should say "no such hive file", not fail on the lock file beside it.
    if (given === undefined) readHiveHead(path);
    else if (given.hivePath !== realPathOf(resolve(path))) throw new HiveUsageError(`the lock given for ${path} is the lock of ${given.hivePath}`);
    const lock = given ?? acquireHiveLock(path, { wait });
    try {
      const file = HiveFile.open(path, openOptions);
      file.lock = lock;
      file.ownsLock = given === undefined;
      // With `recover`, open found the logs already (under this lock).
      if (!openOptions.recover) file.logNames = findLogFiles(file.realPath);
      return file;
    } catch (error) {
      if (given === undefined) lock.release();
      throw error;
    }
  }

  /**
   * Opens several hives for writing (an --image write or a .reg touching several hives): takes every
   * lock first, in sorted real-path order (no deadlock between two such writers), `wait` seconds in
   * total, then opens each. Returns the files in the order of `paths`; each `close()` releases its lock.
   * On any failure every lock taken is released.
   * @throws {HiveLockedError} | {HiveFileError} | {LogRecoveryError} as openForWriting
   */
  static openAllForWriting(paths: readonly string[], options: Omit<OpenForWritingOptions, 'lock'> = {}): HiveFile[] {
    const { wait, ...openOptions } = options;
    for (const path of paths) readHiveHead(path);
    const real = paths.map((p) => realPathOf(resolve(p)));
    if (new Set(real).size !== real.length) throw new HiveUsageError(`the same hive is named twice: ${paths.join(', ')}`);
    const deadline = Date.now() + Math.max(0, wait ?? 0) * 1000;
    const locks = new Map<string, HiveLock>();
    const files: HiveFile[] = [];
    try {
      for (const path of [...real].sort()) locks.set(path, acquireHiveLock(path, { wait: Math.max(0, (deadline - Date.now()) / 1000) }));
      paths.forEach((path, i) => {
        const file = HiveFile.openForWriting(path, { ...openOptions, lock: locks.get(real[i]!)! });
        file.ownsLock = true;
        files.push(file);
      });
      return files;
    } catch (error) {
      for (const lock of locks.values()) lock.release();
      throw error;
    }
  }

  /** True while this file holds its writer lock. */
  get locked(): boolean {
    return this.lock !== undefined;
  }

  /** Releases the writer lock (if this file took it). Idempotent; the HiveFile can still be read. */
  close(): void {
    if (this.lock !== undefined && this.ownsLock) this.lock.release();
    this.lock = undefined;
  }

  private checkWritable(force: boolean | undefined, verb: string): void {
    if (this.hive.dirty !== undefined && this.recovery === undefined && !force) {
      throw new DirtyHiveError(
        `${this.path} was dirty when read (its transaction logs hold changes not yet in it); refusing to ${verb} over it: recover it first, save to another file, or pass --force`,
      );
    }
  }

  /**
   * Writes the whole hive back over its file atomically (temporary file + rename, through a link to its
   * target, mode and owner kept). Refuses a hive that was dirty when read unless recovered or forced.
   * @throws {DirtyHiveError}
   * @throws {HiveFileError}
   */
  save(options: { force?: boolean } = {}): void {
    this.checkWritable(options.force, 'write');
    replaceFileAtomically(this.realPath, this.hive.serialize());
    // The primary is clean and holds everything now: logs beside it are ignored from here on.
    this.pending = undefined;
    this.hive.markClean();
    this.tracked = this.hive;
    this.logState = undefined;
  }

  /**
   * Writes only what changed since the file was last written, crash-safely, through NAME.LOG1 (see
   * commitIncrementally). A recovered state is made durable in the primary first. Refuses a hive that
   * was dirty when read unless it was recovered or `force` is given.
   * @throws {DirtyHiveError}
   * @throws {HiveFileError} ENOSPC, EROFS, EACCES, SYMLINK …: before the primary became dirty nothing
   *   is changed (no new LOG1 is left behind); after, the new state is in the log and the next open
   *   completes it
   */
  commit(options: CommitFileOptions = {}): CommitResult {
    this.checkWritable(options.force, 'commit');
    const fileSystem = options.fileSystem ?? nodeFileSystem(this.ownership);
    // The hive opened from this file knows what it changed; another one (replaceHive) is compared with
    // the file as it is (read again after a recovery step).
    const committed =
      this.tracked === this.hive ? undefined : this.pending === undefined ? (fileSystem.read(this.realPath) ?? new Uint8Array(0)) : new Uint8Array(0);
    const result = commitIncrementally(fileSystem, this.realPath, committed, this.hive, {
      logs: this.logNames,
      recovered: this.pending,
      logState: this.logState,
    });
    this.committed(result);
    return { sequence: result.sequence, pages: result.pages, bytesWritten: result.bytesWritten, log: result.log };
  }

  /** Writes the hive to another file (atomically; a link there is written through). */
  saveAs(path: string): void {
    replaceFileAtomically(path, this.hive.serialize(), 'output');
  }

  /** @internal for commitAll */
  commitTarget(force: boolean | undefined): {
    path: string;
    hive: Hive;
    logs: LogFileNames;
    recovered: PendingRecovery | undefined;
    ownership: FileOwnership | undefined;
    compare: boolean;
    logState: LogState | undefined;
  } {
    this.checkWritable(force, 'commit');
    // Not tracked (replaceHive): compared with the file, which the commit reads.
    const compare = this.tracked !== this.hive;
    return {
      path: this.realPath,
      hive: this.hive,
      logs: this.logNames,
      recovered: this.pending,
      ownership: this.ownership,
      compare,
      logState: this.logState,
    };
  }

  /** @internal for commitAll */
  committed(result: CommitResult): void {
    this.pending = undefined;
    this.tracked = this.hive;
    this.logState = result.log;
  }
}

/**
 * Commits several hives all-or-nothing (issue 13.2): after a crash at any point, reopening them (with
 * `recover`) gives every hive old or every hive new. See commitIncrementallyAll for the protocol.
 * Every file should be held for writing (openForWriting / withHiveLocks) by the caller.
 * @throws {HiveUsageError} two files are the same hive
 */
export function commitAll(files: readonly HiveFile[], options: CommitFileOptions = {}): CommitResult[] {
  const targets = files.map((f) => f.commitTarget(options.force));
  const seen = new Set<string>();
  for (const t of targets) {
    if (seen.has(t.path)) throw new HiveUsageError(`${t.path} is named twice in one multi-hive commit`);
    seen.add(t.path);
  }
  // One file system per hive would differ only in the mode of created files; use each hive's own.
  const fileSystem = options.fileSystem ?? perHiveFileSystem(targets);
  const results = commitIncrementallyAll(
    fileSystem,
    targets.map((t) => ({ path: t.path, hive: t.hive, logs: t.logs, recovered: t.recovered, compare: t.compare, logState: t.logState })),
  );
  files.forEach((f, i) => f.committed(results[i]!));
  return results;
}

/** Routes each file beside a hive to a file system creating files with that hive's mode and owner. */
function perHiveFileSystem(targets: { path: string; ownership: FileOwnership | undefined }[]): CommitFileSystem {
  // Longest prefix first: beside hives "A" and "AB", "AB.LOG1" belongs to "AB".
  const systems = targets.map((t) => ({ prefix: t.path, fs: nodeFileSystem(t.ownership) })).sort((a, b) => b.prefix.length - a.prefix.length);
  const fallback = nodeFileSystem();
  const pick = (path: string): CommitFileSystem => systems.find((s) => path.startsWith(s.prefix))?.fs ?? fallback;
  return {
    read: (path) => pick(path).read(path),
    write: (path, position, bytes) => pick(path).write(path, position, bytes),
    truncate: (path, length) => pick(path).truncate(path, length),
    flush: (path) => pick(path).flush(path),
    remove: (path) => pick(path).remove(path),
    replace: (path, bytes) => pick(path).replace(path, bytes),
    size: (path) => pick(path).size?.(path),
    release: () => {
      for (const system of systems) system.fs.release?.();
      fallback.release?.();
    },
  };
}

/** Dirty by its base block alone (bad checksum or seq1 ≠ seq2, regf.md §2), without opening the hive. */
function baseBlockIsDirty(bytes: Uint8Array): boolean {
  return bytes.length >= BASE_BLOCK_SIZE && !baseBlockIsClean(new DataView(bytes.buffer, bytes.byteOffset, BASE_BLOCK_SIZE));
}

/**
 * The transaction logs beside a hive file: NAME.LOG1, NAME.LOG2 and NAME.LOG, the whole name matched
 * case-insensitively (issue 13.9); never read through a link.
 * @throws {HiveFileError} SYMLINK when a log is a link
 */
export function findLogs(path: string): TransactionLogs {
  return readLogs(findLogFiles(realPathOf(resolve(path))));
}

/** Reads the logs found beside a hive (never through a link). */
function readLogs(names: LogFileNames): TransactionLogs {
  return {
    log1: names.log1 === undefined ? undefined : readNoFollow(names.log1, 'log'),
    log2: names.log2 === undefined ? undefined : readNoFollow(names.log2, 'log'),
    log: names.log === undefined ? undefined : readNoFollow(names.log, 'log'),
  };
}

/**
 * `netconfig recover`: replays the logs beside a dirty hive and writes the result — to `output`, or
 * over the hive itself when `output` is absent (under the writer lock, waiting up to `wait` seconds).
 * The replay is refused (LogRecoveryError with `reasons`, nothing written) when no log belongs to the
 * hive or its result fails validation. Writing is atomic (temporary file + rename); a symlinked hive is
 * written through to its target, whose mode and owner are kept. Stale logs stay beside the now clean
 * primary, where they are ignored (regf.md §10.5 step 1).
 * @returns the recovery, and the path written (undefined when the hive was clean: nothing to do)
 */
export function recoverHiveFile(path: string, options: { output?: string; wait?: number } = {}): { recovery: RecoveryResult; written: string | undefined } {
  const inPlace = options.output === undefined;
  const lock = inPlace ? acquireHiveLock(path, { wait: options.wait }) : undefined;
  try {
    const real = realPathOf(resolve(path));
    const { bytes } = readHiveFile(real);
    const recovery = recoverWithCommitRecord(nodeFileSystem(), real, bytes, findLogs(real));
    if (!recovery.recovered) return { recovery, written: undefined };
    const target = options.output ?? real;
    replaceFileAtomically(target, recovery.bytes, inPlace ? 'hive' : 'output');
    return { recovery, written: target };
  } finally {
    lock?.release();
  }
}

/**
 * Replaces a file so that a crash leaves either the old or the new content, never a mix (temporary
 * file beside it, flushed, renamed, directory flushed). A link is written through to its target, whose
 * mode and owner the new content keeps; nothing is left behind on failure.
 * @throws {HiveFileError}
 */
export function writeFileAtomic(path: string, bytes: Uint8Array): void {
  replaceFileAtomically(resolve(path), bytes, 'output');
}

export { HiveFileError };
