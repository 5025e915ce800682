import { ValueType, decodeUtf16le } from '../hive/index.js';
import {
  NtStatusError,
  STATUS_BUFFER_OVERFLOW,
  STATUS_BUFFER_TOO_SMALL,
  STATUS_INSUFFICIENT_RESOURCES,
  STATUS_INTEGER_OVERFLOW,
  STATUS_INVALID_BUFFER_SIZE,
  STATUS_INVALID_PARAMETER,
  STATUS_NOT_FOUND,
  STATUS_OBJECT_NAME_NOT_FOUND,
  STATUS_OBJECT_TYPE_MISMATCH,
  STATUS_RESOURCE_DATA_NOT_FOUND,
  STATUS_UNSUCCESSFUL,
  decodeDword,
  decodeString,
  encodeDword,
  encodeMultiString,
  encodeString,
} from '../registry/index.js';
import type { RegistryKey } from '../registry/index.js';
import { NDIS_MAX_PHYS_ADDRESS_LENGTH, parseNetworkAddress, unicodeStringToInteger } from './conversions.js';
import {
  BugCheck,
  NotInReleaseError,
  WDF_VIOLATION,
  WdfObject,
  accessViolation,
  attachCallbacks,
  releaseAtLeast,
  validateContextAttributes,
  validateObjectAttributes,
} from './wdf.js';
import type { Environment, WDF_OBJECT_ATTRIBUTES } from './wdf.js';

/**
 * NETCONFIGURATION (netadaptercx-config.md §1, §3): a WDF object over an adapter's software key, with
 * one of two backends chosen at open time — the adapter (NDIS) path of NetAdapterOpenConfiguration or
 * the device (WDF registry) path of NetDeviceOpenConfiguration — whose results differ as §3 tabulates.
 * The idiomatic methods throw NtStatusError; the C-shaped functions in api.ts return the status.
 */

/**
 * Which path opened a {@link NetConfiguration}: the adapter's (NDIS, NetAdapterOpenConfiguration) or the device's (WDF registry, NetDeviceOpenConfiguration); their results differ.
 */
export type Backend = 'adapter' | 'device';

/** `NetConfigurationQueryUlong` flag 0: the value must be stored as a REG_DWORD. */
export const NET_CONFIGURATION_QUERY_ULONG_NO_FLAGS = 0;
/** `NetConfigurationQueryUlong` flag 1: the value may also be stored as a hexadecimal string. */
export const NET_CONFIGURATION_QUERY_ULONG_MAY_BE_STORED_AS_HEX_STRING = 1;

/** Binary values the adapter path writes must be shorter than this (§3.12). */
export const ADAPTER_BINARY_LIMIT = 65535;

/** A NETADAPTER stand-in: its software key, opened through NDIS. */
export class NetAdapter extends WdfObject {
  constructor(
    environment: Environment,
    readonly key: RegistryKey,
  ) {
    super(environment, 'NETADAPTER', environment.driver);
  }
}

/** A WDFDEVICE stand-in: its driver (software) key, PLUGPLAY_REGKEY_DRIVER (§1.2). */
export class WdfDevice extends WdfObject {
  constructor(
    environment: Environment,
    readonly key: RegistryKey,
  ) {
    super(environment, 'WDFDEVICE', environment.driver);
  }
}

/** A WDFSTRING object holding a string. */
export class WdfString extends WdfObject {
  constructor(
    environment: Environment,
    parent: WdfObject,
    public value: string,
  ) {
    super(environment, 'WDFSTRING', parent);
  }
}

/** A WDFMEMORY object holding a buffer of bytes. */
export class WdfMemory extends WdfObject {
  constructor(
    environment: Environment,
    parent: WdfObject,
    readonly buffer: Uint8Array,
  ) {
    super(environment, 'WDFMEMORY', parent);
  }
}

/** A WDFCOLLECTION object: an ordered list of WDF objects (e.g. the WDFSTRINGs of a multi-string). */
export class WdfCollection extends WdfObject {
  readonly items: WdfObject[] = [];
  constructor(environment: Environment, parent: WdfObject = environment.driver) {
    super(environment, 'WDFCOLLECTION', parent);
  }
}

/**
 * A KMDF attribute check (FxValidateObjectAttributes, no option flags) as a thrown status; `where` names the
 * KMDF call that made it. For the model's methods and the C face's refused-name paths alike.
 */
export function requireValidAttributes(attributes: WDF_OBJECT_ATTRIBUTES | null | undefined, where: string, path: string): void {
  const status = validateObjectAttributes(attributes);
  if (status !== 0) throw new NtStatusError(status, `${where} refused the WDF_OBJECT_ATTRIBUTES`, path);
}

/**
 * 1809/1903's device QueryString reported success after a failed read had deleted its string, leaving the
 * stale handle in *WdfString (cx/sys/nxconfiguration.cpp@55f65cf:583-588, §3.5); 2004 returns the status.
 */
export function staleStringReportsSuccess(environment: Environment): boolean {
  return environment.release === '1809' || environment.release === '1903';
}

/** A WDFSTRING/WDFMEMORY a query made for its caller: the attributes' callbacks attached, and stored in `*out`. */
function handOut<T extends WdfObject>(object: T, attributes: WDF_OBJECT_ATTRIBUTES | null | undefined, out: { value: T | null } | undefined): T {
  attachCallbacks(object, attributes);
  if (out) out.value = object;
  return object;
}

