import { type Hive, ValueType, fileTimeFromDate, walkKeys } from '../hive/index.js';
import type { KeyNode } from '../hive/index.js';
import { NET_CLASS_GUID, Registry, decodeDword, decodeString, encodeDword, encodeMultiString, encodeQword, encodeString } from '../registry/index.js';
import type { RegistryKey } from '../registry/index.js';
import type { InfRegFinding } from './addreg.js';

/**
 * The driver (software) key device installation creates for a network adapter, and the values Windows
 * writes into it (inf.md §12, §20). Where the sources disagree, `profile` chooses:
 * - `windows` (default): what the 31 Windows-written adapter keys of the corpus SYSTEM hives show
 *   (inf.md §20): NetCfgInstanceId in upper case, ComponentId = MatchingDeviceId, Linkage values as
 *   REG_MULTI_SZ, InfSectionExt only when there is an extension, the Windows 10 additions
 *   IfTypePreStart and NetworkInterfaceInstallTimestamp;
 * - `reactos`: R:devinst `SetupDiInstallDevice` / R:netinst `NetClassInstaller` (cases 92–95 as tagged):
 *   lower-case GUID, ComponentId = the device instance ID without its last element, Linkage as REG_SZ,
 *   InfSectionExt always.
 */
export type DriverKeyProfile = 'windows' | 'reactos';

/** The `code` of a {@link DriverKeyError}. */
export type DriverKeyErrorCode = 'INF_NO_CONTROL_SET' | 'INF_CLASS_FULL' | 'INF_BAD_GUID' | 'INF_MISSING_CHARACTERISTICS' | 'INF_BAD_DRIVERVER';

/** Why an adapter instance could not be created; nothing was written when this is thrown. */
export class DriverKeyError extends Error {
  constructor(
    readonly code: DriverKeyErrorCode,
    message: string,
  ) {
    super(message);
    this.name = 'DriverKeyError';
  }
}

/** A calendar date (year, month 1–12, day 1–31), as in a DriverVer date. */
export interface DriverDate {
  year: number;
  month: number;
  day: number;
}

/**
 * `[Version] DriverVer = mm/dd/yyyy[,w.x.y.z]` (D:install/inf-driverver-directive.md) as its two fields.
 * @throws {DriverKeyError} INF_BAD_DRIVERVER when the date is not a real mm/dd/yyyy date
 */
export function parseDriverVer(fields: readonly string[]): { date: DriverDate; version: string } {
  const text = (fields[0] ?? '').trim();
  const match = /^(\d{1,2})[/-](\d{1,2})[/-](\d{4})$/.exec(text);
  const date = match === null ? undefined : { month: Number(match[1]), day: Number(match[2]), year: Number(match[3]) };
  if (date === undefined || !validDate(date)) throw new DriverKeyError('INF_BAD_DRIVERVER', `DriverVer date "${text}" is not mm/dd/yyyy`);
  return { date, version: (fields[1] ?? '').trim() };
}

function validDate(d: DriverDate): boolean {
  if (d.year < 1601 || d.month < 1 || d.month > 12 || d.day < 1) return false;
  const check = new Date(Date.UTC(d.year, d.month - 1, d.day));
  return check.getUTCMonth() === d.month - 1 && check.getUTCDate() === d.day;
}

/** DriverDate: `M-D-YYYY` without zero padding (inf.md §20.2; R:devinst `%u-%u-%u`). */
export function driverDateText(date: DriverDate): string {
  return `${date.month}-${date.day}-${date.year}`;
}

/** DriverDateData: the FILETIME of 00:00:00 UTC on that day, 8 bytes LE (inf.md §20.2, case 94). */
export function driverDateData(date: DriverDate): Uint8Array {
  return encodeQword(fileTimeFromDate(new Date(Date.UTC(date.year, date.month - 1, date.day))));
}

/** InstallTimeStamp: a SYSTEMTIME (year, month, weekday, day, hour, minute, second, ms; UInt16 LE) in UTC (inf.md §20.2). */
export function systemTimeBytes(time: Date): Uint8Array {
  const out = new Uint8Array(16);
  const view = new DataView(out.buffer);
  [
    time.getUTCFullYear(),
    time.getUTCMonth() + 1,
    time.getUTCDay(),
    time.getUTCDate(),
    time.getUTCHours(),
    time.getUTCMinutes(),
    time.getUTCSeconds(),
    time.getUTCMilliseconds(),
  ].forEach((v, i) => view.setUint16(i * 2, v, true));
  return out;
}

const GUID = /^\{?([0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12})\}?$/;

