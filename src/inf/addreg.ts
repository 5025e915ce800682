import { HiveError, ValueType, namesEqual } from '../hive/index.js';
import type { KeyNode } from '../hive/index.js';
import { NtStatusError, decodeMultiString, encodeMultiString, encodeString } from '../registry/index.js';

/**
 * AddReg, DelReg and BitReg lines applied to a registry key, as setupapi applies them
 * (inf.md §9, §10). A line arrives as its fields 1…n (`fields[0]` is the root, `fields[1]` the subkey,
 * `fields[2]` the value name, `fields[3]` the flags, `fields[4…]` the data), already unquoted and
 * %strkey%-substituted, because setupapi substitutes when a field is read (inf.md §3.1).
 *
 * Nothing here throws for what an INF says: setupapi skips a line it cannot apply and goes on with the
 * section (inf.md §9.3 step 9, W:install `registry_callback`), so every problem becomes a finding with
 * the line's file:line, and the outcome says what was done. Where Windows is [unknown] the behaviour is
 * chosen by `profile` (inf.md §18 conventions: "keep those behind a profile switch").
 */

// inf.md §9.2 (values from D:install/inf-addreg-directive.md, identical in W:h).
/** AddReg flag 0x1: the value is binary (REG_BINARY unless the type bits say otherwise). */
export const FLG_ADDREG_BINVALUETYPE = 0x00000001;
/** AddReg flag 0x2: do not replace a value that already exists. */
export const FLG_ADDREG_NOCLOBBER = 0x00000002;
/** AddReg flag 0x4: delete the value instead of setting it. */
export const FLG_ADDREG_DELVAL = 0x00000004;
/** AddReg flag 0x8: append the string to a REG_MULTI_SZ value. */
export const FLG_ADDREG_APPEND = 0x00000008;
/** AddReg flag 0x10: create the key only; the value fields are ignored. */
export const FLG_ADDREG_KEYONLY = 0x00000010;
/** AddReg flag 0x20: set the value only if it already exists. */
export const FLG_ADDREG_OVERWRITEONLY = 0x00000020;
/** AddReg flag 0x1000: use the 64-bit registry view. */
export const FLG_ADDREG_64BITKEY = 0x00001000;
/** AddReg flag 0x2000: create the key only (the form shared with DelReg). */
export const FLG_ADDREG_KEYONLY_COMMON = 0x00002000;
/** AddReg flag 0x4000: use the 32-bit registry view. */
export const FLG_ADDREG_32BITKEY = 0x00004000;
/** Flag 0x8000: marks the flags as DelReg flags. */
export const FLG_ADDREG_DELREG_BIT = 0x00008000;
/** The bits of an AddReg flags field that select the value type. */
export const FLG_ADDREG_TYPE_MASK = 0xffff0001;
/** AddReg value type REG_SZ (type bits 0). */
export const FLG_ADDREG_TYPE_SZ = 0x00000000;
/** AddReg value type REG_MULTI_SZ. */
export const FLG_ADDREG_TYPE_MULTI_SZ = 0x00010000;
/** AddReg value type REG_EXPAND_SZ. */
export const FLG_ADDREG_TYPE_EXPAND_SZ = 0x00020000;
/** AddReg value type REG_BINARY. */
export const FLG_ADDREG_TYPE_BINARY = 0x00000001;
/** AddReg value type REG_DWORD. */
export const FLG_ADDREG_TYPE_DWORD = 0x00010001;
/** AddReg value type REG_NONE. */
export const FLG_ADDREG_TYPE_NONE = 0x00020001;
/** AddReg value type REG_QWORD (0x000B0001). */
export const FLG_ADDREG_TYPE_QWORD = 0x000b0001;
// inf.md §10.1 (D:install/inf-delreg-directive.md).
/** DelReg flag 0x2000: delete the subkey itself. */
export const FLG_DELREG_KEYONLY_COMMON = FLG_ADDREG_KEYONLY_COMMON;
/** DelReg flag 0x4000: use the 32-bit registry view. */
export const FLG_DELREG_32BITKEY = FLG_ADDREG_32BITKEY;
/** DelReg flags: delete one string from a REG_MULTI_SZ value. */
export const FLG_DELREG_MULTI_SZ_DELSTRING = FLG_ADDREG_TYPE_MULTI_SZ | FLG_ADDREG_DELREG_BIT | 0x00000002;
// inf.md §10.3 (D:install/inf-bitreg-directive.md).
/** BitReg flag 0: clear the given bits. */
export const FLG_BITREG_CLEARBITS = 0x00000000;
/** BitReg flag 1: set the given bits. */
export const FLG_BITREG_SETBITS = 0x00000001;
/** BitReg flag 0x1000: use the 64-bit registry view. */
export const FLG_BITREG_64BITKEY = 0x00001000;
/** BitReg flag 0x4000: use the 32-bit registry view. */
export const FLG_BITREG_32BITKEY = 0x00004000;

