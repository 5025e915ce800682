import { describe, expect, it } from 'vitest';
import { Hive, ValueType, encodeUtf16le } from '../../src/hive/index.js';
import {
  RegDecoder,
  RegFileSyntaxError,
  RegImportError,
  applyRegFile,
  applyRegOperations,
  decodeRegFile,
  detectRegEncoding,
  parseRegChunks,
  parseRegFile,
} from '../../src/regfile/index.js';
import type { RegEncoding, RegOperation, RegParseOptions } from '../../src/regfile/index.js';
import { fixedClock } from '../support/hives.js';

/*
 * .reg files written for these tests, one per dialect case. Where a case is regedit's rule, the test names the
 * Wine test that pins it down and also passes against Windows' regedit:
 * wine-mirror/wine@cd3ebad1ae926d72dec239f120a6f8ffa8ba35e3 programs/regedit/tests/regedit.c ("regedit.c").
 */

const V5 = 'Windows Registry Editor Version 5.00';

function utf16(text: string, littleEndian: boolean, bom: boolean): Uint8Array {
  const units = (bom ? '\uFEFF' : '') + text;
  const out = new Uint8Array(units.length * 2);
  for (let i = 0; i < units.length; i++) {
    const unit = units.charCodeAt(i);
    out[2 * i + (littleEndian ? 0 : 1)] = unit & 0xff;
    out[2 * i + (littleEndian ? 1 : 0)] = unit >>> 8;
  }
  return out;
}

function utf8(text: string, bom: boolean): Uint8Array {
  const body = new TextEncoder().encode(text);
  if (!bom) return body;
  const out = new Uint8Array(body.length + 3);
  out.set([0xef, 0xbb, 0xbf]);
  out.set(body, 3);
  return out;
}

function bytesOf(...parts: (string | number[])[]): Uint8Array {
  const out: number[] = [];
  for (const part of parts) {
    if (typeof part === 'string') for (let i = 0; i < part.length; i++) out.push(part.charCodeAt(i));
    else out.push(...part);
  }
  return Uint8Array.from(out);
}

function parseBytes(bytes: Uint8Array, options: RegParseOptions = {}, chunkSize = bytes.length || 1): RegOperation[] {
  const chunks: Uint8Array[] = [];
  for (let i = 0; i < bytes.length; i += chunkSize) chunks.push(bytes.subarray(i, i + chunkSize));
  return [...parseRegChunks(chunks, { file: 't.reg', ...options })];
}

function syntaxError(run: () => unknown): RegFileSyntaxError {
  try {
    run();
  } catch (error) {
    expect(error).toBeInstanceOf(RegFileSyntaxError);
    return error as RegFileSyntaxError;
  }
  throw new Error('expected a RegFileSyntaxError');
}

const sz = (text: string): Uint8Array => encodeUtf16le(`${text}\0`);

