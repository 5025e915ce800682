import { Hive, ValueType } from '../hive/index.js';
import type { KeyNode } from '../hive/index.js';
import { decodeString } from '../registry/index.js';
import { applyAddReg, applyBitReg, applyDelReg } from './addreg.js';
import type { RegLineOutcome } from './addreg.js';
import { infInt } from './reader.js';
import type { InfFile, InfFinding, InfLine } from './reader.js';
import { resolveInstallSection, resolveModels, selectDriver } from './select.js';
import type { InfArch } from './select.js';

/**
 * The network lint of inf.md §13–§15: for each network DDInstall section of a Class=Net INF, the
 * Characteristics/BusType rules, the mandatory and NetAdapterCx keywords, the Ndi key, and the
 * `Ndi\params` definitions (§14) checked against the standardized keyword table (§15).
 *
 * `Ndi\params` is seen the way Windows would see it: the section's DelReg/AddReg/BitReg lines are applied
 * with HKR = a scratch key (inf.md §9–§10 via addreg.ts), so merged spellings (case 110), DelReg and
 * string substitution behave as at install time; each finding names the INF line that wrote the value
 * (or created the key) it is about.
 */

/**
 * Options for {@link lintNetworkInf}: the architecture to lint, or one hardware ID's DDInstall section only.
 */
export interface NetLintOptions {
  /** Architecture whose Models/DDInstall sections are linted. Default amd64. */
  arch?: InfArch;
  /** Lint only the DDInstall section chosen for this hardware ID (selectDriver), instead of all of them. */
  hardwareId?: string;
}

/** The Net setup class GUID (D:install/system-defined-device-setup-classes-available-to-vendors.md). */
const NET_CLASS_GUID = '{4d36e972-e325-11ce-bfc1-08002be10318}';

// §13.1 (D:network/ddinstall-section-in-a-network-inf-file.md)
/** Network INF Characteristics flag 0x1: a virtual adapter. */
export const NCF_VIRTUAL = 0x1;
/** Characteristics flag 0x2: a software-enumerated component. */
export const NCF_SOFTWARE_ENUMERATED = 0x2;
/** Characteristics flag 0x4: a physical adapter. */
export const NCF_PHYSICAL = 0x4;
/** Characteristics flag 0x8: hidden from the user interface. */
export const NCF_HIDDEN = 0x8;
/** Characteristics flag 0x10: the component has no associated service. */
export const NCF_NO_SERVICE = 0x10;
/** Characteristics flag 0x20: the user cannot remove the component. */
export const NCF_NOT_USER_REMOVABLE = 0x20;
/** Characteristics flag 0x80: the component has its own user interface (property pages). */
export const NCF_HAS_UI = 0x80;
/** Characteristics flag 0x400: a filter. */
export const NCF_FILTER = 0x400;
/** Characteristics flag 0x4000: an NDIS protocol. */
export const NCF_NDIS_PROTOCOL = 0x4000;
/** Characteristics flag 0x40000: a lightweight filter (NDIS 6). */
export const NCF_LW_FILTER = 0x40000;
const NCF_KNOWN =
  NCF_VIRTUAL |
  NCF_SOFTWARE_ENUMERATED |
  NCF_PHYSICAL |
  NCF_HIDDEN |
  NCF_NO_SERVICE |
  NCF_NOT_USER_REMOVABLE |
  NCF_HAS_UI |
  NCF_FILTER |
  NCF_NDIS_PROTOCOL |
  NCF_LW_FILTER;
const NCF_KIND = NCF_VIRTUAL | NCF_SOFTWARE_ENUMERATED | NCF_PHYSICAL;

/** §13.2 BusType values (D:network/ddinstall-section-in-a-network-inf-file.md). */
export const NET_BUS_TYPES: ReadonlyMap<number, string> = new Map([
  [1, 'ISA'],
  [2, 'EISA'],
  [3, 'MicroChannel'],
  [4, 'TurboChannel'],
  [5, 'PCIBus'],
  [6, 'VMEbus'],
  [7, 'NuBus'],
  [8, 'PCMCIABus'],
  [9, 'Cbus'],
  [10, 'MPIBus'],
  [11, 'MPSABus'],
  [14, 'PNPISABus'],
  [15, 'PNPBus'],
]);

/** §12.3: names Windows keeps in the instance key; not allowed as `Ndi\params` subkeys. */
const RESERVED_PARAM_NAMES = new Set(
  [
    'BundleId',
    'BusType',
    'Characteristics',
    'ComponentId',
    'Description',
    'DeviceInstanceId',
    'DriverDate',
    'DriverDesc',
    'DriverVersion',
    'InfPath',
    'InfSection',
    'InfSectionExt',
    '*IfType',
    'InstallTimeStamp',
    'Manufacturer',
    '*MediaType',
    'NetCfgInstanceId',
    'NetLuidIndex',
    '*PhysicalMediaType',
    'Provider',
    'ProviderName',
  ].map((n) => n.toLowerCase()),
);

/** §14.1 (D:network/specifying-configuration-parameters-for-the-advanced-properties-page.md); compared case-insensitively as ReactOS does (§14.2). */
const PARAM_TYPES = new Set(['int', 'long', 'word', 'dword', 'edit', 'enum']);
const NUMERIC_TYPES = new Set(['int', 'long', 'word', 'dword']);
/** §14.2: the ranges ReactOS' Advanced page assumes per type (dword: 0…2³²−1, the type's own range). */
const TYPE_RANGE: Record<string, [number, number]> = { int: [-32768, 32767], long: [-2147483648, 2147483647], word: [0, 65535], dword: [0, 4294967295] };

