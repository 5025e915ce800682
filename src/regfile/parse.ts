import { ValueType, encodeUtf16le } from '../hive/index.js';
import { RegDecodeProblem, RegDecoder, decodeWindows1252 } from './decode.js';
import type { RegEncoding } from './decode.js';
import { HEADER_REGEDIT4, HEADER_V5 } from './export.js';
import type { RegFileFormat } from './export.js';

/**
 * .reg parsing as regedit reads a file, streaming: bytes go in by chunks, operations come out, and memory stays
 * bounded by the chunk size, the longest line and the largest value — never the file size. Every line is
 * looked at once, so the cost is linear in the file.
 *
 * The rules are regedit's (wine-mirror/wine@0a95b94f0969362708c569936450c1f58f95ab09 programs/regedit/regproc.c)
 * as the Wine tests that also pass against Windows' regedit pin them down
 * (wine-mirror/wine@cd3ebad1ae926d72dec239f120a6f8ffa8ba35e3 programs/regedit/tests/regedit.c, "regedit.c"
 * below). Where regedit silently skips a line it cannot read, we stop with a RegFileSyntaxError naming the line
 * and the column of the offending character: an import either does what the file says or nothing.
 *
 * Beyond regedit, and said so where it happens: blank lines before the header, spaces or tabs after it, type
 * tags in any letter case (`DWORD:`, `Hex(2):`), root-key abbreviations (HKLM…), and the encodings of decode.ts.
 */

/**
 * A .reg file that cannot be read as written: the file, the 1-based line and the column of the offending character.
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

/**
 * The .reg syntax to parse: `regedit` (what regedit and reg.exe write) or `hivex` (what `hivexregedit --merge` reads); see {@link RegParseOptions}.
 */
export type RegDialect = 'regedit' | 'hivex';

/** `keyPath` is the text between the brackets as written (without a leading "-"); `path` is hivePathOf(keyPath). */
export type RegOperation =
  | { kind: 'key'; keyPath: string; path: string[]; line: number }
  | { kind: 'deleteKey'; keyPath: string; path: string[]; line: number }
  | { kind: 'value'; keyPath: string; path: string[]; name: string; type: number; data: Uint8Array; line: number }
  | { kind: 'deleteValue'; keyPath: string; path: string[]; name: string; line: number };

/** A whole parsed .reg file: its format (from the header) and its operations in file order. */
export interface ParsedRegFile {
  format: RegFileFormat;
  operations: RegOperation[];
}

/** Options for parsing a .reg file: a file name for messages, a fixed encoding, the dialect. */
export interface RegParseOptions {
  /** Named in errors. */
  file?: string;
  /** Overrides detection (decode.ts). */
  encoding?: RegEncoding;
  /**
   * 'regedit' (default): a header line, keys under a root key (`[HKEY_LOCAL_MACHINE\…]`).
   * 'hivex': what `hivexregedit --merge` reads — no header needed, keys relative to the hive (`[\A\B]`, `[\]`
   * for the root), `str:"…"`/`str(N):"…"` values, a backslash escapes any character in a quoted string
   * (libguestfs/hivex@003028c3c0d33e952430d3f4e1a987a777674eb3 perl/lib/Win/Hivex/Regedit.pm, reg_import).
   */
  dialect?: RegDialect;
  /** The longest line accepted, in UTF-16 code units (default 16 Mi): bounds memory whatever the file holds. */
  maxLineLength?: number;
  /** The largest value data accepted, in bytes (default 64 MiB; a hive value can hold at most about 1 GiB, and no real .reg holds that). */
  maxValueBytes?: number;
  /**
   * Append a NUL character to hex(1), hex(2) and hex(7) data that does not end in one, as regedit does
   * (regproc.c prepare_hex_string_data; regedit.c test_basic_import_unicode Wine20a–d, Wine21a–b, Wine17b/d).
   * Off by default, so that our export of a hive imports back byte for byte: real hives hold unterminated
   * strings (418 values in 11 corpus hives), which regedit's own export → import would change too.
   */
  terminateStrings?: boolean;
}

