import { expect } from 'vitest';
import { Hive, ValueType } from '../../../src/hive/index.js';
import {
  BugCheck,
  Environment,
  NetAdapter,
  RELEASES,
  WdfCollection,
  WdfDevice,
  openAdapterConfiguration,
  openDeviceConfiguration,
} from '../../../src/netadapter/index.js';
import type { NetConfiguration, Release, WdfObject } from '../../../src/netadapter/index.js';
import type { WDF_OBJECT_ATTRIBUTES } from '../../../src/netadapter/wdf.js';
import {
  NtStatusError,
  STATUS_OBJECT_NAME_NOT_FOUND,
  STATUS_UNSUCCESSFUL,
  addNetworkAdapter,
  encodeDword,
  encodeMultiString,
  encodeString,
  formatNtStatus,
  statusName,
  toNtStatus,
} from '../../../src/registry/index.js';
import type { RegistryKey, RegistryValue } from '../../../src/registry/index.js';
import { fixedClock } from '../../support/hives.js';

/**
 * The source audit of issue 9 part 1: one row per (function, backend, input class, release range),
 * each citing the lines of NetAdapterCx (microsoft/Network-Adapter-Class-Extension) and KMDF
 * (microsoft/Windows-Driver-Frameworks) it was read from. The same rows run as tests (audit.test.ts)
 * and render docs/audit/netconfiguration.md (markdown.ts).
 */

/** The NETCONFIGURATION functions audited, in the order the tables list them. */
export const FUNCTIONS = [
  'NetAdapterOpenConfiguration',
  'NetDeviceOpenConfiguration',
  'NetConfigurationOpenSubConfiguration',
  'NetConfigurationClose',
  'NetConfigurationQueryUlong',
  'NetConfigurationQueryString',
  'NetConfigurationQueryMultiString',
  'NetConfigurationQueryBinary',
  'NetConfigurationQueryLinkLayerAddress',
  'NetConfigurationQueryNetworkAddress',
  'NetConfigurationAssignUlong',
  'NetConfigurationAssignUnicodeString',
  'NetConfigurationAssignBinary',
  'NetConfigurationAssignMultiString',
] as const;
export type AuditFunction = (typeof FUNCTIONS)[number];

/** What a call ended in: an NTSTATUS (signed 32-bit, as the model returns it) or a bug check code. */
export type Outcome = { status: number } | { bugCheck: number };

/** One audited behaviour. */
export interface AuditRow {
  /** Unique within the function; the test name is `${fn} ${backend} ${id}`. */
  id: string;
  fn: AuditFunction;
  backend: 'adapter' | 'device';
  /** Releases the row holds for (and runs on). */
  releases: readonly Release[];
  /** The input class: registry state and arguments. */
  input: string;
  /** The expected outcome; `statusText` renders it. */
  expected: Outcome;
  /** Out-parameter state after the call. */
  out: string;
  /** Objects created, left, deleted, and their parents. */
  objects: string;
  /** `file@commit:line[-line]` of NetAdapterCx (NA:) or KMDF (WDF:) source lines read. */
  cites: readonly string[];
  /** [NDIS-internal], indeterminate memory, or a doc disagreement. */
  note?: string;
  /**
   * Set when the model does not do this yet (and where it would have to change): the row is listed
   * and its test is expected to fail (vitest `it.fails`) until the gap is closed.
   */
  gap?: string;
  /** Registry values under the configuration's key before the call. */
  values?: Record<string, RegistryValue>;
  /** Subkeys to create (with their values) before the call. */
  subkeys?: Record<string, Record<string, RegistryValue>>;
  /** Makes the call and checks out-parameters/objects; returns nothing (the outcome is caught by `runRow`). */
  run: (h: Harness) => void;
}

/** The setting a row's `run` gets: a configuration of the row's backend over a fresh adapter key. */
export interface Harness {
  release: Release;
  environment: Environment;
  key: RegistryKey;
  owner: NetAdapter | WdfDevice;
  config: NetConfiguration;
  /** A new collection, parented to the driver. */
  collection(): WdfCollection;
  /** Live children of an object, by type. */
  children(object: WdfObject, type?: string): WdfObject[];
}

/** Releases from `first` to `last` inclusive. */
export function span(first: Release, last: Release = '2100'): Release[] {
  return RELEASES.slice(RELEASES.indexOf(first), RELEASES.indexOf(last) + 1);
}
/** Every release with a device backend (NetDeviceOpenConfiguration exists from 1809). */
export const DEVICE_RELEASES = span('1809');
/** Every release. */
export const ALL_RELEASES = span('1703');

/** A value of any type with raw bytes. */
export const raw = (type: number, bytes: ArrayLike<number>): RegistryValue => ({ type, data: Uint8Array.from(bytes) });
/** REG_DWORD n (4 bytes). */
export const dword = (n: number): RegistryValue => ({ type: ValueType.REG_DWORD, data: encodeDword(n) });
/** REG_SZ text + NUL. */
export const sz = (text: string): RegistryValue => ({ type: ValueType.REG_SZ, data: encodeString(text) });
/** REG_EXPAND_SZ text + NUL. */
export const expandSz = (text: string): RegistryValue => ({ type: ValueType.REG_EXPAND_SZ, data: encodeString(text) });
/** REG_MULTI_SZ of the strings (each + NUL, then NUL). */
export const multiSz = (items: string[]): RegistryValue => ({ type: ValueType.REG_MULTI_SZ, data: encodeMultiString(items) });
/** UTF-16LE bytes of a string, no terminator. */
export function utf16(text: string): Uint8Array {
  const out = new Uint8Array(text.length * 2);
  for (let i = 0; i < text.length; i++) {
    out[2 * i] = text.charCodeAt(i) & 0xff;
    out[2 * i + 1] = text.charCodeAt(i) >> 8;
  }
  return out;
}

