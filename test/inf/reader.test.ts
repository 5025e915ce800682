import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { InfSyntaxError, decodeWindows1252, infInt, parseInf } from '../../src/inf/index.js';
import type { InfFile, InfLine, ParseInfOptions } from '../../src/inf/index.js';

/** Lexing only (inf.md §18 "parse": no Signature check). */
function lexed(text: string, options: Partial<ParseInfOptions> = {}): InfFile {
  return parseInf(text, { file: 't.inf', style: 'none', ...options });
}

function lines(inf: InfFile, section = 'S'): { key: string | undefined; fields: string[] }[] {
  return (inf.section(section) ?? []).map((l: InfLine) => ({ key: l.key, fields: l.fields }));
}

function only(text: string, section = 'S'): { key: string | undefined; fields: string[] } {
  const all = lines(lexed(text), section);
  expect(all).toHaveLength(1);
  return all[0]!;
}

function syntaxError(run: () => unknown): InfSyntaxError {
  try {
    run();
  } catch (error) {
    expect(error).toBeInstanceOf(InfSyntaxError);
    return error as InfSyntaxError;
  }
  throw new Error('expected an InfSyntaxError');
}

const VERSION = '[Version]\nSignature="$Windows NT$"\n';

/** The value `%key%` substitutes to, read as a field of a [S] line (§3.1: substitution at field-read time). */
function subst(inf: InfFile, text: string): string {
  return inf.substitute(text);
}

const utf8 = (s: string): Uint8Array => new TextEncoder().encode(s);
function utf16le(s: string, bom = true): Uint8Array {
  const out = new Uint8Array((s.length + (bom ? 1 : 0)) * 2);
  let o = 0;
  if (bom) {
    out[o++] = 0xff;
    out[o++] = 0xfe;
  }
  for (let i = 0; i < s.length; i++) {
    out[o++] = s.charCodeAt(i) & 0xff;
    out[o++] = s.charCodeAt(i) >> 8;
  }
  return out;
}

