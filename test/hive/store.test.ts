import { describe, expect, it } from 'vitest';
import { Hive, HiveFormatError, ValueType, checkHive } from '../../src/hive/index.js';
import { fixedClock, patternBytes } from '../support/hives.js';

/** The cell store under Hive: what it records of writes, how it indexes free cells, how a copy carries both. */

function busyHive(): Uint8Array {
  const hive = Hive.create({ clock: fixedClock });
  for (let i = 0; i < 300; i++) hive.root().ensurePath(`k${i}`).setValue('v', ValueType.REG_BINARY, patternBytes(300, i));
  // Free cells spread over many bins.
  for (let i = 0; i < 300; i += 3) hive.root().deleteSubkey(`k${i}`);
  return hive.serialize();
}

describe('cell store', () => {
  it('records exactly the sectors a write touched, and nothing at open', () => {
    const hive = Hive.open(busyHive(), { clock: fixedClock });
    expect(hive.changes.empty).toBe(true);
    const key = hive.root().subkey('k1')!;
    const vk = key.value('v')!.cell;
    key.setValue('v', ValueType.REG_DWORD, Uint8Array.of(1, 2, 3, 4));
    const sectors = hive.changes.runs(512, hive.hiveBinsSize);
    const covered = (offset: number): boolean => sectors.some((r) => offset >= r.offset && offset < r.offset + r.length);
    expect(covered(vk + 4 + 4)).toBe(true); // the vk's data-size field
    expect(covered(key.cell + 4 + 4)).toBe(true); // the key's timestamp
    expect(sectors.reduce((n, r) => n + r.length, 0)).toBeLessThan(8 * 512);
    hive.markClean();
    expect(hive.changes.empty).toBe(true);
  });

  it('indexes free cells per bin on demand: one allocation reads a few bins, a free reads its own', () => {
    const hive = Hive.open(busyHive(), { clock: fixedClock });
    expect(hive.binStarts.length).toBeGreaterThan(20);
    hive.root().subkey('k1')!.setValue('small', ValueType.REG_BINARY, patternBytes(40));
    const afterAllocation = hive.allocator.indexedBinCount;
    expect(afterAllocation).toBeLessThan(hive.binStarts.length / 2);
    hive.root().deleteSubkey('k2');
    expect(hive.allocator.indexedBinCount).toBeGreaterThanOrEqual(afterAllocation);
    expect(checkHive(hive.serialize()).filter((v) => v.severity === 'error')).toEqual([]);
  });

  it('refuses an edit that would free a cell in a bin whose cells do not tile it, before any byte changes', () => {
    const hive = Hive.create({ clock: fixedClock });
    hive.root().addSubkey('A').setValue('v', ValueType.REG_BINARY, patternBytes(100));
    // A sibling, so that unlinking A writes into the parent's list before any cell is freed.
    hive.root().addSubkey('B');
    const bytes = hive.serialize();
    // The free cell that ends bin 0: give it a size that is not a multiple of 8.
    const view = new DataView(bytes.buffer);
    let cell = 32;
    while (view.getInt32(4096 + cell, true) < 0) cell += -view.getInt32(4096 + cell, true);
    view.setInt32(4096 + cell, view.getInt32(4096 + cell, true) - 4, true);
    const broken = Hive.open(bytes, { clock: fixedClock });
    const before = broken.bytes.slice();
    expect(() => broken.root().deleteSubkey('A')).toThrow(HiveFormatError);
    expect(Buffer.from(broken.bytes).equals(Buffer.from(before))).toBe(true);
  });

  it('a copy carries the record of changes and is independent of the original', () => {
    const hive = Hive.open(busyHive(), { clock: fixedClock });
    hive.root().subkey('k1')!.setValue('x', ValueType.REG_SZ, patternBytes(10));
    const copy = hive.copy();
    expect(copy.changes.runs(512, copy.hiveBinsSize)).toEqual(hive.changes.runs(512, hive.hiveBinsSize));
    copy.root().addSubkey('only-in-copy');
    expect(hive.root().subkey('only-in-copy')).toBeUndefined();
    expect(copy.root().subkey('k1')!.value('x')).toBeDefined();
    expect(copy.changes.runs(512, copy.hiveBinsSize)).not.toEqual(hive.changes.runs(512, hive.hiveBinsSize));
  });

  it('grows into the rest of an adopted buffer without copying the image', () => {
    const image = busyHive();
    const buffer = new Uint8Array(image.length + 1024 * 1024);
    buffer.set(image);
    const hive = Hive.open(buffer.subarray(0, image.length), { adopt: true, clock: fixedClock });
    hive.root().setValue('big', ValueType.REG_BINARY, patternBytes(200_000));
    expect(hive.bytes.buffer).toBe(buffer.buffer);
    const copied = Hive.open(image.slice(), { clock: fixedClock });
    copied.root().setValue('big', ValueType.REG_BINARY, patternBytes(200_000));
    expect(Buffer.from(hive.serialize()).equals(Buffer.from(copied.serialize()))).toBe(true);
  });
});