/** Commits read, so a citation is short: `NA` = Network-Adapter-Class-Extension, `WDF` = Windows-Driver-Frameworks. */
export const NA_2100 = 'netcx/adapter/nxconfiguration.cpp@ca1e33c';
export const NA_API_2100 = 'netcx/adapter/nxconfigurationapi.cpp@ca1e33c';
export const WDF_REG = 'src/framework/shared/support/fxregistryapi.cpp@3b9780e';
export const WDF_REGKM = 'src/framework/shared/support/km/fxregkeykm.cpp@3b9780e';

/** The outcome as the tables print it: `STATUS_X 0xC0000034` or `bug check 0x10D`. */
export function outcomeText(outcome: Outcome): string {
  if ('bugCheck' in outcome) return `bug check 0x${outcome.bugCheck.toString(16).toUpperCase()}`;
  const hex = formatNtStatus(outcome.status);
  const name = statusName(outcome.status);
  return name.startsWith('0x') ? hex : `${name} ${hex}`;
}

/** Shorthands for `expected`. */
export const ok: Outcome = { status: 0 };
/** A status outcome; an unsigned literal such as `0xC0000034` is taken as the signed NTSTATUS it stands for. */
export const st = (status: number): Outcome => ({ status: toNtStatus(status) });
export const bug = (code: number): Outcome => ({ bugCheck: code });

/** A fresh adapter key with the row's values, opened through the row's backend on `release`. */
export function harness(row: Pick<AuditRow, 'backend' | 'values' | 'subkeys'>, release: Release): Harness {
  const hive = Hive.create({ clock: fixedClock });
  const key = addNetworkAdapter(hive, { description: 'Audit', netCfgInstanceId: '{a}', componentId: 'audit' });
  for (const [name, value] of Object.entries(row.values ?? {})) key.setValue(name, value);
  for (const [sub, values] of Object.entries(row.subkeys ?? {})) {
    const subkey = key.createSubkey(sub);
    for (const [name, value] of Object.entries(values)) subkey.setValue(name, value);
  }
  const environment = new Environment({ release });
  const owner = row.backend === 'adapter' ? new NetAdapter(environment, key) : new WdfDevice(environment, key);
  const config = owner instanceof NetAdapter ? openAdapterConfiguration(owner) : openDeviceConfiguration(owner);
  return {
    release,
    environment,
    key,
    owner,
    config,
    collection: () => new WdfCollection(environment),
    children: (object, type) => object.childObjects().filter((child) => type === undefined || child.type === type),
  };
}

/** Runs a row's call and returns what it ended in (an NtStatusError's status, a bug check, or success). */
export function runRow(row: AuditRow, h: Harness): Outcome {
  try {
    row.run(h);
    return ok;
  } catch (error) {
    if (error instanceof NtStatusError) return { status: error.status };
    if (error instanceof BugCheck) return { bugCheck: error.code };
    throw error;
  }
}

/**
 * Inside a row's `run`: makes the call, keeps its outcome, runs the checks of the out-parameters and
 * objects whatever the outcome, then re-raises so `runRow` sees the status.
 */
export function call(action: () => void, after: () => void = () => {}): void {
  let failure: unknown;
  try {
    action();
  } catch (error) {
    failure = error;
  }
  after();
  if (failure !== undefined) throw failure;
}

export { expect };

/** A row before its function, backend and default releases are filled in. */
export type RowDraft = Omit<AuditRow, 'fn' | 'backend' | 'releases'> & { releases?: readonly Release[] };

/** Rows of one function and backend; a draft without `releases` holds for `releases`. */
export function rowsOf(fn: AuditFunction, backend: AuditRow['backend'], releases: readonly Release[], drafts: RowDraft[]): AuditRow[] {
  return drafts.map((draft) => ({ releases, ...draft, fn, backend }));
}

/** Attributes with their ParentObject left NULL, as WDF_OBJECT_ATTRIBUTES_INIT gives them (plus `extra`). */
export const init = (extra: WDF_OBJECT_ATTRIBUTES = {}): WDF_OBJECT_ATTRIBUTES => ({ Size: 56, ParentObject: null, ...extra });

/** A query row's check, then: NetAdapterCx wrote the configuration into the caller's attributes.ParentObject. */
export const parentWrittenBack =
  <S extends { attributes: WDF_OBJECT_ATTRIBUTES | undefined; h: Harness }>(check: (seen: S) => void) =>
  (s: S): void => {
    check(s);
    expect(s.attributes?.ParentObject).toBe(s.h.config);
  };

/**
 * The adapter path's two rows for an absent value: NDIS_STATUS_FAILURE becomes
 * STATUS_OBJECT_NAME_NOT_FOUND from 1803 (`cites`), STATUS_UNSUCCESSFUL on 1703 (`cites1703`); the
 * out-parameter is left as it was (`run` checks that).
 */
export function adapterAbsentRows(cites: readonly string[], cites1703: readonly string[], run: AuditRow['run']): RowDraft[] {
  const absent = { input: 'value absent', out: 'unchanged', objects: 'none', run };
  return [
    { id: 'absent', releases: span('1803'), ...absent, expected: st(STATUS_OBJECT_NAME_NOT_FOUND), cites },
    { id: 'absent (1703)', releases: ['1703'], ...absent, expected: st(STATUS_UNSUCCESSFUL), cites: cites1703 },
  ];
}
