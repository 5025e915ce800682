import { decodeInfBytes } from './decode.js';
import type { InfEncoding } from './decode.js';

/**
 * The INF reader: the lexer of setupapi (inf.md §1–§4) and `%strkey%` substitution at field-read time.
 *
 * The lexer is a state machine with the states Wine and ReactOS use (W:parser, R:parser: line start, section
 * name, key name, value name, end-of-line backslash, quotes, leading spaces, trailing spaces, comment), written
 * here from the behaviour inf.md §2 states, because the exact interplay of the states (`a \x` keeps its space,
 * `abc\⏎def` joins without one, a `[` in stray text before the first section opens a section) is the behaviour.
 * Deliberate departures, each from inf.md: tokens are not truncated at Wine's 511 characters (§1.4: Windows'
 * limit is 4096 including the NUL, reported as a finding instead); UTF-16BE is decoded (§1.1).
 *
 * Cost: one pass over the text; every character is looked at a bounded number of times, and memory is the
 * text plus the tokens. Substitution cost is bounded by MAX_SUBSTITUTED (see `substitute`).
 */

/** setupapi's error codes (W:h, inf.md §0), for errors that make the whole open fail. */
export const INF_ERROR_CODES = {
  ERROR_EXPECTED_SECTION_NAME: 0xe0000000,
  ERROR_BAD_SECTION_NAME_LINE: 0xe0000001,
  ERROR_SECTION_NAME_TOO_LONG: 0xe0000002,
  ERROR_GENERAL_SYNTAX: 0xe0000003,
  ERROR_WRONG_INF_STYLE: 0xe0000100,
} as const;

/**
 * The `code` of an {@link InfSyntaxError}: a setupapi error name from {@link INF_ERROR_CODES}, or a limit of this reader.
 */
export type InfErrorCode = keyof typeof INF_ERROR_CODES | 'INF_TOO_LARGE' | 'INF_STRING_TOO_LONG';

/** A problem that makes the INF unusable (setupapi would fail the open); line 0 = not tied to a line (§1.5). */
export class InfSyntaxError extends Error {
  /** setupapi's numeric error (0xE00000xx), when the condition has one. */
  readonly win32: number | undefined;
  constructor(
    readonly code: InfErrorCode,
    readonly file: string,
    readonly line: number,
    readonly column: number,
    readonly reason: string,
  ) {
    super(`${file}:${line}:${column}: ${code}: ${reason}`);
    this.name = 'InfSyntaxError';
    this.win32 = code in INF_ERROR_CODES ? INF_ERROR_CODES[code as keyof typeof INF_ERROR_CODES] : undefined;
  }
}

/** How bad an {@link InfFinding} is. */
export type InfSeverity = 'error' | 'warning';

/**
 * A problem the INF reader found: file, 1-based line and column, severity, a stable code and a message.
 */
export interface InfFinding {
  file: string;
  line: number;
  column: number;
  severity: InfSeverity;
  code: string;
  message: string;
}

/** One line of a section. `fields` are setupapi's fields 1..n, raw (quotes resolved, no substitution). */
export interface InfLine {
  /** Field 0 (§2.3): the text before an unquoted `=`, or the only field of a one-field line. Raw. */
  key?: string;
  fields: string[];
  /** 1-based line and column where the line's first token starts. */
  line: number;
  column: number;
  /** The section as first written (merged sections keep the first spelling). */
  section: string;
}

/**
 * One section of an INF: its name, its lines (reopened sections merged), and the line of every header that opened it.
 */
export interface InfSection {
  /** The name exactly as first written between the brackets (untrimmed, §2.1). */
  name: string;
  lines: InfLine[];
  /** 1-based line of every header that opened or reopened this section. */
  headers: number[];
}

/** How `%strkey%` is looked up in localized Strings sections (inf.md §4.2–§4.3, §17). */
export type StringsProfile = 'docs' | 'wine' | 'reactos';

/**
 * Options for {@link parseInf}: a file name for messages, the locale and the Strings lookup profile, and how strictly to check the INF style.
 */
