import type { Hive } from './hive.js';
import { ValueRecord } from './value.js';
import { walkKeys } from './walk.js';

const HEX: string[] = Array.from({ length: 256 }, (_, i) => i.toString(16).padStart(2, '0'));

export function toHex(bytes: Uint8Array): string {
  let out = '';
  for (let i = 0; i < bytes.length; i++) out += HEX[bytes[i]!];
  return out;
}

/**
 * The canonical dump: one JSON line per key, depth first in subkey-list order, values in value-list
 * order, `[name, type, lowercase hex]`, separators as Python's json.dumps writes them — byte for byte
 * what ../shared/oracles/hivex-dump.py prints, so the two can be diffed. (JSON.stringify escapes a
 * string exactly as json.dumps(ensure_ascii=False) does for well-formed text.)
 */
export function dumpHive(hive: Hive, write: (chunk: string) => void): void {
  let batch = '';
  for (const { key, path } of walkKeys(hive)) {
    let line = `{"path": ${JSON.stringify(path)}, "mtime": ${key.lastWritten}, "values": [`;
    let first = true;
    for (const cell of key.valueCells()) {
      const value = ValueRecord.at(hive, cell);
      if (value === undefined) continue;
      line += `${first ? '' : ', '}[${JSON.stringify(value.name)}, ${value.type}, "${toHex(value.data())}"]`;
      first = false;
    }
    batch += `${line}]}\n`;
    if (batch.length > 1 << 16) {
      write(batch);
      batch = '';
    }
  }
  if (batch.length > 0) write(batch);
}

export function dumpHiveToString(hive: Hive): string {
  const parts: string[] = [];
  dumpHive(hive, (chunk) => parts.push(chunk));
  return parts.join('');
}
