import { ValueType } from '../../../src/hive/index.js';
import { BUGCODE_NETADAPTER_DRIVER, WDF_VIOLATION } from '../../../src/netadapter/index.js';
import {
  STATUS_BUFFER_OVERFLOW,
  STATUS_INSUFFICIENT_RESOURCES,
  STATUS_INVALID_PARAMETER,
  STATUS_OBJECT_NAME_NOT_FOUND,
  STATUS_OBJECT_TYPE_MISMATCH,
  STATUS_UNSUCCESSFUL,
} from '../../../src/registry/index.js';
import {
  ALL_RELEASES,
  DEVICE_RELEASES,
  NA_2100,
  NA_API_2100,
  WDF_REG,
  WDF_REGKM,
  bug,
  call,
  dword,
  expandSz,
  expect,
  ok,
  raw,
  span,
  st,
  sz,
  utf16,
} from './harness.js';
import type { AuditRow, Harness } from './harness.js';
import { rowsOf } from './harness.js';

/** NetConfigurationQueryUlong: the device path's WdfRegistryQueryULong + string fallback, the adapter path's NDIS read. */

const fn = 'NetConfigurationQueryUlong';
const PRESET = 0xdeadbeef;

/** Queries "V" with `flags`, then checks the out-parameter with `check` whatever the outcome. */
function query(flags: number, check: (value: number, h: Harness) => void) {
  return (h: Harness): void => {
    const out = { value: PRESET };
    call(
      () => h.config.queryUlong('V', flags, out),
      () => check(out.value, h),
    );
  };
}
const is = (expected: number) => (value: number) => expect(value >>> 0).toBe(expected >>> 0);
const stringsLeft = (count: number) => (_: number, h: Harness) => expect(h.children(h.config, 'WDFSTRING')).toHaveLength(count);

const DEVICE_FALLBACK = [`${NA_2100}:291-318`, `${WDF_REG}:1116-1164`, `${WDF_REGKM}:220-257`];
const LEGACY_CRASH = ['cx/sys/nxconfiguration.cpp@55f65cf:472-495', 'cx/sys/nxconfiguration.cpp@55f65cf:577-589'];
const DIGITS_32766 = '1'.repeat(32766);

