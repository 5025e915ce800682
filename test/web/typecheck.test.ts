import { spawnSync } from 'node:child_process';
import { createRequire } from 'node:module';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

const ROOT = fileURLToPath(new URL('../../', import.meta.url));
const TSC = createRequire(import.meta.url).resolve('typescript/bin/tsc');

describe('the hive editor page typechecks as browser code (web/tsconfig.json: lib DOM, no Node types)', () => {
  it('tsc -p web/tsconfig.json exits 0', () => {
    const run = spawnSync(process.execPath, [TSC, '-p', 'web/tsconfig.json'], { cwd: ROOT, encoding: 'utf8', timeout: 60_000 });
    expect(run.stdout.split('\n').filter((line) => /error TS\d+/.test(line))).toEqual([]);
    expect(run.status, run.stderr).toBe(0);
  });
});
