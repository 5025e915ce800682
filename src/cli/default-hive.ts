import { Hive, ValueType, encodeUtf16le } from '../hive/index.js';

import { NET_CLASS_GUID } from '../registry/index.js';

export { NET_CLASS_GUID };

function sz(text: string): Uint8Array {
  return encodeUtf16le(`${text}\0`);
}

function dword(n: number): Uint8Array {
  const bytes = new Uint8Array(4);
  new DataView(bytes.buffer).setUint32(0, n >>> 0, true);
  return bytes;
}

function multiSz(items: string[]): Uint8Array {
  return encodeUtf16le(`${items.map((s) => `${s}\0`).join('')}\0`);
}

/**
 * The hive the CLI uses when none is named: SYSTEM-shaped (Select\Current → ControlSet001), holding
 * one network adapter, instance 0000, with the Advanced-tab parameters a real Ethernet INF installs.
 */
export function createDefaultHive(): Hive {
  const hive = Hive.create({ minorVersion: 5, rootName: 'SYSTEM', fileName: 'SYSTEM' });
  const root = hive.root();
  const select = root.addSubkey('Select');
  select.setValue('Current', ValueType.REG_DWORD, dword(1));
  select.setValue('Default', ValueType.REG_DWORD, dword(1));
  select.setValue('Failed', ValueType.REG_DWORD, dword(0));
  select.setValue('LastKnownGood', ValueType.REG_DWORD, dword(1));
  const adapter = root.ensurePath(`ControlSet001\\Control\\Class\\${NET_CLASS_GUID}\\0000`);
  root.ensurePath(`ControlSet001\\Control\\Class\\${NET_CLASS_GUID}`).setValue('Class', ValueType.REG_SZ, sz('Net'));
  adapter.setValue('DriverDesc', ValueType.REG_SZ, sz('Contoso Gigabit Ethernet Adapter'));
  adapter.setValue('ProviderName', ValueType.REG_SZ, sz('Contoso'));
  adapter.setValue('ComponentId', ValueType.REG_SZ, sz('pci\\ven_1234&dev_5678'));
  adapter.setValue('NetCfgInstanceId', ValueType.REG_SZ, sz('{5b1c2a10-7d3e-4f21-9a6b-0c8d2e4f6a81}'));
  adapter.setValue('Characteristics', ValueType.REG_DWORD, dword(0x84));
  adapter.setValue('*IfType', ValueType.REG_DWORD, dword(6));
  adapter.setValue('*MediaType', ValueType.REG_DWORD, dword(0));
  adapter.setValue('*PhysicalMediaType', ValueType.REG_DWORD, dword(14));
  adapter.setValue('*JumboPacket', ValueType.REG_SZ, sz('1514'));
  adapter.setValue('*SpeedDuplex', ValueType.REG_SZ, sz('0'));
  adapter.setValue('*RSS', ValueType.REG_SZ, sz('1'));
  adapter.setValue('UpperRange', ValueType.REG_SZ, sz('ndis5'));
  adapter.setValue('LowerRange', ValueType.REG_SZ, sz('ethernet'));
  adapter.setValue('Filters', ValueType.REG_MULTI_SZ, multiSz([]));
  const params = adapter.ensurePath('Ndi\\params');
  const jumbo = params.addSubkey('*JumboPacket');
  for (const [name, value] of [
    ['ParamDesc', 'Jumbo Packet'],
    ['Type', 'int'],
    ['Default', '1514'],
    ['Min', '1514'],
    ['Max', '9014'],
    ['Step', '1'],
    ['Base', '10'],
  ] as const) {
    jumbo.setValue(name, ValueType.REG_SZ, sz(value));
  }
  const speed = params.addSubkey('*SpeedDuplex');
  for (const [name, value] of [
    ['ParamDesc', 'Speed & Duplex'],
    ['Type', 'enum'],
    ['Default', '0'],
  ] as const) {
    speed.setValue(name, ValueType.REG_SZ, sz(value));
  }
  const speedEnum = speed.addSubkey('enum');
  for (const [name, value] of [
    ['0', 'Auto Negotiation'],
    ['1', '10 Mbps Half Duplex'],
    ['2', '10 Mbps Full Duplex'],
    ['3', '100 Mbps Half Duplex'],
    ['4', '100 Mbps Full Duplex'],
    ['6', '1.0 Gbps Full Duplex'],
  ] as const) {
    speedEnum.setValue(name, ValueType.REG_SZ, sz(value));
  }
  const rss = params.addSubkey('*RSS');
  for (const [name, value] of [
    ['ParamDesc', 'Receive Side Scaling'],
    ['Type', 'enum'],
    ['Default', '1'],
  ] as const) {
    rss.setValue(name, ValueType.REG_SZ, sz(value));
  }
  const rssEnum = rss.addSubkey('enum');
  rssEnum.setValue('0', ValueType.REG_SZ, sz('Disabled'));
  rssEnum.setValue('1', ValueType.REG_SZ, sz('Enabled'));
  const address = params.addSubkey('NetworkAddress');
  for (const [name, value] of [
    ['ParamDesc', 'Network Address'],
    ['Type', 'edit'],
    ['Default', ''],
    ['Optional', '1'],
    ['LimitText', '12'],
    ['UpperCase', '1'],
  ] as const) {
    address.setValue(name, ValueType.REG_SZ, sz(value));
  }
  return hive;
}
