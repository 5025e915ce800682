import { KeyField, KeyFlag, ValueField, ValueFlag } from './cells.js';
import type { Hive } from './hive.js';
import { ValueRecord, readValueData } from './value.js';
import { KeyNode } from './key.js';
import { MAX_WALK_DEPTH, WalkClaims } from './walk.js';
import { CellSet } from './cell-set.js';

const HEX: string[] = Array.from({ length: 256 }, (_, i) => i.toString(16).padStart(2, '0'));
const HEX_HIGH = Uint8Array.from({ length: 256 }, (_, i) => HEX[i]!.charCodeAt(0));
const HEX_LOW = Uint8Array.from({ length: 256 }, (_, i) => HEX[i]!.charCodeAt(1));
const EMPTY = new Uint8Array(0);

/** Lowercase hexadecimal text of the bytes, two digits per byte, no separators. */
export function toHex(bytes: Uint8Array): string {
  let out = '';
  for (let i = 0; i < bytes.length; i++) out += HEX[bytes[i]!];
  return out;
}

const encoder = new TextEncoder();
const ascii = (text: string): Uint8Array => encoder.encode(text);
const PATH_OPEN = ascii('{"path": ');
const MTIME = ascii(', "mtime": ');
const VALUES = ascii(', "values": [');
const LINE_END = ascii(']}\n');
const VALUE_SEPARATOR = ascii(', ');
const CHUNK = 1 << 20;

/** Collects output bytes in a fixed buffer and hands full chunks to the sink. */
class ByteWriter {
  private buffer = new Uint8Array(CHUNK);
  private position = 0;
  constructor(private readonly sink: (chunk: Uint8Array) => void) {}

  private room(n: number): void {
    if (this.position + n <= this.buffer.length) return;
    this.flush();
    if (n > this.buffer.length) this.buffer = new Uint8Array(n);
  }

  flush(): void {
    if (this.position > 0) this.sink(this.buffer.subarray(0, this.position));
    this.position = 0;
  }

  bytes(bytes: Uint8Array): void {
    this.room(bytes.length);
    if (bytes.length > 32) this.buffer.set(bytes, this.position);
    else for (let i = 0; i < bytes.length; i++) this.buffer[this.position + i] = bytes[i]!;
    this.position += bytes.length;
  }

  /** Text known to be ASCII (numbers), written without an encoder. */
  ascii(text: string): void {
    this.room(text.length);
    for (let i = 0; i < text.length; i++) this.buffer[this.position++] = text.charCodeAt(i);
  }

  byte(value: number): void {
    this.room(1);
    this.buffer[this.position++] = value;
  }

  /** A name stored in the hive, quoted and escaped (see escapedName). */
  storedName(bytes: Uint8Array, at: number, length: number, compressed: boolean, decode: () => string): void {
    const escaped = escapedName(bytes, at, length, compressed, decode);
    this.room(escaped.length + 2);
    this.buffer[this.position++] = 0x22;
    this.buffer.set(escaped, this.position);
    this.position += escaped.length;
    this.buffer[this.position++] = 0x22;
  }

