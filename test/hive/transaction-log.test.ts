import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { Hive, HiveError, LogRecoveryError, dumpHiveToString, encodeLogFile, marvin32, recoverHive } from '../../src/hive/index.js';
import type { TransactionLogs } from '../../src/hive/index.js';
import { corpusAvailable, corpusFiles, readCorpus } from '../support/corpus.js';

/** Recovery from transaction logs, against Windows' own recoveries and yarp's (corpus README). */

function logsOf(base: string, xz = false): TransactionLogs {
  const files = new Set(corpusFiles());
  const get = (suffix: string): Uint8Array | undefined => {
    const name = `${base}${suffix}${xz ? '.xz' : ''}`;
    return files.has(name) ? readCorpus(name) : undefined;
  };
  return { log1: get('.LOG1'), log2: get('.LOG2'), log: get('.LOG') };
}

function differences(a: Uint8Array, b: Uint8Array, from: number, ignore: [number, number][] = []): number[] {
  const out: number[] = [];
  for (let i = from; i < Math.max(a.length, b.length); i++) {
    if (ignore.some(([start, end]) => i >= start && i < end)) continue;
    if (a[i] !== b[i]) out.push(i);
  }
  return out;
}

describe.skipIf(!corpusAvailable())('transaction-log recovery', () => {
  it('Marvin32 reproduces both hashes of every HvLE entry in the corpus logs', () => {
    let entries = 0;
    for (const name of corpusFiles().filter((n) => /\.LOG\d?(\.xz)?$/.test(n))) {
      const bytes = readCorpus(name);
      const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
      if (bytes.length < 512 || view.getUint32(28, true) !== 6) continue;
      for (let at = 512; at + 40 <= bytes.length; ) {
        if (view.getUint32(at, true) !== 0x454c7648) break;
        const size = view.getUint32(at + 4, true);
        if (size < 512 || at + size > bytes.length) break;
        expect(marvin32(bytes, at + 40, size - 40), name).toEqual({ lo: view.getUint32(at + 24, true), hi: view.getUint32(at + 28, true) });
        expect(marvin32(bytes, at, 32), name).toEqual({ lo: view.getUint32(at + 32, true), hi: view.getUint32(at + 36, true) });
        entries++;
        at += size;
      }
    }
    expect(entries).toBeGreaterThanOrEqual(45);
  });

  it('NewDirtyHive1: LOG1 then LOG2 give, from offset 4096, exactly what Windows 10 recovered', () => {
    const result = recoverHive(readCorpus('yarp/NewDirtyHive1/NewDirtyHive'), logsOf('yarp/NewDirtyHive1/NewDirtyHive'));
    expect(result.applied.map((a) => [a.log, a.firstSequence, a.lastSequence])).toEqual([
      ['LOG1', 2, 2],
      ['LOG2', 3, 5],
    ]);
    expect(differences(result.bytes, readCorpus('yarp/NewDirtyHive1/RecoveredHive_Windows10'), 4096)).toEqual([]);
    const hive = Hive.open(result.bytes);
    expect(hive.dirty).toBeUndefined();
    expect(hive.root().subkey('Key1')).toBeUndefined();
    expect(
      hive
        .root()
        .subkey('Key3')!
        .subkeys()
        .map((k) => k.name),
    ).toEqual(['Key3_1', 'Key3_2', 'Key3_3']);
    // The corpus README's "1441" counts characters: 2,882 bytes of UTF-16.
    expect(hive.root().subkey('Key3')!.value('')!.dataLength).toBe(2882);
  });

  it('NewDirtyHive2: LOG1 is stale, only LOG2 applies, last sequence 5', () => {
    const result = recoverHive(readCorpus('yarp/NewDirtyHive2/NewDirtyHive'), logsOf('yarp/NewDirtyHive2/NewDirtyHive'));
    expect(result.applied.map((a) => [a.log, a.lastSequence])).toEqual([['LOG2', 5]]);
    expect(Hive.open(result.bytes).baseBlock.primarySequence).toBe(5);
  });

  it('OldDirtyHive: the DIRT log gives what Windows 7 recovered, but for two fields Windows 7 rewrote', () => {
    const result = recoverHive(readCorpus('yarp/OldDirtyHive/OldDirtyHive'), logsOf('yarp/OldDirtyHive/OldDirtyHive'));
    expect(result.applied[0]).toMatchObject({ log: 'LOG1', format: 'old', entries: 64 });
    // Bytes 4116–4123: the first bin's timestamp, stamped by Windows 7 when it recovered. Byte 441800:
    // key 4500's largest-value-name field — 0x18 in the log's page, 0x02 (its one value "V") in
    // Windows 7's file: Windows recomputed it on load. The corpus README mentions only the first.
    expect(differences(result.bytes, readCorpus('yarp/OldDirtyHive/RecoveredHive_Windows7'), 4096, [[4116, 4124]])).toEqual([441800]);
    const hive = Hive.open(result.bytes);
    const many = hive.root().subkey('key_with_many_subkeys')!;
    expect(many.subkey('1')).toBeUndefined();
    expect(many.subkey('5000')!.subkey('find_me_in_log')).toBeDefined();
    expect(dumpHiveToString(hive)).toMatch(/"V", 7, "6100000062006200000063006300630000000000"/);
  });

  it('real-world logs give what yarp recovered: UsrClass.dat and SYSTEM_B, byte for byte from 4096', () => {
    const usrclass = recoverHive(readCorpus('regipy/UsrClass.dat'), logsOf('regipy/UsrClass.dat'));
    expect(differences(usrclass.bytes, readCorpus('yarp-recovered/UsrClass.dat.recovered'), 4096)).toEqual([]);
    const system = recoverHive(readCorpus('regipy/SYSTEM_B.xz'), logsOf('regipy/SYSTEM_B', true));
    expect(system.applied.map((a) => a.log)).toEqual(['LOG1', 'LOG2']);
    expect(differences(system.bytes, readCorpus('yarp-recovered/SYSTEM_B.recovered.xz'), 4096)).toEqual([]);
  });

  it('rebuilds a corrupt base block from the log (BadBaseBlockHive)', () => {
    const result = recoverHive(readCorpus('yarp/BadBaseBlockHive/BadBaseBlockHive'), logsOf('yarp/BadBaseBlockHive/BadBaseBlockHive'));
    expect(result.baseBlockFromLog).toBe(true);
    const hive = Hive.open(result.bytes);
    expect(hive.dirty).toBeUndefined();
    expect(hive.minorVersion).toBe(3);
  });

  for (const n of [1, 2, 3]) {
    it(`refuses the broken logs of BadLogHive${n} and leaves the input untouched`, () => {
      const primary = readCorpus(`yarp/BadLogHive${n}/BadLogHive`);
      const copy = primary.slice();
      expect(() => recoverHive(primary, logsOf(`yarp/BadLogHive${n}/BadLogHive`))).toThrow(LogRecoveryError);
      expect(Buffer.from(primary).equals(Buffer.from(copy))).toBe(true);
    });
  }

  it('ignores logs beside a clean hive (dfwinreg NTUSER.DAT and its stale .LOG)', () => {
    const primary = readCorpus('dfwinreg/NTUSER.DAT');
    const result = recoverHive(primary, logsOf('dfwinreg/NTUSER.DAT'));
    expect(result.recovered).toBe(false);
    expect(result.bytes).toBe(primary);
  });

  it('explains a dirty hive with no logs', () => {
    expect(() => recoverHive(readCorpus('regipy/SECURITY'), {})).toThrow(/dirty \(sequence numbers 107 ≠ 106\) and no usable transaction log/);
  });

  it('never throws anything but typed errors on damaged logs, and never hangs', () => {
    const primary = readCorpus('yarp/NewDirtyHive1/NewDirtyHive');
    const logs = logsOf('yarp/NewDirtyHive1/NewDirtyHive');
    fc.assert(
      fc.property(fc.array(fc.tuple(fc.boolean(), fc.nat(), fc.integer({ min: 0, max: 7 })), { minLength: 1, maxLength: 6 }), (flips) => {
        const log1 = logs.log1!.slice();
        const log2 = logs.log2!.slice();
        for (const [first, offset, bit] of flips) {
          const target = first ? log1 : log2;
          target[offset % target.length] = target[offset % target.length]! ^ (1 << bit);
        }
        try {
          const result = recoverHive(primary, { log1, log2 });
          Hive.open(result.bytes, { tolerant: true });
        } catch (error) {
          if (!(error instanceof HiveError)) throw error;
        }
      }),
      { numRuns: 300 },
    );
  });

  it('refuses a foreign log: SYSTEM_2 with SYSTEM_B.LOG1 beside it (issue 14.2), naming the reason', () => {
    const primary = readCorpus('regipy/SYSTEM_2.xz');
    const error = (() => {
      try {
        recoverHive(primary, { log1: readCorpus('regipy/SYSTEM_B.LOG1.xz') });
      } catch (e) {
        return e;
      }
      return undefined;
    })();
    expect(error).toBeInstanceOf(LogRecoveryError);
    expect((error as LogRecoveryError).reasons.join('\n')).toMatch(/LOG1 belongs to another hive \(its RmId GUID differs/);
  });

  it('refuses a replay whose result the validator rejects, even when the log passes every log check', () => {
    const primary = readCorpus('yarp/NewDirtyHive1/NewDirtyHive');
    const seq2 = new DataView(primary.buffer, primary.byteOffset).getUint32(8, true);
    const hiveBinsSize = new DataView(primary.buffer, primary.byteOffset).getUint32(40, true);
    // A well-formed entry (hashes right, sequence continuing the primary) that overwrites the first bin with zeros.
    const log1 = encodeLogFile(primary, seq2, hiveBinsSize, [{ offset: 0, bytes: new Uint8Array(4096) }]);
    expect(() => recoverHive(primary, { log1 })).toThrow(/gives an inconsistent hive .*bin-header/);
    // Without validation the same replay goes through: the check above is what refuses it.
    expect(recoverHive(primary, { log1 }, { validate: false }).recovered).toBe(true);
  });
});
