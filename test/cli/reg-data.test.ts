import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { ValueType, encodeUtf16le } from '../../src/hive/index.js';
import {
  QUERY_VALUE_NOT_SET_LINE,
  RegDataError,
  encodeRegAddData,
  formatQueryData,
  formatQueryValueLine,
  queryTypeName,
  resolveRegAdd,
  typeFromName,
} from '../../src/cli/reg-data.js';
import type { RegDataErrorCode } from '../../src/cli/reg-data.js';

/**
 * Every row cites the line of Wine's reg.exe conformance test (which also passes against Windows' reg.exe)
 * that shows the behaviour, or — marked WINE_SRC — the part of Wine's implementation that decides a form
 * no test covers.
 */
const ADD = 'programs/reg/tests/add.c@ddf3b4d6d955babf4563147ece69d40a6713c077';
const WINE_SRC = 'programs/reg/add.c@a40df0be47848c0a73d91033a71326c1eb153581:get_regdata';
const TYPES = 'programs/reg/reg.c@0a95b94f0969362708c569936450c1f58f95ab09:type_rels';
const QUERY = 'programs/reg/tests/query.c@0a95b94f0969362708c569936450c1f58f95ab09';
const QUERY_SRC = 'willfaust/wine@0224441925d485ceca06101e2ed9b99848fffa10 programs/reg/query.c';

const hex = (bytes: Uint8Array): string => Array.from(bytes, (b) => b.toString(16).padStart(2, '0')).join(' ');
/** UTF-16LE bytes of `text`, as hex. */
const u16 = (text: string): string => hex(Uint8Array.from([...text].flatMap((c) => [c.charCodeAt(0) & 0xff, c.charCodeAt(0) >> 8])));
const le32 = (n: number): string => {
  const b = new Uint8Array(4);
  new DataView(b.buffer).setUint32(0, n, true);
  return hex(b);
};
const le64 = (n: bigint): string => {
  const b = new Uint8Array(8);
  new DataView(b.buffer).setBigUint64(0, n, true);
  return hex(b);
};
const bytes = (spaced: string): Uint8Array => Uint8Array.from(spaced.split(' ').filter(Boolean), (x) => parseInt(x, 16));

interface AddRow {
  /** Where the fact comes from: a line of ADD, or WINE_SRC. */
  at: number | 'src';
  t: string;
  d?: string;
  s?: string;
  /** Expected stored bytes (hex, space-separated)… */
  bytes?: string;
  /**
   * …and the size the Wine test checks with RegQueryValueExA: ANSI characters for the string types
   * (half the UTF-16 bytes stored), bytes otherwise. Omitted for rows that are not from a test.
   */
  size?: number;
  /** …or the refusal. */
  error?: RegDataErrorCode;
}

const STRING_TYPES = new Set(['REG_SZ', 'REG_EXPAND_SZ', 'REG_MULTI_SZ']);

