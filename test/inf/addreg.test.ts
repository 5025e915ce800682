import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { Hive, ValueType } from '../../src/hive/index.js';
import type { KeyNode } from '../../src/hive/index.js';
import { decodeMultiString, encodeMultiString, encodeString } from '../../src/registry/index.js';
import { applyAddReg, applyBitReg, applyDelReg, applyRegistryDirectives, parseBinaryByte, parseDwordText, parseIntField } from '../../src/inf/addreg.js';
import type { InfProfile, RegLineContext, RegLineOutcome } from '../../src/inf/addreg.js';

/**
 * inf.md §18.4: AddReg/DelReg lines applied with HKR = an empty key K. A line is given as setupapi
 * hands its fields over: split at commas, unquoted, %strkey% already substituted.
 */

function freshKey(): { hive: Hive; k: KeyNode } {
  const hive = Hive.create();
  return { hive, k: hive.root().addSubkey('K') };
}

/** Splits a line the simple way (no quotes with commas in these cases), trimming and unquoting fields. */
function fieldsOf(line: string): string[] {
  return line.split(',').map((f) => f.trim().replace(/^"(.*)"$/, '$1'));
}

function ctx(k: KeyNode, profile?: InfProfile, line = 1): RegLineContext {
  return profile === undefined ? { hkr: k, file: 'test.inf', line } : { hkr: k, file: 'test.inf', line, profile };
}

function add(k: KeyNode, line: string, profile?: InfProfile): RegLineOutcome {
  return applyAddReg(fieldsOf(line), ctx(k, profile));
}

function del(k: KeyNode, line: string, profile?: InfProfile): RegLineOutcome {
  return applyDelReg(fieldsOf(line), ctx(k, profile));
}

function value(k: KeyNode, name: string): { type: number; hex: string } | undefined {
  const v = k.value(name);
  return v === undefined ? undefined : { type: v.type, hex: Buffer.from(v.data()).toString('hex') };
}

const sz = (text: string): string => Buffer.from(encodeString(text)).toString('hex');

