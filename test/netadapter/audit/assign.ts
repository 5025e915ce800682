import { ValueType } from '../../../src/hive/index.js';
import { WDF_VIOLATION, type WdfCollection, WdfMemory, WdfString } from '../../../src/netadapter/index.js';
import { STATUS_BUFFER_OVERFLOW, STATUS_INVALID_PARAMETER, STATUS_NOT_SUPPORTED } from '../../../src/registry/index.js';
import { ALL_RELEASES, DEVICE_RELEASES, NA_2100, WDF_REG, bug, expect, ok, rowsOf, st, sz, utf16 } from './harness.js';
import type { Harness } from './harness.js';

/** The four Assign calls: device = WdfRegistryAssign*, adapter = NdisWriteConfiguration. */

const STRINGUTIL = 'src/framework/shared/support/stringutil.cpp@3b9780e';
const PREALLOCATED = 'src/framework/shared/core/fxmemorybufferpreallocatedapi.cpp@3b9780e';

/** The value "V" afterwards: [type, bytes], or undefined. */
function stored(h: Harness): [number, number[]] | undefined {
  const value = h.key.tryQueryValue('V');
  return value === undefined ? undefined : [value.type, [...value.data]];
}
const leftUnderDriver = (h: Harness, type: string) => h.children(h.environment.driver, type).length;

/** A collection of WDFSTRINGs (parented to the collection) holding `items`. */
function strings(h: Harness, items: string[]): WdfCollection {
  const collection = h.collection();
  for (const item of items) collection.items.push(new WdfString(h.environment, collection, item));
  return collection;
}

const assignUlong = [
  ...rowsOf('NetConfigurationAssignUlong', 'device', DEVICE_RELEASES, [
    {
      id: 'replaces a REG_SZ',
      input: 'V = REG_SZ "x"; assign 5',
      expected: ok,
      out: '—',
      objects: 'none; V is now REG_DWORD 05 00 00 00',
      cites: [`${NA_2100}:703-706`, `${WDF_REG}:1355-1360`],
      values: { V: sz('x') },
      run: (h) => {
        h.config.assignUlong('V', 5);
        expect(stored(h)).toEqual([ValueType.REG_DWORD, [5, 0, 0, 0]]);
      },
    },
  ]),
  ...rowsOf('NetConfigurationAssignUlong', 'adapter', ALL_RELEASES, [
    {
      id: 'creates',
      input: 'V absent; assign 0xFFFFFFFF',
      expected: ok,
      out: '—',
      objects: 'none; V = REG_DWORD FF FF FF FF',
      cites: [`${NA_2100}:712-732`],
      note: '[NDIS-internal] the stored type for NdisParameterInteger (modelled REG_DWORD)',
      run: (h) => {
        h.config.assignUlong('V', 0xffffffff);
        expect(stored(h)).toEqual([ValueType.REG_DWORD, [255, 255, 255, 255]]);
      },
    },
    {
      id: 'NDIS write fails',
      input: 'NdisWriteConfiguration → NDIS_STATUS_NOT_SUPPORTED',
      expected: st(STATUS_NOT_SUPPORTED),
      out: '—',
      objects: 'none; nothing written',
      cites: [`${NA_2100}:717-728`],
      run: (h) => {
        h.environment.failNext('NdisWriteConfiguration', STATUS_NOT_SUPPORTED);
        try {
          h.config.assignUlong('V', 1);
        } finally {
          expect(stored(h)).toBeUndefined();
        }
      },
    },
  ]),
];

const assignUnicodeString = [
  ...rowsOf('NetConfigurationAssignUnicodeString', 'device', DEVICE_RELEASES, [
    {
      id: '"ab"',
      input: 'Value "ab" (Length 4)',
      expected: ok,
      out: '—',
      objects: 'none; V = REG_SZ of 6 bytes (NUL appended)',
      cites: [`${NA_2100}:755-758`, `${WDF_REG}:1424-1449`],
      run: (h) => {
        h.config.assignUnicodeString('V', 'ab');
        expect(stored(h)).toEqual([ValueType.REG_SZ, [...utf16('ab'), 0, 0]]);
      },
    },
    {
      id: 'empty',
      input: 'Value "" (Length 0)',
      expected: ok,
      out: '—',
      objects: 'none; V = REG_SZ of 2 bytes',
      cites: [`${WDF_REG}:1424-1449`],
      run: (h) => {
        h.config.assignUnicodeString('V', '');
        expect(stored(h)).toEqual([ValueType.REG_SZ, [0, 0]]);
      },
    },
    {
      id: 'embedded NUL',
      input: 'Value "a\\0b"',
      expected: ok,
      out: '—',
      objects: 'none; all 3 WCHARs + NUL stored',
      cites: [`${WDF_REG}:1446-1449`],
      run: (h) => {
        h.config.assignUnicodeString('V', 'a\u0000b');
        expect(stored(h)).toEqual([ValueType.REG_SZ, [...utf16('a\u0000b'), 0, 0]]);
      },
    },
    {
      id: 'longest',
      input: 'Value of 32,767 WCHARs (Length 65,534, the USHORT limit)',
      expected: ok,
      out: '—',
      objects: 'none; 65,536 bytes stored (the ULONG length cannot overflow)',
      cites: [`${WDF_REG}:1424-1449`],
      run: (h) => {
        h.config.assignUnicodeString('V', 'z'.repeat(32767));
        expect(stored(h)?.[1].length).toBe(65536);
      },
    },
  ]),
  ...rowsOf('NetConfigurationAssignUnicodeString', 'adapter', ALL_RELEASES, [
    {
      id: '"ab"',
      input: 'Value "ab"',
      expected: ok,
      out: '—',
      objects: 'none; V = REG_SZ "ab" + NUL (model)',
      cites: [`${NA_2100}:764-786`],
      note: '[NDIS-internal] stored type and terminator for NdisParameterString',
      run: (h) => {
        h.config.assignUnicodeString('V', 'ab');
        expect(stored(h)).toEqual([ValueType.REG_SZ, [...utf16('ab'), 0, 0]]);
      },
    },
  ]),
];

