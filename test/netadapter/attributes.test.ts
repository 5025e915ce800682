import { describe, expect, it } from 'vitest';
import { Hive } from '../../src/hive/index.js';
import {
  Environment,
  NetAdapter,
  NetAdapterOpenConfiguration,
  NetConfigurationClose,
  NetConfigurationQueryBinary,
  NetConfigurationQueryString,
  NetDeviceOpenConfiguration,
  WDF_OBJECT_ATTRIBUTES_INIT,
  WdfDevice,
  openAdapterConfiguration,
  openDeviceConfiguration,
  readRssEnabledAtStart,
} from '../../src/netadapter/index.js';
import type { NetConfiguration, Release, WdfMemory, WdfString } from '../../src/netadapter/index.js';
import {
  STATUS_INFO_LENGTH_MISMATCH,
  STATUS_OBJECT_NAME_INVALID,
  STATUS_OBJECT_NAME_NOT_FOUND,
  STATUS_SUCCESS,
  STATUS_WDF_EXECUTION_LEVEL_INVALID,
  STATUS_WDF_PARENT_ASSIGNMENT_NOT_ALLOWED,
  addNetworkAdapter,
} from '../../src/registry/index.js';
import { fixedClock } from '../support/hives.js';

function adapterKey(values: Record<string, string> = {}) {
  return addNetworkAdapter(Hive.create({ clock: fixedClock }), { description: 'Test', netCfgInstanceId: '{x}', componentId: 'c', values });
}

describe('attributes on open (§1.3)', () => {
  for (const backend of ['A', 'D'] as const) {
    const openWith = (attributes: ReturnType<typeof WDF_OBJECT_ATTRIBUTES_INIT>): [number, NetConfiguration | null, string[]] => {
      const environment = new Environment();
      const key = adapterKey();
      const calls: string[] = [];
      attributes.EvtCleanupCallback = () => calls.push('cleanup');
      const out: { value: NetConfiguration | null } = { value: null };
      const status =
        backend === 'A'
          ? NetAdapterOpenConfiguration(new NetAdapter(environment, key), attributes, out)
          : NetDeviceOpenConfiguration(new WdfDevice(environment, key), attributes, out);
      return [status, out.value, calls];
    };
    it(`case 46 (${backend}): ParentObject set → STATUS_WDF_PARENT_ASSIGNMENT_NOT_ALLOWED, *Configuration NULL, no callbacks`, () => {
      const environment = new Environment();
      const attributes = { ...WDF_OBJECT_ATTRIBUTES_INIT(), ContextTypeInfo: { name: 'CTX' }, ParentObject: environment.driver };
      expect(openWith(attributes)).toEqual([STATUS_WDF_PARENT_ASSIGNMENT_NOT_ALLOWED, null, []]);
    });
    it(`case 47 (${backend}): no context type → STATUS_OBJECT_NAME_INVALID`, () => {
      expect(openWith(WDF_OBJECT_ATTRIBUTES_INIT())).toEqual([STATUS_OBJECT_NAME_INVALID, null, []]);
    });
    it(`(${backend}): a wrong Size → STATUS_INFO_LENGTH_MISMATCH; good attributes → their cleanup runs at Close`, () => {
      expect(openWith({ ...WDF_OBJECT_ATTRIBUTES_INIT(), Size: 8, ContextTypeInfo: { name: 'CTX' } })[0]).toBe(STATUS_INFO_LENGTH_MISMATCH);
      const [status, config, calls] = openWith({ ...WDF_OBJECT_ATTRIBUTES_INIT(), ContextTypeInfo: { name: 'CTX' } });
      expect(status).toBe(STATUS_SUCCESS);
      NetConfigurationClose(config!);
      expect(calls).toEqual(['cleanup']);
    });
  }
});