describe('inf.md §18.1 lexing and parsing', () => {
  it('case 1: key = value', () => {
    expect(only('[S]\nkey = value')).toEqual({ key: 'key', fields: ['value'] });
  });
  it('case 2: a,b , c has no key', () => {
    expect(only('[S]\na,b , c')).toEqual({ key: undefined, fields: ['a', 'b', 'c'] });
  });
  it('case 3: a one-field line is its own key, found case-insensitively', () => {
    const inf = lexed('[S]\nsingle');
    expect(lines(inf)).toEqual([{ key: 'single', fields: ['single'] }]);
    expect(inf.findLine('S', 'SINGLE')?.fields).toEqual(['single']);
  });
  it('case 4: an unquoted ; starts a comment, a quoted one does not', () => {
    expect(lines(lexed('[S]\nk = v ; note\nj = "v;w"'))).toEqual([
      { key: 'k', fields: ['v'] },
      { key: 'j', fields: ['v;w'] },
    ]);
  });
  it('case 5: HKR,,Name,,"x" has 5 fields', () => {
    expect(only('[S]\nHKR,,Name,,"x"').fields).toEqual(['HKR', '', 'Name', '', 'x']);
  });
  it('case 6: a trailing comma makes a final empty field', () => {
    expect(only('[S]\nk = a,').fields).toEqual(['a', '']);
  });
  it('case 7: quotes keep leading and trailing spaces', () => {
    expect(only('[S]\nk = "  padded  "').fields).toEqual(['  padded  ']);
  });
  it('case 8: "" inside quotes is one quote', () => {
    expect(only('[S]\nk = "say ""hi"""').fields).toEqual(['say "hi"']);
  });
  it('case 9: quoted and unquoted pieces concatenate', () => {
    expect(only('[S]\nk = ab"c d"ef').fields).toEqual(['abc def']);
  });
  it('case 10: a backslash at the end of a line continues it', () => {
    const inf = lexed('[S]\nk = first,\\\n    second');
    expect(lines(inf)).toEqual([{ key: 'k', fields: ['first', 'second'] }]);
  });
  it('case 11: continuation inserts no separator', () => {
    expect(only('[S]\nk = abc\\\ndef').fields).toEqual(['abcdef']);
  });
  it('case 12: a backslash followed by text is literal', () => {
    expect(only('[S]\nk = C:\\dir\\file').fields).toEqual(['C:\\dir\\file']);
  });
  it('case 13: a comment after the continuation backslash', () => {
    expect(only('[S]\nk = a,\\ ; c\nb').fields).toEqual(['a', 'b']);
  });
  it('case 14: two backslashes: the first is ignored, the second continues', () => {
    expect(only('[S]\nCopyFiles = SomeDirectory\\\\\n,SomeFile').fields).toEqual(['SomeDirectory', 'SomeFile']);
  });
  it('case 15: a quoted backslash, then a continuation', () => {
    expect(only('[S]\nCopyFiles = "SomeDirectory\\"\\\n,SomeFile').fields).toEqual(['SomeDirectory\\', 'SomeFile']);
  });
  it('case 16: a comment before the comma ends the line', () => {
    const inf = lexed('[S]\nCopyFiles = "SomeDirectory\\" ; c ,SomeFile');
    expect(lines(inf)).toEqual([{ key: 'CopyFiles', fields: ['SomeDirectory\\'] }]);
  });
  it('case 17: text after "]" on a header line is ignored', () => {
    const inf = lexed('[S] trailing junk\nx=1');
    expect(inf.sectionNames()).toEqual(['S']);
    expect(lines(inf)).toEqual([{ key: 'x', fields: ['1'] }]);
  });
  it('case 18: section names are not trimmed', () => {
    const inf = lexed('[ S ]\nx=1');
    expect(inf.sectionNames()).toEqual([' S ']);
    expect(inf.section('S')).toBeUndefined();
    expect(inf.findLine('S', 'x')).toBeUndefined();
    expect(inf.findLine(' S ', 'x')?.fields).toEqual(['1']);
  });
  it('case 19: a header without "]" is 0xE0000001 at its line', () => {
    const error = syntaxError(() => lexed('[S\nx=1'));
    expect(error.code).toBe('ERROR_BAD_SECTION_NAME_LINE');
    expect(error.win32).toBe(0xe0000001);
    expect(error.line).toBe(1);
    expect(error.file).toBe('t.inf');
  });
  it('case 20: a 256-character section name is 0xE0000002; 255 is fine', () => {
    const error = syntaxError(() => lexed(`[${'a'.repeat(256)}]`));
    expect(error.code).toBe('ERROR_SECTION_NAME_TOO_LONG');
    expect(error.win32).toBe(0xe0000002);
    expect(lexed(`[${'a'.repeat(255)}]`).sectionNames()).toEqual(['a'.repeat(255)]);
  });
  it('case 21: text before the first section without [Strings] is 0xE0000000 at line 1', () => {
    const error = syntaxError(() => lexed('x=1\n[S]'));
    expect(error.code).toBe('ERROR_EXPECTED_SECTION_NAME');
    expect(error.win32).toBe(0xe0000000);
    expect(error.line).toBe(1);
  });
  it('case 22: with a [Strings] section the stray line is ignored', () => {
    const inf = lexed('x=1\n[Strings]');
    expect(inf.sectionNames()).toEqual(['Strings']);
    expect(inf.section('Strings')).toEqual([]);
    expect(inf.findings.map((f) => [f.code, f.line])).toEqual([['INF_TEXT_BEFORE_SECTION', 1]]);
  });
  it('case 23: sections of the same name merge, case-insensitively', () => {
    const inf = lexed('[A]\nx=1\n[B]\ny=2\n[a]\nz=3');
    expect(lines(inf, 'A').map((l) => l.key)).toEqual(['x', 'z']);
    expect(inf.sectionNames()).toEqual(['A', 'B']);
    expect(inf.sectionInfo('a')?.headers).toEqual([1, 5]);
  });
  it('case 24: inner whitespace kept, trailing whitespace trimmed', () => {
    expect(only('[S]\nk = a   b   ').fields).toEqual(['a   b']);
  });
  it('case 25: a key with a space', () => {
    expect(only('[S]\nmy key = v').key).toBe('my key');
  });
  it('case 26: k = gives one empty field', () => {
    expect(only('[S]\nk =')).toEqual({ key: 'k', fields: [''] });
  });
  it('case 27: a quoted = in the key', () => {
    expect(only('[S]\n"a=b" = c')).toEqual({ key: 'a=b', fields: ['c'] });
  });
  it('case 28: quoted fields, one empty', () => {
    expect(only('[S]\nk = "x" , "" , y').fields).toEqual(['x', '', 'y']);
  });
  it('case 29: an unterminated quote ends at LF, keeping the CR [Wine]', () => {
    const inf = lexed('[S]\r\nk = "open\r\nj=1\r\n');
    expect(lines(inf)).toEqual([
      { key: 'k', fields: ['open\r'] },
      { key: 'j', fields: ['1'] },
    ]);
    expect(inf.findings.map((f) => [f.code, f.line])).toEqual([['INF_UNTERMINATED_QUOTE', 2]]);
  });
  it('case 30: Ctrl-Z ends the file', () => {
    const inf = lexed('[S]\na=1\n\x1ab=2');
    expect(lines(inf)).toEqual([{ key: 'a', fields: ['1'] }]);
    expect(inf.findings.map((f) => f.code)).toEqual(['INF_CTRL_Z']);
  });
  it('case 31: a lone CR does not end a line [Wine]', () => {
    expect(only('[S]\na=1\rb=2\n')).toEqual({ key: 'a', fields: ['1\rb=2'] });
  });
  it('case 32: UTF-16LE with BOM opens as WIN4; the BOM is not part of the first token', () => {
    const inf = parseInf(utf16le('[Version]\nSignature="$Windows NT$"'), { file: 'u.inf' });
    expect(inf.encoding).toBe('utf-16le');
    expect(inf.sectionNames()).toEqual(['Version']);
  });
  it('case 33: UTF-8 with BOM', () => {
    const inf = parseInf(Uint8Array.from([0xef, 0xbb, 0xbf, ...utf8(`${VERSION}[Strings]\nN="Zespół"`)]), { file: 'u.inf' });
    expect(inf.encoding).toBe('utf-8');
    expect(subst(inf, '%N%')).toBe('Zespół');
  });
  it('case 34: the same bytes without BOM read as Windows-1252 (mojibake)', () => {
    const bytes = utf8(`${VERSION}[Strings]\nN="Zespół"`);
    const inf = parseInf(bytes, { file: 'a.inf' });
    expect(inf.encoding).toBe('windows-1252');
    // ó = C3 B3 → Ã³; ł = C5 82 → Å‚ (0x82 is U+201A in 1252, not the C1 control Latin-1 would give).
    expect(subst(inf, '%N%')).toBe('ZespÃ³Å\u201A');
    expect(decodeWindows1252(Uint8Array.from([0x80, 0x92, 0x9f, 0xe9]))).toBe('€’Ÿé');
  });
  it('case 35: the Signature compares case-insensitively', () => {
    expect(() => parseInf('[Version]\nSignature="$windows nt$"', { file: 'v.inf' })).not.toThrow();
  });
  it('case 36: the Signature check does not substitute: 0xE0000100 at line 0', () => {
    const error = syntaxError(() => parseInf('[Version]\nSignature=%S%\n[Strings]\nS="$Windows NT$"', { file: 'v.inf' }));
    expect(error.code).toBe('ERROR_WRONG_INF_STYLE');
    expect(error.win32).toBe(0xe0000100);
    expect(error.line).toBe(0);
  });
  it('case 37: $ReactOS$ is not a WIN4 signature', () => {
    expect(syntaxError(() => parseInf('[Version]\nSignature="$ReactOS$"', { file: 'v.inf' })).win32).toBe(0xe0000100);
    // Lexing only: the same text parses, with a finding.
    expect(parseInf('[Version]\nSignature="$ReactOS$"', { file: 'v.inf', style: 'lint' }).findings.map((f) => f.code)).toEqual(['INF_WRONG_STYLE']);
  });
  it("case 38: a 600-character field is preserved (not Wine's 511); above 4095 a finding", () => {
    expect(only(`[S]\nk = ${'x'.repeat(600)}`).fields[0]).toHaveLength(600);
    const long = lexed(`[S]\nk = ${'x'.repeat(4096)}`);
    expect(long.section('S')![0]!.fields[0]).toHaveLength(4096);
    expect(long.findings.map((f) => f.code)).toEqual(['INF_FIELD_TOO_LONG']);
    expect(lexed(`[S]\nk = ${'x'.repeat(4095)}`).findings).toEqual([]);
  });
});