/** The largest multi-string either path accepts, in bytes (§3.7, §3.13). */
export const MULTI_STRING_LIMIT = 65535;

/**
 * The strings of REG_MULTI_SZ bytes as NxWdfCollectionAddMultiSz / WdfRegistryQueryMultiString read
 * them (§3.7): odd length, under two WCHARs, or not ending in two NULs is STATUS_OBJECT_TYPE_MISMATCH;
 * the list stops at the first empty string. Only the adapter path also refuses ≥ 65,535 bytes
 * (NetAdapterCx `netcx/adapter/nxutility.cpp@ca1e33c:78-82`); KMDF's _VerifyMultiSzString has no upper
 * bound (Windows-Driver-Frameworks `src/framework/shared/support/fxregkey.cpp@3b9780e:43-63`).
 */
function splitMultiString(data: Uint8Array, where: string, limited: boolean): string[] {
  const length = data.length;
  if (
    length % 2 !== 0 ||
    (limited && length >= MULTI_STRING_LIMIT) ||
    length < 4 ||
    data[length - 1] !== 0 ||
    data[length - 2] !== 0 ||
    data[length - 3] !== 0 ||
    data[length - 4] !== 0
  ) {
    throw new NtStatusError(
      STATUS_OBJECT_TYPE_MISMATCH,
      `not a well-formed multi-string (even length${limited ? ' under 65,535 bytes' : ''} ending in two NULs)`,
      where,
    );
  }
  const items: string[] = [];
  for (const item of decodeUtf16le(data, 0, length).split('\0')) {
    if (item === '') break;
    items.push(item);
  }
  return items;
}

/**
 * The C-level extras of a query call: the caller's WDF_OBJECT_ATTRIBUTES (validated by KMDF, its
 * ParentObject written back by NetAdapterCx) and the out-parameter, filled exactly as the source does.
 */
export interface QueryOptions<T> {
  /**
   * The caller's attributes (C: `WDF_OBJECT_ATTRIBUTES*`); `null`/absent = WDF_NO_OBJECT_ATTRIBUTES. Their
   * cleanup/destroy callbacks belong to each object created with them, as KMDF's creators attach them: a
   * string made and then deleted on a failed read runs its cleanup callback.
   */
  attributes?: WDF_OBJECT_ATTRIBUTES | null;
  /** The out-parameter (C: `WDFSTRING*` / `WDFMEMORY*`), left, cleared or set as on Windows. */
  out?: { value: T | null };
}

/**
 * A NETCONFIGURATION object: an open registry key of an adapter (read through NDIS) or of a device (through WDF), with the query and assign methods.
 * @throws {NtStatusError} from the methods, with the status Windows would return.
 * @throws {BugCheck} from the methods on a verifier failure (e.g. a call above PASSIVE_LEVEL).
 */
export class NetConfiguration extends WdfObject {
  constructor(
    environment: Environment,
    parent: WdfObject,
    readonly backend: Backend,
    readonly key: RegistryKey,
    /** The adapter whose NDIS handle this reads through (adapter backend only). */
    readonly adapter: NetAdapter | undefined,
  ) {
    super(environment, 'NETCONFIGURATION', parent);
  }

  /**
   * Before 2100 OpenSubConfiguration always built an adapter-path object, so a sub-configuration of a
   * device configuration had no adapter and a NULL NDIS handle (§3.3): its first use crashes.
   */
  brokenNdisHandle = false;

  /** An injected NDIS failure, converted as NdisConvertNdisStatusToNtStatus does (same number, §8). */
  private ndis(operation: 'NdisReadConfiguration' | 'NdisWriteConfiguration'): void {
    if (this.backend !== 'adapter') return;
    const failure = this.environment.takeFailure(operation);
    if (failure !== undefined) throw new NtStatusError(failure, `${operation} failed`, this.key.path);
  }

  private enter(): void {
    this.environment.requirePassive();
    this.assertValid();
    if (this.brokenNdisHandle) {
      throw accessViolation('NDIS called with the NULL handle of a device sub-configuration (fixed in 2100)');
    }
  }

  /**
   * A missing value: STATUS_OBJECT_NAME_NOT_FOUND (device: ZwQueryValueKey's status; adapter: NDIS_STATUS_FAILURE
   * converted since 1803) — but STATUS_UNSUCCESSFUL on the 1703 adapter path (§3.5, §6).
   */
  private missingValue(name: string): NtStatusError {
    const status = this.backend === 'adapter' && this.environment.release === '1703' ? STATUS_UNSUCCESSFUL : STATUS_OBJECT_NAME_NOT_FOUND;
    return new NtStatusError(status, `no value "${name}"`, this.key.path);
  }

