import { BASE_BLOCK_SIZE, BaseBlockField, FileType, REGF_SIGNATURE, baseBlockChecksum } from './base-block.js';
import { HiveError } from './errors.js';
import { marvin32 } from './marvin.js';
import { checkHive } from './validator.js';

/**
 * Transaction-log recovery (regf.md §10): a dirty primary (bad checksum or seq1 ≠ seq2) is brought up
 * to date from its logs — new-format logs (`HvLE` entries protected by Marvin32, LOG1/LOG2 ordered by
 * sequence number) or old-format ones (a `DIRT` bitmap of 512-byte pages). The inputs are never
 * changed; the result is a new, clean image.
 */

/**
 * Thrown by {@link recoverHive} when the logs cannot bring a dirty hive up to date; `reasons` says why each log was set aside.
 */
export class LogRecoveryError extends HiveError {
  readonly code = 'LOG_RECOVERY';
  /** Why each log was set aside or the replay refused, one reason per entry (also in the message). */
  readonly reasons: readonly string[];
  constructor(message: string, reasons: readonly string[] = []) {
    super(message, 0, 'file');
    this.reasons = reasons;
  }
}

/** Options for {@link recoverHive}. */
export interface RecoverOptions {
  /**
   * Run checkHive over the replayed image and refuse it (LogRecoveryError) when it reports an error:
   * a replay that produces an inconsistent hive must never be written back (issue 14.2). Default true.
   */
  validate?: boolean;
}

/**
 * The transaction-log files of a hive, as bytes, for {@link recoverHive}: `.LOG1`, `.LOG2` and/or a single `.LOG`.
 */
export interface TransactionLogs {
  log1?: Uint8Array;
  log2?: Uint8Array;
  /** A single `.LOG` (older Windows, or an old-format log). */
  log?: Uint8Array;
}

/**
 * One log {@link recoverHive} replayed: which file, its format, how many log entries it applied and their sequence-number range.
 */
export interface AppliedLog {
  log: 'LOG1' | 'LOG2' | 'LOG';
  format: 'new' | 'old';
  entries: number;
  firstSequence: number;
  lastSequence: number;
}

/** What {@link recoverHive} returns: the recovered primary image and the logs it applied. */
export interface RecoveryResult {
  /** The recovered primary image (base block + hive bins), clean: seq1 = seq2, checksum right. */
  bytes: Uint8Array;
  /** False when the primary was clean: `bytes` is then the input unchanged and logs were ignored. */
  recovered: boolean;
  applied: AppliedLog[];
  /** The primary's base block was unusable and was rebuilt from a log's copy. */
  baseBlockFromLog: boolean;
}

const HVLE = 0x454c7648; // "HvLE"
const DIRT = 0x54524944; // "DIRT"
const MAX_BINS = 0x7fff0000;

interface LogHeader {
  name: AppliedLog['log'];
  bytes: Uint8Array;
  view: DataView;
  format: 'new' | 'old';
  sequence: number;
  hiveBinsSize: number;
  lastWritten: bigint;
}

function viewOf(bytes: Uint8Array): DataView {
  return new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
}

/** A log is usable when its first sector is a valid regf base block of a log type with seq1 = seq2 (§10.2). */
function readLogHeader(name: AppliedLog['log'], bytes: Uint8Array | undefined, notes: string[]): LogHeader | undefined {
  if (bytes === undefined || bytes.length === 0) return undefined;
  if (bytes.length < 512) {
    notes.push(`${name} is shorter than one sector`);
    return undefined;
  }
  const view = viewOf(bytes);
  const type = view.getUint32(BaseBlockField.fileType, true);
  if (view.getUint32(0, true) !== REGF_SIGNATURE || view.getUint32(BaseBlockField.checksum, true) !== baseBlockChecksum(view)) {
    notes.push(`${name} has no valid base block (signature or checksum)`);
    return undefined;
  }
  if (view.getUint32(BaseBlockField.primarySequence, true) !== view.getUint32(BaseBlockField.secondarySequence, true)) {
    notes.push(`${name}'s sequence numbers differ: it was not completely written`);
    return undefined;
  }
  if (type !== FileType.newLog && type !== FileType.oldLog && type !== FileType.oldLogNt2000) {
    notes.push(`${name} is not a transaction log (file type ${type})`);
    return undefined;
  }
  return {
    name,
    bytes,
    view,
    format: type === FileType.newLog ? 'new' : 'old',
    sequence: view.getUint32(BaseBlockField.primarySequence, true),
    hiveBinsSize: view.getUint32(BaseBlockField.hiveBinsSize, true),
    lastWritten: view.getBigUint64(BaseBlockField.lastWritten, true),
  };
}

