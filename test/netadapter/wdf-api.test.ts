import { afterEach, describe, expect, it } from 'vitest';
import { ValueType } from '../../src/hive/index.js';
import {
  BugCheck,
  CUsageError,
  Environment,
  NET_ADAPTER_LINK_LAYER_ADDRESS_INIT,
  NetConfigurationAssignBinary,
  NetConfigurationAssignMultiString,
  NetConfigurationAssignUlong,
  NetConfigurationAssignUnicodeString,
  NetConfigurationClose,
  NetConfigurationOpenSubConfiguration,
  NetConfigurationQueryBinary,
  NetConfigurationQueryLinkLayerAddress,
  NetConfigurationQueryMultiString,
  NetConfigurationQueryString,
  NetConfigurationQueryUlong,
  NetDeviceOpenConfiguration,
  NonPagedPoolNx,
  RtlCompareUnicodeString,
  RtlCopyUnicodeString,
  RtlEqualUnicodeString,
  RtlInitUnicodeString,
  RtlUnicodeStringInit,
  SYSTEM_THREAD_EXCEPTION_NOT_HANDLED,
  UNICODE_STRING_EMPTY,
  WDF_INVALID_HANDLE,
  WDF_OBJECT_ATTRIBUTES_INIT,
  WDF_REQUIRED_PARAMETER_IS_NULL,
  WDF_VIOLATION,
  WdfBindDriverGlobals,
  WdfCollectionAdd,
  WdfCollectionCreate,
  WdfCollectionGetCount,
  WdfCollectionGetFirstItem,
  WdfCollectionGetItem,
  WdfCollectionGetLastItem,
  WdfCollectionRemove,
  WdfCollectionRemoveItem,
  WdfDevice,
  WdfExecutionLevelDispatch,
  WdfExecutionLevelPassive,
  WdfMemoryCopyToBuffer,
  WdfMemoryCreate,
  WdfMemoryGetBuffer,
  WdfObjectDelete,
  WdfStringCreate,
  WdfStringGetUnicodeString,
  WdfSynchronizationScopeDevice,
  WdfSynchronizationScopeNone,
  unicodeStringText,
  validateObjectAttributes,
  validateUnicodeString,
  wideString,
} from '../../src/netadapter/index.js';
import type { NetConfiguration, UNICODE_STRING, WDF_OBJECT_ATTRIBUTES, WdfCollection, WdfMemory, WdfString } from '../../src/netadapter/index.js';
import {
  NT_SUCCESS,
  STATUS_BUFFER_TOO_SMALL,
  STATUS_INFO_LENGTH_MISMATCH,
  STATUS_INTEGER_OVERFLOW,
  STATUS_INVALID_PARAMETER,
  STATUS_OBJECT_NAME_INVALID,
  STATUS_OBJECT_NAME_NOT_FOUND,
  STATUS_SUCCESS,
  STATUS_WDF_EXECUTION_LEVEL_INVALID,
  STATUS_WDF_OBJECT_ATTRIBUTES_INVALID,
  STATUS_WDF_PARENT_ASSIGNMENT_NOT_ALLOWED,
  STATUS_WDF_PARENT_NOT_SPECIFIED,
  STATUS_WDF_SYNCHRONIZATION_SCOPE_INVALID,
  encodeMultiString,
  encodeString,
  formatNtStatus,
  statusName,
  toNtStatus,
} from '../../src/registry/index.js';
import { openConfiguration } from '../support/netadapter.js';

afterEach(() => {
  WdfBindDriverGlobals(undefined);
});

/** A UNICODE_STRING with explicit fields, the way hand-built C structs look. */
const us = (Length: number, MaximumLength: number, Buffer: Uint16Array | null): UNICODE_STRING => ({ Length, MaximumLength, Buffer });

/** The bug check a call raises, or undefined. */
function bugCheckOf(action: () => unknown): BugCheck | undefined {
  try {
    action();
  } catch (error) {
    if (error instanceof BugCheck) return error;
    throw error;
  }
  return undefined;
}