/**
 * Which implementation decides where Windows is [unknown] (inf.md §17, §19.3):
 * - `windows` (default): Microsoft's documentation where it is explicit (DelReg `0x2000` deletes the
 *   subkey, inf.md §10.1), otherwise Wine;
 * - `wine`: W:install as read (APPEND creates a missing value; DelReg lines without 0x8000 are ignored;
 *   a `0x` prefix on a binary byte is skipped);
 * - `reactos`: R:install (APPEND to a missing or non-MULTI_SZ value does nothing; `0x12` reads as 00).
 */
export type InfProfile = 'windows' | 'wine' | 'reactos';

/**
 * The registry root a registry line names: `HKR` is the key of the section being installed (e.g. the driver key).
 */
export type RegRoot = 'HKR' | 'HKCR' | 'HKCU' | 'HKLM' | 'HKU';
/** The registry view a line asks for (FLG_ADDREG_64BITKEY / 32BITKEY); HKR keys have one view only. */
export type RegView = 'default' | '64' | '32';

/** How bad a finding met while applying an AddReg/DelReg/BitReg line is ('info' only reports). */
export type InfRegSeverity = 'error' | 'warning' | 'info';

/** One problem met while applying a line: where (file:line), how bad, a stable code and what to do. */
export interface InfRegFinding {
  file: string;
  line: number;
  severity: InfRegSeverity;
  code: string;
  message: string;
}

/**
 * What applying a registry line needs: the key `HKR` means, how to reach the other roots, the file name for findings, and the profile.
 */
export interface RegLineContext {
  /** The key HKR means: for a DDInstall section, the new adapter's driver (instance) key. */
  hkr: KeyNode;
  /**
   * Keys for the other roots. Without it, or when it returns undefined, a line naming HKLM/HKCR/HKCU/HKU
   * is refused (finding INF_ROOT_UNAVAILABLE) — an offline SYSTEM hive holds only part of HKLM.
   */
  resolveRoot?: (root: Exclude<RegRoot, 'HKR'>, view: RegView) => KeyNode | undefined;
  file: string;
  line: number;
  profile?: InfProfile;
}

/** What applying one registry line did. */
export type RegLineAction =
  | 'value-set'
  | 'value-deleted'
  | 'key-created'
  | 'key-deleted'
  | 'multi-sz-appended'
  | 'multi-sz-string-deleted'
  | 'bits-changed'
  | 'unchanged'
  | 'skipped';

/** The result of one registry line: what it did, the subkey and value it addressed, and its findings. */
export interface RegLineOutcome {
  action: RegLineAction;
  /** The key the line addressed, relative to its root ('' = the root itself). */
  subkey: string;
  /** The value name the line addressed ('' = the default value), when it addressed one. */
  value?: string;
  findings: InfRegFinding[];
}

// ---------------------------------------------------------------------------------------------
// Number parsing as the C runtime does it for setupapi.

interface CNumber {
  /** The magnitude read (before the sign is applied). */
  magnitude: bigint;
  negative: boolean;
  /** Index just after the last character used; 0 when no digits were read. */
  end: number;
  digits: boolean;
}

