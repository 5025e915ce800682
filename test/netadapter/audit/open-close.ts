import {
  BUGCODE_NETADAPTER_DRIVER,
  DISPATCH_LEVEL,
  NetAdapterOpenConfiguration,
  NetConfigurationOpenSubConfiguration,
  NetDeviceOpenConfiguration,
  SYSTEM_THREAD_EXCEPTION_NOT_HANDLED,
  WDF_VIOLATION,
  WdfDevice,
} from '../../../src/netadapter/index.js';
import type { NetConfiguration, WDF_OBJECT_ATTRIBUTES } from '../../../src/netadapter/index.js';
import {
  NtStatusError,
  STATUS_ACCESS_DENIED,
  STATUS_INFO_LENGTH_MISMATCH,
  STATUS_INSUFFICIENT_RESOURCES,
  STATUS_OBJECT_NAME_INVALID,
  STATUS_OBJECT_NAME_NOT_FOUND,
  STATUS_UNSUCCESSFUL,
  STATUS_WDF_PARENT_ASSIGNMENT_NOT_ALLOWED,
} from '../../../src/registry/index.js';
import { STATUS_WDF_EXECUTION_LEVEL_INVALID } from '../../../src/registry/index.js';
import { ALL_RELEASES, DEVICE_RELEASES, NA_2100, NA_API_2100, bug, dword, expect, ok, rowsOf, span, st, sz } from './harness.js';
import type { Harness } from './harness.js';

/** The two opens, OpenSubConfiguration and Close. */

const ADAPTER_API = 'netcx/adapter/nxadapterapi.cpp@ca1e33c';
const DEVICE_API = 'netcx/adapter/nxdeviceapi.cpp@ca1e33c';
const ALLOCATE_CONTEXT = 'src/framework/shared/object/handleapi.cpp@3b9780e';
const WITH_CONTEXT: WDF_OBJECT_ATTRIBUTES = { Size: 56, ParentObject: null, ContextTypeInfo: { name: 'CTX' }, EvtCleanupCallback: null };

/** Opens a second configuration over the harness's owner through the C face with `attributes`. */
function openAgain(h: Harness, attributes: WDF_OBJECT_ATTRIBUTES | null, check: (out: NetConfiguration | null, before: number) => void): void {
  const out: { value: NetConfiguration | null } = { value: null };
  const before = h.children(h.owner, 'NETCONFIGURATION').length;
  const status = h.owner instanceof WdfDevice ? NetDeviceOpenConfiguration(h.owner, attributes, out) : NetAdapterOpenConfiguration(h.owner, attributes, out);
  check(out.value, before);
  if (status !== 0) throw new NtStatusError(status, 'returned by the C face');
}

/** An open that failed: *Configuration is NULL and the owner has no more configurations than before. */
const refused = (h: Harness) => (out: NetConfiguration | null, before: number) => {
  expect(out).toBeNull();
  expect(h.children(h.owner, 'NETCONFIGURATION')).toHaveLength(before);
};