describe('NTSTATUS is signed, as C declares it (LONG)', () => {
  it('a ported `if (status < 0)` takes the failure branch, NT_SUCCESS agrees, and the hex form reads as in C', () => {
    const { config } = openConfiguration('A');
    const status = NetConfigurationQueryUlong(config, 0, 'Missing', { value: 0 });
    expect(status).toBe(STATUS_OBJECT_NAME_NOT_FOUND);
    expect(status < 0).toBe(true);
    expect(NT_SUCCESS(status)).toBe(false);
    expect(status).toBe(toNtStatus(0xc0000034));
    expect(formatNtStatus(status)).toBe('0xC0000034');
    expect(statusName(0xc0000034)).toBe('STATUS_OBJECT_NAME_NOT_FOUND');
    expect(NetConfigurationAssignUlong(config, 'Present', 1) < 0).toBe(false);
  });
});

describe('UNICODE_STRING and the Rtl helpers', () => {
  it('RtlInitUnicodeString: Length up to the NUL, MaximumLength + 2, NULL → 0/0/NULL, long sources capped at 0xFFFC/0xFFFE', () => {
    const s = UNICODE_STRING_EMPTY();
    RtlInitUnicodeString(s, 'Foo');
    expect([s.Length, s.MaximumLength, Array.from(s.Buffer!)]).toEqual([6, 8, [0x46, 0x6f, 0x6f, 0]]);
    const units = Uint16Array.of(0x61, 0, 0x62, 0);
    RtlInitUnicodeString(s, units);
    expect([s.Length, s.MaximumLength, s.Buffer === units]).toEqual([2, 4, true]);
    RtlInitUnicodeString(s, null);
    expect(s).toEqual({ Length: 0, MaximumLength: 0, Buffer: null });
    RtlInitUnicodeString(s, 'x'.repeat(40000));
    expect([s.Length, s.MaximumLength]).toEqual([0xfffc, 0xfffe]);
  });

  it('RtlUnicodeStringInit: 32,766 characters fit, 32,767 are STATUS_INVALID_PARAMETER with the destination zeroed', () => {
    const s = UNICODE_STRING_EMPTY();
    expect(RtlUnicodeStringInit(s, 'y'.repeat(32766))).toBe(STATUS_SUCCESS);
    expect([s.Length, s.MaximumLength]).toEqual([65532, 65534]);
    expect(RtlUnicodeStringInit(s, 'y'.repeat(32767))).toBe(STATUS_INVALID_PARAMETER);
    expect(s).toEqual({ Length: 0, MaximumLength: 0, Buffer: null });
  });

  it('RtlCopyUnicodeString copies up to MaximumLength and NUL-terminates when room is left', () => {
    const buffer = new Uint16Array(4).fill(0xffff);
    const dest = us(0, 8, buffer);
    RtlCopyUnicodeString(dest, 'abcdef');
    expect([dest.Length, unicodeStringText(dest)]).toEqual([8, 'abcd']);
    RtlCopyUnicodeString(dest, 'ab');
    expect([dest.Length, Array.from(buffer.subarray(0, 3))]).toEqual([4, [0x61, 0x62, 0]]);
    RtlCopyUnicodeString(dest, null);
    expect(dest.Length).toBe(0);
    expect(() => RtlCopyUnicodeString(us(0, 10, new Uint16Array(2)), 'abc')).toThrow(CUsageError);
  });

  it('RtlCompareUnicodeString / RtlEqualUnicodeString, case-insensitively through the upcase table', () => {
    expect(RtlCompareUnicodeString('abc', 'abd', false)).toBeLessThan(0);
    expect(RtlCompareUnicodeString('ab', 'abc', false)).toBe(-2); // the Lengths' difference, in bytes
    expect(RtlCompareUnicodeString('b', 'a', false)).toBe(1);
    expect(RtlCompareUnicodeString('ABC', 'abc', false)).not.toBe(0);
    expect(RtlEqualUnicodeString('Straße', 'STRASSE', true)).toBe(false);
    const s = UNICODE_STRING_EMPTY();
    RtlInitUnicodeString(s, 'ärger');
    expect(RtlEqualUnicodeString(s, 'ÄRGER', true)).toBe(true);
  });

  it("FxValidateUnicodeString's four rules, each alone (fxvalidatefunctions.hpp:114-160)", () => {
    const b = wideString('abcd');
    expect(validateUnicodeString(us(4, 10, b))).toBe(STATUS_SUCCESS);
    expect(validateUnicodeString(us(3, 10, b))).toBe(STATUS_INVALID_PARAMETER); // odd Length
    expect(validateUnicodeString(us(4, 9, b))).toBe(STATUS_INVALID_PARAMETER); // odd MaximumLength
    expect(validateUnicodeString(us(0, 2, null))).toBe(STATUS_INVALID_PARAMETER); // NULL Buffer, MaximumLength > 0
    expect(validateUnicodeString(us(6, 4, b))).toBe(STATUS_INVALID_PARAMETER); // Length > MaximumLength
    expect(validateUnicodeString(us(2, 0, null))).toBe(STATUS_INVALID_PARAMETER); // NULL Buffer, Length 2, Maximum 0
    expect(validateUnicodeString(us(0, 0, null))).toBe(STATUS_SUCCESS); // the empty string
    expect(validateUnicodeString('anything')).toBe(STATUS_SUCCESS);
  });
});

