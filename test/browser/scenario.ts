/**
 * One run of the core, written once and executed twice: in Node (imported directly) and in Chromium
 * (bundled by esbuild, see chromium.test.ts). It uses nothing but the core's public entry points and
 * Web APIs both sides have (Uint8Array, TextEncoder, crypto.subtle), so any difference in the results is
 * a difference in how the two engines run the core.
 */
import { Hive, ValueType, checkHive, walkKeys } from '../../src/hive/index.js';
import {
  Environment,
  NetAdapter,
  NetAdapterOpenConfiguration,
  NetConfigurationAssignUlong,
  NetConfigurationAssignUnicodeString,
  NetConfigurationClose,
  NetConfigurationQueryString,
  NetConfigurationQueryUlong,
  NET_CONFIGURATION_QUERY_ULONG_NO_FLAGS,
} from '../../src/netadapter/index.js';
import type { NetConfiguration, WdfString } from '../../src/netadapter/index.js';
import { applyRegFile, encodeRegFile, exportRegFile, parseRegFile } from '../../src/regfile/index.js';
import { Registry, addNetworkAdapter, encodeDword, encodeString } from '../../src/registry/index.js';

/**
 * The same FILETIME as test/support/hives.ts FIXED_TIME (2024-01-02T03:04:05Z), repeated here because
 * that module imports node:fs and cannot be bundled: every timestamp an edit writes comes from it, so
 * the serialized bytes do not depend on when or where the scenario runs.
 */
export const SCENARIO_TIME = 133486934450000000n;
const clock = (): bigint => SCENARIO_TIME;

/** The key edited in the corpus hive (present in regipy/NTUSER.DAT) and what is written into it. */
export const EDITED_KEY = 'Environment';
const NEW_KEY = 'Software\\netconfiguration\\browser-check';

export interface ScenarioResult {
  /** Keys and values seen by walkKeys over the hive as opened. */
  keys: number;
  values: number;
  /** SHA-256 of every key path and every value's name, type and data, in walk order. */
  walkDigest: string;
  /** SHA-256 of the hive serialized after the edits, its length, and what the validator found in it. */
  editedDigest: string;
  editedLength: number;
  editedViolations: number;
  /** The edited key exported as a v5 .reg file (UTF-16LE bytes), and a new hive that file was imported into. */
  regDigest: string;
  importedDigest: string;
  /** Values of the edited key, and of the root of the hive its export was imported into (the same). */
  editedKeyValues: number;
  importedValues: number;
  /** NETCONFIGURATION on a new SYSTEM-shaped hive: statuses and values returned, and the hive afterwards. */
  netconfig: {
    openStatus: number;
    assignStatus: number;
    queryStatus: number;
    queried: number;
    missingStatus: number;
    assignStringStatus: number;
    queryStringStatus: number;
    queriedString: string | null;
    digest: string;
  };
}

async function sha256(bytes: Uint8Array): Promise<string> {
  // A copy into a fresh ArrayBuffer: digest() takes a BufferSource, and the hive's views may be larger.
  const digest = new Uint8Array(await crypto.subtle.digest('SHA-256', bytes.slice()));
  return Array.from(digest, (b) => b.toString(16).padStart(2, '0')).join('');
}

/** Length-prefixed records, so "ab"+"c" and "a"+"bc" hash differently. */
class Transcript {
  private readonly chunks: Uint8Array[] = [];
  private readonly encoder = new TextEncoder();
  add(bytes: Uint8Array): void {
    this.chunks.push(encodeDword(bytes.length), bytes);
  }
  text(text: string): void {
    this.add(this.encoder.encode(text));
  }
  bytes(): Uint8Array {
    const out = new Uint8Array(this.chunks.reduce((n, c) => n + c.length, 0));
    let at = 0;
    for (const chunk of this.chunks) {
      out.set(chunk, at);
      at += chunk.length;
    }
    return out;
  }
}