const device = rowsOf(fn, 'device', DEVICE_RELEASES, [
  {
    id: 'absent, NO_FLAGS',
    input: 'value absent; flags 0',
    expected: st(STATUS_OBJECT_NAME_NOT_FOUND),
    out: 'unchanged (not pre-zeroed on this path)',
    objects: 'none',
    cites: [`${NA_2100}:297-301`, `${WDF_REGKM}:238-256`],
    run: query(0, is(PRESET)),
  },
  {
    id: 'absent, HEX',
    releases: span('2004'),
    input: 'value absent; flags MAY_BE_STORED_AS_HEX_STRING',
    expected: st(STATUS_INVALID_PARAMETER),
    out: 'unchanged',
    objects: 'the fallback WDFSTRING is created and deleted again: none left',
    cites: [`${NA_2100}:305-317`, `${NA_2100}:410-422`],
    run: query(1, (value, h) => {
      is(PRESET)(value);
      stringsLeft(0)(value, h);
    }),
  },
  {
    id: 'absent, HEX (1809/1903)',
    releases: span('1809', '1903'),
    input: 'value absent; flags HEX',
    expected: bug(WDF_VIOLATION),
    out: '—',
    objects: 'QueryString deleted its string yet returned success; WdfStringGetUnicodeString on the deleted handle',
    cites: LEGACY_CRASH,
    run: query(1, () => {}),
  },
  {
    id: 'REG_DWORD, 4 bytes',
    input: 'REG_DWORD 7 (exact length)',
    expected: ok,
    out: '7',
    objects: 'none',
    cites: [`${NA_2100}:297`, `${WDF_REGKM}:245-254`],
    values: { V: dword(7) },
    run: query(0, is(7)),
  },
  {
    id: 'REG_DWORD, 3 bytes',
    input: 'REG_DWORD with 3 data bytes 01 02 03 (short)',
    expected: ok,
    out: 'low 3 bytes 01 02 03; top byte is uninitialised stack (model: 0)',
    objects: 'none',
    cites: [`${WDF_REGKM}:232-254`],
    note: 'ASSERT(sizeof(ULONG) == DataLength) is checked builds only; the 4-byte copy reads the rest of an uninitialised buffer',
    values: { V: raw(ValueType.REG_DWORD, [1, 2, 3]) },
    run: query(0, (value) => expect(value & 0xffffff).toBe(0x030201)),
  },
  {
    id: 'REG_DWORD, 0 bytes',
    input: 'REG_DWORD with 0 data bytes (length 0)',
    expected: ok,
    out: 'indeterminate (4 uninitialised stack bytes; model: 0)',
    objects: 'none',
    cites: [`${WDF_REGKM}:232-254`],
    values: { V: raw(ValueType.REG_DWORD, []) },
    run: query(0, () => {}),
  },
  {
    id: 'REG_DWORD, 5 bytes',
    input: 'REG_DWORD with 5 data bytes (over)',
    expected: st(STATUS_BUFFER_OVERFLOW),
    out: 'unchanged',
    objects: 'none',
    cites: [`${WDF_REGKM}:238-254`, `${NA_2100}:301`],
    note: 'STATUS_BUFFER_OVERFLOW is a warning: NT_SUCCESS is FALSE for 0x80000005, and it is returned as is (not TYPE_MISMATCH, so no fallback)',
    values: { V: raw(ValueType.REG_DWORD, [1, 0, 0, 0, 0]) },
    run: query(0, is(PRESET)),
  },
  {
    id: 'REG_DWORD, HEX',
    releases: span('2004'),
    input: 'REG_DWORD 7; flags HEX',
    expected: st(STATUS_INVALID_PARAMETER),
    out: 'unchanged',
    objects: 'none left (fallback string deleted)',
    cites: [`${NA_2100}:305-317`, `${WDF_REG}:1017-1028`],
    values: { V: dword(7) },
    run: query(1, (value, h) => {
      is(PRESET)(value);
      stringsLeft(0)(value, h);
    }),
  },
  {
    id: 'REG_DWORD, HEX (1809/1903)',
    releases: span('1809', '1903'),
    input: 'REG_DWORD 7; flags HEX',
    expected: bug(WDF_VIOLATION),
    out: '—',
    objects: 'use of the deleted fallback string',
    cites: LEGACY_CRASH,
    values: { V: dword(7) },
    run: query(1, () => {}),
  },
  {
    id: 'REG_SZ "10", NO_FLAGS',
    input: 'REG_SZ "10"; flags 0',
    expected: ok,
    out: '10 (base 10)',
    objects: 'one WDFSTRING, parent = the configuration, never deleted before Close',
    cites: DEVICE_FALLBACK,
    values: { V: sz('10') },
    run: query(0, (value, h) => {
      is(10)(value);
      expect(h.children(h.config, 'WDFSTRING')).toHaveLength(1);
    }),
  },
  {
    id: 'REG_SZ "10", HEX',
    input: 'REG_SZ "10"; flags HEX',
    expected: ok,
    out: '16 (base 16, no REG_DWORD attempt)',
    objects: 'one WDFSTRING under the configuration',
    cites: [`${NA_2100}:305-313`],
    values: { V: sz('10') },
    run: query(1, (value, h) => {
      is(16)(value);
      stringsLeft(1)(value, h);
    }),
  },
  {
    id: 'REG_EXPAND_SZ "12"',
    input: 'REG_EXPAND_SZ "12"; flags 0',
    expected: ok,
    out: '12',
    objects: 'one WDFSTRING under the configuration',
    cites: [`${NA_2100}:297-313`, 'src/framework/shared/inc/private/common/fxregkey.hpp@3b9780e:302-307'],
    values: { V: expandSz('12') },
    run: query(0, is(12)),
  },
  {
    id: 'REG_SZ with embedded NUL',
    input: 'REG_SZ "1\\0 2" (embedded NUL)',
    expected: ok,
    out: '1 (RtlUnicodeStringToInteger stops at the NUL; KMDF kept it in the string)',
    objects: 'one WDFSTRING',
    cites: [`${WDF_REG}:1078-1093`, `${NA_2100}:312-313`],
    values: { V: sz('1\u00002') },
    run: query(0, is(1)),
  },
  {
    id: 'REG_SZ, odd length',
    input: 'REG_SZ bytes "12" + one stray byte (5 bytes, odd)',
    expected: ok,
    out: '12 (Length 5 covers 2 whole WCHARs)',
    objects: 'one WDFSTRING',
    cites: [`${WDF_REG}:1081-1093`],
    values: { V: raw(ValueType.REG_SZ, [...utf16('12'), 0x33]) },
    run: query(0, is(12)),
  },
  {
    id: 'REG_SZ "" (NUL only)',
    input: 'REG_SZ of 2 bytes (just the NUL)',
    expected: st(STATUS_INVALID_PARAMETER),
    out: 'unchanged',
    objects: 'one WDFSTRING (empty) left under the configuration: QueryString succeeded',
    cites: [`${NA_2100}:310-313`, `${WDF_REG}:1081-1093`],
    note: 'RtlUnicodeStringToInteger of an empty string is STATUS_INVALID_PARAMETER (reference §4)',
    values: { V: sz('') },
    run: query(0, (value, h) => {
      is(PRESET)(value);
      stringsLeft(1)(value, h);
    }),
  },
  {
    id: 'REG_SZ, 0 bytes',
    releases: span('2004'),
    input: 'REG_SZ with 0 data bytes',
    expected: st(STATUS_INVALID_PARAMETER),
    out: 'unchanged',
    objects: 'none left (STATUS_RESOURCE_DATA_NOT_FOUND inside QueryString, string deleted)',
    cites: [`${WDF_REG}:1030-1039`, `${NA_2100}:414-422`, `${NA_2100}:316-317`],
    values: { V: raw(ValueType.REG_SZ, []) },
    run: query(0, stringsLeft(0)),
  },
  {
    id: 'REG_SZ, 0 bytes (1809/1903)',
    releases: span('1809', '1903'),
    input: 'REG_SZ with 0 data bytes',
    expected: bug(WDF_VIOLATION),
    out: '—',
    objects: 'use of the deleted fallback string',
    cites: LEGACY_CRASH,
    values: { V: raw(ValueType.REG_SZ, []) },
    run: query(0, () => {}),
  },
  {
    id: 'REG_SZ, 65,532 bytes, no NUL',
    input: 'REG_SZ of 32,766 digits "1…1" without terminator (limit−2 of a WDFSTRING)',
    expected: ok,
    out: 'the digits mod 2³² (no overflow check)',
    objects: 'one WDFSTRING',
    cites: [`${WDF_REG}:1060-1093`, 'src/framework/shared/support/stringutil.cpp@3b9780e:221-232'],
    values: { V: raw(ValueType.REG_SZ, utf16(DIGITS_32766)) },
    run: query(0, stringsLeft(1)),
  },
  {
    id: 'REG_SZ, 65,534 bytes, no NUL',
    releases: span('2004'),
    input: 'REG_SZ of 32,767 digits without terminator (limit: Length + NUL overflows a USHORT)',
    expected: st(STATUS_INVALID_PARAMETER),
    out: 'unchanged',
    objects: 'none left (STATUS_INTEGER_OVERFLOW inside QueryString)',
    cites: ['src/framework/shared/support/stringutil.cpp@3b9780e:221-232', `${NA_2100}:414-422`],
    values: { V: raw(ValueType.REG_SZ, utf16(`${DIGITS_32766}1`)) },
    run: query(0, stringsLeft(0)),
  },
  {
    id: 'REG_SZ, 65,536 bytes',
    releases: span('2004'),
    input: 'REG_SZ of 32,767 digits + NUL (over 65,535 bytes)',
    expected: st(STATUS_INVALID_PARAMETER),
    out: 'unchanged',
    objects: 'none left (STATUS_INVALID_BUFFER_SIZE inside QueryString)',
    cites: [`${WDF_REG}:1060`, `${WDF_REG}:1095-1102`],
    values: { V: sz(`${DIGITS_32766}1`) },
    run: query(0, stringsLeft(0)),
  },
  {
    id: 'other case',
    input: 'value "v" = REG_DWORD 4, queried as "V"',
    expected: ok,
    out: '4 (registry names are case-insensitive)',
    objects: 'none',
    cites: [`${WDF_REGKM}:238-243`],
    values: { v: dword(4) },
    run: query(0, is(4)),
  },
  {
    id: 'empty name',
    input: 'the key’s default (unnamed) value = REG_DWORD 6; ValueName ""',
    expected: ok,
    out: '6: an empty UNICODE_STRING passes FxValidateUnicodeString and names the default value',
    objects: 'none',
    cites: [`${WDF_REG}:1150-1155`, 'src/framework/shared/inc/private/common/fxvalidatefunctions.hpp@3b9780e:114-160'],
    values: { '': dword(6) },
    run: (h) => {
      const out = { value: PRESET };
      h.config.queryUlong('', 0, out);
      expect(out.value).toBe(6);
    },
  },
  {
    id: 'flags 2',
    input: 'any value; flags 2 (undefined bit)',
    expected: bug(BUGCODE_NETADAPTER_DRIVER),
    out: '—',
    objects: 'none',
    cites: [`${NA_API_2100}:176-178`, 'netcx/adapter/verifier.cpp@ca1e33c:455'],
    values: { V: dword(1) },
    run: query(2, () => {}),
  },
]);

