import { readFileSync } from 'node:fs';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { UPCASE, compareNames, upcaseName } from '../../src/hive/index.js';
import { corpusAvailable } from '../support/corpus.js';

const REFERENCE = new URL('../../../shared/reference/windows-upcase.json', import.meta.url);

describe.skipIf(!corpusAvailable())('the Windows upcase table', () => {
  it('equals the reference dump code unit by code unit (all 65,536)', () => {
    const { pairs } = JSON.parse(readFileSync(REFERENCE, 'utf8')) as { pairs: [number, number][] };
    const expected = new Uint16Array(0x10000);
    for (let unit = 0; unit < 0x10000; unit++) expected[unit] = unit;
    for (const [unit, upper] of pairs) expected[unit] = upper;
    const mismatches: string[] = [];
    for (let unit = 0; unit < 0x10000; unit++) {
      if (UPCASE[unit] !== expected[unit]) mismatches.push(`U+${unit.toString(16)}: ${UPCASE[unit]} ≠ ${expected[unit]}`);
    }
    expect(mismatches).toEqual([]);
    expect(pairs.length).toBe(973);
  });
});

describe('name order', () => {
  it('keeps ß, µ, ı, ſ, ς and title case unchanged, unlike toUpperCase', () => {
    expect(upcaseName('ßµıſςǅ')).toBe('ßµıſςǅ');
    expect(upcaseName('äöüÿａ')).toBe('ÄÖÜŸＡ');
  });

  it('orders ss1 < SS3 < ß2 (UpcaseHive) and puts surrogates before U+E000 (PairHive)', () => {
    expect(compareNames('ss1', 'SS3')).toBeLessThan(0);
    expect(compareNames('SS3', 'ß2')).toBeLessThan(0);
    expect(compareNames('\ud801\udc00', '\ue000')).toBeLessThan(0);
    expect(compareNames('abc', 'ABCD')).toBeLessThan(0);
    expect(compareNames('Abc', 'aBC')).toBe(0);
  });

  it('is a total order consistent with upcased code-unit comparison', () => {
    fc.assert(
      fc.property(fc.string({ unit: 'binary' }), fc.string({ unit: 'binary' }), (a, b) => {
        const ua = upcaseName(a);
        const ub = upcaseName(b);
        const expected = ua < ub ? -1 : ua > ub ? 1 : 0;
        expect(Math.sign(compareNames(a, b))).toBe(expected);
        expect(Math.sign(compareNames(b, a))).toBe(expected === 0 ? 0 : -expected);
      }),
    );
  });
});