function formatGuid(text: string, upper: boolean, what: string): string {
  const match = GUID.exec(text.trim());
  if (match === null) throw new DriverKeyError('INF_BAD_GUID', `${what} "${text}" is not a GUID ({xxxxxxxx-xxxx-xxxx-xxxx-xxxxxxxxxxxx})`);
  return `{${upper ? match[1]!.toUpperCase() : match[1]!.toLowerCase()}}`;
}

function randomGuid(): string {
  const bytes = new Uint8Array(16);
  globalThis.crypto.getRandomValues(bytes);
  bytes[6] = (bytes[6]! & 0x0f) | 0x40; // version 4
  bytes[8] = (bytes[8]! & 0x3f) | 0x80; // RFC 4122 variant
  const h = [...bytes].map((b) => b.toString(16).padStart(2, '0')).join('');
  return `{${h.slice(0, 8)}-${h.slice(8, 12)}-${h.slice(12, 16)}-${h.slice(16, 20)}-${h.slice(20)}}`;
}

/**
 * Options for {@link createAdapterInstance}: the class, control set, and the values of the new driver key.
 */
export interface AdapterInstanceOptions {
  /** Device setup class; default the network class {4d36e972-e325-11ce-bfc1-08002be10318}. */
  classGuid?: string;
  /** `ControlSet001` or 1; default the one `Select\Current` names (inf.md §19.8: an offline hive has no CurrentControlSet). */
  controlSet?: string | number;
  /** DriverDesc: the Models line's device description, substituted. */
  description: string;
  /** ProviderName: [Version] Provider, substituted. */
  provider: string;
  /** From [Version] DriverVer (see parseDriverVer). */
  driverDate: DriverDate;
  driverVersion: string;
  /** InfPath: the INF's file name as installed (`oem3.inf`). */
  infPath: string;
  /** InfSection: the undecorated DDInstall name from the Models line. */
  infSection: string;
  /** InfSectionExt: the platform extension chosen (`.NTamd64`, `.NT` or ''). */
  infSectionExt?: string;
  /** MatchingDeviceId: the hardware/compatible ID that matched. */
  matchingDeviceId: string;
  /** ComponentId; default per profile (windows: = matchingDeviceId, inf.md §20.2). */
  componentId?: string;
  /** DeviceInstanceID; default `ROOT\NET\NNNN` style: the matching ID's enumerator path plus the instance index. */
  deviceInstanceId?: string;
  /** The DDInstall `Characteristics` entry (required: inf.md §13.1, case 96). */
  characteristics?: number;
  /** The DDInstall `BusType` entry, as text (REG_SZ, inf.md §20.1). */
  busType?: string;
  /** The DDInstall `*IfType`, `*MediaType`, `*PhysicalMediaType` entries (REG_DWORD, inf.md §13.4, §20.1). */
  ifType?: number;
  mediaType?: number;
  physicalMediaType?: number;
  /** NetCfgInstanceId; default a new random GUID. */
  netCfgInstanceId?: string;
  /** NetLuidIndex; default the next free index among adapters of the same *IfType (see nextNetLuidIndex). */
  netLuidIndex?: number;
  /** Pins InstallTimeStamp, NetworkInterfaceInstallTimestamp and the new keys' last-written times. */
  time?: Date;
  profile?: DriverKeyProfile;
  /** Where findings point: the source INF and the DDInstall section's header line (default infPath, 0). */
  file?: string;
  line?: number;
  /**
   * Runs the DDInstall section's registry work (DelReg, then AddReg, then BitReg lines) with HKR = the
   * new key. It runs after the identity values are first written and before they are written again, so
   * the identity values win over same-named AddReg values (inf.md §8.5, case 93) while keeping Windows'
   * value order (identity first, §20).
   */
  install?: (hkr: KeyNode) => void;
}

/**
 * What {@link createAdapterInstance} created: the new driver key, its instance name and path, and the identifiers it assigned.
 */
export interface AdapterInstance {
  /** The new driver key. */
  key: RegistryKey;
  /** Its four-digit name (`0002`). */
  instance: string;
  /** Its path from the hive root (`ControlSet001\Control\Class\{…}\0002`). */
  path: string;
  netCfgInstanceId: string;
  netLuidIndex: number;
  findings: InfRegFinding[];
}

function controlSetName(registry: Registry, option: string | number | undefined): string {
  if (typeof option === 'number') return `ControlSet${String(option).padStart(3, '0')}`;
  if (option !== undefined) return option;
  const select = registry.root().node.subkey('Select');
  const current = select?.value('Current');
  const n = current === undefined ? undefined : decodeDword({ type: current.type, data: current.data() });
  if (n === undefined)
    throw new DriverKeyError(
      'INF_NO_CONTROL_SET',
      'the hive has no Select\\Current DWORD, so the control set to install into is unknown: is this a SYSTEM hive? (name one with controlSet)',
    );
  return `ControlSet${String(n).padStart(3, '0')}`;
}

