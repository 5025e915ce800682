import type { InfFile, InfFinding } from './reader.js';

/**
 * `DriverVer = mm/dd/yyyy[,w.x.y.z]` (inf.md §5.3; D:install/inf-driverver-directive.md): month and day two
 * digits, year four, `-` may replace `/`; each version part an integer 0 ≤ n < 65535; `0.0.0.0` is invalid. A
 * DriverVer in the DDInstall section takes precedence over [Version]; a missing or invalid date reads as
 * 00/00/0000 (date null here). In DDInstall the version part is optional (D:install/inf-ddinstall-section.md).
 */
export interface DriverVer {
  /** Where it came from: the DDInstall section's name, 'Version', or null when neither has one. */
  source: string | null;
  line: number;
  /** The date as written when valid; null = 00/00/0000. */
  date: { year: number; month: number; day: number } | null;
  /** `w.x.y.z` with four parts (missing parts are 0), or null. */
  version: string | null;
  /** The four parts as numbers, or null. */
  versionParts: [number, number, number, number] | null;
  findings: InfFinding[];
}

function parseDate(text: string): DriverVer['date'] {
  const m = /^(\d{2})[/-](\d{2})[/-](\d{4})$/.exec(text.trim());
  if (!m) return null;
  const month = Number(m[1]);
  const day = Number(m[2]);
  const year = Number(m[3]);
  if (month < 1 || month > 12 || day < 1 || day > 31) return null;
  return { year, month, day };
}

function parseVersion(text: string): [number, number, number, number] | null {
  const parts = text.trim().split('.');
  if (parts.length < 1 || parts.length > 4) return null;
  const numbers: number[] = [];
  for (const part of parts) {
    if (!/^\d+$/.test(part)) return null;
    const n = Number(part); // decimal digits only: a leading zero is not octal in a version
    if (n >= 65535) return null;
    numbers.push(n);
  }
  while (numbers.length < 4) numbers.push(0);
  if (numbers.every((n) => n === 0)) return null;
  return numbers as [number, number, number, number];
}

/** The DriverVer that applies to an install: the DDInstall section's (when given and present), else [Version]'s. */
export function readDriverVer(inf: InfFile, installSection?: string): DriverVer {
  const findings: InfFinding[] = [];
  const fromInstall = installSection !== undefined ? inf.findLine(installSection, 'DriverVer') : undefined;
  const line = fromInstall ?? inf.findLine('Version', 'DriverVer');
  if (!line) return { source: null, line: 0, date: null, version: null, versionParts: null, findings };
  const source = fromInstall ? inf.sectionInfo(installSection!)!.name : 'Version';
  const [dateText = '', versionText] = inf.fieldsOf(line);
  const at = { file: inf.file, line: line.line, column: line.column };
  const date = parseDate(dateText);
  if (!date)
    findings.push({
      ...at,
      severity: 'error',
      code: 'INF_BAD_DRIVERVER_DATE',
      message: `DriverVer date "${dateText}" is not mm/dd/yyyy; it reads as 00/00/0000 (inf.md §5.3)`,
    });
  let versionParts: DriverVer['versionParts'] = null;
  if (versionText !== undefined && versionText.trim() !== '') {
    versionParts = parseVersion(versionText);
    if (!versionParts)
      findings.push({
        ...at,
        severity: 'error',
        code: 'INF_BAD_DRIVERVER_VERSION',
        message: `DriverVer version "${versionText}" is not w.x.y.z with parts below 65535 and not 0.0.0.0 (inf.md §5.3)`,
      });
  } else if (!fromInstall) {
    findings.push({ ...at, severity: 'warning', code: 'INF_DRIVERVER_NO_VERSION', message: 'DriverVer in [Version] has no version part (inf.md §5.3)' });
  }
  return { source, line: line.line, date, version: versionParts ? versionParts.join('.') : null, versionParts, findings };
}
