import { realpathSync } from 'node:fs';
import { BASE_BLOCK_SIZE, Hive } from '../hive/index.js';
import { basename, resolve } from 'node:path';
import { HiveFile, acquireHiveLock, commitAll, locateImageHives, missingUserReason, readHiveHead } from '../node/index.js';
import type { HiveLock, OpenForWritingOptions, OpenOptions as HiveFileOpenOptions } from '../node/index.js';
import { MountError, MountTable, formatRegistryPath, inferMount, parseRegistryPath } from '../registry/index.js';
import type { Location, Mount, RegistryPath } from '../registry/index.js';

/**
 * The hives one CLI command works on, as a mount table: `--hive FILE [--mount PATH]` (repeatable) or
 * `--image DIR [--user NAME]`. Hives are opened when a path first reaches them; a writer locks every
 * hive it may write before reading it (in a fixed order: sorted file paths) and holds the locks until
 * its commit is done, so a second writer waits instead of losing an update.
 */

export class HiveSelectionError extends Error {
  readonly code = 'HIVE_SELECTION';
  constructor(message: string) {
    super(message);
    this.name = 'HiveSelectionError';
  }
}

export interface HiveSelection {
  hives: { file: string; mount?: string }[];
  image?: string;
  user?: string;
}

export interface OpenOptions {
  write: boolean;
  recover: boolean;
  force: boolean;
  /** Seconds a writer waits for another writer's lock. */
  wait: number;
  /** Messages for stderr (what was inferred, what was replayed). */
  note: (message: string) => void;
}

interface Source {
  mount: Mount;
  file: string;
}

export class OpenHives {
  readonly table: MountTable;
  private readonly files = new Map<Mount, HiveFile>();
  private readonly sources: Source[] = [];
  private readonly written = new Set<Mount>();
  private readonly locks = new Map<string, HiveLock>();
  /** Files locked through the batch session (it releases them when the batch ends). */
  private readonly sessionLocked = new Set<string>();
  /** With a single --hive: its mount, so `\Path` (a path inside the hive) can be resolved. */
  readonly single: Mount | undefined;
  private readonly imageDir: string | undefined;

  constructor(
    selection: HiveSelection,
    private readonly options: OpenOptions,
  ) {
    if (selection.image !== undefined && selection.hives.length > 0) throw new HiveSelectionError('give either --image DIR or --hive FILE, not both');
    if (selection.image !== undefined) {
      this.imageDir = selection.image;
      const { hives, user } = locateImageHives(selection.image, selection.user);
      if (user !== undefined && selection.user === undefined) options.note(`HKCU is ${user}'s profile (the only one in the image)`);
      for (const hive of hives) this.addSource(hive.file, parseRegistryPath(hive.at));
    } else {
      if (selection.user !== undefined) throw new HiveSelectionError('--user chooses a profile of an --image; with --hive, name the NTUSER.DAT itself');
      if (selection.hives.length === 0) {
        throw new HiveSelectionError(
          "reg needs a hive: --hive FILE (a hive file, e.g. SYSTEM) or --image DIR (an offline Windows volume); 'netconfig create FILE' makes an empty one",
        );
      }
      for (const { file, mount } of selection.hives) {
        if (mount !== undefined) {
          this.addSource(file, parseRegistryPath(mount));
          continue;
        }
        // Inferring reads the hive, so a writer locks it first.
        if (options.write) this.lockFiles([file]);
        const opened = this.openFile(file);
        const inferred = inferMount(opened.hive, file);
        const at =
          inferred.kind !== undefined
            ? inferred.at
            : `HKEY_LOCAL_MACHINE\\${
                basename(file)
                  .replace(/\.[^.]*$/, '')
                  .toUpperCase() || 'HIVE'
              }`;
        options.note(`mounted ${file} at ${at} (${inferred.reason}; --mount PATH to choose)`);
        const source = this.addSource(file, parseRegistryPath(at));
        this.files.set(source.mount, opened);
      }
    }
    this.table = new MountTable(this.sources.map((s) => s.mount));
    for (const [mount, file] of this.files) this.table.replace(mount, file.hive);
    this.single = this.sources.length === 1 && selection.image === undefined ? this.sources[0]!.mount : undefined;
  }

