import { readFileSync } from 'node:fs';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { Hive, ValueType, checkHive, dumpHiveToString, readLogChain, recoverHive } from '../../src/hive/index.js';
import { commitIncrementally } from '../../src/node/index.js';
import type { CommitOptions, LogState } from '../../src/node/index.js';
import { corpusAvailable, corpusPath } from '../support/corpus.js';
import { fixedClock, patternBytes, sz } from '../support/hives.js';
import { Crash, FaultyFileSystem } from './faulty-fs.js';

/**
 * Commits driven by the hive's own dirty tracking, in sequences: the committed file equals serialize()
 * after any edits (no changed byte is ever missed), and a crash at any point of three successive
 * commits — appending to one log, alternating LOG1/LOG2, or each commit in a new process that reads
 * the logs it finds — reopens as the state before or after the commit in flight, in both log formats.
 */

function smallHive(): Uint8Array {
  const hive = Hive.create({ clock: fixedClock });
  const root = hive.root();
  for (let i = 0; i < 12; i++) root.ensurePath(`Software\\Vendor${i}`).setValue('v', ValueType.REG_BINARY, patternBytes(200, i));
  root.ensurePath('Keep').setValue('name', ValueType.REG_SZ, sz('kept'));
  return hive.serialize();
}

const same = (a: Uint8Array, b: Uint8Array): boolean => a.length === b.length && Buffer.from(a).equals(Buffer.from(b));

// ---- dirty tracking never misses a byte -----------------------------------------------------

type Edit =
  | { t: 'set'; key: string; name: string; size: number; seed: number }
  | { t: 'deleteValue'; key: string; name: string }
  | { t: 'deleteKey'; key: string }
  | { t: 'class'; key: string; text: string | undefined }
  | { t: 'rename'; key: string; to: string }
  | { t: 'commit' };

const keyPath = fc.constantFrom('A', 'A\\B', 'A\\B\\C', 'D', 'Software\\Vendor3', 'Software\\Vendor7\\E', 'Keep');
const valueName = fc.constantFrom('', 'v', 'x', 'long name of a value', 'name');
const edit: fc.Arbitrary<Edit> = fc.oneof(
  {
    weight: 5,
    arbitrary: fc.record({
      t: fc.constant('set' as const),
      key: keyPath,
      name: valueName,
      size: fc.constantFrom(0, 3, 4, 5, 100, 4000, 20_000),
      seed: fc.nat(1000),
    }),
  },
  { weight: 2, arbitrary: fc.record({ t: fc.constant('deleteValue' as const), key: keyPath, name: valueName }) },
  { weight: 1, arbitrary: fc.record({ t: fc.constant('deleteKey' as const), key: keyPath }) },
  {
    weight: 1,
    arbitrary: fc.record({
      t: fc.constant('class' as const),
      key: keyPath,
      text: fc.option(fc.constantFrom('Shell', 'a longer class name'), { nil: undefined }),
    }),
  },
  {
    weight: 1,
    arbitrary: fc.record({
      t: fc.constant('rename' as const),
      key: keyPath,
      to: fc.constantFrom('Renamed', 'a', 'Z', 'a much longer name for a key than before'),
    }),
  },
  { weight: 2, arbitrary: fc.constant({ t: 'commit' as const }) },
);

function find(hive: Hive, path: string) {
  let key = hive.root();
  for (const part of path.split('\\')) {
    const next = key.subkey(part);
    if (next === undefined) return undefined;
    key = next;
  }
  return key;
}

function apply(hive: Hive, e: Exclude<Edit, { t: 'commit' }>): void {
  switch (e.t) {
    case 'set':
      hive
        .root()
        .ensurePath(e.key)
        .setValue(e.name, ValueType.REG_BINARY, patternBytes(e.size, e.seed + 1));
      return;
    case 'deleteValue': {
      const key = find(hive, e.key);
      if (key?.value(e.name) !== undefined) key.deleteValue(e.name);
      return;
    }
    case 'deleteKey': {
      const parts = e.key.split('\\');
      const parent = parts.length === 1 ? hive.root() : find(hive, parts.slice(0, -1).join('\\'));
      if (parent?.subkey(parts[parts.length - 1]!) !== undefined) parent.deleteSubkey(parts[parts.length - 1]!);
      return;
    }
    case 'class':
      find(hive, e.key)?.setClassName(e.text);
      return;
    case 'rename': {
      const key = find(hive, e.key);
      if (key !== undefined && key.parent()?.subkey(e.to) === undefined) key.rename(e.to);
      return;
    }
  }
}

