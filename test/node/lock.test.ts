import { spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { hostname, tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { Hive } from '../../src/hive/index.js';
import { HiveFile, HiveLockedError, acquireHiveLock, withHiveLocks } from '../../src/node/index.js';
import { HIVEX_DUMP, oraclesAvailable } from '../support/oracles.js';
import { fixedClock } from '../support/hives.js';

/** Exclusive writer access (issue 13.7): a lock file beside the hive, stale detection, waiting. */

const LIBRARY = fileURLToPath(new URL('../../dist/node/index.js', import.meta.url));
const WORKER = fileURLToPath(new URL('./workers/writer.mjs', import.meta.url));
const root = mkdtempSync(join(tmpdir(), 'netconfiguration-lock-'));
let counter = 0;

function freshHive(): string {
  const dir = join(root, `d${counter++}`);
  mkdirSync(dir);
  const path = join(dir, 'H');
  writeFileSync(path, Hive.create({ clock: fixedClock }).serialize());
  return path;
}

function worker(args: string[]): ReturnType<typeof spawn> {
  return spawn(process.execPath, [WORKER, LIBRARY, ...args], { stdio: ['ignore', 'pipe', 'pipe'] });
}

function waitForLine(child: ReturnType<typeof spawn>, line: string): Promise<void> {
  return new Promise((resolve, reject) => {
    let seen = '';
    child.stdout!.on('data', (chunk: Buffer) => {
      seen += chunk.toString();
      if (seen.includes(line)) resolve();
    });
    child.on('exit', () => reject(new Error(`worker exited before printing ${line}`)));
  });
}

function exited(child: ReturnType<typeof spawn>): Promise<number | null> {
  return new Promise((resolve) => {
    if (child.exitCode !== null || child.signalCode !== null) resolve(child.exitCode);
    else child.on('exit', (code) => resolve(code));
  });
}

describe.skipIf(!existsSync(LIBRARY))('hive writer lock', () => {
  it('a second writer fails at once naming the holder, and gets the lock once it is released', () => {
    const path = freshHive();
    const first = HiveFile.openForWriting(path);
    const error = (() => {
      try {
        HiveFile.openForWriting(path);
      } catch (e) {
        return e;
      }
      return undefined;
    })();
    expect(error).toBeInstanceOf(HiveLockedError);
    expect((error as HiveLockedError).holder).toMatchObject({ pid: process.pid, host: hostname() });
    expect((error as Error).message).toMatch(new RegExp(`locked by process ${process.pid} on ${hostname()}`));
    first.close();
    HiveFile.openForWriting(path).close();
    expect(existsSync(`${path}.netconfig-lock`)).toBe(false);
  });

  it('waits for a holder in another process, up to --wait', async () => {
    const path = freshHive();
    const holder = worker(['hold', path, '400']);
    await waitForLine(holder, 'locked');
    const started = Date.now();
    expect(() => acquireHiveLock(path, { wait: 0.1 })).toThrow(HiveLockedError);
    const lock = acquireHiveLock(path, { wait: 5 });
    expect(Date.now() - started).toBeGreaterThan(200);
    lock.release();
    await exited(holder);
  });

  it('a writer SIGKILLed while holding the lock does not block the next (same host, dead pid: stale)', async () => {
    const path = freshHive();
    const holder = worker(['hold', path, '60000']);
    await waitForLine(holder, 'locked');
    holder.kill('SIGKILL');
    await exited(holder);
    expect(existsSync(`${path}.netconfig-lock`)).toBe(true);
    const started = Date.now();
    const file = HiveFile.openForWriting(path, { wait: 0 });
    expect(Date.now() - started).toBeLessThan(500);
    file.close();
  });

  it('a lock from another host is never taken over: the waiter names it and the file to delete', () => {
    const path = freshHive();
    writeFileSync(`${path}.netconfig-lock`, JSON.stringify({ pid: 1, host: 'elsewhere.example', since: '2026-01-01T00:00:00Z', token: 'x' }));
    expect(() => HiveFile.openForWriting(path, { wait: 0.05 })).toThrow(/locked by process 1 on elsewhere\.example .*delete .*netconfig-lock/);
  });

  it('withHiveLocks takes every lock in sorted real-path order and releases them all on a throw', () => {
    const a = freshHive();
    const b = freshHive();
    expect(() =>
      withHiveLocks([b, a, b], 0, (locks) => {
        expect(locks.map((l) => l.hivePath)).toEqual([a, b].sort());
        throw new Error('inside');
      }),
    ).toThrow('inside');
    expect(existsSync(`${a}.netconfig-lock`) || existsSync(`${b}.netconfig-lock`)).toBe(false);
  });

  it.skipIf(!oraclesAvailable('hivexDump'))(
    '8 processes × 25 writes into one hive: all 200 present (hivex-dump)',
    async () => {
      const path = freshHive();
      const children = Array.from({ length: 8 }, (_, p) => worker(['writes', path, `p${p}`, '25', '60']));
      const codes = await Promise.all(children.map(exited));
      const stderr = children.map((c) => c.stderr!.read()?.toString() ?? '').join('');
      expect(codes, stderr).toEqual(Array(8).fill(0));
      const dump = spawnSync('/usr/bin/python3', [HIVEX_DUMP, path], { encoding: 'utf8' });
      expect(dump.status).toBe(0);
      const concurrent = dump.stdout
        .split('\n')
        .filter(Boolean)
        .map((l) => JSON.parse(l) as { path: string; values: [string, number, string][] })
        .find((k) => k.path === '\\Concurrent');
      const names = new Set(concurrent!.values.map((v) => v[0]));
      expect(names.size).toBe(200);
      for (let p = 0; p < 8; p++) for (let j = 0; j < 25; j++) expect(names.has(`p${p}-${j}`)).toBe(true);
      expect(existsSync(`${path}.netconfig-lock`)).toBe(false);
      // And our reader agrees.
      expect(HiveFile.open(path).hive.root().subkey('Concurrent')!.values().length).toBe(200);
      expect(readFileSync(path).length).toBeGreaterThan(4096);
    },
    60_000,
  );
});
