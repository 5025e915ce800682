/**
 * The slice of WDF and NetAdapterCx that NETCONFIGURATION lives in: an environment with a release
 * profile and a current IRQL, verifier bug checks, and WDF objects with parents, children and delete
 * cascades (netadaptercx-config.md §1.3, §1.4, §2).
 */

/** Windows releases whose NetAdapterCx behaviour differs (§0, §6). "2100" is Windows 11 21H2. */
export type Release = '1703' | '1803' | '1809' | '1903' | '2004' | '2100';
/** Every {@link Release} this model knows, oldest first. */
export const RELEASES: readonly Release[] = ['1703', '1803', '1809', '1903', '2004', '2100'];

/** IRQL 0 (PASSIVE_LEVEL): the only level at which the NETCONFIGURATION calls may be made. */
export const PASSIVE_LEVEL = 0;
/** IRQL 1 (APC_LEVEL). */
export const APC_LEVEL = 1;
/** IRQL 2 (DISPATCH_LEVEL). */
export const DISPATCH_LEVEL = 2;

/** BUGCODE_NETADAPTER_DRIVER: NetAdapterCx's verifier bug check (§2). */
export const BUGCODE_NETADAPTER_DRIVER = 0x19e;
/** WDF_VIOLATION: what KMDF raises for an invalid (e.g. deleted) handle (§1.4: "caught by WDF"). */
export const WDF_VIOLATION = 0x10d;

/**
 * The NetAdapterCx verifier failures this model raises as a 0x19E bug check; {@link failureCodeNumber} gives each one's number.
 */
export type FailureCode = 'CorruptedPrivateGlobals' | 'IrqlIsNotPassive' | 'ParameterCantBeNull' | 'InvalidQueryUlongFlag';

/** P1 of the 0x19E bug check: the numbering shifts between releases (§2's table). */
export function failureCodeNumber(code: FailureCode, release: Release): number {
  const middle = release === '1903' || release === '2004';
  switch (code) {
    case 'CorruptedPrivateGlobals':
      return 0;
    case 'IrqlIsNotPassive':
      return 1;
    case 'ParameterCantBeNull':
      return middle ? 14 : 15;
    case 'InvalidQueryUlongFlag':
      return middle ? 15 : 16;
  }
}

/** Releases at or after `first` (release names sort in time order). */
export function releaseAtLeast(release: Release, first: Release): boolean {
  return RELEASES.indexOf(release) >= RELEASES.indexOf(first);
}

/** Calling an export the emulated release does not have: on Windows the driver would not load. */
export class NotInReleaseError extends Error {
  readonly code = 'NOT_IN_RELEASE';
  constructor(name: string, first: Release, release: Release) {
    super(`${name} exists from Windows 10 ${first} on; this environment emulates ${release}`);
    this.name = 'NotInReleaseError';
  }
}

/** SYSTEM_THREAD_EXCEPTION_NOT_HANDLED: what a NULL dereference in a driver thread ends in. */
export const SYSTEM_THREAD_EXCEPTION_NOT_HANDLED = 0x7e;

/** A bug check: on Windows the machine stops; here a typed error a test can assert on. */
export class BugCheck extends Error {
  readonly code: number;
  readonly parameters: readonly [number, number, number, number];

  constructor(code: number, parameters: [number, number, number, number], reason: string) {
    super(`bug check 0x${code.toString(16).toUpperCase()} (${parameters.map((p) => `0x${(p >>> 0).toString(16)}`).join(', ')}): ${reason}`);
    this.name = 'BugCheck';
    this.code = code;
    this.parameters = parameters;
  }
}

/** Operations inside WDF and NDIS whose failure a test can inject (their statuses reach the caller, §3). */
export type InjectableOperation =
  | 'WdfObjectCreate'
  | 'NdisOpenConfigurationEx'
  | 'WdfDeviceOpenRegistryKey'
  | 'NdisReadConfiguration'
  | 'NdisWriteConfiguration'
  /** FxCollection::Add returning FALSE; the status is the caller's (see queryMultiString), the injected one is ignored. */
  | 'WdfCollectionAdd';