describe('dirty tracking', () => {
  it('never misses a changed byte: after random edits and commits the file equals serialize() of a twin', () => {
    const start = smallHive();
    fc.assert(
      fc.property(fc.array(edit, { minLength: 1, maxLength: 25 }), (edits) => {
        const fs = new FaultyFileSystem();
        fs.seed('H', start);
        const tracked = Hive.open(start.slice(), { clock: fixedClock });
        const twin = Hive.open(start.slice(), { clock: fixedClock });
        let logState: LogState | undefined;
        for (const e of [...edits, { t: 'commit' as const }]) {
          if (e.t !== 'commit') {
            apply(tracked, e);
            apply(twin, e);
            continue;
          }
          logState = commitIncrementally(fs, 'H', undefined, tracked, { logState }).log;
          const expected = twin.serialize();
          const file = fs.read('H')!;
          expect(file.length).toBeGreaterThanOrEqual(expected.length);
          expect(same(file.subarray(0, expected.length), expected)).toBe(true);
        }
        expect(tracked.changes.empty).toBe(true);
      }),
      { numRuns: 60 },
    );
  });

  it("the property can fail: a write behind the store's back is missed by the commit", () => {
    const start = smallHive();
    const fs = new FaultyFileSystem();
    fs.seed('H', start);
    const tracked = Hive.open(start.slice(), { clock: fixedClock });
    const twin = Hive.open(start.slice(), { clock: fixedClock });
    for (const hive of [tracked, twin]) {
      const at = hive.payload(hive.root().subkey('Keep')!.cell) + 12;
      hive.view.setUint8(at, 7); // the access-bits byte, written around the store
    }
    commitIncrementally(fs, 'H', undefined, tracked);
    const expected = twin.serialize();
    expect(same(fs.read('H')!.subarray(0, expected.length), expected)).toBe(false);
  });

  it('a one-value commit in a 1 MB hive writes a few sectors, and reads no byte of the primary', () => {
    const hive = Hive.create({ clock: fixedClock });
    for (let i = 0; i < 2000; i++) hive.root().ensurePath(`padding\\key${i}`).setValue('data', ValueType.REG_BINARY, patternBytes(400, i));
    const old = hive.serialize();
    const fs = new FaultyFileSystem();
    fs.seed('H', old);
    let primaryReads = 0;
    const read = fs.read.bind(fs);
    fs.read = (path: string) => {
      if (path === 'H') primaryReads++;
      return read(path);
    };
    const edited = Hive.open(old, { clock: fixedClock });
    // A free cell of the right size is found without indexing every bin.
    edited.root().subkey('padding')!.subkey('key1234')!.setValue('data', ValueType.REG_BINARY, patternBytes(400, 99));
    expect(edited.allocator.indexedBinCount).toBeLessThan(edited.binStarts.length / 4);
    const result = commitIncrementally(fs, 'H', undefined, edited);
    expect(primaryReads).toBe(0);
    expect(old.length).toBeGreaterThan(1_000_000);
    expect(result.pages).toBeLessThanOrEqual(5);
    expect(result.bytesWritten).toBeLessThan(40_000);
    expect(dumpHiveToString(Hive.open(fs.read('H')!))).toBe(dumpHiveToString(edited));
  });
});

// ---- three commits, a crash anywhere ----------------------------------------------------------

const EDITS: ((hive: Hive) => void)[] = [
  (hive) => void hive.root().subkey('Keep')!.setValue('name', ValueType.REG_SZ, sz('changed once')),
  (hive) => {
    const k = hive.root().addSubkey('Added');
    for (let i = 0; i < 40; i++) k.addSubkey(`sub${i}`).setValue('v', ValueType.REG_DWORD, Uint8Array.of(i, 0, 0, 0));
  },
  (hive) => {
    hive.root().subkey('Software')!.deleteSubkey('Vendor5');
    hive.root().setValue('big', ValueType.REG_BINARY, patternBytes(20_000, 5));
  },
];

const PATHS = ['H', 'H.LOG1', 'H.LOG2', 'H.LOG'];

function* combinations(fs: FaultyFileSystem): Generator<Map<string, Uint8Array>> {
  const lists = PATHS.map((p) => fs.survivors(p));
  const pick = (i: number, chosen: Uint8Array[]): Uint8Array[][] => {
    if (i === lists.length) return [chosen];
    return lists[i]!.flatMap((option) => pick(i + 1, [...chosen, option]));
  };
  for (const chosen of pick(0, [])) yield new Map(PATHS.map((p, i) => [p, chosen[i]!]));
}

