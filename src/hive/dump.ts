import { KeyField, KeyFlag, NIL, ValueField, ValueFlag } from './cells.js';
import type { Hive } from './hive.js';
import { decodeLatin1, decodeUtf16le } from './names.js';
import { valueListOf } from './key.js';
import { isValueCell } from './value.js';
import { DataSpan, locateValueData, visitKeys } from './visit.js';

const HEX: string[] = Array.from({ length: 256 }, (_, i) => i.toString(16).padStart(2, '0'));

/** Lowercase hexadecimal text of the bytes, two digits per byte, no separators. */
export function toHex(bytes: Uint8Array): string {
  let out = '';
  for (let i = 0; i < bytes.length; i++) out += HEX[bytes[i]!];
  return out;
}

let hexPairs: Uint32Array | undefined;

/**
 * `table[b0 | b1 << 8]` is the four ASCII digits of bytes b0, b1 as a little-endian uint32: the hex
 * loop does one lookup and one store per two bytes. 256 KiB, built on the first dump only.
 */
function hexPairTable(): Uint32Array {
  if (hexPairs !== undefined) return hexPairs;
  const digits = new Uint16Array(256);
  for (let b = 0; b < 256; b++) digits[b] = HEX[b]!.charCodeAt(0) | (HEX[b]!.charCodeAt(1) << 8);
  const table = new Uint32Array(0x10000);
  for (let w = 0; w < 0x10000; w++) table[w] = (digits[w & 0xff]! | (digits[w >>> 8]! << 16)) >>> 0;
  hexPairs = table;
  return table;
}

const encoder = new TextEncoder();
const ascii = (text: string): Uint8Array => encoder.encode(text);
const PATH_OPEN = ascii('{"path": ');
const MTIME = ascii(', "mtime": ');
const VALUES = ascii(', "values": [');
const LINE_END = ascii(']}\n');
const VALUE_SEPARATOR = ascii(', ');
const CHUNK = 1 << 20;

/** Whether a compressed (Latin-1) name is printable ASCII without `"` or `\`: JSON text as it is. */
function plainName(bytes: Uint8Array, at: number, length: number): boolean {
  for (let i = 0; i < length; i++) {
    const c = bytes[at + i]!;
    if (c < 0x20 || c > 0x7e || c === 0x22 || c === 0x5c) return false;
  }
  return true;
}

/** A name's JSON-escaped UTF-8 bytes without quotes (the slow path: names that need escaping, UTF-16 names). */
function escapedName(bytes: Uint8Array, at: number, length: number, compressed: boolean): Uint8Array {
  const name = compressed ? decodeLatin1(bytes, at, length) : decodeUtf16le(bytes, at, length);
  const json = encoder.encode(JSON.stringify(name));
  return json.subarray(1, json.length - 1);
}

/** Collects output bytes in a fixed buffer and hands full chunks to the sink. */
class ByteWriter {
  private buffer = new Uint8Array(CHUNK);
  private view = new DataView(this.buffer.buffer);
  private position = 0;
  private readonly hex = hexPairTable();
  constructor(private readonly sink: (chunk: Uint8Array) => void) {}

  private room(n: number): void {
    if (this.position + n <= this.buffer.length) return;
    this.flush();
    if (n > this.buffer.length) {
      this.buffer = new Uint8Array(n);
      this.view = new DataView(this.buffer.buffer);
    }
  }

  flush(): void {
    if (this.position > 0) this.sink(this.buffer.subarray(0, this.position));
    this.position = 0;
  }

  /** A short constant. */
  bytes(bytes: Uint8Array): void {
    this.room(bytes.length);
    const buffer = this.buffer;
    let p = this.position;
    for (let i = 0; i < bytes.length; i++) buffer[p++] = bytes[i]!;
    this.position = p;
  }

  /** `source[from … to)`. */
  range(source: Uint8Array, from: number, to: number): void {
    this.room(to - from);
    const buffer = this.buffer;
    let p = this.position;
    // Long runs (paths) by memcpy: until the engine has optimized this loop, a byte loop is slow.
    if (to - from > 24) {
      buffer.set(source.subarray(from, to), p);
      p += to - from;
    } else for (let i = from; i < to; i++) buffer[p++] = source[i]!;
    this.position = p;
  }

