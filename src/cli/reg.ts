import { closeSync, existsSync, openSync, readSync } from 'node:fs';
import { basename } from 'node:path';
import { Hive, HiveNameError, ValueType, compareNames, upcaseName, walkKeys } from '../hive/index.js';
import type { KeyNode, ValueRecord } from '../hive/index.js';
import { REG_ENCODINGS, RegStreamParser, applyRegOperations, detectRegEncoding, encodeRegFile, exportRegFile, parseRegChunks } from '../regfile/index.js';
import type { RegDialect, RegEncoding, RegOperation, RegParseOptions } from '../regfile/index.js';
import { HiveFile, writeFileAtomic } from '../node/index.js';
import { clearKey, compareTrees, copyKeyTree, formatRegistryPath, keyAtPath } from '../registry/index.js';
import type { Location, Mount, RegistryPath } from '../registry/index.js';
import { RegSyntaxError } from './reg-args.js';
import { QUERY_VALUE_NOT_SET_LINE, formatQueryData, formatQueryValueLine, queryTypeName, resolveRegAdd, typeFromName } from './reg-data.js';
import type { RegCommandLine } from './reg-args.js';
import type { OpenHives } from './hives.js';

/**
 * `netconfig reg VERB …`: Windows' reg.exe verbs on hive files mounted at registry paths. Output shapes
 * and exit codes follow reg.exe: 0 success, 1 failure; compare: 0 same, 2 different. Query output is
 * laid out as Windows' reg.exe lays it out (Wine's programs/reg/tests/query.c@0a95b94:147-215, which
 * pass against Windows: a blank line first, a key line only for a key with values — or every key with
 * /s — its values indented by four spaces, a blank line after each block, then the subkeys' full paths).
 */

export class RegFailure extends Error {
  readonly code = 'REG_FAILURE';
}

const NOT_FOUND = 'ERROR: The system was unable to find the specified registry key or value.';
const DONE = 'The operation completed successfully.';

/** /t names reg query filters by (any REG_* name). */
export const TYPE_NAMES: Record<string, number> = { ...ValueType, REG_DWORD_LITTLE_ENDIAN: ValueType.REG_DWORD };

export interface RegContext {
  hives: OpenHives;
  /** The second side of a compare (--hive2 / --image2); the first side otherwise. */
  hives2: OpenHives;
  out: (text: string) => void;
  note: (text: string) => void;
  json: boolean;
  encoding: string | undefined;
  dialect: string | undefined;
  progress: (done: number) => void;
}

interface Target {
  path: RegistryPath;
  /** How to print it: the root's long name, then the components as the user wrote them. */
  display: string;
  location: Location;
  key: KeyNode | undefined;
}

function target(hives: OpenHives, text: string): Target {
  const path = hives.parse(text);
  const location = hives.locate(path);
  return { path, display: formatRegistryPath(path), location, key: keyAtPath(location.hive.root(), location.components) };
}

function ensureKey(t: Target): KeyNode {
  return keyAtPath(t.location.hive.root(), t.location.components, true)!;
}

function view(line: RegCommandLine): void {
  if (line.switches.has('reg:32')) {
    throw new RegFailure('ERROR: /reg:32 (the 32-bit view, WOW6432Node) is not supported on offline hives; name the WOW6432Node key itself.');
  }
}

function typeFilter(text: string | undefined): Set<number> | undefined {
  if (text === undefined) return undefined;
  const types = new Set<number>();
  for (const part of text.split(',')) {
    const type = TYPE_NAMES[part.trim().toUpperCase()];
    if (type === undefined) throw new RegSyntaxError(text, `unknown type "${part}" for /t (${Object.keys(TYPE_NAMES).join(', ')})`);
    types.add(type);
  }
  return types;
}

/** A /f pattern: `*` and `?` are wildcards; without /e it may match anywhere, with /c case counts. */
function matcher(pattern: string, exact: boolean, caseSensitive: boolean): (text: string) => boolean {
  if (pattern === '*') return () => true;
  const escaped = pattern
    .replace(/[.+^${}()|[\]\\]/g, '\\$&')
    .replace(/\*/g, '[\\s\\S]*')
    .replace(/\?/g, '[\\s\\S]');
  const regex = new RegExp(exact ? `^${escaped}$` : escaped, caseSensitive ? 'u' : 'iu');
  return (text) => regex.test(text);
}