const C_SPACE = /[\t\n\v\f\r ]/;

/** C `strto*(…, base 0)` scanning: whitespace, sign, `0x` hex, leading `0` octal, else decimal. */
function scanC(text: string): CNumber {
  let i = 0;
  while (i < text.length && C_SPACE.test(text[i]!)) i++;
  let negative = false;
  if (text[i] === '+' || text[i] === '-') {
    negative = text[i] === '-';
    i++;
  }
  let base = 10n;
  if (text[i] === '0' && (text[i + 1] === 'x' || text[i + 1] === 'X') && /[0-9a-fA-F]/.test(text[i + 2] ?? '')) {
    base = 16n;
    i += 2;
  } else if (text[i] === '0') {
    base = 8n;
  }
  let magnitude = 0n;
  const start = i;
  for (; i < text.length; i++) {
    const d = parseInt(text[i]!, 16);
    if (Number.isNaN(d) || BigInt(d) >= base) break;
    magnitude = magnitude * base + BigInt(d);
  }
  const digits = i > start;
  return { magnitude, negative, end: digits ? i : 0, digits };
}

/**
 * `wcstoul(text, NULL, 0)` as Wine's do_reg_operation uses it for a REG_DWORD given as text (inf.md
 * §9.3 step 7): conversion stops at the first invalid character without error, a minus sign negates
 * modulo 2³², overflow gives 0xFFFFFFFF, no digits give 0.
 */
export function parseDwordText(text: string): number {
  const n = scanC(text);
  if (!n.digits) return 0;
  if (n.magnitude > 0xffffffffn) return 0xffffffff;
  const value = Number(n.magnitude);
  return (n.negative ? -value : value) >>> 0;
}

/**
 * `SetupGetIntField`: empty → 0; otherwise `strtol(…, base 0)` over the **whole** text (inf.md §2.10);
 * trailing characters make it fail (undefined). strtol saturates at the 32-bit LONG range.
 */
export function parseIntField(text: string): number | undefined {
  if (text === '') return 0;
  const n = scanC(text);
  if (!n.digits || n.end !== text.length) return undefined;
  let value = n.negative ? -n.magnitude : n.magnitude;
  if (value > 0x7fffffffn) value = 0x7fffffffn;
  if (value < -0x80000000n) value = -0x80000000n;
  return Number(value);
}

/**
 * One byte of `SetupGetBinaryField` (inf.md §2.10): hex digits up to the first non-hex character; a
 * value above 0xFF fails (undefined). Wine skips an optional `0x` prefix, ReactOS does not (`0x12` → 00).
 */
export function parseBinaryByte(text: string, profile: InfProfile = 'windows'): number | undefined {
  let p = 0;
  if (profile !== 'reactos' && text[0] === '0' && (text[1] === 'x' || text[1] === 'X')) p = 2;
  let value = 0;
  for (; p < text.length; p++) {
    const d = parseInt(text[p]!, 16);
    if (Number.isNaN(d)) break;
    value = value * 16 + d;
    if (value > 0xff) return undefined;
  }
  return value;
}

// ---------------------------------------------------------------------------------------------

const ROOTS: readonly RegRoot[] = ['HKR', 'HKCR', 'HKCU', 'HKLM', 'HKU'];

function finding(ctx: RegLineContext, severity: InfRegSeverity, code: string, message: string): InfRegFinding {
  return { file: ctx.file, line: ctx.line, severity, code, message };
}

function outcome(action: RegLineAction, subkey: string, findings: InfRegFinding[], value?: string): RegLineOutcome {
  return value === undefined ? { action, subkey, findings } : { action, subkey, value, findings };
}

function splitKeyPath(path: string): string[] {
  return path.split('\\').filter((part) => part !== '');
}

function openPath(root: KeyNode, path: string): KeyNode | undefined {
  let key: KeyNode | undefined = root;
  for (const part of splitKeyPath(path)) {
    key = key.subkey(part);
    if (key === undefined) return undefined;
  }
  return key;
}

