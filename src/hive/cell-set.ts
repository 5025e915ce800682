/**
 * A set of cell indexes as a bitmap: cells start on 8-byte boundaries (regf.md §4), so one bit per
 * 8 bytes of hive bins — 1/64 of the hive's size (32 MiB for a 2 GiB hive) — and a lookup is an array
 * access instead of a hash. Walks mark every key, list, value and data cell they read; with a Set that
 * bookkeeping cost more than the walk itself. Indexes outside the bitmap (misaligned or past the bins,
 * which the walk reports as errors anyway, or cells of bins added during the walk) go to a Set.
 */
export class CellSet {
  private readonly bits: Uint32Array;
  private readonly limit: number;
  private other: Set<number> | undefined;

  constructor(hiveBinsSize: number) {
    this.limit = hiveBinsSize;
    this.bits = new Uint32Array(Math.ceil(hiveBinsSize / 256));
  }

  /** Whether `cell` was added. */
  has(cell: number): boolean {
    if (cell % 8 !== 0 || cell >= this.limit) return this.other?.has(cell) ?? false;
    return (this.bits[cell >>> 8]! & (1 << ((cell >>> 3) & 31))) !== 0;
  }

  /** Adds `cell` (a cell offset relative to the hive bins). */
  add(cell: number): this {
    if (cell % 8 !== 0 || cell >= this.limit) (this.other ??= new Set()).add(cell);
    else this.bits[cell >>> 8]! |= 1 << ((cell >>> 3) & 31);
    return this;
  }
}