  private addSource(file: string, at: RegistryPath): Source {
    const source: Source = {
      file,
      mount: {
        at,
        label: file,
        open: () => this.open(source),
      },
    };
    this.sources.push(source);
    return source;
  }

  private openFile(file: string): HiveFile {
    const lock = this.locks.get(file);
    let opened: HiveFile;
    if (session !== undefined) {
      const fresh = !session.holds(file);
      opened = session.open(file, { write: this.sessionLocked.has(file), recover: this.options.recover, wait: this.options.wait });
      // Said once per batch, when the hive is read, not on every line that reuses it.
      if (!fresh) return opened;
    } else
      opened =
        lock !== undefined ? HiveFile.openForWriting(file, { recover: this.options.recover, lock }) : HiveFile.open(file, { recover: this.options.recover });
    if (opened.recovery !== undefined) {
      const applied = opened.recovery.applied.map((a) => `${a.log} (${a.entries} ${a.format === 'new' ? 'entries' : 'pages'})`).join(', ');
      this.options.note(`${file} was dirty; replayed ${applied} in memory${this.options.write ? ' (written out with this change)' : ' (files unchanged)'}`);
    } else if (opened.hive.dirty !== undefined) {
      this.options.note(`warning: ${file} is dirty and has no usable logs beside it; showing it as it is`);
    }
    return opened;
  }

  private open(source: Source): ReturnType<Mount['open']> {
    let file = this.files.get(source.mount);
    if (file === undefined) {
      if (this.options.write) this.lockFiles([source.file]);
      file = this.openFile(source.file);
      this.files.set(source.mount, file);
    }
    return file.hive;
  }

  /** Locks files for writing, in sorted order, once each. */
  lockFiles(files: string[]): void {
    // One fixed order (sorted names) for every writer, so two writers never wait on each other.
    for (const file of [...new Set(files)].sort()) {
      if (this.locks.has(file) || this.sessionLocked.has(file)) continue;
      // In a batch the session holds the lock until the batch ends (and re-reads a hive it had read unlocked).
      if (session !== undefined) {
        session.lock(file, this.options.wait);
        this.sessionLocked.add(file);
        continue;
      }
      // A mistyped name says "no such hive file" and leaves no lock file behind.
      readHiveHead(file);
      this.locks.set(file, acquireHiveLock(file, { wait: this.options.wait }));
    }
  }

  /** Locks the files behind these mounts. */
  lockMounts(mounts: Mount[]): void {
    this.lockFiles(mounts.map((mount) => this.sources.find((s) => s.mount === mount)!.file));
  }

  /** Locks, before anything is read, every hive the paths may write to. */
  lockForWriting(paths: RegistryPath[]): void {
    const files: string[] = [];
    for (const path of paths) for (const mount of this.table.mountsReached(path)) files.push(this.sources.find((s) => s.mount === mount)!.file);
    this.lockFiles(files);
  }

  /**
   * A key path as the user wrote it: `HKLM\…` (any root), or `\Path` / `\` inside the one hive named
   * with --hive.
   */
  parse(text: string): RegistryPath {
    if (text.startsWith('\\') || text === '') {
      if (this.single === undefined)
        throw new MountError(
          text,
          `"${text}" is a path inside one hive; with ${this.imageDir !== undefined ? '--image' : 'several hives'} start it with a root key (HKLM\\SYSTEM\\…, HKCU\\…)`,
        );
      return { root: this.single.at.root, components: [...this.single.at.components, ...text.split('\\').filter((p) => p !== '')] };
    }
    return parseRegistryPath(text);
  }

  locate(path: RegistryPath): Location {
    try {
      return this.table.locate(path);
    } catch (error) {
      if (
        error instanceof MountError &&
        this.imageDir !== undefined &&
        (path.root === 'HKEY_CURRENT_USER' || path.root === 'HKEY_CLASSES_ROOT') &&
        !this.sources.some((s) => s.mount.at.root === 'HKEY_CURRENT_USER')
      ) {
        throw new MountError(formatRegistryPath(path), `${formatRegistryPath(path)}: ${missingUserReason(this.imageDir)}`);
      }
      throw error;
    }
  }

