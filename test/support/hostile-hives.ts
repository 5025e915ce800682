import { BIG_DATA_SEGMENT, Hive, type KeyNode, ValueType, lhHash } from '../../src/hive/index.js';
import { KeyField, Signature, ValueField } from '../../src/hive/cells.js';
import { fixedClock, patternBytes } from './hives.js';

/**
 * Hostile hive generators (issue 14, item 4): each builds a small, otherwise valid hive with the
 * public API, then patches the bytes into the attack. The hives are built, not stored, so the tests
 * document exactly which fields lie.
 */

function u32(hive: Hive, cell: number, field: number): number {
  return hive.view.getUint32(hive.payload(cell) + field, true);
}

function set32(hive: Hive, cell: number, field: number, value: number): void {
  hive.view.setUint32(hive.payload(cell) + field, value >>> 0, true);
}

function set16(hive: Hive, cell: number, field: number, value: number): void {
  hive.view.setUint16(hive.payload(cell) + field, value, true);
}

/** A fresh cell holding an lh leaf whose `count` entries all name `key` (one key listed many times). */
function repeatedLeaf(hive: Hive, key: KeyNode, count: number): number {
  const leaf = hive.allocate(4 + 8 * count);
  set16(hive, leaf, 0, Signature.lh);
  set16(hive, leaf, 2, count);
  const hash = lhHash(key.name);
  for (let i = 0; i < count; i++) {
    set32(hive, leaf, 4 + 8 * i, key.cell);
    set32(hive, leaf, 8 + 8 * i, hash);
  }
  return leaf;
}

/**
 * A big-data value whose segment list names one 16 KiB segment over and over. `huge`: the value
 * claims 65,535 segments (1 GiB) from a ~300 KiB file — before the bounds, `dump` took 80 s and
 * 3.2 GB. `fits`: it claims 10 segments (160 KiB), less than the file holds, so only the repeated
 * segment gives it away.
 */
export function hostileBigData(variant: 'huge' | 'fits'): Uint8Array {
  const hive = Hive.create({ clock: fixedClock });
  const key = hive.root().addSubkey('A');
  key.setValue('big', ValueType.REG_BINARY, patternBytes(40_000));
  const vk = key.value('big')!.cell;
  const db = u32(hive, vk, ValueField.data);
  const segment = u32(hive, u32(hive, db, 4), 0);
  const count = variant === 'huge' ? 0xffff : 10;
  const list = hive.allocate(4 * count);
  for (let i = 0; i < count; i++) set32(hive, list, 4 * i, segment);
  set16(hive, db, 2, count);
  set32(hive, db, 4, list);
  set32(hive, vk, ValueField.dataSize, count * BIG_DATA_SEGMENT);
  // Room in the file for 10 segments' worth of bytes, so "fits" really fits.
  if (variant === 'fits') key.setValue('padding', ValueType.REG_BINARY, patternBytes(12 * BIG_DATA_SEGMENT));
  return hive.serialize();
}

/**
 * An ri of 65,535 entries that all name one leaf of 65,535 entries, which all name one key: 4.3
 * billion subkeys from an 800 KiB file (the key's count says 0xFFFFFFFF). Before the bounds V8 died
 * with "invalid size error".
 */
export function hostileAmplifiedIndexRoot(): Uint8Array {
  const hive = Hive.create({ clock: fixedClock });
  const parent = hive.root().addSubkey('A');
  const child = parent.addSubkey('x');
  const leaf = repeatedLeaf(hive, child, 0xffff);
  const ri = hive.allocate(4 + 4 * 0xffff);
  set16(hive, ri, 0, Signature.ri);
  set16(hive, ri, 2, 0xffff);
  for (let i = 0; i < 0xffff; i++) set32(hive, ri, 4 + 4 * i, leaf);
  set32(hive, parent.cell, KeyField.subkeyList, ri);
  set32(hive, parent.cell, KeyField.subkeyCount, 0xffffffff);
  return hive.serialize();
}

/**
 * \A\B whose subkey list names an ancestor: the root (`root`) or A (`parent`). \Z is a bystander.
 * Before the checks, deleting \A reported success and freed the root.
 */
export function hostileCycle(target: 'root' | 'parent'): Uint8Array {
  const hive = Hive.create({ clock: fixedClock });
  const root = hive.root();
  const a = root.addSubkey('A');
  a.setValue('v', ValueType.REG_SZ, patternBytes(100));
  const b = a.addSubkey('B');
  root.addSubkey('Z').setValue('keep', ValueType.REG_DWORD, Uint8Array.of(1, 2, 3, 4));
  const back = target === 'root' ? root : a;
  set32(hive, b.cell, KeyField.subkeyList, repeatedLeaf(hive, back, 1));
  set32(hive, b.cell, KeyField.subkeyCount, 1);
  return hive.serialize();
}

/** A chain \k\k\k… `depth` keys deep (Windows stops at 512); recursive walks overflowed the stack. */
export function hostileDeepChain(depth = 100_000): Uint8Array {
  const hive = Hive.create({ clock: fixedClock });
  let key = hive.root();
  for (let i = 0; i < depth; i++) key = key.addSubkey('k');
  return hive.serialize();
}

/**
 * \P with `count` subkeys, each of whose subkey lists is P's own list (and count): a walk that reads
 * each key's list would read count² entries (400 million for 20,000).
 */
export function hostileSharedSubkeyList(count = 20_000): Uint8Array {
  const hive = Hive.create({ clock: fixedClock });
  const parent = hive.root().addSubkey('P');
  for (let i = 0; i < count; i++) parent.addSubkey(`k${i}`);
  const list = u32(hive, parent.cell, KeyField.subkeyList);
  for (const cell of parent.subkeyCells()) {
    set32(hive, cell, KeyField.subkeyList, list);
    set32(hive, cell, KeyField.subkeyCount, count);
  }
  return hive.serialize();
}

/**
 * `count` keys whose value lists are all the one list of \V, which holds a 1 MiB big-data value:
 * dumping or exporting every key would write count × 2 MiB (4 GB for 2,000 keys) from a 1.3 MB file.
 */
export function hostileSharedValues(count = 2_000): Uint8Array {
  const hive = Hive.create({ clock: fixedClock });
  const root = hive.root();
  const v = root.addSubkey('V');
  v.setValue('big', ValueType.REG_BINARY, patternBytes(1 << 20));
  const list = u32(hive, v.cell, KeyField.valueList);
  const parent = root.addSubkey('P');
  for (let i = 0; i < count; i++) {
    const key = parent.addSubkey(`k${i}`);
    set32(hive, key.cell, KeyField.valueList, list);
    set32(hive, key.cell, KeyField.valueCount, 1);
  }
  return hive.serialize();
}
