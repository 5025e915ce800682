/** FILETIME: 100-ns ticks since 1601-01-01 UTC, held as bigint because it exceeds 2⁵³ (regf.md §8). */
export type FileTime = bigint;

const UNIX_EPOCH_AS_FILETIME = 116444736000000000n;

/**
 * Converts a Date to a FILETIME (100-nanosecond intervals since 1601-01-01 UTC); the result has the Date's millisecond precision.
 */
export function fileTimeFromDate(date: Date): FileTime {
  return BigInt(date.getTime()) * 10000n + UNIX_EPOCH_AS_FILETIME;
}

/**
 * Converts a FILETIME (100-nanosecond intervals since 1601-01-01 UTC) to a Date, truncated to whole milliseconds.
 */
export function dateFromFileTime(time: FileTime): Date {
  return new Date(Number((time - UNIX_EPOCH_AS_FILETIME) / 10000n));
}

/**
 * The current time as a FILETIME (100-nanosecond intervals since 1601-01-01 UTC), with millisecond precision.
 */
export function fileTimeNow(): FileTime {
  // Every write stamps its key, so this runs once per write: no Date object, and the BigInt
  // arithmetic only when the millisecond has changed (a million writes a second share ~1,000 values).
  const now = Date.now();
  if (now !== lastMillisecond) {
    lastMillisecond = now;
    lastFileTime = BigInt(now) * 10000n + UNIX_EPOCH_AS_FILETIME;
  }
  return lastFileTime;
}

let lastMillisecond = Number.NaN;
let lastFileTime: FileTime = 0n;
