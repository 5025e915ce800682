/**
 * The editor's model, without any DOM: one hive opened from bytes (its logs replayed first when it is
 * dirty and the user agrees), mounted where Windows would mount it, paths resolved the way the CLI
 * resolves them (registry/mounts.ts, CurrentControlSet included), edits with undo, .reg export, find,
 * check and stat. test/web/model.test.ts runs it in Node; the page runs the same code in the browser.
 */
import { Hive, KeyNode, ValueRecord, ValueType, checkHive, decodeUtf16le, readValueData, recoverHive, walkKeys } from '../../src/hive/index.js';
import type { BaseBlockInfo, RecoveryResult, TransactionLogs, Violation } from '../../src/hive/index.js';
import { MountTable, decodeString, formatRegistryPath, inferMount, keyAtPath, parseRegistryPath } from '../../src/registry/index.js';
import type { RegistryPath } from '../../src/registry/index.js';
import { encodeRegFile, exportRegFile } from '../../src/regfile/index.js';
// reg add's text⇄bytes rules (pure: no node:* imports, or the esbuild browser build would fail).
import { encodeRegAddData, formatQueryData, queryTypeName } from '../../src/cli/reg-data.js';

/** A file the user gave the page: its name and bytes. */
export interface InputFile {
  name: string;
  bytes: Uint8Array;
}

/** A primary hive file and the transaction logs given beside it. */
export interface HiveFiles {
  primary: InputFile;
  logs: TransactionLogs;
  logNames: string[];
}

/** A user-facing failure: the message says what to do. */
export class EditorError extends Error {
  readonly code = 'WEB_EDITOR';
}

/**
 * Sorts the files a user picked or dropped into one primary and its logs, by name as Windows names
 * them (NAME.LOG1, NAME.LOG2, NAME.LOG) and, failing that, by the regf file type (1 or 6 = a log).
 */
export function sortFiles(files: readonly InputFile[]): HiveFiles {
  const logs: TransactionLogs = {};
  const logNames: string[] = [];
  const primaries: InputFile[] = [];
  for (const file of files) {
    const match = /\.log([12]?)$/i.exec(file.name);
    const fileType = file.bytes.length >= 32 ? new DataView(file.bytes.buffer, file.bytes.byteOffset, 32).getUint32(28, true) : -1;
    if (match !== null || fileType === 1 || fileType === 2 || fileType === 6) {
      const slot = match?.[1] === '1' ? 'log1' : match?.[1] === '2' ? 'log2' : match !== null ? 'log' : logs.log1 === undefined ? 'log1' : 'log2';
      logs[slot] = file.bytes;
      logNames.push(file.name);
    } else primaries.push(file);
  }
  if (primaries.length !== 1) {
    throw new EditorError(
      primaries.length === 0
        ? 'only transaction logs were given: open the hive file itself (with its .LOG1/.LOG2 if it is dirty)'
        : `open one hive at a time (got ${primaries.map((p) => p.name).join(', ')}) — plus its .LOG1/.LOG2`,
    );
  }
  return { primary: primaries[0]!, logs, logNames };
}

/** True when the logs hold anything to offer. */
export function hasLogs(logs: TransactionLogs): boolean {
  return logs.log1 !== undefined || logs.log2 !== undefined || logs.log !== undefined;
}

/** Why a hive is dirty, in words, or undefined when it is clean. */
export function dirtyReason(hive: Hive): string | undefined {
  const dirty = hive.dirty;
  if (dirty === undefined) return undefined;
  return !dirty.checksumValid ? 'its base-block checksum is wrong' : `its sequence numbers differ (${dirty.primarySequence} ≠ ${dirty.secondarySequence})`;
}

/** regedit's names for the types it creates, in its New menu order. */
export const NEW_VALUE_TYPES: readonly { type: number; label: string }[] = [
  { type: ValueType.REG_SZ, label: 'String Value' },
  { type: ValueType.REG_BINARY, label: 'Binary Value' },
  { type: ValueType.REG_DWORD, label: 'DWORD (32-bit) Value' },
  { type: ValueType.REG_QWORD, label: 'QWORD (64-bit) Value' },
  { type: ValueType.REG_MULTI_SZ, label: 'Multi-String Value' },
  { type: ValueType.REG_EXPAND_SZ, label: 'Expandable String Value' },
];