  /** Marks a hive as changed: commit() writes it. */
  touch(mount: Mount): void {
    this.written.add(mount);
  }

  /**
   * Commits every changed hive. With several, each hive's log is written and flushed before any
   * primary is touched, so a crash leaves all of them old or all of them new.
   */
  commit(): void {
    const files = [...this.written].map((m) => this.files.get(m)!).sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0));
    commitFiles(files, this.options.force);
    this.written.clear();
  }

  close(): void {
    for (const file of this.files.values()) closeHiveFile(file);
    for (const lock of [...this.locks.values()].reverse()) lock.release();
    this.locks.clear();
  }
}

/** One hive: its incremental commit; several: every log flushed before any primary (commitAll). */
function commitFiles(files: HiveFile[], force: boolean): void {
  if (session !== undefined) return session.commitFiles(files, force);
  if (files.length === 1) files[0]!.commit({ force });
  else if (files.length > 1) commitAll(files, { force });
}

/**
 * HiveFile.commit for a file from {@link openHiveFileForWriting}: in a batch the session's commit (now,
 * or with --commit-once at the end of the batch).
 */
export function commitHiveFile(file: HiveFile, options: { force?: boolean } = {}): void {
  commitFiles([file], options.force ?? false);
}

/** HiveFile.close for a file from {@link openHiveFile}/{@link openHiveFileForWriting}: in a batch the session keeps the hive and its lock. */
export function closeHiveFile(file: HiveFile): void {
  if (session === undefined || !session.keeps(file)) file.close();
}

/** Options for a {@link HiveSession}. */
export interface HiveSessionOptions {
  /** Defer every commit to {@link HiveSession.finish} (one commit across all hives at the end). */
  commitOnce: boolean;
}

interface SessionEntry {
  file: HiveFile;
  recover: boolean;
  tolerant: boolean;
  /** Opened under the session's lock (so it may be written without reading it again). */
  locked: boolean;
  /** Changed in memory, commit deferred (--commit-once). */
  pending: boolean;
  force: boolean;
  /** Committed since the last line read it: the next line starts from the committed bytes, opened afresh. */
  committed: boolean;
}

/** The session of the running batch, if any: the CLI's hive opens go through it. */
let session: HiveSession | undefined;

/** The key a hive is cached and locked under: its real path (links resolved), as the lock file uses. */
function realKey(path: string): string {
  // Resolved once per name and batch (a batch of 10,000 lines names the same few files); a name
  // that does not resolve yet (a hive a later line creates) is resolved again next time.
  const known = realKeys.get(path);
  if (known !== undefined) return known;
  const absolute = resolve(path);
  try {
    const real = realpathSync(absolute);
    realKeys.set(path, real);
    return real;
  } catch {
    // A missing file: the open that follows reports it.
    return absolute;
  }
}

const realKeys = new Map<string, string>();

/**
 * The hive files of one `netconfig batch`: each hive is read once, when a line first reaches it, and
 * kept in memory for the later lines; a hive a line writes is locked then and stays locked until the
 * batch ends (a lock of this very process cannot be taken twice, so every open of the batch goes
 * through here). Commits happen after each line, or — with `commitOnce` — once at the end, across
 * every hive changed (commitAll: each log flushed before any primary).
 *
 * A line that fails after changing a hive in memory leaves that hive as the last commit left it: the
 * session forgets it and the next line reads it again ({@link HiveSession.endLine}).
 */
export class HiveSession {
  private readonly entries = new Map<string, SessionEntry>();
  private readonly byFile = new Map<HiveFile, SessionEntry>();
  private readonly locks = new Map<string, HiveLock>();
  /** Real paths locked or opened for writing by the current line. */
  private lineWrites = new Set<string>();
  /** Hives the current line committed. */
  private lineCommits = new Set<SessionEntry>();

  private constructor(readonly options: HiveSessionOptions) {}