export interface ParseInfOptions {
  /** Named in errors and findings. */
  file: string;
  /** LANGID of the "machine locale" for `[Strings.LLLL]` (inf.md §4.4: an input offline). Default: none → `[Strings]`. */
  locale?: number;
  /** Default 'docs' (the four-step fallback of D:install/inf-strings-section.md). */
  stringsProfile?: StringsProfile;
  /**
   * 'win4' (default): the Signature check of §1.5 fails the open (ERROR_WRONG_INF_STYLE); 'lint': it becomes an
   * INF_WRONG_STYLE finding; 'none': lexing only.
   */
  style?: 'win4' | 'lint' | 'none';
  /** Code page for BOM-less non-UTF-16 bytes ([unknown] offline, §1.1). Default windows-1252. */
  ansi?: 'windows-1252' | 'utf-8';
  /** DIRID → path for `%nn%` (§3.6). Defaults: DEFAULT_DIRIDS; 1 = `sourceDirectory` when given. */
  dirids?: Readonly<Record<number, string>>;
  /** The INF's own directory (DIRID 1). */
  sourceDirectory?: string;
}

/**
 * System DIRIDs with the paths of a default Windows install on C: (D:install/using-dirids.md). 13 (the driver
 * store directory of the package) has no fixed path and is left as written unless the caller supplies it.
 */
export const DEFAULT_DIRIDS: Readonly<Record<number, string>> = {
  10: 'C:\\Windows',
  11: 'C:\\Windows\\system32',
  12: 'C:\\Windows\\system32\\drivers',
  17: 'C:\\Windows\\INF',
  18: 'C:\\Windows\\Help',
  20: 'C:\\Windows\\Fonts',
  21: 'C:\\Windows\\system32\\viewers',
  24: 'C:\\',
  25: 'C:\\Windows',
  30: 'C:\\',
  50: 'C:\\Windows\\system',
  51: 'C:\\Windows\\system32\\spool',
  52: 'C:\\Windows\\system32\\spool\\drivers',
  54: 'C:\\',
  55: 'C:\\Windows\\system32\\spool\\prtprocs',
};

/** A field is at most 4096 characters including the NUL, before and after substitution (§1.4). */
export const MAX_FIELD_CHARS = 4095;
/** Section names: at most 255 characters (§1.4; W:parser fails the parse above it). */
export const MAX_SECTION_NAME_CHARS = 255;
/** LINE_LEN (W:h): provider, manufacturer and device description, including the NUL (§1.4). */
export const LINE_LEN = 256;
/** Refuse inputs above this size: bounded memory on any input (decoded text is 2 bytes per char). */
export const MAX_INF_BYTES = 64 * 1024 * 1024;
/**
 * A substituted field longer than this is refused with a typed error rather than built: `%A%` repeated in a
 * field with a 4 KB `A` would otherwise grow ~1365× (bounded memory). Far above the 4095 Windows allows.
 */
export const MAX_SUBSTITUTED = 1 << 20;

const WS = new Set([0x09, 0x0a, 0x0b, 0x0c, 0x0d, 0x20]);
/** iswspace for ASCII; non-ASCII whitespace is [unknown] (§2.5) and is treated as text. */
function isSpace(c: number): boolean {
  return WS.has(c);
}

const LF = 0x0a;
const CTRL_Z = 0x1a;

// Lexer states (named after the states of W:parser, inf.md §2).
const LINE_START = 0;
const SECTION_NAME = 1;
const KEY_NAME = 2;
const VALUE_NAME = 3;
const EOL_BACKSLASH = 4;
const QUOTES = 5;
const LEADING_SPACES = 6;
const TRAILING_SPACES = 7;
const COMMENT = 8;

interface Lexed {
  sections: Map<string, InfSection>;
  findings: InfFinding[];
}