/** The type column: reg query's names. */
export function typeName(type: number): string {
  return queryTypeName(type);
}

function hexBytes(data: Uint8Array, limit: number): string {
  let out = '';
  const n = Math.min(data.length, limit);
  for (let i = 0; i < n; i++) out += `${i === 0 ? '' : ' '}${data[i]!.toString(16).padStart(2, '0')}`;
  return data.length > limit ? `${out} …` : out;
}

/** The strings of a REG_MULTI_SZ, its terminating empty string dropped. */
export function multiStrings(data: Uint8Array): string[] {
  let text = decodeUtf16le(data, 0, data.length & ~1);
  for (let n = 0; n < 2 && text.endsWith('\0'); n++) text = text.slice(0, -1);
  return text === '' ? [] : text.split('\0');
}

/**
 * The data column as regedit shows it: strings up to their NUL, multi-strings one per line, DWORD and
 * QWORD in hex and decimal, everything else (and a number of the wrong size) as hex bytes.
 */
export function displayData(type: number, data: Uint8Array, limit = 512): string {
  const view = new DataView(data.buffer, data.byteOffset, data.byteLength);
  switch (type) {
    case ValueType.REG_SZ:
    case ValueType.REG_EXPAND_SZ:
    case ValueType.REG_LINK:
      return decodeString(data);
    case ValueType.REG_MULTI_SZ:
      return multiStrings(data).join('\n');
    case ValueType.REG_DWORD:
    case ValueType.REG_DWORD_BIG_ENDIAN:
      if (data.length === 4) {
        // REG_DWORD_BIG_ENDIAN read little-endian too, as reg query reads it and reg add (and this editor) stores it.
        const n = view.getUint32(0, true);
        return `0x${n.toString(16).padStart(8, '0')} (${n})`;
      }
      break;
    case ValueType.REG_QWORD:
      if (data.length === 8) {
        const n = view.getBigUint64(0, true);
        return `0x${n.toString(16).padStart(16, '0')} (${n})`;
      }
      break;
  }
  return data.length === 0 ? '(zero-length binary value)' : hexBytes(data, limit);
}

/** The text an editor starts with for a value (what parseValueInput reads back). */
export function editText(type: number, data: Uint8Array, hex = true): string {
  const view = new DataView(data.buffer, data.byteOffset, data.byteLength);
  if ((type === ValueType.REG_DWORD || type === ValueType.REG_DWORD_BIG_ENDIAN) && data.length === 4) {
    const n = view.getUint32(0, true);
    return hex ? n.toString(16) : String(n);
  }
  if (type === ValueType.REG_QWORD && data.length === 8) {
    const n = view.getBigUint64(0, true);
    return hex ? n.toString(16) : String(n);
  }
  if (type === ValueType.REG_SZ || type === ValueType.REG_EXPAND_SZ) return decodeString(data);
  if (type === ValueType.REG_MULTI_SZ) return multiStrings(data).join('\n');
  return hexBytes(data, Number.POSITIVE_INFINITY);
}

/** True for the types the editor offers a text field for (others get the hex editor). */
export function isTextType(type: number): boolean {
  return type === ValueType.REG_SZ || type === ValueType.REG_EXPAND_SZ || type === ValueType.REG_MULTI_SZ;
}

/** True for DWORD and QWORD. */
export function isNumberType(type: number): boolean {
  return type === ValueType.REG_DWORD || type === ValueType.REG_DWORD_BIG_ENDIAN || type === ValueType.REG_QWORD;
}

/**
 * The bytes an editor's text stands for, validated exactly as `netconfig reg add /t TYPE /d DATA` validates
 * (src/cli/reg-data.ts encodeRegAddData): numbers in the chosen base (hex without its 0x, as regedit's
 * DWORD dialog), multi-strings one per line (an empty line inside the list is refused, as reg add refuses
 * an empty string), binary as hex digits (blanks between bytes allowed for typing convenience).
 * @throws {RegDataError} with reg add's message
 */
