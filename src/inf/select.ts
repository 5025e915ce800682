import { LINE_LEN, infInt } from './reader.js';
import type { InfFile, InfFinding, InfLine } from './reader.js';

/**
 * Driver selection: `[Manufacturer]` → Models section by TargetOSVersion decoration (inf.md §6), device-ID
 * matching and rank (§7), DDInstall by platform extension with its companions, Include and Needs (§8).
 * The Microsoft documentation decides (D:install/inf-manufacturer-section.md,
 * combining-platform-extensions-with-operating-system-versions.md, identifier-score--windows-vista-and-later-.md,
 * creating-inf-files-for-multiple-platforms-and-operating-systems.md); where it is silent or contradicts
 * itself the choice is named in the code and is an option.
 */

/** A processor architecture as INF decorations name it (`NTamd64` → `amd64`). */
export type InfArch = 'x86' | 'amd64' | 'arm64' | 'arm' | 'ia64';

/** Every INF architecture decoration this reader knows. */
export const INF_ARCHES: readonly InfArch[] = ['x86', 'amd64', 'arm64', 'arm', 'ia64'];

/**
 * A Windows version for matching INF `TargetOSVersion` decorations: major, minor, build, product type and suite mask.
 */
export interface OsVersion {
  major: number;
  minor: number;
  build: number;
  /** VER_NT_WORKSTATION 1, DOMAIN_CONTROLLER 2, SERVER 3. Default 1. */
  productType?: number;
  /** VER_SUITE_* bits present. Default 0. */
  suiteMask?: number;
}

/** Windows 11 24H2 workstation: the default platform when the caller gives none. */
export const DEFAULT_OS: OsVersion = { major: 10, minor: 0, build: 26100, productType: 1, suiteMask: 0 };

/** The machine a driver is selected for: its architecture and Windows version. */
export interface Platform {
  arch: InfArch;
  os?: OsVersion;
  /**
   * Whether a Models section without an architecture (undecorated, `NT`, `NT.6.0`) applies on non-x86. The
   * docs conflict (§6.6): the platform table says x86 only since Server 2003 SP1 (default 'x86-only'); the
   * decoration-processing page says any platform ('any').
   */
  archless?: 'x86-only' | 'any';
}

/** A parsed TargetOSVersion (§6.2). Absent parts are undefined. */
export interface TargetOsVersion {
  text: string;
  arch?: InfArch;
  major?: number;
  minor?: number;
  productType?: number;
  suiteMask?: number;
  build?: number;
}

function decorationNumber(text: string): number | undefined | null {
  if (text === '') return undefined;
  const n = infInt(text);
  return n === null || n < 0 ? null : n;
}

/** Parses `NT[arch][.[major][.[minor][.[productType][.[suiteMask][.[build]]]]]]`; null when it is not one. */
export function parseTargetOsVersion(text: string): TargetOsVersion | null {
  const m = /^nt([a-z0-9]*)((?:\.[^.]*){0,5})$/i.exec(text.trim());
  if (!m) return null;
  const result: TargetOsVersion = { text: text.trim() };
  const arch = m[1]!.toLowerCase();
  if (arch !== '') {
    if (!(INF_ARCHES as readonly string[]).includes(arch)) return null;
    result.arch = arch as InfArch;
  }
  const parts = m[2] === '' ? [] : m[2]!.slice(1).split('.');
  const keys = ['major', 'minor', 'productType', 'suiteMask', 'build'] as const;
  for (let i = 0; i < parts.length; i++) {
    const value = decorationNumber(parts[i]!);
    if (value === null) return null;
    if (value !== undefined) result[keys[i]!] = value;
  }
  return result;
}