/** The machine a driver runs on: which release it emulates and the IRQL the current code runs at. */
export class Environment {
  readonly release: Release;
  irql = PASSIVE_LEVEL;
  readonly driver: WdfObject;
  /** Set to make every export find the driver globals corrupted (§2: checked before the IRQL). */
  globalsCorrupted = false;
  private readonly injected = new Map<InjectableOperation, { status: number; skip: number }>();

  /**
   * The next `operation` fails with `status` (e.g. NDIS_STATUS_RESOURCES = STATUS_INSUFFICIENT_RESOURCES);
   * with `skip`, that many calls succeed first (e.g. the second WdfCollectionAdd of a multi-string fails).
   */
  failNext(operation: InjectableOperation, status: number, skip = 0): void {
    this.injected.set(operation, { status: status >>> 0, skip });
  }

  /** The injected failure for `operation`, consumed, if any. */
  takeFailure(operation: InjectableOperation): number | undefined {
    const entry = this.injected.get(operation);
    if (entry === undefined) return undefined;
    if (entry.skip > 0) {
      entry.skip--;
      return undefined;
    }
    this.injected.delete(operation);
    return entry.status;
  }

  constructor(options: { release?: Release } = {}) {
    this.release = options.release ?? '2100';
    this.driver = new WdfObject(this, 'WDFDRIVER', undefined);
  }

  /** The verifier's unconditional bug check 0x19E (VerifierAction_BugcheckAlways, §2). */
  verifierFailure(code: FailureCode, p2 = 0, p3 = 0): never {
    throw new BugCheck(BUGCODE_NETADAPTER_DRIVER, [failureCodeNumber(code, this.release), p2, p3, 0], `NetAdapterCx verifier: ${code}`);
  }

  /** Every export checks the driver globals, then the IRQL (§2). */
  requirePassive(): void {
    if (this.globalsCorrupted) this.verifierFailure('CorruptedPrivateGlobals');
    if (this.irql > PASSIVE_LEVEL) this.verifierFailure('IrqlIsNotPassive', this.irql);
  }

  /** Runs `action` at `irql`, as code called from a DPC or with a spin lock held would. */
  atIrql<T>(irql: number, action: () => T): T {
    const previous = this.irql;
    this.irql = irql;
    try {
      return action();
    } finally {
      this.irql = previous;
    }
  }
}

/** The WDF object types this model creates. */
export type WdfObjectType = 'WDFDRIVER' | 'WDFDEVICE' | 'NETADAPTER' | 'NETCONFIGURATION' | 'WDFSTRING' | 'WDFMEMORY' | 'WDFCOLLECTION';

/**
 * A WDF object: deleted with all its children (children first, §1.4), its cleanup callback run once,
 * and a handle that is invalid afterwards — using it is a WDF bug check, not a status.
 */
export class WdfObject {
  readonly environment: Environment;
  readonly type: WdfObjectType;
  private parentObject: WdfObject | undefined;
  private readonly children = new Set<WdfObject>();
  private isDeleted = false;
  private readonly cleanups: (() => void)[] = [];

  constructor(environment: Environment, type: WdfObjectType, parent: WdfObject | undefined) {
    this.environment = environment;
    this.type = type;
    this.parentObject = parent;
    parent?.assertValid();
    parent?.children.add(this);
  }

  get parent(): WdfObject | undefined {
    return this.parentObject;
  }

  get deleted(): boolean {
    return this.isDeleted;
  }

  /** Live children, oldest first. */
  childObjects(): WdfObject[] {
    return [...this.children];
  }

  /** Registers a callback to run once when the object is deleted. */
  onCleanup(callback: () => void): void {
    this.cleanups.push(callback);
  }

  /** @throws {BugCheck} WDF_VIOLATION when the handle was deleted */
  assertValid(): void {
    if (this.isDeleted) throw new BugCheck(WDF_VIOLATION, [0, 0, 0, 0], `use of a deleted ${this.type} handle`);
  }

  /** Deletes children first (newest first, as WDF disposes), then runs this object's cleanup. */
  delete(): void {
    this.assertValid();
    for (const child of [...this.children].reverse()) if (!child.isDeleted) child.delete();
    this.isDeleted = true;
    for (const cleanup of this.cleanups) cleanup();
    this.parentObject?.children.delete(this);
  }
}