function lex(text: string, file: string): Lexed {
  const end = text.length;
  const sections = new Map<string, InfSection>();
  const findings: InfFinding[] = [];
  let current: InfSection | undefined;
  let line: InfLine | undefined;
  let lineNo = 1;
  let lineStart = 0; // offset of the first character of line `lineNo`
  let brokenLine = 0; // first stray line before any section (§2.2)
  let brokenColumn = 0;
  let tokenParts: string[] = [];
  let tokenHasNul = false;
  let tokenLine = 1;
  let tokenColumn = 1;
  let start = 0;
  let state = LINE_START;
  const stack: number[] = [];
  let sawCtrlZ = false;

  const eof = (p: number): boolean => {
    if (p >= end) return true;
    if (text.charCodeAt(p) === CTRL_Z) {
      sawCtrlZ = true;
      return true;
    }
    return false;
  };
  const eol = (p: number): boolean => eof(p) || text.charCodeAt(p) === LF;
  /** The end of the run of inline whitespace from p (a backslash, the line's end or text ends it). */
  const skipSpaces = (p: number): number => {
    while (!eol(p) && isSpace(text.charCodeAt(p))) p++;
    return p;
  };
  const atBackslash = (p: number): boolean => !eol(p) && text.charCodeAt(p) === 0x5c;
  const column = (p: number): number => p - lineStart + 1;

  /** Append text[start, p) to the token (NUL → space when stored, §1.3). */
  const push = (p: number): void => {
    if (p > start) {
      let piece = text.slice(start, p);
      if (piece.includes('\0')) {
        piece = piece.replaceAll('\0', ' ');
        tokenHasNul = true;
      }
      tokenParts.push(piece);
    }
    start = p;
  };
  const takeToken = (): string => {
    const token = tokenParts.length === 1 ? tokenParts[0]! : tokenParts.join('');
    tokenParts = [];
    return token;
  };
  const addField = (isKey: boolean): void => {
    const token = takeToken();
    if (!current) return; // unreachable: KEY_NAME is entered only inside a section
    if (!line) {
      line = { fields: [], line: tokenLine, column: tokenColumn, section: current.name };
      current.lines.push(line);
    }
    if (token.length > MAX_FIELD_CHARS) {
      findings.push({
        file,
        line: tokenLine,
        column: tokenColumn,
        severity: 'error',
        code: 'INF_FIELD_TOO_LONG',
        message: `a field of ${token.length} characters; setupapi allows ${MAX_FIELD_CHARS} plus the NUL (inf.md §1.4)`,
      });
    }
    if (tokenHasNul) {
      findings.push({
        file,
        line: tokenLine,
        column: tokenColumn,
        severity: 'warning',
        code: 'INF_NUL_CHARACTER',
        message: 'a NUL character in a field is read as a space (inf.md §1.3)',
      });
      tokenHasNul = false;
    }
    if (isKey) line.key = token;
    else line.fields.push(token);
  };
  const closeLine = (): void => {
    // A line with a single field and no key has that field as its key too (§2.3).
    if (line && line.key === undefined && line.fields.length === 1) line.key = line.fields[0]!;
    line = undefined;
  };
  const newLine = (p: number): void => {
    lineNo++;
    lineStart = p + 1;
  };

  let pos = 0;
  for (;;) {
    switch (state) {
      case LINE_START: {
        let p = pos;
        let next = -1;
        for (; !eof(p); p++) {
          const c = text.charCodeAt(p);
          if (c === LF) {
            newLine(p);
            closeLine();
          } else if (c === 0x3b /* ; */) {
            stack.push(LINE_START);
            state = COMMENT;
            next = p + 1;
            break;
          } else if (c === 0x5b /* [ */) {
            start = p + 1;
            tokenLine = lineNo;
            tokenColumn = column(p);
            state = SECTION_NAME;
            next = p + 1;
            break;
          } else if (!isSpace(c)) {
            if (current) {
              start = p;
              tokenLine = lineNo;
              tokenColumn = column(p);
              state = KEY_NAME;
              next = p;
              break;
            }
            if (!brokenLine) {
              brokenLine = lineNo;
              brokenColumn = column(p);
            }
          }
        }
        if (next < 0) {
          closeLine();
          return finish();
        }
        pos = next;
        break;
      }
      case SECTION_NAME: {
        let p = pos;
        for (; !eol(p); p++) if (text.charCodeAt(p) === 0x5d /* ] */) break;
        if (eol(p)) {
          throw new InfSyntaxError(
            'ERROR_BAD_SECTION_NAME_LINE',
            file,
            lineNo,
            tokenColumn,
            'a section header without its closing "]" on the same line (inf.md §2.1)',
          );
        }
        push(p);
        const name = takeToken();
        tokenHasNul = false;
        if (name.length > MAX_SECTION_NAME_CHARS) {
          throw new InfSyntaxError(
            'ERROR_SECTION_NAME_TOO_LONG',
            file,
            lineNo,
            tokenColumn,
            `a section name of ${name.length} characters; at most ${MAX_SECTION_NAME_CHARS} (inf.md §1.4)`,
          );
        }
        const lower = name.toLowerCase();
        let section = sections.get(lower);
        if (!section) {
          section = { name, lines: [], headers: [] };
          sections.set(lower, section);
        }
        section.headers.push(lineNo);
        current = section;
        // Everything after "]" on the header line is ignored (§2.1).
        stack.push(LINE_START);
        state = COMMENT;
        pos = p + 1;
        break;
      }
      case KEY_NAME:
      case VALUE_NAME: {
        const isKeyState = state === KEY_NAME;
        let tokenEnd = start;
        let p = pos;
        let moved = false;
        for (; !eol(p); p++) {
          const c = text.charCodeAt(p);
          if (c === 0x2c /* , */ && isKeyState) break; // a comma before any "=": the text so far is a field, not a key
          // "=" ends the key (then the values follow); a "," ends a value.
          if (c === (isKeyState ? 0x3d /* = */ : 0x2c) /* , */) {
            push(tokenEnd);
            addField(isKeyState);
            start = p + 1;
            tokenLine = lineNo;
            tokenColumn = column(p + 1);
            stack.push(VALUE_NAME);
            state = LEADING_SPACES;
            pos = p + 1;
            moved = true;
            break;
          }
          if (c === 0x3b /* ; */) {
            push(tokenEnd);
            addField(false);
            stack.push(LINE_START);
            state = COMMENT;
            pos = p + 1;
            moved = true;
            break;
          }
          if (c === 0x22 /* " */) {
            push(p);
            start = p + 1;
            stack.push(state);
            state = QUOTES;
            pos = p + 1;
            moved = true;
            break;
          }
          if (c === 0x5c /* \ */) {
            push(p);
            start = p;
            stack.push(state);
            state = EOL_BACKSLASH;
            pos = p;
            moved = true;
            break;
          }
          if (!isSpace(c)) tokenEnd = p + 1;
          else {
            push(p);
            stack.push(state);
            state = TRAILING_SPACES;
            pos = p;
            moved = true;
            break;
          }
        }
        if (moved) break;
        push(tokenEnd);
        if (isKeyState) {
          state = VALUE_NAME;
          pos = p;
        } else {
          addField(false);
          state = LINE_START;
          pos = p;
        }
        break;
      }
      case LEADING_SPACES: {
        const p = skipSpaces(pos);
        start = p;
        if (atBackslash(p)) state = EOL_BACKSLASH;
        else {
          tokenLine = lineNo;
          tokenColumn = column(p);
          state = stack.pop()!;
        }
        pos = p;
        break;
      }
      case TRAILING_SPACES: {
        const p = skipSpaces(pos);
        if (atBackslash(p)) state = EOL_BACKSLASH;
        else state = stack.pop()!;
        pos = p;
        break;
      }
      case EOL_BACKSLASH: {
        // Backslashes, whitespace and a comment up to the line break join the next line (§2.8).
        let p = pos;
        let done = false;
        for (; !eof(p); p++) {
          const c = text.charCodeAt(p);
          if (c === LF) {
            newLine(p);
            start = p + 1;
            state = LEADING_SPACES;
            pos = p + 1;
            done = true;
            break;
          }
          if (c === 0x5c) continue;
          if (c === 0x3b) {
            stack.push(EOL_BACKSLASH);
            state = COMMENT;
            pos = p + 1;
            done = true;
            break;
          }
          if (isSpace(c)) continue;
          // Anything else: the backslash was literal, with the whitespace around it (§2.8).
          push(p);
          state = stack.pop()!;
          pos = p;
          done = true;
          break;
        }
        if (!done) {
          start = p;
          state = stack.pop()!;
          pos = p;
        }
        break;
      }
      case QUOTES: {
        let p = pos;
        let closed = false;
        for (; !eol(p); p++) {
          if (text.charCodeAt(p) !== 0x22) continue;
          if (p + 1 < end && text.charCodeAt(p + 1) === 0x22) {
            push(p + 1); // keeps one of the two quotes (§2.6)
            start = p + 2;
            p++;
          } else {
            push(p);
            start = p + 1;
            closed = true;
            break;
          }
        }
        if (closed) {
          state = stack.pop()!;
          pos = p + 1;
        } else {
          findings.push({
            file,
            line: lineNo,
            column: column(p),
            severity: 'warning',
            code: 'INF_UNTERMINATED_QUOTE',
            message: 'a quoted run is not closed before the end of the line; it ends there (inf.md §2.6)',
          });
          push(p);
          state = stack.pop()!;
          pos = p;
        }
        break;
      }
      case COMMENT: {
        let p = pos;
        while (!eol(p)) p++;
        state = stack.pop()!;
        pos = p;
        break;
      }
    }
  }

  function finish(): Lexed {
    if (brokenLine) {
      if (!sections.has('strings')) {
        throw new InfSyntaxError(
          'ERROR_EXPECTED_SECTION_NAME',
          file,
          brokenLine,
          brokenColumn,
          'text before the first section header, and no [Strings] section (inf.md §2.2)',
        );
      }
      findings.push({
        file,
        line: brokenLine,
        column: brokenColumn,
        severity: 'warning',
        code: 'INF_TEXT_BEFORE_SECTION',
        message: 'text before the first section header is ignored (inf.md §2.2)',
      });
    }
    if (sawCtrlZ) {
      const z = text.indexOf('\x1a');
      if (text.slice(z + 1).trim() !== '') {
        const before = text.slice(0, z);
        const zLine = before.split('\n').length;
        findings.push({
          file,
          line: zLine,
          column: z - before.lastIndexOf('\n'),
          severity: 'warning',
          code: 'INF_CTRL_Z',
          message: 'Ctrl-Z (0x1A) ends the file here; the text after it is not read (inf.md §1.3)',
        });
      }
    }
    return { sections, findings };
  }
}

