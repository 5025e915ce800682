import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { Hive, ValueType, dumpHiveToString } from '../../src/hive/index.js';
import {
  NT_SUCCESS,
  NtStatusError,
  Registry,
  STATUS_BUFFER_OVERFLOW,
  STATUS_INVALID_PARAMETER,
  STATUS_OBJECT_NAME_INVALID,
  STATUS_OBJECT_NAME_NOT_FOUND,
  addNetworkAdapter,
  decodeDword,
  decodeMultiString,
  decodeQword,
  decodeString,
  encodeDword,
  encodeMultiString,
  encodeQword,
  encodeString,
  listNetworkAdapters,
  openNetworkAdapter,
  statusName,
} from '../../src/registry/index.js';
import { fixedClock, writeTemporary } from '../support/hives.js';
import { hivexDump, oraclesAvailable } from '../support/oracles.js';

function statusOf(action: () => unknown): number {
  try {
    action();
    return 0;
  } catch (error) {
    if (error instanceof NtStatusError) return error.status;
    throw error;
  }
}

describe('NTSTATUS', () => {
  it("has the Windows values, signed like C's LONG NTSTATUS, with names and NT_SUCCESS", () => {
    expect(STATUS_OBJECT_NAME_NOT_FOUND >>> 0).toBe(0xc0000034);
    expect(STATUS_OBJECT_NAME_NOT_FOUND).toBe(-1073741772);
    expect(STATUS_BUFFER_OVERFLOW).toBe(0x80000005 | 0);
    expect(STATUS_BUFFER_OVERFLOW < 0).toBe(true);
    expect(NT_SUCCESS(0)).toBe(true);
    expect(NT_SUCCESS(STATUS_BUFFER_OVERFLOW)).toBe(false);
    expect(NT_SUCCESS(0x40000000)).toBe(true);
    expect(statusName(0xc0000034)).toBe('STATUS_OBJECT_NAME_NOT_FOUND');
    expect(new NtStatusError(STATUS_INVALID_PARAMETER, 'x', 'A\\B').message).toBe('STATUS_INVALID_PARAMETER (0xC000000D): x [A\\B]');
  });
});

