import { randomBytes } from 'node:crypto';
import { BASE_BLOCK_SIZE, LogRecoveryError, baseBlockChecksum, dirtyPages, encodeLogFile, recoverHive } from '../hive/index.js';
import type { DirtyPage, Hive, RecoveryResult, TransactionLogs } from '../hive/index.js';
import { HiveFileError } from './errors.js';
import { fsyncPath, isSymlink, openForWrite, readNoFollow, removePath, replaceFileAtomically, truncatePath, writeAt } from './io.js';
import type { FileOwnership } from './io.js';
import { closeSync } from 'node:fs';

/**
 * Crash-safe, incremental commit in Windows' own order (regf.md §10.1, §11 "In-place update"):
 *   0. if the hive was recovered from its logs, the recovered state is first made durable in the
 *      primary (see makeRecoveryDurable) — before any log that holds it is truncated (issue 14.1);
 *   1. stale logs (LOG2, LOG) are emptied, then the changed pages go into a log entry (LOG1), flushed;
 *      the primary is still clean here, so recovery ignores every log (§10.5 step 1): old state;
 *   2. the primary's base block gets seq1 = new sequence (seq2 stays old), flushed — from here the
 *      primary is dirty and LOG1 (sequence new ≥ seq2) finishes the commit: new state;
 *   3. the changed pages are written to the primary, flushed;
 *   4. seq2 = seq1, checksum, base block written, flushed — clean again.
 * Pages that lie beyond the primary's current end are written in step 1 already (the clean base block
 * does not reach them), so a full disk (ENOSPC) shows up while the primary is still clean and the
 * refused commit can remove its own LOG1: nothing half-written, no stray log (issue 13.10).
 */

/** The file operations a commit needs; tests substitute one that can crash between any two of them. */
export interface CommitFileSystem {
  /** Reads a whole file, or returns undefined when it does not exist. */
  read(path: string): Uint8Array | undefined;
  /** Writes `bytes` at `position`, growing the file (and creating it) if needed. */
  write(path: string, position: number, bytes: Uint8Array): void;
  /** Truncates (or extends) the file to `length` bytes. */
  truncate(path: string, length: number): void;
  /** Makes the file's content (and, for a file created since, its directory entry) durable. */
  flush(path: string): void;
  /** Removes a file if it exists. */
  remove(path: string): void;
  /** Replaces a small file atomically (old or new content after a crash), durably. */
  replace(path: string, bytes: Uint8Array): void;
}

/**
 * The real file system: every open is O_NOFOLLOW (a log that is a link is refused, never followed),
 * files are created O_EXCL with `ownership`'s mode and owner (the hive's), errors are HiveFileErrors.
 */
export function nodeFileSystem(ownership?: FileOwnership): CommitFileSystem {
  const created = new Set<string>();
  const role = (path: string): 'hive' | 'log' => (/\.log\d?$/i.test(path) ? 'log' : 'hive');
  return {
    read: (path) => readNoFollow(path, role(path)),
    write: (path, position, bytes) => {
      const { fd, created: isNew } = openForWrite(path, role(path), ownership);
      if (isNew) created.add(path);
      try {
        writeAt(fd, bytes, position, path, role(path));
      } finally {
        closeSync(fd);
      }
    },
    truncate: (path, length) => truncatePath(path, length, role(path)),
    flush: (path) => {
      fsyncPath(path, role(path), created.has(path));
      created.delete(path);
    },
    remove: (path) => removePath(path, role(path)),
    replace: (path, bytes) => {
      // Pointer and record files are ours: never written through a link someone put in their place.
      if (isSymlink(path)) throw new HiveFileError('SYMLINK', path, `${path} is a symbolic link; refusing to follow it for a commit record (remove it)`);
      replaceFileAtomically(path, bytes, 'output');
    },
  };
}

/** The default real file system (files created with mode 0600 when no hive mode is known). */
export const nodeCommitFileSystem: CommitFileSystem = nodeFileSystem();