function createPath(root: KeyNode, path: string): { key: KeyNode; created: boolean } {
  let key = root;
  let created = false;
  for (const part of splitKeyPath(path)) {
    const next = key.subkey(part);
    if (next === undefined) {
      key = key.addSubkey(part);
      created = true;
    } else key = next;
  }
  return { key, created };
}

function viewOf(flags: number): RegView {
  if (flags & FLG_ADDREG_64BITKEY) return '64';
  if (flags & FLG_ADDREG_32BITKEY) return '32';
  return 'default';
}

/** The root key of a line, or a finding saying why the line is skipped (W:install `get_root_key`). */
function resolveRootKey(fields: readonly string[], flags: number, ctx: RegLineContext, findings: InfRegFinding[]): KeyNode | undefined {
  const text = fields[0];
  const root = ROOTS.find((r) => text !== undefined && r.toUpperCase() === text.toUpperCase());
  if (root === undefined) {
    // setupapi skips such a line silently (inf.md §9.1, case 85); a linter still wants to know.
    findings.push(finding(ctx, 'warning', 'INF_UNKNOWN_ROOT', `registry root "${text ?? ''}" is none of HKR, HKCR, HKCU, HKLM, HKU; setupapi skips this line`));
    return undefined;
  }
  if (root === 'HKR') return ctx.hkr;
  const key = ctx.resolveRoot?.(root, viewOf(flags));
  if (key === undefined) {
    findings.push(
      finding(
        ctx,
        'error',
        'INF_ROOT_UNAVAILABLE',
        `${root} is not available here (only HKR, the adapter's driver key, is written offline); this line was not applied`,
      ),
    );
  }
  return key;
}

function readFlags(fields: readonly string[], ctx: RegLineContext, findings: InfRegFinding[]): number {
  const text = fields[3];
  if (text === undefined) return 0;
  const flags = parseIntField(text);
  if (flags === undefined) {
    // W:install reads the flags with SetupGetIntField and takes 0 (REG_SZ) when that fails (inf.md §9.2).
    findings.push(finding(ctx, 'warning', 'INF_BAD_FLAGS', `flags "${text}" are not a number (write 0x… or decimal); setupapi treats them as 0 (REG_SZ)`));
    return 0;
  }
  return flags >>> 0;
}

function typeOf(flags: number): number {
  switch ((flags & FLG_ADDREG_TYPE_MASK) >>> 0) {
    case FLG_ADDREG_TYPE_SZ:
      return ValueType.REG_SZ;
    case FLG_ADDREG_TYPE_MULTI_SZ:
      return ValueType.REG_MULTI_SZ;
    case FLG_ADDREG_TYPE_EXPAND_SZ:
      return ValueType.REG_EXPAND_SZ;
    case FLG_ADDREG_TYPE_BINARY:
      return ValueType.REG_BINARY;
    case FLG_ADDREG_TYPE_DWORD:
      return ValueType.REG_DWORD;
    case FLG_ADDREG_TYPE_NONE:
      return ValueType.REG_NONE;
    default:
      return flags >>> 16;
  }
}

/** Turns a hive-level failure (name too long, hive full …) into a finding: setupapi skips such a line. */
function guarded(ctx: RegLineContext, subkey: string, run: (findings: InfRegFinding[]) => RegLineOutcome): RegLineOutcome {
  const findings: InfRegFinding[] = [];
  try {
    return run(findings);
  } catch (error) {
    if (error instanceof HiveError || error instanceof NtStatusError) {
      findings.push(finding(ctx, 'error', 'INF_REG_FAILED', `the registry refused this line (${error.message}); it was skipped`));
      return outcome('skipped', subkey, findings);
    }
    throw error;
  }
}