  byte(value: number): void {
    this.room(1);
    this.buffer[this.position++] = value;
  }

  /**
   * The decimal digits of the uint64 `high·2³² + low` — a FILETIME or a type — without a BigInt:
   * with 2³² = 4294·10⁶ + 967296, `high·967296 + low` (< 2⁵³) splits into the last six digits and a
   * carry, and `high·4294 + carry` (< 2⁴⁵) holds the digits before them, both exact in a double.
   */
  uint64(low: number, high: number): void {
    this.room(20);
    if (high === 0) {
      this.decimal(low, 0);
      return;
    }
    const tail = high * 967296 + low;
    const lower = tail % 1_000_000;
    this.decimal(high * 4294 + (tail - lower) / 1_000_000, 0);
    this.decimal(lower, 6);
  }

  /** The digits of an integer below 2⁵³, left-padded with zeros to `width`. */
  private decimal(value: number, width: number): void {
    let digits = 1;
    for (let v = value; v >= 10; v = Math.floor(v / 10)) digits++;
    if (digits < width) digits = width;
    const buffer = this.buffer;
    let p = this.position + digits;
    this.position = p;
    for (let i = 0; i < digits; i++) {
      const next = Math.floor(value / 10);
      buffer[--p] = 0x30 + (value - next * 10);
      value = next;
    }
  }

  /** A name stored in the hive, quoted and JSON-escaped; printable ASCII names are copied as they are. */
  storedName(bytes: Uint8Array, at: number, length: number, compressed: boolean): void {
    if (compressed && plainName(bytes, at, length)) {
      this.room(length + 2);
      const buffer = this.buffer;
      let p = this.position;
      buffer[p++] = 0x22;
      if (length > 24) {
        buffer.set(bytes.subarray(at, at + length), p);
        p += length;
      } else for (let i = 0; i < length; i++) buffer[p++] = bytes[at + i]!;
      buffer[p++] = 0x22;
      this.position = p;
      return;
    }
    const escaped = escapedName(bytes, at, length, compressed);
    this.room(escaped.length + 2);
    this.buffer[this.position++] = 0x22;
    this.buffer.set(escaped, this.position);
    this.position += escaped.length;
    this.buffer[this.position++] = 0x22;
  }

  /** `"` + lowercase hex of `data[offset … offset + length)` + `"`. */
  hexString(data: Uint8Array, offset: number, length: number): void {
    this.room(length * 2 + 2);
    const buffer = this.buffer;
    const view = this.view;
    const hex = this.hex;
    let p = this.position;
    buffer[p++] = 0x22;
    const end = offset + length;
    let i = offset;
    for (; i + 1 < end; i += 2, p += 4) view.setUint32(p, hex[data[i]! | (data[i + 1]! << 8)]!, true);
    if (i < end) {
      const digits = hex[data[i]!]!;
      buffer[p++] = digits & 0xff;
      buffer[p++] = (digits >>> 8) & 0xff;
    }
    buffer[p++] = 0x22;
    this.position = p;
  }
}

/**
 * The canonical dump: one JSON line per key, depth first in subkey-list order, values in value-list
 * order, `[name, type, lowercase hex]`, separators as Python's json.dumps writes them — byte for byte
 * what ../shared/oracles/hivex-dump.py prints, so the two can be diffed. (JSON.stringify escapes a
 * string exactly as json.dumps(ensure_ascii=False) does for well-formed text.) Output is UTF-8 bytes;
 * each chunk handed to `sink` is reused afterwards, so the sink must consume (write or copy) it before
 * returning.
 *
 * Speed (issue 10): the walk is {@link visitKeys} (typed-array stack, bitmaps, lists read in place);
 * the escaped path is kept as bytes per depth (JSON-escaping a path is escaping each name and joining
 * with an escaped backslash); printable ASCII names are copied from the hive without being decoded;
 * value data is hexed from where it lies, two bytes per lookup in a 65,536-entry table; the FILETIME
 * is printed from its two 32-bit halves without a BigInt. So a dump allocates nothing per key or value
 * but for names that need escaping and big-data values. Cycle, sharing and depth checks are those of
 * walkKeys (a key whose values share cells with another key's is dumped without values in tolerant
 * mode).
 *
 * Bounds: every key, list, value and data cell is read once and big data is checked against the hive
 * size before it is assembled (readValueData), so the time is linear in the hive's size and the output
 * at most about 2× the hive bins plus the names; memory is the hive, one 1 MiB chunk, the largest
 * big-data value (≤ the hive bins) and the bitmaps of cells seen.
 */