function adapterScenario(): { result: Omit<ScenarioResult['netconfig'], 'digest'>; hive: Hive } {
  const hive = Hive.create({ clock });
  const key = addNetworkAdapter(hive, {
    description: 'Browser check adapter',
    netCfgInstanceId: '{6b1c0a53-5d1e-4f3a-9c1e-2f0b7a9d4e01}',
    componentId: 'pci\\ven_8086&dev_100e',
  });
  const environment = new Environment({ release: '2100' });
  const out: { value: NetConfiguration | null } = { value: null };
  const openStatus = NetAdapterOpenConfiguration(new NetAdapter(environment, key), null, out);
  const config = out.value;
  if (config === null) throw new Error(`NetAdapterOpenConfiguration returned 0x${(openStatus >>> 0).toString(16)} and no configuration`);
  const assignStatus = NetConfigurationAssignUlong(config, '*SpeedDuplex', 6);
  const queried = { value: 0 };
  const queryStatus = NetConfigurationQueryUlong(config, NET_CONFIGURATION_QUERY_ULONG_NO_FLAGS, '*SpeedDuplex', queried);
  const missingStatus = NetConfigurationQueryUlong(config, NET_CONFIGURATION_QUERY_ULONG_NO_FLAGS, 'NoSuchValue', { value: 0 });
  const assignStringStatus = NetConfigurationAssignUnicodeString(config, 'NetworkAddress', '02AABBCCDDEE');
  const text: { value: WdfString | null } = { value: null };
  const queryStringStatus = NetConfigurationQueryString(config, 'NetworkAddress', null, text);
  const queriedString = text.value?.value ?? null;
  NetConfigurationClose(config);
  return {
    result: { openStatus, assignStatus, queryStatus, queried: queried.value, missingStatus, assignStringStatus, queryStringStatus, queriedString },
    hive,
  };
}

/** Opens `bytes` as a hive, walks it, edits it, serializes it, round-trips a .reg export, runs NETCONFIGURATION. */
export async function runScenario(bytes: Uint8Array): Promise<ScenarioResult> {
  const hive = Hive.open(bytes, { clock });

  const transcript = new Transcript();
  let keys = 0;
  let values = 0;
  for (const { key, path } of walkKeys(hive)) {
    keys++;
    transcript.text(path);
    for (const value of key.values()) {
      values++;
      transcript.text(value.name);
      transcript.add(encodeDword(value.type));
      transcript.add(value.data());
    }
  }
  const walkDigest = await sha256(transcript.bytes());

  const registry = new Registry(hive);
  const edited = registry.openKey(EDITED_KEY);
  edited.setValue('TEMP', { type: ValueType.REG_EXPAND_SZ, data: encodeString('%USERPROFILE%\\AppData\\Local\\Temp\\netconfiguration') });
  edited.setValue('NetconfigurationBrowserCheck', { type: ValueType.REG_DWORD, data: encodeDword(0x0badf00d) });
  registry.createKey(NEW_KEY).setValue('Large', { type: ValueType.REG_BINARY, data: Uint8Array.from({ length: 20_000 }, (_, i) => (i * 31) & 0xff) });
  const serialized = hive.serialize();
  const editedDigest = await sha256(serialized);
  const editedViolations = checkHive(serialized).length;

  const start = hive.root().subkey(EDITED_KEY);
  if (start === undefined) throw new Error(`${EDITED_KEY} vanished after the edit`);
  const editedKeyValues = start.valueCount;
  const exported = exportRegFile(hive, start);
  const regDigest = await sha256(encodeRegFile(exported.text));
  const imported = applyRegFile(Hive.create({ clock }), parseRegFile(exported.text, 'export.reg')).hive;
  const importedDigest = await sha256(imported.serialize());
  // With a start key the export's paths are relative to it, so its values land on the new hive's root.
  const importedValues = imported.root().valueCount;

  const adapter = adapterScenario();
  const netconfig = { ...adapter.result, digest: await sha256(adapter.hive.serialize()) };

  return {
    keys,
    values,
    walkDigest,
    editedDigest,
    editedLength: serialized.length,
    editedViolations,
    regDigest,
    importedDigest,
    editedKeyValues,
    importedValues,
    netconfig,
  };
}
