// What the bench scripts share: their folders, the hives they measure on (regipy SYSTEM unpacked once,
// the generated hives made once), fresh copies of a hive, and a whole process timed by /usr/bin/time.
// `node bench/support.mjs --generate MB TARGET` is the child process prepareGenerated runs.
import { execFileSync, spawnSync } from 'node:child_process';
import { copyFileSync, existsSync, mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const SELF = fileURLToPath(import.meta.url);
export const ROOT = join(dirname(SELF), '..');
export const SHARED = join(ROOT, '..', 'shared');
/** Scratch folder of the benches (git-ignored): unpacked and generated hives, copies, scripts. */
export const WORK = join(ROOT, '.bench');
/** The installed bin: one esbuild bundle with its code cache. */
export const BIN = join(ROOT, 'dist', 'cli', 'bin.cjs');
/** The CLI as ES modules, no bundle. */
export const CLI = join(ROOT, 'dist', 'cli', 'main.js');
mkdirSync(WORK, { recursive: true });

export const fmt = (n, digits = 2) => n.toFixed(digits);
export const median = (values) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)];

/**
 * Runs `command args` `repeat` times in one shell loop under /usr/bin/time (output to /dev/null):
 * CPU and wall seconds per run, peak RSS in MB (the largest of the runs).
 */
export function wholeProcess(command, commandArgs, { repeat = 1, env = {}, cwd } = {}) {
  const loop = 'n=$1; shift; i=0; while [ $i -lt $n ]; do "$@" > /dev/null || exit 1; i=$((i+1)); done';
  const result = spawnSync('/usr/bin/time', ['-f', '%e %U %S %M', 'sh', '-c', loop, 'sh', String(repeat), command, ...commandArgs], {
    encoding: 'utf8',
    env: { ...process.env, ...env },
    cwd,
  });
  const [wall, user, sys, kb] = (result.stderr.trim().split('\n').pop() ?? '').split(' ').map(Number);
  if (result.status !== 0 || !Number.isFinite(user)) throw new Error(`${command} ${commandArgs.join(' ')} failed: ${result.stderr.slice(0, 400)}`);
  return { cpu: (user + sys) / repeat, wall: wall / repeat, rss: kb / 1024 };
}

/** The compressed regipy SYSTEM of the corpus (../shared beside the checkout). */
export const SYSTEM_XZ = join(SHARED, 'corpus', 'regipy', 'SYSTEM.xz');

/** regipy SYSTEM unpacked into WORK (once). */
export function prepareSystem() {
  const target = join(WORK, 'SYSTEM');
  if (!existsSync(target)) writeFileSync(target, execFileSync('xz', ['-dc', SYSTEM_XZ], { maxBuffer: 1 << 30 }));
  return target;
}

/** Removes a hive file with its logs and lock. */
export function removeHive(path) {
  for (const suffix of ['', '.LOG', '.LOG1', '.LOG2', '.netconfig-lock']) rmSync(path + suffix, { force: true });
}

/** `copy` made a fresh copy of `source`: no logs or lock left from an earlier run. */
export function freshCopy(source, copy) {
  removeHive(copy);
  copyFileSync(source, copy);
  return copy;
}

/** A generated hive of at least `mb` MiB of bins in WORK (made once, in a child process: the caller stays small). */
export function prepareGenerated(mb) {
  const target = join(WORK, `generated-${mb}MB.hiv`);
  if (!existsSync(target)) {
    console.log(`(generating ${target.replace(`${ROOT}/`, '')} …)`);
    execFileSync(process.execPath, ['--max-old-space-size=8192', SELF, '--generate', String(mb), target], { stdio: 'inherit' });
  }
  return target;
}

/** Child process: a tree of keys holding strings, DWORDs, binaries and big-data values, `mb` MiB or more. */
async function generate(mb, target) {
  const { Hive, ValueType, encodeUtf16le } = await import('../dist/hive/index.js');
  const sz = (text) => encodeUtf16le(`${text}\0`);
  const hive = Hive.create({ minorVersion: 5 });
  const root = hive.root();
  const blob = new Uint8Array(40_000).map((_, i) => (i * 31) & 0xff);
  let n = 0;
  for (let a = 0; hive.hiveBinsSize < mb * 1024 * 1024; a++) {
    const group = root.addSubkey(`Group${a}`);
    for (let b = 0; b < 200; b++) {
      const key = group.addSubkey(`Key${b}`);
      for (let c = 0; c < 8; c++) {
        key.setValue(`String${c}`, ValueType.REG_SZ, sz(`value ${n++} of a generated hive for benchmarks`));
        key.setValue(`Dword${c}`, ValueType.REG_DWORD, Uint8Array.of(c, a & 0xff, b, 0));
      }
      key.setValue('Binary', ValueType.REG_BINARY, blob.subarray(0, 200 + b));
      if (b % 50 === 0) key.setValue('Big', ValueType.REG_BINARY, blob);
    }
  }
  writeFileSync(target, hive.serialize());
}

if (process.argv[1] === SELF && process.argv[2] === '--generate') await generate(Number(process.argv[3]), process.argv[4]);
