import { existsSync, mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { Hive, ValueType, checkHive, encodeUtf16le } from '../../src/hive/index.js';
import { cliBuilt, netconfig, snapshot } from '../support/cli.js';

const CLASS = 'HKLM\\SYSTEM\\ControlSet001\\Control\\Class\\{4d36e972-e325-11ce-bfc1-08002be10318}\\0000';

/** A SYSTEM-shaped hive whose Select\Current is 2, so CurrentControlSet must resolve to ControlSet002. */
function twoControlSets(): Uint8Array {
  const hive = Hive.create({ rootName: 'SYSTEM', fileName: 'SYSTEM' });
  const dword = (n: number): Uint8Array => Uint8Array.of(n & 0xff, (n >> 8) & 0xff, 0, 0);
  const select = hive.root().addSubkey('Select');
  select.setValue('Current', ValueType.REG_DWORD, dword(2));
  select.setValue('Default', ValueType.REG_DWORD, dword(2));
  select.setValue('LastKnownGood', ValueType.REG_DWORD, dword(1));
  for (const set of ['ControlSet001', 'ControlSet002']) {
    const services = hive.root().addSubkey(set).addSubkey('Services');
    services.addSubkey('Tcpip').setValue('Which', ValueType.REG_SZ, encodeUtf16le(`${set}\0`));
    hive
      .root()
      .subkey(set)!
      .addSubkey('Hardware Profiles')
      .addSubkey('Current')
      .setValue('Profile', ValueType.REG_SZ, encodeUtf16le(`${set}\0`));
  }
  return hive.serialize();
}

describe.skipIf(!cliBuilt)('netconfig reg: reg.exe verbs on a mounted hive file', () => {
  const cwd = mkdtempSync(join(tmpdir(), 'netconfig-reg-'));
  netconfig(cwd, 'stat');
  // Every verb by an explicit --mount; the inferred mount has cases of its own.
  const H = ['--hive', 'netconfig.hiv', '--mount', 'HKLM\\SYSTEM'];
  const INFERRED = ['--hive', 'netconfig.hiv'];

  const cases: { name: string; args: string[]; status: number; stdout?: string | RegExp; stderr?: RegExp }[] = [
    {
      name: 'query a key: the root in its long name, four-space columns, a blank line after the values',
      args: ['reg', 'query', 'HKLM\\SYSTEM\\Select', ...H],
      status: 0,
      stdout:
        '\nHKEY_LOCAL_MACHINE\\SYSTEM\\Select\n    Current    REG_DWORD    0x1\n    Default    REG_DWORD    0x1\n    Failed    REG_DWORD    0x0\n    LastKnownGood    REG_DWORD    0x1\n\n',
    },
    {
      name: 'a path outside the mount is refused, naming the mount',
      args: ['reg', 'query', 'HKLM\\SOFTWARE\\Select', ...H],
      status: 1,
      stderr: /outside the mounted hives: HKEY_LOCAL_MACHINE\\SYSTEM \(netconfig\.hiv\)/,
    },
    {
      name: 'the mount is inferred and said once on stderr',
      args: ['reg', 'query', 'HKLM\\SYSTEM\\Select', '/v', 'Current', ...INFERRED],
      status: 0,
      stderr: /^netconfig: mounted netconfig\.hiv at HKEY_LOCAL_MACHINE\\SYSTEM \(it has Select\\Current[^\n]*\n$/,
    },
    {
      name: 'an explicit --mount elsewhere moves every path',
      args: ['reg', 'query', 'HKU\\Offline\\Select', '/v', 'Current', '--hive', 'netconfig.hiv', '--mount', 'HKU\\Offline'],
      status: 0,
      stdout: '\nHKEY_USERS\\Offline\\Select\n    Current    REG_DWORD    0x1\n\n',
    },
    {
      name: 'a path inside the hive with an inferred mount',
      args: ['reg', 'query', '\\Select', '/v', 'Default', ...INFERRED],
      status: 0,
      stdout: '\nHKEY_LOCAL_MACHINE\\SYSTEM\\Select\n    Default    REG_DWORD    0x1\n\n',
    },
    {
      name: 'a path inside the hive with a leading backslash',
      args: ['reg', 'query', '\\Select', '/v', 'Current', ...H],
      status: 0,
      stdout: '\nHKEY_LOCAL_MACHINE\\SYSTEM\\Select\n    Current    REG_DWORD    0x1\n\n',
    },
    {
      name: 'query \\ lists children under the mount, never \\\\Child',
      args: ['reg', 'query', '\\', ...H],
      status: 0,
      stdout: '\nHKEY_LOCAL_MACHINE\\SYSTEM\\ControlSet001\nHKEY_LOCAL_MACHINE\\SYSTEM\\Select\n',
    },
    {
      name: 'query a missing key',
      args: ['reg', 'query', 'HKLM\\SYSTEM\\Nope', ...H],
      status: 1,
      stderr: /unable to find the specified registry key or value/,
    },
    {
      name: 'switches in any case and with a dash',
      args: ['reg', 'query', 'hklm\\system\\select', '-V', 'current', ...H],
      status: 0,
      stdout: /Current    REG_DWORD    0x1/,
    },
    {
      name: '/z adds the numeric type',
      args: ['reg', 'query', 'HKLM\\SYSTEM\\Select', '/v', 'Current', '/z', ...H],
      status: 0,
      stdout: /Current    REG_DWORD \(4\)    0x1/,
    },
    {
      name: 'add a REG_SZ',
      args: ['reg', 'add', CLASS, '/v', 'NetworkAddress', '/d', '001122334455', '/f', ...H],
      status: 0,
      stdout: 'The operation completed successfully.\n',
    },
    { name: 'add refuses to overwrite without /f', args: ['reg', 'add', CLASS, '/v', 'NetworkAddress', '/d', 'x', ...H], status: 1, stderr: /exists; add \/f/ },
    { name: 'add a DWORD in hex', args: ['reg', 'add', 'HKLM\\SYSTEM\\t', '/v', 'd', '/t', 'REG_DWORD', '/d', '0xffffffff', '/f', ...H], status: 0 },
    { name: 'add a DWORD in decimal', args: ['reg', 'add', 'HKLM\\SYSTEM\\t', '/v', 'e', '/t', 'reg_dword', '/d', '42', '/f', ...H], status: 0 },
    {
      name: 'add rejects a bad number',
      args: ['reg', 'add', 'HKLM\\SYSTEM\\t', '/v', 'f', '/t', 'REG_DWORD', '/d', '12abc', '/f', ...H],
      status: 1,
      stderr: /is not REG_DWORD data/,
    },
    {
      name: 'add a multi-string with a custom separator',
      args: ['reg', 'add', 'HKLM\\SYSTEM\\t', '/v', 'm', '/t', 'REG_MULTI_SZ', '/s', '#', '/d', 'a#b', '/f', ...H],
      status: 0,
    },
    { name: 'add the default value', args: ['reg', 'add', 'HKLM\\SYSTEM\\t', '/ve', '/d', 'dflt', '/f', ...H], status: 0 },
    { name: 'add a binary value', args: ['reg', 'add', 'HKLM\\SYSTEM\\t', '/v', 'b', '/t', 'REG_BINARY', '/d', 'fe340ead', '/f', ...H], status: 0 },
    {
      name: 'query shows every type as reg does',
      args: ['reg', 'query', 'HKLM\\SYSTEM\\t', ...H],
      status: 0,
      stdout:
        '\nHKEY_LOCAL_MACHINE\\SYSTEM\\t\n    d    REG_DWORD    0xffffffff\n    e    REG_DWORD    0x2a\n    m    REG_MULTI_SZ    a\\0b\n    (Default)    REG_SZ    dflt\n    b    REG_BINARY    FE340EAD\n\n',
    },
    {
      name: '/se changes the multi-string separator shown',
      args: ['reg', 'query', 'HKLM\\SYSTEM\\t', '/v', 'm', '/se', '|', ...H],
      status: 0,
      stdout: /REG_MULTI_SZ    a\|b/,
    },
    {
      name: '/t filters by type',
      args: ['reg', 'query', 'HKLM\\SYSTEM\\t', '/t', 'REG_BINARY,REG_SZ', ...H],
      status: 0,
      stdout: '\nHKEY_LOCAL_MACHINE\\SYSTEM\\t\n    (Default)    REG_SZ    dflt\n    b    REG_BINARY    FE340EAD\n\n',
    },
    {
      name: '/ve on a key without a default value: not set, success',
      args: ['reg', 'query', 'HKLM\\SYSTEM\\Select', '/ve', ...H],
      status: 0,
      stdout: /\(Default\)    REG_SZ    \(value not set\)/,
    },
    {
      name: '/v with /s ends with the match count',
      args: ['reg', 'query', 'HKLM\\SYSTEM', '/v', 'Current', '/s', ...H],
      status: 0,
      stdout: /\nEnd of search: 1 match\(es\) found\.\n$/,
    },
    {
      name: '/f searches names and data',
      args: ['reg', 'query', 'HKLM\\SYSTEM', '/f', 'contoso', '/s', ...H],
      status: 0,
      stdout: /End of search: 2 match\(es\) found\./,
    },
    {
      name: '/f /k searches key names only',
      args: ['reg', 'query', 'HKLM\\SYSTEM', '/f', 'class', '/k', '/s', ...H],
      status: 0,
      stdout: '\nHKEY_LOCAL_MACHINE\\SYSTEM\\ControlSet001\\Control\\Class\nEnd of search: 1 match(es) found.\n',
    },
    {
      name: '/f /e /c: exact and case-sensitive',
      args: ['reg', 'query', 'HKLM\\SYSTEM', '/f', 'class', '/k', '/s', '/e', '/c', ...H],
      status: 0,
      stdout: '\nEnd of search: 0 match(es) found.\n',
    },
    { name: 'compare identical keys', args: ['reg', 'compare', 'HKLM\\SYSTEM\\t', 'HKLM\\SYSTEM\\t', ...H], status: 0, stdout: /Identical/ },
    { name: 'copy a key', args: ['reg', 'copy', 'HKLM\\SYSTEM\\t', 'HKLM\\SYSTEM\\u', '/s', '/f', ...H], status: 0 },
    { name: 'copy refuses to overwrite values without /f', args: ['reg', 'copy', 'HKLM\\SYSTEM\\t', 'HKLM\\SYSTEM\\u', ...H], status: 1, stderr: /add \/f/ },
    { name: 'compare copies', args: ['reg', 'compare', 'HKLM\\SYSTEM\\t', 'HKLM\\SYSTEM\\u', '/s', ...H], status: 0, stdout: /Identical/ },
    {
      name: 'compare /os prints the matches',
      args: ['reg', 'compare', 'HKLM\\SYSTEM\\t', 'HKLM\\SYSTEM\\u', '/v', 'e', '/os', ...H],
      status: 0,
      stdout: /^= HKEY_LOCAL_MACHINE\\SYSTEM\\t\n    e    REG_DWORD    0x2a\n/,
    },
    {
      name: 'compare /on prints no differences',
      args: ['reg', 'compare', 'HKLM\\SYSTEM\\t', 'HKLM\\SYSTEM\\Select', '/on', ...H],
      status: 2,
      stdout: '\nResult Compared: Different\nThe operation completed successfully.\n',
    },
    {
      name: 'compare different keys',
      args: ['reg', 'compare', 'HKLM\\SYSTEM\\t', 'HKLM\\SYSTEM\\Select', ...H],
      status: 2,
      stdout: /< HKEY_LOCAL_MACHINE\\SYSTEM\\t\n    d    REG_DWORD    0xffffffff\n[\s\S]*Different/,
    },
    { name: 'delete a value needs /f', args: ['reg', 'delete', 'HKLM\\SYSTEM\\u', '/v', 'd', ...H], status: 1, stderr: /needs \/f/ },
    { name: 'delete a value', args: ['reg', 'delete', 'HKLM\\SYSTEM\\u', '/v', 'd', '/f', ...H], status: 0 },
    { name: 'delete all values', args: ['reg', 'delete', 'HKLM\\SYSTEM\\u', '/va', '/f', ...H], status: 0 },
    { name: 'delete a key', args: ['reg', 'delete', 'HKLM\\SYSTEM\\u', '/f', ...H], status: 0 },
    { name: 'the deleted key is gone', args: ['reg', 'query', 'HKLM\\SYSTEM\\u', ...H], status: 1 },
    { name: 'the mount root cannot be deleted', args: ['reg', 'delete', 'HKLM\\SYSTEM', '/f', ...H], status: 1, stderr: /root of the mounted hive/ },
    { name: 'save a subtree as a hive', args: ['reg', 'save', 'HKLM\\SYSTEM\\t', 't.hiv', ...H], status: 0 },
    { name: 'save refuses to overwrite without /y', args: ['reg', 'save', 'HKLM\\SYSTEM\\t', 't.hiv', ...H], status: 1, stderr: /add \/y/ },
    {
      name: 'compare across two hives: the key and its saved copy',
      args: ['reg', 'compare', 'HKLM\\SYSTEM\\t', 'HKLM\\Saved', '/s', ...H, '--hive2', 't.hiv', '--mount2', 'HKLM\\Saved'],
      status: 0,
      stdout: /Identical/,
    },
    { name: 'restore it under another key', args: ['reg', 'restore', 'HKLM\\SYSTEM\\Select', 't.hiv', ...H], status: 0 },
    {
      name: 'the restored key holds the saved values only',
      args: ['reg', 'compare', 'HKLM\\SYSTEM\\t', 'HKLM\\SYSTEM\\Select', '/s', ...H],
      status: 0,
      stdout: /Identical/,
    },
    { name: 'help', args: ['reg', '/?'], status: 0, stdout: /reg.exe's verbs on offline hive files/ },
    { name: 'help for a verb', args: ['reg', 'query', '/?'], status: 0, stdout: /reg.exe's verbs/ },
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

  it('left a hive that the validator finds clean, and a saved hive that is one too', () => {
    expect(checkHive(readFileSync(join(cwd, 'netconfig.hiv')))).toEqual([]);
    expect(checkHive(readFileSync(join(cwd, 't.hiv')))).toEqual([]);
  });

  it('json output for scripts', () => {
    const result = netconfig(cwd, 'reg', 'query', 'HKLM\\SYSTEM\\t', '--json', ...H);
    expect(JSON.parse(result.stdout)).toMatchObject({
      key: 'HKEY_LOCAL_MACHINE\\SYSTEM\\t',
      values: [{ name: 'd', type: 'REG_DWORD', data: '0xffffffff' }, {}, {}, {}, {}],
    });
  });

  it('a dirty hive without logs is not written over without --force', () => {
    const bytes = Hive.create().serialize();
    new DataView(bytes.buffer).setUint32(4, 9, true);
    writeFileSync(join(cwd, 'dirty.hiv'), bytes);
    const refused = netconfig(cwd, 'reg', 'add', '\\k', '--hive', 'dirty.hiv');
    expect(refused.status).toBe(1);
    expect(refused.stderr).toMatch(/dirty/);
    expect(existsSync(join(cwd, 'dirty.hiv.LOG1'))).toBe(false);
    expect(netconfig(cwd, 'reg', 'add', '\\k', '--hive', 'dirty.hiv', '--force').status).toBe(0);
    expect(netconfig(cwd, 'reg', 'query', '\\k', '--hive', 'dirty.hiv').status).toBe(0);
  });
});

describe.skipIf(!cliBuilt)('netconfig reg: CurrentControlSet and HKEY_CURRENT_CONFIG resolve through Select\\Current', () => {
  it('reads and writes land in ControlSet002 when Select\\Current is 2; no CurrentControlSet key is created', () => {
    const cwd = mkdtempSync(join(tmpdir(), 'netconfig-ccs-'));
    writeFileSync(join(cwd, 'SYSTEM'), twoControlSets());
    const read = netconfig(cwd, 'reg', 'query', 'HKLM\\SYSTEM\\CurrentControlSet\\Services\\Tcpip', '--hive', 'SYSTEM');
    expect(read.status, read.stderr).toBe(0);
    expect(read.stdout).toBe('\nHKEY_LOCAL_MACHINE\\SYSTEM\\CurrentControlSet\\Services\\Tcpip\n    Which    REG_SZ    ControlSet002\n\n');
    expect(
      netconfig(cwd, 'reg', 'add', 'HKLM\\SYSTEM\\currentcontrolset\\Services\\Tcpip\\Parameters', '/v', 'Domain', '/d', 'corp', '/f', '--hive', 'SYSTEM')
        .status,
    ).toBe(0);
    const hive = Hive.open(readFileSync(join(cwd, 'SYSTEM')));
    expect(hive.root().subkey('CurrentControlSet')).toBeUndefined();
    expect(hive.root().subkey('ControlSet002')!.subkey('Services')!.subkey('Tcpip')!.subkey('Parameters')!.value('Domain')).toBeDefined();
    expect(hive.root().subkey('ControlSet001')!.subkey('Services')!.subkey('Tcpip')!.subkey('Parameters')).toBeUndefined();
    const config = netconfig(cwd, 'reg', 'query', 'HKCC', '/v', 'Profile', '--hive', 'SYSTEM');
    expect(config.stdout).toMatch(/Profile    REG_SZ    ControlSet002/);
  });

  it('a hive without Select\\Current cannot resolve CurrentControlSet, and says so', () => {
    const cwd = mkdtempSync(join(tmpdir(), 'netconfig-ccs-'));
    writeFileSync(join(cwd, 'x.hiv'), Hive.create().serialize());
    const result = netconfig(cwd, 'reg', 'add', 'HKLM\\SYSTEM\\CurrentControlSet\\Foo', '/f', '--hive', 'x.hiv', '--mount', 'HKLM\\SYSTEM');
    expect(result.status).toBe(1);
    expect(result.stderr).toMatch(/CurrentControlSet cannot be resolved/);
    expect(
      Hive.open(readFileSync(join(cwd, 'x.hiv')))
        .root()
        .subkeys(),
    ).toEqual([]);
  });
});

describe.skipIf(!cliBuilt)('netconfig: a mistyped command line changes no file', () => {
  // Each line must fail with exit 1 before any file is opened or created.
  const refused: { args: string[]; stderr: RegExp }[] = [
    { args: ['reg', 'delete', 'HKLM\\SYSTEM\\Select', '/vv', 'Current', '/f', '--hive', 'SYSTEM'], stderr: /Invalid syntax\.\n.*"\/vv"/ },
    { args: ['reg', 'add', 'HKLM\\SYSTEM\\Select', '/v', 'x', '/dd', 'hello', '/f', '--hive', 'SYSTEM'], stderr: /"\/dd"/ },
    { args: ['reg', 'add', 'HKLM\\SYSTEM\\Select', '/v', 'x', '/f', '--hvie', 'SYSTEM'], stderr: /unknown option "--hvie"/ },
    { args: ['reg', 'add', 'HKLM\\SYSTEM\\Select', '/v', 'x', '/f', '-hive', 'SYSTEM'], stderr: /"-hive"/ },
    { args: ['reg', 'add', 'HKLM\\SYSTEM\\Select', 'SYSTEM', '/v', 'x', '/f'], stderr: /unexpected argument "SYSTEM"/ },
    { args: ['reg', 'add', 'HKLM\\SYSTEM\\Select', '/v', 'x', '/f'], stderr: /reg needs a hive/ },
    { args: ['reg', 'add', 'HKLM\\SYSTEM\\Select', '/v', 'x', '/ve', '/f', '--hive', 'SYSTEM'], stderr: /\/v and \/ve cannot be used together/ },
    { args: ['reg', 'add', 'HKLM\\SYSTEM\\Select', '/v', '--hive', 'SYSTEM'], stderr: /Invalid syntax/ },
    { args: ['reg', 'add', 'HKLM\\SYSTEM\\Select', '/v', 'a', '/v', 'b', '/f', '--hive', 'SYSTEM'], stderr: /given twice/ },
    { args: ['reg', 'add', 'HKLM\\SYSTEM\\Select', '/v', 'a', '/s', ',', '/d', 'x', '/f', '--hive', 'SYSTEM'], stderr: /only applies to \/t REG_MULTI_SZ/ },
    { args: ['reg', 'delete', 'HKLM\\SYSTEM\\Select', '/v', 'Current', '/va', '/f', '--hive', 'SYSTEM'], stderr: /cannot be used together/ },
    { args: ['reg', 'delete', 'HKLM\\SYSTEM\\Select', '/s', '/f', '--hive', 'SYSTEM'], stderr: /no switch "\/s"/ },
    { args: ['reg', 'query', 'HKLM\\SYSTEM\\Select', '/k', '--hive', 'SYSTEM'], stderr: /\/k only works with \/f/ },
    { args: ['reg', 'query', 'HKLM\\SYSTEM\\Select', '/s', '/s', '--hive', 'SYSTEM'], stderr: /given twice/ },
    { args: ['reg', 'query', 'HKLM\\SYSTEM\\Select', '/reg:32', '/reg:64', '--hive', 'SYSTEM'], stderr: /cannot be used together/ },
    { args: ['reg', 'query', 'HKLM\\SYSTEM\\Select', '/f', 'x', '/k', '/d', '--hive', 'SYSTEM'], stderr: /cannot be used together/ },
    { args: ['reg', 'compare', 'HKLM\\SYSTEM\\Select', 'HKLM\\SYSTEM\\Select', '/oa', '/os', '--hive', 'SYSTEM'], stderr: /cannot be used together/ },
    { args: ['reg', 'compare', 'HKLM\\SYSTEM\\Select', '--hive', 'SYSTEM'], stderr: /needs two arguments/ },
    { args: ['reg', 'copy', 'HKLM\\SYSTEM\\Select', 'HKLM\\SYSTEM\\X', '/y', '--hive', 'SYSTEM'], stderr: /no switch "\/y"/ },
    { args: ['reg', 'export', 'HKLM\\SYSTEM\\Select', 'out.reg', '/s', '--hive', 'SYSTEM'], stderr: /no switch "\/s"/ },
    { args: ['reg', 'import', 'in.reg', 'extra', '--hive', 'SYSTEM'], stderr: /unexpected argument "extra"/ },
    { args: ['reg', 'import', 'in.reg', '/f', '--hive', 'SYSTEM'], stderr: /no switch "\/f"/ },
    { args: ['reg', 'load', 'HKLM\\X', 'SYSTEM'], stderr: /--hive FILE --mount PATH/ },
    { args: ['reg', 'frob', '--hive', 'SYSTEM'], stderr: /unknown reg verb "frob"/ },
    { args: ['reg', 'add', 'HKLM\\SYSTEM\\Select', '/f', '--hive', 'SYSTEM', '--encoding', 'utf-8'], stderr: /apply to reg import only/ },
    { args: ['reg', 'add', 'HKLM\\SYSTEM\\Select', '/f', '--hive', 'SYSTEM', '--hive2', 'SYSTEM'], stderr: /reg compare only/ },
    { args: ['reg', 'add', 'HKLM\\SYSTEM\\Select', '/f', '--hive', 'SYSTEM', '--wait', 'soon'], stderr: /--wait takes a number/ },
    { args: ['reg', 'add', 'HKLM\\SYSTEM\\Select', '/f', '--mount', 'HKLM\\SYSTEM', '--hive', 'SYSTEM'], stderr: /follows the --hive/ },
    { args: ['reg', 'add', 'HKLM\\SYSTEM\\Select', '/f', '--hive', 'SYSTEM', '--image', '.'], stderr: /not both/ },
    { args: ['reg', 'add', 'Select', '/v', 'x', '/f', '--hive', 'SYSTEM'], stderr: /unknown root key "Select"/ },
    { args: ['reg', 'add', 'HKLM\\SOFTWARE\\X', '/f', '--hive', 'SYSTEM'], stderr: /outside the mounted hives/ },
    { args: ['reg', 'add', 'HKLM\\SYSTEM\\X', '/f', '--hive', 'SYSTM'], stderr: /no such (hive )?file: .*SYSTM/ },
    { args: ['reg', 'add', 'HKLM\\SYSTEM\\X', '/f', '--hive', 'sub'], stderr: /is a (folder|directory)/ },
    {
      args: ['reg', 'export', 'HKLM\\SYSTEM\\Select', 'missing/out.reg', '--hive', 'SYSTEM'],
      stderr: /cannot write \S*missing\/out\.reg: its directory does not exist/,
    },
    { args: ['reg', 'import', 'nope.reg', '--hive', 'SYSTEM'], stderr: /no such file: nope\.reg/ },
    { args: ['reg', 'import', 'in.reg', '--hive', 'SYSTEM', '--encoding', 'utf-7'], stderr: /--encoding must be one of/ },
    { args: ['reg', 'query', 'HKLM\\SYSTEM\\Select', '/reg:32', '--hive', 'SYSTEM'], stderr: /\/reg:32 .* not supported on offline hives/ },
    { args: ['dump', '--bogus'], stderr: /Unknown option '--bogus'/ },
    { args: ['dump', 'SYSTEM', 'extra'], stderr: /unexpected argument "extra"/ },
    { args: ['stat', '--jsn', 'SYSTEM'], stderr: /Unknown option '--jsn'/ },
    { args: ['adapter', 'set', '0000', '*JumboPacket', '9014', '--hvie', 'SYSTEM'], stderr: /Unknown option '--hvie'/ },
    { args: ['create', 'new.hiv', '--minr', '3'], stderr: /Unknown option '--minr'/ },
    { args: ['frobnicate'], stderr: /unknown command "frobnicate"/ },
  ];

  const cwd = mkdtempSync(join(tmpdir(), 'netconfig-typos-'));
  writeFileSync(join(cwd, 'SYSTEM'), twoControlSets());
  writeFileSync(join(cwd, 'in.reg'), 'Windows Registry Editor Version 5.00\r\n\r\n[HKEY_LOCAL_MACHINE\\SYSTEM\\Z]\r\n"a"="b"\r\n');
  // A folder where a hive is expected.
  mkdirSync(join(cwd, 'sub'));
  const before = snapshot(cwd);

  for (const c of refused) {
    it(`refuses: netconfig ${c.args.join(' ')}`, () => {
      const result = netconfig(cwd, ...c.args);
      expect(result.status, result.stderr).toBe(1);
      expect(result.stderr).toMatch(c.stderr);
      expect(result.stderr).not.toMatch(/\n\s+at /); // no stack trace
      expect(snapshot(cwd)).toEqual(before);
    });
  }
});
