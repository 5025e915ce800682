import { BASE_BLOCK_SIZE, BaseBlockField, REGF_SIGNATURE, baseBlockChecksum } from './base-block.js';
import { BIG_DATA_SEGMENT, DATA_INLINE, KeyField, KeyFlag, NIL, SecurityField, Signature, ValueField, ValueFlag } from './cells.js';
import { decodeLatin1, decodeUtf16le, lfHint, lhHash } from './names.js';
import { compareNames, upcaseName } from './upcase.js';

/**
 * The validator: every invariant a writer must keep and Windows checks on load (regf.md §11, §13),
 * checked on raw bytes, independently of the reader (it shares only the name codecs and the upcase
 * table). It never throws on malformed input and every loop is bounded by the data.
 *
 * Rules (the `rule` of a violation):
 * - not-a-hive: no regf base block at all.
 * - base-version, base-file-type, base-file-format, base-checksum, base-sequence, base-bins-size,
 *   base-root: the base block fields of regf.md §2 / §11.1.
 * - bin-header: signature, offset field, size, contiguity of hive bins (§3).
 * - cell-tiling: a cell size of 0, not a multiple of 8, or crossing its bin's end (§4).
 * - free-not-coalesced: two adjacent free cells (Windows always merges them, §4, §13).
 * - bad-pointer: a reference that is not the start of an allocated cell big enough for its record.
 * - wrong-signature: a referenced cell whose record is of the wrong kind.
 * - cell-shared: one cell referenced from two places that must own it alone.
 * - key-flags: HIVE_ENTRY on a non-root key; VOLATILE on disk.
 * - root-flags: the root lacks HIVE_ENTRY (a warning: offreg.dll writes such roots, flags 0x20, and
 *   hivex, regfexport and reglookup read them, regf.md §11.9; our writer still sets it).
 * - key-parent: a key's parent field does not name the key whose list holds it.
 * - key-name: empty, over 255 characters, odd UTF-16 length, or running past the cell.
 * - subkey-count / value-count: counts that differ from the lists.
 * - largest-field: a largest-name/class/data field below the true maximum (§5.1).
 * - list-structure: ri inside ri, empty leaf, unknown signature, entries past the cell.
 * - list-order / duplicate-name: subkeys not strictly ascending in Windows order (§6.2).
 * - list-hash / list-hint: wrong lh hash or lf hint (§5.2).
 * - duplicate-value: two values of one key with the same name, case-insensitively.
 * - value-storage: inline data above 4 bytes; data cell smaller than the length.
 * - big-data: a db record whose segments do not hold the length (§5.6).
 * - sk-list: the security list is not one closed, consistent ring holding every used sk (§5.5).
 * - sk-refcount-high / sk-refcount-low: reference count above / below the number of keys using it.
 * - sk-descriptor: not a self-relative revision-1 descriptor.
 * - tree-cycle / tree-depth: a key reached twice; a path deeper than 512 levels.
 * - unreferenced-cell: an allocated cell nothing points at (a leak; Windows tolerates it).
 */
export interface Violation {
  /** Stable identifier of the rule broken, e.g. "list-order", "sk-refcount-low". */
  rule: string;
  /** Cell index (relative to the hive-bins start, file offset − 4096) or, when `kind` is "file", a file offset. */
  offset: number;
  kind: 'cell' | 'file';
  /**
   * "error": a writer must never leave this; "warning": wasteful or unusual but harmless to readers — a
   * leaked cell, a security reference count above the number of users (regf.md §5.5: too high is a
   * leak, too low is dangerous), or a root without HIVE_ENTRY (regf.md §11.9).
   */
  severity: 'error' | 'warning';
  message: string;
}

const WARNINGS = new Set(['unreferenced-cell', 'sk-refcount-high', 'root-flags']);

/** Options for {@link checkHive}. */
export interface CheckOptions {
  /** Stop after this many violations (default 1000). */
  maxViolations?: number;
}

const MAX_DEPTH = 512;

class Stop extends Error {}

