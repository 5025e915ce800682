import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  DataSpan,
  Hive,
  HiveError,
  KeyNode,
  ValueRecord,
  ValueType,
  dumpHiveToString,
  findValue,
  upcaseName,
  isValueCell,
  locateValueData,
  readValueData,
  toHex,
  valueListOf,
  visitKeys,
  walkKeys,
} from '../../src/hive/index.js';
import type { HiveProblem } from '../../src/hive/index.js';
import { encodeName, storedNameEquals } from '../../src/hive/names.js';
import { corpusAvailable, corpusFiles, readCorpus } from '../support/corpus.js';
import {
  hostileAmplifiedIndexRoot,
  hostileBigData,
  hostileCycle,
  hostileDeepChain,
  hostileSharedSubkeyList,
  hostileSharedValues,
} from '../support/hostile-hives.js';
import { fixedClock, patternBytes, sz } from '../support/hives.js';

/**
 * visitKeys (the allocation-free walk) against walkKeys (the iterator): the same keys in the same order
 * with the same depths and valuesOwned, the same faults (strict: the same error; tolerant: the same
 * problems), on hostile hives, a generated one and every corpus hive. And the dump, now built on
 * visitKeys, against a dump written naïvely from the public iterator API.
 */

interface Outcome {
  keys: string[];
  problems: string[];
  error: string | undefined;
}

/** walkKeys's "key reached twice … under PATH" names the path; the visitor (like the dump) has none. */
const normalize = (problems: HiveProblem[]): string[] => problems.map((p) => `${p.offset} ${p.message.replace(/ under "[^"]*"/, '')}`);

function byIterator(bytes: Uint8Array, tolerant: boolean): Outcome {
  const keys: string[] = [];
  let hive: Hive | undefined;
  try {
    hive = Hive.open(bytes, { tolerant });
    for (const entry of walkKeys(hive, hive.root(), { paths: false })) keys.push(`${entry.key.cell}/${entry.depth}/${entry.valuesOwned ?? true}`);
    return { keys, problems: normalize(hive.problems), error: undefined };
  } catch (error) {
    if (!(error instanceof HiveError)) throw error;
    return { keys, problems: normalize(hive?.problems ?? []), error: `${error.name}: ${error.message.replace(/ under "[^"]*"/, '')}` };
  }
}

function byVisitor(bytes: Uint8Array, tolerant: boolean): Outcome {
  const keys: string[] = [];
  let hive: Hive | undefined;
  try {
    hive = Hive.open(bytes, { tolerant });
    visitKeys(hive, (cell, depth, owned) => keys.push(`${cell}/${depth}/${owned}`));
    return { keys, problems: normalize(hive.problems), error: undefined };
  } catch (error) {
    if (!(error instanceof HiveError)) throw error;
    return { keys, problems: normalize(hive?.problems ?? []), error: `${error.name}: ${error.message}` };
  }
}

/** The canonical dump written the obvious way, from walkKeys, ValueRecord and readValueData. */
function naiveDump(hive: Hive): string {
  let out = '';
  for (const { key, path, valuesOwned } of walkKeys(hive)) {
    const values: string[] = [];
    for (const cell of valuesOwned === false ? [] : key.valueCells()) {
      const value = ValueRecord.at(hive, cell);
      if (value === undefined) continue;
      values.push(`[${JSON.stringify(value.name)}, ${value.type}, "${toHex(readValueData(hive, cell, false) ?? new Uint8Array(0))}"]`);
    }
    out += `{"path": ${JSON.stringify(path)}, "mtime": ${key.lastWritten}, "values": [${values.join(', ')}]}\n`;
  }
  return out;
}

const HOSTILE: [string, () => Uint8Array][] = [
  ['big data claiming 1 GiB', () => hostileBigData('huge')],
  ['big data listing one segment ten times', () => hostileBigData('fits')],
  ['amplified ri', hostileAmplifiedIndexRoot],
  ['cycle to the root', () => hostileCycle('root')],
  ['cycle to the parent', () => hostileCycle('parent')],
  ['chain 3,000 deep', () => hostileDeepChain(3_000)],
  ['shared subkey list', () => hostileSharedSubkeyList(300)],
  ['shared values', () => hostileSharedValues(30)],
];