/**
 * What a commit wrote: the new sequence number, the number of 4096-byte pages, and the bytes written to the log and the primary together.
 */
export interface CommitResult {
  sequence: number;
  pages: number;
  /** Bytes written to the log and the primary together (the recovery step included). */
  bytesWritten: number;
}

/** Where a hive's logs are: the names found beside it (any case), else NAME.LOG1/.LOG2/.LOG. */
export interface LogPaths {
  log1: string;
  log2: string;
  log: string;
}

/**
 * The log paths of the hive at `path`: those found beside it, else `path` + `.LOG1`, `.LOG2` and `.LOG`.
 */
export function defaultLogPaths(path: string, found: Partial<LogPaths> = {}): LogPaths {
  return { log1: found.log1 ?? `${path}.LOG1`, log2: found.log2 ?? `${path}.LOG2`, log: found.log ?? `${path}.LOG` };
}

/**
 * A state recovered from logs that is not yet in the primary: the pages of the recovered image that
 * differ from the primary on disk, and the recovered (clean) base block. Kept apart from the Hive,
 * whose bytes user edits change.
 */
export interface PendingRecovery {
  baseBlock: Uint8Array;
  pages: DirtyPage[];
  /** The dirty primary's first sector as read: checked before writing, so a changed file is not overwritten. */
  dirtyHeader: Uint8Array;
  /**
   * For a hive rolled forward from a multi-hive commit record (clean at S − 1): the first sector marked
   * dirty (seq1 = S), written first, so that other tools, which do not know the record, see a dirty
   * hive whose LOG1 completes it rather than a clean one being overwritten.
   */
  markHeader?: Uint8Array;
}

/** recoverWithCommitRecord's result: `rolledForwardTo` is set when the commit record decided. */
export type RecoveryWithRecord = RecoveryResult & { rolledForwardTo?: number };

/**
 * The state still to be written to the primary after a log recovery ({@link PendingRecovery}), or undefined when the primary was clean and nothing was recovered.
 */
export function pendingRecoveryOf(primary: Uint8Array, recovery: RecoveryWithRecord): PendingRecovery | undefined {
  if (!recovery.recovered) return undefined;
  const recovered = recovery.bytes;
  const hiveBinsSize = new DataView(recovered.buffer, recovered.byteOffset, recovered.byteLength).getUint32(40, true);
  const pages = dirtyPages(primary, recovered, hiveBinsSize).map((p) => ({ offset: p.offset, bytes: p.bytes.slice() }));
  const pending: PendingRecovery = { baseBlock: recovered.slice(0, BASE_BLOCK_SIZE), pages, dirtyHeader: primary.slice(0, 512) };
  if (recovery.rolledForwardTo !== undefined) {
    const mark = primary.slice(0, 512);
    const view = new DataView(mark.buffer);
    view.setUint32(4, recovery.rolledForwardTo, true);
    view.setUint32(508, baseBlockChecksum(view), true);
    pending.markHeader = mark;
  }
  return pending;
}

/**
 * Makes a recovered state durable in the primary before any log holding it is touched (issue 14.1).
 * The primary's dirty base block stays as it is while the recovered pages are written into it, so a
 * replay at any moment of this step gives the same recovered state: every page written equals what the
 * replay writes there (the pages are exactly those the replay changes, and the replay reads nothing
 * but the base block and the logs), and pages not yet written still hold what the replay starts from.
 * Only after these pages are flushed does the recovered, clean base block (seq1 = seq2 = the last
 * replayed sequence, the recovered hive-bins size) go in and get flushed. From then on the primary alone
 * holds the recovered state and the logs are stale (a clean primary ignores its logs, §10.5 step 1).
 */
