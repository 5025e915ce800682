import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { Hive, ValueType, checkHive } from '../../src/hive/index.js';
import type { Violation } from '../../src/hive/index.js';
import { corpusAvailable, corpusFiles, readCorpus } from '../support/corpus.js';
import { fixedClock, patternBytes } from '../support/hives.js';

function rules(violations: Violation[]): Record<string, number> {
  const out: Record<string, number> = {};
  for (const v of violations) out[v.rule] = (out[v.rule] ?? 0) + 1;
  return out;
}

function richHive(minorVersion: 3 | 5): Hive {
  const hive = Hive.create({ minorVersion, clock: fixedClock });
  const root = hive.root();
  const many = root.addSubkey('many');
  for (let i = 0; i < 600; i++) many.addSubkey(`k${i}`);
  for (const name of ['Ärger', 'ß2', 'Привет', 'SS3', 'ss1']) root.addSubkey(name, { className: 'c' });
  root.subkey('ärger')!.setValue('big', ValueType.REG_BINARY, patternBytes(20_000));
  root.ensurePath('doomed\\a\\b').setValue('v', ValueType.REG_SZ, patternBytes(30));
  root.deleteSubkey('doomed');
  return hive;
}

describe('validator on hives we write', () => {
  for (const minorVersion of [3, 5] as const) {
    it(`finds nothing in an empty and in a busy v1.${minorVersion} hive`, () => {
      expect(checkHive(Hive.create({ minorVersion }).serialize())).toEqual([]);
      expect(checkHive(richHive(minorVersion).serialize())).toEqual([]);
    });
  }
});

describe('validator catches each kind of damage', () => {
  const clean = (): { bytes: Uint8Array; view: DataView; hive: Hive } => {
    const hive = richHive(5);
    const bytes = hive.serialize();
    return { bytes, view: new DataView(bytes.buffer), hive };
  };

  it('a wrong lh hash', () => {
    const { bytes, view, hive } = clean();
    const list = view.getUint32(4096 + hive.root().cell + 4 + 28, true);
    bytes[4096 + list + 4 + 8] = bytes[4096 + list + 4 + 8]! ^ 1;
    expect(rules(checkHive(bytes))).toEqual({ 'list-hash': 1 });
  });

  it('a security reference count one too low, and one too high', () => {
    const { bytes, view, hive } = clean();
    const sk = hive.root().securityCell;
    const at = 4096 + sk + 4 + 12;
    const count = view.getUint32(at, true);
    view.setUint32(at, count - 1, true);
    expect(rules(checkHive(bytes))).toEqual({ 'sk-refcount-low': 1 });
    view.setUint32(at, count + 1, true);
    expect(rules(checkHive(bytes))).toEqual({ 'sk-refcount-high': 1 });
  });

  it('two adjacent free cells', () => {
    const hive = Hive.create({ clock: fixedClock });
    hive.root().addSubkey('a');
    const bytes = hive.serialize();
    const view = new DataView(bytes.buffer);
    // Split the bin's trailing free cell in two free halves.
    let cell = 32;
    while (view.getInt32(4096 + cell, true) < 0) cell += -view.getInt32(4096 + cell, true);
    const size = view.getInt32(4096 + cell, true);
    view.setInt32(4096 + cell, 16, true);
    view.setInt32(4096 + cell + 16, size - 16, true);
    expect(rules(checkHive(bytes))).toEqual({ 'free-not-coalesced': 1 });
  });

  it('a checksum, unequal sequence numbers, a broken bin', () => {
    const { bytes, view } = clean();
    view.setUint32(4, view.getUint32(4, true) + 1, true);
    expect(Object.keys(rules(checkHive(bytes))).sort()).toEqual(['base-checksum', 'base-sequence']);
    bytes[4096] = 0x67;
    expect(rules(checkHive(bytes))['bin-header']).toBe(1);
  });

  it('a wrong subkey count, a leaked cell, a wrong parent', () => {
    const { bytes, view, hive } = clean();
    const many = hive.root().subkey('many')!;
    view.setUint32(4096 + many.cell + 4 + 20, 599, true);
    expect(rules(checkHive(bytes))).toEqual({ 'subkey-count': 1 });
    view.setUint32(4096 + many.cell + 4 + 20, 600, true);
    const child = many.subkeys()[0]!;
    view.setUint32(4096 + child.cell + 4 + 16, hive.root().cell, true);
    expect(rules(checkHive(bytes))).toEqual({ 'key-parent': 1 });
    const leak = Hive.create({ clock: fixedClock });
    leak.allocate(40);
    expect(rules(checkHive(leak.serialize()))).toEqual({ 'unreferenced-cell': 1 });
  });

  it('a root without HIVE_ENTRY (as offreg.dll writes it) is a warning; our writer sets the flag', () => {
    const { bytes, view, hive } = clean();
    const flagsAt = 4096 + hive.rootCell + 4 + 2;
    expect(view.getUint16(flagsAt, true)).toBe(0x2c);
    view.setUint16(flagsAt, 0x20, true);
    const found = checkHive(bytes);
    expect(rules(found)).toEqual({ 'root-flags': 1 });
    expect(found[0]!.severity).toBe('warning');
    // Such a hive opens and takes edits; what we write next keeps the root as it is.
    const reopened = Hive.open(bytes, { clock: fixedClock });
    reopened.root().addSubkey('added');
    expect(checkHive(reopened.serialize()).filter((v) => v.severity === 'error')).toEqual([]);
    // HIVE_ENTRY on another key stays an error.
    const other = clean();
    const child = other.hive.root().subkey('many')!.cell;
    other.view.setUint16(4096 + child + 4 + 2, other.view.getUint16(4096 + child + 4 + 2, true) | 4, true);
    expect(checkHive(other.bytes).map((v) => [v.rule, v.severity])).toEqual([['key-flags', 'error']]);
  });

  it('reports "not-a-hive" for other files instead of throwing', () => {
    expect(checkHive(new TextEncoder().encode('MZ this is no hive'))).toEqual([
      { rule: 'not-a-hive', offset: 0, kind: 'file', severity: 'error', message: expect.any(String) },
    ]);
  });

  it('never throws on damaged input (random flips and truncations)', () => {
    const source = richHive(5).serialize();
    fc.assert(
      fc.property(fc.array(fc.tuple(fc.nat(), fc.integer({ min: 0, max: 7 })), { minLength: 1, maxLength: 8 }), fc.nat(), (flips, cut) => {
        const bytes = source.slice(0, 4096 + (cut % (source.length - 4096 + 1)));
        for (const [offset, bit] of flips) bytes[offset % bytes.length] = bytes[offset % bytes.length]! ^ (1 << bit);
        checkHive(bytes, { maxViolations: 50 });
      }),
      { numRuns: 300 },
    );
  });
});

