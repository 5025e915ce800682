import { describe, expect, it } from 'vitest';
import { Hive, ValueType, checkHive } from '../../src/hive/index.js';
import type { KeyNode } from '../../src/hive/index.js';
import { NET_CLASS_GUID, Registry, decodeMultiString, decodeString, encodeDword, encodeString } from '../../src/registry/index.js';
import { applyAddReg } from '../../src/inf/addreg.js';
import {
  DriverKeyError,
  createAdapterInstance,
  driverDateData,
  driverDateText,
  nextInstanceName,
  nextNetLuidIndex,
  parseDriverVer,
  systemTimeBytes,
} from '../../src/inf/driver-key.js';
import type { AdapterInstanceOptions, DriverKeyProfile } from '../../src/inf/driver-key.js';
import { corpusAvailable, readCorpus } from '../support/corpus.js';
import { fixedClock, writeTemporary } from '../support/hives.js';
import { hivexDump, oraclesAvailable } from '../support/oracles.js';

/**
 * inf.md §18.5 (driver-key instantiation) and §20 (what Windows writes into adapter keys, read off the
 * corpus SYSTEM hives). The snippet of cases 92–96: net.inf installed for PCI\VEN_10EC&DEV_8168 on
 * amd64, copied as oem3.inf, DriverVer=01/29/2010,1.2.3.4, Provider "Contoso", device "Contoso NIC",
 * DDInstall [N.NTamd64] with Characteristics=0x84, BusType=5, AddReg=R.
 */

const TIME = new Date(Date.UTC(2024, 4, 17, 9, 30, 15, 250));
const GUID = '{6aafc9a9-0542-4db2-8760-ccffa953737c}';

/** A SYSTEM-shaped hive: Select\Current = 1 and the network class key with the given instances. */
function systemHive(instances: string[] = []): Hive {
  const hive = Hive.create({ clock: fixedClock });
  const registry = new Registry(hive);
  registry.createKey('Select').setValue('Current', { type: ValueType.REG_DWORD, data: encodeDword(1) });
  const classKey = registry.createKey(`ControlSet001\\Control\\Class\\${NET_CLASS_GUID}`);
  for (const name of instances) classKey.createSubkey(name).setValue('DriverDesc', { type: ValueType.REG_SZ, data: encodeString(`existing ${name}`) });
  return hive;
}

/** The snippet's section [R], applied by the installer with HKR = the new key. */
const SECTION_R = [
  ['HKR', '', 'DriverDesc', '', 'from-addreg'],
  ['HKR', 'Ndi', 'Service', '', 'svc'],
];

function snippetOptions(profile: DriverKeyProfile = 'windows'): AdapterInstanceOptions {
  const driverVer = parseDriverVer(['01/29/2010', '1.2.3.4']);
  return {
    description: 'Contoso NIC',
    provider: 'Contoso',
    driverDate: driverVer.date,
    driverVersion: driverVer.version,
    infPath: 'oem3.inf',
    infSection: 'N',
    infSectionExt: '.NTamd64',
    matchingDeviceId: 'PCI\\VEN_10EC&DEV_8168',
    characteristics: 0x84,
    busType: '5',
    netCfgInstanceId: GUID,
    time: TIME,
    profile,
    install: (hkr: KeyNode) => SECTION_R.forEach((fields, i) => applyAddReg(fields, { hkr, file: 'net.inf', line: 16 + i })),
  };
}

function sz(key: KeyNode, name: string): string | undefined {
  const v = key.value(name);
  if (v === undefined) return undefined;
  expect(v.type, name).toBe(ValueType.REG_SZ);
  return decodeString(v.data());
}

function hexOf(key: KeyNode, name: string): string {
  return Buffer.from(key.value(name)!.data()).toString('hex');
}