class Checker {
  readonly violations: Violation[] = [];
  readonly view: DataView;
  /** Size of every cell by its start (negative = allocated), from tiling the bins. */
  readonly cells = new Map<number, number>();
  readonly referenced = new Set<number>();
  hiveBinsSize = 0;
  minor = 0;

  constructor(
    readonly bytes: Uint8Array,
    readonly limit: number,
  ) {
    this.view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  }

  report(rule: string, offset: number, message: string, kind: 'cell' | 'file' = 'cell'): void {
    this.violations.push({ rule, offset, kind, severity: WARNINGS.has(rule) ? 'warning' : 'error', message });
    if (this.violations.length >= this.limit) throw new Stop();
  }

  payload(cell: number): number {
    return BASE_BLOCK_SIZE + cell + 4;
  }

  /** Capacity of an allocated cell's payload, or -1 when `cell` is not the start of one. */
  capacity(cell: number): number {
    const size = this.cells.get(cell);
    return size === undefined || size > 0 ? -1 : -size - 4;
  }

  /**
   * Checks a pointer to an allocated cell holding at least `minPayload` bytes and marks it used.
   * `exclusive` cells may be referenced once only (everything but sk cells).
   */
  reference(cell: number, minPayload: number, what: string, exclusive = true): boolean {
    const capacity = this.capacity(cell);
    if (capacity < 0) {
      this.report('bad-pointer', cell, `${what}: 0x${cell.toString(16)} is not the start of an allocated cell`);
      return false;
    }
    if (capacity < minPayload) {
      this.report('bad-pointer', cell, `${what}: cell of ${capacity + 4} bytes is too small for ${minPayload} bytes`);
      return false;
    }
    if (exclusive && this.referenced.has(cell)) {
      this.report('cell-shared', cell, `${what}: cell is already referenced from elsewhere`);
      return false;
    }
    this.referenced.add(cell);
    return true;
  }

  signature(cell: number): number {
    return this.view.getUint16(this.payload(cell), true);
  }

  u16(cell: number, field: number): number {
    return this.view.getUint16(this.payload(cell) + field, true);
  }

  u32(cell: number, field: number): number {
    return this.view.getUint32(this.payload(cell) + field, true);
  }
}

/**
 * Checks a hive image (base block + hive bins, as bytes) against the regf format rules and returns what it violates, stopping after `options.maxViolations` (default 1000). An empty array means no violation was found.
 */
export function checkHive(bytes: Uint8Array, options: CheckOptions = {}): Violation[] {
  const checker = new Checker(bytes, options.maxViolations ?? 1000);
  try {
    run(checker);
  } catch (error) {
    if (!(error instanceof Stop)) throw error;
  }
  return checker.violations;
}

function run(c: Checker): void {
  const { bytes, view } = c;
  if (bytes.length < BASE_BLOCK_SIZE || view.getUint32(0, true) !== REGF_SIGNATURE) {
    c.report('not-a-hive', 0, 'no regf base block: the file is not a registry hive', 'file');
    return;
  }
  if (!checkBaseBlock(c)) return;
  tileBins(c);
  const root = view.getUint32(BaseBlockField.rootCell, true);
  const securityUse = new Map<number, number>();
  walkTree(c, root, securityUse);
  checkSecurity(c, root, securityUse);
  for (const [cell, size] of c.cells) {
    if (size < 0 && !c.referenced.has(cell)) c.report('unreferenced-cell', cell, `allocated cell of ${-size} bytes that nothing references (leaked)`);
  }
}

