import { describe, expect, it } from 'vitest';
import { CellSet } from '../../src/hive/cell-set.js';

describe('CellSet', () => {
  it('behaves as a Set<number> for aligned, misaligned, out-of-range and nil indexes', () => {
    const set = new CellSet(4096 * 3);
    const reference = new Set<number>();
    const probes = [0, 8, 32, 248, 256, 264, 4088, 4096, 12280, 12288, 12296, 5, 0xffffffff, 0x7ffffff8, 0xfffffff8];
    for (const cell of probes) expect(set.has(cell)).toBe(false);
    for (const cell of probes.filter((_, i) => i % 2 === 0)) {
      set.add(cell);
      reference.add(cell);
    }
    for (const cell of probes) expect(set.has(cell)).toBe(reference.has(cell));
  });
});
