import { describe, expect, it } from 'vitest';
import { BIG_DATA_SEGMENT, Hive, ValueType, checkHive, dumpHiveToString, recoverHive } from '../../src/hive/index.js';
import { commitIncrementally } from '../../src/node/index.js';
import type { CommitFileSystem } from '../../src/node/index.js';
import { fixedClock, patternBytes, sz } from '../support/hives.js';

/**
 * Fault injection: a file system that can stop a commit before any write, truncate or flush, and that
 * then loses unflushed writes, keeps them, or keeps them torn at a 512-byte boundary. For every crash
 * point and every such outcome, reopening (with log recovery) must give exactly the old or the new
 * state, and a hive the validator finds no error in.
 */

class Crash extends Error {}

interface FileState {
  durable: Uint8Array;
  current: Uint8Array;
  pending: { position: number; bytes: Uint8Array }[];
}

class FaultyFileSystem implements CommitFileSystem {
  readonly files = new Map<string, FileState>();
  operations = 0;
  constructor(private readonly crashAt = Infinity) {}

  seed(path: string, bytes: Uint8Array): void {
    this.files.set(path, { durable: bytes.slice(), current: bytes.slice(), pending: [] });
  }

  private step(): void {
    if (this.operations++ === this.crashAt) throw new Crash();
  }

  private file(path: string): FileState {
    let file = this.files.get(path);
    if (file === undefined) {
      file = { durable: new Uint8Array(0), current: new Uint8Array(0), pending: [] };
      this.files.set(path, file);
    }
    return file;
  }

  read(path: string): Uint8Array | undefined {
    return this.files.get(path)?.current.slice();
  }

  write(path: string, position: number, bytes: Uint8Array): void {
    this.step();
    const file = this.file(path);
    file.current = applyWrite(file.current, position, bytes);
    file.pending.push({ position, bytes: bytes.slice() });
  }

  truncate(path: string, length: number): void {
    this.step();
    const file = this.file(path);
    file.current = file.current.slice(0, length);
    file.pending.push({ position: -1, bytes: new Uint8Array(length) });
  }

  flush(path: string): void {
    this.step();
    const file = this.file(path);
    file.durable = file.current.slice();
    file.pending = [];
  }

  /** What a file may hold after a crash: unflushed writes lost, all kept, or the last one torn. */
  survivors(path: string): Uint8Array[] {
    const file = this.files.get(path);
    if (file === undefined) return [new Uint8Array(0)];
    const out = [file.durable, file.current];
    const last = file.pending[file.pending.length - 1];
    if (last !== undefined && last.position >= 0 && last.bytes.length > 512) {
      let base = file.durable;
      for (const w of file.pending.slice(0, -1)) base = w.position < 0 ? base.slice(0, w.bytes.length) : applyWrite(base, w.position, w.bytes);
      for (const keep of [512, Math.floor(last.bytes.length / 1024) * 512]) out.push(applyWrite(base, last.position, last.bytes.subarray(0, keep)));
    }
    return out;
  }
}

function applyWrite(target: Uint8Array, position: number, bytes: Uint8Array): Uint8Array {
  const out = new Uint8Array(Math.max(target.length, position + bytes.length));
  out.set(target);
  out.set(bytes, position);
  return out;
}

function stateAfterReopen(primary: Uint8Array, log1: Uint8Array, log2: Uint8Array): { dump: string; bytes: Uint8Array } {
  const recovered = recoverHive(primary, { log1, log2 });
  return { dump: dumpHiveToString(Hive.open(recovered.bytes)), bytes: recovered.bytes };
}

function baseHive(): Hive {
  const hive = Hive.create({ clock: fixedClock });
  const root = hive.root();
  const adapter = root.ensurePath('ControlSet001\\Control\\Class\\{4d36e972-e325-11ce-bfc1-08002be10318}\\0000');
  adapter.setValue('DriverDesc', ValueType.REG_SZ, sz('Contoso'));
  for (let i = 0; i < 50; i++) root.ensurePath(`Software\\Vendor${i}`).setValue('v', ValueType.REG_BINARY, patternBytes(300, i));
  return hive;
}