describe('the header line', () => {
  const body = '\r\n\r\n[HKEY_LOCAL_MACHINE\\SOFTWARE\\T]\r\n"v"="x"\r\n';

  it('may be indented with spaces and tabs (regedit.c test_import_with_whitespace, "  REGEDIT4", "\\tREGEDIT4")', () => {
    for (const header of ['  REGEDIT4', '\tREGEDIT4', ' \t Windows Registry Editor Version 5.00']) {
      expect(parseRegFile(header + body).operations).toHaveLength(2);
    }
  });

  it('may carry trailing spaces and tabs and follow blank lines (our extension; regedit would import nothing)', () => {
    expect(parseRegFile(`REGEDIT4 ${body}`).format).toBe('regedit4');
    expect(parseRegFile(`${V5}\t \t${body}`).format).toBe('v5');
    const parsed = parseRegFile(`\r\n  \r\n\t\r\n${V5}${body}`);
    expect(parsed.operations.map((o) => o.line)).toEqual([6, 7]);
  });

  it('is compared case-sensitively, as Windows does, with an error that says what was found (regedit.c test_invalid_import, Test2/3/10/11)', () => {
    for (const [header, expected] of [
      ['regedit4', 'REGEDIT4'],
      ['Regedit4', 'REGEDIT4'],
      ['WINDOWS REGISTRY EDITOR VERSION 5.00', V5],
      ['Windows Registry Editor version 5.00', V5],
    ]) {
      const error = syntaxError(() => parseRegFile(header + body, 'h.reg'));
      expect(error.line).toBe(1);
      expect(error.message).toContain(`found ${JSON.stringify(header)}`);
      expect(error.message).toContain(`differs only in letter case`);
      expect(error.message).toContain(`write "${expected}"`);
    }
  });

  it('names the near-miss headers regedit accepts but imports nothing from (regedit.c test_invalid_import, Test4–7)', () => {
    for (const header of ['REGEDIT 4', 'REGEDIT4FOO', 'REGEDIT4 FOO', 'REGEDIT5', 'REGEDIT']) {
      expect(syntaxError(() => parseRegFile(header + body)).message).toMatch(/begins with REGEDIT but then imports nothing/);
    }
    expect(syntaxError(() => parseRegFile(`Windows Registry Editor Version 4.00${body}`)).message).toContain('found "Windows Registry Editor Version 4.00"');
  });

  it('points at the found text: the column of its first character, the line after blank lines', () => {
    const error = syntaxError(() => parseRegFile(`\n\n   regedit4${body}`, 'c.reg'));
    expect([error.line, error.column]).toEqual([3, 4]);
    expect(error.message.startsWith('c.reg:3:4: expected the header')).toBe(true);
  });

  it('says that a header is missing, and that an empty file is empty', () => {
    expect(syntaxError(() => parseRegFile('[HKEY_LOCAL_MACHINE\\X]\n')).message).toMatch(/header line is missing .*hivex dialect/);
    expect(syntaxError(() => parseRegFile('')).message).toMatch(/the file is empty/);
    expect(syntaxError(() => parseRegFile('\r\n \r\n')).message).toMatch(/the file is empty/);
  });

  it('blames the encoding, not the header, when the bytes were read with the wrong one', () => {
    const text = `${V5}${body}`;
    const asUtf8 = syntaxError(() => parseBytes(utf16(text, true, false), { encoding: 'utf-8' }));
    expect(asUtf8.message).toMatch(/NUL characters, so this is UTF-16 read as 8-bit text/);
    expect(asUtf8.message).toContain('(read as utf-8)');
    const swapped = syntaxError(() => parseBytes(utf16(text, true, false), { encoding: 'utf-16be' }));
    expect(swapped.message).toMatch(/wrong byte order/);
    const bom = syntaxError(() => parseBytes(utf8(text, true), { encoding: 'windows-1252' }));
    expect(bom.message).toMatch(/byte-order mark/);
  });
});

