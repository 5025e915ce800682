import { describe, expect, it } from 'vitest';
import { KeyField } from '../../src/hive/cells.js';
import { Hive, HiveFormatError, ValueType, encodeUtf16le } from '../../src/hive/index.js';
import { clearKey, compareTrees, copyKeyTree } from '../../src/registry/index.js';

function sample(): Hive {
  const hive = Hive.create();
  const a = hive.root().addSubkey('A');
  a.setValue('v', ValueType.REG_SZ, encodeUtf16le('one\0'));
  a.ensurePath('B\\C').setValue('d', ValueType.REG_DWORD, Uint8Array.of(1, 0, 0, 0));
  a.subkey('B')!.setClassName('cls');
  return hive;
}

describe('subtree operations', () => {
  it('copyKeyTree copies values, subkeys and (when asked) class names; compareTrees then finds them equal', () => {
    const hive = sample();
    const target = hive.root().addSubkey('Copy');
    expect(copyKeyTree(hive.root().subkey('A')!, target, { recursive: true, classNames: true })).toBe(3);
    expect(target.subkey('B')!.className).toBe('cls');
    expect([...compareTrees(hive.root().subkey('A')!, target, { recursive: true })].every((d) => d.same)).toBe(true);
  });

  it('without recursive only the values move; copying into its own subtree copies the tree as it was', () => {
    const hive = sample();
    const a = hive.root().subkey('A')!;
    const flat = hive.root().addSubkey('Flat');
    copyKeyTree(a, flat, { recursive: false });
    expect(flat.subkeys()).toEqual([]);
    copyKeyTree(a, a.subkey('B')!.addSubkey('Inner'), { recursive: true });
    expect(a.subkey('B')!.subkey('Inner')!.subkey('B')!.subkey('C')!.value('d')).toBeDefined();
    // The (then empty) Inner key was part of the tree when the copy began: copied once, empty, not recursed into.
    expect(a.subkey('B')!.subkey('Inner')!.subkey('B')!.subkey('Inner')!.subkeys()).toEqual([]);
  });

  it('compareTrees reports a value that differs, one on one side only, and a key on one side only', () => {
    const hive = sample();
    const other = hive.root().addSubkey('Other');
    copyKeyTree(hive.root().subkey('A')!, other, { recursive: true });
    other.setValue('v', ValueType.REG_SZ, encodeUtf16le('two\0'));
    other.setValue('extra', ValueType.REG_NONE, new Uint8Array(0));
    other.addSubkey('OnlyHere');
    const differences = [...compareTrees(hive.root().subkey('A')!, other, { recursive: true })].filter((d) => !d.same);
    expect(differences.map((d) => `${d.kind} ${d.path}\\${d.name} ${d.left ? 'L' : '-'}${d.right ? 'R' : '-'}`).sort()).toEqual([
      'key \\OnlyHere -R',
      'value \\extra -R',
      'value \\v LR',
    ]);
    expect([...compareTrees(hive.root().subkey('A')!, other, { recursive: false, value: 'V' })]).toHaveLength(1);
  });

  it('clearKey removes every value and subkey and keeps the key', () => {
    const hive = sample();
    const a = hive.root().subkey('A')!;
    clearKey(a);
    expect([a.values().length, a.subkeys().length]).toEqual([0, 0]);
    expect(hive.root().subkey('A')).toBeDefined();
  });

  it('a subkey list that points back at an ancestor ends in a typed error, not a loop', () => {
    const hive = sample();
    const a = hive.root().subkey('A')!;
    const c = a.subkey('B')!.subkey('C')!;
    // Make C's subkey list be A's: C now "contains" B, whose subtree contains C again.
    hive.view.setUint32(hive.payload(c.cell) + KeyField.subkeyList, hive.view.getUint32(hive.payload(a.cell) + KeyField.subkeyList, true), true);
    hive.view.setUint32(hive.payload(c.cell) + KeyField.subkeyCount, 1, true);
    expect(() => copyKeyTree(a, hive.root().addSubkey('Loop'), { recursive: true })).toThrow(HiveFormatError);
    expect(() => [...compareTrees(a, a, { recursive: true })]).toThrow(HiveFormatError);
  });
});