function checkBaseBlock(c: Checker): boolean {
  const view = c.view;
  const major = view.getUint32(BaseBlockField.majorVersion, true);
  c.minor = view.getUint32(BaseBlockField.minorVersion, true);
  if (major !== 1 || c.minor < 3 || c.minor > 6)
    c.report('base-version', BaseBlockField.majorVersion, `regf version ${major}.${c.minor}; a writer keeps 1.3–1.6`, 'file');
  if (view.getUint32(BaseBlockField.fileType, true) !== 0) c.report('base-file-type', BaseBlockField.fileType, 'file type is not 0 (primary)', 'file');
  if (view.getUint32(BaseBlockField.fileFormat, true) !== 1)
    c.report('base-file-format', BaseBlockField.fileFormat, 'file format is not 1 (direct memory load)', 'file');
  const stored = view.getUint32(BaseBlockField.checksum, true);
  const computed = baseBlockChecksum(view);
  if (stored !== computed) c.report('base-checksum', BaseBlockField.checksum, `checksum 0x${stored.toString(16)} should be 0x${computed.toString(16)}`, 'file');
  const seq1 = view.getUint32(BaseBlockField.primarySequence, true);
  const seq2 = view.getUint32(BaseBlockField.secondarySequence, true);
  if (seq1 !== seq2) c.report('base-sequence', BaseBlockField.primarySequence, `sequence numbers differ (${seq1} ≠ ${seq2}): the hive is dirty`, 'file');
  const size = view.getUint32(BaseBlockField.hiveBinsSize, true);
  if (size === 0 || size % 4096 !== 0 || size > c.bytes.length - BASE_BLOCK_SIZE) {
    c.report(
      'base-bins-size',
      BaseBlockField.hiveBinsSize,
      `hive-bins size ${size} is not a positive multiple of 4096 within the file (${c.bytes.length} bytes)`,
      'file',
    );
    c.hiveBinsSize = Math.floor(Math.max(0, c.bytes.length - BASE_BLOCK_SIZE) / 4096) * 4096;
  } else c.hiveBinsSize = size;
  return c.hiveBinsSize > 0;
}

function tileBins(c: Checker): void {
  const view = c.view;
  let bin = 0;
  while (bin < c.hiveBinsSize) {
    const at = BASE_BLOCK_SIZE + bin;
    const size = view.getUint32(at + 8, true);
    if (view.getUint32(at, true) !== 0x6e696268 || view.getUint32(at + 4, true) !== bin || size < 4096 || size % 4096 !== 0 || bin + size > c.hiveBinsSize) {
      c.report('bin-header', bin, `bin at 0x${bin.toString(16)}: bad signature, offset field or size; bins must be contiguous up to the hive-bins size`);
      return;
    }
    let cell = bin + 32;
    let previousFree = false;
    while (cell < bin + size) {
      const field = view.getInt32(BASE_BLOCK_SIZE + cell, true);
      const length = Math.abs(field);
      if (field === 0 || length % 8 !== 0 || cell + length > bin + size) {
        c.report('cell-tiling', cell, `cell size ${field} breaks the tiling of the bin at 0x${bin.toString(16)}`);
        break;
      }
      c.cells.set(cell, field);
      if (field > 0 && previousFree) c.report('free-not-coalesced', cell, 'free cell directly after another free cell');
      previousFree = field > 0;
      cell += length;
    }
    bin += size;
  }
}

function nameOf(c: Checker, at: number, length: number, compressed: boolean): string {
  return compressed ? decodeLatin1(c.bytes, at, length) : decodeUtf16le(c.bytes, at, length);
}

interface KeyVisit {
  cell: number;
  parent: number;
  path: string;
  depth: number;
}