/** `[Strings]` / `[Strings.LLLL]` name → LANGID, or -1 for the undecorated section, or undefined. */
function stringsLangId(name: string): number | undefined {
  const m = /^strings(?:\.([0-9a-f]{1,4}))?$/i.exec(name);
  if (!m) return undefined;
  return m[1] === undefined ? -1 : parseInt(m[1], 16);
}

const PRIMARY = 0x3ff;

/**
 * The localized Strings section the docs choose (D:install/inf-strings-section.md, inf.md §4.2): exact LANGID,
 * then the primary language with SUBLANG_NEUTRAL, then any section of the primary language, else none
 * (undecorated `[Strings]`). A two-digit suffix such as `.0a` (ReactOS corpus, §4.3) reads as the number 0x0a =
 * MAKELANGID(0x0a, SUBLANG_NEUTRAL), which is what it means there.
 */
function chooseLocalized(sections: Map<string, InfSection>, locale: number): InfSection | undefined {
  const localized: { id: number; section: InfSection }[] = [];
  for (const section of sections.values()) {
    const id = stringsLangId(section.name);
    if (id !== undefined && id >= 0) localized.push({ id, section });
  }
  return (
    localized.find((s) => s.id === locale)?.section ??
    localized.find((s) => s.id === (locale & PRIMARY))?.section ??
    localized.find((s) => (s.id & PRIMARY) === (locale & PRIMARY))?.section
  );
}