describe('UNICODE_STRING names on the C face', () => {
  const name = (text: string): UNICODE_STRING => {
    const s = UNICODE_STRING_EMPTY();
    RtlInitUnicodeString(s, text);
    return s;
  };

  it('a well-formed UNICODE_STRING addresses the same value a plain string does, on both backends', () => {
    for (const backend of ['A', 'D'] as const) {
      const { config, key } = openConfiguration(backend);
      expect(NetConfigurationAssignUlong(config, name('Speed'), 100)).toBe(STATUS_SUCCESS);
      const out = { value: 0 };
      expect(NetConfigurationQueryUlong(config, 0, 'Speed', out)).toBe(STATUS_SUCCESS);
      expect(out.value).toBe(100);
      // Only Length counts: a buffer with more after it names "Sp".
      expect(NetConfigurationAssignUlong(config, us(4, 12, wideString('Speed')), 7)).toBe(STATUS_SUCCESS);
      expect(key.tryQueryValue('Sp')?.type).toBe(ValueType.REG_DWORD);
    }
  });

  it('device backend: each malformed ValueName is STATUS_INVALID_PARAMETER and nothing is written', () => {
    const { config, key } = openConfiguration('D', { Foo: { type: ValueType.REG_SZ, data: encodeString('x') } });
    const bad = [us(3, 8, wideString('Foo')), us(6, 7, wideString('Foo')), us(0, 2, null), us(8, 6, wideString('Foo'))];
    for (const n of bad) {
      expect(NetConfigurationAssignUlong(config, n, 1)).toBe(STATUS_INVALID_PARAMETER);
      expect(NetConfigurationQueryUlong(config, 0, n, { value: 5 })).toBe(STATUS_INVALID_PARAMETER);
      expect(NetConfigurationAssignBinary(config, n, Uint8Array.of(1), 1)).toBe(STATUS_INVALID_PARAMETER);
      expect(NetConfigurationAssignUnicodeString(config, 'Ok', n)).toBe(STATUS_INVALID_PARAMETER);
      expect(NetConfigurationOpenSubConfiguration(config, n, null, { value: null })).toBe(STATUS_INVALID_PARAMETER);
    }
    expect(key.tryQueryValue('Ok')).toBeUndefined();
    expect(key.tryQueryValue('Foo')?.type).toBe(ValueType.REG_SZ);
  });

  it('device QueryString with a refused name: *WdfString holds the deleted string (2004+); 1809 reports success with it', () => {
    const { config } = openConfiguration('D');
    const out: { value: WdfString | null } = { value: null };
    expect(NetConfigurationQueryString(config, us(1, 2, wideString('S')), null, out)).toBe(STATUS_INVALID_PARAMETER);
    expect(out.value?.deleted).toBe(true);
    const old = openConfiguration('D', {}, { release: '1809' }).config;
    expect(NetConfigurationQueryString(old, us(1, 2, wideString('S')), null, out)).toBe(STATUS_SUCCESS);
    expect(out.value?.deleted).toBe(true);
  });

  it('device QueryUlong with the hex flag and a refused name leaves its WDFSTRING under the configuration; 1809 crashes', () => {
    const { config } = openConfiguration('D');
    expect(NetConfigurationQueryUlong(config, 1, us(1, 2, wideString('S')), { value: 0 })).toBe(STATUS_INVALID_PARAMETER);
    expect(config.childObjects().map((c) => c.type)).toEqual(['WDFSTRING']);
    const old = openConfiguration('D', {}, { release: '1809' }).config;
    expect(bugCheckOf(() => NetConfigurationQueryUlong(old, 1, us(1, 2, wideString('S')), { value: 0 }))?.code).toBe(WDF_VIOLATION);
  });

  it('adapter backend: NDIS reads Length / 2 units unchecked; a NULL Buffer with a Length is a NULL dereference', () => {
    const { config, key } = openConfiguration('A');
    expect(NetConfigurationAssignUlong(config, us(7, 4, wideString('Foo')), 3)).toBe(STATUS_SUCCESS);
    expect(key.tryQueryValue('Foo')?.type).toBe(ValueType.REG_DWORD);
    expect(bugCheckOf(() => NetConfigurationAssignUlong(config, us(2, 2, null), 1))?.code).toBe(SYSTEM_THREAD_EXCEPTION_NOT_HANDLED);
  });

  it('a Length past the end of the Buffer, or a bufferLength past the buffer, is a CUsageError, not a truncation', () => {
    const { config, key } = openConfiguration('A');
    expect(() => NetConfigurationAssignUlong(config, us(20, 20, wideString('ab')), 1)).toThrow(CUsageError);
    expect(() => NetConfigurationAssignBinary(config, 'B', new Uint8Array(16), 17)).toThrow(/BufferLength is 17 but Buffer holds 16 bytes/);
    expect(() => NetConfigurationAssignBinary(config, 'B', new Uint8Array(16), 1.5)).toThrow(CUsageError);
    expect(key.tryQueryValue('B')).toBeUndefined();
    expect(NetConfigurationAssignBinary(config, 'B', new Uint8Array(16), 16)).toBe(STATUS_SUCCESS);
  });
});

