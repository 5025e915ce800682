import { CP1252_HIGH, decodeWindows1252 } from '../hive/index.js';

/**
 * Incremental decoding of .reg bytes into text, chunk by chunk, in memory bounded by the chunk size.
 *
 * What regedit does (wine-mirror/wine@0a95b94f0969362708c569936450c1f58f95ab09 programs/regedit/regproc.c,
 * import_registry_file): a file starting with the bytes FF FE is UTF-16LE, anything else is read in the ANSI
 * code page. We accept more, because the files people have come from other editors: a UTF-8 or UTF-16BE
 * byte-order mark, UTF-16 without a mark (recognised by its NUL bytes: the header is ASCII, so one byte of
 * its first character is 0), and UTF-8 without a mark. Text that is not valid UTF-8 is read as Windows-1252,
 * the ANSI code page of western Windows installs (byte 0x92 is ’, not the control character U+0092).
 *
 * UTF-16 is decoded by hand, code unit by code unit, not with TextDecoder: key and value names may hold lone
 * surrogates (legal in a hive), and TextDecoder would replace them with U+FFFD.
 */

/** A text encoding of a .reg file (detected from its bytes, or given explicitly). */
export type RegEncoding = 'utf-8' | 'utf-16le' | 'utf-16be' | 'windows-1252' | 'latin1';

/** Every text encoding the .reg decoder accepts as an explicit `encoding`. */
export const REG_ENCODINGS: readonly RegEncoding[] = ['utf-8', 'utf-16le', 'utf-16be', 'windows-1252', 'latin1'];

/** A decoding failure, at a byte offset; the parser turns it into a RegFileSyntaxError with a line. */
export class RegDecodeProblem extends Error {
  constructor(
    readonly byteOffset: number,
    readonly reason: string,
  ) {
    super(reason);
    this.name = 'RegDecodeProblem';
  }
}

const SLICE = 8192;

type Decoder = InstanceType<typeof TextDecoder>;

export { CP1252_HIGH, decodeWindows1252 };

function unitsToString(units: Uint16Array | Uint8Array, length: number): string {
  let out = '';
  for (let i = 0; i < length; i += SLICE) {
    out += String.fromCharCode.apply(null, units.subarray(i, Math.min(length, i + SLICE)) as unknown as number[]);
  }
  return out;
}

/**
 * Index of the first byte that does not begin or continue a valid UTF-8 sequence (RFC 3629: no overlong forms,
 * no surrogates, nothing above U+10FFFF), or -1. A sequence cut off by the end of `bytes` counts as valid.
 */
export function firstInvalidUtf8(bytes: Uint8Array): number {
  let i = 0;
  while (i < bytes.length) {
    const b = bytes[i]!;
    if (b < 0x80) {
      i++;
      continue;
    }
    let need: number;
    let min = 0x80;
    let max = 0xbf;
    if (b >= 0xc2 && b <= 0xdf) need = 1;
    else if (b >= 0xe0 && b <= 0xef) {
      need = 2;
      if (b === 0xe0) min = 0xa0;
      if (b === 0xed) max = 0x9f;
    } else if (b >= 0xf0 && b <= 0xf4) {
      need = 3;
      if (b === 0xf0) min = 0x90;
      if (b === 0xf4) max = 0x8f;
    } else return i;
    for (let k = 1; k <= need; k++) {
      if (i + k >= bytes.length) return -1;
      const c = bytes[i + k]!;
      if (c < (k === 1 ? min : 0x80) || c > (k === 1 ? max : 0xbf)) return i;
    }
    i += need + 1;
  }
  return -1;
}

function hasNonAscii(bytes: Uint8Array): boolean {
  for (let i = 0; i < bytes.length; i++) if (bytes[i]! >= 0x80) return true;
  return false;
}

/** How the first bytes say the file is encoded: the encoding, the length of its byte-order mark, and whether it was declared (a BOM) or only guessed. */
interface Detection {
  encoding: RegEncoding | 'auto';
  bom: number;
}

function detect(head: Uint8Array): Detection {
  const [b0, b1, b2] = [head[0], head[1], head[2]];
  if (b0 === 0xff && b1 === 0xfe) return { encoding: 'utf-16le', bom: 2 };
  if (b0 === 0xfe && b1 === 0xff) return { encoding: 'utf-16be', bom: 2 };
  if (b0 === 0xef && b1 === 0xbb && b2 === 0xbf) return { encoding: 'utf-8', bom: 3 };
  // No mark: ASCII text (every header, key line and comment starts with ASCII) has no NUL byte in UTF-8 or an
  // 8-bit code page, while in UTF-16 one byte of each ASCII character is 0 — the low byte first in LE.
  if (head.length >= 2 && b0 !== 0 && b1 === 0) return { encoding: 'utf-16le', bom: 0 };
  if (head.length >= 2 && b0 === 0 && b1 !== 0) return { encoding: 'utf-16be', bom: 0 };
  return { encoding: 'auto', bom: 0 };
}

