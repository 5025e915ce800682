import { describe, expect, it } from 'vitest';
import { ValueType, dumpHiveToString } from '../../src/hive/index.js';
import {
  BugCheck,
  DISPATCH_LEVEL,
  NetConfigurationAssignBinary,
  NetConfigurationAssignUlong,
  NetConfigurationClose,
  NetConfigurationQueryBinary,
  NetConfigurationQueryUlong,
} from '../../src/netadapter/index.js';
import type { NetConfiguration, Release } from '../../src/netadapter/index.js';
import {
  NT_SUCCESS,
  STATUS_BUFFER_OVERFLOW,
  STATUS_INVALID_PARAMETER,
  STATUS_NOT_FOUND,
  STATUS_OBJECT_NAME_NOT_FOUND,
  STATUS_OBJECT_TYPE_MISMATCH,
  STATUS_RESOURCE_DATA_NOT_FOUND,
  STATUS_SUCCESS,
  STATUS_UNSUCCESSFUL,
  encodeDword,
  encodeString,
} from '../../src/registry/index.js';
import type { RegistryValue } from '../../src/registry/index.js';
import { writeTemporary } from '../support/hives.js';
import { openConfiguration } from '../support/netadapter.js';
import { hivexDump, oraclesAvailable } from '../support/oracles.js';

/** Conformance cases of netadaptercx-config.md §9, for the calls implemented so far. */

type Setup = Record<string, RegistryValue>;

function open(backend: 'A' | 'D', values: Setup = {}, release: Release = '2100') {
  return openConfiguration(backend, values, { release });
}

const dword = (n: number): RegistryValue => ({ type: ValueType.REG_DWORD, data: encodeDword(n) });
const sz = (s: string): RegistryValue => ({ type: ValueType.REG_SZ, data: encodeString(s) });

function queryUlong(config: NetConfiguration, flags: number, name: string, preset = 0xdeadbeef): [number, number] {
  const value = { value: preset };
  const status = NetConfigurationQueryUlong(config, flags, name, value);
  return [status, value.value];
}