describe('encodings', () => {
  const text = `${V5}\r\n\r\n[HKEY_LOCAL_MACHINE\\SOFTWARE\\Ключ ’𝄞]\r\n"naïve"="日本語 €"\r\n"d"=dword:00000001\r\n`;
  const expected = parseRegFile(text).operations;

  it('reads UTF-16LE and UTF-16BE with or without a BOM and UTF-8 with or without one as the same text', () => {
    const files: [string, Uint8Array, RegEncoding][] = [
      ['UTF-16LE with BOM (what regedit writes)', utf16(text, true, true), 'utf-16le'],
      ['UTF-16LE without BOM', utf16(text, true, false), 'utf-16le'],
      ['UTF-16BE with BOM', utf16(text, false, true), 'utf-16be'],
      ['UTF-16BE without BOM', utf16(text, false, false), 'utf-16be'],
      ['UTF-8 with BOM', utf8(text, true), 'utf-8'],
      ['UTF-8 without BOM', utf8(text, false), 'utf-8'],
    ];
    for (const [name, bytes, encoding] of files) {
      expect(parseBytes(bytes), name).toEqual(expected);
      expect(detectRegEncoding([bytes]), name).toBe(encoding);
      expect(decodeRegFile(bytes), name).toBe(text);
    }
    expect(expected[0]).toMatchObject({ keyPath: 'HKEY_LOCAL_MACHINE\\SOFTWARE\\Ключ ’𝄞', path: ['Ключ ’𝄞'] });
  });

  it('reads REGEDIT4 text that is not UTF-8 as Windows-1252: byte 0x92 is ’, not U+0092', () => {
    const file = bytesOf('REGEDIT4\r\n\r\n[HKEY_CURRENT_USER\\Software\\Test]\r\n"it', [0x92], 's"="caf', [0xe9], ' ', [0x80], '"\r\n');
    const [, value] = parseBytes(file);
    expect(value).toMatchObject({ kind: 'value', name: 'it’s', data: sz('café €') });
    expect(detectRegEncoding([file])).toBe('windows-1252');
    // Named explicitly: latin1 is ISO-8859-1 (0x92 is the control U+0092), not WHATWG's alias for windows-1252.
    expect(parseBytes(file, { encoding: 'latin1' })[1]).toMatchObject({ name: 'it\u0092s', data: sz('café \u0080') });
    expect(parseBytes(file, { encoding: 'windows-1252' })[1]).toMatchObject({ name: 'it’s' });
  });

  it('switches to Windows-1252 mid-stream without loss when everything before was ASCII', () => {
    const file = bytesOf('REGEDIT4\r\n\r\n[HKEY_CURRENT_USER\\Software\\Test]\r\n"a"="plain"\r\n"b"="', [0x92], '"\r\n');
    for (const size of [1, 3, 17, file.length]) {
      expect(parseBytes(file, {}, size).map((o) => (o.kind === 'value' ? o.data : o.keyPath))).toEqual([
        'HKEY_CURRENT_USER\\Software\\Test',
        sz('plain'),
        sz('’'),
      ]);
    }
  });

  it('refuses to guess when UTF-8 text is followed by bytes that are not UTF-8, and detectRegEncoding settles it', () => {
    const file = bytesOf('REGEDIT4\r\n\r\n[HKEY_CURRENT_USER\\Software\\Test]\r\n"a"="', [0xc3, 0xa9], '"\r\n"b"="', [0x92], '"\r\n');
    const error = syntaxError(() => parseBytes(file, {}, 8));
    expect(error.message).toMatch(/byte 0x92 at offset 62 is not valid UTF-8, but text before it held UTF-8 characters; name the encoding/);
    const encoding = detectRegEncoding([file.subarray(0, 8), file.subarray(8)]);
    expect(encoding).toBe('windows-1252');
    expect(parseBytes(file, { encoding }, 8).map((o) => (o.kind === 'value' ? o.data : undefined))[1]).toEqual(sz('Ã©'));
  });

  it('refuses UTF-16 with an odd trailing byte (once dropped without a word)', () => {
    const file = utf16(`${V5}\r\n\r\n[HKEY_LOCAL_MACHINE\\X\\k]\r\n`, true, true);
    const odd = new Uint8Array(file.length + 1);
    odd.set(file);
    odd[file.length] = 0x41;
    const error = syntaxError(() => parseBytes(odd));
    expect(error.message).toMatch(/ends with a single byte \(0x41\) after its last whole UTF-16 character/);
    expect(() => decodeRegFile(odd)).toThrow(/single byte/);
    expect(parseBytes(file)).toHaveLength(1);
  });

  it('refuses invalid UTF-8 after a UTF-8 BOM (declared, so no fallback)', () => {
    const file = bytesOf([0xef, 0xbb, 0xbf], `${V5}\r\n\r\n[HKEY_LOCAL_MACHINE\\X\\k]\r\n"a"="`, [0xff], '"\r\n');
    expect(syntaxError(() => parseBytes(file)).message).toMatch(/not valid UTF-8/);
  });

  it('keeps lone surrogates of UTF-16 names and strings', () => {
    const text = `${V5}\r\n\r\n[HKEY_LOCAL_MACHINE\\X\\a\uD800b]\r\n"\uDC00"="\uDBFFz"\r\n`;
    for (const littleEndian of [true, false]) {
      const operations = parseBytes(utf16(text, littleEndian, true), {}, 3);
      expect(operations[0]).toMatchObject({ path: ['a\uD800b'] });
      expect(operations[1]).toMatchObject({ name: '\uDC00', data: sz('\uDBFFz') });
    }
  });

  it('decodes across every chunk boundary: UTF-8 sequences, UTF-16 units and surrogate pairs split anywhere', () => {
    const samples: Uint8Array[] = [utf8(text, true), utf16(text, true, true), utf16(text, false, false)];
    for (const bytes of samples) {
      const whole = new RegDecoder();
      const reference = whole.push(bytes) + whole.end();
      for (let cut = 0; cut <= bytes.length; cut++) {
        const decoder = new RegDecoder();
        const out = decoder.push(bytes.subarray(0, cut)) + decoder.push(bytes.subarray(cut)) + decoder.end();
        expect(out).toBe(reference);
      }
    }
  });
});