describe('inf.md §18.5 driver-key instantiation', () => {
  it('case 92: existing keys 0000, 0001, 0003 → new key 0002 (first free index, 4 digits) [ReactOS]', () => {
    const hive = systemHive(['0000', '0001', '0003', 'Properties']);
    const result = createAdapterInstance(hive, snippetOptions());
    expect(result.instance).toBe('0002');
    expect(result.path).toBe(`ControlSet001\\Control\\Class\\${NET_CLASS_GUID}\\0002`);
    expect(
      result.key.node
        .parent()!
        .subkeys()
        .map((k) => k.name),
    ).toEqual(['0000', '0001', '0002', '0003', 'Properties']);
  });

  it('case 93: identity values (written after AddReg, so DriverDesc = Contoso NIC) and Ndi\\Service from AddReg [ReactOS order]', () => {
    for (const profile of ['windows', 'reactos'] as const) {
      const { key } = createAdapterInstance(systemHive(), snippetOptions(profile));
      const k = key.node;
      expect(sz(k, 'DriverDesc')).toBe('Contoso NIC');
      expect(sz(k, 'ProviderName')).toBe('Contoso');
      expect(sz(k, 'InfPath')).toBe('oem3.inf');
      expect(sz(k, 'InfSection')).toBe('N');
      expect(sz(k, 'InfSectionExt')).toBe('.NTamd64');
      expect(sz(k, 'MatchingDeviceId')).toBe('PCI\\VEN_10EC&DEV_8168');
      expect(sz(k.subkey('Ndi')!, 'Service')).toBe('svc');
      // Windows' value order (§20: identity values first), kept although they are written twice.
      expect(
        k
          .values()
          .map((v) => v.name)
          .slice(0, 9),
      ).toEqual(['DriverDesc', 'ProviderName', 'DriverDateData', 'DriverDate', 'DriverVersion', 'InfPath', 'InfSection', 'InfSectionExt', 'MatchingDeviceId']);
    }
  });

  it('case 94: DriverDateData = 00 00 FF FF 75 A0 CA 01 (2010-01-29 00:00), DriverDate = 1-29-2010, DriverVersion = 1.2.3.4 [ReactOS formats]', () => {
    const k = createAdapterInstance(systemHive(), snippetOptions()).key.node;
    expect(k.value('DriverDateData')!.type).toBe(ValueType.REG_BINARY);
    expect(hexOf(k, 'DriverDateData')).toBe('0000ffff75a0ca01');
    expect(sz(k, 'DriverDate')).toBe('1-29-2010');
    expect(sz(k, 'DriverVersion')).toBe('1.2.3.4');
  });

  it('case 95: Characteristics = DWORD 0x84, BusType = S(5), NetCfgInstanceId = {guid}, Linkage Export/RootDevice/UpperBind [ReactOS]', () => {
    const reactos = createAdapterInstance(systemHive(), snippetOptions('reactos')).key.node;
    expect(reactos.value('Characteristics')!.type).toBe(ValueType.REG_DWORD);
    expect(hexOf(reactos, 'Characteristics')).toBe('84000000');
    expect(sz(reactos, 'BusType')).toBe('5');
    expect(sz(reactos, 'NetCfgInstanceId')).toBe(GUID);
    const linkage = reactos.subkey('Linkage')!;
    expect(sz(linkage, 'Export')).toBe(`\\Device\\${GUID}`);
    expect(sz(linkage, 'RootDevice')).toBe(GUID);
    expect(sz(linkage, 'UpperBind')).toBe('Tcpip');
    // The windows profile writes what the corpus shows instead: upper-case GUID, Linkage as REG_MULTI_SZ.
    const windows = createAdapterInstance(systemHive(), snippetOptions('windows')).key.node;
    expect(sz(windows, 'NetCfgInstanceId')).toBe(GUID.toUpperCase());
    const wl = windows.subkey('Linkage')!;
    expect(wl.value('Export')!.type).toBe(ValueType.REG_MULTI_SZ);
    expect(decodeMultiString(wl.value('Export')!.data())).toEqual([`\\Device\\${GUID.toUpperCase()}`]);
    expect(decodeMultiString(wl.value('RootDevice')!.data())).toEqual([GUID.toUpperCase()]);
    expect(decodeMultiString(wl.value('UpperBind')!.data())).toEqual(['Tcpip']);
  });

  it('case 96: [N.NTamd64] without Characteristics → the install fails and writes nothing [ReactOS]; lint: error', () => {
    const hive = systemHive(['0000']);
    const options = { ...snippetOptions(), characteristics: undefined };
    let error: unknown;
    try {
      createAdapterInstance(hive, options);
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(DriverKeyError);
    expect((error as DriverKeyError).code).toBe('INF_MISSING_CHARACTERISTICS');
    expect((error as DriverKeyError).message).toContain('N.NTamd64');
    const classKey = new Registry(hive).openKey(`ControlSet001\\Control\\Class\\${NET_CLASS_GUID}`);
    expect(classKey.subkeyNames()).toEqual(['0000']);
  });
});

describe('driver key: control set, indices, reproducibility, rollback', () => {
  it('installs under the control set Select\\Current names, or the one given; refuses a hive without Select', () => {
    const hive = systemHive();
    const registry = new Registry(hive);
    registry.openKey('Select').setValue('Current', { type: ValueType.REG_DWORD, data: encodeDword(2) });
    expect(createAdapterInstance(hive, snippetOptions()).path.startsWith('ControlSet002\\Control\\Class\\')).toBe(true);
    expect(createAdapterInstance(hive, { ...snippetOptions(), controlSet: 1 }).path).toBe(`ControlSet001\\Control\\Class\\${NET_CLASS_GUID}\\0000`);
    const bare = Hive.create();
    expect(() => createAdapterInstance(bare, snippetOptions())).toThrowError(expect.objectContaining({ code: 'INF_NO_CONTROL_SET' }));
    expect(bare.root().subkeys()).toEqual([]);
  });

  it('a new class key gets Class = Net; with time, every key the call changed carries that time', () => {
    const hive = Hive.create();
    createAdapterInstance(hive, { ...snippetOptions(), controlSet: 'ControlSet001' });
    const classKey = new Registry(hive).openKey(`ControlSet001\\Control\\Class\\${NET_CLASS_GUID}`);
    expect(decodeString(classKey.queryValue('Class').data)).toBe('Net');
    const stamp = BigInt(TIME.getTime()) * 10000n + 116444736000000000n;
    const changed: bigint[] = [];
    for (let k: KeyNode | undefined = classKey.node; k !== undefined; k = k.parent()) changed.push(k.lastWritten);
    expect(changed).toEqual([stamp, stamp, stamp, stamp, stamp]);
    // In an existing class key only the class key itself changes above the instance.
    const existing = systemHive(['0000']);
    const control = new Registry(existing).openKey('ControlSet001\\Control').node;
    const before = control.lastWritten;
    const { key } = createAdapterInstance(existing, snippetOptions());
    expect(key.node.parent()!.lastWritten).toBe(stamp);
    expect(control.lastWritten).toBe(before);
  });

  it('time and netCfgInstanceId make the output byte-identical', () => {
    const a = systemHive(['0000']);
    const b = systemHive(['0000']);
    createAdapterInstance(a, snippetOptions());
    createAdapterInstance(b, snippetOptions());
    expect(Buffer.from(a.serialize()).equals(Buffer.from(b.serialize()))).toBe(true);
    const k = new Registry(a).openKey(`ControlSet001\\Control\\Class\\${NET_CLASS_GUID}\\0001`).node;
    expect(hexOf(k, 'InstallTimeStamp')).toBe(Buffer.from(systemTimeBytes(TIME)).toString('hex'));
    expect(k.lastWritten).toBe(BigInt(TIME.getTime()) * 10000n + 116444736000000000n);
    expect(k.subkey('Ndi')!.lastWritten).toBe(k.lastWritten);
  });

  it('without netCfgInstanceId a fresh random upper-case GUID is used each time', () => {
    const hive = systemHive();
    const { netCfgInstanceId: first } = createAdapterInstance(hive, { ...snippetOptions(), netCfgInstanceId: undefined });
    const { netCfgInstanceId: second } = createAdapterInstance(hive, { ...snippetOptions(), netCfgInstanceId: undefined });
    expect(first).toMatch(/^\{[0-9A-F]{8}-[0-9A-F]{4}-4[0-9A-F]{3}-[89AB][0-9A-F]{3}-[0-9A-F]{12}\}$/);
    expect(second).not.toBe(first);
    expect(() => createAdapterInstance(hive, { ...snippetOptions(), netCfgInstanceId: 'not-a-guid' })).toThrowError(
      expect.objectContaining({ code: 'INF_BAD_GUID' }),
    );
  });

  it('an exception from the install step removes the half-written key', () => {
    const hive = systemHive(['0000']);
    expect(() =>
      createAdapterInstance(hive, {
        ...snippetOptions(),
        install: () => {
          throw new Error('boom');
        },
      }),
    ).toThrow('boom');
    expect(new Registry(hive).openKey(`ControlSet001\\Control\\Class\\${NET_CLASS_GUID}`).subkeyNames()).toEqual(['0000']);
  });

  it('nextInstanceName fails past 9999', () => {
    const hive = Hive.create();
    const classKey = hive.root().addSubkey('C');
    for (let i = 0; i <= 9999; i++) classKey.addSubkey(String(i).padStart(4, '0'));
    expect(() => nextInstanceName(classKey)).toThrowError(expect.objectContaining({ code: 'INF_CLASS_FULL' }));
  });

  it('NetLuidIndex counts per *IfType: from 0x8000 (Windows 10) or after the Windows 7 indices', () => {
    const hive = Hive.create();
    const modern = hive.root().addSubkey('Modern');
    const add = (parent: KeyNode, name: string, ifType: number, index: number): void => {
      const k = parent.addSubkey(name);
      k.setValue('*IfType', ValueType.REG_DWORD, encodeDword(ifType));
      k.setValue('NetLuidIndex', ValueType.REG_DWORD, encodeDword(index));
    };
    add(modern, '0000', 6, 0x8000);
    add(modern, '0001', 6, 0x8001);
    add(modern, '0002', 131, 0x8000);
    expect(nextNetLuidIndex(modern, 6)).toBe(0x8002);
    expect(nextNetLuidIndex(modern, 71)).toBe(0x8000);
    const old = hive.root().addSubkey('Old');
    add(old, '0000', 6, 0);
    add(old, '0001', 6, 1);
    add(old, '0002', 6, 3);
    expect(nextNetLuidIndex(old, 6)).toBe(2);
    expect(nextNetLuidIndex(hive.root().addSubkey('Empty'), 6)).toBe(0x8000);
  });

  it('a missing *IfType is reported; given DDInstall keywords are written as REG_DWORD with IfTypePreStart', () => {
    const without = createAdapterInstance(systemHive(), { ...snippetOptions(), file: 'net.inf', line: 12 });
    expect(without.findings.map((f) => `${f.file}:${f.line}: ${f.severity} ${f.code}`)).toEqual(['net.inf:12: warning INF_NO_IFTYPE']);
    const k = createAdapterInstance(systemHive(), { ...snippetOptions(), ifType: 6, mediaType: 0, physicalMediaType: 14 });
    expect(k.findings).toEqual([]);
    for (const [name, hex] of [
      ['*IfType', '06000000'],
      ['*MediaType', '00000000'],
      ['*PhysicalMediaType', '0e000000'],
      ['IfTypePreStart', '06000000'],
    ] as const) {
      expect(k.key.node.value(name)!.type, name).toBe(ValueType.REG_DWORD);
      expect(hexOf(k.key.node, name), name).toBe(hex);
    }
    expect(k.netLuidIndex).toBe(0x8000);
  });

  it('DriverVer parsing and formats', () => {
    expect(parseDriverVer(['6/21/2006', '10.0.16299.15'])).toEqual({ date: { year: 2006, month: 6, day: 21 }, version: '10.0.16299.15' });
    expect(() => parseDriverVer(['13/01/2010'])).toThrowError(expect.objectContaining({ code: 'INF_BAD_DRIVERVER' }));
    expect(() => parseDriverVer(['02/30/2010'])).toThrowError(expect.objectContaining({ code: 'INF_BAD_DRIVERVER' }));
    expect(driverDateText({ year: 2016, month: 4, day: 5 })).toBe('4-5-2016');
    // Corpus values (inf.md §20.2): 6-21-2006 ↔ 00808ca3c594c601, 3-23-2010 ↔ 00c0e3c71bcaca01.
    expect(Buffer.from(driverDateData({ year: 2006, month: 6, day: 21 })).toString('hex')).toBe('00808ca3c594c601');
    expect(Buffer.from(driverDateData({ year: 2010, month: 3, day: 23 })).toString('hex')).toBe('00c0e3c71bcaca01');
    // SYSTEMTIME of 2010-11-10 (a Wednesday) 18:20:45.750, as in the corpus' InstallTimeStamp da070b0003000a00120014002d00ee02.
    expect(Buffer.from(systemTimeBytes(new Date(Date.UTC(2010, 10, 10, 18, 20, 45, 750)))).toString('hex')).toBe('da070b0003000a00120014002d00ee02');
  });
});

describe('the created key read back by hivex (an independent reader)', () => {
  it.skipIf(!oraclesAvailable('hivexDump'))('hivex-dump.py lists the new key, its values with their types and bytes, and Ndi/Linkage', () => {
    const hive = systemHive(['0000']);
    const { path, key } = createAdapterInstance(hive, { ...snippetOptions(), ifType: 6, mediaType: 0, physicalMediaType: 14 });
    const result = hivexDump(writeTemporary('inf-driver-key.hiv', hive.serialize()));
    expect(result.status, result.stderr).toBe(0);
    const keys = new Map(
      result.stdout
        .trim()
        .split('\n')
        .map((line) => {
          const entry = JSON.parse(line) as { path: string; mtime: number; values: [string, number, string][] };
          return [entry.path, entry] as const;
        }),
    );
    const dumped = keys.get(`\\${path}`)!;
    expect(dumped).toBeDefined();
    expect(dumped.values).toEqual(key.node.values().map((v) => [v.name, v.type, Buffer.from(v.data()).toString('hex')]));
    expect(dumped.values.find(([name]) => name === 'DriverDateData')).toEqual(['DriverDateData', ValueType.REG_BINARY, '0000ffff75a0ca01']);
    expect(keys.get(`\\${path}\\Ndi`)!.values).toEqual([['Service', ValueType.REG_SZ, Buffer.from(encodeString('svc')).toString('hex')]]);
    expect(keys.get(`\\${path}\\Linkage`)!.values.map(([name, type]) => `${name}:${type}`)).toEqual(['Export:7', 'RootDevice:7', 'UpperBind:7']);
  });
});

/** §20.1: present in all 31 Windows-written adapter keys, always with this type. */
const ALWAYS: Record<string, number> = {
  DriverDesc: ValueType.REG_SZ,
  ProviderName: ValueType.REG_SZ,
  DriverDate: ValueType.REG_SZ,
  DriverDateData: ValueType.REG_BINARY,
  DriverVersion: ValueType.REG_SZ,
  InfPath: ValueType.REG_SZ,
  InfSection: ValueType.REG_SZ,
  MatchingDeviceId: ValueType.REG_SZ,
  ComponentId: ValueType.REG_SZ,
  Characteristics: ValueType.REG_DWORD,
  '*IfType': ValueType.REG_DWORD,
  NetCfgInstanceId: ValueType.REG_SZ,
  NetLuidIndex: ValueType.REG_DWORD,
  DeviceInstanceID: ValueType.REG_SZ,
  InstallTimeStamp: ValueType.REG_BINARY,
};

/** The shape of a value as Windows formats it (§20.2), so a created key and a Windows one can be compared. */
function formatOf(key: KeyNode, name: string): string {
  const v = key.value(name)!;
  const data = v.data();
  const text = v.type === ValueType.REG_SZ ? decodeString(data) : '';
  switch (name) {
    case 'DriverDate':
      return /^[1-9]\d?-[1-9]\d?-\d{4}$/.test(text) ? 'M-D-YYYY' : `other: ${text}`;
    case 'DriverDateData': {
      const ticks = Buffer.from(data).readBigUInt64LE(0);
      return data.length === 8 && ticks % 864000000000n === 0n ? 'FILETIME at 00:00' : 'other';
    }
    case 'InstallTimeStamp': {
      const u = (i: number): number => Buffer.from(data).readUInt16LE(i * 2);
      const date = new Date(Date.UTC(u(0), u(1) - 1, u(3)));
      return data.length === 16 && date.getUTCDay() === u(2) && u(4) < 24 && u(5) < 60 && u(6) < 60 && u(7) < 1000 ? 'SYSTEMTIME' : 'other';
    }
    case 'NetCfgInstanceId':
      return /^\{[0-9A-F]{8}-[0-9A-F]{4}-[0-9A-F]{4}-[0-9A-F]{4}-[0-9A-F]{12}\}$/.test(text) ? '{GUID} upper' : `other: ${text}`;
    case 'ComponentId':
      return text === decodeString(key.value('MatchingDeviceId')!.data()) ? '= MatchingDeviceId' : 'other';
    case 'DriverVersion':
      return /^\d+(\.\d+){1,3}$/.test(text) ? 'w.x.y.z' : `other: ${text}`;
    case 'InfSection':
    case 'InfPath':
    case 'DriverDesc':
    case 'ProviderName':
    case 'MatchingDeviceId':
    case 'DeviceInstanceID':
      return text.length > 0 && !text.includes('\0') ? 'text' : 'empty';
    default:
      return `${data.length} bytes`;
  }
}

describe('the created key beside Windows-written adapter keys (inf.md §20)', () => {
  const present = corpusAvailable();
  for (const file of ['regipy/SYSTEM.xz', 'regipy/SYSTEM_2.xz', 'regipy/SYSTEM_B.xz']) {
    it.skipIf(!present)(`${file}: same identity value names, types and formats; the hive stays valid`, () => {
      const hive = Hive.open(readCorpus(file));
      const registry = new Registry(hive);
      const classKey = registry.openKey(`ControlSet001\\Control\\Class\\${NET_CLASS_GUID}`).node;
      const windows = classKey.subkeys().filter((k) => /^\d{4}$/.test(k.name) && k.value('DriverDesc') !== undefined);
      expect(windows.length).toBeGreaterThan(0);
      // The §20.1 list holds in this hive: every Windows key has each value, with that type, in that format.
      const formats = new Map<string, Set<string>>();
      for (const k of windows) {
        for (const [name, type] of Object.entries(ALWAYS)) {
          expect(k.value(name)?.type, `${k.name}\\${name}`).toBe(type);
          if (!formats.has(name)) formats.set(name, new Set());
          formats.get(name)!.add(formatOf(k, name));
        }
        for (const name of ['Export', 'RootDevice', 'UpperBind'])
          expect(k.subkey('Linkage')!.value(name)!.type, `${k.name}\\Linkage\\${name}`).toBe(ValueType.REG_MULTI_SZ);
      }
      for (const [name, set] of formats) {
        if (name === 'Characteristics' || name === '*IfType' || name === 'NetLuidIndex') continue;
        expect([...set], name).toHaveLength(1);
      }
      const existing = windows.map((k) => k.name);
      const created = createAdapterInstance(registry, {
        ...snippetOptions(),
        ifType: 6,
        mediaType: 0,
        physicalMediaType: 14,
        netCfgInstanceId: undefined,
        time: undefined,
      });
      expect(existing).not.toContain(created.instance);
      expect(created.findings).toEqual([]);
      const k = created.key.node;
      for (const [name, type] of Object.entries(ALWAYS)) {
        expect(k.value(name)?.type, name).toBe(type);
        const expected = formats.get(name)!;
        if (expected.size === 1) expect(formatOf(k, name), name).toBe([...expected][0]);
      }
      for (const name of ['Export', 'RootDevice', 'UpperBind']) expect(k.subkey('Linkage')!.value(name)!.type, name).toBe(ValueType.REG_MULTI_SZ);
      // Beyond §20.1: every value name all Windows keys of this hive share, with its type — except
      // NewDeviceInstall, which only the Windows 7 hive has (13/13 there, 0/18 in the Windows 10 ones).
      const shared = windows.map((w) => new Set(w.values().map((v) => v.name))).reduce((a, b) => new Set([...a].filter((n) => b.has(n))));
      for (const name of shared) {
        if (name === 'NewDeviceInstall') continue;
        expect(k.value(name)?.type, name).toBe(windows[0]!.value(name)!.type);
      }
      // Indices count per *IfType (§20): the new Ethernet adapter does not reuse one of an Ethernet sibling.
      const ethernet = windows
        .filter((w) => Buffer.from(w.value('*IfType')!.data()).readUInt32LE(0) === 6)
        .map((w) => Buffer.from(w.value('NetLuidIndex')!.data()).readUInt32LE(0));
      expect(ethernet).not.toContain(created.netLuidIndex);
      const bytes = hive.serialize();
      expect(checkHive(bytes)).toEqual([]);
      const reopened = new Registry(Hive.open(bytes)).openKey(created.path).node;
      expect(decodeString(reopened.value('DriverDesc')!.data())).toBe('Contoso NIC');
    });
  }
});
