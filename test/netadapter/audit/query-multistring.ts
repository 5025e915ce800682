import { ValueType } from '../../../src/hive/index.js';
import { WdfString } from '../../../src/netadapter/index.js';
import type { WdfCollection } from '../../../src/netadapter/index.js';
import type { WDF_OBJECT_ATTRIBUTES } from '../../../src/netadapter/wdf.js';
import {
  STATUS_INFO_LENGTH_MISMATCH,
  STATUS_INSUFFICIENT_RESOURCES,
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
  expect,
  init,
  ok,
  raw,
  span,
  st,
  sz,
  utf16,
  adapterAbsentRows,
  multiSz,
  rowsOf,
} from './harness.js';
import type { Harness } from './harness.js';

/** NetConfigurationQueryMultiString: device = WdfRegistryQueryMultiString; adapter = NDIS read + NxWdfCollectionAddMultiSz. */

const fn = 'NetConfigurationQueryMultiString';
const ADD_MULTI_SZ = 'netcx/adapter/nxutility.cpp@ca1e33c';
const VERIFY_MULTI_SZ = 'src/framework/shared/support/fxregkey.cpp@3b9780e:43-63';

interface Seen {
  collection: WdfCollection;
  old: WdfString;
  attributes: WDF_OBJECT_ATTRIBUTES | undefined;
  h: Harness;
}

/** Queries "V" into a collection that already holds one string; `check` sees the collection afterwards. */
function query(makeAttributes: (() => WDF_OBJECT_ATTRIBUTES) | undefined, check: (seen: Seen) => void) {
  return (h: Harness): void => {
    const collection = h.collection();
    const old = new WdfString(h.environment, collection, 'old');
    collection.items.push(old);
    const attributes = makeAttributes?.();
    call(
      () => h.config.queryMultiString('V', collection, undefined, { attributes }),
      () => check({ collection, old, attributes, h }),
    );
  };
}
const texts = (s: Seen) => s.collection.items.map((item) => (item as WdfString).value);
/** The collection holds the old string followed by `added`. */
const holds =
  (...added: string[]) =>
  (s: Seen) =>
    expect(texts(s)).toEqual(['old', ...added]);
const unchanged = holds();
const parentsAre = (which: 'driver' | 'collection') => (s: Seen) => {
  for (const item of s.collection.items.slice(1)) expect(item.parent).toBe(which === 'driver' ? s.h.environment.driver : s.collection);
};
const BIG = ['x'.repeat(20000), 'y'.repeat(20000)];

