import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Hive, ValueType, checkHive, encodeUtf16le } from '../../src/hive/index.js';
import { runMain as run } from '../support/main.js';

/**
 * The CLI's main() called in process (the other CLI tests run it as a child process, as a user would;
 * these run the same code where coverage and a debugger can see it). Output is captured from
 * process.stdout/stderr.write; the working directory is a scratch folder.
 */

const here = process.cwd();
const cwd = mkdtempSync(join(tmpdir(), 'netconfig-inprocess-'));

beforeAll(() => {
  process.chdir(cwd);
  const hive = Hive.create({ rootName: 'SYSTEM' });
  hive
    .root()
    .addSubkey('Select')
    .setValue('Current', ValueType.REG_DWORD, Uint8Array.of(1, 0, 0, 0));
  hive.root().ensurePath('ControlSet001\\Services\\Tcpip').setValue('Name', ValueType.REG_SZ, encodeUtf16le('tcpip\0'));
  writeFileSync(join(cwd, 'SYSTEM'), hive.serialize());
  writeFileSync(join(cwd, 'NTUSER.DAT'), Hive.create().serialize());
});
afterAll(() => process.chdir(here));

const S = ['--hive', 'SYSTEM', '--mount', 'HKLM\\SYSTEM'];

describe('netconfig main(), in process', () => {
  it('reg add, query, copy, compare, save, restore, delete through CurrentControlSet', () => {
    expect(run('reg', 'add', 'HKLM\\SYSTEM\\CurrentControlSet\\Services\\Tcpip\\Parameters', '/v', 'Domain', '/d', 'corp', '/f', ...S).status).toBe(0);
    const query = run('reg', 'query', 'HKLM\\SYSTEM\\CurrentControlSet\\Services\\Tcpip', '/s', ...S);
    expect(query.stdout).toContain('HKEY_LOCAL_MACHINE\\SYSTEM\\CurrentControlSet\\Services\\Tcpip\\Parameters\n    Domain    REG_SZ    corp\n');
    expect(run('reg', 'query', 'HKLM\\SYSTEM', '/f', 'corp', '/s', '/d', ...S).stdout).toMatch(/End of search: 1 match\(es\) found\./);
    expect(run('reg', 'copy', 'HKLM\\SYSTEM\\ControlSet001\\Services', 'HKLM\\SYSTEM\\Backup', '/s', '/f', ...S).status).toBe(0);
    expect(run('reg', 'compare', 'HKLM\\SYSTEM\\ControlSet001\\Services', 'HKLM\\SYSTEM\\Backup', '/s', '/oa', ...S).status).toBe(0);
    expect(run('reg', 'save', 'HKLM\\SYSTEM\\Backup', 'backup.hiv', '/y', ...S).status).toBe(0);
    expect(run('reg', 'delete', 'HKLM\\SYSTEM\\Backup', '/f', ...S).status).toBe(0);
    expect(run('reg', 'add', 'HKLM\\SYSTEM\\Backup', '/f', ...S).status).toBe(0);
    expect(run('reg', 'restore', 'HKLM\\SYSTEM\\Backup', 'backup.hiv', ...S).status).toBe(0);
    expect(run('reg', 'query', 'HKLM\\SYSTEM\\Backup\\Tcpip\\Parameters', '/v', 'Domain', ...S).stdout).toMatch(/corp/);
    expect(run('reg', 'query', 'HKLM\\SYSTEM\\Backup', '--json', ...S).stdout).toMatch(/"subkeys":\["HKEY_LOCAL_MACHINE\\\\SYSTEM\\\\Backup\\\\Tcpip"\]/);
    expect(checkHive(readFileSync(join(cwd, 'SYSTEM')))).toEqual([]);
  });

  it('export and import across two mounted hives, all or nothing', () => {
    const both = [...S, '--hive', 'NTUSER.DAT', '--mount', 'HKCU'];
    expect(run('reg', 'export', 'HKLM\\SYSTEM\\ControlSet001\\Services', 'services.reg', '/y', ...S).status).toBe(0);
    writeFileSync(
      join(cwd, 'two.reg'),
      'Windows Registry Editor Version 5.00\r\n\r\n[HKEY_LOCAL_MACHINE\\SYSTEM\\Two]\r\n"a"=dword:00000001\r\n[HKEY_CURRENT_USER\\Two]\r\n"b"="x"\r\n',
    );
    expect(run('reg', 'import', 'two.reg', ...both).status).toBe(0);
    expect(run('reg', 'query', 'HKCU\\Two', '/v', 'b', ...both).stdout).toMatch(/b    REG_SZ    x/);
    writeFileSync(join(cwd, 'bad.reg'), 'Windows Registry Editor Version 5.00\r\n\r\n[HKEY_CURRENT_USER\\Three]\r\n"c"=dword:xyz\r\n');
    const before = readFileSync(join(cwd, 'NTUSER.DAT'));
    const bad = run('reg', 'import', 'bad.reg', ...both);
    expect(bad.status).toBe(1);
    expect(bad.stderr).toMatch(/bad\.reg:4:/);
    expect(readFileSync(join(cwd, 'NTUSER.DAT')).equals(before)).toBe(true);
  });

  it('typos are refused with exit 1 and a one-line reason', () => {
    for (const argv of [
      ['reg', 'add', 'HKLM\\SYSTEM\\X', '/vv', 'a', '/f', ...S],
      ['reg', 'add', 'HKLM\\SYSTEM\\X', '/f', '--hvie', 'SYSTEM'],
      ['reg', 'query', 'HKLM\\SOFTWARE', ...S],
      ['reg', 'add', 'HKLM\\SYSTEM\\X', '/v', 'n', '/t', 'REG_DWORD', '/d', 'zz', '/f', ...S],
      ['reg', 'import', 'missing.reg', ...S],
      ['dump', '--bogus'],
      ['inf', 'frob', 'x.inf'],
      ['frobnicate'],
    ]) {
      const result = run(...argv);
      expect(result.status, argv.join(' ')).toBe(1);
      expect(result.stderr.trim().split('\n').length, result.stderr).toBeLessThanOrEqual(2);
    }
  });

  it('stat, check, create, recover and adapter verbs', () => {
    expect(run('stat', 'SYSTEM', '--json').stdout).toMatch(/"keys":/);
    expect(run('check', 'SYSTEM').status).toBe(0);
    expect(run('create', 'new.hiv', '--minor', '3').status).toBe(0);
    expect(run('recover', 'SYSTEM').stderr).toMatch(/is clean/);
    expect(run('adapter', 'list').stdout).toMatch(/^INSTANCE/);
    expect(run('adapter', 'set', '0000', '*JumboPacket', '9014').stdout).toBe('*JumboPacket = 9014\n');
    expect(run('adapter', 'query-ulong', '0000', '*JumboPacket', '--json').stdout).toMatch(/"status":"STATUS_SUCCESS"/);
    expect(run('adapter', 'assign-binary', '0000', 'Blob', '00112233', '--device').status).toBe(0);
    expect(run('adapter', 'query-binary', '0000', 'Blob', '--device').stdout).toMatch(/00112233/);
    expect(run('--version').stdout).toMatch(/^\d+\.\d+\.\d+\n$/);
    expect(run('--help').stdout).toMatch(/inf install FILE --hwid ID/);
    expect(run('reg', '/?').stdout).toMatch(/reg.exe's verbs/);
  });

  it('inf check, show and install on the INF in examples/', () => {
    const inf = join(here, 'examples', 'contoso.inf');
    expect(run('inf', 'check', inf).status).toBe(0);
    expect(run('inf', 'show', inf, '--hwid', 'PCI\\VEN_1234&DEV_5678').stdout).toMatch(/\[Contoso\.ndi\.NTamd64\]/);
    const installed = run(
      'inf',
      'install',
      inf,
      '--hwid',
      'PCI\\VEN_1234&DEV_5678',
      '--time',
      '2026-01-01T00:00:00Z',
      '--guid',
      '{11111111-2222-3333-4444-555555555555}',
      '--json',
    );
    expect(installed.status, installed.stderr).toBe(0);
    expect(JSON.parse(installed.stdout)).toMatchObject({ instance: '0001', netCfgInstanceId: '{11111111-2222-3333-4444-555555555555}' });
    expect(run('inf', 'install', inf, '--hwid', 'PCI\\VEN_1234&DEV_5678', '--arch', 'mips').status).toBe(1);
  });
});
