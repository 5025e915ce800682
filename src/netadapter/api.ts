import { NtStatusError, STATUS_INVALID_PARAMETER, STATUS_SUCCESS } from '../registry/index.js';
import { NDIS_MAX_PHYS_ADDRESS_LENGTH } from './conversions.js';
import {
  WdfString,
  allocateClientContext,
  openAdapterConfiguration,
  openDeviceConfiguration,
  requireValidAttributes,
  staleStringReportsSuccess,
} from './configuration.js';
import type { NetAdapter, NetConfiguration, WdfCollection, WdfDevice, WdfMemory } from './configuration.js';
import { accessViolation, attachCallbacks } from './wdf.js';
import type { WDF_OBJECT_ATTRIBUTES, WdfObject } from './wdf.js';
import { CUsageError, unicodeStringText, validateUnicodeString } from './wdf-api.js';
import type { Out, UnicodeStringArgument } from './wdf-api.js';

/**
 * The C-shaped face: the documented names and parameter order, NTSTATUS returned as a signed 32-bit
 * number (C's LONG: `status < 0` is failure, `NT_SUCCESS(status)` agrees), out-parameters as `{ value }`
 * boxes and out-structs filled in place. Names and string values are `UNICODE_STRING`s (or plain JS
 * strings); the device backend checks them as KMDF's FxValidateUnicodeString does. A thin shell over the
 * idiomatic methods: an NtStatusError becomes its status; a bug check still escapes, as it would stop the
 * machine; a length beyond the buffer passed is a {@link CUsageError}.
 */

/** NETCONFIGURATION handle. */
export type NETCONFIGURATION = NetConfiguration;
/** NETADAPTER handle. */
export type NETADAPTER = NetAdapter;
/** WDFDEVICE handle. */
export type WDFDEVICE = WdfDevice;

/**
 * A name or string parameter as the backend sees it. Device backend: every WdfRegistry* call runs
 * FxValidateUnicodeString on it first (WDF@b6191d9 `src/framework/shared/support/fxregistryapi.cpp:123, 567, 691,
 * 1007, 1150, 1266, 1355, 1414, 1419, 1569`) → STATUS_INVALID_PARAMETER. Adapter backend: NetAdapterCx hands the
 * counted string to NDIS unchecked; a NULL Buffer with a non-zero Length is a NULL dereference (bug check 0x7E);
 * otherwise its first Length / 2 code units are the name ([NDIS-internal] for odd or inconsistent lengths).
 */
function resolveString(configuration: NetConfiguration, value: UnicodeStringArgument): string | undefined {
  if (typeof value === 'string') return value;
  if (configuration.backend === 'device') {
    if (validateUnicodeString(value) !== STATUS_SUCCESS) return undefined;
  } else if (value.Buffer === null && value.Length >= 2) {
    throw accessViolation('NDIS read a UNICODE_STRING with a NULL Buffer');
  }
  return unicodeStringText(value);
}

/** The export's own checks (§2: globals, IRQL; then the handle), then the name; undefined when the device backend refuses it. */
function enterWithName(configuration: NetConfiguration, name: UnicodeStringArgument): string | undefined {
  if (typeof name === 'string') return name;
  configuration.environment.requirePassive();
  configuration.assertValid();
  return resolveString(configuration, name);
}

/** {@link enterWithName} for the calls whose only answer to a refused name is STATUS_INVALID_PARAMETER (the assigns, OpenSubConfiguration). */
function requireName(configuration: NetConfiguration, name: UnicodeStringArgument): string {
  const text = enterWithName(configuration, name);
  if (text === undefined) throw invalidName(configuration);
  return text;
}

function invalidName(configuration: NetConfiguration): NtStatusError {
  return new NtStatusError(STATUS_INVALID_PARAMETER, 'FxValidateUnicodeString refused the UNICODE_STRING', configuration.key.path);
}

/** The status of a failed call; anything else (a bug check, a usage error) propagates. */
function failure(error: unknown): number {
  if (error instanceof NtStatusError) return error.status;
  throw error;
}