export function parseValueInput(type: number, text: string, hex = true): Uint8Array {
  if (isNumberType(type)) return encodeRegAddData(type, hex && text.trim() !== '' ? `0x${text.trim().replace(/^0x/i, '')}` : text.trim());
  if (type === ValueType.REG_MULTI_SZ) return encodeRegAddData(type, text.replace(/\r\n/g, '\n').replace(/\n$/, ''), '\n');
  if (type === ValueType.REG_SZ || type === ValueType.REG_EXPAND_SZ) return encodeRegAddData(type, text);
  return encodeRegAddData(ValueType.REG_BINARY, text.replace(/\s+/g, ''));
}

/** A position in the hive for find: a key (its components) and optionally one of its values. */
export interface FindHit {
  components: string[];
  value?: string;
}

/** What Find looks at and how it matches, as reg query /f /k /v /d /e /c. */
export interface FindOptions {
  pattern: string;
  keys: boolean;
  values: boolean;
  data: boolean;
  /** /e: the whole name or data must match. */
  whole: boolean;
  /** /c: case counts. */
  caseSensitive: boolean;
}

/** reg query /f's matcher: * and ? wildcards, a substring unless whole, case-insensitive unless asked. */
export function findMatcher(options: Pick<FindOptions, 'pattern' | 'whole' | 'caseSensitive'>): (text: string) => boolean {
  if (options.pattern === '*') return () => true;
  const escaped = options.pattern
    .replace(/[.+^${}()|[\]\\]/g, '\\$&')
    .replace(/\*/g, '[\\s\\S]*')
    .replace(/\?/g, '[\\s\\S]');
  const regex = new RegExp(options.whole ? `^${escaped}$` : escaped, options.caseSensitive ? 'u' : 'iu');
  return (text) => regex.test(text);
}

/** The facts `netconfig stat --json` prints, for the open hive. */
export interface StatFacts {
  name: string;
  version: string;
  dirty: boolean;
  sequence: [number, number];
  hiveBinsSize: number;
  bins: number;
  keys: number;
  values: number;
  dataBytes: number;
  maxDepth: number;
  problems: number;
  lastWritten: string;
  recordedFileName: string;
  mountedAt: string;
}

const UNDO_LIMIT = 20;
const UNDO_BYTES = 256 * 1024 * 1024;

/** One open hive: where it is mounted, edits with undo, and everything the views ask of it. */
export class HiveSession {
  hive: Hive;
  readonly mountAt: RegistryPath;
  readonly mountReason: string;
  readonly kind: string | undefined;
  /** Bumped by every change (edit, undo): views holding KeyNodes rebuild them. */
  generation = 0;
  private readonly undoStack: { label: string; image: Uint8Array }[] = [];
  /** Edits since the last save. */
  unsaved = 0;
  /** The base block as the file held it (every serialize, for undo or save, moves sequence numbers and time on). */
  readonly asRead: BaseBlockInfo;

  constructor(
    readonly name: string,
    hive: Hive,
    readonly recovery: RecoveryResult | undefined,
    readonly readOnlyReason: string | undefined,
    mountAt?: string,
  ) {
    this.hive = hive;
    this.asRead = hive.baseBlock;
    const inferred = mountAt !== undefined && mountAt !== '' ? { kind: undefined, at: mountAt, reason: 'where the image mounts it' } : inferMount(hive, name);
    this.kind = inferred.kind;
    // An unknown hive is shown where `reg load HKLM\NAME` would put it.
    const at = inferred.at !== '' ? inferred.at : `HKEY_LOCAL_MACHINE\\${name.replace(/[^A-Za-z0-9_.-]/g, '_') || 'HIVE'}`;
    this.mountAt = parseRegistryPath(at);
    this.mountReason = inferred.at !== '' ? inferred.reason : 'its kind is unknown; shown where reg load HKLM\\NAME would mount it';
  }

