import { spawnSync } from 'node:child_process';
import { chmodSync, existsSync, mkdirSync, mkdtempSync, readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import fc from 'fast-check';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { BatchSyntaxError, parseBatch, splitBatchLine } from '../../src/cli/batch.js';
import { createDefaultHive } from '../../src/cli/default-hive.js';
import { Hive, ValueType, encodeUtf16le } from '../../src/hive/index.js';
import { HiveFile } from '../../src/node/index.js';
import { CLI, cliBuilt, netconfig } from '../support/cli.js';
import { runMain as run } from '../support/main.js';

/**
 * `netconfig batch`: command lines run in one process with hives read once. The reference for its output
 * is the same command lines run one by one through main() on a copy of the same hive.
 */

/** One word as a batch line writes it: bare when it can be, else in double quotes (a quote doubled). */
function quote(word: string): string {
  return word !== '' && !/[\s"']/.test(word) ? word : `"${word.replace(/"/g, '""')}"`;
}

function scratch(): string {
  return mkdtempSync(join(tmpdir(), 'netconfig-batch-'));
}

/** A small hive with some keys and values, written to `path`. */
function writeHive(path: string): void {
  const hive = Hive.create({ rootName: 'T' });
  const a = hive.root().ensurePath('A\\C');
  a.setValue('x', ValueType.REG_SZ, encodeUtf16le('seed\0'));
  hive
    .root()
    .ensurePath('B')
    .setValue('y', ValueType.REG_DWORD, Uint8Array.of(1, 0, 0, 0));
  writeFileSync(path, hive.serialize());
}

beforeEach(() => {
  // Key and base-block times come from the clock: the batch and the one-by-one runs must see the same.
  vi.useFakeTimers({ toFake: ['Date'] });
  vi.setSystemTime(new Date('2026-03-01T12:00:00Z'));
});
afterEach(() => {
  vi.useRealTimers();
});

describe('splitBatchLine: the words of a line', () => {
  it('splits on blanks, keeps backslashes, groups quoted text and doubles quotes inside quotes', () => {
    expect(splitBatchLine('reg query HKLM\\SYSTEM\\Select  --hive\tS')).toEqual(['reg', 'query', 'HKLM\\SYSTEM\\Select', '--hive', 'S']);
    expect(splitBatchLine('reg add "HKLM\\X\\Foo Bar" /d "C:\\dir\\"')).toEqual(['reg', 'add', 'HKLM\\X\\Foo Bar', '/d', 'C:\\dir\\']);
    expect(splitBatchLine(`/v 'it''s' /d "say ""hi""" /d ""`)).toEqual(['/v', "it's", '/d', 'say "hi"', '/d', '']);
    expect(splitBatchLine(`a"b c"d 'x"y' "x'y"`)).toEqual(['ab cd', 'x"y', "x'y"]);
    expect(splitBatchLine('reg add K /d #1')).toEqual(['reg', 'add', 'K', '/d', '#1']);
  });

  it('skips blank lines and # comments', () => {
    expect(splitBatchLine('')).toEqual([]);
    expect(splitBatchLine('   \t ')).toEqual([]);
    expect(splitBatchLine('  # reg add K /f')).toEqual([]);
  });

  it('refuses an unclosed quote, naming its column', () => {
    expect(() => splitBatchLine('reg query "HKLM\\X', 4)).toThrow(BatchSyntaxError);
    try {
      splitBatchLine("reg add K /d 'open", 4);
    } catch (error) {
      expect(error).toMatchObject({ line: 4, column: 14 });
    }
    expect.assertions(2);
  });

  it('round-trips any words through the quoting a user would write', () => {
    fc.assert(
      fc.property(
        fc.array(fc.string({ unit: fc.constantFrom('a', 'B', ' ', '\t', '"', "'", '\\', '#', '/', 'é') }), { minLength: 1, maxLength: 6 }),
        (words) => {
          // A line's first word may not start a comment.
          fc.pre(!words[0]!.startsWith('#'));
          expect(splitBatchLine(words.map(quote).join(' '))).toEqual(words);
        },
      ),
    );
  });

  it('parseBatch: line numbers, CRLF, a byte-order mark, UTF-16 and an optional leading "netconfig"', () => {
    const text = '\ufeff# header\r\nnetconfig dump h\r\n\r\nreg query "K\r\nstat h\r\n';
    const { lines, errors } = parseBatch(new TextEncoder().encode(text));
    expect(lines.map((l) => [l.line, l.argv])).toEqual([
      [2, ['dump', 'h']],
      [5, ['stat', 'h']],
    ]);
    expect(errors.map((e) => e.line)).toEqual([4]);
    const utf16 = Uint8Array.from([0xff, 0xfe, ...new Uint8Array(encodeUtf16le('dump é\r\n').buffer)]);
    expect(parseBatch(utf16).lines[0]!.argv).toEqual(['dump', 'é']);
  });
});

type Command = string[];

const KEYS = ['A', 'B', 'A\\C', 'B\\D E', 'N'];
const NAMES = ['x', 'y', 'z z'];

function commandArb(): fc.Arbitrary<Command> {
  const key = fc.constantFrom(...KEYS).map((k) => `HKLM\\T\\${k}`);
  const name = fc.constantFrom(...NAMES);
  const add = fc
    .tuple(
      key,
      name,
      fc.oneof(
        fc.tuple(fc.constant('REG_SZ'), fc.string({ maxLength: 6, unit: fc.constantFrom('a', 'b', ' ', '"', '\\') })),
        fc.tuple(fc.constant('REG_DWORD'), fc.nat(0xffffffff).map(String)),
        fc.tuple(
          fc.constant('REG_BINARY'),
          fc.uint8Array({ maxLength: 40 }).map((b) => Buffer.from(b).toString('hex')),
        ),
      ),
      fc.boolean(),
    )
    .map(([k, n, [t, d], force]) => ['reg', 'add', k, '/v', n, '/t', t, '/d', d, ...(force ? ['/f'] : [])]);
  const query = fc
    .tuple(key, fc.constantFrom<string[]>([], ['/s'], ['/v', 'x'], ['/v', 'z z'], ['/ve']))
    .map(([k, switches]) => ['reg', 'query', k, ...switches]);
  const remove = fc
    .tuple(key, fc.constantFrom<string[]>([], ['/v', 'x'], ['/v', 'y'], ['/va']))
    .map(([k, switches]) => ['reg', 'delete', k, ...switches, '/f']);
  return fc.oneof({ arbitrary: add, weight: 3 }, { arbitrary: query, weight: 3 }, { arbitrary: remove, weight: 1 });
}

describe('netconfig batch = the same command lines run one by one', () => {
  it('per-line output, exit codes and the hive bytes equal sequential main() calls on a copy (property)', () => {
    fc.assert(
      fc.property(fc.array(commandArb(), { minLength: 1, maxLength: 10 }), (commands) => {
        const dir = scratch();
        const one = join(dir, 'one.hiv');
        const batch = join(dir, 'batch.hiv');
        const plain = join(dir, 'plain.hiv');
        for (const path of [one, batch, plain]) writeHive(path);
        const forFile = (command: Command, file: string): Command => [...command, '--hive', file, '--mount', 'HKLM\\T'];
        const all = commands;
        const sequential = all.map((command) => run(...forFile(command, one)));

        const script = (file: string): string => `# generated\n${all.map((c) => forFile(c, file).map(quote).join(' ')).join('\n\n')}\n`;
        writeFileSync(join(dir, 'batch.txt'), script(batch));
        const json = run('batch', join(dir, 'batch.txt'), '--json', '--continue');
        const records = json.stdout
          .trim()
          .split('\n')
          .map((l) => JSON.parse(l) as { line: number; command: string; exit: number; stdout: string; stderr: string });
        expect(records.map((r) => r.line)).toEqual(all.map((_, i) => 2 + 2 * i));
        expect(records.map((r) => ({ status: r.exit, stdout: r.stdout, stderr: r.stderr.replaceAll(batch, one) }))).toEqual(sequential);
        expect(readFileSync(batch)).toEqual(readFileSync(one));
        const failed = sequential.findIndex((r) => r.status !== 0);
        expect(json.status).toBe(failed < 0 ? 0 : sequential[failed]!.status);

        // Plain output, stopping at the first failure: what the lines up to it printed, in order.
        writeFileSync(join(dir, 'plain.txt'), script(plain));
        const text = run('batch', join(dir, 'plain.txt'));
        const upTo = failed < 0 ? sequential : sequential.slice(0, failed + 1);
        expect(text.stdout).toBe(upTo.map((r) => r.stdout).join(''));
        expect(text.status).toBe(json.status);
        if (failed < 0) expect(readFileSync(plain)).toEqual(readFileSync(one));
        else expect(text.stderr).toContain(`netconfig batch: line ${2 + 2 * failed}: exit ${sequential[failed]!.status}: `);
      }),
      {
        numRuns: 25,
        // Found by this property: a hive kept in memory across commits allocated other free cells than
        // one read back from disk (the allocator's history), so the bytes differed.
        examples: [
          [
            [
              ['reg', 'add', 'HKLM\\T\\N', '/v', 'x', '/t', 'REG_SZ', '/d', ''],
              ['reg', 'add', 'HKLM\\T\\A\\C', '/v', 'y', '/t', 'REG_SZ', '/d', ''],
              ['reg', 'add', 'HKLM\\T\\A', '/v', 'x', '/t', 'REG_SZ', '/d', ''],
            ],
          ],
        ],
      },
    );
  });

  it('keeps committing after a line grows the hive (a new bin changes the base block the next line reads)', () => {
    const dir = scratch();
    const one = join(dir, 'one.hiv');
    const batch = join(dir, 'batch.hiv');
    writeHive(one);
    writeHive(batch);
    const big = 'ab'.repeat(6000);
    const commands = [0, 1, 2, 3].map((i) => ['reg', 'add', `HKLM\\T\\Big${i}`, '/v', 'blob', '/t', 'REG_BINARY', '/d', big, '/f']);
    const sequential = commands.map((c) => run(...c, '--hive', one, '--mount', 'HKLM\\T'));
    writeFileSync(join(dir, 'b.txt'), commands.map((c) => [...c, '--hive', batch, '--mount', 'HKLM\\T'].join(' ')).join('\n'));
    const result = run('batch', join(dir, 'b.txt'));
    expect(result.stderr).toBe('');
    expect(result.stdout).toBe(sequential.map((r) => r.stdout).join(''));
    expect(readFileSync(batch).length).toBeGreaterThan(4096 * 3);
    expect(readFileSync(batch)).toEqual(readFileSync(one));
  });

  it.skipIf(!cliBuilt)('a dump line prints the bytes dump prints alone (it writes to fd 1 itself), in plain and --json output', () => {
    const dir = scratch();
    const hive = join(dir, 'h.hiv');
    writeHive(hive);
    const alone = netconfig(dir, 'dump', hive);
    expect(alone.stdout).toMatch(/^\{"path": "", /);
    writeFileSync(join(dir, 'b.txt'), `dump ${hive}\nstat ${hive}\n`);
    const plain = netconfig(dir, 'batch', 'b.txt');
    expect(plain.stdout).toBe(alone.stdout + netconfig(dir, 'stat', hive).stdout);
    const json = netconfig(dir, 'batch', 'b.txt', '--json');
    expect(JSON.parse(json.stdout.split('\n')[0]!)).toEqual({ line: 1, command: `dump ${hive}`, exit: 0, stdout: alone.stdout, stderr: '' });
  });
});