/** Deletes `key` and its subtree; refuses to delete the HKR key itself (later lines still write there). */
function deleteKeyTree(key: KeyNode, root: KeyNode, ctx: RegLineContext, subkey: string, findings: InfRegFinding[]): RegLineOutcome {
  if (key.cell === root.cell) {
    findings.push(finding(ctx, 'error', 'INF_DELETES_ROOT', 'this line would delete the root key itself (empty subkey and value name); refused'));
    return outcome('skipped', subkey, findings);
  }
  const parent = key.parent();
  if (parent === undefined) {
    findings.push(finding(ctx, 'error', 'INF_DELETES_ROOT', 'this line would delete a hive root; refused'));
    return outcome('skipped', subkey, findings);
  }
  parent.deleteSubkey(key.name);
  return outcome('key-deleted', subkey, findings);
}

/** W:install `do_reg_operation`, deletion branch (DELVAL in AddReg, every DelReg line). */
function deleteOperation(
  key: KeyNode,
  root: KeyNode,
  name: string,
  flags: number,
  fields: readonly string[],
  ctx: RegLineContext,
  subkey: string,
  findings: InfRegFinding[],
): RegLineOutcome {
  if (name !== '' && !(flags & FLG_DELREG_KEYONLY_COMMON)) {
    if ((flags & FLG_DELREG_MULTI_SZ_DELSTRING) >>> 0 === FLG_DELREG_MULTI_SZ_DELSTRING) {
      const target = fields[4];
      const value = key.value(name);
      if (target === undefined || value === undefined || value.type !== ValueType.REG_MULTI_SZ) return outcome('unchanged', subkey, findings, name);
      const items = decodeMultiString(value.data());
      const kept = items.filter((item) => !namesEqual(item, target));
      if (kept.length === items.length) return outcome('unchanged', subkey, findings, name);
      key.setValue(name, ValueType.REG_MULTI_SZ, encodeMultiString(kept));
      return outcome('multi-sz-string-deleted', subkey, findings, name);
    }
    if (key.value(name) === undefined) return outcome('unchanged', subkey, findings, name);
    key.deleteValue(name);
    return outcome('value-deleted', subkey, findings, name);
  }
  return deleteKeyTree(key, root, ctx, subkey, findings);
}

/**
 * Applies one AddReg line (inf.md §9.3). The key is created as needed (also for NOCLOBBER, KEYONLY and
 * DELVAL lines); with OVERWRITEONLY only an existing key is opened.
 */