/**
 * Whether a new-format log belongs to this primary. Windows itself (regf.md §10.2, §10.5) checks only
 * the log's own base block (signature, checksum, file type, seq1 = seq2) and that its sequence is not
 * older than the primary's seq2; entries are then checked one by one (signature, size, hive-bins size,
 * both Marvin32 hashes, consecutive sequence numbers). For old-format logs ReactOS also demands the
 * primary's timestamp (sdk/lib/cmlib/hiveinit.c@092f4a6, HvpRecoverHeaderFromLog: TimeStamp equal).
 * A log copied from another hive passes all of that (corpus: SYSTEM_2 with SYSTEM_B.LOG1, issue 14.2),
 * so we add identity checks of our own — stricter than Windows — on the base-block copy the log carries
 * (regf.md §10.2: the log's first sector is a copy of the primary's): the root cell index (0x24) and the
 * RmId, LogId and TmId GUIDs (0x70, 0x80, 0x94; regf.md §2: the hive's KTM resource-manager identity,
 * which a writer keeps as read, §11.1). [observed] every dirty hive of the corpus (SYSTEM_B, UsrClass.dat,
 * NewDirtyHive1/2) carries the same three GUIDs in its primary and in both logs, and SYSTEM_2's differ
 * from SYSTEM_B's. Zero GUIDs (XP-era hives, hives written by other tools) are not compared. Windows'
 * sequence rule stays as it is: the first entry need not continue the primary's seq2 exactly, since a
 * partial reconcile leaves gaps (Suhanov, "Missing log entries for a dirty primary file"; SYSTEM_B's
 * primary is at 1621 and its LOG1 starts at 2107). Finally recoverHive runs checkHive over the replayed
 * image and refuses it on any error, so a log that passes all of this but does not fit still writes
 * nothing.
 */
function foreignReason(log: LogHeader, primary: DataView): string | undefined {
  const root = primary.getUint32(BaseBlockField.rootCell, true);
  const logRoot = log.view.getUint32(BaseBlockField.rootCell, true);
  if (root !== logRoot) return `${log.name} belongs to another hive (its root cell is 0x${logRoot.toString(16)}, the primary's is 0x${root.toString(16)})`;
  for (const [offset, field] of [
    [0x70, 'RmId'],
    [0x80, 'LogId'],
    [0x94, 'TmId'],
  ] as const) {
    const a = new Uint8Array(primary.buffer, primary.byteOffset + offset, 16);
    const b = log.bytes.subarray(offset, offset + 16);
    if (a.every((x) => x === 0) || b.every((x) => x === 0)) continue;
    if (a.some((x, i) => x !== b[i])) return `${log.name} belongs to another hive (its ${field} GUID differs from the primary's)`;
  }
  return undefined;
}

/** uint32 sequence comparison with wrap-around: true when `a` comes at or after `b`. */
function atOrAfter(a: number, b: number): boolean {
  return (a - b) >>> 0 <= 0x7fffffff;
}

/** The growing recovered image. */
class Image {
  bytes: Uint8Array;
  /** Bytes past the hive bins (Windows pads primaries) stay as they were, as in Windows' recoveries. */
  private readonly fileLength: number;
  constructor(primary: Uint8Array, hiveBinsSize: number) {
    this.fileLength = primary.length;
    this.bytes = new Uint8Array(Math.max(primary.length, BASE_BLOCK_SIZE + hiveBinsSize));
    this.bytes.set(primary);
  }

  resize(hiveBinsSize: number): void {
    const length = Math.max(this.fileLength, BASE_BLOCK_SIZE + hiveBinsSize);
    if (length === this.bytes.length) return;
    const grown = new Uint8Array(length);
    grown.set(this.bytes.subarray(0, Math.min(length, this.bytes.length)));
    this.bytes = grown;
  }
}

interface EntryResult {
  entries: number;
  first: number;
  last: number;
  hiveBinsSize: number;
  flags: number;
}

/**
 * Applies the valid HvLE entries of a new-format log, starting with sequence `expected`, stopping at
 * the first entry that fails a check (old entries and trailing garbage are normal, §10.4).
 */
