import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { HiveNameError, ValueType, decodeUtf16le, encodeUtf16le, walkKeys } from '../hive/index.js';
import type { KeyNode, ValueRecord } from '../hive/index.js';
import { applyRegFile, decodeRegFile, encodeRegFile, exportRegFile, parseRegFile } from '../regfile/index.js';
import { HiveFile } from '../node/index.js';

/**
 * `netconfig reg VERB …`: Windows' reg.exe verbs on a hive file (ecosystem.md §2.1). Switches are
 * accepted as /x or -x in any case (Git Bash rewrites /v into a path, so -v must work too). Output
 * shapes and exit codes follow reg.exe: 0 success, 1 failure; compare: 0 same, 2 different.
 */

export class RegUsageError extends Error {}
export class RegFailure extends Error {}

const NOT_FOUND = 'ERROR: The system was unable to find the specified registry key or value.';
const DONE = 'The operation completed successfully.';

/** /t names reg.exe accepts: the REG_* types, plus REG_DWORD_LITTLE_ENDIAN (another name for REG_DWORD). */
export const TYPE_NAMES: Record<string, number> = { ...ValueType, REG_DWORD_LITTLE_ENDIAN: ValueType.REG_DWORD };

const NAME_OF_TYPE = new Map(Object.entries(ValueType).map(([name, type]) => [type as number, name]));

export function typeName(type: number): string {
  return NAME_OF_TYPE.get(type) ?? `0x${(type >>> 0).toString(16)}`;
}

export interface RegArguments {
  positional: string[];
  switches: Map<string, string | true>;
}

/** Switches that take a value, per verb; `/s` is recursion except for add, where it is the separator. */
const VALUED: Record<string, string[]> = {
  query: ['v', 't', 'f', 'se'],
  add: ['v', 't', 'd', 's'],
  delete: ['v'],
  copy: [],
  export: [],
  import: [],
  compare: ['v'],
};

export function parseRegArguments(verb: string, argv: string[]): RegArguments {
  const valued = new Set(VALUED[verb] ?? []);
  const positional: string[] = [];
  const switches = new Map<string, string | true>();
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i]!;
    const match = /^[/-]([A-Za-z][A-Za-z0-9:]*)$/.exec(arg);
    if (match === null || (positional.length === 0 && arg.startsWith('/') && arg.includes('\\'))) {
      positional.push(arg);
      continue;
    }
    const name = match[1]!.toLowerCase();
    if (valued.has(name)) {
      const value = argv[i + 1];
      if (value === undefined) throw new RegUsageError(`ERROR: /${name} needs a value.`);
      switches.set(name, value);
      i++;
    } else switches.set(name, true);
  }
  return { positional, switches };
}

const ROOTS = new Set(['HKLM', 'HKEY_LOCAL_MACHINE', 'HKCU', 'HKEY_CURRENT_USER', 'HKU', 'HKEY_USERS', 'HKCR', 'HKEY_CLASSES_ROOT', 'HKCC', 'HKEY_CURRENT_CONFIG']);

/**
 * A key path as the user wrote it → components inside the hive. `\A\B` and `A\B` are hive paths;
 * `HKLM\NAME\A\B` (any root, long or short) maps NAME to the hive's root, as `reg load HKLM\NAME` would.
 */
export function hiveComponents(path: string): string[] {
  const parts = path.split('\\').filter((p) => p !== '');
  if (parts.length > 0 && ROOTS.has(parts[0]!.toUpperCase())) return parts.slice(2);
  return parts;
}

function openKey(file: HiveFile, path: string): KeyNode | undefined {
  let key: KeyNode | undefined = file.hive.root();
  for (const part of hiveComponents(path)) {
    key = key.subkey(part);
    if (key === undefined) return undefined;
  }
  return key;
}

function displayPath(userPath: string, suffix: string): string {
  const base = userPath.replace(/\\+$/, '');
  return `${base === '' ? '\\' : base}${suffix}`;
}

