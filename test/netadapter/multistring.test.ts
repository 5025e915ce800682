import { describe, expect, it } from 'vitest';
import { ValueType } from '../../src/hive/index.js';
import {
  type Environment,
  NetConfigurationAssignMultiString,
  NetConfigurationClose,
  NetConfigurationQueryMultiString,
  WdfCollection,
  WdfMemory,
  WdfString,
} from '../../src/netadapter/index.js';
import { STATUS_BUFFER_OVERFLOW, STATUS_INVALID_PARAMETER, STATUS_OBJECT_TYPE_MISMATCH, STATUS_SUCCESS, encodeString } from '../../src/registry/index.js';
import type { RegistryValue } from '../../src/registry/index.js';
import { openConfiguration } from '../support/netadapter.js';

const open = (backend: 'A' | 'D', values: Record<string, RegistryValue> = {}) => openConfiguration(backend, values);

const multi = (units: string): RegistryValue => ({ type: ValueType.REG_MULTI_SZ, data: encodeString(units, false) });
const strings = (collection: WdfCollection): string[] => collection.items.map((item) => (item as WdfString).value);

describe('NetConfigurationQueryMultiString', () => {
  it('case 21: "a\\0b\\0\\0" appends "a", "b" after the item already there (A and D)', () => {
    for (const backend of ['A', 'D'] as const) {
      const { config, environment } = open(backend, { M: multi('a\0b\0\0') });
      const collection = new WdfCollection(environment);
      collection.items.push(new WdfString(environment, collection, 'old'));
      expect(NetConfigurationQueryMultiString(config, 'M', null, collection)).toBe(STATUS_SUCCESS);
      expect(strings(collection)).toEqual(['old', 'a', 'b']);
    }
  });
  it('case 22: "a\\0\\0b\\0\\0" appends only "a"', () => {
    const { config, environment } = open('D', { M: multi('a\0\0b\0\0') });
    const collection = new WdfCollection(environment);
    NetConfigurationQueryMultiString(config, 'M', null, collection);
    expect(strings(collection)).toEqual(['a']);
  });
  it('case 23: "\\0\\0" appends nothing, with success', () => {
    const { config, environment } = open('A', { M: multi('\0\0') });
    const collection = new WdfCollection(environment);
    expect(NetConfigurationQueryMultiString(config, 'M', null, collection)).toBe(STATUS_SUCCESS);
    expect(collection.items).toEqual([]);
  });
  it('case 24: "a\\0" with one terminator → STATUS_OBJECT_TYPE_MISMATCH, collection unchanged', () => {
    const { config, environment } = open('D', { M: multi('a\0') });
    const collection = new WdfCollection(environment);
    expect(NetConfigurationQueryMultiString(config, 'M', null, collection)).toBe(STATUS_OBJECT_TYPE_MISMATCH);
    expect(collection.items).toEqual([]);
  });
  it('case 25: a REG_SZ → STATUS_OBJECT_TYPE_MISMATCH', () => {
    const { config, environment } = open('D', { M: { type: ValueType.REG_SZ, data: encodeString('a') } });
    expect(NetConfigurationQueryMultiString(config, 'M', null, new WdfCollection(environment))).toBe(STATUS_OBJECT_TYPE_MISMATCH);
  });
  it('case 26: device-path strings belong to the driver and outlive Close; adapter-path ones to the collection', () => {
    const device = open('D', { M: multi('a\0\0') });
    const deviceCollection = new WdfCollection(device.environment);
    NetConfigurationQueryMultiString(device.config, 'M', null, deviceCollection);
    NetConfigurationClose(device.config);
    expect(deviceCollection.items[0]!.deleted).toBe(false);
    expect(deviceCollection.items[0]!.parent).toBe(device.environment.driver);
    const adapter = open('A', { M: multi('a\0\0') });
    const adapterCollection = new WdfCollection(adapter.environment);
    NetConfigurationQueryMultiString(adapter.config, 'M', null, adapterCollection);
    expect(adapterCollection.items[0]!.parent).toBe(adapterCollection);
  });
});

describe('NetConfigurationAssignMultiString', () => {
  const collectionOf = (environment: Environment, items: string[]): WdfCollection => {
    const collection = new WdfCollection(environment);
    for (const item of items) collection.items.push(new WdfString(environment, collection, item));
    return collection;
  };
  it('case 35: A, ["a", "b"] → REG_MULTI_SZ "a\\0b\\0\\0", 10 bytes', () => {
    const { config, key, environment } = open('A');
    expect(NetConfigurationAssignMultiString(config, 'M', collectionOf(environment, ['a', 'b']))).toBe(STATUS_SUCCESS);
    expect(key.queryValue('M')).toEqual(multi('a\0b\0\0'));
    expect(key.queryValue('M').data.length).toBe(10);
  });
  it('case 36: an empty collection → A: a 2-byte value; D: 4 zero bytes (WDF source)', () => {
    const a = open('A');
    NetConfigurationAssignMultiString(a.config, 'M', new WdfCollection(a.environment));
    expect(Array.from(a.key.queryValue('M').data)).toEqual([0, 0]);
    const d = open('D');
    NetConfigurationAssignMultiString(d.config, 'M', new WdfCollection(d.environment));
    expect(Array.from(d.key.queryValue('M').data)).toEqual([0, 0, 0, 0]);
  });
  it('case 37: A, strings totalling 65,535 bytes or more → STATUS_BUFFER_OVERFLOW, nothing written', () => {
    const { config, key, environment } = open('A');
    const big = collectionOf(environment, ['x'.repeat(20000), 'y'.repeat(20000)]);
    expect(NetConfigurationAssignMultiString(config, 'M', big)).toBe(STATUS_BUFFER_OVERFLOW);
    expect(key.tryQueryValue('M')).toBeUndefined();
    // 2 + (32,764·2 + 2) = 65,532 bytes is still under the limit.
    expect(NetConfigurationAssignMultiString(config, 'M', collectionOf(environment, ['z'.repeat(32764)]))).toBe(STATUS_SUCCESS);
  });
  it('D, a non-string item → STATUS_INVALID_PARAMETER', () => {
    const { config, environment } = open('D');
    const collection = new WdfCollection(environment);
    collection.items.push(new WdfMemory(environment, collection, new Uint8Array(1)));
    expect(NetConfigurationAssignMultiString(config, 'M', collection)).toBe(STATUS_INVALID_PARAMETER);
  });
});