describe('NetConfigurationQueryUlong', () => {
  it('case 1: A, REG_DWORD 7 → SUCCESS, 7', () => expect(queryUlong(open('A', { Foo: dword(7) }).config, 0, 'Foo')).toEqual([STATUS_SUCCESS, 7]));
  it('case 2: D, REG_DWORD 7 → SUCCESS, 7', () => expect(queryUlong(open('D', { Foo: dword(7) }).config, 0, 'Foo')).toEqual([STATUS_SUCCESS, 7]));
  it('case 3: D, REG_DWORD 7 with the hex flag → STATUS_INVALID_PARAMETER', () =>
    expect(queryUlong(open('D', { Foo: dword(7) }).config, 1, 'Foo')[0]).toBe(STATUS_INVALID_PARAMETER));
  it('case 4: A, absent → STATUS_OBJECT_NAME_NOT_FOUND, value zeroed; 1703 → STATUS_UNSUCCESSFUL', () => {
    expect(queryUlong(open('A').config, 0, 'Foo')).toEqual([STATUS_OBJECT_NAME_NOT_FOUND, 0]);
    expect(queryUlong(open('A', {}, '1703').config, 0, 'Foo')).toEqual([STATUS_UNSUCCESSFUL, 0]);
  });
  it('case 5: D, absent → STATUS_OBJECT_NAME_NOT_FOUND, value untouched', () =>
    expect(queryUlong(open('D').config, 0, 'Foo')).toEqual([STATUS_OBJECT_NAME_NOT_FOUND, 0xdeadbeef]));
  it('case 6: D, absent with the hex flag → STATUS_INVALID_PARAMETER', () => expect(queryUlong(open('D').config, 1, 'Foo')[0]).toBe(STATUS_INVALID_PARAMETER));
  it('case 7: D, REG_SZ "10" → 10 / 16', () => {
    expect(queryUlong(open('D', { Foo: sz('10') }).config, 0, 'Foo')).toEqual([STATUS_SUCCESS, 10]);
    expect(queryUlong(open('D', { Foo: sz('10') }).config, 1, 'Foo')).toEqual([STATUS_SUCCESS, 16]);
  });
  it('case 8: D, REG_SZ "0x1A" with the hex flag → SUCCESS, 0', () =>
    expect(queryUlong(open('D', { Foo: sz('0x1A') }).config, 1, 'Foo')).toEqual([STATUS_SUCCESS, 0]));
  it('case 9: D, REG_SZ "  -1" → SUCCESS, 0xFFFFFFFF', () =>
    expect(queryUlong(open('D', { Foo: sz('  -1') }).config, 0, 'Foo')).toEqual([STATUS_SUCCESS, 0xffffffff]));
  it('case 10: D, REG_SZ "4294967296" → SUCCESS, 0', () =>
    expect(queryUlong(open('D', { Foo: sz('4294967296') }).config, 0, 'Foo')).toEqual([STATUS_SUCCESS, 0]));
  it('case 11: D, REG_SZ "12abc" / "abc" → 12 / 0', () => {
    expect(queryUlong(open('D', { Foo: sz('12abc') }).config, 0, 'Foo')).toEqual([STATUS_SUCCESS, 12]);
    expect(queryUlong(open('D', { Foo: sz('abc') }).config, 0, 'Foo')).toEqual([STATUS_SUCCESS, 0]);
  });
  it('case 12: D, REG_SZ "" (NUL only) → STATUS_INVALID_PARAMETER', () =>
    expect(queryUlong(open('D', { Foo: sz('') }).config, 0, 'Foo')[0]).toBe(STATUS_INVALID_PARAMETER));
  it('case 13: D, REG_BINARY 01 00 00 00 → STATUS_INVALID_PARAMETER', () => {
    expect(queryUlong(open('D', { Foo: { type: ValueType.REG_BINARY, data: Uint8Array.of(1, 0, 0, 0) } }).config, 0, 'Foo')[0]).toBe(STATUS_INVALID_PARAMETER);
  });
  it('case 14: A, REG_SZ "1" → SUCCESS, 1 ([NDIS-internal] conversion as RtlUnicodeStringToInteger)', () =>
    expect(queryUlong(open('A', { Foo: sz('1') }).config, 0, 'Foo')).toEqual([STATUS_SUCCESS, 1]));
  it('case 15: flags 2 → bug check 0x19E, P1 16 (2100), P2 2; P1 15 on 1903/2004', () => {
    for (const [release, p1] of [
      ['2100', 16],
      ['1903', 15],
      ['2004', 15],
      ['1809', 16],
    ] as const) {
      const { config } = open('A', {}, release);
      try {
        queryUlong(config, 2, 'Foo');
        expect.unreachable();
      } catch (error) {
        expect(error).toBeInstanceOf(BugCheck);
        expect((error as BugCheck).parameters).toEqual([p1, 2, 0, 0]);
      }
    }
  });
  it('case 16: any call at DISPATCH_LEVEL → bug check 0x19E, P1 1, P2 2', () => {
    const { config, environment } = open('D', { Foo: dword(1) });
    expect(() => environment.atIrql(DISPATCH_LEVEL, () => queryUlong(config, 0, 'Foo'))).toThrow(BugCheck);
    try {
      environment.atIrql(DISPATCH_LEVEL, () => NetConfigurationAssignUlong(config, 'Foo', 1));
      expect.unreachable();
    } catch (error) {
      expect((error as BugCheck).code).toBe(0x19e);
      expect((error as BugCheck).parameters.slice(0, 2)).toEqual([1, 2]);
    }
  });
  it('A: a non-integer type → STATUS_OBJECT_TYPE_MISMATCH (1803+)', () => {
    expect(queryUlong(open('A', { Foo: { type: ValueType.REG_BINARY, data: Uint8Array.of(1) } }).config, 0, 'Foo')[0]).toBe(STATUS_OBJECT_TYPE_MISMATCH);
  });
  it('D: a REG_DWORD of more than 4 bytes → STATUS_BUFFER_OVERFLOW', () => {
    expect(queryUlong(open('D', { Foo: { type: ValueType.REG_DWORD, data: new Uint8Array(8) } }).config, 0, 'Foo')[0]).toBe(STATUS_BUFFER_OVERFLOW);
  });
  it('case 49: D, the string fallback leaves one WDFSTRING per call on the configuration until Close', () => {
    const { config } = open('D', { Foo: sz('100') });
    for (let i = 0; i < 100; i++) queryUlong(config, 0, 'Foo');
    const strings = config.childObjects().filter((o) => o.type === 'WDFSTRING');
    expect(strings.length).toBe(100);
    NetConfigurationClose(config);
    expect(strings.every((s) => s.deleted)).toBe(true);
  });
});

