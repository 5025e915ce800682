import { readFileSync, writeFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { Hive, HiveError, ValueType, dumpHiveToString, encodeUtf16le } from '../../src/hive/index.js';
import {
  RegExportError,
  RegFileSyntaxError,
  applyRegFile,
  decodeRegFile,
  encodeRegFile,
  exportRegFile,
  formatValue,
  parseRegFile,
} from '../../src/regfile/index.js';
import { corpusAvailable, corpusFiles, corpusPath, readCorpus } from '../support/corpus.js';
import { fixedClock, temporaryPath } from '../support/hives.js';
import { hivexDump, oraclesAvailable, run } from '../support/oracles.js';

/** The canonical dump without timestamps: an import creates keys now, not when the source did. */
function contentOf(dump: string): string {
  return dump.replace(/"mtime": \d+, /g, '');
}

/** The same, with each key's values sorted by name: hivexregedit --export sorts them (observed; oracles.md says otherwise). */
function contentSorted(dump: string): string {
  return dump
    .trim()
    .split('\n')
    .map((line) => {
      const entry = JSON.parse(line) as { path: string; values: [string, number, string][] };
      entry.values.sort((a, b) => (a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : 0));
      return JSON.stringify([entry.path, entry.values]);
    })
    .join('\n');
}

function importInto(text: string, minorVersion: 3 | 5 = 5): Hive {
  return applyRegFile(Hive.create({ minorVersion, clock: fixedClock }), parseRegFile(text)).hive;
}

/** Corpus hives whose content a .reg file cannot carry as it is, and why. */
const NOT_REPRESENTABLE: Record<string, string> = {
  'yarp/BogusKeyNamesHive':
    'key names hold CR LF ("testnew\\r\\nne") and NUL ("testnu\\0l"): a .reg key line cannot (export refuses, or skips and reports them)',
  'hivex/special': 'a key name holds NUL ("zero\\0key"), which ends a name for regedit (export refuses, or skips and reports it)',
  'yarp/DuplicateSubkeysHive': 'a key lists the same subkey twice; an import creates it once',
  'yarp/WrongOrderHive': 'its subkey lists are deliberately out of order; an import writes them in Windows order',
};

/** Corpus hives we read (a HiveError on open or dump means we refuse it, as hivex does). */
function readable(name: string): { hive: Hive; original: string } | undefined {
  try {
    const hive = Hive.open(readCorpus(name));
    return { hive, original: dumpHiveToString(hive) };
  } catch (error) {
    if (error instanceof HiveError) return undefined;
    throw error;
  }
}

// One test per hive: the big ones cost seconds each in the hive's inserts, and together they exceeded a test's time limit.
describe.skipIf(!corpusAvailable())('export then import', () => {
  const names = corpusAvailable() ? corpusFiles() : [];

  it('covers most of the corpus', () => {
    expect(names.filter((name) => NOT_REPRESENTABLE[name] === undefined && readable(name) !== undefined).length).toBeGreaterThan(50);
  });

  for (const name of names) {
    it(`round-trips ${name} to the same canonical dump, timestamps aside (or refuses what it cannot carry)`, () => {
      const read = readable(name);
      if (read === undefined) return;
      const { hive, original } = read;
      const skipping = name === 'yarp/BogusKeyNamesHive' || name === 'hivex/special';
      if (skipping) expect(() => exportRegFile(hive), name).toThrow(RegExportError);
      const exported = exportRegFile(hive, hive.root(), { skipUnrepresentable: skipping });
      const back = importInto(decodeRegFile(encodeRegFile(exported.text)), hive.minorVersion >= 5 ? 5 : 3);
      if (NOT_REPRESENTABLE[name] !== undefined) {
        expect(contentOf(dumpHiveToString(back)), NOT_REPRESENTABLE[name]).not.toBe(contentOf(original));
        if (skipping) expect(exported.skipped.length).toBeGreaterThan(0);
        return;
      }
      expect(exported.skipped, name).toEqual([]);
      expect(contentOf(dumpHiveToString(back)), name).toBe(contentOf(original));
    });
  }
});

describe.skipIf(!(corpusAvailable() && oraclesAvailable('hivexDump')))('foreign tools and our .reg files', () => {
  const merged = [
    'hivex/rlenvalue_test_hive',
    'yarp/UnicodeHive',
    'yarp/StringValuesHive',
    'yarp/MultiSzHive',
    'python-registry/REORGANIZED_VALUES_TESTS',
    'regipy/NTUSER.DAT',
  ];
  for (const name of merged) {
    it(`hivexregedit --merge of our export of ${name} into an empty hive gives the same dump`, () => {
      const hive = Hive.open(readCorpus(name));
      const regPath = temporaryPath(`${name.replaceAll('/', '_')}.reg`);
      // hivexregedit reads UTF-8 text (it rejects the UTF-16 regedit writes), so it gets the same text as UTF-8.
      writeFileSync(regPath, exportRegFile(hive, hive.root(), { prefix: 'HKEY_LOCAL_MACHINE\\X' }).text);
      const target = temporaryPath(`${name.replaceAll('/', '_')}.merged`);
      writeFileSync(target, Hive.create({ minorVersion: hive.minorVersion >= 5 ? 5 : 3 }).serialize());
      // PERL_UNICODE=SD makes it read the file as UTF-8 (by default it decodes bytes as Latin-1).
      const result = run('hivexregedit', ['--merge', '--prefix', 'HKEY_LOCAL_MACHINE\\X', target, regPath], { PERL_UNICODE: 'SD' });
      expect(result.status, result.stderr).toBe(0);
      expect(contentOf(hivexDump(target).stdout)).toBe(contentOf(dumpHiveToString(hive)));
    });
  }

  for (const name of ['hivex/special', 'yarp/UnicodeHive', 'regipy/NTUSER.DAT', 'dfwinreg/SAM']) {
    it(`imports hivexregedit --export of ${name} into the same dump`, () => {
      const result = run('hivexregedit', ['--export', corpusPath(name), '\\'], { PERL_UNICODE: 'SO' });
      expect(result.status, result.stderr).toBe(0);
      const back = applyRegFile(Hive.create({ clock: fixedClock }), parseRegFile(result.stdout, name, { dialect: 'hivex' })).hive;
      expect(contentSorted(dumpHiveToString(back))).toBe(contentSorted(dumpHiveToString(Hive.open(readCorpus(name)))));
    });
  }

  // reged writes empty hex(0) values without a line end and 0-byte strings as "" (both lossy or
  // malformed, and regedit would read them the same way), so the hives are ones it exports faithfully.
  it.skipIf(!oraclesAvailable('reged'))('imports reged -x exports into the same dump', () => {
    for (const name of [
      'yarp/MultiSzHive',
      'hivex/rlenvalue_test_hive',
      'EricZimmerman-Registry/NTUSER1.DAT',
      'yarp/StringValuesHive',
      'EricZimmerman-Registry/BCD',
    ]) {
      const out = temporaryPath(`${name.replaceAll('/', '_')}.reged.reg`);
      run('reged', ['-x', corpusPath(name), 'HKEY_LOCAL_MACHINE\\X', '\\', out]);
      const text = decodeRegFile(new Uint8Array(readFileSync(out)));
      const back = importInto(text);
      expect(contentOf(dumpHiveToString(back)), name).toBe(contentOf(dumpHiveToString(Hive.open(readCorpus(name)))));
    }
  });
});

describe('.reg syntax, as regedit reads it', () => {
  const header = 'Windows Registry Editor Version 5.00';
  const parse = (body: string): ReturnType<typeof parseRegFile> => parseRegFile(`${header}\r\n\r\n${body}`);

  it('accepts exactly the two headers', () => {
    expect(parseRegFile('REGEDIT4\n').format).toBe('regedit4');
    expect(parseRegFile(`${header}\n`).format).toBe('v5');
    for (const bad of ['regedit4', 'Windows Registry Editor Version 4.00', 'Windows Registry Editor Version 5', 'REGEDIT 4']) {
      expect(() => parseRegFile(`${bad}\n`)).toThrow(RegFileSyntaxError);
    }
  });

  it('reads every value form, escapes and the default value', () => {
    const parsed = parse(
      [
        '[HKEY_LOCAL_MACHINE\\X\\k]',
        '@="default"',
        '"quote\\"d"="back\\\\slash"',
        '"d"=dword:0000abcd',
        '"b"=hex:de,ad',
        '"q"=hex(b):01,00,00,00,00,00,00,00',
        '"n"=hex(0):',
        '"big"=hex(abcd):01',
        '"gone"=-',
      ].join('\r\n'),
    );
    const values = parsed.operations.filter((o) => o.kind === 'value');
    expect(values.map((o) => [o.name, o.type, Array.from(o.data)])).toEqual([
      ['', 1, Array.from(encodeUtf16le('default\0'))],
      ['quote"d', 1, Array.from(encodeUtf16le('back\\slash\0'))],
      ['d', 4, [0xcd, 0xab, 0, 0]],
      ['b', 3, [0xde, 0xad]],
      ['q', 11, [1, 0, 0, 0, 0, 0, 0, 0]],
      ['n', 0, []],
      ['big', 0xabcd, [1]],
    ]);
    expect(parsed.operations.at(-1)).toMatchObject({ kind: 'deleteValue', name: 'gone' });
  });

  it('continues hex lists over lines ending in a backslash after a comma, with ;comments', () => {
    const parsed = parse(['[HKEY_LOCAL_MACHINE\\X\\k]', '"b"=hex:01,02,\\', '  03,04,\\ ; a comment', '  05', ''].join('\n'));
    expect(Array.from((parsed.operations[1] as { data: Uint8Array }).data)).toEqual([1, 2, 3, 4, 5]);
  });

  it('rejects a continuation line that starts with a comma', () => {
    expect(() => parse(['[HKEY_LOCAL_MACHINE\\X\\k]', '"b"=hex:01,02,\\', '  ,03'].join('\n'))).toThrow(/cannot start with a comma/);
  });

  it('accepts ";" after a value and rejects "#" after a value (Windows behaviour)', () => {
    expect(parse('[HKEY_LOCAL_MACHINE\\X\\k]\n"a"="x" ;fine\n"b"=dword:1 ;fine').operations.length).toBe(3);
    expect(() => parse('[HKEY_LOCAL_MACHINE\\X\\k]\n"a"="x" #not fine')).toThrow(/"#" after a value makes regedit drop the value/);
    expect(() => parse('[HKEY_LOCAL_MACHINE\\X\\k]\n"a"=hex:01 #not fine')).toThrow(/"#" after a value/);
  });

  it('takes ; and # comment lines, indented or not, and blank lines', () => {
    expect(parse('; one\n  # two\n\n[HKEY_LOCAL_MACHINE\\X\\k]\n   ; three\n"a"="b"').operations.length).toBe(2);
  });

  it('reports file, line and column of a syntax error and changes nothing', () => {
    const hive = Hive.create({ clock: fixedClock });
    hive.root().addSubkey('keep');
    const before = dumpHiveToString(hive);
    try {
      parseRegFile(`${header}\n\n[HKEY_LOCAL_MACHINE\\X\\k]\n"a"="b"\n  "c"=bogus\n`, 'x.reg');
      expect.unreachable();
    } catch (error) {
      expect(error).toBeInstanceOf(RegFileSyntaxError);
      expect((error as RegFileSyntaxError).message).toBe('x.reg:5:7: unrecognised value data "bogus" (expected "string", dword:, hex:, hex(N): or -)');
    }
    expect(dumpHiveToString(hive)).toBe(before);
  });

  it('deletes keys with [-KEY] and maps HKEY roots onto the hive as reg load would', () => {
    const hive = Hive.create({ clock: fixedClock });
    hive.root().ensurePath('a\\b');
    const { hive: after } = applyRegFile(hive, parse('[-HKEY_LOCAL_MACHINE\\SYSTEM\\a\\b]\n[HKLM\\SYSTEM\\c]\n"v"=dword:00000001'));
    expect(after.root().subkey('a')!.subkeyCount).toBe(0);
    expect(after.root().subkey('c')!.value('v')!.data()).toEqual(Uint8Array.of(1, 0, 0, 0));
    expect(hive.root().subkey('c')).toBeUndefined();
  });

  it('widens REGEDIT4 hex(2)/hex(7) single-byte strings', () => {
    const parsed = parseRegFile('REGEDIT4\n\n[HKEY_LOCAL_MACHINE\\X\\k]\n"e"=hex(2):25,41,25,00\n');
    expect(Array.from((parsed.operations[1] as { data: Uint8Array }).data)).toEqual([0x25, 0, 0x41, 0, 0x25, 0, 0, 0]);
  });
});

describe('.reg export format', () => {
  it('writes strings, dwords and hex as regedit does, wrapping hex near 80 columns with two-space indents', () => {
    expect(formatValue('', ValueType.REG_SZ, encodeUtf16le('a"b\\c\0'))).toBe('@="a\\"b\\\\c"');
    expect(formatValue('n', ValueType.REG_DWORD, Uint8Array.of(0xcd, 0xab, 0, 0))).toBe('"n"=dword:0000abcd');
    expect(formatValue('n', ValueType.REG_DWORD, Uint8Array.of(1, 2))).toBe('"n"=hex(4):01,02');
    expect(formatValue('s', ValueType.REG_SZ, encodeUtf16le('no terminator'))).toMatch(/^"s"=hex\(1\):/);
    const wrapped = formatValue('Blob', ValueType.REG_BINARY, new Uint8Array(60).fill(0xab))!;
    const lines = wrapped.split('\r\n');
    expect(lines.length).toBeGreaterThan(1);
    for (const line of lines) expect(line.length).toBeLessThanOrEqual(80);
    for (const line of lines.slice(1)) expect(line.startsWith('  ')).toBe(true);
    for (const line of lines.slice(0, -1)) expect(line.endsWith(',\\')).toBe(true);
  });

  it('encodes v5 as UTF-16LE with a BOM and CRLF line ends', () => {
    const hive = Hive.create({ clock: fixedClock });
    hive.root().addSubkey('Ключ');
    const { text } = exportRegFile(hive);
    const bytes = encodeRegFile(text);
    expect([bytes[0], bytes[1]]).toEqual([0xff, 0xfe]);
    expect(text.startsWith('Windows Registry Editor Version 5.00\r\n\r\n[HKEY_LOCAL_MACHINE\\ROOT]\r\n\r\n[HKEY_LOCAL_MACHINE\\ROOT\\Ключ]\r\n')).toBe(true);
    expect(decodeRegFile(bytes)).toBe(text);
  });
});
