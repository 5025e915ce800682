import { spawnSync } from 'node:child_process';
import { copyFileSync, existsSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { Hive, checkHive, dumpHiveToString, recoverHive } from '../../src/hive/index.js';
import { corpusAvailable, corpusPath } from '../support/corpus.js';
import { hivexDump, oraclesAvailable } from '../support/oracles.js';

/** The CLI as a user runs it: the built dist/cli/main.js (npm test builds first). */
const CLI = fileURLToPath(new URL('../../dist/cli/main.js', import.meta.url));

function netconfig(args: string[], cwd: string): { status: number; stdout: string; stderr: string } {
  const result = spawnSync(process.execPath, [CLI, ...args], { cwd, encoding: 'utf8', maxBuffer: 1 << 28 });
  return { status: result.status ?? -1, stdout: result.stdout, stderr: result.stderr };
}

const built = existsSync(CLI);

describe.skipIf(!built)('netconfig CLI', () => {
  const cwd = mkdtempSync(join(tmpdir(), 'netconfig-cli-'));

  it('creates the default hive on first use, and dump prints it as hivex does', () => {
    const result = netconfig(['dump'], cwd);
    expect(result.status, result.stderr).toBe(0);
    expect(result.stderr).toMatch(/created netconfig\.hiv/);
    expect(result.stdout).toMatch(/"path": "\\\\ControlSet001\\\\Control\\\\Class\\\\\{4d36e972-e325-11ce-bfc1-08002be10318\}\\\\0000"/);
    const bytes = readFileSync(join(cwd, 'netconfig.hiv'));
    expect(checkHive(bytes)).toEqual([]);
    if (oraclesAvailable('hivexDump')) expect(hivexDump(join(cwd, 'netconfig.hiv')).stdout).toBe(result.stdout);
    expect(netconfig(['dump'], cwd).stderr).toBe('');
  });

  it('check exits 0 on a clean hive and 1 with one line per violation on a broken one', () => {
    expect(netconfig(['check'], cwd).status).toBe(0);
    const bytes = Hive.create().serialize();
    bytes[508] = bytes[508]! ^ 0xff;
    writeFileSync(join(cwd, 'bad.hiv'), bytes);
    const result = netconfig(['check', 'bad.hiv'], cwd);
    expect(result.status).toBe(1);
    expect(result.stdout.trim().split('\n').length).toBeGreaterThan(0);
    expect(result.stdout).toMatch(/^file 0x[0-9a-f]+: [a-z-]+: /m);
  });

  it('stat walks everything and reports counts, as text and JSON', () => {
    const result = netconfig(['stat', '--json'], cwd);
    expect(result.status).toBe(0);
    const facts = JSON.parse(result.stdout) as { keys: number; values: number; version: string };
    expect(facts.version).toBe('1.5');
    expect(facts.keys).toBeGreaterThan(10);
  });

  it('create writes a valid empty hive and will not overwrite without --force', () => {
    expect(netconfig(['create', 'new.hiv', '--minor', '3'], cwd).status).toBe(0);
    expect(Hive.open(readFileSync(join(cwd, 'new.hiv'))).minorVersion).toBe(3);
    const again = netconfig(['create', 'new.hiv'], cwd);
    expect(again.status).toBe(1);
    expect(again.stderr).toMatch(/--force/);
  });

  it('explains non-hives in one line and exits 1; bad usage exits 1 too', () => {
    writeFileSync(join(cwd, 'pe.exe'), Buffer.from('MZ\x90\x00 this is not a hive'));
    const pe = netconfig(['dump', 'pe.exe'], cwd);
    expect(pe.status).toBe(1);
    expect(pe.stderr).toBe('netconfig: this is a Windows executable (PE/MZ), not a registry hive (at file offset 0x0)\n');
    expect(netconfig(['dump', 'missing.hiv'], cwd).status).toBe(1);
    expect(netconfig(['frobnicate'], cwd).status).toBe(1);
    const help = netconfig(['--help'], cwd);
    expect(help.status).toBe(0);
    expect(help.stdout).toMatch(/Usage: netconfig/);
  });

  it.skipIf(!corpusAvailable())('warns about dirty hives and still dumps them', () => {
    const result = netconfig(['dump', corpusPath('regipy/SECURITY')], cwd);
    expect(result.status).toBe(0);
    expect(result.stderr).toMatch(/is dirty \(its sequence numbers differ \(107 ≠ 106\)\)/);
  });

  it.skipIf(!corpusAvailable())('--tolerant dumps what it can of a broken hive and exits 1', () => {
    const strict = netconfig(['dump', corpusPath('yarp/BadListHive')], cwd);
    expect(strict.status).toBe(1);
    const tolerant = netconfig(['dump', '--tolerant', corpusPath('yarp/BadListHive')], cwd);
    expect(tolerant.status).toBe(1);
    expect(tolerant.stdout.split('\n').length).toBeGreaterThan(4);
    // BadListHive lists one subkey list under two keys: the walk refuses the second use of the list.
    expect(tolerant.stderr).toMatch(/skipped: (key reached twice|subkey list 0x[0-9a-f]+ is also used by another key)/);
  });
});

describe.skipIf(!(built && corpusAvailable()))('netconfig recover and log replay', () => {
  const cwd = mkdtempSync(join(tmpdir(), 'netconfig-recover-'));
  for (const suffix of ['', '.LOG1', '.LOG2']) copyFileSync(corpusPath(`yarp/NewDirtyHive1/NewDirtyHive${suffix}`), join(cwd, `NewDirtyHive${suffix}`));

  it('dump replays the logs beside a dirty hive in memory, unless --no-recover', () => {
    const replayed = netconfig(['dump', 'NewDirtyHive'], cwd);
    expect(replayed.status).toBe(0);
    expect(replayed.stderr).toMatch(/was dirty; replayed LOG1 \(1 entries\), LOG2 \(3 entries\) in memory/);
    expect(replayed.stdout).toMatch(/"path": "\\\\Key3\\\\Key3_3"/);
    const raw = netconfig(['dump', '--no-recover', 'NewDirtyHive'], cwd);
    expect(raw.stdout).not.toBe(replayed.stdout);
    expect(raw.stderr).toMatch(/is dirty/);
  });

  it("recover writes HIVE.recovered (Windows 10's result from offset 4096), --in-place replaces the hive", () => {
    const original = readFileSync(join(cwd, 'NewDirtyHive'));
    const result = netconfig(['recover', 'NewDirtyHive'], cwd);
    expect(result.status, result.stderr).toBe(0);
    expect(result.stdout).toMatch(/LOG2: new-format log, 3 entries, sequence 3–5/);
    expect(readFileSync(join(cwd, 'NewDirtyHive')).equals(original)).toBe(true);
    const recovered = readFileSync(join(cwd, 'NewDirtyHive.recovered'));
    expect(recovered.subarray(4096).equals(readFileSync(corpusPath('yarp/NewDirtyHive1/RecoveredHive_Windows10')).subarray(4096))).toBe(true);
    expect(netconfig(['check', 'NewDirtyHive.recovered'], cwd).status).toBe(0);
    expect(netconfig(['recover', 'NewDirtyHive', '--in-place'], cwd).status).toBe(0);
    expect(Hive.open(readFileSync(join(cwd, 'NewDirtyHive'))).dirty).toBeUndefined();
    if (oraclesAvailable('hivexDump')) expect(hivexDump(join(cwd, 'NewDirtyHive')).stdout).toBe(netconfig(['dump', 'NewDirtyHive'], cwd).stdout);
  });

  it('refuses broken logs with a reason and leaves the files alone', () => {
    for (const suffix of ['', '.LOG1', '.LOG2']) copyFileSync(corpusPath(`yarp/BadLogHive1/BadLogHive${suffix}`), join(cwd, `BadLogHive${suffix}`));
    const before = readFileSync(join(cwd, 'BadLogHive'));
    const result = netconfig(['recover', 'BadLogHive'], cwd);
    expect(result.status).toBe(1);
    expect(result.stderr).toMatch(/no usable transaction log.*LOG1 has no valid base block/);
    expect(readFileSync(join(cwd, 'BadLogHive')).equals(before)).toBe(true);
  });
});

describe.skipIf(!built)('writes through the CLI are committed through a log', () => {
  it('leaves a clean primary, a valid LOG1 whose entry recovery accepts, and a hive hivex reads', () => {
    const cwd = mkdtempSync(join(tmpdir(), 'netconfig-commit-'));
    netconfig(['stat'], cwd);
    const result = netconfig(['reg', 'add', '\\Select', '/v', 'Current', '/t', 'REG_DWORD', '/d', '2', '/f', '--hive', 'netconfig.hiv'], cwd);
    expect(result.status, result.stderr).toBe(0);
    const primary = readFileSync(join(cwd, 'netconfig.hiv'));
    expect(Hive.open(primary).dirty).toBeUndefined();
    const log = readFileSync(join(cwd, 'netconfig.hiv.LOG1'));
    expect(log.subarray(512, 516).toString('latin1')).toBe('HvLE');
    // Roll the primary back to "marked dirty" (seq2 one behind): the log alone must rebuild the new state.
    const dirty = new Uint8Array(primary);
    const view = new DataView(dirty.buffer);
    view.setUint32(8, view.getUint32(4, true) - 1, true);
    const replayed = recoverHive(dirty, { log1: new Uint8Array(log) });
    expect(replayed.recovered).toBe(true);
    expect(dumpHiveToString(Hive.open(replayed.bytes))).toBe(dumpHiveToString(Hive.open(primary)));
    if (oraclesAvailable('hivexDump')) expect(hivexDump(join(cwd, 'netconfig.hiv')).stdout).toBe(dumpHiveToString(Hive.open(primary)));
  });
});
