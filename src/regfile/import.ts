import { Hive, ValueType, decodeUtf16le, encodeUtf16le } from '../hive/index.js';
import type { KeyNode } from '../hive/index.js';
import { HEADER_REGEDIT4, HEADER_V5 } from './export.js';
import type { RegFileFormat } from './export.js';

/**
 * .reg import as regedit reads it (ecosystem.md §2.2, the Windows-validated Wine tests): the header must
 * be exactly one of the two; `;` and `#` comment lines; `[KEY]` and `[-KEY]`; `"name"=` / `@=` with
 * `"string"`, `dword:`, `hex:`, `hex(N):` or `-`; hex lists continue over lines ending in `\` after a
 * comma, and `;comment` may follow a value while `#comment` after a value makes it invalid. Parsing is
 * complete before anything is applied, so a syntax error changes nothing.
 */

export class RegFileSyntaxError extends Error {
  readonly code = 'REG_SYNTAX';
  constructor(
    readonly file: string,
    readonly line: number,
    readonly column: number,
    readonly reason: string,
  ) {
    super(`${file}:${line}:${column}: ${reason}`);
    this.name = 'RegFileSyntaxError';
  }
}

export type RegOperation =
  | { kind: 'key'; path: string[]; line: number }
  | { kind: 'deleteKey'; path: string[]; line: number }
  | { kind: 'value'; path: string[]; name: string; type: number; data: Uint8Array; line: number }
  | { kind: 'deleteValue'; path: string[]; name: string; line: number };

export interface ParsedRegFile {
  format: RegFileFormat;
  operations: RegOperation[];
}

/** Decodes .reg bytes: UTF-16LE with BOM (v5), UTF-8 with or without BOM, else Latin-1. */
export function decodeRegFile(bytes: Uint8Array): string {
  // By hand, not TextDecoder: names may hold lone surrogates, which must come through unchanged.
  if (bytes[0] === 0xff && bytes[1] === 0xfe) return decodeUtf16le(bytes, 2, bytes.length - 2);
  const start = bytes[0] === 0xef && bytes[1] === 0xbb && bytes[2] === 0xbf ? 3 : 0;
  try {
    return new TextDecoder('utf-8', { fatal: true }).decode(bytes.subarray(start));
  } catch {
    let text = '';
    for (let i = start; i < bytes.length; i++) text += String.fromCharCode(bytes[i]!);
    return text;
  }
}

const ROOT_NAMES = new Set(['HKEY_LOCAL_MACHINE', 'HKLM', 'HKEY_CURRENT_USER', 'HKCU', 'HKEY_USERS', 'HKU', 'HKEY_CLASSES_ROOT', 'HKCR', 'HKEY_CURRENT_CONFIG', 'HKCC']);

/**
 * Maps a .reg key path onto the hive: `HKEY_xxx\MOUNT\a\b` → `a\b` (the hive is what `reg load` mounted
 * at HKEY_xxx\MOUNT), and `\a\b` (hivexregedit's form) → `a\b`.
 */
export function hivePathOf(keyPath: string): string[] | undefined {
  const parts = keyPath.split('\\');
  if (parts[0] === '') return parts.slice(1).filter((p) => p !== '');
  if (ROOT_NAMES.has(parts[0]!.toUpperCase())) return parts.slice(2).filter((p) => p !== '');
  return undefined;
}

interface Cursor {
  lines: string[];
  index: number;
}

function unescapeQuoted(text: string, from: number, file: string, line: number): { value: string; end: number } | undefined {
  let value = '';
  for (let i = from; i < text.length; i++) {
    const c = text[i]!;
    if (c === '\\') {
      const next = text[i + 1];
      if (next === '\\' || next === '"') {
        value += next;
        i++;
        continue;
      }
      // Windows keeps a backslash before any other character as is.
      value += c;
      continue;
    }
    if (c === '"') return { value, end: i + 1 };
    value += c;
  }
  void file;
  void line;
  return undefined;
}

