import { describe, expect, it } from 'vitest';
import { ValueType } from '../../src/hive/index.js';
import {
  BugCheck,
  NetConfigurationAssignUnicodeString,
  NetConfigurationClose,
  NetConfigurationOpenSubConfiguration,
  NetConfigurationQueryLinkLayerAddress,
  NetConfigurationQueryString,
  NetConfigurationQueryUlong,
} from '../../src/netadapter/index.js';
import type { NetConfiguration, WdfString } from '../../src/netadapter/index.js';
import {
  STATUS_BUFFER_OVERFLOW,
  STATUS_OBJECT_NAME_NOT_FOUND,
  STATUS_OBJECT_TYPE_MISMATCH,
  STATUS_RESOURCE_DATA_NOT_FOUND,
  STATUS_SUCCESS,
  STATUS_UNSUCCESSFUL,
  encodeDword,
  encodeString,
} from '../../src/registry/index.js';
import type { RegistryKey, RegistryValue } from '../../src/registry/index.js';
import { openConfiguration } from '../support/netadapter.js';

function open(backend: 'A' | 'D', values: Record<string, RegistryValue> = {}, build?: (key: RegistryKey) => void) {
  return openConfiguration(backend, values, build === undefined ? {} : { build });
}

const sz = (s: string): RegistryValue => ({ type: ValueType.REG_SZ, data: encodeString(s) });
const query = (config: NetConfiguration, name: string): [number, WdfString | null] => {
  const out: { value: WdfString | null } = { value: null };
  return [NetConfigurationQueryString(config, name, null, out), out.value];
};

describe('NetConfigurationQueryString / AssignUnicodeString', () => {
  it('case 17: A/D, REG_SZ "abc" → a WDFSTRING "abc" child of the configuration, gone after Close', () => {
    for (const backend of ['A', 'D'] as const) {
      const { config } = open(backend, { S: sz('abc') });
      const [status, text] = query(config, 'S');
      expect(status).toBe(STATUS_SUCCESS);
      expect(text!.value).toBe('abc');
      expect(text!.parent).toBe(config);
      NetConfigurationClose(config);
      expect(text!.deleted).toBe(true);
    }
  });
  it('case 18: D, REG_DWORD → STATUS_OBJECT_TYPE_MISMATCH', () =>
    expect(query(open('D', { S: { type: ValueType.REG_DWORD, data: encodeDword(1) } }).config, 'S')[0]).toBe(STATUS_OBJECT_TYPE_MISMATCH));
  it('case 19: D, REG_SZ of 0 bytes → STATUS_RESOURCE_DATA_NOT_FOUND', () =>
    expect(query(open('D', { S: { type: ValueType.REG_SZ, data: new Uint8Array(0) } }).config, 'S')[0]).toBe(STATUS_RESOURCE_DATA_NOT_FOUND));
  it('case 20: D, REG_EXPAND_SZ "%X%" → the literal "%X%"', () => {
    const [status, text] = query(open('D', { S: { type: ValueType.REG_EXPAND_SZ, data: encodeString('%X%') } }).config, 'S');
    expect([status, text!.value]).toEqual([STATUS_SUCCESS, '%X%']);
  });
  it('D keeps embedded NULs and drops one trailing NUL', () => {
    expect(query(open('D', { S: { type: ValueType.REG_SZ, data: encodeString('a\0b') } }).config, 'S')[1]!.value).toBe('a\0b');
  });
  it('absent → STATUS_OBJECT_NAME_NOT_FOUND on both paths', () => {
    expect(query(open('A').config, 'S')[0]).toBe(STATUS_OBJECT_NAME_NOT_FOUND);
    expect(query(open('D').config, 'S')[0]).toBe(STATUS_OBJECT_NAME_NOT_FOUND);
  });
  it('case 32: D, AssignUnicodeString("S", "ab") → REG_SZ of 6 bytes (NUL appended)', () => {
    const { config, key } = open('D');
    expect(NetConfigurationAssignUnicodeString(config, 'S', 'ab')).toBe(STATUS_SUCCESS);
    expect(key.queryValue('S')).toEqual({ type: ValueType.REG_SZ, data: encodeString('ab') });
    expect(key.queryValue('S').data.length).toBe(6);
  });
});