function applyNewLog(log: LogHeader, image: Image, expected: number): EntryResult {
  const { bytes, view } = log;
  const result: EntryResult = { entries: 0, first: expected, last: (expected - 1) >>> 0, hiveBinsSize: 0, flags: 0 };
  let at = 512;
  for (;;) {
    const entry = checkEntry(bytes, view, at, (expected + result.entries) >>> 0);
    if (entry === undefined) break;
    image.resize(entry.hiveBinsSize);
    for (const [offset, length, source] of entry.references) image.bytes.set(bytes.subarray(source, source + length), BASE_BLOCK_SIZE + offset);
    result.entries++;
    result.last = entry.sequence;
    result.hiveBinsSize = entry.hiveBinsSize;
    result.flags = view.getUint32(at + 8, true) & 1;
    at += entry.size;
  }
  return result;
}

interface CheckedEntry {
  size: number;
  sequence: number;
  hiveBinsSize: number;
  /** [offset in the hive bins, length, offset in the log] of each page. */
  references: [number, number, number][];
}

/**
 * The HvLE entry at `at` when it passes every check of regf.md §10.4 with sequence `expected`, and every
 * page reference fits (an entry applies whole or not at all); else undefined.
 */
function checkEntry(bytes: Uint8Array, view: DataView, at: number, expected: number): CheckedEntry | undefined {
  if (at + 40 > bytes.length || view.getUint32(at, true) !== HVLE) return undefined;
  const size = view.getUint32(at + 4, true);
  const sequence = view.getUint32(at + 12, true);
  const hiveBinsSize = view.getUint32(at + 16, true);
  const pages = view.getUint32(at + 20, true);
  if (size < 512 || size % 512 !== 0 || at + size > bytes.length) return undefined;
  if (hiveBinsSize === 0 || hiveBinsSize % 4096 !== 0 || hiveBinsSize > MAX_BINS) return undefined;
  if (pages === 0 || 40 + 8 * pages > size) return undefined;
  if (sequence !== expected) return undefined;
  const hash1 = marvin32(bytes, at + 40, size - 40);
  const hash2 = marvin32(bytes, at, 32);
  if (hash1.lo !== view.getUint32(at + 24, true) || hash1.hi !== view.getUint32(at + 28, true)) return undefined;
  if (hash2.lo !== view.getUint32(at + 32, true) || hash2.hi !== view.getUint32(at + 36, true)) return undefined;
  let data = at + 40 + 8 * pages;
  const references: [number, number, number][] = [];
  for (let i = 0; i < pages; i++) {
    const offset = view.getUint32(at + 40 + 8 * i, true);
    const length = view.getUint32(at + 44 + 8 * i, true);
    if (offset % 512 !== 0 || length === 0 || offset + length > hiveBinsSize || data + length > at + size) return undefined;
    references.push([offset, length, data]);
    data += length;
  }
  return { size, sequence, hiveBinsSize, references };
}

/** What a writer needs to know of a log beside its hive (see {@link readLogChain}). */
export interface LogChain {
  format: 'new' | 'old';
  /** The sequence number of the log's base block: for a new-format log, that of its first entry. */
  sequence: number;
  /** New format: the sequence of the last entry of the unbroken chain read (sequence − 1 when none). */
  last: number;
  /** New format: the offset just past that entry (512 when none). */
  end: number;
  lastWritten: bigint;
  /** Why the log does not belong to `primary` (another hive's log), when a primary was given. */
  foreign?: string;
  /** With `pages`: every page reference of the chain, in replay order: [hive-bins offset, length, offset in the log]. */
  pages?: [number, number, number][];
}

/**
 * Reads a log's base block and, for the new format, its chain of valid entries from the first, up to
 * and excluding sequence `stopAt` (entries from there on are what a writer replaces). Undefined when
 * the log is missing, empty, or has no usable base block (§10.2).
 */
export function readLogChain(bytes: Uint8Array | undefined, stopAt?: number, primary?: Uint8Array, pages = false): LogChain | undefined {
  const header = readLogHeader('LOG1', bytes, []);
  if (header === undefined) return undefined;
  const chain: LogChain = { format: header.format, sequence: header.sequence, last: (header.sequence - 1) >>> 0, end: 512, lastWritten: header.lastWritten };
  if (primary !== undefined) {
    const reason = foreignReason(header, new DataView(primary.buffer, primary.byteOffset, Math.min(primary.byteLength, BASE_BLOCK_SIZE)));
    if (reason !== undefined) chain.foreign = reason;
  }
  if (header.format !== 'new') return chain;
  if (pages) chain.pages = [];
  for (let expected = header.sequence; expected !== stopAt; expected = (expected + 1) >>> 0) {
    const entry = checkEntry(header.bytes, header.view, chain.end, expected);
    if (entry === undefined) break;
    chain.last = expected;
    chain.end += entry.size;
    chain.pages?.push(...entry.references);
  }
  return chain;
}