const adapter = rowsOf(fn, 'adapter', ALL_RELEASES, [
  {
    id: 'absent',
    releases: span('1803'),
    input: 'value absent (NDIS_STATUS_FAILURE)',
    expected: st(STATUS_OBJECT_NAME_NOT_FOUND),
    out: '0 (pre-zeroed)',
    objects: 'none',
    cites: [`${NA_2100}:324`, `${NA_2100}:81-84`, `${NA_2100}:340-344`, 'cx/sys/nxconfiguration.cpp@7bf48b0:64-65'],
    run: query(0, is(0)),
  },
  {
    id: 'absent (1703)',
    releases: ['1703'],
    input: 'value absent',
    expected: st(STATUS_UNSUCCESSFUL),
    out: '0',
    objects: 'none',
    cites: ['cx/sys/nxconfiguration.cpp@4f41254:335', 'cx/sys/nxconfiguration.cpp@4f41254:352-364'],
    note: 'NdisConvertNdisStatusToNtStatus(NDIS_STATUS_FAILURE) = STATUS_UNSUCCESSFUL',
    run: query(0, is(0)),
  },
  {
    id: 'REG_DWORD',
    input: 'REG_DWORD 7',
    expected: ok,
    out: '7',
    objects: 'none',
    cites: [`${NA_2100}:340-356`],
    values: { V: dword(7) },
    run: query(0, is(7)),
  },
  {
    id: 'REG_DWORD, HEX',
    input: 'REG_DWORD 7; flags HEX',
    expected: ok,
    out: '7 (unlike the device path, the hex flag only changes how NDIS parses strings)',
    objects: 'none',
    cites: [`${NA_2100}:330-331`, `${NA_2100}:340-356`],
    note: '[NDIS-internal] that NDIS returns a REG_DWORD as an integer for NdisParameterHexInteger',
    values: { V: dword(7) },
    run: query(1, is(7)),
  },
  {
    id: 'REG_SZ "10", HEX',
    input: 'REG_SZ "10"; flags HEX (NdisParameterHexInteger)',
    expected: ok,
    out: '16',
    objects: 'none (NDIS converts; nothing WDF is created)',
    cites: [`${NA_2100}:330-331`, `${NA_2100}:349-356`],
    note: '[NDIS-internal] conversion rules; modelled as RtlUnicodeStringToInteger',
    values: { V: sz('10') },
    run: query(1, is(16)),
  },
  {
    id: 'REG_BINARY',
    releases: span('1803'),
    input: 'REG_BINARY 01 00 00 00',
    expected: st(STATUS_OBJECT_TYPE_MISMATCH),
    out: '0',
    objects: 'none',
    cites: [`${NA_2100}:349-354`],
    note: '[NDIS-internal] that NDIS reports a non-integer type for it',
    values: { V: raw(ValueType.REG_BINARY, [1, 0, 0, 0]) },
    run: query(0, is(0)),
  },
  {
    id: 'REG_BINARY (1703)',
    releases: ['1703'],
    input: 'REG_BINARY 01 00 00 00',
    expected: ok,
    out: 'IntegerData of a non-integer parameter (model: 0)',
    objects: 'none',
    cites: ['cx/sys/nxconfiguration.cpp@4f41254:367-375'],
    note: 'the check compares the requested type, so it never fires; what IntegerData then holds is [NDIS-internal]',
    values: { V: raw(ValueType.REG_BINARY, [1, 0, 0, 0]) },
    run: query(0, is(0)),
  },
  {
    id: 'NDIS read fails',
    input: 'NdisReadConfiguration → NDIS_STATUS_RESOURCES',
    expected: st(STATUS_INSUFFICIENT_RESOURCES),
    out: '0',
    objects: 'none',
    cites: [`${NA_2100}:86-87`, `${NA_2100}:346-347`],
    values: { V: dword(7) },
    run: (h) => {
      h.environment.failNext('NdisReadConfiguration', STATUS_INSUFFICIENT_RESOURCES);
      query(0, is(0))(h);
    },
  },
  {
    id: 'flags 3',
    input: 'flags 3',
    expected: bug(BUGCODE_NETADAPTER_DRIVER),
    out: '—',
    objects: 'none',
    cites: [`${NA_API_2100}:176-178`, 'cx/sys/nxconfigurationapi.cpp@4f41254:202-204'],
    run: query(3, () => {}),
  },
]);