function query(ctx: RegContext, line: RegCommandLine): number {
  view(line);
  const t = target(ctx.hives, line.positional[0]!);
  if (t.key === undefined) throw new RegFailure(NOT_FOUND);
  const recursive = line.switches.has('s');
  const wanted = line.switches.has('ve') ? '' : (line.switches.get('v') as string | undefined);
  const types = typeFilter(line.switches.get('t') as string | undefined);
  const separator = line.switches.get('se') as string | undefined;
  const z = line.switches.has('z');
  const shown = (v: ValueRecord): boolean =>
    (wanted === undefined || v.name.toUpperCase() === wanted.toUpperCase()) && (types === undefined || types.has(v.type));
  const entries = (function* () {
    if (recursive) {
      for (const entry of walkKeys(t.location.hive, t.key!)) yield { key: entry.key, display: `${t.display}${entry.path}`, depth: entry.depth };
    } else yield { key: t.key!, display: t.display, depth: 0 };
  })();

  if (ctx.json) {
    const records = [];
    for (const entry of entries) {
      records.push({
        key: entry.display,
        values: entry.key
          .values()
          .filter(shown)
          .map((v) => ({ name: v.name, type: queryTypeName(v.type), data: formatQueryData(v.type, v.data(), separator) })),
        subkeys: recursive || wanted !== undefined ? [] : subkeyNames(ctx, t, entry.key).map((name) => `${entry.display}\\${name}`),
      });
    }
    if (wanted !== undefined && records.every((r) => r.values.length === 0) && wanted !== '') throw new RegFailure(NOT_FOUND);
    ctx.out(`${JSON.stringify(recursive ? records : records[0])}\n`);
    return 0;
  }

  const pattern = line.switches.get('f') as string | undefined;
  if (pattern !== undefined) {
    const match = matcher(pattern, line.switches.has('e'), line.switches.has('c'));
    const keysOnly = line.switches.has('k');
    const dataOnly = line.switches.has('d');
    let found = 0;
    ctx.out('\n');
    const searchKey = (key: KeyNode, display: string, matchName: boolean): void => {
      let headed = false;
      if (matchName && !dataOnly && match(key.name)) {
        ctx.out(`${display}\n`);
        headed = true;
        found++;
      }
      if (keysOnly) return;
      const hits = key
        .values()
        .filter((v) => shown(v) && ((!dataOnly && match(v.name === '' ? '(Default)' : v.name)) || match(formatQueryData(v.type, v.data(), separator))));
      if (hits.length === 0) return;
      if (!headed) ctx.out(`${display}\n`);
      for (const v of hits) ctx.out(`${formatQueryValueLine(v.name, v.type, v.data(), { z, separator })}\n`);
      ctx.out('\n');
      found += hits.length;
    };
    if (recursive) {
      for (const entry of walkKeys(t.location.hive, t.key)) searchKey(entry.key, `${t.display}${entry.path}`, entry.depth > 0);
    } else {
      searchKey(t.key, t.display, false);
      for (const child of t.key.subkeys())
        if (!dataOnly && match(child.name)) {
          ctx.out(`${t.display}\\${child.name}\n`);
          found++;
        }
    }
    ctx.out(`End of search: ${found} match(es) found.\n`);
    return 0;
  }

  if (wanted !== undefined) {
    let found = 0;
    let printed = false;
    // One key: the value is looked up by name, not found by decoding every value's name (a batch of
    // 10,000 lookups spent most of its time there).
    const named = (key: KeyNode): ValueRecord[] => [key.value(wanted)].filter((v): v is ValueRecord => v !== undefined && shown(v));
    for (const entry of entries) {
      const values = recursive ? entry.key.values().filter(shown) : named(entry.key);
      if (values.length === 0 && !(wanted === '' && !recursive)) continue;
      if (!printed) ctx.out('\n');
      printed = true;
      ctx.out(`${entry.display}\n`);
      // reg query /ve on a key without a default value prints it as not set (and succeeds).
      if (values.length === 0) ctx.out(`${QUERY_VALUE_NOT_SET_LINE}\n`);
      for (const v of values) ctx.out(`${formatQueryValueLine(v.name, v.type, v.data(), { z, separator })}\n`);
      ctx.out('\n');
      found += values.length;
    }
    if (recursive) {
      if (!printed) ctx.out('\n');
      ctx.out(`End of search: ${found} match(es) found.\n`);
      return 0;
    }
    if (!printed) throw new RegFailure(NOT_FOUND);
    return 0;
  }

  ctx.out('\n');
  for (const entry of entries) {
    const values = entry.key.values().filter(shown);
    if (values.length > 0 || entry.depth > 0) {
      ctx.out(`${entry.display}\n`);
      for (const v of values) ctx.out(`${formatQueryValueLine(v.name, v.type, v.data(), { z, separator })}\n`);
      ctx.out('\n');
    }
    if (!recursive) for (const name of subkeyNames(ctx, t, entry.key)) ctx.out(`${entry.display}\\${name}\n`);
  }
  return 0;
}

