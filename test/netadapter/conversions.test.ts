import { describe, expect, it } from 'vitest';
import { parseNetworkAddress, unicodeStringToInteger } from '../../src/netadapter/index.js';
import { NtStatusError, STATUS_INVALID_PARAMETER } from '../../src/registry/index.js';

/** §4 (RtlUnicodeStringToInteger with an explicit base) and §5 (NetworkAddress text). */
describe('unicodeStringToInteger (netadaptercx-config.md §4)', () => {
  const cases: [string, 10 | 16, number][] = [
    ['10', 10, 10], // case 7
    ['10', 16, 16], // case 7
    ['0x1A', 16, 0], // case 8: prefixes only with base 0
    ['0b10', 16, 0xb10], // b is a hex digit
    ['0x10', 10, 0],
    ['  -1', 10, 0xffffffff], // case 9
    ['4294967296', 10, 0], // case 10: wraps
    ['9999999999', 10, 1410065407],
    ['12abc', 10, 12], // case 11
    ['abc', 10, 0], // case 11
    ['FGH', 16, 15],
    ['   ', 10, 0],
    ['+-5', 10, 0], // a second sign ends the number
    ['\t\n 42', 10, 42],
    ['ff', 16, 255],
    ['FF', 16, 255],
  ];
  for (const [text, base, expected] of cases) {
    it(`"${JSON.stringify(text).slice(1, -1)}" base ${base} → ${expected}`, () => {
      expect(unicodeStringToInteger(text, base)).toBe(expected);
    });
  }

  it('an empty string is STATUS_INVALID_PARAMETER (case 12)', () => {
    try {
      unicodeStringToInteger('', 10);
      expect.unreachable();
    } catch (error) {
      expect(error).toBeInstanceOf(NtStatusError);
      expect((error as NtStatusError).status).toBe(STATUS_INVALID_PARAMETER);
    }
  });
});

describe('parseNetworkAddress (§5, cases 40–42, 44)', () => {
  it('reads hyphenated and plain forms alike (cases 40, 41)', () => {
    expect(Array.from(parseNetworkAddress('02-11-22-33-44-55')!)).toEqual([2, 0x11, 0x22, 0x33, 0x44, 0x55]);
    expect(Array.from(parseNetworkAddress('021122334455')!)).toEqual([2, 0x11, 0x22, 0x33, 0x44, 0x55]);
  });

  it('does not filter broadcast, multicast or all-zero addresses (case 42)', () => {
    for (const text of ['FFFFFFFFFFFF', '010000000000', '000000000000']) expect(parseNetworkAddress(text)!.length).toBe(6);
  });

  it('returns 33 bytes for 66 digits, for the caller to reject (case 44), and nothing for odd or non-hex text', () => {
    expect(parseNetworkAddress('ab'.repeat(33))!.length).toBe(33);
    expect(parseNetworkAddress('0211223344556')).toBeUndefined();
    expect(parseNetworkAddress('02112233445G')).toBeUndefined();
    expect(parseNetworkAddress('')).toBeUndefined();
  });
});
