import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { Hive, ValueType, dumpHiveToString, encodeUtf16le } from '../../src/hive/index.js';
import { RegExportError, applyRegFile, decodeRegFile, encodeRegFile, exportRegFile, parseRegChunks, parseRegFile } from '../../src/regfile/index.js';
import type { RegFileFormat } from '../../src/regfile/index.js';
import { fixedClock } from '../support/hives.js';

/** The canonical dump without timestamps: an import creates keys now, not when the source did. */
const contentOf = (hive: Hive): string => dumpHiveToString(hive).replace(/"mtime": \d+, /g, '');

/** Characters that stress the syntax (quotes, brackets, comment marks, blanks) and the whole UTF-16 range, lone surrogates included. */
const unit = (exclude: string): fc.Arbitrary<string> =>
  fc
    .oneof(
      fc.constantFrom('"', '\\', '[', ']', ';', '#', '=', '@', '-', ' ', '\t', ',', ':', 'a', 'Z', '0', '’', '€', 'é'),
      fc.integer({ min: 1, max: 0xffff }).map((c) => String.fromCharCode(c)),
    )
    .filter((c) => !exclude.includes(c));

// Unrepresentable names are excluded here and tested to fail loudly in export.test.ts: CR, LF and NUL anywhere,
// a backslash in a key name.
const keyName = fc.string({ unit: unit('\r\n\0\\'), minLength: 1, maxLength: 12 });
const valueName = fc.oneof(fc.constant(''), fc.string({ unit: unit('\r\n\0'), minLength: 1, maxLength: 12 }));

/** Names REGEDIT4 can hold: Windows-1252 characters only. */
const unit1252 = (exclude: string): fc.Arbitrary<string> =>
  fc
    .oneof(
      fc.constantFrom('"', '\\', '[', ']', ';', '#', '=', '@', '-', ' ', '\t', ',', '’', '€', 'Ÿ', 'é'),
      fc.integer({ min: 0x20, max: 0xff }).map((c) => String.fromCharCode(c)),
    )
    .filter((c) => !exclude.includes(c));
const keyName1252 = fc.string({ unit: unit1252('\\'), minLength: 1, maxLength: 12 });
const valueName1252 = fc.oneof(fc.constant(''), fc.string({ unit: unit1252(''), minLength: 1, maxLength: 12 }));

const valueArb = fc.record({
  name: valueName,
  type: fc.oneof(fc.constantFrom(0, 1, 2, 3, 4, 7, 11), fc.integer({ min: 0, max: 0xffffffff })),
  data: fc.oneof(
    fc.uint8Array({ maxLength: 90 }),
    fc.string({ unit: unit(''), maxLength: 20 }).map((text) => encodeUtf16le(`${text}\0`)),
  ),
});

/** A key path (1 to 3 names below the root) and values to set on it; intermediate keys are created. */
interface KeySpec {
  path: string[];
  values: { name: string; type: number; data: Uint8Array }[];
}

const treeArb: fc.Arbitrary<KeySpec> = fc.record({
  path: fc.array(keyName, { minLength: 1, maxLength: 3 }),
  values: fc.array(valueArb, { maxLength: 4 }),
});

const tree1252Arb: fc.Arbitrary<KeySpec> = fc.record({
  path: fc.array(keyName1252, { minLength: 1, maxLength: 3 }),
  values: fc.array(
    fc.record({
      name: valueName1252,
      type: fc.constantFrom(0, 1, 2, 3, 4, 7, 11, 0x100),
      data: fc.oneof(
        fc.uint8Array({ maxLength: 40 }),
        fc.string({ unit: unit1252(''), maxLength: 20 }).map((text) => encodeUtf16le(`${text}\0`)),
      ),
    }),
    { maxLength: 4 },
  ),
});

function build(specs: KeySpec[]): Hive {
  const hive = Hive.create({ clock: fixedClock });
  for (const spec of specs) {
    let key = hive.root();
    // Names equal under Windows' case folding land on one key, as they would in regedit.
    for (const name of spec.path) key = key.subkey(name) ?? key.addSubkey(name);
    for (const value of spec.values) key.setValue(value.name, value.type, value.data);
  }
  return hive;
}

function roundTrip(hive: Hive, format: RegFileFormat): Hive {
  const bytes = encodeRegFile(exportRegFile(hive, hive.root(), { format }).text, format);
  return applyRegFile(Hive.create({ clock: fixedClock }), parseRegFile(decodeRegFile(bytes))).hive;
}

