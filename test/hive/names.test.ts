import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { decodeLatin1, decodeUtf16le, encodeName, lfHint, lhHash } from '../../src/hive/index.js';

describe('names', () => {
  it('round-trips any code-unit string, lone surrogates and NUL included', () => {
    fc.assert(
      fc.property(fc.string({ unit: 'binary', maxLength: 300 }), (name) => {
        const { bytes, compressed } = encodeName(name);
        const back = compressed ? decodeLatin1(bytes, 0, bytes.length) : decodeUtf16le(bytes, 0, bytes.length);
        expect(back).toBe(name);
        expect(compressed).toBe([...name].every((c) => c.charCodeAt(0) <= 0xff) && name.split('').every((c) => c.charCodeAt(0) <= 0xff));
      }),
    );
  });

  it('decodes compressed names as Latin-1, not windows-1252 (0x80 is U+0080, not €)', () => {
    expect(decodeLatin1(Uint8Array.of(0x80, 0x9f, 0xe4), 0, 3)).toBe('\u0080\u009fä');
  });

  it('decodes long names in chunks without overflowing the argument limit', () => {
    const name = 'x'.repeat(16383);
    const { bytes } = encodeName(`${name}€`);
    expect(decodeUtf16le(bytes, 0, bytes.length)).toBe(`${name}€`);
  });

  it('hashes through the Windows upcase table (ä→Ä), as in the Windows-written hivex/special hive', () => {
    // h = h·37 + upcase(unit): for "ä" that is 0xC4, for "a" 0x41.
    expect(lhHash('ä')).toBe(0xc4);
    expect(lhHash('ab')).toBe((0x41 * 37 + 0x42) >>> 0);
    expect(lhHash('abcd_äöüß')).toBe(lhHash('ABCD_ÄÖÜß'));
  });

  it('builds lf hints from the first four units, or zeros when one is above 0xFF', () => {
    expect(lfHint('Ab')).toBe(0x6241);
    expect(lfHint('abcdef')).toBe(0x64636261);
    expect(lfHint('aПb')).toBe(0);
  });
});