  /**
   * Opens a hive for editing. With `recover`, the logs are replayed first (recoverHive, as the CLI
   * does); a hive that is not well-formed opens read-only in tolerant mode instead of failing.
   * `mountAt` overrides where the hive is mounted (a hive of a Windows image: the server knows where).
   * @throws {NotAHiveError} and the other open errors of Hive.open, for a file that is no hive at all
   */
  static open(files: HiveFiles, recover: boolean, mountAt?: string): HiveSession {
    let bytes = files.primary.bytes;
    let recovery: RecoveryResult | undefined;
    if (recover && hasLogs(files.logs)) {
      recovery = recoverHive(bytes, files.logs);
      if (recovery.recovered) bytes = recovery.bytes;
      else recovery = undefined;
    }
    try {
      return new HiveSession(files.primary.name, Hive.open(bytes), recovery, undefined, mountAt);
    } catch (error) {
      const tolerant = Hive.open(bytes, { tolerant: true });
      return new HiveSession(
        files.primary.name,
        tolerant,
        recovery,
        `read-only: ${(error as Error).message} (${tolerant.problems.length} problem(s) skipped)`,
        mountAt,
      );
    }
  }

  /** The full registry path of a key given by its components inside the hive. */
  display(components: readonly string[]): string {
    return formatRegistryPath({ root: this.mountAt.root, components: [...this.mountAt.components, ...components] });
  }

  /** The components of a key, root's child first. */
  componentsOf(key: KeyNode): string[] {
    const names: string[] = [];
    for (let k: KeyNode | undefined = key; k !== undefined && !k.isRoot; k = k.parent()) names.push(k.name);
    return names.reverse();
  }

  /** The key at components, or undefined. */
  key(components: readonly string[]): KeyNode | undefined {
    return keyAtPath(this.hive.root(), components);
  }

