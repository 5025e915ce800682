import { describe, expect, it } from 'vitest';
import {
  BIG_DATA_SEGMENT,
  Hive,
  HiveNameError,
  HiveNameExistsError,
  HiveNotFoundError,
  ValueType,
  checkHive,
  dumpHiveToString,
  walkKeys,
} from '../../src/hive/index.js';
import { corpusAvailable, readCorpus } from '../support/corpus.js';
import { dword, expectAcceptedByOracles, fixedClock, patternBytes, sz } from '../support/hives.js';
import { oraclesAvailable, reglookup } from '../support/oracles.js';
import { writeTemporary } from '../support/hives.js';

const oracles = oraclesAvailable('hivexDump', 'hivexml', 'regfexport', 'reglookup');

function cellCount(bytes: Uint8Array): { allocated: number; free: number; adjacentFree: number } {
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const size = view.getUint32(40, true);
  let allocated = 0;
  let free = 0;
  let adjacentFree = 0;
  for (let bin = 0; bin < size; bin += view.getUint32(4096 + bin + 8, true)) {
    const end = bin + view.getUint32(4096 + bin + 8, true);
    let previousFree = false;
    for (let cell = bin + 32; cell < end; ) {
      const field = view.getInt32(4096 + cell, true);
      if (field < 0) allocated++;
      else {
        free++;
        if (previousFree) adjacentFree++;
      }
      previousFree = field > 0;
      cell += Math.abs(field);
    }
  }
  return { allocated, free, adjacentFree };
}