/**
 * STATUS_INTEGER_OVERFLOW: what FxDuplicateUnicodeString returns when a string's byte length plus its
 * NUL does not fit a USHORT (Windows-Driver-Frameworks `src/framework/shared/support/stringutil.cpp@3b9780e:224-232`).
 */
export const STATUS_INTEGER_OVERFLOW = 0xc0000095;
/** STATUS_WDF_OBJECT_ATTRIBUTES_INVALID (`src/publicinc/wdf/kmdf/1.15/wdfstatus.h@3b9780e:171`). */
export const STATUS_WDF_OBJECT_ATTRIBUTES_INVALID = 0xc0200209;
/** STATUS_WDF_SYNCHRONIZATION_SCOPE_INVALID (`wdfstatus.h@3b9780e:234`). */
export const STATUS_WDF_SYNCHRONIZATION_SCOPE_INVALID = 0xc0200210;
/** STATUS_WDF_EXECUTION_LEVEL_INVALID (`wdfstatus.h@3b9780e:243`). */
export const STATUS_WDF_EXECUTION_LEVEL_INVALID = 0xc0200211;
/** STATUS_WDF_PARENT_NOT_SPECIFIED (`wdfstatus.h@3b9780e:252`). */
export const STATUS_WDF_PARENT_NOT_SPECIFIED = 0xc0200212;

/** sizeof(WDF_OBJECT_ATTRIBUTES) on x64, the only Size FxValidateObjectAttributes accepts. */
export const KMDF_OBJECT_ATTRIBUTES_SIZE = 56;
/** sizeof(WDF_OBJECT_CONTEXT_TYPE_INFO) on x64 (Size, ContextName, ContextSize, UniqueType, EvtDriverGetUniqueContextType). */
export const KMDF_CONTEXT_TYPE_INFO_SIZE = 40;
/** sizeof(WDF_OBJECT_CONTEXT_TYPE_INFO_V1_0) on x64 (Size, ContextName, ContextSize), also accepted. */
export const KMDF_CONTEXT_TYPE_INFO_V1_0_SIZE = 24;

/**
 * The fields of a WDF_OBJECT_ATTRIBUTES that KMDF's FxValidateObjectAttributes reads. Structural, so
 * both faces' attribute objects fit; a field left undefined has the value WDF_OBJECT_ATTRIBUTES_INIT
 * gives it (Size = 56, ExecutionLevel and SynchronizationScope = InheritFromParent = 1, the rest 0/NULL).
 */
export interface KmdfObjectAttributes {
  Size?: number;
  ParentObject?: WdfObject | null;
  ContextTypeInfo?: { Size?: number; ContextName?: string | null; ContextSize?: number } | null;
  ContextSizeOverride?: number;
  /** WDF_EXECUTION_LEVEL: 0 Invalid, 1 InheritFromParent, 2 Passive, 3 Dispatch. */
  ExecutionLevel?: number;
  /** WDF_SYNCHRONIZATION_SCOPE: 0 Invalid, 1 InheritFromParent, 2 Device, 3 Queue, 4 None. */
  SynchronizationScope?: number;
}

/** FX_VALIDATE_OPTION_* flags of FxValidateObjectAttributes (`fxvalidatefunctions.hpp@3b9780e:45`). */
export const FX_VALIDATE_OPTION_NONE_SPECIFIED = 0;
/** FX_VALIDATE_OPTION_PARENT_NOT_ALLOWED: a ParentObject is STATUS_WDF_PARENT_ASSIGNMENT_NOT_ALLOWED. */
export const FX_VALIDATE_OPTION_PARENT_NOT_ALLOWED = 0x1;
/** FX_VALIDATE_OPTION_ATTRIBUTES_REQUIRED: NULL attributes are STATUS_WDF_PARENT_NOT_SPECIFIED. */
export const FX_VALIDATE_OPTION_ATTRIBUTES_REQUIRED = 0x8;