const ROOT_NAMES = new Set([
  'HKEY_LOCAL_MACHINE',
  'HKLM',
  'HKEY_CURRENT_USER',
  'HKCU',
  'HKEY_USERS',
  'HKU',
  'HKEY_CLASSES_ROOT',
  'HKCR',
  'HKEY_CURRENT_CONFIG',
  'HKCC',
]);

/**
 * Maps a .reg key path onto a hive mounted the way `reg load` mounts one: `HKEY_xxx\MOUNT\a\b` → `a\b`, and
 * `\a\b` (hivexregedit's form) → `a\b`. Empty components are dropped, as regedit drops them
 * (regedit.c test_key_creation_and_deletion: `Subkey1e\` is `Subkey1e`). Root names in any case (same test).
 */
export function hivePathOf(keyPath: string): string[] | undefined {
  const parts = keyPath.split('\\');
  if (parts[0] === '') return parts.slice(1).filter((p) => p !== '');
  if (ROOT_NAMES.has(parts[0]!.toUpperCase())) return parts.slice(2).filter((p) => p !== '');
  return undefined;
}

const SPACE = 0x20;
const TAB = 0x09;

function skipBlanks(text: string, from: number, end = text.length): number {
  let i = from;
  while (i < end) {
    const c = text.charCodeAt(i);
    if (c !== SPACE && c !== TAB) break;
    i++;
  }
  return i;
}

function trimBlanksEnd(text: string, from: number): number {
  let end = text.length;
  while (end > from) {
    const c = text.charCodeAt(end - 1);
    if (c !== SPACE && c !== TAB) break;
    end--;
  }
  return end;
}

function hexDigit(c: number): number {
  if (c >= 0x30 && c <= 0x39) return c - 0x30;
  if (c >= 0x41 && c <= 0x46) return c - 0x37;
  if (c >= 0x61 && c <= 0x66) return c - 0x57;
  return -1;
}

function shown(text: string, max = 24): string {
  return JSON.stringify(text.length > max ? `${text.slice(0, max)}…` : text);
}

const HASH_AFTER_VALUE = 'a "#" after a value makes regedit drop the value (use ";" for a comment there)';

/** Growable byte buffer for hex lists, capped. */
class Bytes {
  buffer = new Uint8Array(64);
  length = 0;
  constructor(private readonly max: number) {}
  push(byte: number): boolean {
    if (this.length === this.buffer.length) {
      if (this.length >= this.max) return false;
      const grown = new Uint8Array(Math.min(this.max, this.buffer.length * 2));
      grown.set(this.buffer);
      this.buffer = grown;
    }
    this.buffer[this.length++] = byte;
    return true;
  }
  take(): Uint8Array {
    return this.buffer.slice(0, this.length);
  }
}

interface CurrentKey {
  keyPath: string;
  path: string[];
}

interface PendingHex {
  key: CurrentKey;
  name: string;
  type: number;
  bytes: Bytes;
  line: number;
}

/**
 * The parser behind parseRegChunks and parseRegFile: push bytes (or text), take the operations.
 * After the first line that is not blank, `format` is known.
 */
export class RegStreamParser {
  format: RegFileFormat | undefined;
  readonly file: string;
  readonly dialect: RegDialect;
  private readonly maxLineLength: number;
  private readonly maxValueBytes: number;
  private readonly terminateStrings: boolean;
  private decoder: RegDecoder | undefined;
  private out: RegOperation[] = [];
  private partial = '';
  private lastWasCR = false;
  private lineNumber = 0;
  private sawAnyText = false;
  private key: CurrentKey | undefined;
  private afterDelete = false;
  private hex: PendingHex | undefined;
  private ended = false;

  constructor(options: RegParseOptions = {}) {
    this.file = options.file ?? '<reg>';
    this.dialect = options.dialect ?? 'regedit';
    this.maxLineLength = options.maxLineLength ?? 16 * 1024 * 1024;
    this.maxValueBytes = options.maxValueBytes ?? 64 * 1024 * 1024;
    this.terminateStrings = options.terminateStrings ?? false;
    this.encodingOption = options.encoding;
  }

  private readonly encodingOption: RegEncoding | undefined;

  /** The encoding the bytes are read in (known after the first 4 bytes). */
  get encoding(): RegEncoding | undefined {
    return this.decoder?.encoding;
  }

