#!/usr/bin/env node
// NETCONFIGURATION through the C face (issue 9's target: ≥ 500,000 calls/s of AssignBinary with 16 bytes
// and of QueryUlong, measured in CPU time so a loaded machine does not hide a regression). Names are
// passed both as UNICODE_STRINGs (what ported C code passes) and as plain strings; both backends.
// `npm run bench` runs it after a build; alone: `npm run build && node bench/api-c.mjs [--calls N]`.
import { Hive } from '../dist/hive/index.js';
import {
  Environment,
  NET_CONFIGURATION_QUERY_ULONG_NO_FLAGS,
  NetAdapter,
  NetAdapterOpenConfiguration,
  NetConfigurationAssignBinary,
  NetConfigurationAssignUlong,
  NetConfigurationQueryUlong,
  NetDeviceOpenConfiguration,
  RtlInitUnicodeString,
  UNICODE_STRING_EMPTY,
  WdfDevice,
} from '../dist/netadapter/index.js';
import { NT_SUCCESS, addNetworkAdapter } from '../dist/registry/index.js';

const at = process.argv.indexOf('--calls');
const CALLS = at === -1 ? 1_000_000 : Number(process.argv[at + 1]);
const TARGET = 500_000;

function open(backend) {
  const hive = Hive.create();
  const key = addNetworkAdapter(hive, { description: 'bench', netCfgInstanceId: '{x}', componentId: 'c' });
  const environment = new Environment();
  const out = { value: null };
  const status =
    backend === 'adapter'
      ? NetAdapterOpenConfiguration(new NetAdapter(environment, key), null, out)
      : NetDeviceOpenConfiguration(new WdfDevice(environment, key), null, out);
  if (!NT_SUCCESS(status)) throw new Error(`open failed: ${status}`);
  return out.value;
}

function unicode(text) {
  const s = UNICODE_STRING_EMPTY();
  RtlInitUnicodeString(s, text);
  return s;
}

/** Calls per CPU-second (user + system) of `calls` calls of `body`, after a warm-up; every status must be success. */
function rate(label, calls, body) {
  for (let i = 0; i < 20_000; i++) if (body() < 0) throw new Error(`${label}: a call failed`);
  const before = process.cpuUsage();
  let failures = 0;
  for (let i = 0; i < calls; i++) if (body() < 0) failures++;
  const used = process.cpuUsage(before);
  if (failures > 0) throw new Error(`${label}: ${failures} calls failed`);
  const seconds = (used.user + used.system) / 1e6;
  const perSecond = calls / seconds;
  console.log(`${label}: ${Math.round(perSecond).toLocaleString('en-US')} calls/CPU-s (${calls.toLocaleString('en-US')} calls in ${seconds.toFixed(2)} CPU-s)`);
  return perSecond;
}

const bytes = new Uint8Array(16).fill(7);
const blob = unicode('Blob');
const jumbo = unicode('*JumboPacket');
const box = { value: 0 };
const results = [];
console.log('## NETCONFIGURATION, C face (CPU time)');
for (const backend of ['adapter', 'device']) {
  const config = open(backend);
  NetConfigurationAssignUlong(config, jumbo, 9014);
  results.push(rate(`${backend} AssignBinary 16 B, UNICODE_STRING name`, CALLS, () => NetConfigurationAssignBinary(config, blob, bytes, 16)));
  results.push(
    rate(`${backend} QueryUlong, UNICODE_STRING name`, CALLS, () => NetConfigurationQueryUlong(config, NET_CONFIGURATION_QUERY_ULONG_NO_FLAGS, jumbo, box)),
  );
  results.push(rate(`${backend} AssignBinary 16 B, string name`, CALLS, () => NetConfigurationAssignBinary(config, 'Blob', bytes, 16)));
  results.push(
    rate(`${backend} QueryUlong, string name`, CALLS, () => NetConfigurationQueryUlong(config, NET_CONFIGURATION_QUERY_ULONG_NO_FLAGS, '*JumboPacket', box)),
  );
}
const slowest = Math.min(...results);
console.log(
  `target ≥ ${TARGET.toLocaleString('en-US')} calls/CPU-s: slowest ${Math.round(slowest).toLocaleString('en-US')} — ${slowest >= TARGET ? 'MET' : 'NOT MET'}`,
);
if (slowest < TARGET) process.exitCode = 1;