describe('inf.md §18.4 AddReg / DelReg application (HKR = K)', () => {
  it('case 66: HKR,,Foo,,"bar" → REG_SZ S(bar), 8 bytes [D:install/inf-addreg-directive.md; W:install]', () => {
    const { k } = freshKey();
    expect(add(k, 'HKR,,Foo,,"bar"').action).toBe('value-set');
    expect(value(k, 'Foo')).toEqual({ type: ValueType.REG_SZ, hex: sz('bar') });
    expect(k.value('Foo')!.data().length).toBe(8);
  });

  it('case 67: HKR,,Foo → REG_SZ empty string, 2 bytes [W:install do_reg_operation]', () => {
    const { k } = freshKey();
    add(k, 'HKR,,Foo');
    expect(value(k, 'Foo')).toEqual({ type: ValueType.REG_SZ, hex: '0000' });
  });

  it('case 68: HKR,,S,0,"a","b" → REG_SZ S(a), extra fields ignored [W:install]', () => {
    const { k } = freshKey();
    add(k, 'HKR,,S,0,"a","b"');
    expect(value(k, 'S')).toEqual({ type: ValueType.REG_SZ, hex: sz('a') });
  });

  it('case 69: HKR,,N,0x00010001,10 / ,0x10 → REG_DWORD 10 / 16 [D:install/inf-addreg-directive.md; W:install]', () => {
    const { k } = freshKey();
    add(k, 'HKR,,N,0x00010001,10');
    expect(value(k, 'N')).toEqual({ type: ValueType.REG_DWORD, hex: '0a000000' });
    add(k, 'HKR,,N,0x00010001,0x10');
    expect(value(k, 'N')).toEqual({ type: ValueType.REG_DWORD, hex: '10000000' });
  });

  it('case 70: 010 → 8 (octal) and "12abc" → 12 [Wine] (wcstoul base 0) [W:install]', () => {
    const { k } = freshKey();
    const octal = add(k, 'HKR,,N,0x00010001,010');
    add(k, 'HKR,,M,0x00010001,"12abc"');
    expect(value(k, 'N')).toEqual({ type: ValueType.REG_DWORD, hex: '08000000' });
    expect(value(k, 'M')).toEqual({ type: ValueType.REG_DWORD, hex: '0c000000' });
    expect(octal.findings.map((f) => f.code)).toEqual(['INF_DWORD_OCTAL']);
  });

  it('case 71: DWORD as bytes: 01,00,00,00 → 4 bytes / 01,00 → REG_DWORD with 2 bytes [Wine] [W:install binary path]', () => {
    const { k } = freshKey();
    add(k, 'HKR,,N,0x00010001,01,00,00,00');
    const short = add(k, 'HKR,,P,0x00010001,01,00');
    expect(short.findings.map((f) => f.code)).toEqual(['INF_BINARY_SIZE']);
    expect(value(k, 'N')).toEqual({ type: ValueType.REG_DWORD, hex: '01000000' });
    expect(value(k, 'P')).toEqual({ type: ValueType.REG_DWORD, hex: '0100' });
  });

  it('case 72: HKR,,B,1,de,ad,be,ef → REG_BINARY DE AD BE EF [D; W:parser SetupGetBinaryField]', () => {
    const { k } = freshKey();
    add(k, 'HKR,,B,1,de,ad,be,ef');
    expect(value(k, 'B')).toEqual({ type: ValueType.REG_BINARY, hex: 'deadbeef' });
  });

  it('case 73: HKR,,M,0x00010000,"a","b" → REG_MULTI_SZ a\\0b\\0\\0, 10 bytes [D; W:install]', () => {
    const { k } = freshKey();
    add(k, 'HKR,,M,0x00010000,"a","b"');
    expect(value(k, 'M')).toEqual({ type: ValueType.REG_MULTI_SZ, hex: Buffer.from('a\0b\0\0', 'utf16le').toString('hex') });
    expect(k.value('M')!.data().length).toBe(10);
  });

  it('case 74: HKR,,M,0x00010000,"a","","b" → a\\0\\0 (stops at the empty field) [Wine] [W:parser SetupGetMultiSzFieldW]', () => {
    const { k } = freshKey();
    const result = add(k, 'HKR,,M,0x00010000,"a","","b"');
    expect(value(k, 'M')).toEqual({ type: ValueType.REG_MULTI_SZ, hex: Buffer.from('a\0\0', 'utf16le').toString('hex') });
    expect(result.findings.map((f) => f.code)).toEqual(['INF_MULTI_SZ_EMPTY_FIELD']);
  });

  it('case 75: HKR,,E,0x00020000,"%%SystemRoot%%\\x.dll" → REG_EXPAND_SZ S(%SystemRoot%\\x.dll), unexpanded [D example]', () => {
    const { k } = freshKey();
    // The reader collapses %% to % when it substitutes the field (inf.md §3.2); this layer stores the text.
    applyAddReg(['HKR', '', 'E', '0x00020000', '%SystemRoot%\\x.dll'], ctx(k));
    expect(value(k, 'E')).toEqual({ type: ValueType.REG_EXPAND_SZ, hex: sz('%SystemRoot%\\x.dll') });
  });

  it('case 76: NOCLOBBER: Foo = old stays old / absent Foo becomes new [D; W:install]', () => {
    const { k } = freshKey();
    k.setValue('Foo', ValueType.REG_SZ, encodeString('old'));
    expect(add(k, 'HKR,,Foo,0x00000002,"new"').action).toBe('unchanged');
    expect(value(k, 'Foo')!.hex).toBe(sz('old'));
    const other = freshKey().k;
    add(other, 'HKR,,Foo,0x00000002,"new"');
    expect(value(other, 'Foo')!.hex).toBe(sz('new'));
  });

  it('case 77: OVERWRITEONLY: Sub absent → nothing written, Sub not created / Sub\\V = old → new [D; W:install registry_callback]', () => {
    const { k } = freshKey();
    expect(add(k, 'HKR,Sub,V,0x00000020,"new"').action).toBe('unchanged');
    expect(k.subkey('Sub')).toBeUndefined();
    k.addSubkey('Sub').setValue('V', ValueType.REG_SZ, encodeString('old'));
    add(k, 'HKR,Sub,V,0x00000020,"new"');
    expect(value(k.subkey('Sub')!, 'V')!.hex).toBe(sz('new'));
    // A value that does not exist in an existing key is not created either.
    add(k, 'HKR,Sub,W,0x00000020,"new"');
    expect(k.subkey('Sub')!.value('W')).toBeUndefined();
  });

  it('case 78: APPEND: M = [a] + "b","A" → [a, b] (A matches a case-insensitively) [D; W:install append_multi_sz_value]', () => {
    const { k } = freshKey();
    k.setValue('M', ValueType.REG_MULTI_SZ, encodeMultiString(['a']));
    expect(add(k, 'HKR,,M,0x00010008,"b","A"').action).toBe('multi-sz-appended');
    expect(decodeMultiString(k.value('M')!.data())).toEqual(['a', 'b']);
  });

  it('case 79: APPEND to an absent M: [unknown]; [Wine] M = [b]; [ReactOS] nothing [§9.3]', () => {
    for (const profile of ['wine', 'windows'] as const) {
      const { k } = freshKey();
      add(k, 'HKR,,M,0x00010008,"b"', profile);
      expect(decodeMultiString(k.value('M')!.data())).toEqual(['b']);
    }
    const { k } = freshKey();
    expect(add(k, 'HKR,,M,0x00010008,"b"', 'reactos').action).toBe('unchanged');
    expect(k.value('M')).toBeUndefined();
  });

  it('case 80: HKR,Sub,,0x00000010 → key K\\Sub exists, no values [D; W:install]', () => {
    const { k } = freshKey();
    expect(add(k, 'HKR,Sub,,0x00000010').action).toBe('key-created');
    expect(k.subkey('Sub')!.valueCount).toBe(0);
    expect(k.valueCount).toBe(0);
  });

  it('case 81: DELVAL: Foo deleted / Sub and its subtree deleted [D; W:install]', () => {
    const { k } = freshKey();
    k.setValue('Foo', ValueType.REG_SZ, encodeString('x'));
    expect(add(k, 'HKR,,Foo,0x00000004').action).toBe('value-deleted');
    expect(k.value('Foo')).toBeUndefined();
    k.ensurePath('Sub\\child\\grandchild').setValue('v', ValueType.REG_SZ, encodeString('x'));
    expect(add(k, 'HKR,Sub,,0x00000004').action).toBe('key-deleted');
    expect(k.subkey('Sub')).toBeUndefined();
  });

  it('case 82: HKR,,T,0x00380001,1,2 → value type 0x38, data 01 02 [D:install/inf-addreg-directive.md]', () => {
    const { k } = freshKey();
    add(k, 'HKR,,T,0x00380001,1,2');
    expect(value(k, 'T')).toEqual({ type: 0x38, hex: '0102' });
  });

  it('case 83: HKR,,Q,0x000B0001,1,0,0,0,0,0,0,0 → REG_QWORD 1, 8 bytes LE [D; W:install binary path]', () => {
    const { k } = freshKey();
    add(k, 'HKR,,Q,0x000B0001,1,0,0,0,0,0,0,0');
    expect(value(k, 'Q')).toEqual({ type: ValueType.REG_QWORD, hex: '0100000000000000' });
  });

  it('case 84: HKR,,Z,0x00020001 → REG_NONE, 0 bytes [W:install]', () => {
    const { k } = freshKey();
    add(k, 'HKR,,Z,0x00020001');
    expect(value(k, 'Z')).toEqual({ type: ValueType.REG_NONE, hex: '' });
  });

  it('case 85: HKX,,Foo,,"x" skipped silently, then HKR,,Bar,,"y" written [W:install get_root_key]', () => {
    const { k } = freshKey();
    const skipped = add(k, 'HKX,,Foo,,"x"');
    expect(skipped.action).toBe('skipped');
    expect(skipped.findings.map((f) => `${f.file}:${f.line}: ${f.severity} ${f.code}`)).toEqual(['test.inf:1: warning INF_UNKNOWN_ROOT']);
    add(k, 'HKR,,Bar,,"y"');
    expect(k.values().map((v) => v.name)).toEqual(['Bar']);
    expect(value(k, 'Bar')!.hex).toBe(sz('y'));
  });

  it('case 86: HKR,,D,%REG_DWORD%,5 with REG_DWORD=0x00010001 → REG_DWORD 5 [D (strkey flags); C:…/viostor.inx]', () => {
    const { k } = freshKey();
    // The flags field arrives substituted.
    applyAddReg(['HKR', '', 'D', '0x00010001', '5'], ctx(k));
    expect(value(k, 'D')).toEqual({ type: ValueType.REG_DWORD, hex: '05000000' });
  });

  it('case 87: HKR, Ndi\\params\\*RSS\\enum, "1", 0, %Enabled% → nested keys created, 1 = S(Enabled) [D:network/enumeration-keywords.md; W:install]', () => {
    const { k } = freshKey();
    add(k, 'HKR, Ndi\\params\\*RSS\\enum, "1", 0, "Enabled"');
    const ndi = k.subkey('Ndi');
    expect(ndi).toBeDefined();
    const params = ndi!.subkey('params')!;
    const rss = params.subkey('*RSS')!;
    const enumKey = rss.subkey('enum')!;
    expect(value(enumKey, '1')).toEqual({ type: ValueType.REG_SZ, hex: sz('Enabled') });
  });

  it('case 88: [I] AddReg=A1, DelReg=D1, AddReg=A2 → DelReg first (no-op), then A1, then A2: V = 2 [W:install/R:install SetupInstallFromInfSectionW]', () => {
    const { k } = freshKey();
    const result = applyRegistryDirectives(
      [
        { directive: 'AddReg', lines: [{ fields: fieldsOf('HKR,,V,,"1"'), line: 10 }] },
        { directive: 'DelReg', lines: [{ fields: fieldsOf('HKR,,V'), line: 12 }] },
        { directive: 'AddReg', lines: [{ fields: fieldsOf('HKR,,V,,"2"'), line: 14 }] },
      ],
      { hkr: k, file: 'test.inf' },
    );
    expect(result.outcomes.map((o) => o.action)).toEqual(['unchanged', 'value-set', 'value-set']);
    expect(value(k, 'V')!.hex).toBe(sz('2'));
  });

  it('case 89: HKR,,V,0x00008000 in an AddReg section → V unchanged (DELREG-bit lines ignored) [W:install]', () => {
    const { k } = freshKey();
    k.setValue('V', ValueType.REG_SZ, encodeString('keep'));
    const result = add(k, 'HKR,,V,0x00008000');
    expect(result.action).toBe('skipped');
    expect(value(k, 'V')!.hex).toBe(sz('keep'));
  });

  it('case 90: DelReg HKR,Sub / HKR,,V / HKR,,M,0x00018002,"B" → Sub removed / V removed / M = [a, c] [D:install/inf-delreg-directive.md; W:install]', () => {
    for (const profile of ['windows', 'wine', 'reactos'] as const) {
      const { k } = freshKey();
      k.ensurePath('Sub\\child').setValue('x', ValueType.REG_DWORD, new Uint8Array(4));
      k.setValue('V', ValueType.REG_SZ, encodeString('v'));
      k.setValue('M', ValueType.REG_MULTI_SZ, encodeMultiString(['a', 'b', 'c']));
      expect(del(k, 'HKR,Sub', profile).action).toBe('key-deleted');
      expect(del(k, 'HKR,,V', profile).action).toBe('value-deleted');
      expect(del(k, 'HKR,,M,0x00018002,"B"', profile).action).toBe('multi-sz-string-deleted');
      expect(k.subkey('Sub')).toBeUndefined();
      expect(k.value('V')).toBeUndefined();
      expect(decodeMultiString(k.value('M')!.data())).toEqual(['a', 'c']);
    }
  });

  it('case 91: DelReg HKR,Sub,,0x00002000: docs → Sub deleted; [Wine]/[ReactOS] → ignored ([unknown]) [§10.2]', () => {
    const { k } = freshKey();
    k.addSubkey('Sub');
    expect(del(k, 'HKR,Sub,,0x00002000', 'windows').action).toBe('key-deleted');
    expect(k.subkey('Sub')).toBeUndefined();
    for (const profile of ['wine', 'reactos'] as const) {
      const other = freshKey().k;
      other.addSubkey('Sub');
      const result = del(other, 'HKR,Sub,,0x00002000', profile);
      expect(result.action).toBe('skipped');
      expect(result.findings.map((f) => f.code)).toEqual(['INF_DELREG_FLAGS_IGNORED']);
      expect(other.subkey('Sub')).toBeDefined();
    }
  });
});