/** Windows-written hives with nothing to report. */
const CLEAN = [
  'hivex/minimal',
  'hivex/special',
  'hivex/rlenvalue_test_hive',
  'yarp/EmptyHive',
  'yarp/BigDataHive',
  'yarp/UnicodeHive',
  'yarp/UpcaseHive',
  'yarp/PairHive',
  'yarp/ManySubkeysHive',
  'yarp/System_Delta',
  'yarp/TruncatedPairHive2',
  'regipy/NTUSER.DAT',
  'regipy/SYSTEM.xz',
  'dfwinreg/NTUSER.DAT',
  'dfwinreg/UsrClass.dat',
  'EricZimmerman-Registry/SAM',
  'EricZimmerman-Registry/SAM_hasBigEndianDWord',
  'regipy/ntuser_software_partial',
  'yarp-recovered/UsrClass.dat.recovered',
];

/** Real hives with something to report, and why. */
const KNOWN: Record<string, { rules: Record<string, number>; why: string }> = {
  'yarp/WrongOrderHive': { rules: { 'list-order': 2 }, why: 'lists deliberately out of order: key "1" after 1 element, key "2" after 3' },
  'yarp/DuplicateSubkeysHive': { rules: { 'duplicate-name': 1 }, why: 'the same subkey twice in an ri list' },
  'yarp/InvalidParentHive': { rules: { 'key-parent': 1 }, why: 'an nk whose parent field points elsewhere' },
  'yarp/BadListHive': { rules: { 'key-parent': 1, 'cell-shared': 1, 'sk-refcount-high': 1, 'unreferenced-cell': 2 }, why: 'two keys list the same child' },
  'yarp/HealedHive': {
    rules: { 'sk-refcount-high': 2, 'unreferenced-cell': 4 },
    why: 'what Windows self-healing left: allocated, unreferenced cells and their sk references',
  },
  'yarp/NewDirtyHive1/RecoveredHive_Windows10': {
    rules: { 'unreferenced-cell': 8 },
    why: "Windows 10's own recovery leaves eight allocated nk cells of deleted keys behind",
  },
  'EricZimmerman-Registry/SECURITYNoRoot': {
    rules: { 'root-flags': 1 },
    why: 'the root lacks HIVE_ENTRY (flags 0x20), the point of the fixture: a warning, as offreg.dll writes such roots',
  },
  'yarp/DeletedTreeNoRootFlagHive': { rules: { 'root-flags': 1 }, why: 'the root lacks HIVE_ENTRY (a warning)' },
  'regipy/SECURITY': { rules: { 'base-sequence': 1 }, why: 'dirty (107/106), logs not kept' },
  'yarp/CompHive': {
    rules: { 'list-hint': 1 },
    why: 'Windows stored lf hint 0x81 for the compressed name "\\x9F" where regf.md\'s rule (the raw low byte) gives 0x9F: Windows derives hints for 0x80–0x9F differently; our writer uses the documented rule',
  },
};

describe.skipIf(!corpusAvailable())('validator on the corpus', () => {
  for (const name of CLEAN) {
    it(`${name}: nothing to report`, () => {
      expect(checkHive(readCorpus(name))).toEqual([]);
    });
  }
  for (const [name, expected] of Object.entries(KNOWN)) {
    it(`${name}: ${expected.why}`, () => {
      expect(rules(checkHive(readCorpus(name)))).toEqual(expected.rules);
    });
  }

  it('completes on every corpus file without throwing', () => {
    for (const name of corpusFiles()) checkHive(readCorpus(name));
  });
});