describe('NET_ADAPTER_LINK_LAYER_ADDRESS is filled in place', () => {
  it("the caller's Address array receives the bytes (rest zeroed); on failure it is untouched", () => {
    const { config } = openConfiguration('A', { NetworkAddress: { type: ValueType.REG_SZ, data: encodeString('02-11-22-33-44-55') } });
    const address = NET_ADAPTER_LINK_LAYER_ADDRESS_INIT();
    address.Address.fill(0xee);
    const array = address.Address;
    expect(NetConfigurationQueryLinkLayerAddress(config, address)).toBe(STATUS_SUCCESS);
    expect(address.Address).toBe(array);
    expect([address.Length, Array.from(array.subarray(0, 7))]).toEqual([6, [2, 0x11, 0x22, 0x33, 0x44, 0x55, 0]]);
    const missing = openConfiguration('A').config;
    array.fill(0xee);
    expect(NetConfigurationQueryLinkLayerAddress(missing, address) < 0).toBe(true);
    expect([address.Length, array[0]]).toEqual([6, 0xee]);
    expect(() => NetConfigurationQueryLinkLayerAddress(config, { Length: 0, Address: new Uint8Array(6) })).toThrow(CUsageError);
  });
});

describe('WDF_OBJECT_ATTRIBUTES (FxValidateObjectAttributes, fxvalidatefunctions.cpp:45-220)', () => {
  const attrs = (fields: Partial<WDF_OBJECT_ATTRIBUTES>): WDF_OBJECT_ATTRIBUTES => ({ ...WDF_OBJECT_ATTRIBUTES_INIT(), ...fields });

  it('each rule, in KMDF order', () => {
    expect(validateObjectAttributes(null)).toBe(STATUS_SUCCESS);
    expect(validateObjectAttributes(null, 8)).toBe(STATUS_WDF_PARENT_NOT_SPECIFIED);
    expect(validateObjectAttributes(attrs({}))).toBe(STATUS_SUCCESS);
    expect(validateObjectAttributes(attrs({ Size: 48 }))).toBe(STATUS_INFO_LENGTH_MISMATCH);
    expect(validateObjectAttributes(attrs({ ContextTypeInfo: { Size: 32, ContextName: 'C' } }))).toBe(STATUS_INFO_LENGTH_MISMATCH);
    expect(validateObjectAttributes(attrs({ ContextTypeInfo: { Size: 24, ContextName: 'C' } }))).toBe(STATUS_SUCCESS);
    expect(validateObjectAttributes(attrs({ ContextTypeInfo: { ContextName: null, ContextSize: 8 } }))).toBe(STATUS_WDF_OBJECT_ATTRIBUTES_INVALID);
    expect(validateObjectAttributes(attrs({ ContextTypeInfo: { ContextName: null, ContextSize: 0 } }))).toBe(STATUS_SUCCESS);
    expect(validateObjectAttributes(attrs({ ContextSizeOverride: 16 }))).toBe(STATUS_WDF_OBJECT_ATTRIBUTES_INVALID);
    expect(validateObjectAttributes(attrs({ ContextSizeOverride: 4, ContextTypeInfo: { ContextName: 'C', ContextSize: 8 } }))).toBe(
      STATUS_WDF_OBJECT_ATTRIBUTES_INVALID,
    );
    expect(validateObjectAttributes(attrs({ ContextSizeOverride: 16, ContextTypeInfo: { ContextName: 'C', ContextSize: 8 } }))).toBe(STATUS_SUCCESS);
    expect(validateObjectAttributes(attrs({ ExecutionLevel: 0 }))).toBe(STATUS_WDF_OBJECT_ATTRIBUTES_INVALID);
    expect(validateObjectAttributes(attrs({ ExecutionLevel: 4 }))).toBe(STATUS_WDF_OBJECT_ATTRIBUTES_INVALID);
    expect(validateObjectAttributes(attrs({ SynchronizationScope: 0 }))).toBe(STATUS_WDF_OBJECT_ATTRIBUTES_INVALID);
    expect(validateObjectAttributes(attrs({ SynchronizationScope: 5 }))).toBe(STATUS_WDF_OBJECT_ATTRIBUTES_INVALID);
    expect(validateObjectAttributes(attrs({ SynchronizationScope: WdfSynchronizationScopeDevice }))).toBe(STATUS_WDF_SYNCHRONIZATION_SCOPE_INVALID);
    expect(validateObjectAttributes(attrs({ SynchronizationScope: WdfSynchronizationScopeNone }))).toBe(STATUS_SUCCESS);
    expect(validateObjectAttributes(attrs({ SynchronizationScope: WdfSynchronizationScopeDevice }), 4)).toBe(STATUS_SUCCESS);
    expect(validateObjectAttributes(attrs({ ExecutionLevel: WdfExecutionLevelPassive }))).toBe(STATUS_WDF_EXECUTION_LEVEL_INVALID);
    expect(validateObjectAttributes(attrs({ ExecutionLevel: WdfExecutionLevelDispatch }), 2)).toBe(STATUS_SUCCESS);
    // Order: scope before level, size before everything.
    expect(validateObjectAttributes(attrs({ ExecutionLevel: 2, SynchronizationScope: 2 }))).toBe(STATUS_WDF_SYNCHRONIZATION_SCOPE_INVALID);
    expect(validateObjectAttributes(attrs({ Size: 0, ExecutionLevel: 0 }))).toBe(STATUS_INFO_LENGTH_MISMATCH);
  });

  it('on open (WdfObjectAllocateContext): parent refused before the level checks; levels before the missing context type', () => {
    const environment = new Environment();
    const open = (a: WDF_OBJECT_ATTRIBUTES): number => {
      const { key } = openConfiguration('D');
      return NetDeviceOpenConfiguration(new WdfDevice(environment, key), a, { value: null });
    };
    const ctx = { ContextName: 'CTX', ContextSize: 8 };
    expect(open(attrs({ ContextTypeInfo: ctx, ParentObject: environment.driver, ExecutionLevel: 0 }))).toBe(STATUS_WDF_PARENT_ASSIGNMENT_NOT_ALLOWED);
    expect(open(attrs({ ExecutionLevel: WdfExecutionLevelPassive }))).toBe(STATUS_WDF_EXECUTION_LEVEL_INVALID);
    expect(open(attrs({ ExecutionLevel: 0 }))).toBe(STATUS_WDF_OBJECT_ATTRIBUTES_INVALID);
    expect(open(attrs({}))).toBe(STATUS_OBJECT_NAME_INVALID);
    expect(open(attrs({ ContextTypeInfo: ctx }))).toBe(STATUS_SUCCESS);
  });

  it('EvtCleanupCallback then EvtDestroyCallback run at delete, children before parents; never for a refused open', () => {
    const { config, environment } = openConfiguration('A', { S: { type: ValueType.REG_SZ, data: encodeString('abc') } });
    const calls: string[] = [];
    const watch = (tag: string): WDF_OBJECT_ATTRIBUTES =>
      attrs({ EvtCleanupCallback: () => calls.push(`cleanup ${tag}`), EvtDestroyCallback: () => calls.push(`destroy ${tag}`) });
    const sub = { value: null as NetConfiguration | null };
    const out: { value: WdfString | null } = { value: null };
    expect(NetConfigurationQueryString(config, 'S', watch('string'), out)).toBe(STATUS_SUCCESS);
    expect(NetConfigurationOpenSubConfiguration(config, 'missing', watch('sub'), sub)).not.toBe(STATUS_SUCCESS);
    WdfBindDriverGlobals(environment);
    const collection = { value: null as WdfCollection | null };
    expect(WdfCollectionCreate(attrs({ ...watch('collection'), ParentObject: config }), collection)).toBe(STATUS_SUCCESS);
    NetConfigurationClose(config);
    expect(calls).toEqual(['cleanup collection', 'destroy collection', 'cleanup string', 'destroy string']);
  });

  it('query calls: the device path checks the attributes before the read, the adapter path after it', () => {
    const bad = attrs({ Size: 8 });
    const out: { value: WdfString | null } = { value: null };
    const memory: { value: WdfMemory | null } = { value: null };
    const device = openConfiguration('D').config;
    out.value = 'previous' as unknown as WdfString;
    expect(NetConfigurationQueryString(device, 'Missing', bad, out)).toBe(STATUS_INFO_LENGTH_MISMATCH);
    expect(out.value).toBeNull(); // WdfStringCreate cleared *WdfString first
    expect(NetConfigurationQueryBinary(device, 'Missing', NonPagedPoolNx, bad, memory)).toBe(STATUS_INFO_LENGTH_MISMATCH);
    const adapter = openConfiguration('A', {
      S: { type: ValueType.REG_SZ, data: encodeString('abc') },
      M: { type: ValueType.REG_MULTI_SZ, data: encodeMultiString(['a', 'b']) },
    });
    expect(NetConfigurationQueryString(adapter.config, 'Missing', bad, out)).toBe(STATUS_OBJECT_NAME_NOT_FOUND);
    expect(NetConfigurationQueryString(adapter.config, 'S', bad, out)).toBe(STATUS_INFO_LENGTH_MISMATCH);
    WdfBindDriverGlobals(adapter.environment);
    const collection = { value: null as WdfCollection | null };
    WdfCollectionCreate(null, collection);
    expect(NetConfigurationQueryMultiString(adapter.config, 'M', attrs({ ExecutionLevel: 2 }), collection.value!)).toBe(STATUS_WDF_EXECUTION_LEVEL_INVALID);
    expect(WdfCollectionGetCount(collection.value!)).toBe(0);
    expect(adapter.config.childObjects()).toEqual([]);
  });
});

