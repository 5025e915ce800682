import { ValueType } from '../../../src/hive/index.js';
import { WdfString } from '../../../src/netadapter/index.js';
import {
  STATUS_INTEGER_OVERFLOW,
  STATUS_WDF_EXECUTION_LEVEL_INVALID,
  STATUS_WDF_OBJECT_ATTRIBUTES_INVALID,
  STATUS_WDF_SYNCHRONIZATION_SCOPE_INVALID,
} from '../../../src/registry/index.js';
import type { WDF_OBJECT_ATTRIBUTES } from '../../../src/netadapter/wdf.js';
import {
  STATUS_INFO_LENGTH_MISMATCH,
  STATUS_INVALID_BUFFER_SIZE,
  STATUS_OBJECT_NAME_NOT_FOUND,
  STATUS_OBJECT_TYPE_MISMATCH,
  STATUS_RESOURCE_DATA_NOT_FOUND,
  STATUS_UNSUCCESSFUL,
} from '../../../src/registry/index.js';
import {
  ALL_RELEASES,
  DEVICE_RELEASES,
  NA_2100,
  WDF_REG,
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
  expandSz,
  parentWrittenBack,
} from './harness.js';
import type { AuditRow, Harness } from './harness.js';
import { rowsOf } from './harness.js';

/** NetConfigurationQueryString: device = WdfStringCreate + WdfRegistryQueryString; adapter = NDIS read + WdfStringCreate. */

const fn = 'NetConfigurationQueryString';
const FXSTRING_CREATE = 'src/framework/shared/support/fxstringapi.cpp@3b9780e:69-81';
const DUPLICATE = 'src/framework/shared/support/stringutil.cpp@3b9780e:221-232';

interface Seen {
  out: WdfString | null;
  sentinel: WdfString;
  attributes: WDF_OBJECT_ATTRIBUTES | undefined;
  h: Harness;
}

/** Calls QueryString("V") with `attributes` and an out-parameter preset to a sentinel string; `check` sees the result. */
function query(makeAttributes: (() => WDF_OBJECT_ATTRIBUTES) | undefined, check: (seen: Seen) => void) {
  return (h: Harness): void => {
    const attributes = makeAttributes?.();
    const sentinel = new WdfString(h.environment, h.environment.driver, 'sentinel');
    const out: { value: WdfString | null } = { value: sentinel };
    call(
      () => h.config.queryString('V', undefined, { attributes, out }),
      () => check({ out: out.value, sentinel, attributes, h }),
    );
  };
}

/** Success: the out-parameter is a live WDFSTRING holding `text`, a child of the configuration. */
const gives = (text: string) => (s: Seen) => {
  expect(s.out?.deleted).toBe(false);
  expect(s.out?.value).toBe(text);
  expect(s.out?.parent).toBe(s.h.config);
};
/** Device failure: *WdfString holds the deleted string's handle. */
const stale = (s: Seen) => {
  expect(s.out).not.toBe(s.sentinel);
  expect(s.out?.deleted).toBe(true);
  expect(s.h.children(s.h.config, 'WDFSTRING')).toHaveLength(0);
};
const untouched = (s: Seen) => expect(s.out).toBe(s.sentinel);
const cleared = (s: Seen) => {
  expect(s.out).toBeNull();
  expect(s.h.children(s.h.config, 'WDFSTRING')).toHaveLength(0);
};

const DEVICE_READ = [`${NA_2100}:408-424`, `${WDF_REG}:1012-1113`];

