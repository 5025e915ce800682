import { describe, expect, it } from 'vitest';
import {
  fillInxPlaceholders,
  readDriverVer,
  identifierScore,
  inxPlaceholders,
  parseInf,
  parseTargetOsVersion,
  resolveModels,
  selectDriver,
} from '../../src/inf/index.js';
import type { InfArch, InfFile, OsVersion } from '../../src/inf/index.js';

const HEAD = '[Version]\nSignature="$Windows NT$"\n[Strings]\nM="Maker"\nD="Device"\n';

function inf(body: string): InfFile {
  return parseInf(HEAD + body, { file: 'sel.inf' });
}

function os(version: string, productType = 1, suiteMask = 0): OsVersion {
  const [major, minor, build] = version.split('.').map(Number);
  return { major: major!, minor: minor!, build: build ?? 0, productType, suiteMask };
}

/** The Models section the single Manufacturer line resolves to, or null. */
function models(file: InfFile, arch: InfArch, version: string, productType = 1, suiteMask = 0): string | null {
  const choices = resolveModels(file, { arch, os: os(version, productType, suiteMask) });
  expect(choices).toHaveLength(1);
  const choice = choices[0]!;
  return choice.modelsSection !== null && choice.exists ? choice.modelsSection : null;
}

const ENTRY = '%D%=Inst,PCI\\VEN_10EC&DEV_8168\n';
const INSTALL = '[Inst.NTamd64]\n[Inst.NT]\n[Inst]\n';

