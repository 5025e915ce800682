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
  | 'NdisWriteConfiguration';

/** The machine a driver runs on: which release it emulates and the IRQL the current code runs at. */
export class Environment {
  readonly release: Release;
  irql = PASSIVE_LEVEL;
  readonly driver: WdfObject;
  /** Set to make every export find the driver globals corrupted (§2: checked before the IRQL). */
  globalsCorrupted = false;
  private readonly injected = new Map<InjectableOperation, number>();

  /** The next `operation` fails with `status` (e.g. NDIS_STATUS_RESOURCES = STATUS_INSUFFICIENT_RESOURCES). */
  failNext(operation: InjectableOperation, status: number): void {
    this.injected.set(operation, status >>> 0);
  }

  /** The injected failure for `operation`, consumed, if any. */
  takeFailure(operation: InjectableOperation): number | undefined {
    const status = this.injected.get(operation);
    if (status !== undefined) this.injected.delete(operation);
    return status;
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