  /**
   * NetConfigurationQueryUlong. Flags other than the two defined bits are a verifier bug check before
   * anything else (§3.5). `out.value` mirrors the C out-parameter: the adapter path zeroes it first,
   * the device path leaves it alone on failure.
   */
  queryUlong(name: string, options: number | { hexString?: boolean } = NET_CONFIGURATION_QUERY_ULONG_NO_FLAGS, out: { value: number } = { value: 0 }): number {
    const flags =
      typeof options === 'number'
        ? options
        : options.hexString
          ? NET_CONFIGURATION_QUERY_ULONG_MAY_BE_STORED_AS_HEX_STRING
          : NET_CONFIGURATION_QUERY_ULONG_NO_FLAGS;
    this.enter();
    if ((flags & ~NET_CONFIGURATION_QUERY_ULONG_MAY_BE_STORED_AS_HEX_STRING) !== 0) this.environment.verifierFailure('InvalidQueryUlongFlag', flags);
    const hex = flags === NET_CONFIGURATION_QUERY_ULONG_MAY_BE_STORED_AS_HEX_STRING;
    const value = this.key.tryQueryValue(name);
    if (this.backend === 'adapter') {
      out.value = 0;
      this.ndis('NdisReadConfiguration');
      if (value === undefined) throw this.missingValue(name);
      if (value.type === ValueType.REG_DWORD && value.data.length === 4) {
        out.value = decodeDword(value)!;
        return out.value;
      }
      if (value.type === ValueType.REG_SZ || value.type === ValueType.REG_EXPAND_SZ) {
        // [NDIS-internal] NDIS converts strings for NdisParameterInteger/HexInteger itself; §4 says to
        // treat that like RtlUnicodeStringToInteger (base 10, or 16 with the flag) until measured.
        out.value = unicodeStringToInteger(decodeString(value.data), hex ? 16 : 10);
        return out.value;
      }
      // 1703 compared the requested type instead of the returned one, so the mismatch never fired (§3.5);
      // what it then reported is not public — [NDIS-internal], modelled as success with 0.
      if (this.environment.release === '1703') return out.value;
      throw new NtStatusError(STATUS_OBJECT_TYPE_MISMATCH, `"${name}" is not an integer (type ${value.type})`, this.key.path);
    }
    if (!hex) {
      // WdfRegistryQueryULong → FxRegKey::_QueryULong reads into a 4-byte data buffer
      // (Windows-Driver-Frameworks src/framework/shared/support/km/fxregkeykm.cpp@3b9780e:233-253): a REG_DWORD
      // holding more than 4 bytes is STATUS_BUFFER_OVERFLOW (a warning, returned as is because it is not
      // STATUS_OBJECT_TYPE_MISMATCH, nxconfiguration.cpp@ca1e33c:301); one holding 0–3 bytes succeeds and copies
      // the 4 buffer bytes, whose tail is uninitialised stack — modelled as zero.
      if (value === undefined) throw this.missingValue(name);
      if (value.type === ValueType.REG_DWORD) {
        if (value.data.length > 4) throw new NtStatusError(STATUS_BUFFER_OVERFLOW, `"${name}" holds ${value.data.length} bytes`, this.key.path);
        const data = value.data;
        out.value = data.length === 4 ? decodeDword(value)! : (data[0] ?? 0) | ((data[1] ?? 0) << 8) | ((data[2] ?? 0) << 16);
        return out.value;
      }
    }
    // The string fallback: QueryString(ValueName, WDF_NO_OBJECT_ATTRIBUTES) — a WDFSTRING parented to the
    // configuration that is never deleted on success (nxconfiguration.cpp@ca1e33c:307-313, §3.5).
    let text: string;
    try {
      text = this.readDeviceString(name);
    } catch (error) {
      if (!(error instanceof NtStatusError)) throw error;
      // 1809/1903: QueryString deleted its string on a registry error and still returned success, so
      // WdfStringGetUnicodeString ran on the deleted handle, whatever the error was
      // (cx/sys/nxconfiguration.cpp@55f65cf:583-588 and 487-490).
      if (staleStringReportsSuccess(this.environment)) this.legacyDeviceFallback(name);
      // Any failure of QueryString falls to `default: return STATUS_INVALID_PARAMETER` (nxconfiguration.cpp@ca1e33c:310-317).
      throw new NtStatusError(STATUS_INVALID_PARAMETER, `"${name}" cannot be read as ${hex ? 'a hex' : 'a decimal'} string (${error.message})`, this.key.path);
    }
    new WdfString(this.environment, this, text);
    out.value = unicodeStringToInteger(text, hex ? 16 : 10);
    return out.value;
  }

  /**
   * 1809/1903 device QueryUlong: the string fallback called a QueryString that reported success after
   * deleting its string on a registry error, then read that deleted handle — a crash with the hex flag
   * for any value that is not a readable string, and without it for non-DWORD values that are not (§3.5).
   */
  private legacyDeviceFallback(name: string): void {
    const text = this.queryString(name);
    text.assertValid();
  }

  /** NetConfigurationAssignUlong: creates or replaces the value as a REG_DWORD, whatever it was (§3.10). */
  assignUlong(name: string, value: number): void {
    this.enter();
    this.ndis('NdisWriteConfiguration');
    // [NDIS-internal] the adapter path writes NdisParameterInteger; the expected REG_DWORD is what is stored.
    this.key.setValue(name, { type: ValueType.REG_DWORD, data: encodeDword(value) });
  }

