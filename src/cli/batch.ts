import { readFileSync } from 'node:fs';
import { HiveSession } from './hives.js';

/**
 * `netconfig batch [FILE | -]`: many netconfig command lines run in one process. Start-up is paid once,
 * and each hive is read once and kept in memory (locked from its first write to the end of the batch)
 * instead of being read again by every line; writes are committed after their line, or all at once at
 * the end with --commit-once. The lines are the command lines a user types, so a batch prints exactly
 * what running its lines one by one prints.
 */

/** The text of `netconfig batch --help`: the syntax of a batch file and what each option changes. */
export const BATCH_HELP = `netconfig batch — many netconfig commands in one process

Usage: netconfig batch [FILE | -] [--commit-once] [--json] [--continue]

Reads commands from FILE, or from standard input when FILE is - or not given, one per line, and runs
them in order. Each line is a netconfig command line as typed in a shell, without the leading
"netconfig" (it may be given): reg query|add|delete|copy|save|restore|export|import|compare …,
adapter …, inf …, dump, stat, check, create, recover. Each line names its own hives (--hive FILE
[--mount PATH], --image DIR, or the default hive), so one batch may work on several hives.

Lines:
  - Blank lines and lines whose first non-blank character is # are skipped (# elsewhere is data).
  - Words are separated by spaces or tabs. "double" or 'single' quotes group words (a quote inside is
    written twice: "say ""hi""", 'it''s'); quoted and unquoted parts next to each other join.
  - A backslash is always an ordinary character, as in cmd: HKLM\\SYSTEM\\Select and "C:\\dir\\" need no
    doubling. No variables, wildcards, pipes or redirections are expanded.
  - Every line is checked (the command, its options, reg's switches, adapter and inf verbs) before the
    first one runs: a mistyped line is reported as "line N: …", nothing runs and no file changes (exit 1).

Hives: each hive is read when a line first reaches it and kept for the following lines, which see the
batch's changes. A hive a line writes is locked from then until the batch ends (other writers wait).
check reads the file as it is on disk; create and recover write files directly, as on the command line.

Commits and failures:
  (default)      Each line's writes are committed when the line succeeds, as if it ran alone.
  --commit-once  Nothing is written until every line has succeeded; then one commit covers every hive
                 changed (each log flushed before any primary: all hives new, or all old after a crash).
                 If any line fails, nothing is committed.
  --continue     Run the remaining lines after a failure (default: stop at the first, like sh -e).
                 Committing per line, a failed line changes nothing: the next line reads the hive as
                 its last commit left it. With --commit-once the remaining lines run on the batch's
                 changes so far, for their output only: nothing is committed.
  A line fails when its exit code is not 0 (reg compare's 2, "different", included). Its own error goes
  to stderr, followed by "netconfig batch: line N: exit CODE: COMMAND". The batch exits with the exit
  code of the first failed line, 1 if the batch could not be read or its final commit failed, else 0.

Output:
  (default)      Each command's output as it would print alone, in order.
  --json         One JSON object per line run, on stdout:
                 {"line": N, "command": "…", "exit": CODE, "stdout": "…", "stderr": "…"}

Examples:
  netconfig batch changes.txt --commit-once
  printf '%s\\n' 'reg query HKLM\\SYSTEM\\Select --hive SYSTEM' 'adapter list --hive SYSTEM' | netconfig batch --json`;

/** A batch file line that cannot be split into words (an unclosed quote). */
export class BatchSyntaxError extends Error {
  readonly code = 'BATCH_SYNTAX';
  constructor(
    /** 1-based line number in the batch file. */
    readonly line: number,
    /** 1-based column of the offending character. */
    readonly column: number,
    message: string,
  ) {
    super(message);
    this.name = 'BatchSyntaxError';
  }
}

/**
 * Splits one batch line into words: spaces and tabs separate them; "…" and '…' quote (the quote
 * character doubled inside stands for itself); a backslash is literal. Returns [] for a blank line or
 * a # comment.
 * @throws {BatchSyntaxError} an unclosed quote
 */