const SCRIPTS: Record<string, (hive: Hive) => void> = {
  'set one value': (hive) => {
    hive.root().subkey('ControlSet001')!.ensurePath('Control\\Class\\{4d36e972-e325-11ce-bfc1-08002be10318}\\0000').setValue('NetworkAddress', ValueType.REG_SZ, sz('021122334455'));
  },
  'add 600 subkeys (new bins, an ri list)': (hive) => {
    const many = hive.root().addSubkey('many');
    for (let i = 0; i < 600; i++) many.addSubkey(`k${i}`);
  },
  'big data value and a deleted subtree': (hive) => {
    hive.root().setValue('blob', ValueType.REG_BINARY, patternBytes(3 * BIG_DATA_SEGMENT + 5));
    hive.root().deleteSubkey('Software');
  },
};

describe('crash-safe incremental commit', () => {
  let crashPoints = 0;
  let outcomes = 0;

  for (const [name, mutate] of Object.entries(SCRIPTS)) {
    it(`${name}: every crash point and outcome reopens as the old or the new state`, () => {
      const old = baseHive().serialize();
      const oldDump = dumpHiveToString(Hive.open(old));
      const prepare = (): Hive => {
        const hive = Hive.open(old, { clock: fixedClock });
        mutate(hive);
        return hive;
      };
      const dry = new FaultyFileSystem();
      dry.seed('H', old);
      const committed = commitIncrementally(dry, 'H', old, prepare());
      const newDump = dumpHiveToString(Hive.open(committed.image));
      expect(newDump).not.toBe(oldDump);
      expect(stateAfterReopen(dry.read('H')!, dry.read('H.LOG1')!, new Uint8Array(0)).dump).toBe(newDump);
      for (let crashAt = 0; crashAt < dry.operations; crashAt++) {
        const fs = new FaultyFileSystem(crashAt);
        fs.seed('H', old);
        expect(() => commitIncrementally(fs, 'H', old, prepare())).toThrow(Crash);
        crashPoints++;
        for (const primary of fs.survivors('H')) {
          for (const log1 of fs.survivors('H.LOG1')) {
            const state = stateAfterReopen(primary, log1, new Uint8Array(0));
            expect([oldDump, newDump], `crash before operation ${crashAt}`).toContain(state.dump);
            expect(checkHive(state.bytes).filter((v) => v.severity === 'error'), `crash before operation ${crashAt}`).toEqual([]);
            outcomes++;
          }
        }
      }
    });
  }

  it('writes kilobytes for a one-value change, not the file', () => {
    const hive = baseHive();
    const many = hive.root().addSubkey('padding');
    for (let i = 0; i < 2000; i++) many.addSubkey(`key${i}`).setValue('data', ValueType.REG_BINARY, patternBytes(400, i));
    const old = hive.serialize();
    const fs = new FaultyFileSystem();
    fs.seed('H', old);
    const edited = Hive.open(old, { clock: fixedClock });
    edited.root().subkey('padding')!.subkey('key1234')!.setValue('data', ValueType.REG_BINARY, patternBytes(400, 99));
    const result = commitIncrementally(fs, 'H', old, edited);
    expect(old.length).toBeGreaterThan(1_000_000);
    // The new data cell, the vk pointing at it and the key's timestamp: a few 4 KiB pages, once in the
    // log and once in the primary, plus the base block twice.
    expect(result.pages).toBeLessThanOrEqual(4);
    expect(result.bytesWritten).toBeLessThan(40_000);
    console.log(`one-value commit in a ${old.length}-byte hive: ${result.pages} pages, ${result.bytesWritten} bytes written`);
  });

  it('counts the crash points covered', () => {
    console.log(`fault injection: ${crashPoints} crash points, ${outcomes} reopened outcomes, 0 failures`);
    expect(crashPoints).toBeGreaterThan(20);
  });
});