  /** Feeds bytes; returns the operations completed by them. */
  push(chunk: Uint8Array): RegOperation[] {
    this.decoder ??= new RegDecoder(this.encodingOption);
    let text: string;
    try {
      text = this.decoder.push(chunk);
    } catch (error) {
      throw this.decodeError(error);
    }
    this.pushText(text);
    return this.take();
  }

  /** Feeds already decoded text (parseRegFile). */
  pushText(text: string): void {
    if (text.length === 0) return;
    if (!this.sawAnyText) {
      this.sawAnyText = true;
      // A BOM left in decoded text (TextDecoder keeps none; a caller's string may).
      if (text.charCodeAt(0) === 0xfeff) text = text.slice(1);
    }
    let start = 0;
    if (this.lastWasCR) {
      this.lastWasCR = false;
      if (text.charCodeAt(0) === 0x0a) start = 1;
    }
    const length = text.length;
    for (let i = start; i < length; i++) {
      const c = text.charCodeAt(i);
      if (c !== 0x0a && c !== 0x0d) continue;
      // Line ends as regedit splits them: CR LF, LF, or a lone CR (regedit.c test_basic_import, TestValue4).
      const line = this.partial === '' ? text.slice(start, i) : this.partial + text.slice(start, i);
      this.partial = '';
      this.checkLength(line.length);
      this.handleLine(line);
      if (c === 0x0d) {
        if (i + 1 < length) {
          if (text.charCodeAt(i + 1) === 0x0a) i++;
        } else this.lastWasCR = true;
      }
      start = i + 1;
    }
    if (start < length) {
      this.checkLength(this.partial.length + length - start);
      this.partial += text.slice(start);
    }
  }

  /** Ends the input; returns the last operations. @throws {RegFileSyntaxError} */
  end(): RegOperation[] {
    if (this.ended) return [];
    this.ended = true;
    if (this.decoder !== undefined) {
      let text: string;
      try {
        text = this.decoder.end();
      } catch (error) {
        throw this.decodeError(error);
      }
      this.pushText(text);
    }
    if (this.partial !== '') {
      const line = this.partial;
      this.partial = '';
      this.handleLine(line);
    }
    // A hex list continued past the last line is complete (regedit.c test_basic_import, Wine17a–e).
    if (this.hex !== undefined) this.finishHex();
    if (this.format === undefined && this.dialect === 'regedit') {
      throw this.error(Math.max(1, this.lineNumber), 1, `the file is empty: expected the header "${HEADER_V5}" or "${HEADER_REGEDIT4}"`);
    }
    this.format ??= 'v5';
    return this.take();
  }

  /** The operations completed so far, handed over once. */
  take(): RegOperation[] {
    const out = this.out;
    this.out = [];
    return out;
  }

  private decodeError(error: unknown): unknown {
    if (!(error instanceof RegDecodeProblem)) return error;
    // Place the bad byte in lines: CR and LF are single ASCII bytes in every 8-bit encoding and in UTF-8, so
    // the bytes of this chunk before it (not yet decoded) say how many lines further it is.
    let line = this.lineNumber + 1;
    let column = this.partial.length + 1;
    const decoder = this.decoder!;
    const before = error.byteOffset - decoder.lastStart;
    if (decoder.encoding !== 'utf-16le' && decoder.encoding !== 'utf-16be' && before > 0 && before <= decoder.lastBytes.length) {
      const bytes = decoder.lastBytes;
      for (let i = 0; i < before; i++) {
        const b = bytes[i]!;
        if (b === 0x0a || (b === 0x0d && bytes[i + 1] !== 0x0a)) {
          line++;
          column = 1;
        } else if (b !== 0x0d && (b & 0xc0) !== 0x80) column++;
      }
    }
    return this.error(line, column, `${error.reason}`);
  }

  private checkLength(length: number): void {
    if (length > this.maxLineLength) {
      throw this.error(
        this.lineNumber + 1,
        this.maxLineLength + 1,
        `line longer than ${this.maxLineLength} characters (maxLineLength); a .reg file wraps long hex lists with "\\"`,
      );
    }
  }

