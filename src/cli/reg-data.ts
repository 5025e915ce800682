import { ValueType, decodeUtf16le, encodeUtf16le } from '../hive/index.js';

/**
 * The bytes `reg add /t TYPE [/s SEP] [/d DATA]` stores, and the text `reg query` prints for a value.
 *
 * Primary sources (Wine's reg.exe and its conformance tests, which also run against Windows' reg.exe):
 * - ADD_TESTS = wine-mirror/wine programs/reg/tests/add.c@ddf3b4d6d955babf4563147ece69d40a6713c077.
 *   Its verify_reg() reads values back with RegQueryValueExA, so for REG_SZ/REG_EXPAND_SZ/REG_MULTI_SZ
 *   the sizes it expects are ANSI character counts; the stored UTF-16LE data is twice that (all test
 *   data is ASCII). REG_NONE is not converted by the A API, so its sizes are the stored bytes.
 * - ADD_SOURCE = wine-mirror/wine programs/reg/add.c@a40df0be47848c0a73d91033a71326c1eb153581
 *   (get_regdata, run_add), for the forms the tests do not cover; such choices are marked "Wine only".
 * - TYPES = wine-mirror/wine programs/reg/reg.c@0a95b94f0969362708c569936450c1f58f95ab09 (type_rels).
 * - QUERY_SOURCE = Wine programs/reg/query.c as mirrored in willfaust/wine@0224441925d485ceca06101e2ed9b99848fffa10
 *   (reg_data_to_wchar, output_value), and QUERY_TESTS = wine-mirror/wine
 *   programs/reg/tests/query.c@0a95b94f0969362708c569936450c1f58f95ab09.
 *
 * Nothing here touches a hive: it is pure text ⇄ bytes, so the CLI can validate every argument before it
 * opens (or locks) a file.
 */

export type RegDataErrorCode =
  /** A malformed switch argument (only /s here): reg.exe answers `ERROR: Invalid syntax.` */
  | 'syntax'
  /** /t names a type reg add does not accept. */
  | 'type'
  /** /t REG_DWORD or REG_DWORD_BIG_ENDIAN without /d. */
  | 'missing-data'
  /** /d is not a number of the type's width. */
  | 'number'
  /** /d is not hex digits (REG_BINARY). */
  | 'hex'
  /** /d has an empty string inside a REG_MULTI_SZ list. */
  | 'multi-sz'
  /** /d holds a U+0000 character, which no command line can carry. */
  | 'nul';

/**
 * Refused `reg add` data. reg.exe exits with 1 for every one of these (ADD_TESTS, e.g. lines 598, 661,
 * 692, 901, 936) and writes nothing. The first line of `message` is what to print; later lines name the
 * offending token and what to type instead.
 */
export class RegDataError extends Error {
  readonly exitCode = 1;
  constructor(
    readonly code: RegDataErrorCode,
    message: string,
    /** The argument that was refused, as given. */
    readonly token: string,
  ) {
    super(message);
    this.name = 'RegDataError';
  }
}

/**
 * The /t names reg add accepts (TYPES: type_rels), in reg.exe's own spelling. Microsoft's reg add page also
 * lists REG_LINK and REG_FULL_RESOURCE_DESCRIPTOR, but no test shows what Windows stores for them, and Wine
 * refuses them; we refuse them too rather than guess the bytes. REG_NONE and REG_QWORD are absent from
 * that page yet accepted by Windows (ADD_TESTS lines 429, 778).
 */
export const REG_ADD_TYPE_NAMES: readonly string[] = [
  'REG_NONE',
  'REG_SZ',
  'REG_EXPAND_SZ',
  'REG_BINARY',
  'REG_DWORD',
  'REG_DWORD_LITTLE_ENDIAN',
  'REG_DWORD_BIG_ENDIAN',
  'REG_QWORD',
  'REG_MULTI_SZ',
];