const openRows = (fn: 'NetAdapterOpenConfiguration' | 'NetDeviceOpenConfiguration', backend: 'adapter' | 'device') => {
  const api = backend === 'adapter' ? ADAPTER_API : DEVICE_API;
  const lines = backend === 'adapter' ? { start: '402-443', attrs: '425-434' } : { start: '133-162', attrs: '149-158' };
  const keyOpen = backend === 'adapter' ? 'NdisOpenConfigurationEx' : 'WdfDeviceOpenRegistryKey';
  return rowsOf(fn, backend, backend === 'adapter' ? ALL_RELEASES : DEVICE_RELEASES, [
    {
      id: 'opens',
      input: 'attributes NULL',
      expected: ok,
      out: 'the new NETCONFIGURATION',
      objects: `NETCONFIGURATION, parent = the ${backend === 'adapter' ? 'NETADAPTER' : 'WDFDEVICE'}; deleted with it or by Close`,
      cites: [`${api}:${lines.start}`, `${NA_2100}:${backend === 'adapter' ? '150-179' : '139-148'}`],
      run: (h) => openAgain(h, null, (out) => expect(out?.parent).toBe(h.owner)),
    },
    {
      id: `${keyOpen} fails`,
      input: `${keyOpen} → ${backend === 'adapter' ? 'NDIS_STATUS_RESOURCES' : 'STATUS_ACCESS_DENIED'}`,
      expected: st(backend === 'adapter' ? STATUS_INSUFFICIENT_RESOURCES : STATUS_ACCESS_DENIED),
      out: 'NULL',
      objects: 'the configuration object is deleted again; none left',
      cites: [`${api}:${backend === 'adapter' ? '413-420' : '141-147'}`, `${NA_2100}:${backend === 'adapter' ? '168-175' : '141-147'}`],
      run: (h) => {
        h.environment.failNext(keyOpen, backend === 'adapter' ? STATUS_INSUFFICIENT_RESOURCES : STATUS_ACCESS_DENIED);
        openAgain(h, null, refused(h));
      },
    },
    {
      id: 'attributes: ParentObject set',
      releases: backend === 'adapter' ? ALL_RELEASES : ['2100'],
      input: 'attributes with a context type and ParentObject = the driver',
      expected: st(STATUS_WDF_PARENT_ASSIGNMENT_NOT_ALLOWED),
      out: 'NULL',
      objects: 'the opened configuration is closed again; client callbacks never run',
      cites: [
        `${api}:${lines.attrs}`,
        `${NA_2100}:250-263`,
        `${ALLOCATE_CONTEXT}:494-505`,
        'src/framework/shared/object/fxvalidatefunctions.cpp@3b9780e:139-148',
      ],
      run: (h) => openAgain(h, { ...WITH_CONTEXT, ParentObject: h.environment.driver }, refused(h)),
    },
    {
      id: 'attributes: no context type',
      releases: backend === 'adapter' ? ALL_RELEASES : ['2100'],
      input: 'attributes with only a cleanup callback (ContextTypeInfo NULL)',
      expected: st(STATUS_OBJECT_NAME_INVALID),
      out: 'NULL',
      objects: 'configuration closed again; the callback is not run',
      cites: [`${ALLOCATE_CONTEXT}:510-517`, `${api}:${lines.attrs}`],
      run: (h) => {
        let ran = false;
        openAgain(h, { Size: 56, ParentObject: null, ContextTypeInfo: null, EvtCleanupCallback: () => (ran = true) }, (out) => {
          expect(out).toBeNull();
          expect(ran).toBe(false);
        });
      },
    },
    {
      id: 'attributes: Size 48',
      releases: backend === 'adapter' ? ALL_RELEASES : ['2100'],
      input: 'attributes.Size = 48',
      expected: st(STATUS_INFO_LENGTH_MISMATCH),
      out: 'NULL',
      objects: 'configuration closed again',
      cites: [`${ALLOCATE_CONTEXT}:502-505`, 'src/framework/shared/object/fxvalidatefunctions.cpp@3b9780e:65-75'],
      run: (h) => openAgain(h, { ...WITH_CONTEXT, Size: 48 }, (out) => expect(out).toBeNull()),
    },
    ...(backend === 'device'
      ? [
          {
            id: 'open fails after attributes (1809–2004)',
            releases: span('1809', '2004'),
            input: 'attributes with a context type and a cleanup callback; WdfDeviceOpenRegistryKey → STATUS_ACCESS_DENIED',
            expected: st(STATUS_ACCESS_DENIED),
            out: 'NULL',
            objects: 'the attributes were attached before the key open, so the Close after the failed open runs the client’s cleanup callback',
            cites: ['cx/sys/nxconfiguration.cpp@001ce6f:201-211'],
            run: (h: Harness) => {
              let runs = 0;
              h.environment.failNext('WdfDeviceOpenRegistryKey', STATUS_ACCESS_DENIED);
              openAgain(h, { ...WITH_CONTEXT, EvtCleanupCallback: () => runs++ }, (out) => {
                expect(out).toBeNull();
                expect(runs).toBe(1);
              });
            },
          },
          {
            id: 'attributes: ParentObject set (1809–2004)',
            releases: span('1809', '2004'),
            input: 'attributes with ParentObject = the driver',
            expected: st(STATUS_WDF_PARENT_ASSIGNMENT_NOT_ALLOWED),
            out: 'NULL',
            objects: 'attributes came before the key open and the failure returned without deleting: the configuration leaks under the device',
            cites: ['cx/sys/nxconfiguration.cpp@001ce6f:201-211', 'cx/sys/nxdeviceapi.cpp@001ce6f:52-61'],
            run: (h: Harness) =>
              openAgain(h, { ...WITH_CONTEXT, ParentObject: h.environment.driver }, (out, before) => {
                expect(out).toBeNull();
                expect(h.children(h.owner, 'NETCONFIGURATION')).toHaveLength(before + 1);
              }),
          },
        ]
      : []),
    {
      id: 'attributes: ExecutionLevel Passive',
      releases: backend === 'adapter' ? ALL_RELEASES : ['2100'],
      input: 'attributes with a context type and ExecutionLevel = WdfExecutionLevelPassive',
      expected: st(STATUS_WDF_EXECUTION_LEVEL_INVALID),
      out: 'NULL',
      objects: 'configuration closed again',
      cites: [`${ALLOCATE_CONTEXT}:494-505`, 'src/framework/shared/object/fxvalidatefunctions.cpp@3b9780e:201-217', `${api}:${lines.attrs}`],
      run: (h: Harness) => openAgain(h, { ...WITH_CONTEXT, ExecutionLevel: 2 } as WDF_OBJECT_ATTRIBUTES, (out) => expect(out).toBeNull()),
    },
    {
      id: 'attributes: context and cleanup callback',
      input: 'attributes with a context type and a cleanup callback',
      expected: ok,
      out: 'the configuration',
      objects: 'the callback runs once, when the configuration is closed',
      cites: [`${api}:${lines.attrs}`, `${NA_2100}:250-263`],
      run: (h) => {
        let runs = 0;
        openAgain(h, { ...WITH_CONTEXT, EvtCleanupCallback: () => runs++ }, (out) => {
          expect(runs).toBe(0);
          out?.close();
          expect(runs).toBe(1);
        });
      },
    },
  ]);
};