function indexStrings(section: InfSection | undefined): Map<string, string> {
  const map = new Map<string, string>();
  if (!section) return map;
  for (const line of section.lines) {
    if (line.key === undefined) continue;
    const k = line.key.toLowerCase();
    // The first matching line wins (§3.3); its first field is the replacement.
    if (!map.has(k)) map.set(k, line.fields[0] ?? '');
  }
  return map;
}

/** C `strtol(s, &end, base 0)` over the whole string, as SetupGetIntField reads a field (§2.10); null = invalid. */
export function infInt(text: string): number | null {
  if (text === '') return 0;
  const m = /^[\t\n\v\f\r ]*([+-]?)(0[xX][0-9a-fA-F]+|0[0-7]*|[1-9][0-9]*)$/.exec(text);
  if (!m) return null;
  const digits = m[2]!;
  let value: number;
  if (/^0[xX]/.test(digits)) value = parseInt(digits.slice(2), 16);
  else if (digits.startsWith('0')) value = digits.length === 1 ? 0 : parseInt(digits.slice(1), 8);
  else value = parseInt(digits, 10);
  return m[1] === '-' ? -value : value;
}

/**
 * A parsed INF file: its sections and lines, the `[Strings]` used for `%strkey%` substitution, how its bytes were decoded, and the findings of the parse. Create it with {@link parseInf}.
 */