const ADD_TYPES: ReadonlyMap<string, number> = new Map([
  ['REG_NONE', ValueType.REG_NONE],
  ['REG_SZ', ValueType.REG_SZ],
  ['REG_EXPAND_SZ', ValueType.REG_EXPAND_SZ],
  ['REG_BINARY', ValueType.REG_BINARY],
  ['REG_DWORD', ValueType.REG_DWORD],
  ['REG_DWORD_LITTLE_ENDIAN', ValueType.REG_DWORD],
  ['REG_DWORD_BIG_ENDIAN', ValueType.REG_DWORD_BIG_ENDIAN],
  ['REG_QWORD', ValueType.REG_QWORD],
  ['REG_MULTI_SZ', ValueType.REG_MULTI_SZ],
]);

/** ASCII-only upper case: wcsicmp in the C locale folds only A–Z (JavaScript would map 'ſ' to 'S'). */
function asciiUpper(text: string): string {
  return text.replace(/[a-z]/g, (c) => String.fromCharCode(c.charCodeAt(0) - 32));
}

/**
 * The type number for a /t argument, or undefined when reg add refuses it. The match is the whole name,
 * ASCII case-insensitive (ADD_TESTS lines 546 `REG_EXpand_sz`, 670 `reg_dword`, 805 `reg_qword`); an empty
 * name is refused (line 282); numbers such as `4` or `0x4` are not names and are refused (TYPES has names
 * only). REG_DWORD_LITTLE_ENDIAN is REG_DWORD (4) (line 728).
 */
export function typeFromName(text: string): number | undefined {
  return ADD_TYPES.get(asciiUpper(text));
}

function syntax(detail: string, token: string): RegDataError {
  return new RegDataError('syntax', `ERROR: Invalid syntax.\n${detail}`, token);
}

/** C's isspace() in the C locale: what wcstoul skips before the number (ADD_SOURCE get_regdata). */
const C_SPACE = /^[ \t\n\v\f\r]*/;

/**
 * /d for REG_DWORD (bits 32) and REG_QWORD (bits 64) as ADD_SOURCE get_regdata reads it: base 16 exactly
 * when the second character of /d is x or X (so `0x1f`, `0X123` (line 709) are hex, but `00x123` (line 706)
 * is decimal and fails on the x); otherwise base 10, so a leading zero is not octal (`0123` is 123, line
 * 675). Anything left after the digits fails (`123xyz`, line 667; `0xabcdefg`, line 684; `deadbeef`, 664).
 * More than the width fails (`4294967296` line 714, `0x01ffffffff` line 698, `18446744073709551616` line
 * 847). A minus sign fails for REG_DWORD (`-1`, line 692) but wraps for REG_QWORD (`-1` is
 * 0xffffffffffffffff, line 823), as C's strtoull does; `-0x1` fails for both (lines 695, 828) because the
 * second character is `0`, not x.
 * Wine only: leading blanks and a `+` are skipped (wcstoul); a /d of "" is 0 (wcstoul reads no digits and
 * leaves nothing behind), but blanks alone fail. For REG_DWORD a `-` after leading blanks is refused like one at the start (Wine
 * would wrap it; we refuse rather than store 0xffffffff for a typo).
 */
function parseNumber(data: string, bits: 32 | 64, typeName: string): bigint {
  const fail = (): RegDataError => {
    const range = bits === 32 ? '0 to 4294967295' : '0 to 18446744073709551615, or -1 for all ones';
    return new RegDataError(
      'number',
      `ERROR: /d "${data}" is not ${typeName} data.\nUse a decimal number (${range}) or 0x followed by hex digits, e.g. /d 42 or /d 0x2a.`,
      data,
    );
  };
  const hex = data.length > 1 && (data[1] === 'x' || data[1] === 'X');
  let rest = data.replace(C_SPACE, '');
  let negative = false;
  if (rest.startsWith('+') || rest.startsWith('-')) {
    negative = rest.startsWith('-');
    rest = rest.slice(1);
  }
  if (negative && bits === 32) throw fail();
  if (hex && /^0[xX]/.test(rest)) rest = rest.slice(2);
  if (!(hex ? /^[0-9a-fA-F]*$/ : /^[0-9]*$/).test(rest)) throw fail();
  // wcstoul with no digits at all returns 0 and points back at the very start, blanks included: only an
  // empty /d leaves nothing behind (" ", "+" and a bare "0x" fail).
  if (rest === '') {
    if (data !== '') throw fail();
    return 0n;
  }
  const magnitude = BigInt(hex ? `0x${rest}` : rest);
  const limit = 1n << BigInt(bits);
  if (magnitude >= limit) throw fail();
  return negative ? (limit - magnitude) % limit : magnitude;
}

