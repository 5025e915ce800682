#!/usr/bin/env node
// reg import rates (issue 14): flat .reg files of 10,000 / 100,000 / 1,000,000 keys (one value each)
// imported by the CLI into an empty hive, and hivexregedit --merge of the same 10,000-key file as the
// peer in the same script. Whole processes under /usr/bin/time: wall and CPU seconds, peak RSS.
//
//   node bench/import.mjs            # 10k, 100k, 1M
//   node bench/import.mjs --quick    # 10k, 100k
import { spawnSync } from 'node:child_process';
import { closeSync, existsSync, mkdirSync, openSync, statSync, writeFileSync, writeSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Hive } from '../dist/hive/index.js';

const ROOT = join(dirname(fileURLToPath(import.meta.url)), '..');
const WORK = join(ROOT, '.bench');
const CLI = join(ROOT, 'dist', 'cli', 'main.js');
mkdirSync(WORK, { recursive: true });
const sizes = process.argv.includes('--quick') ? [10_000, 100_000] : [10_000, 100_000, 1_000_000];

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

function timed(command, args, env) {
  const result = spawnSync('/usr/bin/time', ['-f', '%e %U %S %M', command, ...args], { encoding: 'utf8', env: { ...process.env, ...env }, maxBuffer: 1 << 26 });
  const [wall, user, sys, kb] = result.stderr.trim().split('\n').pop().split(' ').map(Number);
  if (result.status !== 0) throw new Error(`${command} ${args.join(' ')}: ${result.stderr.slice(0, 500)}`);
  return { wall, cpu: user + sys, rss: kb / 1024 };
}

const rates = [];
for (const keys of sizes) {
  const reg = flatReg(keys, join(WORK, `flat-${keys}.reg`));
  const hive = join(WORK, `flat-${keys}.hiv`);
  writeFileSync(hive, Hive.create().serialize());
  const t = timed(process.execPath, [CLI, 'reg', 'import', reg, '--hive', hive, '--mount', 'HKLM\\SOFTWARE']);
  rates.push(keys / t.wall);
  console.log(
    `import ${keys.toLocaleString('en')} keys (${(statSync(reg).size / 1e6).toFixed(1)} MB .reg): ${t.wall.toFixed(2)} s wall, ${t.cpu.toFixed(2)} s CPU, ${t.rss.toFixed(0)} MB peak RSS → ${Math.round(keys / t.wall).toLocaleString('en')} keys/s`,
  );
}
console.log(`rate at ${sizes.at(-1).toLocaleString('en')} keys / rate at 10,000: ${(rates.at(-1) / rates[0]).toFixed(2)} (target ≥ 0.5)`);

// The peer: hivexregedit --merge of the 10,000-key file (header-less paths, as it reads them).
const hivex = spawnSync('sh', ['-c', 'command -v hivexregedit'], { encoding: 'utf8' }).stdout.trim();
if (hivex !== '') {
  const peerReg = join(WORK, 'flat-10000.hivex.reg');
  if (!existsSync(peerReg)) {
    const fd = openSync(peerReg, 'w');
    let text = 'Windows Registry Editor Version 5.00\r\n\r\n[\\Flat]\r\n\r\n';
    for (let i = 0; i < 10_000; i++) text += `[\\Flat\\K${String(i).padStart(7, '0')}]\r\n"Value"=dword:${i.toString(16).padStart(8, '0')}\r\n\r\n`;
    writeSync(fd, text);
    closeSync(fd);
  }
  const peerHive = join(WORK, 'flat-10000.hivex.hiv');
  writeFileSync(peerHive, Hive.create().serialize());
  const p = timed(hivex, ['--merge', peerHive, peerReg]);
  const ours = timed(process.execPath, [
    CLI,
    'reg',
    'import',
    join(WORK, 'flat-10000.reg'),
    '--hive',
    (writeFileSync(join(WORK, 'again.hiv'), Hive.create().serialize()), join(WORK, 'again.hiv')),
    '--mount',
    'HKLM\\SOFTWARE',
  ]);
  console.log(
    `10,000 keys: netconfig ${ours.wall.toFixed(2)} s / hivexregedit --merge ${p.wall.toFixed(2)} s = ${(ours.wall / p.wall).toFixed(2)} (CPU ${ours.cpu.toFixed(2)} vs ${p.cpu.toFixed(2)} s; RSS ${ours.rss.toFixed(0)} vs ${p.rss.toFixed(0)} MB)`,
  );
}
