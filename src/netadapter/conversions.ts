import { NtStatusError, STATUS_INVALID_PARAMETER } from '../registry/index.js';

/**
 * String → ULONG as RtlUnicodeStringToInteger does it with an explicit base, which is how the device
 * backend reads a ULONG stored as text (netadaptercx-config.md §4): leading code units ≤ 0x20 skipped;
 * one optional sign (a second one ends the number); no 0x/0o/0b prefixes (those need base 0, which
 * NetAdapterCx never passes); digits case-insensitive; stops silently at the first non-digit; no
 * overflow check (mod 2³²); "-" negates in two's complement; an empty string is
 * STATUS_INVALID_PARAMETER.
 * @throws {NtStatusError} STATUS_INVALID_PARAMETER for an empty string
 */
export function unicodeStringToInteger(text: string, base: 10 | 16): number {
  if (text.length === 0) throw new NtStatusError(STATUS_INVALID_PARAMETER, 'RtlUnicodeStringToInteger of an empty string');
  let i = 0;
  while (i < text.length && text.charCodeAt(i) <= 0x20) i++;
  let negative = false;
  if (text[i] === '+' || text[i] === '-') {
    negative = text[i] === '-';
    i++;
  }
  let value = 0;
  for (; i < text.length; i++) {
    const c = text.charCodeAt(i);
    let digit: number;
    if (c >= 0x30 && c <= 0x39) digit = c - 0x30;
    else if (c >= 0x41 && c <= 0x5a) digit = c - 0x41 + 10;
    else if (c >= 0x61 && c <= 0x7a) digit = c - 0x61 + 10;
    else break;
    if (digit >= base) break;
    value = (Math.imul(value, base) + digit) >>> 0;
  }
  return negative ? -value >>> 0 : value;
}

/** The longest link-layer address NetAdapterCx accepts (NDIS_MAX_PHYS_ADDRESS_LENGTH, §3.9). */
export const NDIS_MAX_PHYS_ADDRESS_LENGTH = 32;

/**
 * NetworkAddress text → bytes as NdisReadNetworkAddress reads it (§5): hyphens dropped, each pair of
 * hex digits one byte, until the text ends. No validation of the address itself (multicast, broadcast,
 * all-zero and odd lengths pass through, §3.9). [NDIS-internal] for odd digit counts and non-hex
 * characters: this returns undefined (NDIS failure → STATUS_UNSUCCESSFUL at the API), the reading the
 * NDIS documentation supports ("each pair of digits").
 */
export function parseNetworkAddress(text: string): Uint8Array | undefined {
  const digits = text.replace(/-/g, '');
  if (digits.length === 0 || digits.length % 2 !== 0 || !/^[0-9a-fA-F]*$/.test(digits)) return undefined;
  const out = new Uint8Array(digits.length / 2);
  for (let i = 0; i < out.length; i++) out[i] = parseInt(digits.slice(2 * i, 2 * i + 2), 16);
  return out;
}
