/**
 * Windows' case mapping for registry names (RtlUpcaseUnicodeChar), one UTF-16 code unit at a time.
 *
 * Windows orders subkey lists, detects duplicate names and computes `lh` hashes by mapping each code
 * unit through a fixed 65,536-entry table and comparing code units (regf.md §6.2). JavaScript's
 * `toUpperCase` differs from it on hundreds of code units (ß, µ, ı, ſ, ς, title case …) and changes with
 * the ICU version, so the table is embedded here.
 *
 * Compact form, ready to apply (nothing to parse at start-up, which every command pays): runs of four
 * numbers START, COUNT, STEP, DELTA — COUNT code units START, START+STEP, … each mapped to itself +
 * DELTA. Every code unit not covered maps to itself, surrogates included (973 units are mapped).
 */
// biome-ignore format: one run per line
const RUNS: readonly number[] = [
  0x61, 26, 1, -32,
  0xe0, 23, 1, -32,
  0xf8, 7, 1, -32,
  0xff, 1, 1, 121,
  0x101, 24, 2, -1,
  0x133, 3, 2, -1,
  0x13a, 8, 2, -1,
  0x14b, 23, 2, -1,
  0x17a, 3, 2, -1,
  0x180, 1, 1, 195,
  0x183, 2, 2, -1,
  0x188, 1, 1, -1,
  0x18c, 1, 1, -1,
  0x192, 1, 1, -1,
  0x195, 1, 1, 97,
  0x199, 1, 1, -1,
  0x19a, 1, 1, 163,
  0x19e, 1, 1, 130,
  0x1a1, 3, 2, -1,
  0x1a8, 1, 1, -1,
  0x1ad, 1, 1, -1,
  0x1b0, 1, 1, -1,
  0x1b4, 2, 2, -1,
  0x1b9, 1, 1, -1,
  0x1bd, 1, 1, -1,
  0x1bf, 1, 1, 56,
  0x1c6, 1, 1, -2,
  0x1c9, 1, 1, -2,
  0x1cc, 1, 1, -2,
  0x1ce, 8, 2, -1,
  0x1dd, 1, 1, -79,
  0x1df, 9, 2, -1,
  0x1f3, 1, 1, -2,
  0x1f5, 1, 1, -1,
  0x1f9, 20, 2, -1,
  0x223, 9, 2, -1,
  0x23c, 1, 1, -1,
  0x242, 1, 1, -1,
  0x247, 5, 2, -1,
  0x250, 1, 1, 10783,
  0x251, 1, 1, 10780,
  0x253, 1, 1, -210,
  0x254, 1, 1, -206,
  0x256, 2, 1, -205,
  0x259, 1, 1, -202,
  0x25b, 1, 1, -203,
  0x260, 1, 1, -205,
  0x263, 1, 1, -207,
  0x268, 1, 1, -209,
  0x269, 1, 1, -211,
  0x26b, 1, 1, 10743,
  0x26f, 1, 1, -211,
  0x271, 1, 1, 10749,
  0x272, 1, 1, -213,
  0x275, 1, 1, -214,
  0x27d, 1, 1, 10727,
  0x280, 1, 1, -218,
  0x283, 1, 1, -218,
  0x288, 1, 1, -218,
  0x289, 1, 1, -69,
  0x28a, 2, 1, -217,
  0x28c, 1, 1, -71,
  0x292, 1, 1, -219,
  0x371, 2, 2, -1,
  0x377, 1, 1, -1,
  0x37b, 3, 1, 130,
  0x3ac, 1, 1, -38,
  0x3ad, 3, 1, -37,
  0x3b1, 17, 1, -32,
  0x3c3, 9, 1, -32,
  0x3cc, 1, 1, -64,
  0x3cd, 2, 1, -63,
  0x3d7, 1, 1, -8,
  0x3d9, 12, 2, -1,
  0x3f2, 1, 1, 7,
  0x3f8, 1, 1, -1,
  0x3fb, 1, 1, -1,
  0x430, 32, 1, -32,
  0x450, 16, 1, -80,
  0x461, 17, 2, -1,
  0x48b, 27, 2, -1,
  0x4c2, 7, 2, -1,
  0x4cf, 1, 1, -15,
  0x4d1, 42, 2, -1,
  0x561, 38, 1, -48,
  0x1d79, 1, 1, 35332,
  0x1d7d, 1, 1, 3814,
  0x1e01, 75, 2, -1,
  0x1ea1, 48, 2, -1,
  0x1f00, 8, 1, 8,
  0x1f10, 6, 1, 8,
  0x1f20, 8, 1, 8,
  0x1f30, 8, 1, 8,
  0x1f40, 6, 1, 8,
  0x1f51, 4, 2, 8,
  0x1f60, 8, 1, 8,
  0x1f70, 2, 1, 74,
  0x1f72, 4, 1, 86,
  0x1f76, 2, 1, 100,
  0x1f78, 2, 1, 128,
  0x1f7a, 2, 1, 112,
  0x1f7c, 2, 1, 126,
  0x1f80, 8, 1, 8,
  0x1f90, 8, 1, 8,
  0x1fa0, 8, 1, 8,
  0x1fb0, 2, 1, 8,
  0x1fb3, 1, 1, 9,
  0x1fc3, 1, 1, 9,
  0x1fd0, 2, 1, 8,
  0x1fe0, 2, 1, 8,
  0x1fe5, 1, 1, 7,
  0x1ff3, 1, 1, 9,
  0x214e, 1, 1, -28,
  0x2170, 16, 1, -16,
  0x2184, 1, 1, -1,
  0x24d0, 26, 1, -26,
  0x2c30, 47, 1, -48,
  0x2c61, 1, 1, -1,
  0x2c65, 1, 1, -10795,
  0x2c66, 1, 1, -10792,
  0x2c68, 3, 2, -1,
  0x2c73, 1, 1, -1,
  0x2c76, 1, 1, -1,
  0x2c81, 50, 2, -1,
  0x2d00, 38, 1, -7264,
  0xa641, 16, 2, -1,
  0xa663, 6, 2, -1,
  0xa681, 12, 2, -1,
  0xa723, 7, 2, -1,
  0xa733, 31, 2, -1,
  0xa77a, 2, 2, -1,
  0xa77f, 5, 2, -1,
  0xa78c, 1, 1, -1,
  0xff41, 26, 1, -32,
];