/** Why a decoration does or does not apply to the platform (§6.3); `null` reason = applies. */
export function decorationApplies(d: TargetOsVersion, platform: Platform): string | null {
  const os = platform.os ?? DEFAULT_OS;
  if (d.arch === undefined) {
    if (platform.arch !== 'x86' && (platform.archless ?? 'x86-only') === 'x86-only') {
      return `no architecture: applies to x86 only (inf.md §6.6, platform table)`;
    }
  } else if (d.arch !== platform.arch) return `architecture ${d.arch} is not ${platform.arch}`;
  if (d.build !== undefined) {
    // Build numbers were introduced in 10.0.14310; earlier Windows read the whole decoration as invalid (§6.3).
    if (d.build <= 14310 || (d.major ?? 0) < 10) return `a build number needs version 10.0 and a build above 14310 (inf.md §6.3)`;
    if (os.major < 10 || (os.major === 10 && os.minor === 0 && os.build <= 14310)) return `Windows before 10.0.14310 does not read build numbers (inf.md §6.3)`;
  }
  if (d.major !== undefined) {
    const major = d.major;
    const minor = d.minor ?? 0;
    if (os.major < major || (os.major === major && os.minor < minor)) return `needs Windows ${major}.${minor} or later`;
    // The build is compared only when major.minor are equal (§6.3).
    if (os.major === major && os.minor === minor && d.build !== undefined && os.build < d.build) return `needs build ${d.build} or later`;
  }
  if (d.productType !== undefined && d.productType !== 0 && d.productType !== (os.productType ?? 1)) {
    return `product type ${d.productType} is not ${os.productType ?? 1}`;
  }
  if (d.suiteMask !== undefined && ((os.suiteMask ?? 0) & d.suiteMask) !== d.suiteMask) {
    return `suite mask 0x${d.suiteMask.toString(16)} not present`;
  }
  return null;
}

function bits(n: number): number {
  let c = 0;
  for (let v = n >>> 0; v; v &= v - 1) c++;
  return c;
}

/**
 * Orders applicable decorations, best first (§6.4): the highest OS version not above the running OS (a version
 * beats none: the XP example picks `NT.5` over `NT....0x80`), then — our tie-breaks where the docs only say
 * "closest match" — an architecture over none, a product type over none, more suite bits over fewer.
 */
function compareDecorations(a: TargetOsVersion, b: TargetOsVersion): number {
  const version = (d: TargetOsVersion): number[] => (d.major === undefined ? [-1, -1, -1] : [d.major, d.minor ?? 0, d.build ?? 0]);
  const va = version(a);
  const vb = version(b);
  for (let i = 0; i < 3; i++) if (va[i] !== vb[i]) return vb[i]! - va[i]!;
  const specific = (d: TargetOsVersion): number[] => [d.arch ? 1 : 0, d.productType ? 1 : 0, bits(d.suiteMask ?? 0)];
  const sa = specific(a);
  const sb = specific(b);
  for (let i = 0; i < 3; i++) if (sa[i] !== sb[i]) return sb[i]! - sa[i]!;
  return 0;
}

/** What one `[Manufacturer]` line resolves to on a platform. */
export interface ModelsChoice {
  /** The manufacturer line's key, substituted. */
  manufacturer: string;
  line: number;
  /** The undecorated Models section name (field 1). */
  modelsBase: string;
  /** The decorations listed, as written. */
  decorations: string[];
  /** The chosen Models section (decorated name as listed), or null when none applies. */
  modelsSection: string | null;
  /** Whether the chosen section exists in the INF (an empty section exists and blocks, §6.5). */
  exists: boolean;
  why: string[];
}

/**
 * Each `[Manufacturer]` line → its Models section for the platform (§6.3–§6.5). Per line at most one section;
 * when no listed decoration applies, the undecorated section is used if present and applicable (§6.4).
 */