/** Runs a C-face call's body: STATUS_SUCCESS, or the status it failed with. */
function status(action: () => void): number {
  try {
    action();
    return STATUS_SUCCESS;
  } catch (error) {
    return failure(error);
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
    configuration.value = openAdapterConfiguration(adapter, { attributes });
  });
}

/**
 * Opens the device's configuration (its software key, through WDF) into `configuration.value`; returns an NTSTATUS (STATUS_SUCCESS = 0).
 * @throws {BugCheck} on a verifier failure, as Windows would stop.
 */
export function NetDeviceOpenConfiguration(device: WdfDevice, attributes: WDF_OBJECT_ATTRIBUTES | null, configuration: Out<NetConfiguration | null>): number {
  configuration.value = null;
  return status(() => {
    configuration.value = openDeviceConfiguration(device, { attributes });
  });
}

/**
 * Reads a ULONG (32-bit unsigned) value into `value.value`; `flags` is NO_FLAGS or MAY_BE_STORED_AS_HEX_STRING. Returns an NTSTATUS.
 * A name the device backend refuses (FxValidateUnicodeString) is STATUS_INVALID_PARAMETER; with the hex flag
 * the string fallback's WDFSTRING is created first and stays a child of the configuration (§3.5).
 * @throws {BugCheck} on a verifier failure, as Windows would stop.
 */
export function NetConfigurationQueryUlong(configuration: NetConfiguration, flags: number, valueName: UnicodeStringArgument, value: Out<number>): number {
  let name: string | undefined;
  if (typeof valueName === 'string') name = valueName;
  else {
    configuration.environment.requirePassive();
    configuration.assertValid();
    if ((flags & ~1) !== 0) configuration.environment.verifierFailure('InvalidQueryUlongFlag', flags);
    name = resolveString(configuration, valueName);
    if (name === undefined) return refusedQueryUlongName(configuration, flags);
  }
  // The hot path calls straight through, without a closure per call (bench/api-c.mjs).
  try {
    configuration.queryUlong(name, flags, value);
    return STATUS_SUCCESS;
  } catch (error) {
    return failure(error);
  }
}

/**
 * Device path, QueryUlong with a name FxValidateUnicodeString refuses: with the hex flag the string fallback's
 * WdfStringCreate ran first, then WdfRegistryQueryString refused the name. 1809/1903 reported success after
 * deleting the string and then read it: the legacy crash (§3.5).
 */
function refusedQueryUlongName(configuration: NetConfiguration, flags: number): number {
  if (flags === 1) {
    const text = new WdfString(configuration.environment, configuration, '');
    if (staleStringReportsSuccess(configuration.environment)) {
      text.delete();
      text.assertValid();
    }
  }
  return STATUS_INVALID_PARAMETER;
}

/**
 * Writes a ULONG (32-bit unsigned) value as REG_DWORD. Returns an NTSTATUS.
 * @throws {BugCheck} on a verifier failure, as Windows would stop.
 */
export function NetConfigurationAssignUlong(configuration: NetConfiguration, valueName: UnicodeStringArgument, value: number): number {
  return status(() => {
    const name = requireName(configuration, valueName);
    configuration.assignUlong(name, value);
  });
}

/**
 * Writes the first `bufferLength` bytes of `buffer` as a REG_BINARY value. Returns an NTSTATUS.
 * @throws {CUsageError} when `bufferLength` is larger than `buffer` (C would read past it) or not a whole number.
 * @throws {BugCheck} on a verifier failure, as Windows would stop.
 */
export function NetConfigurationAssignBinary(
  configuration: NetConfiguration,
  valueName: UnicodeStringArgument,
  buffer: Uint8Array,
  bufferLength: number,
): number {
  if (!(bufferLength <= buffer.length) || !Number.isInteger(bufferLength) || bufferLength < 0)
    throw new CUsageError('NetConfigurationAssignBinary', 'BufferLength', `is ${bufferLength} but Buffer holds ${buffer.length} bytes`);
  // A hot path (bench/api-c.mjs): no closure per call, so not status().
  try {
    const name = requireName(configuration, valueName);
    configuration.assignBinary(name, buffer, bufferLength);
    return STATUS_SUCCESS;
  } catch (error) {
    return failure(error);
  }
}