/** Applies an old-format log: the DIRT bitmap marks 512-byte pages, which follow packed (§10.3). */
function applyOldLog(log: LogHeader, image: Image): number {
  const { bytes, view, hiveBinsSize } = log;
  if (hiveBinsSize === 0 || hiveBinsSize % 4096 !== 0 || hiveBinsSize > MAX_BINS)
    throw new LogRecoveryError(`${log.name}: its base block declares an impossible hive-bins size ${hiveBinsSize}`);
  if (bytes.length < 516 || view.getUint32(512, true) !== DIRT) throw new LogRecoveryError(`${log.name}: no "DIRT" dirty vector at offset 512`);
  const bitmapBytes = hiveBinsSize / 4096;
  if (516 + bitmapBytes > bytes.length) throw new LogRecoveryError(`${log.name}: the dirty vector runs past the end of the log`);
  let page = Math.ceil((516 + bitmapBytes) / 512) * 512;
  image.resize(hiveBinsSize);
  let applied = 0;
  for (let bit = 0; bit < hiveBinsSize / 512; bit++) {
    if (!(bytes[516 + (bit >>> 3)]! & (1 << (bit & 7)))) continue;
    if (page + 512 > bytes.length) throw new LogRecoveryError(`${log.name}: the dirty vector marks more pages than the log holds`);
    image.bytes.set(bytes.subarray(page, page + 512), BASE_BLOCK_SIZE + bit * 512);
    page += 512;
    applied++;
  }
  return applied;
}

function finish(image: Image, source: DataView, sequence: number, hiveBinsSize: number, flagsBit: number | undefined): Uint8Array {
  image.resize(hiveBinsSize);
  const bytes = image.bytes;
  bytes.set(new Uint8Array(source.buffer, source.byteOffset, 512), 0);
  const view = viewOf(bytes);
  view.setUint32(BaseBlockField.primarySequence, sequence, true);
  view.setUint32(BaseBlockField.secondarySequence, sequence, true);
  view.setUint32(BaseBlockField.fileType, FileType.primary, true);
  view.setUint32(BaseBlockField.hiveBinsSize, hiveBinsSize, true);
  if (flagsBit !== undefined) view.setUint32(144, (view.getUint32(144, true) & ~1) | flagsBit, true);
  view.setUint32(BaseBlockField.checksum, baseBlockChecksum(view), true);
  return bytes;
}

/**
 * Recovers a dirty primary from its logs. A clean primary comes back unchanged (logs are ignored).
 * @throws {LogRecoveryError} the hive is dirty and no log can repair it (missing, stale or broken)
 */
export function recoverHive(primary: Uint8Array, logs: TransactionLogs, options: RecoverOptions = {}): RecoveryResult {
  const result = replay(primary, logs);
  if (result.recovered && (options.validate ?? true)) {
    const errors = checkHive(result.bytes, { maxViolations: 20 }).filter((v) => v.severity === 'error');
    if (errors.length > 0) {
      const reasons = errors.slice(0, 3).map((v) => `${v.rule} at cell 0x${v.offset.toString(16)}: ${v.message}`);
      const from = result.applied.map((a) => a.log).join(' and ');
      throw new LogRecoveryError(
        `replaying ${from} gives an inconsistent hive (${reasons.join('; ')}); refusing it: the logs do not belong to this hive or are damaged. Nothing was written; move the logs aside to read the primary as it is`,
        reasons,
      );
    }
  }
  return result;
}