function walkTree(c: Checker, root: number, securityUse: Map<number, number>): void {
  if (!checkKey(c, root, 'root key')) {
    c.report('base-root', BaseBlockField.rootCell, 'the root cell index does not point at a valid key', 'file');
    return;
  }
  if (!(c.u16(root, KeyField.flags) & KeyFlag.hiveEntry))
    c.report('root-flags', root, 'the root key lacks the HIVE_ENTRY flag (0x04); Windows-written roots carry 0x2C, offreg.dll writes 0x20');
  const seen = new Set<number>([root]);
  const stack: KeyVisit[] = [{ cell: root, parent: NIL, path: '', depth: 0 }];
  while (stack.length > 0) {
    const key = stack.pop()!;
    const where = key.path === '' ? 'the root key' : `key "${key.path}"`;
    const flags = c.u16(key.cell, KeyField.flags);
    if (key.depth > 0 && flags & KeyFlag.hiveEntry) c.report('key-flags', key.cell, `${where} has the HIVE_ENTRY flag, which only the root may carry`);
    if (flags & KeyFlag.volatile) c.report('key-flags', key.cell, `${where} has the VOLATILE flag, which never belongs on disk`);
    if (key.depth > 0 && c.u32(key.cell, KeyField.parent) !== key.parent) {
      c.report('key-parent', key.cell, `${where}: parent field 0x${c.u32(key.cell, KeyField.parent).toString(16)} should be 0x${key.parent.toString(16)}`);
    }
    const security = c.u32(key.cell, KeyField.security);
    securityUse.set(security, (securityUse.get(security) ?? 0) + 1);
    const classCell = c.u32(key.cell, KeyField.className);
    const classLength = c.u16(key.cell, KeyField.classNameLength);
    if (classCell !== NIL && (classLength > 0 || c.capacity(classCell) >= 0)) c.reference(classCell, classLength, `${where}: class name`);
    checkValues(c, key.cell, where);
    const children = checkSubkeyList(c, key.cell, where);
    if (children.length > 0 && key.depth >= MAX_DEPTH) {
      c.report('tree-depth', key.cell, `${where}: deeper than ${MAX_DEPTH} levels`);
      continue;
    }
    for (let i = children.length - 1; i >= 0; i--) {
      const child = children[i]!;
      if (seen.has(child.cell)) {
        c.report('tree-cycle', child.cell, `${where}: subkey "${child.name}" was already reached elsewhere in the tree`);
        continue;
      }
      seen.add(child.cell);
      stack.push({ cell: child.cell, parent: key.cell, path: `${key.path}\\${child.name}`, depth: key.depth + 1 });
    }
  }
}

/** Checks a pointer to an nk and its name; marks it used. */
function checkKey(c: Checker, cell: number, what: string): boolean {
  if (!c.reference(cell, KeyField.name, what)) return false;
  if (c.signature(cell) !== Signature.nk) {
    c.report('wrong-signature', cell, `${what}: not an "nk" record`);
    return false;
  }
  const length = c.u16(cell, KeyField.nameLength);
  const compressed = (c.u16(cell, KeyField.flags) & KeyFlag.compressedName) !== 0;
  if (KeyField.name + length > c.capacity(cell)) {
    c.report('key-name', cell, `${what}: name runs past its cell`);
    return false;
  }
  const units = compressed ? length : length / 2;
  if (!compressed && length % 2 !== 0) c.report('key-name', cell, `${what}: UTF-16 name of odd length ${length}`);
  if (units === 0 || units > 255) c.report('key-name', cell, `${what}: name of ${units} characters (1 to 255 allowed)`);
  return true;
}

interface Child {
  cell: number;
  name: string;
}