  private error(line: number, column: number, reason: string): RegFileSyntaxError {
    return new RegFileSyntaxError(this.file, line, column, reason);
  }

  private fail(column: number, reason: string): never {
    throw this.error(this.lineNumber, column + 1, reason);
  }

  private handleLine(raw: string): void {
    this.lineNumber++;
    if (this.format === undefined) this.header(raw);
    else {
      // regedit reads lines as NUL-terminated strings (regproc.c get_lineW), so a NUL cuts the line short there.
      const nul = this.dialect === 'regedit' ? raw.indexOf('\0') : -1;
      if (nul >= 0)
        this.fail(nul, 'a NUL character: regedit ends the line there (is the encoding right? UTF-16 read as 8-bit text has a NUL in every other byte)');
      this.body(raw);
    }
  }

  private header(raw: string): void {
    const first = skipBlanks(raw, 0);
    // Blank lines before the header: regedit reads only the first line, we allow them (an extension).
    if (first === raw.length) return;
    const end = trimBlanksEnd(raw, first);
    // Leading spaces and tabs: regedit skips them (regproc.c parse_file_header; regedit.c
    // test_import_with_whitespace). Trailing ones are our extension: regedit reads "REGEDIT4 " as a header
    // beginning with REGEDIT and imports nothing, without a word.
    const found = raw.slice(first, end);
    if (found === HEADER_V5) this.format = 'v5';
    else if (found === HEADER_REGEDIT4) this.format = 'regedit4';
    else if (this.dialect === 'hivex') {
      // hivexregedit skips header-like lines and needs none (Regedit.pm reg_import).
      this.format = 'v5';
      if (/^REGEDIT/.test(found) || found.includes('Windows Registry Editor Version')) return;
      this.body(raw);
    } else this.fail(first, this.headerProblem(found));
  }

  private headerProblem(found: string): string {
    let hint = '';
    const upper = found.toUpperCase();
    if (found.includes('\u0000')) hint = '; it holds NUL characters, so this is UTF-16 read as 8-bit text: name the encoding (utf-16le or utf-16be)';
    else if (/[\uFFFD\u00EF\u00FE\u00FF]/.test(found.slice(0, 3)) || found.includes('\uFFFD'))
      hint = '; its first characters are a byte-order mark or bytes the encoding could not read: the encoding named does not match the file';
    else if (/[\u0100-\uFFFF]/.test(found) && /^[\u0100-\uFFFF]+$/.test(found.slice(0, 4)))
      hint = '; it reads as CJK or other wide characters, so this is UTF-16 read with the wrong byte order: name the other one (utf-16le or utf-16be)';
    else if (upper === HEADER_V5.toUpperCase() || upper === HEADER_REGEDIT4) {
      // regedit.c test_invalid_import: "regedit4", "Regedit4", "WINDOWS REGISTRY EDITOR VERSION 5.00" and
      // "Windows Registry Editor version 5.00" import nothing on Windows.
      hint = `; it differs only in letter case, and regedit compares the header case-sensitively and imports nothing from such a file: write "${upper === HEADER_REGEDIT4 ? HEADER_REGEDIT4 : HEADER_V5}"`;
    } else if (found.startsWith('REGEDIT'))
      hint = '; regedit accepts a header that begins with REGEDIT but then imports nothing from the file (regedit.c test_invalid_import)';
    else if (found.startsWith('[')) hint = '; the header line is missing (for a file written by hivexregedit --export or for --merge, use the hivex dialect)';
    return `expected the header "${HEADER_V5}" or "${HEADER_REGEDIT4}", found ${shown(found, 60)}${this.encoding !== undefined ? ` (read as ${this.encoding})` : ''}${hint}`;
  }