describe('inf.md §18.3 Models / decoration selection', () => {
  it('case 55: NTamd64 and NTarm64 listed; amd64 picks Mod.NTamd64', () => {
    const file = inf(`[Manufacturer]\n%M%=Mod,NTamd64,NTarm64\n[Mod.NTamd64]\n${ENTRY}[Mod.NTarm64]\n${ENTRY}${INSTALL}`);
    expect(models(file, 'amd64', '10.0.19045')).toBe('Mod.NTamd64');
    expect(models(file, 'arm64', '10.0.19045')).toBe('Mod.NTarm64');
  });
  it('case 56: the highest version not above the OS', () => {
    const file = inf('[Manufacturer]\n%M%=Mod,NTamd64.6.1,NTamd64.10.0\n[Mod.NTamd64.6.1]\n[Mod.NTamd64.10.0]\n');
    expect(models(file, 'amd64', '10.0.22621')).toBe('Mod.NTamd64.10.0');
    expect(models(file, 'amd64', '6.3.9600')).toBe('Mod.NTamd64.6.1');
  });
  it('case 57: build numbers are minimums', () => {
    const file = inf('[Manufacturer]\n%M%=Mod,NTamd64.10.0...17134,NTamd64.10.0...22000\n[Mod.NTamd64.10.0...17134]\n[Mod.NTamd64.10.0...22000]\n');
    expect(models(file, 'amd64', '10.0.19045')).toBe('Mod.NTamd64.10.0...17134');
    expect(models(file, 'amd64', '10.0.22621')).toBe('Mod.NTamd64.10.0...22000');
    expect(models(file, 'amd64', '10.0.16299')).toBeNull();
  });
  it('case 58: an empty decorated section is chosen and blocks (no fallback)', () => {
    const file = inf(
      `[Manufacturer]\n%M%=Mod,NTamd64.10.0...17134,NTamd64.10.0...17763\n[Mod.NTamd64.10.0...17134]\n${ENTRY}[Mod.NTamd64.10.0...17763]\n${INSTALL}`,
    );
    expect(models(file, 'amd64', '10.0.17763')).toBe('Mod.NTamd64.10.0...17763');
    const report = selectDriver(file, { arch: 'amd64', os: os('10.0.17763'), hardwareIds: ['PCI\\VEN_10EC&DEV_8168'] });
    expect(report.chosen).toBeNull();
    expect(report.why.join('\n')).toMatch(/empty — it blocks/);
    // On 17134 the entry installs.
    expect(selectDriver(file, { arch: 'amd64', os: os('10.0.17134'), hardwareIds: ['PCI\\VEN_10EC&DEV_8168'] }).chosen?.installSection).toBe('Inst.NTamd64');
  });
  it('case 59: NTamd64.10.0...26100 needs build 26100', () => {
    const file = inf('[Manufacturer]\n%M%=Mod,NTamd64.10.0...26100\n[Mod.NTamd64.10.0...26100]\n');
    expect(models(file, 'amd64', '10.0.22631')).toBeNull();
    expect(models(file, 'amd64', '10.0.26100')).toBe('Mod.NTamd64.10.0...26100');
  });
  it('case 60: only NTarm64 → nothing on amd64', () => {
    const file = inf(`[Manufacturer]\n%M%=Mod,NTarm64\n[Mod.NTarm64]\n${ENTRY}${INSTALL}`);
    expect(models(file, 'amd64', '10.0.26100')).toBeNull();
    expect(selectDriver(file, { arch: 'amd64', hardwareIds: ['PCI\\VEN_10EC&DEV_8168'] }).chosen).toBeNull();
  });
  it('case 61: a workstation decoration on a server', () => {
    const file = inf('[Manufacturer]\n%M%=Mod,NTamd64.10.0.1\n[Mod.NTamd64.10.0.1]\n');
    expect(models(file, 'amd64', '10.0.20348', 3)).toBeNull();
    expect(models(file, 'amd64', '10.0.22621', 1)).toBe('Mod.NTamd64.10.0.1');
  });
  it('case 62: a suite-mask decoration without the suite', () => {
    const file = inf('[Manufacturer]\n%M%=Mod,NTx86....0x80\n[Mod.NTx86....0x80]\n');
    expect(models(file, 'x86', '5.1.2600', 1, 0)).toBeNull();
    expect(models(file, 'x86', '5.1.2600', 1, 0x80)).toBe('Mod.NTx86....0x80');
  });
  it('case 63: DDInstall .NTamd64 with its companions', () => {
    const file = inf(`[Manufacturer]\n%M%=Mod,NTamd64\n[Mod.NTamd64]\n${ENTRY}${INSTALL}[Inst.NTamd64.Services]\n[Inst.NTamd64.HW]\n[Inst.NT.Services]\n`);
    const chosen = selectDriver(file, { arch: 'amd64', hardwareIds: ['PCI\\VEN_10EC&DEV_8168'] }).chosen!;
    expect([chosen.installSection, chosen.installSectionBase, chosen.installSectionExt]).toEqual(['Inst.NTamd64', 'Inst', '.NTamd64']);
    expect(chosen.companions).toEqual({ services: 'Inst.NTamd64.Services', hw: 'Inst.NTamd64.HW' });
    expect(chosen.description).toBe('Device');
    expect(chosen.manufacturer).toBe('Maker');
  });
  it('case 64: an empty [Inst.NT] still counts [Wine]', () => {
    const file = inf(`[Manufacturer]\n%M%=Mod,NTamd64\n[Mod.NTamd64]\n${ENTRY}[Inst.NT]\n[Inst]\nAddReg=x\n`);
    const chosen = selectDriver(file, { arch: 'amd64', hardwareIds: ['PCI\\VEN_10EC&DEV_8168'] }).chosen!;
    expect([chosen.installSection, chosen.installSectionExt]).toEqual(['Inst.NT', '.NT']);
  });
  it('case 65: identifier scores; A wins with MatchingDeviceId PCI\\VEN_1&DEV_2 ([ReactOS] gives B 0x1000 too)', () => {
    const device = { hardwareIds: ['PCI\\VEN_1&DEV_2&SUBSYS_3', 'PCI\\VEN_1&DEV_2'] };
    expect(identifierScore(['PCI\\VEN_1&DEV_2'], device)).toEqual({ score: 0x0001, deviceId: 'PCI\\VEN_1&DEV_2' });
    expect(identifierScore(['PCI\\VEN_9', 'PCI\\VEN_1&DEV_2&SUBSYS_3'], device)).toEqual({ score: 0x1000, deviceId: 'PCI\\VEN_1&DEV_2&SUBSYS_3' });
    const file = inf('[Manufacturer]\n%M%=Mod,NTamd64\n[Mod.NTamd64]\nA=IA,PCI\\VEN_1&DEV_2\nB=IB,PCI\\VEN_9,PCI\\VEN_1&DEV_2&SUBSYS_3\n[IA]\n[IB]\n');
    const report = selectDriver(file, { arch: 'amd64', ...device });
    expect(report.candidates.map((c) => [c.description, c.identifierScore])).toEqual([
      ['A', 0x0001],
      ['B', 0x1000],
    ]);
    expect(report.chosen!.matchingDeviceId).toBe('PCI\\VEN_1&DEV_2');
    expect(report.chosen!.rank).toBe(0x00ff0001); // SS 0, no FeatureScore → GG 0xFF (§7.1)
  });
});