describe('NetConfigurationOpenSubConfiguration', () => {
  it('case 38: D, missing subkey → STATUS_OBJECT_NAME_NOT_FOUND, *SubConfiguration NULL; A → STATUS_UNSUCCESSFUL', () => {
    const out: { value: NetConfiguration | null } = { value: null };
    expect(NetConfigurationOpenSubConfiguration(open('D').config, 'Sub', null, out)).toBe(STATUS_OBJECT_NAME_NOT_FOUND);
    expect(out.value).toBeNull();
    expect(NetConfigurationOpenSubConfiguration(open('A').config, 'Sub', null, out)).toBe(STATUS_UNSUCCESSFUL);
  });
  it('case 39: A/D, Sub\\V = 3 reads 3; the sub handle is invalid after the parent closes', () => {
    for (const backend of ['A', 'D'] as const) {
      const { config } = open(backend, {}, (key) => key.createSubkey('Sub').setValue('V', { type: ValueType.REG_DWORD, data: encodeDword(3) }));
      const sub: { value: NetConfiguration | null } = { value: null };
      expect(NetConfigurationOpenSubConfiguration(config, 'Sub', null, sub)).toBe(STATUS_SUCCESS);
      const value = { value: 0 };
      expect(NetConfigurationQueryUlong(sub.value!, 0, 'V', value)).toBe(STATUS_SUCCESS);
      expect(value.value).toBe(3);
      expect(sub.value!.backend).toBe(backend === 'A' ? 'adapter' : 'device');
      NetConfigurationClose(config);
      expect(() => NetConfigurationQueryUlong(sub.value!, 0, 'V', value)).toThrow(BugCheck);
    }
  });
});

describe('NetConfigurationQueryLinkLayerAddress', () => {
  const read = (config: NetConfiguration) => {
    const address = { Length: 99, Address: new Uint8Array(32).fill(0xee) };
    return { status: NetConfigurationQueryLinkLayerAddress(config, address), address };
  };
  it('cases 40, 41: "02-11-22-33-44-55" and "021122334455" → 6 bytes', () => {
    for (const text of ['02-11-22-33-44-55', '021122334455']) {
      const { status, address } = read(open('A', { NetworkAddress: sz(text) }).config);
      expect(status).toBe(STATUS_SUCCESS);
      expect(address.Length).toBe(6);
      expect(Array.from(address.Address.subarray(0, 8))).toEqual([2, 0x11, 0x22, 0x33, 0x44, 0x55, 0, 0]);
    }
  });
  it('case 42: broadcast, multicast and zero addresses pass unfiltered', () => {
    for (const text of ['FFFFFFFFFFFF', '010000000000', '000000000000'])
      expect(read(open('A', { NetworkAddress: sz(text) }).config).status).toBe(STATUS_SUCCESS);
  });
  it('case 43: absent or REG_DWORD → STATUS_UNSUCCESSFUL, the out structure untouched', () => {
    const cases: Record<string, RegistryValue>[] = [{}, { NetworkAddress: { type: ValueType.REG_DWORD, data: encodeDword(1) } }];
    for (const values of cases) {
      const { status, address } = read(open('A', values).config);
      expect(status).toBe(STATUS_UNSUCCESSFUL);
      expect(address.Length).toBe(99);
      expect(address.Address[0]).toBe(0xee);
    }
  });
  it('case 44: a 33-byte address → STATUS_BUFFER_OVERFLOW', () =>
    expect(read(open('A', { NetworkAddress: sz('ab'.repeat(33)) }).config).status).toBe(STATUS_BUFFER_OVERFLOW));
  it('case 45: on a device configuration → bug check 0x19E, P1 15 (ParameterCantBeNull)', () => {
    try {
      read(open('D', { NetworkAddress: sz('021122334455') }).config);
      expect.unreachable();
    } catch (error) {
      expect((error as BugCheck).parameters).toEqual([15, 0, 0, 0]);
    }
  });
  it("a sub-configuration reads its own subkey's NetworkAddress", () => {
    const { config } = open('A', {}, (key) => key.createSubkey('Port1').setValue('NetworkAddress', sz('0A0B0C0D0E0F')));
    const sub: { value: NetConfiguration | null } = { value: null };
    NetConfigurationOpenSubConfiguration(config, 'Port1', null, sub);
    expect(read(sub.value!).address.Address[0]).toBe(0x0a);
  });
});
