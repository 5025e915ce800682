import {
  STATUS_INFO_LENGTH_MISMATCH,
  STATUS_OBJECT_NAME_INVALID,
  STATUS_SUCCESS,
  STATUS_WDF_EXECUTION_LEVEL_INVALID,
  STATUS_WDF_OBJECT_ATTRIBUTES_INVALID,
  STATUS_WDF_PARENT_ASSIGNMENT_NOT_ALLOWED,
  STATUS_WDF_PARENT_NOT_SPECIFIED,
  STATUS_WDF_SYNCHRONIZATION_SCOPE_INVALID,
} from '../registry/index.js';

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

/**
 * A NULL (or wild) pointer dereferenced in a driver thread: bug check SYSTEM_THREAD_EXCEPTION_NOT_HANDLED with
 * P1 = the exception code, STATUS_ACCESS_VIOLATION (0xC0000005).
 */
export function accessViolation(reason: string): BugCheck {
  return new BugCheck(SYSTEM_THREAD_EXCEPTION_NOT_HANDLED, [0xc0000005, 0, 0, 0], reason);
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
    this.injected.set(operation, { status: status | 0, skip });
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
  // Both made on first use: most objects (a WDFMEMORY per device AssignBinary, every WDFSTRING) never
  // get a child or a callback, and the C-face benchmark creates one per call (bench/api-c.mjs).
  private children: Set<WdfObject> | undefined;
  private isDeleted = false;
  private cleanups: (() => void)[] | undefined;
  // Children recorded by deferChild and not made yet: made, oldest first, before anything reads or
  // changes this object's children, so no one can tell them from children made at once.
  private deferredMake: ((item: never) => void) | undefined;
  private deferredItems: unknown[] | undefined;

  constructor(environment: Environment, type: WdfObjectType, parent: WdfObject | undefined) {
    this.environment = environment;
    this.type = type;
    this.parentObject = parent;
    if (parent !== undefined) {
      parent.assertValid();
      if (parent.deferredItems !== undefined) parent.makeDeferred();
      (parent.children ??= new Set()).add(this);
    }
  }

  /**
   * Records a child to be made later by `make(item)` (which must construct it with this object as parent).
   * For children nothing looks at until much later — the WDFMEMORY each device AssignBinary leaves under
   * the driver — so a million calls keep a million array slots rather than a million objects in a Set
   * (bench/api-c.mjs). Observationally the same: they are made, in order, before the children are read,
   * another child is added, or this object is deleted.
   */
  deferChild<T>(make: (item: T) => void, item: T): void {
    this.assertValid();
    if (this.deferredMake !== make && this.deferredItems !== undefined) this.makeDeferred();
    this.deferredMake = make as (item: never) => void;
    (this.deferredItems ??= []).push(item);
  }

  private makeDeferred(): void {
    const make = this.deferredMake as (item: unknown) => void;
    const items = this.deferredItems ?? [];
    this.deferredMake = undefined;
    this.deferredItems = undefined;
    for (const item of items) make(item);
  }

  get parent(): WdfObject | undefined {
    return this.parentObject;
  }

  get deleted(): boolean {
    return this.isDeleted;
  }

  /** Live children, oldest first. */
  childObjects(): WdfObject[] {
    if (this.deferredItems !== undefined) this.makeDeferred();
    return this.children === undefined ? [] : [...this.children];
  }

  /** Registers a callback to run once when the object is deleted. */
  onCleanup(callback: () => void): void {
    (this.cleanups ??= []).push(callback);
  }

  /** @throws {BugCheck} WDF_VIOLATION when the handle was deleted */
  assertValid(): void {
    if (this.isDeleted) throw new BugCheck(WDF_VIOLATION, [0, 0, 0, 0], `use of a deleted ${this.type} handle`);
  }

  /** Deletes children first (newest first, as WDF disposes), then runs this object's cleanup. */
  delete(): void {
    this.assertValid();
    if (this.deferredItems !== undefined) this.makeDeferred();
    if (this.children !== undefined) for (const child of [...this.children].reverse()) if (!child.isDeleted) child.delete();
    this.isDeleted = true;
    if (this.cleanups !== undefined) for (const cleanup of this.cleanups) cleanup();
    this.parentObject?.children?.delete(this);
  }
}