/**
 * The subkeys a listing shows: for HKCR the union of the user's and the machine's classes (the user's
 * spelling first), in the order Windows sorts key names; elsewhere the key's own.
 */
function subkeyNames(ctx: RegContext, t: Target, key: KeyNode): string[] {
  const sides = ctx.hives.table.classesSides(t.path);
  if (sides.length < 2) return key.subkeys().map((k) => k.name);
  const names = new Map<string, string>();
  for (const side of sides) for (const child of side.key.subkeys()) if (!names.has(upcaseName(child.name))) names.set(upcaseName(child.name), child.name);
  return [...names.values()].sort(compareNames);
}

function writeTarget(ctx: RegContext, text: string): Target {
  const path = ctx.hives.parse(text);
  ctx.hives.lockForWriting([path]);
  return target(ctx.hives, text);
}

function add(ctx: RegContext, line: RegCommandLine): number {
  view(line);
  // reg add always writes a value: without /v or /ve it is the (Default) value (Wine's
  // programs/reg/tests/add.c@ddf3b4d6:349-367, which pass on Windows). The data is checked first.
  // /s is the REG_MULTI_SZ separator (Microsoft's reg add reference); given with another type it is
  // almost certainly a mistyped /t, so it is refused rather than ignored (no test shows reg.exe's choice).
  if (line.switches.has('s') && typeFromName((line.switches.get('t') as string | undefined) ?? 'REG_SZ') !== ValueType.REG_MULTI_SZ) {
    throw new RegSyntaxError('/s', '/s (the separator) only applies to /t REG_MULTI_SZ');
  }
  const value = resolveRegAdd({
    v: line.switches.get('v') as string | undefined,
    ve: line.switches.has('ve'),
    t: line.switches.get('t') as string | undefined,
    s: line.switches.get('s') as string | undefined,
    d: line.switches.get('d') as string | undefined,
  });
  const t = writeTarget(ctx, line.positional[0]!);
  try {
    const key = ensureKey(t);
    if (key.value(value.name) !== undefined && !line.switches.has('f')) {
      throw new RegFailure(`ERROR: Value ${value.name === '' ? '(Default)' : value.name} exists; add /f to overwrite it.`);
    }
    key.setValue(value.name, value.type, value.data);
  } catch (error) {
    if (error instanceof HiveNameError) throw new RegFailure(`ERROR: ${error.message}`);
    throw error;
  }
  ctx.hives.touch(t.location.mount);
  ctx.hives.commit();
  ctx.out(`${DONE}\n`);
  return 0;
}

function remove(ctx: RegContext, line: RegCommandLine): number {
  view(line);
  if (!line.switches.has('f')) throw new RegFailure('ERROR: deleting needs /f here (there is no prompt in a non-interactive tool).');
  const t = writeTarget(ctx, line.positional[0]!);
  if (t.key === undefined) throw new RegFailure(NOT_FOUND);
  const name = line.switches.has('ve') ? '' : (line.switches.get('v') as string | undefined);
  if (line.switches.has('va')) for (const value of t.key.values()) t.key.deleteValue(value.name);
  else if (name !== undefined) {
    if (t.key.value(name) === undefined) throw new RegFailure(NOT_FOUND);
    t.key.deleteValue(name);
  } else {
    if (t.location.components.length === 0) {
      throw new RegFailure(
        `ERROR: ${t.display} is the root of the mounted hive ${t.location.mount.label}; it cannot be deleted (delete its subkeys, or the file).`,
      );
    }
    const parent = keyAtPath(t.location.hive.root(), t.location.components.slice(0, -1))!;
    parent.deleteSubkey(t.key.name);
  }
  ctx.hives.touch(t.location.mount);
  ctx.hives.commit();
  ctx.out(`${DONE}\n`);
  return 0;
}