/** Opens "Sub" (or `name`) of the harness configuration through the C face. */
function openSub(h: Harness, name: string, check: (out: NetConfiguration | null) => void, attributes: WDF_OBJECT_ATTRIBUTES | null = null): void {
  const out: { value: NetConfiguration | null } = { value: null };
  const status = NetConfigurationOpenSubConfiguration(h.config, name, attributes, out);
  check(out.value);
  if (status !== 0) throw new NtStatusError(status, 'returned by the C face');
}
const SUB = { Sub: { V: dword(3) } };

const subRows = [
  ...rowsOf(
    'NetConfigurationOpenSubConfiguration',
    'device',
    ['2100'],
    [
      {
        id: 'present',
        input: 'subkey Sub with V = 3; then Close the parent',
        expected: ok,
        out: 'the sub-configuration (device backend)',
        objects: 'NETCONFIGURATION, parent = the configuration (not the device); deleted with its parent',
        cites: [`${NA_API_2100}:93-139`, `${NA_2100}:192-201`],
        subkeys: SUB,
        run: (h) =>
          openSub(h, 'Sub', (sub) => {
            expect(sub?.parent).toBe(h.config);
            expect(sub?.queryUlong('V')).toBe(3);
            h.config.close();
            expect(sub?.deleted).toBe(true);
          }),
      },
      {
        id: 'absent',
        input: 'no subkey Sub',
        expected: st(STATUS_OBJECT_NAME_NOT_FOUND),
        out: 'NULL',
        objects: 'the sub-configuration object is deleted again; the key is not created',
        cites: [`${NA_API_2100}:113-118`, `${NA_2100}:192-198`, 'src/framework/shared/support/km/fxregkeykm.cpp@3b9780e:96-121'],
        run: (h) =>
          openSub(h, 'Sub', (sub) => {
            expect(sub).toBeNull();
            expect(h.children(h.config, 'NETCONFIGURATION')).toHaveLength(0);
            expect(() => h.key.openSubkey('Sub')).toThrow();
          }),
      },
      {
        id: 'nested path',
        input: 'name "Sub\\Deeper" (ZwOpenKey takes a path relative to the parent handle)',
        expected: ok,
        out: 'a sub-configuration over Sub\\Deeper',
        objects: 'NETCONFIGURATION under the configuration',
        cites: ['src/framework/shared/support/km/fxregkeykm.cpp@3b9780e:113-120', `${NA_2100}:194-198`],
        subkeys: { Sub: {}, 'Sub\\Deeper': { V: dword(9) } },
        run: (h) => openSub(h, 'Sub\\Deeper', (sub) => expect(sub?.queryUlong('V')).toBe(9)),
      },
      {
        id: 'empty name',
        input: 'name "" (Length 0)',
        expected: ok,
        out: 'a second configuration over the same key',
        objects: 'NETCONFIGURATION under the configuration',
        cites: ['src/framework/shared/support/km/fxregkeykm.cpp@3b9780e:113-120', 'src/framework/shared/support/fxregistryapi.cpp@3b9780e:123-142'],
        note: 'an empty name passes FxValidateUnicodeString; that ZwOpenKey then reopens the parent key itself is object-manager behaviour, not in these sources',
        values: { V: dword(1) },
        run: (h: Harness) => openSub(h, '', (sub) => expect(sub?.queryUlong('V')).toBe(1)),
      },
      {
        id: 'attributes: ParentObject set',
        input: 'subkey present; attributes with ParentObject = the driver',
        expected: st(STATUS_WDF_PARENT_ASSIGNMENT_NOT_ALLOWED),
        out: 'NULL',
        objects: 'sub-configuration closed again',
        cites: [`${NA_API_2100}:123-131`],
        subkeys: SUB,
        run: (h) =>
          openSub(
            h,
            'Sub',
            (sub) => {
              expect(sub).toBeNull();
              expect(h.children(h.config, 'NETCONFIGURATION')).toHaveLength(0);
            },
            { ...WITH_CONTEXT, ParentObject: h.environment.driver },
          ),
      },
    ],
  ),
  ...rowsOf('NetConfigurationOpenSubConfiguration', 'device', span('1809', '2004'), [
    {
      id: 'present, then used (1809–2004)',
      input: 'subkey Sub; OpenSub succeeds, then QueryUlong on it',
      expected: bug(SYSTEM_THREAD_EXCEPTION_NOT_HANDLED),
      out: 'a sub-configuration built on the adapter path',
      objects: 'the sub-configuration has no adapter and a NULL NDIS handle',
      cites: ['netcx/adapter/nxconfigurationapi.cpp@e54583a:94-131'],
      note: 'what NdisOpenConfigurationKeyByName does with the NULL parent handle is [NDIS-internal]; the model lets the open succeed and crashes on first use',
      subkeys: SUB,
      run: (h) => openSub(h, 'Sub', (sub) => sub?.queryUlong('V')),
    },
  ]),
  ...rowsOf('NetConfigurationOpenSubConfiguration', 'adapter', ALL_RELEASES, [
    {
      id: 'present',
      input: 'subkey Sub with V = 3',
      expected: ok,
      out: 'the sub-configuration (adapter backend)',
      objects: 'NETCONFIGURATION, parent = the configuration',
      cites: [`${NA_2100}:203-226`, `${NA_API_2100}:105-139`],
      subkeys: SUB,
      run: (h) => openSub(h, 'Sub', (sub) => expect(sub?.parent).toBe(h.config)),
    },
    {
      id: 'absent',
      input: 'no subkey Sub',
      expected: st(STATUS_UNSUCCESSFUL),
      out: 'NULL',
      objects: 'sub-configuration object deleted again',
      cites: [`${NA_2100}:211-220`, `${NA_API_2100}:113-118`],
      note: '[NDIS-internal] whether NDIS creates the key; NDIS_STATUS_FAILURE converts to STATUS_UNSUCCESSFUL',
      run: (h) => openSub(h, 'Sub', (sub) => expect(sub).toBeNull()),
    },
  ]),
];