  /**
   * NetConfigurationAssignBinary: adapter path refuses 65,535 bytes or more with STATUS_BUFFER_OVERFLOW,
   * writing nothing; device path refuses 0 bytes with STATUS_INVALID_PARAMETER (§3.12).
   */
  assignBinary(name: string, buffer: Uint8Array, length = buffer.length): void {
    this.enter();
    if (this.backend === 'adapter' && length >= ADAPTER_BINARY_LIMIT) {
      throw new NtStatusError(
        STATUS_BUFFER_OVERFLOW,
        `binary values on the adapter path must be under ${ADAPTER_BINARY_LIMIT} bytes (got ${length})`,
        this.key.path,
      );
    }
    // Device path: WdfMemoryCreatePreallocated refuses size 0 before anything else
    // (Windows-Driver-Frameworks src/framework/shared/core/fxmemorybufferpreallocatedapi.cpp@3b9780e:104-108).
    if (this.backend === 'device' && length === 0) throw new NtStatusError(STATUS_INVALID_PARAMETER, 'a zero-length binary value', this.key.path);
    this.ndis('NdisWriteConfiguration');
    if (this.backend === 'device') {
      // The preallocated WDFMEMORY is created with WDF_NO_OBJECT_ATTRIBUTES, so KMDF parents it to the
      // driver (fxobject.cpp@3b9780e:1110-1121), and it is deleted only when the write fails
      // (netcx/adapter/nxconfiguration.cpp@ca1e33c:816-825; cx/sys/nxconfiguration.cpp@001ce6f:980-985): each
      // successful call leaves one WDFMEMORY under the driver until it unloads.
      // WdfMemoryCreatePreallocated wraps the caller's buffer itself (no copy), Length bytes of it. Made
      // when the driver's children are next looked at (WdfObject.deferChild): nothing can see it before.
      this.environment.driver.deferChild(this.leakPreallocated, length === buffer.length ? buffer : buffer.subarray(0, length));
    }
    // [NDIS-internal] a zero-length write on the adapter path goes to NDIS; written as an empty REG_BINARY.
    this.key.setValue(name, { type: ValueType.REG_BINARY, data: buffer.slice(0, length) });
  }

  /** Makes one of the WDFMEMORYs device AssignBinary leaves under the driver (deferred: see assignBinary). */
  private readonly leakPreallocated = (buffer: Uint8Array): void => {
    new WdfMemory(this.environment, this.environment.driver, buffer);
  };

  /**
   * NetAdapterCx writes the default parent into the caller's attributes when their ParentObject is
   * NULL (§1.3). Since 1809 before anything else (netcx/adapter/nxconfiguration.cpp@ca1e33c:393-404 and
   * 550-561; cx/sys/nxconfiguration.cpp@001ce6f:573-574 and 725-726); 1703/1803 only after a successful
   * NDIS read (cx/sys/nxconfiguration.cpp@4f41254:605-616).
   */
  private writeBackParent(attributes: WDF_OBJECT_ATTRIBUTES | null | undefined, parent: WdfObject, early: boolean): void {
    if (attributes && !attributes.ParentObject && early === releaseAtLeast(this.environment.release, '1809')) attributes.ParentObject = parent;
  }

  /** The parent a new WDFSTRING/WDFMEMORY gets: the attributes' ParentObject, else `parent`, else `fallback`. */
  private static parentOf(attributes: WDF_OBJECT_ATTRIBUTES | null | undefined, parent: WdfObject | undefined, fallback: WdfObject): WdfObject {
    return attributes?.ParentObject ?? parent ?? fallback;
  }

  /**
   * NetConfigurationQueryBinary: a new WDFMEMORY (parented to the configuration unless `parent` or the
   * attributes say otherwise) holding a copy. Adapter path: any non-binary type is STATUS_NOT_FOUND, and
   * an empty binary fails WdfMemoryCreate with STATUS_INVALID_PARAMETER. Device path: the raw bytes of
   * any type; zero bytes is STATUS_RESOURCE_DATA_NOT_FOUND (§3.8). `c.out` is the C `*WdfMemory`.
   */
  queryBinary(name: string, parent?: WdfObject, c: QueryOptions<WdfMemory> = {}): WdfMemory {
    this.enter();
    const { attributes, out } = c;
    this.writeBackParent(attributes, this, true);
    const owner = NetConfiguration.parentOf(attributes, parent, this);
    const value = this.key.tryQueryValue(name);
    if (this.backend === 'device') {
      // WdfRegistryQueryMemory: *Memory = NULL, then the attributes, then the value
      // (Windows-Driver-Frameworks src/framework/shared/support/fxregistryapi.cpp@3b9780e:553-589).
      if (out) out.value = null;
      requireValidAttributes(attributes, 'WdfRegistryQueryMemory', this.key.path);
      if (value === undefined) throw this.missingValue(name);
      if (value.data.length === 0) throw new NtStatusError(STATUS_RESOURCE_DATA_NOT_FOUND, `"${name}" holds no bytes`, this.key.path);
      return handOut(new WdfMemory(this.environment, owner, value.data.slice()), attributes, out);
    }
    if (value === undefined) throw this.missingValue(name);
    if (value.type !== ValueType.REG_BINARY) throw new NtStatusError(STATUS_NOT_FOUND, `"${name}" is not binary (type ${value.type})`, this.key.path);
    this.writeBackParent(attributes, this, false);
    // WdfMemoryCreate refuses size 0 before touching *Memory (fxmemorybufferapi.cpp@3b9780e:118-125).
    if (value.data.length === 0) throw new NtStatusError(STATUS_INVALID_PARAMETER, `"${name}" holds no bytes`, this.key.path);
    if (out) out.value = null;
    const refused = validateObjectAttributes(attributes);
    if (refused !== 0) {
      // Until 2100 the WdfMemoryCreate failure was only logged and the copy went through the uninitialised
      // `buffer` pointer (netcx/adapter/nxconfiguration.cpp@e54583a, cx/sys/nxconfiguration.cpp@55f65cf:759-775).
      if (!releaseAtLeast(this.environment.release, '2100'))
        throw accessViolation('RtlCopyMemory through the uninitialised buffer of a failed WdfMemoryCreate');
      throw new NtStatusError(refused, 'WdfMemoryCreate refused the WDF_OBJECT_ATTRIBUTES', this.key.path);
    }
    return handOut(new WdfMemory(this.environment, owner, value.data.slice()), attributes, out);
  }