export class InfFile {
  readonly file: string;
  /** How the bytes were decoded; 'text' when parseInf was given a string. */
  readonly encoding: InfEncoding | 'text';
  readonly findings: InfFinding[];
  /** The localized Strings section chosen for `locale` (its name as written), or null for `[Strings]` only. */
  readonly localizedStrings: string | null;
  private readonly sectionMap: Map<string, InfSection>;
  private readonly strings: Map<string, string>;
  private readonly localStrings: Map<string, string>;
  private readonly reactosShort: Map<string, string>;
  private readonly profile: StringsProfile;
  private readonly dirids: Readonly<Record<number, string>>;

  /** @internal use parseInf */
  constructor(file: string, encoding: InfEncoding | 'text', lexed: Lexed, options: ParseInfOptions) {
    this.file = file;
    this.encoding = encoding;
    this.findings = lexed.findings;
    this.sectionMap = lexed.sections;
    this.profile = options.stringsProfile ?? 'docs';
    const dirids: Record<number, string> = { ...DEFAULT_DIRIDS };
    if (options.sourceDirectory !== undefined) dirids[1] = options.sourceDirectory;
    this.dirids = { ...dirids, ...(options.dirids ?? {}) };
    this.strings = indexStrings(lexed.sections.get('strings'));
    let local: InfSection | undefined;
    let short: InfSection | undefined;
    if (options.locale !== undefined) {
      const locale = options.locale & 0xffff;
      if (this.profile === 'docs') local = chooseLocalized(lexed.sections, locale);
      else if (this.profile === 'reactos') {
        // R:parser: `[Strings.LL]` (last two hex digits of the LANGID), then `[Strings.LLLL]` (exact) (§4.3).
        short = lexed.sections.get(`strings.${(locale & 0xff).toString(16).padStart(2, '0')}`);
        local = lexed.sections.get(`strings.${locale.toString(16).padStart(4, '0')}`);
      }
    }
    this.localStrings = indexStrings(local);
    this.reactosShort = indexStrings(short);
    this.localizedStrings = local?.name ?? short?.name ?? null;
  }

  /** Section names as first written, in the order they first appear. */
  sectionNames(): string[] {
    return [...this.sectionMap.values()].map((s) => s.name);
  }

  /** Whether a section exists (case-insensitive, §2.1) — an empty section exists too (§8.1). */
  hasSection(name: string): boolean {
    return this.sectionMap.has(name.toLowerCase());
  }

  /** The section's lines in file order (merged across repeated headers), or undefined when there is none. */
  section(name: string): readonly InfLine[] | undefined {
    return this.sectionMap.get(name.toLowerCase())?.lines;
  }

  /** The section of that name (compared case-insensitively), or undefined. */
  sectionInfo(name: string): InfSection | undefined {
    return this.sectionMap.get(name.toLowerCase());
  }

  /**
   * Lines of `section` whose key, after substitution, equals `key` case-insensitively
   * (SetupFindFirstLine/FindNextMatchLine, §2.3).
   */
  findLines(section: string, key: string): InfLine[] {
    const wanted = key.toLowerCase();
    return (this.section(section) ?? []).filter((l) => l.key !== undefined && this.substitute(l.key).toLowerCase() === wanted);
  }