/** Value types that are neither REG_DWORD nor a string: both the DWORD read and the string fallback refuse them. */
const OTHER_TYPES: [string, number, number[]][] = [
  ['REG_NONE', ValueType.REG_NONE, [1, 0, 0, 0]],
  ['REG_BINARY', ValueType.REG_BINARY, [1, 0, 0, 0]],
  ['REG_DWORD_BIG_ENDIAN', ValueType.REG_DWORD_BIG_ENDIAN, [0, 0, 0, 7]],
  ['REG_MULTI_SZ', ValueType.REG_MULTI_SZ, [...utf16('1'), 0, 0, 0, 0]],
  ['REG_QWORD', ValueType.REG_QWORD, [1, 0, 0, 0, 0, 0, 0, 0]],
];

const otherTypes = OTHER_TYPES.flatMap(([name, type, bytes]) =>
  rowsOf(fn, 'device', DEVICE_RELEASES, [
    {
      id: name,
      releases: span('2004'),
      input: `${name} ${bytes.map((b) => b.toString(16).padStart(2, '0')).join(' ')}; flags 0`,
      expected: st(STATUS_INVALID_PARAMETER),
      out: 'unchanged',
      objects: 'the fallback WDFSTRING is created and deleted again: none left',
      cites: [`${WDF_REGKM}:245-248`, `${NA_2100}:301-317`, `${WDF_REG}:1053-1057`],
      values: { V: raw(type, bytes) },
      run: query(0, (value, h) => {
        is(PRESET)(value);
        stringsLeft(0)(value, h);
      }),
    },
    {
      id: `${name} (1809/1903)`,
      releases: span('1809', '1903'),
      input: `${name}; flags 0`,
      expected: bug(WDF_VIOLATION),
      out: '—',
      objects: 'QueryString reported success with its string deleted; the fallback reads the deleted handle',
      cites: LEGACY_CRASH,
      values: { V: raw(type, bytes) },
      run: query(0, () => {}),
    },
  ]),
);

/** The QueryUlong rows. */
export const queryUlongRows: AuditRow[] = [...device, ...otherTypes, ...adapter];