/** A standardized keyword (§15): its documented type and, for enums, values; `special` marks *SpeedDuplex. */
interface Keyword {
  name: string;
  type: 'enum' | 'int' | 'edit' | 'any';
  values?: readonly number[];
  min?: number;
  /** Not for NetAdapterCx drivers (§13.4, §15.2). */
  notNetCx?: boolean;
}

const e01 = [0, 1];
const e0123 = [0, 1, 2, 3];
const KEYWORDS: Keyword[] = [
  // §15.1 enumeration keywords (D:network/enumeration-keywords.md)
  { name: '*SpeedDuplex', type: 'enum', values: [0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10] },
  { name: '*FlowControl', type: 'enum', values: [0, 1, 2, 3, 4] },
  { name: '*PriorityVLANTag', type: 'enum', values: e0123 },
  { name: '*InterruptModeration', type: 'enum', values: e01 },
  { name: '*RSS', type: 'enum', values: e01 },
  { name: '*HeaderDataSplit', type: 'enum', values: e01 },
  { name: '*TCPConnectionOffloadIPv4', type: 'enum', values: e01 },
  { name: '*TCPConnectionOffloadIPv6', type: 'enum', values: e01 },
  { name: '*IPChecksumOffloadIPv4', type: 'enum', values: e0123 },
  { name: '*TCPChecksumOffloadIPv4', type: 'enum', values: e0123 },
  { name: '*TCPChecksumOffloadIPv6', type: 'enum', values: e0123 },
  { name: '*UDPChecksumOffloadIPv4', type: 'enum', values: e0123 },
  { name: '*UDPChecksumOffloadIPv6', type: 'enum', values: e0123 },
  { name: '*LsoV1IPv4', type: 'enum', values: e01 },
  { name: '*LsoV2IPv4', type: 'enum', values: e01 },
  { name: '*LsoV2IPv6', type: 'enum', values: e01 },
  { name: '*IPsecOffloadV1IPv4', type: 'enum', values: e0123 },
  { name: '*IPsecOffloadV2', type: 'enum', values: e0123 },
  { name: '*IPsecOffloadV2IPv4', type: 'enum', values: e0123 },
  { name: '*TCPUDPChecksumOffloadIPv4', type: 'enum', values: e0123 },
  { name: '*TCPUDPChecksumOffloadIPv6', type: 'enum', values: e0123 },
  // §15.2 power management (D:network/standardized-inf-keywords-for-power-management.md)
  { name: '*WakeOnPattern', type: 'enum', values: e01 },
  { name: '*WakeOnMagicPacket', type: 'enum', values: e01 },
  { name: '*PMARPOffload', type: 'enum', values: e01 },
  { name: '*PMNSOffload', type: 'enum', values: e01 },
  { name: '*PMWiFiRekeyOffload', type: 'enum', values: e01 },
  { name: '*EEE', type: 'enum', values: e01 },
  { name: '*IdleRestriction', type: 'enum', values: e01 },
  { name: '*ModernStandbyWoLMagicPacket', type: 'enum', values: e01, notNetCx: true },
  { name: '*DeviceSleepOnDisconnect', type: 'enum', values: e01, notNetCx: true },
  // §15.3 RSS (D:network/standardized-inf-keywords-for-rss.md)
  { name: '*RSSProfile', type: 'enum', values: [1, 2, 3, 4, 5, 6] },
  { name: '*RssBaseProcGroup', type: 'int' },
  { name: '*NumaNodeId', type: 'int' },
  { name: '*RssBaseProcNumber', type: 'int' },
  { name: '*MaxRssProcessors', type: 'int', min: 1 },
  { name: '*RssMaxProcNumber', type: 'int' },
  { name: '*NumRSSQueues', type: 'int', min: 1 },
  { name: '*RSSMaxProcGroup', type: 'int' },
  // §15.4 RSC/USO/URO
  { name: '*RscIPv4', type: 'enum', values: e01 },
  { name: '*RscIPv6', type: 'enum', values: e01 },
  { name: '*UsoIPv4', type: 'enum', values: e01 },
  { name: '*UsoIPv6', type: 'enum', values: e01 },
  { name: '*UdpRsc', type: 'enum', values: e01 },
  // §15.5 editable keywords (D:network/keywords-that-can-be-edited.md)
  { name: '*JumboPacket', type: 'int', min: 1514 },
  { name: '*ReceiveBuffers', type: 'int', min: 1 },
  { name: '*TransmitBuffers', type: 'int', min: 0 },
  // §13.4/§13.5: hidden keywords, normally DDInstall entries; type not constrained here.
  { name: '*IfType', type: 'any' },
  { name: '*MediaType', type: 'any' },
  { name: '*PhysicalMediaType', type: 'any' },
  { name: '*NdisDeviceType', type: 'any' },
  { name: '*IfConnectorPresent', type: 'any' },
  { name: '*ConnectionType', type: 'any' },
  { name: '*DirectionType', type: 'any' },
  { name: '*AccessType', type: 'any' },
  { name: '*HardwareLoopback', type: 'any' },
  // Standardized keywords from Microsoft's keyword pages that inf.md §15 does not tabulate, read for this lint:
  // D:network/standardized-inf-keywords-for-vmq.md (*VMQ, *VMQLookaheadSplit, *VMQVlanFiltering, *RssOrVmqPreference),
  // …-for-vmmq.md (*RssOnHostVPorts), …-for-sr-iov.md (*SRIOV, *SriovPreferred), …-for-ndis-qos.md (*QOS),
  // …-for-ndis-selective-suspend.md (*SelectiveSuspend, *SSIdleTimeout, *SSIdleTimeoutScreenOff),
  // …-for-ndis-packet-timestamping.md (*PtpHardwareTimestamp, *SoftwareTimestamp), inf-requirements-for-ndkpi.md
  // (*NetworkDirect, *NetworkDirectTechnology). Only their names are checked (the reserved-name rule of §14.3).
  // Keywords not confirmed from a page (e.g. the encapsulation-offload ones) are left out on purpose: an unknown
  // `*` name is only a warning.
  ...[
    '*VMQ',
    '*VMQLookaheadSplit',
    '*VMQVlanFiltering',
    '*RssOrVmqPreference',
    '*RssOnHostVPorts',
    '*SRIOV',
    '*SriovPreferred',
    '*QOS',
    '*SelectiveSuspend',
    '*SSIdleTimeout',
    '*SSIdleTimeoutScreenOff',
    '*PtpHardwareTimestamp',
    '*SoftwareTimestamp',
    '*NetworkDirect',
    '*NetworkDirectTechnology',
  ].map((name): Keyword => ({ name, type: 'any' })),
];
const KEYWORD_MAP = new Map<string, Keyword>();
for (const k of KEYWORDS) if (!KEYWORD_MAP.has(k.name.toLowerCase())) KEYWORD_MAP.set(k.name.toLowerCase(), k);

