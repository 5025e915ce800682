import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { Hive, HiveNameExistsError, checkHive, compareNames } from '../../src/hive/index.js';
import { fixedClock } from '../support/hives.js';

/**
 * The O(log n) subkey-list paths (binary search over an ri's leaves, in-place leaf edits, splits at
 * 507, emptied leaves dropped, an ri of one leaf collapsed) against a sorted model, around the sizes
 * where the structure changes, for regf 1.3 (lf/li leaves) and 1.5 (lh leaves).
 */
describe('subkey lists of hundreds to thousands of entries', () => {
  it('add, find and delete agree with a sorted model and leave a Windows-valid hive', () => {
    const operation = fc.record({ add: fc.boolean(), n: fc.nat(2_400), upper: fc.boolean() });
    fc.assert(
      fc.property(
        fc.constantFrom(3 as const, 5 as const),
        fc.nat(1_200),
        fc.array(operation, { minLength: 1, maxLength: 400 }),
        (minorVersion, initial, operations) => {
          const hive = Hive.create({ minorVersion, clock: fixedClock });
          const parent = hive.root().addSubkey('p');
          const model = new Map<string, string>();
          for (let i = 0; i < initial; i++) {
            parent.addSubkey(`k${i * 2}`);
            model.set(`K${i * 2}`, `k${i * 2}`);
          }
          for (const { add, n, upper } of operations) {
            const name = upper ? `K${n}` : `k${n}`;
            const exists = model.has(name.toUpperCase());
            if (add) {
              if (exists) expect(() => parent.addSubkey(name)).toThrow(HiveNameExistsError);
              else {
                parent.addSubkey(name);
                model.set(name.toUpperCase(), name);
              }
            } else if (exists) {
              parent.deleteSubkey(name);
              model.delete(name.toUpperCase());
            }
            expect(parent.subkey(name)?.name).toBe(model.get(name.toUpperCase()));
          }
          expect(parent.subkeyCount).toBe(model.size);
          expect(parent.subkeys().map((k) => k.name)).toEqual([...model.values()].sort(compareNames));
          expect(checkHive(hive.serialize())).toEqual([]);
        },
      ),
      { numRuns: 40 },
    );
  });

  it('deleting nearly everything drops emptied leaves and collapses the ri back to one leaf', () => {
    fc.assert(
      fc.property(fc.constantFrom(3 as const, 5 as const), fc.integer({ min: 500, max: 1_600 }), fc.nat(12), fc.nat(), (minorVersion, count, keep, seed) => {
        const hive = Hive.create({ minorVersion, clock: fixedClock });
        const parent = hive.root().addSubkey('p');
        const names = Array.from({ length: count }, (_, i) => `n${(i * 7919 + seed) % count}`);
        for (const name of names) parent.addSubkey(name);
        const order = names.map((name, i) => ({ name, rank: (i * 104_729 + seed) % 1_000_003 })).sort((a, b) => a.rank - b.rank);
        for (const { name } of order.slice(keep)) parent.deleteSubkey(name);
        const left = order
          .slice(0, keep)
          .map((o) => o.name)
          .sort(compareNames);
        expect(parent.subkeys().map((k) => k.name)).toEqual(left);
        const bytes = hive.serialize();
        expect(checkHive(bytes)).toEqual([]);
        // Emptied leaves leave the ri (the validator rejects empty leaves) and an ri never keeps a
        // single leaf: with `keep` entries left it holds 2 to `keep` leaves, or is one leaf again.
        const view = new DataView(bytes.buffer);
        const list = view.getUint32(4096 + parent.cell + 4 + 28, true);
        if (keep === 0) expect(list).toBe(0xffffffff);
        else if (view.getUint16(4096 + list + 4, true) === 0x6972) {
          expect(view.getUint16(4096 + list + 6, true)).toBeGreaterThanOrEqual(2);
          expect(view.getUint16(4096 + list + 6, true)).toBeLessThanOrEqual(keep);
        }
      }),
      { numRuns: 20 },
    );
  });
});
