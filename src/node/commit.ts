import { randomBytes } from 'node:crypto';
import { closeSync } from 'node:fs';
import {
  BASE_BLOCK_SIZE,
  BaseBlockField,
  FileType,
  LogRecoveryError,
  REGF_SIGNATURE,
  baseBlockChecksum,
  baseBlockIsClean,
  dirtyPages,
  encodeLogEntry,
  encodeLogHeader,
  encodeOldLogFile,
  readLogChain,
  recoverHive,
} from '../hive/index.js';
import type { DirtyPage, Hive, LogChain, RecoveryResult, TransactionLogs } from '../hive/index.js';
import { HiveFileError } from './errors.js';
import {
  fileSize,
  fsyncFd,
  fsyncPath,
  isSymlink,
  openForWrite,
  readNoFollow,
  removePath,
  replaceFileAtomically,
  truncateFd,
  truncatePath,
  writeAt,
} from './io.js';
import type { FileOwnership } from './io.js';

/**
 * Crash-safe, incremental commit in Windows' own order (regf.md §10.1, §11 "In-place update"):
 *   0. if the hive was recovered from its logs, the recovered state is first made durable in the
 *      primary (see makeRecoveryDurable) — before any log that holds it is truncated (issue 14.1);
 *   1. the changed pages go into the log, flushed. New format (Windows 8.1+, regf.md §10.1, §10.4):
 *      one HvLE entry appended to the current log (LOG1 or LOG2) after the entries already there, or,
 *      when that log has grown past `logLimit` or does not end at the sequence before this one, a
 *      fresh log started in the other file, so LOG1 and LOG2 alternate. Old format (regf.md §10.3;
 *      when the logs beside the hive are Windows 7-era old-format logs, which Windows 7 can replay and
 *      HvLE logs it cannot): the log file is rewritten with a DIRT bitmap and the pages. A log beside
 *      it that recovery could apply instead is emptied. The primary is still clean here, so recovery
 *      ignores every log (§10.5 step 1): old state;
 *   2. the primary's base block gets seq1 = new sequence and seq2 = the sequence its log starts from
 *      (the first entry of the log appended to, or the old sequence for a fresh log), flushed. From
 *      here the primary is dirty and its log finishes the commit: a log applies when its base-block
 *      sequence is ≥ the primary's seq2, and every entry from its first is then replayed (§10.5 step 3,
 *      as yarp's apply_new_log_file and Windows do); entries already in the primary rewrite what is
 *      there. New state;
 *   3. the changed 512-byte sectors are written to the primary, flushed;
 *   4. seq2 = seq1, checksum, base block written, flushed — clean again.
 * What changed comes from the hive's own record of its writes (Hive.changes): no read of the primary,
 * no copy of the image, no comparison. Bytes beyond the primary's old bins are written in step 1
 * already (the clean base block does not reach them), so a full disk (ENOSPC) shows up while the
 * primary is still clean and the refused commit can undo its own log write: nothing half-written, no
 * stray log (issue 13.10).
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
  /** The file's length, undefined when it does not exist (optional: `read(path).length` otherwise). */
  size?(path: string): number | undefined;
  /** Closes whatever the file system keeps open; a commit calls it when it ends (optional). */
  release?(): void;
}

/**
 * The real file system: every open is O_NOFOLLOW (a log that is a link is refused, never followed),
 * files are created O_EXCL with `ownership`'s mode and owner (the hive's), errors are HiveFileErrors.
 */