/** §13.4: NetAdapterCx's required DDInstall keywords (D:netcx/inf-files-for-netadaptercx-client-drivers.md). */
const NETCX_KEYWORDS = ['*IfConnectorPresent', '*ConnectionType', '*DirectionType', '*AccessType', '*HardwareLoopback'] as const;
const NETCX_BOOLEAN = new Set(['*ifconnectorpresent', '*hardwareloopback']);
/** §13.4: selective-suspend keywords NetAdapterCx drivers must not use from Windows 11 21H2. */
const SELECTIVE_SUSPEND = new Set(['*selectivesuspend', '*ssidletimeout', '*ssidletimeoutscreenoff']);
/** Hidden keywords that "must not be specified in the INF file" (D:network/standardized-inf-keywords-for-vmq.md, …-for-sr-iov.md). */
const HIDDEN_KEYWORDS = new Set(['*rssorvmqpreference', '*sriovpreferred']);
/** §13.4: mandatory for connectionless NDIS 6.0+ miniports (D:network/standardized-inf-keywords-for-network-devices.md). */
const MANDATORY_KEYWORDS: readonly [string, string][] = [
  ['*IfType', 'NET_NO_IFTYPE'],
  ['*MediaType', 'NET_NO_MEDIATYPE'],
  ['*PhysicalMediaType', 'NET_NO_PHYSICALMEDIATYPE'],
];

/** Where a key or value of the scratch instance key came from. */
interface Origin {
  file: string;
  line: number;
  column: number;
}

interface Provenance {
  /** `subkey\0value` (lower case) → the last line that set the value. */
  values: Map<string, Origin>;
  /** `subkey` (lower case) → the first line that addressed the key or anything below it. */
  keys: Map<string, Origin>;
  /** `Ndi\params` parameter names (lower case) → the spellings the lines used, with the first line of each. */
  paramSpellings: Map<string, Map<string, Origin>>;
}

const normPath = (path: string): string =>
  path
    .split('\\')
    .filter((p) => p !== '')
    .join('\\');

function isNetInf(inf: InfFile): boolean {
  const cls = inf.findLine('Version', 'Class');
  if (cls) return (inf.fieldsOf(cls)[0] ?? '').trim().toLowerCase() === 'net';
  const guid = inf.findLine('Version', 'ClassGuid');
  return !!guid && (inf.fieldsOf(guid)[0] ?? '').trim().toLowerCase() === NET_CLASS_GUID;
}

/**
 * Lints a Class=Net INF's network DDInstall sections (inf.md §13–§15). Returns [] for other classes.
 * Never throws for INF content.
 */
export function lintNetworkInf(inf: InfFile, options: NetLintOptions = {}): InfFinding[] {
  if (!isNetInf(inf)) return [];
  const arch = options.arch ?? 'amd64';
  const out: InfFinding[] = [];
  const at = (o: Origin, severity: InfFinding['severity'], code: string, message: string): void => {
    out.push({ file: o.file, line: o.line, column: o.column, severity, code, message });
  };
  const lineOrigin = (l: InfLine): Origin => ({ file: inf.file, line: l.line, column: l.column });

  // Case 112: network INFs use $Windows NT$ (D:network/version-section-in-a-network-inf-file.md).
  const sig = inf.findLine('Version', 'Signature');
  if (sig) {
    const text = (inf.fieldsOf(sig)[0] ?? '').trim();
    if (text.toLowerCase() !== '$windows nt$')
      at(lineOrigin(sig), 'warning', 'NET_SIGNATURE_NOT_NT', `Signature is "${text}"; network INFs must use "$Windows NT$" (inf.md case 112)`);
  }
  // Case 111: an undecorated Manufacturer entry has no Models section for non-x86 (D:install/inf-models-section.md).
  for (const line of inf.section('Manufacturer') ?? []) {
    const fields = inf.fieldsOf(line);
    if (fields.slice(1).every((d) => d.trim() === '')) {
      at(
        lineOrigin(line),
        'warning',
        'NET_MODELS_UNDECORATED',
        `the Models section "${(fields[0] ?? '').trim()}" has no TargetOSVersion decoration; Models sections for non-x86 platforms must be decorated (NTamd64, NTarm64; inf.md §6.6, case 111)`,
      );
    }
  }

  // The DDInstall sections to lint.
  const sections: string[] = [];
  if (options.hardwareId !== undefined) {
    const report = selectDriver(inf, { arch, hardwareIds: [options.hardwareId] });
    if (!report.chosen) {
      out.push({
        file: inf.file,
        line: 1,
        column: 1,
        severity: 'error',
        code: 'NET_NO_MATCHING_MODEL',
        message: `no Models entry for ${arch} matches ${options.hardwareId}`,
      });
      return out;
    }
    if (report.chosen.installFile === inf.file) sections.push(report.chosen.installSection);
  } else {
    // Undecorated Models sections count here ('any'): the lint looks at every install section the INF offers
    // for the architecture; case 111 already warns about the decoration.
    const seen = new Set<string>();
    for (const choice of resolveModels(inf, { arch, archless: 'any' })) {
      if (!choice.modelsSection || !choice.exists) continue;
      for (const line of inf.section(choice.modelsSection) ?? []) {
        const base = (inf.fieldsOf(line)[0] ?? '').trim();
        if (base === '') continue;
        const resolved = resolveInstallSection(inf, base, arch);
        if (!resolved || seen.has(resolved.section.toLowerCase())) continue;
        seen.add(resolved.section.toLowerCase());
        sections.push(resolved.section);
      }
    }
  }
  for (const section of sections) lintSection(inf, section, at);
  return out;
}