const device = rowsOf(fn, 'device', DEVICE_RELEASES, [
  {
    id: 'REG_SZ "abc"',
    input: 'REG_SZ "abc"; attributes NULL',
    expected: ok,
    out: 'new WDFSTRING "abc"',
    objects: 'WDFSTRING, parent = the configuration (NetAdapterCx sets ParentObject); deleted by Close',
    cites: [`${NA_2100}:393-404`, ...DEVICE_READ],
    values: { V: sz('abc') },
    run: query(undefined, gives('abc')),
  },
  {
    id: 'absent',
    releases: span('2004'),
    input: 'value absent',
    expected: st(STATUS_OBJECT_NAME_NOT_FOUND),
    out: 'the deleted string’s handle (stale)',
    objects: 'WDFSTRING created, then deleted',
    cites: [`${NA_2100}:410-422`, `${WDF_REG}:1017-1028`],
    run: query(undefined, stale),
  },
  {
    id: 'absent (1809/1903)',
    releases: span('1809', '1903'),
    input: 'value absent',
    expected: ok,
    out: 'the deleted string’s handle, reported as success',
    objects: 'WDFSTRING created, then deleted',
    cites: ['cx/sys/nxconfiguration.cpp@55f65cf:577-589'],
    run: query(undefined, stale),
  },
  {
    id: 'REG_DWORD',
    releases: span('2004'),
    input: 'REG_DWORD 1',
    expected: st(STATUS_OBJECT_TYPE_MISMATCH),
    out: 'stale handle',
    objects: 'created, then deleted',
    cites: [`${WDF_REG}:1053-1057`, `${NA_2100}:415-421`],
    values: { V: dword(1) },
    run: query(undefined, stale),
  },
  {
    id: 'REG_BINARY, 0 bytes',
    releases: span('2004'),
    input: 'REG_BINARY with 0 data bytes',
    expected: st(STATUS_OBJECT_TYPE_MISMATCH),
    out: 'stale handle',
    objects: 'created, then deleted',
    cites: [`${WDF_REG}:1017-1028`],
    note: 'the size probe succeeds (nothing to copy), so the type is checked before the length',
    values: { V: raw(ValueType.REG_BINARY, []) },
    run: query(undefined, stale),
  },
  {
    id: 'REG_SZ, 0 bytes',
    releases: span('2004'),
    input: 'REG_SZ with 0 data bytes',
    expected: st(STATUS_RESOURCE_DATA_NOT_FOUND),
    out: 'stale handle',
    objects: 'created, then deleted',
    cites: [`${WDF_REG}:1030-1039`],
    values: { V: raw(ValueType.REG_SZ, []) },
    run: query(undefined, stale),
  },
  {
    id: 'REG_SZ "" (NUL only)',
    input: 'REG_SZ of 2 bytes (the NUL)',
    expected: ok,
    out: 'WDFSTRING ""',
    objects: 'WDFSTRING under the configuration',
    cites: [`${WDF_REG}:1081-1093`],
    values: { V: sz('') },
    run: query(undefined, gives('')),
  },
  {
    id: 'no terminator',
    input: 'REG_SZ bytes "abc" (6 bytes, no NUL)',
    expected: ok,
    out: 'WDFSTRING "abc"',
    objects: 'WDFSTRING under the configuration',
    cites: [`${WDF_REG}:1081-1093`, `${DUPLICATE.replace(':221-232', ':272-280')}`],
    values: { V: raw(ValueType.REG_SZ, utf16('abc')) },
    run: query(undefined, gives('abc')),
  },
  {
    id: 'two trailing NULs',
    input: 'REG_SZ bytes "ab\\0\\0" (8 bytes)',
    expected: ok,
    out: 'WDFSTRING "ab\\0" (only one NUL dropped)',
    objects: 'WDFSTRING under the configuration',
    cites: [`${WDF_REG}:1085-1090`],
    values: { V: raw(ValueType.REG_SZ, utf16('ab\u0000\u0000')) },
    run: query(undefined, gives('ab\u0000')),
  },
  {
    id: 'embedded NUL',
    input: 'REG_SZ "a\\0b" + NUL',
    expected: ok,
    out: 'WDFSTRING "a\\0b" (embedded NUL kept)',
    objects: 'WDFSTRING under the configuration',
    cites: [`${WDF_REG}:1078-1081`],
    values: { V: sz('a\u0000b') },
    run: query(undefined, gives('a\u0000b')),
  },
  {
    id: 'odd length',
    input: 'REG_SZ bytes "ab" + one byte (5 bytes)',
    expected: ok,
    out: 'WDFSTRING "ab" (C: Length 5, the stray byte overwritten by the NUL KMDF appends)',
    objects: 'WDFSTRING under the configuration',
    cites: [`${WDF_REG}:1081-1093`, `${DUPLICATE.replace(':221-232', ':272-280')}`],
    values: { V: raw(ValueType.REG_SZ, [...utf16('ab'), 0x63]) },
    run: query(undefined, gives('ab')),
  },
  {
    id: 'REG_EXPAND_SZ',
    input: 'REG_EXPAND_SZ "%SystemRoot%"',
    expected: ok,
    out: 'WDFSTRING "%SystemRoot%" (not expanded)',
    objects: 'WDFSTRING under the configuration',
    cites: ['src/framework/shared/inc/private/common/fxregkey.hpp@3b9780e:302-307', `${WDF_REG}:1053-1093`],
    values: { V: expandSz('%SystemRoot%') },
    run: query(undefined, gives('%SystemRoot%')),
  },
  {
    id: '65,534 bytes ending in NUL',
    input: 'REG_SZ of 32,766 chars + NUL (65,534 bytes)',
    expected: ok,
    out: 'WDFSTRING of 32,766 chars',
    objects: 'WDFSTRING under the configuration',
    cites: [`${WDF_REG}:1060-1093`, DUPLICATE],
    values: { V: sz('x'.repeat(32766)) },
    run: query(undefined, gives('x'.repeat(32766))),
  },
  {
    id: '65,534 bytes, no NUL',
    releases: span('2004'),
    input: 'REG_SZ of 32,767 chars without NUL (Length + NUL overflows a USHORT)',
    expected: st(STATUS_INTEGER_OVERFLOW),
    out: 'stale handle',
    objects: 'created, then deleted',
    cites: [DUPLICATE, `${NA_2100}:414-422`],
    values: { V: raw(ValueType.REG_SZ, utf16('x'.repeat(32767))) },
    run: query(undefined, stale),
  },
  {
    id: '65,535 bytes, last whole WCHAR not NUL',
    releases: span('2004'),
    input: 'REG_SZ of 32,767 chars + 1 byte (65,535 bytes, the limit)',
    expected: st(STATUS_INTEGER_OVERFLOW),
    out: 'stale handle',
    objects: 'created, then deleted',
    cites: [`${WDF_REG}:1060-1093`, DUPLICATE],
    values: { V: raw(ValueType.REG_SZ, [...utf16('x'.repeat(32767)), 0x41]) },
    run: query(undefined, stale),
  },
  {
    id: '65,536 bytes',
    releases: span('2004'),
    input: 'REG_SZ of 32,767 chars + NUL (over)',
    expected: st(STATUS_INVALID_BUFFER_SIZE),
    out: 'stale handle',
    objects: 'created, then deleted',
    cites: [`${WDF_REG}:1060`, `${WDF_REG}:1095-1102`],
    values: { V: sz('x'.repeat(32767)) },
    run: query(undefined, stale),
  },
  {
    id: 'attributes: ParentObject NULL',
    input: 'REG_SZ "x"; attributes from WDF_OBJECT_ATTRIBUTES_INIT',
    expected: ok,
    out: 'WDFSTRING "x"',
    objects: 'parent = the configuration, which NetAdapterCx also wrote into the caller’s attributes',
    cites: [`${NA_2100}:402-404`, 'cx/sys/nxconfiguration.cpp@001ce6f:573-574'],
    values: { V: sz('x') },
    run: query(() => init(), parentWrittenBack(gives('x'))),
  },
  {
    id: 'attributes: ParentObject NULL, value absent',
    releases: span('2004'),
    input: 'value absent; attributes with ParentObject NULL',
    expected: st(STATUS_OBJECT_NAME_NOT_FOUND),
    out: 'stale handle',
    objects: 'the write-back into the caller’s attributes happened anyway (before the read)',
    cites: [`${NA_2100}:402-404`, `${NA_2100}:410-421`],
    run: query(() => init(), parentWrittenBack(stale)),
  },
  {
    id: 'attributes: ParentObject = a collection',
    input: 'REG_SZ "x"; attributes.ParentObject = a WDFCOLLECTION',
    expected: ok,
    out: 'WDFSTRING "x"',
    objects: 'parent = that collection; survives Close of the configuration',
    cites: [`${NA_2100}:402`, FXSTRING_CREATE, 'src/framework/shared/object/fxobject.cpp@3b9780e:1095-1101'],
    values: { V: sz('x') },
    run: (h) => {
      const parent = h.collection();
      const out: { value: WdfString | null } = { value: null };
      h.config.queryString('V', undefined, { attributes: init({ ParentObject: parent }), out });
      expect(out.value?.parent).toBe(parent);
      h.config.close();
      expect(out.value?.deleted).toBe(false);
    },
  },
  {
    id: 'attributes: with a context type',
    input: 'REG_SZ "x"; attributes with ContextTypeInfo { Size 40, ContextName, ContextSize 8 }',
    expected: ok,
    out: 'WDFSTRING "x"',
    objects: 'WDFSTRING under the configuration',
    cites: [FXSTRING_CREATE, 'src/framework/shared/object/fxvalidatefunctions.cpp@3b9780e:77-109'],
    values: { V: sz('x') },
    run: query(() => init({ ContextTypeInfo: { Size: 40, ContextName: 'CTX', ContextSize: 8 } }), gives('x')),
  },
  {
    id: 'attributes: context size without a name',
    input: 'REG_SZ "x"; ContextTypeInfo { Size 40, ContextName NULL, ContextSize 8 }',
    expected: st(STATUS_WDF_OBJECT_ATTRIBUTES_INVALID),
    out: 'NULL',
    objects: 'none',
    cites: [FXSTRING_CREATE, 'src/framework/shared/object/fxvalidatefunctions.cpp@3b9780e:96-108'],
    values: { V: sz('x') },
    run: query(() => init({ ContextTypeInfo: { Size: 40, ContextName: null, ContextSize: 8 } }), cleared),
  },
  {
    id: 'attributes: context type of a wrong size',
    input: 'REG_SZ "x"; ContextTypeInfo.Size = 16',
    expected: st(STATUS_INFO_LENGTH_MISMATCH),
    out: 'NULL',
    objects: 'none',
    cites: [FXSTRING_CREATE, 'src/framework/shared/object/fxvalidatefunctions.cpp@3b9780e:77-91'],
    values: { V: sz('x') },
    run: query(() => init({ ContextTypeInfo: { Size: 16, ContextName: 'CTX', ContextSize: 8 } }), cleared),
  },
  {
    id: 'attributes: Size 48',
    input: 'REG_SZ "x"; attributes.Size = 48',
    expected: st(STATUS_INFO_LENGTH_MISMATCH),
    out: 'NULL (WdfStringCreate cleared it)',
    objects: 'none; ParentObject was still written back',
    cites: [`${NA_2100}:402-412`, FXSTRING_CREATE, 'src/framework/shared/object/fxvalidatefunctions.cpp@3b9780e:65-75'],
    values: { V: sz('x') },
    run: query(() => init({ Size: 48 }), parentWrittenBack(cleared)),
  },
  {
    id: 'attributes: ExecutionLevel Passive',
    input: 'REG_SZ "x"; attributes.ExecutionLevel = WdfExecutionLevelPassive',
    expected: st(STATUS_WDF_EXECUTION_LEVEL_INVALID),
    out: 'NULL',
    objects: 'none',
    cites: [FXSTRING_CREATE, 'src/framework/shared/object/fxvalidatefunctions.cpp@3b9780e:201-217'],
    values: { V: sz('x') },
    run: query(() => init({ ExecutionLevel: 2 }), cleared),
  },
  {
    id: 'attributes: SynchronizationScope Device',
    input: 'REG_SZ "x"; attributes.SynchronizationScope = WdfSynchronizationScopeDevice',
    expected: st(STATUS_WDF_SYNCHRONIZATION_SCOPE_INVALID),
    out: 'NULL',
    objects: 'none',
    cites: [FXSTRING_CREATE, 'src/framework/shared/object/fxvalidatefunctions.cpp@3b9780e:181-199'],
    values: { V: sz('x') },
    run: query(() => init({ SynchronizationScope: 2 }), cleared),
  },
  {
    id: 'attributes: ContextSizeOverride without a type',
    input: 'REG_SZ "x"; attributes.ContextSizeOverride = 8, ContextTypeInfo NULL',
    expected: st(STATUS_WDF_OBJECT_ATTRIBUTES_INVALID),
    out: 'NULL',
    objects: 'none',
    cites: [FXSTRING_CREATE, 'src/framework/shared/object/fxvalidatefunctions.cpp@3b9780e:111-124'],
    values: { V: sz('x') },
    run: query(() => init({ ContextSizeOverride: 8 }), cleared),
  },
]);