const closeRows = (['adapter', 'device'] as const).flatMap((backend) =>
  rowsOf('NetConfigurationClose', backend, backend === 'adapter' ? ALL_RELEASES : DEVICE_RELEASES, [
    {
      id: 'children go with it',
      input: 'a WDFSTRING and a WDFMEMORY queried with default parents, then Close',
      expected: ok,
      out: '—',
      objects: 'both children deleted before the configuration; using the configuration afterwards is a WDF bug check',
      cites: [`${NA_2100}:238-248`, `${NA_API_2100}:44-49`, `${NA_2100}:102-125`],
      values: { S: sz('s'), B: { type: 3, data: Uint8Array.of(1) } },
      run: (h) => {
        const text = h.config.queryString('S');
        const memory = h.config.queryBinary('B');
        h.config.close();
        expect(text.deleted && memory.deleted && h.config.deleted).toBe(true);
        expect(() => h.config.queryUlong('S')).toThrow(expect.objectContaining({ code: WDF_VIOLATION }));
      },
    },
    {
      id: 'a sub-configuration',
      releases: backend === 'device' ? ['2100'] : ALL_RELEASES,
      input: 'OpenSub("Sub"), then Close the sub-configuration',
      expected: ok,
      out: '—',
      objects: 'only the sub-configuration (and its children) deleted; the parent stays usable',
      cites: [`${NA_2100}:238-248`, `${NA_API_2100}:44-49`],
      subkeys: { Sub: { V: dword(3) } },
      values: { V: dword(1) },
      run: (h: Harness) => {
        const sub = h.config.openSubConfiguration('Sub');
        sub.close();
        expect(sub.deleted).toBe(true);
        expect(h.config.queryUlong('V')).toBe(1);
      },
    },
    {
      id: 'twice',
      input: 'Close, then Close again',
      expected: bug(WDF_VIOLATION),
      out: '—',
      objects: 'the second WdfObjectDelete is on a deleted handle',
      cites: [`${NA_2100}:238-248`],
      run: (h) => {
        h.config.close();
        h.config.close();
      },
    },
    {
      id: 'at DISPATCH_LEVEL',
      input: 'Close called at IRQL 2',
      expected: bug(BUGCODE_NETADAPTER_DRIVER),
      out: '—',
      objects: 'nothing deleted',
      cites: [`${NA_API_2100}:46-47`, 'netcx/adapter/verifier.cpp@ca1e33c:164'],
      run: (h) => {
        try {
          h.environment.atIrql(DISPATCH_LEVEL, () => h.config.close());
        } finally {
          expect(h.config.deleted).toBe(false);
        }
      },
    },
  ]),
);

/** The open, sub-configuration and close rows. */
export const openCloseRows = [
  ...openRows('NetAdapterOpenConfiguration', 'adapter'),
  ...openRows('NetDeviceOpenConfiguration', 'device'),
  ...subRows,
  ...closeRows,
];
