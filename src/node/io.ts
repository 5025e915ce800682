import {
  closeSync,
  constants,
  fchmodSync,
  fchownSync,
  fstatSync,
  fsyncSync,
  ftruncateSync,
  lstatSync,
  openSync,
  readSync,
  readdirSync,
  realpathSync,
  renameSync,
  unlinkSync,
  writeSync,
} from 'node:fs';
import type { Stats } from 'node:fs';
import { randomBytes } from 'node:crypto';
import { basename, dirname, join } from 'node:path';
import { BASE_BLOCK_SIZE, BaseBlockField, FileType, HiveTruncatedError, NotAHiveError, REGF_SIGNATURE, baseBlockIsClean } from '../hive/index.js';
import { HiveFileError, fileError } from './errors.js';
import type { FileRole } from './errors.js';

/**
 * The file operations under HiveFile, written so that (issue 14.3, 14.6, 13.10):
 * - a log, temporary or lock file is never reached through a symbolic link (O_NOFOLLOW on every open,
 *   O_EXCL on every creation), and only regular files are read or written;
 * - files created beside a hive get the hive's mode (and owner, when running as root), so a 0600 SAM
 *   never gets a 0644 SAM.LOG1;
 * - every errno becomes a HiveFileError naming the file and what to do;
 * - a file over 2 GiB is refused from fstat, and a hive's declared size is checked against the file
 *   after reading its 4 KiB base block, before the rest is read.
 */

const { O_RDONLY, O_WRONLY, O_CREAT, O_EXCL, O_NOFOLLOW } = constants;

/** Largest file we read: 2 GiB. A hive is at most 4096 + 0x7fff0000 bytes (regf.md §2, hive-bins size field). */
export const MAX_FILE_SIZE = 0x80000000;

const FILE_TYPE_NAMES: Record<number, string> = {
  1: 'an old-format transaction log (file type 1)',
  2: 'an old-format transaction log (file type 2, Windows 2000)',
  6: 'a new-format transaction log (file type 6)',
};

/** Mode and owner that files created beside a hive receive. */
export interface FileOwnership {
  mode: number;
  uid: number;
  gid: number;
}

export function ownershipOf(stats: Stats): FileOwnership {
  return { mode: stats.mode & 0o7777, uid: stats.uid, gid: stats.gid };
}

function runningAsRoot(): boolean {
  return typeof process.getuid === 'function' && process.getuid() === 0;
}

function open(path: string, flags: number, role: FileRole, action: 'read' | 'write', mode?: number): number {
  try {
    return openSync(path, flags, mode);
  } catch (error) {
    throw fileError(error, path, action, role);
  }
}

/** fstat, refusing (the caller closes `fd`) anything but a regular file (a directory, FIFO or device where a file belongs). */
function regular(fd: number, path: string, role: FileRole): Stats {
  const stats = fstatSync(fd);
  if (stats.isDirectory()) {
    throw fileError(Object.assign(new Error('is a directory'), { code: 'EISDIR' }), path, 'read', role);
  }
  if (!stats.isFile()) {
    throw new HiveFileError(
      'NOT_REGULAR',
      path,
      `${path} is not a regular file (a device, FIFO or socket); refusing to use it as a ${role === 'hive' ? 'hive' : `${role} file`}`,
    );
  }
  if (stats.size > MAX_FILE_SIZE) {
    throw new HiveFileError(
      'TOO_LARGE',
      path,
      `${path} is ${stats.size} bytes, larger than 2 GiB; no ${role === 'hive' ? 'hive' : 'transaction log'} can be (the format limits hive bins to 0x7fff0000 bytes)`,
    );
  }
  return stats;
}

function readFully(fd: number, into: Uint8Array, from: number, path: string, role: FileRole): void {
  let done = from;
  try {
    while (done < into.length) {
      const n = readSync(fd, into, done, into.length - done, done);
      if (n === 0) break;
      done += n;
    }
  } catch (error) {
    throw fileError(error, path, 'read', role);
  }
  if (done < into.length) throw new HiveFileError('EIO', path, `${path} became shorter while it was read (another process is writing it?); retry`);
}