  /**
   * Resolves what the address bar holds: a registry path (HKLM\SYSTEM\CurrentControlSet\…, short or long
   * root names, regedit's `Computer\` prefix) through the same mount table the CLI uses, or a path inside
   * the hive (`\ControlSet001\Services`). Returns the components inside the hive.
   * @throws {RegistryPathError} | {MountError} | {EditorError} naming the deepest key that exists
   */
  resolve(text: string): string[] {
    let path = text.trim().replace(/^"|"$/g, '').replace(/\//g, '\\');
    path = path.replace(/^(Computer|Computer\\)\\?/i, '');
    let components: string[];
    if (path === '' || path.startsWith('\\') || !/^(HK|HKEY_)/i.test(path)) {
      const inside = path.split('\\').filter((c) => c !== '');
      const parsed = { root: this.mountAt.root, components: [...this.mountAt.components, ...inside] };
      components = this.table().locate(parsed).components;
    } else components = this.table().locate(parseRegistryPath(path)).components;
    const found = this.key(components);
    if (found === undefined) {
      let deepest = 0;
      while (deepest < components.length && this.key(components.slice(0, deepest + 1)) !== undefined) deepest++;
      throw new EditorError(`${this.display(components)} does not exist: ${this.display(components.slice(0, deepest))} has no subkey "${components[deepest]}"`);
    }
    return this.componentsOf(found);
  }

  private table(): MountTable {
    return new MountTable([{ at: this.mountAt, label: this.name, open: () => this.hive }]);
  }

  // ---- edits -------------------------------------------------------------------------------------

  /** True when there is an edit to undo. */
  get canUndo(): boolean {
    return this.undoStack.length > 0;
  }

  /** What Undo would undo. */
  get undoLabel(): string | undefined {
    return this.undoStack[this.undoStack.length - 1]?.label;
  }

  /**
   * Runs one edit: the hive image is kept first so Undo (and a failing edit) can put it back whole.
   * @throws whatever the edit throws, after the hive was restored
   */
  edit<T>(label: string, change: (hive: Hive) => T): T {
    if (this.readOnlyReason !== undefined) throw new EditorError(`this hive is ${this.readOnlyReason}`);
    const image = this.hive.serialize();
    try {
      const result = change(this.hive);
      this.undoStack.push({ label, image });
      // At most UNDO_LIMIT edits, and about 256 MiB of images (a 12 MB SYSTEM hive keeps all 20).
      let bytes = this.undoStack.reduce((sum, entry) => sum + entry.image.length, 0);
      while (this.undoStack.length > UNDO_LIMIT || (this.undoStack.length > 1 && bytes > UNDO_BYTES)) bytes -= this.undoStack.shift()!.image.length;
      this.unsaved++;
      this.generation++;
      return result;
    } catch (error) {
      this.hive = Hive.open(image, { adopt: true });
      this.generation++;
      throw error;
    }
  }

  /** Puts the hive back as it was before the last edit; returns that edit's label. */
  undo(): string | undefined {
    const last = this.undoStack.pop();
    if (last === undefined) return undefined;
    this.hive = Hive.open(last.image, { adopt: true });
    this.unsaved = Math.max(0, this.unsaved - 1);
    this.generation++;
    return last.label;
  }

  private must(components: readonly string[]): KeyNode {
    const key = this.key(components);
    if (key === undefined) throw new EditorError(`${this.display(components)} no longer exists`);
    return key;
  }

  /** Adds a subkey; returns its components. */
  newKey(parent: readonly string[], name: string): string[] {
    if (name === '' || name.includes('\\')) throw new EditorError('a key name is 1 to 255 characters and holds no backslash');
    return this.edit(`new key ${name}`, () => this.componentsOf(this.must(parent).addSubkey(name)));
  }

  /** A name for a new key or value that is not taken yet (regedit: "New Key #1"). */
  freshName(components: readonly string[], base: string, values: boolean): string {
    const key = this.must(components);
    for (let n = 1; ; n++) {
      const name = `${base} #${n}`;
      if (values ? key.value(name) === undefined : key.subkey(name) === undefined) return name;
    }
  }

  /** Renames a key; returns its new components. */
  renameKey(components: readonly string[], name: string): string[] {
    if (components.length === 0) throw new EditorError('the root key of a hive has no name in any path; it cannot be renamed');
    if (name === '' || name.includes('\\')) throw new EditorError('a key name is 1 to 255 characters and holds no backslash');
    return this.edit(`rename key to ${name}`, () => this.componentsOf(this.must(components).rename(name)));
  }

  /** Deletes a key and everything below it. */
  deleteKey(components: readonly string[]): void {
    if (components.length === 0) throw new EditorError('the root key of a hive cannot be deleted');
    this.edit(`delete key ${components[components.length - 1]}`, () => this.must(components.slice(0, -1)).deleteSubkey(components[components.length - 1]!));
  }

  /** Sets a value (new or changed). */
  setValue(components: readonly string[], name: string, type: number, data: Uint8Array): void {
    this.edit(`set ${name === '' ? '(Default)' : name}`, () => this.must(components).setValue(name, type, data));
  }

  /** Renames a value (its type and data kept, its place in the list moved to the end, as regedit does). */
  renameValue(components: readonly string[], from: string, to: string): void {
    if (from === to) return;
    this.edit(`rename value to ${to}`, () => {
      const key = this.must(components);
      const value = key.value(from);
      if (value === undefined) throw new EditorError(`no value named "${from}"`);
      if (to === '' || key.value(to) !== undefined) throw new EditorError(to === '' ? 'a value needs a name' : `a value named "${to}" already exists`);
      key.setValue(to, value.type, value.data());
      key.deleteValue(from);
    });
  }

  /** Deletes a value. */
  deleteValue(components: readonly string[], name: string): void {
    this.edit(`delete ${name === '' ? '(Default)' : name}`, () => this.must(components).deleteValue(name));
  }

  // ---- output ------------------------------------------------------------------------------------

  /**
   * The hive file to save: serialized, then checked by the validator; a hive with any error is refused.
   * @throws {EditorError} listing the first violations
   */
  save(): Uint8Array {
    const bytes = this.hive.serialize();
    const errors = checkHive(bytes).filter((v) => v.severity === 'error');
    if (errors.length > 0)
      throw new EditorError(
        `not saved: the validator found ${errors.length} error(s): ${errors
          .slice(0, 3)
          .map((v) => `${v.rule} at 0x${v.offset.toString(16)}`)
          .join('; ')}`,
      );
    this.unsaved = 0;
    return bytes;
  }

  /**
   * The .reg file of a key and everything below it, byte for byte what `netconfig reg export KEY FILE`
   * writes for the same path (v5, UTF-16LE with BOM, CRLF).
   * @throws {EditorError} when something cannot be represented in a .reg file
   */
  exportReg(components: readonly string[]): Uint8Array {
    const key = this.must(components);
    const result = exportRegFile(this.hive, key, { prefix: this.display(components) });
    if (result.skipped.length > 0)
      throw new EditorError(`${result.skipped.length} key(s) or value(s) cannot be represented in a .reg file (${result.skipped[0]}); nothing was exported`);
    return encodeRegFile(result.text);
  }

  /** The validator's findings for the hive as it would be saved. */
  check(): Violation[] {
    return checkHive(this.hive.serialize());
  }

  /** Counts and header facts, as `netconfig stat --json`. */
  stat(): StatFacts {
    let keys = 0;
    let values = 0;
    let dataBytes = 0;
    let maxDepth = 0;
    for (const { key, depth } of walkKeys(this.hive, this.hive.root(), { paths: false })) {
      keys++;
      if (depth > maxDepth) maxDepth = depth;
      for (const cell of key.valueCells()) {
        if (ValueRecord.at(this.hive, cell) === undefined) continue;
        values++;
        dataBytes += readValueData(this.hive, cell, false)?.length ?? 0;
      }
    }
    const base = this.asRead;
    const seconds = Number(base.lastWritten / 10_000_000n) - 11_644_473_600;
    return {
      name: this.name,
      version: `${base.majorVersion}.${base.minorVersion}`,
      dirty: this.hive.dirty !== undefined,
      sequence: [base.primarySequence, base.secondarySequence],
      hiveBinsSize: this.hive.hiveBinsSize,
      bins: this.hive.binStarts.length,
      keys,
      values,
      dataBytes,
      maxDepth,
      problems: this.hive.problems.length,
      lastWritten: Number.isFinite(seconds) && seconds > 0 ? new Date(seconds * 1000).toISOString() : String(base.lastWritten),
      recordedFileName: base.fileName.replace(/\0.*$/, ''),
      mountedAt: formatRegistryPath(this.mountAt),
    };
  }

  /**
   * The next match after `from` in depth-first order (keys, then each key's values in list order), as
   * `reg query /s /f` would list them; undefined at the end of the hive (regedit stops there too).
   */
  find(options: FindOptions, from: FindHit | undefined): FindHit | undefined {
    const match = findMatcher(options);
    // reg query prints binary data as hex digits: a pattern with any other character cannot match it, so
    // the (costly) hex text of every binary value is made only when it could.
    const hexPossible = /^[0-9a-f*?]*$/i.test(options.pattern);
    const fromKey = from === undefined ? undefined : this.key(from.components);
    let passed = fromKey === undefined;
    for (const { key } of walkKeys(this.hive, this.hive.root(), { paths: false })) {
      let skipValuesThrough: string | undefined;
      if (!passed) {
        if (key.cell !== fromKey!.cell) continue;
        passed = true;
        if (from!.value === undefined) skipValuesThrough = '';
        else skipValuesThrough = from!.value;
      } else if (options.keys && !key.isRoot && match(key.name)) return { components: this.componentsOf(key) };
      if (!options.values && !options.data) continue;
      let skipping = skipValuesThrough !== undefined && skipValuesThrough !== '';
      for (const value of key.values()) {
        if (skipping) {
          if (value.name === skipValuesThrough) skipping = false;
          continue;
        }
        if (options.values && match(value.name)) return { components: this.componentsOf(key), value: value.name };
        if (options.data && match(dataText(value, hexPossible))) return { components: this.componentsOf(key), value: value.name };
      }
    }
    return undefined;
  }
}

/** The text /f /d compares: reg query's data column (multi-strings joined by \0 as reg query prints them). */
function dataText(value: ValueRecord, hexPossible: boolean): string {
  const type = value.type;
  if (type === ValueType.REG_SZ || type === ValueType.REG_EXPAND_SZ) return decodeString(value.data());
  if (type === ValueType.REG_MULTI_SZ || type === ValueType.REG_LINK || hexPossible) return formatQueryData(type, value.data());
  // DWORD and QWORD print as 0x… (an x is not a hex digit): still formatted, they are 4 or 8 bytes.
  if ((type === ValueType.REG_DWORD || type === ValueType.REG_DWORD_BIG_ENDIAN || type === ValueType.REG_QWORD) && value.dataLength <= 8)
    return formatQueryData(type, value.data());
  return '';
}

export { ValueType, KeyNode };
