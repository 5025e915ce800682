#!/usr/bin/env node
// INF speed (issue 8): `netconfig inf check` of the largest corpus INF and `netconfig inf install` into a
// copy of the 12 MB corpus SYSTEM hive, whole processes under /usr/bin/time, each beside `netconfig stat`
// of the same hive in the same run (the cost of starting and reading the hive alone).
import { copyFileSync, readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { CLI, SHARED, WORK, prepareSystem, wholeProcess } from './support.mjs';

/** Three runs of `netconfig args` in WORK; the one of middle wall time. */
function timed(args) {
  const runs = Array.from({ length: 3 }, () => wholeProcess(process.execPath, [CLI, ...args], { cwd: WORK }));
  runs.sort((a, b) => a.wall - b.wall);
  return runs[1];
}

const corpus = join(SHARED, 'inf-corpus');
const infs = readdirSync(corpus)
  .filter((d) => statSync(join(corpus, d)).isDirectory())
  .flatMap((d) =>
    readdirSync(join(corpus, d))
      .filter((n) => /\.in[fx]$/i.test(n))
      .map((n) => join(corpus, d, n)),
  );
const largest = infs.sort((a, b) => statSync(b).size - statSync(a).size)[0];
const system = prepareSystem();

const stat = timed(['stat', system]);
const check = timed(['inf', 'check', largest]);
copyFileSync(system, join(WORK, 'SYSTEM.inf'));
const rteth = join(corpus, 'microsoft-NetAdapter-Cx-Driver-Samples', 'RtEthSample.inx');
const install = timed([
  'inf',
  'install',
  rteth,
  '--hwid',
  'PCI\\VEN_10EC&DEV_8168&REV_03',
  '--hive',
  join(WORK, 'SYSTEM.inf'),
  '--time',
  '2026-01-01T00:00:00Z',
]);
const f = (r) => `${r.wall.toFixed(2)} s wall, ${r.cpu.toFixed(2)} s CPU, ${r.rss.toFixed(0)} MB peak RSS`;
console.log(`netconfig stat SYSTEM (${(statSync(system).size / 1e6).toFixed(1)} MB): ${f(stat)}`);
console.log(
  `netconfig inf check ${largest.slice(corpus.length + 1)} (${(statSync(largest).size / 1e3).toFixed(0)} KB): ${f(check)} → ${(check.cpu / stat.cpu).toFixed(2)}× stat`,
);
console.log(`netconfig inf install RtEthSample.inx into SYSTEM: ${f(install)} → ${(install.cpu / stat.cpu).toFixed(2)}× stat`);
