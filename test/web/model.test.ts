import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { Hive, ValueType } from '../../src/hive/index.js';
import { RegDataError, encodeRegAddData } from '../../src/cli/reg-data.js';
import { MountError } from '../../src/registry/index.js';
import { EditorError, HiveSession, displayData, editText, parseValueInput, sortFiles } from '../../web/src/model.js';
import { cliBuilt, netconfig } from '../support/cli.js';
import { corpusAvailable, corpusPath, readCorpus } from '../support/corpus.js';
import { fixedClock } from '../support/hives.js';

/** The page's model in Node: the same code the page bundles, checked against the CLI it must agree with. */
const enabled = corpusAvailable();
const ADAPTER = 'HKLM\\SYSTEM\\CurrentControlSet\\Control\\Class\\{4d36e972-e325-11ce-bfc1-08002be10318}\\0007';
const scratch = mkdtempSync(join(tmpdir(), 'netconfig-web-model-'));
afterAll(() => rmSync(scratch, { recursive: true, force: true }));

function openSystem(): HiveSession {
  return HiveSession.open(sortFiles([{ name: 'SYSTEM', bytes: readCorpus('regipy/SYSTEM.xz') }]), false);
}

describe.skipIf(!enabled)('the hive editor model over the corpus SYSTEM hive', () => {
  it('resolves typed paths as the CLI does (CurrentControlSet, short and long roots, Computer\\, paths inside the hive) and names the missing part', () => {
    const session = openSystem();
    expect(session.display([])).toBe('HKEY_LOCAL_MACHINE\\SYSTEM');
    expect(session.resolve(ADAPTER)).toEqual(['ControlSet001', 'Control', 'Class', '{4D36E972-E325-11CE-BFC1-08002BE10318}', '0007']);
    expect(session.resolve('Computer\\HKEY_LOCAL_MACHINE\\SYSTEM\\select')).toEqual(['Select']);
    // The key's own spelling comes back (this hive has "services").
    expect(session.resolve('\\CurrentControlSet\\Services\\Tcpip')).toEqual(['ControlSet001', 'services', 'Tcpip']);
    expect(session.resolve('HKLM\\SYSTEM')).toEqual([]);
    expect(() => session.resolve('HKLM\\SOFTWARE\\Microsoft')).toThrow(MountError);
    expect(() => session.resolve('HKLM\\SYSTEM\\ControlSet001\\Nope\\Deeper')).toThrow(
      new EditorError('HKEY_LOCAL_MACHINE\\SYSTEM\\ControlSet001\\Nope\\Deeper does not exist: HKEY_LOCAL_MACHINE\\SYSTEM\\ControlSet001 has no subkey "Nope"'),
    );
  });

  it.skipIf(!cliBuilt)('exports a key byte for byte as netconfig reg export does', () => {
    const session = openSystem();
    const components = session.resolve(ADAPTER);
    const out = join(scratch, 'cli.reg');
    const run = netconfig(scratch, 'reg', 'export', session.display(components), out, '/y', '--hive', corpusPath('regipy/SYSTEM.xz'));
    expect(run.stderr).not.toMatch(/ERROR/);
    expect(run.status).toBe(0);
    expect(Buffer.from(session.exportReg(components)).equals(readFileSync(out))).toBe(true);
  });

  it.skipIf(!cliBuilt)('shows the header facts and counts netconfig stat --json prints, as the file was read even after edits', () => {
    const session = openSystem();
    session.setValue(['Select'], 'Extra', ValueType.REG_DWORD, new Uint8Array(4));
    session.deleteValue(['Select'], 'Extra');
    const cli = netconfig(scratch, 'stat', '--json', corpusPath('regipy/SYSTEM.xz'));
    expect(cli.status, cli.stderr).toBe(0);
    const { path: _path, ...facts } = JSON.parse(cli.stdout) as Record<string, unknown>;
    expect(session.stat()).toMatchObject(facts);
  });

  it('finds keys, value names and data like reg query /f (wildcards, whole, case) from the selection on, to the end', () => {
    const session = openSystem();
    const started = performance.now();
    const hit = session.find({ pattern: '*jumbopacket', keys: false, values: true, data: false, whole: true, caseSensitive: false }, undefined);
    expect(hit).toEqual({ components: ['ControlSet001', 'Control', 'Class', '{4D36E972-E325-11CE-BFC1-08002BE10318}', '0007'], value: '*JumboPacket' });
    const next = session.find({ pattern: '*jumbopacket', keys: false, values: true, data: false, whole: true, caseSensitive: false }, hit);
    expect(next?.components.slice(0, 4)).toEqual(hit!.components.slice(0, 4));
    expect(next?.components).not.toEqual(hit!.components);
    expect(session.find({ pattern: '*JumboPacket', keys: false, values: true, data: false, whole: true, caseSensitive: true }, undefined)).toEqual(hit);
    expect(session.find({ pattern: '*JUMBOPACKET', keys: false, values: true, data: false, whole: true, caseSensitive: true }, undefined)).toBeUndefined();
    expect(
      session.find({ pattern: 'Intel(R) PRO/1000 MT*', keys: false, values: false, data: true, whole: true, caseSensitive: false }, undefined)?.value,
    ).toBe('DriverDesc');
    // Depth first, as reg query /s lists keys: Control\SafeBoot\Network\Tcpip comes before services\Tcpip.
    const tcpip = { pattern: 'tcpi?', keys: true, values: false, data: false, whole: true, caseSensitive: false };
    const first = session.find(tcpip, undefined);
    expect(first?.components).toEqual(['ControlSet001', 'Control', 'SafeBoot', 'Network', 'Tcpip']);
    const second = session.find(tcpip, first);
    expect(second?.components.at(-1)).toBe('Tcpip');
    expect(second?.components).not.toEqual(first?.components);
    expect(
      session.find({ pattern: 'no such text anywhere 7f3a', keys: true, values: true, data: true, whole: false, caseSensitive: false }, undefined),
    ).toBeUndefined();
    // Binary data is matched as reg query prints it (upper-case hex digits, nothing between), DWORDs as 0x….
    const binary = session.find({ pattern: 'da070b00*', keys: false, values: false, data: true, whole: true, caseSensitive: false }, undefined)!;
    const value = session.key(binary.components)!.value(binary.value!)!;
    expect(value.type).toBe(ValueType.REG_BINARY);
    expect(Buffer.from(value.data()).toString('hex').startsWith('da070b00')).toBe(true);
    const dword = session.find({ pattern: '0x83', keys: false, values: false, data: true, whole: true, caseSensitive: false }, undefined)!;
    expect(session.key(dword.components)!.value(dword.value!)!.data()).toEqual(new Uint8Array([0x83, 0, 0, 0]));
    expect(session.find({ pattern: 'deadbeefcafe1234', keys: true, values: true, data: true, whole: false, caseSensitive: false }, undefined)).toBeUndefined();
    console.log(`model find over the whole SYSTEM hive (Node): ${(performance.now() - started).toFixed(0)} ms for 10 searches`);
  });
});