describe('value lines', () => {
  const parse = (...lines: string[]): RegOperation[] =>
    parseRegFile([V5, '', '[HKEY_LOCAL_MACHINE\\X\\k]', ...lines, ''].join('\r\n'), 'v.reg').operations.slice(1);
  const errorAt = (line: string): [number, number, string] => {
    const error = syntaxError(() => parse(line));
    expect(error.line).toBe(4);
    return [error.line, error.column, error.reason];
  };

  it('takes type tags in any letter case (an extension: regedit compares them case-sensitively)', () => {
    const lower = parse('"a"=dword:0000002a', '"b"=hex(2):41,00,00,00', '"c"=hex:01,02');
    expect(parse('"a"=DWORD:0000002A', '"b"=Hex(2):41,00,00,00', '"c"=HEX:01,02')).toEqual(lower);
    expect(parse('"a"=Dword:2a', '"b"=HEX(2):41,00,00,00', '"c"=hEx:01,02')).toEqual(lower);
  });

  it('points error columns at the offending character', () => {
    // regedit.c test_invalid_import Test12c/d: nine digits. Column of the ninth.
    expect(errorAt('"d"=dword:123456789')).toEqual([4, 19, 'dword: takes at most 8 hex digits, this one has 9 (a 64-bit number is written hex(b):…)']);
    expect(errorAt('"d"=dword:0x123')[1]).toBe(12); // Test14a: the "x"
    expect(errorAt('"d"=dword:1234 5678')[1]).toBe(16); // Test14c: the "5"
    expect(errorAt('"d"=dword:')[1]).toBe(11); // Test12a
    expect(errorAt('"d"=dword:01020304 #c')[1]).toBe(20); // test_comments Wine5
    expect(errorAt('"s"="Value 1"#comment')[1]).toBe(14); // test_comments Wine3
    expect(errorAt('"s"="foo"bar"')[1]).toBe(10); // Test15a
    expect(errorAt('"s"="no end')[1]).toBe(5); // TestNoEndQuote: the opening quote
    expect(errorAt('"h"=hex:11,22,33,,44')[1]).toBe(18); // an empty item
    expect(errorAt('"h"=hex:11,2g')[1]).toBe(13);
    expect(errorAt('"h"=hex(2):25,100,54')[1]).toBe(15); // Wine22a: more than a byte
    expect(errorAt('"h"=hex(0x2):56')[1]).toBe(10); // Wine13j: the "x"
    expect(errorAt('"h"=hex(2):25,48\\,4f')[1]).toBe(17); // Wine23a: "\" not after a comma
    expect(errorAt('"h"=hex(2):25,48,\\4f')[1]).toBe(19); // Wine23b: text after "\"
    expect(errorAt('"x"=-"Test"')[1]).toBe(6); // test_value_deletion Wine46d
    expect(errorAt('  "x"  bogus')[1]).toBe(8);
    expect(errorAt('"s"="a\\0b"')[1]).toBe(7); // test_invalid_import_unicode Wine33
    expect(errorAt('NameNoQuotes="x"')[1]).toBe(1);
  });

  it('reads what regedit reads around blanks and comments (regedit.c test_import_with_whitespace, test_comments)', () => {
    const operations = parse(
      '\t@\t=\tdword:\t00000008\t',
      '    "Wine5d"    \t    =    \t    "More whitespace"',
      '"Wine25a"=dword:1234;5678',
      '"Wine26a"="Value1"  ;comment',
      '"Wine46c"=  \t-\t  ',
      '"Wine46e"=- ;comment',
    );
    expect(operations).toMatchObject([
      { kind: 'value', name: '', type: ValueType.REG_DWORD, data: Uint8Array.of(8, 0, 0, 0) },
      { kind: 'value', name: 'Wine5d', data: sz('More whitespace') },
      { kind: 'value', name: 'Wine25a', data: Uint8Array.of(0x34, 0x12, 0, 0) },
      { kind: 'value', name: 'Wine26a', data: sz('Value1') },
      { kind: 'deleteValue', name: 'Wine46c' },
      { kind: 'deleteValue', name: 'Wine46e' },
    ]);
  });

  it('continues hex lists over blank and ";" lines, but not over "#" lines or a missing comma (Wine10a, Wine29a–d, Multi-Line1–6)', () => {
    const [value] = parse('"m"=hex(7):4c,00,\\', '', '  \t', '  ;comment', '  69,00,\\ ;c', '', '  00,00');
    expect(value).toMatchObject({ type: ValueType.REG_MULTI_SZ, data: Uint8Array.of(0x4c, 0, 0x69, 0, 0, 0), line: 4 });
    expect(syntaxError(() => parse('"m"=hex(7):4c,00,\\', '  #comment', '  00,00'))).toMatchObject({ line: 5, column: 3 });
    expect(syntaxError(() => parse('"m"=hex(7):4c,00,\\', '  ,00'))).toMatchObject({ line: 5, column: 3 });
    expect(syntaxError(() => parse('"m"=hex(7):4c,00,\\', '[HKEY_LOCAL_MACHINE\\X\\Subkey1]'))).toMatchObject({ line: 5, column: 1 });
    // A list still open at the end of the file is complete (regedit.c Wine17a).
    const last = parseRegFile(`${V5}\r\n[HKEY_LOCAL_MACHINE\\X]\r\n"v"=hex:56,61,\\`).operations[1];
    expect(last).toMatchObject({ data: Uint8Array.of(0x56, 0x61) });
  });

  it('refuses a value with no key to go to, after [-key] as before any key (regedit drops it)', () => {
    expect(syntaxError(() => parseRegFile(`${V5}\r\n"v"="x"\r\n`)).reason).toMatch(/must follow a \[key\] line/);
    expect(syntaxError(() => parseRegFile(`${V5}\r\n[-HKEY_LOCAL_MACHINE\\X\\a]\r\n"v"="x"\r\n`)).reason).toMatch(/after a \[-key\] line/);
  });
});