describe('netconfig batch: hives read once, failures, --commit-once', () => {
  it('reads a hive once for many lines, and once more when a write first locks it', () => {
    const dir = scratch();
    const hive = join(dir, 'h.hiv');
    writeHive(hive);
    const h = `--hive ${hive} --mount HKLM\\T`;
    writeFileSync(
      join(dir, 'b.txt'),
      `${`reg query HKLM\\T\\A\\C /v x ${h}\n`.repeat(5)}reg add HKLM\\T\\New /v n /d 1 /f ${h}\nreg query HKLM\\T\\New ${h}\n`,
    );
    const opens = vi.spyOn(HiveFile, 'open');
    try {
      const result = run('batch', join(dir, 'b.txt'));
      expect(result.status).toBe(0);
      // Read without the lock for the queries, then again under it (another writer may have committed in between).
      expect(opens).toHaveBeenCalledTimes(2);
    } finally {
      opens.mockRestore();
    }
    expect(existsSync(`${hive}.netconfig-lock`)).toBe(false);
    expect(run('reg', 'query', 'HKLM\\T\\New', '/v', 'n', '--hive', hive, '--mount', 'HKLM\\T').stdout).toMatch(/n {4}REG_SZ {4}1/);
  });

  it('holds a hive\u2019s lock from the line that first writes it to the end of the batch', () => {
    const dir = scratch();
    const hive = join(dir, 'h.hiv');
    writeHive(hive);
    // recover --in-place takes the writer lock itself: before the first write it gets it, after it the batch holds it.
    writeFileSync(join(dir, 'b.txt'), `reg query \\A --hive ${hive}\nrecover ${hive} --in-place\nreg add \\K /f --hive ${hive}\nrecover ${hive} --in-place\n`);
    const result = run('batch', join(dir, 'b.txt'), '--json', '--continue');
    const exits = result.stdout
      .trim()
      .split('\n')
      .map((l) => (JSON.parse(l) as { exit: number; stderr: string }).exit);
    expect(exits).toEqual([0, 0, 0, 1]);
    expect(result.stderr).toMatch(/line 4: exit 1: recover/);
    expect(JSON.parse(result.stdout.trim().split('\n')[3]!).stderr).toMatch(new RegExp(`is locked by process ${process.pid} `));
    expect(existsSync(`${hive}.netconfig-lock`)).toBe(false);
  });

  it('stops at the first failed line, names it, and keeps what the lines before it committed', () => {
    const dir = scratch();
    const hive = join(dir, 'h.hiv');
    writeHive(hive);
    const h = `--hive ${hive} --mount HKLM\\T`;
    writeFileSync(join(dir, 'b.txt'), `reg add HKLM\\T\\One /f ${h}\n\nreg query HKLM\\T\\Missing ${h}\nreg add HKLM\\T\\Two /f ${h}\n`);
    const stopped = run('batch', join(dir, 'b.txt'));
    expect(stopped.status).toBe(1);
    expect(stopped.stderr).toContain('ERROR: The system was unable to find the specified registry key or value.\n');
    expect(stopped.stderr).toContain(`netconfig batch: line 3: exit 1: reg query HKLM\\T\\Missing ${h}\n`);
    expect(stopped.stderr).toMatch(/stopped at line 3 \(--continue runs the rest\); the lines before it were committed/);
    const keys = (): string[] =>
      Hive.open(new Uint8Array(readFileSync(hive)))
        .root()
        .subkeys()
        .map((k) => k.name);
    expect(keys()).toEqual(['A', 'B', 'One']);
    const continued = run('batch', join(dir, 'b.txt'), '--continue');
    expect(continued.status).toBe(1);
    expect(continued.stderr).toContain('netconfig batch: line 3: exit 1');
    expect(keys()).toEqual(['A', 'B', 'One', 'Two']);
  });

  it('the exit code is the first failed line\u2019s (reg compare: 2 for different)', () => {
    const dir = scratch();
    const hive = join(dir, 'h.hiv');
    writeHive(hive);
    writeFileSync(
      join(dir, 'b.txt'),
      `reg compare HKLM\\T\\A HKLM\\T\\B --hive ${hive} --mount HKLM\\T\nreg query HKLM\\T\\Missing --hive ${hive} --mount HKLM\\T\n`,
    );
    expect(run('batch', join(dir, 'b.txt'), '--continue').status).toBe(2);
  });

  it('--commit-once across two hives: both change together, and a failure commits nothing', () => {
    const dir = scratch();
    const system = join(dir, 'SYSTEM');
    const user = join(dir, 'NTUSER.DAT');
    writeHive(system);
    writeHive(user);
    const both = `--hive ${system} --mount HKLM\\SYSTEM --hive ${user} --mount HKCU`;
    const lines = [
      `reg add HKLM\\SYSTEM\\Batch /v a /t REG_DWORD /d 1 /f ${both}`,
      `reg add HKCU\\Batch /v b /d two /f --hive ${user} --mount HKCU`,
      `stat ${system}`,
      `reg query HKCU\\Batch /v b ${both}`,
    ];
    const before = [readFileSync(system), readFileSync(user)];
    writeFileSync(join(dir, 'bad.txt'), `${lines.join('\n')}\nreg delete HKLM\\SYSTEM\\Missing /f ${both}\n`);
    const failed = run('batch', join(dir, 'bad.txt'), '--commit-once', '--continue');
    expect(failed.status).toBe(1);
    // The lines before the failure ran (and saw each other's changes) …
    expect(failed.stdout).toContain('    b    REG_SZ    two\n');
    expect(failed.stderr).toMatch(/nothing was committed \(--commit-once, and line 5 failed\)/);
    // … but no file changed and no log was written.
    expect([readFileSync(system), readFileSync(user)]).toEqual(before);
    expect(readdirSync(dir).sort()).toEqual(['NTUSER.DAT', 'SYSTEM', 'bad.txt']);

    writeFileSync(join(dir, 'good.txt'), `${lines.join('\n')}\n`);
    const ok = run('batch', join(dir, 'good.txt'), '--commit-once');
    expect(ok.status).toBe(0);
    expect(run('reg', 'query', 'HKLM\\SYSTEM\\Batch', '/v', 'a', '--hive', system, '--mount', 'HKLM\\SYSTEM').stdout).toMatch(/a {4}REG_DWORD {4}0x1/);
    expect(run('reg', 'query', 'HKCU\\Batch', '/v', 'b', '--hive', user, '--mount', 'HKCU').stdout).toMatch(/b {4}REG_SZ {4}two/);
    expect(readdirSync(dir).filter((n) => n.endsWith('.netconfig-lock'))).toEqual([]);
  });

  it('adapter set in a batch commits through the session: each line sees the last, --commit-once writes once', () => {
    const dir = scratch();
    const hive = join(dir, 'system.hiv');
    writeFileSync(hive, createDefaultHive().serialize());
    writeFileSync(
      join(dir, 'b.txt'),
      `adapter set 0000 *JumboPacket 4088 --hive ${hive}\nadapter set 0000 *JumboPacket 9014 --hive ${hive}\nadapter get 0000 *JumboPacket --hive ${hive}\n`,
    );
    const commits = vi.spyOn(HiveFile.prototype, 'commit');
    try {
      const result = run('batch', join(dir, 'b.txt'), '--commit-once');
      expect(result.status).toBe(0);
      expect(result.stdout).toBe('*JumboPacket = 4088\n*JumboPacket = 9014\n9014\n');
      expect(commits).toHaveBeenCalledTimes(1);
    } finally {
      commits.mockRestore();
    }
    expect(readdirSync(dir).filter((n) => n.endsWith('.netconfig-lock'))).toEqual([]);
    expect(run('adapter', 'get', '0000', '*JumboPacket', '--hive', hive).stdout).toBe('9014\n');
  });

  it('--commit-once: a final commit that fails is reported after the lines, exit 1, locks released', () => {
    const dir = scratch();
    const hive = join(dir, 'h.hiv');
    writeHive(hive);
    writeFileSync(join(dir, 'b.txt'), `reg add HKLM\\T\\New /f --hive ${hive} --mount HKLM\\T\n`);
    const full = vi.spyOn(HiveFile.prototype, 'commit').mockImplementation(() => {
      throw Object.assign(new Error('ENOSPC: no space left on device, write'), { code: 'ENOSPC', path: hive });
    });
    try {
      const result = run('batch', join(dir, 'b.txt'), '--commit-once');
      expect(result.status).toBe(1);
      expect(result.stdout).toBe('The operation completed successfully.\n');
      expect(result.stderr).toBe(
        `netconfig batch: the final commit failed:\nnetconfig: no space left on the device holding ${hive}; nothing was committed (free some space and retry)\n`,
      );
    } finally {
      full.mockRestore();
    }
    expect(readdirSync(dir).sort()).toEqual(['b.txt', 'h.hiv']);
  });

  it('a failed line leaves no half-made change behind for the lines after it', () => {
    const dir = scratch();
    const hive = join(dir, 'h.hiv');
    writeHive(hive);
    const h = `--hive ${hive} --mount HKLM\\T`;
    // An import that fails part way (its second key's name is too long): the key it made in memory
    // before failing must not reach a later line's commit.
    writeFileSync(
      join(dir, 'bad.reg'),
      `Windows Registry Editor Version 5.00\r\n\r\n[HKEY_LOCAL_MACHINE\\T\\Half]\r\n"a"=dword:00000001\r\n\r\n[HKEY_LOCAL_MACHINE\\T\\${'k'.repeat(300)}]\r\n"b"="x"\r\n`,
    );
    writeFileSync(join(dir, 'b.txt'), `reg import ${join(dir, 'bad.reg')} ${h}\nreg add HKLM\\T\\After /f ${h}\n`);
    const result = run('batch', join(dir, 'b.txt'), '--continue');
    expect(result.status).toBe(1);
    expect(result.stderr).toMatch(/longer than the 255 allowed[\s\S]*netconfig batch: line 1: exit 1/);
    const names = Hive.open(new Uint8Array(readFileSync(hive)))
      .root()
      .subkeys()
      .map((k) => k.name);
    expect(names).toEqual(['A', 'After', 'B']);
  });

  it('a mistyped line: nothing runs, exit 1, every mistake named by line, no file changed', () => {
    const dir = scratch();
    const hive = join(dir, 'h.hiv');
    writeHive(hive);
    const before = readFileSync(hive);
    const h = `--hive ${hive} --mount HKLM\\T`;
    writeFileSync(
      join(dir, 'b.txt'),
      [
        `reg add HKLM\\T\\New /f ${h}`,
        `reg qurey HKLM\\T\\A ${h}`,
        `reg query HKLM\\T\\A /x ${h}`,
        `dupm ${hive}`,
        `adapter lst --hive ${hive}`,
        `reg add "HKLM\\T\\Open /f ${h}`,
        'batch other.txt',
        `stat ${hive} --jsno`,
      ].join('\n'),
    );
    const result = run('batch', join(dir, 'b.txt'), '--json');
    expect(result.status).toBe(1);
    expect(result.stdout).toBe('');
    const named = [...result.stderr.matchAll(/^netconfig batch: line (\d+): /gm)].map((m) => Number(m[1]));
    expect(named).toEqual([2, 3, 4, 5, 6, 7, 8]);
    expect(result.stderr).toMatch(/line 2: ERROR: Invalid syntax\. unknown reg verb "qurey"/);
    expect(result.stderr).toMatch(/line 6: the double quote at column 9 is not closed/);
    expect(result.stderr).toMatch(/nothing was run \(7 mistyped lines\)/);
    expect(readFileSync(hive)).toEqual(before);
    expect(readdirSync(dir).sort()).toEqual(['b.txt', 'h.hiv']);
  });

  it('refuses its own mistyped options and a missing file', () => {
    expect(run('batch', '--commit-one').stderr).toMatch(/batch has no option "--commit-one"/);
    expect(run('batch', 'a', 'b').status).toBe(1);
    const missing = run('batch', join(scratch(), 'none.txt'));
    expect(missing.status).toBe(1);
    expect(missing.stderr).toMatch(/cannot read .*none\.txt: no such file/);
    expect(run('batch', '--help').stdout).toMatch(/^netconfig batch — many netconfig commands in one process/);
    expect(run('--help').stdout).toMatch(/batch \[FILE\|-\]/);
  });
});