describe('inf.md §18.2 substitution and Strings', () => {
  const withStrings = (strings: string, options: Partial<ParseInfOptions> = {}): InfFile =>
    parseInf(`${VERSION}[Strings]\n${strings}`, { file: 's.inf', ...options });

  it('case 39: a token, case-insensitively', () => {
    const inf = withStrings('Prov="Contoso"');
    expect([subst(inf, '%Prov%'), subst(inf, '%PROV%')]).toEqual(['Contoso', 'Contoso']);
  });
  it('case 40: %% is one %', () => {
    const inf = parseInf(`${VERSION}[S]\nk = "%%SystemRoot%%\\x.dll"`, { file: 's.inf' });
    expect(inf.fieldsOf(inf.section('S')![0]!)).toEqual(['%SystemRoot%\\x.dll']);
    expect(inf.section('S')![0]!.fields).toEqual(['%%SystemRoot%%\\x.dll']); // raw until read
  });
  it('case 41: an unknown token stays, and is reported by the lint', () => {
    const inf = parseInf(`${VERSION}[S]\nk = %nokey%`, { file: 's.inf' });
    expect(inf.fieldsOf(inf.section('S')![0]!)).toEqual(['%nokey%']);
    expect(inf.undefinedTokens().map((f) => [f.code, f.line])).toEqual([['INF_UNDEFINED_STRING', 4]]);
  });
  it('case 42: 50% and %%%Prov%', () => {
    const inf = withStrings('Prov="Contoso"');
    expect([subst(inf, '50%'), subst(inf, '%%%Prov%')]).toEqual(['50%', '%Contoso']);
  });
  it('case 43: no recursion', () => {
    expect(subst(withStrings('A="%B%"\nB=x'), '%A%')).toBe('%B%');
  });
  it('case 44: %% inside a Strings value is inserted as %% [Wine]', () => {
    expect(subst(withStrings('Pct="50%% off"'), '%Pct%')).toBe('50%% off');
  });
  it('case 45: an empty value and a bare line', () => {
    const inf = withStrings('Empty=\nBare');
    expect([subst(inf, '%Empty%'), subst(inf, '%Bare%')]).toEqual(['', 'Bare']);
  });
  it('case 46: the first of two lines wins', () => {
    expect(subst(withStrings('Dup=first\nDup=second'), '%Dup%')).toBe('first');
  });
  it('case 47: a DIRID', () => {
    const inf = withStrings('');
    expect(subst(inf, '%12%\\n.sys')).toBe('C:\\Windows\\system32\\drivers\\n.sys');
    // A path ending in "\" loses one of two backslashes (§3.6); DIRID 1 = the INF's directory.
    const custom = withStrings('', { sourceDirectory: 'D:\\pkg\\' });
    expect(subst(custom, '%1%\\x.sys')).toBe('D:\\pkg\\x.sys');
    expect(subst(inf, '%13%\\x.sys')).toBe('%13%\\x.sys');
  });
  it('case 48: Strings are searched before DIRIDs', () => {
    expect(subst(withStrings('12="Twelve"'), '%12%')).toBe('Twelve');
  });
  it('case 49: keys are substituted before FindFirstLine compares', () => {
    const inf = parseInf(`${VERSION}[S]\n%K%=1\n[Strings]\nK=Foo`, { file: 's.inf' });
    expect(inf.findLine('S', 'foo')?.fields).toEqual(['1']);
  });
  const localized = '[Strings]\nD="en"\n[Strings.0407]\nD="de"';
  it('case 50: exact locale', () => {
    expect(subst(parseInf(VERSION + localized, { file: 'l.inf', locale: 0x0407 }), '%D%')).toBe('de');
  });
  it('case 51: same primary language', () => {
    const inf = parseInf(VERSION + localized, { file: 'l.inf', locale: 0x0c07 });
    expect(subst(inf, '%D%')).toBe('de');
    expect(inf.localizedStrings).toBe('Strings.0407');
  });
  it('case 52: SUBLANG_NEUTRAL before other sublanguages', () => {
    expect(subst(parseInf(`${VERSION}${localized}\n[Strings.0007]\nD="neutral"`, { file: 'l.inf', locale: 0x0c07 }), '%D%')).toBe('neutral');
  });
  it('case 53: other language → [Strings]', () => {
    expect(subst(parseInf(VERSION + localized, { file: 'l.inf', locale: 0x0409 }), '%D%')).toBe('en');
    expect(subst(parseInf(VERSION + localized, { file: 'l.inf' }), '%D%')).toBe('en');
  });
  it('case 54: a key only in the chosen localized section: docs `nur`; [ReactOS] %X%', () => {
    const text = `${VERSION}[Strings]\nA="en"\n[Strings.0407]\nA="de"\nX="nur"`;
    expect(subst(parseInf(text, { file: 'l.inf', locale: 0x0407 }), '%X%')).toBe('nur');
    const reactos = parseInf(text, { file: 'l.inf', locale: 0x0407, stringsProfile: 'reactos' });
    expect(subst(reactos, '%X%')).toBe('%X%');
    expect(subst(reactos, '%A%')).toBe('de');
    expect(subst(parseInf(text, { file: 'l.inf', locale: 0x0407, stringsProfile: 'wine' }), '%A%')).toBe('en');
  });
});