describe('key lines', () => {
  const parse = (line: string): RegOperation[] => parseRegFile(`${V5}\r\n\r\n${line}\r\n`, 'k.reg').operations;

  it('carry the key path as written, without the "-" of a deletion, and the hive path under the mount', () => {
    expect(parse('[HKEY_LOCAL_MACHINE\\SYSTEM\\CurrentControlSet\\Services]')).toEqual([
      { kind: 'key', keyPath: 'HKEY_LOCAL_MACHINE\\SYSTEM\\CurrentControlSet\\Services', path: ['CurrentControlSet', 'Services'], line: 3 },
    ]);
    expect(parse('[-hkey_current_user\\Software\\A\\]')).toEqual([{ kind: 'deleteKey', keyPath: 'hkey_current_user\\Software\\A\\', path: ['A'], line: 3 }]);
    // Spaces at the end of a name are part of it (regedit.c Subkey1c); "]" inside a name too (the last one closes).
    expect(parse('[HKEY_USERS\\S\\a]b ]')[0]).toMatchObject({ path: ['a]b '] });
  });

  it('refuse a blank after "[" or "[-", a missing "]", text after it and an unknown root (regedit.c Subkey1a/b, Subkey2a/b, Subkey4b)', () => {
    expect(syntaxError(() => parse('[ HKEY_LOCAL_MACHINE\\X]'))).toMatchObject({ line: 3, column: 2 });
    expect(syntaxError(() => parse('[-\tHKEY_LOCAL_MACHINE\\X]'))).toMatchObject({ line: 3, column: 3 });
    expect(syntaxError(() => parse('[HKEY_LOCAL_MACHINE\\X'))).toMatchObject({ column: 22 });
    expect(syntaxError(() => parse('[HKEY_LOCAL_MACHINE\\X] junk'))).toMatchObject({ column: 24 });
    expect(parse('[HKEY_LOCAL_MACHINE\\X] ; fine')).toHaveLength(1);
    expect(syntaxError(() => parse('[HKEY_CURRENT_USERS\\X]')).reason).toMatch(/does not start with a root key/);
    expect(syntaxError(() => parse('[\\A\\B]')).reason).toMatch(/hive-relative form.*hivex dialect/);
  });
});