function checkSubkeyList(c: Checker, key: number, where: string): Child[] {
  const count = c.u32(key, KeyField.subkeyCount);
  const list = c.u32(key, KeyField.subkeyList);
  const children: Child[] = [];
  if (list === NIL) {
    if (count !== 0) c.report('subkey-count', key, `${where}: subkey count ${count} but no subkey list`);
    return children;
  }
  if (!c.reference(list, 4, `${where}: subkey list`)) return children;
  const leaves: number[] = [];
  if (c.signature(list) === Signature.ri) {
    const n = c.u16(list, 2);
    if (4 + 4 * n > c.capacity(list)) {
      c.report('list-structure', list, `${where}: ri list of ${n} entries runs past its cell`);
      return children;
    }
    for (let i = 0; i < n; i++) {
      const leaf = c.u32(list, 4 + 4 * i);
      if (!c.reference(leaf, 4, `${where}: ri entry ${i}`)) continue;
      if (c.signature(leaf) === Signature.ri) c.report('list-structure', leaf, `${where}: an ri list inside an ri list`);
      else leaves.push(leaf);
    }
  } else leaves.push(list);
  let maxName = 0;
  let maxClass = 0;
  for (const leaf of leaves) {
    const signature = c.signature(leaf);
    if (signature !== Signature.li && signature !== Signature.lf && signature !== Signature.lh) {
      c.report('list-structure', leaf, `${where}: subkey list with an unknown signature`);
      continue;
    }
    const n = c.u16(leaf, 2);
    const step = signature === Signature.li ? 4 : 8;
    if (n === 0) c.report('list-structure', leaf, `${where}: empty subkey leaf`);
    if (4 + step * n > c.capacity(leaf)) {
      c.report('list-structure', leaf, `${where}: leaf of ${n} entries runs past its cell`);
      continue;
    }
    for (let i = 0; i < n; i++) {
      const child = c.u32(leaf, 4 + step * i);
      if (!checkKey(c, child, `${where}: subkey entry ${children.length}`)) continue;
      const at = c.payload(child);
      const length = c.u16(child, KeyField.nameLength);
      const compressed = (c.u16(child, KeyField.flags) & KeyFlag.compressedName) !== 0;
      const name = nameOf(c, at + KeyField.name, length, compressed);
      if (signature !== Signature.li) {
        const stored = c.u32(leaf, 8 + step * i);
        const expected = signature === Signature.lh ? lhHash(name) : lfHint(name);
        if (stored !== expected) {
          c.report(
            signature === Signature.lh ? 'list-hash' : 'list-hint',
            leaf,
            `${where}: entry "${name}" has ${signature === Signature.lh ? 'hash' : 'hint'} 0x${stored.toString(16)}, expected 0x${expected.toString(16)}`,
          );
        }
      }
      const previous = children[children.length - 1];
      if (previous !== undefined) {
        const order = compareNames(previous.name, name);
        if (order === 0) c.report('duplicate-name', child, `${where}: subkeys "${previous.name}" and "${name}" have the same name to Windows`);
        else if (order > 0) c.report('list-order', child, `${where}: entry ${children.length} "${name}" is not after "${previous.name}" in Windows order`);
      }
      children.push({ cell: child, name });
      maxName = Math.max(maxName, name.length * 2);
      maxClass = Math.max(maxClass, c.u16(child, KeyField.classNameLength));
    }
  }
  if (children.length !== count) c.report('subkey-count', key, `${where}: subkey count ${count} but its lists hold ${children.length}`);
  if ((c.u32(key, KeyField.maxSubkeyNameLength) & 0xffff) < maxName) c.report('largest-field', key, `${where}: largest-subkey-name field below ${maxName}`);
  if (c.u32(key, KeyField.maxSubkeyClassLength) < maxClass) c.report('largest-field', key, `${where}: largest-subkey-class field below ${maxClass}`);
  return children;
}

function checkValues(c: Checker, key: number, where: string): void {
  const count = c.u32(key, KeyField.valueCount);
  const list = c.u32(key, KeyField.valueList);
  if (count === 0) {
    if (list !== NIL && c.capacity(list) >= 0) c.reference(list, 0, `${where}: value list`);
    return;
  }
  if (list === NIL) {
    c.report('value-count', key, `${where}: value count ${count} but no value list`);
    return;
  }
  if (!c.reference(list, 4 * count, `${where}: value list of ${count} entries`)) return;
  const names = new Set<string>();
  let maxName = 0;
  let maxData = 0;
  for (let i = 0; i < count; i++) {
    const vk = c.u32(list, 4 * i);
    if (!c.reference(vk, ValueField.name, `${where}: value ${i}`)) continue;
    if (c.signature(vk) !== Signature.vk) {
      c.report('wrong-signature', vk, `${where}: value ${i} is not a "vk" record`);
      continue;
    }
    const nameLength = c.u16(vk, ValueField.nameLength);
    if (ValueField.name + nameLength > c.capacity(vk)) {
      c.report('bad-pointer', vk, `${where}: value ${i}'s name runs past its cell`);
      continue;
    }
    const compressed = (c.u16(vk, ValueField.flags) & ValueFlag.compressedName) !== 0;
    const name = nameOf(c, c.payload(vk) + ValueField.name, nameLength, compressed);
    const folded = upcaseName(name);
    if (names.has(folded)) c.report('duplicate-value', vk, `${where}: two values named "${name}"`);
    names.add(folded);
    maxName = Math.max(maxName, name.length * 2);
    const sizeField = c.u32(vk, ValueField.dataSize);
    const length = sizeField & ~DATA_INLINE;
    maxData = Math.max(maxData, length);
    checkValueData(c, vk, length, (sizeField & DATA_INLINE) !== 0, `${where}: value "${name}"`);
  }
  if (c.u32(key, KeyField.maxValueNameLength) < maxName) c.report('largest-field', key, `${where}: largest-value-name field below ${maxName}`);
  if (c.u32(key, KeyField.maxValueDataLength) < maxData) c.report('largest-field', key, `${where}: largest-value-data field below ${maxData}`);
}