export function applyAddReg(fields: readonly string[], ctx: RegLineContext): RegLineOutcome {
  const subkey = fields[1] ?? '';
  return guarded(ctx, subkey, (findings) => {
    const profile = ctx.profile ?? 'windows';
    if (fields.length === 0) return outcome('skipped', subkey, findings);
    const flags = readFlags(fields, ctx, findings);
    // Step 1: DelReg-only lines are ignored by AddReg (W:install `registry_callback`; case 89).
    if (flags & FLG_ADDREG_DELREG_BIT) {
      findings.push(
        finding(ctx, 'warning', 'INF_DELREG_IN_ADDREG', `flags 0x${flags.toString(16)} carry FLG_ADDREG_DELREG_BIT (0x8000); AddReg ignores this line`),
      );
      return outcome('skipped', subkey, findings);
    }
    const root = resolveRootKey(fields, flags, ctx, findings);
    if (root === undefined) return outcome('skipped', subkey, findings);
    const name = fields[2] ?? '';
    // Step 2.
    let key: KeyNode;
    let created = false;
    if (flags & FLG_ADDREG_OVERWRITEONLY) {
      const existing = openPath(root, subkey);
      if (existing === undefined) return outcome('unchanged', subkey, findings, name);
      key = existing;
    } else {
      ({ key, created } = createPath(root, subkey));
    }
    // Step 3.
    if (flags & FLG_ADDREG_DELVAL) return deleteOperation(key, root, name, flags, fields, ctx, subkey, findings);
    // Step 4.
    if (flags & (FLG_ADDREG_KEYONLY | FLG_ADDREG_KEYONLY_COMMON)) return outcome(created ? 'key-created' : 'unchanged', subkey, findings);
    // Step 5.
    if (flags & (FLG_ADDREG_NOCLOBBER | FLG_ADDREG_OVERWRITEONLY)) {
      const exists = key.value(name) !== undefined;
      if (exists && flags & FLG_ADDREG_NOCLOBBER) return outcome('unchanged', subkey, findings, name);
      if (!exists && flags & FLG_ADDREG_OVERWRITEONLY) return outcome('unchanged', subkey, findings, name);
    }
    // Step 6.
    const type = typeOf(flags);
    const characterPath = !(flags & FLG_ADDREG_BINVALUETYPE) || (type === ValueType.REG_DWORD && fields.length === 5);
    if (!characterPath) {
      // Step 8: SetupGetBinaryField over fields 5…; none → a 0-byte value.
      const bytes = new Uint8Array(Math.max(0, fields.length - 4));
      for (let i = 4; i < fields.length; i++) {
        const byte = parseBinaryByte(fields[i]!, profile);
        if (byte === undefined) {
          findings.push(
            finding(
              ctx,
              'error',
              'INF_BAD_BYTE',
              `field ${i + 1} "${fields[i]}" is not a hex byte 00…FF (binary data is one byte per field); the line was skipped`,
            ),
          );
          return outcome('skipped', subkey, findings, name);
        }
        bytes[i - 4] = byte;
      }
      const size = type === ValueType.REG_DWORD || type === ValueType.REG_DWORD_BIG_ENDIAN ? 4 : type === ValueType.REG_QWORD ? 8 : undefined;
      if (size !== undefined && bytes.length !== size) {
        // Stored as listed (W:install passes the byte count through); a reader of the value will reject it.
        findings.push(
          finding(
            ctx,
            'warning',
            'INF_BINARY_SIZE',
            `type ${type} takes ${size} bytes but the line gives ${bytes.length}; the value is stored with ${bytes.length}`,
          ),
        );
      }
      key.setValue(name, type, bytes);
      return outcome('value-set', subkey, findings, name);
    }
    // Step 7: character data.
    if (flags & FLG_ADDREG_APPEND && type !== ValueType.REG_MULTI_SZ) {
      findings.push(
        finding(ctx, 'warning', 'INF_APPEND_NOT_MULTI_SZ', 'FLG_ADDREG_APPEND (0x8) applies only to REG_MULTI_SZ (0x10000); the value is replaced instead'),
      );
    }
    if (type === ValueType.REG_MULTI_SZ) {
      // SetupGetMultiSzField: fields 5… up to the first empty one; no field 5 → no strings at all.
      const items: string[] | undefined = fields.length >= 5 ? [] : undefined;
      if (items !== undefined) {
        for (let i = 4; i < fields.length && fields[i] !== ''; i++) items.push(fields[i]!);
        if (fields.slice(4).some((f, i) => f === '' && fields.slice(4 + i).some((g) => g !== ''))) {
          findings.push(finding(ctx, 'warning', 'INF_MULTI_SZ_EMPTY_FIELD', 'an empty field ends a REG_MULTI_SZ list; the strings after it are dropped'));
        }
      }
      if (flags & FLG_ADDREG_APPEND) {
        if (items === undefined) return outcome('unchanged', subkey, findings, name);
        return appendMultiSz(key, name, items, profile, ctx, subkey, findings);
      }
      key.setValue(name, type, items === undefined ? encodeString('') : encodeMultiString(items));
      return outcome('value-set', subkey, findings, name);
    }
    const text = fields[4];
    if (type === ValueType.REG_DWORD) {
      const number = parseDwordText(text ?? '');
      if (text !== undefined && !/^\s*[+-]?(0[xX][0-9a-fA-F]+|[1-9][0-9]*|0[0-7]*)\s*$/.test(text)) {
        findings.push(
          finding(
            ctx,
            'warning',
            'INF_DWORD_TEXT',
            `"${text}" is not a plain number; setupapi reads it as ${number} (wcstoul: stops at the first invalid character)`,
          ),
        );
      } else if (text !== undefined && /^\s*[+-]?0[0-7]+\s*$/.test(text)) {
        findings.push(finding(ctx, 'warning', 'INF_DWORD_OCTAL', `"${text}" has a leading 0, so setupapi reads it as octal (${number})`));
      }
      key.setValue(name, type, dwordBytes(number));
      return outcome('value-set', subkey, findings, name);
    }
    // REG_SZ, REG_EXPAND_SZ (stored unexpanded) and any other character type: field 5 with its NUL.
    // (Wine's REG_LINK "magic" — a symbolic-link key, data without NUL — is a Wine extension, not followed.)
    key.setValue(name, type, encodeString(text ?? ''));
    return outcome('value-set', subkey, findings, name);
  });
}