function parseHexBytes(first: string, cursor: Cursor, file: string, startLine: number, column: number): Uint8Array {
  const out: number[] = [];
  let text = first;
  let lineNumber = startLine;
  // Line by line, so a value continued over thousands of lines costs linear time.
  for (;;) {
    const semicolon = text.indexOf(';');
    let body = (semicolon >= 0 ? text.slice(0, semicolon) : text).trimEnd();
    const continues = body.endsWith('\\');
    if (continues) {
      body = body.slice(0, -1).trimEnd();
      if (body !== '' && !body.endsWith(',')) throw new RegFileSyntaxError(file, lineNumber, column, 'a line continuation "\\" must follow a comma');
    }
    const items = body.split(',');
    for (let i = 0; i < items.length; i++) {
      const item = items[i]!.trim();
      if (item === '' && (i === items.length - 1 || body.trim() === '')) continue;
      if (!/^[0-9a-fA-F]{1,2}$/.test(item)) throw new RegFileSyntaxError(file, lineNumber, column, `"${item}" is not a hex byte`);
      out.push(parseInt(item, 16));
    }
    if (!continues) break;
    const next = cursor.lines[cursor.index + 1];
    if (next === undefined) break;
    cursor.index++;
    lineNumber = cursor.index + 1;
    text = next.trimStart();
    if (text.startsWith(',')) throw new RegFileSyntaxError(file, lineNumber, 1, 'a continuation line cannot start with a comma');
  }
  return Uint8Array.from(out);
}

function widen(bytes: Uint8Array): Uint8Array {
  const out = new Uint8Array(bytes.length * 2);
  bytes.forEach((b, i) => {
    out[2 * i] = b;
  });
  return out;
}

