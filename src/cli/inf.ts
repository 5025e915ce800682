import { basename } from 'node:path';
import { Hive } from '../hive/index.js';
import type { KeyNode } from '../hive/index.js';
import {
  InfSyntaxError,
  applyRegistryDirectives,
  createAdapterInstance,
  decodeInfBytes,
  fillInxPlaceholders,
  inxPlaceholders,
  infInt,
  lintNetworkInf,
  parseInf,
  readDriverVer,
  selectDriver,
} from '../inf/index.js';
import type { AdapterInstance, AdapterInstanceOptions, InfArch, InfFile, InfFinding, RegDirectiveSections, Selection, SelectionReport } from '../inf/index.js';
import { decodeMultiString, decodeString, valueText } from '../registry/index.js';
import type { Registry } from '../registry/index.js';

/**
 * `netconfig inf show|install|check`: an INF read as setupapi reads it (src/inf), the driver chosen for a
 * hardware ID as Windows ranks them, and the adapter key Windows' network class installer would create
 * (identity values, the DDInstall section's DelReg/AddReg/BitReg with HKR = the new key).
 */

export class InfCommandError extends Error {
  readonly code = 'INF_COMMAND';
  constructor(message: string) {
    super(message);
    this.name = 'InfCommandError';
  }
}

export interface InfOptions {
  hwid?: string;
  arch: InfArch;
  kmdfVersion?: string;
}

/**
 * An .inx is a template, and some sample .inf files carry the same stampinf placeholders (the build
 * stamps them): they are filled first ($ARCH$ from --arch, KMDF 1.33 unless given), and said so.
 */
export function readInf(bytes: Uint8Array, file: string, options: InfOptions, note: (text: string) => void): InfFile {
  let input: Uint8Array | string = bytes;
  if (/\.inx$/i.test(file) || inxPlaceholders(decodeInfBytes(bytes).text).length > 0) {
    const filled = fillInxPlaceholders(bytes, { arch: options.arch, kmdfVersion: options.kmdfVersion ?? '1.33' });
    input = filled.text;
    note(
      `${file} is a stampinf template: filled ${filled.filled.join(', ') || 'no placeholders'}${filled.unfilled.length > 0 ? `; left ${filled.unfilled.join(', ')}` : ''} (--arch, --kmdf-version)`,
    );
  }
  return parseInf(input, { file, style: 'lint' });
}

export function select(inf: InfFile, options: InfOptions): { report: SelectionReport; chosen: Selection } {
  if (options.hwid === undefined) throw new InfCommandError('--hwid ID names the device (its hardware ID, e.g. PCI\\VEN_10EC&DEV_8168)');
  const report = selectDriver(inf, { arch: options.arch, hardwareIds: [options.hwid] });
  if (report.chosen === null) {
    throw new InfCommandError(`${inf.file} has no driver for ${options.hwid} on ${options.arch}: ${report.why.join('; ') || 'no Models entry matches'}`);
  }
  return { report, chosen: report.chosen };
}

/** The lines of every section an AddReg/DelReg/BitReg entry of `section` names, for applyRegistryDirectives. */
export function registryDirectives(inf: InfFile, section: string): RegDirectiveSections[] {
  const out: RegDirectiveSections[] = [];
  for (const directive of ['AddReg', 'DelReg', 'BitReg'] as const) {
    for (const entry of inf.findLines(section, directive)) {
      const lines = inf
        .fieldsOf(entry)
        .filter((name) => name.trim() !== '')
        .flatMap((name) => (inf.section(name.trim()) ?? []).map((l) => ({ fields: inf.fieldsOf(l), line: l.line })));
      out.push({ directive, lines });
    }
  }
  return out;
}

function entryNumber(inf: InfFile, section: string, key: string): number | undefined {
  const line = inf.findLine(section, key);
  if (line === undefined) return undefined;
  return infInt(inf.fieldsOf(line)[0] ?? '') ?? undefined;
}

/** The options createAdapterInstance needs, read from the INF and the selection. */
export function instanceOptions(inf: InfFile, chosen: Selection, extra: { time?: Date; guid?: string }): AdapterInstanceOptions {
  const section = chosen.installSection;
  const driverVer = readDriverVer(inf, section);
  const providerLine = inf.findLine('Version', 'Provider');
  const busLine = inf.findLine(section, 'BusType');
  return {
    description: chosen.description,
    provider: providerLine === undefined ? '' : inf.fieldsOf(providerLine).join(','),
    driverDate: driverVer.date ?? { year: 1601, month: 1, day: 1 },
    driverVersion: driverVer.version ?? '0.0.0.0',
    // Windows stores the name of the INF's copy in %windir%\INF (oemNNN.inf); offline there is none, so
    // the file's own name stands in (inf.md §12.2).
    infPath: basename(inf.file),
    infSection: chosen.installSectionBase,
    infSectionExt: chosen.installSectionExt,
    matchingDeviceId: chosen.matchingDeviceId,
    characteristics: entryNumber(inf, section, 'Characteristics'),
    busType: busLine === undefined ? undefined : inf.fieldsOf(busLine)[0],
    ifType: entryNumber(inf, section, '*IfType'),
    mediaType: entryNumber(inf, section, '*MediaType'),
    physicalMediaType: entryNumber(inf, section, '*PhysicalMediaType'),
    netCfgInstanceId: extra.guid,
    time: extra.time,
    file: inf.file,
  };
}

