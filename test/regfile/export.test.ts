import { describe, expect, it } from 'vitest';
import { Hive, ValueType, encodeUtf16le } from '../../src/hive/index.js';
import { RegExportError, RegExportSkip, encodeRegFile, exportRegFile, parseRegFile } from '../../src/regfile/index.js';
import { fixedClock } from '../support/hives.js';

function caught(run: () => unknown): RegExportError {
  try {
    run();
  } catch (error) {
    expect(error).toBeInstanceOf(RegExportError);
    return error as RegExportError;
  }
  throw new Error('expected a RegExportError');
}

describe('export of what a .reg file cannot carry', () => {
  /**
   * A hive with Parent\{before, NAME\child, zafter}. Our API refuses a backslash in a key name, but a hive
   * written elsewhere may hold one (the format does not forbid it), so it is patched into the bytes: the key is
   * created under a placeholder of the same length and its stored name is overwritten.
   */
  function hiveWith(name: string): Hive {
    const placeholder = name.replace(/[\\\r\n\0]/g, 'Q');
    const hive = Hive.create({ clock: fixedClock });
    const parent = hive.root().addSubkey('Parent');
    parent.addSubkey('before').setValue('v', ValueType.REG_DWORD, Uint8Array.of(1, 0, 0, 0));
    const odd = parent.addSubkey(placeholder);
    odd.addSubkey('child').setValue('w', ValueType.REG_DWORD, Uint8Array.of(2, 0, 0, 0));
    parent.addSubkey('zafter');
    if (placeholder === name) return hive;
    const bytes = hive.serialize();
    const needle = Array.from(placeholder, (c) => c.charCodeAt(0));
    let patched = 0;
    for (let i = 0; i + needle.length <= bytes.length; i++) {
      if (needle.every((b, j) => bytes[i + j] === b)) {
        for (let j = 0; j < name.length; j++) bytes[i + j] = name.charCodeAt(j);
        patched++;
      }
    }
    expect(patched).toBeGreaterThan(0);
    return Hive.open(bytes);
  }

  it('refuses a key named "a\\b", which would import as two nested keys (once exported as such)', () => {
    const hive = hiveWith('a\\b');
    const error = caught(() => exportRegFile(hive, hive.root(), { prefix: 'HKEY_LOCAL_MACHINE\\SOFTWARE' }));
    expect(error.code).toBe('REG_EXPORT_UNREPRESENTABLE');
    expect(error.keyPath).toBe('HKEY_LOCAL_MACHINE\\SOFTWARE\\Parent\\a\\b');
    expect(error.valueName).toBeUndefined();
    expect(error.message).toMatch(/backslash in a key name .*nested keys\); nothing was written/);
  });

  it('refuses CR, LF and NUL in key names (once skipped with a warning and exit 0)', () => {
    for (const name of ['line\r\nbreak', 'lf\nonly', 'nul\0in']) {
      const hive = hiveWith(name);
      expect(caught(() => exportRegFile(hive)).keyPath).toBe(`HKEY_LOCAL_MACHINE\\ROOT\\Parent\\${name}`);
    }
  });

  it('refuses CR, LF and NUL in value names, and names the key and the value', () => {
    for (const name of ['a\rb', 'a\nb', 'a\0b']) {
      const hive = Hive.create({ clock: fixedClock });
      hive.root().addSubkey('K').setValue(name, ValueType.REG_SZ, encodeUtf16le('x\0'));
      const error = caught(() => exportRegFile(hive));
      expect([error.keyPath, error.valueName]).toEqual(['HKEY_LOCAL_MACHINE\\ROOT\\K', name]);
    }
  });

  it('with skipUnrepresentable, leaves out the key with its subtree, lists it, and writes the rest', () => {
    const hive = hiveWith('a\\b');
    hive
      .root()
      .subkey('Parent')!
      .subkey('before')!
      .setValue('bad\nname', ValueType.REG_DWORD, Uint8Array.of(3, 0, 0, 0));
    const result = exportRegFile(hive, hive.root(), { skipUnrepresentable: true });
    expect(result.skipped).toHaveLength(2);
    expect(result.skipped[0]).toBeInstanceOf(RegExportSkip);
    // Walk order: the patched key still sorts under its placeholder "aQb", before "before".
    expect(result.skipped.map((s) => [s.keyPath, s.valueName])).toEqual([
      ['HKEY_LOCAL_MACHINE\\ROOT\\Parent\\a\\b', undefined],
      ['HKEY_LOCAL_MACHINE\\ROOT\\Parent\\before', 'bad\nname'],
    ]);
    expect(String(result.skipped[0])).toMatch(/^key "HKEY_LOCAL_MACHINE\\\\ROOT\\\\Parent\\\\a\\\\b" and its subkeys: /);
    const keys = parseRegFile(result.text)
      .operations.filter((o) => o.kind === 'key')
      .map((o) => o.keyPath);
    expect(keys).toEqual([
      'HKEY_LOCAL_MACHINE\\ROOT',
      'HKEY_LOCAL_MACHINE\\ROOT\\Parent',
      'HKEY_LOCAL_MACHINE\\ROOT\\Parent\\before',
      'HKEY_LOCAL_MACHINE\\ROOT\\Parent\\zafter',
    ]);
  });

  it('exports strings with CR, LF or NUL inside as hex(1) (representable, unlike names)', () => {
    const hive = Hive.create({ clock: fixedClock });
    hive.root().setValue('s', ValueType.REG_SZ, encodeUtf16le('a\r\nb\0'));
    const { text, skipped } = exportRegFile(hive);
    expect(skipped).toEqual([]);
    expect(text).toContain('"s"=hex(1):61,00,0d,00,0a,00,62,00,00,00');
  });

  it('REGEDIT4: refuses names and string data outside Windows-1252, and encodes in Windows-1252', () => {
    const hive = Hive.create({ clock: fixedClock });
    const key = hive.root().addSubkey('Ключ');
    expect(caught(() => exportRegFile(hive, hive.root(), { format: 'regedit4' })).message).toMatch(/outside Windows-1252 in a key name .*use the v5 format/);
    hive.root().deleteSubkey('Ключ');
    const other = hive.root().addSubkey('k');
    other.setValue('e', ValueType.REG_EXPAND_SZ, encodeUtf16le('%Путь%\0'));
    expect(caught(() => exportRegFile(hive, hive.root(), { format: 'regedit4' })).valueName).toBe('e');
    void key;
    expect(() => encodeRegFile('REGEDIT4\r\n"\u0416"="x"\r\n', 'regedit4')).toThrow(/"Ж" has no byte in Windows-1252/);
    expect(Array.from(encodeRegFile('’€', 'regedit4'))).toEqual([0x92, 0x80]);
  });
});

describe('REGEDIT4 text whose Windows-1252 bytes are also valid UTF-8', () => {
  // Found by roundtrip.property.test.ts (seed -1763834137): a key "Â’" is C2 92 in Windows-1252, which
  // reads back as UTF-8 U+0092; such a file must be refused, not written to come back different.
  it('is refused, naming v5 as the way out; other non-ASCII REGEDIT4 text still encodes', () => {
    expect(() => encodeRegFile('REGEDIT4\r\n\r\n[HKEY_LOCAL_MACHINE\\X\\Â’]\r\n', 'regedit4')).toThrow(/also read as UTF-8.*v5/);
    expect(encodeRegFile('REGEDIT4\r\n\r\n[HKEY_LOCAL_MACHINE\\X\\café]\r\n', 'regedit4').includes(0xe9)).toBe(true);
  });
});