function bomOf(head: Uint8Array, encoding: RegEncoding): number {
  if (encoding === 'utf-16le' && head[0] === 0xff && head[1] === 0xfe) return 2;
  if (encoding === 'utf-16be' && head[0] === 0xfe && head[1] === 0xff) return 2;
  if (encoding === 'utf-8' && head[0] === 0xef && head[1] === 0xbb && head[2] === 0xbf) return 3;
  return 0;
}

/**
 * Decodes a .reg file pushed in chunks of any size (a chunk may end inside a UTF-8 sequence, between the two
 * bytes of a UTF-16 unit, or between the two units of a surrogate pair). `encoding` forces an encoding; without
 * it the encoding is detected from the first bytes (see the module comment).
 *
 * Without a BOM, UTF-8 is tried first. If a byte sequence is not UTF-8 and everything before it was ASCII, the
 * decoder switches to Windows-1252 without loss (ASCII reads the same in both). If text before it already held
 * UTF-8 multi-byte characters, those were UTF-8 and this is not: the file mixes encodings or is Windows-1252
 * that happened to look like UTF-8, and the decoder refuses rather than guess (run detectRegEncoding over the
 * whole file first, or name the encoding).
 */
export class RegDecoder {
  /** The encoding in use: undefined until the first bytes were seen. */
  encoding: RegEncoding | undefined;
  /** The encoding was named by the caller or declared by a BOM (no fallback from UTF-8 then). */
  private declared: boolean;
  private head: Uint8Array | undefined = new Uint8Array(0);
  private odd = -1;
  private utf8: Decoder | undefined;
  private sawNonAscii = false;
  /** Bytes consumed so far (for error offsets). */
  offset = 0;
  /** The bytes last handed to the decoding step and the offset of their first byte (to place an error in lines). */
  lastBytes: Uint8Array = new Uint8Array(0);
  lastStart = 0;

  constructor(encoding?: RegEncoding) {
    this.encoding = encoding;
    this.declared = encoding !== undefined;
  }

  /**
   * Decodes the next chunk of bytes and returns the text it completes; bytes of an unfinished character are held for the next chunk.
   * @throws {RegDecodeProblem} for bytes that are not valid in the encoding, at their byte offset.
   */
  push(chunk: Uint8Array): string {
    if (this.head !== undefined) {
      // Hold back the first few bytes until a BOM or the NUL pattern can be recognised.
      const joined = new Uint8Array(this.head.length + chunk.length);
      joined.set(this.head);
      joined.set(chunk, this.head.length);
      if (joined.length < 4) {
        this.head = joined;
        return '';
      }
      this.head = undefined;
      return this.start(joined);
    }
    return this.decode(chunk);
  }

  /** Flushes what is left. @throws {RegDecodeProblem} for a truncated UTF-8 sequence or an odd trailing byte of UTF-16 */
  end(): string {
    let text = '';
    if (this.head !== undefined) {
      const head = this.head;
      this.head = undefined;
      text = this.start(head);
    }
    if (this.encoding === 'utf-16le' || this.encoding === 'utf-16be') {
      if (this.odd >= 0) {
        throw new RegDecodeProblem(
          this.offset - 1,
          `the file ends with a single byte (0x${this.odd.toString(16).padStart(2, '0')}) after its last whole UTF-16 character: it is truncated or not ${this.encoding}`,
        );
      }
      return text;
    }
    if (this.utf8 !== undefined) {
      try {
        text += this.utf8.decode();
      } catch {
        throw new RegDecodeProblem(this.offset, 'the file ends in the middle of a UTF-8 character: it is truncated or not UTF-8');
      }
    }
    return text;
  }

  private start(bytes: Uint8Array): string {
    let skip: number;
    if (this.encoding === undefined) {
      const found = detect(bytes);
      skip = found.bom;
      if (found.encoding === 'auto') this.encoding = 'utf-8';
      else {
        this.encoding = found.encoding;
        this.declared = found.bom > 0;
      }
    } else skip = bomOf(bytes, this.encoding);
    this.offset += skip;
    return this.decode(bytes.subarray(skip));
  }