  /**
   * NetConfigurationQueryString: a new WDFSTRING, parented to the configuration unless `parent` or the
   * attributes say otherwise (§3.6). Adapter path: only REG_SZ is a string (REG_EXPAND_SZ too, as
   * NdisParameterString [NDIS-internal]). Device path: REG_SZ and REG_EXPAND_SZ (unexpanded); 0 bytes is
   * STATUS_RESOURCE_DATA_NOT_FOUND; over 65,535 bytes STATUS_INVALID_BUFFER_SIZE; one trailing NUL
   * dropped, embedded NULs kept. `c.out` is the C `*WdfString`.
   */
  queryString(name: string, parent?: WdfObject, c: QueryOptions<WdfString> = {}): WdfString {
    this.enter();
    const { attributes, out } = c;
    this.writeBackParent(attributes, this, true);
    const owner = NetConfiguration.parentOf(attributes, parent, this);
    if (this.backend === 'device') {
      // WdfStringCreate first (*String = NULL, then the attributes: fxstringapi.cpp@3b9780e:71-81), then
      // WdfRegistryQueryString into it; on failure the string is deleted but its handle stays in
      // *WdfString (netcx/adapter/nxconfiguration.cpp@ca1e33c:410-422). 1809/1903 even reported success
      // then (cx/sys/nxconfiguration.cpp@55f65cf:583-588).
      if (out) out.value = null;
      requireValidAttributes(attributes, 'WdfStringCreate', this.key.path);
      const text = handOut(new WdfString(this.environment, owner, ''), attributes, out);
      try {
        text.value = this.readDeviceString(name);
        return text;
      } catch (error) {
        text.delete();
        if (error instanceof NtStatusError && staleStringReportsSuccess(this.environment)) return text;
        throw error;
      }
    }
    const value = this.key.tryQueryValue(name);
    if (value === undefined) throw this.missingValue(name);
    if (value.type !== ValueType.REG_SZ && value.type !== ValueType.REG_EXPAND_SZ)
      throw new NtStatusError(STATUS_OBJECT_TYPE_MISMATCH, `"${name}" is not a string (type ${value.type})`, this.key.path);
    this.writeBackParent(attributes, this, false);
    // WdfStringCreate(StringData, attributes): *String = NULL, then the attributes (fxstringapi.cpp@3b9780e:71-81).
    if (out) out.value = null;
    requireValidAttributes(attributes, 'WdfStringCreate', this.key.path);
    return handOut(new WdfString(this.environment, owner, decodeString(value.data)), attributes, out);
  }

  /**
   * WdfRegistryQueryString's reading (Windows-Driver-Frameworks
   * src/framework/shared/support/fxregistryapi.cpp@3b9780e:1017-1113): absent → the ZwQueryValueKey status;
   * not REG_SZ/REG_EXPAND_SZ → STATUS_OBJECT_TYPE_MISMATCH; 0 bytes → STATUS_RESOURCE_DATA_NOT_FOUND;
   * over 65,535 bytes → STATUS_INVALID_BUFFER_SIZE; the last whole WCHAR dropped when it is NUL; then
   * FxDuplicateUnicodeString refuses a length whose +2 overflows a USHORT with STATUS_INTEGER_OVERFLOW
   * (stringutil.cpp@3b9780e:224-232), i.e. 65,534 or 65,535 bytes not ending in NUL. An odd trailing byte
   * cannot be seen through a WCHAR string and is dropped. A 1-byte value makes KMDF read the WCHAR before its
   * buffer (fxregistryapi.cpp@3b9780e:1085) — indeterminate; modelled as not NUL.
   */
  private readDeviceString(name: string): string {
    const value = this.key.tryQueryValue(name);
    if (value === undefined) throw this.missingValue(name);
    if (value.type !== ValueType.REG_SZ && value.type !== ValueType.REG_EXPAND_SZ)
      throw new NtStatusError(STATUS_OBJECT_TYPE_MISMATCH, `"${name}" is not a string (type ${value.type})`, this.key.path);
    const data = value.data;
    if (data.length === 0) throw new NtStatusError(STATUS_RESOURCE_DATA_NOT_FOUND, `"${name}" holds no bytes`, this.key.path);
    if (data.length > 65535) throw new NtStatusError(STATUS_INVALID_BUFFER_SIZE, `"${name}" holds ${data.length} bytes`, this.key.path);
    let length = data.length;
    const last = Math.floor(length / 2) - 1;
    if (last >= 0 && data[2 * last] === 0 && data[2 * last + 1] === 0) length -= 2;
    if (length + 2 > 65535)
      throw new NtStatusError(
        STATUS_INTEGER_OVERFLOW,
        `"${name}" is ${length} bytes long without a terminating NUL; a WDFSTRING holds at most 65,533`,
        this.key.path,
      );
    return decodeUtf16le(data, 0, length - (length % 2));
  }

