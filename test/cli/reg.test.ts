import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { Hive, checkHive } from '../../src/hive/index.js';

const CLI = fileURLToPath(new URL('../../dist/cli/main.js', import.meta.url));
const ADAPTER = '\\ControlSet001\\Control\\Class\\{4d36e972-e325-11ce-bfc1-08002be10318}\\0000';

function netconfig(cwd: string, ...args: string[]): { status: number; stdout: string; stderr: string } {
  const result = spawnSync(process.execPath, [CLI, ...args], { cwd, encoding: 'utf8' });
  return { status: result.status ?? -1, stdout: result.stdout, stderr: result.stderr };
}

describe.skipIf(!existsSync(CLI))('netconfig reg: reg.exe verbs on a hive file', () => {
  const cwd = mkdtempSync(join(tmpdir(), 'netconfig-reg-'));
  netconfig(cwd, 'stat');

  const cases: { name: string; args: string[]; status: number; stdout?: string | RegExp; stderr?: RegExp }[] = [
    { name: 'query a key by HKLM path', args: ['reg', 'query', 'HKLM\\SYSTEM\\Select'], status: 0, stdout: '\nHKLM\\SYSTEM\\Select\n    Current    REG_DWORD    0x1\n    Default    REG_DWORD    0x1\n    Failed    REG_DWORD    0x0\n    LastKnownGood    REG_DWORD    0x1\n' },
    { name: 'query with a long root name', args: ['reg', 'query', 'HKEY_LOCAL_MACHINE\\ANYNAME\\Select', '/v', 'Current'], status: 0, stdout: '\nHKEY_LOCAL_MACHINE\\ANYNAME\\Select\n    Current    REG_DWORD    0x1\n' },
    { name: 'query a missing key', args: ['reg', 'query', '\\Nope'], status: 1, stderr: /unable to find the specified registry key or value/ },
    { name: 'switches in any case and with a dash', args: ['reg', 'query', 'Select', '-V', 'current'], status: 0, stdout: /Current    REG_DWORD    0x1/ },
    { name: 'add a REG_SZ', args: ['reg', 'add', ADAPTER, '/v', 'NetworkAddress', '/d', '001122334455', '/f'], status: 0, stdout: 'The operation completed successfully.\n' },
    { name: 'add refuses to overwrite without /f', args: ['reg', 'add', ADAPTER, '/v', 'NetworkAddress', '/d', 'x'], status: 1, stderr: /exists; add \/f/ },
    { name: 'add a DWORD in hex', args: ['reg', 'add', '\\t', '/v', 'd', '/t', 'REG_DWORD', '/d', '0xffffffff', '/f'], status: 0 },
    { name: 'add a DWORD in decimal', args: ['reg', 'add', '\\t', '/v', 'e', '/t', 'reg_dword', '/d', '42', '/f'], status: 0 },
    { name: 'add rejects a bad number', args: ['reg', 'add', '\\t', '/v', 'f', '/t', 'REG_DWORD', '/d', '12abc', '/f'], status: 1, stderr: /Invalid data/ },
    { name: 'add a multi-string with a custom separator', args: ['reg', 'add', '\\t', '/v', 'm', '/t', 'REG_MULTI_SZ', '/s', '#', '/d', 'a#b', '/f'], status: 0 },
    { name: 'add the default value', args: ['reg', 'add', '\\t', '/ve', '/d', 'dflt', '/f'], status: 0 },
    { name: 'add a binary value', args: ['reg', 'add', '\\t', '/v', 'b', '/t', 'REG_BINARY', '/d', 'fe340ead', '/f'], status: 0 },
    { name: 'query shows every type as reg does', args: ['reg', 'query', '\\t'], status: 0, stdout: '\n\\t\n    d    REG_DWORD    0xffffffff\n    e    REG_DWORD    0x2a\n    m    REG_MULTI_SZ    a\\0b\n    (Default)    REG_SZ    dflt\n    b    REG_BINARY    FE340EAD\n' },
    { name: 'compare identical keys', args: ['reg', 'compare', '\\t', '\\t'], status: 0, stdout: /Identical/ },
    { name: 'copy a key', args: ['reg', 'copy', '\\t', '\\u', '/s', '/f'], status: 0 },
    { name: 'compare copies', args: ['reg', 'compare', '\\t', '\\u', '/s'], status: 0, stdout: /Identical/ },
    { name: 'compare different keys', args: ['reg', 'compare', '\\t', '\\Select'], status: 2, stdout: /Different/ },
    { name: 'delete a value needs /f', args: ['reg', 'delete', '\\u', '/v', 'd'], status: 1, stderr: /needs \/f/ },
    { name: 'delete a value', args: ['reg', 'delete', '\\u', '/v', 'd', '/f'], status: 0 },
    { name: 'delete all values', args: ['reg', 'delete', '\\u', '/va', '/f'], status: 0 },
    { name: 'delete a key', args: ['reg', 'delete', '\\u', '/f'], status: 0 },
    { name: 'the deleted key is gone', args: ['reg', 'query', '\\u'], status: 1 },
    { name: 'unknown verb', args: ['reg', 'frob'], status: 1, stderr: /unknown reg verb/ },
    { name: 'help', args: ['reg', '/?'], status: 0, stdout: /reg.exe's verbs on a hive file/ },
  ];

  for (const c of cases) {
    it(`${c.name}: exit ${c.status}`, () => {
      const result = netconfig(cwd, ...c.args);
      expect(result.status, result.stderr).toBe(c.status);
      if (typeof c.stdout === 'string') expect(result.stdout).toBe(c.stdout);
      else if (c.stdout !== undefined) expect(result.stdout).toMatch(c.stdout);
      if (c.stderr !== undefined) expect(result.stderr).toMatch(c.stderr);
    });
  }

  it('left a hive that the validator finds clean', () => {
    expect(checkHive(readFileSync(join(cwd, 'netconfig.hiv')))).toEqual([]);
  });

  it('exports a .reg regedit accepts and imports it back, all or nothing', () => {
    expect(netconfig(cwd, 'reg', 'export', '\\t', 't.reg', '/y').status).toBe(0);
    const bytes = readFileSync(join(cwd, 't.reg'));
    expect([bytes[0], bytes[1]]).toEqual([0xff, 0xfe]);
    expect(netconfig(cwd, 'reg', 'delete', '\\t', '/f').status).toBe(0);
    expect(netconfig(cwd, 'reg', 'import', 't.reg').status).toBe(0);
    expect(netconfig(cwd, 'reg', 'query', '\\t', '/v', 'e').stdout).toMatch(/0x2a/);
    const before = readFileSync(join(cwd, 'netconfig.hiv'));
    writeFileSync(join(cwd, 'bad.reg'), 'Windows Registry Editor Version 5.00\r\n\r\n[\\z]\r\n"ok"="1"\r\n"bad"=nonsense\r\n');
    const bad = netconfig(cwd, 'reg', 'import', 'bad.reg');
    expect(bad.status).toBe(1);
    expect(bad.stderr).toMatch(/bad\.reg:5:1: .*nothing was changed/);
    expect(readFileSync(join(cwd, 'netconfig.hiv')).equals(before)).toBe(true);
  });

  it('json output for scripts', () => {
    const result = netconfig(cwd, 'reg', 'query', 'Select', '--json');
    expect(JSON.parse(result.stdout)).toMatchObject({ key: 'Select', values: [{ name: 'Current', type: 'REG_DWORD', data: '0x1' }, {}, {}, {}] });
  });

  it('--hive names another file; a dirty hive is not written over without --force', () => {
    const bytes = Hive.create().serialize();
    const view = new DataView(bytes.buffer);
    view.setUint32(4, 9, true);
    writeFileSync(join(cwd, 'dirty.hiv'), bytes);
    const refused = netconfig(cwd, 'reg', 'add', '\\k', '--hive', 'dirty.hiv');
    expect(refused.status).toBe(1);
    expect(refused.stderr).toMatch(/dirty/);
    expect(netconfig(cwd, 'reg', 'add', '\\k', '--hive', 'dirty.hiv', '--force').status).toBe(0);
    expect(netconfig(cwd, 'reg', 'query', '\\k', '--hive', 'dirty.hiv').status).toBe(0);
  });
});
