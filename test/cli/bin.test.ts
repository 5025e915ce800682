import { spawnSync } from 'node:child_process';
import { chmodSync, existsSync, mkdirSync, mkdtempSync, readdirSync, rmSync, statSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import { Hive, ValueType } from '../../src/hive/index.js';

/**
 * The installed command (package.json bin → dist/cli/bin.cjs): the one-file bundle run with a V8 code
 * cache in the temporary folder. It must behave exactly as dist/cli/main.js, with or without a cache,
 * and never trust a cache folder others can write.
 */
const BIN = fileURLToPath(new URL('../../dist/cli/bin.cjs', import.meta.url));
const MAIN = fileURLToPath(new URL('../../dist/cli/main.js', import.meta.url));
const built = existsSync(BIN) && existsSync(MAIN);
const uid = process.getuid?.();

describe.skipIf(!built)('the bundled netconfig bin', () => {
  const dir = mkdtempSync(join(tmpdir(), 'netconfig-bin-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));
  const hive = join(dir, 'small.hiv');
  const built = Hive.create();
  built
    .root()
    .ensurePath('Test')
    .setValue('Foo', ValueType.REG_DWORD, Uint8Array.of(5, 0, 0, 0));
  writeFileSync(hive, built.serialize());

  const run = (script: string, args: string[], env: Record<string, string> = {}) => {
    const result = spawnSync(process.execPath, [script, ...args], { cwd: dir, encoding: 'utf8', env: { ...process.env, ...env }, timeout: 30_000 });
    return { status: result.status, stdout: result.stdout, stderr: result.stderr };
  };
  const commands = [
    ['reg', 'query', 'HKLM\\SOFTWARE\\Test', '--hive', hive, '--mount', 'HKLM\\SOFTWARE'],
    ['dump', hive],
    ['reg', 'query', 'HKLM\\SOFTWARE\\Missing', '--hive', hive, '--mount', 'HKLM\\SOFTWARE'],
    ['bogus'],
    ['--version'],
  ];

  it('prints what main.js prints and exits as it does, with a cache made on the first run and used on the second', () => {
    const temp = join(dir, 'tmp1');
    mkdirSync(temp);
    const cacheFolder = join(temp, `netconfig-compile-cache${uid === undefined ? '' : `-${uid}`}`);
    for (const args of commands) {
      const expected = run(MAIN, args);
      for (let round = 0; round < 2; round++) expect(run(BIN, args, { TMPDIR: temp }), `${args.join(' ')} (run ${round + 1})`).toEqual(expected);
    }
    expect(readdirSync(cacheFolder).sort()).toEqual([
      expect.stringMatching(/-dump\.v8$/),
      expect.stringMatching(/-other\.v8$/),
      expect.stringMatching(/-reg\.v8$/),
    ]);
  });

  it('runs with a damaged cache file (V8 rejects it) and replaces it', () => {
    const temp = join(dir, 'tmp2');
    mkdirSync(temp);
    const args = commands[0]!;
    const expected = run(MAIN, args);
    expect(run(BIN, args, { TMPDIR: temp })).toEqual(expected);
    const folder = join(temp, readdirSync(temp)[0]!);
    const file = join(folder, readdirSync(folder)[0]!);
    writeFileSync(file, 'not a code cache');
    expect(run(BIN, args, { TMPDIR: temp })).toEqual(expected);
    expect(statSync(file).size).toBeGreaterThan(1000);
  });

  it('writes no cache with NODE_DISABLE_COMPILE_CACHE, nor into a folder others may write or a symbolic link', () => {
    const temp = join(dir, 'tmp3');
    mkdirSync(temp);
    const args = commands[0]!;
    const expected = run(MAIN, args);
    expect(run(BIN, args, { TMPDIR: temp, NODE_DISABLE_COMPILE_CACHE: '1' })).toEqual(expected);
    expect(readdirSync(temp)).toEqual([]);
    if (process.platform === 'win32') return;
    const folder = join(temp, `netconfig-compile-cache${uid === undefined ? '' : `-${uid}`}`);
    mkdirSync(folder);
    chmodSync(folder, 0o777);
    expect(run(BIN, args, { TMPDIR: temp })).toEqual(expected);
    expect(readdirSync(folder)).toEqual([]);
    // A symbolic link in its place (someone else could have planted it in a shared /tmp) is not followed.
    rmSync(folder, { recursive: true });
    const elsewhere = join(temp, 'elsewhere');
    mkdirSync(elsewhere, { mode: 0o700 });
    symlinkSync(elsewhere, folder);
    expect(run(BIN, args, { TMPDIR: temp })).toEqual(expected);
    expect(readdirSync(elsewhere)).toEqual([]);
  });
});