// prettier-ignore
const ADD_ROWS: AddRow[] = [
  // REG_NONE: the text plus NUL, like REG_SZ — not hex.
  { at: 409, t: 'REG_NONE', d: 'Test', bytes: u16('Test\0'), size: 10 },
  { at: 429, t: 'REG_NONE', bytes: '00 00', size: 2 },
  { at: 435, t: 'REG_NONE', bytes: '00 00', size: 2 },
  { at: 439, t: 'REG_NONE', d: 'deadbeef', bytes: u16('deadbeef\0'), size: 18 },
  { at: 443, t: 'REG_NONE', bytes: '00 00', size: 2 },
  // REG_SZ
  { at: 373, t: 'REG_SZ', d: 'Just me here', bytes: u16('Just me here\0'), size: 13 },
  { at: 458, t: 'REG_SZ', bytes: u16('\0'), size: 1 },
  { at: 481, t: 'REG_SZ', bytes: u16('\0'), size: 1 },
  { at: 500, t: 'REG_SZ', d: '', bytes: u16('\0'), size: 1 },
  { at: 504, t: 'REG_SZ', d: 'Value', bytes: u16('Value\0'), size: 6 },
  { at: 508, t: 'REG_SZ', d: 'foo\\0bar', bytes: u16('foo\\0bar\0'), size: 9 },
  { at: 517, t: 'REG_SZ', d: 'one/two/three', bytes: u16('one/two/three\0'), size: 14 },
  // REG_EXPAND_SZ
  { at: 536, t: 'REG_EXPAND_SZ', bytes: u16('\0'), size: 1 },
  { at: 546, t: 'REG_EXpand_sz', d: 'dead%PATH%beef', bytes: u16('dead%PATH%beef\0'), size: 15 },
  { at: 550, t: 'REG_EXpand_sz', d: 'dead^%PATH^%beef', bytes: u16('dead^%PATH^%beef\0'), size: 17 },
  { at: 558, t: 'REG_EXPAND_SZ', d: 'WineTEST', bytes: u16('WineTEST\0'), size: 9 },
  { at: 562, t: 'REG_EXPAND_SZ', d: '', bytes: u16('\0'), size: 1 },
  // REG_BINARY
  { at: 579, t: 'REG_BINARY', bytes: '', size: 0 },
  { at: 589, t: 'REG_BINARY', d: 'deadbeef', bytes: 'de ad be ef', size: 4 },
  { at: 598, t: 'REG_BINARY', d: '0xDeAdBeEf', error: 'hex' },
  { at: 601, t: 'REG_BINARY', d: 'x01', error: 'hex' },
  { at: 604, t: 'REG_BINARY', d: '01x', error: 'hex' },
  { at: 607, t: 'REG_BINARY', d: 'DeAdBeEf0DD', bytes: '0d ea db ee f0 dd', size: 6 },
  { at: 623, t: 'REG_BINARY', d: '', bytes: '', size: 0 },
  { at: 'src', t: 'REG_BINARY', d: 'de ad', error: 'hex' },
  { at: 'src', t: 'REG_BINARY', d: 'de,ad', error: 'hex' },
  { at: 'src', t: 'REG_BINARY', d: 'F', bytes: '0f' },
  // REG_DWORD
  { at: 359, t: 'REG_DWORD', d: '0x5', bytes: le32(5), size: 4 },
  { at: 642, t: 'REG_DWORD', d: '12345678', bytes: le32(12345678), size: 4 },
  { at: 651, t: 'REG_DWORD', error: 'missing-data' },
  { at: 657, t: 'REG_DWORD', error: 'missing-data' },
  { at: 661, t: 'REG_DWORD', d: 'zzz', error: 'number' },
  { at: 664, t: 'REG_DWORD', d: 'deadbeef', error: 'number' },
  { at: 667, t: 'REG_DWORD', d: '123xyz', error: 'number' },
  { at: 670, t: 'reg_dword', d: '12345678', bytes: le32(12345678), size: 4 },
  { at: 675, t: 'REG_DWORD', d: '0123', bytes: le32(123), size: 4 },
  { at: 684, t: 'reg_dword', d: '0xabcdefg', error: 'number' },
  { at: 687, t: 'REG_dword', d: '0xdeadbeef', bytes: 'ef be ad de', size: 4 },
  { at: 692, t: 'REG_DWORD', d: '-1', error: 'number' },
  { at: 695, t: 'REG_DWORD', d: '-0x1', error: 'number' },
  { at: 698, t: 'REG_dword', d: '0x01ffffffff', error: 'number' },
  { at: 701, t: 'REG_DWORD', d: '0xffffffff', bytes: 'ff ff ff ff', size: 4 },
  { at: 706, t: 'REG_DWORD', d: '00x123', error: 'number' },
  { at: 709, t: 'REG_DWORD', d: '0X123', bytes: le32(0x123), size: 4 },
  { at: 714, t: 'REG_DWORD', d: '4294967296', error: 'number' },
  { at: 717, t: 'REG_DWORD', d: '456', bytes: le32(456), size: 4 },
  { at: 722, t: 'REG_DWORD', d: '0x456', bytes: le32(0x456), size: 4 },
  { at: 728, t: 'REG_DWORD_LITTLE_ENDIAN', d: '456', bytes: le32(456), size: 4 },
  { at: 'src', t: 'REG_DWORD', d: ' 5', bytes: le32(5) },
  { at: 'src', t: 'REG_DWORD', d: '+5', bytes: le32(5) },
  { at: 'src', t: 'REG_DWORD', d: '', bytes: le32(0) },
  { at: 'src', t: 'REG_DWORD', d: ' ', error: 'number' },
  { at: 'src', t: 'REG_DWORD', d: '0x', error: 'number' },
  { at: 'src', t: 'REG_DWORD', d: '5 ', error: 'number' },
  { at: 'src', t: 'REG_DWORD', d: ' 0x5', error: 'number' },
  { at: 'src', t: 'REG_DWORD', d: ' -1', error: 'number' }, // Wine would store 0xffffffff; we refuse (see parseNumber)
  { at: 'src', t: 'REG_DWORD', d: '0x00000000ff', bytes: le32(0xff) },
  // REG_DWORD_BIG_ENDIAN: stored little-endian, like REG_DWORD.
  { at: 745, t: 'REG_DWORD_BIG_ENDIAN', error: 'missing-data' },
  { at: 751, t: 'REG_DWORD_BIG_ENDIAN', error: 'missing-data' },
  { at: 756, t: 'REG_DWORD_BIG_ENDIAN', d: '456', bytes: 'c8 01 00 00', size: 4 },
  { at: 761, t: 'REG_DWORD_BIG_ENDIAN', d: '0x456', bytes: '56 04 00 00', size: 4 },
  // REG_QWORD
  { at: 778, t: 'REG_QWORD', d: '0x123456789abcdef', bytes: 'ef cd ab 89 67 45 23 01', size: 8 },
  { at: 783, t: 'REG_QWORD', bytes: le64(0n), size: 8 },
  { at: 791, t: 'REG_QWORD', bytes: le64(0n), size: 8 },
  { at: 796, t: 'REG_QWORD', d: 'zzz', error: 'number' },
  { at: 799, t: 'REG_QWORD', d: 'deadbeef', error: 'number' },
  { at: 802, t: 'REG_QWORD', d: '123xyz', error: 'number' },
  { at: 805, t: 'reg_qword', d: '12345678', bytes: le64(12345678n), size: 8 },
  { at: 810, t: 'REG_QWORD', d: '0123', bytes: le64(123n), size: 8 },
  { at: 815, t: 'reg_qword', d: '0xabcdefg', error: 'number' },
  { at: 818, t: 'REG_qword', d: '0xdeadbeef', bytes: 'ef be ad de 00 00 00 00', size: 8 },
  { at: 823, t: 'REG_QWORD', d: '-1', bytes: 'ff ff ff ff ff ff ff ff', size: 8 },
  { at: 828, t: 'REG_QWORD', d: '-0x1', error: 'number' },
  { at: 831, t: 'REG_qword', d: '0x01ffffffffffffffff', error: 'number' },
  { at: 834, t: 'REG_QWORD', d: '0xffffffffffffffff', bytes: 'ff ff ff ff ff ff ff ff', size: 8 },
  { at: 839, t: 'REG_QWORD', d: '00x123', error: 'number' },
  { at: 842, t: 'REG_QWORD', d: '0X123', bytes: le64(0x123n), size: 8 },
  { at: 847, t: 'REG_QWORD', d: '18446744073709551616', error: 'number' },
  { at: 850, t: 'REG_QWORD', d: '456', bytes: le64(456n), size: 8 },
  { at: 855, t: 'REG_QWORD', d: '0x456', bytes: le64(0x456n), size: 8 },
  { at: 'src', t: 'REG_QWORD', d: '-5', bytes: le64((1n << 64n) - 5n) },
  { at: 'src', t: 'REG_QWORD', d: '-18446744073709551616', error: 'number' },
  { at: 'src', t: 'REG_QWORD', d: '', bytes: le64(0n) },
  // REG_MULTI_SZ
  { at: 871, t: 'REG_MULTI_SZ', bytes: '00 00', size: 1 },
  { at: 877, t: 'REG_MULTI_SZ', bytes: '00 00', size: 1 },
  { at: 881, t: 'REG_MULTI_SZ', d: 'three\\0little\\0strings', bytes: u16('three\0little\0strings\0\0'), size: 22 },
  { at: 885, t: 'REG_MULTI_SZ', s: '#', d: 'three#little#strings', bytes: u16('three\0little\0strings\0\0'), size: 22 },
  { at: 889, t: 'REG_MULTI_SZ', d: '', bytes: '00 00', size: 1 },
  { at: 893, t: 'REG_MULTI_SZ', bytes: '00 00', size: 1 },
  { at: 897, t: 'REG_MULTI_SZ', s: '#', d: 'threelittlestrings', bytes: u16('threelittlestrings\0\0'), size: 20 },
  { at: 901, t: 'REG_MULTI_SZ', s: '#randomgibberish', d: 'three#little#strings', error: 'syntax' },
  { at: 904, t: 'REG_MULTI_SZ', s: '\\0', d: 'three\\0little\\0strings', error: 'syntax' },
  { at: 907, t: 'REG_MULTI_SZ', s: '', d: 'three#little#strings', error: 'syntax' },
  { at: 910, t: 'REG_MULTI_SZ', s: '#', d: '##', error: 'multi-sz' },
  { at: 913, t: 'REG_MULTI_SZ', s: '#', d: 'two##strings', error: 'multi-sz' },
  { at: 916, t: 'REG_MULTI_SZ', s: '#', d: '#a', error: 'multi-sz' },
  { at: 919, t: 'REG_MULTI_SZ', s: '#', d: 'a#', bytes: u16('a\0\0'), size: 3 },
  { at: 929, t: 'REG_MULTI_SZ', d: '\\0a', error: 'multi-sz' },
  { at: 932, t: 'REG_MULTI_SZ', d: 'a\\0', bytes: u16('a\0\0'), size: 3 },
  { at: 936, t: 'REG_MULTI_SZ', d: 'two\\0\\0strings', error: 'multi-sz' },
  { at: 939, t: 'REG_MULTI_SZ', s: '#', d: '#', bytes: u16('\0\0'), size: 2 },
  { at: 943, t: 'REG_MULTI_SZ', d: '\\0', bytes: u16('\0\0'), size: 2 },
  { at: 947, t: 'REG_MULTI_SZ', s: '#', d: 'two\\0#strings', bytes: u16('two\\0\0strings\0\0'), size: 15 },
  { at: 951, t: 'REG_MULTI_SZ', s: '#', d: 'two#\\0strings', bytes: u16('two\0\\0strings\0\0'), size: 15 },
  { at: 955, t: 'REG_MULTI_SZ', s: '#', d: 'two\\0\\0strings', bytes: u16('two\\0\\0strings\0\0'), size: 16 },
  { at: 'src', t: 'REG_MULTI_SZ', d: 'a\\b', bytes: u16('a\\b\0\0') },
  { at: 'src', t: 'REG_MULTI_SZ', d: 'a\\\\0b', bytes: u16('a\\\0b\0\0') },
  { at: 'src', t: 'REG_MULTI_SZ', s: '#', d: 'a##', error: 'multi-sz' },
  { at: 'src', t: 'REG_MULTI_SZ', d: 'a\\0\\0', error: 'multi-sz' },
  { at: 'src', t: 'REG_SZ', s: '#', d: 'a#b', bytes: u16('a#b\0') }, // /s is accepted, and ignored, for other types
];