function reopenDump(files: Map<string, Uint8Array>): string {
  const get = (p: string): Uint8Array | undefined => {
    const bytes = files.get(p);
    return bytes === undefined || bytes.length === 0 ? undefined : bytes;
  };
  const recovered = recoverHive(get('H')!, { log1: get('H.LOG1'), log2: get('H.LOG2'), log: get('H.LOG') });
  if (!recovered.recovered) expect(checkHive(recovered.bytes).filter((v) => v.severity === 'error')).toEqual([]);
  return dumpHiveToString(Hive.open(recovered.bytes));
}

interface Variant {
  /** Commit k (0-based) of the sequence: one process with the log state carried, or a new one each time. */
  newProcessEachCommit: boolean;
  options: CommitOptions;
  /** Checks the logs the dry run wrote. */
  expectLogs: (states: LogState[]) => void;
  seed?: [string, Uint8Array][];
}

function startState(): { start: Uint8Array; dumps: string[] } {
  const start = smallHive();
  const hive = Hive.open(start, { clock: fixedClock });
  const dumps = [dumpHiveToString(hive)];
  for (const e of EDITS) {
    e(hive);
    dumps.push(dumpHiveToString(hive));
  }
  return { start, dumps };
}

/** Runs the three commits on `fs` (throwing Crash at its crash point); returns how many completed. */
function runSequence(fs: FaultyFileSystem, start: Uint8Array, variant: Variant, done: { count: number; states: LogState[] }): void {
  let hive = Hive.open(start.slice(), { clock: fixedClock });
  let logState: LogState | undefined;
  for (const e of EDITS) {
    if (variant.newProcessEachCommit) {
      hive = Hive.open(fs.read('H')!, { clock: fixedClock });
      logState = undefined;
    }
    e(hive);
    const result = commitIncrementally(fs, 'H', undefined, hive, { ...variant.options, logState });
    logState = result.log;
    done.states.push(result.log);
    done.count++;
  }
}

const VARIANTS: Record<string, Variant> = {
  'one process, entries appended to LOG1': {
    newProcessEachCommit: false,
    options: {},
    expectLogs: (s) => {
      expect(s.map((l) => [l.path, l.appended])).toEqual([
        ['H.LOG1', false],
        ['H.LOG1', true],
        ['H.LOG1', true],
      ]);
    },
  },
  'LOG1 and LOG2 alternating (a log limit every entry passes)': {
    newProcessEachCommit: false,
    options: { logLimit: 1024 },
    expectLogs: (s) => expect(s.map((l) => l.path)).toEqual(['H.LOG1', 'H.LOG2', 'H.LOG1']),
  },
  'a new process for each commit, appending to the log it finds': {
    newProcessEachCommit: true,
    options: {},
    expectLogs: (s) =>
      expect(s.map((l) => [l.path, l.appended])).toEqual([
        ['H.LOG1', false],
        ['H.LOG1', true],
        ['H.LOG1', true],
      ]),
  },
  'old-format logs (a Windows 7 hive), a new process for each commit': {
    newProcessEachCommit: true,
    options: { logFormat: 'old' },
    expectLogs: (s) =>
      expect(s.map((l) => [l.format, l.path])).toEqual([
        ['old', 'H.LOG1'],
        ['old', 'H.LOG1'],
        ['old', 'H.LOG1'],
      ]),
  },
};

describe('three successive commits, a crash at every point of them', () => {
  for (const [name, variant] of Object.entries(VARIANTS)) {
    it(`${name}: every crash point and outcome reopens as the state before or after the commit in flight`, () => {
      const { start, dumps } = startState();
      const dry = new FaultyFileSystem();
      dry.seed('H', start);
      const dryDone = { count: 0, states: [] as LogState[] };
      runSequence(dry, start, variant, dryDone);
      variant.expectLogs(dryDone.states);
      expect(reopenDump(new Map(PATHS.map((p) => [p, dry.read(p) ?? new Uint8Array(0)])))).toBe(dumps[3]);
      expect(dumpHiveToString(Hive.open(dry.read('H')!))).toBe(dumps[3]);
      let outcomes = 0;
      for (let crashAt = 0; crashAt < dry.operations; crashAt++) {
        const fs = new FaultyFileSystem(crashAt);
        fs.seed('H', start);
        const done = { count: 0, states: [] as LogState[] };
        expect(() => runSequence(fs, start, variant, done)).toThrow(Crash);
        for (const files of combinations(fs)) {
          const dump = reopenDump(files);
          expect([dumps[done.count], dumps[done.count + 1]], `crash before operation ${crashAt} (commit ${done.count + 1})`).toContain(dump);
          outcomes++;
        }
      }
      expect(dry.operations).toBeGreaterThan(20);
      console.log(`${name}: ${dry.operations} crash points, ${outcomes} reopened outcomes`);
    });
  }
});