function copy(ctx: RegContext, line: RegCommandLine): number {
  view(line);
  const [from, to] = line.positional as [string, string];
  const destination = writeTarget(ctx, to);
  const source = target(ctx.hives, from);
  if (source.key === undefined) throw new RegFailure(NOT_FOUND);
  const recursive = line.switches.has('s');
  if (source.location.hive === destination.location.hive) {
    const a = source.location.components.map((c) => c.toUpperCase());
    const b = destination.location.components.map((c) => c.toUpperCase());
    if (a.length === b.length && a.every((c, i) => c === b[i])) throw new RegFailure('ERROR: the source and the destination are the same key.');
    if (recursive && b.length > a.length && a.every((c, i) => c === b[i])) throw new RegFailure('ERROR: cannot copy a key into its own subtree.');
  }
  if (!line.switches.has('f') && destination.key !== undefined) {
    const clash = source.key.values().find((v) => destination.key!.value(v.name) !== undefined);
    if (clash !== undefined)
      throw new RegFailure(`ERROR: ${destination.display} already has a value ${clash.name === '' ? '(Default)' : clash.name}; add /f to overwrite.`);
  }
  copyKeyTree(source.key, ensureKey(destination), { recursive });
  ctx.hives.touch(destination.location.mount);
  ctx.hives.commit();
  ctx.out(`${DONE}\n`);
  return 0;
}

function refuseExisting(file: string, overwrite: boolean): void {
  if (existsSync(file) && !overwrite) throw new RegFailure(`ERROR: ${file} exists; add /y to overwrite it.`);
}

function exportVerb(ctx: RegContext, line: RegCommandLine): number {
  view(line);
  const [path, file] = line.positional as [string, string];
  const t = target(ctx.hives, path);
  if (t.key === undefined) throw new RegFailure(NOT_FOUND);
  refuseExisting(file, line.switches.has('y'));
  // The file names the key as the user did (CurrentControlSet stays CurrentControlSet), so importing it
  // on Windows or here lands where it came from.
  const result = exportRegFile(t.location.hive, t.key, { prefix: t.display, onProgress: ctx.progress });
  if (result.skipped.length > 0) {
    for (const skipped of result.skipped) ctx.note(`cannot be written in a .reg file: ${skipped}`);
    throw new RegFailure(
      `ERROR: ${result.skipped.length} key(s) or value(s) cannot be represented in a .reg file; nothing was written (use reg save for an exact copy).`,
    );
  }
  writeFileAtomic(file, encodeRegFile(result.text));
  ctx.out(`${DONE}\n`);
  return 0;
}

/** A file's bytes in 1 MiB chunks: a .reg file of any size is parsed in bounded memory. */
function* fileChunks(path: string): Generator<Uint8Array> {
  const fd = openSync(path, 'r');
  try {
    const buffer = new Uint8Array(1 << 20);
    for (;;) {
      const n = readSync(fd, buffer, 0, buffer.length, null);
      if (n === 0) return;
      yield buffer.slice(0, n);
    }
  } finally {
    closeSync(fd);
  }
}

/**
 * reg import's first pass: parses the whole file (a syntax error changes nothing) and returns the mounts
 * its keys reach and the encoding it was read in, so that the second pass reads the same text. Without a
 * named encoding it is found as the bytes stream by (a byte-order mark, UTF-16's NULs, else UTF-8 until a
 * byte is not, after only ASCII); a pass that fails is checked against the whole file's encoding
 * (detectRegEncoding: not UTF-8 anywhere is Windows-1252) and, when that differs, made again in it.
 */
function scanRegFile(ctx: RegContext, file: string, options: RegParseOptions): { encoding: RegEncoding | undefined; reached: Set<Mount> } {
  const parser = new RegStreamParser({ ...options, file });
  const reached = new Set<Mount>();
  let lastKeyPath: string | undefined;
  const reach = (operations: RegOperation[]): void => {
    for (const operation of operations) {
      if (operation.keyPath === lastKeyPath) continue;
      lastKeyPath = operation.keyPath;
      const path = ctx.hives.parse(operation.keyPath);
      const mounts = ctx.hives.table.mountsReached(path);
      if (mounts.length === 0) ctx.hives.locate(path); // throws: outside every mount, naming them
      for (const mount of mounts) reached.add(mount);
    }
  };
  try {
    for (const chunk of fileChunks(file)) reach(parser.push(chunk));
    reach(parser.end());
    return { encoding: parser.encoding, reached };
  } catch (error) {
    if (options.encoding !== undefined) throw error;
    const encoding = detectRegEncoding(fileChunks(file));
    if (encoding === parser.encoding) throw error;
    return scanRegFile(ctx, file, { ...options, encoding });
  }
}