describe('registry keys and values', () => {
  const registry = (): Registry => new Registry(Hive.create({ clock: fixedClock }));

  it('opens keys case-insensitively through the Windows upcase table and reports missing ones', () => {
    const r = registry();
    r.createKey('Software\\Straße\\Ärger');
    expect(r.openKey('SOFTWARE\\straße\\ÄRGER').path).toBe('Software\\Straße\\Ärger');
    expect(statusOf(() => r.openKey('Software\\STRASSE'))).toBe(STATUS_OBJECT_NAME_NOT_FOUND);
    expect(statusOf(() => r.root().queryValue('missing'))).toBe(STATUS_OBJECT_NAME_NOT_FOUND);
    expect(statusOf(() => r.root().deleteValue('missing'))).toBe(STATUS_OBJECT_NAME_NOT_FOUND);
  });

  it('enforces the registry limits (reference silent: the statuses the Windows registry returns)', () => {
    const r = registry();
    expect(statusOf(() => r.createKey('x'.repeat(256)))).toBe(STATUS_INVALID_PARAMETER);
    expect(statusOf(() => r.createKey('x'.repeat(255)))).toBe(0);
    expect(statusOf(() => r.root().setValue('v'.repeat(16384), { type: 4, data: encodeDword(1) }))).toBe(STATUS_INVALID_PARAMETER);
    expect(statusOf(() => r.root().setValue('v'.repeat(16383), { type: 4, data: encodeDword(1) }))).toBe(0);
    const deep = Array.from({ length: 512 }, (_, i) => `k${i}`).join('\\');
    expect(statusOf(() => r.createKey(deep))).toBe(0);
    expect(statusOf(() => r.createKey(`${deep}\\one-too-many`))).toBe(STATUS_INVALID_PARAMETER);
    expect(STATUS_OBJECT_NAME_INVALID >>> 0).toBe(0xc0000033);
  });

  it('keeps every value byte: odd-length, unterminated and junk-tailed strings, 1-byte DWORDs, unknown types', () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 0xffffffff }), fc.uint8Array({ maxLength: 300 }), (type, data) => {
        const r = registry();
        r.root().setValue('v', { type, data });
        const back = new Registry(Hive.open(r.hive.serialize())).root().queryValue('V');
        expect(back.type).toBe(type);
        expect(back.data).toEqual(data);
      }),
      { numRuns: 200 },
    );
  });

  it('encodes and decodes the value types', () => {
    expect(decodeString(encodeString('ab'))).toBe('ab');
    expect(encodeString('ab').length).toBe(6);
    expect(encodeString('ab', false).length).toBe(4);
    expect(decodeString(Uint8Array.of(0x61, 0, 0, 0, 0x7a, 0))).toBe('a');
    expect(decodeMultiString(encodeMultiString(['a', 'b']))).toEqual(['a', 'b']);
    expect(encodeMultiString(['a', 'b']).length).toBe(10);
    expect(decodeMultiString(encodeMultiString([]))).toEqual([]);
    expect(decodeMultiString(Uint8Array.of(0x61, 0, 0, 0, 0, 0, 0x62, 0, 0, 0, 0, 0))).toEqual(['a']);
    expect(decodeDword({ type: ValueType.REG_DWORD, data: encodeDword(0xdeadbeef) })).toBe(0xdeadbeef);
    expect(decodeDword({ type: ValueType.REG_DWORD_BIG_ENDIAN, data: encodeDword(7, true) })).toBe(7);
    expect(decodeDword({ type: ValueType.REG_DWORD, data: Uint8Array.of(1) })).toBeUndefined();
    expect(decodeQword({ type: ValueType.REG_QWORD, data: encodeQword(-1n) })).toBe(0xffffffffffffffffn);
  });
});

describe('network adapters in a SYSTEM hive', () => {
  it('adds adapters to a new hive and finds them through Select\\Current', () => {
    const hive = Hive.create({ clock: fixedClock, rootName: 'SYSTEM' });
    addNetworkAdapter(hive, {
      description: 'First',
      netCfgInstanceId: '{00000000-0000-0000-0000-000000000001}',
      componentId: 'pci\\ven_1',
      values: { NetworkAddress: '021122334455' },
    });
    addNetworkAdapter(hive, { description: 'Second', netCfgInstanceId: '{00000000-0000-0000-0000-000000000002}', componentId: 'pci\\ven_2' });
    const registry = new Registry(hive);
    expect(listNetworkAdapters(registry).map((a) => [a.instance, a.description, a.networkAddress])).toEqual([
      ['0000', 'First', '021122334455'],
      ['0001', 'Second', null],
    ]);
    expect(openNetworkAdapter(registry, '1').path).toBe('ControlSet001\\Control\\Class\\{4d36e972-e325-11ce-bfc1-08002be10318}\\0001');
    expect(statusOf(() => openNetworkAdapter(registry, '7'))).toBe(STATUS_OBJECT_NAME_NOT_FOUND);
    expect(statusOf(() => listNetworkAdapters(new Registry(Hive.create())))).toBe(STATUS_OBJECT_NAME_NOT_FOUND);
  });

  it.skipIf(!oraclesAvailable('hivexDump'))('persists what the registry wrote exactly, as hivex reads it', () => {
    const hive = Hive.create({ clock: fixedClock });
    const key = addNetworkAdapter(hive, { description: 'A', netCfgInstanceId: '{x}', componentId: 'c' });
    key.setValue('*JumboPacket', { type: ValueType.REG_DWORD, data: encodeDword(9014) });
    expect(hivexDump(writeTemporary('registry-adapter.hiv', hive.serialize())).stdout).toBe(dumpHiveToString(hive));
  });
});
