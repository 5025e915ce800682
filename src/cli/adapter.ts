import type { Hive, KeyNode } from '../hive/index.js';
import { NtStatusError, Registry, RegistryKey, adapterClassKey, listNetworkAdapters, valueText } from '../registry/index.js';
import { AdapterError } from '../registry/ndi-params.js';
// The Ndi\params rules live in the core, shared with the hive editor page (web/).
export { AdapterError, adapterParameters, setParameter, validateParameter } from '../registry/ndi-params.js';
export type { AdapterParameter } from '../registry/ndi-params.js';
import type { NetworkAdapter } from '../registry/index.js';

/**
 * `netconfig adapter …`: the network adapters of an offline SYSTEM hive and their Advanced-tab
 * properties. Adapters are the `NNNN` subkeys of `ControlSetXXX\Control\Class\{4d36e972-…}` in the
 * control set `Select\Current` names (netadaptercx-config.md §1.2, §7); each property is described by
 * `Ndi\params\<Keyword>` (ecosystem.md §5.2) and its chosen value is a REG_SZ named `<Keyword>` in the
 * instance key.
 */

/** A value of a key as text (see valueText). */
export function stringOf(key: KeyNode, name: string): string | undefined {
  const registry = new Registry(key.hive);
  return valueText(new RegistryKey(registry, key, key.name), name);
}

export function listAdapters(hive: Hive): NetworkAdapter[] {
  return withAdapterErrors(() => listNetworkAdapters(new Registry(hive)));
}

export function openAdapter(hive: Hive, instance: string): KeyNode {
  const classKey = withAdapterErrors(() => adapterClassKey(new Registry(hive)));
  const name = /^\d{1,4}$/.test(instance) ? instance.padStart(4, '0') : instance;
  try {
    return classKey.openSubkey(name).node;
  } catch (error) {
    if (error instanceof NtStatusError) throw new AdapterError(`no adapter instance ${name} (netconfig adapter list shows them)`);
    throw error;
  }
}

/** Registry lookups fail with NTSTATUS; the CLI says what that means for adapters. */
function withAdapterErrors<T>(action: () => T): T {
  try {
    return action();
  } catch (error) {
    if (error instanceof NtStatusError) throw new AdapterError(`not a SYSTEM hive with network adapters: ${error.message}`);
    throw error;
  }
}
