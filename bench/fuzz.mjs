#!/usr/bin/env node
// Long fuzz runs of the hive engine: corpus hives mutated (bit flips, words set to hostile values —
// cell sizes, offsets, counts —, truncation, copied ranges that make cycles), then opened strictly and
// tolerantly, dumped, walked, validated and written to. Only typed HiveErrors may escape; every case
// must finish within 1 s; memory must stay bounded; the engine must keep working after each error.
//
//   npm run fuzz                          # 20,000 cases
//   npm run fuzz -- --cases 1000000       # a long run
//   npm run fuzz -- --seed 42             # reproduce
//
// Failing cases are written to .fuzz/crash-<seed>-<case>.hiv for a regression test.
import { mkdirSync, readFileSync, readdirSync, statSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { performance } from 'node:perf_hooks';
import { Hive, HiveError, ValueType, checkHive, dumpHiveBytes, recoverHive, walkKeys } from '../dist/hive/index.js';

const ROOT = join(dirname(fileURLToPath(import.meta.url)), '..');
const CORPUS = join(ROOT, '..', 'shared', 'corpus');
const argument = (name, fallback) => {
  const i = process.argv.indexOf(name);
  return i >= 0 ? Number(process.argv[i + 1]) : fallback;
};
const CASES = argument('--cases', 20_000);
const SEED = argument('--seed', Date.now() % 1_000_000);
const CASE_LIMIT_MS = 1000;
const RSS_LIMIT = 1.5 * 1024 ** 3;

/** Small deterministic PRNG (xorshift32), so a seed reproduces a run. */
let state = SEED || 1;
const random = () => {
  state ^= state << 13;
  state ^= state >>> 17;
  state ^= state << 5;
  return (state >>> 0) / 0x100000000;
};
const pick = (n) => Math.floor(random() * n);

function sources() {
  const out = [];
  const visit = (dir) => {
    for (const name of readdirSync(dir)) {
      const path = join(dir, name);
      if (statSync(path).isDirectory()) visit(path);
      else if (!name.endsWith('.xz') && !name.endsWith('.md') && statSync(path).size <= 1 << 20) {
        const bytes = new Uint8Array(readFileSync(path));
        try {
          Hive.open(bytes);
          out.push({ name: path.slice(CORPUS.length + 1), bytes });
        } catch {
          // only hives we can open are worth mutating
        }
      }
    }
  };
  visit(CORPUS);
  return out;
}

const HOSTILE = [0, 0xffffffff, 0x7fffffff, 0x80000000, 0x20, 8, 0xfffffff8, 0xffff, 0x1000, 0x10000];

function mutate(source) {
  let bytes = source.slice();
  const view = () => new DataView(bytes.buffer);
  for (let n = 1 + pick(6); n > 0; n--) {
    const hot = Math.min(bytes.length, 4096 + 65536);
    if (hot < 4096 + 64) break;
    switch (pick(5)) {
      case 0:
        bytes[pick(hot)] ^= 1 << pick(8);
        break;
      case 1:
        view().setUint32(pick(hot - 4) & ~3, HOSTILE[pick(HOSTILE.length)], true);
        break;
      case 2: {
        // Point a field at a random cell-aligned offset: lists and keys start referring to each other.
        const at = 4096 + (pick(hot - 4100) & ~3);
        view().setUint32(at, (pick(bytes.length - 4096) & ~7) + 32, true);
        break;
      }
      case 3:
        bytes = bytes.slice(0, 4096 + pick(bytes.length - 4096));
        break;
      default: {
        const length = 8 + pick(64);
        const from = 4096 + pick(Math.max(1, bytes.length - 4096 - length));
        const to = 4096 + pick(Math.max(1, bytes.length - 4096 - length));
        bytes.copyWithin(to, from, from + length);
      }
    }
  }
  return bytes;
}

function exercise(bytes, tolerant) {
  const hive = Hive.open(bytes, { tolerant });
  let size = 0;
  dumpHiveBytes(hive, (chunk) => {
    size += chunk.length;
  });
  for (const { key } of walkKeys(hive)) {
    key.className;
    key.securityDescriptor();
    for (const value of key.values()) value.data();
  }
  checkHive(bytes, { maxViolations: 20 });
  if (!tolerant) {
    const root = hive.root();
    root.addSubkey('fuzz').setValue('v', ValueType.REG_BINARY, new Uint8Array(20_000));
    for (const child of root.subkeys().slice(0, 2)) root.deleteSubkey(child.name);
    Hive.open(hive.serialize());
  }
  return size;
}

/** Dirty primaries with their logs: mutating either must end in a typed error or a clean recovery. */
function logSets() {
  const sets = [];
  for (const base of ['yarp/NewDirtyHive1/NewDirtyHive', 'yarp/NewDirtyHive2/NewDirtyHive', 'yarp/OldDirtyHive/OldDirtyHive', 'regipy/UsrClass.dat']) {
    const read = (suffix) => {
      try {
        return new Uint8Array(readFileSync(join(CORPUS, base + suffix)));
      } catch {
        return undefined;
      }
    };
    const primary = read('');
    if (primary !== undefined) sets.push({ name: base, primary, log1: read('.LOG1'), log2: read('.LOG2') });
  }
  return sets;
}

function exerciseLogs(set) {
  const log1 = set.log1 && random() < 0.7 ? mutate(set.log1) : set.log1;
  const log2 = set.log2 && random() < 0.7 ? mutate(set.log2) : set.log2;
  const primary = random() < 0.3 ? mutate(set.primary) : set.primary;
  const result = recoverHive(primary, { log1, log2 });
  const hive = Hive.open(result.bytes, { tolerant: true });
  dumpHiveBytes(hive, () => undefined);
  return { primary, log1, log2 };
}

const logs = logSets();
const corpus = sources();
mkdirSync(join(ROOT, '.fuzz'), { recursive: true });
console.log(`fuzz: ${CASES} cases over ${corpus.length} corpus hives, seed ${SEED}`);
const start = performance.now();
let typed = 0;
let untyped = 0;
let slow = 0;
let slowest = 0;
for (let i = 0; i < CASES; i++) {
  const withLogs = logs.length > 0 && random() < 0.2;
  const source = withLogs ? { name: 'logs' } : corpus[pick(corpus.length)];
  let bytes = withLogs ? new Uint8Array(0) : mutate(source.bytes);
  const tolerant = random() < 0.5;
  const t = performance.now();
  try {
    if (withLogs) {
      const set = logs[pick(logs.length)];
      source.name = `${set.name} + logs`;
      bytes = set.primary;
      exerciseLogs(set);
    } else exercise(bytes, tolerant);
  } catch (error) {
    if (error instanceof HiveError) typed++;
    else {
      untyped++;
      const file = join(ROOT, '.fuzz', `crash-${SEED}-${i}.hiv`);
      writeFileSync(file, bytes);
      console.log(`UNTYPED ${error?.constructor?.name}: ${String(error?.message).slice(0, 200)} (from ${source.name}, tolerant=${tolerant}) → ${file}`);
    }
  }
  const elapsed = performance.now() - t;
  slowest = Math.max(slowest, elapsed);
  if (elapsed > CASE_LIMIT_MS) {
    slow++;
    writeFileSync(join(ROOT, '.fuzz', `slow-${SEED}-${i}.hiv`), bytes);
  }
  if (process.memoryUsage().rss > RSS_LIMIT) {
    console.log(`memory bound exceeded at case ${i}`);
    process.exitCode = 1;
    break;
  }
  if ((i + 1) % 10_000 === 0) console.log(`  ${i + 1} cases, ${untyped} untyped, ${((i + 1) / ((performance.now() - start) / 1000)).toFixed(0)} cases/s`);
}
const seconds = (performance.now() - start) / 1000;
console.log(`fuzz: ${CASES} cases in ${seconds.toFixed(1)} s (${(CASES / seconds).toFixed(0)} cases/s): ${typed} typed errors, ${untyped} untyped errors, ${slow} cases over ${CASE_LIMIT_MS} ms (slowest ${slowest.toFixed(0)} ms)`);
if (untyped > 0 || slow > 0) process.exitCode = 1;
