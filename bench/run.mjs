#!/usr/bin/env node
// Benchmarks of the hive engine against hivex's tools, run side by side in this one script so the
// figures are ratios on the same machine at the same moment. Not a test: nothing here asserts.
//
//   npm run bench                 # all
//   npm run bench -- --quick      # skip the generated 100 MB hive
//
// Whole-process figures come from /usr/bin/time (wall seconds, peak RSS); each command runs
// REPEAT times and the median is reported. In-process figures use performance.now().
import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { performance } from 'node:perf_hooks';
import { Hive, ValueType, encodeUtf16le, walkKeys } from '../dist/hive/index.js';
import { HiveFile } from '../dist/node/index.js';
import { copyFileSync, rmSync } from 'node:fs';

const ROOT = join(dirname(fileURLToPath(import.meta.url)), '..');
const SHARED = join(ROOT, '..', 'shared');
const WORK = join(ROOT, '.bench');
const CLI = join(ROOT, 'dist', 'cli', 'main.js');
const HIVEX_DUMP = join(SHARED, 'oracles', 'hivex-dump.py');
const REPEAT = 3;
const quick = process.argv.includes('--quick');
mkdirSync(WORK, { recursive: true });

function median(values) {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)];
}

/** Runs `command args > /dev/null` under /usr/bin/time; returns median wall seconds and max RSS in MB. */
function measure(command, args) {
  const walls = [];
  const rss = [];
  for (let i = 0; i < REPEAT; i++) {
    const result = spawnSync('/usr/bin/time', ['-f', '%e %M', 'sh', '-c', '"$0" "$@" > /dev/null', command, ...args], { encoding: 'utf8' });
    const last = result.stderr.trim().split('\n').pop() ?? '';
    const [wall, kb] = last.split(' ').map(Number);
    if (result.status !== 0 || !Number.isFinite(wall)) throw new Error(`${command} ${args.join(' ')} failed: ${result.stderr.slice(0, 400)}`);
    walls.push(wall);
    rss.push(kb / 1024);
  }
  return { wall: median(walls), rss: Math.max(...rss) };
}

function fmt(n, digits = 2) {
  return n.toFixed(digits);
}

function prepareSystem() {
  const target = join(WORK, 'SYSTEM');
  if (!existsSync(target)) writeFileSync(target, execFileSync('xz', ['-dc', join(SHARED, 'corpus', 'regipy', 'SYSTEM.xz')], { maxBuffer: 1 << 30 }));
  return target;
}

function sz(text) {
  return encodeUtf16le(`${text}\0`);
}