/** The value of one hex digit, or -1 (ADD_SOURCE hexchar_to_byte). */
function hexDigit(code: number): number {
  if (code >= 0x30 && code <= 0x39) return code - 0x30;
  if (code >= 0x61 && code <= 0x66) return code - 0x61 + 10;
  if (code >= 0x41 && code <= 0x46) return code - 0x41 + 10;
  return -1;
}

/**
 * REG_BINARY /d: hex digits only, no 0x, blanks or commas (`0xDeAdBeEf` line 598, `x01` line 601, `01x`
 * line 604 fail). An odd count is padded with a leading zero nibble: `DeAdBeEf0DD` is 0d ea db ee f0 dd
 * (line 607–620). Empty or absent /d stores zero bytes (lines 579, 623).
 */
function encodeBinary(data: string): Uint8Array {
  const out = new Uint8Array((data.length + 1) >> 1);
  let i = 0;
  let o = 0;
  const bad = (): RegDataError =>
    new RegDataError('hex', `ERROR: /d "${data}" is not REG_BINARY data.\nUse hex digits only, without 0x, spaces or commas, e.g. /d fe340ead.`, data);
  if (data.length % 2 === 1) {
    const nibble = hexDigit(data.charCodeAt(i++));
    if (nibble < 0) throw bad();
    out[o++] = nibble;
  }
  for (; i + 1 < data.length; i += 2) {
    const high = hexDigit(data.charCodeAt(i));
    const low = hexDigit(data.charCodeAt(i + 1));
    if (high < 0 || low < 0) throw bad();
    out[o++] = (high << 4) | low;
  }
  return out;
}

/**
 * REG_MULTI_SZ /d split into its strings. Without /s the separator is the two characters `\0` (line 881);
 * with /s it is that one character and a literal `\0` is kept as text (lines 947, 951, 955). A separator
 * at the very end ends the list (`a#` → "a", line 919; `a\0` → "a", line 932). Any other empty string is
 * refused: `##` (910), `two##strings` (913), `#a` (916), `\0a` (929), `two\0\0strings` (936) — except a /d
 * that is exactly one separator, which stores one empty string (`#` line 939, `\0` line 943).
 * Empty or absent /d stores the empty list: a single NUL (lines 871, 889, 893).
 */
function encodeMultiSz(data: string, separator: string | undefined): Uint8Array {
  if (data === '') return new Uint8Array(2);
  const items: string[] = [];
  let current = '';
  for (let i = 0; i < data.length; i++) {
    if (separator === undefined ? data[i] === '\\' && data[i + 1] === '0' : data[i] === separator) {
      items.push(current);
      current = '';
      if (separator === undefined) i++;
    } else {
      current += data[i];
    }
  }
  items.push(current);
  if (items[items.length - 1] === '') items.pop();
  const lone = items.length === 1 && items[0] === '';
  if (!lone && items.some((item) => item === '')) {
    const shown = separator === undefined ? '\\0' : separator;
    throw new RegDataError(
      'multi-sz',
      `ERROR: /d "${data}" has an empty string inside a REG_MULTI_SZ list.\nSeparate strings with a single ${shown}; only the end of /d may have one.`,
      data,
    );
  }
  return encodeUtf16le(`${items.map((item) => `${item}\0`).join('')}\0`);
}

/**
 * The bytes `reg add /t TYPE [/s SEPARATOR] [/d DATA]` stores. `data` is undefined when /d is absent
 * (which differs from `/d ""` only for the DWORD types); `separator` is undefined when /s is absent.
 * Throws RegDataError (exit code 1) for everything reg.exe refuses.
 *
 * - REG_SZ, REG_EXPAND_SZ, REG_NONE: the UTF-16LE text plus one NUL, `\0` kept literally (lines 416, 441,
 *   487, 508); no /d is just the NUL (lines 431, 458, 536). REG_NONE is stored as text, not hex.
 * - REG_DWORD, REG_DWORD_BIG_ENDIAN: 4 bytes little-endian — also for BIG_ENDIAN, which Windows stores like
 *   an ordinary REG_DWORD (lines 737–764); /d is required (lines 651, 657, 745, 751).
 * - REG_QWORD: 8 bytes little-endian; no /d stores 0 (lines 783, 791).
 * - REG_BINARY, REG_MULTI_SZ: see encodeBinary and encodeMultiSz.
 * /s must be exactly one character whatever the type (lines 901, 904, 907: `#randomgibberish`, `\0`, "").
 */
