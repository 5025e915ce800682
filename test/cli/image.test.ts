import { copyFileSync, mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { Hive, ValueType, encodeUtf16le } from '../../src/hive/index.js';
import { HiveFile } from '../../src/node/index.js';
import { cliBuilt, netconfig, snapshot } from '../support/cli.js';
import { corpusAvailable, corpusPath } from '../support/corpus.js';

/**
 * An offline Windows volume built from corpus hives at their real paths, in mixed case (an image copied
 * to Linux keeps whatever case its tools gave it): every reg verb by --image lands in the hive Windows
 * would use.
 */

function software(): Uint8Array {
  const hive = Hive.create({ rootName: 'ROOT', fileName: 'emRoot\\System32\\Config\\SOFTWARE' });
  const root = hive.root();
  root.ensurePath('Microsoft\\Windows NT\\CurrentVersion').setValue('ProductName', ValueType.REG_SZ, encodeUtf16le('Windows 10 Pro\0'));
  root.ensurePath('Classes\\.txt').setValue('', ValueType.REG_SZ, encodeUtf16le('txtfile\0'));
  // Present for the machine and (in the corpus UsrClass.dat) for the user: the user's wins in HKCR.
  root.ensurePath('Classes\\.aac').setValue('', ValueType.REG_SZ, encodeUtf16le('machine-aac\0'));
  return hive.serialize();
}

function place(root: string, relative: string, source: string | Uint8Array): string {
  const target = join(root, relative);
  mkdirSync(dirname(target), { recursive: true });
  if (typeof source === 'string') copyFileSync(source, target);
  else writeFileSync(target, source);
  return target;
}

function buildImage(): string {
  const root = mkdtempSync(join(tmpdir(), 'netconfig-image-'));
  place(root, 'wInDoWs/system32/CONFIG/SYSTEM', corpusPath('regipy/SYSTEM.xz'));
  place(root, 'wInDoWs/system32/CONFIG/software', software());
  place(root, 'wInDoWs/system32/CONFIG/SAM', corpusPath('regipy/SAM'));
  place(root, 'wInDoWs/system32/CONFIG/SECURITY', corpusPath('dfwinreg/SECURITY'));
  place(root, 'wInDoWs/system32/CONFIG/DEFAULT', corpusPath('EricZimmerman-Registry/NTUSER1.DAT'));
  place(root, 'users/Alice/NTUSER.DAT', corpusPath('regipy/NTUSER.DAT'));
  // A dirty UsrClass.dat with both logs, as Windows leaves it after an unclean shutdown.
  for (const suffix of ['', '.LOG1', '.LOG2'])
    place(root, `users/Alice/AppData/Local/Microsoft/Windows/UsrClass.dat${suffix}`, corpusPath(`regipy/UsrClass.dat${suffix}`));
  place(root, 'users/bob/ntuser.dat', corpusPath('dfwinreg/NTUSER.DAT'));
  place(root, 'users/Default/NTUSER.DAT', corpusPath('EricZimmerman-Registry/NTUSER1.DAT'));
  return root;
}

function open(path: string): Hive {
  return HiveFile.open(path, { recover: true }).hive;
}

describe.skipIf(!cliBuilt || !corpusAvailable())('netconfig reg --image: an offline Windows volume', () => {
  const image = buildImage();
  const I = ['--image', image];
  const system = join(image, 'wInDoWs/system32/CONFIG/SYSTEM');
  const soft = join(image, 'wInDoWs/system32/CONFIG/software');
  const usrclass = join(image, 'users/Alice/AppData/Local/Microsoft/Windows/UsrClass.dat');

  it('query reaches SYSTEM through CurrentControlSet (Select\\Current = 1 in this hive)', () => {
    const result = netconfig(image, 'reg', 'query', 'HKLM\\SYSTEM\\CurrentControlSet\\Control\\ComputerName\\ComputerName', '/v', 'ComputerName', ...I);
    expect(result.status, result.stderr).toBe(0);
    expect(result.stdout).toBe(
      '\nHKEY_LOCAL_MACHINE\\SYSTEM\\CurrentControlSet\\Control\\ComputerName\\ComputerName\n    ComputerName    REG_SZ    WKS-WIN732BITA\n\n',
    );
  });

  it('SAM, SECURITY, SOFTWARE and HKU\\.DEFAULT come from Windows/System32/config', () => {
    expect(netconfig(image, 'reg', 'query', 'HKLM\\SAM\\SAM\\Domains', ...I).status).toBe(0);
    expect(netconfig(image, 'reg', 'query', 'HKLM\\SECURITY\\Policy', ...I).status).toBe(0);
    expect(netconfig(image, 'reg', 'query', 'HKLM\\SOFTWARE\\Microsoft\\Windows NT\\CurrentVersion', '/v', 'ProductName', ...I).stdout).toMatch(
      /Windows 10 Pro/,
    );
    expect(netconfig(image, 'reg', 'query', 'HKU\\.DEFAULT\\Control Panel', ...I).status).toBe(0);
  });

  it('HKCU needs --user when there are several profiles, and names them', () => {
    const before = snapshot(image);
    const result = netconfig(image, 'reg', 'add', 'HKCU\\Software\\Contoso', '/f', ...I);
    expect(result.status).toBe(1);
    expect(result.stderr).toMatch(/2 profiles \(Alice, bob\): choose one with --user NAME/);
    expect(snapshot(image)).toEqual(before);
    expect(netconfig(image, 'reg', 'query', 'HKCU', '--user', 'carol', ...I).stderr).toMatch(/no profile "carol"/);
  });

  it('HKCU\\Software\\Microsoft is found in the chosen NTUSER.DAT (no level lost); a write lands there', () => {
    const query = netconfig(image, 'reg', 'query', 'HKCU\\Software\\Microsoft', '--user', 'alice', ...I);
    expect(query.status, query.stderr).toBe(0);
    expect(query.stdout).toMatch(/^HKEY_CURRENT_USER\\Software\\Microsoft\\Active Setup$/m);
    expect(netconfig(image, 'reg', 'add', 'HKCU\\Software\\Contoso', '/v', 'Theme', '/d', 'dark', '/f', '--user', 'Alice', ...I).status).toBe(0);
    expect(open(join(image, 'users/Alice/NTUSER.DAT')).root().subkey('Software')!.subkey('Contoso')!.value('Theme')).toBeDefined();
    expect(open(join(image, 'users/bob/ntuser.dat')).root().subkey('Software')!.subkey('Contoso')).toBeUndefined();
  });

  it('HKCR merges the user classes over HKLM\\SOFTWARE\\Classes: user keys read and written there, others in the machine hive', () => {
    const A = ['--user', 'Alice', ...I];
    expect(netconfig(image, 'reg', 'query', 'HKCR\\.txt', '/ve', ...A).stdout).toMatch(/txtfile/);
    // Listing HKCR shows the subkeys of both sides, each once.
    const listing = netconfig(image, 'reg', 'query', 'HKCR', ...A).stdout.split('\n');
    expect(listing).toContain('HKEY_CLASSES_ROOT\\.txt');
    expect(listing).toContain('HKEY_CLASSES_ROOT\\.3g2');
    expect(listing.filter((l) => l.toUpperCase() === 'HKEY_CLASSES_ROOT\\.AAC')).toHaveLength(1);
    expect(netconfig(image, 'reg', 'query', 'HKCR\\CLSID\\{018D5C66-4533-4307-9B53-224DE2ED1FE6}', ...A).status).toBe(0);
    // .aac exists for both: the user's key is the one HKCR shows and writes.
    const aac = netconfig(image, 'reg', 'query', 'HKCR\\.aac', '/ve', ...A);
    expect(aac.status, aac.stderr).toBe(0);
    expect(aac.stdout).toMatch(/^HKEY_CLASSES_ROOT\\\.aac$/m);
    expect(aac.stdout).not.toMatch(/machine-aac/);
    expect(netconfig(image, 'reg', 'add', 'HKCR\\.aac', '/v', 'Seen', '/d', 'user', '/f', ...A).status).toBe(0);
    expect(netconfig(image, 'reg', 'add', 'HKCR\\.contoso', '/ve', '/d', 'contosofile', '/f', ...A).status).toBe(0);
    expect(open(usrclass).root().subkey('.aac')!.value('Seen')).toBeDefined();
    expect(open(soft).root().subkey('Classes')!.subkey('.aac')!.value('Seen')).toBeUndefined();
    expect(open(soft).root().subkey('Classes')!.subkey('.contoso')).toBeDefined();
    expect(open(usrclass).root().subkey('.contoso')).toBeUndefined();
  });

  it('add, copy, compare, delete, export, save and restore by --image', () => {
    const K = 'HKLM\\SYSTEM\\CurrentControlSet\\Services\\Contoso';
    expect(netconfig(image, 'reg', 'add', K, '/v', 'Start', '/t', 'REG_DWORD', '/d', '3', '/f', ...I).status).toBe(0);
    expect(open(system).root().subkey('ControlSet001')!.subkey('Services')!.subkey('Contoso')!.value('Start')).toBeDefined();
    expect(open(system).root().subkey('CurrentControlSet')).toBeUndefined();
    expect(netconfig(image, 'reg', 'copy', K, 'HKLM\\SOFTWARE\\Contoso', '/s', '/f', ...I).status).toBe(0);
    expect(netconfig(image, 'reg', 'compare', K, 'HKLM\\SOFTWARE\\Contoso', '/s', ...I).status).toBe(0);
    const exported = netconfig(image, 'reg', 'export', K, join(image, 'contoso.reg'), '/y', ...I);
    expect(exported.status, exported.stderr).toBe(0);
    const text = new TextDecoder('utf-16le').decode(readFileSync(join(image, 'contoso.reg')).subarray(2));
    expect(text).toContain('[HKEY_LOCAL_MACHINE\\SYSTEM\\CurrentControlSet\\Services\\Contoso]\r\n"Start"=dword:00000003');
    expect(netconfig(image, 'reg', 'save', K, join(image, 'contoso.hiv'), ...I).status).toBe(0);
    expect(netconfig(image, 'reg', 'delete', K, '/f', ...I).status).toBe(0);
    expect(netconfig(image, 'reg', 'query', K, ...I).status).toBe(1);
    expect(netconfig(image, 'reg', 'add', K, '/f', ...I).status).toBe(0);
    expect(netconfig(image, 'reg', 'restore', K, join(image, 'contoso.hiv'), ...I).status).toBe(0);
    expect(netconfig(image, 'reg', 'query', K, '/v', 'Start', ...I).stdout).toMatch(/Start    REG_DWORD    0x3/);
  });

  it('compare across two images', () => {
    const other = buildImage();
    const same = netconfig(image, 'reg', 'compare', 'HKLM\\SAM\\SAM', 'HKLM\\SAM\\SAM', '/s', ...I, '--image2', other);
    expect(same.status, same.stderr).toBe(0);
    const different = netconfig(image, 'reg', 'compare', 'HKLM\\SOFTWARE\\Classes', 'HKLM\\SOFTWARE\\Classes', '/s', ...I, '--image2', other);
    expect(different.status, different.stderr).toBe(2);
  });

  it('a folder that is not a Windows volume is refused, naming what is missing', () => {
    const result = netconfig(image, 'reg', 'query', 'HKLM\\SYSTEM', '--image', join(image, 'users'));
    expect(result.status).toBe(1);
    expect(result.stderr).toMatch(/no Windows\/System32\/config/);
  });

  it('adapter verbs take --image too', () => {
    const result = netconfig(image, 'adapter', 'list', ...I);
    expect(result.status, result.stderr).toBe(0);
    expect(result.stdout).toMatch(/^INSTANCE/);
  });
});