/** Reads a file that must not be a link (a log, a lock, a commit record); undefined when it does not exist. */
export function readNoFollow(path: string, role: FileRole): Uint8Array | undefined {
  let fd: number;
  try {
    fd = openSync(path, O_RDONLY | O_NOFOLLOW);
  } catch (error) {
    if ((error as { code?: string }).code === 'ENOENT') return undefined;
    throw fileError(error, path, 'read', role);
  }
  try {
    const stats = regular(fd, path, role);
    // allocUnsafeSlow: never a slice of Node's shared pool, so the whole ArrayBuffer is this file's.
    const bytes = new Uint8Array(Buffer.allocUnsafeSlow(stats.size).buffer, 0, stats.size);
    readFully(fd, bytes, 0, path, role);
    return bytes;
  } finally {
    closeSync(fd);
  }
}

/**
 * Reads a primary hive file. The user named it, so a link to it is followed (HiveFile keeps working on
 * the link's target: see HiveFile.open). Refused before the bulk read: a directory, a non-regular file,
 * a file over 2 GiB, a transaction log named as a hive (issue 13.9), and — unless `tolerant` — a clean
 * base block that declares more hive bins than the file holds (issue 14.6: a 1.9 GiB file declaring
 * 0x7fff0000 bytes is refused after 4 KiB, not after reading 2 GB).
 */
export function readHiveFile(path: string, options: { tolerant?: boolean } = {}): { bytes: Uint8Array; stats: Stats } {
  const fd = open(path, O_RDONLY, 'hive', 'read');
  try {
    const stats = regular(fd, path, 'hive');
    const head = new Uint8Array(Math.min(stats.size, BASE_BLOCK_SIZE));
    readFully(fd, head, 0, path, 'hive');
    const view = new DataView(head.buffer, head.byteOffset, head.byteLength);
    if (head.length >= 512 && view.getUint32(BaseBlockField.signature, true) === REGF_SIGNATURE) {
      const type = view.getUint32(BaseBlockField.fileType, true);
      // A log's type field is enough (its checksum may be bad: a log being written); regf.md §10.2.
      if (FILE_TYPE_NAMES[type] !== undefined) {
        throw new NotAHiveError(
          `${path} is ${FILE_TYPE_NAMES[type]}, not a hive: open the hive it belongs to (the file without the .LOG/.LOG1/.LOG2 suffix) and its logs are replayed from there`,
        );
      }
      if (head.length === BASE_BLOCK_SIZE && !options.tolerant && type === FileType.primary && baseBlockIsClean(view)) {
        const declared = view.getUint32(BaseBlockField.hiveBinsSize, true);
        if (BASE_BLOCK_SIZE + declared > stats.size) {
          throw new HiveTruncatedError(
            `${path}: the base block declares ${declared} bytes of hive bins but the file holds only ${stats.size - BASE_BLOCK_SIZE} after the base block: the file is truncated (nothing more was read)`,
            stats.size,
            'file',
          );
        }
      }
    }
    // Room after the file in the same buffer (untouched memory costs nothing until used): a hive that
    // grows by a few bins grows into it (Hive.open's adopt) instead of copying the whole image.
    const spare = Math.min(16 * 1024 * 1024, Math.max(64 * 1024, Math.floor(stats.size / 32)));
    const bytes = new Uint8Array(Buffer.allocUnsafeSlow(stats.size + spare).buffer, 0, stats.size);
    bytes.set(head);
    readFully(fd, bytes, head.length, path, 'hive');
    return { bytes, stats };
  } finally {
    closeSync(fd);
  }
}

/** Opens and fstats a hive file without reading it: the typed ENOENT/EISDIR/… checks alone. */
export function readHiveHead(path: string): Stats {
  const fd = open(path, O_RDONLY, 'hive', 'read');
  try {
    return regular(fd, path, 'hive');
  } finally {
    closeSync(fd);
  }
}