export function resolveModels(inf: InfFile, platform: Platform): ModelsChoice[] {
  const out: ModelsChoice[] = [];
  for (const line of inf.section('Manufacturer') ?? []) {
    const fields = inf.fieldsOf(line);
    const manufacturer = inf.keyOf(line) ?? fields[0] ?? '';
    const modelsBase = (fields[0] ?? '').trim();
    const decorations = fields.slice(1).filter((d) => d !== '');
    const why: string[] = [];
    if (manufacturer.length >= LINE_LEN)
      why.push(`the manufacturer name has ${manufacturer.length} characters; at most ${LINE_LEN - 1} (LINE_LEN, inf.md §1.4)`);
    const applicable: TargetOsVersion[] = [];
    for (const text of decorations) {
      const d = parseTargetOsVersion(text);
      if (!d) {
        why.push(`${modelsBase}.${text}: not a TargetOSVersion (inf.md §6.2)`);
        continue;
      }
      const reason = decorationApplies(d, platform);
      if (reason) why.push(`${modelsBase}.${text}: not applicable — ${reason}`);
      else applicable.push(d);
    }
    let modelsSection: string | null = null;
    if (applicable.length > 0) {
      applicable.sort(compareDecorations);
      const best = applicable[0]!;
      modelsSection = `${modelsBase}.${best.text}`;
      why.push(`${modelsSection}: the best applicable decoration (highest version not above the OS, inf.md §6.4)`);
    } else if (platform.arch === 'x86' || (platform.archless ?? 'x86-only') === 'any') {
      modelsSection = modelsBase;
      why.push(`${modelsBase}: no decoration applies; the undecorated section is used (inf.md §6.4)`);
    } else {
      why.push(`${modelsBase}: no decoration applies and an undecorated Models section applies to x86 only (inf.md §6.6)`);
    }
    const exists = modelsSection !== null && inf.hasSection(modelsSection);
    if (modelsSection !== null && !exists) why.push(`${modelsSection}: no such section — nothing from this manufacturer installs`);
    else if (modelsSection !== null && (inf.section(modelsSection) ?? []).length === 0) {
      why.push(`${modelsSection}: empty — it blocks installation on this platform (inf.md §6.5)`);
    }
    out.push({ manufacturer, line: line.line, modelsBase, decorations, modelsSection, exists, why });
  }
  return out;
}

/**
 * The IDs of the device a driver is selected for: hardware IDs and compatible IDs, most specific first.
 */
export interface DeviceIds {
  /** The device's hardware IDs, most specific first. */
  hardwareIds: readonly string[];
  compatibleIds?: readonly string[];
}

/**
 * The identifier score of one Models entry against a device (D:install/identifier-score--windows-vista-and-later-.md,
 * §7.2), with the device ID that gave it, or null when no ID matches. IDs compare case-insensitively: the docs
 * are silent ([unknown], §7.3), ReactOS uses strcmpiW and PnP IDs are not case-sensitive in practice.
 * `infIds[0]` is the INF hardware ID, the rest its compatible IDs.
 */
export function identifierScore(infIds: readonly string[], device: DeviceIds): { score: number; deviceId: string } | null {
  let best: { score: number; deviceId: string } | null = null;
  const consider = (score: number, deviceId: string): void => {
    if (!best || score < best.score) best = { score, deviceId };
  };
  const norm = infIds.map((id) => id.trim().toLowerCase());
  device.hardwareIds.forEach((id, h) => {
    const d = id.toLowerCase();
    norm.forEach((inf, k) => {
      if (inf === '' || inf !== d) return;
      consider(k === 0 ? h : 0x1000 + h, id);
    });
  });
  (device.compatibleIds ?? []).forEach((id, c) => {
    const d = id.toLowerCase();
    norm.forEach((inf, k) => {
      if (inf === '' || inf !== d) return;
      consider(k === 0 ? 0x2000 + c : 0x3000 + c + 0x100 * (k - 1), id);
    });
  });
  return best;
}

/** `name.nt<arch>`, then `name.nt`, then `name` (§8.1); an empty section counts. Null when none exists. */
export function resolveInstallSection(inf: InfFile, name: string, arch: InfArch): { section: string; extension: string } | null {
  for (const extension of [`.NT${arch}`, '.NT', '']) {
    const candidate = name + extension;
    const info = inf.sectionInfo(candidate);
    if (info) return { section: info.name, extension: info.name.slice(name.length) || extension };
  }
  return null;
}

/**
 * One Models entry that matches the device: where it is in the INF, the DDInstall section it names, and its identifier score and rank.
 */
export interface Selection {
  manufacturer: string;
  /** The Models section actually used (decorated name) and the line of the entry that matched. */
  modelsSection: string;
  modelLine: number;
  /** The Models entry's key, substituted (DriverDesc). */
  description: string;
  /** The INF hardware ID and compatible IDs of the entry, substituted. */
  infHardwareId: string;
  infCompatibleIds: string[];
  /** The device ID that matched (MatchingDeviceId). */
  matchingDeviceId: string;
  /** InfSection: the undecorated DDInstall name from the Models entry. */
  installSectionBase: string;
  /** The DDInstall section used (decorated name as written in the INF). */
  installSection: string;
  /** The file that holds the DDInstall section: the INF itself, or an included INF (§8.1). */
  installFile: string;
  /** InfSectionExt: `.NTamd64`, `.NT` or ''. */
  installSectionExt: string;
  /** Companion sections present in the INF, named from the decorated DDInstall name (§8.2). */
  companions: { services?: string; hw?: string; wdf?: string; coInstallers?: string; interfaces?: string };
  /** Include= files and Needs= sections of the DDInstall section (§8.3), in order. */
  includes: string[];
  needs: { section: string; file: string | null }[];
  identifierScore: number;
  /** FeatureScore of the DDInstall section (first occurrence), else 0xFF (§7.1, §7.5). */
  featureScore: number;
  /** 0xSSGGTHHH (§7.1). */
  rank: number;
  why: string[];
}

