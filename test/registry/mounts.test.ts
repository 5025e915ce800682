import { describe, expect, it } from 'vitest';
import { Hive, ValueType, encodeUtf16le } from '../../src/hive/index.js';
import {
  MountError,
  MountTable,
  RegistryPathError,
  currentControlSetName,
  formatRegistryPath,
  inferMount,
  parseRegistryPath,
} from '../../src/registry/index.js';
import type { Mount } from '../../src/registry/index.js';

const dword = (n: number): Uint8Array => Uint8Array.of(n & 0xff, (n >> 8) & 0xff, 0, 0);

function system(current: number): Hive {
  const hive = Hive.create({ rootName: 'SYSTEM' });
  hive.root().addSubkey('Select').setValue('Current', ValueType.REG_DWORD, dword(current));
  for (const set of ['ControlSet001', 'ControlSet002'])
    hive
      .root()
      .ensurePath(`${set}\\Hardware Profiles\\Current`)
      .setValue('Set', ValueType.REG_SZ, encodeUtf16le(`${set}\0`));
  return hive;
}

function mount(at: string, hive: Hive, label = at): Mount & { opens: number } {
  const m = { at: parseRegistryPath(at), label, opens: 0, open: () => (m.opens++, hive) };
  return m;
}

describe('registry paths', () => {
  it('takes short and long root names in any case, drops empty components, and refuses what is not a root', () => {
    expect(parseRegistryPath('hklm\\SYSTEM\\\\Select\\')).toEqual({ root: 'HKEY_LOCAL_MACHINE', components: ['SYSTEM', 'Select'] });
    expect(formatRegistryPath(parseRegistryPath('HKCU'))).toBe('HKEY_CURRENT_USER');
    expect(parseRegistryPath('HKEY_CLASSES_ROOT\\CLSID').root).toBe('HKEY_CLASSES_ROOT');
    expect(() => parseRegistryPath('Select\\X')).toThrow(RegistryPathError);
    expect(() => parseRegistryPath('\\Select')).toThrow(/starts with a root key/);
  });
});

describe('MountTable', () => {
  it('opens a hive only when a path reaches it, and picks the innermost mount', () => {
    const user = mount('HKCU', Hive.create());
    const classes = mount('HKCU\\Software\\Classes', Hive.create());
    const table = new MountTable([user, classes]);
    expect(user.opens + classes.opens).toBe(0);
    expect(table.locate(parseRegistryPath('HKCU\\Software\\Classes\\.txt')).mount).toBe(classes);
    expect(table.locate(parseRegistryPath('HKCU\\Software\\Contoso')).components).toEqual(['Software', 'Contoso']);
    expect([user.opens, classes.opens]).toEqual([1, 1]);
  });

  it('refuses a path outside every mount, naming the mounts, and two hives at one place', () => {
    const table = new MountTable([mount('HKLM\\SYSTEM', system(1), 'SYSTEM.hiv')]);
    expect(() => table.locate(parseRegistryPath('HKLM\\SOFTWARE\\X'))).toThrow(/outside the mounted hives: HKEY_LOCAL_MACHINE\\SYSTEM \(SYSTEM\.hiv\)/);
    expect(() => new MountTable([mount('HKLM\\SYSTEM', Hive.create()), mount('hklm\\system', Hive.create())])).toThrow(MountError);
  });

  it('CurrentControlSet is the ControlSet00N of Select\\Current, in any case; HKCC is its Hardware Profiles\\Current', () => {
    const table = new MountTable([mount('HKLM\\SYSTEM', system(2))]);
    const located = table.locate(parseRegistryPath('HKLM\\SYSTEM\\currentcontrolset\\Services'));
    expect(located.components).toEqual(['ControlSet002', 'Services']);
    expect(formatRegistryPath(located.resolved)).toBe('HKEY_LOCAL_MACHINE\\SYSTEM\\ControlSet002\\Services');
    expect(table.locate(parseRegistryPath('HKCC\\Software')).components).toEqual(['ControlSet002', 'Hardware Profiles', 'Current', 'Software']);
    expect(currentControlSetName(system(1))).toBe('ControlSet001');
  });

  it('without Select\\Current, CurrentControlSet is refused rather than created literally', () => {
    const table = new MountTable([mount('HKLM\\SYSTEM', Hive.create())]);
    expect(() => table.locate(parseRegistryPath('HKLM\\SYSTEM\\CurrentControlSet\\X'))).toThrow(/CurrentControlSet cannot be resolved/);
    expect(() => table.locate(parseRegistryPath('HKCC'))).toThrow(MountError);
  });

  it('HKCR: a key the user has is used there, any other in the machine classes; both sides listed', () => {
    const machine = Hive.create();
    machine.root().ensurePath('Classes\\.txt');
    machine.root().ensurePath('Classes\\.both');
    const user = Hive.create();
    user.root().addSubkey('.both');
    user.root().addSubkey('.mine');
    const table = new MountTable([mount('HKLM\\SOFTWARE', machine), mount('HKCU\\Software\\Classes', user)]);
    expect(table.locate(parseRegistryPath('HKCR\\.both')).hive).toBe(user);
    expect(table.locate(parseRegistryPath('HKCR\\.mine')).hive).toBe(user);
    expect(table.locate(parseRegistryPath('HKCR\\.txt')).hive).toBe(machine);
    expect(table.locate(parseRegistryPath('HKCR\\.new')).components).toEqual(['Classes', '.new']);
    expect(table.classesSides(parseRegistryPath('HKCR')).map((s) => s.location.hive)).toEqual([user, machine]);
    expect(table.mountsReached(parseRegistryPath('HKCR\\.x')).length).toBe(2);
  });
});

describe('inferMount', () => {
  it('by content first, then the name recorded in the base block, then the file name', () => {
    expect(inferMount(system(1), 'whatever.bin')).toMatchObject({ kind: 'SYSTEM', at: 'HKEY_LOCAL_MACHINE\\SYSTEM' });
    const sam = Hive.create();
    sam.root().ensurePath('SAM\\Domains');
    expect(inferMount(sam, 'x').kind).toBe('SAM');
    expect(inferMount(Hive.create({ fileName: '\\??\\C:\\Users\\a\\ntuser.dat' }), 'copy.bin')).toMatchObject({ kind: 'NTUSER', at: 'HKEY_CURRENT_USER' });
    expect(inferMount(Hive.create(), '/x/DEFAULT')).toMatchObject({ kind: 'DEFAULT', at: 'HKEY_USERS\\.DEFAULT' });
    expect(inferMount(Hive.create(), '/x/UsrClass.dat').at).toBe('HKEY_CURRENT_USER\\Software\\Classes');
    expect(inferMount(Hive.create(), 'test.hiv').kind).toBeUndefined();
  });
});
