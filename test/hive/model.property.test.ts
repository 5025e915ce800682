import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { Hive, HiveNameExistsError, checkHive, compareNames, dumpHiveToString, namesEqual, toHex } from '../../src/hive/index.js';
import type { KeyNode } from '../../src/hive/index.js';
import { FIXED_TIME, fixedClock, patternBytes, writeTemporary } from '../support/hives.js';
import { hivexDump, oraclesAvailable } from '../support/oracles.js';

/**
 * Random sequences of key and value operations run against the engine and against a plain in-memory
 * model; after saving, the engine's dump (and hivex's, where hivex can decode the names) must equal
 * the model's, and the validator must find nothing.
 */

interface ModelValue {
  name: string;
  type: number;
  data: Uint8Array;
}

interface ModelKey {
  name: string;
  children: ModelKey[];
  values: ModelValue[];
}

type Operation =
  | { kind: 'addKey'; parent: number; name: string }
  | { kind: 'deleteKey'; key: number }
  | { kind: 'renameKey'; key: number; name: string }
  | { kind: 'setValue'; key: number; name: string; type: number; size: number; seed: number }
  | { kind: 'deleteValue'; key: number; value: number };

/** Names that stress storage and ordering: ASCII, Latin-1, UTF-16, surrogates, Windows-upcase quirks. */
const nameUnit = fc.oneof(
  fc.constantFrom('a', 'B', 'z', 'Z', '0', '_', ' ', '.', '{', '~', '*'),
  fc.constantFrom('ß', 'ÿ', 'Ÿ', 'µ', 'ä', 'Ä', 'é', 'ı', 'ſ', 'ς', 'Σ', 'ǅ', 'ａ', 'Ａ'),
  fc.constantFrom('П', 'п', 'ж', '中', '€', '™'),
  fc.constantFrom('\ud801\udc00', '\ud83d\ude00', '\ud800', '\udfff', '\u0000'),
);
const wellFormedUnit = nameUnit.filter((unit) => unit !== '\ud800' && unit !== '\udfff');

function nameArbitrary(unit: fc.Arbitrary<string>, minLength: number): fc.Arbitrary<string> {
  return fc.array(unit, { minLength, maxLength: 8 }).map((parts) => parts.join('').slice(0, 255));
}

function operationArbitrary(unit: fc.Arbitrary<string>): fc.Arbitrary<Operation> {
  const index = fc.nat({ max: 1000 });
  const keyName = nameArbitrary(unit, 1);
  const size = fc.oneof(
    fc.integer({ min: 0, max: 8 }),
    fc.integer({ min: 9, max: 300 }),
    fc.constantFrom(16343, 16344, 16345, 16352, 32688, 32689),
    fc.integer({ min: 16345, max: 60_000 }),
  );
  return fc.oneof(
    { weight: 4, arbitrary: fc.record({ kind: fc.constant('addKey' as const), parent: index, name: keyName }) },
    { weight: 1, arbitrary: fc.record({ kind: fc.constant('deleteKey' as const), key: index }) },
    { weight: 1, arbitrary: fc.record({ kind: fc.constant('renameKey' as const), key: index, name: keyName }) },
    {
      weight: 4,
      arbitrary: fc.record({
        kind: fc.constant('setValue' as const),
        key: index,
        name: nameArbitrary(unit, 0),
        type: fc.constantFrom(0, 1, 2, 3, 4, 5, 7, 11, 0x1f4, 0xffff0000),
        size,
        seed: fc.nat(),
      }),
    },
    { weight: 2, arbitrary: fc.record({ kind: fc.constant('deleteValue' as const), key: index, value: index }) },
  );
}

/** Keys of both trees in the same order (depth first, children by Windows order). */
function modelKeys(root: ModelKey): { key: ModelKey; parent: ModelKey | undefined }[] {
  const out: { key: ModelKey; parent: ModelKey | undefined }[] = [];
  const visit = (key: ModelKey, parent: ModelKey | undefined): void => {
    out.push({ key, parent });
    for (const child of key.children) visit(child, key);
  };
  visit(root, undefined);
  return out;
}

function engineKeys(root: KeyNode): KeyNode[] {
  const out: KeyNode[] = [];
  const visit = (key: KeyNode): void => {
    out.push(key);
    for (const child of key.subkeys()) visit(child);
  };
  visit(root);
  return out;
}

function sortChildren(key: ModelKey): void {
  key.children.sort((a, b) => compareNames(a.name, b.name));
}

