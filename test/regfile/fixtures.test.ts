import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { Hive } from '../../src/hive/index.js';
import { RegFileSyntaxError, RegImportError, applyRegFile, parseRegChunks } from '../../src/regfile/index.js';
import type { RegOperation, RegParseOptions } from '../../src/regfile/index.js';
import { fixedClock } from '../support/hives.js';

const read = (name: string): Uint8Array => new Uint8Array(readFileSync(fileURLToPath(new URL(`fixtures/${name}`, import.meta.url))));
const parse = (name: string, options: RegParseOptions = {}): RegOperation[] => [...parseRegChunks([read(name)], { file: name, ...options })];
const withoutLines = (operations: RegOperation[]): unknown[] => operations.map(({ line: _line, ...rest }) => rest);

describe('.reg fixtures, one per dialect case (fixtures/README.md)', () => {
  const reference = parse('v5-utf16le-bom.reg');

  it('the reference file has what it should', () => {
    expect(reference.map((o) => o.kind)).toEqual(['key', 'value', 'value', 'value', 'value', 'deleteValue', 'deleteKey', 'key', 'value', 'value']);
    expect(reference[0]).toMatchObject({ keyPath: 'HKEY_LOCAL_MACHINE\\SYSTEM\\CurrentControlSet\\Services\\Tcpip\\Parameters', line: 4 });
    expect(reference[7]).toMatchObject({ keyPath: 'HKEY_CURRENT_USER\\Software\\Café ’Quotes’', path: ['Café ’Quotes’'] });
  });

  for (const name of ['v5-utf16le-nobom.reg', 'v5-utf16be-bom.reg', 'v5-utf16be-nobom.reg', 'v5-utf8-bom.reg', 'v5-utf8.reg', 'type-tags-any-case.reg']) {
    it(`${name} parses to the same operations, line for line`, () => {
      expect(parse(name)).toEqual(reference);
    });
  }

  for (const name of ['regedit4-cp1252.reg', 'whitespace-header.reg']) {
    it(`${name} parses to the same operations`, () => {
      expect(withoutLines(parse(name))).toEqual(withoutLines(reference));
    });
  }

  it('hivex-merge.reg needs the hivex dialect', () => {
    expect(() => parse('hivex-merge.reg')).toThrow(/header line is missing/);
    expect(parse('hivex-merge.reg', { dialect: 'hivex' }).map((o) => [o.kind, o.keyPath])).toEqual([
      ['key', '\\ControlSet001\\Services\\Tcpip\\Parameters'],
      ['value', '\\ControlSet001\\Services\\Tcpip\\Parameters'],
      ['value', '\\ControlSet001\\Services\\Tcpip\\Parameters'],
      ['deleteKey', '\\ControlSet001\\Services\\Tcpip\\Parameters\\Old'],
    ]);
  });

  it('the bad ones fail with the line and column of the problem', () => {
    const errorOf = (name: string): RegFileSyntaxError => {
      try {
        parse(name);
      } catch (error) {
        expect(error).toBeInstanceOf(RegFileSyntaxError);
        return error as RegFileSyntaxError;
      }
      throw new Error(`${name} parsed`);
    };
    expect(errorOf('bad-header-case.reg').message).toMatch(/^bad-header-case\.reg:1:1: .*found "regedit4".*differs only in letter case/);
    expect(errorOf('bad-dword-9-digits.reg').message).toMatch(/^bad-dword-9-digits\.reg:4:23: dword: takes at most 8 hex digits/);
    expect(errorOf('bad-utf16-odd-byte.reg').message).toMatch(/single byte \(0x0a\)/);
    const root = parse('bad-delete-mount-root.reg');
    expect(() => applyRegFile(Hive.create({ clock: fixedClock }), { format: 'v5', operations: root })).toThrow(RegImportError);
  });
});