describe('selection details', () => {
  it('compatible-ID rows of the identifier score table (§7.2)', () => {
    const device = { hardwareIds: ['H0'], compatibleIds: ['C0', 'C1'] };
    expect(identifierScore(['C1'], device)?.score).toBe(0x2001);
    expect(identifierScore(['X', 'Y', 'C1'], device)?.score).toBe(0x3000 + 1 + 0x100);
    expect(identifierScore(['x', 'h0'], device)?.score).toBe(0x1000);
    expect(identifierScore(['nope'], device)).toBeNull();
  });
  it('TargetOSVersion grammar (§6.2)', () => {
    expect(parseTargetOsVersion('NTamd64.10.0...16299')).toEqual({ text: 'NTamd64.10.0...16299', arch: 'amd64', major: 10, minor: 0, build: 16299 });
    expect(parseTargetOsVersion('ntX86....0x80')).toEqual({ text: 'ntX86....0x80', arch: 'x86', suiteMask: 0x80 });
    expect(parseTargetOsVersion('NTmips')).toBeNull();
    expect(parseTargetOsVersion('Foo')).toBeNull();
  });
  it('a build number at or below 14310, or on an older major version, makes the decoration invalid (§6.3)', () => {
    const file = inf('[Manufacturer]\n%M%=Mod,NTamd64.10.0...10240\n[Mod.NTamd64.10.0...10240]\n');
    expect(models(file, 'amd64', '10.0.26100')).toBeNull();
    expect(resolveModels(file, { arch: 'amd64' })[0]!.why.join()).toMatch(/above 14310/);
    const old = inf('[Manufacturer]\n%M%=Mod,NTamd64.6.3...16299\n[Mod.NTamd64.6.3...16299]\n');
    expect(models(old, 'amd64', '10.0.26100')).toBeNull();
  });
  it('the XP example: NT, NT.5, NT.5.5, NT....0x80 → NT.5 (§6.4)', () => {
    const file = inf('[Manufacturer]\n%M%=Mod,NT,NT.5,NT.5.5,NT....0x80\n[Mod.NT]\n[Mod.NT.5]\n[Mod.NT.5.5]\n[Mod.NT....0x80]\n');
    expect(models(file, 'x86', '5.1.2600', 1, 0x80)).toBe('Mod.NT.5');
  });
  it('undecorated Models: x86 only by default, any architecture on request (§6.6)', () => {
    const file = inf(`[Manufacturer]\n%M%=Mod\n[Mod]\n${ENTRY}[Inst]\n`);
    expect(models(file, 'x86', '10.0.19045')).toBe('Mod');
    expect(models(file, 'amd64', '10.0.19045')).toBeNull();
    expect(resolveModels(file, { arch: 'amd64', archless: 'any' })[0]!.modelsSection).toBe('Mod');
  });
  it('FeatureScore, ExcludeID, Include and Needs (§7.5, §8.3)', () => {
    const included = parseInf('[Version]\nSignature="$Windows NT$"\n[Base.Install]\nAddReg=r\n', { file: 'base.inf' });
    const file = inf(
      '[Manufacturer]\n%M%=Mod,NTamd64\n[Mod.NTamd64]\nA=IA,ID1\nB=IB,ID1\n[IA]\nFeatureScore=0x80\nFeatureScore=0x01\nInclude=base.inf\nNeeds=Base.Install\n[IB]\nExcludeID=ID2\n',
    );
    const report = selectDriver(file, { arch: 'amd64', hardwareIds: ['ID1', 'ID2'], included: new Map([['BASE.INF', included]]) });
    expect(report.candidates.map((c) => c.description)).toEqual(['A']);
    const chosen = report.chosen!;
    expect(chosen.featureScore).toBe(0x80);
    expect(chosen.rank).toBe(0x00800000);
    expect(chosen.includes).toEqual(['base.inf']);
    expect(chosen.needs).toEqual([{ section: 'Base.Install', file: 'base.inf' }]);
    expect(report.findings).toEqual([]);
  });
  it('a DDInstall section found only in an included INF (§8.1)', () => {
    const other = parseInf('[Version]\nSignature="$Windows NT$"\n[Shared.NTamd64]\nFeatureScore=0x10\n[Shared.NTamd64.Services]\n', { file: 'other.inf' });
    const file = inf('[Manufacturer]\n%M%=Mod,NTamd64\n[Mod.NTamd64]\nA=Shared,ID1\n');
    const chosen = selectDriver(file, { arch: 'amd64', hardwareIds: ['ID1'], included: new Map([['other.inf', other]]) }).chosen!;
    expect([chosen.installFile, chosen.installSection, chosen.featureScore, chosen.companions.services]).toEqual([
      'other.inf',
      'Shared.NTamd64',
      0x10,
      'Shared.NTamd64.Services',
    ]);
    expect(selectDriver(file, { arch: 'amd64', hardwareIds: ['ID1'] }).chosen).toBeNull();
  });
  it('a Models entry whose DDInstall section is missing is a finding, not a candidate', () => {
    const file = inf('[Manufacturer]\n%M%=Mod,NTamd64\n[Mod.NTamd64]\nA=Gone,ID1\n');
    const report = selectDriver(file, { arch: 'amd64', hardwareIds: ['ID1'] });
    expect(report.chosen).toBeNull();
    expect(report.findings.map((f) => [f.code, f.line])).toEqual([['INF_NO_INSTALL_SECTION', 9]]);
  });
});

