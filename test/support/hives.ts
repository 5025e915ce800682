import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { expect } from 'vitest';
import { Hive, checkHive, dumpHiveToString, encodeUtf16le, walkKeys } from '../../src/hive/index.js';
import { hivexDump, hivexml, regfexport, reglookup } from './oracles.js';

/** A fixed clock, so dumps are reproducible (FILETIME of 2024-01-02T03:04:05Z). */
export const FIXED_TIME = 133486934450000000n;
export const fixedClock = (): bigint => FIXED_TIME;

let directory: string | undefined;

/** A fresh path in this process's temporary directory. */
export function temporaryPath(name: string): string {
  directory ??= mkdtempSync(join(tmpdir(), 'netconfiguration-test-'));
  return join(directory, name);
}

export function writeTemporary(name: string, bytes: Uint8Array): string {
  const path = temporaryPath(name);
  writeFileSync(path, bytes);
  return path;
}

export function sz(text: string): Uint8Array {
  return encodeUtf16le(`${text}\0`);
}

export function dword(n: number): Uint8Array {
  return Uint8Array.of(n & 0xff, (n >>> 8) & 0xff, (n >>> 16) & 0xff, n >>> 24);
}

/** Deterministic pseudo-random bytes (xorshift), so large values are not runs of one byte. */
export function patternBytes(length: number, seed = 1): Uint8Array {
  const out = new Uint8Array(length);
  let x = seed | 1;
  for (let i = 0; i < length; i++) {
    x ^= x << 13;
    x ^= x >>> 17;
    x ^= x << 5;
    out[i] = x & 0xff;
  }
  return out;
}

export interface OracleExpectations {
  /** libregf reads 1–3-byte inline data from the wrong end (oracles.md §3); it still must not fail. */
  regfexport?: boolean;
}

/**
 * Saves the hive, then checks it the way an independent reader would: our validator is clean, hivex's
 * dump equals ours byte for byte, hivexml and regfexport accept the file, reglookup reports no error.
 * Returns the saved bytes.
 */
export function expectAcceptedByOracles(hive: Hive, name: string, options: OracleExpectations = {}): Uint8Array {
  const bytes = hive.serialize();
  expect(checkHive(bytes)).toEqual([]);
  const path = writeTemporary(name, bytes);
  const ours = dumpHiveToString(Hive.open(bytes));
  const theirs = hivexDump(path);
  expect(theirs.stderr).toBe('');
  expect(theirs.stdout).toBe(ours);
  const xml = hivexml(path);
  expect(xml.status, xml.stderr).toBe(0);
  const reopened = Hive.open(bytes);
  if (options.regfexport !== false) {
    const libregf = regfexport(path);
    expect(libregf.status, libregf.stderr).toBe(0);
    expect(regfexportOutline(libregf.stdout)).toEqual(ourOutline(reopened));
  }
  const lookup = reglookup(path);
  expect(lookup.status).toBe(0);
  expect(lookup.stderr).not.toMatch(/ERROR/);
  let rows = 0;
  for (const { key } of walkKeys(reopened)) rows += 1 + key.valueCount;
  expect(lookup.stdout.trim().split('\n').length - 1, 'reglookup rows = keys + values').toBe(rows);
  return bytes;
}

/**
 * Per key, in order: its path below the root and how many values it has. (regfexport's "Data size" is
 * not comparable: for strings it is the length up to the first NUL.)
 */
function ourOutline(hive: Hive): string[] {
  const lines: string[] = [];
  for (const { key, path } of walkKeys(hive)) {
    // libregf cuts names at an embedded NUL (oracles.md §3); compare what it can show.
    lines.push(
      `key ${path
        .split('\\')
        .map((part) => part.split('\0')[0])
        .join('\\')}`,
    );
    lines.push(`  values ${key.valueCount}`);
  }
  return lines;
}

function regfexportOutline(output: string): string[] {
  const lines: string[] = [];
  let values = -1;
  for (const line of output.split('\n')) {
    const key = /^Key path: [^\\]*(.*)$/.exec(line);
    if (key !== null) {
      if (values >= 0) lines.push(`  values ${values}`);
      lines.push(`key ${key[1]}`);
      values = 0;
    }
    if (line.startsWith('Value: ')) values++;
  }
  if (values >= 0) lines.push(`  values ${values}`);
  return lines;
}
