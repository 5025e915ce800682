import { ValueType, encodeUtf16le, walkKeys } from '../hive/index.js';
import type { Hive, KeyNode, ValueRecord } from '../hive/index.js';
import { CP1252_HIGH } from '../hive/index.js';

/**
 * .reg export as regedit writes it (ecosystem.md §2.2): a header, then per key `[PREFIX\path]`, its
 * values in value-list order, a blank line; subkeys in the hive's (Windows-sorted) order. Strings are
 * written as `"text"` only when the stored bytes are exactly that text plus one NUL, and DWORDs as
 * `dword:` only when exactly 4 bytes — everything else as `hex(N):` bytes, so an export loses nothing, or
 * refuses (RegExportError) a name the format cannot carry. One thing regedit's import changes and ours does
 * not: hex(1)/hex(2)/hex(7) data without a final NUL gains one in regedit (parse.ts, terminateStrings).
 */
export type RegFileFormat = 'v5' | 'regedit4';

/** The first line of a regedit version 5 .reg file (UTF-16LE on Windows). */
export const HEADER_V5 = 'Windows Registry Editor Version 5.00';
/** The first line of a REGEDIT4 .reg file (the older, 8-bit format). */
export const HEADER_REGEDIT4 = 'REGEDIT4';

/** regedit wraps hex lists once a line reaches this many characters (then `\` and a two-space indent). */
const HEX_LINE_LIMIT = 77;

/**
 * Options for {@link exportRegFile}: the file format, the key-path prefix, progress reports and what to do with items a .reg file cannot carry.
 */
export interface ExportOptions {
  format?: RegFileFormat;
  /** Written before each key path, e.g. `HKEY_LOCAL_MACHINE\SYSTEM` (default: the root key's name under HKEY_LOCAL_MACHINE). */
  prefix?: string;
  /** Called with (keys done) every few hundred keys, for progress display. */
  onProgress?: (keysDone: number) => void;
  /**
   * Leave out keys (with their subtrees) and values that a .reg file cannot carry, and list them in
   * `skipped`, instead of throwing RegExportError at the first one. An export with skipped items is
   * incomplete: a caller should say so and fail (exit non-zero).
   */
  skipUnrepresentable?: boolean;
}

/** What {@link exportRegFile} returns: the .reg text and the items it left out. */
export interface ExportResult {
  text: string;
  /** What was left out (only with skipUnrepresentable; otherwise the export throws). */
  skipped: RegExportSkip[];
}

/** One key (with everything below it) or one value left out of an export. */
export class RegExportSkip {
  constructor(
    /** The key path as it would have been written (prefix included). */
    readonly keyPath: string,
    /** The value's name; undefined when the whole key (and its subtree) was left out. */
    readonly valueName: string | undefined,
    readonly reason: string,
  ) {}

  get message(): string {
    return this.valueName === undefined
      ? `key ${JSON.stringify(this.keyPath)} and its subkeys: ${this.reason}`
      : `value ${JSON.stringify(this.valueName)} of ${JSON.stringify(this.keyPath)}: ${this.reason}`;
  }

  /** The message, naming the key or value left out and why. */
  toString(): string {
    return this.message;
  }
}

/**
 * A key or value regedit's format cannot carry, so the export would not import back as it was. A key name
 * holding "\\" would come back as two nested keys (a .reg key line has no escape for it: regproc.c
 * export_key_name writes the path as is, and key_name_state/open_key split it at every backslash); a CR or LF
 * in a key name would end the key line; a CR or LF in a value name would end the value line (regedit's
 * import has no escape for them that Windows is known to read); a NUL ends a name in every regedit API; and
 * REGEDIT4 text is written in the ANSI code page (Windows-1252 here), which has no other characters.
 */
export class RegExportError extends Error {
  readonly code = 'REG_EXPORT_UNREPRESENTABLE';
  constructor(readonly skip: RegExportSkip) {
    super(`cannot export ${skip.message}; nothing was written (export with skipUnrepresentable to leave such items out, and report them)`);
    this.name = 'RegExportError';
  }

  get keyPath(): string {
    return this.skip.keyPath;
  }

  get valueName(): string | undefined {
    return this.skip.valueName;
  }
}