describe.skipIf(!oracles)('writing: every oracle reads back what we wrote', () => {
  for (const minorVersion of [3, 5] as const) {
    it(`creates an empty v1.${minorVersion} hive`, () => {
      const hive = Hive.create({ minorVersion, clock: fixedClock });
      const bytes = expectAcceptedByOracles(hive, `empty-${minorVersion}.hiv`);
      expect(bytes.length).toBe(8192);
      const reopened = Hive.open(bytes);
      expect(reopened.minorVersion).toBe(minorVersion);
      expect(reopened.dirty).toBeUndefined();
      expect(reopened.root().flags).toBe(0x2c);
    });

    it(`keys, values of every storage size and type, classes in v1.${minorVersion}`, () => {
      const hive = Hive.create({ minorVersion, clock: fixedClock });
      const root = hive.root();
      const software = root.addSubkey('Software', { className: 'Shell' });
      for (const name of ['Zeta', 'alpha', 'Ärger', 'ß2', 'SS3', 'ss1', 'Привет', 'weird™', 'abcd_äöüß', 'mixed\u00e9\u4e2d']) software.addSubkey(name);
      const values = software.subkey('alpha')!;
      const sizes = [0, 1, 2, 3, 4, 5, 8, 100, 4096, BIG_DATA_SEGMENT - 1, BIG_DATA_SEGMENT, BIG_DATA_SEGMENT + 1, 3 * BIG_DATA_SEGMENT, 70_000];
      for (const size of sizes) values.setValue(`bin${size}`, ValueType.REG_BINARY, patternBytes(size, size + 1));
      values.setValue('', ValueType.REG_SZ, sz('default value'));
      values.setValue('dword', ValueType.REG_DWORD, dword(0x12345678));
      values.setValue('qword', ValueType.REG_QWORD, patternBytes(8));
      values.setValue('multi', ValueType.REG_MULTI_SZ, sz('one\0two\0'));
      values.setValue('expand', ValueType.REG_EXPAND_SZ, sz('%SystemRoot%\\x'));
      values.setValue('big-endian', ValueType.REG_DWORD_BIG_ENDIAN, Uint8Array.of(0, 0, 1, 0));
      values.setValue('rid type', 0x1f4, patternBytes(20));
      values.setValue('名前', ValueType.REG_SZ, sz('値'));
      values.setValue('back\\slash', ValueType.REG_NONE, new Uint8Array(0));
      // libregf reads 1–3-byte inline data from the wrong end, but must still accept the file.
      expectAcceptedByOracles(hive, `mixed-${minorVersion}.hiv`);
      const reopened = Hive.open(hive.serialize());
      const alpha = reopened.root().subkey('SOFTWARE')!.subkey('ALPHA')!;
      for (const size of sizes) expect(alpha.value(`BIN${size}`)!.data()).toEqual(patternBytes(size, size + 1));
      expect(reopened.root().subkey('software')!.className).toBe('Shell');
      expect(
        reopened
          .root()
          .subkey('software')!
          .subkeys()
          .map((k) => k.name),
      ).toEqual(['abcd_äöüß', 'alpha', 'mixedé中', 'ss1', 'SS3', 'weird™', 'Zeta', 'Ärger', 'ß2', 'Привет']);
    });
  }

  it('stores values above 16,344 bytes as big data in v1.5 and as one cell in v1.3', () => {
    for (const minorVersion of [3, 5] as const) {
      const hive = Hive.create({ minorVersion, clock: fixedClock });
      hive.root().setValue('big', ValueType.REG_BINARY, patternBytes(40_000));
      const bytes = hive.serialize();
      const view = new DataView(bytes.buffer);
      const vk = hive.root().value('big')!.cell;
      const dataCell = view.getUint32(4096 + vk + 4 + 8, true);
      const signature = String.fromCharCode(bytes[4096 + dataCell + 4]!, bytes[4096 + dataCell + 5]!);
      if (minorVersion === 5) {
        expect(signature).toBe('db');
        // Windows gives every segment, the last one too, a 16,352-byte cell (corpus: all 19 db values).
        const list = view.getUint32(4096 + dataCell + 8, true);
        const segments = [0, 1, 2].map((i) => view.getUint32(4096 + list + 4 + 4 * i, true));
        expect(segments.map((cell) => -view.getInt32(4096 + cell, true))).toEqual([16352, 16352, 16352]);
      } else expect(-view.getInt32(4096 + dataCell, true)).toBeGreaterThanOrEqual(40_004);
      expect(checkHive(bytes)).toEqual([]);
    }
  });

  it('splits a list above 507 subkeys into an ri of leaves, and merges back on delete', () => {
    for (const minorVersion of [3, 5] as const) {
      const hive = Hive.create({ minorVersion, clock: fixedClock });
      const parent = hive.root().addSubkey('many');
      const names = Array.from({ length: 1600 }, (_, i) => `key${(i * 7919) % 1600}`);
      for (const name of names) parent.addSubkey(name);
      expect(parent.subkeyCount).toBe(1600);
      expectAcceptedByOracles(hive, `many-${minorVersion}.hiv`);
      for (const name of names.slice(0, 1500)) parent.deleteSubkey(name);
      expect(parent.subkeys().map((k) => k.name)).toEqual(names.slice(1500).sort((a, b) => (a.toUpperCase() < b.toUpperCase() ? -1 : 1)));
      expectAcceptedByOracles(hive, `many-deleted-${minorVersion}.hiv`);
    }
  });

  it('deletes subtrees, renames keys and deletes values without leaking or losing cells', () => {
    const hive = Hive.create({ clock: fixedClock });
    const root = hive.root();
    const a = root.addSubkey('A');
    const deep = a.ensurePath('B\\C\\D\\E');
    deep.setValue('x', ValueType.REG_BINARY, patternBytes(30_000));
    deep.addSubkey('F', { className: 'class' });
    for (let i = 0; i < 40; i++) a.setValue(`v${i}`, ValueType.REG_DWORD, dword(i));
    for (let i = 0; i < 40; i += 2) a.deleteValue(`V${i}`);
    expect(a.values().map((v) => v.name)).toEqual(Array.from({ length: 20 }, (_, i) => `v${2 * i + 1}`));
    root.addSubkey('Z');
    const renamed = root.subkey('Z')!.rename('a much longer name than before, so the nk cell moves');
    renamed.addSubkey('child');
    expect(root.subkeys().map((k) => k.name)).toEqual(['A', 'a much longer name than before, so the nk cell moves']);
    a.deleteSubkey('b');
    expect(a.subkeyCount).toBe(0);
    expectAcceptedByOracles(hive, 'deleted.hiv');
    const bytes = hive.serialize();
    expect(cellCount(bytes).adjacentFree).toBe(0);
  });

  it('reuses freed cells: a hundred set/delete cycles do not grow the file', () => {
    const hive = Hive.create({ clock: fixedClock });
    const key = hive.root().addSubkey('k');
    key.setValue('v', ValueType.REG_BINARY, patternBytes(50_000));
    key.deleteValue('v');
    const size = hive.serialize().length;
    for (let i = 0; i < 100; i++) {
      key.setValue('v', ValueType.REG_BINARY, patternBytes(50_000 - i * 7));
      key.addSubkey(`s${i}`).setValue('x', ValueType.REG_SZ, sz('y'));
      key.deleteSubkey(`s${i}`);
      key.deleteValue('v');
    }
    expect(hive.serialize().length).toBe(size);
  });

  it('shares security descriptors with exact reference counts', () => {
    const hive = Hive.create({ clock: fixedClock });
    const root = hive.root();
    const child = root.addSubkey('child');
    child.addSubkey('grandchild');
    expect(child.securityCell).toBe(root.securityCell);
    const custom = root.securityDescriptor()!.slice();
    custom[custom.length - 1] = custom[custom.length - 1]! ^ 1;
    child.setSecurityDescriptor(custom);
    root.addSubkey('other').setSecurityDescriptor(custom);
    expect(root.subkey('other')!.securityCell).toBe(child.securityCell);
    expect(checkHive(hive.serialize())).toEqual([]);
    root.deleteSubkey('child');
    root.deleteSubkey('other');
    expect(checkHive(hive.serialize())).toEqual([]);
  });

  it('refuses bad names and duplicates with typed errors', () => {
    const root = Hive.create().root();
    expect(() => root.addSubkey('')).toThrow(HiveNameError);
    expect(() => root.addSubkey('a\\b')).toThrow(HiveNameError);
    expect(() => root.addSubkey('x'.repeat(256))).toThrow(HiveNameError);
    root.addSubkey('x'.repeat(255));
    root.addSubkey('Straße');
    expect(() => root.addSubkey('STRAßE')).toThrow(HiveNameExistsError);
    expect(root.subkey('STRASSE')).toBeUndefined();
    expect(() => root.deleteSubkey('missing')).toThrow(HiveNotFoundError);
    expect(() => root.deleteValue('missing')).toThrow(HiveNotFoundError);
  });
});

