import { NIL, SecurityField, Signature } from './cells.js';
import { HiveFormatError } from './errors.js';
import type { CellStore } from './store.js';

/**
 * Security descriptors (`sk`): one cell per distinct descriptor, shared by every key that uses it
 * with an exact reference count, all linked in one circular doubly-linked list (regf.md §5.5).
 */

function sid(authority: number, ...subAuthorities: number[]): number[] {
  const bytes = [1, subAuthorities.length, 0, 0, 0, 0, 0, authority];
  for (const sub of subAuthorities) bytes.push(sub & 0xff, (sub >>> 8) & 0xff, (sub >>> 16) & 0xff, sub >>> 24);
  return bytes;
}

function u16(n: number): number[] {
  return [n & 0xff, n >>> 8];
}

function u32(n: number): number[] {
  return [n & 0xff, (n >>> 8) & 0xff, (n >>> 16) & 0xff, n >>> 24];
}

/**
 * The descriptor a new hive's root gets: owner BUILTIN\Administrators, group SYSTEM, and a DACL
 * inherited by subkeys granting KEY_ALL_ACCESS (0xF003F) to SYSTEM and Administrators and KEY_READ
 * (0x20019) to Users — the shape of a default Windows machine-hive root.
 */
export function defaultSecurityDescriptor(): Uint8Array {
  const system = sid(5, 18);
  const administrators = sid(5, 32, 544);
  const users = sid(5, 32, 545);
  const inheritable = 0x01 | 0x02; // OBJECT_INHERIT_ACE | CONTAINER_INHERIT_ACE
  const ace = (mask: number, who: number[]): number[] => [0x00, inheritable, ...u16(8 + who.length), ...u32(mask), ...who];
  const aces = [ace(0xf003f, system), ace(0xf003f, administrators), ace(0x20019, users)];
  const aceBytes = aces.flat();
  const acl = [2, 0, ...u16(8 + aceBytes.length), ...u16(aces.length), 0, 0, ...aceBytes];
  const ownerOffset = 20;
  const groupOffset = ownerOffset + administrators.length;
  const daclOffset = groupOffset + system.length;
  const control = 0x8000 | 0x0004; // SE_SELF_RELATIVE | SE_DACL_PRESENT
  const header = [1, 0, ...u16(control), ...u32(ownerOffset), ...u32(groupOffset), ...u32(0), ...u32(daclOffset)];
  return Uint8Array.from([...header, ...administrators, ...system, ...acl]);
}

export interface SecurityRecord {
  cell: number;
  flink: number;
  blink: number;
  referenceCount: number;
  descriptor: Uint8Array;
}

export function readSecurity(hive: CellStore, cell: number): SecurityRecord | undefined {
  const capacity = hive.checkCell(cell, 20, 'security descriptor');
  if (capacity < 0) return undefined;
  const view = hive.view;
  const at = hive.payload(cell);
  if (view.getUint16(at, true) !== Signature.sk) {
    hive.fault(cell, 'security descriptor: the cell is not an "sk" record');
    return undefined;
  }
  const length = view.getUint32(at + SecurityField.descriptorLength, true);
  if (20 + length > capacity) {
    hive.fault(cell, `security descriptor: length ${length} runs past its cell`);
    return undefined;
  }
  return {
    cell,
    flink: view.getUint32(at + SecurityField.flink, true),
    blink: view.getUint32(at + SecurityField.blink, true),
    referenceCount: view.getUint32(at + SecurityField.referenceCount, true),
    descriptor: hive.bytes.slice(at + SecurityField.descriptor, at + SecurityField.descriptor + length),
  };
}

/** Creates an sk with reference count 0, linked after `listMember` (or alone when NIL). */
export function createSecurity(hive: CellStore, descriptor: Uint8Array, listMember: number): number {
  const cell = hive.allocate(20 + descriptor.length);
  const view = hive.view;
  const at = hive.payload(cell);
  hive.setUint16(at, Signature.sk);
  hive.setUint32(at + SecurityField.descriptorLength, descriptor.length);
  hive.setBytes(descriptor, at + SecurityField.descriptor);
  if (listMember === NIL) {
    hive.setUint32(at + SecurityField.flink, cell);
    hive.setUint32(at + SecurityField.blink, cell);
  } else {
    const memberAt = hive.payload(listMember);
    const next = view.getUint32(memberAt + SecurityField.flink, true);
    hive.setUint32(at + SecurityField.flink, next);
    hive.setUint32(at + SecurityField.blink, listMember);
    hive.setUint32(memberAt + SecurityField.flink, cell);
    hive.setUint32(hive.payload(next) + SecurityField.blink, cell);
  }
  return cell;
}

export function addSecurityReference(hive: CellStore, cell: number): void {
  const at = hive.payload(cell) + SecurityField.referenceCount;
  hive.setUint32(at, hive.view.getUint32(at, true) + 1);
}

/** Drops one reference; at zero the sk leaves the list and its cell is freed. */
export function releaseSecurity(hive: CellStore, cell: number): void {
  if (hive.checkCell(cell, 20, 'security descriptor') < 0) return;
  const view = hive.view;
  const at = hive.payload(cell);
  const count = view.getUint32(at + SecurityField.referenceCount, true);
  if (count > 1) {
    hive.setUint32(at + SecurityField.referenceCount, count - 1);
    return;
  }
  const next = view.getUint32(at + SecurityField.flink, true);
  const previous = view.getUint32(at + SecurityField.blink, true);
  if (next !== cell) {
    if (hive.checkCell(next, 20, 'sk flink') < 0 || hive.checkCell(previous, 20, 'sk blink') < 0) {
      throw new HiveFormatError('security descriptor list is broken; refusing to unlink', cell);
    }
    hive.setUint32(hive.payload(previous) + SecurityField.flink, next);
    hive.setUint32(hive.payload(next) + SecurityField.blink, previous);
  }
  hive.free(cell);
}

function sameBytes(a: Uint8Array, b: Uint8Array): boolean {
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return false;
  return true;
}

/**
 * Finds an sk holding exactly `descriptor` by walking the list from `start`, or creates one after it.
 * Each sk is visited once: a list that loops back to a middle member (a hostile hive) ends the search
 * instead of spinning, so the cost is linear in the list.
 */
export function findOrCreateSecurity(hive: CellStore, descriptor: Uint8Array, start: number): number {
  let cell = start;
  const visited = new Set<number>();
  while (!visited.has(cell)) {
    visited.add(cell);
    const capacity = hive.checkCell(cell, 20, 'security descriptor');
    if (capacity < 0) break;
    const at = hive.payload(cell);
    if (hive.view.getUint16(at, true) !== Signature.sk) {
      hive.fault(cell, 'security descriptor: the cell is not an "sk" record');
      break;
    }
    const length = hive.view.getUint32(at + SecurityField.descriptorLength, true);
    if (20 + length > capacity) {
      hive.fault(cell, `security descriptor: length ${length} runs past its cell`);
      break;
    }
    const stored = hive.bytes.subarray(at + SecurityField.descriptor, at + SecurityField.descriptor + length);
    if (sameBytes(stored, descriptor)) return cell;
    cell = hive.view.getUint32(at + SecurityField.flink, true);
    if (cell === start) break;
  }
  // The new sk is linked between `start` and its successor: both must be sk cells.
  if (readSecurity(hive, start) === undefined || readSecurity(hive, hive.view.getUint32(hive.payload(start) + SecurityField.flink, true)) === undefined) {
    throw new HiveFormatError('security descriptor list is broken; refusing to add a descriptor', start);
  }
  return createSecurity(hive, descriptor, start);
}