  hexString(data: Uint8Array): void {
    this.room(data.length * 2 + 2);
    const buffer = this.buffer;
    let p = this.position;
    buffer[p++] = 0x22;
    for (let i = 0; i < data.length; i++) {
      const b = data[i]!;
      buffer[p++] = HEX_HIGH[b]!;
      buffer[p++] = HEX_LOW[b]!;
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
 * Speed: the escaped path is kept as bytes per depth (JSON-escaping a path is escaping each name and
 * joining with an escaped backslash), and printable Latin-1 names are copied from the hive without
 * being decoded, so a dump builds almost no strings. Cycle, sharing and depth checks are those of
 * walkKeys (a key whose values share cells with another key's is dumped without values in tolerant
 * mode).
 *
 * Bounds: every key, list, value and data cell is read once and big data is checked against the hive
 * size before it is assembled (readValueData), so the time is linear in the hive's size and the output
 * at most about 2× the hive bins plus the names; memory is the hive, one 1 MiB chunk, the largest value
 * (≤ the hive bins) and the sets of cells seen — about 2× file + 100 MB at worst.
 */
export function dumpHiveBytes(hive: Hive, sink: (chunk: Uint8Array) => void, onProgress?: (keysDone: number) => void): void {
  const out = new ByteWriter(sink);
  let keysDone = 0;
  const view = hive.view;
  const bytes = hive.bytes;
  let path = new Uint8Array(4096);
  const pathEnd: number[] = [0];
  const root = hive.rootCell;
  const seen = new CellSet(hive.hiveBinsSize).add(root);
  const claims = new WalkClaims(hive);
  const cells: number[] = [root];
  const depths: number[] = [0];
  while (cells.length > 0) {
    const cell = cells.pop()!;
    const depth = depths.pop()!;
    const key = new KeyNode(hive, cell);
    if (depth > 0) {
      const at = hive.payload(cell);
      const nameLength = view.getUint16(at + KeyField.nameLength, true);
      const escaped = escapedName(
        bytes,
        at + KeyField.name,
        nameLength,
        (view.getUint16(at + KeyField.flags, true) & KeyFlag.compressedName) !== 0,
        () => key.name,
      );
      const start = pathEnd[depth - 1]!;
      if (start + 2 + escaped.length > path.length) {
        const grown = new Uint8Array(Math.max(path.length * 2, start + 2 + escaped.length));
        grown.set(path.subarray(0, start));
        path = grown;
      }
      path[start] = 0x5c;
      path[start + 1] = 0x5c;
      path.set(escaped, start + 2);
      pathEnd[depth] = start + 2 + escaped.length;
    }
    out.bytes(PATH_OPEN);
    out.byte(0x22);
    out.bytes(path.subarray(0, pathEnd[depth]!));
    out.byte(0x22);
    out.bytes(MTIME);
    out.ascii(view.getBigUint64(hive.payload(cell) + KeyField.lastWritten, true).toString());
    out.bytes(VALUES);
    let first = true;
    for (const vk of claims.values(key) ? key.valueCells() : []) {
      if (ValueRecord.at(hive, vk) === undefined) continue;
      if (!first) out.bytes(VALUE_SEPARATOR);
      first = false;
      out.byte(0x5b);
      const at = hive.payload(vk);
      out.storedName(
        bytes,
        at + ValueField.name,
        view.getUint16(at + ValueField.nameLength, true),
        (view.getUint16(at + ValueField.flags, true) & ValueFlag.compressedName) !== 0,
        () => new ValueRecord(hive, vk).name,
      );
      out.bytes(VALUE_SEPARATOR);
      out.ascii(String(view.getUint32(at + ValueField.type, true)));
      out.bytes(VALUE_SEPARATOR);
      out.hexString(readValueData(hive, vk, false) ?? EMPTY);
      out.byte(0x5d);
    }
    out.bytes(LINE_END);
    if (onProgress !== undefined && ++keysDone % 1000 === 0) onProgress(keysDone);
    const children = claims.subkeyCells(key);
    if (children.length > 0 && depth >= MAX_WALK_DEPTH) {
      hive.fault(cell, `key tree deeper than ${MAX_WALK_DEPTH} levels`);
      continue;
    }
    for (let i = children.length - 1; i >= 0; i--) {
      const child = children[i]!;
      if (seen.has(child)) {
        hive.fault(child, 'key reached twice while walking the tree (a subkey list cycle or a shared key)');
        continue;
      }
      seen.add(child);
      if (KeyNode.at(hive, child) === undefined) continue;
      cells.push(child);
      depths.push(depth + 1);
    }
  }
  out.flush();
}

/** A name's JSON-escaped UTF-8 bytes without quotes; printable Latin-1 names straight from the hive. */
function escapedName(bytes: Uint8Array, at: number, length: number, compressed: boolean, decode: () => string): Uint8Array {
  if (compressed) {
    let plain = true;
    for (let i = 0; i < length; i++) {
      const c = bytes[at + i]!;
      if (c < 0x20 || c > 0x7e || c === 0x22 || c === 0x5c) {
        plain = false;
        break;
      }
    }
    if (plain) return bytes.subarray(at, at + length);
  }
  const json = encoder.encode(JSON.stringify(decode()));
  return json.subarray(1, json.length - 1);
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
