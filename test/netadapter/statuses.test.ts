import { describe, expect, it } from 'vitest';
import { Hive } from '../../src/hive/index.js';
import {
  BugCheck,
  Environment,
  NetAdapter,
  NetAdapterOpenConfiguration,
  NetConfigurationAssignUlong,
  NetConfigurationQueryUlong,
  NetDeviceOpenConfiguration,
  WdfDevice,
} from '../../src/netadapter/index.js';
import type { NetConfiguration } from '../../src/netadapter/index.js';
import {
  STATUS_ACCESS_DENIED,
  STATUS_INSUFFICIENT_RESOURCES,
  STATUS_INVALID_DEVICE_REQUEST,
  STATUS_NOT_SUPPORTED,
  STATUS_UNSUCCESSFUL,
  addNetworkAdapter,
  encodeDword,
} from '../../src/registry/index.js';
import { openConfiguration } from '../support/netadapter.js';

/** The statuses that come from failures inside WDF or NDIS (§3.1, §3.2, §3.5, §3.10), injected. */
describe('failures inside WDF and NDIS reach the caller', () => {
  const fresh = () => {
    const environment = new Environment();
    const key = addNetworkAdapter(Hive.create(), { description: 'x', netCfgInstanceId: '{x}', componentId: 'c' });
    return { environment, key };
  };

  it('NetAdapterOpenConfiguration: WdfObjectCreate or NdisOpenConfigurationEx failing → its status, *Configuration NULL', () => {
    for (const operation of ['WdfObjectCreate', 'NdisOpenConfigurationEx'] as const) {
      const { environment, key } = fresh();
      const adapter = new NetAdapter(environment, key);
      environment.failNext(operation, STATUS_INSUFFICIENT_RESOURCES);
      const out: { value: NetConfiguration | null } = { value: null };
      expect(NetAdapterOpenConfiguration(adapter, null, out)).toBe(STATUS_INSUFFICIENT_RESOURCES);
      expect(out.value).toBeNull();
      expect(adapter.childObjects()).toEqual([]);
    }
  });

  it('NetDeviceOpenConfiguration: WdfDeviceOpenRegistryKey failing → STATUS_ACCESS_DENIED / STATUS_INVALID_DEVICE_REQUEST', () => {
    for (const status of [STATUS_ACCESS_DENIED, STATUS_INVALID_DEVICE_REQUEST]) {
      const { environment, key } = fresh();
      environment.failNext('WdfDeviceOpenRegistryKey', status);
      expect(NetDeviceOpenConfiguration(new WdfDevice(environment, key), null, { value: null })).toBe(status);
    }
  });

  it('adapter reads and writes: NDIS errors pass through converted (RESOURCES, FAILURE, NOT_SUPPORTED)', () => {
    const { config, environment } = openConfiguration('A', { Foo: { type: 4, data: encodeDword(1) } });
    environment.failNext('NdisReadConfiguration', STATUS_INSUFFICIENT_RESOURCES);
    expect(NetConfigurationQueryUlong(config, 0, 'Foo', { value: 0 })).toBe(STATUS_INSUFFICIENT_RESOURCES);
    for (const status of [STATUS_UNSUCCESSFUL, STATUS_INSUFFICIENT_RESOURCES, STATUS_NOT_SUPPORTED]) {
      environment.failNext('NdisWriteConfiguration', status);
      expect(NetConfigurationAssignUlong(config, 'Foo', 2)).toBe(status);
    }
    const value = { value: 0 };
    NetConfigurationQueryUlong(config, 0, 'Foo', value);
    expect(value.value).toBe(1);
  });

  it('corrupted driver globals → bug check 0x19E, P1 0 (CorruptedPrivateGlobals), checked before the IRQL', () => {
    const { config, environment } = openConfiguration('A');
    environment.globalsCorrupted = true;
    try {
      environment.atIrql(2, () => NetConfigurationQueryUlong(config, 0, 'Foo', { value: 0 }));
      expect.unreachable();
    } catch (error) {
      expect(error).toBeInstanceOf(BugCheck);
      expect((error as BugCheck).parameters).toEqual([0, 0, 0, 0]);
    }
  });
});