/** Data as reg query prints it. */
export function formatData(value: { type: number; data: Uint8Array }): string {
  const { type, data } = value;
  const text = (): string => {
    const s = decodeUtf16le(data, 0, data.length);
    const nul = s.indexOf('\0');
    return nul >= 0 ? s.slice(0, nul) : s;
  };
  switch (type) {
    case ValueType.REG_SZ:
    case ValueType.REG_EXPAND_SZ:
    case ValueType.REG_LINK:
      return text();
    case ValueType.REG_DWORD:
      if (data.length === 4) return `0x${new DataView(data.buffer, data.byteOffset, 4).getUint32(0, true).toString(16)}`;
      break;
    case ValueType.REG_DWORD_BIG_ENDIAN:
      if (data.length === 4) return `0x${new DataView(data.buffer, data.byteOffset, 4).getUint32(0, false).toString(16)}`;
      break;
    case ValueType.REG_QWORD:
      if (data.length === 8) return `0x${new DataView(data.buffer, data.byteOffset, 8).getBigUint64(0, true).toString(16)}`;
      break;
    case ValueType.REG_MULTI_SZ: {
      const items = decodeUtf16le(data, 0, data.length).split('\0');
      while (items.length > 0 && items[items.length - 1] === '') items.pop();
      return items.join('\\0');
    }
  }
  return Array.from(data, (b) => b.toString(16).toUpperCase().padStart(2, '0')).join('');
}

function valueLine(value: ValueRecord): string {
  return `    ${value.name === '' ? '(Default)' : value.name}    ${typeName(value.type)}    ${formatData({ type: value.type, data: value.data() })}`;
}

export interface RegContext {
  /** The hive being worked on; an import replaces it with the imported copy. */
  file: HiveFile;
  out: (text: string) => void;
  /** Writes `file` back (atomically; refused for a dirty hive unless --force). */
  save: () => void;
  json: boolean;
}

function query(ctx: RegContext, args: RegArguments): number {
  const path = args.positional[0];
  if (path === undefined) throw new RegUsageError('ERROR: Invalid syntax. Usage: netconfig reg query KEY [/v NAME | /ve] [/s] [/t TYPE]');
  const key = openKey(ctx.file, path);
  if (key === undefined) throw new RegFailure(NOT_FOUND);
  const wanted = args.switches.has('ve') ? '' : (args.switches.get('v') as string | undefined);
  const typeFilter = args.switches.get('t');
  const typeFilterNumber = typeof typeFilter === 'string' ? TYPE_NAMES[typeFilter.toUpperCase()] : undefined;
  if (typeof typeFilter === 'string' && typeFilterNumber === undefined) throw new RegUsageError(`ERROR: Invalid type "${typeFilter}".`);
  const recursive = args.switches.has('s');
  const records: { key: string; values: { name: string; type: string; data: string }[]; subkeys: string[] }[] = [];
  const entries = recursive ? [...walkKeys(ctx.file.hive, key)] : [{ key, path: '' }];
  let found = 0;
  for (const entry of entries) {
    const values = entry.key
      .values()
      .filter((v) => wanted === undefined || v.name.toUpperCase() === wanted.toUpperCase())
      .filter((v) => typeFilterNumber === undefined || v.type === typeFilterNumber);
    found += values.length;
    records.push({
      key: displayPath(path, entry.path),
      values: values.map((v) => ({ name: v.name, type: typeName(v.type), data: formatData({ type: v.type, data: v.data() }) })),
      subkeys: recursive || wanted !== undefined ? [] : entry.key.subkeys().map((k) => displayPath(path, `\\${k.name}`)),
    });
  }
  if (wanted !== undefined && found === 0) throw new RegFailure(NOT_FOUND);
  if (ctx.json) {
    ctx.out(`${JSON.stringify(recursive ? records : records[0])}\n`);
    return 0;
  }
  for (const record of records) {
    if (wanted !== undefined && record.values.length === 0) continue;
    ctx.out(`\n${record.key}\n`);
    for (const value of record.values) ctx.out(`    ${value.name === '' ? '(Default)' : value.name}    ${value.type}    ${value.data}\n`);
    if (record.subkeys.length > 0) ctx.out(`\n${record.subkeys.join('\n')}\n`);
  }
  if (recursive && wanted !== undefined) ctx.out(`\nEnd of search: ${found} match(es) found.\n`);
  return 0;
}