describe('NetConfigurationAssignUlong / AssignBinary / QueryBinary', () => {
  it('case 30: A, AssignUlong("Foo", 5) then QueryUlong → 5', () => {
    const { config } = open('A');
    expect(NetConfigurationAssignUlong(config, 'Foo', 5)).toBe(STATUS_SUCCESS);
    expect(queryUlong(config, 0, 'Foo')).toEqual([STATUS_SUCCESS, 5]);
  });
  it('case 31: D, AssignUlong over a REG_SZ replaces it with REG_DWORD 5', () => {
    const { config, key } = open('D', { Foo: sz('x') });
    expect(NetConfigurationAssignUlong(config, 'Foo', 5)).toBe(STATUS_SUCCESS);
    expect(key.queryValue('Foo')).toEqual(dword(5));
  });
  it('case 33: A, AssignBinary of 65,535 bytes → STATUS_BUFFER_OVERFLOW, nothing written; 65,534 → SUCCESS', () => {
    const { config, key } = open('A');
    expect(NetConfigurationAssignBinary(config, 'B', new Uint8Array(65535), 65535)).toBe(STATUS_BUFFER_OVERFLOW);
    expect(NT_SUCCESS(STATUS_BUFFER_OVERFLOW)).toBe(false);
    expect(key.tryQueryValue('B')).toBeUndefined();
    expect(NetConfigurationAssignBinary(config, 'B', new Uint8Array(65534), 65534)).toBe(STATUS_SUCCESS);
    expect(key.queryValue('B').data.length).toBe(65534);
  });
  it('case 34: D, AssignBinary of length 0 → STATUS_INVALID_PARAMETER, nothing written', () => {
    const { config, key } = open('D');
    expect(NetConfigurationAssignBinary(config, 'B', new Uint8Array(4), 0)).toBe(STATUS_INVALID_PARAMETER);
    expect(key.tryQueryValue('B')).toBeUndefined();
  });
  it('case 27: A/D, QueryBinary of 3 bytes → a WDFMEMORY of 3 bytes, freed at Close', () => {
    for (const backend of ['A', 'D'] as const) {
      const { config } = open(backend, { B: { type: ValueType.REG_BINARY, data: Uint8Array.of(1, 2, 3) } });
      const memory: { value: import('../../src/netadapter/index.js').WdfMemory | null } = { value: null };
      expect(NetConfigurationQueryBinary(config, 'B', 0x200, null, memory)).toBe(STATUS_SUCCESS);
      expect(Array.from(memory.value!.buffer)).toEqual([1, 2, 3]);
      NetConfigurationClose(config);
      expect(memory.value!.deleted).toBe(true);
    }
  });
  it('case 28: REG_SZ "x" → A: STATUS_NOT_FOUND; D: SUCCESS with the 4 raw bytes', () => {
    const memory: { value: import('../../src/netadapter/index.js').WdfMemory | null } = { value: null };
    expect(NetConfigurationQueryBinary(open('A', { B: sz('x') }).config, 'B', 0, null, memory)).toBe(STATUS_NOT_FOUND);
    expect(NetConfigurationQueryBinary(open('D', { B: sz('x') }).config, 'B', 0, null, memory)).toBe(STATUS_SUCCESS);
    expect(Array.from(memory.value!.buffer)).toEqual([0x78, 0, 0, 0]);
  });
  it('case 29: REG_BINARY of 0 bytes → A: STATUS_INVALID_PARAMETER; D: STATUS_RESOURCE_DATA_NOT_FOUND', () => {
    const empty = { B: { type: ValueType.REG_BINARY, data: new Uint8Array(0) } };
    const memory: { value: import('../../src/netadapter/index.js').WdfMemory | null } = { value: null };
    expect(NetConfigurationQueryBinary(open('A', empty).config, 'B', 0, null, memory)).toBe(STATUS_INVALID_PARAMETER);
    expect(NetConfigurationQueryBinary(open('D', empty).config, 'B', 0, null, memory)).toBe(STATUS_RESOURCE_DATA_NOT_FOUND);
  });
  it('a handle used after Close is a WDF bug check, not a status', () => {
    const { config } = open('A', { Foo: dword(1) });
    NetConfigurationClose(config);
    expect(() => queryUlong(config, 0, 'Foo')).toThrow(BugCheck);
  });

  it.skipIf(!oraclesAvailable('hivexDump'))('persistence: after each Assign the saved hive holds the exact type and bytes, as hivex reads it', () => {
    const { config, hive } = open('A');
    NetConfigurationAssignUlong(config, 'U', 0x12345678);
    NetConfigurationAssignBinary(config, 'B', Uint8Array.of(9, 8, 7), 3);
    const dump = hivexDump(writeTemporary('netconfig-assign.hiv', hive.serialize())).stdout;
    expect(dump).toBe(dumpHiveToString(hive));
    expect(dump).toMatch(/\["U", 4, "78563412"\], \["B", 3, "090807"\]/);
  });
});