type At = (o: Origin, severity: InfFinding['severity'], code: string, message: string) => void;

function lintSection(inf: InfFile, section: string, at: At): void {
  const info = inf.sectionInfo(section)!;
  const header: Origin = { file: inf.file, line: info.headers[0] ?? 1, column: 1 };
  const lineOrigin = (l: InfLine): Origin => ({ file: inf.file, line: l.line, column: l.column });
  const entry = (key: string): { line: InfLine; text: string } | undefined => {
    const lines = inf.findLines(section, key);
    const line = lines[lines.length - 1];
    return line ? { line, text: (inf.fieldsOf(line)[0] ?? '').trim() } : undefined;
  };
  const where = `[${info.name}]`;

  // Apply the registry lines with HKR = a scratch instance key, remembering which line wrote what.
  const hive = Hive.create();
  const root = hive.root();
  const prov: Provenance = { values: new Map(), keys: new Map(), paramSpellings: new Map() };
  // Needs= sections of this INF are installed first, with the same HKR ([ReactOS] order, inf.md §8.4; Windows'
  // order is [unknown]); sections of Include'd INFs are not available to a one-file lint.
  const needs = inf
    .findLines(section, 'Needs')
    .flatMap((l) => inf.fieldsOf(l).map((f) => f.trim()))
    .filter((n) => n !== '' && inf.hasSection(n));
  const apply = { DelReg: applyDelReg, AddReg: applyAddReg, BitReg: applyBitReg } as const;
  for (const source of [...needs, section]) {
    // Within one section: every DelReg line, then every AddReg line, then every BitReg line (inf.md §8.4).
    for (const directive of ['DelReg', 'AddReg', 'BitReg'] as const) {
      const lines = inf.findLines(source, directive).flatMap((dl) =>
        inf
          .fieldsOf(dl)
          .map((f) => f.trim())
          .filter((f) => f !== '')
          .flatMap((name) => [...(inf.section(name) ?? [])]),
      );
      for (const line of lines) {
        const fields = line.key !== undefined ? [inf.keyOf(line)!, ...inf.fieldsOf(line)] : inf.fieldsOf(line);
        if ((fields[0] ?? '').trim().toUpperCase() !== 'HKR') continue; // only the instance key matters here
        let outcome: RegLineOutcome;
        try {
          outcome = apply[directive](fields, { hkr: root, file: inf.file, line: line.line });
        } catch {
          continue; // addreg.ts reports its own problems; a line it cannot apply writes nothing here
        }
        if (outcome.action === 'skipped') continue;
        const origin = lineOrigin(line);
        const sub = normPath(outcome.subkey);
        const parts = sub.split('\\');
        for (let i = 1; i <= parts.length; i++) {
          const k = parts.slice(0, i).join('\\').toLowerCase();
          if (!prov.keys.has(k)) prov.keys.set(k, origin);
        }
        if (outcome.value !== undefined) prov.values.set(`${sub.toLowerCase()}\0${outcome.value.toLowerCase()}`, origin);
        // Case 110: the spelling of the parameter name as this line wrote it.
        const written = normPath((fields[1] ?? '').trim()).split('\\');
        if (written.length >= 3 && written[0]!.toLowerCase() === 'ndi' && written[1]!.toLowerCase() === 'params') {
          const name = written[2]!;
          let spellings = prov.paramSpellings.get(name.toLowerCase());
          if (!spellings) prov.paramSpellings.set(name.toLowerCase(), (spellings = new Map()));
          if (!spellings.has(name)) spellings.set(name, origin);
        }
      }
    }
  }
  const keyOrigin = (path: string): Origin => prov.keys.get(path.toLowerCase()) ?? header;
  const valueOrigin = (path: string, value: string): Origin => prov.values.get(`${path.toLowerCase()}\0${value.toLowerCase()}`) ?? keyOrigin(path);

  // §13.1 Characteristics.
  const ch = entry('Characteristics');
  let characteristics: number | undefined;
  if (!ch) {
    at(header, 'error', 'NET_NO_CHARACTERISTICS', `${where} has no Characteristics entry; every network DDInstall section needs one (inf.md §13.1)`);
  } else {
    const n = infInt(ch.text);
    if (n === null || n < 0) {
      at(lineOrigin(ch.line), 'error', 'NET_BAD_CHARACTERISTICS', `Characteristics "${ch.text}" is not a number (inf.md §13.1)`);
    } else {
      characteristics = n;
      const o = lineOrigin(ch.line);
      const hex = `0x${n.toString(16)}`;
      const unknown = n & ~NCF_KNOWN;
      if (unknown)
        at(
          o,
          'warning',
          'NET_CHARACTERISTICS_UNKNOWN_BITS',
          `Characteristics ${hex} sets bits 0x${(unknown >>> 0).toString(16)} that no documented NCF_* flag names (inf.md §13.1)`,
        );
      const kinds = [NCF_VIRTUAL, NCF_SOFTWARE_ENUMERATED, NCF_PHYSICAL].filter((b) => n & b);
      if (kinds.length > 1)
        at(
          o,
          'error',
          'NET_CHARACTERISTICS_EXCLUSIVE',
          `Characteristics ${hex} sets more than one of NCF_VIRTUAL, NCF_SOFTWARE_ENUMERATED, NCF_PHYSICAL; they are mutually exclusive (inf.md §13.1, case 100)`,
        );
      if (n & NCF_NO_SERVICE && n & NCF_KIND)
        at(
          o,
          'error',
          'NET_NO_SERVICE_CONFLICT',
          `Characteristics ${hex} combines NCF_NO_SERVICE with NCF_VIRTUAL/SOFTWARE_ENUMERATED/PHYSICAL (inf.md §13.1, case 101)`,
        );
      if (n & NCF_FILTER)
        at(o, 'warning', 'NET_NCF_FILTER_UNSUPPORTED', `Characteristics ${hex} sets NCF_FILTER (0x400), not supported since Windows 10 (inf.md §13.1)`);
      if (n & (NCF_NDIS_PROTOCOL | NCF_LW_FILTER))
        at(
          o,
          'warning',
          'NET_ADAPTER_NOT_PROTOCOL',
          `Characteristics ${hex} sets a protocol/filter flag (NCF_NDIS_PROTOCOL or NCF_LW_FILTER) in a Class=Net (adapter) INF (inf.md §13.1)`,
        );
    }
  }

  // §13.2 BusType.
  const bus = entry('BusType');
  if (bus) {
    const n = infInt(bus.text);
    if (n === null || !NET_BUS_TYPES.has(n))
      at(
        lineOrigin(bus.line),
        'error',
        'NET_BAD_BUSTYPE',
        `BusType "${bus.text}" is not one of ${[...NET_BUS_TYPES].map(([v, s]) => `${v} (${s})`).join(', ')} (inf.md §13.2)`,
      );
  } else if (characteristics !== undefined && characteristics & NCF_PHYSICAL) {
    at(
      lineOrigin(ch!.line),
      'error',
      'NET_NO_BUSTYPE',
      `${where} describes a physical adapter (NCF_PHYSICAL) but has no BusType entry (inf.md §13.2, case 103)`,
    );
  }

  // §13.4 mandatory keywords, as DDInstall entries or values the AddReg lines put in the instance key.
  const hasKeyword = (name: string): boolean => entry(name) !== undefined || root.value(name) !== undefined;
  for (const [name, code] of MANDATORY_KEYWORDS) {
    if (!hasKeyword(name))
      at(
        header,
        'error',
        code,
        `${where} defines no ${name}; it is mandatory for NDIS 6.0+ connectionless miniports — without it NDIS does not call MiniportInitializeEx (inf.md §13.4, case 104)`,
      );
  }
  // NetAdapterCx: a section naming any of its keywords is a NetAdapterCx client; all five are then required.
  const netcx = NETCX_KEYWORDS.some(hasKeyword);
  if (netcx) {
    for (const name of NETCX_KEYWORDS) {
      if (!hasKeyword(name)) {
        at(
          header,
          'error',
          `NETCX_NO_${name.slice(1).toUpperCase()}`,
          `${where} is a NetAdapterCx DDInstall section (it sets ${NETCX_KEYWORDS.filter(hasKeyword).join(', ')}) but has no ${name}, which NetAdapterCx requires (inf.md §13.4, case 105)`,
        );
        continue;
      }
      const e = entry(name);
      if (e && NETCX_BOOLEAN.has(name.toLowerCase())) {
        const v = infInt(e.text);
        if (v !== 0 && v !== 1) at(lineOrigin(e.line), 'error', 'NETCX_BAD_BOOLEAN', `${name} = "${e.text}": a boolean keyword, 0 or 1 (inf.md §13.4)`);
      }
    }
  }
  if (netcx) {
    // D:netcx/porting-ndis-miniport-drivers-to-netadaptercx.md: "[Yourdriver.Wdf] KmdfService = service, wdfsect" and
    // "[wdfsect] KmdfLibraryVersion = …" (inf.md §13.4). Graded a warning: the page gives it as a porting step,
    // not as a rule stated with "must", and Microsoft's own netvadapter.inf has no .Wdf section.
    const wdf = inf.sectionInfo(`${info.name}.Wdf`);
    const kmdf = wdf ? inf.findLine(wdf.name, 'KmdfService') : undefined;
    if (!kmdf) {
      at(
        wdf ? { file: inf.file, line: wdf.headers[0] ?? header.line, column: 1 } : header,
        'warning',
        'NETCX_NO_KMDFSERVICE',
        `${where} is a NetAdapterCx DDInstall section but [${info.name}.Wdf] ${wdf ? 'has no KmdfService entry' : 'does not exist'}; NetAdapterCx clients are KMDF drivers ("KmdfService = service, wdfsection"; inf.md §13.4)`,
      );
    } else {
      const wdfSection = (inf.fieldsOf(kmdf)[1] ?? '').trim();
      if (wdfSection === '' || !inf.findLine(wdfSection, 'KmdfLibraryVersion')) {
        at(
          lineOrigin(kmdf),
          'warning',
          'NETCX_NO_KMDFLIBRARYVERSION',
          `KmdfService names ${wdfSection === '' ? 'no section' : `[${wdfSection}]`}, which has no KmdfLibraryVersion entry (inf.md §13.4)`,
        );
      }
    }
  }
  for (const name of ['*IfType', '*MediaType', '*PhysicalMediaType', ...NETCX_KEYWORDS, 'NumberOfNetworkInterfaces']) {
    const e = entry(name);
    if (e && infInt(e.text) === null) at(lineOrigin(e.line), 'error', 'NET_KEYWORD_NOT_NUMBER', `${name} = "${e.text}" is not a number (inf.md §13.4)`);
  }

  // §13.3 the Ndi key.
  const ndi = root.subkey('Ndi');
  const noService = characteristics !== undefined && (characteristics & NCF_NO_SERVICE) !== 0;
  const sz = (key: KeyNode | undefined, name: string): string | undefined | null => {
    const v = key?.value(name);
    if (!v) return undefined;
    return v.type === ValueType.REG_SZ || v.type === ValueType.REG_EXPAND_SZ ? decodeString(v.data()) : null;
  };
  if (!ndi) {
    at(header, 'error', 'NDI_MISSING', `${where} writes no Ndi key (HKR,Ndi,Service and HKR,Ndi\\Interfaces,…); every network INF needs one (inf.md §13.3)`);
  } else {
    const service = sz(ndi, 'Service');
    if (service === undefined) {
      if (!noService)
        at(keyOrigin('Ndi'), 'error', 'NDI_NO_SERVICE', `${where} sets no Ndi\\Service (the adapter's primary service, the AddService name) (inf.md §13.3)`);
    } else if (service === null) {
      at(valueOrigin('Ndi', 'Service'), 'error', 'NDI_VALUE_NOT_SZ', 'Ndi\\Service must be REG_SZ (inf.md §13.3)');
    } else {
      const services = inf.findLines(`${info.name}.Services`, 'AddService').map((l) => (inf.fieldsOf(l)[0] ?? '').trim().toLowerCase());
      if (services.length > 0 && !services.includes(service.trim().toLowerCase())) {
        at(
          valueOrigin('Ndi', 'Service'),
          'error',
          'NDI_SERVICE_MISMATCH',
          `Ndi\\Service is "${service}" but [${info.name}.Services] adds ${services.join(', ')}; it must name the AddService service (inf.md §13.3)`,
        );
      }
    }
    if (ndi.subkey('CoServices'))
      at(keyOrigin('Ndi\\CoServices'), 'error', 'NDI_ADAPTER_COSERVICES', 'an adapter must not have Ndi\\CoServices (inf.md §13.3)');
    const interfaces = ndi.subkey('Interfaces');
    for (const name of ['UpperRange', 'LowerRange']) {
      const v = sz(interfaces, name);
      if (v === undefined) at(keyOrigin('Ndi'), 'error', 'NDI_NO_INTERFACES', `${where} sets no Ndi\\Interfaces\\${name} (inf.md §13.3)`);
      else if (v === null) at(valueOrigin('Ndi\\Interfaces', name), 'error', 'NDI_VALUE_NOT_SZ', `Ndi\\Interfaces\\${name} must be REG_SZ (inf.md §13.3)`);
      else if (v.trim() === '') at(valueOrigin('Ndi\\Interfaces', name), 'error', 'NDI_EMPTY_RANGE', `Ndi\\Interfaces\\${name} is empty (inf.md §13.3)`);
      // Vendor-private interface names are allowed (§13.3), so other names are not findings.
    }
  }

  // §14 Ndi\params.
  const params = ndi?.subkey('params');
  const paramKeys = params?.subkeys() ?? [];
  if (paramKeys.length > 0 && characteristics !== undefined && !(characteristics & NCF_HAS_UI)) {
    at(
      lineOrigin(ch!.line),
      'error',
      'NET_HAS_UI_MISSING',
      `${where} defines ${paramKeys.length} Ndi\\params (an Advanced page) but Characteristics 0x${characteristics.toString(16)} lacks NCF_HAS_UI (0x80) (inf.md §13.1, case 102)`,
    );
  }
  for (const [lower, spellings] of prov.paramSpellings) {
    if (spellings.size < 2) continue;
    const [first, ...rest] = [...spellings];
    for (const [spelling, origin] of rest) {
      at(
        origin,
        'warning',
        'NDI_PARAM_INCONSISTENT_CASE',
        `Ndi\\params\\${spelling} is spelled Ndi\\params\\${first![0]} elsewhere (line ${first![1].line}); registry names are case-insensitive, so both define one parameter "${lower}" (inf.md §14.3, case 110)`,
      );
    }
  }
  for (const p of paramKeys) lintParam(p, `Ndi\\params\\${p.name}`, netcx, { at, keyOrigin, valueOrigin, sz });
}

