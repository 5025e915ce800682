import { closeSync, constants, linkSync, openSync, statSync, unlinkSync, writeSync } from 'node:fs';
import { randomBytes } from 'node:crypto';
import { hostname } from 'node:os';
import { HiveFileError, HiveLockedError, fileError } from './errors.js';
import type { LockOwner } from './errors.js';
import { readNoFollow, realPathOf } from './io.js';

/**
 * Exclusive writer access to a hive (issue 13.7): Windows holds a loaded hive exclusively, so a writer
 * here holds a lock from the moment it reads the hive until it has committed and closed it.
 *
 * Choice: a lock FILE beside the hive, `NAME.netconfig-lock` (NAME = the hive's real path, links
 * resolved, so two names for one hive share one lock), created complete by a hard link from a private
 * file (see tryCreate), holding JSON {pid, host, since, token}. Not an OS lock: Node has no flock/fcntl locking in its core API, a
 * lock file works the same on every file system Node can write (including NFS ≥ v3, where O_EXCL is
 * atomic), and it names its holder, which an error message needs.
 *
 * Stale rule: a lock whose host is this host and whose pid is not a running process (kill(pid, 0) fails
 * with ESRCH) is stale and is taken over at once. A lock from another host is never judged stale (we
 * cannot see its processes): the waiter fails after `wait` seconds naming the holder and the lock file.
 * (Containers that share a volume but not a pid namespace must have distinct host names for this rule
 * to hold; a lock held by this very process fails at once instead of waiting for itself.)
 * A lock file that cannot be parsed (its writer was killed between create and write — a window of
 * one write) is stale once it is older than UNREADABLE_STALE_MS.
 *
 * Taking over is itself serialised: the breaker first creates `NAME.netconfig-lock.break-TOKEN` with
 * O_EXCL (TOKEN = the stale holder's token), so among several waiters exactly one removes the stale
 * lock, and it re-reads the lock under that guard so it never removes a lock someone has just taken.
 * A break file older than UNREADABLE_STALE_MS (its breaker died between two system calls) no longer
 * guards. Readers never lock: the commit order keeps every reader seeing the old or the new state.
 */

const { O_WRONLY, O_CREAT, O_EXCL, O_NOFOLLOW } = constants;
const POLL_MS = 25;
const UNREADABLE_STALE_MS = 5000;
/** Suffix of the lock file `NAME.netconfig-lock` a writer creates beside the hive it changes. */
export const LOCK_SUFFIX = '.netconfig-lock';

/** A held writer's lock on one hive: the lock file, its owner, and `release()`. */
export interface HiveLock {
  /** The hive's real path the lock protects. */
  readonly hivePath: string;
  readonly lockPath: string;
  readonly owner: LockOwner;
  /** Removes the lock file if it is still ours. Idempotent. */
  release(): void;
}

/** Options for {@link acquireHiveLock}: how many seconds to wait for another writer. */
export interface LockOptions {
  /** Seconds to wait for another writer before HiveLockedError. Default 0 (fail at once). */
  wait?: number;
}

function sleep(ms: number): void {
  Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, ms);
}

function parseOwner(bytes: Uint8Array | undefined): LockOwner | undefined {
  if (bytes === undefined) return undefined;
  try {
    const value = JSON.parse(Buffer.from(bytes).toString('utf8')) as Partial<LockOwner>;
    if (typeof value.pid === 'number' && typeof value.host === 'string' && typeof value.token === 'string' && typeof value.since === 'string')
      return value as LockOwner;
  } catch {
    // half-written or foreign content
  }
  return undefined;
}

function processAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    // EPERM: the process exists but belongs to someone else.
    return (error as { code?: string }).code === 'EPERM';
  }
}

function ageMs(path: string): number | undefined {
  try {
    return Date.now() - statSync(path).mtimeMs;
  } catch {
    return undefined;
  }
}

/**
 * Creates the lock file with its content in one step: the owner is written to a private file first,
 * which is then hard-linked to the lock's name (link fails with EEXIST if the lock exists, atomically).
 * So a writer killed at any moment leaves either no lock or a complete one that names it — never an
 * empty lock file that blocks the next writer until it ages out. The private file is removed after.
 */
function tryCreate(lockPath: string, owner: LockOwner): boolean {
  const privatePath = `${lockPath}.${owner.token}`;
  let fd: number;
  try {
    fd = openSync(privatePath, O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW, 0o644);
  } catch (error) {
    throw fileError(error, privatePath, 'write', 'lock');
  }
  try {
    try {
      writeSync(fd, `${JSON.stringify(owner)}\n`);
    } finally {
      closeSync(fd);
    }
    try {
      linkSync(privatePath, lockPath);
    } catch (error) {
      if ((error as { code?: string }).code === 'EEXIST') return false;
      throw fileError(error, lockPath, 'write', 'lock');
    }
    return true;
  } finally {
    try {
      unlinkSync(privatePath);
    } catch {
      // already gone
    }
  }
}