/** Escapes text for a quoted .reg string: each backslash and double quote gets a preceding backslash. */
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

/** Why a name cannot be written in a .reg file of this format, or undefined when it can. */
function nameProblem(name: string, what: 'key' | 'value', format: RegFileFormat): string | undefined {
  if (/[\r\n]/.test(name)) return `a CR or LF in a ${what} name cannot be written in a .reg file`;
  if (name.includes('\0')) return `a NUL character in a ${what} name cannot be written in a .reg file`;
  if (what === 'key' && name.includes('\\')) return 'a backslash in a key name cannot be written in a .reg file (it would import as nested keys)';
  if (format === 'regedit4' && toWindows1252(name) === undefined)
    return `a character outside Windows-1252 in a ${what} name cannot be written in a REGEDIT4 file (use the v5 format)`;
  return undefined;
}

/** One value as a .reg line (possibly wrapped), or undefined when the name or data cannot be written in this format. */
export function formatValue(name: string, type: number, data: Uint8Array, format: RegFileFormat = 'v5'): string | undefined {
  return formatValueOrProblem(name, type, data, format).line;
}

function formatValueOrProblem(name: string, type: number, data: Uint8Array, format: RegFileFormat): { line?: string; problem?: string } {
  const problem = nameProblem(name, 'value', format);
  if (problem !== undefined) return { problem };
  const left = name === '' ? '@=' : `"${escapeRegString(name)}"=`;
  if (type === ValueType.REG_SZ) {
    const text = plainString(data);
    if (text !== undefined && (format === 'v5' || toWindows1252(text) !== undefined)) return { line: `${left}"${escapeRegString(text)}"` };
  }
  if (type === ValueType.REG_DWORD && data.length === 4) {
    const value = (data[0]! | (data[1]! << 8) | (data[2]! << 16) | (data[3]! << 24)) >>> 0;
    return { line: `${left}dword:${value.toString(16).padStart(8, '0')}` };
  }
  const kind = type === ValueType.REG_BINARY ? 'hex:' : `hex(${(type >>> 0).toString(16)}):`;
  let bytes = data;
  if (format === 'regedit4' && (type === ValueType.REG_SZ || type === ValueType.REG_EXPAND_SZ || type === ValueType.REG_MULTI_SZ)) {
    // REGEDIT4 holds these as 8-bit characters that regedit widens on import (regproc.c prepare_hex_string_data):
    // only text of whole UTF-16 units that are all in Windows-1252 survives.
    const narrowed = narrowUtf16(data);
    if (narrowed === undefined)
      return {
        problem: `the data of this ${type === ValueType.REG_SZ ? 'REG_SZ' : type === ValueType.REG_EXPAND_SZ ? 'REG_EXPAND_SZ' : 'REG_MULTI_SZ'} value is not text in Windows-1252, which a REGEDIT4 file needs (use the v5 format)`,
      };
    bytes = narrowed;
  }
  return { line: `${left}${kind}${hexList(bytes, left.length + kind.length)}` };
}

const CP1252_REVERSE = new Map<number, number>(Array.from(CP1252_HIGH, (c, i) => [c.charCodeAt(0), 0x80 + i]));

function cp1252Byte(unit: number): number | undefined {
  if (unit < 0x80 || (unit >= 0xa0 && unit <= 0xff)) return unit;
  return CP1252_REVERSE.get(unit);
}

/** `text` as Windows-1252 bytes, or undefined when a character has no byte there. */
export function toWindows1252(text: string): Uint8Array | undefined {
  const out = new Uint8Array(text.length);
  for (let i = 0; i < text.length; i++) {
    const byte = cp1252Byte(text.charCodeAt(i));
    if (byte === undefined) return undefined;
    out[i] = byte;
  }
  return out;
}

function narrowUtf16(data: Uint8Array): Uint8Array | undefined {
  if (data.length % 2 !== 0) return undefined;
  const out = new Uint8Array(data.length / 2);
  for (let i = 0; i < out.length; i++) {
    const byte = cp1252Byte(data[2 * i]! | (data[2 * i + 1]! << 8));
    if (byte === undefined) return undefined;
    out[i] = byte;
  }
  return out;
}