describe('the hivexregedit --merge dialect', () => {
  it('needs no header, takes hive-relative keys, str: values and backslash escapes', () => {
    const text = ['[\\]', '"top"=dword:00000001', '', '[\\A\\B]', '"s"=str(2):"%PATH%"', '"t"=str:"a\\qb"', '@=hex(3):01,02', '', '[-\\A\\B]', ''].join('\n');
    const operations = parseRegFile(text, 'h.reg', { dialect: 'hivex' }).operations;
    expect(operations).toEqual([
      { kind: 'key', keyPath: '\\', path: [], line: 1 },
      { kind: 'value', keyPath: '\\', path: [], name: 'top', type: 4, data: Uint8Array.of(1, 0, 0, 0), line: 2 },
      { kind: 'key', keyPath: '\\A\\B', path: ['A', 'B'], line: 4 },
      { kind: 'value', keyPath: '\\A\\B', path: ['A', 'B'], name: 's', type: 2, data: sz('%PATH%'), line: 5 },
      { kind: 'value', keyPath: '\\A\\B', path: ['A', 'B'], name: 't', type: 1, data: sz('aqb'), line: 6 },
      { kind: 'value', keyPath: '\\A\\B', path: ['A', 'B'], name: '', type: 3, data: Uint8Array.of(1, 2), line: 7 },
      { kind: 'deleteKey', keyPath: '\\A\\B', path: ['A', 'B'], line: 9 },
    ]);
    // The same bytes as a regedit file are refused: no header.
    expect(() => parseRegFile(text)).toThrow(/header line is missing/);
  });

  it('skips a header when there is one, and reads UTF-16 like the rest', () => {
    const text = `${V5}\r\n\r\n[\\A]\r\n"v"="x"\r\n`;
    expect(parseBytes(utf16(text, true, true), { dialect: 'hivex' })).toMatchObject([{ path: ['A'] }, { name: 'v' }]);
    expect(parseRegFile(`REGEDIT4\n[\\A]\n`, 'h', { dialect: 'hivex' }).format).toBe('regedit4');
  });
});

describe('applying operations', () => {
  const text = [
    V5,
    '',
    '[HKEY_LOCAL_MACHINE\\SYSTEM\\Setup]',
    '"a"=dword:00000001',
    '[HKEY_CURRENT_USER\\Software\\Wine]',
    '"b"="x"',
    '[-HKEY_LOCAL_MACHINE\\SYSTEM\\Old]',
    '[HKEY_LOCAL_MACHINE\\SYSTEM\\Setup]',
    '"a"=-',
    '',
  ].join('\r\n');

  it('routes each operation to the hive its key path resolves to', () => {
    const system = Hive.create({ clock: fixedClock });
    system.root().ensurePath('Old\\Deeper');
    const user = Hive.create({ clock: fixedClock });
    const calls: [string, number][] = [];
    const summary = applyRegOperations(parseRegFile(text).operations, (keyPath, line) => {
      calls.push([keyPath, line]);
      const [root, , ...rest] = keyPath.split('\\');
      if (root === 'HKEY_LOCAL_MACHINE') return { root: system.root(), path: rest };
      if (root === 'HKEY_CURRENT_USER') return { root: user.root(), path: keyPath.split('\\').slice(1) };
      throw new Error(`not mounted: ${keyPath}`);
    });
    expect(summary).toEqual({ keysCreatedOrOpened: 3, keysDeleted: 1, valuesSet: 2, valuesDeleted: 1 });
    expect(system.root().subkey('Setup')!.valueCount).toBe(0);
    expect(system.root().subkey('Old')).toBeUndefined();
    expect(user.root().subkey('Software')!.subkey('Wine')!.value('b')!.data()).toEqual(sz('x'));
    // resolve is asked once per [key] line and once per other operation, never per value under a [key].
    expect(calls.map(([, line]) => line)).toEqual([3, 5, 7, 8, 9]);
  });

  it('refuses to delete the root of a mounted hive (once ignored and reported as success)', () => {
    const hive = Hive.create({ clock: fixedClock });
    hive.root().addSubkey('keep');
    const parsed = parseRegFile(`${V5}\r\n\r\n[HKEY_LOCAL_MACHINE\\SYSTEM\\x]\r\n[-HKEY_LOCAL_MACHINE\\SYSTEM]\r\n`);
    let caught: unknown;
    try {
      applyRegFile(hive, parsed);
    } catch (error) {
      caught = error;
    }
    expect(caught).toBeInstanceOf(RegImportError);
    expect(caught).toMatchObject({ code: 'REG_DELETE_ROOT', keyPath: 'HKEY_LOCAL_MACHINE\\SYSTEM', line: 4 });
    expect(hive.root().subkey('x')).toBeUndefined();
    expect(hive.root().subkey('keep')).toBeDefined();
  });
});