describe('AddReg flags and encodings beyond §18.4', () => {
  it('an unparsable flags field is REG_SZ with a warning [Wine]', () => {
    const { k } = freshKey();
    const result = add(k, 'HKR,,V,0x1zz,"5"');
    expect(value(k, 'V')).toEqual({ type: ValueType.REG_SZ, hex: sz('5') });
    expect(result.findings.map((f) => f.code)).toEqual(['INF_BAD_FLAGS']);
  });

  it('a DWORD with an empty value field is 0, without one 0 bytes [Wine]; -1 wraps to 0xFFFFFFFF; overflow saturates', () => {
    const { k } = freshKey();
    add(k, 'HKR,,A,0x00010001,');
    const none = add(k, 'HKR,,Z,0x00010001');
    expect(value(k, 'Z')).toEqual({ type: ValueType.REG_DWORD, hex: '' });
    expect(none.findings.map((f) => f.code)).toEqual(['INF_BINARY_SIZE']);
    add(k, 'HKR,,B,0x00010001,-1');
    add(k, 'HKR,,C,0x00010001,0x123456789');
    expect(value(k, 'A')!.hex).toBe('00000000');
    expect(value(k, 'B')!.hex).toBe('ffffffff');
    expect(value(k, 'C')!.hex).toBe('ffffffff');
  });

  it('a REG_DWORD type without the binary bit (0x00040000) takes the character path', () => {
    const { k } = freshKey();
    add(k, 'HKR,,A,0x00040000,0x20');
    expect(value(k, 'A')).toEqual({ type: ValueType.REG_DWORD, hex: '20000000' });
  });

  it('binary bytes: a 0x prefix is skipped except under reactos; a value above FF skips the line', () => {
    const { k } = freshKey();
    add(k, 'HKR,,B,1,0x12,ff');
    expect(value(k, 'B')!.hex).toBe('12ff');
    add(k, 'HKR,,R,1,0x12,ff', 'reactos');
    expect(value(k, 'R')!.hex).toBe('00ff');
    const bad = add(k, 'HKR,,X,1,100');
    expect(bad.action).toBe('skipped');
    expect(bad.findings[0]!.code).toBe('INF_BAD_BYTE');
    expect(k.value('X')).toBeUndefined();
  });

  it('REG_MULTI_SZ without value fields is one NUL; APPEND to a value of another type is refused', () => {
    const { k } = freshKey();
    add(k, 'HKR,,M,0x00010000');
    expect(value(k, 'M')).toEqual({ type: ValueType.REG_MULTI_SZ, hex: '0000' });
    k.setValue('S', ValueType.REG_SZ, encodeString('x'));
    const result = add(k, 'HKR,,S,0x00010008,"y"');
    expect(result.findings.map((f) => f.code)).toEqual(['INF_APPEND_WRONG_TYPE']);
    expect(value(k, 'S')!.hex).toBe(sz('x'));
  });

  it('KEYONLY_COMMON creates the key; DELVAL with KEYONLY_COMMON deletes the key even with a value name', () => {
    const { k } = freshKey();
    add(k, 'HKR,Sub,,0x00002000');
    expect(k.subkey('Sub')).toBeDefined();
    add(k, 'HKR,Sub,V,0x00002004');
    expect(k.subkey('Sub')).toBeUndefined();
  });

  it('a line that would delete HKR itself is refused', () => {
    const { k } = freshKey();
    k.setValue('V', ValueType.REG_SZ, encodeString('x'));
    const result = add(k, 'HKR,,,0x00000004');
    expect(result.findings.map((f) => f.code)).toEqual(['INF_DELETES_ROOT']);
    expect(k.value('V')).toBeDefined();
    expect(del(k, 'HKR').findings.map((f) => f.code)).toEqual(['INF_DELETES_ROOT']);
  });

  it('HKLM without a resolver is refused; with one it is routed there, with the view the flags ask for', () => {
    const { hive, k } = freshKey();
    const refused = add(k, 'HKLM,Software\\X,V,,"1"');
    expect(refused.findings.map((f) => `${f.severity} ${f.code}`)).toEqual(['error INF_ROOT_UNAVAILABLE']);
    const machine = hive.root().addSubkey('HKLM');
    const views: string[] = [];
    const result = applyAddReg(fieldsOf('hklm,Software\\X,V,0x00004000,"1"'), {
      ...ctx(k),
      resolveRoot: (root, view) => {
        views.push(`${root}/${view}`);
        return root === 'HKLM' ? machine : undefined;
      },
    });
    expect(result.action).toBe('value-set');
    expect(views).toEqual(['HKLM/32']);
    expect(value(machine.ensurePath('Software\\X'), 'V')!.hex).toBe(sz('1'));
  });

  it('a subkey name longer than 255 characters becomes a finding, not an exception', () => {
    const { k } = freshKey();
    const result = applyAddReg(['HKR', 'x'.repeat(300), 'V', '', 'y'], ctx(k, undefined, 42));
    expect(result.action).toBe('skipped');
    expect(result.findings.map((f) => `${f.file}:${f.line} ${f.code}`)).toEqual(['test.inf:42 INF_REG_FAILED']);
  });

  it('an empty root field and an empty line are skipped', () => {
    const { k } = freshKey();
    expect(applyAddReg([], ctx(k)).action).toBe('skipped');
    expect(applyAddReg(['', '', 'V', '', 'x'], ctx(k)).action).toBe('skipped');
    expect(k.valueCount).toBe(0);
  });
});

