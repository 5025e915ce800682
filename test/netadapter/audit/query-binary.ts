import { ValueType } from '../../../src/hive/index.js';
import { SYSTEM_THREAD_EXCEPTION_NOT_HANDLED, WdfMemory } from '../../../src/netadapter/index.js';
import type { WDF_OBJECT_ATTRIBUTES } from '../../../src/netadapter/wdf.js';
import {
  STATUS_INFO_LENGTH_MISMATCH,
  STATUS_INVALID_PARAMETER,
  STATUS_NOT_FOUND,
  STATUS_OBJECT_NAME_NOT_FOUND,
  STATUS_RESOURCE_DATA_NOT_FOUND,
} from '../../../src/registry/index.js';
import {
  ALL_RELEASES,
  DEVICE_RELEASES,
  NA_2100,
  WDF_REG,
  bug,
  call,
  dword,
  expect,
  init,
  ok,
  raw,
  span,
  st,
  sz,
  utf16,
  adapterAbsentRows,
  parentWrittenBack,
  rowsOf,
} from './harness.js';
import type { Harness } from './harness.js';

/** NetConfigurationQueryBinary: device = WdfRegistryQueryMemory; adapter = NDIS read + WdfMemoryCreate + copy. */

const fn = 'NetConfigurationQueryBinary';
const MEMORY_CREATE = 'src/framework/shared/core/fxmemorybufferapi.cpp@3b9780e';

interface Seen {
  out: WdfMemory | null;
  sentinel: WdfMemory;
  attributes: WDF_OBJECT_ATTRIBUTES | undefined;
  h: Harness;
}

function query(makeAttributes: (() => WDF_OBJECT_ATTRIBUTES) | undefined, check: (seen: Seen) => void) {
  return (h: Harness): void => {
    const sentinel = new WdfMemory(h.environment, h.environment.driver, new Uint8Array(1));
    const out: { value: WdfMemory | null } = { value: sentinel };
    const attributes = makeAttributes?.();
    call(
      () => h.config.queryBinary('V', undefined, { attributes, out }),
      () => check({ out: out.value, sentinel, attributes, h }),
    );
  };
}
/** Success: a new WDFMEMORY under the configuration holding `bytes`, deleted by Close. */
const gives = (bytes: number[]) => (s: Seen) => {
  expect([...(s.out?.buffer ?? [])]).toEqual(bytes);
  expect(s.out?.parent).toBe(s.h.config);
  s.h.config.close();
  expect(s.out?.deleted).toBe(true);
};
const untouched = (s: Seen) => expect(s.out).toBe(s.sentinel);
const cleared = (s: Seen) => {
  expect(s.out).toBeNull();
  expect(s.h.children(s.h.config, 'WDFMEMORY')).toHaveLength(0);
};

const device = rowsOf(fn, 'device', DEVICE_RELEASES, [
  {
    id: 'REG_BINARY, 3 bytes',
    input: 'REG_BINARY 01 02 03; attributes NULL',
    expected: ok,
    out: 'new WDFMEMORY of 3 bytes',
    objects: 'WDFMEMORY, parent = the configuration (ParentObject set by NetAdapterCx); deleted by Close',
    cites: [`${NA_2100}:550-566`, `${WDF_REG}:553-642`],
    values: { V: raw(ValueType.REG_BINARY, [1, 2, 3]) },
    run: query(undefined, gives([1, 2, 3])),
  },
  {
    id: 'REG_SZ',
    input: 'REG_SZ "x"',
    expected: ok,
    out: 'WDFMEMORY with the raw 4 bytes 78 00 00 00 (no type check)',
    objects: 'WDFMEMORY under the configuration',
    cites: [`${WDF_REG}:575-615`],
    values: { V: sz('x') },
    run: query(undefined, gives([0x78, 0, 0, 0])),
  },
  {
    id: 'REG_DWORD',
    input: 'REG_DWORD 7',
    expected: ok,
    out: 'WDFMEMORY 07 00 00 00',
    objects: 'WDFMEMORY under the configuration',
    cites: [`${WDF_REG}:575-615`],
    values: { V: dword(7) },
    run: query(undefined, gives([7, 0, 0, 0])),
  },
  {
    id: 'odd length',
    input: 'REG_SZ bytes "a" + 1 byte (3 bytes)',
    expected: ok,
    out: 'WDFMEMORY of the 3 bytes',
    objects: 'WDFMEMORY under the configuration',
    cites: [`${WDF_REG}:575-615`],
    values: { V: raw(ValueType.REG_SZ, [...utf16('a'), 9]) },
    run: query(undefined, gives([0x61, 0, 9])),
  },
  {
    id: '70,000 bytes',
    input: 'REG_BINARY of 70,000 bytes (past a USHORT)',
    expected: ok,
    out: 'WDFMEMORY of 70,000 bytes (ULONG lengths throughout)',
    objects: 'WDFMEMORY under the configuration',
    cites: [`${WDF_REG}:575-615`],
    values: { V: raw(ValueType.REG_BINARY, new Array<number>(70000).fill(5)) },
    run: query(undefined, (s) => expect(s.out?.buffer.length).toBe(70000)),
  },
  {
    id: '0 bytes',
    input: 'REG_BINARY with 0 data bytes',
    expected: st(STATUS_RESOURCE_DATA_NOT_FOUND),
    out: 'NULL (WdfRegistryQueryMemory cleared it first)',
    objects: 'none',
    cites: [`${WDF_REG}:553`, `${WDF_REG}:580-589`],
    values: { V: raw(ValueType.REG_BINARY, []) },
    run: query(undefined, cleared),
  },
  {
    id: 'absent',
    input: 'value absent',
    expected: st(STATUS_OBJECT_NAME_NOT_FOUND),
    out: 'NULL',
    objects: 'none',
    cites: [`${WDF_REG}:553`, `${WDF_REG}:575-578`],
    run: query(undefined, cleared),
  },
  {
    id: 'attributes: Size 48',
    input: 'REG_BINARY 01; attributes.Size = 48',
    expected: st(STATUS_INFO_LENGTH_MISMATCH),
    out: 'NULL',
    objects: 'none; ParentObject was written back (= the configuration) first',
    cites: [`${NA_2100}:559-565`, `${WDF_REG}:553-565`],
    values: { V: raw(ValueType.REG_BINARY, [1]) },
    run: query(() => init({ Size: 48 }), parentWrittenBack(cleared)),
  },
  {
    id: 'attributes: ParentObject = the device',
    input: 'REG_BINARY 01; attributes.ParentObject = the WDFDEVICE',
    expected: ok,
    out: 'WDFMEMORY 01',
    objects: 'parent = the device; survives Close of the configuration',
    cites: [`${NA_2100}:559`, `${WDF_REG}:607-615`],
    values: { V: raw(ValueType.REG_BINARY, [1]) },
    run: (h) => {
      const out: { value: WdfMemory | null } = { value: null };
      h.config.queryBinary('V', undefined, { attributes: init({ ParentObject: h.owner }), out });
      expect(out.value?.parent).toBe(h.owner);
      h.config.close();
      expect(out.value?.deleted).toBe(false);
    },
  },
]);