/** Removes the lock at `lockPath` if it still holds `stale` (or is still unreadable), under a break guard. */
function breakStale(lockPath: string, staleToken: string, isStillStale: (current: LockOwner | undefined) => boolean): void {
  const guard = `${lockPath}.break-${staleToken.replace(/[^A-Za-z0-9]/g, '').slice(0, 32) || 'unreadable'}`;
  let fd: number;
  try {
    fd = openSync(guard, O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW, 0o644);
  } catch (error) {
    if ((error as { code?: string }).code !== 'EEXIST') throw fileError(error, guard, 'write', 'lock');
    const age = ageMs(guard);
    // Another waiter is breaking it right now, or died doing so: in the latter case drop its guard.
    if (age !== undefined && age > UNREADABLE_STALE_MS) {
      try {
        unlinkSync(guard);
      } catch {
        // someone else dropped it
      }
    }
    return;
  }
  closeSync(fd);
  try {
    if (isStillStale(parseOwner(readNoFollow(lockPath, 'lock')))) {
      try {
        unlinkSync(lockPath);
      } catch {
        // already gone
      }
    }
  } finally {
    try {
      unlinkSync(guard);
    } catch {
      // gone
    }
  }
}

/**
 * Takes the writer lock of the hive at `path`, waiting up to `wait` seconds.
 * @throws {HiveLockedError} another live writer held it for the whole wait
 * @throws {HiveFileError} the lock file cannot be created (read-only directory, a link in its place …)
 */
export function acquireHiveLock(path: string, options: LockOptions = {}): HiveLock {
  const hivePath = realPathOf(path);
  const lockPath = hivePath + LOCK_SUFFIX;
  const host = hostname();
  const owner: LockOwner = { pid: process.pid, host, since: new Date().toISOString(), token: randomBytes(12).toString('hex') };
  const waitSeconds = Math.max(0, options.wait ?? 0);
  const deadline = Date.now() + waitSeconds * 1000;
  let holder: LockOwner | undefined;
  for (;;) {
    if (tryCreate(lockPath, owner)) {
      let released = false;
      return {
        hivePath,
        lockPath,
        owner,
        release(): void {
          if (released) return;
          released = true;
          const current = parseOwner(readNoFollow(lockPath, 'lock'));
          if (current?.token === owner.token) {
            try {
              unlinkSync(lockPath);
            } catch {
              // already gone
            }
          }
        },
      };
    }
    let raw: Uint8Array | undefined;
    try {
      raw = readNoFollow(lockPath, 'lock');
    } catch (error) {
      if (error instanceof HiveFileError && error.code === 'SYMLINK')
        throw new HiveFileError('SYMLINK', lockPath, `${lockPath} is a symbolic link; refusing to use it as the hive's lock file (remove it)`);
      throw error;
    }
    holder = parseOwner(raw);
    if (raw !== undefined) {
      if (holder === undefined) {
        const age = ageMs(lockPath);
        if (age !== undefined && age > UNREADABLE_STALE_MS) breakStale(lockPath, 'unreadable', (current) => current === undefined);
      } else if (holder.host === host && holder.pid !== process.pid && !processAlive(holder.pid)) {
        const stale = holder.token;
        breakStale(lockPath, stale, (current) => current?.token === stale);
        continue;
      }
    }
    if (raw === undefined) continue; // released between our create and our read: try again at once
    // Held by this very process (a second openForWriting of the same hive): waiting could never end.
    if (holder !== undefined && holder.host === host && holder.pid === process.pid) throw new HiveLockedError(path, lockPath, holder, 0);
    if (Date.now() >= deadline) throw new HiveLockedError(path, lockPath, holder, waitSeconds);
    sleep(Math.min(POLL_MS, Math.max(1, deadline - Date.now())));
  }
}

/**
 * Runs `fn` holding the writer locks of every hive in `paths`, taken in one fixed order (sorted real
 * paths, duplicates once) so two multi-hive writers can never deadlock; all are released afterwards,
 * also when `fn` throws. `wait` is the total seconds to wait for all of them.
 */
export function withHiveLocks<T>(paths: readonly string[], wait: number, fn: (locks: HiveLock[]) => T): T {
  const real = [...new Set(paths.map((p) => realPathOf(p)))].sort();
  const deadline = Date.now() + Math.max(0, wait) * 1000;
  const locks: HiveLock[] = [];
  try {
    for (const path of real) locks.push(acquireHiveLock(path, { wait: Math.max(0, (deadline - Date.now()) / 1000) }));
    return fn(locks);
  } finally {
    for (const lock of locks.reverse()) lock.release();
  }
}