/** The first NNNN (0000…9999) with no key of that name: R:devinst `SETUPDI_CreateDrvKey` (case 92). */
export function nextInstanceName(classKey: KeyNode): string {
  for (let n = 0; n <= 9999; n++) {
    const name = String(n).padStart(4, '0');
    if (classKey.subkey(name) === undefined) return name;
  }
  throw new DriverKeyError('INF_CLASS_FULL', 'the class key already has instances 0000 to 9999');
}

function dwordValue(key: KeyNode, name: string): number | undefined {
  const v = key.value(name);
  if (v === undefined) return undefined;
  if (v.type === ValueType.REG_SZ) {
    const n = Number(decodeString(v.data()));
    return Number.isInteger(n) ? n : undefined;
  }
  return decodeDword({ type: v.type, data: v.data() });
}

/**
 * NetLuidIndex for a new adapter of interface type `ifType`: the smallest index not used by another
 * adapter of that *IfType in the class key. The corpus (inf.md §20) shows indices counting per *IfType,
 * from 0 on Windows 7 and from 0x8000 on Windows 10; a class key with no index yet, or one holding an
 * index ≥ 0x8000, counts from 0x8000. Windows' own allocation (which also remembers removed adapters)
 * is [unknown] (inf.md §19.6).
 */
export function nextNetLuidIndex(classKey: KeyNode, ifType: number | undefined, except?: KeyNode): number {
  const siblings = classKey.subkeys().filter((k) => /^\d{4}$/.test(k.name) && k.cell !== except?.cell);
  const indices = siblings.map((k) => ({ ifType: dwordValue(k, '*IfType'), index: dwordValue(k, 'NetLuidIndex') })).filter((e) => e.index !== undefined);
  const base = indices.length === 0 || indices.some((e) => e.index! >= 0x8000) ? 0x8000 : 0;
  const used = new Set(indices.filter((e) => e.ifType === ifType).map((e) => e.index!));
  let index = base;
  while (used.has(index)) index++;
  return index;
}

/**
 * Creates the next free `ControlSetNNN\Control\Class\{class}\NNNN` of a SYSTEM hive and writes what
 * device installation writes there (inf.md §12, §20), running `options.install` for the section's
 * registry lines in between. On any exception the new key is removed again and the error rethrown.
 * @throws {DriverKeyError} no control set, no Characteristics, a malformed GUID, 10,000 instances
 */