describe('the idiomatic face', () => {
  it('returns values and throws NtStatusError carrying the NTSTATUS', async () => {
    const { NtStatusError } = await import('../../src/registry/index.js');
    const { config } = open('D', { Foo: sz('1A') });
    expect(config.queryUlong('Foo', { hexString: true })).toBe(0x1a);
    expect(config.queryUlong('Foo')).toBe(1);
    config.assignBinary('Blob', Uint8Array.of(1, 2));
    expect(Array.from(config.queryBinary('Blob').buffer)).toEqual([1, 2]);
    try {
      config.queryUlong('Missing');
      expect.unreachable();
    } catch (error) {
      expect(error).toBeInstanceOf(NtStatusError);
      expect((error as InstanceType<typeof NtStatusError>).status).toBe(STATUS_OBJECT_NAME_NOT_FOUND);
    }
  });
});

describe('[NDIS-internal] choices and remaining table rows', () => {
  it('A: AssignUnicodeString stores REG_SZ with one NUL; AssignBinary of 0 bytes stores an empty REG_BINARY', async () => {
    const { NetConfigurationAssignUnicodeString } = await import('../../src/netadapter/index.js');
    const { config, key } = open('A');
    expect(NetConfigurationAssignUnicodeString(config, 'S', 'ab')).toBe(STATUS_SUCCESS);
    expect(key.queryValue('S')).toEqual(sz('ab'));
    expect(NetConfigurationAssignBinary(config, 'B', new Uint8Array(0), 0)).toBe(STATUS_SUCCESS);
    expect(key.queryValue('B')).toEqual({ type: ValueType.REG_BINARY, data: new Uint8Array(0) });
  });
  it('D: QueryString of more than 65,535 bytes → STATUS_INVALID_BUFFER_SIZE', async () => {
    const { NetConfigurationQueryString } = await import('../../src/netadapter/index.js');
    const { STATUS_INVALID_BUFFER_SIZE } = await import('../../src/registry/index.js');
    const { config } = open('D', { S: sz('x'.repeat(40000)) });
    expect(NetConfigurationQueryString(config, 'S', null, { value: null })).toBe(STATUS_INVALID_BUFFER_SIZE);
  });
  it('A: REG_SZ with the hex flag converts base 16 ([NDIS-internal] NdisParameterHexInteger)', () => {
    expect(queryUlong(open('A', { Foo: sz('ff') }).config, 1, 'Foo')).toEqual([STATUS_SUCCESS, 255]);
  });
});