  /** The first line of `section` whose key equals `key` (see {@link InfFile.findLines}), or undefined. */
  findLine(section: string, key: string): InfLine | undefined {
    return this.findLines(section, key)[0];
  }

  /** The line's fields 1..n with `%strkey%` substituted (§3). */
  fieldsOf(line: InfLine): string[] {
    return line.fields.map((f) => this.substitute(f, line));
  }

  /** The line's key with `%strkey%` substituted, or undefined when it has none. */
  keyOf(line: InfLine): string | undefined {
    return line.key === undefined ? undefined : this.substitute(line.key, line);
  }

  /** SetupGetLineText: all fields, substituted, joined with "," (§2.10). */
  lineText(line: InfLine): string {
    return this.fieldsOf(line).join(',');
  }

  /** The value of a `[Strings]` key as substitution would insert it, or undefined. */
  getString(key: string): string | undefined {
    const k = key.toLowerCase();
    if (this.profile === 'wine') return this.strings.get(k);
    if (this.profile === 'reactos') {
      // Only a key present in [Strings] is looked up in the localized sections (R:parser, §4.3).
      if (!this.strings.has(k)) return undefined;
      return this.localStrings.get(k) ?? this.reactosShort.get(k) ?? this.strings.get(k);
    }
    // Docs: one section is chosen. When it lacks a key the docs only say authors must not let that happen;
    // we fall back to [Strings] (our choice, [unknown] for Windows) and `inf check` can report the gap.
    return this.localStrings.get(k) ?? this.strings.get(k);
  }

  /**
   * `%strkey%` substitution (§3.2–§3.6): `%%` → `%`, a token → its first matching Strings value inserted
   * verbatim (no rescan), else a decimal DIRID → its path, else the token stays as written. A final unmatched
   * `%` and what follows are copied. Throws InfSyntaxError INF_STRING_TOO_LONG above MAX_SUBSTITUTED.
   */
  substitute(text: string, at?: { line: number; column: number }): string {
    if (!text.includes('%')) return text;
    const out: string[] = [];
    let length = 0;
    let i = 0;
    const add = (s: string): void => {
      out.push(s);
      length += s.length;
      if (length > MAX_SUBSTITUTED) {
        throw new InfSyntaxError(
          'INF_STRING_TOO_LONG',
          this.file,
          at?.line ?? 0,
          at?.column ?? 0,
          `a field grows beyond ${MAX_SUBSTITUTED} characters by %strkey% substitution (Windows allows ${MAX_FIELD_CHARS}, inf.md §1.4)`,
        );
      }
    };
    while (i < text.length) {
      const open = text.indexOf('%', i);
      if (open < 0) {
        add(text.slice(i));
        break;
      }
      if (open > i) add(text.slice(i, open));
      const close = text.indexOf('%', open + 1);
      if (close < 0) {
        add(text.slice(open));
        break;
      }
      const name = text.slice(open + 1, close);
      i = close + 1;
      if (name === '') {
        add('%');
        continue;
      }
      const value = this.getString(name);
      if (value !== undefined) {
        add(value);
        continue;
      }
      if (/^[+-]?[0-9]+$/.test(name)) {
        const dirid = Number(name) === 65535 ? -1 : Number(name); // 65535 ≡ -1 (D:install/using-dirids.md)
        const path = this.dirids[dirid];
        if (path !== undefined) {
          add(path);
          // A path ending in "\" followed by "\" loses one of the two (W:parser get_string_subst, §3.6).
          if (path.endsWith('\\') && text.charCodeAt(i) === 0x5c) i++;
          continue;
        }
      }
      add(`%${name}%`);
    }
    return out.join('');
  }

