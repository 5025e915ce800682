import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { Hive } from '../../src/hive/index.js';
import {
  Environment,
  NetAdapter,
  NetAdapterOpenConfiguration,
  NetConfigurationAssignBinary,
  NetConfigurationAssignUlong,
  NetConfigurationAssignUnicodeString,
  NetConfigurationQueryBinary,
  NetConfigurationQueryString,
  NetConfigurationQueryUlong,
} from '../../src/netadapter/index.js';
import type { NetConfiguration, WdfMemory, WdfString } from '../../src/netadapter/index.js';
import { Registry, STATUS_SUCCESS, openNetworkAdapter } from '../../src/registry/index.js';
import { openConfiguration } from '../support/netadapter.js';

type Assign =
  | { kind: 'ulong'; name: string; value: number }
  | { kind: 'string'; name: string; value: string }
  | { kind: 'binary'; name: string; value: Uint8Array };

const name = fc.constantFrom('Foo', 'foo', 'FOO', '*JumboPacket', 'NetworkAddress', 'Ärger', 'x');
const assign: fc.Arbitrary<Assign> = fc.oneof(
  fc.record({ kind: fc.constant('ulong' as const), name, value: fc.nat({ max: 0xffffffff }) }),
  fc.record({ kind: fc.constant('string' as const), name, value: fc.string({ maxLength: 40 }).filter((s) => !s.includes('\0')) }),
  fc.record({ kind: fc.constant('binary' as const), name, value: fc.uint8Array({ minLength: 1, maxLength: 5000 }) }),
);

function reopen(hive: Hive): NetConfiguration {
  const saved = Hive.open(hive.serialize());
  const out: { value: NetConfiguration | null } = { value: null };
  NetAdapterOpenConfiguration(new NetAdapter(new Environment(), openNetworkAdapter(new Registry(saved), '0000')), null, out);
  return out.value!;
}

describe('property: Assign then Query through a saved and reopened hive', () => {
  it('the last assignment to each (case-insensitive) name reads back with its type and bytes', () => {
    fc.assert(
      fc.property(fc.array(assign, { minLength: 1, maxLength: 25 }), (assignments) => {
        const { hive, config } = openConfiguration('A');
        const last = new Map<string, Assign>();
        for (const a of assignments) {
          const status =
            a.kind === 'ulong'
              ? NetConfigurationAssignUlong(config, a.name, a.value)
              : a.kind === 'string'
                ? NetConfigurationAssignUnicodeString(config, a.name, a.value)
                : NetConfigurationAssignBinary(config, a.name, a.value, a.value.length);
          expect(status).toBe(STATUS_SUCCESS);
          last.set(a.name.toUpperCase(), a);
        }
        const again = reopen(hive);
        for (const a of last.values()) {
          if (a.kind === 'ulong') {
            const out = { value: 0 };
            expect(NetConfigurationQueryUlong(again, 0, a.name, out)).toBe(STATUS_SUCCESS);
            expect(out.value).toBe(a.value);
          } else if (a.kind === 'string') {
            const out: { value: WdfString | null } = { value: null };
            expect(NetConfigurationQueryString(again, a.name, null, out)).toBe(STATUS_SUCCESS);
            expect(out.value!.value).toBe(a.value);
          } else {
            const out: { value: WdfMemory | null } = { value: null };
            expect(NetConfigurationQueryBinary(again, a.name, 0, null, out)).toBe(STATUS_SUCCESS);
            expect(out.value!.buffer).toEqual(a.value);
          }
        }
      }),
      { numRuns: 150 },
    );
  });
});
