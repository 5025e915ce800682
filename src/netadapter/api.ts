import {
  NtStatusError,
  STATUS_INFO_LENGTH_MISMATCH,
  STATUS_OBJECT_NAME_INVALID,
  STATUS_SUCCESS,
  STATUS_WDF_PARENT_ASSIGNMENT_NOT_ALLOWED,
} from '../registry/index.js';
import { openAdapterConfiguration, openDeviceConfiguration } from './configuration.js';
import type { NetAdapter, NetConfiguration, WdfCollection, WdfDevice, WdfMemory, WdfString } from './configuration.js';
import type { WdfObject } from './wdf.js';

/**
 * The C-shaped face: the documented names and parameter order, NTSTATUS returned, out-parameters as
 * `{ value }` boxes. A thin shell over the idiomatic methods: an NtStatusError becomes its status; a
 * bug check still escapes, as it would stop the machine.
 */

/** An out-parameter of the C-shaped functions: the function stores its result in `value` (a C `T*`). */
export interface Out<T> {
  value: T;
}

/** The fields of WDF_OBJECT_ATTRIBUTES the configuration calls look at (§1.3). */
export interface WDF_OBJECT_ATTRIBUTES {
  Size?: number;
  ParentObject?: WdfObject | null;
  ContextTypeInfo?: { name: string } | null;
  /** Called when the object is deleted. */
  EvtCleanupCallback?: ((object: WdfObject) => void) | null;
}

/** sizeof(WDF_OBJECT_ATTRIBUTES) on x64: what WDF_OBJECT_ATTRIBUTES_INIT stores in Size. */
export const WDF_OBJECT_ATTRIBUTES_SIZE = 56;

/**
 * A WDF_OBJECT_ATTRIBUTES with `Size` set and no parent, context type or cleanup callback, as the C macro initializes it.
 */
export function WDF_OBJECT_ATTRIBUTES_INIT(): WDF_OBJECT_ATTRIBUTES {
  return { Size: WDF_OBJECT_ATTRIBUTES_SIZE, ParentObject: null, ContextTypeInfo: null, EvtCleanupCallback: null };
}

/**
 * Client attributes on Open/OpenSub are applied with WdfObjectAllocateContext after the key is open
 * (§1.3): a parent → STATUS_WDF_PARENT_ASSIGNMENT_NOT_ALLOWED, no context type →
 * STATUS_OBJECT_NAME_INVALID, a wrong Size → STATUS_INFO_LENGTH_MISMATCH; the fresh configuration is
 * then deleted without running the client's callbacks.
 */
function applyOpenAttributes(configuration: NetConfiguration, attributes: WDF_OBJECT_ATTRIBUTES | null | undefined): void {
  if (attributes === null || attributes === undefined) return;
  const failure =
    attributes.Size !== undefined && attributes.Size !== WDF_OBJECT_ATTRIBUTES_SIZE
      ? STATUS_INFO_LENGTH_MISMATCH
      : attributes.ParentObject
        ? STATUS_WDF_PARENT_ASSIGNMENT_NOT_ALLOWED
        : !attributes.ContextTypeInfo
          ? STATUS_OBJECT_NAME_INVALID
          : STATUS_SUCCESS;
  if (failure !== STATUS_SUCCESS) {
    // 1809–2004 device path: attributes came before the key open and a failure leaked the object (§3.2).
    const release = configuration.environment.release;
    const leaks =
      configuration.backend === 'device' && (release === '1809' || release === '1903' || release === '2004') && configuration.parent?.type === 'WDFDEVICE';
    if (!leaks) configuration.delete();
    throw new NtStatusError(failure, 'the configuration attributes were refused by WdfObjectAllocateContext');
  }
  const callback = attributes.EvtCleanupCallback;
  if (callback) configuration.onCleanup(() => callback(configuration));
}

/**
 * QueryString, QueryBinary and (adapter path) QueryMultiString write the default parent into the
 * caller's attributes when ParentObject is NULL — before the read since 1809, only after a successful
 * read on 1703/1803 (§1.3).
 */
