import { ValueType, encodeUtf16le, walkKeys } from '../hive/index.js';
import type { Hive, KeyNode, ValueRecord } from '../hive/index.js';

/**
 * .reg export as regedit writes it (ecosystem.md §2.2): a header, then per key `[PREFIX\path]`, its
 * values in value-list order, a blank line; subkeys in the hive's (Windows-sorted) order. Strings are
 * written as `"text"` only when the stored bytes are exactly that text plus one NUL, and DWORDs as
 * `dword:` only when exactly 4 bytes — everything else as `hex(N):` bytes, so an export loses nothing.
 */
export type RegFileFormat = 'v5' | 'regedit4';

export const HEADER_V5 = 'Windows Registry Editor Version 5.00';
export const HEADER_REGEDIT4 = 'REGEDIT4';

/** regedit wraps hex lists once a line reaches this many characters (then `\` and a two-space indent). */
const HEX_LINE_LIMIT = 77;

export interface ExportOptions {
  format?: RegFileFormat;
  /** Written before each key path, e.g. `HKEY_LOCAL_MACHINE\SYSTEM` (default: the root key's name under HKEY_LOCAL_MACHINE). */
  prefix?: string;
  /** Called with (keys done) every few hundred keys, for progress display. */
  onProgress?: (keysDone: number) => void;
}

export interface ExportResult {
  text: string;
  /** Keys or values that the .reg syntax cannot carry (a CR or LF in a key name, `]` inside names is fine). */
  skipped: string[];
}

export function escapeRegString(text: string): string {
  return text.replace(/\\/g, '\\\\').replace(/"/g, '\\"');
}

function plainString(data: Uint8Array): string | undefined {
  if (data.length < 2 || data.length % 2 !== 0 || data[data.length - 1] !== 0 || data[data.length - 2] !== 0) return undefined;
  let text = '';
  for (let i = 0; i < data.length - 2; i += 2) {
    const unit = data[i]! | (data[i + 1]! << 8);
    // A NUL, CR or LF inside the text cannot be written between quotes on one line.
    if (unit === 0 || unit === 0x0a || unit === 0x0d) return undefined;
    text += String.fromCharCode(unit);
  }
  return text;
}

function hexList(data: Uint8Array, prefixLength: number): string {
  let out = '';
  let line = prefixLength;
  for (let i = 0; i < data.length; i++) {
    out += data[i]!.toString(16).padStart(2, '0');
    if (i === data.length - 1) break;
    out += ',';
    line += 3;
    if (line >= HEX_LINE_LIMIT) {
      out += '\\\r\n  ';
      line = 2;
    }
  }
  return out;
}

/** One value as a .reg line (possibly wrapped), or undefined when the name cannot be written. */
export function formatValue(name: string, type: number, data: Uint8Array, format: RegFileFormat = 'v5'): string | undefined {
  if (/[\r\n]/.test(name)) return undefined;
  const left = name === '' ? '@=' : `"${escapeRegString(name)}"=`;
  if (type === ValueType.REG_SZ) {
    const text = plainString(data);
    if (text !== undefined && (format === 'v5' || /^[\u0000-\u00ff]*$/.test(text))) return `${left}"${escapeRegString(text)}"`;
  }
  if (type === ValueType.REG_DWORD && data.length === 4) {
    const value = (data[0]! | (data[1]! << 8) | (data[2]! << 16) | (data[3]! << 24)) >>> 0;
    return `${left}dword:${value.toString(16).padStart(8, '0')}`;
  }
  const kind = type === ValueType.REG_BINARY ? 'hex:' : `hex(${(type >>> 0).toString(16)}):`;
  let bytes = data;
  if (format === 'regedit4' && (type === ValueType.REG_EXPAND_SZ || type === ValueType.REG_MULTI_SZ)) {
    // REGEDIT4 stores these strings as single-byte characters; only text that is Latin-1 survives that.
    const narrowed = narrowUtf16(data);
    if (narrowed !== undefined) bytes = narrowed;
  }
  return `${left}${kind}${hexList(bytes, left.length + kind.length)}`;
}

function narrowUtf16(data: Uint8Array): Uint8Array | undefined {
  if (data.length % 2 !== 0) return undefined;
  const out = new Uint8Array(data.length / 2);
  for (let i = 0; i < out.length; i++) {
    if (data[2 * i + 1] !== 0) return undefined;
    out[i] = data[2 * i]!;
  }
  return out;
}

function keyLine(prefix: string, path: string): string {
  return `[${prefix}${path}]`;
}

/** Exports `start` (default: the root) and everything below it. */
export function exportRegFile(hive: Hive, start: KeyNode = hive.root(), options: ExportOptions = {}): ExportResult {
  const format = options.format ?? 'v5';
  const prefix = options.prefix ?? `HKEY_LOCAL_MACHINE\\${hive.root().name}`;
  const parts: string[] = [format === 'v5' ? HEADER_V5 : HEADER_REGEDIT4, ''];
  const skipped: string[] = [];
  let done = 0;
  const skippedPaths: string[] = [];
  for (const { key, path } of walkKeys(hive, start)) {
    if (++done % 500 === 0) options.onProgress?.(done);
    if (/[\r\n]/.test(path) || skippedPaths.some((p) => path.startsWith(`${p}\\`))) {
      if (/[\r\n]/.test(path) && !skippedPaths.some((p) => path.startsWith(`${p}\\`))) {
        skipped.push(`key ${JSON.stringify(path)}: a CR or LF in a key name cannot be written in a .reg file`);
        skippedPaths.push(path);
      }
      continue;
    }
    parts.push(keyLine(prefix, path));
    for (const value of key.values()) {
      const line = formatValue(value.name, value.type, value.data(), format);
      if (line === undefined) skipped.push(`value ${JSON.stringify(value.name)} of ${JSON.stringify(path)}: a CR or LF in a value name cannot be written`);
      else parts.push(line);
    }
    parts.push('');
  }
  options.onProgress?.(done);
  return { text: `${parts.join('\r\n')}\r\n`, skipped };
}

/** The bytes of a .reg file: v5 as UTF-16LE with a BOM (what regedit writes), REGEDIT4 as Latin-1. */
export function encodeRegFile(text: string, format: RegFileFormat = 'v5'): Uint8Array {
  if (format === 'v5') {
    const body = encodeUtf16le(text);
    const out = new Uint8Array(body.length + 2);
    out[0] = 0xff;
    out[1] = 0xfe;
    out.set(body, 2);
    return out;
  }
  const out = new Uint8Array(text.length);
  for (let i = 0; i < text.length; i++) {
    const unit = text.charCodeAt(i);
    out[i] = unit <= 0xff ? unit : 0x3f;
  }
  return out;
}

export type { ValueRecord };
