import { ValueType, decodeUtf16le, encodeUtf16le } from '../hive/index.js';

/**
 * Registry values as the registry holds them: a type and the exact bytes. Decoders read without
 * changing the bytes, so reading and writing back loses nothing (a REG_SZ without its NUL, with junk
 * after it, of odd length; a 1-byte DWORD; an unknown type).
 */
export interface RegistryValue {
  type: number;
  data: Uint8Array;
}

/** REG_SZ/REG_EXPAND_SZ bytes: the text, with one NUL terminator unless `terminate` is false. */
export function encodeString(text: string, terminate = true): Uint8Array {
  return encodeUtf16le(terminate ? `${text}\0` : text);
}

/** The text of a string value: UTF-16 code units up to the first NUL (an odd last byte is dropped). */
export function decodeString(data: Uint8Array): string {
  const text = decodeUtf16le(data, 0, data.length);
  const nul = text.indexOf('\0');
  return nul >= 0 ? text.slice(0, nul) : text;
}

/** REG_MULTI_SZ bytes: each string and its NUL, then one more NUL. */
export function encodeMultiString(items: readonly string[]): Uint8Array {
  return encodeUtf16le(`${items.map((s) => `${s}\0`).join('')}\0`);
}

/** The strings of a REG_MULTI_SZ, up to the terminating empty string (a missing one is tolerated). */
export function decodeMultiString(data: Uint8Array): string[] {
  const items = decodeUtf16le(data, 0, data.length).split('\0');
  const end = items.indexOf('');
  return end >= 0 ? items.slice(0, end) : items;
}

/**
 * The 4 bytes of a REG_DWORD (little-endian) or, with `bigEndian`, REG_DWORD_BIG_ENDIAN value; `value` is taken modulo 2^32.
 */
export function encodeDword(value: number, bigEndian = false): Uint8Array {
  // Byte arithmetic rather than a DataView: creating one costs more than the rest of a NETCONFIGURATION call.
  const n = value >>> 0;
  const out = Uint8Array.of(n & 0xff, (n >>> 8) & 0xff, (n >>> 16) & 0xff, n >>> 24);
  return bigEndian ? out.reverse() : out;
}

/** The DWORD of a REG_DWORD (little-endian) or REG_DWORD_BIG_ENDIAN value of exactly 4 bytes. */
export function decodeDword(value: RegistryValue): number | undefined {
  if (value.data.length !== 4) return undefined;
  const d = value.data;
  if (value.type === ValueType.REG_DWORD) return (d[0]! | (d[1]! << 8) | (d[2]! << 16) | (d[3]! << 24)) >>> 0;
  if (value.type === ValueType.REG_DWORD_BIG_ENDIAN) return ((d[0]! << 24) | (d[1]! << 16) | (d[2]! << 8) | d[3]!) >>> 0;
  return undefined;
}

/** The 8 little-endian bytes of a REG_QWORD value; `value` is taken modulo 2^64. */
export function encodeQword(value: bigint): Uint8Array {
  const out = new Uint8Array(8);
  new DataView(out.buffer).setBigUint64(0, BigInt.asUintN(64, value), true);
  return out;
}

/** The QWORD of a REG_QWORD value of exactly 8 bytes, or undefined for any other type or length. */
export function decodeQword(value: RegistryValue): bigint | undefined {
  if (value.type !== ValueType.REG_QWORD || value.data.length !== 8) return undefined;
  return new DataView(value.data.buffer, value.data.byteOffset, 8).getBigUint64(0, true);
}