describe('applyRegistryDirectives', () => {
  it("runs DelReg, then AddReg, then BitReg, and collects findings with each line's own file:line", () => {
    const { k } = freshKey();
    k.setValue('B', ValueType.REG_BINARY, new Uint8Array([0]));
    const result = applyRegistryDirectives(
      [
        { directive: 'BitReg', lines: [{ fields: fieldsOf('HKR,,B,1,01,0'), line: 3 }] },
        {
          directive: 'AddReg',
          lines: [
            { fields: fieldsOf('HKR,,B,1,f0'), line: 5 },
            { fields: fieldsOf('HKQ,,X'), line: 6, file: 'other.inf' },
          ],
        },
        { directive: 'DelReg', lines: [{ fields: fieldsOf('HKR,,B'), line: 8 }] },
      ],
      { hkr: k, file: 'main.inf' },
    );
    expect(result.outcomes.map((o) => o.action)).toEqual(['value-deleted', 'value-set', 'skipped', 'bits-changed']);
    expect(value(k, 'B')!.hex).toBe('f1');
    expect(result.findings.map((f) => `${f.file}:${f.line}: ${f.severity} ${f.code}`)).toEqual(['other.inf:6: warning INF_UNKNOWN_ROOT']);
  });
});

describe('BitReg (D:install/inf-bitreg-directive.md)', () => {
  it('sets and clears the mask bits of one byte of an existing REG_BINARY value', () => {
    const { k } = freshKey();
    k.setValue('B', ValueType.REG_BINARY, new Uint8Array([0x00, 0xff]));
    expect(applyBitReg(fieldsOf('HKR,,B,1,81,0'), ctx(k)).action).toBe('bits-changed');
    expect(applyBitReg(fieldsOf('HKR,,B,0,0f,1'), ctx(k)).action).toBe('bits-changed');
    expect(value(k, 'B')!.hex).toBe('81f0');
    expect(applyBitReg(fieldsOf('HKR,,B,1,01,0'), ctx(k)).action).toBe('unchanged');
  });

  it('a missing value, another type or an index past the end changes nothing', () => {
    const { k } = freshKey();
    expect(applyBitReg(fieldsOf('HKR,,B,1,01,0'), ctx(k)).findings[0]!.code).toBe('INF_BITREG_NO_VALUE');
    k.setValue('B', ValueType.REG_BINARY, new Uint8Array([1]));
    expect(applyBitReg(fieldsOf('HKR,,B,1,01,5'), ctx(k)).findings[0]!.code).toBe('INF_BITREG_INDEX');
    expect(applyBitReg(fieldsOf('HKR,,B,1,zz1,x'), ctx(k)).findings[0]!.code).toBe('INF_BITREG_SYNTAX');
    expect(value(k, 'B')!.hex).toBe('01');
  });
});