  private body(raw: string): void {
    if (this.hex !== undefined) {
      this.continueHex(raw);
      return;
    }
    const i = skipBlanks(raw, 0);
    if (i === raw.length) return;
    const c = raw.charCodeAt(i);
    // ";" and "#" comment lines, indented or not (regedit.c test_comments).
    if (c === 0x3b || c === 0x23) return;
    if (c === 0x5b) {
      this.keyLine(raw, i);
      return;
    }
    let name: string;
    let j: number;
    if (c === 0x40) {
      name = '';
      j = i + 1;
    } else if (c === 0x22) {
      const quoted = this.quoted(raw, i + 1);
      if (quoted === undefined) this.fail(i, 'the value name has no closing quote');
      name = quoted.value;
      j = quoted.end;
    } else this.fail(i, `unexpected ${shown(raw.slice(i))}: expected a [key] line, a "name"= or @= value line, or a ";" comment`);
    j = skipBlanks(raw, j);
    if (raw.charCodeAt(j) !== 0x3d) this.fail(j, `expected "=" after the value name${j < raw.length ? `, found ${shown(raw.slice(j), 10)}` : ''}`);
    if (this.key === undefined) {
      this.fail(i, this.afterDelete ? 'a value line after a [-key] line has no key to go to (regedit drops it)' : 'a value line must follow a [key] line');
    }
    j = skipBlanks(raw, j + 1);
    // regedit trims trailing spaces and tabs of the data (regproc.c data_start_state).
    this.data(raw, j, trimBlanksEnd(raw, j), name);
  }

  private keyLine(raw: string, open: number): void {
    let s = open + 1;
    const deleting = raw.charCodeAt(s) === 0x2d;
    if (deleting) s++;
    const c = raw.charCodeAt(s);
    // "[ HKEY…]" and "[- HKEY…]" are not keys to regedit (regedit.c test_key_creation_and_deletion, Subkey1a/2a).
    if (c === SPACE || c === TAB) this.fail(s, `a space or tab after "${deleting ? '[-' : '['}" makes regedit ignore the line`);
    const close = raw.lastIndexOf(']');
    if (close < s) this.fail(raw.length, 'a key line needs a closing "]"');
    const after = skipBlanks(raw, close + 1);
    if (after < raw.length && raw.charCodeAt(after) !== 0x3b) this.fail(after, `unexpected ${shown(raw.slice(after))} after the closing "]"`);
    const keyPath = raw.slice(s, close);
    const path = hivePathOf(keyPath);
    if (path === undefined || (this.dialect === 'regedit' && keyPath.startsWith('\\'))) {
      const reason = keyPath.startsWith('\\')
        ? `"${keyPath}" is hivexregedit's hive-relative form; regedit needs a root key (HKEY_LOCAL_MACHINE\\…): use the hivex dialect for such files`
        : `${shown(keyPath, 60)} does not start with a root key (HKEY_LOCAL_MACHINE, HKEY_CURRENT_USER, HKEY_USERS, HKEY_CLASSES_ROOT, HKEY_CURRENT_CONFIG)${this.dialect === 'hivex' ? ' or "\\"' : ''}`;
      this.fail(s, reason);
    }
    if (deleting) {
      this.out.push({ kind: 'deleteKey', keyPath, path, line: this.lineNumber });
      this.key = undefined;
      this.afterDelete = true;
    } else {
      this.key = { keyPath, path };
      this.afterDelete = false;
      this.out.push({ kind: 'key', keyPath, path, line: this.lineNumber });
    }
  }

  /**
   * A quoted string from just after its opening quote. regedit: `\\` and `\"` are escapes, `\0` makes the
   * line invalid (regedit.c test_invalid_import_unicode, Wine33), and a backslash before any other character
   * is kept as is. hivex: a backslash escapes any character.
   */
  private quoted(raw: string, from: number): { value: string; end: number } | undefined {
    let value = '';
    let run = from;
    for (let i = from; i < raw.length; i++) {
      const c = raw.charCodeAt(i);
      if (c === 0x22) return { value: value + raw.slice(run, i), end: i + 1 };
      if (c !== 0x5c) continue;
      const next = raw.charCodeAt(i + 1);
      if (Number.isNaN(next)) return undefined;
      if (next === 0x5c || next === 0x22 || this.dialect === 'hivex') {
        value += raw.slice(run, i) + raw[i + 1]!;
        i++;
        run = i + 1;
      } else if (next === 0x30) this.fail(i, '"\\0" in a quoted string makes regedit drop the line (write a value holding NUL characters as hex(1):…)');
    }
    return undefined;
  }

  private emitValue(key: CurrentKey, name: string, type: number, data: Uint8Array, line: number): void {
    this.out.push({ kind: 'value', keyPath: key.keyPath, path: key.path, name, type, data, line });
  }

