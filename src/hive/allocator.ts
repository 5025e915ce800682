import { BASE_BLOCK_SIZE } from './base-block.js';
import { cellSizeFor } from './cells.js';
import { HiveFormatError, HiveLimitError } from './errors.js';

const HBIN_HEADER_SIZE = 32;
const PAGE_SIZE = 4096;
/** Free cells up to this size are kept in exact-size buckets (8-byte steps); larger ones share one bucket. */
const SMALL_LIMIT = 16384;
const BUCKETS = SMALL_LIMIT / 8 + 1;
/** The largest cell this engine allocates: a cell must fit in one bin (regf.md §9). */
export const MAX_CELL_SIZE = 0x40000000;
/**
 * Bins indexed per allocation that found no free cell of its size among the bins indexed so far,
 * before a new bin is appended instead: bounds the work of one allocation, and over many allocations
 * every bin is indexed at most once.
 */
const BINS_PER_MISS = 64;

/**
 * What the allocator works on: the cell store's memory, bins and dirty set. An interface, so that
 * the allocator does not import the store (which owns it).
 */
export interface CellSpace {
  readonly view: DataView;
  readonly bytes: Uint8Array;
  readonly binStarts: readonly number[];
  readonly hiveBinsSize: number;
  binIndexOf(cell: number): number;
  binEnd(index: number): number;
  /** Appends a bin of `size` bytes (header written, marked dirty); returns its offset. */
  appendBin(size: number): number;
  /** Writes a cell's size field (file offset `at`), marking it dirty. */
  setInt32(at: number, value: number): void;
  /** Zeroes [start, end) (file offsets), marking it dirty. */
  fill(value: number, start: number, end: number): void;
}

/**
 * Hands out and takes back cells, keeping every bin fully tiled: a free cell is split when larger than
 * needed, freed cells merge with free neighbours (Windows never leaves two adjacent free cells,
 * regf.md §4 and §13), and when nothing fits a new bin is appended.
 *
 * Free cells are indexed per bin, on demand: a bin is read (its cells walked, its tiling checked)
 * the first time a cell in it is freed, or when an allocation found nothing that fits in the bins
 * indexed so far (then up to BINS_PER_MISS more bins, newest first). Opening a 100 MB hive and
 * setting one value so reads a few bins, not every free cell of the file.
 */
export class CellAllocator {
  private readonly space: CellSpace;
  private readonly sizeByStart = new Map<number, number>();
  private readonly startByEnd = new Map<number, number>();
  private readonly buckets: Set<number>[] = [];
  /** One bit per bucket: set when the bucket holds at least one free cell. */
  private readonly occupied = new Uint32Array(Math.ceil(BUCKETS / 32));
  /** One byte per bin: 1 once its free cells are in the index. */
  private indexed: Uint8Array;
  /** Bins not yet indexed are looked at from here down to 0 (newest first) on a miss. */
  private cursor: number;

  constructor(space: CellSpace) {
    this.space = space;
    for (let i = 0; i < BUCKETS; i++) this.buckets.push(new Set());
    this.indexed = new Uint8Array(Math.max(16, space.binStarts.length));
    this.cursor = space.binStarts.length - 1;
  }

  /** Free cells known to the index (those of the bins indexed so far). */
  get freeCellCount(): number {
    return this.sizeByStart.size;
  }

  /** Bins whose free cells have been indexed. */
  get indexedBinCount(): number {
    let n = 0;
    for (let i = 0; i < this.space.binStarts.length; i++) n += this.indexed[i] ?? 0;
    return n;
  }

  /**
   * Indexes the free cells of bin `index` (once), checking that its cells tile it.
   * @throws {HiveFormatError} the bin's cells do not tile it; writing into it could destroy data
   */
  indexBin(index: number): void {
    this.makeRoom(index);
    if (this.indexed[index] === 1) return;
    const view = this.space.view;
    const binStart = this.space.binStarts[index]!;
    const binEnd = this.space.binEnd(index);
    const free: number[] = [];
    let cell = binStart + HBIN_HEADER_SIZE;
    while (cell < binEnd) {
      const field = view.getInt32(BASE_BLOCK_SIZE + cell, true);
      const size = Math.abs(field);
      if (size === 0 || size % 8 !== 0 || cell + size > binEnd) {
        throw new HiveFormatError(`cell size ${field} breaks the tiling of the bin at 0x${binStart.toString(16)}; refusing to write to this bin`, cell);
      }
      if (field > 0) free.push(cell, size);
      cell += size;
    }
    for (let i = 0; i < free.length; i += 2) this.insertFree(free[i]!, free[i + 1]!);
    this.indexed[index] = 1;
  }