function writeBackParent(configuration: NetConfiguration, attributes: WDF_OBJECT_ATTRIBUTES | null | undefined, parent: WdfObject, read: () => void): void {
  const early = configuration.environment.release !== '1703' && configuration.environment.release !== '1803';
  const needed = attributes !== null && attributes !== undefined && !attributes.ParentObject;
  if (needed && early) attributes.ParentObject = parent;
  read();
  if (needed && !early) attributes.ParentObject = parent;
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

/**
 * Opens the adapter's configuration (its software key, through NDIS) into `configuration.value`; returns an NTSTATUS (STATUS_SUCCESS = 0).
 * @throws {BugCheck} on a verifier failure, as Windows would stop.
 */
export function NetAdapterOpenConfiguration(
  adapter: NetAdapter,
  attributes: WDF_OBJECT_ATTRIBUTES | null,
  configuration: Out<NetConfiguration | null>,
): number {
  configuration.value = null;
  return status(() => {
    const opened = openAdapterConfiguration(adapter);
    applyOpenAttributes(opened, attributes);
    configuration.value = opened;
  });
}

/**
 * Opens the device's configuration (its software key, through WDF) into `configuration.value`; returns an NTSTATUS (STATUS_SUCCESS = 0).
 * @throws {BugCheck} on a verifier failure, as Windows would stop.
 */
export function NetDeviceOpenConfiguration(device: WdfDevice, attributes: WDF_OBJECT_ATTRIBUTES | null, configuration: Out<NetConfiguration | null>): number {
  configuration.value = null;
  return status(() => {
    const opened = openDeviceConfiguration(device);
    applyOpenAttributes(opened, attributes);
    configuration.value = opened;
  });
}

/**
 * Reads a ULONG (32-bit unsigned) value into `value.value`; `flags` is NO_FLAGS or MAY_BE_STORED_AS_HEX_STRING. Returns an NTSTATUS.
 * @throws {BugCheck} on a verifier failure, as Windows would stop.
 */
export function NetConfigurationQueryUlong(configuration: NetConfiguration, flags: number, valueName: string, value: Out<number>): number {
  return status(() => configuration.queryUlong(valueName, flags, value));
}

/**
 * Writes a ULONG (32-bit unsigned) value as REG_DWORD. Returns an NTSTATUS.
 * @throws {BugCheck} on a verifier failure, as Windows would stop.
 */
export function NetConfigurationAssignUlong(configuration: NetConfiguration, valueName: string, value: number): number {
  return status(() => configuration.assignUlong(valueName, value));
}

/**
 * Writes the first `bufferLength` bytes of `buffer` as a REG_BINARY value. Returns an NTSTATUS.
 * @throws {BugCheck} on a verifier failure, as Windows would stop.
 */
export function NetConfigurationAssignBinary(configuration: NetConfiguration, valueName: string, buffer: Uint8Array, bufferLength: number): number {
  return status(() => configuration.assignBinary(valueName, buffer, bufferLength));
}

/**
 * Reads a binary value into a new WDFMEMORY in `memory.value` (the pool type is ignored). Returns an NTSTATUS.
 * @throws {BugCheck} on a verifier failure, as Windows would stop.
 */
export function NetConfigurationQueryBinary(
  configuration: NetConfiguration,
  valueName: string,
  _poolType: number,
  memoryAttributes: WDF_OBJECT_ATTRIBUTES | null,
  memory: Out<WdfMemory | null>,
): number {
  memory.value = null;
  const parent = memoryAttributes?.ParentObject ?? undefined;
  return status(() =>
    writeBackParent(configuration, memoryAttributes, configuration, () => {
      memory.value = configuration.queryBinary(valueName, parent);
    }),
  );
}

/**
 * Reads a string value into a new WDFSTRING in `wdfString.value`. Returns an NTSTATUS.
 * @throws {BugCheck} on a verifier failure, as Windows would stop.
 */
export function NetConfigurationQueryString(
  configuration: NetConfiguration,
  valueName: string,
  stringAttributes: WDF_OBJECT_ATTRIBUTES | null,
  wdfString: Out<WdfString | null>,
): number {
  const parent = stringAttributes?.ParentObject ?? undefined;
  configuration.staleString = undefined;
  const result = status(() =>
    writeBackParent(configuration, stringAttributes, configuration, () => {
      wdfString.value = configuration.queryString(valueName, parent);
    }),
  );
  // Device path: *WdfString keeps the deleted string's handle on failure (§3.6, case 18).
  if (result !== STATUS_SUCCESS && configuration.staleString !== undefined) wdfString.value = configuration.staleString;
  return result;
}

/**
 * Writes a string value (REG_SZ). Returns an NTSTATUS.
 * @throws {BugCheck} on a verifier failure, as Windows would stop.
 */
export function NetConfigurationAssignUnicodeString(configuration: NetConfiguration, valueName: string, value: string): number {
  return status(() => configuration.assignUnicodeString(valueName, value));
}

/**
 * Opens a subkey of the configuration as a new configuration object in `subConfiguration.value`. Returns an NTSTATUS.
 * @throws {BugCheck} on a verifier failure, as Windows would stop.
 */
export function NetConfigurationOpenSubConfiguration(
  configuration: NetConfiguration,
  subConfigurationName: string,
  attributes: WDF_OBJECT_ATTRIBUTES | null,
  subConfiguration: Out<NetConfiguration | null>,
): number {
  subConfiguration.value = null;
  return status(() => {
    const opened = configuration.openSubConfiguration(subConfigurationName);
    applyOpenAttributes(opened, attributes);
    subConfiguration.value = opened;
  });
}

/** A link-layer address: `Length` bytes of `Address` are significant. */
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

/**
 * Reads a REG_MULTI_SZ value, adding one WDFSTRING per string to `collection`. Returns an NTSTATUS.
 * @throws {BugCheck} on a verifier failure, as Windows would stop.
 */
export function NetConfigurationQueryMultiString(
  configuration: NetConfiguration,
  valueName: string,
  stringsAttributes: WDF_OBJECT_ATTRIBUTES | null,
  collection: WdfCollection,
): number {
  const parent = stringsAttributes?.ParentObject ?? undefined;
  const read = (): void => configuration.queryMultiString(valueName, collection, parent);
  // Only the adapter path writes its default parent (the collection) back; the device path passes the
  // attributes through to KMDF untouched (§1.3).
  return status(() => (configuration.backend === 'adapter' ? writeBackParent(configuration, stringsAttributes, collection, read) : read()));
}

/**
 * Writes the WDFSTRINGs of a collection as a REG_MULTI_SZ value. Returns an NTSTATUS.
 * @throws {BugCheck} on a verifier failure, as Windows would stop.
 */
export function NetConfigurationAssignMultiString(configuration: NetConfiguration, valueName: string, stringsCollection: WdfCollection): number {
  return status(() => configuration.assignMultiString(valueName, stringsCollection));
}

/**
 * Reads the adapter's NetworkAddress value (a MAC address override) into `networkAddressBuffer` (up to `bufferLength` bytes); the length in bytes goes to `resultLength`. Returns an NTSTATUS.
 * @throws {BugCheck} on a verifier failure, as Windows would stop.
 */
export function NetConfigurationQueryNetworkAddress(
  configuration: NetConfiguration,
  bufferLength: number,
  networkAddressBuffer: Uint8Array | null,
  resultLength: Out<number> | null,
): number {
  return status(() => configuration.queryNetworkAddress(bufferLength, networkAddressBuffer, resultLength));
}

/**
 * Closes (deletes) a configuration object and its children.
 * @throws {BugCheck} when called above PASSIVE_LEVEL or with an invalid handle.
 */
export function NetConfigurationClose(configuration: NetConfiguration): void {
  configuration.close();
}

/**
 * What NetAdapterCx itself reads at adapter start (§7, case 50): `*RSS` through an internal adapter
 * configuration with NO_FLAGS — nonzero enables RSS; absent or unreadable leaves it disabled.
 */
export function readRssEnabledAtStart(adapter: NetAdapter): boolean {
  const configuration = openAdapterConfiguration(adapter);
  try {
    return configuration.queryUlong('*RSS') !== 0;
  } catch (error) {
    if (error instanceof NtStatusError) return false;
    throw error;
  } finally {
    configuration.close();
  }
}
