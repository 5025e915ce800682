import { HiveError } from '../hive/index.js';

/**
 * File-system failures around a hive, as one line a person can act on. They extend HiveError so that
 * every caller that already reports HiveError (the CLI prints `message` and exits 1) reports these too.
 *
 * `code` is the errno name where the OS gave one (ENOENT, EISDIR, EACCES, EPERM, EROFS, ENOSPC, EDQUOT,
 * EIO, …) or one of ours: SYMLINK (a log, temporary or lock file is a symbolic link: never followed),
 * NOT_REGULAR (a FIFO, socket or device where a file was expected), TOO_LARGE (over 2 GiB), HIVE_LOCKED.
 */
export class HiveFileError extends HiveError {
  readonly code: string;
  /** The file the failure concerns (as the caller named it, or the log/lock/temporary file beside it). */
  readonly path: string;
  constructor(code: string, path: string, message: string, options: { cause?: unknown } = {}) {
    super(message);
    this.code = code;
    this.path = path;
    if (options.cause !== undefined) (this as { cause?: unknown }).cause = options.cause;
  }
}

/** Who holds a hive's writer lock (the content of NAME.netconfig-lock). */
export interface LockOwner {
  pid: number;
  host: string;
  /** ISO time the lock was taken. */
  since: string;
  /** Random, unique per acquisition: lets a breaker check it removes the stale lock it judged. */
  token: string;
}

/** Another writer held the hive's lock for longer than the caller was willing to wait. */
export class HiveLockedError extends HiveFileError {
  readonly holder: LockOwner | undefined;
  readonly lockPath: string;
  constructor(path: string, lockPath: string, holder: LockOwner | undefined, waitedSeconds: number) {
    const who = holder === undefined ? 'another writer' : `process ${holder.pid} on ${holder.host} (since ${holder.since})`;
    super(
      'HIVE_LOCKED',
      path,
      `${path} is locked by ${who}; waited ${waitedSeconds} s (--wait SECONDS to wait longer; if that process is gone and lives on another host, delete ${lockPath})`,
    );
    this.holder = holder;
    this.lockPath = lockPath;
  }
}

/** What a file is to the hive (named in error messages): the hive, a log, a temporary, a lock, an output. */
export type FileRole = 'hive' | 'log' | 'temporary' | 'lock' | 'output';

/** Node's fs errors carry `code` and `path`; anything else is passed through untouched. */
function errnoOf(error: unknown): string | undefined {
  if (typeof error === 'object' && error !== null && 'code' in error && typeof (error as { code: unknown }).code === 'string')
    return (error as { code: string }).code;
  return undefined;
}

/**
 * Turns an fs error into a HiveFileError naming the file and what to do. Errors that are already typed
 * (HiveError) and errors without an errno pass through unchanged.
 */
export function fileError(error: unknown, path: string, action: 'read' | 'write', role: FileRole = 'hive'): unknown {
  if (error instanceof HiveError) return error;
  const code = errnoOf(error);
  if (code === undefined) return error;
  const name =
    role === 'hive' || role === 'output'
      ? path
      : `${path} (${role === 'log' ? 'transaction log' : role === 'temporary' ? 'temporary file' : 'lock file'} of the hive)`;
  const options = { cause: error };
  switch (code) {
    case 'ENOENT':
      if (action === 'read' && role === 'hive')
        return new HiveFileError(code, path, `no such hive file: ${path} (check --hive, or create one with 'netconfig create')`, options);
      return new HiveFileError(code, path, `cannot ${action} ${name}: its directory does not exist`, options);
    case 'ENOTDIR':
      return new HiveFileError(code, path, `cannot ${action} ${name}: a part of the path is not a directory`, options);
    case 'EISDIR':
      return new HiveFileError(
        code,
        path,
        `${name} is a directory, not a ${role === 'hive' ? 'hive' : 'regular'} file (name the hive file itself, e.g. .../config/SYSTEM)`,
        options,
      );
    case 'EACCES':
    case 'EPERM':
      return new HiveFileError(code, path, `permission denied: cannot ${action} ${name} (run as a user who may ${action} it, or work on a copy)`, options);
    case 'EROFS':
      return new HiveFileError(
        code,
        path,
        `cannot write ${name}: it is on a read-only file system (remount it read-write, or write to a copy elsewhere)`,
        options,
      );
    case 'ENOSPC':
    case 'EDQUOT':
      return new HiveFileError(
        code,
        path,
        `no space left to write ${name} (${code === 'EDQUOT' ? 'disk quota exceeded' : 'file system full'}): free some space and retry; the hive was left as it was`,
        options,
      );
    case 'ELOOP':
      return new HiveFileError(
        'SYMLINK',
        path,
        `${name} is a symbolic link; refusing to follow it (remove the link or replace it with the real file)`,
        options,
      );
    case 'EFBIG':
    case 'ERR_FS_FILE_TOO_LARGE':
      return new HiveFileError(
        'TOO_LARGE',
        path,
        `${name} is larger than 2 GiB; no hive can be (the format limits the hive bins to 0x7fff0000 bytes)`,
        options,
      );
    case 'EIO':
      return new HiveFileError(code, path, `input/output error on ${name}: the disk or file system reported a failure; check it before retrying`, options);
    case 'EMFILE':
    case 'ENFILE':
      return new HiveFileError(code, path, `cannot open ${name}: too many open files`, options);
    default:
      return new HiveFileError(code, path, `cannot ${action} ${name}: ${(error as Error).message ?? code}`, options);
  }
}
