import {
  chownSync,
  chmodSync,
  closeSync,
  existsSync,
  lstatSync,
  mkdirSync,
  mkdtempSync,
  openSync,
  readFileSync,
  readdirSync,
  readlinkSync,
  statSync,
  symlinkSync,
  writeFileSync,
  ftruncateSync,
  writeSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { Hive, HiveTruncatedError, LogRecoveryError, NotAHiveError, ValueType, baseBlockChecksum, dumpHiveToString } from '../../src/hive/index.js';
import { HiveFile, HiveFileError, commitAll, findLogs, nodeFileSystem, recoverHiveFile, withHiveLocks, writeFileAtomic } from '../../src/node/index.js';
import type { CommitFileSystem } from '../../src/node/index.js';
import { corpusAvailable, corpusPath } from '../support/corpus.js';
import { fixedClock, sz } from '../support/hives.js';

/** Files around a hive (issues 13.9, 13.10, 14.1–14.3, 14.6) on the real file system. */

const root = mkdtempSync(join(tmpdir(), 'netconfiguration-durability-'));
let counter = 0;
function freshDir(): string {
  const dir = join(root, `d${counter++}`);
  mkdirSync(dir);
  return dir;
}

function smallHive(): Uint8Array {
  const hive = Hive.create({ clock: fixedClock });
  hive.root().addSubkey('Software').setValue('v', ValueType.REG_SZ, sz('x'));
  return hive.serialize();
}

function caught(fn: () => unknown): unknown {
  try {
    fn();
  } catch (error) {
    return error;
  }
  throw new Error('expected a throw');
}

function addAndCommit(path: string, name: string): void {
  const file = HiveFile.openForWriting(path, { recover: true, clock: fixedClock });
  try {
    file.hive.root().addSubkey(name);
    file.commit();
  } finally {
    file.close();
  }
}

describe('symbolic links and modes (issue 14.3)', () => {
  for (const suffix of ['LOG1', 'LOG2', 'LOG']) {
    it(`a ${suffix} that is a symlink is refused, and its target is left untouched`, () => {
      const dir = freshDir();
      const hive = join(dir, 'SAM');
      writeFileSync(hive, smallHive());
      const victim = join(dir, 'victim.txt');
      writeFileSync(victim, 'precious');
      symlinkSync(victim, `${hive}.${suffix}`);
      const error = caught(() => addAndCommit(hive, 'k'));
      expect(error).toBeInstanceOf(HiveFileError);
      expect((error as HiveFileError).code).toBe('SYMLINK');
      expect((error as HiveFileError).message).toMatch(/symbolic link/);
      expect(readFileSync(victim, 'utf8')).toBe('precious');
      expect(lstatSync(`${hive}.${suffix}`).isSymbolicLink()).toBe(true);
      // The hive itself is unchanged: the refusal came before its primary was touched.
      expect(Buffer.from(readFileSync(hive)).equals(Buffer.from(smallHive()))).toBe(true);
    });
  }

  it('logs get the hive mode and owner (a 0600 SAM never gets a 0644 SAM.LOG1)', () => {
    const dir = freshDir();
    const hive = join(dir, 'SAM');
    writeFileSync(hive, smallHive());
    chmodSync(hive, 0o600);
    const asRoot = process.getuid?.() === 0;
    if (asRoot) chownSync(hive, 4321, 4322);
    addAndCommit(hive, 'k');
    const log = statSync(`${hive}.LOG1`);
    expect(log.mode & 0o777).toBe(0o600);
    if (asRoot) expect([log.uid, log.gid]).toEqual([4321, 4322]);
    // An existing wider log is narrowed to the hive's mode.
    chmodSync(`${hive}.LOG1`, 0o666);
    addAndCommit(hive, 'k2');
    expect(statSync(`${hive}.LOG1`).mode & 0o777).toBe(0o600);
  });

  it('an atomic replace of a symlinked hive writes through to the target, keeping the link and the mode', () => {
    const dir = freshDir();
    const target = join(dir, 'real-SYSTEM');
    writeFileSync(target, smallHive());
    chmodSync(target, 0o640);
    const link = join(dir, 'SYSTEM');
    symlinkSync(target, link);
    const file = HiveFile.open(link, { clock: fixedClock });
    file.hive.root().addSubkey('through');
    file.save();
    expect(lstatSync(link).isSymbolicLink()).toBe(true);
    expect(readlinkSync(link)).toBe(target);
    expect(statSync(target).mode & 0o777).toBe(0o640);
    expect(Hive.open(readFileSync(target)).root().subkey('through')).toBeDefined();
    writeFileAtomic(link, smallHive());
    expect(lstatSync(link).isSymbolicLink()).toBe(true);
    expect(readdirSync(dir).sort()).toEqual(['SYSTEM', 'real-SYSTEM']);
    // An incremental commit through the link lands in the target too, its log beside the target.
    addAndCommit(link, 'committed');
    expect(Hive.open(readFileSync(target)).root().subkey('committed')).toBeDefined();
    expect(lstatSync(link).isSymbolicLink()).toBe(true);
  });

  it('a property over random link/mode layouts: no link target changes, created files never wider than the hive', () => {
    const modes = [0o600, 0o640, 0o644, 0o660];
    for (let round = 0; round < 12; round++) {
      const dir = freshDir();
      const hive = join(dir, 'H');
      writeFileSync(hive, smallHive());
      const mode = modes[round % modes.length]!;
      chmodSync(hive, mode);
      const victim = join(dir, 'victim');
      writeFileSync(victim, 'v');
      const linked = ['LOG1', 'LOG2', 'LOG', 'netconfig-lock'].filter((_, i) => (round >> i) & 1);
      for (const suffix of linked) symlinkSync(victim, `${hive}.${suffix}`);
      try {
        addAndCommit(hive, 'k');
        expect(linked).toEqual([]);
      } catch (error) {
        expect(error).toBeInstanceOf(HiveFileError);
        expect(linked.length).toBeGreaterThan(0);
      }
      expect(readFileSync(victim, 'utf8')).toBe('v');
      for (const name of readdirSync(dir)) {
        const st = lstatSync(join(dir, name));
        if (st.isFile() && name !== 'victim' && name !== 'H') expect((st.mode & 0o777 & ~mode).toString(8), name).toBe('0');
      }
      expect(readdirSync(dir).filter((n) => n.includes('.tmp-') || (n.endsWith('.netconfig-lock') && !lstatSync(join(dir, n)).isSymbolicLink()))).toEqual([]);
    }
  });
});

describe('plain errors (issues 13.10, 14.6)', () => {
  it('ENOENT names the file and what to do', () => {
    const error = caught(() => HiveFile.open(join(root, 'SYSTM.hiv')));
    expect(error).toBeInstanceOf(HiveFileError);
    expect((error as HiveFileError).code).toBe('ENOENT');
    expect((error as Error).message).toMatch(/^no such hive file: .*SYSTM\.hiv \(check --hive, or create one with 'netconfig create'\)$/);
  });

  it('EISDIR is typed', () => {
    const error = caught(() => HiveFile.open(root));
    expect((error as HiveFileError).code).toBe('EISDIR');
    expect((error as Error).message).toMatch(/is a directory/);
  });

  it('a file over 2 GiB is refused from fstat alone', () => {
    const path = join(freshDir(), 'huge');
    const fd = openSync(path, 'w');
    ftruncateSync(fd, 0x80000000 + 4096);
    closeSync(fd);
    const error = caught(() => HiveFile.open(path));
    expect((error as HiveFileError).code).toBe('TOO_LARGE');
  });

  it('a 1.9 GiB file declaring 0x7fff0000 bytes of bins is refused after its base block (no 2 GB read)', () => {
    const path = join(freshDir(), 'declares-too-much');
    const header = smallHive().slice(0, 4096);
    const view = new DataView(header.buffer);
    view.setUint32(40, 0x7fff0000, true);
    view.setUint32(508, baseBlockChecksum(view), true);
    const fd = openSync(path, 'w');
    writeSync(fd, header, 0, 4096, 0);
    ftruncateSync(fd, 1900 * 1024 * 1024);
    closeSync(fd);
    const before = process.memoryUsage().rss;
    const started = Date.now();
    const error = caught(() => HiveFile.open(path));
    expect(error).toBeInstanceOf(HiveTruncatedError);
    expect((error as Error).message).toMatch(/nothing more was read/);
    expect(Date.now() - started).toBeLessThan(1000);
    expect(process.memoryUsage().rss - before).toBeLessThan(100 * 1024 * 1024);
  });

  it('a 1 KiB old-format .LOG named as the hive is identified as a transaction log', () => {
    const path = join(freshDir(), 'SYSTEM.LOG');
    const bytes = smallHive().slice(0, 1024);
    const view = new DataView(bytes.buffer);
    view.setUint32(28, 1, true);
    view.setUint32(508, baseBlockChecksum(view), true);
    writeFileSync(path, bytes);
    const error = caught(() => HiveFile.open(path));
    expect(error).toBeInstanceOf(NotAHiveError);
    expect((error as Error).message).toMatch(/old-format transaction log .* not a hive/);
  });

  for (const code of ['ENOSPC', 'EROFS', 'EACCES']) {
    it(`${code} while writing the log: typed error, hive unchanged, no stray .LOG1`, () => {
      const dir = freshDir();
      const hive = join(dir, 'H');
      const original = smallHive();
      writeFileSync(hive, original);
      const real = nodeFileSystem();
      const failing: CommitFileSystem = {
        ...real,
        write: (path, position, bytes) => {
          if (path.endsWith('.LOG1') && position + bytes.length > 600) {
            real.write(path, position, bytes.subarray(0, 600));
            throw Object.assign(new Error(`${code}: simulated`), { code });
          }
          real.write(path, position, bytes);
        },
      };
      const file = HiveFile.openForWriting(hive, { clock: fixedClock });
      try {
        file.hive.root().addSubkey('k');
        const error = caught(() => file.commit({ fileSystem: failing }));
        expect(error).toBeInstanceOf(Error);
        // The simulated error is raw; the real file system types it (checked below through fileError).
        expect((error as { code?: string }).code).toBe(code);
      } finally {
        file.close();
      }
      expect(readdirSync(dir)).toEqual(['H']);
      expect(Buffer.from(readFileSync(hive)).equals(Buffer.from(original))).toBe(true);
    });
  }

  it('ENOSPC while growing the primary: typed error, hive bytes and length as before, no .LOG1', () => {
    const dir = freshDir();
    const hive = join(dir, 'H');
    const original = smallHive();
    writeFileSync(hive, original);
    const real = nodeFileSystem();
    let primaryWrites = 0;
    const failing: CommitFileSystem = {
      ...real,
      write: (path, position, bytes) => {
        // The first write past the primary's end: the growth, written before anything else.
        if (path === hive && position + bytes.length > original.length && ++primaryWrites === 1)
          throw Object.assign(new Error('ENOSPC: simulated'), { code: 'ENOSPC' });
        real.write(path, position, bytes);
      },
    };
    const file = HiveFile.openForWriting(hive, { clock: fixedClock });
    try {
      // 200 KB of new data: several pages past the primary's end, written before anything else.
      file.hive.root().setValue('big', ValueType.REG_BINARY, new Uint8Array(200_000).fill(7));
      expect(() => file.commit({ fileSystem: failing })).toThrow(/ENOSPC/);
    } finally {
      file.close();
    }
    expect(primaryWrites).toBe(1);
    expect(readdirSync(dir)).toEqual(['H']);
    expect(Buffer.from(readFileSync(hive)).equals(Buffer.from(original))).toBe(true);
  });

  it('openForWriting on a missing hive says "no such hive file" and leaves no lock file', () => {
    const dir = freshDir();
    const error = caught(() => HiveFile.openForWriting(join(dir, 'SYSTM.hiv')));
    expect((error as HiveFileError).code).toBe('ENOENT');
    expect((error as Error).message).toMatch(/^no such hive file/);
    expect(readdirSync(dir)).toEqual([]);
  });

  it('the real file system turns errno into one line naming the file', async () => {
    const { fileError } = await import('../../src/node/index.js');
    const e = fileError(Object.assign(new Error('x'), { code: 'ENOSPC' }), '/img/SAM.LOG1', 'write', 'log') as HiveFileError;
    expect(e).toBeInstanceOf(HiveFileError);
    expect(e.message).toMatch(/^no space left to write \/img\/SAM.LOG1 \(transaction log of the hive\)/);
    const r = fileError(Object.assign(new Error('x'), { code: 'EROFS' }), '/img/SAM', 'write') as HiveFileError;
    expect(r.message).toMatch(/read-only file system/);
  });
});

describe('logs found as Windows finds them (issue 13.9)', () => {
  it('transactions_NTUSER.DAT finds transactions_ntuser.dat.log1', () => {
    const dir = freshDir();
    const hive = join(dir, 'transactions_NTUSER.DAT');
    const base = smallHive();
    // A dirty primary and its log under a lower-case name.
    const committed = join(dir, 'scratch');
    writeFileSync(committed, base);
    addAndCommit(committed, 'fromLog');
    const log = readFileSync(`${committed}.LOG1`);
    const primary = new Uint8Array(readFileSync(committed));
    const view = new DataView(primary.buffer);
    view.setUint32(8, view.getUint32(8, true) - 1, true);
    view.setUint32(508, baseBlockChecksum(view), true);
    writeFileSync(hive, primary);
    writeFileSync(join(dir, 'transactions_ntuser.dat.log1'), log);
    expect(findLogs(hive).log1).toBeDefined();
    const file = HiveFile.open(hive, { recover: true });
    expect(file.recovery?.applied.map((a) => a.log)).toEqual(['LOG1']);
    expect(file.hive.root().subkey('fromLog')).toBeDefined();
  });
});

describe('replaceHive keeps the recovery state (a new Hive from an import)', () => {
  it('commits the recovered keys too: the primary alone holds them afterwards', () => {
    const dir = freshDir();
    const scratch = join(dir, 'scratch');
    writeFileSync(scratch, smallHive());
    addAndCommit(scratch, 'fromLog');
    const hive = join(dir, 'H');
    // The primary as it was before that commit, marked dirty: only LOG1 holds 'fromLog'.
    const primary = smallHive();
    const view = new DataView(primary.buffer);
    view.setUint32(4, view.getUint32(8, true) + 1, true);
    view.setUint32(508, baseBlockChecksum(view), true);
    writeFileSync(hive, primary);
    writeFileSync(`${hive}.LOG1`, readFileSync(`${scratch}.LOG1`));
    expect(Hive.open(primary).root().subkey('fromLog')).toBeUndefined();
    const file = HiveFile.openForWriting(hive, { recover: true, clock: fixedClock });
    expect(file.recovery?.recovered).toBe(true);
    try {
      const rebuilt = Hive.open(file.hive.bytes.slice(), { clock: fixedClock });
      rebuilt.root().addSubkey('imported');
      file.replaceHive(rebuilt);
      file.commit();
    } finally {
      file.close();
    }
    const alone = Hive.open(readFileSync(hive));
    expect(alone.dirty).toBeUndefined();
    expect(alone.root().subkey('fromLog')).toBeDefined();
    expect(alone.root().subkey('imported')).toBeDefined();
  });
});

describe('recoverHiveFile (recover --in-place / -o)', () => {
  it('in place through a symlink: the link stays, the target gets the recovered hive with its mode', () => {
    const dir = freshDir();
    const scratch = join(dir, 'scratch');
    writeFileSync(scratch, smallHive());
    addAndCommit(scratch, 'fromLog');
    const target = join(dir, 'real');
    const primary = smallHive();
    const view = new DataView(primary.buffer);
    view.setUint32(4, view.getUint32(8, true) + 1, true);
    view.setUint32(508, baseBlockChecksum(view), true);
    writeFileSync(target, primary);
    chmodSync(target, 0o600);
    writeFileSync(`${target}.LOG1`, readFileSync(`${scratch}.LOG1`));
    const link = join(dir, 'H');
    symlinkSync(target, link);
    // Logs are looked up beside the link's target (the file Windows would load), not beside the link.
    const { written, recovery } = recoverHiveFile(link);
    expect(recovery.recovered).toBe(true);
    expect(written).toBe(target);
    expect(lstatSync(link).isSymbolicLink()).toBe(true);
    expect(statSync(target).mode & 0o777).toBe(0o600);
    const hive = Hive.open(readFileSync(target));
    expect(hive.dirty).toBeUndefined();
    expect(hive.root().subkey('fromLog')).toBeDefined();
    expect(recoverHiveFile(link).written).toBeUndefined();
  });
});

describe.skipIf(!corpusAvailable())('real dirty hives through HiveFile (issues 14.1, 14.2)', () => {
  it('SYSTEM_B with both logs: commit keeps every key that existed only in LOG2, reopened without the logs', () => {
    const dir = freshDir();
    const hive = join(dir, 'SYSTEM');
    writeFileSync(hive, readFileSync(corpusPath('regipy/SYSTEM_B.xz')));
    writeFileSync(`${hive}.LOG1`, readFileSync(corpusPath('regipy/SYSTEM_B.LOG1.xz')));
    writeFileSync(`${hive}.LOG2`, readFileSync(corpusPath('regipy/SYSTEM_B.LOG2.xz')));
    const recovered = dumpHiveToString(HiveFile.open(hive, { recover: true }).hive);
    const file = HiveFile.openForWriting(hive, { recover: true });
    try {
      file.hive.root().addSubkey('netconfig-test');
      file.commit();
    } finally {
      file.close();
    }
    // The primary alone now holds the recovered state plus the edit.
    const alone = Hive.open(readFileSync(hive));
    expect(alone.dirty).toBeUndefined();
    const lines = (dump: string): string[] => dump.split('\n');
    const after = lines(dumpHiveToString(alone));
    const before = lines(recovered);
    // Every line of the recovered dump is still there but the root's (its timestamp and subkey count changed).
    const kept = new Set(after);
    const missing = before.filter((l) => !kept.has(l));
    expect(missing.length).toBeLessThan(3);
    expect(after.length).toBeGreaterThan(before.length);
    expect(alone.root().subkey('netconfig-test')).toBeDefined();
    // The logs beside the clean primary (appended to or emptied) are ignored when it is opened again.
    expect(dumpHiveToString(HiveFile.open(hive, { recover: true }).hive)).toBe(dumpHiveToString(alone));
  });

  it('SYSTEM_2 with SYSTEM_B.LOG1 beside it: refused with the reason, nothing written', () => {
    const dir = freshDir();
    const hive = join(dir, 'SYSTEM');
    const primary = readFileSync(corpusPath('regipy/SYSTEM_2.xz'));
    writeFileSync(hive, primary);
    writeFileSync(`${hive}.LOG1`, readFileSync(corpusPath('regipy/SYSTEM_B.LOG1.xz')));
    const error = caught(() => HiveFile.openForWriting(hive, { recover: true }));
    expect(error).toBeInstanceOf(LogRecoveryError);
    expect((error as Error).message).toMatch(/belongs to another hive/);
    expect(readFileSync(hive).equals(primary)).toBe(true);
    expect(existsSync(`${hive}.netconfig-lock`)).toBe(false);
    // recover --in-place: refused the same way, the hive untouched.
    expect(() => recoverHiveFile(hive)).toThrow(LogRecoveryError);
    expect(readFileSync(hive).equals(primary)).toBe(true);
    expect(readdirSync(dir).sort()).toEqual(['SYSTEM', 'SYSTEM.LOG1']);
  });
});

describe('several hives in one commit (issue 13.2) on the real file system', () => {
  it('commits both, leaves no record or pointer behind, and holds both locks in sorted order', () => {
    const dir = freshDir();
    const a = join(dir, 'SOFTWARE');
    const b = join(dir, 'NTUSER.DAT');
    writeFileSync(a, smallHive());
    writeFileSync(b, smallHive());
    withHiveLocks([a, b], 0, (locks) => {
      expect(locks.map((l) => l.hivePath)).toEqual([b, a]);
      const files = [a, b].map((p, i) => HiveFile.openForWriting(p, { recover: true, lock: locks[1 - i], clock: fixedClock }));
      files.forEach((f, i) => f.hive.root().addSubkey(`both-${i}`));
      commitAll(files);
      files.forEach((f) => f.close());
    });
    expect(Hive.open(readFileSync(a)).root().subkey('both-0')).toBeDefined();
    expect(Hive.open(readFileSync(b)).root().subkey('both-1')).toBeDefined();
    expect(readdirSync(dir).sort()).toEqual(['NTUSER.DAT', 'NTUSER.DAT.LOG1', 'SOFTWARE', 'SOFTWARE.LOG1']);
    // The same through openAllForWriting: files in the order named, every lock released by close().
    const files = HiveFile.openAllForWriting([a, b], { recover: true, clock: fixedClock });
    try {
      expect(files.map((f) => f.path)).toEqual([a, b]);
      expect(existsSync(`${a}.netconfig-lock`) && existsSync(`${b}.netconfig-lock`)).toBe(true);
      files[0]!.hive.root().addSubkey('again-a');
      files[1]!.hive.root().addSubkey('again-b');
      commitAll(files);
    } finally {
      files.forEach((f) => f.close());
    }
    expect(readdirSync(dir).filter((n) => n.includes('netconfig'))).toEqual([]);
    expect(Hive.open(readFileSync(b)).root().subkey('again-b')).toBeDefined();
    // A lock that is held makes the whole open fail, and releases the locks already taken.
    // (Sorted, NTUSER.DAT's lock comes first: holding SOFTWARE's makes the second acquisition fail.)
    const holder = HiveFile.openForWriting(a);
    try {
      expect(() => HiveFile.openAllForWriting([a, b], { wait: 0 })).toThrow(/locked by process/);
      expect(existsSync(`${b}.netconfig-lock`)).toBe(false);
    } finally {
      holder.close();
    }
  });
});