interface ParamCtx {
  at: At;
  keyOrigin: (path: string) => Origin;
  valueOrigin: (path: string, value: string) => Origin;
  sz: (key: KeyNode | undefined, name: string) => string | undefined | null;
}

/**
 * §14.2: ReactOS parses Min/Max base 10, and word/dword values in `Base` (10 or 16); a `0x` prefix is accepted
 * too, as an INF author may write it.
 */
function num(text: string, base = 10): number | null {
  const t = text.trim();
  if (base === 16 && /^[0-9a-f]+$/i.test(t)) return parseInt(t, 16);
  if (/^[+-]?\d+$/.test(t)) return Number(t);
  if (/^0x[0-9a-f]+$/i.test(t)) return parseInt(t, 16);
  return null;
}

function lintParam(p: KeyNode, path: string, netcx: boolean, c: ParamCtx): void {
  const name = p.name;
  const o = c.keyOrigin(path);
  const vo = (value: string): Origin => c.valueOrigin(path, value);
  if (RESERVED_PARAM_NAMES.has(name.toLowerCase())) {
    c.at(
      o,
      'error',
      'NDI_PARAM_RESERVED_NAME',
      `${path}: "${name}" is a value Windows keeps in the instance key and may not be an Ndi\\params name (inf.md §12.3, case 99)`,
    );
  }
  const keyword = KEYWORD_MAP.get(name.toLowerCase());
  if (name.startsWith('*') && !keyword) {
    c.at(
      o,
      'warning',
      'NDI_PARAM_UNKNOWN_KEYWORD',
      `${path}: names starting with "*" are reserved for standardized keywords and "${name}" is not one (inf.md §14.3, §15)`,
    );
  }
  if (keyword && netcx && keyword.notNetCx)
    c.at(o, 'warning', 'NETCX_KEYWORD_NOT_SUPPORTED', `${path}: ${keyword.name} is for NDIS miniports, not NetAdapterCx drivers (inf.md §15.2)`);
  if (netcx && SELECTIVE_SUSPEND.has(name.toLowerCase()))
    c.at(o, 'warning', 'NETCX_SELECTIVE_SUSPEND', `${path}: NetAdapterCx drivers must not use selective-suspend keywords from Windows 11 21H2 (inf.md §13.4)`);

  if (HIDDEN_KEYWORDS.has(name.toLowerCase()))
    c.at(
      o,
      'warning',
      'NDI_KEYWORD_HIDDEN',
      `${path}: ${keyword!.name} is a hidden keyword that must not be specified in the INF (D:network/standardized-inf-keywords-for-vmq.md, …-for-sr-iov.md)`,
    );

  // Every params value is read only as REG_SZ (§14.2, R:proppage).
  for (const v of p.values()) {
    if (v.type !== ValueType.REG_SZ)
      c.at(
        vo(v.name),
        'warning',
        'NDI_PARAM_VALUE_NOT_SZ',
        `${path}\\${v.name} is not REG_SZ; the Advanced page reads params values only as REG_SZ (inf.md §14.2)`,
      );
  }
  const get = (n: string): string | undefined => {
    const v = c.sz(p, n);
    return v === null ? undefined : v;
  };
  const desc = get('ParamDesc');
  if (desc === undefined || desc.trim() === '')
    c.at(o, 'error', 'NDI_PARAM_NO_DESC', `${path} has no ParamDesc (the display name is required; inf.md §14.1, case 97)`);
  const typeText = get('Type');
  const type = typeText?.trim().toLowerCase();
  if (type === undefined) {
    c.at(o, 'error', 'NDI_PARAM_NO_TYPE', `${path} has no Type (required; inf.md §14.1)`);
  } else if (!PARAM_TYPES.has(type)) {
    c.at(vo('Type'), 'error', 'NDI_PARAM_BAD_TYPE', `${path}: Type "${typeText}" is not one of int, long, word, dword, edit, enum (inf.md §14.1, case 98)`);
  }
  const optionalText = get('Optional');
  if (optionalText !== undefined && optionalText.trim() !== '0' && optionalText.trim() !== '1') {
    c.at(
      vo('Optional'),
      'warning',
      'NDI_PARAM_BAD_OPTIONAL',
      `${path}: Optional "${optionalText}" should be 0 or 1 (ReactOS treats anything not starting with 0 as 1; inf.md §14.1–§14.2)`,
    );
  }
  const optional = optionalText !== undefined && optionalText.trim()[0] !== '0';
  const defText = get('Default');
  if (defText === undefined && !optional)
    c.at(o, 'error', 'NDI_PARAM_NO_DEFAULT', `${path} has no Default and is not Optional; Default is required for non-optional parameters (inf.md §14.1)`);

  const numeric = type !== undefined && NUMERIC_TYPES.has(type);
  const baseText = get('Base');
  const base = numeric && (type === 'word' || type === 'dword') && baseText?.trim() === '16' ? 16 : 10;
  if (baseText !== undefined && baseText.trim() !== '10' && baseText.trim() !== '16')
    c.at(vo('Base'), 'warning', 'NDI_PARAM_BAD_BASE', `${path}: Base "${baseText}" should be 10 or 16 (inf.md §14.2)`);
  const read = (n: string): number | null | undefined => {
    const t = get(n);
    if (t === undefined) return undefined;
    const v = num(t, base);
    if (v === null) c.at(vo(n), 'error', 'NDI_PARAM_NOT_NUMBER', `${path}: ${n} "${t}" is not a number (inf.md §14.1)`);
    return v;
  };
  if (numeric) {
    const [tmin, tmax] = TYPE_RANGE[type!]!;
    const min = read('Min');
    const max = read('Max');
    const step = read('Step');
    const def = defText !== undefined ? read('Default') : undefined;
    for (const [n, v] of [
      ['Min', min],
      ['Max', max],
      ['Default', def],
    ] as const) {
      if (typeof v === 'number' && (v < tmin || v > tmax))
        c.at(vo(n), 'warning', 'NDI_PARAM_OUTSIDE_TYPE', `${path}: ${n} ${v} is outside the range of type ${type} (${tmin}…${tmax}; inf.md §14.2)`);
    }
    if (typeof min === 'number' && typeof max === 'number' && min > max)
      c.at(vo('Min'), 'error', 'NDI_PARAM_MIN_ABOVE_MAX', `${path}: Min ${min} is above Max ${max} (inf.md §14.1)`);
    if (typeof step === 'number' && step <= 0) c.at(vo('Step'), 'error', 'NDI_PARAM_BAD_STEP', `${path}: Step ${step} must be positive (inf.md §14.1)`);
    if (typeof def === 'number') {
      const lo = typeof min === 'number' ? min : tmin;
      const hi = typeof max === 'number' ? max : tmax;
      if (def < lo || def > hi)
        c.at(vo('Default'), 'error', 'NDI_PARAM_DEFAULT_OUT_OF_RANGE', `${path}: Default ${def} is outside [${lo}, ${hi}] (inf.md §14.1)`);
      else if (typeof step === 'number' && step > 0 && (def - lo) % step !== 0)
        c.at(
          vo('Default'),
          'error',
          'NDI_PARAM_DEFAULT_OFF_STEP',
          `${path}: Default ${def} is not Min ${lo} plus a multiple of Step ${step} (Step counts from Min; inf.md §14.1)`,
        );
    }
  } else if (type === 'enum' || type === 'edit') {
    for (const n of ['Min', 'Max', 'Step'])
      if (get(n) !== undefined) c.at(vo(n), 'warning', 'NDI_PARAM_RANGE_ON_TEXT', `${path}: ${n} applies to numeric types only, not ${type} (inf.md §14.1)`);
  }
  if (type !== 'edit') {
    for (const n of ['LimitText', 'UpperCase'])
      if (get(n) !== undefined) c.at(vo(n), 'warning', 'NDI_PARAM_EDIT_ONLY', `${path}: ${n} applies to edit parameters only (inf.md §14.1)`);
  } else {
    const limit = get('LimitText');
    if (limit !== undefined && !((num(limit) ?? 0) > 0))
      c.at(vo('LimitText'), 'warning', 'NDI_PARAM_BAD_LIMITTEXT', `${path}: LimitText "${limit}" is not a positive number (inf.md §14.1)`);
    const upper = get('UpperCase');
    if (upper !== undefined && upper.trim() !== '0' && upper.trim() !== '1')
      c.at(vo('UpperCase'), 'warning', 'NDI_PARAM_BAD_UPPERCASE', `${path}: UpperCase "${upper}" should be 0 or 1 (inf.md §14.1)`);
    if (limit !== undefined && defText !== undefined && defText.length > (num(limit) ?? Infinity))
      c.at(
        vo('Default'),
        'warning',
        'NDI_PARAM_DEFAULT_TOO_LONG',
        `${path}: Default "${defText}" is longer than LimitText ${limit} (LimitText's meaning is [unknown] in the docs, inf.md §14.1; read as a maximum length)`,
      );
  }
  let enumValues: string[] = [];
  if (type === 'enum') {
    const e = p.subkey('enum');
    enumValues = e ? e.values().map((v) => v.name) : [];
    if (enumValues.length === 0) c.at(o, 'error', 'NDI_PARAM_NO_ENUM', `${path} is an enum without choices (values of ${path}\\enum; inf.md §14.1)`);
    else if (defText !== undefined && !enumValues.some((v) => v.toLowerCase() === defText.trim().toLowerCase())) {
      c.at(
        vo('Default'),
        'error',
        'NDI_PARAM_DEFAULT_NOT_IN_ENUM',
        `${path}: Default "${defText}" is not one of its enum values ${enumValues.join(', ')} (inf.md §14.1)`,
      );
    }
  }

  // §15 the standardized keyword's documented type and values.
  if (!keyword || keyword.type === 'any' || type === undefined || !PARAM_TYPES.has(type)) return;
  if (keyword.type === 'enum' && type !== 'enum')
    c.at(vo('Type'), 'warning', 'NDI_KEYWORD_WRONG_TYPE', `${path}: ${keyword.name} is documented as an enum keyword, not ${type} (inf.md §15)`);
  if (keyword.type === 'int' && !numeric)
    c.at(vo('Type'), 'warning', 'NDI_KEYWORD_WRONG_TYPE', `${path}: ${keyword.name} is documented as a numeric keyword, not ${type} (inf.md §15)`);
  if (keyword.type === 'enum' && type === 'enum' && keyword.values) {
    const eo = (v: string): Origin => c.valueOrigin(`${path}\\enum`, v);
    for (const v of enumValues) {
      const n = num(v);
      if (keyword.name === '*SpeedDuplex') {
        // 0–10 are the documented modes; a literal Mbps value ≥ 1000 is allowed; 11–999 are undefined (case 106).
        if (n === null || n < 0 || (n > 10 && n < 1000))
          c.at(
            eo(v),
            'error',
            'NDI_KEYWORD_BAD_VALUE',
            `${path}: enum value "${v}" is undefined for *SpeedDuplex (0–10, or a speed in Mbps ≥ 1000; inf.md §15.1, case 106)`,
          );
      } else if (n === null || !keyword.values.includes(n)) {
        c.at(
          eo(v),
          'warning',
          'NDI_KEYWORD_UNDOCUMENTED_VALUE',
          `${path}: enum value "${v}" is not a documented value of ${keyword.name} (${keyword.values.join(', ')}; inf.md §15, case 109)`,
        );
      }
    }
  }
  if (keyword.min !== undefined && numeric) {
    const t = get('Min');
    const min = t === undefined ? undefined : num(t);
    if (typeof min === 'number' && min < keyword.min)
      c.at(
        vo('Min'),
        'warning',
        'NDI_KEYWORD_BELOW_MIN',
        `${path}: Min ${min} is below ${keyword.name}'s documented minimum ${keyword.min} (inf.md §15.5, case 108)`,
      );
  }
}
