import { spawnSync } from 'node:child_process';
import { describe, expect, it } from 'vitest';
import { CLI, cliBuilt, netconfig } from '../support/cli.js';
import { corpusAvailable, corpusPath } from '../support/corpus.js';

/**
 * `reg query KEY /f PATTERN /s` against a brute-force filter over `netconfig dump` of the same hive (a
 * different code path: JSON lines of hex). The patterns hold letters that are not hex digits, so only
 * key names, value names and string data can match them — what the brute force decodes.
 */

interface DumpKey {
  path: string;
  values: [string, number, string][];
}

function strings(type: number, hex: string): string {
  if (type !== 1 && type !== 2 && type !== 7) return '';
  const bytes = Buffer.from(hex, 'hex');
  const text = bytes.subarray(0, bytes.length - (bytes.length % 2)).toString('utf16le');
  if (type === 7) return text;
  const nul = text.indexOf('\0');
  return nul >= 0 ? text.slice(0, nul) : text;
}

describe.skipIf(!cliBuilt || !corpusAvailable())('reg query /f agrees with a brute-force filter over netconfig dump (regipy SYSTEM)', () => {
  const hive = corpusPath('regipy/SYSTEM.xz');
  const dump = spawnSync(process.execPath, [CLI, 'dump', hive], { encoding: 'utf8', maxBuffer: 1 << 28 })
    .stdout.trim()
    .split('\n')
    .map((l) => JSON.parse(l) as DumpKey);
  const start = '\\ControlSet001\\Services';

  for (const [pattern, flags] of [
    ['tcpip', []],
    ['dhcp', ['/k']],
    ['NETBT', ['/d']],
    ['Tcpip', ['/c']],
    ['Start', ['/e']],
  ] as [string, string[]][]) {
    it(`/f ${pattern} ${flags.join(' ')}`, () => {
      const caseSensitive = flags.includes('/c');
      const exact = flags.includes('/e');
      const keysOnly = flags.includes('/k');
      const dataOnly = flags.includes('/d');
      const match = (text: string): boolean => {
        const a = caseSensitive ? text : text.toUpperCase();
        const b = caseSensitive ? pattern : pattern.toUpperCase();
        return exact ? a === b : a.includes(b);
      };
      let expected = 0;
      const keyLines: string[] = [];
      for (const key of dump) {
        if (!key.path.toUpperCase().startsWith(`${start.toUpperCase()}\\`) && key.path.toUpperCase() !== start.toUpperCase()) continue;
        const name = key.path.slice(key.path.lastIndexOf('\\') + 1);
        let headed = false;
        if (key.path.length > start.length && !dataOnly && match(name)) {
          expected++;
          headed = true;
        }
        if (!keysOnly) {
          const hits = key.values.filter(([n, t, hex]) => (!dataOnly && match(n === '' ? '(Default)' : n)) || match(strings(t, hex)));
          expected += hits.length;
          if (hits.length > 0) headed = true;
        }
        // reg.exe prints the start of the path as the user typed it, the rest as stored.
        if (headed) keyLines.push(`HKEY_LOCAL_MACHINE\\SYSTEM${start}${key.path.slice(start.length)}`);
      }
      const result = netconfig(process.cwd(), 'reg', 'query', `HKLM\\SYSTEM${start}`, '/f', pattern, '/s', ...flags, '--hive', hive);
      expect(result.status, result.stderr).toBe(0);
      expect(result.stdout).toMatch(new RegExp(`End of search: ${expected} match\\(es\\) found\\.\\n$`));
      const printed = result.stdout.split('\n').filter((l) => l.startsWith('HKEY_'));
      expect(printed).toEqual(keyLines);
      expect(expected).toBeGreaterThan(0);
    });
  }
});
