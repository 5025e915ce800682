import { spawn, spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { Hive, checkHive } from '../../src/hive/index.js';
import { HiveFile } from '../../src/node/index.js';
import { CLI, cliBuilt } from '../support/cli.js';
import { startFiles } from '../support/dirty-start.js';
import { hivexDump, oraclesAvailable } from '../support/oracles.js';

/**
 * Real `netconfig reg import` processes killed with SIGKILL at random moments (issue 14, Tests), from a
 * clean hive, a dirty hive with one log and a dirty hive with two logs (keys only in LOG2). Afterwards
 * the hive must open (its logs replayed) as the old state (no imported key) or the new one (all of
 * them), with every key the start state had. NETCONFIG_SIGKILL_RUNS sets the kills per start state.
 */

const RUNS = Number(process.env.NETCONFIG_SIGKILL_RUNS ?? 12);
const KEYS = 1500;
const root = mkdtempSync(join(tmpdir(), 'netconfig-sigkill-import-'));

const REG = (() => {
  let text = 'Windows Registry Editor Version 5.00\r\n\r\n';
  for (let i = 0; i < KEYS; i++) text += `[HKEY_LOCAL_MACHINE\\X\\Imported\\K${i}]\r\n"v"="${'x'.repeat(i % 50)}"\r\n\r\n`;
  return text;
})();

async function killOnce(dir: string, files: Map<string, Uint8Array>, logs: number, delayMs: number): Promise<'old' | 'new'> {
  mkdirSync(dir);
  for (const [name, bytes] of files) writeFileSync(join(dir, name), bytes);
  writeFileSync(join(dir, 'in.reg'), REG);
  const child = spawn(process.execPath, [CLI, 'reg', 'import', 'in.reg', '--hive', 'H', '--mount', 'HKLM\\X'], { cwd: dir, stdio: 'ignore' });
  const exit = new Promise<void>((resolve) => child.on('close', () => resolve()));
  await new Promise((resolve) => setTimeout(resolve, delayMs));
  child.kill('SIGKILL');
  await exit;
  const hive = HiveFile.open(join(dir, 'H'), { recover: true }).hive;
  expect(checkHive(hive.bytes.slice(0, 4096 + hive.hiveBinsSize)).filter((v) => v.severity === 'error')).toEqual([]);
  expect(hive.root().subkey('Start')).toBeDefined();
  if (logs >= 1) expect(hive.root().subkey('fromLog1')).toBeDefined();
  if (logs >= 2) expect(hive.root().subkey('fromLog2')!.subkeys().length).toBe(200);
  const imported = hive.root().subkey('Imported')?.subkeys().length ?? 0;
  expect([0, KEYS]).toContain(imported);
  // The next writer is not held up by the killed one's lock.
  const next = spawnSync(process.execPath, [CLI, 'reg', 'add', 'HKLM\\X\\After', '/f', '--hive', 'H', '--mount', 'HKLM\\X', '--wait', '0'], {
    cwd: dir,
    encoding: 'utf8',
  });
  expect(next.status, next.stderr).toBe(0);
  return imported === 0 ? 'old' : 'new';
}

describe.skipIf(!cliBuilt)('SIGKILL sweep over real reg import processes', () => {
  // How long one import takes here, so kills spread over its whole life.
  const probe = join(root, 'probe');
  mkdirSync(probe);
  writeFileSync(join(probe, 'H'), startFiles(0).get('H')!);
  writeFileSync(join(probe, 'in.reg'), REG);
  const started = Date.now();
  spawnSync(process.execPath, [CLI, 'reg', 'import', 'in.reg', '--hive', 'H', '--mount', 'HKLM\\X'], { cwd: probe });
  const duration = Math.max(50, Date.now() - started);

  for (const [name, logs] of [
    ['clean', 0],
    ['dirty, one log', 1],
    ['dirty, two logs', 2],
  ] as const) {
    it(
      `${name}: ${RUNS} kills, every outcome old or new`,
      async () => {
        const files = startFiles(logs, 200);
        const outcomes = { old: 0, new: 0 };
        for (let run = 0; run < RUNS; run++) {
          // Spread over the run, with extra weight on its end, where the commit happens.
          const delay = Math.round(duration * (run % 2 === 0 ? Math.random() : 0.7 + 0.4 * Math.random()));
          outcomes[await killOnce(join(root, `${logs}-${run}`), files, logs, delay)]++;
        }
        console.log(`sigkill reg import, ${name}: ${RUNS} kills → ${outcomes.old} old, ${outcomes.new} new`);
        expect(outcomes.old + outcomes.new).toBe(RUNS);
      },
      60_000 + RUNS * 10_000,
    );
  }

  it.skipIf(!oraclesAvailable('hivexDump'))(
    '8 reg add processes × 25 values into one hive: all 200 present (hivex-dump)',
    async () => {
      const dir = join(root, 'concurrent');
      mkdirSync(dir);
      writeFileSync(join(dir, 'H'), Hive.create().serialize());
      const script =
        'for j in $(seq 1 25); do node "$0" reg add "HKLM\\X\\Concurrent" /v "w$1-$j" /t REG_DWORD /d $j /f --hive H --mount "HKLM\\X" --wait 60 >/dev/null || exit 1; done';
      const writers = Array.from(
        { length: 8 },
        (_, w) =>
          new Promise<number>((resolve) =>
            spawn('sh', ['-c', script, CLI, String(w)], { cwd: dir, stdio: 'ignore' }).on('close', (code) => resolve(code ?? -1)),
          ),
      );
      expect(await Promise.all(writers)).toEqual(Array(8).fill(0));
      const dump = hivexDump(join(dir, 'H')).stdout;
      const line = dump.split('\n').find((l) => l.includes('"\\\\Concurrent"'))!;
      const names = (JSON.parse(line) as { values: [string][] }).values.map((v) => v[0]);
      expect(new Set(names).size).toBe(200);
    },
    120_000,
  );
});