function parseData(rest: string, cursor: Cursor, format: RegFileFormat, file: string, line: number, column: number): { type: number; data: Uint8Array } | 'delete' {
  if (rest.startsWith('"')) {
    const quoted = unescapeQuoted(rest, 1, file, line);
    if (quoted === undefined) throw new RegFileSyntaxError(file, line, column, 'the string has no closing quote');
    checkTrailer(rest.slice(quoted.end), file, line, column + quoted.end);
    return { type: ValueType.REG_SZ, data: encodeUtf16le(`${quoted.value}\0`) };
  }
  if (rest.trim().startsWith('-') && rest.trim().replace(/\s*;.*$/, '') === '-') return 'delete';
  const dword = /^dword:([0-9a-fA-F]{1,8})\s*(.*)$/.exec(rest);
  if (dword !== null) {
    checkTrailer(dword[2]!, file, line, column);
    const value = parseInt(dword[1]!, 16) >>> 0;
    return { type: ValueType.REG_DWORD, data: Uint8Array.of(value & 0xff, (value >>> 8) & 0xff, (value >>> 16) & 0xff, value >>> 24) };
  }
  const hex = /^hex(?:\(([0-9a-fA-F]{1,8})\))?:(.*)$/.exec(rest);
  if (hex !== null) {
    if (/#/.test(hex[2]!.replace(/;.*$/, ''))) throw new RegFileSyntaxError(file, line, column, 'a "#" comment after a value makes it invalid (use ";")');
    const type = hex[1] === undefined ? ValueType.REG_BINARY : parseInt(hex[1], 16) >>> 0;
    let data = parseHexBytes(hex[2]!, cursor, file, line, column);
    // REGEDIT4 holds expandable and multi strings as single-byte characters.
    if (format === 'regedit4' && (type === ValueType.REG_EXPAND_SZ || type === ValueType.REG_MULTI_SZ)) data = widen(data);
    return { type, data };
  }
  throw new RegFileSyntaxError(file, line, column, `unrecognised value data "${rest.slice(0, 20)}" (expected "string", dword:, hex:, hex(N): or -)`);
}

function checkTrailer(trailer: string, file: string, line: number, column: number): void {
  const rest = trailer.trim();
  if (rest === '' || rest.startsWith(';')) return;
  if (rest.startsWith('#')) throw new RegFileSyntaxError(file, line, column, 'a "#" comment after a value makes it invalid (use ";")');
  throw new RegFileSyntaxError(file, line, column, `unexpected "${rest.slice(0, 20)}" after the value`);
}

/**
 * Parses a whole .reg text.
 * @throws {RegFileSyntaxError} with file, line and column
 */
export function parseRegFile(text: string, file = '<reg>'): ParsedRegFile {
  const lines = text.replace(/^\uFEFF/, '').split(/\r\n|\n|\r/);
  const header = lines[0] ?? '';
  let format: RegFileFormat;
  if (header === HEADER_V5) format = 'v5';
  else if (header === HEADER_REGEDIT4) format = 'regedit4';
  else throw new RegFileSyntaxError(file, 1, 1, `the first line must be exactly "${HEADER_V5}" or "${HEADER_REGEDIT4}"`);
  const operations: RegOperation[] = [];
  let current: string[] | undefined;
  const cursor: Cursor = { lines, index: 1 };
  for (; cursor.index < lines.length; cursor.index++) {
    const raw = lines[cursor.index]!;
    const lineNumber = cursor.index + 1;
    const line = raw.trimStart();
    const column = raw.length - line.length + 1;
    if (line === '' || line.startsWith(';') || line.startsWith('#')) continue;
    if (line.startsWith('[')) {
      const close = line.lastIndexOf(']');
      if (close < 0) throw new RegFileSyntaxError(file, lineNumber, column, 'a key line needs a closing "]"');
      const deleting = line[1] === '-';
      const keyPath = line.slice(deleting ? 2 : 1, close);
      const path = hivePathOf(keyPath);
      if (path === undefined) throw new RegFileSyntaxError(file, lineNumber, column + 1, `"${keyPath}" does not start with a root key (HKEY_LOCAL_MACHINE\\…) or "\\"`);
      operations.push({ kind: deleting ? 'deleteKey' : 'key', path, line: lineNumber });
      current = deleting ? undefined : path;
      continue;
    }
    let name: string;
    let rest: string;
    if (line.startsWith('@')) {
      name = '';
      rest = line.slice(1).trimStart();
    } else if (line.startsWith('"')) {
      const quoted = unescapeQuoted(line, 1, file, lineNumber);
      if (quoted === undefined) throw new RegFileSyntaxError(file, lineNumber, column, 'the value name has no closing quote');
      name = quoted.value;
      rest = line.slice(quoted.end).trimStart();
    } else throw new RegFileSyntaxError(file, lineNumber, column, `unexpected "${line.slice(0, 20)}": expected a [key], a "value"=, @= or a comment`);
    if (!rest.startsWith('=')) throw new RegFileSyntaxError(file, lineNumber, column, 'expected "=" after the value name');
    rest = rest.slice(1).trimStart();
    if (current === undefined) throw new RegFileSyntaxError(file, lineNumber, column, 'a value line must follow a [key] line');
    const data = parseData(rest, cursor, format, file, lineNumber, column);
    if (data === 'delete') operations.push({ kind: 'deleteValue', path: current, name, line: lineNumber });
    else operations.push({ kind: 'value', path: current, name, type: data.type, data: data.data, line: lineNumber });
  }
  return { format, operations };
}

function openPath(root: KeyNode, path: string[], create: boolean): KeyNode | undefined {
  let key: KeyNode | undefined = root;
  for (const part of path) {
    const next: KeyNode | undefined = key.subkey(part);
    key = next ?? (create ? key.addSubkey(part) : undefined);
    if (key === undefined) return undefined;
  }
  return key;
}

export interface ImportSummary {
  keysCreatedOrOpened: number;
  keysDeleted: number;
  valuesSet: number;
  valuesDeleted: number;
}

/**
 * Applies parsed operations to a copy of `hive` and returns the copy: if any operation fails (a name
 * too long, say) the error propagates and the original hive is untouched — all or nothing.
 */
export function applyRegFile(hive: Hive, parsed: ParsedRegFile, onProgress?: (operationsDone: number) => void): { hive: Hive; summary: ImportSummary } {
  const copy = Hive.open(hive.bytes.subarray(0, 4096 + hive.hiveBinsSize), { clock: hive.clock });
  const summary: ImportSummary = { keysCreatedOrOpened: 0, keysDeleted: 0, valuesSet: 0, valuesDeleted: 0 };
  const root = copy.root();
  // Values under one [key] share its path array: open the key once for all of them.
  let cachedPath: string[] | undefined;
  let cachedKey: KeyNode | undefined;
  const keyFor = (path: string[]): KeyNode => {
    if (path !== cachedPath || cachedKey === undefined) {
      cachedKey = openPath(root, path, true)!;
      cachedPath = path;
    }
    return cachedKey;
  };
  let done = 0;
  for (const operation of parsed.operations) {
    if (onProgress !== undefined && ++done % 1000 === 0) onProgress(done);
    if (operation.kind !== 'value') cachedPath = undefined;
    switch (operation.kind) {
      case 'key':
        openPath(root, operation.path, true);
        summary.keysCreatedOrOpened++;
        break;
      case 'deleteKey': {
        if (operation.path.length === 0) break;
        const parent = openPath(root, operation.path.slice(0, -1), false);
        const name = operation.path[operation.path.length - 1]!;
        if (parent?.subkey(name) !== undefined) {
          parent.deleteSubkey(name);
          summary.keysDeleted++;
        }
        break;
      }
      case 'value':
        keyFor(operation.path).setValue(operation.name, operation.type, operation.data);
        summary.valuesSet++;
        break;
      case 'deleteValue': {
        const key = openPath(root, operation.path, false);
        if (key?.value(operation.name) !== undefined) {
          key.deleteValue(operation.name);
          summary.valuesDeleted++;
        }
        break;
      }
    }
  }
  return { hive: copy, summary };
}