export function makeRecoveryDurable(fs: CommitFileSystem, path: string, pending: PendingRecovery): number {
  const onDisk = fs.read(path);
  if (onDisk === undefined || onDisk.length < 512 || onDisk.subarray(0, 512).some((b, i) => b !== pending.dirtyHeader[i])) {
    throw new LogRecoveryError(`${path} changed on disk since it was read and recovered; nothing was written: open it again`);
  }
  let written = 0;
  if (pending.markHeader !== undefined) {
    fs.write(path, 0, pending.markHeader);
    fs.flush(path);
    written += pending.markHeader.length;
  }
  for (const page of pending.pages) {
    fs.write(path, BASE_BLOCK_SIZE + page.offset, page.bytes);
    written += page.bytes.length;
  }
  fs.flush(path);
  fs.write(path, 0, pending.baseBlock);
  fs.flush(path);
  return written + pending.baseBlock.length;
}

/** What step 1 prepared and steps 2–4 finish. */
interface PreparedCommit {
  path: string;
  sequence: number;
  oldSequence: number;
  image: Uint8Array;
  pages: DirtyPage[];
  log1: string;
  /** LOG1 did not exist before this commit: a refused commit removes it rather than leaving it empty. */
  log1Created: boolean;
  /** The primary's length before the commit (growth is cut back to it if the commit is refused). */
  committedLength: number;
  written: number;
}

function prepare(fs: CommitFileSystem, path: string, committed: Uint8Array, hive: Hive, logs: LogPaths, log1Existed: boolean): PreparedCommit {
  const view = hive.view;
  const oldSequence = committed.length >= BASE_BLOCK_SIZE ? new DataView(committed.buffer, committed.byteOffset, committed.byteLength).getUint32(8, true) : 0;
  const sequence = (Math.max(oldSequence, view.getUint32(4, true), view.getUint32(8, true)) + 1) >>> 0;
  const hiveBinsSize = hive.hiveBinsSize;
  const image = hive.bytes.slice(0, BASE_BLOCK_SIZE + hiveBinsSize);
  const imageView = new DataView(image.buffer);
  imageView.setUint32(40, hiveBinsSize, true);
  const pages = dirtyPages(committed, image, hiveBinsSize);
  const prepared: PreparedCommit = {
    path,
    sequence,
    oldSequence,
    image,
    pages,
    log1: logs.log1,
    log1Created: !log1Existed,
    committedLength: committed.length,
    written: 0,
  };

  // Growth first, while the primary is clean: bytes past its end belong to no state yet.
  const growth = pages.filter((p) => BASE_BLOCK_SIZE + p.offset + p.bytes.length > committed.length);
  for (const page of growth) {
    fs.write(path, BASE_BLOCK_SIZE + page.offset, page.bytes);
    prepared.written += page.bytes.length;
  }
  if (growth.length > 0) fs.flush(path);

  // Older logs are emptied before LOG1 is written: once the primary is dirty, recovery must not replay
  // a stale LOG2 before (or instead of) this entry (an empty log is ignored, §10.2).
  for (const stale of [logs.log2, logs.log]) {
    const existing = fs.read(stale);
    if (existing !== undefined && existing.length > 0) {
      fs.truncate(stale, 0);
      fs.flush(stale);
    }
  }
  imageView.setUint32(4, sequence, true);
  imageView.setUint32(8, sequence, true);
  const log = encodeLogFile(image, sequence, hiveBinsSize, pages);
  fs.write(logs.log1, 0, log);
  fs.truncate(logs.log1, log.length);
  fs.flush(logs.log1);
  prepared.written += log.length;
  return prepared;
}

/**
 * Undoes step 1 of a commit that was refused before its primary became dirty (best effort): its LOG1
 * goes (or is emptied, when it existed before), and bytes it appended past the primary's end are cut
 * off again — the primary is clean throughout, so neither belongs to any state.
 */