describe('objects returned by queries', () => {
  const open = (release: Release = '2100'): NetConfiguration => {
    const environment = new Environment({ release });
    const out: { value: NetConfiguration | null } = { value: null };
    const key = adapterKey({ S: 'abc' });
    key.setValue('B', { type: 3, data: Uint8Array.of(1, 2) });
    NetAdapterOpenConfiguration(new NetAdapter(environment, key), null, out);
    return out.value!;
  };

  it('case 48: Close deletes the WDFSTRING and WDFMEMORY queried with the default parent', () => {
    const config = open();
    const text: { value: WdfString | null } = { value: null };
    const memory: { value: WdfMemory | null } = { value: null };
    NetConfigurationQueryString(config, 'S', null, text);
    NetConfigurationQueryBinary(config, 'B', 0, null, memory);
    NetConfigurationClose(config);
    expect([text.value!.deleted, memory.value!.deleted]).toEqual([true, true]);
  });

  it("writes the default parent into the caller's attributes: since 1809 even on failure, before only on success", () => {
    const attributes = WDF_OBJECT_ATTRIBUTES_INIT();
    const text: { value: WdfString | null } = { value: null };
    const config = open('2100');
    expect(NetConfigurationQueryString(config, 'missing', attributes, text)).toBe(STATUS_OBJECT_NAME_NOT_FOUND);
    expect(attributes.ParentObject).toBe(config);
    const old = WDF_OBJECT_ATTRIBUTES_INIT();
    const config1803 = open('1803');
    NetConfigurationQueryString(config1803, 'missing', old, text);
    expect(old.ParentObject).toBeNull();
    NetConfigurationQueryString(config1803, 'S', old, text);
    expect(old.ParentObject).toBe(config1803);
  });
});

describe('keywords NetAdapterCx reads itself (§7)', () => {
  it('case 50: *RSS "0" → RSS disabled; absent → disabled; "1" → enabled', () => {
    const environment = new Environment();
    expect(readRssEnabledAtStart(new NetAdapter(environment, adapterKey({ '*RSS': '0' })))).toBe(false);
    expect(readRssEnabledAtStart(new NetAdapter(environment, adapterKey()))).toBe(false);
    expect(readRssEnabledAtStart(new NetAdapter(environment, adapterKey({ '*RSS': '1' })))).toBe(true);
  });
});

describe('the idiomatic opens take the C attributes too ({ attributes })', () => {
  const withContext = () => ({ ...WDF_OBJECT_ATTRIBUTES_INIT(), ContextTypeInfo: { ContextName: 'CTX', ContextSize: 8 } });

  it('a refused set is thrown and the configuration closed again (2100 device, adapter)', () => {
    const environment = new Environment({ release: '2100' });
    const device = new WdfDevice(environment, adapterKey());
    expect(() => openDeviceConfiguration(device, { attributes: { ...withContext(), ExecutionLevel: 2 } })).toThrow(
      expect.objectContaining({ status: STATUS_WDF_EXECUTION_LEVEL_INVALID }),
    );
    expect(device.childObjects().filter((c) => c.type === 'NETCONFIGURATION')).toHaveLength(0);
    const adapter = new NetAdapter(environment, adapterKey());
    expect(() => openAdapterConfiguration(adapter, { attributes: WDF_OBJECT_ATTRIBUTES_INIT() })).toThrow(
      expect.objectContaining({ status: STATUS_OBJECT_NAME_INVALID }),
    );
  });

  it('1809–2004 device: attached before the key open, so a failed open runs the cleanup callback; 2100 does not', () => {
    for (const [release, runs] of [
      ['2004', 1],
      ['2100', 0],
    ] as const) {
      const environment = new Environment({ release });
      const device = new WdfDevice(environment, adapterKey());
      let ran = 0;
      environment.failNext('WdfDeviceOpenRegistryKey', STATUS_OBJECT_NAME_NOT_FOUND);
      expect(() => openDeviceConfiguration(device, { attributes: { ...withContext(), EvtCleanupCallback: () => ran++ } })).toThrow();
      expect(ran, release).toBe(runs);
    }
  });
});

describe('callbacks of the query attributes belong to the objects created with them', () => {
  it('device QueryString: the WDFSTRING made before the failed read is deleted, so its cleanup callback runs', () => {
    const environment = new Environment({ release: '2100' });
    const out: { value: NetConfiguration | null } = { value: null };
    expect(NetDeviceOpenConfiguration(new WdfDevice(environment, adapterKey()), null, out)).toBe(STATUS_SUCCESS);
    let runs = 0;
    const text: { value: WdfString | null } = { value: null };
    const attributes = { ...WDF_OBJECT_ATTRIBUTES_INIT(), EvtCleanupCallback: () => runs++ };
    expect(NetConfigurationQueryString(out.value!, 'Absent', attributes, text)).toBe(STATUS_OBJECT_NAME_NOT_FOUND);
    expect(runs).toBe(1);
    expect(text.value?.deleted).toBe(true);
  });

  it('the idiomatic face attaches them too; they run when the configuration is closed', () => {
    const environment = new Environment({ release: '2100' });
    const config = openAdapterConfiguration(new NetAdapter(environment, adapterKey({ S: 'x' })));
    let runs = 0;
    config.queryString('S', undefined, { attributes: { EvtCleanupCallback: () => runs++ } });
    expect(runs).toBe(0);
    config.close();
    expect(runs).toBe(1);
  });
});