  private decode(chunk: Uint8Array): string {
    const at = this.offset;
    this.lastBytes = chunk;
    this.lastStart = at;
    this.offset += chunk.length;
    switch (this.encoding) {
      case 'utf-16le':
      case 'utf-16be':
        return this.utf16(chunk, this.encoding === 'utf-16le');
      case 'latin1':
        return unitsToString(chunk, chunk.length);
      case 'windows-1252':
        return decodeWindows1252(chunk);
      default: {
        this.utf8 ??= new TextDecoder('utf-8', { fatal: true, ignoreBOM: true });
        try {
          const text = this.utf8.decode(chunk, { stream: true });
          if (!this.sawNonAscii && hasNonAscii(chunk)) this.sawNonAscii = true;
          return text;
        } catch {
          const bad = at + Math.max(0, firstInvalidUtf8(chunk));
          if (this.declared)
            throw new RegDecodeProblem(
              bad,
              `byte 0x${chunk[bad - at]!.toString(16).padStart(2, '0')} at offset ${bad} is not valid UTF-8, the encoding named or declared by the file's byte-order mark`,
            );
          if (this.sawNonAscii) {
            throw new RegDecodeProblem(
              bad,
              `byte 0x${chunk[bad - at]!.toString(16).padStart(2, '0')} at offset ${bad} is not valid UTF-8, but text before it held UTF-8 characters; name the encoding (utf-8 or windows-1252)`,
            );
          }
          // Everything so far was ASCII, which Windows-1252 reads the same way: switch without loss.
          this.encoding = 'windows-1252';
          this.utf8 = undefined;
          return decodeWindows1252(chunk);
        }
      }
    }
  }

  private utf16(chunk: Uint8Array, le: boolean): string {
    let start = 0;
    let prefix = '';
    if (this.odd >= 0 && chunk.length > 0) {
      const unit = le ? this.odd | (chunk[0]! << 8) : (this.odd << 8) | chunk[0]!;
      prefix = String.fromCharCode(unit);
      this.odd = -1;
      start = 1;
    }
    const count = (chunk.length - start) >> 1;
    const units = new Uint16Array(count);
    for (let i = 0, p = start; i < count; i++, p += 2) units[i] = le ? chunk[p]! | (chunk[p + 1]! << 8) : (chunk[p]! << 8) | chunk[p + 1]!;
    if (start + 2 * count < chunk.length) this.odd = chunk[chunk.length - 1]!;
    return prefix + unitsToString(units, count);
  }
}

/**
 * The encoding of a whole file, read once in chunks (bounded memory): a BOM or the UTF-16 NUL pattern decide
 * at once; otherwise 'utf-8' if every byte sequence is valid UTF-8, else 'windows-1252'. Pass the result as
 * `encoding` to parseRegChunks when the file is read more than once (validate, then apply), so that both
 * passes read the same text.
 */
export function detectRegEncoding(chunks: Iterable<Uint8Array>): RegEncoding {
  // Feeds the strict UTF-8 decoder one more piece (or, without one, ends it); false at the first invalid sequence.
  const validUtf8 = (decoder: Decoder, bytes?: Uint8Array): boolean => {
    try {
      if (bytes === undefined) decoder.decode();
      else decoder.decode(bytes, { stream: true });
      return true;
    } catch {
      return false;
    }
  };
  // The first bytes (at least 4, for the BOM and NUL-pattern tests) decide, or start the UTF-8 check.
  const start = (head: Uint8Array): RegEncoding | Decoder => {
    const found = detect(head);
    if (found.encoding !== 'auto') return found.encoding;
    const decoder = new TextDecoder('utf-8', { fatal: true });
    return validUtf8(decoder, head) ? decoder : 'windows-1252';
  };
  let head: Uint8Array = new Uint8Array(0);
  let decoder: Decoder | undefined;
  for (const chunk of chunks) {
    if (decoder !== undefined) {
      if (!validUtf8(decoder, chunk)) return 'windows-1252';
      continue;
    }
    const joined = new Uint8Array(head.length + chunk.length);
    joined.set(head);
    joined.set(chunk, head.length);
    head = joined;
    if (head.length < 4) continue;
    const started = start(head);
    if (typeof started === 'string') return started;
    decoder = started;
  }
  if (decoder === undefined) {
    const started = start(head);
    if (typeof started === 'string') return started;
    decoder = started;
  }
  return validUtf8(decoder) ? 'utf-8' : 'windows-1252';
}

/**
 * Decodes a whole .reg file held in memory (see RegDecoder for the rules; here the UTF-8 check covers the
 * whole file, so the Windows-1252 fallback never refuses).
 * @throws {RegDecodeProblem} for an odd trailing byte of UTF-16 or invalid UTF-8 after a UTF-8 BOM
 */
export function decodeRegBytes(bytes: Uint8Array, encoding?: RegEncoding): { text: string; encoding: RegEncoding } {
  const decoder = new RegDecoder(encoding ?? detectRegEncoding([bytes]));
  const text = decoder.push(bytes) + decoder.end();
  return { text, encoding: decoder.encoding! };
}