function where(row: AddRow): string {
  return row.at === 'src' ? WINE_SRC : `${ADD}:${row.at}`;
}

describe('encodeRegAddData: the bytes reg add stores, per type × /d form', () => {
  it.each(
    ADD_ROWS.map(
      (row) =>
        [
          `${where(row)} /t ${row.t}${row.s === undefined ? '' : ` /s ${JSON.stringify(row.s)}`}${row.d === undefined ? '' : ` /d ${JSON.stringify(row.d)}`}`,
          row,
        ] as const,
    ),
  )('%s', (_label, row) => {
    const type = typeFromName(row.t);
    expect(type).toBeDefined();
    const run = (): Uint8Array => encodeRegAddData(type!, row.d, row.s);
    if (row.error !== undefined) {
      let caught: unknown;
      try {
        run();
      } catch (error) {
        caught = error;
      }
      expect(caught).toBeInstanceOf(RegDataError);
      expect((caught as RegDataError).code).toBe(row.error);
      expect((caught as RegDataError).exitCode).toBe(1);
      expect((caught as RegDataError).message).toMatch(/^ERROR: /);
      return;
    }
    const data = run();
    expect(hex(data)).toBe(row.bytes);
    // Tie the expectation to the size the Wine test checked (ANSI characters for string types).
    if (row.size !== undefined) expect(data.length).toBe(STRING_TYPES.has(row.t.toUpperCase()) ? 2 * row.size : row.size);
  });

  it('refuses a type reg add does not write, and a NUL no command line can carry', () => {
    expect(() => encodeRegAddData(6, 'x')).toThrow(expect.objectContaining({ code: 'type' }));
    expect(() => encodeRegAddData(0x20, 'x')).toThrow(expect.objectContaining({ code: 'type' }));
    expect(() => encodeRegAddData(1, 'a\0b')).toThrow(expect.objectContaining({ code: 'nul' }));
  });

  it('the syntax error reads as reg.exe prints it, then names the token', () => {
    try {
      encodeRegAddData(7, 'a#b', '##');
      expect.unreachable();
    } catch (error) {
      expect((error as RegDataError).message.split('\n')[0]).toBe('ERROR: Invalid syntax.');
      expect((error as RegDataError).message).toContain('"##"');
      expect((error as RegDataError).token).toBe('##');
    }
  });

  it('DWORD and QWORD: every number in range, decimal or 0x hex, is stored little-endian', () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 0xffffffff }), (n) => {
        expect(hex(encodeRegAddData(4, String(n)))).toBe(le32(n));
        expect(hex(encodeRegAddData(4, `0x${n.toString(16)}`))).toBe(le32(n));
        expect(hex(encodeRegAddData(5, `0X${n.toString(16).toUpperCase()}`))).toBe(le32(n));
      }),
    );
    fc.assert(
      fc.property(fc.bigInt({ min: 0n, max: (1n << 64n) - 1n }), (n) => {
        expect(hex(encodeRegAddData(11, n.toString()))).toBe(le64(n));
        expect(hex(encodeRegAddData(11, `0x${n.toString(16)}`))).toBe(le64(n));
      }),
    );
  });
});