// ---------------------------------------------------------------------------------------------
// WDF_OBJECT_ATTRIBUTES and KMDF's checks of them. One implementation, here at the lowest layer, so the
// model (configuration.ts) and the C face (wdf-api.ts, api.ts) validate alike without an import cycle.
// ---------------------------------------------------------------------------------------------

/** WDF_EXECUTION_LEVEL: 0 is invalid; KMDF's default (WDF_OBJECT_ATTRIBUTES_INIT) is InheritFromParent. */
export const WdfExecutionLevelInvalid = 0;
/** WDF_EXECUTION_LEVEL InheritFromParent (1), what WDF_OBJECT_ATTRIBUTES_INIT stores. */
export const WdfExecutionLevelInheritFromParent = 1;
/** WDF_EXECUTION_LEVEL Passive (2). */
export const WdfExecutionLevelPassive = 2;
/** WDF_EXECUTION_LEVEL Dispatch (3), the highest valid value. */
export const WdfExecutionLevelDispatch = 3;
/** WDF_SYNCHRONIZATION_SCOPE 0: invalid. */
export const WdfSynchronizationScopeInvalid = 0;
/** WDF_SYNCHRONIZATION_SCOPE InheritFromParent (1), what WDF_OBJECT_ATTRIBUTES_INIT stores. */
export const WdfSynchronizationScopeInheritFromParent = 1;
/** WDF_SYNCHRONIZATION_SCOPE Device (2). */
export const WdfSynchronizationScopeDevice = 2;
/** WDF_SYNCHRONIZATION_SCOPE Queue (3). */
export const WdfSynchronizationScopeQueue = 3;
/** WDF_SYNCHRONIZATION_SCOPE None (4), the highest valid value. */
export const WdfSynchronizationScopeNone = 4;

/** sizeof(WDF_OBJECT_ATTRIBUTES) on x64: what WDF_OBJECT_ATTRIBUTES_INIT stores in Size, the only Size FxValidateObjectAttributes accepts. */
export const WDF_OBJECT_ATTRIBUTES_SIZE = 56;
/** sizeof(WDF_OBJECT_CONTEXT_TYPE_INFO) on x64 (Size, ContextName, ContextSize, UniqueType, EvtDriverGetUniqueContextType). */
export const WDF_OBJECT_CONTEXT_TYPE_INFO_SIZE = 40;
/**
 * sizeof(WDF_OBJECT_CONTEXT_TYPE_INFO_V1_0) on x64: Size (4, padded to 8), ContextName (8), ContextSize (8) —
 * Windows-Driver-Frameworks `src/framework/shared/inc/private/common/fxmin.hpp` (the V1_0 typedef); KMDF accepts both sizes.
 */
export const WDF_OBJECT_CONTEXT_TYPE_INFO_V1_0_SIZE = 24;

/** A WDF callback taking the object (EVT_WDF_OBJECT_CONTEXT_CLEANUP / _DESTROY). */
export type EvtWdfObjectCallback = (object: WdfObject) => void;

/**
 * WDF_OBJECT_CONTEXT_TYPE_INFO, as WDF_DECLARE_CONTEXT_TYPE emits it. An omitted `Size` is the current
 * structure's size. `name` is an older spelling of `ContextName`, still accepted.
 */
export interface WDF_OBJECT_CONTEXT_TYPE_INFO {
  Size?: number;
  ContextName?: string | null;
  /** Size of the context in bytes (0 allowed). */
  ContextSize?: number;
  /** @deprecated use ContextName */
  name?: string;
}

/**
 * WDF_OBJECT_ATTRIBUTES with every field (wdfobject.h, KMDF 1.33). An **omitted** field has the value
 * WDF_OBJECT_ATTRIBUTES_INIT gives it (Size 56, both levels InheritFromParent, the rest NULL/0); to model
 * a zero-filled C struct, write the zeros. Both faces take this one type (the idiomatic methods' `c.attributes` too).
 */
