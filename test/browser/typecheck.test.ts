import { spawnSync } from 'node:child_process';
import { createRequire } from 'node:module';
import { relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

const ROOT = fileURLToPath(new URL('../../', import.meta.url));
const TSC = createRequire(import.meta.url).resolve('typescript/bin/tsc');

describe('the core typechecks as browser code (tsconfig.browser.json: lib DOM, no Node types)', () => {
  it('tsc -p tsconfig.browser.json --noEmit exits 0, having read only core sources and no @types/node', () => {
    const run = spawnSync(process.execPath, [TSC, '-p', 'tsconfig.browser.json', '--noEmit', '--listFiles'], { cwd: ROOT, encoding: 'utf8', timeout: 60_000 });
    const files = run.stdout
      .split('\n')
      .filter((line) => line.startsWith('/'))
      .map((path) => relative(ROOT, path));
    const diagnostics = run.stdout.split('\n').filter((line) => /error TS\d+/.test(line));
    expect(diagnostics, 'type errors (file(line,col): error TSnnnn)').toEqual([]);
    expect(run.status, run.stderr).toBe(0);
    expect(files.filter((path) => path.includes('@types/node'))).toEqual([]);
    // What a browser build sees of the standard library: DOM is in, so crypto.subtle and TextEncoder type.
    expect(files.some((path) => /typescript\/lib\/lib\.dom\.d\.ts$/.test(path))).toBe(true);
    const sources = files.filter((path) => !path.startsWith('node_modules/'));
    expect(
      sources.filter((path) => !/^src\/(hive|registry|regfile|netadapter|inf)\//.test(path)),
      'only core sources (an import into src/node or src/cli would pull them in)',
    ).toEqual([]);
    for (const layer of ['hive', 'registry', 'regfile', 'netadapter', 'inf'])
      expect(
        sources.some((path) => path.startsWith(`src/${layer}/`)),
        layer,
      ).toBe(true);
  });
});