/** A hive with every storage kind: inline, cell and big data, ri lists, UTF-16 and escaped names. */
function varied(): Uint8Array {
  const hive = Hive.create({ clock: fixedClock });
  const root = hive.root();
  const wide = root.addSubkey('Wide');
  for (let i = 0; i < 1_200; i++) wide.addSubkey(`k${i}`).setValue('v', ValueType.REG_DWORD, Uint8Array.of(i & 0xff, i >> 8, 0, 0));
  const odd = root.addSubkey('quote " tab \t é ☃');
  odd.setValue('back \\ slash', ValueType.REG_SZ, sz('y'));
  odd.setValue('\u0001ctl', ValueType.REG_SZ, sz('x'));
  odd.setValue('ünï', 7, patternBytes(5));
  odd.setValue('big', ValueType.REG_BINARY, patternBytes(50_000, 3));
  odd.setValue('', ValueType.REG_NONE, new Uint8Array(0));
  odd.setValue('odd length', 0xffffffff, patternBytes(33));
  odd.addSubkey('\ud800 lone surrogate').addSubkey('deeper');
  return hive.serialize();
}

describe('visitKeys equals walkKeys', () => {
  for (const [name, build] of [['varied generated hive', varied] as const, ...HOSTILE]) {
    for (const tolerant of [false, true]) {
      it(`${name}, ${tolerant ? 'tolerant' : 'strict'}`, () => {
        const bytes = build();
        const expected = byIterator(bytes, tolerant);
        expect(byVisitor(bytes, tolerant)).toEqual(expected);
        if (tolerant) expect(dumpHiveToString(Hive.open(bytes, { tolerant: true }))).toBe(naiveDump(Hive.open(bytes, { tolerant: true })));
      });
    }
  }

  it('the dump of the varied hive equals the naive one (strict)', () => {
    const bytes = varied();
    const dump = dumpHiveToString(Hive.open(bytes));
    expect(dump).toBe(naiveDump(Hive.open(bytes)));
    expect(dump).toContain('"mtime": 1');
    expect(dump).toContain('\\\\quote \\" tab \\t é ☃');
    expect(dump).toContain('"back \\\\ slash"');
  });

  it('prints FILETIMEs from 0 to 2⁶⁴ − 1 exactly, without BigInt', () => {
    const hive = Hive.create();
    const root = hive.root();
    for (const time of [0n, 9n, 10n, 999_999n, 1_000_000n, 0xffffffffn, 0x100000000n, 133_000_000_000_000_000n, 2n ** 53n + 1n, 2n ** 64n - 1n]) {
      root.lastWritten = time;
      expect(dumpHiveToString(hive).split('\n')[0]).toBe(`{"path": "", "mtime": ${time}, "values": []}`);
    }
  });

  it('locates value data in place: inline and cell data are (offset, length) in the hive, big data a copy', () => {
    const hive = Hive.create();
    const key = hive.root().addSubkey('k');
    key.setValue('inline', ValueType.REG_DWORD, Uint8Array.of(1, 2, 3, 4));
    key.setValue('cell', ValueType.REG_BINARY, patternBytes(100));
    key.setValue('big', ValueType.REG_BINARY, patternBytes(40_000));
    const list = valueListOf(hive, key.cell);
    const span = new DataSpan();
    const seen: [boolean, number][] = [];
    for (let i = 0; i < key.valueCount; i++) {
      const vk = hive.view.getUint32(hive.payload(list) + 4 * i, true);
      expect(isValueCell(hive, vk)).toBe(true);
      expect(locateValueData(hive, vk, span)).toBe(true);
      expect(span.bytes.subarray(span.offset, span.offset + span.length)).toEqual(new ValueRecord(hive, vk).data());
      seen.push([span.bytes === hive.bytes, span.length]);
    }
    expect(seen).toEqual([
      [true, 4],
      [true, 100],
      [false, 40_000],
    ]);
    expect(valueListOf(hive, hive.root().cell)).toBe(0xffffffff);
    expect(new KeyNode(hive, key.cell).valueCount).toBe(3);
  });
});

