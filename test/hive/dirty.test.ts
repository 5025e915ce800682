import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { DirtySet } from '../../src/hive/dirty.js';

/** The runs a DirtySet must give, computed the slow way from the marked byte ranges. */
function naiveRuns(ranges: [number, number][], granularity: number, limit: number): { offset: number; length: number }[] {
  const units = new Set<number>();
  for (const [start, end] of ranges) for (let b = start; b < end; b++) if (b < limit) units.add(Math.floor(b / granularity));
  const sorted = [...units].sort((a, b) => a - b);
  const out: { offset: number; length: number }[] = [];
  for (const unit of sorted) {
    const last = out[out.length - 1];
    if (last !== undefined && last.offset + last.length === unit * granularity) last.length = Math.min((unit + 1) * granularity, limit) - last.offset;
    else out.push({ offset: unit * granularity, length: Math.min((unit + 1) * granularity, limit) - unit * granularity });
  }
  return out;
}

describe('DirtySet', () => {
  it('gives the marked bytes as merged runs of 512-byte sectors and 4 KiB pages', () => {
    const range = fc.tuple(fc.nat(70_000), fc.integer({ min: 1, max: 9000 })).map(([start, length]): [number, number] => [start, start + length]);
    fc.assert(
      fc.property(fc.array(range, { maxLength: 12 }), fc.constantFrom(4096, 65536, 81920), (ranges, limit) => {
        const set = new DirtySet(4096);
        for (const [start, end] of ranges) set.mark(start, end);
        for (const granularity of [512, 4096]) expect(set.runs(granularity, limit)).toEqual(naiveRuns(ranges, granularity, limit));
        expect(set.empty).toBe(ranges.length === 0);
        set.clear();
        expect(set.runs(512, limit)).toEqual([]);
      }),
    );
  });

  it('tracks the base block apart from the bins', () => {
    const set = new DirtySet(8192);
    expect(set.empty).toBe(true);
    set.baseBlock = true;
    expect(set.empty).toBe(false);
    expect(set.runs(512, 8192)).toEqual([]);
    set.mark(600, 601);
    // The sector holding offset 512 is dirty, the one holding 0 is not.
    expect(set.runs(512, 8192)).toEqual([{ offset: 512, length: 512 }]);
    expect(set.clone().runs(4096, 8192)).toEqual([{ offset: 0, length: 4096 }]);
  });
});