/**
 * Options for {@link selectDriver}: the platform, the device's IDs, the signature score and the INFs named by `Include=`.
 */
export interface SelectOptions extends Platform, DeviceIds {
  /** Signature score SS of the rank (§7.1): depends on how the package is signed, which an INF does not say. Default 0. */
  signatureScore?: number;
  /** INFs named by `Include=`, by file name (case-insensitive), for DDInstall and Needs resolution (§8.1). */
  included?: ReadonlyMap<string, InfFile>;
}

/**
 * What {@link selectDriver} returns: the chosen entry, every candidate, the Models sections considered, the reasons and the findings.
 */
export interface SelectionReport {
  /** The best candidate (lowest rank; ties: first in the INF), or null. */
  chosen: Selection | null;
  /** Every matching Models entry, best first. */
  candidates: Selection[];
  models: ModelsChoice[];
  why: string[];
  findings: InfFinding[];
}

const COMPANIONS = [
  ['services', '.Services'],
  ['hw', '.HW'],
  ['wdf', '.Wdf'],
  ['coInstallers', '.CoInstallers'],
  ['interfaces', '.Interfaces'],
] as const;

function directiveValues(inf: InfFile, section: string, directive: string): string[] {
  return inf.findLines(section, directive).flatMap((l) =>
    inf
      .fieldsOf(l)
      .map((f) => f.trim())
      .filter((f) => f !== ''),
  );
}

/** Picks the driver for a device from one INF, as Windows ranks it (§6–§8). Never throws for INF content. */
export function selectDriver(inf: InfFile, options: SelectOptions): SelectionReport {
  const platform: Platform = { arch: options.arch, ...(options.os ? { os: options.os } : {}), ...(options.archless ? { archless: options.archless } : {}) };
  const models = resolveModels(inf, platform);
  const why: string[] = [];
  const findings: InfFinding[] = [];
  const candidates: Selection[] = [];
  if (!inf.hasSection('Manufacturer')) why.push('no [Manufacturer] section: not a device INF');
  const included = new Map<string, InfFile>();
  for (const [name, file] of options.included ?? []) included.set(name.toLowerCase(), file);
  for (const choice of models) {
    why.push(...choice.why.map((w) => `${choice.manufacturer}: ${w}`));
    if (!choice.modelsSection || !choice.exists) continue;
    for (const line of inf.section(choice.modelsSection) ?? []) {
      const candidate = candidateOf(inf, choice, line, options, included, findings);
      if (candidate) candidates.push(candidate);
    }
  }
  candidates.sort((a, b) => a.rank - b.rank);
  const chosen = candidates[0] ?? null;
  if (chosen)
    why.push(
      `chosen: ${chosen.modelsSection} line ${chosen.modelLine} "${chosen.description}" → ${chosen.installSection} (rank 0x${chosen.rank.toString(16).padStart(8, '0')})`,
    );
  else why.push(`no Models entry matches ${[...options.hardwareIds, ...(options.compatibleIds ?? [])].join(', ') || '(no IDs)'}`);
  return { chosen, candidates, models, why, findings };
}

