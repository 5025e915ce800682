import { UPCASE } from './upcase.js';

/**
 * Names in a hive are strings of UTF-16 code units, stored either "compressed" (one byte per unit,
 * Latin-1: byte b is code unit b) or as UTF-16LE (regf.md §6.1). They are not guaranteed to be valid
 * Unicode (unpaired surrogates occur) nor free of NUL, so both directions work unit by unit and never
 * go through TextDecoder (whose 'latin1' is windows-1252 and whose UTF-16 decoder replaces lone
 * surrogates).
 */

const CHUNK = 8192;

/** Decodes `length` bytes at `offset` as Latin-1 code units. */
export function decodeLatin1(bytes: Uint8Array, offset: number, length: number): string {
  if (length <= 24) {
    // Short names (most of them) are faster built unit by unit than through apply().
    let out = '';
    for (let i = 0; i < length; i++) out += String.fromCharCode(bytes[offset + i]!);
    return out;
  }
  if (length <= CHUNK) return String.fromCharCode.apply(null, bytes.subarray(offset, offset + length) as unknown as number[]);
  let out = '';
  for (let i = 0; i < length; i += CHUNK) {
    const end = Math.min(length, i + CHUNK);
    out += String.fromCharCode.apply(null, bytes.subarray(offset + i, offset + end) as unknown as number[]);
  }
  return out;
}

/**
 * Windows-1252 bytes 0x80–0x9F as UTF-16 code units (the rest is Latin-1), from the WHATWG Encoding
 * Standard's index; the five unassigned bytes read as the C1 controls. Our own table, not
 * TextDecoder('windows-1252'): Node 20's decoder for that label returns Latin-1 (0x92 → U+0092). Windows
 * reads ANSI .reg and .inf text in this code page, so regfile and inf share it from here.
 */
export const CP1252_HIGH =
  '\u20AC\u0081\u201A\u0192\u201E\u2026\u2020\u2021\u02C6\u2030\u0160\u2039\u0152\u008D\u017D\u008F\u0090\u2018\u2019\u201C\u201D\u2022\u2013\u2014\u02DC\u2122\u0161\u203A\u0153\u009D\u017E\u0178';

const CP1252_UNITS = Uint16Array.from({ length: 256 }, (_, byte) => (byte >= 0x80 && byte < 0xa0 ? CP1252_HIGH.charCodeAt(byte - 0x80) : byte));

/** Decodes Windows-1252 bytes to text, one byte to one UTF-16 code unit. */
export function decodeWindows1252(bytes: Uint8Array): string {
  let out = '';
  const units = new Uint16Array(Math.min(bytes.length, CHUNK));
  for (let start = 0; start < bytes.length; start += CHUNK) {
    const n = Math.min(CHUNK, bytes.length - start);
    for (let i = 0; i < n; i++) units[i] = CP1252_UNITS[bytes[start + i]!]!;
    out += String.fromCharCode.apply(null, units.subarray(0, n) as unknown as number[]);
  }
  return out;
}

/** Decodes `length` bytes at `offset` as UTF-16LE code units, losslessly; an odd last byte is dropped. */
export function decodeUtf16le(bytes: Uint8Array, offset: number, length: number): string {
  const units = length >>> 1;
  let out = '';
  const buffer: number[] = new Array(Math.min(units, CHUNK));
  for (let start = 0; start < units; start += CHUNK) {
    const n = Math.min(CHUNK, units - start);
    buffer.length = n;
    let p = offset + start * 2;
    for (let i = 0; i < n; i++, p += 2) buffer[i] = bytes[p]! | (bytes[p + 1]! << 8);
    out += String.fromCharCode.apply(null, buffer);
  }
  return out;
}

/** True when every code unit fits in one byte, i.e. Windows would store the name compressed. */
export function isLatin1(name: string): boolean {
  for (let i = 0; i < name.length; i++) if (name.charCodeAt(i) > 0xff) return false;
  return true;
}

/** A name as a key or value record stores it: the bytes, and whether they are Latin-1 (compressed) or UTF-16LE. */
export interface EncodedName {
  bytes: Uint8Array;
  compressed: boolean;
}

/** Encodes a name as Windows does: compressed when every unit is ≤ 0xFF, else UTF-16LE. */
export function encodeName(name: string): EncodedName {
  if (isLatin1(name)) {
    const bytes = new Uint8Array(name.length);
    for (let i = 0; i < name.length; i++) bytes[i] = name.charCodeAt(i);
    return { bytes, compressed: true };
  }
  return { bytes: encodeUtf16le(name), compressed: false };
}

/** Encodes a string as UTF-16LE: two bytes per UTF-16 code unit, no byte-order mark, no terminator. */
export function encodeUtf16le(text: string): Uint8Array {
  const bytes = new Uint8Array(text.length * 2);
  for (let i = 0; i < text.length; i++) {
    const unit = text.charCodeAt(i);
    bytes[2 * i] = unit & 0xff;
    bytes[2 * i + 1] = unit >>> 8;
  }
  return bytes;
}

/** `lh` leaf hash: h = h·37 + upcase(unit) mod 2³² over the name's code units (regf.md §5.2). */
export function lhHash(name: string): number {
  let h = 0;
  for (let i = 0; i < name.length; i++) h = (Math.imul(h, 37) + UPCASE[name.charCodeAt(i)]!) >>> 0;
  return h;
}

/**
 * `lf` leaf hint: the first four code units as bytes, original case, zero-padded; four zero bytes
 * when one of those units is above 0xFF (regf.md §5.2, matched every real lf entry in the corpus).
 * Returned as the little-endian uint32 that is stored.
 */
export function lfHint(name: string): number {
  let hint = 0;
  const n = Math.min(4, name.length);
  for (let i = 0; i < n; i++) {
    const unit = name.charCodeAt(i);
    if (unit > 0xff) return 0;
    hint |= unit << (8 * i);
  }
  return hint >>> 0;
}

/**
 * Whether the name stored at `bytes[at … at + length)` — compressed (Latin-1, one byte per code unit)
 * or UTF-16LE, an odd last byte dropped as decodeUtf16le drops it — equals `name` ignoring case as
 * Windows compares names (code unit by code unit through the upcase table). Nothing is decoded: the
 * lengths are compared first, then the units in place. Value lookups compare many stored names per
 * call; decoding each into a string was half the cost of a NETCONFIGURATION query.
 */
export function storedNameEquals(bytes: Uint8Array, at: number, length: number, compressed: boolean, name: string): boolean {
  const units = name.length;
  if (compressed) {
    if (length !== units) return false;
    for (let j = 0; j < units; j++) if (UPCASE[bytes[at + j]!] !== UPCASE[name.charCodeAt(j)]) return false;
    return true;
  }
  if (length >>> 1 !== units) return false;
  for (let j = 0, p = at; j < units; j++, p += 2) if (UPCASE[bytes[p]! | (bytes[p + 1]! << 8)] !== UPCASE[name.charCodeAt(j)]) return false;
  return true;
}
