/**
 * What the RtEthSample driver (microsoft/NetAdapter-Cx-Driver-Samples, RtEthSample/configuration.cpp,
 * RtAdapterReadConfiguration) reads from its adapter key when it starts, re-done in TypeScript on this
 * project's NETCONFIGURATION API. Facts taken from the sample: the property table (name, default, min,
 * max), the rule that a missing or out-of-range value falls back to the default, and the NetworkAddress
 * checks (6 bytes, not multicast, not broadcast). Limits from RtEthSample's rt_def.h (RT_MIN_RX_DESC 18,
 * RT_MAX_RX_DESC 1024, RT_MIN_TCB 32, RT_MAX_TCB 128) and enums from adapter.h.
 *
 * Run it after `netconfig inf install …RtEthSample.inx`: see test/examples.test.ts.
 */
import {
  NET_CONFIGURATION_QUERY_ULONG_NO_FLAGS,
  NT_SUCCESS,
  NetAdapterOpenConfiguration,
  NetConfigurationClose,
  NetConfigurationQueryLinkLayerAddress,
  NetConfigurationQueryUlong,
} from '../src/index.js';
import type { NetAdapter, NetConfiguration } from '../src/index.js';

interface AdvancedProperty {
  name: string;
  default: number;
  min: number;
  max: number;
}

/** RtEthSample's RtSupportedProperties: the standard keywords first, then its one custom keyword. */
export const RT_SUPPORTED_PROPERTIES: readonly AdvancedProperty[] = [
  { name: '*SpeedDuplex', default: 0, min: 0, max: 6 }, // auto-negotiation … 1 Gb full duplex
  { name: '*ReceiveBuffers', default: 128, min: 18, max: 1024 },
  { name: '*TransmitBuffers', default: 128, min: 32, max: 128 },
  { name: '*WakeOnMagicPacket', default: 1, min: 0, max: 1 },
  { name: '*InterruptModeration', default: 1, min: 0, max: 1 },
  { name: '*FlowControl', default: 3, min: 0, max: 3 }, // Tx and Rx enabled
  { name: '*RSS', default: 0, min: 0, max: 1 },
  { name: 'InterruptModerationLevel', default: 0, min: 0, max: 1 }, // low
];

export interface RtConfiguration {
  /** Each property's value as the driver stores it. */
  values: Record<string, number>;
  /** Where each value came from. */
  sources: Record<string, 'registry' | 'default (missing)' | 'default (out of range)'>;
  /** The NetworkAddress override, when the key holds a usable one. */
  currentAddress: string | undefined;
  overrideAddress: boolean;
  /** NumTcb = TransmitBuffers, as the sample sets it last. */
  numTcb: number;
}

const hex = (bytes: Uint8Array): string => Array.from(bytes, (b) => b.toString(16).padStart(2, '0')).join('-');

/** RtAdapterReadConfiguration: never fails the start because of the registry. */
export function rtAdapterReadConfiguration(adapter: NetAdapter): RtConfiguration {
  const opened: { value: NetConfiguration | null } = { value: null };
  const result: RtConfiguration = { values: {}, sources: {}, currentAddress: undefined, overrideAddress: false, numTcb: 0 };
  if (!NT_SUCCESS(NetAdapterOpenConfiguration(adapter, null, opened)) || opened.value === null) return result;
  const configuration = opened.value;
  try {
    for (const property of RT_SUPPORTED_PROPERTIES) {
      const value = { value: 0 };
      const status = NetConfigurationQueryUlong(configuration, NET_CONFIGURATION_QUERY_ULONG_NO_FLAGS, property.name, value);
      if (!NT_SUCCESS(status)) {
        result.values[property.name] = property.default;
        result.sources[property.name] = 'default (missing)';
      } else if (value.value < property.min || value.value > property.max) {
        result.values[property.name] = property.default;
        result.sources[property.name] = 'default (out of range)';
      } else {
        result.values[property.name] = value.value;
        result.sources[property.name] = 'registry';
      }
    }
    const address = { Length: 0, Address: new Uint8Array(32) };
    if (NetConfigurationQueryLinkLayerAddress(configuration, address) === 0) {
      const bytes = address.Address.subarray(0, address.Length);
      const multicast = address.Length > 0 && (bytes[0]! & 1) === 1;
      const broadcast = address.Length === 6 && bytes.every((b) => b === 0xff);
      if (address.Length === 6 && !multicast && !broadcast) {
        result.currentAddress = hex(bytes);
        result.overrideAddress = true;
      }
    }
    result.numTcb = result.values['*TransmitBuffers']!;
  } finally {
    NetConfigurationClose(configuration);
  }
  return result;
}