/** The files beside a hive whose names equal NAME.LOG1 / NAME.LOG2 / NAME.LOG ignoring case (issue 13.9). */
export interface LogFileNames {
  log1?: string;
  log2?: string;
  log?: string;
}

/**
 * Lists the directory and matches the whole name case-insensitively, as Windows' case-insensitive file
 * systems do: `transactions_NTUSER.DAT` finds `transactions_ntuser.dat.log1`. An exact-case match wins
 * when a case-sensitive file system holds several.
 */
export function findLogFiles(hivePath: string): LogFileNames {
  const directory = dirname(hivePath);
  const base = basename(hivePath);
  let names: string[];
  try {
    names = readdirSync(directory);
  } catch (error) {
    throw fileError(error, directory, 'read', 'log');
  }
  const out: LogFileNames = {};
  for (const [key, suffix] of [
    ['log1', '.LOG1'],
    ['log2', '.LOG2'],
    ['log', '.LOG'],
  ] as const) {
    const wanted = base + suffix;
    const exact = names.find((n) => n === wanted);
    const folded = exact ?? names.find((n) => n.toLowerCase() === wanted.toLowerCase());
    if (folded !== undefined) out[key] = join(directory, folded);
  }
  return out;
}

function syncDirectory(path: string): void {
  try {
    const fd = openSync(dirname(path), O_RDONLY);
    try {
      fsyncSync(fd);
    } finally {
      closeSync(fd);
    }
  } catch {
    // some file systems refuse to open or fsync a directory; nothing more can be done there
  }
}

/**
 * Opens a file beside the hive for writing without following links: created (O_EXCL) with the hive's
 * mode and owner when missing, narrowed to the hive's mode when it exists wider.
 */
export function openForWrite(path: string, role: FileRole, ownership: FileOwnership | undefined): { fd: number; created: boolean } {
  const mode = ownership?.mode ?? 0o600;
  let fd: number;
  let created = false;
  try {
    fd = openSync(path, O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW, mode);
    created = true;
  } catch (error) {
    if ((error as { code?: string }).code !== 'EEXIST') throw fileError(error, path, 'write', role);
    fd = open(path, O_WRONLY | O_NOFOLLOW, role, 'write');
  }
  let stats: Stats;
  try {
    stats = regular(fd, path, role);
  } catch (error) {
    closeSync(fd);
    throw error;
  }
  try {
    if (created) {
      // The umask may have narrowed the mode; the hive's own mode is what the log must have.
      fchmodSync(fd, mode);
      if (ownership !== undefined && runningAsRoot()) fchownSync(fd, ownership.uid, ownership.gid);
    } else if (ownership !== undefined && (stats.mode & 0o777 & ~ownership.mode) !== 0) {
      fchmodSync(fd, stats.mode & 0o777 & ownership.mode);
    }
  } catch {
    // not the file's owner: its mode stays as it is (the write itself decides whether we may use it)
  }
  return { fd, created };
}

export function writeAt(fd: number, bytes: Uint8Array, position: number, path: string, role: FileRole): void {
  try {
    let done = 0;
    while (done < bytes.length) done += writeSync(fd, bytes, done, bytes.length - done, position + done);
  } catch (error) {
    throw fileError(error, path, 'write', role);
  }
}

/** fsync of an open descriptor (and of the directory, for a file created since the last flush). */
export function fsyncFd(fd: number, path: string, role: FileRole, directoryToo: boolean): void {
  try {
    fsyncSync(fd);
  } catch (error) {
    throw fileError(error, path, 'write', role);
  }
  if (directoryToo) syncDirectory(path);
}

/** ftruncate of an open descriptor. */
export function truncateFd(fd: number, length: number, path: string, role: FileRole): void {
  try {
    ftruncateSync(fd, length);
  } catch (error) {
    throw fileError(error, path, 'write', role);
  }
}

export function fsyncPath(path: string, role: FileRole, directoryToo: boolean): void {
  const fd = open(path, O_RDONLY | O_NOFOLLOW, role, 'write');
  try {
    fsyncSync(fd);
  } catch (error) {
    throw fileError(error, path, 'write', role);
  } finally {
    closeSync(fd);
  }
  if (directoryToo) syncDirectory(path);
}