function dwordBytes(value: number): Uint8Array {
  const out = new Uint8Array(4);
  new DataView(out.buffer).setUint32(0, value >>> 0, true);
  return out;
}

/** FLG_ADDREG_APPEND (inf.md §9.3 step 7; W:install / R:install `append_multi_sz_value`). */
function appendMultiSz(
  key: KeyNode,
  name: string,
  items: string[],
  profile: InfProfile,
  ctx: RegLineContext,
  subkey: string,
  findings: InfRegFinding[],
): RegLineOutcome {
  const existing = key.value(name);
  if (existing === undefined) {
    // [unknown] for Windows (case 79): Wine creates the value, ReactOS does nothing.
    if (profile === 'reactos') return outcome('unchanged', subkey, findings, name);
    key.setValue(name, ValueType.REG_MULTI_SZ, encodeMultiString(items));
    return outcome('value-set', subkey, findings, name);
  }
  if (existing.type !== ValueType.REG_MULTI_SZ) {
    if (profile !== 'reactos')
      findings.push(finding(ctx, 'error', 'INF_APPEND_WRONG_TYPE', `"${name}" exists with type ${existing.type}, not REG_MULTI_SZ; nothing was appended`));
    return outcome('unchanged', subkey, findings, name);
  }
  const current = decodeMultiString(existing.data());
  const added = [...current];
  for (const item of items) if (!added.some((s) => namesEqual(s, item))) added.push(item);
  if (added.length === current.length) return outcome('unchanged', subkey, findings, name);
  key.setValue(name, ValueType.REG_MULTI_SZ, encodeMultiString(added));
  return outcome('multi-sz-appended', subkey, findings, name);
}

/**
 * Applies one DelReg line (inf.md §10). The key is only opened, never created; a missing key or value
 * is no change. Under `wine`/`reactos` a line whose non-zero flags lack 0x8000 is ignored (W:install,
 * R:install); under `windows` the documented flags apply (0x2000 deletes the whole subkey; case 91).
 */
export function applyDelReg(fields: readonly string[], ctx: RegLineContext): RegLineOutcome {
  const subkey = fields[1] ?? '';
  return guarded(ctx, subkey, (findings) => {
    const profile = ctx.profile ?? 'windows';
    if (fields.length === 0) return outcome('skipped', subkey, findings);
    let flags = readFlags(fields, ctx, findings);
    if (flags === 0) flags = FLG_ADDREG_DELREG_BIT;
    else if (!(flags & FLG_ADDREG_DELREG_BIT)) {
      if (profile !== 'windows') {
        findings.push(
          finding(ctx, 'warning', 'INF_DELREG_FLAGS_IGNORED', `DelReg flags 0x${flags.toString(16)} lack 0x8000; Wine and ReactOS ignore this line`),
        );
        return outcome('skipped', subkey, findings);
      }
      flags |= FLG_ADDREG_DELREG_BIT;
    }
    const root = resolveRootKey(fields, flags, ctx, findings);
    if (root === undefined) return outcome('skipped', subkey, findings);
    const name = fields[2] ?? '';
    const key = openPath(root, subkey);
    if (key === undefined) return outcome('unchanged', subkey, findings, name);
    return deleteOperation(key, root, name, flags, fields, ctx, subkey, findings);
  });
}

/**
 * Applies one BitReg line: `root, [subkey], value, [flags], byte-mask, byte-to-modify` sets (flag 0x1)
 * or clears the mask's bits in one byte of an existing REG_BINARY value (D:install/inf-bitreg-directive.md;
 * Wine and ReactOS only have stubs, inf.md §10.3). The mask is read as a hex byte, the byte index with
 * SetupGetIntField. A missing key or value, another type or an index past the end changes nothing.
 */