  /**
   * Starts the session: until {@link HiveSession.end}, the CLI's opens and commits go through it.
   * @throws {HiveSelectionError} a session is already running (a batch inside a batch)
   */
  static begin(options: HiveSessionOptions): HiveSession {
    if (session !== undefined) throw new HiveSelectionError('a batch is already running; batch cannot be nested');
    session = new HiveSession(options);
    return session;
  }

  /** True when the session holds this hive in memory. */
  holds(path: string): boolean {
    return this.entries.has(realKey(path));
  }

  /** True when the session keeps this file (and its lock) open for the next lines. */
  keeps(file: HiveFile): boolean {
    return this.byFile.has(file);
  }

  /** Takes the hive's writer lock for the rest of the batch (once); a copy read without it is read again. */
  lock(path: string, wait: number): void {
    const key = realKey(path);
    this.lineWrites.add(key);
    if (this.locks.has(key)) return;
    // A mistyped name says "no such hive file" and leaves no lock file behind.
    readHiveHead(path);
    this.locks.set(key, acquireHiveLock(path, { wait }));
    const entry = this.entries.get(key);
    // Read before the lock: another writer may have committed since, so it is read again under the lock.
    if (entry !== undefined && !entry.locked) this.forget(key);
  }

  /**
   * The hive at `path`, read once per batch: with `write`, locked first. A hive read with other
   * `recover`/`tolerant` options than this line asks for is reused when they make no difference (it was
   * clean and whole); otherwise it is read again (refused when it holds uncommitted changes).
   * @throws {HiveSelectionError} the line reads the hive differently while it holds uncommitted changes
   */
  open(path: string, options: { write: boolean; recover: boolean; tolerant?: boolean; wait: number }): HiveFile {
    const key = realKey(path);
    const tolerant = options.tolerant ?? false;
    if (options.write) this.lock(path, options.wait);
    const entry = this.entries.get(key);
    if (entry !== undefined) {
      const hive = entry.file.hive;
      const same = entry.recover === options.recover && entry.tolerant === tolerant;
      const indifferent = entry.file.recovery === undefined && hive.dirty === undefined && hive.problems.length === 0;
      if (same || indifferent) return this.fresh(entry);
      if (entry.pending)
        throw new HiveSelectionError(
          `${path} holds this batch's uncommitted changes; it cannot be read again ${options.recover ? 'with' : 'without'} log replay${tolerant ? ' and --tolerant' : ''} before the batch commits`,
        );
      if (!options.write) return HiveFile.open(path, { recover: options.recover, tolerant });
      this.forget(key);
    }
    const lock = this.locks.get(key);
    const file =
      lock !== undefined
        ? HiveFile.openForWriting(path, { recover: options.recover, tolerant, lock })
        : HiveFile.open(path, { recover: options.recover, tolerant });
    const created: SessionEntry = {
      file,
      recover: options.recover,
      tolerant,
      locked: lock !== undefined,
      pending: false,
      force: false,
      committed: false,
    };
    // The CLI commits and closes the files it opened through commitHiveFile and closeHiveFile: in a batch the session decides.
    this.entries.set(key, created);
    this.byFile.set(file, created);
    return file;
  }

  /**
   * A hive committed by an earlier line is opened again from the bytes it committed (no file read), so
   * each line starts from the very state a separate `netconfig` process would read: which free cell an
   * allocation takes depends on the allocator's history in memory, not only on the bytes.
   */
  private fresh(entry: SessionEntry): HiveFile {
    if (!entry.committed) return entry.file;
    const hive = entry.file.hive;
    // The commit stamped the base block in memory (sequence numbers, bins size, checksum) and wrote
    // those bytes: the hive in memory is the file as committed, with nothing to read back.
    const image = hive.bytes.subarray(0, BASE_BLOCK_SIZE + hive.hiveBinsSize);
    entry.file.replaceHive(Hive.open(image, { adopt: true, tolerant: entry.tolerant }));
    entry.committed = false;
    return entry.file;
  }