function abandon(fs: CommitFileSystem, prepared: { log1: string; log1Created: boolean }, primary?: string, primaryLength?: number): void {
  try {
    if (primary !== undefined && primaryLength !== undefined && primaryLength >= BASE_BLOCK_SIZE && (fs.read(primary)?.length ?? 0) > primaryLength) {
      fs.truncate(primary, primaryLength);
      fs.flush(primary);
    }
  } catch {
    // as below
  }
  try {
    if (prepared.log1Created) fs.remove(prepared.log1);
    else if (fs.read(prepared.log1) !== undefined) {
      fs.truncate(prepared.log1, 0);
      fs.flush(prepared.log1);
    }
  } catch {
    // the original error is what the caller needs; a stale log beside a clean primary is ignored anyway
  }
}

function markDirty(fs: CommitFileSystem, p: PreparedCommit): void {
  const view = new DataView(p.image.buffer);
  view.setUint32(4, p.sequence, true);
  view.setUint32(8, p.oldSequence, true);
  view.setUint32(508, baseBlockChecksum(view), true);
  fs.write(p.path, 0, p.image.subarray(0, BASE_BLOCK_SIZE));
  fs.flush(p.path);
  p.written += BASE_BLOCK_SIZE;
}

function writePagesAndClean(fs: CommitFileSystem, p: PreparedCommit): void {
  for (const page of p.pages) {
    fs.write(p.path, BASE_BLOCK_SIZE + page.offset, page.bytes);
    p.written += page.bytes.length;
  }
  fs.flush(p.path);
  const view = new DataView(p.image.buffer);
  view.setUint32(8, p.sequence, true);
  view.setUint32(508, baseBlockChecksum(view), true);
  fs.write(p.path, 0, p.image.subarray(0, 512));
  fs.flush(p.path);
  p.written += 512;
}

/**
 * Options for {@link commitIncrementally}: log file names and a recovered state to make durable first.
 */
export interface CommitOptions {
  /** The log file names to use (found beside the hive in any case); default NAME.LOG1/.LOG2/.LOG. */
  logs?: Partial<LogPaths>;
  /** A recovered state to make durable first (HiveFile passes it when the hive was recovered). */
  recovered?: PendingRecovery;
}

/**
 * Commits `hive` to `path`, whose current content is `committed` (the image last read or committed;
 * ignored when `options.recovered` is given: the file is read again after the recovery step).
 * A failure before the primary becomes dirty leaves the old state and no new log; after that point
 * the state is the new one (its log completes it on the next open).
 */
export function commitIncrementally(
  fs: CommitFileSystem,
  path: string,
  committed: Uint8Array,
  hive: Hive,
  options: CommitOptions = {},
): CommitResult & { image: Uint8Array } {
  const logs = defaultLogPaths(path, options.logs);
  let recoveryBytes = 0;
  if (options.recovered !== undefined) {
    recoveryBytes = makeRecoveryDurable(fs, path, options.recovered);
    committed = fs.read(path) ?? new Uint8Array(0);
  }
  const log1Existed = fs.read(logs.log1) !== undefined;
  let prepared: PreparedCommit;
  try {
    prepared = prepare(fs, path, committed, hive, logs, log1Existed);
  } catch (error) {
    abandon(fs, { log1: logs.log1, log1Created: !log1Existed }, path, committed.length);
    throw error;
  }
  finishCommit(fs, prepared, hive);
  return { sequence: prepared.sequence, pages: prepared.pages.length, bytesWritten: prepared.written + recoveryBytes, image: prepared.image };
}

function finishCommit(fs: CommitFileSystem, p: PreparedCommit, hive: Hive): void {
  markDirty(fs, p);
  writePagesAndClean(fs, p);
  hive.view.setUint32(4, p.sequence, true);
  hive.view.setUint32(8, p.sequence, true);
}

// ------------------------------------------------------------------------------------------------
// Several hives, all or nothing (issue 13.2).