const assignBinary = [
  ...rowsOf('NetConfigurationAssignBinary', 'device', DEVICE_RELEASES, [
    {
      id: '3 bytes',
      input: 'Buffer 01 02 03, BufferLength 3',
      expected: ok,
      out: '—',
      objects: 'V = REG_BINARY 01 02 03; one preallocated WDFMEMORY left under the WDFDRIVER (deleted only on failure)',
      cites: [
        `${NA_2100}:814-826`,
        'cx/sys/nxconfiguration.cpp@001ce6f:980-985',
        `${PREALLOCATED}:102-132`,
        'src/framework/shared/object/fxobject.cpp@3b9780e:1110-1121',
      ],
      run: (h) => {
        h.config.assignBinary('V', Uint8Array.of(1, 2, 3));
        expect(stored(h)).toEqual([ValueType.REG_BINARY, [1, 2, 3]]);
        expect(leftUnderDriver(h, 'WDFMEMORY')).toBe(1);
        h.config.close();
        expect(leftUnderDriver(h, 'WDFMEMORY')).toBe(1);
      },
    },
    {
      id: 'length 0',
      input: 'BufferLength 0',
      expected: st(STATUS_INVALID_PARAMETER),
      out: '—',
      objects: 'none; nothing written (WdfMemoryCreatePreallocated refuses size 0)',
      cites: [`${PREALLOCATED}:104-108`, `${NA_2100}:817`],
      run: (h) => {
        try {
          h.config.assignBinary('V', new Uint8Array(0));
        } finally {
          expect(stored(h)).toBeUndefined();
          expect(leftUnderDriver(h, 'WDFMEMORY')).toBe(0);
        }
      },
    },
    {
      id: '70,000 bytes',
      input: 'BufferLength 70,000 (past the adapter path’s 65,534)',
      expected: ok,
      out: '—',
      objects: 'V = REG_BINARY of 70,000 bytes; one WDFMEMORY under the driver',
      cites: [`${NA_2100}:814-826`, `${WDF_REG}:1276-1307`],
      run: (h) => {
        h.config.assignBinary('V', new Uint8Array(70000));
        expect(stored(h)?.[1].length).toBe(70000);
      },
    },
  ]),
  ...rowsOf('NetConfigurationAssignBinary', 'adapter', ALL_RELEASES, [
    {
      id: '65,534 bytes',
      input: 'BufferLength 65,534 (limit−1)',
      expected: ok,
      out: '—',
      objects: 'none; V = REG_BINARY of 65,534 bytes',
      cites: [`${NA_2100}:835-847`],
      run: (h) => {
        h.config.assignBinary('V', new Uint8Array(65534));
        expect(stored(h)?.[1].length).toBe(65534);
        expect(leftUnderDriver(h, 'WDFMEMORY')).toBe(0);
      },
    },
    {
      id: '65,535 bytes',
      input: 'BufferLength 65,535 (limit: USHORT_MAX)',
      expected: st(STATUS_BUFFER_OVERFLOW),
      out: '—',
      objects: 'none; nothing written',
      cites: [`${NA_2100}:835-839`, 'cx/sys/nxconfiguration.cpp@4f41254:870'],
      run: (h) => {
        try {
          h.config.assignBinary('V', new Uint8Array(65535));
        } finally {
          expect(stored(h)).toBeUndefined();
        }
      },
    },
    {
      id: 'length 0',
      input: 'BufferLength 0',
      expected: ok,
      out: '—',
      objects: 'none; V = REG_BINARY of 0 bytes (model)',
      cites: [`${NA_2100}:835-847`],
      note: '[NDIS-internal] what NDIS does with a zero-length binary write',
      run: (h) => {
        h.config.assignBinary('V', new Uint8Array(0));
        expect(stored(h)).toEqual([ValueType.REG_BINARY, []]);
      },
    },
  ]),
];