describe('export then import, for random names and values', () => {
  it('gives back the same keys, values, types and bytes (v5, UTF-16LE)', () => {
    fc.assert(
      fc.property(fc.array(treeArb, { maxLength: 5 }), (specs) => {
        const hive = build(specs);
        expect(contentOf(roundTrip(hive, 'v5'))).toBe(contentOf(hive));
      }),
      { numRuns: 150 },
    );
  });

  it('REGEDIT4 either round-trips or refuses with RegExportError (Windows-1252 cannot hold everything)', () => {
    let refused = 0;
    let passed = 0;
    fc.assert(
      fc.property(fc.array(tree1252Arb, { maxLength: 4 }), (specs) => {
        const hive = build(specs);
        let back: Hive;
        try {
          back = roundTrip(hive, 'regedit4');
        } catch (error) {
          expect(error).toBeInstanceOf(RegExportError);
          refused++;
          return;
        }
        passed++;
        expect(contentOf(back)).toBe(contentOf(hive));
      }),
      { numRuns: 150 },
    );
    expect(passed).toBeGreaterThan(0);
    expect(refused).toBeGreaterThan(0);
  });

  it('REGEDIT4 round-trips text in Windows-1252, including its 0x80–0x9F characters', () => {
    const hive = Hive.create({ clock: fixedClock });
    const key = hive.root().addSubkey('Caf\u00e9 \u2019quoted\u2019 \u20ac');
    key.setValue('\u0160\u0153\u0178', ValueType.REG_SZ, encodeUtf16le('\u201cx\u201d\0'));
    key.setValue('e', ValueType.REG_EXPAND_SZ, encodeUtf16le('%P\u2122%\0'));
    key.setValue('m', ValueType.REG_MULTI_SZ, encodeUtf16le('a\0\u2020b\0\0'));
    key.setValue('s', ValueType.REG_SZ, encodeUtf16le('x\0y\0'));
    const text = exportRegFile(hive, hive.root(), { format: 'regedit4' }).text;
    expect(text).toContain('"s"=hex(1):78,00,79,00');
    expect(encodeRegFile(text, 'regedit4').includes(0x92)).toBe(true);
    expect(contentOf(roundTrip(hive, 'regedit4'))).toBe(contentOf(hive));
  });
});

describe('streaming', () => {
  it('gives the same operations whatever the chunk boundaries, in every encoding', () => {
    fc.assert(
      fc.property(
        fc.array(treeArb, { minLength: 1, maxLength: 4 }),
        fc.constantFrom('utf-16le', 'utf-16be', 'utf-8'),
        fc.array(fc.nat(), { maxLength: 12 }),
        (specs, encoding, cutSeeds) => {
          const text = exportRegFile(build(specs)).text;
          let bytes: Uint8Array;
          if (encoding === 'utf-8') bytes = new TextEncoder().encode(text.replace(/[\uD800-\uDFFF]/g, '?'));
          else {
            bytes = encodeRegFile(text);
            if (encoding === 'utf-16be') for (let i = 0; i + 1 < bytes.length; i += 2) [bytes[i], bytes[i + 1]] = [bytes[i + 1]!, bytes[i]!];
          }
          const whole = [...parseRegChunks([bytes])];
          const cuts = [...new Set(cutSeeds.map((seed) => seed % (bytes.length + 1)))].sort((a, b) => a - b);
          const chunks: Uint8Array[] = [];
          let at = 0;
          for (const cut of [...cuts, bytes.length]) {
            chunks.push(bytes.subarray(at, cut));
            at = cut;
          }
          expect([...parseRegChunks(chunks)]).toEqual(whole);
        },
      ),
      { numRuns: 150 },
    );
  });

  it('gives the same operations one byte at a time', () => {
    const text = [
      'Windows Registry Editor Version 5.00',
      '',
      '[HKEY_LOCAL_MACHINE\\X\\𝄞 key]',
      '"v\uD800"="s\r"',
      '"h"=hex(7):41,00,\\',
      '  ; comment',
      '',
      '  00,00',
      '@=dword:1',
      '',
    ]
      .join('\r\n')
      .replace('s\r', 's');
    const bytes = encodeRegFile(text);
    const whole = [...parseRegChunks([bytes])];
    expect(whole).toHaveLength(4);
    const single = [...parseRegChunks(Array.from(bytes, (b) => Uint8Array.of(b)))];
    expect(single).toEqual(whole);
  });
});