/**
 * reg import: two passes over the file, streamed. The first parses it all (a syntax error changes
 * nothing) and finds every hive it reaches, which are then locked in a fixed order; the second applies
 * it key by key to the hives in memory. Only then is anything written: every touched hive's log first,
 * then the primaries (commitAll), so a file spanning HKLM and HKCU lands in both or in neither.
 */
function importVerb(ctx: RegContext, line: RegCommandLine): number {
  view(line);
  const file = line.positional[0]!;
  if (ctx.encoding !== undefined && !(REG_ENCODINGS as readonly string[]).includes(ctx.encoding)) {
    throw new RegSyntaxError(ctx.encoding, `--encoding must be one of ${REG_ENCODINGS.join(', ')}`);
  }
  if (ctx.dialect !== undefined && ctx.dialect !== 'regedit' && ctx.dialect !== 'hivex')
    throw new RegSyntaxError(ctx.dialect, '--dialect must be regedit or hivex (the header-less files hivexregedit --merge reads)');
  const dialect = (ctx.dialect ?? 'regedit') as RegDialect;
  const { encoding, reached } = scanRegFile(ctx, file, { encoding: ctx.encoding as RegEncoding | undefined, dialect });
  ctx.hives.lockMounts([...reached]);
  applyRegOperations(
    parseRegChunks(fileChunks(file), { file, encoding, dialect }),
    (keyPath) => {
      const location = ctx.hives.locate(ctx.hives.parse(keyPath));
      ctx.hives.touch(location.mount);
      return { root: location.hive.root(), path: location.components };
    },
    ctx.progress,
  );
  ctx.hives.commit();
  ctx.out(`${DONE}\n`);
  return 0;
}

function compare(ctx: RegContext, line: RegCommandLine): number {
  view(line);
  const [left, right] = line.positional as [string, string];
  const a = target(ctx.hives, left);
  const b = target(ctx.hives2, right);
  if (a.key === undefined || b.key === undefined) throw new RegFailure(NOT_FOUND);
  const only = line.switches.has('ve') ? '' : (line.switches.get('v') as string | undefined);
  const output = line.switches.has('oa') ? 'all' : line.switches.has('os') ? 'same' : line.switches.has('on') ? 'none' : 'differences';
  let differences = 0;
  for (const d of compareTrees(a.key, b.key, { recursive: line.switches.has('s'), value: only })) {
    if (!d.same) differences++;
    const show = output === 'all' || (output === 'same' ? d.same : output === 'differences' ? !d.same : false);
    if (!show) continue;
    if (d.kind === 'key') {
      ctx.out(`${d.left !== undefined ? '<' : '>'} ${d.left !== undefined ? a.display : b.display}${d.path}\\${d.name}\n`);
      continue;
    }
    const l = d.left?.value(d.name);
    const r = d.right?.value(d.name);
    if (d.same) {
      ctx.out(`= ${a.display}${d.path}\n${formatQueryValueLine(l!.name, l!.type, l!.data())}\n`);
      continue;
    }
    if (l !== undefined) ctx.out(`< ${a.display}${d.path}\n${formatQueryValueLine(l.name, l.type, l.data())}\n`);
    if (r !== undefined) ctx.out(`> ${b.display}${d.path}\n${formatQueryValueLine(r.name, r.type, r.data())}\n`);
  }
  ctx.out(`\nResult Compared: ${differences === 0 ? 'Identical' : 'Different'}\n${DONE}\n`);
  return differences === 0 ? 0 : 2;
}

function save(ctx: RegContext, line: RegCommandLine): number {
  view(line);
  const [path, file] = line.positional as [string, string];
  const t = target(ctx.hives, path);
  if (t.key === undefined) throw new RegFailure(NOT_FOUND);
  refuseExisting(file, line.switches.has('y'));
  // As RegSaveKey/ORSaveHive: a new hive whose root is the key, with its values, subkeys and classes.
  const saved = Hive.create({ minorVersion: t.location.hive.minorVersion === 3 ? 3 : 5, rootName: t.key.name, fileName: basename(file) });
  copyKeyTree(t.key, saved.root(), { recursive: true, classNames: true });
  writeFileAtomic(file, saved.serialize());
  ctx.out(`${DONE}\n`);
  return 0;
}

function restore(ctx: RegContext, line: RegCommandLine): number {
  view(line);
  const [path, file] = line.positional as [string, string];
  const source = HiveFile.open(file, { recover: true });
  const t = writeTarget(ctx, path);
  if (t.key === undefined) throw new RegFailure(NOT_FOUND);
  // As RegRestoreKey: the key's values and subkeys are replaced by the saved hive's root's.
  clearKey(t.key);
  copyKeyTree(source.hive.root(), t.key, { recursive: true, classNames: true });
  ctx.hives.touch(t.location.mount);
  ctx.hives.commit();
  ctx.out(`${DONE}\n`);
  return 0;
}