  /** Grows `indexed` (doubling) to hold bin `index`. */
  private makeRoom(index: number): void {
    if (index < this.indexed.length) return;
    const grown = new Uint8Array(Math.max(index + 1, this.indexed.length * 2));
    grown.set(this.indexed);
    this.indexed = grown;
  }

  /** Indexes the bin holding `cell` (a free there must see its neighbours). */
  indexBinOf(cell: number): void {
    this.indexBin(this.space.binIndexOf(cell));
  }

  /** A new cell with room for `payloadSize` bytes (a free cell reused or split, else a new bin); returns its offset. */
  allocate(payloadSize: number): number {
    const size = cellSizeFor(payloadSize);
    if (size > MAX_CELL_SIZE) throw new HiveLimitError(`a cell of ${size} bytes is larger than this engine allocates (${MAX_CELL_SIZE})`);
    let cell = this.takeFree(size);
    for (let budget = BINS_PER_MISS; cell < 0 && budget > 0 && this.cursor >= 0; ) {
      // Index more bins, newest first, until one of them has room.
      const index = this.cursor--;
      if (this.indexed[index] === 1) continue;
      this.indexBin(index);
      budget--;
      cell = this.takeFree(size);
    }
    if (cell < 0) cell = this.growFor(size);
    const at = BASE_BLOCK_SIZE + cell;
    this.space.setInt32(at, -size);
    this.space.fill(0, at + 4, at + size);
    return cell;
  }

  /** Marks `cell` free, coalescing it with free neighbours in its bin. */
  free(cell: number): void {
    const space = this.space;
    if (cell % 8 !== 0 || cell < HBIN_HEADER_SIZE || cell + 8 > space.hiveBinsSize) throw new HiveFormatError('freeing a cell outside the hive bins', cell);
    const field = space.view.getInt32(BASE_BLOCK_SIZE + cell, true);
    if (field >= 0) throw new HiveFormatError('freeing a cell that is already free', cell);
    this.indexBinOf(cell);
    let start = cell;
    let size = -field;
    const next = this.sizeByStart.get(start + size);
    if (next !== undefined) {
      this.removeFree(start + size, next);
      size += next;
    }
    const previous = this.startByEnd.get(start);
    if (previous !== undefined) {
      const previousSize = start - previous;
      this.removeFree(previous, previousSize);
      start = previous;
      size += previousSize;
    }
    this.insertFree(start, size);
    space.setInt32(BASE_BLOCK_SIZE + start, size);
  }

  private bucketOf(size: number): number {
    return size >= SMALL_LIMIT ? BUCKETS - 1 : size >>> 3;
  }

  private insertFree(start: number, size: number): void {
    this.sizeByStart.set(start, size);
    this.startByEnd.set(start + size, start);
    const bucket = this.bucketOf(size);
    this.buckets[bucket]!.add(start);
    this.occupied[bucket >>> 5]! |= 1 << (bucket & 31);
  }

  private removeFree(start: number, size: number): void {
    this.sizeByStart.delete(start);
    this.startByEnd.delete(start + size);
    const bucket = this.bucketOf(size);
    const set = this.buckets[bucket]!;
    set.delete(start);
    if (set.size === 0) this.occupied[bucket >>> 5]! &= ~(1 << (bucket & 31));
  }

  /** Smallest-bucket fit; splits the cell and keeps the remainder free. Returns -1 when nothing fits. */
  private takeFree(size: number): number {
    let bucket = this.bucketOf(size);
    while (bucket < BUCKETS) {
      const word = this.occupied[bucket >>> 5]! >>> (bucket & 31);
      if (word === 0) {
        bucket = (bucket | 31) + 1;
        continue;
      }
      bucket += 31 - Math.clz32(word & -word);
      if (bucket >= BUCKETS) break;
      const set = this.buckets[bucket]!;
      for (const start of set) {
        const available = this.sizeByStart.get(start)!;
        if (available < size) continue;
        this.removeFree(start, available);
        if (available > size) {
          this.insertFree(start + size, available - size);
          this.space.setInt32(BASE_BLOCK_SIZE + start + size, available - size);
        }
        return start;
      }
      bucket++;
    }
    return -1;
  }

  /** Appends a bin large enough for the cell (regf.md §4: 4096 or round_up(size + 32, 4096)). */
  private growFor(size: number): number {
    const binSize = Math.ceil((size + HBIN_HEADER_SIZE) / PAGE_SIZE) * PAGE_SIZE;
    const bin = this.space.appendBin(binSize);
    const index = this.space.binStarts.length - 1;
    this.makeRoom(index);
    this.indexed[index] = 1;
    const cell = bin + HBIN_HEADER_SIZE;
    const rest = binSize - HBIN_HEADER_SIZE - size;
    if (rest > 0) {
      this.insertFree(cell + size, rest);
      this.space.setInt32(BASE_BLOCK_SIZE + cell + size, rest);
    }
    return cell;
  }
}