export function splitBatchLine(text: string, line = 1): string[] {
  const words: string[] = [];
  let i = 0;
  const n = text.length;
  while (i < n && (text[i] === ' ' || text[i] === '\t')) i++;
  if (i === n || text[i] === '#') return words;
  while (i < n) {
    // Runs of text are sliced, not added a character at a time: a word built with += is a tree of
    // string pieces, and 10,000 lines of them fill the heap.
    const parts: string[] = [];
    while (i < n && text[i] !== ' ' && text[i] !== '\t') {
      const c = text[i]!;
      if (c !== '"' && c !== "'") {
        const start = i;
        while (i < n && text[i] !== ' ' && text[i] !== '\t' && text[i] !== '"' && text[i] !== "'") i++;
        parts.push(text.slice(start, i));
        continue;
      }
      const open = i;
      i++;
      for (;;) {
        const close = text.indexOf(c, i);
        if (close < 0) throw new BatchSyntaxError(line, open + 1, `the ${c === '"' ? 'double' : 'single'} quote at column ${open + 1} is not closed`);
        parts.push(text.slice(i, close));
        i = close + 1;
        // A doubled quote inside quotes stands for the quote itself.
        if (text[i] !== c) break;
        parts.push(c);
        i++;
      }
    }
    words.push(parts.length === 1 ? parts[0]! : parts.join(''));
    while (i < n && (text[i] === ' ' || text[i] === '\t')) i++;
  }
  return words;
}

/** One command line of a batch. */
export interface BatchLine {
  /** 1-based line number in the batch file. */
  line: number;
  /** The line as written (without the line break). */
  text: string;
  argv: string[];
}

/**
 * The commands of a batch file's text (UTF-8, or UTF-16 with a byte-order mark), blank lines and
 * comments dropped, a leading "netconfig" word removed. Lines that cannot be split are returned in
 * `errors`.
 */
export function parseBatch(bytes: Uint8Array): { lines: BatchLine[]; errors: BatchSyntaxError[] } {
  let text: string;
  if (bytes[0] === 0xff && bytes[1] === 0xfe) text = new TextDecoder('utf-16le').decode(bytes.subarray(2));
  else if (bytes[0] === 0xfe && bytes[1] === 0xff) text = new TextDecoder('utf-16be').decode(bytes.subarray(2));
  else text = new TextDecoder('utf-8').decode(bytes);
  if (text.startsWith('\ufeff')) text = text.slice(1);
  const lines: BatchLine[] = [];
  const errors: BatchSyntaxError[] = [];
  const raw = text.split('\n');
  if (raw[raw.length - 1] === '') raw.pop();
  raw.forEach((rawLine, index) => {
    const lineText = rawLine.endsWith('\r') ? rawLine.slice(0, -1) : rawLine;
    try {
      const argv = splitBatchLine(lineText, index + 1);
      if (argv[0] === 'netconfig') argv.shift();
      if (argv.length > 0) lines.push({ line: index + 1, text: lineText.trim(), argv });
    } catch (error) {
      if (!(error instanceof BatchSyntaxError)) throw error;
      errors.push(error);
    }
  });
  return { lines, errors };
}

/** What `netconfig batch` needs from main.ts (passed in, so that batch.ts does not import main.ts). */
export interface BatchHooks {
  /** Runs one command line (main): its exit code; output goes to process.stdout/stderr. */
  run: (argv: string[]) => number;
  /** Throws the error the command line would report for a mistyped line, before anything runs. */
  check: (argv: string[]) => void;
}

interface BatchOptions {
  file: string;
  commitOnce: boolean;
  json: boolean;
  continueOnError: boolean;
  help: boolean;
}

class BatchUsageError extends Error {}