/**
 * Device path, a name FxValidateUnicodeString refuses: what happened before KMDF looked at it — NetAdapterCx's
 * parent write-back (1809+, netcx/adapter/nxconfiguration.cpp@ca1e33c:393-404, 550-561), then the KMDF call's
 * `*Out = NULL` and attribute check (fxregistryapi.cpp@3b9780e:553-570, fxstringapi.cpp@3b9780e:71-81) — then
 * STATUS_INVALID_PARAMETER. The model's methods take names as text, so this one path stays here.
 */
function refusedDeviceName(configuration: NetConfiguration, attributes: WDF_OBJECT_ATTRIBUTES | null, out: Out<WdfObject | null>, where: string): void {
  if (attributes && !attributes.ParentObject) attributes.ParentObject = configuration;
  out.value = null;
  requireValidAttributes(attributes, where, configuration.key.path);
}

/**
 * Reads a binary value into a new WDFMEMORY in `memory.value` (the pool type is ignored). Returns an NTSTATUS.
 * The attributes and `*WdfMemory` are the model's to handle, as KMDF and NetAdapterCx do (queryBinary's
 * `c`): the device path's WdfRegistryQueryMemory clears `*WdfMemory` and validates them before the read
 * (fxregistryapi.cpp@3b9780e:553-589); the adapter path leaves `*WdfMemory` untouched when the value is
 * missing, not binary or empty (netcx/adapter/nxconfiguration.cpp@ca1e33c:564-606, fxmemorybufferapi.cpp@3b9780e:118-125).
 * @throws {BugCheck} on a verifier failure, as Windows would stop.
 */
export function NetConfigurationQueryBinary(
  configuration: NetConfiguration,
  valueName: UnicodeStringArgument,
  _poolType: number,
  memoryAttributes: WDF_OBJECT_ATTRIBUTES | null,
  memory: Out<WdfMemory | null>,
): number {
  return status(() => {
    const name = enterWithName(configuration, valueName);
    if (name === undefined) {
      refusedDeviceName(configuration, memoryAttributes, memory, 'WdfRegistryQueryMemory');
      throw invalidName(configuration);
    }
    configuration.queryBinary(name, undefined, { attributes: memoryAttributes, out: memory });
  });
}

/**
 * Reads a string value into a new WDFSTRING in `wdfString.value`. Returns an NTSTATUS. The model fills
 * `*WdfString` as the source does (queryString's `c`): device path, WdfStringCreate with the attributes comes
 * first, and on a read failure `*WdfString` keeps the deleted string's handle (§3.6,
 * netcx/adapter/nxconfiguration.cpp@ca1e33c:410-422); 1809/1903 even report success then.
 * @throws {BugCheck} on a verifier failure, as Windows would stop.
 */
export function NetConfigurationQueryString(
  configuration: NetConfiguration,
  valueName: UnicodeStringArgument,
  stringAttributes: WDF_OBJECT_ATTRIBUTES | null,
  wdfString: Out<WdfString | null>,
): number {
  return status(() => {
    const name = enterWithName(configuration, valueName);
    if (name === undefined) {
      // WdfStringCreate succeeded, WdfRegistryQueryString refused the name: the string is deleted, its
      // handle stays in *WdfString (cx/sys/nxconfiguration.cpp@55f65cf:583-588 reported success on 1809/1903).
      refusedDeviceName(configuration, stringAttributes, wdfString, 'WdfStringCreate');
      const stale = new WdfString(configuration.environment, stringAttributes?.ParentObject ?? configuration, '');
      attachCallbacks(stale, stringAttributes);
      stale.delete();
      wdfString.value = stale;
      if (staleStringReportsSuccess(configuration.environment)) return;
      throw invalidName(configuration);
    }
    configuration.queryString(name, undefined, { attributes: stringAttributes, out: wdfString });
  });
}

