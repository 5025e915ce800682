#!/usr/bin/env node
// reg import: first issue 10's row — 10,000 values from a .reg file into a copy of regipy SYSTEM,
// `netconfig reg import` (the installed bin) vs `hivexregedit --merge`, alternately, CPU ratio and
// peak RSS (target ≤ 0.5), twice: all in one key, and one per key (where hivex pays a pass over the
// file per new key); then issue 14's rates: flat .reg files of 10,000 / 100,000 / 1,000,000 keys
// imported into an empty hive. Whole processes under /usr/bin/time.
//
//   node bench/import.mjs            # the SYSTEM rows, then 10k, 100k, 1M
//   node bench/import.mjs --quick    # the SYSTEM rows, then 10k
import { spawnSync } from 'node:child_process';
import { closeSync, existsSync, openSync, statSync, writeFileSync, writeSync } from 'node:fs';
import { join } from 'node:path';
import { Hive } from '../dist/hive/index.js';
import { BIN, SYSTEM_XZ, WORK, freshCopy, prepareSystem, wholeProcess } from './support.mjs';

const sizes = process.argv.includes('--quick') ? [10_000] : [10_000, 100_000, 1_000_000];

function flatReg(keys, file, header = 'Windows Registry Editor Version 5.00\r\n') {
  if (existsSync(file)) return file;
  const fd = openSync(file, 'w');
  writeSync(fd, `${header}\r\n`);
  let chunk = '';
  for (let i = 0; i < keys; i++) {
    chunk += `[HKEY_LOCAL_MACHINE\\SOFTWARE\\Flat\\K${String(i).padStart(7, '0')}]\r\n"Value"=dword:${(i >>> 0).toString(16).padStart(8, '0')}\r\n\r\n`;
    if (chunk.length > 1 << 20) {
      writeSync(fd, chunk);
      chunk = '';
    }
  }
  writeSync(fd, chunk);
  closeSync(fd);
  return file;
}

/** The peer's spelling of the same .reg: header-less paths below the hive root, as hivexregedit reads them. */
function hivexReg(keys, file) {
  if (existsSync(file)) return file;
  let text = 'Windows Registry Editor Version 5.00\r\n\r\n[\\Flat]\r\n\r\n';
  for (let i = 0; i < keys; i++) text += `[\\Flat\\K${String(i).padStart(7, '0')}]\r\n"Value"=dword:${i.toString(16).padStart(8, '0')}\r\n\r\n`;
  writeFileSync(file, text);
  return file;
}

/** 10,000 values in one key, in both spellings. */
function oneKeyReg(file, root) {
  if (existsSync(file)) return file;
  let text = `Windows Registry Editor Version 5.00\r\n\r\n[${root}Bench]\r\n`;
  for (let i = 0; i < 10_000; i++) text += `"Value${String(i).padStart(5, '0')}"=dword:${i.toString(16).padStart(8, '0')}\r\n`;
  writeFileSync(file, `${text}\r\n`);
  return file;
}

const hivexregedit = spawnSync('sh', ['-c', 'command -v hivexregedit'], { encoding: 'utf8' }).stdout.trim();

/** netconfig reg import (the installed bin) and hivexregedit --merge alternately into fresh copies of SYSTEM. */
function intoSystem(label, ours, theirs, rounds) {
  const target = join(WORK, 'SYSTEM.import');
  const system = prepareSystem();
  const fresh = () => freshCopy(system, target);
  const importArgs = [BIN, 'reg', 'import', ours, '--hive', target, '--mount', 'HKLM\\SOFTWARE'];
  fresh();
  wholeProcess(process.execPath, importArgs); // makes the code cache, as a user's first run does
  const ratios = [];
  const a = [];
  const b = [];
  for (let round = 0; round < rounds; round++) {
    fresh();
    a.push(wholeProcess(process.execPath, importArgs));
    fresh();
    b.push(wholeProcess(hivexregedit, ['--merge', target, theirs]));
    ratios.push(a.at(-1).cpu / b.at(-1).cpu);
  }
  const mid = (runs) => [...runs].sort((x, y) => x.cpu - y.cpu)[Math.floor(runs.length / 2)];
  const ratio = [...ratios].sort((x, y) => x - y)[Math.floor(ratios.length / 2)];
  console.log(
    `${label}: netconfig reg import ${mid(a).cpu.toFixed(2)} s CPU, ${Math.max(...a.map((r) => r.rss)).toFixed(0)} MB RSS | ` +
      `hivexregedit --merge ${mid(b).cpu.toFixed(2)} s CPU, ${Math.max(...b.map((r) => r.rss)).toFixed(0)} MB RSS | ratio ${ratio.toFixed(2)} ` +
      `(rounds ${ratios.map((r) => r.toFixed(2)).join(' ')}; target ≤ 0.5) ${ratio <= 0.5 ? 'MET' : 'NOT MET'}`,
  );
  fresh();
}

if (hivexregedit !== '' && existsSync(SYSTEM_XZ)) {
  intoSystem(
    'import of 10,000 values in one key into SYSTEM',
    oneKeyReg(join(WORK, 'values-10000.reg'), 'HKEY_LOCAL_MACHINE\\SOFTWARE\\'),
    oneKeyReg(join(WORK, 'values-10000.hivex.reg'), '\\'),
    3,
  );
  // hivexregedit needs ~20 s CPU for this one (each new key costs it a pass over the file): one
  // round, and none with --quick.
  if (!process.argv.includes('--quick'))
    intoSystem(
      'import of 10,000 keys of one value each into SYSTEM',
      flatReg(10_000, join(WORK, 'flat-10000.reg')),
      hivexReg(10_000, join(WORK, 'flat-10000.hivex.reg')),
      1,
    );
} else console.log('import into SYSTEM: skipped (needs hivexregedit and the corpus SYSTEM.xz)');

const rates = [];
for (const keys of sizes) {
  const reg = flatReg(keys, join(WORK, `flat-${keys}.reg`));
  const hive = join(WORK, `flat-${keys}.hiv`);
  writeFileSync(hive, Hive.create().serialize());
  const t = wholeProcess(process.execPath, [BIN, 'reg', 'import', reg, '--hive', hive, '--mount', 'HKLM\\SOFTWARE']);
  rates.push(keys / t.wall);
  console.log(
    `import ${keys.toLocaleString('en')} keys (${(statSync(reg).size / 1e6).toFixed(1)} MB .reg): ${t.wall.toFixed(2)} s wall, ${t.cpu.toFixed(2)} s CPU, ${t.rss.toFixed(0)} MB peak RSS → ${Math.round(keys / t.wall).toLocaleString('en')} keys/s`,
  );
}
if (sizes.length > 1) console.log(`rate at ${sizes.at(-1).toLocaleString('en')} keys / rate at 10,000: ${(rates.at(-1) / rates[0]).toFixed(2)} (target ≥ 0.5)`);