export function truncatePath(path: string, length: number, role: FileRole): void {
  const fd = open(path, O_WRONLY | O_NOFOLLOW, role, 'write');
  try {
    ftruncateSync(fd, length);
  } catch (error) {
    throw fileError(error, path, 'write', role);
  } finally {
    closeSync(fd);
  }
}

/** Removes a file (never a link's target: unlink removes the link itself); missing is fine. */
export function removePath(path: string, role: FileRole): void {
  try {
    unlinkSync(path);
  } catch (error) {
    if ((error as { code?: string }).code === 'ENOENT') return;
    throw fileError(error, path, 'write', role);
  }
  syncDirectory(path);
}

export function isSymlink(path: string): boolean {
  try {
    return lstatSync(path).isSymbolicLink();
  } catch {
    return false;
  }
}

/** The real path of an existing file (links resolved), or the path itself when it does not exist yet. */
export function realPathOf(path: string): string {
  try {
    return realpathSync(path);
  } catch (error) {
    if ((error as { code?: string }).code === 'ENOENT') return path;
    throw fileError(error, path, 'read', 'hive');
  }
}

/**
 * Replaces a file so that a crash leaves either the old or the new content, never a mix: a temporary
 * file beside it (created O_EXCL|O_NOFOLLOW with the target's mode and owner), flushed, renamed over
 * the target, directory flushed. Choice for a symlinked target (issue 14.3): the write goes through to
 * the link's target — the temporary file is created beside the resolved target and renamed over it, so
 * the link stays a link and the file it names gets the new content with its mode kept; replacing the
 * link itself by a regular file would silently detach whatever else points at that target. On any
 * failure the temporary file is removed and the target is untouched.
 */
export function replaceFileAtomically(path: string, bytes: Uint8Array, role: FileRole = 'hive'): void {
  const target = realPathOf(path);
  let ownership: FileOwnership | undefined;
  try {
    ownership = ownershipOf(lstatSync(target));
  } catch {
    ownership = undefined;
  }
  const temporary = `${target}.tmp-${process.pid}-${randomBytes(4).toString('hex')}`;
  const mode = ownership?.mode ?? 0o666 & ~currentUmask();
  let fd: number | undefined;
  try {
    try {
      ({ fd } = openForWrite(temporary, 'temporary', ownership ?? { mode, uid: -1, gid: -1 }));
    } catch (error) {
      // A missing or read-only folder is the target's problem: name the file the user asked for.
      const code = (error as { code?: string }).code;
      if (error instanceof HiveFileError && code !== undefined && code !== 'SYMLINK')
        throw fileError(Object.assign(new Error(code), { code }), target, 'write', role);
      throw error;
    }
    writeAt(fd, bytes, 0, temporary, 'temporary');
    try {
      fsyncSync(fd);
    } catch (error) {
      throw fileError(error, temporary, 'write', 'temporary');
    }
    closeSync(fd);
    fd = undefined;
    try {
      renameSync(temporary, target);
    } catch (error) {
      throw fileError(error, target, 'write', role);
    }
  } catch (error) {
    if (fd !== undefined) closeSync(fd);
    try {
      unlinkSync(temporary);
    } catch {
      // it may not exist; the original error matters
    }
    throw error;
  }
  syncDirectory(target);
}

function currentUmask(): number {
  // process.umask() without an argument is deprecated but still the only way to read it; 0o022 is the usual default.
  try {
    return process.umask();
  } catch {
    return 0o022;
  }
}

/** A file's length without following a link at the last component; undefined when it does not exist. */
export function fileSize(path: string): number | undefined {
  try {
    return lstatSync(path).size;
  } catch (error) {
    if ((error as { code?: string }).code === 'ENOENT') return undefined;
    throw fileError(error, path, 'read', /\.log\d?$/i.test(path) ? 'log' : 'hive');
  }
}