describe('NUL characters', () => {
  it('are refused inside lines, where regedit would cut the line short', () => {
    const error = syntaxError(() => parseRegFile(`${V5}\r\n[HKEY_LOCAL_MACHINE\\X]\r\n"a\0b"="x"\r\n`));
    expect([error.line, error.column]).toEqual([3, 3]);
    expect(error.reason).toMatch(/NUL character: regedit ends the line there/);
  });
});

describe('unterminated strings in hex form', () => {
  const file = [V5, '', '[HKEY_LOCAL_MACHINE\\X]', '"a"=hex(7):4c,00,69,00,6e,00,65,00', '"c"=hex(7):4c,00,00,00', '"e"=hex(2):', '"b"=hex:4c,00', ''].join(
    '\r\n',
  );

  it('keep their bytes by default, so an export of a real hive imports back exactly', () => {
    expect(
      parseRegFile(file)
        .operations.slice(1)
        .map((o) => (o.kind === 'value' ? Array.from(o.data) : [])),
    ).toEqual([[0x4c, 0, 0x69, 0, 0x6e, 0, 0x65, 0], [0x4c, 0, 0, 0], [], [0x4c, 0]]);
  });

  it('gain a NUL with terminateStrings, as regedit stores them (regedit.c test_basic_import_unicode, Wine20a/c, Wine22b)', () => {
    const operations = parseRegFile(file, 't.reg', { terminateStrings: true }).operations.slice(1);
    expect(operations.map((o) => (o.kind === 'value' ? Array.from(o.data) : []))).toEqual([
      [0x4c, 0, 0x69, 0, 0x6e, 0, 0x65, 0, 0, 0],
      [0x4c, 0, 0, 0],
      [],
      [0x4c, 0],
    ]);
    // REGEDIT4: 8-bit text widened, then terminated (regedit.c test_basic_import, Wine21a).
    const ansi = parseRegFile('REGEDIT4\r\n[HKEY_LOCAL_MACHINE\\X]\r\n"p"=hex(2):25,50,41,54,48,25\r\n', 't.reg', { terminateStrings: true }).operations[1];
    expect(ansi).toMatchObject({ data: encodeUtf16le('%PATH%\0') });
  });
});

describe('decodeRegFile errors', () => {
  it('are RegFileSyntaxErrors naming the file, line and column of the bad byte', () => {
    const file = bytesOf([0xef, 0xbb, 0xbf], `${V5}\r\n\r\n[HKEY_LOCAL_MACHINE\\X\\k]\r\n"abc"="`, [0xff], '"\r\n');
    let caught: unknown;
    try {
      decodeRegFile(file, undefined, 'u.reg');
    } catch (error) {
      caught = error;
    }
    expect(caught).toBeInstanceOf(RegFileSyntaxError);
    expect((caught as RegFileSyntaxError).message).toMatch(/^u\.reg:4:8: byte 0xff at offset \d+ is not valid UTF-8/);
    const odd = Uint8Array.from([...utf16(`${V5}\r\nab`, true, true), 0x41]);
    expect(() => decodeRegFile(odd, undefined, 'o.reg')).toThrow(/^o\.reg:2:3: the file ends with a single byte \(0x41\)/);
  });
});

describe('encoding errors while streaming', () => {
  it('name the line and column of the bad byte, whatever the chunking', () => {
    const file = bytesOf([0xef, 0xbb, 0xbf], `${V5}\r\n\r\n[HKEY_LOCAL_MACHINE\\X\\k]\r\n"ab`, [0xc3, 0xa9], 'c"="', [0xff], '"\r\n');
    for (const size of [file.length, 64, 7, 1]) {
      const error = syntaxError(() => parseBytes(file, {}, size));
      expect([error.line, error.column], `chunks of ${size}`).toEqual([4, 9]);
    }
  });
});