const assignMultiString = [
  ...rowsOf('NetConfigurationAssignMultiString', 'device', DEVICE_RELEASES, [
    {
      id: 'empty collection',
      input: 'collection with no items',
      expected: ok,
      out: '—',
      objects: 'none; V = REG_MULTI_SZ of 4 zero bytes',
      cites: [`${NA_2100}:904-907`, `${STRINGUTIL}:62-66`, `${STRINGUTIL}:158-169`],
      note: 'docs claim STATUS_INVALID_PARAMETER; the source writes two NULs',
      run: (h) => {
        h.config.assignMultiString('V', strings(h, []));
        expect(stored(h)).toEqual([ValueType.REG_MULTI_SZ, [0, 0, 0, 0]]);
      },
    },
    {
      id: '["a", ""]',
      input: 'collection "a", ""',
      expected: ok,
      out: '—',
      objects: 'none; V = "a\\0\\0\\0" (8 bytes): the empty element ends the list for readers',
      cites: [`${STRINGUTIL}:44-73`, `${STRINGUTIL}:141-169`],
      run: (h) => {
        h.config.assignMultiString('V', strings(h, ['a', '']));
        expect(stored(h)).toEqual([ValueType.REG_MULTI_SZ, [0x61, 0, 0, 0, 0, 0, 0, 0]]);
      },
    },
    {
      id: 'a non-string item',
      input: 'collection holding a WDFMEMORY',
      expected: st(STATUS_INVALID_PARAMETER),
      out: '—',
      objects: 'none; nothing written',
      cites: [`${STRINGUTIL}:50-53`, `${WDF_REG}:1579-1599`],
      run: (h) => {
        const collection = h.collection();
        collection.items.push(new WdfMemory(h.environment, collection, new Uint8Array(1)));
        try {
          h.config.assignMultiString('V', collection);
        } finally {
          expect(stored(h)).toBeUndefined();
        }
      },
    },
    {
      id: 'over 65,535 bytes',
      input: 'two strings of 20,000 chars (80,006 bytes)',
      expected: ok,
      out: '—',
      objects: 'none; all 80,006 bytes written (RtlSizeTToULong is the only bound)',
      cites: [`${WDF_REG}:1581-1590`, `${WDF_REG}:1613-1615`],
      run: (h) => {
        h.config.assignMultiString('V', strings(h, ['x'.repeat(20000), 'y'.repeat(20000)]));
        expect(stored(h)?.[1].length).toBe(80006);
      },
    },
  ]),
  ...rowsOf('NetConfigurationAssignMultiString', 'adapter', ALL_RELEASES, [
    {
      id: '["a", "b"]',
      input: 'collection "a", "b"',
      expected: ok,
      out: '—',
      objects: 'none; V = REG_MULTI_SZ "a\\0b\\0\\0" (10 bytes)',
      cites: [`${NA_2100}:933-1069`],
      run: (h) => {
        h.config.assignMultiString('V', strings(h, ['a', 'b']));
        expect(stored(h)).toEqual([ValueType.REG_MULTI_SZ, [...utf16('a\u0000b\u0000\u0000')]]);
      },
    },
    {
      id: 'empty collection',
      input: 'collection with no items',
      expected: ok,
      out: '—',
      objects: 'none; V = REG_MULTI_SZ of 2 bytes (one NUL)',
      cites: [`${NA_2100}:933`, `${NA_2100}:969-986`, `${NA_2100}:1036-1064`],
      run: (h) => {
        h.config.assignMultiString('V', strings(h, []));
        expect(stored(h)).toEqual([ValueType.REG_MULTI_SZ, [0, 0]]);
      },
    },
    {
      id: '65,534 bytes',
      input: 'one string of 32,765 chars (2 + 65,530 + 2 = 65,534 bytes, limit−1)',
      expected: ok,
      out: '—',
      objects: 'none; 65,534 bytes written',
      cites: [`${NA_2100}:933-962`],
      run: (h) => {
        h.config.assignMultiString('V', strings(h, ['q'.repeat(32765)]));
        expect(stored(h)?.[1].length).toBe(65534);
      },
    },
    {
      id: '65,536 bytes',
      input: 'one string of 32,766 chars (65,536 bytes ≥ USHORT_MAX)',
      expected: st(STATUS_BUFFER_OVERFLOW),
      out: '—',
      objects: 'none; nothing written',
      cites: [`${NA_2100}:952-960`],
      run: (h) => {
        try {
          h.config.assignMultiString('V', strings(h, ['q'.repeat(32766)]));
        } finally {
          expect(stored(h)).toBeUndefined();
        }
      },
    },
    {
      id: 'a non-string item',
      input: 'collection holding a WDFMEMORY',
      expected: bug(WDF_VIOLATION),
      out: '—',
      objects: 'WdfStringGetUnicodeString on a WDFMEMORY handle (no type check)',
      cites: [`${NA_2100}:938-940`],
      run: (h) => {
        const collection = h.collection();
        collection.items.push(new WdfMemory(h.environment, collection, new Uint8Array(1)));
        h.config.assignMultiString('V', collection);
      },
    },
  ]),
];

/** The Assign rows. */
export const assignRows = [...assignUlong, ...assignUnicodeString, ...assignBinary, ...assignMultiString];
