import { basename } from 'node:path';
import { HiveFile, acquireHiveLock, commitAll, locateImageHives, missingUserReason, readHiveHead } from '../node/index.js';
import type { HiveLock } from '../node/index.js';
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
    const opened =
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
      if (this.locks.has(file)) continue;
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
    for (const file of this.files.values()) file.close();
    for (const lock of [...this.locks.values()].reverse()) lock.release();
    this.locks.clear();
  }
}

/** One hive: its incremental commit; several: every log flushed before any primary (commitAll). */
function commitFiles(files: HiveFile[], force: boolean): void {
  if (files.length === 1) files[0]!.commit({ force });
  else if (files.length > 1) commitAll(files, { force });
}