export function nodeFileSystem(ownership?: FileOwnership): CommitFileSystem {
  const created = new Set<string>();
  // Descriptors opened for writing stay open until release(): a commit writes and flushes the same
  // few files several times, and each open (with its checks) cost more than the write.
  const opened = new Map<string, number>();
  const role = (path: string): 'hive' | 'log' => (/\.log\d?$/i.test(path) ? 'log' : 'hive');
  const fdFor = (path: string): number => {
    let fd = opened.get(path);
    if (fd === undefined) {
      const result = openForWrite(path, role(path), ownership);
      fd = result.fd;
      if (result.created) created.add(path);
      opened.set(path, fd);
    }
    return fd;
  };
  const close = (path: string): void => {
    const fd = opened.get(path);
    if (fd === undefined) return;
    opened.delete(path);
    closeSync(fd);
  };
  return {
    read: (path) => readNoFollow(path, role(path)),
    write: (path, position, bytes) => writeAt(fdFor(path), bytes, position, path, role(path)),
    truncate: (path, length) => {
      const fd = opened.get(path);
      if (fd === undefined) truncatePath(path, length, role(path));
      else truncateFd(fd, length, path, role(path));
    },
    flush: (path) => {
      const fd = opened.get(path);
      if (fd === undefined) fsyncPath(path, role(path), created.has(path));
      else fsyncFd(fd, path, role(path), created.has(path));
      created.delete(path);
    },
    remove: (path) => {
      close(path);
      removePath(path, role(path));
    },
    size: (path) => fileSize(path),
    replace: (path, bytes) => {
      close(path);
      // Pointer and record files are ours: never written through a link someone put in their place.
      if (isSymlink(path)) throw new HiveFileError('SYMLINK', path, `${path} is a symbolic link; refusing to follow it for a commit record (remove it)`);
      replaceFileAtomically(path, bytes, 'output');
    },
    release: () => {
      for (const path of [...opened.keys()]) close(path);
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
  /** 4096-byte pages in the log entry (Windows' unit); the primary gets only their changed sectors. */
  pages: number;
  /** Bytes written to the log and the primary together (the recovery step included). */
  bytesWritten: number;
  /** Which log the commit wrote and how (so the next commit appends without reading the logs). */
  log: LogState;
}

/**
 * The log a commit wrote: its format and path; for the new format the sequence of its first entry
 * (`base`), of its last (`last`, the commit's) and the offset past it (`end`). A commit given the state
 * of the commit just before it (same hive, same writer, `last` = its sequence − 1) appends without
 * reading any log.
 */
export interface LogState {
  format: 'new' | 'old';
  path: string;
  base: number;
  last: number;
  end: number;
  /** The log was appended to (true) or started afresh (false). */
  appended: boolean;
}

/** Default size past which a new-format log is not appended to: the next commit starts the other one. */
export const LOG_LIMIT = 1024 * 1024;

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

/**
 * recoverWithCommitRecord's result: `rolledForwardTo` is set when the commit record decided, and
 * `rolledForwardMark` is then the primary's base block marked dirty as the commit would have marked it.
 */
export type RecoveryWithRecord = RecoveryResult & { rolledForwardTo?: number; rolledForwardMark?: Uint8Array };

/**
 * The state still to be written to the primary after a log recovery ({@link PendingRecovery}), or undefined when the primary was clean and nothing was recovered.
 */
export function pendingRecoveryOf(primary: Uint8Array, recovery: RecoveryWithRecord): PendingRecovery | undefined {
  if (!recovery.recovered) return undefined;
  const recovered = recovery.bytes;
  const hiveBinsSize = new DataView(recovered.buffer, recovered.byteOffset, recovered.byteLength).getUint32(40, true);
  const pages = dirtyPages(primary, recovered, hiveBinsSize).map((p) => ({ offset: p.offset, bytes: p.bytes.slice() }));
  const pending: PendingRecovery = { baseBlock: recovered.slice(0, BASE_BLOCK_SIZE), pages, dirtyHeader: primary.slice(0, 512) };
  if (recovery.rolledForwardMark !== undefined) pending.markHeader = recovery.rolledForwardMark.slice(0, 512);
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
  /** The primary's seq2 while it is dirty: where recovery starts in the log (see step 2). */
  secondary: number;
  /** The clean base block of the new state (seq1 = seq2 = sequence, checksum right). */
  baseBlock: Uint8Array;
  /** What the primary gets in step 3: runs of changed sectors below the old end (views into the hive). */
  primaryPages: DirtyPage[];
  pages: number;
  log: LogState;
  /** How to undo the log write of step 1 if the commit is refused before step 2. */
  undo: { path: string; created: boolean; length: number };
  /** The primary's length before the commit, when growth was written (cut back on refusal). */
  committedLength: number | undefined;
  written: number;
}

/** What step 1 has done so far: what a refused commit must undo. */
interface Progress {
  undo?: PreparedCommit['undo'];
  committedLength?: number;
}

/** How prepare finds what changed and which logs to write. */
interface PrepareOptions {
  /** The primary's content, to compare with (a hive not opened from this file); else the dirty set. */
  committed?: Uint8Array;
  logState?: LogState;
  logLimit?: number;
  logFormat?: 'new' | 'old';
}

function viewOf(bytes: Uint8Array): DataView {
  return new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
}

/** uint32 sequence comparison with wrap-around: true when `a` comes at or after `b`. */
function atOrAfter(a: number, b: number): boolean {
  return (a - b) >>> 0 <= 0x7fffffff;
}

/** The bytes of runs as pages: views into the hive's memory, not copies. */
function pagesOf(hive: Hive, runs: { offset: number; length: number }[]): DirtyPage[] {
  return runs.map((r) => ({ offset: r.offset, bytes: hive.bytes.subarray(BASE_BLOCK_SIZE + r.offset, BASE_BLOCK_SIZE + r.offset + r.length) }));
}

function sizeOf(fs: CommitFileSystem, path: string): number {
  return fs.size !== undefined ? (fs.size(path) ?? 0) : (fs.read(path)?.length ?? 0);
}

/** The log format to write: new unless the logs beside the hive are old-format and none is new (regf.md §10.2: the base block's file type says). */
function logFormatBeside(headers: (Uint8Array | undefined)[]): 'new' | 'old' {
  let old = false;
  for (const bytes of headers) {
    if (bytes === undefined || bytes.length < 512) continue;
    const view = viewOf(bytes);
    if (view.getUint32(BaseBlockField.signature, true) !== REGF_SIGNATURE) continue;
    const type = view.getUint32(BaseBlockField.fileType, true);
    if (type === FileType.newLog) return 'new';
    if (type === FileType.oldLog || type === FileType.oldLogNt2000) old = true;
  }
  return old ? 'old' : 'new';
}

function prepare(fs: CommitFileSystem, path: string, hive: Hive, logs: LogPaths, options: PrepareOptions, progress: Progress): PreparedCommit {
  const { committed } = options;
  const view = hive.view;
  const diskSequence = committed !== undefined && committed.length >= BASE_BLOCK_SIZE ? viewOf(committed).getUint32(8, true) : 0;
  const sequence = (Math.max(diskSequence, view.getUint32(4, true), view.getUint32(8, true)) + 1) >>> 0;
  hive.stamp(sequence);
  const hiveBinsSize = hive.hiveBinsSize;
  const baseBlock = hive.bytes.slice(0, BASE_BLOCK_SIZE);
  let logPages: DirtyPage[];
  let primaryPages: DirtyPage[];
  let oldEnd: number;
  if (committed !== undefined) {
    logPages = dirtyPages(committed, hive.bytes, hiveBinsSize);
    primaryPages = logPages;
    oldEnd = Math.max(0, committed.length - BASE_BLOCK_SIZE);
  } else {
    logPages = pagesOf(hive, hive.changes.runs(4096, hiveBinsSize));
    primaryPages = pagesOf(hive, hive.changes.runs(512, hiveBinsSize));
    oldEnd = hive.committedBinsSize;
  }
  let pageCount = 0;
  for (const page of logPages) pageCount += page.bytes.length / 4096;

  // Growth first, while the primary is clean: bytes past its old bins belong to no state yet.
  let written = 0;
  let committedLength: number | undefined;
  const below: DirtyPage[] = [];
  for (const page of primaryPages) {
    const end = page.offset + page.bytes.length;
    if (end <= oldEnd) {
      below.push(page);
      continue;
    }
    committedLength ??= committed?.length ?? sizeOf(fs, path);
    progress.committedLength = committedLength;
    const from = Math.max(page.offset, oldEnd);
    fs.write(path, BASE_BLOCK_SIZE + from, page.bytes.subarray(from - page.offset));
    written += end - from;
    if (page.offset < oldEnd) below.push({ offset: page.offset, bytes: page.bytes.subarray(0, oldEnd - page.offset) });
  }
  if (committedLength !== undefined) fs.flush(path);

  // Each log is read at most once per commit (and not at all after a commit of this writer).
  const contents = new Map<string, Uint8Array | undefined>();
  const readLog = (path: string): Uint8Array | undefined => {
    if (!contents.has(path)) contents.set(path, fs.read(path));
    return contents.get(path);
  };
  const format = options.logFormat ?? (options.logState?.format === 'old' ? 'old' : undefined);
  const log =
    format === 'old' ||
    (format === undefined && options.logState === undefined && logFormatBeside([readLog(logs.log1), readLog(logs.log2), readLog(logs.log)]) === 'old')
      ? writeOldLog(fs, readLog, logs, baseBlock, sequence, hiveBinsSize, logPages, progress)
      : writeNewLog(fs, readLog, hive, logs, baseBlock, sequence, hiveBinsSize, logPages, options, progress);
  written += log.written;
  return {
    path,
    sequence,
    secondary: log.secondary,
    baseBlock,
    primaryPages: below,
    pages: pageCount,
    log: log.state,
    undo: log.undo,
    committedLength,
    written,
  };
}

interface LogWrite {
  state: LogState;
  secondary: number;
  undo: PreparedCommit['undo'];
  written: number;
}

/**
 * Step 1, new format: the entry is appended to the current log when that log's entries run unbroken
 * up to the sequence before this one and it stays under the limit; otherwise the other file gets a
 * fresh log (LOG1 and LOG2 alternate). A log beside it that recovery could take instead (its first
 * sequence at or after the primary's dirty seq2, which would make it apply before or after ours) is
 * emptied first, and so is a non-empty NAME.LOG (the single log of the older scheme).
 */
function writeNewLog(
  fs: CommitFileSystem,
  readLog: (path: string) => Uint8Array | undefined,
  hive: Hive,
  logs: LogPaths,
  baseBlock: Uint8Array,
  sequence: number,
  hiveBinsSize: number,
  pages: DirtyPage[],
  options: PrepareOptions,
  progress: Progress,
): LogWrite {
  const limit = options.logLimit ?? LOG_LIMIT;
  const entry = encodeLogEntry(sequence, hiveBinsSize, viewOf(baseBlock).getUint32(BaseBlockField.flags, true), pages);
  const previous = (sequence - 1) >>> 0;
  let target: string;
  let append = false;
  let base = sequence;
  let offset = 0;
  let others: string[];
  const cached = options.logState;
  if (cached !== undefined && cached.format === 'new' && cached.last === previous && (cached.path === logs.log1 || cached.path === logs.log2)) {
    // The previous commit of this writer: the logs are as it left them (others already harmless).
    others = [];
    if (cached.end + entry.length <= limit) {
      target = cached.path;
      append = true;
      base = cached.base;
      offset = cached.end;
    } else {
      target = cached.path === logs.log1 ? logs.log2 : logs.log1;
      // The log left behind must not apply before the fresh one: a write of ours that failed and
      // could not be undone may have left an entry after the cached end.
      others = [cached.path];
    }
  } else {
    const chains = new Map<string, LogChain | undefined>();
    for (const path of [logs.log1, logs.log2]) {
      const chain = readLogChain(readLog(path), sequence, baseBlock, true);
      chains.set(path, chain !== undefined && chain.format === 'new' && chain.foreign === undefined ? chain : undefined);
    }
    const usable = [logs.log1, logs.log2].filter((p) => chains.get(p) !== undefined);
    const latest = usable.sort((a, b) => (atOrAfter(chains.get(a)!.sequence, chains.get(b)!.sequence) ? -1 : 1))[0];
    const current = latest === undefined ? undefined : chains.get(latest)!;
    // Appendable: entries from its first run unbroken up to the one before this commit (a log with no
    // such entry is as good as empty: it is started afresh).
    if (
      current !== undefined &&
      current.end > 512 &&
      current.last === previous &&
      current.end + entry.length <= limit &&
      replaysToPrimary(readLog(latest!)!, current, hive, pages)
    ) {
      target = latest!;
      append = true;
      base = current.sequence;
      offset = current.end;
    } else {
      target = latest === logs.log1 ? logs.log2 : logs.log1;
    }
    others = [logs.log1, logs.log2, logs.log].filter((p) => p !== target);
  }
  const secondary = append ? base : previous;
  let written = 0;
  for (const other of others) {
    const bytes = readLog(other);
    if (bytes === undefined || bytes.length === 0) continue;
    const chain = readLogChain(bytes);
    if (other === logs.log || (chain !== undefined && chain.format === 'new' && atOrAfter(chain.sequence, secondary))) {
      fs.truncate(other, 0);
      fs.flush(other);
    }
  }
  const existing = cached !== undefined && others.length === 0 ? (fs.size !== undefined ? fs.size(target) : fs.read(target)?.length) : readLog(target)?.length;
  const undo = { path: target, created: existing === undefined, length: append ? offset : 0 };
  progress.undo = undo;
  let end: number;
  if (append) {
    fs.write(target, offset, entry);
    end = offset + entry.length;
  } else {
    const fresh = new Uint8Array(512 + entry.length);
    fresh.set(encodeLogHeader(baseBlock, sequence, hiveBinsSize));
    fresh.set(entry, 512);
    fs.write(target, 0, fresh);
    end = fresh.length;
  }
  // Nothing of an older, longer log may follow the new end (recovery stops at the first bad entry,
  // but a stale entry of the right sequence must not be there to be read).
  if (existing === undefined || existing > end) fs.truncate(target, end);
  fs.flush(target);
  written += end - offset;
  return { state: { format: 'new', path: target, base, last: sequence, end, appended: append }, secondary, undo, written };
}

/**
 * Whether replaying the log's entries (before this commit's) leaves the primary as it is: a log found
 * beside the hive may hold a write that never reached the primary (a crash before its dirty mark), and
 * appending after such an entry would replay it with ours. For every 512-byte sector the entries write,
 * the last write must equal the sector in the hive's memory, which is the primary's for every sector
 * this commit does not write (those the new entry writes again anyway). Costs one pass over the log.
 */
function replaysToPrimary(log: Uint8Array, chain: LogChain, hive: Hive, pages: readonly DirtyPage[]): boolean {
  const latest = new Map<number, number>();
  for (const [offset, length, source] of chain.pages ?? []) {
    if (offset + length > hive.hiveBinsSize) return false;
    for (let s = 0; s < length; s += 512) latest.set(offset + s, source + s);
  }
  const rewritten = new Set<number>();
  for (const page of pages) for (let s = 0; s < page.bytes.length; s += 512) rewritten.add(page.offset + s);
  const memory = hive.bytes;
  for (const [sector, source] of latest) {
    if (rewritten.has(sector)) continue;
    const at = BASE_BLOCK_SIZE + sector;
    for (let i = 0; i < 512; i++) if (log[source + i] !== memory[at + i]) return false;
  }
  return true;
}

/**
 * Step 1, old format (the hive's logs are Windows 7-era): NAME.LOG1 when it holds an old-format log,
 * else NAME.LOG when it does (the single log of XP), else NAME.LOG1 — rewritten whole with the base
 * block, the DIRT bitmap and the pages in Windows' 4 KiB blocks (regf.md §10.3). Old-format logs do
 * not append: each holds one write. Another old log carrying this write's timestamp would apply in its
 * place (§10.3, applicability by last-written time), so such a log is emptied.
 */
function writeOldLog(
  fs: CommitFileSystem,
  readLog: (path: string) => Uint8Array | undefined,
  logs: LogPaths,
  baseBlock: Uint8Array,
  sequence: number,
  hiveBinsSize: number,
  pages: DirtyPage[],
  progress: Progress,
): LogWrite {
  const isOld = (bytes: Uint8Array | undefined): boolean => {
    const chain = readLogChain(bytes);
    return chain !== undefined && chain.format === 'old';
  };
  const contents = new Map([logs.log1, logs.log2, logs.log].map((p) => [p, readLog(p)] as const));
  const target = isOld(contents.get(logs.log1)) ? logs.log1 : isOld(contents.get(logs.log)) ? logs.log : logs.log1;
  const stamp = viewOf(baseBlock).getBigUint64(12, true);
  for (const [other, bytes] of contents) {
    if (other === target || bytes === undefined || bytes.length === 0) continue;
    const chain = readLogChain(bytes);
    if (chain !== undefined && (chain.format === 'new' || chain.lastWritten === stamp)) {
      fs.truncate(other, 0);
      fs.flush(other);
    }
  }
  const existing = contents.get(target);
  const log = encodeOldLogFile(baseBlock, sequence, hiveBinsSize, pages);
  const undo = { path: target, created: existing === undefined, length: 0 };
  progress.undo = undo;
  fs.write(target, 0, log);
  if (existing === undefined || existing.length > log.length) fs.truncate(target, log.length);
  fs.flush(target);
  return {
    state: { format: 'old', path: target, base: sequence, last: sequence, end: log.length, appended: false },
    secondary: (sequence - 1) >>> 0,
    undo,
    written: log.length,
  };
}

/**
 * Undoes step 1 of a commit that was refused before its primary became dirty (best effort): its log
 * write goes (the file is removed when the commit created it, else cut back to where the entry
 * started), and bytes it appended past the primary's end are cut off again — the primary is clean
 * throughout, so neither belongs to any state.
 */
function abandon(fs: CommitFileSystem, undo: PreparedCommit['undo'] | undefined, primary?: string, primaryLength?: number): void {
  try {
    if (primary !== undefined && primaryLength !== undefined && primaryLength >= BASE_BLOCK_SIZE && sizeOf(fs, primary) > primaryLength) {
      fs.truncate(primary, primaryLength);
      fs.flush(primary);
    }
  } catch {
    // as below
  }
  if (undo === undefined) return;
  try {
    if (undo.created) fs.remove(undo.path);
    else if (fs.read(undo.path) !== undefined) {
      fs.truncate(undo.path, undo.length);
      fs.flush(undo.path);
    }
  } catch {
    // the original error is what the caller needs; a stale log beside a clean primary is ignored anyway
  }
}

/** The primary's base block marked dirty for this commit: seq1 = new sequence, seq2 = where its log starts. */
function dirtyMark(p: Pick<PreparedCommit, 'baseBlock' | 'sequence' | 'secondary'>): Uint8Array {
  const mark = p.baseBlock.slice();
  const view = new DataView(mark.buffer);
  view.setUint32(4, p.sequence, true);
  view.setUint32(8, p.secondary, true);
  view.setUint32(508, baseBlockChecksum(view), true);
  return mark;
}

function markDirty(fs: CommitFileSystem, p: PreparedCommit): void {
  fs.write(p.path, 0, dirtyMark(p));
  fs.flush(p.path);
  p.written += BASE_BLOCK_SIZE;
}

function writePagesAndClean(fs: CommitFileSystem, p: PreparedCommit): void {
  for (const page of p.primaryPages) {
    fs.write(p.path, BASE_BLOCK_SIZE + page.offset, page.bytes);
    p.written += page.bytes.length;
  }
  fs.flush(p.path);
  fs.write(p.path, 0, p.baseBlock.subarray(0, 512));
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
  /** The `log` of the previous commit by this writer: the next entry is appended without reading the logs. */
  logState?: LogState;
  /** Size past which a new-format log is not appended to (default {@link LOG_LIMIT}). */
  logLimit?: number;
  /** Force a log format; by default old only when the logs beside the hive are old-format. */
  logFormat?: 'new' | 'old';
}

/**
 * Commits `hive` to `path`. With `committed` undefined, what changed is the hive's own record
 * (Hive.changes: the hive was opened from this file, or last committed to it): nothing is read, copied
 * or compared. With `committed` (the file's current content), the pages that differ from it are
 * written instead — for a hive that was not opened from this file. A failure before the primary
 * becomes dirty leaves the old state and no new log entry; after that point the state is the new one
 * (its log completes it on the next open). The result's `image` is the hive's image, read when asked.
 */
export function commitIncrementally(
  fs: CommitFileSystem,
  path: string,
  committed: Uint8Array | undefined,
  hive: Hive,
  options: CommitOptions = {},
): CommitResult & { readonly image: Uint8Array } {
  try {
    return commitOnce(fs, path, committed, hive, options);
  } finally {
    fs.release?.();
  }
}

function commitOnce(
  fs: CommitFileSystem,
  path: string,
  committed: Uint8Array | undefined,
  hive: Hive,
  options: CommitOptions,
): CommitResult & { readonly image: Uint8Array } {
  const logs = defaultLogPaths(path, options.logs);
  let recoveryBytes = 0;
  if (options.recovered !== undefined) {
    recoveryBytes = makeRecoveryDurable(fs, path, options.recovered);
    if (committed !== undefined) committed = fs.read(path) ?? new Uint8Array(0);
  }
  let prepared: PreparedCommit;
  const progress: Progress = {};
  try {
    prepared = prepare(fs, path, hive, logs, { committed, logState: options.logState, logLimit: options.logLimit, logFormat: options.logFormat }, progress);
  } catch (error) {
    abandon(fs, progress.undo, path, progress.committedLength);
    throw error;
  }
  finishCommit(fs, prepared, hive);
  const result = { sequence: prepared.sequence, pages: prepared.pages, bytesWritten: prepared.written + recoveryBytes, log: prepared.log };
  return Object.defineProperty(result, 'image', { get: () => hive.bytes.slice(0, BASE_BLOCK_SIZE + hive.hiveBinsSize), enumerable: false }) as CommitResult & {
    readonly image: Uint8Array;
  };
}

function finishCommit(fs: CommitFileSystem, p: PreparedCommit, hive: Hive): void {
  markDirty(fs, p);
  writePagesAndClean(fs, p);
  hive.markClean();
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
  /**
   * The primary's content, to compare with: for a hive not opened from this file (read again after a
   * recovery). Absent: the hive's own record of what changed is used (see commitIncrementally).
   */
  committed?: Uint8Array;
  /** Compare with the file as `fs` reads it (committed absent): for a hive not opened from it. */
  compare?: boolean;
  /** As CommitOptions.logState / logLimit / logFormat. */
  logState?: LogState;
  logLimit?: number;
  logFormat?: 'new' | 'old';
  logs?: Partial<LogPaths>;
  recovered?: PendingRecovery;
}

interface CommitRecord {
  id: string;
  /**
   * Each hive's new sequence, the seq2 its dirty mark carries (where its log starts; absent in records
   * of older writers: sequence − 1) and the last-written time of the write (decimal FILETIME), which
   * an old-format log must match to apply (regf.md §10.3).
   */
  hives: { path: string; sequence: number; secondary?: number; lastWritten?: string }[];
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
  try {
    return commitAllOnce(fs, targets);
  } finally {
    fs.release?.();
  }
}

function commitAllOnce(fs: CommitFileSystem, targets: readonly MultiCommitTarget[]): CommitResult[] {
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
      const compare = t.committed !== undefined || t.compare === true;
      const committed = !compare ? undefined : t.recovered !== undefined || t.committed === undefined ? (fs.read(t.path) ?? new Uint8Array(0)) : t.committed;
      const logs = defaultLogPaths(t.path, t.logs);
      let p: PreparedCommit;
      const progress: Progress = {};
      try {
        p = prepare(fs, t.path, t.hive, logs, { committed, logState: t.logState, logLimit: t.logLimit, logFormat: t.logFormat }, progress);
      } catch (error) {
        abandon(fs, progress.undo, t.path, progress.committedLength);
        throw error;
      }
      prepared.push({ ...p, index: i });
      fs.replace(t.path + TXN_POINTER_SUFFIX, encodeJson({ id, record: recordPath } satisfies TxnPointer));
      pointers.push(t.path + TXN_POINTER_SUFFIX);
    }
    // 2. The commit point.
    const hives = prepared.map((p) => ({
      path: p.path,
      sequence: p.sequence,
      secondary: p.secondary,
      lastWritten: viewOf(p.baseBlock).getBigUint64(12, true).toString(),
    }));
    fs.replace(recordPath, encodeJson({ id, hives } satisfies CommitRecord));
  } catch (error) {
    for (const p of prepared) abandon(fs, p.undo, p.path, p.committedLength);
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
    targets[p.index]!.hive.markClean();
  }

  // 4. Cleanup: the record first (every hive is clean and new now), then the pointers.
  fs.remove(recordPath);
  for (const pointer of pointers) fs.remove(pointer);

  const results: CommitResult[] = [];
  for (const p of prepared)
    results[p.index] = { sequence: p.sequence, pages: p.pages, bytesWritten: p.written + (recoveryBytes.get(p.index) ?? 0), log: p.log };
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
    if (entry !== undefined && baseBlockIsClean(view) && view.getUint32(8, true) === (entry.sequence - 1) >>> 0) {
      // The dirty mark the commit would have written: seq1 = S, seq2 = where its log starts, its time.
      const marked = primary.slice(0, BASE_BLOCK_SIZE);
      const markedView = new DataView(marked.buffer);
      markedView.setUint32(4, entry.sequence, true);
      if (typeof entry.secondary === 'number') markedView.setUint32(8, entry.secondary >>> 0, true);
      if (typeof entry.lastWritten === 'string' && /^\d+$/.test(entry.lastWritten)) markedView.setBigUint64(12, BigInt(entry.lastWritten), true);
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
      return { ...result, rolledForwardTo: entry.sequence, rolledForwardMark: marked };
    }
  }
  return recoverHive(primary, logs);
}
