import { BASE_BLOCK_SIZE } from './base-block.js';
import { HiveFormatError, HiveLimitError } from './errors.js';
import type { Hive } from './hive.js';
import { cellSizeFor } from './cells.js';

const HBIN_HEADER_SIZE = 32;
const PAGE_SIZE = 4096;
/** Free cells up to this size are kept in exact-size buckets (8-byte steps); larger ones share one bucket. */
const SMALL_LIMIT = 16384;
const BUCKETS = SMALL_LIMIT / 8 + 1;
/** The largest cell this engine allocates: a cell must fit in one bin (regf.md §9). */
export const MAX_CELL_SIZE = 0x40000000;

/**
 * Hands out and takes back cells, keeping every bin fully tiled: a free cell is split when larger than
 * needed, freed cells merge with free neighbours (Windows never leaves two adjacent free cells,
 * regf.md §4 and §13), and when nothing fits a new bin is appended. Built lazily on the first write by
 * one pass over every cell of every bin.
 */
export class CellAllocator {
  private readonly hive: Hive;
  private readonly sizeByStart = new Map<number, number>();
  private readonly startByEnd = new Map<number, number>();
  private readonly buckets: Set<number>[] = [];
  /** One bit per bucket: set when the bucket holds at least one free cell. */
  private readonly occupied = new Uint32Array(Math.ceil(BUCKETS / 32));

  private constructor(hive: Hive) {
    this.hive = hive;
    for (let i = 0; i < BUCKETS; i++) this.buckets.push(new Set());
  }

  /**
   * @throws {HiveFormatError} a bin's cells do not tile it; writing into such a hive could destroy data
   */
  static forHive(hive: Hive): CellAllocator {
    const allocator = new CellAllocator(hive);
    const view = hive.view;
    for (let b = 0; b < hive.binStarts.length; b++) {
      const binStart = hive.binStarts[b]!;
      const binEnd = hive.binEnd(b);
      let cell = binStart + HBIN_HEADER_SIZE;
      while (cell < binEnd) {
        const field = view.getInt32(BASE_BLOCK_SIZE + cell, true);
        const size = Math.abs(field);
        if (size === 0 || size % 8 !== 0 || cell + size > binEnd) {
          throw new HiveFormatError(`cell size ${field} breaks the tiling of the bin at 0x${binStart.toString(16)}; refusing to write to this hive`, cell);
        }
        if (field > 0) allocator.insertFree(cell, size);
        cell += size;
      }
    }
    return allocator;
  }

  get freeCellCount(): number {
    return this.sizeByStart.size;
  }

  allocate(payloadSize: number): number {
    const size = cellSizeFor(payloadSize);
    if (size > MAX_CELL_SIZE) throw new HiveLimitError(`a cell of ${size} bytes is larger than this engine allocates (${MAX_CELL_SIZE})`);
    let cell = this.takeFree(size);
    if (cell < 0) cell = this.growFor(size);
    const at = BASE_BLOCK_SIZE + cell;
    this.hive.view.setInt32(at, -size, true);
    this.hive.bytes.fill(0, at + 4, at + size);
    return cell;
  }

  free(cell: number): void {
    const view = this.hive.view;
    if (cell % 8 !== 0 || cell < HBIN_HEADER_SIZE || cell + 8 > this.hive.hiveBinsSize) throw new HiveFormatError('freeing a cell outside the hive bins', cell);
    const field = view.getInt32(BASE_BLOCK_SIZE + cell, true);
    if (field >= 0) throw new HiveFormatError('freeing a cell that is already free', cell);
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
    view.setInt32(BASE_BLOCK_SIZE + start, size, true);
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
          this.hive.view.setInt32(BASE_BLOCK_SIZE + start + size, available - size, true);
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
    const bin = this.hive.appendBin(binSize);
    const cell = bin + HBIN_HEADER_SIZE;
    const rest = binSize - HBIN_HEADER_SIZE - size;
    if (rest > 0) {
      this.insertFree(cell + size, rest);
      this.hive.view.setInt32(BASE_BLOCK_SIZE + cell + size, rest, true);
    }
    return cell;
  }
}
