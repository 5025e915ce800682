/**
 * Windows' case mapping for registry names (RtlUpcaseUnicodeChar), one UTF-16 code unit at a time.
 *
 * Windows orders subkey lists, detects duplicate names and computes `lh` hashes by mapping each code
 * unit through a fixed 65,536-entry table and comparing code units (regf.md §6.2). JavaScript's
 * `toUpperCase` differs from it on hundreds of code units (ß, µ, ı, ſ, ς, title case …) and changes with
 * the ICU version, so the table is embedded here.
 *
 * Compact form: runs separated by spaces, each `START:COUNT±DELTA` (COUNT consecutive code units from
 * hex START, each mapped to itself + DELTA) or `START~COUNT±DELTA` (every second code unit: START,
 * START+2, …). Every code unit not covered maps to itself, surrogates included.
 */
const RUNS =
  '61:26-32 e0:23-32 f8:7-32 ff:1+121 101~24-1 133~3-1 13a~8-1 14b~23-1 17a~3-1 180:1+195 183~2-1 ' +
  '188:1-1 18c:1-1 192:1-1 195:1+97 199:1-1 19a:1+163 19e:1+130 1a1~3-1 1a8:1-1 1ad:1-1 1b0:1-1 ' +
  '1b4~2-1 1b9:1-1 1bd:1-1 1bf:1+56 1c6:1-2 1c9:1-2 1cc:1-2 1ce~8-1 1dd:1-79 1df~9-1 1f3:1-2 ' +
  '1f5:1-1 1f9~20-1 223~9-1 23c:1-1 242:1-1 247~5-1 250:1+10783 251:1+10780 253:1-210 254:1-206 ' +
  '256:2-205 259:1-202 25b:1-203 260:1-205 263:1-207 268:1-209 269:1-211 26b:1+10743 26f:1-211 ' +
  '271:1+10749 272:1-213 275:1-214 27d:1+10727 280:1-218 283:1-218 288:1-218 289:1-69 28a:2-217 ' +
  '28c:1-71 292:1-219 371~2-1 377:1-1 37b:3+130 3ac:1-38 3ad:3-37 3b1:17-32 3c3:9-32 3cc:1-64 ' +
  '3cd:2-63 3d7:1-8 3d9~12-1 3f2:1+7 3f8:1-1 3fb:1-1 430:32-32 450:16-80 461~17-1 48b~27-1 4c2~7-1 ' +
  '4cf:1-15 4d1~42-1 561:38-48 1d79:1+35332 1d7d:1+3814 1e01~75-1 1ea1~48-1 1f00:8+8 1f10:6+8 ' +
  '1f20:8+8 1f30:8+8 1f40:6+8 1f51~4+8 1f60:8+8 1f70:2+74 1f72:4+86 1f76:2+100 1f78:2+128 ' +
  '1f7a:2+112 1f7c:2+126 1f80:8+8 1f90:8+8 1fa0:8+8 1fb0:2+8 1fb3:1+9 1fc3:1+9 1fd0:2+8 1fe0:2+8 ' +
  '1fe5:1+7 1ff3:1+9 214e:1-28 2170:16-16 2184:1-1 24d0:26-26 2c30:47-48 2c61:1-1 2c65:1-10795 ' +
  '2c66:1-10792 2c68~3-1 2c73:1-1 2c76:1-1 2c81~50-1 2d00:38-7264 a641~16-1 a663~6-1 a681~12-1 ' +
  'a723~7-1 a733~31-1 a77a~2-1 a77f~5-1 a78c:1-1 ff41:26-32';

function buildTable(): Uint16Array {
  const table = new Uint16Array(0x10000);
  for (let unit = 0; unit < 0x10000; unit++) table[unit] = unit;
  for (const run of RUNS.trim().split(' ')) {
    const match = /^([0-9a-f]+)([:~])(\d+)([+-]\d+)$/.exec(run);
    if (match === null) throw new Error(`upcase table: malformed run "${run}"`);
    const start = parseInt(match[1]!, 16);
    const stride = match[2] === '~' ? 2 : 1;
    const count = Number(match[3]);
    const delta = Number(match[4]);
    for (let i = 0; i < count; i++) {
      const unit = start + i * stride;
      table[unit] = unit + delta;
    }
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