describe('reader: helpers and robustness', () => {
  it('SetupGetIntField semantics: base 0, leading 0 octal, garbage invalid (§2.10)', () => {
    expect([infInt(''), infInt('0x10'), infInt('010'), infInt('12'), infInt('-1'), infInt('1a'), infInt('08')]).toEqual([0, 16, 8, 12, -1, null, null]);
  });
  it('UTF-16BE with BOM (docs, §1.1) and UTF-16LE without BOM', () => {
    const le = utf16le('[Version]\nSignature="$Windows NT$"\n[S]\nk=v', false);
    const be = Uint8Array.from([0xfe, 0xff, ...Array.from(le, (_, i) => le[i ^ 1]!)]);
    for (const bytes of [le, be]) {
      const inf = parseInf(bytes, { file: 'x.inf' });
      expect(inf.findLine('S', 'k')?.fields).toEqual(['v']);
    }
    expect(parseInf(be, { file: 'x.inf' }).encoding).toBe('utf-16be');
  });
  it('text input is reported as such', () => {
    expect(lexed('[S]').encoding).toBe('text');
  });
  it('lines carry line and column; a NUL reads as a space', () => {
    const inf = lexed('[S]\n\n   k = a\0b');
    const l = inf.section('S')![0]!;
    expect([l.line, l.column, l.fields[0]]).toEqual([3, 4, 'a b']);
    expect(inf.findings.map((f) => f.code)).toEqual(['INF_NUL_CHARACTER']);
  });
  it('substitution that would explode is a typed error, the parse-time length a finding', () => {
    const big = 'y'.repeat(4000);
    const inf = lexed(`[S]\nk = ${'%A%'.repeat(400)}\n[Strings]\nA=${big}`);
    expect(inf.findings.map((f) => f.code)).toEqual(['INF_STRING_TOO_LONG']);
    const error = syntaxError(() => inf.fieldsOf(inf.section('S')![0]!));
    expect(error.code).toBe('INF_STRING_TOO_LONG');
    expect(error.line).toBe(2);
  });
  it('any text: only InfSyntaxError, in bounded time', () => {
    const alphabet = fc.constantFrom('[', ']', '"', ';', ',', '=', '\\', '%', ' ', '\t', '\r', '\n', '\x1a', '\0', 'a', 'S', 'Strings', 'Version', 'Signature');
    fc.assert(
      fc.property(fc.array(alphabet, { maxLength: 200 }), (parts) => {
        const text = parts.join('');
        try {
          const inf = lexed(text);
          for (const name of inf.sectionNames()) for (const l of inf.section(name)!) inf.fieldsOf(l);
        } catch (error) {
          if (!(error instanceof InfSyntaxError)) throw error;
        }
      }),
      { numRuns: 500 },
    );
  });
  it('a large input reads in linear time', () => {
    const text = `[S]\n${'HKR, Ndi\\params\\X, ParamDesc, , "a ""b"" c" ; comment\\\n'.repeat(20000)}`;
    const t0 = performance.now();
    const inf = lexed(text);
    expect(inf.section('S')!.length).toBe(20000);
    expect(performance.now() - t0).toBeLessThan(2000);
  });
});