function parseOptions(argv: string[]): BatchOptions {
  const options: BatchOptions = { file: '-', commitOnce: false, json: false, continueOnError: false, help: false };
  let file: string | undefined;
  for (const arg of argv) {
    if (arg === '--commit-once') options.commitOnce = true;
    else if (arg === '--json') options.json = true;
    else if (arg === '--continue') options.continueOnError = true;
    else if (arg === '--help' || arg === '-h') options.help = true;
    else if (arg.startsWith('-') && arg !== '-')
      throw new BatchUsageError(`batch has no option "${arg}" (usage: netconfig batch [FILE | -] [--commit-once] [--json] [--continue])`);
    else if (file !== undefined) throw new BatchUsageError(`batch reads one file, not "${file}" and "${arg}" (usage: netconfig batch [FILE | -] …)`);
    else file = arg;
  }
  options.file = file ?? '-';
  return options;
}

/** A mistyped line's message, or undefined when the line would be accepted. */
function lineProblem(argv: string[], hooks: BatchHooks): string | undefined {
  if (argv[0] === 'batch') return 'batch cannot run inside a batch';
  try {
    hooks.check(argv);
  } catch (error) {
    if (error instanceof Error) return error.message.replace(/\n/g, ' ');
    throw error;
  }
  return undefined;
}

type Write = typeof process.stdout.write;

/** Collects what a line writes to stdout or stderr (strings, or bytes decoded as UTF-8). */
class Capture {
  private text = '';
  private readonly decoder = new TextDecoder('utf-8');
  add(chunk: string | Uint8Array): void {
    this.text += typeof chunk === 'string' ? chunk : this.decoder.decode(chunk, { stream: true });
  }
  take(): string {
    const text = this.text + this.decoder.decode();
    this.text = '';
    return text;
  }
}

/**
 * Standard output gathered into large writes (a batch of 10,000 queries would otherwise make 40,000
 * system calls). The text is copied into one reused buffer, so nothing of it outlives its line on the heap.
 */
class BufferedOut {
  private readonly buffer = Buffer.allocUnsafe(1 << 16);
  private used = 0;
  constructor(private readonly write: (chunk: Uint8Array) => void) {}
  add(chunk: string | Uint8Array): void {
    // A UTF-8 character takes at most 3 bytes per UTF-16 code unit.
    const most = typeof chunk === 'string' ? chunk.length * 3 : chunk.length;
    if (most > this.buffer.length - this.used) {
      this.flush();
      if (most > this.buffer.length) {
        this.write(typeof chunk === 'string' ? Buffer.from(chunk) : chunk);
        return;
      }
    }
    if (typeof chunk === 'string') this.used += this.buffer.write(chunk, this.used);
    else {
      this.buffer.set(chunk, this.used);
      this.used += chunk.length;
    }
  }
  flush(): void {
    if (this.used === 0) return;
    // A copy: the stream may keep the chunk after write returns.
    this.write(Buffer.from(this.buffer.subarray(0, this.used)));
    this.used = 0;
  }
}

/** Where the running batch sends stdout bytes (main's dump writes bytes straight to fd 1 otherwise). */
let batchStdout: ((chunk: Uint8Array) => void) | undefined;

/**
 * For main.ts's direct stdout writes: in a batch, the bytes go where the batch gathers the line's
 * output; returns false outside a batch.
 */
export function writeInBatch(chunk: Uint8Array): boolean {
  if (batchStdout === undefined) return false;
  batchStdout(chunk);
  return true;
}

/** Replaces process.stdout/stderr.write for the batch's duration; returns the restore function. */
function redirect(onOut: (chunk: string | Uint8Array) => void, onErr: (chunk: string | Uint8Array) => void): () => void {
  const stdoutWrite = process.stdout.write;
  const stderrWrite = process.stderr.write;
  const wrap = (to: (chunk: string | Uint8Array) => void): Write =>
    ((chunk: string | Uint8Array, ...rest: unknown[]): boolean => {
      to(chunk);
      const callback = rest.find((r) => typeof r === 'function') as (() => void) | undefined;
      if (callback !== undefined) process.nextTick(callback);
      return true;
    }) as Write;
  process.stdout.write = wrap(onOut);
  process.stderr.write = wrap(onErr);
  batchStdout = onOut;
  return () => {
    process.stdout.write = stdoutWrite;
    process.stderr.write = stderrWrite;
    batchStdout = undefined;
  };
}