export function encodeRegAddData(type: number, data: string | undefined, separator?: string): Uint8Array {
  if (separator !== undefined && separator.length !== 1) {
    throw syntax(`/s takes exactly one character (got "${separator}"), e.g. /s #.`, separator);
  }
  if (data?.includes('\0')) {
    throw new RegDataError('nul', 'ERROR: /d contains a NUL character, which reg.exe cannot receive.', data);
  }
  switch (type) {
    case ValueType.REG_NONE:
    case ValueType.REG_SZ:
    case ValueType.REG_EXPAND_SZ:
      return encodeUtf16le(`${data ?? ''}\0`);
    case ValueType.REG_DWORD:
    case ValueType.REG_DWORD_BIG_ENDIAN: {
      const name = type === ValueType.REG_DWORD ? 'REG_DWORD' : 'REG_DWORD_BIG_ENDIAN';
      if (data === undefined) {
        throw new RegDataError('missing-data', `ERROR: /t ${name} needs /d DATA.\nGive the number, e.g. /d 1 or /d 0x1f.`, name);
      }
      const out = new Uint8Array(4);
      new DataView(out.buffer).setUint32(0, Number(parseNumber(data, 32, name)), true);
      return out;
    }
    case ValueType.REG_QWORD: {
      const out = new Uint8Array(8);
      new DataView(out.buffer).setBigUint64(0, parseNumber(data ?? '', 64, 'REG_QWORD'), true);
      return out;
    }
    case ValueType.REG_BINARY:
      return encodeBinary(data ?? '');
    case ValueType.REG_MULTI_SZ:
      return encodeMultiSz(data ?? '', separator);
    default:
      throw new RegDataError('type', `ERROR: reg add cannot write type ${type}.\nUse /t with one of ${REG_ADD_TYPE_NAMES.join(', ')}.`, String(type));
  }
}

/** What `reg add` writes, resolved from its switches (all optional, as given on the command line). */
export interface RegAddSwitches {
  /** /v NAME */
  v?: string;
  /** /ve */
  ve?: boolean;
  /** /t TYPE (absent: REG_SZ) */
  t?: string;
  /** /s SEPARATOR */
  s?: string;
  /** /d DATA */
  d?: string;
}

export interface RegAddValue {
  /** '' is the (Default) value. */
  name: string;
  type: number;
  data: Uint8Array;
}

/**
 * The value `reg add KEY …` writes. reg.exe always writes one: with neither /v nor /ve it is the (Default)
 * value, so a bare `reg add KEY /f` resets (Default) to an empty REG_SZ and `reg add KEY /t REG_DWORD /d 5`
 * sets (Default) (ADD_TESTS lines 349–367, 389–416, 462; ADD_SOURCE run_add). /v with /ve is a syntax error
 * (line 258). Whether an existing value may be overwritten (/f, or a prompt) is the caller's business.
 */
export function resolveRegAdd(switches: RegAddSwitches): RegAddValue {
  if (switches.v !== undefined && switches.ve === true) throw syntax('/v and /ve cannot both be given.', '/ve');
  const typeText = switches.t ?? 'REG_SZ';
  const type = typeFromName(typeText);
  if (type === undefined) {
    throw new RegDataError('type', `ERROR: Invalid type "${typeText}" for /t.\nUse one of ${REG_ADD_TYPE_NAMES.join(', ')}.`, typeText);
  }
  return { name: switches.v ?? '', type, data: encodeRegAddData(type, switches.d, switches.s) };
}

/** The type names reg query prints (QUERY_SOURCE reg_type_to_wchar over TYPES: 4 prints as REG_DWORD). */
const QUERY_TYPE_NAMES: ReadonlyMap<number, string> = new Map(Object.entries(ValueType).map(([name, type]) => [type as number, name]));

