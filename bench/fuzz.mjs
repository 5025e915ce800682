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
// INF files of ../shared/inf-corpus are mutated and read, selected and substituted (InfSyntaxError only).
// Besides hives and logs, .reg files (exports of corpus hives, mutated as bytes and as text, in every
// encoding) are parsed and imported — only RegFileSyntaxError or HiveError may escape —, and the CLI
// itself runs random verbs on mutated hives and .reg files in a child process with a time limit and a
// heap limit: it must exit 0, 1 or 2 with no stack trace and never die of a signal.
//
// Failing cases are written to .fuzz/crash-<seed>-<case>.hiv for a regression test.
import { mkdirSync, readFileSync, readdirSync, statSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { performance } from 'node:perf_hooks';
import { spawnSync } from 'node:child_process';
import { tmpdir } from 'node:os';
import { Hive, HiveError, ValueType, checkHive, dumpHiveBytes, recoverHive, walkKeys } from '../dist/hive/index.js';
import { RegFileSyntaxError, applyRegFile, decodeRegFile, encodeRegFile, exportRegFile, parseRegFile } from '../dist/regfile/index.js';
import { InfSyntaxError, parseInf, resolveModels, selectDriver } from '../dist/inf/index.js';

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

/** .reg texts to mutate: exports of small corpus hives, as regedit would write them. */
function regSources() {
  const out = [];
  for (const source of corpus.slice(0, 40)) {
    try {
      const hive = Hive.open(source.bytes);
      const { text } = exportRegFile(hive, hive.root(), { skipUnrepresentable: true });
      if (text.length < 400_000) out.push({ name: source.name, text });
    } catch {
      // not exportable as is: skip
    }
  }
  return out;
}

const REG_NOISE = [
  '[',
  ']',
  '"',
  '\\',
  '=',
  ':',
  ',',
  '\r\n',
  '\n',
  'hex(7):',
  'dword:',
  'hex:',
  '@',
  '-',
  ';',
  '#',
  '\0',
  '\ud800',
  'HKEY_LOCAL_MACHINE\\',
  '[-',
  '0',
  'ffffffff',
];

function mutateReg(text) {
  let t = text;
  for (let n = 1 + pick(5); n > 0; n--) {
    const at = pick(t.length + 1);
    switch (pick(5)) {
      case 0:
        t = t.slice(0, at) + REG_NOISE[pick(REG_NOISE.length)] + t.slice(at);
        break;
      case 1:
        t = t.slice(0, at) + t.slice(at + 1 + pick(20));
        break;
      case 2: {
        const from = pick(t.length);
        t = t.slice(0, at) + t.slice(from, from + pick(200)) + t.slice(at);
        break;
      }
      case 3:
        t = t.slice(0, at);
        break;
      default:
        t = t.replace(/\r\n/g, pick(2) ? '\n' : '\r\n');
    }
  }
  const encodings = [() => encodeRegFile(t), () => new TextEncoder().encode(t), () => Uint8Array.from(t, (c) => c.charCodeAt(0) & 0xff)];
  let bytes = encodings[pick(encodings.length)]();
  if (random() < 0.2) bytes = bytes.slice(0, pick(bytes.length + 1));
  if (random() < 0.2) bytes[pick(bytes.length)] ^= 1 << pick(8);
  return bytes;
}

function exerciseReg(bytes) {
  const parsed = parseRegFile(decodeRegFile(bytes), 'fuzz.reg');
  applyRegFile(Hive.create(), parsed);
}

const CLI = join(ROOT, 'dist', 'cli', 'main.js');
const CLI_VERBS = [
  (h) => ['reg', 'query', '\\', '/s', '--hive', h],
  (h) => ['reg', 'query', '\\', '/f', 'a', '/s', '--hive', h],
  (h) => ['reg', 'export', '\\', join(tmpdir(), `fuzz-${process.pid}.reg`), '/y', '--hive', h],
  (h) => ['reg', 'add', '\\fuzz\\key', '/v', 'x', '/t', 'REG_BINARY', '/d', 'ff00', '/f', '--hive', h],
  (h) => ['reg', 'delete', `\\${'A'}`, '/f', '--hive', h],
  (h) => ['reg', 'copy', '\\', '\\copy', '/s', '/f', '--hive', h],
  (h) => ['reg', 'compare', '\\', '\\', '/s', '--hive', h],
  (h) => ['reg', 'save', '\\', join(tmpdir(), `fuzz-${process.pid}.save`), '/y', '--hive', h],
  (h) => ['dump', h],
  (h) => ['check', h],
  (h) => ['stat', h],
  (h) => ['recover', h, '-o', join(tmpdir(), `fuzz-${process.pid}.rec`), '--force'],
];

/** One CLI run in a child process: exit 0/1/2, no stack trace, no signal, within the limits. */
function exerciseCli(hiveBytes, regBytes) {
  const dir = join(tmpdir(), `netconfig-fuzz-${process.pid}`);
  mkdirSync(dir, { recursive: true });
  const hive = join(dir, 'fuzz.hiv');
  writeFileSync(hive, hiveBytes);
  const args =
    regBytes !== undefined
      ? (writeFileSync(join(dir, 'fuzz.reg'), regBytes), ['reg', 'import', join(dir, 'fuzz.reg'), '--hive', hive, '--mount', 'HKLM\\FUZZ'])
      : CLI_VERBS[pick(CLI_VERBS.length)](hive);
  const result = spawnSync(process.execPath, ['--max-old-space-size=512', CLI, ...args], { encoding: 'utf8', timeout: 10_000 });
  const failure =
    result.error !== undefined
      ? `did not finish: ${result.error.message}`
      : result.signal !== null
        ? `killed by ${result.signal}`
        : ![0, 1, 2].includes(result.status)
          ? `exit ${result.status}`
          : /\n\s+at /.test(result.stderr)
            ? `stack trace: ${result.stderr.slice(0, 300)}`
            : undefined;
  if (failure !== undefined) throw Object.assign(new Error(`netconfig ${args.join(' ')}: ${failure}`), { cli: true });
}

/** The INF corpus: mutated INFs must end in an InfSyntaxError or findings, in bounded time. */
function infSources() {
  const dir = join(ROOT, '..', 'shared', 'inf-corpus');
  const out = [];
  try {
    for (const sub of readdirSync(dir)) {
      if (!statSync(join(dir, sub)).isDirectory()) continue;
      for (const name of readdirSync(join(dir, sub)))
        if (/\.in[fx]$/i.test(name)) out.push({ name: `${sub}/${name}`, bytes: new Uint8Array(readFileSync(join(dir, sub, name))) });
    }
  } catch {
    // no INF corpus: no INF cases
  }
  return out;
}

function mutateInf(source) {
  const bytes = source.slice();
  for (let n = 1 + pick(8); n > 0; n--) {
    const at = pick(bytes.length);
    switch (pick(4)) {
      case 0:
        bytes[at] ^= 1 << pick(8);
        break;
      case 1:
        bytes[at] = '%[]=,";\\\r\n'.charCodeAt(pick(11));
        break;
      case 2:
        bytes.copyWithin(at, pick(bytes.length), pick(bytes.length));
        break;
      default:
        return bytes.slice(0, at);
    }
  }
  return bytes;
}

function exerciseInf(bytes) {
  const inf = parseInf(bytes, { file: 'fuzz.inf', style: 'lint' });
  for (const name of inf.sectionNames()) for (const line of inf.section(name) ?? []) inf.fieldsOf(line);
  resolveModels(inf, { arch: 'amd64' });
  selectDriver(inf, { arch: 'amd64', hardwareIds: ['PCI\\VEN_10EC&DEV_8168&REV_03'] });
}

const logs = logSets();
const corpus = sources();
const regs = regSources();
const infs = infSources();
const INF_SHARE = argument('--inf-share', 0.1);
const CLI_SHARE = argument('--cli-share', 0.02);
const REG_SHARE = argument('--reg-share', 0.1);
mkdirSync(join(ROOT, '.fuzz'), { recursive: true });
console.log(`fuzz: ${CASES} cases over ${corpus.length} corpus hives, seed ${SEED}`);
const start = performance.now();
let typed = 0;
let untyped = 0;
let slow = 0;
let slowest = 0;
for (let i = 0; i < CASES; i++) {
  const roll = random();
  const withCli = roll < CLI_SHARE;
  const withReg = !withCli && regs.length > 0 && roll < CLI_SHARE + REG_SHARE;
  const withInf = !withCli && !withReg && infs.length > 0 && roll < CLI_SHARE + REG_SHARE + INF_SHARE;
  const withLogs = !withCli && !withReg && !withInf && logs.length > 0 && random() < 0.2;
  const source = withLogs ? { name: 'logs' } : withReg ? { name: `${regs[pick(regs.length)].name} (.reg)` } : corpus[pick(corpus.length)];
  let bytes = withLogs || withReg ? new Uint8Array(0) : mutate(source.bytes);
  const tolerant = random() < 0.5;
  const t = performance.now();
  try {
    if (withCli) {
      source.name += ' (cli)';
      const reg = random() < 0.3 ? mutateReg(regs[pick(regs.length)].text) : undefined;
      exerciseCli(bytes, reg);
    } else if (withInf) {
      const source = infs[pick(infs.length)];
      bytes = mutateInf(source.bytes);
      exerciseInf(bytes);
    } else if (withReg) {
      bytes = mutateReg(regs[pick(regs.length)].text);
      exerciseReg(bytes);
    } else if (withLogs) {
      const set = logs[pick(logs.length)];
      source.name = `${set.name} + logs`;
      bytes = set.primary;
      exerciseLogs(set);
    } else exercise(bytes, tolerant);
  } catch (error) {
    if (
      error instanceof HiveError ||
      error instanceof RegFileSyntaxError ||
      error instanceof InfSyntaxError ||
      (error?.code !== undefined && typeof error.code === 'string' && !error.cli && error.name !== 'RangeError' && error.name !== 'TypeError')
    )
      typed++;
    else {
      untyped++;
      const file = join(ROOT, '.fuzz', `crash-${SEED}-${i}.hiv`);
      writeFileSync(file, bytes);
      console.log(`UNTYPED ${error?.constructor?.name}: ${String(error?.message).slice(0, 200)} (from ${source.name}, tolerant=${tolerant}) → ${file}`);
    }
  }
  const elapsed = performance.now() - t;
  slowest = Math.max(slowest, elapsed);
  if (elapsed > (withCli ? 10_000 : CASE_LIMIT_MS)) {
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
console.log(
  `fuzz: ${CASES} cases in ${seconds.toFixed(1)} s (${(CASES / seconds).toFixed(0)} cases/s): ${typed} typed errors, ${untyped} untyped errors, ${slow} cases over ${CASE_LIMIT_MS} ms (slowest ${slowest.toFixed(0)} ms)`,
);
if (untyped > 0 || slow > 0) process.exitCode = 1;