function parseNumber(text: string, bits: 32 | 64): bigint {
  const trimmed = text.trim();
  if (!/^(0x[0-9a-f]+|\d+)$/i.test(trimmed)) throw new RegUsageError(`ERROR: Invalid data "${text}": use a decimal number or 0x followed by hex digits.`);
  const value = BigInt(trimmed);
  if (value >= 1n << BigInt(bits)) throw new RegUsageError(`ERROR: ${text} does not fit in ${bits} bits.`);
  return value;
}

/** Encodes /d DATA for /t TYPE the way reg add does. */
export function encodeData(type: number, data: string, separator = '\\0'): Uint8Array {
  switch (type) {
    case ValueType.REG_SZ:
    case ValueType.REG_EXPAND_SZ:
    case ValueType.REG_LINK:
      return encodeUtf16le(type === ValueType.REG_LINK ? data : `${data}\0`);
    case ValueType.REG_MULTI_SZ: {
      const items = data === '' ? [] : data.split(separator);
      return encodeUtf16le(`${items.map((s) => `${s}\0`).join('')}\0`);
    }
    case ValueType.REG_DWORD:
    case ValueType.REG_DWORD_BIG_ENDIAN: {
      const out = new Uint8Array(4);
      new DataView(out.buffer).setUint32(0, Number(parseNumber(data, 32)), type === ValueType.REG_DWORD);
      return out;
    }
    case ValueType.REG_QWORD: {
      const out = new Uint8Array(8);
      new DataView(out.buffer).setBigUint64(0, parseNumber(data, 64), true);
      return out;
    }
    default: {
      const hex = data.replace(/[\s,]/g, '');
      if (hex.length % 2 !== 0 || !/^[0-9a-fA-F]*$/.test(hex)) throw new RegUsageError(`ERROR: Invalid data "${data}": binary data is hex digits in pairs, e.g. fe340ead.`);
      return Uint8Array.from(hex.match(/../g) ?? [], (pair) => parseInt(pair, 16));
    }
  }
}

function ensureKey(ctx: RegContext, path: string): KeyNode {
  let key = ctx.file.hive.root();
  for (const part of hiveComponents(path)) key = key.subkey(part) ?? key.addSubkey(part);
  return key;
}

function add(ctx: RegContext, args: RegArguments): number {
  const path = args.positional[0];
  if (path === undefined) throw new RegUsageError('ERROR: Invalid syntax. Usage: netconfig reg add KEY [/v NAME | /ve] [/t TYPE] [/s SEP] [/d DATA] [/f]');
  const name = args.switches.has('ve') ? '' : (args.switches.get('v') as string | undefined);
  const typeText = (args.switches.get('t') as string | undefined) ?? 'REG_SZ';
  const type = TYPE_NAMES[typeText.toUpperCase()] ?? (/^0x[0-9a-f]+$|^\d+$/i.test(typeText) ? Number(typeText) : undefined);
  if (type === undefined) throw new RegUsageError(`ERROR: Invalid type "${typeText}" (one of ${Object.keys(TYPE_NAMES).join(', ')}).`);
  try {
    const key = ensureKey(ctx, path);
    if (name !== undefined) {
      if (key.value(name) !== undefined && !args.switches.has('f')) {
        throw new RegFailure(`ERROR: Value ${name === '' ? '(Default)' : name} exists; add /f to overwrite it.`);
      }
      const separator = (args.switches.get('s') as string | undefined) ?? '\\0';
      key.setValue(name, type, encodeData(type, (args.switches.get('d') as string | undefined) ?? '', separator));
    }
  } catch (error) {
    if (error instanceof HiveNameError) throw new RegFailure(`ERROR: ${error.message}`);
    throw error;
  }
  ctx.save();
  ctx.out(`${DONE}\n`);
  return 0;
}