  /**
   * NetConfigurationQueryMultiString: appends one WDFSTRING per element to `collection`; items already
   * there stay (§3.7). The strings' default parent is the collection on the adapter path but the driver
   * on the device path (NetAdapterCx passes the attributes through to KMDF, §1.3). On failure the
   * strings added by this call are removed again (adapter: and deleted).
   */
  queryMultiString(name: string, collection: WdfCollection, parent?: WdfObject, c: Pick<QueryOptions<never>, 'attributes'> = {}): void {
    this.enter();
    collection.assertValid();
    const { attributes } = c;
    // Device path: WdfRegistryQueryMultiString validates the attributes before anything else
    // (Windows-Driver-Frameworks src/framework/shared/support/fxregistryapi.cpp@3b9780e:681-684).
    if (this.backend === 'device') requireValidAttributes(attributes, 'WdfRegistryQueryMultiString', this.key.path);
    const value = this.key.tryQueryValue(name);
    if (value === undefined) throw this.missingValue(name);
    if (value.type !== ValueType.REG_MULTI_SZ)
      throw new NtStatusError(STATUS_OBJECT_TYPE_MISMATCH, `"${name}" is not a multi-string (type ${value.type})`, this.key.path);
    if (this.backend === 'device' && value.data.length === 0)
      throw new NtStatusError(STATUS_RESOURCE_DATA_NOT_FOUND, `"${name}" holds no bytes`, this.key.path);
    const items = splitMultiString(value.data, this.key.path, this.backend === 'adapter');
    if (this.backend === 'adapter') {
      // NxWdfCollectionAddMultiSz: the parent write-back comes after the validation, then each
      // WdfStringCreate checks the attributes — an empty list never calls it (nxutility.cpp@ca1e33c:99-124).
      if (attributes && !attributes.ParentObject) attributes.ParentObject = collection;
      if (items.length > 0) requireValidAttributes(attributes, 'WdfStringCreate', this.key.path);
    }
    const owner = NetConfiguration.parentOf(attributes, parent, this.backend === 'adapter' ? collection : this.environment.driver);
    const added: WdfString[] = [];
    for (const item of items) {
      const text = new WdfString(this.environment, owner, item);
      attachCallbacks(text, attributes);
      if (this.environment.takeFailure('WdfCollectionAdd') !== undefined) {
        // The string that could not be added is deleted; the ones this call added are taken out of the
        // collection again — and deleted on the adapter path (nxutility.cpp@ca1e33c:132-145, 158-177), but
        // only removed on the device path, where they stay under their parent (fxregistryapi.cpp@3b9780e:
        // 778-793, 823-830). WdfCollectionAdd reports STATUS_UNSUCCESSFUL (fxcollectionapi.cpp@3b9780e:165);
        // KMDF's own loop STATUS_INSUFFICIENT_RESOURCES (fxregistryapi.cpp@3b9780e:778-779).
        text.delete();
        collection.items.splice(collection.items.length - added.length, added.length);
        if (this.backend === 'adapter') for (const done of added.reverse()) done.delete();
        throw new NtStatusError(
          this.backend === 'adapter' ? STATUS_UNSUCCESSFUL : STATUS_INSUFFICIENT_RESOURCES,
          `adding string ${added.length + 1} of "${name}" to the collection failed`,
          this.key.path,
        );
      }
      collection.items.push(text);
      added.push(text);
    }
  }

  /**
   * NetConfigurationAssignMultiString: `s1 NUL … sN NUL NUL` as REG_MULTI_SZ (§3.13). Adapter path: 65,535
   * bytes or more is STATUS_BUFFER_OVERFLOW with nothing written; an empty collection writes 2 bytes.
   * Device path: a non-string item is STATUS_INVALID_PARAMETER; an empty collection writes 4 zero bytes
   * (the WDF source; the docs claim STATUS_INVALID_PARAMETER).
   */
  assignMultiString(name: string, collection: WdfCollection): void {
    this.enter();
    collection.assertValid();
    const strings: string[] = [];
    for (const item of collection.items) {
      if (!(item instanceof WdfString)) {
        if (this.backend === 'device')
          throw new NtStatusError(STATUS_INVALID_PARAMETER, 'the collection holds an object that is not a WDFSTRING', this.key.path);
        // The adapter path does not type-check items; WDF bug-checks on the bad handle (§3.13).
        throw new BugCheck(WDF_VIOLATION, [0, 0, 0, 0], 'WdfStringGetUnicodeString on an object that is not a WDFSTRING');
      }
      strings.push(item.value);
    }
    let data: Uint8Array;
    if (this.backend === 'adapter') {
      let size = 2;
      for (const text of strings) {
        size += text.length * 2 + 2;
        if (size >= MULTI_STRING_LIMIT)
          throw new NtStatusError(STATUS_BUFFER_OVERFLOW, `the multi-string reaches ${size} bytes (limit ${MULTI_STRING_LIMIT - 1})`, this.key.path);
      }
      data = strings.length === 0 ? new Uint8Array(2) : encodeMultiString(strings);
    } else {
      data = strings.length === 0 ? new Uint8Array(4) : encodeMultiString(strings);
    }
    this.key.setValue(name, { type: ValueType.REG_MULTI_SZ, data });
  }

