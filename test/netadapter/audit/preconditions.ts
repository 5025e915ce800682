import {
  APC_LEVEL,
  BUGCODE_NETADAPTER_DRIVER,
  BugCheck,
  DISPATCH_LEVEL,
  type NetAdapter,
  WdfCollection,
  type WdfDevice,
  openAdapterConfiguration,
  openDeviceConfiguration,
} from '../../../src/netadapter/index.js';
import { ALL_RELEASES, DEVICE_RELEASES, NA_API_2100, bug, expect, rowsOf, span } from './harness.js';
import type { AuditFunction, AuditRow, Harness } from './harness.js';

/**
 * §2's common preconditions, per function and backend: every export checks the driver globals and
 * then the IRQL before anything else; anything but PASSIVE_LEVEL is bug check 0x19E with P1 =
 * IrqlIsNotPassive (1) and P2 = the IRQL (netcx/adapter/verifier.cpp@ca1e33c:164-179).
 */

const VERIFIER = 'netcx/adapter/verifier.cpp@ca1e33c:164-179';

/** The checks' lines in each export (ca1e33c), and the call to make. */
const CALLS: [AuditFunction, string, (h: Harness) => void][] = [
  ['NetAdapterOpenConfiguration', 'netcx/adapter/nxadapterapi.cpp@ca1e33c:399-400', (h) => openAdapterConfiguration(h.owner as NetAdapter)],
  ['NetDeviceOpenConfiguration', 'netcx/adapter/nxdeviceapi.cpp@ca1e33c:130-131', (h) => openDeviceConfiguration(h.owner as WdfDevice)],
  ['NetConfigurationOpenSubConfiguration', `${NA_API_2100}:90-91`, (h) => h.config.openSubConfiguration('S')],
  ['NetConfigurationClose', `${NA_API_2100}:46-47`, (h) => h.config.close()],
  ['NetConfigurationQueryUlong', `${NA_API_2100}:176-177`, (h) => h.config.queryUlong('V')],
  ['NetConfigurationQueryString', `${NA_API_2100}:230-231`, (h) => h.config.queryString('V')],
  ['NetConfigurationQueryMultiString', `${NA_API_2100}:272-273`, (h) => h.config.queryMultiString('V', new WdfCollection(h.environment))],
  ['NetConfigurationQueryBinary', `${NA_API_2100}:316-317`, (h) => h.config.queryBinary('V')],
  ['NetConfigurationQueryLinkLayerAddress', `${NA_API_2100}:358-359`, (h) => h.config.queryLinkLayerAddress()],
  ['NetConfigurationAssignUlong', `${NA_API_2100}:397-398`, (h) => h.config.assignUlong('V', 1)],
  ['NetConfigurationAssignUnicodeString', `${NA_API_2100}:432-433`, (h) => h.config.assignUnicodeString('V', 'x')],
  ['NetConfigurationAssignBinary', `${NA_API_2100}:470-471`, (h) => h.config.assignBinary('V', Uint8Array.of(1))],
  ['NetConfigurationAssignMultiString', `${NA_API_2100}:506-507`, (h) => h.config.assignMultiString('V', new WdfCollection(h.environment))],
];

function atIrql(irql: number, action: (h: Harness) => void) {
  return (h: Harness): void => {
    const before = h.key.tryQueryValue('V');
    try {
      h.environment.atIrql(irql, () => action(h));
    } catch (error) {
      if (error instanceof BugCheck) expect(error.parameters).toEqual([1, irql, 0, 0]);
      throw error;
    } finally {
      expect(h.key.tryQueryValue('V')).toEqual(before);
      expect(h.config.deleted).toBe(false);
    }
  };
}

/** The IRQL rows: APC_LEVEL and DISPATCH_LEVEL for every function on each backend it has. */
export const preconditionRows: AuditRow[] = CALLS.flatMap(([fn, cite, action]) =>
  (['adapter', 'device'] as const)
    .filter((backend) => !(fn === 'NetAdapterOpenConfiguration' && backend === 'device') && !(fn === 'NetDeviceOpenConfiguration' && backend === 'adapter'))
    .filter((backend) => !(fn === 'NetConfigurationQueryLinkLayerAddress' && backend === 'device'))
    .flatMap((backend) =>
      rowsOf(
        fn,
        backend,
        backend === 'device' ? DEVICE_RELEASES : fn === 'NetConfigurationQueryLinkLayerAddress' ? span('1803') : ALL_RELEASES,
        [APC_LEVEL, DISPATCH_LEVEL].map((irql) => ({
          id: `at IRQL ${irql}`,
          input: `called at ${irql === APC_LEVEL ? 'APC_LEVEL' : 'DISPATCH_LEVEL'}`,
          expected: bug(BUGCODE_NETADAPTER_DRIVER),
          out: '—',
          objects: 'nothing created, written or deleted: the check precedes all work',
          cites: [cite, VERIFIER],
          note: `P1 = 1 (IrqlIsNotPassive), P2 = ${irql}`,
          run: atIrql(irql, action),
        })),
      ),
    ),
);