function replay(primary: Uint8Array, logs: TransactionLogs): RecoveryResult {
  if (primary.length < BASE_BLOCK_SIZE) throw new LogRecoveryError('the primary is shorter than its base block');
  const view = viewOf(primary);
  // §2: a base block is usable when its signature and checksum are right and it describes a regf 1.3–1.6
  // primary; anything else (yarp's BadBaseBlockHive says minor version 1) is rebuilt from a log.
  const minor = view.getUint32(BaseBlockField.minorVersion, true);
  const baseValid =
    view.getUint32(0, true) === REGF_SIGNATURE &&
    view.getUint32(BaseBlockField.checksum, true) === baseBlockChecksum(view) &&
    view.getUint32(BaseBlockField.majorVersion, true) === 1 &&
    minor >= 3 &&
    minor <= 6 &&
    view.getUint32(BaseBlockField.fileType, true) === FileType.primary &&
    view.getUint32(BaseBlockField.fileFormat, true) === 1;
  const seq1 = view.getUint32(BaseBlockField.primarySequence, true);
  const seq2 = view.getUint32(BaseBlockField.secondarySequence, true);
  if (baseValid && seq1 === seq2) return { bytes: primary, recovered: false, applied: [], baseBlockFromLog: false };

  const notes: string[] = [];
  const headers = [readLogHeader('LOG1', logs.log1, notes), readLogHeader('LOG2', logs.log2, notes), readLogHeader('LOG', logs.log, notes)].filter(
    (h): h is LogHeader => h !== undefined,
  );
  const newLogs = headers.filter((h) => h.format === 'new');
  const oldLogs = headers.filter((h) => h.format === 'old');
  const why = (): string => (notes.length > 0 ? ` (${notes.join('; ')})` : '');

  if (newLogs.length > 0) {
    newLogs.sort((a, b) => (atOrAfter(b.sequence, a.sequence) ? -1 : 1));
    const applied: AppliedLog[] = [];
    if (!baseValid) {
      // §10.5 step 4: only the log with the latest entries, base block from its copy.
      const log = newLogs[newLogs.length - 1]!;
      const image = new Image(primary, log.hiveBinsSize);
      const result = applyNewLog(log, image, log.sequence);
      if (result.entries === 0) throw new LogRecoveryError(`the base block is corrupt and ${log.name} holds no valid entry to rebuild the hive from${why()}`);
      applied.push({ log: log.name, format: 'new', entries: result.entries, firstSequence: result.first, lastSequence: result.last });
      return { bytes: finish(image, log.view, result.last, result.hiveBinsSize, result.flags), recovered: true, applied, baseBlockFromLog: true };
    }
    const image = new Image(primary, view.getUint32(BaseBlockField.hiveBinsSize, true));
    let last: EntryResult | undefined;
    let candidates = newLogs.filter((log) => {
      const reason = foreignReason(log, view);
      if (reason !== undefined) notes.push(reason);
      return reason === undefined;
    });
    // §10.5 step 3: an earlier log older than the primary is stale; use only the later one.
    if (candidates.length === 2 && !atOrAfter(candidates[0]!.sequence, seq2)) candidates = [candidates[1]!];
    for (const log of candidates) {
      if (last !== undefined && log.sequence !== (last.last + 1) >>> 0) break;
      if (last === undefined && !atOrAfter(log.sequence, seq2)) {
        notes.push(`${log.name} is older than the primary (sequence ${log.sequence} < ${seq2})`);
        continue;
      }
      const result = applyNewLog(log, image, log.sequence);
      if (result.entries === 0) {
        notes.push(`${log.name} has no valid entry with sequence ${log.sequence}`);
        if (last === undefined) continue;
        break;
      }
      applied.push({ log: log.name, format: 'new', entries: result.entries, firstSequence: result.first, lastSequence: result.last });
      last = result;
    }
    if (last === undefined) throw new LogRecoveryError(`the hive is dirty and no log has entries that apply to it${why()}`, notes);
    return { bytes: finish(image, view, last.last, last.hiveBinsSize, last.flags), recovered: true, applied, baseBlockFromLog: false };
  }

  if (oldLogs.length > 0) {
    for (const log of oldLogs) {
      // §10.3: an old log applies when it was written with the primary (same last-written time).
      if (baseValid && log.lastWritten !== view.getBigUint64(BaseBlockField.lastWritten, true)) {
        notes.push(`${log.name} belongs to another write of the hive (timestamps differ)`);
        continue;
      }
      const image = new Image(primary, log.hiveBinsSize);
      const pages = applyOldLog(log, image);
      const base = baseValid ? view : log.view;
      return {
        bytes: finish(image, base, log.sequence, log.hiveBinsSize, undefined),
        recovered: true,
        applied: [{ log: log.name, format: 'old', entries: pages, firstSequence: log.sequence, lastSequence: log.sequence }],
        baseBlockFromLog: !baseValid,
      };
    }
  }
  throw new LogRecoveryError(
    `the hive is dirty (${baseValid ? `sequence numbers ${seq1} ≠ ${seq2}` : 'its base block is corrupt'}) and no usable transaction log was given${why()}`,
    notes,
  );
}
