#!/usr/bin/env node
// One-value commit, whole process, paired with `hivexsh -w` doing setval + commit on a copy of the same
// hive in the same run: CPU seconds (user + system) and peak RSS from getrusage, median of REPEAT
// runs each, alternating ours and hivexsh so both see the same machine load. Not a test: nothing
// here asserts; it prints each row with its ratio and whether the target of issue 10 is met.
//
//   npm run build && node bench/commit.mjs            # SYSTEM (15 MB) and the generated ~105 MB hive
//   node bench/commit.mjs --quick                     # SYSTEM only
//
// Ours: a child Node process that opens the hive for writing (HiveFile.openForWriting), sets one
// REG_SZ value and commits (log entry + changed sectors of the primary). hivexsh: the same value set
// with `setval` and `commit` (it rewrites the whole file).
import { execFileSync, spawnSync } from 'node:child_process';
import { copyFileSync, existsSync, mkdirSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const ROOT = join(dirname(fileURLToPath(import.meta.url)), '..');
const SHARED = join(ROOT, '..', 'shared');
const WORK = join(ROOT, '.bench');
const SELF = fileURLToPath(import.meta.url);
const REPEAT = 5;

if (process.argv[2] === '--child') {
  // The measured process: open, set one value, commit, report what the commit wrote.
  const [, , , path, keyPath, name, text] = process.argv;
  const { performance } = await import('node:perf_hooks');
  const { ValueType, encodeUtf16le } = await import('../dist/hive/index.js');
  const { HiveFile } = await import('../dist/node/index.js');
  const start = performance.now();
  const file = HiveFile.openForWriting(path);
  try {
    const opened = performance.now();
    let key = file.hive.root();
    for (const part of keyPath.split('\\').filter(Boolean)) key = key.subkey(part);
    key.setValue(name, ValueType.REG_SZ, encodeUtf16le(`${text}\0`));
    const edited = performance.now();
    const result = file.commit();
    const done = performance.now();
    process.stdout.write(
      `${JSON.stringify({ open: opened - start, edit: edited - opened, commit: done - edited, bytesWritten: result.bytesWritten, pages: result.pages, indexedBins: file.hive.allocator.indexedBinCount, bins: file.hive.binStarts.length })}\n`,
    );
  } finally {
    file.close();
  }
  process.exit(0);
}

mkdirSync(WORK, { recursive: true });
const quick = process.argv.includes('--quick');

function median(values) {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)];
}

function fmt(n, digits = 2) {
  return n.toFixed(digits);
}

/**
 * Runs a command and reports its CPU seconds (user + system) and peak RSS (MiB) from getrusage of the
 * waited child (python3's resource module: microsecond resolution; /usr/bin/time prints 10 ms steps,
 * coarser than a hivexsh run on SYSTEM), and its stdout.
 */
const RUSAGE = [
  'import resource, subprocess, sys',
  'r = subprocess.run(sys.argv[1:], stdout=subprocess.PIPE)',
  'u = resource.getrusage(resource.RUSAGE_CHILDREN)',
  'sys.stdout.buffer.write(r.stdout)',
  'sys.stderr.write("%f %f %d\\n" % (u.ru_utime, u.ru_stime, u.ru_maxrss))',
  'sys.exit(r.returncode)',
].join('\n');

function timed(command, args, input) {
  const result = spawnSync('python3', ['-c', RUSAGE, command, ...args], { encoding: 'utf8', input, maxBuffer: 1 << 26 });
  const last = result.stderr.trim().split('\n').pop() ?? '';
  const [user, system, kb] = last.split(' ').map(Number);
  if (result.status !== 0 || !Number.isFinite(user)) throw new Error(`${command} ${args.join(' ')} failed: ${result.stderr.slice(0, 400)}`);
  return { cpu: user + system, rss: kb / 1024, stdout: result.stdout };
}

function fresh(source, name) {
  const copy = join(WORK, name);
  for (const suffix of ['', '.LOG', '.LOG1', '.LOG2', '.netconfig-lock']) rmSync(copy + suffix, { force: true });
  copyFileSync(source, copy);
  return copy;
}

function prepareSystem() {
  const target = join(WORK, 'SYSTEM');
  if (!existsSync(target)) writeFileSync(target, execFileSync('xz', ['-dc', join(SHARED, 'corpus', 'regipy', 'SYSTEM.xz')], { maxBuffer: 1 << 30 }));
  return target;
}