describe('number parsing as setupapi does it', () => {
  it('parseDwordText is wcstoul base 0', () => {
    expect(parseDwordText('10')).toBe(10);
    expect(parseDwordText('0x1F')).toBe(31);
    expect(parseDwordText('010')).toBe(8);
    expect(parseDwordText('08')).toBe(0);
    expect(parseDwordText('  +7z')).toBe(7);
    expect(parseDwordText('')).toBe(0);
    expect(parseDwordText('0x')).toBe(0);
    expect(parseDwordText('-2')).toBe(0xfffffffe);
  });

  it('parseIntField is strtol over the whole text; empty is 0', () => {
    expect(parseIntField('')).toBe(0);
    expect(parseIntField('0x00010001')).toBe(0x10001);
    expect(parseIntField('12abc')).toBeUndefined();
    expect(parseIntField('0x')).toBeUndefined();
    expect(parseIntField('0xFFFFFFFF')).toBe(0x7fffffff);
  });

  it('parseBinaryByte reads hex digits up to the first other character', () => {
    expect(parseBinaryByte('de')).toBe(0xde);
    expect(parseBinaryByte('')).toBe(0);
    expect(parseBinaryByte('1g')).toBe(1);
    expect(parseBinaryByte('0ff')).toBe(0xff);
    expect(parseBinaryByte('1ff')).toBeUndefined();
  });
});