/** A hive of at least 100 MB: a tree of keys holding strings, DWORDs, binaries and big-data values. */
function prepareLarge() {
  const target = join(WORK, 'generated-100MB.hiv');
  if (existsSync(target)) return target;
  const hive = Hive.create({ minorVersion: 5 });
  const root = hive.root();
  const blob = new Uint8Array(40_000).map((_, i) => (i * 31) & 0xff);
  let n = 0;
  for (let a = 0; hive.hiveBinsSize < 100 * 1024 * 1024; a++) {
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
  return target;
}

function compareOnFile(label, path) {
  const size = statSync(path).size / (1024 * 1024);
  console.log(`\n## ${label}: ${path.replace(`${ROOT}/`, '')} (${fmt(size, 1)} MB)`);
  const ourDump = measure(process.execPath, [CLI, 'dump', path]);
  const hivexDump = measure('/usr/bin/python3', [HIVEX_DUMP, path]);
  const ourWalk = measure(process.execPath, [CLI, 'stat', path]);
  const hivexml = measure('hivexml', [path]);
  const rows = [
    ['canonical dump: netconfig dump', ourDump, hivexDump, 'hivex-dump.py', 0.5],
    ['walk, no output: netconfig stat', ourWalk, hivexml, 'hivexml', 1.0],
  ];
  for (const [what, ours, peer, peerName, target] of rows) {
    const ratio = ours.wall / peer.wall;
    console.log(
      `${what}: ${fmt(ours.wall)} s vs ${peerName} ${fmt(peer.wall)} s → ratio ${fmt(ratio)} (target ≤ ${target}) ${ratio <= target ? 'MET' : 'NOT MET'}`,
    );
  }
  const peak = Math.max(ourDump.rss, ourWalk.rss);
  console.log(
    `peak RSS: ours ${fmt(peak, 0)} MB (target ≤ file + 80 = ${fmt(size + 80, 0)} MB) ${peak <= size + 80 ? 'MET' : 'NOT MET'}; hivex-dump.py ${fmt(hivexDump.rss, 0)} MB, hivexml ${fmt(hivexml.rss, 0)} MB`,
  );
  const bytes = readFileSync(path);
  const opens = [];
  for (let i = 0; i < 20; i++) {
    const start = performance.now();
    Hive.open(bytes, { adopt: true });
    opens.push(performance.now() - start);
  }
  const walkTimes = [];
  for (let i = 0; i < REPEAT; i++) {
    const hive = Hive.open(bytes, { adopt: true });
    const start = performance.now();
    let _values = 0;
    for (const { key } of walkKeys(hive)) for (const value of key.values()) _values += value.data().length >= 0 ? 1 : 0;
    walkTimes.push(performance.now() - start);
  }
  console.log(
    `open (base block, bin headers, root; in process): ${fmt(median(opens), 3)} ms; in-process walk of every key and value: ${fmt(median(walkTimes), 0)} ms`,
  );
}

function buildMillionValues() {
  console.log('\n## building a hive of 1,000,000 values (in process)');
  const start = performance.now();
  const hive = Hive.create({ minorVersion: 5 });
  const root = hive.root();
  const data = sz('some value data');
  for (let k = 0; k < 1000; k++) {
    const key = root.addSubkey(`Key${k}`);
    for (let v = 0; v < 500; v++) {
      key.setValue(`Value${v}`, ValueType.REG_SZ, data);
      key.setValue(`Number${v}`, ValueType.REG_DWORD, Uint8Array.of(v & 0xff, k & 0xff, 0, 0));
    }
  }
  const built = performance.now();
  const image = hive.serialize();
  const saved = performance.now();
  console.log(
    `1,000 keys × 1,000 values: built in ${fmt((built - start) / 1000)} s (${fmt(1e6 / ((built - start) / 1000) / 1000, 0)} k values/s), serialized in ${fmt((saved - built) / 1000)} s, ${fmt(image.length / 1048576, 1)} MB`,
  );
  const oneKeyStart = performance.now();
  const single = Hive.create({ minorVersion: 5 }).root().addSubkey('one key');
  for (let v = 0; v < 1_000_000; v++) single.setValue(`v${v}`, ValueType.REG_DWORD, Uint8Array.of(v & 0xff, 0, 0, 0));
  console.log(`1,000,000 values in one key: ${fmt((performance.now() - oneKeyStart) / 1000)} s`);
}

/** Commits of 1, 100 and 10,000 changed values in the generated hive, and what hivexsh writes for one. */
function commits(path) {
  console.log(`\n## incremental commit in ${path.replace(`${ROOT}/`, '')} (${fmt(statSync(path).size / 1048576, 1)} MB)`);
  for (const changes of [1, 100, 10_000]) {
    const copy = join(WORK, 'commit.hiv');
    copyFileSync(path, copy);
    for (const suffix of ['.LOG1', '.LOG2']) rmSync(copy + suffix, { force: true });
    const file = HiveFile.open(copy);
    const root = file.hive.root();
    for (let i = 0; i < changes; i++) {
      const group = root.subkey(`Group${i % 40}`);
      group.subkey(`Key${Math.floor(i / 40) % 200}`).setValue(`String${Math.floor(i / 8000)}`, ValueType.REG_SZ, sz(`changed ${i}`));
    }
    const start = performance.now();
    const result = file.commit();
    const ms = performance.now() - start;
    console.log(`${changes} changed value(s): ${result.pages} pages, ${result.bytesWritten} bytes written (log + primary), ${fmt(ms, 0)} ms`);
  }
  const copy = join(WORK, 'hivex-commit.hiv');
  copyFileSync(path, copy);
  const script = 'cd \\Group0\\Key0\nsetval 1\nString0\nstring:changed\ncommit\n';
  const start = performance.now();
  const result = spawnSync('sh', ['-c', `printf '${script}' | hivexsh -w "$0"`, copy], { encoding: 'utf8' });
  const ms = performance.now() - start;
  if (result.status === 0)
    console.log(`hivexsh -w … commit of 1 changed value: rewrites the whole file, ${statSync(copy).size} bytes, ${fmt(ms, 0)} ms (whole process)`);
  else console.log(`hivexsh failed: ${result.stderr.slice(0, 200)}`);
}

console.log(`# netconfiguration benchmarks — node ${process.version}, median of ${REPEAT} runs per command`);
compareOnFile('regipy SYSTEM (30,756 keys, 73,456 values)', prepareSystem());
if (!quick) {
  const large = prepareLarge();
  compareOnFile('generated hive', large);
  commits(large);
}
buildMillionValues();