  private forget(key: string): void {
    const entry = this.entries.get(key);
    if (entry === undefined) return;
    this.entries.delete(key);
    this.byFile.delete(entry.file);
  }

  private commitEntry(entry: SessionEntry, force: boolean): void {
    if (!this.options.commitOnce) {
      entry.file.commit({ force });
      entry.committed = true;
      this.lineCommits.add(entry);
      return;
    }
    // Refused now (a dirty hive without logs, not forced) rather than at the end of the batch.
    entry.file.commitTarget(force);
    entry.pending = true;
    entry.force ||= force;
  }

  /** OpenHives' commit in a batch: now (one hive: its own commit; several: commitAll), or deferred. */
  commitFiles(files: HiveFile[], force: boolean): void {
    const entries = files.map((file) => this.byFile.get(file));
    if (entries.some((e) => e === undefined)) throw new HiveSelectionError('a hive of this batch was opened outside the batch session');
    if (this.options.commitOnce || files.length === 1) {
      for (const entry of entries) this.commitEntry(entry!, force);
      return;
    }
    if (files.length > 1) commitAll(files, { force });
    for (const entry of entries) {
      entry!.committed = true;
      this.lineCommits.add(entry!);
    }
  }

  /** Marks the start of a line (for {@link HiveSession.endLine}). */
  beginLine(): void {
    this.lineWrites = new Set();
    this.lineCommits = new Set();
  }

  /**
   * Marks the end of a line. Committing per line, a hive the line locked for writing but did not
   * commit — every such hive when the line failed — may hold changes in memory that a separate process
   * would have lost: it is forgotten, and read again (as its last commit left it) by the next line that
   * needs it. With commitOnce nothing is committed after a failure, so nothing is undone.
   */
  endLine(ok: boolean): void {
    if (this.options.commitOnce) return;
    for (const key of this.lineWrites) {
      const entry = this.entries.get(key);
      if (!ok || entry === undefined || !this.lineCommits.has(entry)) this.forget(key);
    }
  }

  /**
   * Ends the batch: with commitOnce and `commit`, every changed hive is committed (one hive: its own
   * commit; several: all-or-nothing with commitAll); then every lock is released. Returns the files committed.
   */
  finish(commit: boolean): string[] {
    try {
      const pending = [...this.entries.values()].filter((e) => e.pending).sort((a, b) => (a.file.path < b.file.path ? -1 : a.file.path > b.file.path ? 1 : 0));
      if (!commit || pending.length === 0) return [];
      if (pending.length === 1) pending[0]!.file.commit({ force: pending[0]!.force });
      else
        commitAll(
          pending.map((e) => e.file),
          { force: pending.some((e) => e.force) },
        );
      for (const entry of pending) entry.pending = false;
      return pending.map((e) => e.file.path);
    } finally {
      this.end();
    }
  }

  /** Releases every lock and stops routing opens through the session. Idempotent. */
  end(): void {
    for (const lock of [...this.locks.values()].reverse()) lock.release();
    this.locks.clear();
    this.entries.clear();
    this.byFile.clear();
    realKeys.clear();
    if (session === this) session = undefined;
  }
}

/**
 * HiveFile.open, or in a batch the session's copy of the hive (read once per batch). The CLI's
 * read-only commands open hives through this.
 */
export function openHiveFile(path: string, options: HiveFileOpenOptions = {}): HiveFile {
  if (session === undefined) return HiveFile.open(path, options);
  return session.open(path, { write: false, recover: options.recover ?? false, tolerant: options.tolerant, wait: 0 });
}

/**
 * HiveFile.openForWriting, or in a batch the session's copy of the hive, locked until the batch ends.
 * Commit it with {@link commitHiveFile} (in a batch: now or, with --commit-once, at the end of the
 * batch) and close it with {@link closeHiveFile} (in a batch: nothing, until the batch ends).
 */
export function openHiveFileForWriting(path: string, options: OpenForWritingOptions = {}): HiveFile {
  if (session === undefined) return HiveFile.openForWriting(path, options);
  return session.open(path, { write: true, recover: options.recover ?? false, tolerant: options.tolerant, wait: options.wait ?? 0 });
}