const adapter = rowsOf(fn, 'adapter', ALL_RELEASES, [
  {
    id: 'REG_SZ "abc"',
    input: 'REG_SZ "abc"; attributes NULL',
    expected: ok,
    out: 'new WDFSTRING "abc"',
    objects: 'WDFSTRING, parent = the configuration; deleted by Close',
    cites: [`${NA_2100}:427-455`],
    note: '[NDIS-internal] how NDIS turns the value into StringData',
    values: { V: sz('abc') },
    run: query(undefined, gives('abc')),
  },
  ...adapterAbsentRows([`${NA_2100}:429-433`, `${NA_2100}:81-84`], ['cx/sys/nxconfiguration.cpp@4f41254:416-428'], query(undefined, untouched)),
  {
    id: 'REG_DWORD',
    input: 'REG_DWORD 1',
    expected: st(STATUS_OBJECT_TYPE_MISMATCH),
    out: 'unchanged',
    objects: 'none',
    cites: [`${NA_2100}:435-441`],
    note: '[NDIS-internal] that NDIS reports Integer for it',
    values: { V: dword(1) },
    run: query(undefined, untouched),
  },
  {
    id: 'attributes: Size 48, value present',
    input: 'REG_SZ "x"; attributes.Size = 48',
    expected: st(STATUS_INFO_LENGTH_MISMATCH),
    out: 'NULL (WdfStringCreate cleared it)',
    objects: 'none',
    cites: [`${NA_2100}:446-455`, FXSTRING_CREATE],
    values: { V: sz('x') },
    run: query(() => init({ Size: 48 }), cleared),
  },
  {
    id: 'attributes: Size 48, value absent',
    releases: span('1803'),
    input: 'value absent; attributes.Size = 48',
    expected: st(STATUS_OBJECT_NAME_NOT_FOUND),
    out: 'unchanged (the read fails before KMDF sees the attributes)',
    objects: 'none',
    cites: [`${NA_2100}:429-433`],
    run: query(() => init({ Size: 48 }), untouched),
  },
  {
    id: 'attributes: ParentObject NULL, value absent',
    releases: span('1809'),
    input: 'value absent; attributes with ParentObject NULL',
    expected: st(STATUS_OBJECT_NAME_NOT_FOUND),
    out: 'unchanged',
    objects: 'none; ParentObject written back before the read',
    cites: [`${NA_2100}:402-404`, `${NA_2100}:429-433`],
    run: query(() => init(), parentWrittenBack(untouched)),
  },
  ...(['1703', '1803'] as const).map((release) => ({
    id: `attributes: ParentObject NULL, value absent (${release})`,
    releases: [release],
    input: 'value absent; attributes with ParentObject NULL',
    expected: st(release === '1703' ? STATUS_UNSUCCESSFUL : STATUS_OBJECT_NAME_NOT_FOUND),
    out: 'unchanged',
    objects: 'none; ParentObject left NULL (written back only after a successful read)',
    cites: ['cx/sys/nxconfiguration.cpp@4f41254:413-457'],
    run: query(
      () => init(),
      (s) => {
        untouched(s);
        expect(s.attributes?.ParentObject).toBeNull();
      },
    ),
  })),
]);