/**
 * The type column of `reg query`. Types beyond TYPES (REG_LINK, the REG_RESOURCE_* types) keep their
 * winnt.h names; Wine prints nothing usable for them and no test shows Windows' output. A number no name
 * fits prints as 0x… (our choice, unchanged from reg.ts).
 */
export function queryTypeName(type: number): string {
  return QUERY_TYPE_NAMES.get(type) ?? `0x${(type >>> 0).toString(16)}`;
}

function upperHex(data: Uint8Array): string {
  let out = '';
  for (const byte of data) out += byte.toString(16).toUpperCase().padStart(2, '0');
  return out;
}

function utf16UpToNul(data: Uint8Array): string {
  const text = decodeUtf16le(data, 0, data.length);
  const nul = text.indexOf('\0');
  return nul >= 0 ? text.slice(0, nul) : text;
}

/**
 * The data column of `reg query` (QUERY_SOURCE reg_data_to_wchar):
 * - REG_SZ, REG_EXPAND_SZ: the text up to its first NUL.
 * - REG_NONE, REG_BINARY: every byte as two upper-case hex digits, nothing between; empty data prints "".
 * - REG_DWORD, REG_DWORD_BIG_ENDIAN: `0x` and lower-case hex without padding of the little-endian number
 *   (`0x123`, `0xabc`: QUERY_TESTS lines 152, 168). BIG_ENDIAN is read little-endian too, matching how
 *   reg add stores it.
 * - REG_MULTI_SZ: the strings joined by the two characters `\0`, the list terminator dropped; 4 bytes or
 *   fewer print "". (Wine drops the last two units blindly; we drop at most two trailing NULs, which is
 *   the same for well-formed data and keeps the text of a list missing its terminator.)
 * - REG_QWORD: `0x` and lower-case hex of the little-endian 64-bit number. Wine's query.c has no case for
 *   it; this is our choice by analogy with REG_DWORD.
 * - A DWORD or QWORD of the wrong size, REG_LINK's siblings, and unknown types print as hex like
 *   REG_BINARY; REG_LINK prints as text (unchanged from reg.ts; no source shows Windows' output).
 */
export function formatQueryData(type: number, data: Uint8Array, separator = '\\0'): string {
  const view = new DataView(data.buffer, data.byteOffset, data.byteLength);
  switch (type) {
    case ValueType.REG_SZ:
    case ValueType.REG_EXPAND_SZ:
    case ValueType.REG_LINK:
      return utf16UpToNul(data);
    case ValueType.REG_DWORD:
    case ValueType.REG_DWORD_BIG_ENDIAN:
      if (data.length === 4) return `0x${view.getUint32(0, true).toString(16)}`;
      break;
    case ValueType.REG_QWORD:
      if (data.length === 8) return `0x${view.getBigUint64(0, true).toString(16)}`;
      break;
    case ValueType.REG_MULTI_SZ: {
      if (data.length <= 4) return '';
      let text = decodeUtf16le(data, 0, data.length);
      for (let n = 0; n < 2 && text.endsWith('\0'); n++) text = text.slice(0, -1);
      return text.split('\0').join(separator);
    }
  }
  return upperHex(data);
}

/**
 * One value line of `reg query`: four spaces before each of name, type and data (QUERY_TESTS lines 151–152;
 * QUERY_SOURCE output_value); the unnamed value is `(Default)`. No line ending: Windows ends lines with
 * CR LF, the CLI chooses its own.
 */
export function formatQueryValueLine(name: string, type: number, data: Uint8Array, options: { z?: boolean; separator?: string } = {}): string {
  // /z adds the type's number after its name; /se SEP joins REG_MULTI_SZ items with SEP instead of \0.
  const shownType = options.z ? `${queryTypeName(type)} (${type})` : queryTypeName(type);
  return `    ${name === '' ? '(Default)' : name}    ${shownType}    ${formatQueryData(type, data, options.separator)}`;
}

/**
 * The line `reg query KEY /ve` prints (after the key line) when the key has no (Default) value; the exit code
 * stays 0 (QUERY_SOURCE query_value; QUERY_TESTS test_query runs `reg query KEY /ve` on such a key and
 * expects exit 0). A named value that is missing is an error instead (exit 1).
 */
export const QUERY_VALUE_NOT_SET_LINE = '    (Default)    REG_SZ    (value not set)';