export interface WDF_OBJECT_ATTRIBUTES {
  Size?: number;
  /** Called when the object is deleted (after its children's). */
  EvtCleanupCallback?: EvtWdfObjectCallback | null;
  /** Called when the object's memory goes (here: right after its cleanup; references are not modelled). */
  EvtDestroyCallback?: EvtWdfObjectCallback | null;
  /** WDF_EXECUTION_LEVEL: 0 Invalid, 1 InheritFromParent, 2 Passive, 3 Dispatch. */
  ExecutionLevel?: number;
  /** WDF_SYNCHRONIZATION_SCOPE: 0 Invalid, 1 InheritFromParent, 2 Device, 3 Queue, 4 None. */
  SynchronizationScope?: number;
  ParentObject?: WdfObject | null;
  ContextSizeOverride?: number;
  ContextTypeInfo?: WDF_OBJECT_CONTEXT_TYPE_INFO | null;
}

/** FX_VALIDATE_OPTION_* flags of FxValidateObjectAttributes (Windows-Driver-Frameworks `fxvalidatefunctions.hpp@3b9780e:44-57`). */
export const FX_VALIDATE_OPTION_NONE_SPECIFIED = 0;
/** The object takes no ParentObject (contexts added with WdfObjectAllocateContext): a parent is STATUS_WDF_PARENT_ASSIGNMENT_NOT_ALLOWED. */
export const FX_VALIDATE_OPTION_PARENT_NOT_ALLOWED = 1;
/** The object allows an ExecutionLevel other than InheritFromParent. */
export const FX_VALIDATE_OPTION_EXECUTION_LEVEL_ALLOWED = 2;
/** The object allows a SynchronizationScope other than InheritFromParent/None. */
export const FX_VALIDATE_OPTION_SYNCHRONIZATION_SCOPE_ALLOWED = 4;
/** NULL attributes are an error (STATUS_WDF_PARENT_NOT_SPECIFIED). */
export const FX_VALIDATE_OPTION_ATTRIBUTES_REQUIRED = 8;
/** A ParentObject is required (implies ATTRIBUTES_REQUIRED). */
export const FX_VALIDATE_OPTION_PARENT_REQUIRED = 0x10 | 8;

/**
 * KMDF's FxValidateObjectAttributes, in its order (Windows-Driver-Frameworks
 * `src/framework/shared/object/fxvalidatefunctions.cpp@3b9780e:45-220`): NULL attributes pass unless
 * required (STATUS_WDF_PARENT_NOT_SPECIFIED, 51-62); Size ≠ 56 → STATUS_INFO_LENGTH_MISMATCH (65-75); a
 * context type whose Size is neither 40 nor 24 → STATUS_INFO_LENGTH_MISMATCH (77-91); ContextSize > 0
 * without a ContextName → STATUS_WDF_OBJECT_ATTRIBUTES_INVALID (96-108); ContextSizeOverride without a
 * type or below the type's size → STATUS_WDF_OBJECT_ATTRIBUTES_INVALID (111-137); a parent where none is
 * allowed → STATUS_WDF_PARENT_ASSIGNMENT_NOT_ALLOWED, none where one is required →
 * STATUS_WDF_PARENT_NOT_SPECIFIED (139-159); ExecutionLevel / SynchronizationScope 0 or past the last
 * enum value → STATUS_WDF_OBJECT_ATTRIBUTES_INVALID (161-179); a scope other than InheritFromParent/None
 * where not allowed → STATUS_WDF_SYNCHRONIZATION_SCOPE_INVALID (181-199); a level other than
 * InheritFromParent where not allowed → STATUS_WDF_EXECUTION_LEVEL_INVALID (201-217).
 * Every WdfStringCreate, WdfMemoryCreate, WdfCollectionCreate and WdfRegistryQuery* call on the
 * NETCONFIGURATION paths validates with no flags. Returns a signed NTSTATUS (STATUS_SUCCESS = 0).
 */
