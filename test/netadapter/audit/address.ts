import { BUGCODE_NETADAPTER_DRIVER, NetConfigurationQueryLinkLayerAddress, NetConfigurationQueryNetworkAddress } from '../../../src/netadapter/index.js';
import { STATUS_BUFFER_OVERFLOW, STATUS_BUFFER_TOO_SMALL, STATUS_INVALID_PARAMETER, STATUS_UNSUCCESSFUL, NtStatusError } from '../../../src/registry/index.js';
import { NA_2100, NA_API_2100, bug, call, dword, expect, ok, rowsOf, span, st, sz } from './harness.js';
import type { Harness } from './harness.js';

/** NetConfigurationQueryLinkLayerAddress (1803+) and 1703's NetConfigurationQueryNetworkAddress: NdisReadNetworkAddress. */

const SENTINEL = Uint8Array.from({ length: 32 }, () => 0xee);

/** Reads the address into a struct preset to Length 99 and 0xEE bytes; `check` sees it afterwards. */
function query(check: (out: { Length: number; Address: Uint8Array }, h: Harness) => void) {
  return (h: Harness): void => {
    const out = { Length: 99, Address: SENTINEL.slice() };
    call(
      () => h.config.queryLinkLayerAddress(out),
      () => check(out, h),
    );
  };
}
const address =
  (...bytes: number[]) =>
  (out: { Length: number; Address: Uint8Array }) => {
    expect(out.Length).toBe(bytes.length);
    expect([...out.Address.slice(0, bytes.length)]).toEqual(bytes);
    expect(out.Address.slice(bytes.length).every((b) => b === 0)).toBe(true);
  };
const untouched = (out: { Length: number; Address: Uint8Array }) => {
  expect(out.Length).toBe(99);
  expect(out.Address).toEqual(SENTINEL);
};

const READ = [`${NA_2100}:649-680`];
const MAC = [0x02, 0x11, 0x22, 0x33, 0x44, 0x55];

const linkLayer = [
  ...rowsOf('NetConfigurationQueryLinkLayerAddress', 'adapter', span('1803'), [
    {
      id: 'hyphenated',
      input: 'NetworkAddress = REG_SZ "02-11-22-33-44-55"',
      expected: ok,
      out: 'struct zeroed, Length 6, Address 02 11 22 33 44 55',
      objects: 'none',
      cites: [...READ, `${NA_2100}:675-678`],
      note: '[NDIS-internal] the text → bytes rules (docs: hyphens dropped, pairs of hex digits)',
      values: { NetworkAddress: sz('02-11-22-33-44-55') },
      run: query(address(...MAC)),
    },
    {
      id: '12 digits',
      input: 'NetworkAddress = "021122334455"',
      expected: ok,
      out: 'Length 6, same bytes',
      objects: 'none',
      cites: READ,
      values: { NetworkAddress: sz('021122334455') },
      run: query(address(...MAC)),
    },
    {
      id: 'broadcast, multicast, zero',
      input: 'NetworkAddress = "FFFFFFFFFFFF"',
      expected: ok,
      out: 'Length 6, FF×6 (no filtering anywhere)',
      objects: 'none',
      cites: READ,
      values: { NetworkAddress: sz('FFFFFFFFFFFF') },
      run: query(address(0xff, 0xff, 0xff, 0xff, 0xff, 0xff)),
    },
    {
      id: '32 bytes',
      input: 'NetworkAddress of 64 hex digits (NDIS_MAX_PHYS_ADDRESS_LENGTH, the limit)',
      expected: ok,
      out: 'Length 32',
      objects: 'none',
      cites: [`${NA_2100}:666-678`],
      values: { NetworkAddress: sz('AB'.repeat(32)) },
      run: query(address(...Array<number>(32).fill(0xab))),
    },
    {
      id: '33 bytes',
      input: 'NetworkAddress of 66 hex digits (over)',
      expected: st(STATUS_BUFFER_OVERFLOW),
      out: 'unchanged',
      objects: 'none',
      cites: [`${NA_2100}:666-673`, 'cx/sys/nxconfiguration.cpp@7bf48b0:689-696'],
      values: { NetworkAddress: sz('AB'.repeat(33)) },
      run: query(untouched),
    },
    {
      id: 'absent',
      input: 'no NetworkAddress value',
      expected: st(STATUS_UNSUCCESSFUL),
      out: 'unchanged',
      objects: 'none',
      cites: [`${NA_2100}:649-664`],
      note: 'NDIS_STATUS_FAILURE converted; no mapping to OBJECT_NAME_NOT_FOUND on this path',
      run: query(untouched),
    },
    {
      id: 'REG_DWORD',
      input: 'NetworkAddress = REG_DWORD 1',
      expected: st(STATUS_UNSUCCESSFUL),
      out: 'unchanged',
      objects: 'none',
      cites: [`${NA_2100}:649-664`],
      note: '[NDIS-internal] that NDIS fails for a non-string value',
      values: { NetworkAddress: dword(1) },
      run: query(untouched),
    },
    {
      id: 'sub-configuration',
      input: 'NetworkAddress only in subkey Sub; read through OpenSub("Sub")',
      expected: ok,
      out: 'the subkey’s address (this handle’s own key)',
      objects: 'none',
      cites: [`${NA_2100}:649-652`, `${NA_2100}:211-222`],
      subkeys: { Sub: { NetworkAddress: sz('021122334455') } },
      run: (h) => {
        const out = { Length: 0, Address: new Uint8Array(32) };
        h.config.openSubConfiguration('Sub').queryLinkLayerAddress(out);
        address(...MAC)(out);
      },
    },
    {
      id: 'NULL LinkLayerAddress',
      input: 'LinkLayerAddress = NULL (C face)',
      expected: bug(BUGCODE_NETADAPTER_DRIVER),
      out: '—',
      objects: 'none',
      cites: [`${NA_API_2100}:360`, 'cx/sys/nxconfigurationapi.cpp@7bf48b0:401'],
      run: (h) => {
        NetConfigurationQueryLinkLayerAddress(h.config, null);
      },
    },
  ]),
  ...rowsOf('NetConfigurationQueryLinkLayerAddress', 'device', span('1809'), [
    {
      id: 'device configuration',
      input: 'any registry state',
      expected: bug(BUGCODE_NETADAPTER_DRIVER),
      out: '—',
      objects: 'none (m_adapter is NULL in a device configuration’s zeroed context)',
      cites: [`${NA_API_2100}:361`, 'cx/sys/nxconfigurationapi.cpp@001ce6f:354', `${NA_2100}:24-36`],
      values: { NetworkAddress: sz('021122334455') },
      run: query(() => {}),
    },
  ]),
];