/**
 * Why a commit record: Windows' per-hive rules cannot make several files change together. Once every
 * hive's log is flushed, each primary must be marked dirty (step 2) one after the other; a crash
 * between marking hive A and hive B would recover A to new (dirty, log applies) and B to old (clean
 * primary, log ignored). So the moment all hives become new is one atomic file replacement: the commit
 * record `FIRST.netconfig-commit` beside the first hive (sorted real paths), listing every hive and its
 * new sequence. Before it exists a crash leaves every primary clean and untouched: all old (their fresh
 * logs are ignored beside clean primaries, §10.5 step 1). After it exists, every hive is new: a hive
 * already marked dirty recovers from its log as usual; a hive still clean at the sequence before its
 * new one is rolled forward from its LOG1 by `recoverWithCommitRecord`, which finds the record through
 * the pointer file `NAME.netconfig-txn` written (and flushed) beside each hive before the record.
 * Other tools (Windows, hivex) do not know the record: for them the window between the record and the
 * last dirty mark can show some hives old — the pointer files stay there as evidence until cleanup.
 */
export const COMMIT_RECORD_SUFFIX = '.netconfig-commit';
/**
 * Suffix of the pointer file `NAME.netconfig-txn` written beside each hive of a multi-hive commit; it names the commit record (see {@link COMMIT_RECORD_SUFFIX}).
 */
export const TXN_POINTER_SUFFIX = '.netconfig-txn';

/**
 * One hive of a multi-hive commit ({@link commitIncrementallyAll}): its path, the hive, its current primary bytes, its logs and any recovered state.
 */
export interface MultiCommitTarget {
  path: string;
  hive: Hive;
  /** Current primary content; read from `fs` when absent (or when `recovered` is given). */
  committed?: Uint8Array;
  logs?: Partial<LogPaths>;
  recovered?: PendingRecovery;
}

interface CommitRecord {
  id: string;
  hives: { path: string; sequence: number }[];
}

interface TxnPointer {
  id: string;
  record: string;
}

function encodeJson(value: unknown): Uint8Array {
  return new TextEncoder().encode(`${JSON.stringify(value)}\n`);
}

function decodeJson<T>(bytes: Uint8Array | undefined): T | undefined {
  if (bytes === undefined) return undefined;
  try {
    return JSON.parse(new TextDecoder().decode(bytes)) as T;
  } catch {
    return undefined;
  }
}

/**
 * Commits several hives so that after a crash at any point, every hive reopens old or every hive
 * reopens new (with recoverWithCommitRecord, which HiveFile.open applies). Targets are processed in
 * sorted path order. Returns one result per target, in the order given.
 */