/**
 * Builds the table: the identity, then the runs, about 1 ms on a cold engine (a cold `reg query` pays
 * it). Writing the identity two units per 32-bit store was measured no faster on a cold engine.
 */
function buildTable(): Uint16Array {
  const table = new Uint16Array(0x10000);
  for (let unit = 0; unit < 0x10000; unit++) table[unit] = unit;
  for (let r = 0; r < RUNS.length; r += 4) {
    const start = RUNS[r]!;
    const count = RUNS[r + 1]!;
    const step = RUNS[r + 2]!;
    const delta = RUNS[r + 3]!;
    for (let i = 0, unit = start; i < count; i++, unit += step) table[unit] = unit + delta;
  }
  return table;
}

/** `UPCASE[unit]` is the Windows upcase of a UTF-16 code unit. */
export const UPCASE: Uint16Array = buildTable();

/** The Windows upcase of one UTF-16 code unit (only the low 16 bits of `unit` are used). */
export function upcaseUnit(unit: number): number {
  return UPCASE[unit & 0xffff]!;
}

/** Upcases a name code unit by code unit (never changes its length: ß stays ß). */
export function upcaseName(name: string): string {
  let out = '';
  for (let i = 0; i < name.length; i++) out += String.fromCharCode(UPCASE[name.charCodeAt(i)]!);
  return out;
}

/**
 * Compares two names the way Windows orders subkey lists: code unit by code unit after upcasing,
 * a proper prefix first. Returns < 0, 0 or > 0. Names equal here are duplicates to Windows.
 */
export function compareNames(a: string, b: string): number {
  const n = Math.min(a.length, b.length);
  for (let i = 0; i < n; i++) {
    const d = UPCASE[a.charCodeAt(i)]! - UPCASE[b.charCodeAt(i)]!;
    if (d !== 0) return d;
  }
  return a.length - b.length;
}

/**
 * Whether two key or value names are equal ignoring case as Windows compares them (UTF-16 code unit by code unit through the upcase table).
 */
export function namesEqual(a: string, b: string): boolean {
  return a.length === b.length && compareNames(a, b) === 0;
}
