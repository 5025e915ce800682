#!/usr/bin/env node
// NETCONFIGURATION call rates, in memory, on one adapter configuration (issue 3's targets:
// ≥ 500,000 AssignBinary calls/s with 16-byte values; QueryUlong likewise). `npm run bench` runs it.
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

function rate(label, calls, body) {
  for (let i = 0; i < Math.min(calls, 20_000); i++) body(i);
  const start = performance.now();
  for (let i = 0; i < calls; i++) body(i);
  const seconds = (performance.now() - start) / 1000;
  const perSecond = calls / seconds;
  console.log(`${label}: ${Math.round(perSecond).toLocaleString('en-US')} calls/s (${calls.toLocaleString('en-US')} calls in ${seconds.toFixed(2)} s)`);
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
console.log(`target ≥ 500,000 calls/s: AssignBinary 16 B ${a >= 500_000 ? 'MET' : 'NOT MET'}, QueryUlong ${q >= 500_000 ? 'MET' : 'NOT MET'}`);