export interface InstallResult {
  instance: AdapterInstance;
  findings: (InfFinding | { file: string; line: number; severity: string; code: string; message: string })[];
}

/** Installs the chosen driver into a SYSTEM hive in memory (the caller commits). */
export function installInto(hive: Hive | Registry, inf: InfFile, chosen: Selection, extra: { time?: Date; guid?: string }): InstallResult {
  const options = instanceOptions(inf, chosen, extra);
  const directives = registryDirectives(inf, chosen.installSection);
  let registryFindings: InstallResult['findings'] = [];
  const instance = createAdapterInstance(hive, {
    ...options,
    install: (hkr: KeyNode) => {
      registryFindings = applyRegistryDirectives(directives, { hkr, file: inf.file }).findings;
    },
  });
  return { instance, findings: [...inf.findings, ...registryFindings, ...instance.findings] };
}

/** What `inf show` prints: the selection and the keys and values an install would write. */
export function describeInstall(inf: InfFile, report: SelectionReport, chosen: Selection, extra: { time?: Date; guid?: string }): string {
  const lines: string[] = [];
  lines.push(`${inf.file}: ${chosen.description}`);
  lines.push(`  manufacturer  ${chosen.manufacturer}`);
  lines.push(
    `  models        [${chosen.modelsSection}] line ${chosen.modelLine}: ${chosen.infHardwareId}${chosen.infCompatibleIds.length > 0 ? `, ${chosen.infCompatibleIds.join(', ')}` : ''}`,
  );
  lines.push(`  matched       ${chosen.matchingDeviceId} (rank 0x${chosen.rank.toString(16).padStart(8, '0')})`);
  lines.push(`  install       [${chosen.installSection}] (InfSection ${chosen.installSectionBase}, InfSectionExt ${chosen.installSectionExt || '""'})`);
  for (const why of [...report.why, ...chosen.why]) lines.push(`  why           ${why}`);
  const others = report.candidates.filter((c) => c !== chosen);
  for (const other of others) lines.push(`  also matched  ${other.description} [${other.installSection}] rank 0x${other.rank.toString(16).padStart(8, '0')}`);
  // A dry run on a scratch SYSTEM-shaped hive shows exactly what would be written.
  const scratch = Hive.create({ rootName: 'SYSTEM' });
  const select = scratch.root().addSubkey('Select');
  select.setValue('Current', 4, Uint8Array.of(1, 0, 0, 0));
  scratch.root().addSubkey('ControlSet001');
  const { instance } = installInto(scratch, inf, chosen, extra);
  lines.push('', `would write HKLM\\SYSTEM\\CurrentControlSet\\Control\\Class\\{4d36e972-e325-11ce-bfc1-08002be10318}\\NNNN:`);
  const stack: { key: KeyNode; path: string }[] = [{ key: instance.key.node, path: '' }];
  while (stack.length > 0) {
    const { key, path } = stack.shift()!;
    lines.push(`  [NNNN${path}]`);
    for (const value of key.values()) {
      const data = value.data();
      const shown =
        value.type === 1 || value.type === 2
          ? JSON.stringify(decodeString(data))
          : value.type === 7
            ? JSON.stringify(decodeMultiString(data))
            : value.type === 4 && data.length === 4
              ? `0x${new DataView(data.buffer, data.byteOffset, 4).getUint32(0, true).toString(16)}`
              : Array.from(data, (b) => b.toString(16).padStart(2, '0')).join(' ');
      lines.push(`    ${value.name === '' ? '@' : value.name} (${value.type}) = ${shown}`);
    }
    for (const child of key.subkeys()) stack.push({ key: child, path: `${path}\\${child.name}` });
  }
  return `${lines.join('\n')}\n`;
}

/**
 * `inf check`: the reader's findings (syntax, undefined %strkey% tokens) first, then the network lint
 * (inf.md §13–§15: Characteristics, BusType, the mandatory and NetAdapterCx keywords, the Ndi key,
 * Ndi\params well-formedness, standardized keywords), each group in file order.
 */
export function checkInf(inf: InfFile, options: InfOptions): InfFinding[] {
  const byLine = (a: InfFinding, b: InfFinding): number => a.line - b.line || a.column - b.column;
  const syntax = [...inf.findings, ...inf.undefinedTokens()].sort(byLine);
  const lint = lintNetworkInf(inf, { arch: options.arch, hardwareId: options.hwid }).sort(byLine);
  return [...syntax, ...lint];
}

export function formatFinding(f: { file: string; line: number; severity: string; code: string; message: string }): string {
  return `${f.file}:${f.line}: ${f.severity} ${f.code} ${f.message}`;
}

export { InfSyntaxError, valueText };