function remove(ctx: RegContext, args: RegArguments): number {
  const path = args.positional[0];
  if (path === undefined) throw new RegUsageError('ERROR: Invalid syntax. Usage: netconfig reg delete KEY [/v NAME | /ve | /va] /f');
  if (!args.switches.has('f')) throw new RegFailure('ERROR: deleting needs /f here (there is no prompt in a non-interactive tool).');
  const key = openKey(ctx.file, path);
  if (key === undefined) throw new RegFailure(NOT_FOUND);
  const name = args.switches.has('ve') ? '' : (args.switches.get('v') as string | undefined);
  if (args.switches.has('va')) for (const value of key.values()) key.deleteValue(value.name);
  else if (name !== undefined) {
    if (key.value(name) === undefined) throw new RegFailure(NOT_FOUND);
    key.deleteValue(name);
  } else {
    const parent = key.parent();
    if (parent === undefined) throw new RegFailure('ERROR: the root key of a hive cannot be deleted.');
    parent.deleteSubkey(key.name);
  }
  ctx.save();
  ctx.out(`${DONE}\n`);
  return 0;
}

function copyTree(source: KeyNode, target: KeyNode, recursive: boolean): void {
  for (const value of source.values()) target.setValue(value.name, value.type, value.data());
  if (!recursive) return;
  for (const child of source.subkeys()) copyTree(child, target.subkey(child.name) ?? target.addSubkey(child.name), true);
}

function copy(ctx: RegContext, args: RegArguments): number {
  const [from, to] = args.positional;
  if (from === undefined || to === undefined) throw new RegUsageError('ERROR: Invalid syntax. Usage: netconfig reg copy KEY1 KEY2 [/s] [/f]');
  const source = openKey(ctx.file, from);
  if (source === undefined) throw new RegFailure(NOT_FOUND);
  const sourceParts = hiveComponents(from);
  const targetParts = hiveComponents(to);
  if (targetParts.length >= sourceParts.length && sourceParts.every((p, i) => p.toUpperCase() === targetParts[i]!.toUpperCase()) && args.switches.has('s')) {
    throw new RegFailure('ERROR: cannot copy a key into itself.');
  }
  copyTree(source, ensureKey(ctx, to), args.switches.has('s'));
  ctx.save();
  ctx.out(`${DONE}\n`);
  return 0;
}

function exportVerb(ctx: RegContext, args: RegArguments, progress: (done: number) => void): number {
  const [path, target] = args.positional;
  if (path === undefined || target === undefined) throw new RegUsageError('ERROR: Invalid syntax. Usage: netconfig reg export KEY FILE [/y]');
  if (existsSync(target) && !args.switches.has('y')) throw new RegFailure(`ERROR: ${target} exists; add /y to overwrite it.`);
  const key = openKey(ctx.file, path);
  if (key === undefined) throw new RegFailure(NOT_FOUND);
  const components = hiveComponents(path);
  const prefix = `HKEY_LOCAL_MACHINE\\${ctx.file.hive.root().name}${components.length > 0 ? `\\${components.join('\\')}` : ''}`;
  const result = exportRegFile(ctx.file.hive, key, { prefix, onProgress: progress });
  writeFileSync(target, encodeRegFile(result.text));
  for (const skipped of result.skipped) process.stderr.write(`netconfig: not exported: ${skipped}\n`);
  ctx.out(`${DONE}\n`);
  return 0;
}

function importVerb(ctx: RegContext, args: RegArguments, progress: (done: number) => void): number {
  const source = args.positional[0];
  if (source === undefined) throw new RegUsageError('ERROR: Invalid syntax. Usage: netconfig reg import FILE');
  const parsed = parseRegFile(decodeRegFile(new Uint8Array(readFileSync(source))), source);
  const { hive } = applyRegFile(ctx.file.hive, parsed, progress);
  ctx.file = new HiveFile(ctx.file.path, hive);
  ctx.save();
  ctx.out(`${DONE}\n`);
  return 0;
}