  private data(raw: string, j: number, end: number, name: string): void {
    const key = this.key!;
    const c = raw.charCodeAt(j);
    if (j >= end) this.fail(j, 'the value has no data (expected "string", dword:, hex:, hex(N): or -)');
    if (c === 0x2d) {
      // "name"=- deletes; only a ";" comment may follow (regedit.c test_value_deletion, Wine46d/f).
      const k = skipBlanks(raw, j + 1, end);
      if (k < end && raw.charCodeAt(k) !== 0x3b)
        this.fail(k, raw.charCodeAt(k) === 0x23 ? HASH_AFTER_VALUE : `unexpected ${shown(raw.slice(k, end))} after "-" (a deletion is "name"=-)`);
      this.out.push({ kind: 'deleteValue', keyPath: key.keyPath, path: key.path, name, line: this.lineNumber });
      return;
    }
    if (c === 0x22) {
      const quoted = this.quoted(raw, j + 1);
      if (quoted === undefined) this.fail(j, 'the string has no closing quote');
      this.trailer(raw, quoted.end, end);
      this.emitValue(key, name, ValueType.REG_SZ, encodeUtf16le(`${quoted.value}\0`), this.lineNumber);
      return;
    }
    // Type tags in any case: an extension — regedit compares them case-sensitively (regproc.c parse_data_type).
    const tag = raw.slice(j, Math.min(end, j + 6)).toLowerCase();
    if (tag.startsWith('dword:')) {
      this.dword(raw, j + 6, end, name);
      return;
    }
    if (tag.startsWith('hex:')) {
      this.hexStart(raw, j + 4, end, name, ValueType.REG_BINARY);
      return;
    }
    if (tag.startsWith('hex(')) {
      const { type, next } = this.typeNumber(raw, j + 4, end);
      this.hexStart(raw, next, end, name, type);
      return;
    }
    if (this.dialect === 'hivex' && tag.startsWith('str')) {
      // hivexregedit --unsafe-printable-strings: str:"…" is REG_SZ, str(N):"…" type N, stored as UTF-16LE + NUL.
      let type: number = ValueType.REG_SZ;
      let k = j + 3;
      if (raw.charCodeAt(k) === 0x28) ({ type, next: k } = this.typeNumber(raw, k + 1, end));
      else if (raw.charCodeAt(k) === 0x3a) k++;
      else this.fail(k, 'expected ":" or "(N):" after "str"');
      if (raw.charCodeAt(k) !== 0x22) this.fail(k, 'expected a quoted string');
      const quoted = this.quoted(raw, k + 1);
      if (quoted === undefined) this.fail(k, 'the string has no closing quote');
      this.trailer(raw, quoted.end, end);
      this.emitValue(key, name, type, encodeUtf16le(`${quoted.value}\0`), this.lineNumber);
      return;
    }
    this.fail(j, `unrecognised value data ${shown(raw.slice(j, end), 20)} (expected "string", dword:, hex:, hex(N): or -)`);
  }

  /** The N of hex(N): hex digits up to ffffffff, then "):" (regedit.c test_basic_import, Wine13a–l). */
  private typeNumber(raw: string, from: number, end: number): { type: number; next: number } {
    let k = from;
    let value = 0;
    while (k < end && hexDigit(raw.charCodeAt(k)) >= 0) {
      value = value * 16 + hexDigit(raw.charCodeAt(k));
      k++;
    }
    if (k === from) this.fail(from, 'expected the value type as hex digits, e.g. hex(2): (no "0x")');
    if (value > 0xffffffff) this.fail(from, `value type ${raw.slice(from, k)} is larger than ffffffff`);
    if (raw.charCodeAt(k) !== 0x29 || raw.charCodeAt(k + 1) !== 0x3a) this.fail(k, `expected "):" after the value type, found ${shown(raw.slice(k, end), 8)}`);
    return { type: value, next: k + 2 };
  }