  /** NetConfigurationAssignUnicodeString: REG_SZ of the text plus one NUL; embedded NULs kept (§3.11). */
  assignUnicodeString(name: string, value: string): void {
    this.enter();
    this.ndis('NdisWriteConfiguration');
    // [NDIS-internal] the adapter path's stored type and terminator: the expected REG_SZ with one NUL.
    this.key.setValue(name, { type: ValueType.REG_SZ, data: encodeString(value) });
  }

  /**
   * NetConfigurationOpenSubConfiguration: a configuration of the same backend over a subkey, parented to
   * this one (§3.3). A missing subkey is STATUS_OBJECT_NAME_NOT_FOUND on the device path and
   * STATUS_UNSUCCESSFUL on the adapter path (NDIS_STATUS_FAILURE converted); the key is not created
   * ([NDIS-internal] for NDIS: the registry's answer, an open that fails, is used).
   */
  openSubConfiguration(name: string): NetConfiguration {
    this.enter();
    let key: RegistryKey;
    try {
      key = this.key.openSubkey(name);
    } catch (error) {
      if (error instanceof NtStatusError && this.backend === 'adapter') throw new NtStatusError(STATUS_UNSUCCESSFUL, error.message, error.path);
      throw error;
    }
    if (this.backend === 'device' && !releaseAtLeast(this.environment.release, '2100')) {
      const broken = new NetConfiguration(this.environment, this, 'adapter', key, undefined);
      broken.brokenNdisHandle = true;
      return broken;
    }
    return new NetConfiguration(this.environment, this, this.backend, key, this.adapter);
  }

  /**
   * NetConfigurationQueryLinkLayerAddress (1803+): NetworkAddress of this configuration's own key, read
   * as NdisReadNetworkAddress does (§3.9, §5). A device configuration has no adapter: a verifier bug
   * check. Absent or not a string → STATUS_UNSUCCESSFUL; over 32 bytes → STATUS_BUFFER_OVERFLOW; no
   * filtering of multicast, broadcast or zero addresses. `out` is untouched on failure.
   */
  queryLinkLayerAddress(out: { Length: number; Address: Uint8Array } = { Length: 0, Address: new Uint8Array(NDIS_MAX_PHYS_ADDRESS_LENGTH) }): {
    Length: number;
    Address: Uint8Array;
  } {
    if (!releaseAtLeast(this.environment.release, '1803'))
      throw new NotInReleaseError('NetConfigurationQueryLinkLayerAddress', '1803', this.environment.release);
    this.enter();
    if (this.adapter === undefined) this.environment.verifierFailure('ParameterCantBeNull');
    const bytes = this.networkAddressBytes();
    if (bytes.length > NDIS_MAX_PHYS_ADDRESS_LENGTH)
      throw new NtStatusError(STATUS_BUFFER_OVERFLOW, `a ${bytes.length}-byte address is longer than ${NDIS_MAX_PHYS_ADDRESS_LENGTH}`, this.key.path);
    out.Address = new Uint8Array(NDIS_MAX_PHYS_ADDRESS_LENGTH);
    out.Address.set(bytes);
    out.Length = bytes.length;
    return out;
  }

  /** The NetworkAddress value as bytes (NdisReadNetworkAddress); absent or not a hex-digit string → STATUS_UNSUCCESSFUL (§3.9). */
  private networkAddressBytes(): Uint8Array {
    const value = this.key.tryQueryValue('NetworkAddress');
    const bytes =
      value !== undefined && (value.type === ValueType.REG_SZ || value.type === ValueType.REG_EXPAND_SZ)
        ? parseNetworkAddress(decodeString(value.data))
        : undefined;
    if (bytes === undefined) throw new NtStatusError(STATUS_UNSUCCESSFUL, 'NetworkAddress is absent or not a hex-digit string', this.key.path);
    return bytes;
  }

  /**
   * NetConfigurationQueryNetworkAddress, 1703's predecessor of QueryLinkLayerAddress (§3.9): copies the
   * address into the caller's buffer and reports the size needed. (length 0, buffer given) or (length
   * given, no buffer) → STATUS_INVALID_PARAMETER; too small → STATUS_BUFFER_TOO_SMALL with the size.
   */
  queryNetworkAddress(bufferLength: number, buffer: Uint8Array | null, resultLength: { value: number } | null): void {
    if (releaseAtLeast(this.environment.release, '1803'))
      throw new NotInReleaseError('NetConfigurationQueryNetworkAddress (removed)', '1703', this.environment.release);
    this.enter();
    if (resultLength === null) this.environment.verifierFailure('ParameterCantBeNull');
    if ((bufferLength === 0) !== (buffer === null))
      throw new NtStatusError(STATUS_INVALID_PARAMETER, 'buffer and length must be given together', this.key.path);
    // *ResultLength = 0 before NdisReadNetworkAddress, so a failed read leaves 0 there
    // (cx/sys/nxconfiguration.cpp@4f41254:687-716).
    resultLength.value = 0;
    const bytes = this.networkAddressBytes();
    resultLength.value = bytes.length;
    if (buffer === null || bufferLength < bytes.length)
      throw new NtStatusError(STATUS_BUFFER_TOO_SMALL, `the address needs ${bytes.length} bytes`, this.key.path);
    buffer.set(bytes);
  }