/**
 * Writes a string value (REG_SZ). Returns an NTSTATUS. Device path: both the name and the value go through
 * FxValidateUnicodeString (fxregistryapi.cpp:1414-1422).
 * @throws {BugCheck} on a verifier failure, as Windows would stop.
 */
export function NetConfigurationAssignUnicodeString(configuration: NetConfiguration, valueName: UnicodeStringArgument, value: UnicodeStringArgument): number {
  return status(() => {
    const name = requireName(configuration, valueName);
    const text = resolveString(configuration, value);
    if (text === undefined) throw invalidName(configuration);
    configuration.assignUnicodeString(name, text);
  });
}

/**
 * Opens a subkey of the configuration as a new configuration object in `subConfiguration.value`. Returns an NTSTATUS.
 * Device path: WdfRegistryOpenKey checks the name with FxValidateUnicodeString (fxregistryapi.cpp:123).
 * @throws {BugCheck} on a verifier failure, as Windows would stop.
 */
export function NetConfigurationOpenSubConfiguration(
  configuration: NetConfiguration,
  subConfigurationName: UnicodeStringArgument,
  attributes: WDF_OBJECT_ATTRIBUTES | null,
  subConfiguration: Out<NetConfiguration | null>,
): number {
  subConfiguration.value = null;
  return status(() => {
    const name = requireName(configuration, subConfigurationName);
    const opened = configuration.openSubConfiguration(name);
    // WdfObjectAllocateContext after the subkey is open; a refusal closes it again (nxconfiguration.cpp@ca1e33c:250-263).
    allocateClientContext(opened, attributes, 'delete');
    subConfiguration.value = opened;
  });
}

/** A link-layer address: `Length` bytes of `Address` (UCHAR[NDIS_MAX_PHYS_ADDRESS_LENGTH], 32) are significant. */
export interface NET_ADAPTER_LINK_LAYER_ADDRESS {
  Length: number;
  Address: Uint8Array;
}

/**
 * NET_ADAPTER_LINK_LAYER_ADDRESS_INIT: zeroes the structure in place, then stores `length` and the first
 * `length` bytes of `value` (netadapter.h). Without arguments it makes a new zeroed structure.
 * @throws {CUsageError} when `length` is over 32 or longer than `value`, or `address.Address` is not 32 bytes.
 */
export function NET_ADAPTER_LINK_LAYER_ADDRESS_INIT(
  address: NET_ADAPTER_LINK_LAYER_ADDRESS = { Length: 0, Address: new Uint8Array(NDIS_MAX_PHYS_ADDRESS_LENGTH) },
  length = 0,
  value: Uint8Array = new Uint8Array(0),
): NET_ADAPTER_LINK_LAYER_ADDRESS {
  if (address.Address.length !== NDIS_MAX_PHYS_ADDRESS_LENGTH)
    throw new CUsageError(
      'NET_ADAPTER_LINK_LAYER_ADDRESS_INIT',
      'Address',
      `has ${address.Address.length} bytes; the C array has ${NDIS_MAX_PHYS_ADDRESS_LENGTH}`,
    );
  if (length > NDIS_MAX_PHYS_ADDRESS_LENGTH || length > value.length)
    throw new CUsageError(
      'NET_ADAPTER_LINK_LAYER_ADDRESS_INIT',
      'Length',
      `is ${length} (at most ${NDIS_MAX_PHYS_ADDRESS_LENGTH} and the ${value.length} bytes given)`,
    );
  address.Address.fill(0);
  address.Address.set(value.subarray(0, length));
  address.Length = length;
  return address;
}

/**
 * Reads the NetworkAddress value into the caller's structure **in place** (its `Address` array is written,
 * not replaced; untouched on failure). LinkLayerAddress null → verifier bug check ParameterCantBeNull (§3.9).
 * @throws {CUsageError} when `Address` is not the C array's 32 bytes.
 * @throws {BugCheck} on a verifier failure, as Windows would stop.
 */