describe('property: AddReg lines round-trip through a serialized hive', () => {
  type Line = { name: string; kind: 'sz' | 'dword' | 'binary' | 'multi'; fields: string[]; expectType: number; expectBytes: Uint8Array };
  // Text that survives as an INF field: no NUL (setupapi strings end there), no surrounding whitespace.
  const text = fc.string({ maxLength: 30 }).filter((s) => !s.includes('\0') && s === s.trim());
  const nonEmpty = text.filter((s) => s !== '');
  const line = (name: string): fc.Arbitrary<Line> =>
    fc.oneof(
      text.map((s) => ({ name, kind: 'sz' as const, fields: ['HKR', '', name, '0', s], expectType: ValueType.REG_SZ, expectBytes: encodeString(s) })),
      fc.tuple(fc.nat({ max: 0xffffffff }), fc.boolean()).map(([n, asHex]) => {
        const bytes = new Uint8Array(4);
        new DataView(bytes.buffer).setUint32(0, n, true);
        return {
          name,
          kind: 'dword' as const,
          fields: ['HKR', '', name, '0x00010001', asHex ? `0x${n.toString(16)}` : String(n)],
          expectType: ValueType.REG_DWORD,
          expectBytes: bytes,
        };
      }),
      fc.uint8Array({ maxLength: 40 }).map((bytes) => ({
        name,
        kind: 'binary' as const,
        fields: ['HKR', '', name, '0x00000001', ...[...bytes].map((b) => b.toString(16).padStart(2, '0'))],
        expectType: ValueType.REG_BINARY,
        expectBytes: bytes,
      })),
      fc.array(nonEmpty, { maxLength: 6 }).map((items) => ({
        name,
        kind: 'multi' as const,
        fields: ['HKR', '', name, '0x00010000', ...items],
        expectType: ValueType.REG_MULTI_SZ,
        expectBytes: items.length === 0 ? encodeString('') : encodeMultiString(items),
      })),
    );

  it('every value reads back with the type and bytes the line describes', () => {
    fc.assert(
      fc.property(
        fc
          .uniqueArray(fc.stringMatching(/^[A-Za-z*][A-Za-z0-9*_]{0,11}$/), {
            minLength: 1,
            maxLength: 12,
            comparator: (a, b) => a.toUpperCase() === b.toUpperCase(),
          })
          .chain((names) => fc.tuple(...names.map(line))),
        (lines) => {
          const { hive, k } = freshKey();
          lines.forEach((l, i) => {
            const result = applyAddReg(l.fields, ctx(k, undefined, i + 1));
            expect(result.action).toBe('value-set');
          });
          const reopened = Hive.open(hive.serialize());
          const key = reopened.root().subkey('K')!;
          expect(key.valueCount).toBe(lines.length);
          for (const l of lines) {
            const v = key.value(l.name)!;
            expect(v.type).toBe(l.expectType);
            expect(Buffer.from(v.data()).toString('hex')).toBe(Buffer.from(l.expectBytes).toString('hex'));
          }
        },
      ),
      { numRuns: 150 },
    );
  });
});