/**
 * `netconfig batch [FILE | -] [--commit-once] [--json] [--continue]`: runs each command line of FILE (or
 * stdin) with `hooks.run`, hives kept open across lines; see BATCH_HELP for the rules. Returns the exit code.
 */
export function runBatch(argv: string[], hooks: BatchHooks): number {
  let options: BatchOptions;
  try {
    options = parseOptions(argv);
  } catch (error) {
    if (!(error instanceof BatchUsageError)) throw error;
    process.stderr.write(`netconfig: ${error.message}\n`);
    return 1;
  }
  if (options.help) {
    process.stdout.write(`${BATCH_HELP}\n`);
    return 0;
  }
  let bytes: Uint8Array;
  try {
    bytes = readFileSync(options.file === '-' ? 0 : options.file);
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    process.stderr.write(
      `netconfig batch: cannot read ${options.file === '-' ? 'standard input' : options.file}: ${code === 'ENOENT' ? 'no such file' : (error as Error).message}\n`,
    );
    return 1;
  }
  const { lines, errors } = parseBatch(bytes);
  const problems = errors.map((e) => ({ line: e.line, message: e.message }));
  for (const line of lines) {
    const problem = lineProblem(line.argv, hooks);
    if (problem !== undefined) problems.push({ line: line.line, message: problem });
  }
  if (problems.length > 0) {
    problems.sort((a, b) => a.line - b.line);
    for (const p of problems) process.stderr.write(`netconfig batch: line ${p.line}: ${p.message}\n`);
    process.stderr.write(`netconfig batch: nothing was run (${problems.length} mistyped line${problems.length === 1 ? '' : 's'})\n`);
    return 1;
  }
  return execute(lines, options, hooks);
}

function execute(lines: BatchLine[], options: BatchOptions, hooks: BatchHooks): number {
  const realOut = process.stdout.write.bind(process.stdout) as (chunk: string | Uint8Array) => boolean;
  const realErr = process.stderr.write.bind(process.stderr) as (chunk: string | Uint8Array) => boolean;
  const buffered = new BufferedOut((chunk) => void realOut(chunk));
  const lineOut = new Capture();
  const lineErr = new Capture();
  // Plain output keeps stdout and stderr in the order they were written; --json gathers each line's.
  const toStderr = (chunk: string | Uint8Array): void => {
    buffered.flush();
    realErr(chunk);
  };
  const session = HiveSession.begin({ commitOnce: options.commitOnce });
  const restore = options.json
    ? redirect(
        (chunk) => lineOut.add(chunk),
        (chunk) => lineErr.add(chunk),
      )
    : redirect((chunk) => buffered.add(chunk), toStderr);
  const say = (text: string): void => toStderr(`netconfig batch: ${text}\n`);
  let firstFailure: { line: BatchLine; exit: number } | undefined;
  let ran = 0;
  let finished = false;
  try {
    for (const line of lines) {
      session.beginLine();
      const exit = hooks.run(line.argv);
      session.endLine(exit === 0);
      ran++;
      if (options.json) {
        buffered.add(`${JSON.stringify({ line: line.line, command: line.text, exit, stdout: lineOut.take(), stderr: lineErr.take() })}\n`);
      }
      if (exit === 0) continue;
      firstFailure ??= { line, exit };
      say(`line ${line.line}: exit ${exit}: ${line.text}`);
      if (!options.continueOnError) break;
    }
    if (firstFailure !== undefined) {
      const stopped = ran < lines.length ? `stopped at line ${firstFailure.line.line} (--continue runs the rest); ` : '';
      if (options.commitOnce) say(`${stopped}nothing was committed (--commit-once, and line ${firstFailure.line.line} failed)`);
      else if (stopped !== '') say(`${stopped}the lines before it were committed`);
      finished = true;
      session.finish(false);
      return firstFailure.exit;
    }
    finished = true;
    try {
      session.finish(true);
    } catch (error) {
      // main reports the error itself (exit 1); several hives are committed all or nothing (commitAll).
      say('the final commit failed:');
      throw error;
    }
    return 0;
  } finally {
    if (!finished) session.end();
    buffered.flush();
    restore();
  }
}
