import { Hive } from '../../src/hive/index.js';
import {
  Environment,
  NetAdapter,
  NetAdapterOpenConfiguration,
  NetDeviceOpenConfiguration,
  WdfDevice,
  openAdapterConfiguration,
  openDeviceConfiguration,
} from '../../src/netadapter/index.js';
import type { NetConfiguration, Release } from '../../src/netadapter/index.js';
import { addNetworkAdapter } from '../../src/registry/index.js';
import type { RegistryKey, RegistryValue } from '../../src/registry/index.js';
import { fixedClock } from './hives.js';

export interface Opened {
  hive: Hive;
  key: RegistryKey;
  environment: Environment;
  config: NetConfiguration;
}

/**
 * A new hive with one adapter whose instance key holds `values` (and whatever `build` adds), opened
 * through the adapter path ("A", NetAdapterOpenConfiguration) or the device path ("D"); with
 * `face: 'idiomatic'`, through openAdapterConfiguration/openDeviceConfiguration instead of the C face.
 */
export function openConfiguration(
  backend: 'A' | 'D',
  values: Record<string, RegistryValue> = {},
  options: { release?: Release; build?: (key: RegistryKey) => void; face?: 'C' | 'idiomatic' } = {},
): Opened {
  const hive = Hive.create({ clock: fixedClock });
  const key = addNetworkAdapter(hive, { description: 'Test', netCfgInstanceId: '{x}', componentId: 'c' });
  for (const [name, value] of Object.entries(values)) key.setValue(name, value);
  options.build?.(key);
  const environment = new Environment({ release: options.release ?? '2100' });
  const owner = backend === 'A' ? new NetAdapter(environment, key) : new WdfDevice(environment, key);
  if (options.face === 'idiomatic') {
    const config = owner instanceof NetAdapter ? openAdapterConfiguration(owner) : openDeviceConfiguration(owner);
    return { hive, key, environment, config };
  }
  const out: { value: NetConfiguration | null } = { value: null };
  const status = owner instanceof NetAdapter ? NetAdapterOpenConfiguration(owner, null, out) : NetDeviceOpenConfiguration(owner, null, out);
  if (status !== 0 || out.value === null) throw new Error(`open failed: 0x${status.toString(16)}`);
  return { hive, key, environment, config: out.value };
}
