/**
 * Marvin32, the hash new-format transaction logs use to protect each entry (regf.md §10.4), with the
 * fixed seed Windows uses for registry logs. Returns the 64-bit state as {lo, hi}: stored little-endian
 * as lo then hi.
 */
export const LOG_SEED_LO = 0x7a4e55c5;
export const LOG_SEED_HI = 0x82ef4d88;

function rotl(x: number, n: number): number {
  return ((x << n) | (x >>> (32 - n))) >>> 0;
}

/**
 * The Marvin32 hash of `length` bytes of `bytes` from `offset`, as two 32-bit halves; the seed defaults to the one transaction-log entries use.
 */
export function marvin32(bytes: Uint8Array, offset: number, length: number, seedLo = LOG_SEED_LO, seedHi = LOG_SEED_HI): { lo: number; hi: number } {
  let lo = seedLo >>> 0;
  let hi = seedHi >>> 0;
  const mix = (v: number): void => {
    lo = (lo + v) >>> 0;
    hi = (hi ^ lo) >>> 0;
    lo = (rotl(lo, 20) + hi) >>> 0;
    hi = (rotl(hi, 9) ^ lo) >>> 0;
    lo = (rotl(lo, 27) + hi) >>> 0;
    hi = rotl(hi, 19);
  };
  const words = length >>> 2;
  let p = offset;
  for (let i = 0; i < words; i++, p += 4) mix((bytes[p]! | (bytes[p + 1]! << 8) | (bytes[p + 2]! << 16) | (bytes[p + 3]! << 24)) >>> 0);
  const remaining = length & 3;
  let tail = 0x80 << (8 * remaining);
  for (let i = 0; i < remaining; i++) tail |= bytes[p + i]! << (8 * i);
  mix(tail >>> 0);
  mix(0);
  return { lo, hi };
}
