/** Record layouts (regf.md §5). Offsets are relative to a cell's payload, i.e. past its size field. */

/** "No cell". */
export const NIL = 0xffffffff;

/** Two-byte record signatures, read as little-endian uint16. */
export const Signature = {
  nk: 0x6b6e,
  vk: 0x6b76,
  sk: 0x6b73,
  lf: 0x666c,
  lh: 0x686c,
  li: 0x696c,
  ri: 0x6972,
  db: 0x6264,
} as const;

export const KeyField = {
  flags: 2,
  lastWritten: 4,
  accessBits: 12,
  parent: 16,
  subkeyCount: 20,
  volatileSubkeyCount: 24,
  subkeyList: 28,
  volatileSubkeyList: 32,
  valueCount: 36,
  valueList: 40,
  security: 44,
  className: 48,
  maxSubkeyNameLength: 52,
  maxSubkeyClassLength: 56,
  maxValueNameLength: 60,
  maxValueDataLength: 64,
  workVar: 68,
  nameLength: 72,
  classNameLength: 74,
  name: 76,
} as const;

export const KeyFlag = {
  volatile: 0x0001,
  hiveExit: 0x0002,
  hiveEntry: 0x0004,
  noDelete: 0x0008,
  symLink: 0x0010,
  compressedName: 0x0020,
  predefinedHandle: 0x0040,
} as const;

export const ValueField = {
  nameLength: 2,
  dataSize: 4,
  data: 8,
  type: 12,
  flags: 16,
  spare: 18,
  name: 20,
} as const;

export const ValueFlag = { compressedName: 0x0001, tombstone: 0x0002 } as const;

/** Bit 31 of a vk data size: the data sits in the data field itself (length ≤ 4). */
export const DATA_INLINE = 0x80000000;

export const SecurityField = {
  flink: 4,
  blink: 8,
  referenceCount: 12,
  descriptorLength: 16,
  descriptor: 20,
} as const;

/** Data bytes per big-data segment (regf.md §5.6). */
export const BIG_DATA_SEGMENT = 16344;

/** Entries per subkey-list leaf before Windows splits it: one 4 KiB page of 8-byte elements (regf.md §5.2). */
export const LEAF_CAPACITY = 507;

/** Cell size for a payload: 4-byte size field included, rounded up to 8 (regf.md §4). */
export function cellSizeFor(payloadSize: number): number {
  return (payloadSize + 4 + 7) & ~7;
}