  /** Only spaces, tabs and a ";" comment may follow a value (regedit.c test_comments, Wine3–6, Wine26). */
  private trailer(raw: string, from: number, end: number): void {
    const k = skipBlanks(raw, from, end);
    if (k >= end || raw.charCodeAt(k) === 0x3b) return;
    if (raw.charCodeAt(k) === 0x23) this.fail(k, HASH_AFTER_VALUE);
    this.fail(k, `unexpected ${shown(raw.slice(k, end))} after the value`);
  }

  /** dword: then 1 to 8 hex digits, blanks allowed before them (regedit.c Wine8a/b, Wine9a/b, Test12–14). */
  private dword(raw: string, from: number, end: number, name: string): void {
    const s = skipBlanks(raw, from, end);
    let k = s;
    while (k < end && hexDigit(raw.charCodeAt(k)) >= 0) k++;
    if (k === s) this.fail(s, s < end ? `${shown(raw[s]!)} is not a hex digit: dword: takes 1 to 8 hex digits` : 'dword: takes 1 to 8 hex digits');
    if (k - s > 8) this.fail(s + 8, `dword: takes at most 8 hex digits, this one has ${k - s} (a 64-bit number is written hex(b):…)`);
    this.trailer(raw, k, end);
    const value = parseInt(raw.slice(s, k), 16) >>> 0;
    this.emitValue(
      this.key!,
      name,
      ValueType.REG_DWORD,
      Uint8Array.of(value & 0xff, (value >>> 8) & 0xff, (value >>> 16) & 0xff, value >>> 24),
      this.lineNumber,
    );
  }

  private hexStart(raw: string, from: number, end: number, name: string, type: number): void {
    this.hex = { key: this.key!, name, type, bytes: new Bytes(this.maxValueBytes), line: this.lineNumber };
    if (this.hexItems(raw, from, end)) this.finishHex();
  }

  /**
   * Comma-separated bytes of one to two hex digits, as regproc.c convert_hex_csv_to_hex reads them: blanks
   * may precede a byte, a trailing comma is fine, "\" continues the list on the next line only where a byte
   * would start (after a comma or at the start), and only blanks and a ";" comment may follow it
   * (regedit.c Wine10–12, Wine14, Wine28, Test19–21, Wine23). Returns true when the list is complete.
   */
  private hexItems(raw: string, from: number, end: number): boolean {
    const pending = this.hex!;
    let k = from;
    for (;;) {
      const p = skipBlanks(raw, k, end);
      if (p >= end) return true;
      const c = raw.charCodeAt(p);
      if (c === 0x5c) {
        const q = skipBlanks(raw, p + 1, end);
        if (q < end && raw.charCodeAt(q) !== 0x3b) {
          this.fail(
            q,
            raw.charCodeAt(q) === 0x23
              ? 'a "#" after the line continuation "\\" makes regedit drop the value (use ";")'
              : `only a ";" comment may follow the line continuation "\\", found ${shown(raw.slice(q, end))}`,
          );
        }
        return false;
      }
      if (c === 0x3b) return true;
      if (hexDigit(c) < 0) this.fail(p, c === 0x2c ? 'a comma where a hex byte should be (an empty item)' : `${shown(raw[p]!)} is not a hex digit`);
      let q = p + 1;
      while (q < end && hexDigit(raw.charCodeAt(q)) >= 0) q++;
      if (q - p > 2) this.fail(p, `"${raw.slice(p, q)}" is not a byte: a hex list holds bytes 00 to ff, separated by commas`);
      const byte = q - p === 1 ? hexDigit(c) : hexDigit(c) * 16 + hexDigit(raw.charCodeAt(p + 1));
      if (!pending.bytes.push(byte)) this.fail(p, `the value is larger than ${this.maxValueBytes} bytes (maxValueBytes)`);
      if (raw.charCodeAt(q) === 0x2c) {
        k = q + 1;
        continue;
      }
      const r = skipBlanks(raw, q, end);
      if (r >= end || raw.charCodeAt(r) === 0x3b) return true;
      const after = raw.charCodeAt(r);
      if (after === 0x5c) this.fail(r, 'the line continuation "\\" must follow a comma');
      if (after === 0x23) this.fail(r, HASH_AFTER_VALUE);
      this.fail(r, `expected "," after the byte "${raw.slice(p, q)}", found ${shown(raw.slice(r, end))}`);
    }
  }

