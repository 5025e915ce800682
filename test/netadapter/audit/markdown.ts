import { RELEASES } from '../../../src/netadapter/index.js';
import type { Release } from '../../../src/netadapter/index.js';
import { FUNCTIONS, outcomeText } from './harness.js';
import type { AuditRow } from './harness.js';

/** Where the generated tables live, relative to the repository root. */
export const AUDIT_MARKDOWN_PATH = 'docs/audit/netconfiguration.md';

/** "1703–2100", "1809–1903", "2100" … for a contiguous release list; comma-joined otherwise. */
export function releaseRange(releases: readonly Release[]): string {
  const indexes = releases.map((r) => RELEASES.indexOf(r)).sort((a, b) => a - b);
  const contiguous = indexes.every((index, i) => i === 0 || index === (indexes[i - 1] ?? 0) + 1);
  if (!contiguous) return releases.join(', ');
  const first = releases[0] ?? '';
  const last = releases[releases.length - 1] ?? '';
  return first === last ? first : `${first}–${last}`;
}

const cell = (text: string): string => text.replace(/\|/g, '\\|').replace(/\n/g, ' ');

/** The markdown document the rows generate; a test keeps docs/audit/netconfiguration.md equal to it. */
export function renderAudit(rows: readonly AuditRow[]): string {
  const lines: string[] = [
    '# NETCONFIGURATION source audit',
    '',
    '<!-- Generated from test/netadapter/audit/*.ts by `UPDATE_AUDIT=1 npx vitest run test/netadapter/audit`; do not edit. -->',
    '',
    'Each row is one input class of one function on one backend, for the releases listed, read from the',
    'NetAdapterCx source (`microsoft/Network-Adapter-Class-Extension`, the commit of each release: 1703 `4f41254`,',
    '1803 `7bf48b0`, 1809 `001ce6f`, 1903 `55f65cf`, 2004 `e54583a`, 2100 `ca1e33c`) and, for the device backend, the',
    'KMDF source it delegates to (`microsoft/Windows-Driver-Frameworks` `3b9780e`, Windows 10.0.22621). Citations are',
    '`path@commit:lines` in those repositories. Every row runs as a test against the model',
    '(`test/netadapter/audit/audit.test.ts`) on each release it lists.',
    '',
    'Columns: **rel.** releases the row holds for; **status** what the call returns (or the bug check it ends',
    'in); **out** the out-parameter afterwards; **objects** WDF objects created, left or deleted and their parents.',
    '',
    `${rows.length} rows; ${rows.filter((row) => row.gap).length} of them describe behaviour the model does not have yet (**model gap**; their tests assert that the model still differs, so closing a gap means dropping its mark).`,
    '',
  ];
  for (const fn of FUNCTIONS) {
    const group = rows.filter((row) => row.fn === fn);
    if (group.length === 0) continue;
    lines.push(`## ${fn}`, '', `${group.length} rows.`, '');
    lines.push('| backend | case | rel. | input | status | out | objects | source | note |', '|---|---|---|---|---|---|---|---|---|');
    for (const row of group) {
      lines.push(
        `| ${row.backend} | ${cell(row.id)} | ${releaseRange(row.releases)} | ${cell(row.input)} | ${outcomeText(row.expected)} | ${cell(row.out)} | ${cell(
          row.objects,
        )} | ${row.cites.map((c) => `\`${c}\``).join('<br>')} | ${cell([row.note, row.gap && `**model gap:** ${row.gap}`].filter(Boolean).join(' — '))} |`,
      );
    }
    lines.push('');
  }
  return `${lines.join('\n')}\n`;
}
