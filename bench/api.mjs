#!/usr/bin/env node
// NETCONFIGURATION call rates, in memory, on one adapter configuration, per CPU-second (issue 10's
// targets: ≥ 1,000,000 QueryUlong and AssignBinary 16 B calls per CPU-second). `npm run bench` runs
// it; --quick runs a tenth of the calls.
import { performance } from 'node:perf_hooks';
import { Hive } from '../dist/hive/index.js';
import {
  Environment,
  NetAdapter,
  NetAdapterOpenConfiguration,
  NetConfigurationAssignBinary,
  NetConfigurationAssignUlong,
  NetConfigurationQueryUlong,
} from '../dist/netadapter/index.js';
import { addNetworkAdapter } from '../dist/registry/index.js';

const hive = Hive.create();
const key = addNetworkAdapter(hive, { description: 'bench', netCfgInstanceId: '{x}', componentId: 'c' });
const out = { value: null };
NetAdapterOpenConfiguration(new NetAdapter(new Environment(), key), null, out);
const config = out.value;

const scale = process.argv.includes('--quick') ? 0.1 : 1;

/** Calls per CPU-second (user + system of this process), after a warm-up; wall seconds beside. */
function rate(label, calls, body) {
  calls = Math.round(calls * scale);
  for (let i = 0; i < Math.min(calls, 20_000); i++) body(i);
  const start = performance.now();
  const cpuStart = process.cpuUsage();
  for (let i = 0; i < calls; i++) body(i);
  const used = process.cpuUsage(cpuStart);
  const cpu = (used.user + used.system) / 1e6;
  const wall = (performance.now() - start) / 1000;
  const perSecond = calls / cpu;
  console.log(
    `${label}: ${Math.round(perSecond).toLocaleString('en-US')} calls per CPU-second (${calls.toLocaleString('en-US')} calls, ${cpu.toFixed(2)} s CPU, ${wall.toFixed(2)} s wall)`,
  );
  return perSecond;
}

const small = new Uint8Array(16).fill(7);
const page = new Uint8Array(4096).fill(9);
console.log('## NETCONFIGURATION API, in memory');
const a = rate('AssignBinary 16 B', 1_000_000, (_i) => NetConfigurationAssignBinary(config, 'Blob', small, 16));
rate('AssignBinary 4 KiB', 200_000, () => NetConfigurationAssignBinary(config, 'Page', page, 4096));
NetConfigurationAssignUlong(config, '*JumboPacket', 9014);
const box = { value: 0 };
const q = rate('QueryUlong', 1_000_000, () => NetConfigurationQueryUlong(config, 0, '*JumboPacket', box));
const TARGET = 1_000_000;
console.log(
  `target ≥ 1,000,000 calls per CPU-second: QueryUlong ${q >= TARGET ? 'MET' : 'NOT MET'}, AssignBinary 16 B ${a >= TARGET ? 'MET' : 'NOT MET'}; peak RSS ${(process.resourceUsage().maxRSS / 1024).toFixed(0)} MB`,
);