const device = rowsOf(fn, 'device', DEVICE_RELEASES, [
  {
    id: '"a\\0b\\0\\0"',
    input: 'REG_MULTI_SZ a, b; collection already holds 1 item; attributes NULL',
    expected: ok,
    out: 'collection = [old, "a", "b"] (appended)',
    objects: '2 WDFSTRINGs, parent = the WDFDRIVER (KMDF default; NetAdapterCx passes the attributes through); they survive Close of the configuration',
    cites: [`${NA_2100}:485-488`, `${WDF_REG}:740-821`, 'src/framework/shared/object/fxobject.cpp@3b9780e:1110-1121'],
    note: 'docs say the strings default to the collection: true on the adapter path only',
    values: { V: multiSz(['a', 'b']) },
    run: query(undefined, (s) => {
      holds('a', 'b')(s);
      parentsAre('driver')(s);
      s.h.config.close();
      for (const item of s.collection.items) expect(item.deleted).toBe(false);
    }),
  },
  {
    id: 'empty element',
    input: 'REG_MULTI_SZ bytes "a\\0\\0b\\0\\0"',
    expected: ok,
    out: '[old, "a"]: the loop stops at the first empty string',
    objects: '1 WDFSTRING under the driver',
    cites: [`${WDF_REG}:758-821`],
    values: { V: raw(ValueType.REG_MULTI_SZ, utf16('a\u0000\u0000b\u0000\u0000')) },
    run: query(undefined, holds('a')),
  },
  {
    id: '"\\0\\0"',
    input: 'REG_MULTI_SZ of 4 zero bytes (no strings)',
    expected: ok,
    out: 'unchanged',
    objects: 'none',
    cites: [`${WDF_REG}:745-758`],
    values: { V: raw(ValueType.REG_MULTI_SZ, [0, 0, 0, 0]) },
    run: query(undefined, unchanged),
  },
  {
    id: 'single terminator',
    input: 'REG_MULTI_SZ bytes "a\\0" (4 bytes)',
    expected: st(STATUS_OBJECT_TYPE_MISMATCH),
    out: 'unchanged',
    objects: 'none',
    cites: [VERIFY_MULTI_SZ, `${WDF_REG}:745-749`],
    values: { V: raw(ValueType.REG_MULTI_SZ, utf16('a\u0000')) },
    run: query(undefined, unchanged),
  },
  {
    id: '2 bytes',
    input: 'REG_MULTI_SZ of one NUL (2 bytes, under two WCHARs)',
    expected: st(STATUS_OBJECT_TYPE_MISMATCH),
    out: 'unchanged',
    objects: 'none',
    cites: [VERIFY_MULTI_SZ],
    values: { V: raw(ValueType.REG_MULTI_SZ, [0, 0]) },
    run: query(undefined, unchanged),
  },
  {
    id: 'odd length',
    input: 'REG_MULTI_SZ "a\\0\\0" + 1 byte (7 bytes)',
    expected: st(STATUS_OBJECT_TYPE_MISMATCH),
    out: 'unchanged',
    objects: 'none',
    cites: [VERIFY_MULTI_SZ],
    values: { V: raw(ValueType.REG_MULTI_SZ, [...utf16('a\u0000\u0000'), 0]) },
    run: query(undefined, unchanged),
  },
  {
    id: '0 bytes',
    input: 'REG_MULTI_SZ with 0 data bytes',
    expected: st(STATUS_RESOURCE_DATA_NOT_FOUND),
    out: 'unchanged',
    objects: 'none',
    cites: [`${WDF_REG}:717-726`],
    values: { V: raw(ValueType.REG_MULTI_SZ, []) },
    run: query(undefined, unchanged),
  },
  {
    id: 'REG_SZ',
    input: 'REG_SZ "a"',
    expected: st(STATUS_OBJECT_TYPE_MISMATCH),
    out: 'unchanged',
    objects: 'none',
    cites: [`${WDF_REG}:704-715`],
    values: { V: sz('a') },
    run: query(undefined, unchanged),
  },
  {
    id: 'absent',
    input: 'value absent',
    expected: st(STATUS_OBJECT_NAME_NOT_FOUND),
    out: 'unchanged',
    objects: 'none',
    cites: [`${WDF_REG}:704-711`],
    run: query(undefined, unchanged),
  },
  {
    id: 'over 65,535 bytes',
    input: 'REG_MULTI_SZ of two 20,000-char strings (80,006 bytes)',
    expected: ok,
    out: '[old, x…, y…]',
    objects: '2 WDFSTRINGs under the driver',
    cites: [`${WDF_REG}:704-749`, VERIFY_MULTI_SZ],
    note: 'KMDF has no upper bound here (the 65,535-byte limit is NetAdapterCx’s, adapter path only)',
    values: { V: multiSz(BIG) },
    run: query(undefined, holds(...BIG)),
  },
  {
    id: 'second add fails',
    input: 'REG_MULTI_SZ a, b, c; the second FxCollection::Add fails',
    expected: st(STATUS_INSUFFICIENT_RESOURCES),
    out: 'collection back to [old]',
    objects: '"a" is removed from the collection but not deleted (it stays under the driver); "b" is deleted',
    cites: [`${WDF_REG}:778-793`, `${WDF_REG}:823-830`, 'src/framework/shared/support/fxcollection.cpp@3b9780e:127-136'],
    values: { V: multiSz(['a', 'b', 'c']) },
    run: (h: Harness) => {
      h.environment.failNext('WdfCollectionAdd', 0, 1);
      query(undefined, (s) => {
        unchanged(s);
        const left = s.h.children(s.h.environment.driver, 'WDFSTRING') as WdfString[];
        expect(left.map((x) => x.value)).toEqual(['a']);
      })(h);
    },
  },
  {
    id: 'attributes: Size 48',
    input: 'REG_MULTI_SZ a; attributes.Size = 48',
    expected: st(STATUS_INFO_LENGTH_MISMATCH),
    out: 'unchanged',
    objects: 'none',
    cites: [`${WDF_REG}:681-684`, 'src/framework/shared/object/fxvalidatefunctions.cpp@3b9780e:65-75'],
    values: { V: multiSz(['a']) },
    run: query(() => init({ Size: 48 }), unchanged),
  },
  {
    id: 'attributes: Size 48, value absent',
    input: 'value absent; attributes.Size = 48',
    expected: st(STATUS_INFO_LENGTH_MISMATCH),
    out: 'unchanged',
    objects: 'none (the attributes are checked before the value is looked up)',
    cites: [`${WDF_REG}:681-684`, `${WDF_REG}:704`],
    run: query(() => init({ Size: 48 }), unchanged),
  },
  {
    id: 'attributes: ParentObject NULL',
    input: 'REG_MULTI_SZ a; attributes from WDF_OBJECT_ATTRIBUTES_INIT',
    expected: ok,
    out: '[old, "a"]',
    objects: 'parent = the WDFDRIVER; the caller’s ParentObject stays NULL (no write-back on this path)',
    cites: [`${NA_2100}:485-488`, `${WDF_REG}:761-774`],
    values: { V: multiSz(['a']) },
    run: query(
      () => init(),
      (s) => {
        holds('a')(s);
        parentsAre('driver')(s);
        expect(s.attributes?.ParentObject).toBeNull();
      },
    ),
  },
]);