/** The generated hive of bench/run.mjs (same path, same content): keys, strings, DWORDs, binaries and big data to 100 MB of bins. */
async function prepareLarge() {
  const target = join(WORK, 'generated-100MB.hiv');
  if (existsSync(target)) return target;
  const { Hive, ValueType, encodeUtf16le } = await import('../dist/hive/index.js');
  const sz = (text) => encodeUtf16le(`${text}\0`);
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

function row(label, source, keyPath, name, targetRatio, rssBudgetMb) {
  const size = statSync(source).size / 1048576;
  const ours = [];
  const cli = [];
  const hivex = [];
  let detail;
  for (let i = 0; i < REPEAT; i++) {
    // The user's command: the installed bin (one esbuild bundle with its code cache), `\\Path` inside the one hive.
    const c = fresh(source, 'commit-cli.hiv');
    const bin = timed(process.execPath, [
      join(ROOT, 'dist', 'cli', 'bin.cjs'),
      'reg',
      'add',
      keyPath,
      '/v',
      name,
      '/d',
      `changed ${i}`,
      '/f',
      '--hive',
      c,
      '--mount',
      'HKLM\\BENCH',
    ]);
    cli.push(bin);
    const a = fresh(source, 'commit-ours.hiv');
    const run = timed(process.execPath, [SELF, '--child', a, keyPath, name, `changed ${i}`]);
    detail = JSON.parse(run.stdout.trim().split('\n').pop());
    ours.push(run);
    const b = fresh(source, 'commit-hivexsh.hiv');
    const script = `cd ${keyPath}\nsetval 1\n${name}\nstring:changed ${i}\ncommit\n`;
    hivex.push(timed('hivexsh', ['-w', b], script));
  }
  const bare = median(Array.from({ length: REPEAT }, () => timed(process.execPath, ['-e', '0']).cpu));
  const oursCpu = median(ours.map((r) => r.cpu));
  const hivexCpu = median(hivex.map((r) => r.cpu));
  const oursRss = Math.max(...ours.map((r) => r.rss));
  const cliCpu = median(cli.map((r) => r.cpu));
  const cliRss = Math.max(...cli.map((r) => r.rss));
  const hivexRss = Math.max(...hivex.map((r) => r.rss));
  const ratio = oursCpu / hivexCpu;
  console.log(`\n## one-value commit into ${label} (${fmt(size, 1)} MB), median of ${REPEAT} paired runs`);
  console.log(`ours (open + setValue + commit, whole process): ${fmt(oursCpu, 3)} s CPU, peak RSS ${fmt(oursRss, 0)} MiB`);
  console.log(`netconfig reg add (installed bin, whole process): ${fmt(cliCpu, 3)} s CPU, peak RSS ${fmt(cliRss, 0)} MiB, ratio ${fmt(cliCpu / hivexCpu)}`);
  console.log(`hivexsh -w (setval + commit, whole process):    ${fmt(hivexCpu, 3)} s CPU, peak RSS ${fmt(hivexRss, 0)} MiB`);
  console.log(`bare \`node -e 0\` in the same run:                ${fmt(bare, 3)} s CPU (the floor of any Node process)`);
  console.log(
    `  in process: open ${fmt(detail.open, 1)} ms, edit ${fmt(detail.edit, 1)} ms, commit ${fmt(detail.commit, 1)} ms; ${detail.pages} log page(s), ${detail.bytesWritten} bytes written; free cells of ${detail.indexedBins} of ${detail.bins} bins indexed`,
  );
  console.log(`CPU ratio ${fmt(ratio)} (target ≤ ${targetRatio}) ${ratio <= targetRatio ? 'MET' : 'NOT MET'}`);
  if (rssBudgetMb !== undefined) {
    const budget = size + rssBudgetMb;
    console.log(`peak RSS ${fmt(oursRss, 0)} MiB (target ≤ file + ${rssBudgetMb} = ${fmt(budget, 0)} MiB) ${oursRss <= budget ? 'MET' : 'NOT MET'}`);
  }
  rmSync(join(WORK, 'commit-ours.hiv'), { force: true });
  for (const suffix of ['.LOG1', '.LOG2', '.LOG']) rmSync(join(WORK, `commit-ours.hiv${suffix}`), { force: true });
  rmSync(join(WORK, 'commit-hivexsh.hiv'), { force: true });
  for (const suffix of ['', '.LOG1', '.LOG2', '.LOG']) rmSync(join(WORK, `commit-cli.hiv${suffix}`), { force: true });
}

console.log(`# one-value commit vs hivexsh -w — node ${process.version}`);
row('regipy SYSTEM', prepareSystem(), '\\ControlSet001\\Control', 'NetconfigBench', 1.5);
if (!quick) row('the generated hive', await prepareLarge(), '\\Group0\\Key0', 'String0', 0.5, 80);