describe('WDFCOLLECTION', () => {
  it('create (default parent: the driver), add, count, get, remove; deleting the parent deletes it', () => {
    const environment = new Environment();
    WdfBindDriverGlobals(environment);
    const out = { value: null as WdfCollection | null };
    expect(WdfCollectionCreate(null, out)).toBe(STATUS_SUCCESS);
    const collection = out.value!;
    expect(collection.parent).toBe(environment.driver);
    const [a, b, c] = ['a', 'b', 'c'].map((t) => {
      const s = { value: null as WdfString | null };
      WdfStringCreate(t, null, s);
      return s.value!;
    });
    for (const s of [a!, b!, c!]) expect(WdfCollectionAdd(collection, s)).toBe(STATUS_SUCCESS);
    expect(WdfCollectionGetCount(collection)).toBe(3);
    expect([WdfCollectionGetItem(collection, 1), WdfCollectionGetItem(collection, 3)]).toEqual([b, null]);
    expect([WdfCollectionGetFirstItem(collection), WdfCollectionGetLastItem(collection)]).toEqual([a, c]);
    WdfCollectionRemove(collection, b!);
    WdfCollectionRemoveItem(collection, 0);
    WdfCollectionRemoveItem(collection, 9); // past the end: nothing (KMDF only breaks into a debugger)
    expect(WdfCollectionGetCount(collection)).toBe(1);
    expect(b!.deleted).toBe(false);
    // Items are referenced, not owned: deleting one leaves it in the list.
    WdfObjectDelete(c!);
    expect(WdfCollectionGetItem(collection, 0)).toBe(c);
    const parented = { value: null as WdfCollection | null };
    expect(WdfCollectionCreate({ ...WDF_OBJECT_ATTRIBUTES_INIT(), ParentObject: collection }, parented)).toBe(STATUS_SUCCESS);
    WdfObjectDelete(collection);
    expect(parented.value!.deleted).toBe(true);
  });

  it('invalid handles and NULL pointers are WDF_VIOLATION bug checks; refused attributes leave *Collection NULL', () => {
    const environment = new Environment();
    WdfBindDriverGlobals(environment);
    const out = { value: null as WdfCollection | null };
    WdfCollectionCreate(null, out);
    const collection = out.value!;
    const memory = { value: null as WdfMemory | null };
    WdfMemoryCreate(null, NonPagedPoolNx, 0, 4, memory);
    expect(bugCheckOf(() => WdfCollectionGetCount(memory.value as unknown as WdfCollection))?.parameters[0]).toBe(WDF_INVALID_HANDLE);
    expect(bugCheckOf(() => WdfCollectionCreate(null, null as unknown as { value: null }))?.parameters[0]).toBe(WDF_REQUIRED_PARAMETER_IS_NULL);
    WdfObjectDelete(collection);
    expect(bugCheckOf(() => WdfCollectionGetCount(collection))?.code).toBe(WDF_VIOLATION);
    expect(bugCheckOf(() => WdfObjectDelete(collection))?.code).toBe(WDF_VIOLATION);
    expect(WdfCollectionCreate({ ...WDF_OBJECT_ATTRIBUTES_INIT(), SynchronizationScope: 2 }, out)).toBe(STATUS_WDF_SYNCHRONIZATION_SCOPE_INVALID);
    expect(out.value).toBeNull();
  });

  it('a deleted ParentObject is looked up (bug check) only when Size is right; a wrong Size returns first', () => {
    const environment = new Environment();
    WdfBindDriverGlobals(environment);
    const parent = { value: null as WdfCollection | null };
    WdfCollectionCreate(null, parent);
    WdfObjectDelete(parent.value!);
    const out = { value: null as WdfCollection | null };
    expect(bugCheckOf(() => WdfCollectionCreate({ ...WDF_OBJECT_ATTRIBUTES_INIT(), ParentObject: parent.value }, out))?.code).toBe(WDF_VIOLATION);
    expect(WdfCollectionCreate({ ...WDF_OBJECT_ATTRIBUTES_INIT(), Size: 8, ParentObject: parent.value }, out)).toBe(STATUS_INFO_LENGTH_MISMATCH);
  });

  it('without a bound driver and without a ParentObject, the creators say what is missing', () => {
    expect(() => WdfCollectionCreate(null, { value: null })).toThrow(/WdfBindDriverGlobals/);
  });
});

