#!/usr/bin/env node
// `netconfig batch` against a `hivexsh -w` script doing the same work on a copy of the same hive: 10,000
// lookups of one value and 1,000 writes (a new key with one REG_DWORD each), one commit at the end
// (netconfig batch --commit-once; hivexsh's `commit`). Not a test: nothing here asserts.
//
//   npm run build && node bench/batch.mjs            # median of 3 runs each
//   node bench/batch.mjs --per-line                  # also: netconfig batch committing after every write
//
// Figures: CPU seconds (user + system) and peak RSS from /usr/bin/time, whole process, output to
// /dev/null. The ratio is ours / hivexsh in CPU time; the target (issue 10) is ≤ 0.5.
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { Hive, ValueType, walkKeys } from '../dist/hive/index.js';
import { CLI, WORK, fmt, freshCopy, median, prepareSystem, wholeProcess } from './support.mjs';

const REPEAT = Number(process.env.REPEAT ?? 3);
const LOOKUPS = 10_000;
const WRITES = 1_000;
const perLine = process.argv.includes('--per-line');

/** A deterministic pseudo-random sequence (the same keys every run). */
function random(seed) {
  let state = seed >>> 0;
  return () => {
    state = (Math.imul(state, 1664525) + 1013904223) >>> 0;
    return state / 2 ** 32;
  };
}

/**
 * Keys and value names both tools take as written: letters, digits and a few punctuation marks (no
 * blanks, quotes or #, which hivexsh and a batch line would read differently).
 */
const PLAIN = /^[A-Za-z0-9_.{}-]+$/;

function workload(system) {
  const hive = Hive.open(new Uint8Array(readFileSync(system)));
  const values = [];
  const parents = [];
  for (const { key, path } of walkKeys(hive)) {
    if (
      path === '' ||
      !path
        .split('\\')
        .slice(1)
        .every((c) => PLAIN.test(c))
    )
      continue;
    parents.push(path);
    for (const value of key.values()) if (PLAIN.test(value.name)) values.push([path, value.name]);
  }
  const next = random(0x5eed);
  const lookups = Array.from({ length: LOOKUPS }, () => values[Math.floor(next() * values.length)]);
  const writes = Array.from({ length: WRITES }, (_, i) => [parents[Math.floor(next() * parents.length)], `BatchBench${i}`, (i * 2654435761) >>> 0]);
  return { lookups, writes, keys: parents.length, values: values.length };
}

/** One write after every ten lookups, for both tools. */
function interleave({ lookups, writes }, lookup, write) {
  const lines = [];
  let w = 0;
  lookups.forEach((l, i) => {
    lines.push(...lookup(l));
    if (i % 10 === 9 && w < writes.length) lines.push(...write(writes[w++]));
  });
  while (w < writes.length) lines.push(...write(writes[w++]));
  return lines;
}

/** Runs the command under /usr/bin/time REPEAT times on a fresh copy; median CPU and wall seconds, max RSS in MB. */
function measure(copy, source, command, args) {
  const runs = Array.from({ length: REPEAT }, () => {
    freshCopy(source, copy);
    return wholeProcess(command, args);
  });
  return { cpu: median(runs.map((r) => r.cpu)), wall: median(runs.map((r) => r.wall)), rss: Math.max(...runs.map((r) => r.rss)) };
}

const system = prepareSystem();
const work = workload(system);
console.log(
  `# netconfig batch vs hivexsh -w — node ${process.version}, median of ${REPEAT} runs; ${LOOKUPS} lookups + ${WRITES} writes on a copy of regipy SYSTEM (${work.keys} plain-named keys, ${work.values} values to pick from)`,
);

// hivexsh: cd to the key and print the value; a write adds a key and sets its one value.
const hivexCopy = join(WORK, 'batch-hivexsh.hiv');
const hivexScript = join(WORK, 'batch-hivexsh.txt');
const hivexLines = interleave(
  work,
  ([path, name]) => [`cd ${path}`, `lsval ${name}`],
  ([parent, name, n]) => [`cd ${parent}`, `add ${name}`, `cd ${name}`, 'setval 1', 'Number', `dword:0x${n.toString(16).padStart(8, '0')}`],
);
writeFileSync(hivexScript, `${hivexLines.join('\n')}\ncommit\n`);

// netconfig batch: the same lookups as reg query /v, the same writes as reg add.
const oursCopy = join(WORK, 'batch-netconfig.hiv');
const oursScript = join(WORK, 'batch-netconfig.txt');
const mount = `--hive ${oursCopy} --mount HKLM\\SYSTEM`;
const oursLines = interleave(
  work,
  ([path, name]) => [`reg query "HKLM\\SYSTEM${path}" /v ${name} ${mount}`],
  ([parent, name, n]) => [`reg add "HKLM\\SYSTEM${parent}\\${name}" /v Number /t REG_DWORD /d ${n} /f ${mount}`],
);
writeFileSync(oursScript, `${oursLines.join('\n')}\n`);

const hivex = measure(hivexCopy, system, 'hivexsh', ['-w', '-f', hivexScript, hivexCopy]);
const ours = measure(oursCopy, system, process.execPath, [CLI, 'batch', oursScript, '--commit-once']);

// Both did the work: the last write is there in each copy.
const [lastParent, lastName, lastNumber] = work.writes[work.writes.length - 1];
const readBack = (file) => {
  let key = Hive.open(new Uint8Array(readFileSync(file))).root();
  for (const part of `${lastParent}\\${lastName}`.split('\\').filter((p) => p !== '')) key = key?.subkey(part);
  const value = key?.value('Number');
  return value !== undefined && value.type === ValueType.REG_DWORD && new DataView(value.data().buffer).getUint32(0, true) === lastNumber;
};
if (!readBack(hivexCopy) || !readBack(oursCopy)) throw new Error('a copy lacks the last write: the two runs did not do the same work');

// The floor: Node's start and the CLI's module loading, before any line runs.
const startup = measure(oursCopy, system, process.execPath, [CLI, '--version']);

const ratio = ours.cpu / hivex.cpu;
console.log(`hivexsh -w -f script (one commit):     ${fmt(hivex.cpu)} s CPU, ${fmt(hivex.wall)} s wall, peak RSS ${fmt(hivex.rss, 0)} MB`);
console.log(`netconfig batch --commit-once:         ${fmt(ours.cpu)} s CPU, ${fmt(ours.wall)} s wall, peak RSS ${fmt(ours.rss, 0)} MB`);
console.log(`ratio (CPU, ours / hivexsh): ${fmt(ratio)} (target ≤ 0.5) ${ratio <= 0.5 ? 'MET' : 'NOT MET'}`);
console.log(
  `start-up alone (netconfig --version): ${fmt(startup.cpu)} s CPU = ${fmt(startup.cpu / hivex.cpu)} × hivexsh's whole run; per line after it: ${fmt(((ours.cpu - startup.cpu) / (LOOKUPS + WRITES)) * 1e6, 0)} µs CPU`,
);

if (perLine) {
  const each = measure(oursCopy, system, process.execPath, [CLI, 'batch', oursScript]);
  console.log(
    `netconfig batch, a commit after each of the ${WRITES} writes (log + primary, flushed): ${fmt(each.cpu)} s CPU, ${fmt(each.wall)} s wall, peak RSS ${fmt(each.rss, 0)} MB`,
  );
}