  /**
   * A line after "\": blank lines and ";" comment lines in between are skipped, a "#" line makes the value
   * invalid, and the line must start with a hex digit (regedit.c Multi-Line1–6, Wine10a/b, Wine24, Wine29a–d).
   */
  private continueHex(raw: string): void {
    const p = skipBlanks(raw, 0);
    if (p === raw.length) return;
    const c = raw.charCodeAt(p);
    if (c === 0x3b) return;
    const from = `the hex list of line ${this.hex!.line} continues here`;
    if (c === 0x23) this.fail(p, `${from}: a "#" comment line inside it makes regedit drop the value (use ";")`);
    if (c === 0x2c) this.fail(p, `${from}: a continuation line cannot start with a comma`);
    if (hexDigit(c) < 0)
      this.fail(p, `${from}, but the line starts with ${shown(raw.slice(p))}, not a hex byte (the last line of the list must not end with "\\")`);
    if (this.hexItems(raw, p, trimBlanksEnd(raw, p))) this.finishHex();
  }

  private finishHex(): void {
    const pending = this.hex!;
    this.hex = undefined;
    let data = pending.bytes.take();
    // REGEDIT4 holds hex(1), hex(2) and hex(7) strings as 8-bit characters of the ANSI code page, which
    // regedit widens (regproc.c prepare_hex_string_data; regedit.c Wine9a, Wine11, Wine18, Wine20–21).
    const stringType = pending.type === ValueType.REG_SZ || pending.type === ValueType.REG_EXPAND_SZ || pending.type === ValueType.REG_MULTI_SZ;
    if (this.format === 'regedit4' && stringType) data = widen(data);
    if (this.terminateStrings && stringType && data.length > 0 && data.length % 2 === 0 && (data[data.length - 1]! | data[data.length - 2]!) !== 0) {
      const terminated = new Uint8Array(data.length + 2);
      terminated.set(data);
      data = terminated;
    }
    this.emitValue(pending.key, pending.name, pending.type, data, pending.line);
  }
}

/** 8-bit Windows-1252 text → UTF-16LE, one unit per byte (the ANSI code page the file's text is read in). */
function widen(bytes: Uint8Array): Uint8Array {
  return encodeUtf16le(decodeWindows1252(bytes));
}

/**
 * Parses a .reg file from chunks of bytes (any sizes, any boundaries), yielding operations as lines complete.
 * Memory is bounded by the chunk size, maxLineLength and maxValueBytes; time is linear in the file. Nothing is
 * applied here: a caller validates by running this to the end once (a syntax error throws), then runs it again
 * over the same bytes to apply (pass the encoding detectRegEncoding found, so both passes read the same text).
 * @throws {RegFileSyntaxError} with file, line and column, also for encoding problems (an odd trailing byte of
 *   UTF-16, invalid UTF-8 after a UTF-8 BOM)
 */
export function* parseRegChunks(chunks: Iterable<Uint8Array>, options: RegParseOptions = {}): Generator<RegOperation, RegFileFormat, undefined> {
  const parser = new RegStreamParser(options);
  for (const chunk of chunks) yield* parser.push(chunk);
  yield* parser.end();
  return parser.format!;
}

/** parseRegChunks over an async source (a Node ReadStream, a web ReadableStream), same rules and bounds. */
export async function* parseRegChunksAsync(
  chunks: AsyncIterable<Uint8Array>,
  options: RegParseOptions = {},
): AsyncGenerator<RegOperation, RegFileFormat, undefined> {
  const parser = new RegStreamParser(options);
  for await (const chunk of chunks) yield* parser.push(chunk);
  yield* parser.end();
  return parser.format!;
}

/**
 * Parses a whole .reg text that is already decoded (decodeRegFile).
 * @throws {RegFileSyntaxError} with file, line and column
 */
export function parseRegFile(text: string, file = '<reg>', options: Omit<RegParseOptions, 'file' | 'encoding'> = {}): ParsedRegFile {
  const parser = new RegStreamParser({ ...options, file });
  parser.pushText(text);
  const operations = parser.take();
  for (const operation of parser.end()) operations.push(operation);
  return { format: parser.format!, operations };
}