const adapter = rowsOf(fn, 'adapter', ALL_RELEASES, [
  {
    id: 'REG_BINARY, 3 bytes',
    input: 'REG_BINARY 01 02 03',
    expected: ok,
    out: 'new WDFMEMORY of 3 bytes',
    objects: 'WDFMEMORY under the configuration; deleted by Close',
    cites: [`${NA_2100}:568-612`, `${MEMORY_CREATE}:118-162`],
    values: { V: raw(ValueType.REG_BINARY, [1, 2, 3]) },
    run: query(undefined, gives([1, 2, 3])),
  },
  {
    id: 'REG_SZ',
    input: 'REG_SZ "x"',
    expected: st(STATUS_NOT_FOUND),
    out: 'unchanged',
    objects: 'none',
    cites: [`${NA_2100}:584-590`],
    note: 'STATUS_NOT_FOUND, not TYPE_MISMATCH; [NDIS-internal] that NDIS reports String',
    values: { V: sz('x') },
    run: query(undefined, untouched),
  },
  {
    id: '0 bytes',
    input: 'REG_BINARY with 0 data bytes',
    expected: st(STATUS_INVALID_PARAMETER),
    out: 'unchanged: WdfMemoryCreate returns before it clears *Memory',
    objects: 'none',
    cites: [`${NA_2100}:599-606`, `${MEMORY_CREATE}:118-125`],
    note: '[NDIS-internal] that NDIS returns success with Length 0',
    values: { V: raw(ValueType.REG_BINARY, []) },
    run: query(undefined, untouched),
  },
  ...adapterAbsentRows([`${NA_2100}:571-579`], ['cx/sys/nxconfiguration.cpp@4f41254:577-590'], query(undefined, untouched)),
  {
    id: 'attributes: Size 48',
    releases: ['2100'],
    input: 'REG_BINARY 01; attributes.Size = 48',
    expected: st(STATUS_INFO_LENGTH_MISMATCH),
    out: 'NULL (WdfMemoryCreate cleared it)',
    objects: 'none',
    cites: [`${NA_2100}:599-606`, `${MEMORY_CREATE}:125-130`],
    values: { V: raw(ValueType.REG_BINARY, [1]) },
    run: query(() => init({ Size: 48 }), cleared),
  },
  {
    id: 'attributes: Size 48 (1703–2004)',
    releases: span('1703', '2004'),
    input: 'REG_BINARY 01; attributes.Size = 48',
    expected: bug(SYSTEM_THREAD_EXCEPTION_NOT_HANDLED),
    out: '—',
    objects: 'the failure is only logged; RtlCopyMemory writes through the uninitialised `buffer`',
    cites: ['cx/sys/nxconfiguration.cpp@55f65cf:759-775', 'cx/sys/nxconfiguration.cpp@4f41254:625-640'],
    note: 'memory corruption; the bug check code is the model’s choice',
    values: { V: raw(ValueType.REG_BINARY, [1]) },
    run: query(
      () => init({ Size: 48 }),
      () => {},
    ),
  },
  {
    id: 'attributes: ParentObject NULL, value absent',
    releases: span('1809'),
    input: 'value absent; attributes with ParentObject NULL',
    expected: st(STATUS_OBJECT_NAME_NOT_FOUND),
    out: 'unchanged',
    objects: 'ParentObject written back (= the configuration) before the read',
    cites: [`${NA_2100}:550-561`, 'cx/sys/nxconfiguration.cpp@55f65cf:725-727'],
    run: query(() => init(), parentWrittenBack(untouched)),
  },
  {
    id: 'attributes: ParentObject NULL, 0 bytes (1703/1803)',
    releases: span('1703', '1803'),
    input: 'REG_BINARY of 0 bytes; attributes with ParentObject NULL',
    expected: st(STATUS_INVALID_PARAMETER),
    out: 'unchanged',
    objects: 'ParentObject written back after the type check, before WdfMemoryCreate fails',
    cites: ['cx/sys/nxconfiguration.cpp@4f41254:592-630'],
    values: { V: raw(ValueType.REG_BINARY, []) },
    run: query(() => init(), parentWrittenBack(untouched)),
  },
]);

/** The QueryBinary rows. */
export const queryBinaryRows = [...device, ...adapter];