/** Value types WdfRegistryQueryString refuses (not REG_SZ or REG_EXPAND_SZ). */
const otherTypes = (
  [
    ['REG_NONE', ValueType.REG_NONE],
    ['REG_BINARY', ValueType.REG_BINARY],
    ['REG_MULTI_SZ', ValueType.REG_MULTI_SZ],
    ['REG_LINK', ValueType.REG_LINK],
    ['REG_QWORD', ValueType.REG_QWORD],
  ] as const
).flatMap(([name, type]) =>
  rowsOf(fn, 'device', DEVICE_RELEASES, [
    {
      id: name,
      releases: span('2004'),
      input: `${name} holding the bytes of "ab" + NUL`,
      expected: st(STATUS_OBJECT_TYPE_MISMATCH),
      out: 'stale handle',
      objects: 'created, then deleted',
      cites: [`${WDF_REG}:1053-1057`, 'src/framework/shared/inc/private/common/fxregkey.hpp@3b9780e:302-307'],
      values: { V: raw(type, [...utf16('ab'), 0, 0]) },
      run: query(undefined, stale),
    },
    {
      id: `${name} (1809/1903)`,
      releases: span('1809', '1903'),
      input: `${name} holding the bytes of "ab" + NUL`,
      expected: ok,
      out: 'the deleted string’s handle, reported as success',
      objects: 'created, then deleted',
      cites: ['cx/sys/nxconfiguration.cpp@55f65cf:577-589'],
      values: { V: raw(type, [...utf16('ab'), 0, 0]) },
      run: query(undefined, stale),
    },
  ]),
);

/** The QueryString rows. */
export const queryStringRows: AuditRow[] = [...device, ...otherTypes, ...adapter];