function checkValueData(c: Checker, vk: number, length: number, inline: boolean, what: string): void {
  const data = c.u32(vk, ValueField.data);
  if (length === 0) return;
  if (inline) {
    if (length > 4) c.report('value-storage', vk, `${what}: inline data of ${length} bytes (at most 4 fit)`);
    return;
  }
  if (c.minor >= 4 && length > BIG_DATA_SEGMENT) {
    if (!c.reference(data, 8, `${what}: big data record`)) return;
    if (c.signature(data) !== Signature.db) {
      c.report('big-data', data, `${what}: ${length} bytes in a regf 1.${c.minor} hive must be a "db" record`);
      return;
    }
    const segments = c.u16(data, 2);
    const needed = Math.ceil(length / BIG_DATA_SEGMENT);
    if (segments !== needed) c.report('big-data', data, `${what}: ${segments} segments for ${length} bytes (expected ${needed})`);
    const list = c.u32(data, 4);
    if (!c.reference(list, 4 * segments, `${what}: segment list`)) return;
    for (let i = 0; i < segments; i++) {
      const share = Math.max(0, Math.min(BIG_DATA_SEGMENT, length - i * BIG_DATA_SEGMENT));
      c.reference(c.u32(list, 4 * i), share, `${what}: segment ${i}`);
    }
    return;
  }
  c.reference(data, length, `${what}: data cell`);
}

function checkSecurity(c: Checker, root: number, use: Map<number, number>): void {
  const start = c.capacity(root) >= 0 ? c.u32(root, KeyField.security) : NIL;
  const ring = new Set<number>();
  let cell = start;
  let previous = NIL;
  const bound = c.cells.size + 1;
  for (let steps = 0; steps < bound; steps++) {
    if (!c.reference(cell, 20, 'security descriptor', false)) return;
    if (c.signature(cell) !== Signature.sk) {
      c.report('wrong-signature', cell, 'security list member is not an "sk" record');
      return;
    }
    if (previous !== NIL && c.u32(cell, SecurityField.blink) !== previous) {
      c.report('sk-list', cell, `sk blink 0x${c.u32(cell, SecurityField.blink).toString(16)} should be 0x${previous.toString(16)}`);
    }
    ring.add(cell);
    const length = c.u32(cell, SecurityField.descriptorLength);
    if (20 + length > c.capacity(cell)) c.report('sk-descriptor', cell, `descriptor of ${length} bytes runs past its cell`);
    else {
      const at = c.payload(cell) + SecurityField.descriptor;
      if (length < 20 || c.bytes[at] !== 1 || !(c.view.getUint16(at + 2, true) & 0x8000))
        c.report('sk-descriptor', cell, 'not a self-relative revision-1 security descriptor');
    }
    const count = c.u32(cell, SecurityField.referenceCount);
    const used = use.get(cell) ?? 0;
    if (count > used) c.report('sk-refcount-high', cell, `reference count ${count} but ${used} keys use it`);
    else if (count < used) c.report('sk-refcount-low', cell, `reference count ${count} but ${used} keys use it (a premature free waits)`);
    previous = cell;
    cell = c.u32(cell, SecurityField.flink);
    if (cell === start) {
      if (c.u32(start, SecurityField.blink) !== previous)
        c.report('sk-list', start, "the security list does not close: the first sk's blink is not the last sk");
      break;
    }
    if (ring.has(cell)) {
      c.report('sk-list', cell, 'the security list loops back before reaching its start');
      break;
    }
  }
  for (const sk of use.keys()) {
    if (!ring.has(sk)) {
      if (c.reference(sk, 20, "a key's security descriptor", false)) c.report('sk-list', sk, 'a key uses an sk that is not on the security list');
    }
  }
}