export function applyBitReg(fields: readonly string[], ctx: RegLineContext): RegLineOutcome {
  const subkey = fields[1] ?? '';
  return guarded(ctx, subkey, (findings) => {
    if (fields.length === 0) return outcome('skipped', subkey, findings);
    const flags = readFlags(fields, ctx, findings);
    const root = resolveRootKey(fields, flags, ctx, findings);
    if (root === undefined) return outcome('skipped', subkey, findings);
    const name = fields[2] ?? '';
    const mask = parseBinaryByte(fields[4] ?? '', ctx.profile ?? 'windows');
    const index = parseIntField(fields[5] ?? '');
    if (mask === undefined || index === undefined || index < 0) {
      findings.push(finding(ctx, 'error', 'INF_BITREG_SYNTAX', 'BitReg needs a hex byte mask (field 5) and a byte index ≥ 0 (field 6); the line was skipped'));
      return outcome('skipped', subkey, findings, name);
    }
    const key = openPath(root, subkey);
    const value = key?.value(name);
    if (key === undefined || value === undefined || value.type !== ValueType.REG_BINARY) {
      findings.push(
        finding(ctx, 'warning', 'INF_BITREG_NO_VALUE', `BitReg changes an existing REG_BINARY value; "${name}" under "${subkey}" is absent or of another type`),
      );
      return outcome('unchanged', subkey, findings, name);
    }
    const data = value.data().slice();
    if (index >= data.length) {
      findings.push(finding(ctx, 'warning', 'INF_BITREG_INDEX', `byte ${index} is past the end of "${name}" (${data.length} bytes)`));
      return outcome('unchanged', subkey, findings, name);
    }
    const before = data[index]!;
    data[index] = flags & FLG_BITREG_SETBITS ? before | mask : before & ~mask & 0xff;
    if (data[index] === before) return outcome('unchanged', subkey, findings, name);
    key.setValue(name, ValueType.REG_BINARY, data);
    return outcome('bits-changed', subkey, findings, name);
  });
}

/** One line of a registry section: its fields (as for applyAddReg) and its 1-based line number. */
export interface RegSectionLine {
  fields: readonly string[];
  line: number;
  /** The file the line came from, when it differs from the context's (an Include'd INF). */
  file?: string;
}

/** The three registry directives of an install section. */
export type RegDirective = 'AddReg' | 'DelReg' | 'BitReg';

/** One registry directive of an install section and the lines of the sections it names. */
export interface RegDirectiveSections {
  directive: RegDirective;
  /** The lines of each section the directive names, in the order the directive names them. */
  lines: readonly RegSectionLine[];
}

/**
 * The result of applying an install section's registry directives: one outcome per line, and all findings.
 */
export interface RegSectionResult {
  outcomes: RegLineOutcome[];
  findings: InfRegFinding[];
}

/**
 * The registry work of one install section: every DelReg line, then every AddReg line, then every
 * BitReg line, each group in file order (W:install/R:install `SetupInstallFromInfSectionW`, inf.md
 * §8.4, case 88) — whatever order the directives appear in.
 */
export function applyRegistryDirectives(directives: readonly RegDirectiveSections[], ctx: Omit<RegLineContext, 'line'> & { line?: number }): RegSectionResult {
  const outcomes: RegLineOutcome[] = [];
  const apply = { DelReg: applyDelReg, AddReg: applyAddReg, BitReg: applyBitReg } as const;
  for (const directive of ['DelReg', 'AddReg', 'BitReg'] as const) {
    for (const group of directives) {
      if (group.directive !== directive) continue;
      for (const line of group.lines) outcomes.push(apply[directive](line.fields, { ...ctx, file: line.file ?? ctx.file, line: line.line }));
    }
  }
  return { outcomes, findings: outcomes.flatMap((o) => o.findings) };
}
