import { decodeInfBytes } from './decode.js';
import type { InfArch } from './select.js';

/**
 * Stampinf's `.inx` variables (inf.md §16; D:wdf/using-inx-files-to-create-inf-files.md,
 * D:devtest/stampinf-command-options.md): `$ARCH$`, `$KMDFVERSION$`, `$KMDFCOINSTALLERVERSION$`,
 * `$UMDFVERSION$`, `$UMDFCOINSTALLERVERSION$`, and the DriverVer / CatalogFile entries Stampinf writes.
 *
 * `$ARCH$` becomes the decoration's architecture name (`x86`, `amd64`, `arm64`, …), since it is used as
 * `NT$ARCH$` and a decoration must say `amd64` (§6.2). What Stampinf's own `-a x64` writes is [unknown] (§16);
 * the WDK build passes the decoration name, which is what an installable INF needs.
 */

/**
 * The values {@link fillInxPlaceholders} puts into an INX template: architecture, KMDF/UMDF versions, DriverVer and CatalogFile.
 */
export interface InxValues {
  arch?: InfArch;
  /** `major.minor`, e.g. `1.33`; also fills `$KMDFCOINSTALLERVERSION$` as `01033` (§16: 1.5 → 01005). */
  kmdfVersion?: string;
  umdfVersion?: string;
  /** `mm/dd/yyyy,w.x.y.z` written as `DriverVer` in [Version] (replacing an existing entry, or added). */
  driverVer?: string;
  /** Written as `CatalogFile` in [Version] when given. */
  catalogFile?: string;
}

/**
 * What {@link fillInxPlaceholders} returns: the INF text and which `$NAME$` placeholders were filled or left.
 */
export interface InxResult {
  text: string;
  /** Placeholders replaced, and those left because no value was given or the name is unknown. */
  filled: string[];
  unfilled: string[];
}

const PLACEHOLDER = /\$([A-Z][A-Z0-9_]*)\$/g;

/** `1.5` → `01005`; null for anything else than `major.minor`. */
function coinstallerVersion(version: string): string | null {
  const m = /^(\d{1,2})\.(\d{1,3})$/.exec(version.trim());
  if (!m) return null;
  return m[1]!.padStart(2, '0') + m[2]!.padStart(3, '0');
}

/** The `$NAME$` placeholders in a text, each once, in order of appearance. */
export function inxPlaceholders(text: string): string[] {
  return [...new Set([...text.matchAll(PLACEHOLDER)].map((m) => m[0]))];
}

/** Sets `key = value` in the [Version] section of INF text: replaces the first such line, else adds one. */
function setVersionEntry(text: string, key: string, value: string): string {
  const lines = text.split('\n');
  let inVersion = false;
  let versionHeader = -1;
  for (let i = 0; i < lines.length; i++) {
    const trimmed = lines[i]!.trim();
    if (trimmed.startsWith('[')) {
      inVersion = /^\[version\]/i.test(trimmed);
      if (inVersion && versionHeader < 0) versionHeader = i;
      continue;
    }
    if (inVersion && new RegExp(`^\\s*${key}\\s*=`, 'i').test(lines[i]!)) {
      const cr = lines[i]!.endsWith('\r') ? '\r' : '';
      const prefix = /^\s*[^=]*=\s*/.exec(lines[i]!)![0];
      lines[i] = `${prefix}${value}${cr}`;
      return lines.join('\n');
    }
  }
  if (versionHeader < 0) return text;
  const cr = lines[versionHeader]!.endsWith('\r') ? '\r' : '';
  lines.splice(versionHeader + 1, 0, `${key} = ${value}${cr}`);
  return lines.join('\n');
}

/** Fills the placeholders for which a value is given, as Stampinf would; others stay as written. */
export function fillInxPlaceholders(input: string | Uint8Array, values: InxValues): InxResult {
  let text = typeof input === 'string' ? input : decodeInfBytes(input).text;
  const table: Record<string, string | undefined> = {
    ARCH: values.arch,
    KMDFVERSION: values.kmdfVersion,
    KMDFCOINSTALLERVERSION: values.kmdfVersion !== undefined ? (coinstallerVersion(values.kmdfVersion) ?? undefined) : undefined,
    UMDFVERSION: values.umdfVersion,
    UMDFCOINSTALLERVERSION: values.umdfVersion !== undefined ? (coinstallerVersion(values.umdfVersion) ?? undefined) : undefined,
  };
  const filled = new Set<string>();
  const unfilled = new Set<string>();
  text = text.replace(PLACEHOLDER, (whole, name: string) => {
    const value = table[name];
    if (value === undefined) {
      unfilled.add(whole);
      return whole;
    }
    filled.add(whole);
    return value;
  });
  if (values.driverVer !== undefined) text = setVersionEntry(text, 'DriverVer', values.driverVer);
  if (values.catalogFile !== undefined) text = setVersionEntry(text, 'CatalogFile', values.catalogFile);
  return { text, filled: [...filled], unfilled: [...unfilled] };
}