export function createAdapterInstance(target: Hive | Registry, options: AdapterInstanceOptions): AdapterInstance {
  const registry = target instanceof Registry ? target : new Registry(target);
  const profile = options.profile ?? 'windows';
  const upper = profile === 'windows';
  if (options.characteristics === undefined) {
    // R:netinst fails the install without it; the docs make it required in every network DDInstall.
    throw new DriverKeyError(
      'INF_MISSING_CHARACTERISTICS',
      `DDInstall section "${options.infSection}${options.infSectionExt ?? ''}" has no Characteristics entry; a network adapter cannot be installed without it`,
    );
  }
  if (!validDate(options.driverDate))
    throw new DriverKeyError('INF_BAD_DRIVERVER', `driver date ${options.driverDate.month}/${options.driverDate.day}/${options.driverDate.year} is not a date`);
  const classGuid = formatGuid(options.classGuid ?? NET_CLASS_GUID, false, 'class GUID');
  const netCfgInstanceId = formatGuid(options.netCfgInstanceId ?? randomGuid(), upper, 'NetCfgInstanceId');
  const setName = controlSetName(registry, options.controlSet);
  const classPath = `${setName}\\Control\\Class\\${classGuid}`;
  const classExisted = openNode(registry.root().node, classPath) !== undefined;
  // How many components of the class path exist already: the last existing one gains a subkey below.
  let existingDepth = 0;
  let probe: KeyNode | undefined = registry.root().node;
  for (const part of classPath.split('\\')) {
    probe = probe.subkey(part);
    if (probe === undefined) break;
    existingDepth++;
  }
  const classKey = registry.createKey(classPath);
  if (!classExisted && classGuid === NET_CLASS_GUID) classKey.setValue('Class', { type: ValueType.REG_SZ, data: encodeString('Net') });
  const instance = nextInstanceName(classKey.node);
  const key = classKey.createSubkey(instance);
  const findings: InfRegFinding[] = [];
  try {
    const node = key.node;
    const sz = (name: string, text: string): void => void node.setValue(name, ValueType.REG_SZ, encodeString(text));
    const dword = (name: string, n: number): void => void node.setValue(name, ValueType.REG_DWORD, encodeDword(n));
    const identity = (): void => {
      sz('DriverDesc', options.description);
      sz('ProviderName', options.provider);
      node.setValue('DriverDateData', ValueType.REG_BINARY, driverDateData(options.driverDate));
      sz('DriverDate', driverDateText(options.driverDate));
      sz('DriverVersion', options.driverVersion);
      sz('InfPath', options.infPath);
      sz('InfSection', options.infSection);
      if ((options.infSectionExt ?? '') !== '' || profile === 'reactos') sz('InfSectionExt', options.infSectionExt ?? '');
      sz('MatchingDeviceId', options.matchingDeviceId);
    };
    identity();
    options.install?.(node);
    identity();
    // The class installer's values come after AddReg (R:netinst; the Windows 10 keys of §20 list them after the INF's values).
    if (options.ifType !== undefined) dword('*IfType', options.ifType);
    if (options.mediaType !== undefined) dword('*MediaType', options.mediaType);
    if (options.physicalMediaType !== undefined) dword('*PhysicalMediaType', options.physicalMediaType);
    if (options.busType !== undefined) sz('BusType', options.busType);
    dword('Characteristics', options.characteristics);
    const ifType = dwordValue(node, '*IfType');
    if (ifType === undefined) {
      findings.push({
        file: options.file ?? options.infPath,
        line: options.line ?? 0,
        severity: 'warning',
        code: 'INF_NO_IFTYPE',
        message:
          'the installed key has no *IfType: every Windows-written adapter key has one, and NDIS does not start a miniport without it (inf.md §13.4, §20.1)',
      });
    } else if (profile === 'windows') dword('IfTypePreStart', ifType);
    const time = options.time ?? new Date();
    if (profile === 'windows') node.setValue('NetworkInterfaceInstallTimestamp', ValueType.REG_QWORD, encodeQword(fileTimeFromDate(time)));
    node.setValue('InstallTimeStamp', ValueType.REG_BINARY, systemTimeBytes(time));
    const deviceInstanceId = options.deviceInstanceId ?? defaultDeviceInstanceId(options.matchingDeviceId, instance);
    sz('DeviceInstanceID', deviceInstanceId);
    const componentId =
      options.componentId ?? (profile === 'windows' ? options.matchingDeviceId : deviceInstanceId.slice(0, Math.max(0, deviceInstanceId.lastIndexOf('\\'))));
    sz('ComponentId', componentId);
    sz('NetCfgInstanceId', netCfgInstanceId);
    const netLuidIndex = options.netLuidIndex ?? nextNetLuidIndex(classKey.node, ifType, node);
    dword('NetLuidIndex', netLuidIndex);
    // Linkage (R:netinst; every adapter key of §20 has it, its values REG_MULTI_SZ).
    const linkage = node.subkey('Linkage') ?? node.addSubkey('Linkage');
    const text = (name: string, value: string): void =>
      void linkage.setValue(
        name,
        profile === 'windows' ? ValueType.REG_MULTI_SZ : ValueType.REG_SZ,
        profile === 'windows' ? encodeMultiString([value]) : encodeString(value),
      );
    text('Export', `\\Device\\${netCfgInstanceId}`);
    text('RootDevice', netCfgInstanceId);
    text('UpperBind', 'Tcpip');
    if (options.time !== undefined) {
      const stamp = fileTimeFromDate(options.time);
      for (const entry of walkKeys(node.hive, node, { paths: false })) entry.key.lastWritten = stamp;
      // The keys this call changed above the instance: the class key (a new subkey) and, when the class
      // path was created, each new component and the existing key it was created under.
      const chain: KeyNode[] = [];
      for (let k: KeyNode | undefined = classKey.node; k !== undefined; k = k.parent()) chain.unshift(k);
      chain.slice(existingDepth).forEach((k) => (k.lastWritten = stamp));
    }
    return { key, instance, path: key.path, netCfgInstanceId, netLuidIndex, findings };
  } catch (error) {
    classKey.node.deleteSubkey(instance);
    throw error;
  }
}

function openNode(root: KeyNode, path: string): KeyNode | undefined {
  let key: KeyNode | undefined = root;
  for (const part of path.split('\\')) if (part !== '') key = key?.subkey(part);
  return key;
}

/**
 * A device instance path for an adapter that has no device node offline: the matching ID as the
 * enumerator path (`ROOT\<id>` for an ID without a backslash, as Windows names root-enumerated
 * adapters: `ROOT\MS_L2TPMINIPORT\0000`, inf.md §20.2) and the instance index as the instance part.
 */
function defaultDeviceInstanceId(matchingDeviceId: string, instance: string): string {
  const id = matchingDeviceId.toUpperCase();
  return id.includes('\\') ? `${id}\\${instance}` : `ROOT\\${id}\\${instance}`;
}
