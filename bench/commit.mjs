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
import { spawnSync } from 'node:child_process';
import { statSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

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

// Imported after the child's branch, so the measured process loads nothing of the bench's own.
const { BIN, WORK, fmt, freshCopy, median, prepareGenerated, prepareSystem, removeHive } = await import('./support.mjs');
const quick = process.argv.includes('--quick');

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

function row(label, source, keyPath, name, targetRatio, rssBudgetMb) {
  const size = statSync(source).size / 1048576;
  const ours = [];
  const cli = [];
  const hivex = [];
  let detail;
  for (let i = 0; i < REPEAT; i++) {
    // The user's command: the installed bin (one esbuild bundle with its code cache), `\\Path` inside the one hive.
    const c = freshCopy(source, join(WORK, 'commit-cli.hiv'));
    const bin = timed(process.execPath, [BIN, 'reg', 'add', keyPath, '/v', name, '/d', `changed ${i}`, '/f', '--hive', c, '--mount', 'HKLM\\BENCH']);
    cli.push(bin);
    const a = freshCopy(source, join(WORK, 'commit-ours.hiv'));
    const run = timed(process.execPath, [SELF, '--child', a, keyPath, name, `changed ${i}`]);
    detail = JSON.parse(run.stdout.trim().split('\n').pop());
    ours.push(run);
    const b = freshCopy(source, join(WORK, 'commit-hivexsh.hiv'));
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
  for (const copy of ['commit-ours.hiv', 'commit-hivexsh.hiv', 'commit-cli.hiv']) removeHive(join(WORK, copy));
}

console.log(`# one-value commit vs hivexsh -w — node ${process.version}`);
row('regipy SYSTEM', prepareSystem(), '\\ControlSet001\\Control', 'NetconfigBench', 1.5);
if (!quick) row('the generated hive', prepareGenerated(100), '\\Group0\\Key0', 'String0', 0.5, 80);