const adapter = rowsOf(fn, 'adapter', ALL_RELEASES, [
  {
    id: '"a\\0b\\0\\0"',
    input: 'REG_MULTI_SZ a, b; collection holds 1 item; attributes NULL',
    expected: ok,
    out: '[old, "a", "b"]',
    objects: '2 WDFSTRINGs, parent = the collection (NxWdfCollectionAddMultiSz default)',
    cites: [`${NA_2100}:490-511`, `${ADD_MULTI_SZ}:99-154`],
    values: { V: multiSz(['a', 'b']) },
    run: query(undefined, (s) => {
      holds('a', 'b')(s);
      parentsAre('collection')(s);
    }),
  },
  {
    id: 'empty element',
    input: 'REG_MULTI_SZ bytes "a\\0\\0b\\0\\0"',
    expected: ok,
    out: '[old, "a"]',
    objects: '1 WDFSTRING under the collection',
    cites: [`${ADD_MULTI_SZ}:113-154`],
    values: { V: raw(ValueType.REG_MULTI_SZ, utf16('a\u0000\u0000b\u0000\u0000')) },
    run: query(undefined, holds('a')),
  },
  {
    id: 'single terminator',
    input: 'REG_MULTI_SZ bytes "a\\0"',
    expected: st(STATUS_OBJECT_TYPE_MISMATCH),
    out: 'unchanged',
    objects: 'none',
    cites: [`${ADD_MULTI_SZ}:84-93`],
    note: '[NDIS-internal] that NDIS hands the bytes over unchanged',
    values: { V: raw(ValueType.REG_MULTI_SZ, utf16('a\u0000')) },
    run: query(undefined, unchanged),
  },
  {
    id: '65,535 bytes or more',
    input: 'REG_MULTI_SZ of two 20,000-char strings (80,006 bytes)',
    expected: st(STATUS_OBJECT_TYPE_MISMATCH),
    out: 'unchanged',
    objects: 'none',
    cites: [`${ADD_MULTI_SZ}:78-82`, 'cx/sys/nxutility.cpp@7bf48b0:56'],
    note: '[NDIS-internal] what NDIS returns for data past a USHORT Length',
    values: { V: multiSz(BIG) },
    run: query(undefined, unchanged),
  },
  ...adapterAbsentRows([`${NA_2100}:493-497`, `${NA_2100}:81-84`], ['cx/sys/nxconfiguration.cpp@4f41254:506-518'], query(undefined, unchanged)),
  {
    id: 'REG_SZ',
    input: 'REG_SZ "a"',
    expected: st(STATUS_OBJECT_TYPE_MISMATCH),
    out: 'unchanged',
    objects: 'none',
    cites: [`${NA_2100}:499-504`],
    note: '[NDIS-internal] that NDIS reports String for it',
    values: { V: sz('a') },
    run: query(undefined, unchanged),
  },
  {
    id: 'attributes: Size 48',
    input: 'REG_MULTI_SZ a; attributes.Size = 48',
    expected: st(STATUS_INFO_LENGTH_MISMATCH),
    out: 'unchanged (the failing first WdfStringCreate added nothing)',
    objects: 'none; ParentObject was written back (= the collection) before the create',
    cites: [`${ADD_MULTI_SZ}:108-130`, 'src/framework/shared/support/fxstringapi.cpp@3b9780e:78-81'],
    values: { V: multiSz(['a']) },
    run: query(
      () => init({ Size: 48 }),
      (s) => {
        unchanged(s);
        expect(s.attributes?.ParentObject).toBe(s.collection);
      },
    ),
  },
  {
    id: 'second add fails',
    input: 'REG_MULTI_SZ a, b, c; the second WdfCollectionAdd fails',
    expected: st(STATUS_UNSUCCESSFUL),
    out: 'collection back to [old]',
    objects: '"b" deleted; "a" removed from the collection and deleted (client cleanup callbacks run, as the source’s TODO says)',
    cites: [`${ADD_MULTI_SZ}:132-145`, `${ADD_MULTI_SZ}:158-177`, 'src/framework/shared/support/fxcollectionapi.cpp@3b9780e:164-168'],
    values: { V: multiSz(['a', 'b', 'c']) },
    run: (h: Harness) => {
      h.environment.failNext('WdfCollectionAdd', 0, 1);
      query(undefined, (s) => {
        unchanged(s);
        expect(s.collection.childObjects().filter((c) => c !== s.old)).toHaveLength(0);
      })(h);
    },
  },
  {
    id: 'attributes: Size 48, no strings',
    input: 'REG_MULTI_SZ "\\0\\0"; attributes.Size = 48',
    expected: ok,
    out: 'unchanged',
    objects: 'none: no WdfStringCreate call, so KMDF never sees the bad attributes',
    cites: [`${ADD_MULTI_SZ}:113`],
    values: { V: raw(ValueType.REG_MULTI_SZ, [0, 0, 0, 0]) },
    run: query(() => init({ Size: 48 }), unchanged),
  },
  {
    id: 'attributes: ParentObject NULL, value absent',
    releases: span('1803'),
    input: 'value absent; attributes with ParentObject NULL',
    expected: st(STATUS_OBJECT_NAME_NOT_FOUND),
    out: 'unchanged',
    objects: 'ParentObject stays NULL: the write-back is inside NxWdfCollectionAddMultiSz, after the read',
    cites: [`${NA_2100}:493-506`, `${ADD_MULTI_SZ}:108-110`],
    run: query(
      () => init(),
      (s) => expect(s.attributes?.ParentObject).toBeNull(),
    ),
  },
  {
    id: 'attributes: ParentObject = a configuration',
    input: 'REG_MULTI_SZ a; attributes.ParentObject = the configuration',
    expected: ok,
    out: '[old, "a"]',
    objects: 'the string’s parent is the configuration: Close deletes it while the collection still lists it',
    cites: [`${ADD_MULTI_SZ}:108-124`],
    values: { V: multiSz(['a']) },
    run: (h) => {
      const collection = h.collection();
      h.config.queryMultiString('V', collection, undefined, { attributes: init({ ParentObject: h.config }) });
      expect(collection.items[0]?.parent).toBe(h.config);
      h.config.close();
      expect(collection.items[0]?.deleted).toBe(true);
    },
  },
]);

/** The QueryMultiString rows. */
export const queryMultiStringRows = [...device, ...adapter];
