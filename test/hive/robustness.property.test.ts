import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { Hive, HiveError, ValueType, dumpHiveToString, walkKeys } from '../../src/hive/index.js';
import { corpusAvailable, readCorpus } from '../support/corpus.js';
import { patternBytes } from '../support/hives.js';

/**
 * Hostile input: corrupted hives must end in a typed HiveError (or read, in tolerant mode) — never a
 * RangeError, TypeError, hang or runaway allocation — and the engine must keep working afterwards.
 */

const SOURCES = ['hivex/special', 'yarp/BigDataHive', 'python-registry/REORGANIZED_VALUES_TESTS', 'yarp/ManySubkeysHive', 'EricZimmerman-Registry/SAM'];

type Mutation = { kind: 'flip'; offset: number; bit: number } | { kind: 'word'; offset: number; value: number } | { kind: 'truncate'; length: number };

const mutation = fc.oneof(
  fc.record({ kind: fc.constant('flip' as const), offset: fc.nat(), bit: fc.integer({ min: 0, max: 7 }) }),
  fc.record({
    kind: fc.constant('word' as const),
    offset: fc.nat(),
    value: fc.constantFrom(0, 0xffffffff, 0x7fffffff, 0x80000000, 0x20, 8, -8 >>> 0, 0xffff, 0x1000),
  }),
  fc.record({ kind: fc.constant('truncate' as const), length: fc.nat() }),
);

function corrupt(source: Uint8Array, mutations: Mutation[], hotspot: number): Uint8Array {
  let bytes = source.slice();
  for (const m of mutations) {
    // Most structure sits in the first hive bins; aim most mutations there.
    const limit = Math.min(bytes.length, hotspot);
    if (m.kind === 'flip') bytes[m.offset % limit] = bytes[m.offset % limit]! ^ (1 << m.bit);
    else if (m.kind === 'word') {
      const at = (m.offset % Math.max(1, limit - 4)) & ~3;
      new DataView(bytes.buffer).setUint32(at, m.value, true);
    } else bytes = bytes.slice(0, 4096 + (m.length % Math.max(1, bytes.length - 4096)));
  }
  return bytes;
}

function exercise(bytes: Uint8Array, tolerant: boolean): void {
  const hive = Hive.open(bytes, { tolerant });
  dumpHiveToString(hive);
  for (const { key } of walkKeys(hive)) {
    key.className;
    key.securityDescriptor();
    key.subkey('a');
    key.value('b');
  }
  if (!tolerant) {
    const root = hive.root();
    root.addSubkey('fuzz added').setValue('v', ValueType.REG_BINARY, patternBytes(20_000));
    root.setValue('fuzz', ValueType.REG_DWORD, Uint8Array.of(1, 2, 3, 4));
    for (const child of root.subkeys().slice(0, 2)) root.deleteSubkey(child.name);
    Hive.open(hive.serialize());
  }
}

describe.skipIf(!corpusAvailable())('robustness: corrupted hives', () => {
  for (const name of SOURCES) {
    it(`${name}: only typed errors escape, in strict and tolerant mode, each case fast`, () => {
      const source = readCorpus(name);
      fc.assert(
        fc.property(fc.array(mutation, { minLength: 1, maxLength: 6 }), fc.boolean(), (mutations, tolerant) => {
          const bytes = corrupt(source, mutations, 4096 + 16384);
          const start = performance.now();
          try {
            exercise(bytes, tolerant);
          } catch (error) {
            if (!(error instanceof HiveError)) throw error;
            expect(error.message.length).toBeGreaterThan(10);
          }
          expect(performance.now() - start).toBeLessThan(1000);
        }),
        { numRuns: Number(process.env.FUZZ_RUNS ?? 300) },
      );
      // The engine keeps working after all of that.
      expect(dumpHiveToString(Hive.open(source)).length).toBeGreaterThan(0);
    });
  }
});

describe('robustness: regressions found by fuzzing', () => {
  it('a key with no values but a garbage value-list pointer takes a new value (was a bare RangeError)', () => {
    const hive = Hive.create();
    const key = hive.root().addSubkey('k');
    const bytes = hive.serialize();
    // nk field 40 (value list) → far outside the hive; value count stays 0.
    new DataView(bytes.buffer).setUint32(4096 + key.cell + 4 + 40, 0x63000000, true);
    const reopened = Hive.open(bytes);
    reopened
      .root()
      .subkey('k')!
      .setValue('v', ValueType.REG_DWORD, Uint8Array.of(1, 0, 0, 0));
    expect(reopened.root().subkey('k')!.value('v')!.data()).toEqual(Uint8Array.of(1, 0, 0, 0));
  });

  it('a garbage class-name pointer is not freed when the class changes', () => {
    const hive = Hive.create();
    const key = hive.root().addSubkey('k');
    const bytes = hive.serialize();
    new DataView(bytes.buffer).setUint32(4096 + key.cell + 4 + 48, 0x7ffffff8, true);
    const reopened = Hive.open(bytes);
    expect(() => reopened.root().subkey('k')!.setClassName('x')).toThrow(HiveError);
  });
});