describe('typeFromName: the /t names reg add accepts', () => {
  // prettier-ignore
  const rows: [string, string, number | undefined][] = [
    [`${ADD}:282`, '', undefined],
    [`${ADD}:429`, 'REG_NONE', 0],
    [`${ADD}:458`, 'REG_SZ', 1],
    [`${ADD}:546`, 'REG_EXpand_sz', 2],
    [`${ADD}:579`, 'REG_BINARY', 3],
    [`${ADD}:670`, 'reg_dword', 4],
    [`${ADD}:687`, 'REG_dword', 4],
    [`${ADD}:728`, 'REG_DWORD_LITTLE_ENDIAN', 4],
    [`${ADD}:756`, 'REG_DWORD_BIG_ENDIAN', 5],
    [`${ADD}:871`, 'REG_MULTI_SZ', 7],
    [`${ADD}:805`, 'reg_qword', 11],
    [`${ADD}:818`, 'REG_qword', 11],
    [TYPES, 'REG_LINK', undefined],
    [TYPES, 'REG_RESOURCE_LIST', undefined],
    [TYPES, 'REG_FULL_RESOURCE_DESCRIPTOR', undefined],
    [TYPES, 'REG_RESOURCE_REQUIREMENTS_LIST', undefined],
    [TYPES, 'REG_QWORD_LITTLE_ENDIAN', undefined],
    [TYPES, '4', undefined],
    [TYPES, '0x4', undefined],
    [TYPES, ' REG_SZ', undefined],
    [TYPES, 'REG_SZ ', undefined],
    [TYPES, 'REG_\u017fZ', undefined], // 'ſ' upper-cases to 'S' in JavaScript, not in wcsicmp
  ];
  it.each(rows)('%s %j', (_source, text, type) => {
    expect(typeFromName(text)).toBe(type);
  });
});

