import { mkdtempSync, readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { DirtyHiveError, Hive, ValueType } from '../../src/hive/index.js';
import { HiveFile, writeFileAtomic } from '../../src/node/index.js';
import { fixedClock } from '../support/hives.js';

function dirtyHive(): Uint8Array {
  const bytes = Hive.create({ clock: fixedClock }).serialize();
  const view = new DataView(bytes.buffer);
  view.setUint32(4, view.getUint32(8, true) + 1, true);
  return bytes;
}

describe('HiveFile', () => {
  const dir = mkdtempSync(join(tmpdir(), 'netconfiguration-file-'));

  it('saves changes atomically and leaves no temporary file behind', () => {
    const path = join(dir, 'a.hiv');
    writeFileSync(path, Hive.create({ clock: fixedClock }).serialize());
    const file = HiveFile.open(path, { clock: fixedClock });
    file.hive
      .root()
      .addSubkey('k')
      .setValue('v', ValueType.REG_DWORD, Uint8Array.of(1, 0, 0, 0));
    file.save();
    expect(readdirSync(dir)).toEqual(['a.hiv']);
    const reread = Hive.open(readFileSync(path));
    expect(reread.root().subkey('k')!.value('v')!.data()).toEqual(Uint8Array.of(1, 0, 0, 0));
    expect(reread.baseBlock.primarySequence).toBe(reread.baseBlock.secondarySequence);
  });

  it('refuses to write a dirty hive over itself unless forced, and leaves the file untouched', () => {
    const path = join(dir, 'dirty.hiv');
    const original = dirtyHive();
    writeFileSync(path, original);
    const file = HiveFile.open(path);
    expect(file.hive.dirty?.sequenceNumbersEqual).toBe(false);
    expect(() => file.save()).toThrow(DirtyHiveError);
    expect(new Uint8Array(readFileSync(path))).toEqual(original);
    file.saveAs(join(dir, 'copy.hiv'));
    expect(Hive.open(readFileSync(join(dir, 'copy.hiv'))).dirty).toBeUndefined();
    file.save({ force: true });
    expect(Hive.open(readFileSync(path)).dirty).toBeUndefined();
  });

  it('does not let edits through a hive change the caller-visible data it returned', () => {
    const path = join(dir, 'adopt.hiv');
    const hive = Hive.create({ clock: fixedClock });
    hive.root().setValue('v', ValueType.REG_BINARY, Uint8Array.of(1, 2, 3, 4, 5, 6));
    writeFileSync(path, hive.serialize());
    const file = HiveFile.open(path);
    const data = file.hive.root().value('v')!.data();
    file.hive.root().setValue('v', ValueType.REG_BINARY, Uint8Array.of(9, 9, 9, 9, 9, 9));
    expect(data).toEqual(Uint8Array.of(1, 2, 3, 4, 5, 6));
  });

  it('keeps the old file when the write fails', () => {
    const path = join(dir, 'keep.txt');
    writeFileSync(path, 'old');
    expect(() => writeFileAtomic(join(dir, 'missing-dir', 'x'), Uint8Array.of(1))).toThrow();
    expect(readFileSync(path, 'utf8')).toBe('old');
    expect(readdirSync(dir).filter((n) => n.includes('.tmp-'))).toEqual([]);
  });
});