// ---- old-format logs for old-format hives -----------------------------------------------------

describe.skipIf(!corpusAvailable())('a hive whose logs are old-format gets old-format logs', () => {
  it('yarp/OldDirtyHive (Windows 7 logs): recovered, edited, committed with a DIRT log that replays', () => {
    const dir = 'OldDirtyHive';
    const primary = new Uint8Array(readFileSync(corpusPath(`yarp/${dir}/OldDirtyHive`)));
    const log1 = new Uint8Array(readFileSync(corpusPath(`yarp/${dir}/OldDirtyHive.LOG1`)));
    expect(readLogChain(log1)?.format).toBe('old');
    const recovered = recoverHive(primary, { log1 });
    const fs = new FaultyFileSystem();
    // The recovered state is in the primary (as HiveFile's recovery step leaves it); the old LOG1 and
    // the empty LOG2 are beside it.
    fs.seed('H', recovered.bytes);
    fs.seed('H.LOG1', log1);
    fs.seed('H.LOG2', new Uint8Array(0));
    const hive = Hive.open(recovered.bytes.slice(), { clock: fixedClock });
    hive.root().addSubkey('netconfig').setValue('v', ValueType.REG_SZ, sz('written with an old-format log'));
    const expected = dumpHiveToString(hive);
    // Stop right after the log is flushed and the primary is marked dirty: only the log holds the edit.
    const dry = new FaultyFileSystem();
    for (const [p, b] of fs.files) dry.seed(p, b.current);
    const result = commitIncrementally(dry, 'H', undefined, Hive.open(recovered.bytes.slice(), { clock: fixedClock }), {});
    expect(result.log).toMatchObject({ format: 'old', path: 'H.LOG1' });
    const written = dry.read('H.LOG1')!;
    expect(new DataView(written.buffer).getUint32(28, true)).toBe(1);
    expect(String.fromCharCode(...written.subarray(512, 516))).toBe('DIRT');
    expect(Array.from(written).some((_, i) => i % 512 === 0 && written[i] === 0x48 && written[i + 1] === 0x76 && written[i + 2] === 0x4c)).toBe(false);
    // Crash after the dirty mark: the old-format log alone completes the commit.
    let markOps = -1;
    for (let crashAt = 0; markOps < 0; crashAt++) {
      const at = new FaultyFileSystem(crashAt);
      for (const [p, b] of fs.files) at.seed(p, b.current);
      const edited = Hive.open(recovered.bytes.slice(), { clock: fixedClock });
      edited.root().addSubkey('netconfig').setValue('v', ValueType.REG_SZ, sz('written with an old-format log'));
      expect(() => commitIncrementally(at, 'H', undefined, edited, {})).toThrow(Crash);
      const h = at.survivors('H')[0]!;
      const view = new DataView(h.buffer, h.byteOffset);
      if (view.getUint32(4, true) !== view.getUint32(8, true)) {
        markOps = crashAt;
        const replay = recoverHive(h, { log1: at.survivors('H.LOG1')[0] });
        expect(replay.applied.map((a) => a.format)).toEqual(['old']);
        expect(dumpHiveToString(Hive.open(replay.bytes))).toBe(expected);
      }
    }
  });

  it('a hive with new-format logs (dfwinreg NTUSER.DAT.LOG, Windows 10) keeps getting HvLE logs', () => {
    const log = new Uint8Array(readFileSync(corpusPath('dfwinreg/NTUSER.DAT.LOG')));
    expect(readLogChain(log)?.format).toBe('new');
    const primary = new Uint8Array(readFileSync(corpusPath('dfwinreg/NTUSER.DAT')));
    const fs = new FaultyFileSystem();
    fs.seed('H', primary);
    fs.seed('H.LOG', log);
    const hive = Hive.open(primary.slice(), { clock: fixedClock });
    hive.root().addSubkey('netconfig');
    const result = commitIncrementally(fs, 'H', undefined, hive, {});
    expect(result.log.format).toBe('new');
    expect(readLogChain(fs.read(result.log.path))?.format).toBe('new');
  });
});
