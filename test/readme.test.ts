import { spawnSync } from 'node:child_process';
import { chmodSync, cpSync, mkdirSync, mkdtempSync, readFileSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { shellCommands } from './support/readme.js';

/** The README starts with the two commands a new user runs; the first one must show the system working. */
const ROOT = fileURLToPath(new URL('../', import.meta.url));
const README = readFileSync(new URL('../README.md', import.meta.url), 'utf8');

/**
 * Runs README commands as written, in `dir`, with `netconfig` on PATH as `npm install -g` would put it;
 * each must exit 0.
 */
function runAsWritten(dir: string, commands: string[]): { stdout: string; stderr: string }[] {
  mkdirSync(join(dir, 'bin'), { recursive: true });
  writeFileSync(join(dir, 'bin/netconfig'), `#!/bin/sh\nexec "${process.execPath}" "${join(ROOT, 'dist/cli/main.js')}" "$@"\n`);
  chmodSync(join(dir, 'bin/netconfig'), 0o755);
  return commands.map((command) => {
    const result = spawnSync('sh', ['-c', command], { cwd: dir, encoding: 'utf8', env: { ...process.env, PATH: `${join(dir, 'bin')}:${process.env.PATH}` } });
    expect(result.status, `${command}: ${result.stderr}`).toBe(0);
    return { stdout: result.stdout, stderr: result.stderr };
  });
}

describe('README', () => {
  const commands = shellCommands(/## From a clone of this repository\n([\s\S]*)/.exec(README)![1]!);

  it('starts with what a user needs (install), then keeps the run command and the test command for a clone', () => {
    expect(README.indexOf('## Install')).toBeLessThan(README.indexOf('## From a clone of this repository'));
    expect(README.indexOf('## Install')).toBeLessThan(README.indexOf('```'));
    expect(commands.slice(0, 2)).toEqual(['npm ci && npm start -- dump', 'npm ci && npm test']);
    expect(JSON.parse(readFileSync(new URL('../package.json', import.meta.url), 'utf8')).scripts.test).toMatch(/vitest run$/);
  });

  it('the first command (past npm ci) builds, creates the default hive and prints its adapter', () => {
    // In a scratch copy of the project, so its build does not rewrite dist/ under the other tests.
    const copy = mkdtempSync(join(tmpdir(), 'netconfiguration-readme-'));
    for (const entry of ['src', 'web', 'package.json', 'tsconfig.json', 'tsconfig.build.json'])
      cpSync(join(ROOT, entry), join(copy, entry), { recursive: true });
    symlinkSync(join(ROOT, 'node_modules'), join(copy, 'node_modules'));
    const result = spawnSync('sh', ['-c', commands[0]!.replace(/^npm ci && /, '').replace('npm start', 'npm start --silent')], {
      cwd: copy,
      encoding: 'utf8',
      timeout: 120_000,
    });
    expect(result.status, result.stderr).toBe(0);
    expect(result.stderr).toMatch(/created netconfig\.hiv/);
    expect(result.stdout).toMatch(/\\\\Class\\\\\{4d36e972-e325-11ce-bfc1-08002be10318\}\\\\0000", "mtime": \d+, "values": \[\["DriverDesc", 1, /);
  }, 180_000);
});

describe('README: the adapter walk-through', () => {
  it('shows the adapter, changes *JumboPacket and reads it back, as a new user would', () => {
    const copy = mkdtempSync(join(tmpdir(), 'netconfiguration-walkthrough-'));
    for (const entry of ['src', 'web', 'package.json', 'tsconfig.json', 'tsconfig.build.json'])
      cpSync(join(ROOT, entry), join(copy, entry), { recursive: true });
    symlinkSync(join(ROOT, 'node_modules'), join(copy, 'node_modules'));
    const commands = shellCommands(/Then, in the same checkout([\s\S]*)/.exec(README)![1]!);
    expect(commands.length).toBe(4);
    const outputs = commands.map((command) => {
      const result = spawnSync('sh', ['-c', command], { cwd: copy, encoding: 'utf8', timeout: 120_000 });
      expect(result.status, `${command}: ${result.stderr}`).toBe(0);
      return result.stdout;
    });
    expect(outputs[0]).toMatch(/\*JumboPacket\s+Jumbo Packet\s+int\s+1514\s+1514\.\.9014\s+1514/);
    expect(outputs[1]).toBe('*JumboPacket = 9014\n');
    expect(outputs[2]).toBe('9014\n');
    expect(outputs[3]).toBe('STATUS_SUCCESS (0x00000000): 9014 (0x2336)\n');
    // Four builds (npm start builds first): 15 s on an idle machine, so a generous limit of its own.
  }, 240_000);
});

/** A Windows volume `win` (SYSTEM with one adapter, SOFTWARE, two profiles) and `tweaks.reg` in a scratch folder. */
async function buildWindowsVolume(): Promise<string> {
  const { Hive, ValueType, encodeUtf16le } = await import('../src/hive/index.js');
  const { createDefaultHive } = await import('../src/cli/default-hive.js');
  const dir = mkdtempSync(join(tmpdir(), 'netconfiguration-image-readme-'));
  const put = (relative: string, bytes: Uint8Array): void => {
    mkdirSync(dirname(join(dir, relative)), { recursive: true });
    writeFileSync(join(dir, relative), bytes);
  };
  put('win/Windows/System32/config/SYSTEM', createDefaultHive().serialize());
  const software = Hive.create({ fileName: 'SOFTWARE' });
  software.root().ensurePath('Microsoft\\Windows NT\\CurrentVersion').setValue('ProductName', ValueType.REG_SZ, encodeUtf16le('Windows 11 Pro\0'));
  software.root().ensurePath('Classes');
  put('win/Windows/System32/config/SOFTWARE', software.serialize());
  put('win/Users/alice/NTUSER.DAT', Hive.create({ fileName: 'NTUSER.DAT' }).serialize());
  put('win/Users/bob/NTUSER.DAT', Hive.create({ fileName: 'NTUSER.DAT' }).serialize());
  const section = /## Offline Windows images([\s\S]*?)\n## /.exec(README)![1]!;
  put('tweaks.reg', new TextEncoder().encode(/```reg\n([\s\S]*?)```/.exec(section)![1]!));
  return dir;
}

describe('README: three common jobs', () => {
  it('runs every command of the section as written, on a Windows volume the test builds', async () => {
    const { Hive } = await import('../src/hive/index.js');
    const dir = await buildWindowsVolume();
    const section = /## Three common jobs([\s\S]*?)\n## /.exec(README)![1]!;
    const commands = shellCommands(section, { all: true });
    expect(commands.length).toBe(6);
    const outputs = runAsWritten(dir, commands).map((o) => o.stdout);
    expect(outputs[0]).toBe('The operation completed successfully.\n');
    expect(outputs[1]).toBe('\nHKEY_LOCAL_MACHINE\\SYSTEM\\CurrentControlSet\\Services\\Tcpip\\Parameters\n    SearchList    REG_SZ    corp.example\n\n');
    expect(outputs[2]).toMatch(/^0000\s/m);
    expect(outputs[3]).toMatch(/^\*JumboPacket\s/m);
    expect(outputs[5]).toBe('The operation completed successfully.\n');
    const hive = (relative: string) => Hive.open(new Uint8Array(readFileSync(join(dir, relative))));
    expect(hive('win/Users/alice/NTUSER.DAT').root().subkey('Software')!.subkey('Contoso')!.value('Theme')).toBeDefined();
    expect(hive('win/Windows/System32/config/SOFTWARE').root().subkey('Policies')!.subkey('Contoso')!.value('Telemetry')).toBeDefined();
    expect(hive('win/Users/bob/NTUSER.DAT').root().subkeys()).toEqual([]);
  });
});

describe('README: offline Windows images', () => {
  it('runs the --image and --mount examples as written, on a Windows volume the test builds', async () => {
    const { Hive } = await import('../src/hive/index.js');
    const dir = await buildWindowsVolume();
    const section = /## Offline Windows images([\s\S]*?)\n## /.exec(README)![1]!;
    const commands = shellCommands(section);
    expect(commands.length).toBe(5);
    const outputs = runAsWritten(dir, commands).map((o) => o.stdout);
    expect(outputs[0]).toBe('The operation completed successfully.\n');
    expect(outputs[1]).toBe('\nHKEY_LOCAL_MACHINE\\SYSTEM\\CurrentControlSet\\Services\\Tcpip\\Parameters\n    SearchList    REG_SZ    corp.example\n\n');
    expect(outputs[2]).toBe('The operation completed successfully.\n');
    expect(outputs[3]).toBe('*JumboPacket = 9014\n');
    expect(outputs[4]).toBe('\nHKEY_CURRENT_USER\\Software\\Contoso\n    Theme    REG_SZ    dark\n\n');
    const hive = (relative: string) => Hive.open(new Uint8Array(readFileSync(join(dir, relative))));
    expect(hive('win/Windows/System32/config/SOFTWARE').root().subkey('Policies')!.subkey('Contoso')!.value('Telemetry')).toBeDefined();
    expect(hive('win/Users/bob/NTUSER.DAT').root().subkeys()).toEqual([]);
    expect(hive('win/Windows/System32/config/SYSTEM').root().subkey('ControlSet001')!.subkey('Services')!.subkey('Tcpip')).toBeDefined();
  });
});

describe('README: driver INF files', () => {
  it('runs the inf examples as written, on the INF in examples/', () => {
    const dir = mkdtempSync(join(tmpdir(), 'netconfiguration-inf-readme-'));
    cpSync(join(ROOT, 'examples'), join(dir, 'examples'), { recursive: true });
    const section = /## Driver INF files([\s\S]*?)\n## /.exec(README)![1]!;
    const commands = shellCommands(section);
    expect(commands.length).toBe(5);
    const outputs = runAsWritten(dir, commands);
    expect(outputs[0]!.stderr).toMatch(/contoso\.inf: 0 error\(s\)/);
    expect(outputs[1]!.stdout).toMatch(/install {7}\[Contoso\.ndi\.NTamd64\] \(InfSection Contoso\.ndi, InfSectionExt \.NTamd64\)/);
    expect(outputs[2]!.stdout).toMatch(/^installed Contoso Gigabit Ethernet Adapter as adapter 0001 /);
    expect(outputs[3]!.stdout).toMatch(/^\*JumboPacket\s+Jumbo Packet\s+int\s+1514\s+1514\.\.9014 step 500\s+1514$/m);
    expect(outputs[4]!.stdout).toBe('*JumboPacket = 9014\n');
  });
});

describe('README: every shell block is run', () => {
  it('has ```sh blocks only in the sections whose tests run them (a synopsis is ```text)', () => {
    // Install: test/package.test.ts; the hive editor: test/web/readme.test.ts; batch: test/cli/batch.test.ts;
    // the others: this file.
    const run = new Set([
      '## Install',
      '## Three common jobs',
      '## From a clone of this repository',
      '## Offline Windows images',
      '## Driver INF files',
      '## The hive editor in your browser',
      '### Many commands in one process',
    ]);
    let heading = '';
    const unrun: string[] = [];
    for (const line of README.split('\n')) {
      if (/^#{2,3} /.test(line)) heading = line;
      else if (line === '```sh' && !run.has(heading)) unrun.push(heading);
    }
    expect(unrun).toEqual([]);
  });
});