/** Calls the 1703 QueryNetworkAddress through the C face with a ResultLength preset to 77. */
function network(length: number, buffer: Uint8Array | null, check: (resultLength: number, buffer: Uint8Array | null) => void) {
  return (h: Harness): void => {
    const resultLength = { value: 77 };
    const status = NetConfigurationQueryNetworkAddress(h.config, length, buffer, resultLength);
    check(resultLength.value, buffer);
    if (status !== 0) throw new NtStatusError(status, 'returned by the C face');
  };
}
const API_1703 = 'cx/sys/nxconfigurationapi.cpp@4f41254';
const IMPL_1703 = 'cx/sys/nxconfiguration.cpp@4f41254';

const networkAddress = rowsOf(
  'NetConfigurationQueryNetworkAddress',
  'adapter',
  ['1703'],
  [
    {
      id: 'fits',
      input: 'NetworkAddress "021122334455"; BufferLength 6',
      expected: ok,
      out: '*ResultLength = 6; buffer = the 6 bytes',
      objects: 'none',
      cites: [`${IMPL_1703}:687-730`],
      values: { NetworkAddress: sz('021122334455') },
      run: network(6, new Uint8Array(6), (length, buffer) => {
        expect(length).toBe(6);
        expect([...(buffer ?? [])]).toEqual(MAC);
      }),
    },
    {
      id: 'buffer too small',
      input: 'address of 6 bytes; BufferLength 4',
      expected: st(STATUS_BUFFER_TOO_SMALL),
      out: '*ResultLength = 6 (the size needed); buffer untouched',
      objects: 'none',
      cites: [`${IMPL_1703}:718-723`],
      values: { NetworkAddress: sz('021122334455') },
      run: network(4, new Uint8Array(4), (length, buffer) => {
        expect(length).toBe(6);
        expect([...(buffer ?? [])]).toEqual([0, 0, 0, 0]);
      }),
    },
    {
      id: 'size query',
      input: 'BufferLength 0, buffer NULL',
      expected: st(STATUS_BUFFER_TOO_SMALL),
      out: '*ResultLength = 6',
      objects: 'none',
      cites: [`${API_1703}:432`, 'cx/sys/verifier.cpp@4f41254:686-710', `${IMPL_1703}:718-723`],
      values: { NetworkAddress: sz('021122334455') },
      run: network(0, null, (length) => expect(length).toBe(6)),
    },
    {
      id: 'length 0 with a buffer',
      input: 'BufferLength 0, buffer given',
      expected: st(STATUS_INVALID_PARAMETER),
      out: '*ResultLength unchanged',
      objects: 'none',
      cites: ['cx/sys/verifier.cpp@4f41254:686-696', `${API_1703}:432`],
      note: 'a debugger break if one is attached (VerifierAction_DbgBreakIfDebuggerPresent)',
      values: { NetworkAddress: sz('021122334455') },
      run: network(0, new Uint8Array(6), (length) => expect(length).toBe(77)),
    },
    {
      id: 'absent',
      input: 'no NetworkAddress; BufferLength 6',
      expected: st(STATUS_UNSUCCESSFUL),
      out: '*ResultLength = 0 (zeroed before the read)',
      objects: 'none',
      cites: [`${IMPL_1703}:687-716`],
      run: network(6, new Uint8Array(6), (length) => expect(length).toBe(0)),
    },
    {
      id: '33 bytes',
      input: 'address of 33 bytes; BufferLength 64',
      expected: ok,
      out: '*ResultLength = 33 (no 32-byte limit in 1703)',
      objects: 'none',
      cites: [`${IMPL_1703}:718-727`],
      values: { NetworkAddress: sz('AB'.repeat(33)) },
      run: network(64, new Uint8Array(64), (length) => expect(length).toBe(33)),
    },
    {
      id: 'NULL ResultLength',
      input: 'ResultLength = NULL',
      expected: bug(BUGCODE_NETADAPTER_DRIVER),
      out: '—',
      objects: 'none',
      cites: [`${API_1703}:430`],
      run: (h) => {
        NetConfigurationQueryNetworkAddress(h.config, 0, null, null);
      },
    },
  ],
);

/** The address rows. */
export const addressRows = [...linkLayer, ...networkAddress];