describe.skipIf(!cliBuilt)('netconfig batch as a process', () => {
  it('reads standard input, and releases its locks when it ends', () => {
    const dir = scratch();
    const hive = join(dir, 'h.hiv');
    writeHive(hive);
    const input = `reg add HKLM\\T\\S /v v /d "a b" /f --hive ${hive} --mount HKLM\\T\nreg query HKLM\\T\\S --hive ${hive} --mount HKLM\\T\n`;
    const result = spawnSync(process.execPath, [CLI, 'batch', '-'], { input, encoding: 'utf8', timeout: 60_000 });
    expect(result.status, result.stderr).toBe(0);
    expect(result.stdout).toBe('The operation completed successfully.\n\nHKEY_LOCAL_MACHINE\\T\\S\n    v    REG_SZ    a b\n\n');
    expect(existsSync(`${hive}.netconfig-lock`)).toBe(false);
  });
});

describe.skipIf(!cliBuilt)('README: many commands in one process', () => {
  it('runs the batch example as written, netconfig on PATH', () => {
    const readme = readFileSync(new URL('../../README.md', import.meta.url), 'utf8');
    const section = /### Many commands in one process([\s\S]*?)\n## /.exec(readme)![1]!;
    const dir = scratch();
    writeFileSync(join(dir, 'changes.txt'), /```text\n([\s\S]*?)```/.exec(section)![1]!);
    const commands = /```sh\n([\s\S]*?)```/
      .exec(section)![1]!
      .split('\n')
      .filter((l) => l.trim() !== '')
      .map((l) => l.replace(/\s+#.*$/, '').trim());
    expect(commands.length).toBe(3);
    mkdirSync(join(dir, 'bin'));
    writeFileSync(join(dir, 'bin/netconfig'), `#!/bin/sh\nexec "${process.execPath}" "${CLI}" "$@"\n`);
    chmodSync(join(dir, 'bin/netconfig'), 0o755);
    const outputs = commands.map((command) => {
      const result = spawnSync('sh', ['-c', command], {
        cwd: dir,
        encoding: 'utf8',
        timeout: 60_000,
        env: { ...process.env, PATH: `${join(dir, 'bin')}:${process.env.PATH}` },
      });
      expect(result.status, `${command}: ${result.stderr}`).toBe(0);
      return result.stdout;
    });
    expect(outputs[1]).toBe(
      'The operation completed successfully.\n*JumboPacket = 9014\n\nHKEY_LOCAL_MACHINE\\SYSTEM\\CurrentControlSet\\Services\\Contoso\n    Start    REG_DWORD    0x3\n\n',
    );
    expect(JSON.parse(outputs[2]!)).toMatchObject({ line: 2, exit: 0, stdout: 'The operation completed successfully.\n' });
    expect(readdirSync(dir).filter((n) => n.endsWith('.netconfig-lock'))).toEqual([]);
  });
});