export function NetConfigurationQueryLinkLayerAddress(configuration: NetConfiguration, linkLayerAddress: NET_ADAPTER_LINK_LAYER_ADDRESS | null): number {
  if (linkLayerAddress === null) {
    configuration.environment.requirePassive();
    configuration.environment.verifierFailure('ParameterCantBeNull');
  }
  if (linkLayerAddress.Address.length !== NDIS_MAX_PHYS_ADDRESS_LENGTH)
    throw new CUsageError(
      'NetConfigurationQueryLinkLayerAddress',
      'LinkLayerAddress',
      `Address has ${linkLayerAddress.Address.length} bytes; the C array has ${NDIS_MAX_PHYS_ADDRESS_LENGTH}`,
    );
  return status(() => {
    const result = configuration.queryLinkLayerAddress({ Length: 0, Address: new Uint8Array(NDIS_MAX_PHYS_ADDRESS_LENGTH) });
    NET_ADAPTER_LINK_LAYER_ADDRESS_INIT(linkLayerAddress, result.Length, result.Address);
  });
}

/**
 * Reads a REG_MULTI_SZ value, adding one WDFSTRING per string to `collection`. Returns an NTSTATUS. The
 * attributes are the model's to check and write back (queryMultiString's `c`): device path,
 * WdfRegistryQueryMultiString checks them, then the name, before reading (fxregistryapi.cpp@3b9780e:681-694)
 * and never writes the parent back; adapter path, NxWdfCollectionAddMultiSz writes the collection into a NULL
 * ParentObject only after the read and validation, then each WdfStringCreate checks them
 * (netcx/adapter/nxconfiguration.cpp@ca1e33c:493-506, nxutility.cpp@ca1e33c:99-124).
 * @throws {BugCheck} on a verifier failure, as Windows would stop.
 */
export function NetConfigurationQueryMultiString(
  configuration: NetConfiguration,
  valueName: UnicodeStringArgument,
  stringsAttributes: WDF_OBJECT_ATTRIBUTES | null,
  collection: WdfCollection,
): number {
  return status(() => {
    const name = enterWithName(configuration, valueName);
    if (name === undefined) {
      requireValidAttributes(stringsAttributes, 'WdfRegistryQueryMultiString', configuration.key.path);
      throw invalidName(configuration);
    }
    configuration.queryMultiString(name, collection, undefined, { attributes: stringsAttributes });
  });
}

/**
 * Writes the WDFSTRINGs of a collection as a REG_MULTI_SZ value. Returns an NTSTATUS.
 * @throws {BugCheck} on a verifier failure, as Windows would stop.
 */
export function NetConfigurationAssignMultiString(configuration: NetConfiguration, valueName: UnicodeStringArgument, stringsCollection: WdfCollection): number {
  return status(() => {
    const name = requireName(configuration, valueName);
    configuration.assignMultiString(name, stringsCollection);
  });
}

/**
 * Reads the adapter's NetworkAddress value (a MAC address override) into `networkAddressBuffer` (up to `bufferLength` bytes); the length in bytes goes to `resultLength`. Returns an NTSTATUS.
 * @throws {CUsageError} when `bufferLength` is larger than `networkAddressBuffer` (C would write past it).
 * @throws {BugCheck} on a verifier failure, as Windows would stop.
 */
export function NetConfigurationQueryNetworkAddress(
  configuration: NetConfiguration,
  bufferLength: number,
  networkAddressBuffer: Uint8Array | null,
  resultLength: Out<number> | null,
): number {
  if (networkAddressBuffer !== null && bufferLength > networkAddressBuffer.length)
    throw new CUsageError(
      'NetConfigurationQueryNetworkAddress',
      'BufferLength',
      `is ${bufferLength} but NetworkAddressBuffer holds ${networkAddressBuffer.length} bytes`,
    );
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