function candidateOf(
  inf: InfFile,
  choice: ModelsChoice,
  line: InfLine,
  options: SelectOptions,
  included: Map<string, InfFile>,
  findings: InfFinding[],
): Selection | null {
  const fields = inf.fieldsOf(line);
  const description = inf.keyOf(line) ?? '';
  const installSectionBase = (fields[0] ?? '').trim();
  const ids = fields.slice(1).map((f) => f.trim());
  const match = identifierScore(ids, options);
  if (!match) return null;
  const why: string[] = [];
  if (description.length >= LINE_LEN) {
    findings.push({
      file: inf.file,
      line: line.line,
      column: line.column,
      severity: 'warning',
      code: 'INF_DESCRIPTION_TOO_LONG',
      message: `a device description of ${description.length} characters; at most ${LINE_LEN - 1} (LINE_LEN, inf.md §1.4)`,
    });
  }
  // name.nt<arch>, name.nt, name — "also in included INFs" (§8.1): the opened INF first, then each INF given.
  let src = inf;
  let resolved = resolveInstallSection(inf, installSectionBase, options.arch);
  for (const other of included.values()) {
    if (resolved) break;
    resolved = resolveInstallSection(other, installSectionBase, options.arch);
    if (resolved) src = other;
  }
  if (!resolved) {
    findings.push({
      file: inf.file,
      line: line.line,
      column: line.column,
      severity: 'error',
      code: 'INF_NO_INSTALL_SECTION',
      message: `none of [${installSectionBase}.NT${options.arch}], [${installSectionBase}.NT], [${installSectionBase}] exists (inf.md §8.1)`,
    });
    why.push(`${installSectionBase}: no DDInstall section for ${options.arch}`);
    return null;
  }
  const section = resolved.section;
  why.push(`${section}: DDInstall for ${options.arch} (tried .NT${options.arch}, .NT, none; inf.md §8.1)${src === inf ? '' : ` in ${src.file}`}`);
  // ExcludeID (§7.5): the entry does not apply to a device that reports an excluded ID.
  const excluded = new Set(directiveValues(src, section, 'ExcludeID').map((x) => x.toLowerCase()));
  const excludedBy = [...options.hardwareIds, ...(options.compatibleIds ?? [])].find((id) => excluded.has(id.toLowerCase()));
  if (excludedBy) {
    why.push(`${section}: ExcludeID lists ${excludedBy}`);
    return null;
  }
  // FeatureScore: only directly in DDInstall, first occurrence (§7.5); unspecified = 0xFF (§7.1).
  const featureLine = src.findLine(section, 'FeatureScore');
  let featureScore = 0xff;
  if (featureLine) {
    const value = infInt(src.fieldsOf(featureLine)[0] ?? '');
    if (value !== null && value >= 0 && value <= 0xff) featureScore = value;
    else
      findings.push({
        file: src.file,
        line: featureLine.line,
        column: featureLine.column,
        severity: 'error',
        code: 'INF_BAD_FEATURESCORE',
        message: 'FeatureScore is not a number 0x00–0xFF (inf.md §7.5)',
      });
  }
  const signatureScore = (options.signatureScore ?? 0) & 0xff;
  const rank = ((signatureScore << 24) | (featureScore << 16) | match.score) >>> 0;
  const companions: Selection['companions'] = {};
  for (const [key, suffix] of COMPANIONS) {
    const info = src.sectionInfo(section + suffix);
    if (info) companions[key] = info.name;
  }
  const includes = directiveValues(src, section, 'Include');
  const needs = directiveValues(src, section, 'Needs').map((name) => {
    if (src.hasSection(name)) return { section: src.sectionInfo(name)!.name, file: src.file };
    for (const file of includes) {
      const other = included.get(file.toLowerCase());
      if (other?.hasSection(name)) return { section: other.sectionInfo(name)!.name, file: other.file };
    }
    if (includes.every((f) => included.has(f.toLowerCase()))) {
      findings.push({
        file: inf.file,
        line: line.line,
        column: line.column,
        severity: 'error',
        code: 'INF_NEEDS_NOT_FOUND',
        message: `Needs=${name} is in neither this INF nor its Include= files (inf.md §8.3)`,
      });
    }
    return { section: name, file: null };
  });
  return {
    manufacturer: choice.manufacturer,
    modelsSection: inf.sectionInfo(choice.modelsSection!)!.name,
    modelLine: line.line,
    description,
    infHardwareId: ids[0] ?? '',
    infCompatibleIds: ids.slice(1),
    matchingDeviceId: match.deviceId,
    installSectionBase,
    installSection: section,
    installFile: src.file,
    installSectionExt: resolved.extension,
    companions,
    includes,
    needs,
    identifierScore: match.score,
    featureScore,
    rank,
    why,
  };
}