  /** Every `%token%` of a non-Strings line that neither Strings nor the DIRID table resolves (lint, §3.5). */
  undefinedTokens(): InfFinding[] {
    const out: InfFinding[] = [];
    for (const section of this.sectionMap.values()) {
      if (stringsLangId(section.name) !== undefined) continue;
      for (const line of section.lines) {
        for (const text of [...(line.key !== undefined && line.key !== line.fields[0] ? [line.key] : []), ...line.fields]) {
          for (const m of text.matchAll(/%([^%]*)%/g)) {
            const name = m[1]!;
            if (name === '' || this.getString(name) !== undefined) continue;
            if (/^[+-]?[0-9]+$/.test(name)) continue; // a DIRID, resolved at install time
            out.push({
              file: this.file,
              line: line.line,
              column: line.column,
              severity: 'warning',
              code: 'INF_UNDEFINED_STRING',
              message: `%${name}% is not defined in [Strings] and stays as written (inf.md §3.5)`,
            });
          }
        }
      }
    }
    return out;
  }
}

/**
 * Reads an INF (bytes as stored, or text already decoded). Fatal conditions throw InfSyntaxError with
 * setupapi's code and the line; everything else is collected in `findings`.
 */
export function parseInf(input: Uint8Array | string, options: ParseInfOptions): InfFile {
  const { file } = options;
  let text: string;
  let encoding: InfEncoding | 'text';
  if (typeof input === 'string') {
    if (input.length > MAX_INF_BYTES)
      throw new InfSyntaxError('INF_TOO_LARGE', file, 0, 0, `an INF of ${input.length} characters; this reader takes at most ${MAX_INF_BYTES}`);
    text = input.charCodeAt(0) === 0xfeff ? input.slice(1) : input;
    encoding = 'text';
  } else {
    if (input.length > MAX_INF_BYTES)
      throw new InfSyntaxError('INF_TOO_LARGE', file, 0, 0, `an INF of ${input.length} bytes; this reader takes at most ${MAX_INF_BYTES}`);
    const decoded = decodeInfBytes(input, options.ansi);
    text = decoded.text;
    encoding = decoded.encoding;
  }
  const inf = new InfFile(file, encoding, lex(text, file), options);
  const version = inf.section('Version');
  // The Signature check compares the raw field: quotes removed, no %strkey% substitution (§1.5).
  const signatureLine = version?.find((l) => l.key !== undefined && l.key.toLowerCase() === 'signature');
  const signature = signatureLine?.fields[0];
  const valid = signature !== undefined && ['$chicago$', '$windows nt$', '$windows 95$'].includes(signature.toLowerCase());
  const style = options.style ?? 'win4';
  if (!valid && style !== 'none') {
    const reason =
      signature === undefined
        ? 'no [Version] Signature'
        : `[Version] Signature is "${signature}", not "$Windows NT$" or "$Chicago$" (compared without %strkey% substitution)`;
    if (style === 'win4') throw new InfSyntaxError('ERROR_WRONG_INF_STYLE', file, 0, 0, `${reason} (inf.md §1.5)`);
    inf.findings.push({
      file,
      line: signatureLine?.line ?? 0,
      column: signatureLine?.column ?? 0,
      severity: 'error',
      code: 'INF_WRONG_STYLE',
      message: `${reason} (inf.md §1.5)`,
    });
  }
  // Substituted length above the limit (§1.4), counted without building the strings.
  for (const name of inf.sectionNames()) {
    if (stringsLangId(name) !== undefined) continue;
    for (const line of inf.section(name)!) {
      for (const field of line.fields) {
        if (!field.includes('%')) continue;
        const length = substitutedLength(inf, field);
        if (length > MAX_FIELD_CHARS) {
          inf.findings.push({
            file,
            line: line.line,
            column: line.column,
            severity: 'error',
            code: 'INF_STRING_TOO_LONG',
            message: `a field of ${length} characters after %strkey% substitution; at most ${MAX_FIELD_CHARS} plus the NUL (inf.md §1.4)`,
          });
        }
      }
    }
  }
  return inf;
}

function substitutedLength(inf: InfFile, text: string): number {
  let length = 0;
  let i = 0;
  while (i < text.length) {
    const open = text.indexOf('%', i);
    if (open < 0) return length + text.length - i;
    length += open - i;
    const close = text.indexOf('%', open + 1);
    if (close < 0) return length + text.length - open;
    const name = text.slice(open + 1, close);
    i = close + 1;
    if (name === '') length += 1;
    else length += inf.getString(name)?.length ?? name.length + 2;
  }
  return length;
}