function apply(model: ModelKey, hive: Hive, operation: Operation): void {
  const keys = modelKeys(model);
  const engine = engineKeys(hive.root());
  expect(engine.length).toBe(keys.length);
  switch (operation.kind) {
    case 'addKey': {
      const i = operation.parent % keys.length;
      const parent = keys[i]!.key;
      if (parent.children.some((c) => namesEqual(c.name, operation.name))) {
        expect(() => engine[i]!.addSubkey(operation.name)).toThrow(HiveNameExistsError);
        return;
      }
      engine[i]!.addSubkey(operation.name);
      parent.children.push({ name: operation.name, children: [], values: [] });
      sortChildren(parent);
      return;
    }
    case 'deleteKey': {
      if (keys.length < 2) return;
      const i = 1 + (operation.key % (keys.length - 1));
      const { key, parent } = keys[i]!;
      engine[i]!.parent()!.deleteSubkey(key.name);
      parent!.children.splice(parent!.children.indexOf(key), 1);
      return;
    }
    case 'renameKey': {
      if (keys.length < 2) return;
      const i = 1 + (operation.key % (keys.length - 1));
      const { key, parent } = keys[i]!;
      if (parent!.children.some((c) => c !== key && namesEqual(c.name, operation.name))) {
        expect(() => engine[i]!.rename(operation.name)).toThrow(HiveNameExistsError);
        return;
      }
      engine[i]!.rename(operation.name);
      key.name = operation.name;
      sortChildren(parent!);
      return;
    }
    case 'setValue': {
      const i = operation.key % keys.length;
      const data = patternBytes(operation.size, operation.seed);
      engine[i]!.setValue(operation.name, operation.type, data);
      const values = keys[i]!.key.values;
      const existing = values.find((v) => namesEqual(v.name, operation.name));
      if (existing !== undefined) {
        existing.type = operation.type;
        existing.data = data;
      } else values.push({ name: operation.name, type: operation.type, data });
      return;
    }
    case 'deleteValue': {
      const i = operation.key % keys.length;
      const values = keys[i]!.key.values;
      if (values.length === 0) return;
      const [removed] = values.splice(operation.value % values.length, 1);
      engine[i]!.deleteValue(removed!.name);
      return;
    }
  }
}

function modelDump(root: ModelKey): string {
  let out = '';
  const visit = (key: ModelKey, path: string): void => {
    const values = key.values.map((v) => `[${JSON.stringify(v.name)}, ${v.type >>> 0}, "${toHex(v.data)}"]`).join(', ');
    out += `{"path": ${JSON.stringify(path)}, "mtime": ${FIXED_TIME}, "values": [${values}]}\n`;
    for (const child of key.children) visit(child, `${path}\\${child.name}`);
  };
  visit(root, '');
  return out;
}

function runScenario(minorVersion: 3 | 5, operations: Operation[], withHivex: boolean, run: number): void {
  const hive = Hive.create({ minorVersion, clock: fixedClock });
  const model: ModelKey = { name: 'ROOT', children: [], values: [] };
  for (const operation of operations) apply(model, hive, operation);
  const bytes = hive.serialize();
  expect(checkHive(bytes)).toEqual([]);
  const expected = modelDump(model);
  expect(dumpHiveToString(Hive.open(bytes))).toBe(expected);
  if (withHivex) {
    const theirs = hivexDump(writeTemporary(`model-${minorVersion}-${run}.hiv`, bytes));
    expect(theirs.stderr).toBe('');
    expect(theirs.stdout).toBe(expected);
  }
}

describe('model-based property: random operations agree with a plain in-memory model', () => {
  for (const minorVersion of [3, 5] as const) {
    it(`v1.${minorVersion}: any names (lone surrogates, NUL) through our reader`, () => {
      let run = 0;
      fc.assert(
        fc.property(fc.array(operationArbitrary(nameUnit), { minLength: 1, maxLength: 60 }), (operations) => {
          runScenario(minorVersion, operations, false, run++);
        }),
        { numRuns: 150 },
      );
    });
  }

  it.skipIf(!oraclesAvailable('hivexDump'))('v1.3 and v1.5: well-formed names, and hivex reads exactly the model', () => {
    let run = 0;
    fc.assert(
      fc.property(
        fc.constantFrom(3 as const, 5 as const),
        fc.array(operationArbitrary(wellFormedUnit), { minLength: 1, maxLength: 60 }),
        (minor, operations) => {
          runScenario(minor, operations, true, run++);
        },
      ),
      { numRuns: 40 },
    );
  });

  it('a key with 1,200 subkeys inserted in random order stays sorted and complete', () => {
    fc.assert(
      fc.property(
        fc.shuffledSubarray(
          Array.from({ length: 1200 }, (_, i) => `k${i}`),
          { minLength: 1200 },
        ),
        (names) => {
          const hive = Hive.create({ clock: fixedClock });
          const parent = hive.root().addSubkey('p');
          for (const name of names) parent.addSubkey(name);
          expect(parent.subkeys().map((k) => k.name)).toEqual([...names].sort((a, b) => compareNames(a, b)));
          expect(checkHive(hive.serialize())).toEqual([]);
        },
      ),
      { numRuns: 5 },
    );
  });
});
