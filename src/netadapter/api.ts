import { NtStatusError, STATUS_SUCCESS } from '../registry/index.js';
import { openAdapterConfiguration, openDeviceConfiguration } from './configuration.js';
import type { NetAdapter, NetConfiguration, WdfCollection, WdfDevice, WdfMemory, WdfString } from './configuration.js';
import type { WdfObject } from './wdf.js';

/**
 * The C-shaped face: the documented names and parameter order, NTSTATUS returned, out-parameters as
 * `{ value }` boxes. A thin shell over the idiomatic methods: an NtStatusError becomes its status; a
 * bug check still escapes, as it would stop the machine.
 */

export interface Out<T> {
  value: T;
}

function status(action: () => void): number {
  try {
    action();
    return STATUS_SUCCESS;
  } catch (error) {
    if (error instanceof NtStatusError) return error.status;
    throw error;
  }
}

export function NetAdapterOpenConfiguration(adapter: NetAdapter, _attributes: unknown, configuration: Out<NetConfiguration | null>): number {
  configuration.value = null;
  return status(() => {
    configuration.value = openAdapterConfiguration(adapter);
  });
}

export function NetDeviceOpenConfiguration(device: WdfDevice, _attributes: unknown, configuration: Out<NetConfiguration | null>): number {
  configuration.value = null;
  return status(() => {
    configuration.value = openDeviceConfiguration(device);
  });
}

export function NetConfigurationQueryUlong(configuration: NetConfiguration, flags: number, valueName: string, value: Out<number>): number {
  return status(() => configuration.queryUlong(valueName, flags, value));
}

export function NetConfigurationAssignUlong(configuration: NetConfiguration, valueName: string, value: number): number {
  return status(() => configuration.assignUlong(valueName, value));
}

export function NetConfigurationAssignBinary(configuration: NetConfiguration, valueName: string, buffer: Uint8Array, bufferLength: number): number {
  return status(() => configuration.assignBinary(valueName, buffer, bufferLength));
}

export function NetConfigurationQueryBinary(
  configuration: NetConfiguration,
  valueName: string,
  _poolType: number,
  memoryAttributes: { ParentObject?: WdfObject | null } | null,
  memory: Out<WdfMemory | null>,
): number {
  memory.value = null;
  return status(() => {
    memory.value = configuration.queryBinary(valueName, memoryAttributes?.ParentObject ?? undefined);
  });
}

export function NetConfigurationQueryString(configuration: NetConfiguration, valueName: string, stringAttributes: { ParentObject?: WdfObject | null } | null, wdfString: Out<WdfString | null>): number {
  return status(() => {
    wdfString.value = configuration.queryString(valueName, stringAttributes?.ParentObject ?? undefined);
  });
}

export function NetConfigurationAssignUnicodeString(configuration: NetConfiguration, valueName: string, value: string): number {
  return status(() => configuration.assignUnicodeString(valueName, value));
}

export function NetConfigurationOpenSubConfiguration(configuration: NetConfiguration, subConfigurationName: string, _attributes: unknown, subConfiguration: Out<NetConfiguration | null>): number {
  subConfiguration.value = null;
  return status(() => {
    subConfiguration.value = configuration.openSubConfiguration(subConfigurationName);
  });
}

export interface NET_ADAPTER_LINK_LAYER_ADDRESS {
  Length: number;
  Address: Uint8Array;
}

/** LinkLayerAddress null → verifier bug check ParameterCantBeNull (§3.9). */
export function NetConfigurationQueryLinkLayerAddress(configuration: NetConfiguration, linkLayerAddress: NET_ADAPTER_LINK_LAYER_ADDRESS | null): number {
  if (linkLayerAddress === null) {
    configuration.environment.requirePassive();
    configuration.environment.verifierFailure('ParameterCantBeNull');
  }
  return status(() => {
    const result = configuration.queryLinkLayerAddress({ Length: linkLayerAddress.Length, Address: linkLayerAddress.Address });
    linkLayerAddress.Length = result.Length;
    linkLayerAddress.Address = result.Address;
  });
}

export function NetConfigurationQueryMultiString(configuration: NetConfiguration, valueName: string, stringsAttributes: { ParentObject?: WdfObject | null } | null, collection: WdfCollection): number {
  return status(() => configuration.queryMultiString(valueName, collection, stringsAttributes?.ParentObject ?? undefined));
}

export function NetConfigurationAssignMultiString(configuration: NetConfiguration, valueName: string, stringsCollection: WdfCollection): number {
  return status(() => configuration.assignMultiString(valueName, stringsCollection));
}

export function NetConfigurationClose(configuration: NetConfiguration): void {
  configuration.close();
}
