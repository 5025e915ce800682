import { spawn } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { checkHive, decodeUtf16le } from '../../src/hive/index.js';
import { HiveFile } from '../../src/node/index.js';
import { startFiles } from '../support/dirty-start.js';

/**
 * SIGKILL sweep over real processes (issue 14, Tests): a writer process commits batch after batch
 * through HiveFile (open for writing with recovery, 40 values, commit, close) and is killed at a random
 * moment; the hive is then reopened as the next user would. Every outcome must be the state after the
 * last reported commit ("old") or after the one in flight ("new") — never a partial batch, never a
 * lost start key — from a clean hive, a dirty hive with one log and a dirty hive with two logs (keys
 * only in LOG2). NETCONFIG_SIGKILL_RUNS sets the kills per start state (default 20).
 */

const LIBRARY = fileURLToPath(new URL('../../dist/node/index.js', import.meta.url));
const WORKER = fileURLToPath(new URL('./workers/writer.mjs', import.meta.url));
const RUNS = Number(process.env.NETCONFIG_SIGKILL_RUNS ?? 20);
const PARALLEL = 4;
const root = mkdtempSync(join(tmpdir(), 'netconfiguration-sigkill-'));

interface Outcome {
  kind: 'old' | 'new';
  batches: number;
}

async function killOnce(dir: string, files: Map<string, Uint8Array>, logs: number): Promise<Outcome> {
  mkdirSync(dir);
  for (const [name, bytes] of files) writeFileSync(join(dir, name), bytes);
  const path = join(dir, 'H');
  const child = spawn(process.execPath, [WORKER, LIBRARY, 'batches', path], { stdio: ['ignore', 'pipe', 'pipe'] });
  let out = '';
  let err = '';
  child.stdout.on('data', (c: Buffer) => (out += c.toString()));
  child.stderr.on('data', (c: Buffer) => (err += c.toString()));
  // 'close', not 'exit': stdout may still hold "committed N" lines when the process has exited.
  const exit = new Promise<void>((resolve) => child.on('close', () => resolve()));
  await new Promise<void>((resolve) => {
    const check = (): void => (out.includes('ready') || child.exitCode !== null ? resolve() : void setTimeout(check, 2));
    check();
  });
  await new Promise((resolve) => setTimeout(resolve, Math.random() * 80));
  child.kill('SIGKILL');
  await exit;
  expect(err).toBe('');
  const reported = [...out.matchAll(/committed (\d+)/g)].map((m) => Number(m[1]));
  const last = reported.length === 0 ? -1 : reported[reported.length - 1]!;

  const file = HiveFile.open(path, { recover: true });
  const hive = file.hive;
  expect(checkHive(hive.bytes.slice(0, 4096 + hive.hiveBinsSize)).filter((v) => v.severity === 'error')).toEqual([]);
  expect(hive.root().subkey('Start')).toBeDefined();
  if (logs >= 1) expect(hive.root().subkey('fromLog1')).toBeDefined();
  if (logs >= 2) expect(hive.root().subkey('fromLog2')!.subkeys().length).toBe(300);
  const batches = hive.root().subkey('Batches')?.subkeys() ?? [];
  const count = batches.length;
  expect([last + 1, last + 2], `reported up to ${last}`).toContain(count);
  for (let b = 0; b < count; b++) {
    const key = hive.root().subkey('Batches')!.subkey(`batch-${b}`)!;
    expect(key.values().length).toBe(40);
    const v = key.value('v39')!;
    const data = v.data();
    expect(decodeUtf16le(data, 0, data.length - 2)).toBe(`batch ${b} value 39 `.repeat(1 + (39 % 7)));
  }
  // The next writer is not blocked by the killed one's lock, and its commit lands.
  const next = HiveFile.openForWriting(path, { recover: true });
  try {
    next.hive.root().addSubkey('after-kill');
    next.commit();
  } finally {
    next.close();
  }
  expect(HiveFile.open(path, { recover: true }).hive.root().subkey('after-kill')).toBeDefined();
  return { kind: count === last + 1 ? 'old' : 'new', batches: count };
}

describe.skipIf(!existsSync(LIBRARY))('SIGKILL sweep over real writer processes', () => {
  const totals: string[] = [];
  for (const [name, logs] of [
    ['clean', 0],
    ['dirty, one log', 1],
    ['dirty, two logs', 2],
  ] as const) {
    it(`${name}: ${RUNS} kills, every outcome old or new`, async () => {
      const files = startFiles(logs);
      const outcomes: Outcome[] = [];
      for (let i = 0; i < RUNS; i += PARALLEL) {
        const round = Array.from({ length: Math.min(PARALLEL, RUNS - i) }, (_, j) => killOnce(join(root, `${logs}-${i + j}`), files, logs));
        // Every child is killed before any failure is reported (allSettled), so none outlives the test.
        const settled = await Promise.allSettled(round);
        for (const result of settled) {
          if (result.status === 'rejected') throw result.reason;
          outcomes.push(result.value);
        }
      }
      const old = outcomes.filter((o) => o.kind === 'old').length;
      const summary = `${name}: ${outcomes.length} kills → ${old} old, ${outcomes.length - old} new (in-flight commit survived), batches per run ${Math.min(...outcomes.map((o) => o.batches))}–${Math.max(...outcomes.map((o) => o.batches))}`;
      totals.push(summary);
      console.log(`SIGKILL sweep ${summary}`);
      expect(outcomes.length).toBe(RUNS);
    }, 60_000);
  }
});