describe.skipIf(!(oracles && corpusAvailable()))('round trips of real hives', () => {
  const files = [
    'hivex/special',
    'yarp/ManySubkeysHive',
    'yarp/BigDataHive',
    'regipy/NTUSER.DAT',
    'dfwinreg/UsrClass.dat',
    'regipy/SYSTEM.xz',
    'EricZimmerman-Registry/SAM_hasBigEndianDWord',
  ];

  for (const name of files) {
    it(`${name}: open → save keeps every key and value; mutate → save is read back by every oracle`, () => {
      const original = Hive.open(readCorpus(name), { clock: fixedClock });
      const before = dumpHiveToString(original);
      const saved = Hive.open(original.serialize());
      expect(dumpHiveToString(saved)).toBe(before);

      const root = saved.root();
      const added = root.addSubkey('netconfiguration test', { className: 'added' });
      added.setValue('NetworkAddress', ValueType.REG_SZ, sz('001122334455'));
      added.setValue('blob', ValueType.REG_BINARY, patternBytes(20_000));
      const first = root.subkeys()[0]!;
      first.setValue('added value', ValueType.REG_DWORD, dword(7));
      expectAcceptedByOracles(saved, `${name.replaceAll('/', '_')}.mutated`);
    });
  }

  it('keeps class names, timestamps and security descriptors through a save (reglookup -s)', () => {
    const bytes = readCorpus('dfwinreg/NTUSER.DAT');
    const path = writeTemporary('ntuser.saved', Hive.open(bytes).serialize());
    const before = reglookup(writeTemporary('ntuser.orig', bytes)).stdout;
    expect(reglookup(path).stdout).toBe(before);
  });

  it('walks every key of a large hive without recursion', () => {
    const hive = Hive.open(readCorpus('regipy/SYSTEM.xz'));
    let keys = 0;
    for (const _ of walkKeys(hive)) keys++;
    expect(keys).toBe(30756);
  });
});