  /** NetConfigurationClose: WdfObjectDelete — sub-configurations, strings and memory go with it (§1.4). */
  close(): void {
    this.environment.requirePassive();
    this.delete();
  }
}

function injected(environment: Environment, operation: 'WdfObjectCreate' | 'NdisOpenConfigurationEx' | 'WdfDeviceOpenRegistryKey', what: string): void {
  const failure = environment.takeFailure(operation);
  if (failure !== undefined) throw new NtStatusError(failure, `${operation} failed while opening ${what}`);
}

/** The client's attributes of an open (C: `WDF_OBJECT_ATTRIBUTES*` of Net*OpenConfiguration / OpenSubConfiguration). */
export interface OpenOptions {
  /** NULL/absent = WDF_NO_OBJECT_ATTRIBUTES. With attributes, a context type is required (WdfObjectAllocateContext). */
  attributes?: WDF_OBJECT_ATTRIBUTES | null;
}

/**
 * WdfObjectAllocateContext with the client's attributes on a fresh configuration (§1.3,
 * netcx/adapter/nxconfiguration.cpp@ca1e33c:250-263): validateContextAttributes (KMDF's checks, e.g. a
 * ParentObject → STATUS_WDF_PARENT_ASSIGNMENT_NOT_ALLOWED, ExecutionLevel ≠ InheritFromParent →
 * STATUS_WDF_EXECUTION_LEVEL_INVALID, no context type → STATUS_OBJECT_NAME_INVALID), then the client's
 * cleanup/destroy callbacks are registered. A refused set is thrown; `onFailure` says whether the caller
 * deletes the configuration first (its callbacks were not attached, so they do not run) or leaks it.
 */
export function allocateClientContext(
  configuration: NetConfiguration,
  attributes: WDF_OBJECT_ATTRIBUTES | null | undefined,
  onFailure: 'delete' | 'leak',
): void {
  if (attributes === null || attributes === undefined) return;
  const failure = validateContextAttributes(attributes);
  if (failure !== 0) {
    if (onFailure === 'delete') configuration.delete();
    throw new NtStatusError(failure, 'the configuration attributes were refused by WdfObjectAllocateContext', configuration.key.path);
  }
  attachCallbacks(configuration, attributes);
}

/**
 * Both opens: the WDF object first, then the key; a failure of either is returned and nothing is left (§3.1, §3.2).
 * The client's attributes come after the key open (netcx/adapter/nxadapterapi.cpp@ca1e33c:425-434,
 * nxdeviceapi.cpp@ca1e33c:149-158) — except on the 1809–2004 device path, which allocated the context
 * before opening the key (cx/sys/nxconfiguration.cpp@001ce6f:201-211): refused attributes returned without
 * deleting the object (it leaks under the device, cx/sys/nxdeviceapi.cpp@001ce6f:52-61), and a failed key
 * open deletes an object whose client cleanup callback is already attached, so it runs.
 */
function openConfigurationObject(
  owner: NetAdapter | WdfDevice,
  backend: Backend,
  keyOpen: 'NdisOpenConfigurationEx' | 'WdfDeviceOpenRegistryKey',
  attributes: WDF_OBJECT_ATTRIBUTES | null | undefined,
): NetConfiguration {
  const environment = owner.environment;
  environment.requirePassive();
  owner.assertValid();
  injected(environment, 'WdfObjectCreate', `the ${backend} configuration`);
  const configuration = new NetConfiguration(environment, owner, backend, owner.key, owner instanceof NetAdapter ? owner : undefined);
  const early = backend === 'device' && !releaseAtLeast(environment.release, '2100');
  if (early) allocateClientContext(configuration, attributes, 'leak');
  try {
    injected(environment, keyOpen, `the ${backend} configuration`);
  } catch (error) {
    configuration.delete();
    throw error;
  }
  if (!early) allocateClientContext(configuration, attributes, 'delete');
  return configuration;
}

/** NetAdapterOpenConfiguration, idiomatic: the adapter (NDIS) backend over the adapter's key; `c.attributes` as the C call's. */
export function openAdapterConfiguration(adapter: NetAdapter, c: OpenOptions = {}): NetConfiguration {
  return openConfigurationObject(adapter, 'adapter', 'NdisOpenConfigurationEx', c.attributes);
}

/** NetDeviceOpenConfiguration (1809+), idiomatic: the device (WDF registry) backend; `c.attributes` as the C call's. */
export function openDeviceConfiguration(device: WdfDevice, c: OpenOptions = {}): NetConfiguration {
  if (!releaseAtLeast(device.environment.release, '1809')) throw new NotInReleaseError('NetDeviceOpenConfiguration', '1809', device.environment.release);
  return openConfigurationObject(device, 'device', 'WdfDeviceOpenRegistryKey', c.attributes);
}