function compare(ctx: RegContext, args: RegArguments): number {
  const [left, right] = args.positional;
  if (left === undefined || right === undefined) throw new RegUsageError('ERROR: Invalid syntax. Usage: netconfig reg compare KEY1 KEY2 [/v NAME | /ve] [/s]');
  const a = openKey(ctx.file, left);
  const b = openKey(ctx.file, right);
  if (a === undefined || b === undefined) throw new RegFailure(NOT_FOUND);
  const only = args.switches.has('ve') ? '' : (args.switches.get('v') as string | undefined);
  let differences = 0;
  const visit = (x: KeyNode | undefined, y: KeyNode | undefined, suffix: string): void => {
    const xs = new Map((x?.values() ?? []).map((v) => [v.name.toUpperCase(), v]));
    const ys = new Map((y?.values() ?? []).map((v) => [v.name.toUpperCase(), v]));
    for (const name of new Set([...xs.keys(), ...ys.keys()])) {
      if (only !== undefined && name !== only.toUpperCase()) continue;
      const p = xs.get(name);
      const q = ys.get(name);
      const same = p !== undefined && q !== undefined && p.type === q.type && formatData({ type: p.type, data: p.data() }) === formatData({ type: q.type, data: q.data() }) && p.dataLength === q.dataLength;
      if (same) continue;
      differences++;
      if (p !== undefined) ctx.out(`< ${displayPath(left, suffix)}\n${valueLine(p)}\n`);
      if (q !== undefined) ctx.out(`> ${displayPath(right, suffix)}\n${valueLine(q)}\n`);
    }
    if (!args.switches.has('s') || only !== undefined) return;
    const xk = new Map((x?.subkeys() ?? []).map((k) => [k.name.toUpperCase(), k]));
    const yk = new Map((y?.subkeys() ?? []).map((k) => [k.name.toUpperCase(), k]));
    for (const name of new Set([...xk.keys(), ...yk.keys()])) {
      const p = xk.get(name);
      const q = yk.get(name);
      if (p === undefined || q === undefined) {
        differences++;
        ctx.out(`${p !== undefined ? '<' : '>'} ${displayPath(p !== undefined ? left : right, `${suffix}\\${(p ?? q)!.name}`)}\n`);
        continue;
      }
      visit(p, q, `${suffix}\\${p.name}`);
    }
  };
  visit(a, b, '');
  ctx.out(`\nResult Compared: ${differences === 0 ? 'Identical' : 'Different'}\n${DONE}\n`);
  return differences === 0 ? 0 : 2;
}

export const REG_HELP = `netconfig reg — reg.exe's verbs on a hive file

Usage: netconfig reg VERB ARGS [--hive FILE]
  query   KEY [/v NAME | /ve] [/s] [/t TYPE]      list values and subkeys (--json for scripts)
  add     KEY [/v NAME | /ve] [/t TYPE] [/s SEP] [/d DATA] [/f]
  delete  KEY [/v NAME | /ve | /va] /f
  copy    KEY1 KEY2 [/s] [/f]
  export  KEY FILE [/y]                           a .reg file regedit accepts (UTF-16LE, CRLF)
  import  FILE                                    all or nothing: a syntax error changes nothing
  compare KEY1 KEY2 [/v NAME | /ve] [/s]          exit 0 identical, 2 different, 1 failed

KEY is \\Path\\In\\Hive, Path\\In\\Hive, or HKLM\\NAME\\Path (any root: HKLM, HKCU, HKU, HKCR, long or short;
NAME is where the hive would be loaded, as with reg load). Switches work as /v, -v, /V or -V.
TYPE: ${Object.keys(TYPE_NAMES).join(' ')}.
DATA: numbers in decimal or 0x hex; REG_BINARY as hex digits (fe340ead); REG_MULTI_SZ items split by \\0 or /s SEP.

Examples:
  netconfig reg query "HKLM\\SYSTEM\\Select"
  netconfig reg add "\\ControlSet001\\Control\\Class\\{4d36e972-e325-11ce-bfc1-08002be10318}\\0000" -v NetworkAddress -d 001122334455 -f
  netconfig reg export \\ adapter.reg /y --hive SYSTEM`;

export function runRegVerb(verb: string, argv: string[], ctx: RegContext, progress: (done: number) => void): number {
  const args = parseRegArguments(verb, argv);
  switch (verb) {
    case 'query':
      return query(ctx, args);
    case 'add':
      return add(ctx, args);
    case 'delete':
      return remove(ctx, args);
    case 'copy':
      return copy(ctx, args);
    case 'export':
      return exportVerb(ctx, args, progress);
    case 'import':
      return importVerb(ctx, args, progress);
    case 'compare':
      return compare(ctx, args);
    default:
      throw new RegUsageError(`ERROR: unknown reg verb "${verb}" (query, add, delete, copy, export, import, compare).`);
  }
}