describe('WDFSTRING', () => {
  it("WdfStringCreate checks the UNICODE_STRING; WdfStringGetUnicodeString fills the caller's struct", () => {
    WdfBindDriverGlobals(new Environment());
    const out = { value: null as WdfString | null };
    expect(WdfStringCreate(us(3, 4, wideString('ab')), null, out)).toBe(STATUS_INVALID_PARAMETER);
    expect(out.value).toBeNull();
    expect(WdfStringCreate(us(4, 8, wideString('abc')), null, out)).toBe(STATUS_SUCCESS);
    const s = UNICODE_STRING_EMPTY();
    WdfStringGetUnicodeString(out.value!, s);
    expect([s.Length, s.MaximumLength, unicodeStringText(s), s.Buffer![2]]).toEqual([4, 6, 'ab', 0]);
    expect(WdfStringCreate(null, null, out)).toBe(STATUS_SUCCESS);
    WdfStringGetUnicodeString(out.value!, s);
    expect(s).toEqual({ Length: 0, MaximumLength: 0, Buffer: null });
    expect(WdfStringCreate('', null, out)).toBe(STATUS_SUCCESS);
    WdfStringGetUnicodeString(out.value!, s);
    expect([s.Length, s.MaximumLength]).toEqual([0, 2]);
    // 65,534 bytes + the NUL overflow the copy's USHORT (stringutil.cpp:221-233).
    expect(WdfStringCreate('z'.repeat(32767), null, out)).toBe(STATUS_INTEGER_OVERFLOW);
    expect(WdfStringCreate('z'.repeat(32766), null, out)).toBe(STATUS_SUCCESS);
  });

  it("QueryMultiString → WdfCollectionGetItem → WdfStringGetUnicodeString, and AssignMultiString of WdfStringCreate'd strings", () => {
    const { config, key, environment } = openConfiguration('D', { M: { type: ValueType.REG_MULTI_SZ, data: encodeMultiString(['one', 'two']) } });
    WdfBindDriverGlobals(environment);
    const out = { value: null as WdfCollection | null };
    WdfCollectionCreate(null, out);
    expect(NetConfigurationQueryMultiString(config, 'M', null, out.value!)).toBe(STATUS_SUCCESS);
    const texts: string[] = [];
    for (let i = 0; i < WdfCollectionGetCount(out.value!); i++) {
      const s = UNICODE_STRING_EMPTY();
      WdfStringGetUnicodeString(WdfCollectionGetItem(out.value!, i) as WdfString, s);
      texts.push(unicodeStringText(s));
    }
    expect(texts).toEqual(['one', 'two']);
    const three = { value: null as WdfString | null };
    WdfStringCreate('three', { ...WDF_OBJECT_ATTRIBUTES_INIT(), ParentObject: out.value }, three);
    WdfCollectionAdd(out.value!, three.value!);
    expect(NetConfigurationAssignMultiString(config, 'N', out.value!)).toBe(STATUS_SUCCESS);
    expect(key.tryQueryValue('N')?.data).toEqual(encodeMultiString(['one', 'two', 'three']));
  });
});