describe.skipIf(!corpusAvailable())('visitKeys equals walkKeys on every corpus hive', () => {
  /** Every corpus primary under `maxBytes` (and at least `minBytes`), compared in the given modes. */
  const compareCorpus = (minBytes: number, maxBytes: number, modes: boolean[]): number => {
    let compared = 0;
    for (const name of corpusFiles()) {
      if (/\.LOG\d?(\.xz)?$/.test(name)) continue;
      const bytes = readCorpus(name);
      if (bytes.length < minBytes || bytes.length >= maxBytes) continue;
      for (const tolerant of modes) {
        let expected: Outcome;
        try {
          expected = byIterator(bytes, tolerant);
        } catch {
          continue;
        }
        expect(byVisitor(bytes, tolerant), `${name} ${tolerant}`).toEqual(expected);
        compared++;
      }
    }
    return compared;
  };

  it('hives under 2 MB, strict and tolerant', () => {
    expect(compareCorpus(0, 2 << 20, [false, true])).toBeGreaterThan(50);
  }, 20_000);

  // Strict and tolerant agree on a hive without problems, and a strict walk fails at the first problem
  // a tolerant one records: tolerant mode alone covers the big ones, in half the time.
  it('hives of 2 MB and more, tolerant', () => {
    expect(compareCorpus(2 << 20, 64 << 20, [true])).toBeGreaterThan(5);
  }, 20_000);
});

describe('findValue (in-place value lookup)', () => {
  it("finds the value whose upcased name is the probe's, as KeyNode.value does: any case, UTF-16 and Latin-1 names, the default value, many values, missing names", () => {
    const hive = Hive.create();
    const few = hive.root().addSubkey('few');
    const many = hive.root().addSubkey('many');
    const names = ['', 'Speed', 'ünï', 'ẞig', 'ſ', '☃ snow', '*JumboPacket', 'a', 'A1'];
    for (const name of names) few.setValue(name, ValueType.REG_DWORD, Uint8Array.of(1, 2, 3, 4));
    for (let i = 0; i < 40; i++) many.setValue(`v${i}`, ValueType.REG_DWORD, Uint8Array.of(i, 0, 0, 0));
    const probes = [...names, 'speed', 'SPEED', 'ÜNÏ', 'ẞIG', 'S', '☃ SNOW', '*jumbopacket', 'b', 'a1 ', 'missing', 'V7', 'v39', 'v40'];
    let found = 0;
    for (const key of [few, many]) {
      for (const probe of probes) {
        // KeyNode.value is findValue now: the oracle decodes and upcases every name.
        const expected = key.values().find((v) => upcaseName(v.name) === upcaseName(probe))?.cell ?? 0xffffffff;
        expect(findValue(hive, key.cell, probe), `${key.name} ${JSON.stringify(probe)}`).toBe(expected);
        expect(key.value(probe)?.cell ?? 0xffffffff, `${key.name} ${JSON.stringify(probe)}`).toBe(expected);
        if (expected !== 0xffffffff) found++;
      }
    }
    // Every name, six case variants (not "S": Windows does not upcase ſ), V7 and v39.
    expect(found).toBe(names.length + 6 + 2);
  });
});

describe('storedNameEquals', () => {
  it('equals upcaseName(decoded) === upcaseName(name), for compressed and UTF-16 names, without decoding', () => {
    const units = fc.oneof(
      fc.constantFrom('a', 'A', 'ß', 'ſ', 'S', 'é', 'É', 'ǅ', 'Ǆ', 'ǆ', '\ud800', 'ｚ', 'Ｚ', '☃'),
      fc.string({ unit: 'binary', maxLength: 1 }),
    );
    const names = fc.array(units, { maxLength: 6 }).map((parts) => parts.join(''));
    fc.assert(
      fc.property(names, names, (stored, probe) => {
        const encoded = encodeName(stored);
        const bytes = Uint8Array.of(0xaa, ...encoded.bytes, 0xbb);
        const expected = upcaseName(stored) === upcaseName(probe);
        expect(storedNameEquals(bytes, 1, encoded.bytes.length, encoded.compressed, probe)).toBe(expected);
      }),
      { numRuns: 2_000 },
    );
  });
});