describe('inf.md §16 .inx placeholders', () => {
  const inx =
    '[Version]\r\nSignature="$Windows NT$"\r\nDriverVer = ; stampinf\r\n[Manufacturer]\r\n%M%=Mod,NT$ARCH$.10.0...16299\r\n[X.Wdf]\r\nKmdfLibraryVersion = $KMDFVERSION$\r\nCo = $KMDFCOINSTALLERVERSION$\r\nU = $UMDFVERSION$\r\n';
  it('fills what is given, leaves the rest, writes DriverVer', () => {
    expect(inxPlaceholders(inx)).toEqual(['$ARCH$', '$KMDFVERSION$', '$KMDFCOINSTALLERVERSION$', '$UMDFVERSION$']);
    const result = fillInxPlaceholders(inx, { arch: 'amd64', kmdfVersion: '1.5', driverVer: '01/02/2024,1.2.3.4' });
    expect(result.text).toContain('%M%=Mod,NTamd64.10.0...16299\r\n');
    expect(result.text).toContain('KmdfLibraryVersion = 1.5\r\n');
    expect(result.text).toContain('Co = 01005\r\n');
    expect(result.text).toContain('DriverVer = 01/02/2024,1.2.3.4\r\n');
    expect(result.filled).toEqual(['$ARCH$', '$KMDFVERSION$', '$KMDFCOINSTALLERVERSION$']);
    expect(result.unfilled).toEqual(['$UMDFVERSION$']);
  });
  it('adds DriverVer and CatalogFile to [Version] when absent', () => {
    const result = fillInxPlaceholders('[Version]\nSignature="$Windows NT$"\n[S]\nk=v\n', { driverVer: '01/02/2024,1.0.0.0', catalogFile: 'x.cat' });
    const file = parseInf(result.text, { file: 'x.inf' });
    expect(file.fieldsOf(file.findLine('Version', 'DriverVer')!)).toEqual(['01/02/2024', '1.0.0.0']);
    expect(file.fieldsOf(file.findLine('Version', 'CatalogFile')!)).toEqual(['x.cat']);
  });
});

describe('inf.md §5.3 DriverVer', () => {
  it('DDInstall overrides [Version]; dates with / or -; invalid forms are findings', () => {
    const file = parseInf(
      '[Version]\nSignature="$Windows NT$"\nDriverVer = 04/06/2016, 1.14.11.0\n[A]\nDriverVer=12-31-2020\n[B]\nDriverVer=4/6/2016,0.0.0.0\n',
      { file: 'v.inf' },
    );
    const base = readDriverVer(file);
    expect([base.source, base.date, base.version, base.findings]).toEqual(['Version', { year: 2016, month: 4, day: 6 }, '1.14.11.0', []]);
    const a = readDriverVer(file, 'A');
    expect([a.source, a.date, a.version, a.findings]).toEqual(['A', { year: 2020, month: 12, day: 31 }, null, []]);
    const b = readDriverVer(file, 'B');
    expect([b.date, b.version, b.findings.map((f) => f.code)]).toEqual([null, null, ['INF_BAD_DRIVERVER_DATE', 'INF_BAD_DRIVERVER_VERSION']]);
    expect(readDriverVer(file, 'Missing').source).toBe('Version');
    expect(readDriverVer(parseInf('[Version]\nSignature="$Windows NT$"\nDriverVer = ; stampinf', { file: 'x.inf' })).findings.map((f) => f.code)).toEqual([
      'INF_BAD_DRIVERVER_DATE',
      'INF_DRIVERVER_NO_VERSION',
    ]);
  });
});
