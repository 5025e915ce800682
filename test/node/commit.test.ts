import { describe, expect, it } from 'vitest';
import {
  BIG_DATA_SEGMENT,
  Hive,
  ValueType,
  baseBlockChecksum,
  checkHive,
  dirtyPages,
  dumpHiveToString,
  encodeLogFile,
  encodeOldLogFile,
  recoverHive,
} from '../../src/hive/index.js';
import {
  COMMIT_RECORD_SUFFIX,
  TXN_POINTER_SUFFIX,
  commitIncrementally,
  commitIncrementallyAll,
  pendingRecoveryOf,
  recoverWithCommitRecord,
} from '../../src/node/index.js';
import type { LogPaths } from '../../src/node/index.js';
import { fixedClock, patternBytes, sz } from '../support/hives.js';
import { Crash, FaultyFileSystem } from './faulty-fs.js';

function stateAfterReopen(primary: Uint8Array, log1: Uint8Array, log2: Uint8Array): { dump: string; bytes: Uint8Array; validated: boolean } {
  const recovered = recoverHive(primary, { log1, log2 });
  // recoverHive has run checkHive over a replayed image already (it refuses one with errors).
  return { dump: dumpHiveToString(Hive.open(recovered.bytes)), bytes: recovered.bytes, validated: recovered.recovered };
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
    hive
      .root()
      .subkey('ControlSet001')!
      .ensurePath('Control\\Class\\{4d36e972-e325-11ce-bfc1-08002be10318}\\0000')
      .setValue('NetworkAddress', ValueType.REG_SZ, sz('021122334455'));
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
      // Mutate once (600 insertions cost ~0.2 s); each crash point reopens the edited bytes.
      const editedHive = Hive.open(old, { clock: fixedClock });
      mutate(editedHive);
      const edited = editedHive.bytes.slice();
      const prepare = (): Hive => Hive.open(edited.slice(), { clock: fixedClock });
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
            if (!state.validated)
              expect(
                checkHive(state.bytes).filter((v) => v.severity === 'error'),
                `crash before operation ${crashAt}`,
              ).toEqual([]);
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

// ------------------------------------------------------------------------------------------------
// From any starting state (issue 14.1): clean, dirty with one log, dirty with two logs (keys only in
// LOG2), stale, foreign and damaged logs; and several hives at once (issue 13.2).

type Files = Map<string, Uint8Array>;

const RMID = 112;

function withGuid(bytes: Uint8Array, fill: number): Uint8Array {
  const out = bytes.slice();
  out.fill(fill, RMID, RMID + 16);
  const view = new DataView(out.buffer);
  view.setUint32(508, baseBlockChecksum(view), true);
  return out;
}

function imageOf(hive: Hive): Uint8Array {
  const image = hive.bytes.slice(0, 4096 + hive.hiveBinsSize);
  new DataView(image.buffer).setUint32(40, hive.hiveBinsSize, true);
  return image;
}

function sequenceOf(bytes: Uint8Array): number {
  return new DataView(bytes.buffer, bytes.byteOffset).getUint32(8, true);
}

function markDirty(primary: Uint8Array, seq1: number): Uint8Array {
  const out = primary.slice();
  const view = new DataView(out.buffer);
  view.setUint32(4, seq1, true);
  view.setUint32(508, baseBlockChecksum(view), true);
  return out;
}

/** Log files holding `changes` one entry each (as Windows rotates: LOG1 then LOG2), primary marked dirty. */
function dirtyStart(old: Uint8Array, changes: ((hive: Hive) => void)[], names: string[]): Files {
  const seq = sequenceOf(old);
  const files: Files = new Map([['H', markDirty(old, seq + 1)]]);
  let previous = old;
  changes.forEach((change, i) => {
    const hive = Hive.open(previous, { clock: fixedClock });
    change(hive);
    const image = imageOf(hive);
    files.set(names[i]!, encodeLogFile(image, seq + 1 + i, hive.hiveBinsSize, dirtyPages(previous, image, hive.hiveBinsSize)));
    previous = image;
  });
  return files;
}

const fromLog1 = (hive: Hive): void => {
  hive.root().addSubkey('fromLog1').setValue('v', ValueType.REG_SZ, sz('one'));
};
const fromLog2 = (hive: Hive): void => {
  const k = hive.root().addSubkey('fromLog2');
  for (let i = 0; i < 300; i++) k.addSubkey(`only-in-log2-${i}`);
};

function reader(files: (path: string) => Uint8Array | undefined): (path: string) => Uint8Array | undefined {
  return (path) => {
    const bytes = files(path);
    return bytes === undefined || bytes.length === 0 ? undefined : bytes;
  };
}

function reopen(read: (path: string) => Uint8Array | undefined, path: string, logs: LogPaths): { dump: string; bytes: Uint8Array; recovered: Uint8Array } {
  const get = reader(read);
  const primary = get(path)!;
  const result = recoverWithCommitRecord({ read: get }, path, primary, { log1: get(logs.log1), log2: get(logs.log2), log: get(logs.log) });
  return { dump: dumpHiveToString(Hive.open(result.bytes)), bytes: result.bytes, recovered: primary };
}

/** Opens as HiveFile.open({ recover }) does: the recovered hive and its pending recovery. */
function openRecovered(files: Files, path: string, logs: LogPaths) {
  const get = reader((p) => files.get(p));
  const primary = get(path)!;
  const recovery = recoverWithCommitRecord({ read: get }, path, primary, { log1: get(logs.log1), log2: get(logs.log2), log: get(logs.log) });
  const pending = pendingRecoveryOf(primary, recovery);
  return { hive: Hive.open(recovery.bytes.slice(), { clock: fixedClock }), pending, primary };
}

function* product(lists: Uint8Array[][]): Generator<Uint8Array[]> {
  if (lists.length === 0) {
    yield [];
    return;
  }
  for (const head of lists[0]!) for (const rest of product(lists.slice(1))) yield [head, ...rest];
}

function logPaths(path: string, overrides: Partial<LogPaths> = {}): LogPaths {
  return { log1: `${path}.LOG1`, log2: `${path}.LOG2`, log: `${path}.LOG`, ...overrides };
}

function seeded(files: Files, crashAt = Infinity): FaultyFileSystem {
  const fs = new FaultyFileSystem(crashAt);
  for (const [path, bytes] of files) fs.seed(path, bytes);
  return fs;
}

describe('commit from any starting state', () => {
  const base = (): Uint8Array => withGuid(baseHive().serialize(), 0xa1);
  const twoLog = (): Files => dirtyStart(base(), [fromLog1, fromLog2], ['H.LOG1', 'H.log2']);
  const START: Record<string, { files: () => Files; logs: LogPaths; expect?: (dump: string) => void }> = {
    clean: { files: () => new Map([['H', base()]]), logs: logPaths('H') },
    'dirty, one log': { files: () => dirtyStart(base(), [fromLog1], ['H.LOG1']), logs: logPaths('H'), expect: (d) => expect(d).toMatch(/fromLog1/) },
    'dirty, two logs (keys only in LOG2; LOG2 named in lower case)': {
      files: twoLog,
      logs: logPaths('H', { log2: 'H.log2' }),
      expect: (d) => expect(d).toMatch(/only-in-log2-299/),
    },
    'clean with a stale LOG2 of the same sequence and a garbage LOG1': {
      files: () => {
        const old = base();
        // A valid log whose sequence equals the clean primary's: once the primary is marked dirty by
        // the commit it would be replayed before the new LOG1 entry, if the commit did not empty it.
        const image = withStaleKey(old);
        const size = new DataView(image.buffer).getUint32(40, true);
        const restamped = encodeLogFile(image, sequenceOf(old), size, dirtyPages(old, image, size));
        return new Map([
          ['H', old],
          ['H.LOG2', restamped],
          ['H.LOG1', patternBytes(3000, 7)],
        ]);
      },
      logs: logPaths('H'),
      expect: (d) =>
        expect(d).toContain(
          dumpHiveToString(Hive.open(base()))
            .split('\n')
            .find((l) => l.includes('Vendor30'))!,
        ),
    },
    'dirty with a foreign LOG2 continuing its sequence': {
      files: () => {
        const files = dirtyStart(base(), [fromLog1], ['H.LOG1']);
        const foreign = dirtyStart(withGuid(baseHive().serialize(), 0xb2), [fromLog1, (h) => h.root().addSubkey('foreign')], ['X.LOG1', 'X.LOG2']);
        files.set('H.LOG2', foreign.get('X.LOG2')!);
        return files;
      },
      logs: logPaths('H'),
      expect: (d) => expect(d).not.toMatch(/foreign/),
    },
    'dirty with a damaged LOG2': {
      files: () => {
        const files = twoLog();
        const log2 = files.get('H.log2')!.slice();
        log2[512 + 2000] = log2[512 + 2000]! ^ 0x40;
        files.set('H.log2', log2);
        return files;
      },
      logs: logPaths('H', { log2: 'H.log2' }),
      expect: (d) => {
        expect(d).toMatch(/fromLog1/);
        expect(d).not.toMatch(/only-in-log2/);
      },
    },
  };
  // Cheap scripts (each crash point reopens every outcome): one value, and growth into new bins.
  const scripts: [string, (hive: Hive) => void][] = [
    ['set one value', SCRIPTS['set one value']!],
    ['a 40 KB value (new bins)', (hive) => void hive.root().setValue('grown', ValueType.REG_BINARY, patternBytes(40_000, 3))],
  ];
  let crashPoints = 0;
  let outcomes = 0;

  for (const [startName, start] of Object.entries(START)) {
    for (const [scriptName, mutate] of scripts) {
      it(`${startName}, ${scriptName}: every crash point and outcome reopens as the old or the new state`, () => {
        const startFiles = start.files();
        const before = openRecovered(startFiles, 'H', start.logs);
        const oldDump = dumpHiveToString(before.hive);
        start.expect?.(oldDump);
        const run = (fs: FaultyFileSystem): void => {
          const opened = openRecovered(startFiles, 'H', start.logs);
          mutate(opened.hive);
          commitIncrementally(fs, 'H', opened.primary, opened.hive, { logs: start.logs, recovered: opened.pending });
        };
        const dry = seeded(startFiles);
        run(dry);
        const newDump = reopen((p) => dry.read(p), 'H', start.logs).dump;
        expect(newDump).not.toBe(oldDump);
        // Done, the primary alone holds the new state: the logs are no longer needed.
        expect(dumpHiveToString(Hive.open(dry.read('H')!))).toBe(newDump);
        const paths = ['H', start.logs.log1, start.logs.log2, start.logs.log];
        for (let crashAt = 0; crashAt < dry.operations; crashAt++) {
          const fs = seeded(startFiles, crashAt);
          expect(() => run(fs)).toThrow(Crash);
          crashPoints++;
          for (const combination of product(paths.map((p) => fs.survivors(p)))) {
            const files = new Map(paths.map((p, i) => [p, combination[i]!]));
            const state = reopen((p) => files.get(p), 'H', start.logs);
            expect([oldDump, newDump], `${startName}: crash before operation ${crashAt}`).toContain(state.dump);
            outcomes++;
          }
        }
      });
    }
  }

  it('counts the crash points covered from dirty and damaged starts', () => {
    console.log(`fault injection from ${Object.keys(START).length} starting states: ${crashPoints} crash points, ${outcomes} reopened outcomes, 0 failures`);
    expect(crashPoints).toBeGreaterThan(100);
  });

  it('regression (issue 14.1): killed at any point of the commit (after a log was emptied, before its own entry), the LOG2-only keys survive', () => {
    const startFiles = twoLog();
    const logs = logPaths('H', { log2: 'H.log2' });
    const opened = openRecovered(startFiles, 'H', logs);
    opened.hive.root().setValue('new', ValueType.REG_DWORD, Uint8Array.of(1, 0, 0, 0));
    const dry = seeded(startFiles);
    commitIncrementally(dry, 'H', opened.primary, opened.hive, { logs, recovered: opened.pending });
    // Reopen from the durable files at every crash point: a log emptied or appended to must never
    // lose what only LOG2 held.
    for (let i = 0; i < dry.operations; i++) {
      const fs = seeded(startFiles, i);
      const again = openRecovered(startFiles, 'H', logs);
      again.hive.root().setValue('new', ValueType.REG_DWORD, Uint8Array.of(1, 0, 0, 0));
      expect(() => commitIncrementally(fs, 'H', again.primary, again.hive, { logs, recovered: again.pending })).toThrow(Crash);
      const state = reopen((p) => fs.survivors(p)[0], 'H', logs);
      expect(state.dump, `crash before operation ${i}`).toMatch(/only-in-log2-299/);
    }
    expect(dry.operations).toBeGreaterThan(5);
  });
});

/** An older write the stale log holds: a value's data changed (pages no new commit needs to touch). */
/**
 * Crashes `run` before each of its `operations` file operations, then reopens every combination of
 * the surviving versions of the hives' files (primaries, logs, pointers, A's commit record): the hives
 * must read all old or all new. Returns how many crash points and reopened outcomes were checked.
 */
function expectAllOldOrAllNew(
  files0: Files,
  paths: string[],
  run: (fs: FaultyFileSystem) => void,
  operations: number,
  oldDumps: string[],
  newDumps: string[],
  label: string,
): { crashPoints: number; outcomes: number } {
  const all = [...paths.flatMap((p) => [p, `${p}.LOG1`, `${p}.LOG2`, `${p}.LOG`, `${p}${TXN_POINTER_SUFFIX}`]), `A${COMMIT_RECORD_SUFFIX}`];
  let crashPoints = 0;
  let outcomes = 0;
  for (let crashAt = 0; crashAt < operations; crashAt++) {
    const fs = seeded(files0, crashAt);
    expect(() => run(fs)).toThrow(Crash);
    crashPoints++;
    for (const combination of product(all.map((p) => fs.survivors(p)))) {
      const files = new Map(all.map((p, i) => [p, combination[i]!]));
      const dumps = paths.map((p) => reopen((q) => files.get(q), p, logPaths(p)).dump);
      const allOld = dumps.every((d, i) => d === oldDumps[i]);
      const allNew = dumps.every((d, i) => d === newDumps[i]);
      expect(
        allOld || allNew,
        `${label}crash before operation ${crashAt}: ${dumps.map((d, i) => (d === oldDumps[i] ? 'old' : d === newDumps[i] ? 'new' : 'other')).join('/')}`,
      ).toBe(true);
      outcomes++;
    }
  }
  return { crashPoints, outcomes };
}

function withStaleKey(old: Uint8Array): Uint8Array {
  const hive = Hive.open(old, { clock: fixedClock });
  hive.root().subkey('Software')!.subkey('Vendor30')!.setValue('v', ValueType.REG_BINARY, patternBytes(300, 77));
  return imageOf(hive);
}

describe('multi-hive commit: all old or all new', () => {
  const hiveA = (): Uint8Array => withGuid(baseHive().serialize(), 0xa1);
  const hiveB = (): Uint8Array => {
    const hive = Hive.create({ clock: fixedClock });
    for (let i = 0; i < 30; i++)
      hive
        .root()
        .ensurePath(`Users\\u${i}`)
        .setValue('name', ValueType.REG_SZ, sz(`user ${i}`));
    return withGuid(hive.serialize(), 0xc3);
  };
  const STARTS: Record<string, () => Files> = {
    'both clean': () =>
      new Map([
        ['A', hiveA()],
        ['B', hiveB()],
      ]),
    'A dirty with two logs, B dirty with one': () => {
      const files = dirtyStart(hiveA(), [fromLog1, fromLog2], ['A.LOG1', 'A.LOG2']);
      for (const [k, v] of dirtyStart(hiveB(), [fromLog1], ['B.LOG1'])) files.set(k === 'H' ? 'B' : k, v);
      files.set('A', files.get('H')!);
      files.delete('H');
      return files;
    },
  };
  let crashPoints = 0;
  let outcomes = 0;
  for (const [name, startFiles] of Object.entries(STARTS)) {
    it(`${name}: a crash at any point leaves both old or both new`, () => {
      const files0 = startFiles();
      const paths = ['A', 'B'];
      const oldDumps = paths.map((p) => dumpHiveToString(openRecovered(files0, p, logPaths(p)).hive));
      const run = (fs: FaultyFileSystem): void => {
        const targets = paths.map((p) => {
          const opened = openRecovered(files0, p, logPaths(p));
          opened.hive
            .root()
            .ensurePath('Software\\Shared')
            .setValue(`from-${p}`, ValueType.REG_SZ, sz(`written to ${p}`));
          if (p === 'B') for (let i = 0; i < 200; i++) opened.hive.root().ensurePath(`Grown\\k${i}`);
          return { path: p, hive: opened.hive, committed: opened.primary, recovered: opened.pending };
        });
        commitIncrementallyAll(fs, targets);
      };
      const dry = seeded(files0);
      run(dry);
      const newDumps = paths.map((p) => reopen((q) => dry.read(q), p, logPaths(p)).dump);
      paths.forEach((_p, i) => expect(newDumps[i]).not.toBe(oldDumps[i]));
      expect(dry.read(`A${COMMIT_RECORD_SUFFIX}`)).toBeUndefined();
      expect(dry.read(`B${TXN_POINTER_SUFFIX}`)).toBeUndefined();
      const counted = expectAllOldOrAllNew(files0, paths, run, dry.operations, oldDumps, newDumps, `${name}: `);
      crashPoints += counted.crashPoints;
      outcomes += counted.outcomes;
    });
  }
  it('tracked hives (no compare), A with a Windows 7 old-format log beside it: a crash at any point leaves both old or both new', () => {
    // A's old-format LOG1 holds an older write (another timestamp): the commit rewrites it as a DIRT log.
    const a0 = hiveA();
    const stale = Hive.open(a0, { clock: () => fixedClock() - 1n });
    stale.root().addSubkey('stale');
    stale.stamp();
    const staleImage = imageOf(stale);
    const files0: Files = new Map([
      ['A', a0],
      ['A.LOG1', encodeOldLogFile(staleImage, sequenceOf(a0) + 1, stale.hiveBinsSize, dirtyPages(a0, staleImage, stale.hiveBinsSize))],
      ['B', hiveB()],
    ]);
    const paths = ['A', 'B'];
    const oldDumps = paths.map((p) => dumpHiveToString(Hive.open(files0.get(p)!)));
    const formats: string[] = [];
    const run = (fs: FaultyFileSystem): void => {
      const targets = paths.map((p) => {
        // A later clock than the files': the old-format log applies only with the new write's time.
        const hive = Hive.open(files0.get(p)!.slice(), { clock: () => fixedClock() + 10_000_000n });
        hive
          .root()
          .ensurePath('Software\\Shared')
          .setValue(`from-${p}`, ValueType.REG_SZ, sz(`written to ${p}`));
        return { path: p, hive };
      });
      const results = commitIncrementallyAll(fs, targets);
      formats.push(...results.map((r) => `${r.log.format} ${r.log.path}`));
    };
    const dry = seeded(files0);
    run(dry);
    expect(formats).toEqual(['old A.LOG1', 'new B.LOG1']);
    const newDumps = paths.map((p) => reopen((q) => dry.read(q), p, logPaths(p)).dump);
    paths.forEach((p, i) => {
      expect(newDumps[i]).not.toBe(oldDumps[i]);
      expect(dumpHiveToString(Hive.open(dry.read(p)!))).toBe(newDumps[i]);
    });
    expectAllOldOrAllNew(files0, paths, run, dry.operations, oldDumps, newDumps, '');
  });

  it('a hive rolled forward by the commit record commits on safely (its dirty mark goes in first)', () => {
    const files0 = STARTS['both clean']!();
    const run = (fs: FaultyFileSystem): void => {
      const targets = ['A', 'B'].map((p) => {
        const opened = openRecovered(files0, p, logPaths(p));
        opened.hive.root().addSubkey(`multi-${p}`);
        return { path: p, hive: opened.hive, committed: opened.primary, recovered: opened.pending };
      });
      commitIncrementallyAll(fs, targets);
    };
    const dry = seeded(files0);
    run(dry);
    // The first crash point after which the record is durable: B is still clean at its old sequence.
    let state: Files | undefined;
    for (let crashAt = 0; crashAt < dry.operations && state === undefined; crashAt++) {
      const fs = seeded(files0, crashAt);
      expect(() => run(fs)).toThrow(Crash);
      if (fs.read(`A${COMMIT_RECORD_SUFFIX}`) !== undefined) {
        state = new Map([...fs.files.keys()].map((p) => [p, fs.survivors(p)[0]!]));
      }
    }
    expect(state).toBeDefined();
    const start = state!;
    const logs = logPaths('B');
    const b = openRecovered(start, 'B', logs);
    expect(b.pending?.markHeader).toBeDefined();
    const rolled = dumpHiveToString(b.hive);
    expect(rolled).toMatch(/multi-B/);
    const commitMore = (fs: FaultyFileSystem): void => {
      const opened = openRecovered(start, 'B', logs);
      opened.hive.root().addSubkey('after-roll-forward');
      commitIncrementally(fs, 'B', opened.primary, opened.hive, { logs, recovered: opened.pending });
    };
    const done = seeded(start);
    commitMore(done);
    const newer = reopen((p) => done.read(p), 'B', logs).dump;
    expect(dumpHiveToString(Hive.open(done.read('B')!))).toBe(newer);
    const paths = ['B', logs.log1, logs.log2, logs.log];
    for (let crashAt = 0; crashAt < done.operations; crashAt++) {
      const fs = seeded(start, crashAt);
      expect(() => commitMore(fs)).toThrow(Crash);
      for (const combination of product(paths.map((p) => fs.survivors(p)))) {
        const files = new Map(start);
        paths.forEach((p, i) => files.set(p, combination[i]!));
        expect([rolled, newer], `crash before operation ${crashAt}`).toContain(reopen((p) => files.get(p), 'B', logs).dump);
        // Other tools, which ignore the record, see B dirty (its log completes it) once the mark is in.
        if (crashAt > 1)
          expect(dumpHiveToString(Hive.open(recoverHive(files.get('B')!, { log1: files.get(logs.log1) }).bytes))).not.toBe(
            dumpHiveToString(Hive.open(start.get('B')!)),
          );
      }
    }
  });

  it('counts the multi-hive crash points', () => {
    console.log(`multi-hive fault injection: ${crashPoints} crash points, ${outcomes} reopened outcomes, 0 failures`);
    expect(crashPoints).toBeGreaterThan(30);
  });
});
