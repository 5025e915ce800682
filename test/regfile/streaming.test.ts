import { describe, expect, it } from 'vitest';
import { RegFileSyntaxError, RegStreamParser, encodeRegFile, parseRegChunks, parseRegChunksAsync } from '../../src/regfile/index.js';

/** A flat .reg file of `keys` keys with one value each, produced chunk by chunk (never whole in memory). */
function* flatFile(keys: number, utf16: boolean): Generator<Uint8Array> {
  const encoder = new TextEncoder();
  const encode = (text: string): Uint8Array => (utf16 ? encodeRegFile(text).subarray(2) : encoder.encode(text));
  if (utf16) yield Uint8Array.of(0xff, 0xfe);
  let text = 'Windows Registry Editor Version 5.00\r\n\r\n';
  for (let i = 0; i < keys; i++) {
    text += `[HKEY_LOCAL_MACHINE\\SOFTWARE\\K${String(i).padStart(7, '0')}]\r\n"Value"=dword:${i.toString(16).padStart(8, '0')}\r\n\r\n`;
    if (text.length > 32768) {
      yield encode(text);
      text = '';
    }
  }
  yield encode(text);
}

function bestParseTime(keys: number, utf16: boolean): number {
  const chunks = [...flatFile(keys, utf16)];
  let best = Number.POSITIVE_INFINITY;
  for (let round = 0; round < 3; round++) {
    const start = performance.now();
    let count = 0;
    for (const operation of parseRegChunks(chunks)) if (operation.kind === 'value') count++;
    best = Math.min(best, performance.now() - start);
    expect(count).toBe(keys);
  }
  return best;
}

describe('streaming parse cost', () => {
  it('grows linearly with the file: 10× the keys costs far less than 100× the time (a quadratic parse once did)', () => {
    for (const utf16 of [false, true]) {
      const small = bestParseTime(10_000, utf16);
      const large = bestParseTime(100_000, utf16);
      // Linear is ~10×; the bound leaves room for a loaded machine and stays far below quadratic (100×).
      expect(large / Math.max(small, 1), `utf16=${utf16}: ${small.toFixed(1)} ms vs ${large.toFixed(1)} ms`).toBeLessThan(35);
    }
  });

  it('bounds a line and a value whatever the file holds', () => {
    const long = encodeRegFile(`Windows Registry Editor Version 5.00\r\n\r\n[HKEY_LOCAL_MACHINE\\X]\r\n"v"="${'x'.repeat(5000)}"\r\n`);
    expect(() => [...parseRegChunks([long], { maxLineLength: 4096 })]).toThrow(/line longer than 4096 characters/);
    // The limit holds while a line is still arriving in pieces, before it ends.
    const parser = new RegStreamParser({ maxLineLength: 4096 });
    expect(() => {
      for (let i = 0; i < long.length; i += 100) parser.push(long.subarray(i, i + 100));
    }).toThrow(RegFileSyntaxError);
    const hex = `Windows Registry Editor Version 5.00\r\n\r\n[HKEY_LOCAL_MACHINE\\X]\r\n"v"=hex:${Array(300).fill('ab').join(',\\\r\n  ')}\r\n`;
    expect(() => [...parseRegChunks([new TextEncoder().encode(hex)], { maxValueBytes: 256 })]).toThrow(/larger than 256 bytes/);
    expect([...parseRegChunks([new TextEncoder().encode(hex)])][1]).toMatchObject({ data: new Uint8Array(300).fill(0xab) });
  });

  it('yields operations as lines complete, before the input ends', () => {
    const parser = new RegStreamParser({ file: 's.reg' });
    expect(
      parser.push(new TextEncoder().encode('Windows Registry Editor Version 5.00\r\n[HKEY_LOCAL_MACHINE\\X\\a]\r\n"v"=dword:1\r\n"w"=hex:01,\\\r\n')),
    ).toHaveLength(2);
    expect(parser.format).toBe('v5');
    expect(parser.encoding).toBe('utf-8');
    expect(parser.push(new TextEncoder().encode('  02\r\n[HKEY_LOCAL_MACHINE\\X\\b]'))).toMatchObject([{ name: 'w', data: Uint8Array.of(1, 2), line: 4 }]);
    expect(parser.end()).toMatchObject([{ kind: 'key', keyPath: 'HKEY_LOCAL_MACHINE\\X\\b', line: 6 }]);
  });
});

describe('chunk buffers', () => {
  it('may be reused by the caller once push returns (the parser keeps no reference to them)', () => {
    const bytes = encodeRegFile('Windows Registry Editor Version 5.00\r\n\r\n[HKEY_LOCAL_MACHINE\\X\\Ключ]\r\n"v"="значение"\r\n"h"=hex:01,\\\r\n  02\r\n');
    const whole = [...parseRegChunks([bytes])];
    for (const size of [1, 3, 7, 64]) {
      const buffer = new Uint8Array(size);
      function* reused(): Generator<Uint8Array> {
        for (let i = 0; i < bytes.length; i += size) {
          const n = Math.min(size, bytes.length - i);
          buffer.set(bytes.subarray(i, i + n));
          yield buffer.subarray(0, n);
          buffer.fill(0x5a);
        }
      }
      expect([...parseRegChunks(reused())]).toEqual(whole);
    }
  });
});

describe('async sources', () => {
  it('give the same operations as sync ones', async () => {
    const chunks = [...flatFile(300, true)];
    async function* source(): AsyncGenerator<Uint8Array> {
      for (const chunk of chunks) for (let i = 0; i < chunk.length; i += 997) yield chunk.subarray(i, i + 997);
    }
    const operations = [];
    for await (const operation of parseRegChunksAsync(source())) operations.push(operation);
    expect(operations).toEqual([...parseRegChunks(chunks)]);
    expect(operations).toHaveLength(600);
  });
});