function keyLine(prefix: string, path: string): string {
  return `[${prefix}${path}]`;
}

/**
 * Exports `start` (default: the root) and everything below it.
 * @throws {RegExportError} at the first key or value a .reg file cannot carry, unless skipUnrepresentable
 */
export function exportRegFile(hive: Hive, start: KeyNode = hive.root(), options: ExportOptions = {}): ExportResult {
  const format = options.format ?? 'v5';
  const prefix = options.prefix ?? `HKEY_LOCAL_MACHINE\\${hive.root().name}`;
  const parts: string[] = [format === 'v5' ? HEADER_V5 : HEADER_REGEDIT4, ''];
  const skipped: RegExportSkip[] = [];
  const leaveOut = (skip: RegExportSkip): void => {
    if (options.skipUnrepresentable !== true) throw new RegExportError(skip);
    skipped.push(skip);
  };
  if (format === 'regedit4' && toWindows1252(prefix) === undefined)
    leaveOut(new RegExportSkip(prefix, undefined, 'a character outside Windows-1252 in the key path cannot be written in a REGEDIT4 file (use the v5 format)'));
  let done = 0;
  // Depth of a key left out: everything deeper is its subtree (walkKeys is depth-first, pre-order).
  let skipDepth = Number.POSITIVE_INFINITY;
  for (const { key, path, depth } of walkKeys(hive, start)) {
    if (++done % 500 === 0) options.onProgress?.(done);
    if (depth > skipDepth) continue;
    skipDepth = Number.POSITIVE_INFINITY;
    const keyPath = `${prefix}${path}`;
    const problem = depth === 0 ? undefined : nameProblem(key.name, 'key', format);
    if (problem !== undefined) {
      leaveOut(new RegExportSkip(keyPath, undefined, problem));
      skipDepth = depth;
      continue;
    }
    parts.push(keyLine(prefix, path));
    for (const value of key.values()) {
      const formatted = formatValueOrProblem(value.name, value.type, value.data(), format);
      if (formatted.line === undefined) leaveOut(new RegExportSkip(keyPath, value.name, formatted.problem!));
      else parts.push(formatted.line);
    }
    parts.push('');
  }
  options.onProgress?.(done);
  return { text: `${parts.join('\r\n')}\r\n`, skipped };
}

/**
 * The bytes of a .reg file: v5 as UTF-16LE with a BOM (what regedit writes), REGEDIT4 in Windows-1252 (the
 * ANSI code page regedit writes it in on western systems, and what decodeRegFile reads non-UTF-8 text as).
 * @throws {RegExportError} when REGEDIT4 text holds a character Windows-1252 has no byte for
 */
export function encodeRegFile(text: string, format: RegFileFormat = 'v5'): Uint8Array {
  if (format === 'v5') {
    const body = encodeUtf16le(text);
    const out = new Uint8Array(body.length + 2);
    out[0] = 0xff;
    out[1] = 0xfe;
    out.set(body, 2);
    return out;
  }
  const out = toWindows1252(text);
  if (out === undefined) {
    const index = Array.from(text).findIndex((c) => toWindows1252(c) === undefined);
    throw new RegExportError(
      new RegExportSkip(
        '',
        undefined,
        `character ${JSON.stringify(Array.from(text)[index])} has no byte in Windows-1252, so REGEDIT4 text cannot hold it (use the v5 format)`,
      ),
    );
  }
  // A REGEDIT4 file has no BOM, and its readers (this one, as the issue asks) try UTF-8 first: non-ASCII
  // Windows-1252 bytes that also form valid UTF-8 ("Â’" is C2 92) would come back as other characters.
  if (out.some((b) => b >= 0x80) && isValidUtf8(out)) {
    throw new RegExportError(
      new RegExportSkip('', undefined, 'its Windows-1252 bytes also read as UTF-8, so a reader would take them for other characters (use the v5 format)'),
    );
  }
  return out;
}

function isValidUtf8(bytes: Uint8Array): boolean {
  try {
    new TextDecoder('utf-8', { fatal: true }).decode(bytes);
    return true;
  } catch {
    return false;
  }
}

export type { ValueRecord };
