import { ValueType } from '../../../src/hive/index.js';
import {
  NetConfigurationQueryBinary,
  NetConfigurationQueryMultiString,
  NetConfigurationQueryString,
  WdfCollection,
  WdfMemory,
  type WdfString,
} from '../../../src/netadapter/index.js';
import type { WDF_OBJECT_ATTRIBUTES } from '../../../src/netadapter/index.js';
import {
  NtStatusError,
  STATUS_INFO_LENGTH_MISMATCH,
  STATUS_INVALID_PARAMETER,
  STATUS_NOT_FOUND,
  STATUS_OBJECT_NAME_NOT_FOUND,
} from '../../../src/registry/index.js';
import { ALL_RELEASES, DEVICE_RELEASES, NA_2100, WDF_REG, expect, multiSz, raw, rowsOf, span, st, sz } from './harness.js';
import type { Harness } from './harness.js';

/**
 * The same facts at the C face (api.ts), where a ported driver meets them. The model's methods have
 * them (the rows of the other files); these rows check that api.ts passes the caller's attributes and
 * out-parameter through to them (the methods' `c` argument) instead of presetting or writing back on its own.
 */

const fail = (status: number): void => {
  if (status !== 0) throw new NtStatusError(status, 'returned by the C face');
};
/** QueryBinary through the C face with `*WdfMemory` preset to a live handle; `check` sees the out-parameter afterwards. */
function presetMemory(h: Harness, check: (out: { value: WdfMemory | null }, sentinel: WdfMemory) => void): void {
  const sentinel = new WdfMemory(h.environment, h.environment.driver, new Uint8Array(1));
  const out: { value: WdfMemory | null } = { value: sentinel };
  const status = NetConfigurationQueryBinary(h.config, 'V', 0, null, out);
  check(out, sentinel);
  fail(status);
}
const bad = (): WDF_OBJECT_ATTRIBUTES => ({ Size: 48, ParentObject: null, ContextTypeInfo: null, EvtCleanupCallback: null });

export const cFaceRows = [
  ...rowsOf('NetConfigurationQueryBinary', 'adapter', ALL_RELEASES, [
    {
      id: 'C face: 0 bytes',
      input: 'REG_BINARY of 0 bytes; *WdfMemory preset to a handle',
      expected: st(STATUS_INVALID_PARAMETER),
      out: '*WdfMemory unchanged (WdfMemoryCreate returns before clearing it)',
      objects: 'none',
      cites: ['src/framework/shared/core/fxmemorybufferapi.cpp@3b9780e:118-125', `${NA_2100}:599-606`],
      values: { V: raw(ValueType.REG_BINARY, []) },
      run: (h: Harness) => presetMemory(h, (out, sentinel) => expect(out.value).toBe(sentinel)),
    },
  ]),
  ...rowsOf('NetConfigurationQueryBinary', 'adapter', ALL_RELEASES, [
    {
      id: 'C face: REG_SZ',
      input: 'REG_SZ "x"; *WdfMemory preset to a handle',
      expected: st(STATUS_NOT_FOUND),
      out: '*WdfMemory unchanged (the type check returns before WdfMemoryCreate)',
      objects: 'none',
      cites: [`${NA_2100}:584-590`],
      values: { V: sz('x') },
      run: (h: Harness) => presetMemory(h, (out, sentinel) => expect(out.value).toBe(sentinel)),
    },
  ]),
  ...rowsOf('NetConfigurationQueryBinary', 'adapter', span('1803'), [
    {
      id: 'C face: absent',
      input: 'value absent; *WdfMemory preset to a handle',
      expected: st(STATUS_OBJECT_NAME_NOT_FOUND),
      out: '*WdfMemory unchanged (the NDIS read fails before WdfMemoryCreate)',
      objects: 'none',
      cites: [`${NA_2100}:571-579`],
      run: (h: Harness) => presetMemory(h, (out, sentinel) => expect(out.value).toBe(sentinel)),
    },
  ]),
  ...rowsOf('NetConfigurationQueryBinary', 'device', DEVICE_RELEASES, [
    {
      id: 'C face: attributes Size 48',
      input: 'REG_BINARY 01; attributes.Size = 48',
      expected: st(STATUS_INFO_LENGTH_MISMATCH),
      out: 'NULL',
      objects: 'none',
      cites: [`${WDF_REG}:553-565`],
      values: { V: raw(ValueType.REG_BINARY, [1]) },
      run: (h: Harness) => {
        const out: { value: WdfMemory | null } = { value: null };
        fail(NetConfigurationQueryBinary(h.config, 'V', 0, bad(), out));
      },
    },
  ]),
  ...rowsOf('NetConfigurationQueryString', 'device', DEVICE_RELEASES, [
    {
      id: 'C face: attributes Size 48',
      input: 'REG_SZ "x"; attributes.Size = 48',
      expected: st(STATUS_INFO_LENGTH_MISMATCH),
      out: 'NULL',
      objects: 'none',
      cites: ['src/framework/shared/support/fxstringapi.cpp@3b9780e:69-81', `${NA_2100}:410-412`],
      values: { V: sz('x') },
      run: (h: Harness) => {
        const out: { value: WdfString | null } = { value: null };
        const status = NetConfigurationQueryString(h.config, 'V', bad(), out);
        expect(out.value).toBeNull();
        fail(status);
      },
    },
  ]),
  ...rowsOf('NetConfigurationQueryMultiString', 'device', DEVICE_RELEASES, [
    {
      id: 'C face: attributes Size 48',
      input: 'REG_MULTI_SZ a; attributes.Size = 48',
      expected: st(STATUS_INFO_LENGTH_MISMATCH),
      out: 'collection unchanged',
      objects: 'none',
      cites: [`${WDF_REG}:681-684`],
      values: { V: multiSz(['a']) },
      run: (h: Harness) => {
        const collection = new WdfCollection(h.environment);
        const status = NetConfigurationQueryMultiString(h.config, 'V', bad(), collection);
        expect(collection.items).toHaveLength(0);
        fail(status);
      },
    },
  ]),
  ...rowsOf('NetConfigurationQueryMultiString', 'adapter', span('1809'), [
    {
      id: 'C face: ParentObject NULL, value absent',
      input: 'value absent; attributes from WDF_OBJECT_ATTRIBUTES_INIT',
      expected: st(STATUS_OBJECT_NAME_NOT_FOUND),
      out: 'collection unchanged; the caller’s ParentObject stays NULL',
      objects: 'none',
      cites: [`${NA_2100}:493-506`, 'netcx/adapter/nxutility.cpp@ca1e33c:108-110'],
      run: (h: Harness) => {
        const attributes: WDF_OBJECT_ATTRIBUTES = { Size: 56, ParentObject: null, ContextTypeInfo: null, EvtCleanupCallback: null };
        const status = NetConfigurationQueryMultiString(h.config, 'V', attributes, new WdfCollection(h.environment));
        expect(attributes.ParentObject).toBeNull();
        fail(status);
      },
    },
  ]),
];