export const REG_HELP = `netconfig reg — reg.exe's verbs on offline hive files and Windows images

Usage: netconfig reg VERB ARGS (--hive FILE [--mount PATH] | --image DIR [--user NAME])
  query   KEY [/v NAME | /ve] [/s] [/se SEP] [/f DATA [/k | /d] [/c] [/e]] [/t TYPES] [/z]
  add     KEY [/v NAME | /ve] [/t TYPE] [/s SEP] [/d DATA] [/f]
  delete  KEY [/v NAME | /ve | /va] /f
  copy    KEY1 KEY2 [/s] [/f]
  save    KEY FILE [/y]                           the key's subtree as a new hive file
  restore KEY FILE                                replace the key's contents with a saved hive's
  export  KEY FILE [/y]                           a .reg file regedit accepts (UTF-16LE, CRLF)
  import  FILE [--encoding ENC] [--dialect hivex] all or nothing, across every hive it touches
  compare KEY1 KEY2 [/v NAME | /ve] [/s] [/oa | /od | /os | /on] [--hive2 FILE | --image2 DIR]
                                                  exit 0 identical, 2 different, 1 failed

Where keys live:
  --hive FILE        a hive file, mounted where Windows mounts it (inferred from its content and name,
                     said on stderr) or at --mount PATH (HKLM\\SYSTEM, HKLM\\SOFTWARE, HKU\\.DEFAULT, HKCU …).
                     Repeat --hive FILE [--mount PATH] to mount several.
  --image DIR        an offline Windows volume: HKLM\\SYSTEM, SOFTWARE, SAM, SECURITY from
                     Windows/System32/config, HKU\\.DEFAULT, HKCU from Users/NAME/NTUSER.DAT (--user NAME
                     when there are several profiles), HKCR = the user's classes over HKLM\\SOFTWARE\\Classes.
  KEY                HKLM\\…, HKCU\\…, HKU\\…, HKCR\\…, HKCC\\… (long names too), or \\Path inside the one --hive.
                     HKLM\\SYSTEM\\CurrentControlSet is the ControlSet00N that Select\\Current names.
Other options: --wait SECONDS (for another writer's lock, default 10), --force (write over a dirty
hive without logs), --json (query), --no-recover.
Switches work as /v, -v, /V or -V. A switch reg.exe does not know is refused ("ERROR: Invalid syntax.").
TYPE: REG_SZ REG_EXPAND_SZ REG_MULTI_SZ REG_DWORD REG_DWORD_BIG_ENDIAN REG_QWORD REG_BINARY REG_NONE.
DATA: numbers in decimal or 0x hex; REG_BINARY as hex digits (fe340ead); REG_MULTI_SZ items split by \\0 or /s SEP.\nWithout /v or /ve, add writes the (Default) value (an empty string unless /d), as reg.exe does.

Examples:
  netconfig reg query "HKLM\\SYSTEM\\CurrentControlSet\\Control\\Class\\{4d36e972-e325-11ce-bfc1-08002be10318}\\0000" --hive SYSTEM
  netconfig reg add "HKLM\\SOFTWARE\\Policies\\Contoso" /v Enabled /t REG_DWORD /d 1 /f --image /mnt/win
  netconfig reg import tweaks.reg --image /mnt/win --user alice
  netconfig reg export "HKLM\\SYSTEM\\Select" select.reg /y --hive SYSTEM`;

export function runRegVerb(line: RegCommandLine, ctx: RegContext): number {
  switch (line.verb) {
    case 'query':
      return query(ctx, line);
    case 'add':
      return add(ctx, line);
    case 'delete':
      return remove(ctx, line);
    case 'copy':
      return copy(ctx, line);
    case 'export':
      return exportVerb(ctx, line);
    case 'import':
      return importVerb(ctx, line);
    case 'compare':
      return compare(ctx, line);
    case 'save':
      return save(ctx, line);
    case 'restore':
      return restore(ctx, line);
    default:
      throw new RegSyntaxError(line.verb, `unknown reg verb "${line.verb}"`);
  }
}

/** Verbs that change a hive: they lock before reading. */
export const WRITING_VERBS = new Set(['add', 'delete', 'copy', 'import', 'restore']);
