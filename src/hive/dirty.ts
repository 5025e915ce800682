/**
 * The dirty set of a hive: which 512-byte sectors of the hive bins, and whether the base block, were
 * written since the hive was opened or last committed. The old log format records dirtiness per
 * 512-byte page of the hive bins (regf.md §10.3: one bit per 512 bytes, offset = 4096 + 512·bit), so
 * that is the granularity kept here; a writer that wants Windows' 4 KiB blocks (regf.md §10.3,
 * "[observed] bytes are 0x00 or 0xFF") asks for runs at 4096. One bit per 512 bytes costs 1/4096 of
 * the hive (32 KiB for a 128 MiB hive).
 */

/** The sector size of dirty tracking (regf.md §10.3). */
export const SECTOR_SIZE = 512;

/** A run of dirty bytes of the hive bins: offset relative to the hive-bins start, length in bytes. */
export interface DirtyRun {
  offset: number;
  length: number;
}

/** The sectors of the hive bins (and the base block) written since the hive was opened or last committed. */
export class DirtySet {
  private bits: Uint32Array;
  /** Sectors marked since the last clear (an upper bound on the set bits, for a quick "nothing"). */
  private marked = 0;
  /** The base block (file offsets 0–4095) was written. */
  baseBlock = false;

  constructor(hiveBinsSize: number) {
    this.bits = new Uint32Array(Math.max(1, Math.ceil(hiveBinsSize / SECTOR_SIZE / 32)));
  }

  /** True when nothing was written since the last clear. */
  get empty(): boolean {
    return this.marked === 0 && !this.baseBlock;
  }

  /** Marks the bytes [start, end) of the hive bins (offsets relative to the hive-bins start). */
  mark(start: number, end: number): void {
    if (end <= start) return;
    const first = Math.floor(start / SECTOR_SIZE);
    const last = Math.floor((end - 1) / SECTOR_SIZE);
    const words = (last >>> 5) + 1;
    if (words > this.bits.length) {
      const grown = new Uint32Array(Math.max(words, this.bits.length * 2));
      grown.set(this.bits);
      this.bits = grown;
    }
    for (let s = first; s <= last; s++) this.bits[s >>> 5]! |= 1 << (s & 31);
    this.marked += last - first + 1;
  }

  /**
   * The dirty bytes as ascending runs at `granularity` (a multiple of 512: 512 for sectors, 4096 for
   * Windows' pages), adjacent units merged, clipped to `limit` (the hive-bins size).
   */
  runs(granularity: number, limit: number): DirtyRun[] {
    const out: DirtyRun[] = [];
    if (this.marked === 0) return out;
    const per = granularity / SECTOR_SIZE;
    const sectors = Math.ceil(limit / SECTOR_SIZE);
    const push = (first: number, last: number): void => {
      const offset = first * granularity;
      out.push({ offset, length: Math.min((last + 1) * granularity, limit) - offset });
    };
    // Word by word, set bits only: a commit of a few sectors in a 100 MB hive looks at 6,400 words.
    let runFirst = -1;
    let runLast = -2;
    const bits = this.bits;
    for (let w = 0; w < bits.length; w++) {
      let word = bits[w]!;
      while (word !== 0) {
        const low = word & -word;
        word ^= low;
        const sector = w * 32 + 31 - Math.clz32(low);
        if (sector >= sectors) break;
        const unit = Math.floor(sector / per);
        if (unit <= runLast) continue;
        if (unit === runLast + 1) runLast = unit;
        else {
          if (runFirst >= 0) push(runFirst, runLast);
          runFirst = unit;
          runLast = unit;
        }
      }
    }
    if (runFirst >= 0) push(runFirst, runLast);
    return out;
  }

  /** Forgets every change (the file now holds this image). */
  clear(): void {
    if (this.marked > 0) this.bits.fill(0);
    this.marked = 0;
    this.baseBlock = false;
  }

  /** A copy (for a copied hive, whose edits are relative to the same file). */
  clone(): DirtySet {
    const copy = new DirtySet(0);
    copy.bits = this.bits.slice();
    copy.marked = this.marked;
    copy.baseBlock = this.baseBlock;
    return copy;
  }
}