export function commitIncrementallyAll(fs: CommitFileSystem, targets: readonly MultiCommitTarget[]): CommitResult[] {
  const order = targets.map((t, i) => ({ t, i })).sort((a, b) => (a.t.path < b.t.path ? -1 : a.t.path > b.t.path ? 1 : 0));
  if (order.length === 0) return [];
  const recordPath = order[0]!.t.path + COMMIT_RECORD_SUFFIX;
  const id = randomBytes(12).toString('hex');
  const recoveryBytes = new Map<number, number>();

  // 0. Recovered states durable, each on its own: every hive stays at its (recovered) old state.
  for (const { t, i } of order) if (t.recovered !== undefined) recoveryBytes.set(i, makeRecoveryDurable(fs, t.path, t.recovered));

  // 1. Every log written and flushed; pointers beside every hive. Primaries clean: all old.
  const prepared: (PreparedCommit & { index: number })[] = [];
  const pointers: string[] = [];
  try {
    for (const { t, i } of order) {
      const committed = t.recovered !== undefined || t.committed === undefined ? (fs.read(t.path) ?? new Uint8Array(0)) : t.committed;
      const logs = defaultLogPaths(t.path, t.logs);
      const log1Existed = fs.read(logs.log1) !== undefined;
      let p: PreparedCommit;
      try {
        p = prepare(fs, t.path, committed, t.hive, logs, log1Existed);
      } catch (error) {
        abandon(fs, { log1: logs.log1, log1Created: !log1Existed }, t.path, committed.length);
        throw error;
      }
      prepared.push({ ...p, index: i });
      fs.replace(t.path + TXN_POINTER_SUFFIX, encodeJson({ id, record: recordPath } satisfies TxnPointer));
      pointers.push(t.path + TXN_POINTER_SUFFIX);
    }
    // 2. The commit point.
    fs.replace(recordPath, encodeJson({ id, hives: prepared.map((p) => ({ path: p.path, sequence: p.sequence })) } satisfies CommitRecord));
  } catch (error) {
    for (const p of prepared) abandon(fs, p, p.path, p.committedLength);
    for (const pointer of pointers) {
      try {
        fs.remove(pointer);
      } catch {
        // a pointer without a record is ignored
      }
    }
    throw error;
  }

  // 3. Every primary dirty, then every primary written and clean.
  for (const p of prepared) markDirty(fs, p);
  for (const p of prepared) {
    writePagesAndClean(fs, p);
    const hive = targets[p.index]!.hive;
    hive.view.setUint32(4, p.sequence, true);
    hive.view.setUint32(8, p.sequence, true);
  }

  // 4. Cleanup: the record first (every hive is clean and new now), then the pointers.
  fs.remove(recordPath);
  for (const pointer of pointers) fs.remove(pointer);

  const results: CommitResult[] = [];
  for (const p of prepared) results[p.index] = { sequence: p.sequence, pages: p.pages.length, bytesWritten: p.written + (recoveryBytes.get(p.index) ?? 0) };
  return results;
}

/**
 * Recovery that honours a multi-hive commit record (see above); otherwise exactly recoverHive. When
 * the pointer beside the hive names a record that exists, has the same id and lists this hive with
 * sequence S, and the primary is still clean at S − 1, the commit point has passed but this primary
 * was not yet marked dirty: the replay is done as if it were (seq1 = S), from its logs.
 * @throws {LogRecoveryError} as recoverHive, or when a committed transaction's log is missing
 */
export function recoverWithCommitRecord(fs: Pick<CommitFileSystem, 'read'>, path: string, primary: Uint8Array, logs: TransactionLogs): RecoveryWithRecord {
  const pointer = decodeJson<TxnPointer>(fs.read(path + TXN_POINTER_SUFFIX));
  if (pointer !== undefined && typeof pointer.record === 'string' && primary.length >= BASE_BLOCK_SIZE) {
    const record = decodeJson<CommitRecord>(fs.read(pointer.record));
    const entry = record?.id === pointer.id ? record.hives.find((h) => h.path === path) : undefined;
    const view = new DataView(primary.buffer, primary.byteOffset, BASE_BLOCK_SIZE);
    const clean = view.getUint32(508, true) === baseBlockChecksum(view) && view.getUint32(4, true) === view.getUint32(8, true);
    if (entry !== undefined && clean && view.getUint32(8, true) === (entry.sequence - 1) >>> 0) {
      const marked = primary.slice(0, BASE_BLOCK_SIZE);
      const markedView = new DataView(marked.buffer);
      markedView.setUint32(4, entry.sequence, true);
      markedView.setUint32(508, baseBlockChecksum(markedView), true);
      const patched = new Uint8Array(primary.length);
      patched.set(primary);
      patched.set(marked);
      const result = recoverHive(patched, logs);
      if (result.applied[result.applied.length - 1]?.lastSequence !== entry.sequence) {
        throw new LogRecoveryError(
          `${path} belongs to a committed multi-hive write (${pointer.record}) but its log does not hold that write (sequence ${entry.sequence}); restore the log or the hive from a backup`,
        );
      }
      return { ...result, rolledForwardTo: entry.sequence };
    }
  }
  return recoverHive(primary, logs);
}
