import { execFileSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { AUDIT_ROWS } from './rows.js';

/**
 * Every `path@commit:lines` an audit row cites names a file that exists at that commit and lines it
 * has. Needs local git copies of the two repositories (the session's `fetch` mirrors); skipped without.
 */
const MIRRORS: Record<string, string> = {
  'microsoft/Network-Adapter-Class-Extension': '/work/.mirror/microsoft+Network-Adapter-Class-Extension/repo',
  'microsoft/Windows-Driver-Frameworks': '/work/.mirror/microsoft+Windows-Driver-Frameworks/repo',
};
const available = Object.values(MIRRORS).every((dir) => existsSync(dir));

describe.skipIf(!available)('audit citations', () => {
  it('name existing files and line ranges at their commits', () => {
    const lineCounts = new Map<string, number>();
    const problems: string[] = [];
    for (const cite of new Set(AUDIT_ROWS.flatMap((row) => row.cites))) {
      const match = /^(.+)@([0-9a-f]{7}):(\d+)(?:-(\d+))?$/.exec(cite);
      if (!match) {
        problems.push(`${cite}: not path@commit:lines`);
        continue;
      }
      const [, path = '', commit = '', first = '0', last] = match;
      const repo = path.startsWith('src/') ? MIRRORS['microsoft/Windows-Driver-Frameworks'] : MIRRORS['microsoft/Network-Adapter-Class-Extension'];
      const key = `${repo}|${commit}:${path}`;
      let count = lineCounts.get(key);
      if (count === undefined) {
        try {
          count = execFileSync('git', ['-C', repo ?? '', 'show', `${commit}:${path}`], { encoding: 'utf8', maxBuffer: 1 << 26 }).split('\n').length;
        } catch {
          count = -1;
        }
        lineCounts.set(key, count);
      }
      const end = Number(last ?? first);
      if (count < 0) problems.push(`${cite}: no such file at that commit`);
      else if (Number(first) < 1 || end < Number(first) || end > count) problems.push(`${cite}: the file has ${count} lines`);
    }
    expect(problems).toEqual([]);
  });
});