export function dumpHiveBytes(hive: Hive, sink: (chunk: Uint8Array) => void, onProgress?: (keysDone: number) => void): void {
  const out = new ByteWriter(sink);
  let keysDone = 0;
  const view = hive.view;
  const bytes = hive.bytes;
  let path = new Uint8Array(4096);
  let pathEnd = new Int32Array(64);
  const span = new DataSpan();
  visitKeys(hive, (cell, depth, valuesOwned) => {
    const at = hive.payload(cell);
    if (depth >= pathEnd.length) {
      const grown = new Int32Array(pathEnd.length * 2);
      grown.set(pathEnd);
      pathEnd = grown;
    }
    if (depth > 0) {
      const nameLength = view.getUint16(at + KeyField.nameLength, true);
      const compressed = (view.getUint16(at + KeyField.flags, true) & KeyFlag.compressedName) !== 0;
      const plain = compressed && plainName(bytes, at + KeyField.name, nameLength);
      const escaped = plain ? undefined : escapedName(bytes, at + KeyField.name, nameLength, compressed);
      const length = escaped === undefined ? nameLength : escaped.length;
      const start = pathEnd[depth - 1]!;
      if (start + 2 + length > path.length) {
        const grown = new Uint8Array(Math.max(path.length * 2, start + 2 + length));
        grown.set(path.subarray(0, start));
        path = grown;
      }
      path[start] = 0x5c;
      path[start + 1] = 0x5c;
      if (escaped === undefined) for (let i = 0, p = at + KeyField.name; i < length; i++) path[start + 2 + i] = bytes[p + i]!;
      else path.set(escaped, start + 2);
      pathEnd[depth] = start + 2 + length;
    } else pathEnd[0] = 0;
    out.bytes(PATH_OPEN);
    out.byte(0x22);
    out.range(path, 0, pathEnd[depth]!);
    out.byte(0x22);
    out.bytes(MTIME);
    out.uint64(view.getUint32(at + KeyField.lastWritten, true), view.getUint32(at + KeyField.lastWritten + 4, true));
    out.bytes(VALUES);
    const list = valuesOwned ? valueListOf(hive, cell) : NIL;
    if (list !== NIL) {
      const count = view.getUint32(at + KeyField.valueCount, true);
      const listAt = hive.payload(list);
      let first = true;
      for (let i = 0; i < count; i++) {
        const vk = view.getUint32(listAt + 4 * i, true);
        if (!isValueCell(hive, vk)) continue;
        if (!first) out.bytes(VALUE_SEPARATOR);
        first = false;
        out.byte(0x5b);
        const vat = hive.payload(vk);
        out.storedName(
          bytes,
          vat + ValueField.name,
          view.getUint16(vat + ValueField.nameLength, true),
          (view.getUint16(vat + ValueField.flags, true) & ValueFlag.compressedName) !== 0,
        );
        out.bytes(VALUE_SEPARATOR);
        out.uint64(view.getUint32(vat + ValueField.type, true), 0);
        out.bytes(VALUE_SEPARATOR);
        locateValueData(hive, vk, span);
        out.hexString(span.bytes, span.offset, span.length);
        out.byte(0x5d);
      }
    }
    out.bytes(LINE_END);
    if (onProgress !== undefined && ++keysDone % 1000 === 0) onProgress(keysDone);
  });
  out.flush();
}

/** The canonical dump as text chunks. */
export function dumpHive(hive: Hive, write: (chunk: string) => void): void {
  const decoder = new TextDecoder();
  dumpHiveBytes(hive, (chunk) => write(decoder.decode(chunk, { stream: true })));
}

/** The canonical dump of {@link dumpHive}, collected into one string. */
export function dumpHiveToString(hive: Hive): string {
  const parts: string[] = [];
  dumpHive(hive, (chunk) => parts.push(chunk));
  return parts.join('');
}
