import { describe, expect, it } from 'vitest';
import { Hive } from '../../src/hive/index.js';
import {
  BugCheck,
  Environment,
  NetConfigurationOpenSubConfiguration,
  NetConfigurationQueryLinkLayerAddress,
  NetConfigurationQueryNetworkAddress,
  NetConfigurationQueryString,
  NetConfigurationQueryUlong,
  NetDeviceOpenConfiguration,
  NotInReleaseError,
  WdfDevice,
} from '../../src/netadapter/index.js';
import type { NetConfiguration } from '../../src/netadapter/index.js';
import {
  STATUS_BUFFER_TOO_SMALL,
  STATUS_INVALID_PARAMETER,
  STATUS_OBJECT_TYPE_MISMATCH,
  STATUS_SUCCESS,
  addNetworkAdapter,
  encodeDword,
  encodeString,
} from '../../src/registry/index.js';
import { openConfiguration } from '../support/netadapter.js';

/** §6: how releases differ, beyond the statuses the other suites check per release. */
describe('release profiles', () => {
  it('NetDeviceOpenConfiguration exists from 1809 on', () => {
    for (const release of ['1703', '1803'] as const) {
      const environment = new Environment({ release });
      const key = addNetworkAdapter(Hive.create(), { description: 'x', netCfgInstanceId: '{x}', componentId: 'c' });
      expect(() => NetDeviceOpenConfiguration(new WdfDevice(environment, key), null, { value: null })).toThrow(NotInReleaseError);
    }
    expect(openConfiguration('D', {}, { release: '1809' }).config.backend).toBe('device');
  });

  it('1703 has QueryNetworkAddress (a buffer API) instead of QueryLinkLayerAddress', () => {
    const { config } = openConfiguration('A', { NetworkAddress: { type: 1, data: encodeString('021122334455') } }, { release: '1703' });
    expect(() => NetConfigurationQueryLinkLayerAddress(config, { Length: 0, Address: new Uint8Array(32) })).toThrow(NotInReleaseError);
    const needed = { value: 0 };
    expect(NetConfigurationQueryNetworkAddress(config, 0, null, needed)).toBe(STATUS_BUFFER_TOO_SMALL);
    expect(needed.value).toBe(6);
    expect(NetConfigurationQueryNetworkAddress(config, 0, new Uint8Array(6), needed)).toBe(STATUS_INVALID_PARAMETER);
    const buffer = new Uint8Array(6);
    expect(NetConfigurationQueryNetworkAddress(config, 6, buffer, needed)).toBe(STATUS_SUCCESS);
    expect(Array.from(buffer)).toEqual([2, 0x11, 0x22, 0x33, 0x44, 0x55]);
    expect(() => NetConfigurationQueryNetworkAddress(config, 6, buffer, null)).toThrow(BugCheck);
    const modern = openConfiguration('A', {}, { release: '2100' }).config;
    expect(() => NetConfigurationQueryNetworkAddress(modern, 6, buffer, needed)).toThrow(NotInReleaseError);
  });

  it("before 2100 a device configuration's sub-configuration is broken (NULL NDIS handle); 2100 fixed it", () => {
    const build = (key: import('../../src/registry/index.js').RegistryKey) => key.createSubkey('Sub').setValue('V', { type: 4, data: encodeDword(3) });
    for (const release of ['1809', '1903', '2004'] as const) {
      const { config } = openConfiguration('D', {}, { release, build });
      const sub: { value: NetConfiguration | null } = { value: null };
      expect(NetConfigurationOpenSubConfiguration(config, 'Sub', null, sub)).toBe(STATUS_SUCCESS);
      expect(() => NetConfigurationQueryUlong(sub.value!, 0, 'V', { value: 0 })).toThrow(BugCheck);
    }
    const { config } = openConfiguration('D', {}, { release: '2100', build });
    const sub: { value: NetConfiguration | null } = { value: null };
    NetConfigurationOpenSubConfiguration(config, 'Sub', null, sub);
    const value = { value: 0 };
    expect(NetConfigurationQueryUlong(sub.value!, 0, 'V', value)).toBe(STATUS_SUCCESS);
    expect(value.value).toBe(3);
  });
});

describe('device-path QueryString handles', () => {
  it('case 18: a failed device QueryString leaves a stale (deleted) handle in *WdfString', () => {
    const { config } = openConfiguration('D', { S: { type: 4, data: encodeDword(1) } });
    const out: { value: import('../../src/netadapter/index.js').WdfString | null } = { value: null };
    expect(NetConfigurationQueryString(config, 'S', null, out)).toBe(STATUS_OBJECT_TYPE_MISMATCH);
    expect(out.value).not.toBeNull();
    expect(out.value!.deleted).toBe(true);
    const adapter = openConfiguration('A', { S: { type: 4, data: encodeDword(1) } });
    const untouched: { value: import('../../src/netadapter/index.js').WdfString | null } = { value: null };
    NetConfigurationQueryString(adapter.config, 'S', null, untouched);
    expect(untouched.value).toBeNull();
  });

  it('1809/1903: QueryString reports success on failure, and QueryUlong with the hex flag on an absent value crashes', () => {
    for (const release of ['1809', '1903'] as const) {
      const { config } = openConfiguration('D', { D: { type: 4, data: encodeDword(1) } }, { release });
      const out: { value: import('../../src/netadapter/index.js').WdfString | null } = { value: null };
      expect(NetConfigurationQueryString(config, 'missing', null, out)).toBe(STATUS_SUCCESS);
      expect(out.value!.deleted).toBe(true);
      expect(() => NetConfigurationQueryUlong(config, 1, 'missing', { value: 0 })).toThrow(BugCheck);
      expect(() => NetConfigurationQueryUlong(config, 1, 'D', { value: 0 })).toThrow(BugCheck);
      const value = { value: 0 };
      expect(NetConfigurationQueryUlong(config, 0, 'D', value)).toBe(STATUS_SUCCESS);
    }
    const fixed = openConfiguration('D', {}, { release: '2004' }).config;
    expect(NetConfigurationQueryUlong(fixed, 1, 'missing', { value: 0 })).toBe(STATUS_INVALID_PARAMETER);
  });

  it('1809–2004: an attribute failure on the device path leaks the configuration; 2100 deletes it', () => {
    for (const [release, leaked] of [
      ['2004', true],
      ['2100', false],
    ] as const) {
      const environment = new Environment({ release });
      const device = new WdfDevice(environment, addNetworkAdapter(Hive.create(), { description: 'x', netCfgInstanceId: '{x}', componentId: 'c' }));
      const out: { value: NetConfiguration | null } = { value: null };
      expect(NetDeviceOpenConfiguration(device, { Size: 56 }, out) >>> 0).toBe(0xc0000033);
      expect(out.value).toBeNull();
      expect(device.childObjects().length).toBe(leaked ? 1 : 0);
    }
  });
});
