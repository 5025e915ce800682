import { ValueType } from '../hive/index.js';
import type { Hive } from '../hive/index.js';
import { NtStatusError, STATUS_OBJECT_NAME_NOT_FOUND } from './ntstatus.js';
import { currentControlSetName } from './mounts.js';
import { Registry } from './registry.js';
import type { RegistryKey } from './registry.js';
import { decodeDword, decodeString, encodeDword, encodeString } from './values.js';

/** The network adapter device setup class: adapters live under Control\Class\{this}\NNNN (netadaptercx-config.md §1.2). */
export const NET_CLASS_GUID = '{4d36e972-e325-11ce-bfc1-08002be10318}';

/** A value as text: REG_SZ/REG_EXPAND_SZ up to the first NUL, REG_DWORD in decimal; else undefined. */
export function valueText(key: RegistryKey, name: string): string | undefined {
  const value = key.tryQueryValue(name);
  if (value === undefined) return undefined;
  if (value.type === ValueType.REG_SZ || value.type === ValueType.REG_EXPAND_SZ) return decodeString(value.data);
  const dword = decodeDword(value);
  return dword === undefined ? undefined : String(dword);
}

/** The control set a SYSTEM hive boots with: `Select\Current` = N → `ControlSet00N` (an offline hive has no CurrentControlSet link). */
export function currentControlSet(registry: Registry): RegistryKey {
  const name = currentControlSetName(registry.hive);
  if (name === undefined) throw new NtStatusError(STATUS_OBJECT_NAME_NOT_FOUND, 'Select\\Current is not a DWORD: is this a SYSTEM hive?', 'Select');
  return registry.openKey(name);
}

/**
 * The network adapter class key (`Control\Class\{NET_CLASS_GUID}`) of a SYSTEM hive's current control set.
 * @throws {NtStatusError} STATUS_OBJECT_NAME_NOT_FOUND when the hive has no such key (or no Select\Current DWORD).
 */
export function adapterClassKey(registry: Registry): RegistryKey {
  return currentControlSet(registry).openSubkey(`Control\\Class\\${NET_CLASS_GUID}`);
}

/**
 * A network adapter instance key of a SYSTEM hive: its four-digit instance name and its identifying values (null where the value is absent).
 */
export interface NetworkAdapter {
  instance: string;
  description: string | null;
  netCfgInstanceId: string | null;
  componentId: string | null;
  networkAddress: string | null;
}

/** The adapters of a SYSTEM hive: the four-digit instance keys of the network class. */
export function listNetworkAdapters(registry: Registry): NetworkAdapter[] {
  const classKey = adapterClassKey(registry);
  return classKey
    .subkeyNames()
    .filter((name) => /^\d{4}$/.test(name))
    .map((name) => {
      const key = classKey.openSubkey(name);
      return {
        instance: name,
        description: valueText(key, 'DriverDesc') ?? null,
        netCfgInstanceId: valueText(key, 'NetCfgInstanceId') ?? null,
        componentId: valueText(key, 'ComponentId') ?? null,
        networkAddress: valueText(key, 'NetworkAddress') ?? null,
      };
    });
}

/** An adapter's instance key (its software key, where NETCONFIGURATION reads and writes). */
export function openNetworkAdapter(registry: Registry, instance: string): RegistryKey {
  const name = /^\d{1,4}$/.test(instance) ? instance.padStart(4, '0') : instance;
  return adapterClassKey(registry).openSubkey(name);
}

/** What {@link addNetworkAdapter} writes into the new adapter's instance key. */
export interface NewAdapter {
  description: string;
  netCfgInstanceId: string;
  componentId: string;
  /** Further values of the instance key, as text (REG_SZ, as an INF's HKR,,name,0,"…" writes them). */
  values?: Record<string, string>;
}

/**
 * Gives a hive (a new one too) a SYSTEM layout with a network adapter, so a test needs no real SYSTEM
 * hive: Select\Current → ControlSet001 unless present, the class key, and the next free instance.
 */
export function addNetworkAdapter(hive: Hive, adapter: NewAdapter): RegistryKey {
  const registry = new Registry(hive);
  const root = registry.root();
  if (!root.subkeyNames().some((n) => n.toUpperCase() === 'SELECT')) {
    const select = registry.createKey('Select');
    for (const [name, value] of [
      ['Current', 1],
      ['Default', 1],
      ['Failed', 0],
      ['LastKnownGood', 1],
    ] as const)
      select.setValue(name, { type: ValueType.REG_DWORD, data: encodeDword(value) });
  }
  const set = decodeDword(registry.openKey('Select').queryValue('Current')) ?? 1;
  const classKey = registry.createKey(`ControlSet${String(set).padStart(3, '0')}\\Control\\Class\\${NET_CLASS_GUID}`);
  if (classKey.tryQueryValue('Class') === undefined) classKey.setValue('Class', { type: ValueType.REG_SZ, data: encodeString('Net') });
  let n = 0;
  while (classKey.subkeyNames().includes(String(n).padStart(4, '0'))) n++;
  const key = classKey.createSubkey(String(n).padStart(4, '0'));
  key.setValue('DriverDesc', { type: ValueType.REG_SZ, data: encodeString(adapter.description) });
  key.setValue('NetCfgInstanceId', { type: ValueType.REG_SZ, data: encodeString(adapter.netCfgInstanceId) });
  key.setValue('ComponentId', { type: ValueType.REG_SZ, data: encodeString(adapter.componentId) });
  for (const [name, value] of Object.entries(adapter.values ?? {})) key.setValue(name, { type: ValueType.REG_SZ, data: encodeString(value) });
  return key;
}
