import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { AdapterError, adapterParameters, listAdapters, openAdapter, validateParameter } from '../../src/cli/adapter.js';
import { createDefaultHive } from '../../src/cli/default-hive.js';

const CLI = fileURLToPath(new URL('../../dist/cli/main.js', import.meta.url));

function netconfig(cwd: string, ...args: string[]): { status: number; stdout: string; stderr: string } {
  const result = spawnSync(process.execPath, [CLI, ...args], { cwd, encoding: 'utf8' });
  return { status: result.status ?? -1, stdout: result.stdout, stderr: result.stderr };
}

describe('adapters of a SYSTEM hive', () => {
  const hive = createDefaultHive();
  const parameters = adapterParameters(openAdapter(hive, '0'));
  const parameter = (keyword: string) => parameters.find((p) => p.keyword === keyword);

  it('lists adapters from the control set Select\\Current names', () => {
    expect(listAdapters(hive)).toEqual([
      {
        instance: '0000',
        description: 'Contoso Gigabit Ethernet Adapter',
        netCfgInstanceId: '{5b1c2a10-7d3e-4f21-9a6b-0c8d2e4f6a81}',
        componentId: 'pci\\ven_1234&dev_5678',
        networkAddress: null,
      },
    ]);
  });

  it('reads every Ndi\\params description with its current value', () => {
    expect(parameter('*JumboPacket')).toMatchObject({ type: 'int', default: '1514', min: '1514', max: '9014', step: '1', current: '1514' });
    expect(parameter('*SpeedDuplex')!.choices!.map((c) => c.value)).toEqual(['0', '1', '2', '3', '4', '6']);
    expect(parameter('NetworkAddress')).toMatchObject({ type: 'edit', limitText: '12', upperCase: true, optional: true, current: undefined });
  });

  const cases: [string, string, string | RegExp][] = [
    ['*JumboPacket', '9014', '9014'],
    ['*JumboPacket', '1514', '1514'],
    ['*JumboPacket', '9015', /between 1514 and 9014/],
    ['*JumboPacket', '1000', /between 1514 and 9014/],
    ['*JumboPacket', 'big', /base-10 int/],
    ['*SpeedDuplex', '6', '6'],
    ['*SpeedDuplex', '5', /must be one of: 0 \(Auto Negotiation\)/],
    ['*RSS', '0', '0'],
    ['NetworkAddress', '02-11-22-33-44-55', '021122334455'],
    ['NetworkAddress', '0a1122334455', '0A1122334455'],
    ['NetworkAddress', '01-11-22-33-44-55', /multicast/],
    ['NetworkAddress', '0211223344', /12 hex digits/],
    ['NetworkAddress', '02:11:22:33:44:55', /12 hex digits/],
    ['NetworkAddress', '0211-22334455', /12 hex digits/],
    ['*Unknown', '1', /not one of this adapter's Ndi\\params keywords/],
  ];
  for (const [keyword, value, expected] of cases) {
    it(`set ${keyword} ${value} → ${expected}`, () => {
      if (typeof expected === 'string') expect(validateParameter(parameter(keyword), keyword, value)).toBe(expected);
      else expect(() => validateParameter(parameter(keyword), keyword, value)).toThrow(expected);
    });
  }

  it('checks steps from Min and word/dword ranges', () => {
    const stepped = {
      keyword: 'X',
      description: undefined,
      type: 'int',
      default: undefined,
      optional: false,
      min: '10',
      max: '100',
      step: '10',
      current: undefined,
    };
    expect(validateParameter(stepped, 'X', '40')).toBe('40');
    expect(() => validateParameter(stepped, 'X', '45')).toThrow(/steps of 10 from 10/);
    const word = { keyword: 'W', description: undefined, type: 'word', default: undefined, optional: false, current: undefined };
    expect(() => validateParameter(word, 'W', '65536')).toThrow(AdapterError);
    const hex = { ...word, type: 'dword', base: '16' };
    expect(validateParameter(hex, 'W', 'ffffffff')).toBe('ffffffff');
  });
});

describe.skipIf(!existsSync(CLI))('netconfig adapter', () => {
  const cwd = mkdtempSync(join(tmpdir(), 'netconfig-adapter-'));

  it('a mistyped verb is refused before any hive is opened (the default hive is not created)', () => {
    const empty = mkdtempSync(join(tmpdir(), 'netconfig-adapter-verb-'));
    const result = netconfig(empty, 'adapter', 'lst');
    expect(result.status).toBe(1);
    expect(result.stderr).toMatch(/adapter needs a verb \(list, show, get, set, .*\), not "lst"/);
    expect(existsSync(join(empty, 'netconfig.hiv'))).toBe(false);
  });

  it('list, show, set and get on the default hive, refusing bad values unless --force', () => {
    expect(netconfig(cwd, 'adapter', 'list').stdout).toMatch(
      /^INSTANCE\s+DESCRIPTION\s+NETCFGINSTANCEID\s+NETWORKADDRESS\n0000\s+Contoso Gigabit Ethernet Adapter/,
    );
    expect(netconfig(cwd, 'adapter', 'show', '0000').stdout).toMatch(/\*SpeedDuplex\s+Speed & Duplex\s+enum\s+0\s+0=Auto Negotiation/);
    expect(netconfig(cwd, 'adapter', 'set', '0000', 'NetworkAddress', '02-11-22-33-44-55')).toMatchObject({
      status: 0,
      stdout: 'NetworkAddress = 021122334455\n',
    });
    expect(netconfig(cwd, 'adapter', 'get', '0000', 'networkaddress').stdout).toBe('021122334455\n');
    const refused = netconfig(cwd, 'adapter', 'set', '0000', '*JumboPacket', '20000');
    expect(refused.status).toBe(1);
    expect(refused.stderr).toBe('netconfig: *JumboPacket must be between 1514 and 9014; got 20000\n');
    expect(netconfig(cwd, 'adapter', 'get', '0000', '*JumboPacket').stdout).toBe('1514\n');
    expect(netconfig(cwd, 'adapter', 'set', '0000', '*JumboPacket', '20000', '--force').status).toBe(0);
    expect(netconfig(cwd, 'adapter', 'get', '0000', '*JumboPacket', '--json').stdout).toBe('{"keyword":"*JumboPacket","value":"20000"}\n');
    expect(netconfig(cwd, 'adapter', 'show', '7').stderr).toMatch(/no adapter instance 0007/);
    expect(netconfig(cwd, 'check').status).toBe(0);
  });
});

describe.skipIf(!existsSync(CLI))('netconfig adapter: the NETCONFIGURATION calls', () => {
  const cwd = mkdtempSync(join(tmpdir(), 'netconfig-api-'));
  const cases: { args: string[]; status: number; stdout: string | RegExp; stderr?: RegExp }[] = [
    { args: ['assign-binary', '0000', 'MyBlob', '00112233'], status: 0, stdout: 'STATUS_SUCCESS (0x00000000)\n' },
    { args: ['query-binary', '0000', 'MyBlob'], status: 0, stdout: 'STATUS_SUCCESS (0x00000000): 00112233\n' },
    { args: ['query', '0000', '*JumboPacket'], status: 0, stdout: 'STATUS_SUCCESS (0x00000000): 1514 (0x5ea)\n' },
    { args: ['query-ulong', '0000', 'Missing'], status: 1, stdout: 'STATUS_OBJECT_NAME_NOT_FOUND (0xC0000034)\n' },
    { args: ['query-ulong', '0000', 'Missing', '--release', '1703'], status: 1, stdout: 'STATUS_UNSUCCESSFUL (0xC0000001)\n' },
    { args: ['query-ulong', '0000', 'Missing', '--device', '--hex'], status: 1, stdout: 'STATUS_INVALID_PARAMETER (0xC000000D)\n' },
    { args: ['assign-binary', '0000', 'Empty', '', '--device'], status: 1, stdout: 'STATUS_INVALID_PARAMETER (0xC000000D)\n' },
    { args: ['query-binary', '0000', 'DriverDesc'], status: 1, stdout: 'STATUS_NOT_FOUND (0xC0000225)\n' },
    { args: ['query-link-layer-address', '0000'], status: 1, stdout: 'STATUS_UNSUCCESSFUL (0xC0000001)\n' },
    { args: ['assign-string', '0000', 'NetworkAddress', '02-11-22-33-44-55'], status: 0, stdout: 'STATUS_SUCCESS (0x00000000)\n' },
    { args: ['query-link-layer-address', '0000'], status: 0, stdout: 'STATUS_SUCCESS (0x00000000): 02-11-22-33-44-55\n' },
    { args: ['query-link-layer-address', '0000', '--device'], status: 1, stdout: '', stderr: /would stop Windows: bug check 0x19E \(0xf, 0x0, 0x0, 0x0\)/ },
    { args: ['assign-multistring', '0000', 'M', 'a', 'b'], status: 0, stdout: 'STATUS_SUCCESS (0x00000000)\n' },
    { args: ['query-multistring', '0000', 'M', '--json'], status: 0, stdout: '{"status":"STATUS_SUCCESS","code":"0x00000000","value":"[\\"a\\",\\"b\\"]"}\n' },
    { args: ['assign-ulong', '0000', 'Count', '0x10'], status: 0, stdout: 'STATUS_SUCCESS (0x00000000)\n' },
    { args: ['query-string', '0000', 'Count'], status: 1, stdout: 'STATUS_OBJECT_TYPE_MISMATCH (0xC0000024)\n' },
  ];
  for (const c of cases) {
    it(`adapter ${c.args.join(' ')} → exit ${c.status}`, () => {
      const result = netconfig(cwd, 'adapter', ...c.args);
      expect(result.status, result.stderr).toBe(c.status);
      if (typeof c.stdout === 'string') expect(result.stdout).toBe(c.stdout);
      if (c.stderr !== undefined) expect(result.stderr).toMatch(c.stderr);
    });
  }
  it('assignments were committed: the hive is clean and holds them', () => {
    expect(netconfig(cwd, 'check').status).toBe(0);
    expect(
      netconfig(
        cwd,
        'reg',
        'query',
        'HKLM\\SYSTEM\\ControlSet001\\Control\\Class\\{4d36e972-e325-11ce-bfc1-08002be10318}\\0000',
        '/v',
        'Count',
        '--hive',
        'netconfig.hiv',
      ).stdout,
    ).toMatch(/Count    REG_DWORD    0x10/);
  });
});