describe('editing through the model', () => {
  it('validates value text exactly as reg add does, edits, undoes, and saves a hive the validator passes', () => {
    const session = HiveSession.open(sortFiles([{ name: 'EDIT.hiv', bytes: Hive.create({ clock: fixedClock }).serialize() }]), false);
    expect(session.display([])).toBe('HKEY_LOCAL_MACHINE\\EDIT.hiv');
    // Same bytes and same refusals as reg add /t TYPE /d DATA.
    expect(parseValueInput(ValueType.REG_DWORD, '2a', true)).toEqual(encodeRegAddData(ValueType.REG_DWORD, '0x2a'));
    expect(parseValueInput(ValueType.REG_DWORD, '42', false)).toEqual(encodeRegAddData(ValueType.REG_DWORD, '42'));
    expect(() => parseValueInput(ValueType.REG_DWORD, '4294967296', false)).toThrow(RegDataError);
    expect(() => parseValueInput(ValueType.REG_DWORD, 'zz', true)).toThrow(RegDataError);
    expect(parseValueInput(ValueType.REG_MULTI_SZ, 'one\ntwo\n')).toEqual(encodeRegAddData(ValueType.REG_MULTI_SZ, 'one#two', '#'));
    expect(() => parseValueInput(ValueType.REG_MULTI_SZ, 'one\n\ntwo')).toThrow(RegDataError);
    expect(parseValueInput(ValueType.REG_BINARY, 'de ad BE ef')).toEqual(new Uint8Array([0xde, 0xad, 0xbe, 0xef]));
    expect(() => parseValueInput(ValueType.REG_BINARY, 'xyz')).toThrow(RegDataError);
    expect(displayData(ValueType.REG_QWORD, parseValueInput(ValueType.REG_QWORD, '1234567890123', false))).toBe('0x0000011f71fb04cb (1234567890123)');
    expect(editText(ValueType.REG_DWORD, parseValueInput(ValueType.REG_DWORD, '2a', true), false)).toBe('42');

    const key = session.newKey([], 'Alpha');
    session.setValue(key, 'n', ValueType.REG_DWORD, parseValueInput(ValueType.REG_DWORD, '2a'));
    const renamed = session.renameKey(key, 'Beta');
    session.renameValue(renamed, 'n', 'm');
    expect(session.key(['Beta'])?.value('m')?.data()).toEqual(new Uint8Array([42, 0, 0, 0]));
    expect(() => session.newKey([], 'Beta')).toThrow(/already exists/);
    expect(session.undo()).toBe('rename value to m');
    expect(session.key(['Beta'])?.value('n')).toBeDefined();
    session.deleteKey(['Beta']);
    expect(session.key(['Beta'])).toBeUndefined();
    session.undo();
    const saved = Hive.open(session.save());
    expect(saved.root().subkey('Beta')?.value('n')?.data()).toEqual(new Uint8Array([42, 0, 0, 0]));
  });

  it('sorts dropped files into the hive and its logs, by name or by the regf file type', () => {
    const files = sortFiles([
      { name: 'NTUSER.DAT.LOG2', bytes: new Uint8Array(8) },
      { name: 'NTUSER.DAT', bytes: new Uint8Array(8) },
      { name: 'NTUSER.DAT.LOG1', bytes: new Uint8Array(8) },
    ]);
    expect(files.primary.name).toBe('NTUSER.DAT');
    expect(files.logNames.sort()).toEqual(['NTUSER.DAT.LOG1', 'NTUSER.DAT.LOG2']);
    expect(() => sortFiles([{ name: 'a.LOG1', bytes: new Uint8Array(8) }])).toThrow(/only transaction logs/);
  });
});
