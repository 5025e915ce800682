import { decodeWindows1252 } from '../hive/index.js';

/**
 * INF bytes → text, as setupapi chooses the encoding (inf.md §1.1).
 *
 * Windows/Wine/ReactOS: a buffer that `RtlIsTextUnicode` accepts is UTF-16LE (a leading U+FEFF skipped);
 * otherwise a UTF-8 BOM selects UTF-8, and anything else is read in the ANSI code page (W:parser `parse_file`).
 * The docs add big-endian UTF-16 (D:install/creating-international-inf-files.md), which Wine has no code for;
 * we follow the docs and accept the FE FF mark. The ANSI code page of an offline tool is [unknown] (§19.1): we
 * default to Windows-1252, the ANSI code page of western installs, and let the caller say `utf-8` instead.
 *
 * UTF-16 is decoded unit by unit (not with TextDecoder) so lone surrogates survive as they would in Windows'
 * WCHAR buffers instead of turning into U+FFFD.
 */

/** The encoding {@link decodeInfBytes} read an INF file's bytes in. */
export type InfEncoding = 'utf-16le' | 'utf-16be' | 'utf-8' | 'windows-1252';

const SLICE = 8192;

function unitsToString(units: Uint16Array): string {
  let out = '';
  for (let i = 0; i < units.length; i += SLICE) {
    out += String.fromCharCode.apply(null, units.subarray(i, Math.min(units.length, i + SLICE)) as unknown as number[]);
  }
  return out;
}

export { decodeWindows1252 };

function decodeUtf16(bytes: Uint8Array, start: number, bigEndian: boolean): string {
  const count = (bytes.length - start) >>> 1; // an odd trailing byte cannot form a WCHAR and is dropped
  const units = new Uint16Array(count);
  for (let i = 0; i < count; i++) {
    const a = bytes[start + 2 * i]!;
    const b = bytes[start + 2 * i + 1]!;
    units[i] = bigEndian ? (a << 8) | b : a | (b << 8);
  }
  return unitsToString(units);
}

/**
 * A stand-in for `RtlIsTextUnicode` on a BOM-less buffer: Windows' heuristics are not public, so we accept
 * the clear case only — an even length and, in the first 256 units, ASCII characters whose high byte is 0 in
 * most units. INF text starts with `[`, `;` or whitespace, so a real UTF-16LE INF passes and an ANSI one never
 * has NUL bytes to make it pass.
 */
function looksLikeUtf16le(bytes: Uint8Array): boolean {
  if (bytes.length < 4 || bytes.length % 2 !== 0) return false;
  const units = Math.min(256, bytes.length >>> 1);
  let asciiWithZeroHigh = 0;
  for (let i = 0; i < units; i++) {
    if (bytes[2 * i + 1] === 0 && bytes[2 * i] !== 0 && bytes[2 * i]! < 0x80) asciiWithZeroHigh++;
  }
  return asciiWithZeroHigh * 4 >= units * 3;
}

/**
 * What {@link decodeInfBytes} returns: the text, the encoding it detected, and whether a byte-order mark was present.
 */
export interface DecodedInf {
  text: string;
  encoding: InfEncoding;
  /** The byte-order mark was present (and is not part of the text). */
  bom: boolean;
}

/**
 * Decodes the bytes of an INF file to text: UTF-16LE/BE by BOM (or UTF-16LE by its look without one), UTF-8 by BOM, otherwise the `ansi` code page (default windows-1252).
 */
export function decodeInfBytes(bytes: Uint8Array, ansi: 'windows-1252' | 'utf-8' = 'windows-1252'): DecodedInf {
  if (bytes.length >= 2 && bytes[0] === 0xff && bytes[1] === 0xfe) return { text: decodeUtf16(bytes, 2, false), encoding: 'utf-16le', bom: true };
  if (bytes.length >= 2 && bytes[0] === 0xfe && bytes[1] === 0xff) return { text: decodeUtf16(bytes, 2, true), encoding: 'utf-16be', bom: true };
  if (looksLikeUtf16le(bytes)) return { text: decodeUtf16(bytes, 0, false), encoding: 'utf-16le', bom: false };
  if (bytes.length >= 3 && bytes[0] === 0xef && bytes[1] === 0xbb && bytes[2] === 0xbf) {
    return { text: new TextDecoder('utf-8').decode(bytes.subarray(3)), encoding: 'utf-8', bom: true };
  }
  if (ansi === 'utf-8') return { text: new TextDecoder('utf-8').decode(bytes), encoding: 'utf-8', bom: false };
  return { text: decodeWindows1252(bytes), encoding: 'windows-1252', bom: false };
}