describe('resolveRegAdd: the value reg add writes', () => {
  it(`${ADD}:349 a bare reg add KEY writes (Default) as an empty REG_SZ`, () => {
    expect(resolveRegAdd({})).toEqual({ name: '', type: 1, data: bytes('00 00') });
  });
  it(`${ADD}:359 /t REG_DWORD /d 0x5 without /v writes (Default)`, () => {
    expect(resolveRegAdd({ t: 'REG_DWORD', d: '0x5' })).toEqual({ name: '', type: 4, data: bytes(le32(5)) });
  });
  it(`${ADD}:462 /d without /v or /t writes (Default) as REG_SZ`, () => {
    expect(resolveRegAdd({ d: 'WineTest' })).toEqual({ name: '', type: 1, data: bytes(u16('WineTest\0')) });
  });
  it(`${ADD}:373 /v NAME /t REG_SZ /d DATA`, () => {
    expect(resolveRegAdd({ v: 'Test', t: 'REG_SZ', d: 'Just me here' })).toEqual({ name: 'Test', type: 1, data: bytes(u16('Just me here\0')) });
  });
  it(`${ADD}:258 /v with /ve is a syntax error`, () => {
    expect(() => resolveRegAdd({ v: 'Wine', ve: true })).toThrow(expect.objectContaining({ code: 'syntax' }));
  });
  it(`${ADD}:282 an empty /t is refused, and so is an unknown one`, () => {
    expect(() => resolveRegAdd({ t: '', d: 'WineTest' })).toThrow(expect.objectContaining({ code: 'type' }));
    expect(() => resolveRegAdd({ t: 'REG_LINK', d: 'x' })).toThrow(expect.objectContaining({ code: 'type', token: 'REG_LINK' }));
  });
  it(`${ADD}:651 /ve /t REG_DWORD without /d is refused`, () => {
    expect(() => resolveRegAdd({ ve: true, t: 'REG_DWORD' })).toThrow(expect.objectContaining({ code: 'missing-data' }));
  });
});