export function validateObjectAttributes(attributes: WDF_OBJECT_ATTRIBUTES | null | undefined, flags = FX_VALIDATE_OPTION_NONE_SPECIFIED): number {
  if (attributes === null || attributes === undefined) return flags & FX_VALIDATE_OPTION_ATTRIBUTES_REQUIRED ? STATUS_WDF_PARENT_NOT_SPECIFIED : STATUS_SUCCESS;
  if ((attributes.Size ?? WDF_OBJECT_ATTRIBUTES_SIZE) !== WDF_OBJECT_ATTRIBUTES_SIZE) return STATUS_INFO_LENGTH_MISMATCH;
  const type = attributes.ContextTypeInfo ?? null;
  if (type !== null) {
    const size = type.Size ?? WDF_OBJECT_CONTEXT_TYPE_INFO_SIZE;
    if (size !== WDF_OBJECT_CONTEXT_TYPE_INFO_SIZE && size !== WDF_OBJECT_CONTEXT_TYPE_INFO_V1_0_SIZE) return STATUS_INFO_LENGTH_MISMATCH;
    if ((type.ContextSize ?? 0) > 0 && !(type.ContextName ?? type.name)) return STATUS_WDF_OBJECT_ATTRIBUTES_INVALID;
  }
  const override = attributes.ContextSizeOverride ?? 0;
  if (override > 0 && (type === null || override < (type.ContextSize ?? 0))) return STATUS_WDF_OBJECT_ATTRIBUTES_INVALID;
  const parent = attributes.ParentObject ?? null;
  if (flags & FX_VALIDATE_OPTION_PARENT_NOT_ALLOWED) {
    if (parent !== null) return STATUS_WDF_PARENT_ASSIGNMENT_NOT_ALLOWED;
  } else if (flags & 0x10 && parent === null) return STATUS_WDF_PARENT_NOT_SPECIFIED;
  const level = attributes.ExecutionLevel ?? WdfExecutionLevelInheritFromParent;
  const scope = attributes.SynchronizationScope ?? WdfSynchronizationScopeInheritFromParent;
  if (level <= WdfExecutionLevelInvalid || level > WdfExecutionLevelDispatch) return STATUS_WDF_OBJECT_ATTRIBUTES_INVALID;
  if (scope <= WdfSynchronizationScopeInvalid || scope > WdfSynchronizationScopeNone) return STATUS_WDF_OBJECT_ATTRIBUTES_INVALID;
  if (
    (flags & FX_VALIDATE_OPTION_SYNCHRONIZATION_SCOPE_ALLOWED) === 0 &&
    scope !== WdfSynchronizationScopeInheritFromParent &&
    scope !== WdfSynchronizationScopeNone
  )
    return STATUS_WDF_SYNCHRONIZATION_SCOPE_INVALID;
  if ((flags & FX_VALIDATE_OPTION_EXECUTION_LEVEL_ALLOWED) === 0 && level !== WdfExecutionLevelInheritFromParent) return STATUS_WDF_EXECUTION_LEVEL_INVALID;
  return STATUS_SUCCESS;
}

/**
 * The checks WdfObjectAllocateContext makes before it adds a context — what Open*Configuration and
 * OpenSubConfiguration apply to the client's attributes (netcx/adapter/nxconfiguration.cpp@ca1e33c:250-263):
 * FxValidateObjectAttributes with ATTRIBUTES_REQUIRED and (KMDF ≥ 1.11) PARENT_NOT_ALLOWED, then a NULL
 * ContextTypeInfo is STATUS_OBJECT_NAME_INVALID (Windows-Driver-Frameworks
 * `src/framework/shared/object/handleapi.cpp@3b9780e:494-517`). Returns a signed NTSTATUS (STATUS_SUCCESS = 0).
 */
export function validateContextAttributes(attributes: WDF_OBJECT_ATTRIBUTES | null | undefined): number {
  const status = validateObjectAttributes(attributes, FX_VALIDATE_OPTION_ATTRIBUTES_REQUIRED | FX_VALIDATE_OPTION_PARENT_NOT_ALLOWED);
  if (status !== STATUS_SUCCESS) return status;
  return (attributes?.ContextTypeInfo ?? null) === null ? STATUS_OBJECT_NAME_INVALID : STATUS_SUCCESS;
}

/** Registers the attributes' cleanup and destroy callbacks on `object`: cleanup first, then destroy, when it is deleted. */
export function attachCallbacks(object: WdfObject, attributes: WDF_OBJECT_ATTRIBUTES | null | undefined): void {
  const cleanup = attributes?.EvtCleanupCallback ?? null;
  const destroy = attributes?.EvtDestroyCallback ?? null;
  if (cleanup !== null) object.onCleanup(() => cleanup(object));
  if (destroy !== null) object.onCleanup(() => destroy(object));
}