describe('WDFMEMORY', () => {
  it('WdfMemoryCreate: size 0 leaves *Memory alone; the buffer is live; CopyToBuffer checks offsets', () => {
    WdfBindDriverGlobals(new Environment());
    const memory = { value: null as WdfMemory | null };
    const sentinel = { value: 'untouched' as unknown as WdfMemory | null };
    expect(WdfMemoryCreate(null, NonPagedPoolNx, 0, 0, sentinel)).toBe(STATUS_INVALID_PARAMETER);
    expect(sentinel.value).toBe('untouched');
    const buffer = { value: null as Uint8Array | null };
    expect(WdfMemoryCreate(null, NonPagedPoolNx, 0, 4, memory, buffer)).toBe(STATUS_SUCCESS);
    buffer.value!.set([1, 2, 3, 4]);
    const size = { value: 0 };
    expect(Array.from(WdfMemoryGetBuffer(memory.value!, size))).toEqual([1, 2, 3, 4]);
    expect(size.value).toBe(4);
    const target = new Uint8Array(4);
    expect(WdfMemoryCopyToBuffer(memory.value!, 1, target, 3)).toBe(STATUS_SUCCESS);
    expect(Array.from(target)).toEqual([2, 3, 4, 0]);
    expect(WdfMemoryCopyToBuffer(memory.value!, 2, target, 3)).toBe(STATUS_BUFFER_TOO_SMALL);
    expect(WdfMemoryCopyToBuffer(memory.value!, 4, target, 1)).toBe(STATUS_BUFFER_TOO_SMALL);
    expect(WdfMemoryCopyToBuffer(memory.value!, 0, target, 0)).toBe(STATUS_INVALID_PARAMETER);
    expect(() => WdfMemoryCopyToBuffer(memory.value!, 0, target, 5)).toThrow(CUsageError);
  });

  it("QueryBinary's WDFMEMORY is a copy: writing through WdfMemoryGetBuffer leaves the hive alone", () => {
    const { config, key } = openConfiguration('A', { B: { type: ValueType.REG_BINARY, data: Uint8Array.of(9, 9, 9, 9, 9, 9, 9, 9) } });
    const memory = { value: null as WdfMemory | null };
    expect(NetConfigurationQueryBinary(config, 'B', NonPagedPoolNx, null, memory)).toBe(STATUS_SUCCESS);
    WdfMemoryGetBuffer(memory.value!).fill(0);
    expect(Array.from(key.tryQueryValue('B')!.data)).toEqual([9, 9, 9, 9, 9, 9, 9, 9]);
  });
});

describe('WdfObjectDelete', () => {
  it('deletes the tree children first; the driver and device objects refuse the DDI (nothing happens)', () => {
    const { config, environment } = openConfiguration('D');
    WdfBindDriverGlobals(environment);
    const memory = { value: null as WdfMemory | null };
    WdfMemoryCreate({ ...WDF_OBJECT_ATTRIBUTES_INIT(), ParentObject: config }, NonPagedPoolNx, 0, 8, memory);
    WdfObjectDelete(config);
    expect([config.deleted, memory.value!.deleted]).toEqual([true, true]);
    WdfObjectDelete(environment.driver);
    expect(environment.driver.deleted).toBe(false);
    expect(bugCheckOf(() => WdfObjectDelete(null as unknown as WdfMemory))?.parameters[0]).toBe(WDF_INVALID_HANDLE);
  });
});