/**
 * KMDF's FxValidateObjectAttributes, in its order (Windows-Driver-Frameworks
 * `src/framework/shared/object/fxvalidatefunctions.cpp@3b9780e:45-220`): NULL attributes pass unless
 * required; Size ≠ sizeof → STATUS_INFO_LENGTH_MISMATCH (65-75); a context type whose Size is neither
 * struct size → STATUS_INFO_LENGTH_MISMATCH (77-91); ContextSize > 0 without a ContextName →
 * STATUS_WDF_OBJECT_ATTRIBUTES_INVALID (96-108); ContextSizeOverride without a type or below the
 * type's size → STATUS_WDF_OBJECT_ATTRIBUTES_INVALID (111-137); a parent when not allowed (139-148);
 * ExecutionLevel / SynchronizationScope out of range → STATUS_WDF_OBJECT_ATTRIBUTES_INVALID (161-179);
 * with no option flags, any scope but InheritFromParent/None → STATUS_WDF_SYNCHRONIZATION_SCOPE_INVALID
 * (181-199) and any level but InheritFromParent → STATUS_WDF_EXECUTION_LEVEL_INVALID (201-217).
 * Every WdfStringCreate, WdfMemoryCreate and WdfRegistryQuery* call on the NETCONFIGURATION paths
 * validates with no flags. Returns the NTSTATUS as an unsigned number (0 = success).
 */
export function validateKmdfObjectAttributes(attributes: KmdfObjectAttributes | null | undefined, flags = FX_VALIDATE_OPTION_NONE_SPECIFIED): number {
  if (attributes === null || attributes === undefined) return flags & FX_VALIDATE_OPTION_ATTRIBUTES_REQUIRED ? STATUS_WDF_PARENT_NOT_SPECIFIED : 0;
  const STATUS_INFO_LENGTH_MISMATCH = 0xc0000004;
  if ((attributes.Size ?? KMDF_OBJECT_ATTRIBUTES_SIZE) !== KMDF_OBJECT_ATTRIBUTES_SIZE) return STATUS_INFO_LENGTH_MISMATCH;
  const type = attributes.ContextTypeInfo;
  if (type) {
    const size = type.Size ?? KMDF_CONTEXT_TYPE_INFO_SIZE;
    if (size !== KMDF_CONTEXT_TYPE_INFO_SIZE && size !== KMDF_CONTEXT_TYPE_INFO_V1_0_SIZE) return STATUS_INFO_LENGTH_MISMATCH;
    if ((type.ContextSize ?? 0) > 0 && !type.ContextName) return STATUS_WDF_OBJECT_ATTRIBUTES_INVALID;
  }
  const override = attributes.ContextSizeOverride ?? 0;
  if (override > 0 && (!type || override < (type.ContextSize ?? 0))) return STATUS_WDF_OBJECT_ATTRIBUTES_INVALID;
  if (flags & FX_VALIDATE_OPTION_PARENT_NOT_ALLOWED && attributes.ParentObject) return 0xc020020f;
  const level = attributes.ExecutionLevel ?? 1;
  const scope = attributes.SynchronizationScope ?? 1;
  if (level === 0 || level > 3) return STATUS_WDF_OBJECT_ATTRIBUTES_INVALID;
  if (scope === 0 || scope > 4) return STATUS_WDF_OBJECT_ATTRIBUTES_INVALID;
  if (scope !== 1 && scope !== 4) return STATUS_WDF_SYNCHRONIZATION_SCOPE_INVALID;
  if (level !== 1) return STATUS_WDF_EXECUTION_LEVEL_INVALID;
  return 0;
}

/**
 * The checks WdfObjectAllocateContext makes before it adds a context — what Open*Configuration and
 * OpenSubConfiguration apply to the client's attributes (netcx/adapter/nxconfiguration.cpp@ca1e33c:250-263):
 * FxValidateObjectAttributes with ATTRIBUTES_REQUIRED and (KMDF ≥ 1.11) PARENT_NOT_ALLOWED, then a NULL
 * ContextTypeInfo is STATUS_OBJECT_NAME_INVALID (Windows-Driver-Frameworks
 * `src/framework/shared/object/handleapi.cpp@3b9780e:494-517`). Returns the NTSTATUS (0 = success).
 */
export function validateContextAttributes(attributes: KmdfObjectAttributes | null | undefined): number {
  const status = validateKmdfObjectAttributes(attributes, FX_VALIDATE_OPTION_ATTRIBUTES_REQUIRED | FX_VALIDATE_OPTION_PARENT_NOT_ALLOWED);
  if (status !== 0) return status;
  return attributes?.ContextTypeInfo ? 0 : 0xc0000033;
}