describe('formatQueryData / formatQueryValueLine: what reg query prints', () => {
  // prettier-ignore
  const lines: [string, string, number, string, string][] = [
    [`${QUERY}:151`, 'Test1', 1, u16('Hello, World\0'), '    Test1    REG_SZ    Hello, World'],
    [`${QUERY}:152`, 'Test2', 4, le32(0x123), '    Test2    REG_DWORD    0x123'],
    [`${QUERY}:168`, 'Test4', 4, le32(0xabc), '    Test4    REG_DWORD    0xabc'],
    [`${QUERY_SRC} output_value`, '', 1, u16('Empty\0'), '    (Default)    REG_SZ    Empty'],
    [`${QUERY_SRC} output_value`, 'e', 1, u16('\0'), '    e    REG_SZ    '],
    [`${QUERY_SRC} reg_data_to_wchar`, 'x', 2, u16('%SystemRoot%\\x\0'), '    x    REG_EXPAND_SZ    %SystemRoot%\\x'],
    [`${QUERY_SRC} reg_data_to_wchar`, 'b', 3, 'de ad be ef 0a', '    b    REG_BINARY    DEADBEEF0A'],
    [`${QUERY_SRC} reg_data_to_wchar`, 'b', 3, '', '    b    REG_BINARY    '],
    [`${QUERY_SRC} reg_data_to_wchar`, 'n', 0, u16('Test\0'), '    n    REG_NONE    54006500730074000000'],
    [`${QUERY_SRC} reg_data_to_wchar`, 'be', 5, 'c8 01 00 00', '    be    REG_DWORD_BIG_ENDIAN    0x1c8'],
    [`${QUERY_SRC} reg_data_to_wchar`, 'm', 7, u16('three\0little\0strings\0\0'), '    m    REG_MULTI_SZ    three\\0little\\0strings'],
    [`${QUERY_SRC} reg_data_to_wchar`, 'm', 7, '00 00', '    m    REG_MULTI_SZ    '],
    [`${QUERY_SRC} reg_data_to_wchar`, 'm', 7, u16('\0\0'), '    m    REG_MULTI_SZ    '],
    [`${QUERY_SRC} reg_data_to_wchar`, 'm', 7, u16('a\0\0'), '    m    REG_MULTI_SZ    a'],
    [`${QUERY_SRC} reg_data_to_wchar`, 'm', 7, u16('two\\0\0strings\0\0'), '    m    REG_MULTI_SZ    two\\0\\0strings'],
    ['ours (Wine has no REG_QWORD case)', 'q', 11, 'ef cd ab 89 67 45 23 01', '    q    REG_QWORD    0x123456789abcdef'],
    ['ours (wrong size: hex)', 'd', 4, '01 02 03', '    d    REG_DWORD    010203'],
    [
      'ours (REG_LINK as text)',
      'SymbolicLinkValue',
      6,
      u16('\\Registry\\Machine\\System\\ControlSet001'),
      '    SymbolicLinkValue    REG_LINK    \\Registry\\Machine\\System\\ControlSet001',
    ],
    ['ours (resource list as hex)', 'r', 8, '01 00 00 00', '    r    REG_RESOURCE_LIST    01000000'],
    ['ours (unknown type)', 'u', 0x20, 'ff', '    u    0x20    FF'],
  ];
  it.each(lines)('%s: %j', (_source, name, type, data, line) => {
    expect(formatQueryValueLine(name, type, bytes(data))).toBe(line);
  });

  it('the (value not set) line for /ve on a key without a default value', () => {
    expect(QUERY_VALUE_NOT_SET_LINE).toBe('    (Default)    REG_SZ    (value not set)');
    expect(queryTypeName(4)).toBe('REG_DWORD');
  });

  it('what reg add stores, reg query prints back as it was typed', () => {
    const item = fc.stringMatching(/^[A-Za-z0-9 %.]{1,8}$/);
    fc.assert(
      fc.property(fc.array(item, { minLength: 1, maxLength: 5 }), (items) => {
        const typed = items.join('\\0');
        expect(formatQueryData(7, encodeRegAddData(7, typed))).toBe(typed);
        expect(formatQueryData(7, encodeRegAddData(7, items.join('|'), '|'))).toBe(typed);
      }),
    );
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 32 }), (data) => {
        const typed = Array.from(data, (b) => b.toString(16).toUpperCase().padStart(2, '0')).join('');
        expect(formatQueryData(3, encodeRegAddData(3, typed))).toBe(typed);
      }),
    );
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 0xffffffff }), (n) => {
        expect(formatQueryData(5, encodeRegAddData(5, String(n)))).toBe(`0x${n.toString(16)}`);
      }),
    );
  });
});

describe('reg query /se with a multi-string whose item holds the text \\0', () => {
  it('joins the items with the separator and leaves the item text alone', () => {
    const data = encodeUtf16le('a\\0b\0c\0\0');
    expect(formatQueryData(ValueType.REG_MULTI_SZ, data)).toBe('a\\0b\\0c');
    expect(formatQueryData(ValueType.REG_MULTI_SZ, data, '|')).toBe('a\\0b|c');
    expect(formatQueryValueLine('m', ValueType.REG_MULTI_SZ, data, { z: true, separator: '|' })).toBe('    m    REG_MULTI_SZ (7)    a\\0b|c');
  });
});
