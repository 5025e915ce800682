import { readFileSync, readdirSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import { describe, expect, it } from 'vitest';
import { INF_CORPUS_DIR, infCorpusAvailable } from '../support/corpus.js';
import fc from 'fast-check';
import { InfSyntaxError, decodeInfBytes, fillInxPlaceholders, inxPlaceholders, parseInf, selectDriver } from '../../src/inf/index.js';
import type { InfArch, InfFile, OsVersion, SelectionReport } from '../../src/inf/index.js';

/**
 * ../shared/inf-corpus beside the checkout (real INFs from public projects, never copied into this repo;
 * README there lists each). Like test/support/corpus.ts: skipped with a message when absent, a failure
 * under CI=true.
 */
const INF_CORPUS = INF_CORPUS_DIR;
const present = infCorpusAvailable();

function corpusFiles(): string[] {
  const out: string[] = [];
  const visit = (dir: string): void => {
    for (const name of readdirSync(dir)) {
      const path = join(dir, name);
      if (statSync(path).isDirectory()) visit(path);
      else if (name !== 'README.md') out.push(relative(INF_CORPUS, path));
    }
  };
  if (present) visit(INF_CORPUS);
  return out.sort();
}

const read = (name: string): Uint8Array => new Uint8Array(readFileSync(join(INF_CORPUS, name)));

/** A corpus INF with its stampinf placeholders filled for `arch` (inf.md §16). */
function stamped(name: string, arch: InfArch = 'amd64'): InfFile {
  const { text } = fillInxPlaceholders(read(name), { arch, kmdfVersion: '1.33' });
  return parseInf(text, { file: name });
}

function os(version: string): OsVersion {
  const [major, minor, build] = version.split('.').map(Number);
  return { major: major!, minor: minor!, build: build!, productType: 1 };
}

function summary(report: SelectionReport): Record<string, unknown> | null {
  const c = report.chosen;
  if (!c) return null;
  return { models: c.modelsSection, install: c.installSection, ext: c.installSectionExt, id: c.matchingDeviceId, services: c.companions.services };
}

describe.skipIf(!present)('INF corpus', () => {
  const files = corpusFiles();

  it('holds the 17 files the README lists', () => {
    expect(files).toHaveLength(17);
  });

  for (const name of files) {
    it(`${name}: reads without an untyped error, every field substitutes`, () => {
      const t0 = performance.now();
      let inf: InfFile;
      try {
        inf = parseInf(read(name), { file: name, locale: 0x0407 });
      } catch (error) {
        expect(error).toBeInstanceOf(InfSyntaxError);
        throw error; // no corpus file is expected to fail the open
      }
      expect(inf.section('Version')).toBeDefined();
      let fields = 0;
      for (const section of inf.sectionNames()) {
        for (const line of inf.section(section)!) {
          fields += inf.fieldsOf(line).length;
          inf.keyOf(line);
        }
      }
      expect(fields).toBeGreaterThan(10);
      expect(performance.now() - t0).toBeLessThan(1000);
    });
  }

  it('findings pinned: the one real lexical problem is nete1000.inf line 163 (a description without its closing quote)', () => {
    const all = files.flatMap((name) => parseInf(read(name), { file: name }).findings.map((f) => `${f.file}:${f.line}: ${f.code}`));
    expect(all).toEqual(['snykiotcubedev-reactos-0.4.13-release/nete1000.inf:163: INF_UNTERMINATED_QUOTE']);
  });

  it('undefined %strkey% tokens pinned (viostor.inx uses stampinf-era INX_* tokens)', () => {
    const all = files.flatMap((name) =>
      parseInf(read(name), { file: name })
        .undefinedTokens()
        .map((f) => `${f.file}:${f.line}: ${f.message.split(' ')[0]}`),
    );
    expect(all).toEqual(['virtio-win-kvm-guest-drivers-windows/viostor.inx:76: %INX_PLATFORM_DRIVERS_DIR%']);
  });

  it('mutated corpus INFs: typed errors only, bounded time (the fuzz target, in small)', () => {
    const inputs = files.map(read);
    const t0 = performance.now();
    fc.assert(
      fc.property(
        fc.nat(inputs.length - 1),
        fc.array(fc.tuple(fc.nat(), fc.constantFrom(0x00, 0x0a, 0x0d, 0x1a, 0x22, 0x25, 0x2c, 0x3b, 0x3d, 0x5b, 0x5c, 0x5d, 0xff, 0xfe)), { maxLength: 12 }),
        (which, edits) => {
          const bytes = inputs[which]!.slice();
          for (const [at, value] of edits) bytes[at % bytes.length] = value;
          try {
            const inf = parseInf(bytes, { file: files[which]!, style: 'none' });
            for (const name of inf.sectionNames()) for (const line of inf.section(name)!) inf.fieldsOf(line);
            for (const arch of ['amd64', 'x86'] as const)
              selectDriver(inf, { arch, hardwareIds: ['PCI\\VEN_10EC&DEV_8168&REV_03', 'Root\\WinTapNetAdapterCx'], compatibleIds: ['PCI\\VEN_10EC'] });
          } catch (error) {
            if (!(error instanceof InfSyntaxError)) throw error;
          }
        },
      ),
      { numRuns: 150, seed: 8 },
    );
    expect(performance.now() - t0).toBeLessThan(4000);
  });

  it('encodings as the README states', () => {
    const enc = (name: string): string => parseInf(read(name), { file: name }).encoding;
    expect(enc('microsoft-Windows-driver-samples/netvadapter.inf')).toBe('utf-16le');
    expect(enc('MichaelKuo0905-Time-Recovery_undergraduate-Research/AX88179_178a.inf')).toBe('utf-16le');
    expect(enc('microsoft-NetAdapter-Cx-Driver-Samples/RtEthSample.inx')).toBe('utf-8');
    // UTF-8 without BOM is read in the ANSI code page (inf.md §1.1), unless the caller says otherwise.
    const netrtl = 'snykiotcubedev-reactos-0.4.13-release/netrtl.inf';
    expect(enc(netrtl)).toBe('windows-1252');
    expect(parseInf(read(netrtl), { file: netrtl, ansi: 'utf-8' }).encoding).toBe('utf-8');
  });

  it('localized Strings: AX88179 in German (0x0407) and netrtl in Polish (0x0415)', () => {
    const ax = 'MichaelKuo0905-Time-Recovery_undergraduate-Research/AX88179_178a.inf';
    const de = parseInf(read(ax), { file: ax, locale: 0x0407 });
    expect(de.localizedStrings?.toLowerCase()).toBe('strings.0407');
    const en = parseInf(read(ax), { file: ax });
    expect(de.substitute('%AX88179.DeviceDesc%')).not.toBe('%AX88179.DeviceDesc%');
    expect(en.localizedStrings).toBeNull();
    const rtl = 'snykiotcubedev-reactos-0.4.13-release/netrtl.inf';
    expect(parseInf(read(rtl), { file: rtl, locale: 0x0415, ansi: 'utf-8' }).localizedStrings).toBe('Strings.0415');
    // `[Strings.0a]` (two digits) is Spanish with SUBLANG_NEUTRAL: chosen for es-ES (0x0c0a).
    expect(parseInf(read(rtl), { file: rtl, locale: 0x0c0a }).localizedStrings).toBe('Strings.0a');
  });

  it('placeholders as the README lists them: $ARCH$ in 10 files, $KMDFVERSION$ in 3, none in the WinTap .inx', () => {
    const text = (name: string): string => decodeInfBytes(read(name)).text;
    const withArch = files.filter((name) => inxPlaceholders(text(name)).includes('$ARCH$'));
    expect(withArch).toHaveLength(10);
    expect(files.filter((name) => inxPlaceholders(text(name)).includes('$KMDFVERSION$'))).toHaveLength(3);
    expect(inxPlaceholders(text('Alan-Jowett-WinTapNetAdapterCx/wintap_netadaptercx_driver.inx'))).toEqual([]);
  });

  describe('driver selection on the network INFs', () => {
    it('RtEthSample.inx, placeholders filled for amd64: Realtek.NTamd64.10.0...16299 → RTL8168.ndi.NT', () => {
      const inf = stamped('microsoft-NetAdapter-Cx-Driver-Samples/RtEthSample.inx');
      const report = selectDriver(inf, {
        arch: 'amd64',
        os: os('10.0.22631'),
        hardwareIds: ['PCI\\VEN_10EC&DEV_8168&SUBSYS_816810EC&REV_03', 'PCI\\VEN_10EC&DEV_8168&REV_03'],
      });
      expect(summary(report)).toEqual({
        models: 'Realtek.NTamd64.10.0...16299',
        install: 'RTL8168.ndi.NT',
        ext: '.NT',
        id: 'PCI\\VEN_10EC&DEV_8168&SUBSYS_816810EC&REV_03',
        services: 'RTL8168.ndi.NT.Services',
      });
      const chosen = report.chosen!;
      expect(chosen.companions.wdf).toBe('RTL8168.ndi.NT.Wdf');
      expect(chosen.featureScore).toBe(0xfe);
      expect(chosen.rank).toBe(0x00fe0000);
      expect(chosen.description).toBe('Realtek PCIe GBE Family Controller NetAdapter Sample Driver');
      expect(inf.fieldsOf(inf.findLine('RTL8168.ndi.NT.Wdf', 'KmdfService')!)[0]).toBe('RtEthSample');
      expect(inf.fieldsOf(inf.findLine('wdf', 'KmdfLibraryVersion')!)).toEqual(['1.33']);
      // Before 16299 no Models section applies; unstamped, `NT$ARCH$` is not a decoration at all.
      expect(selectDriver(inf, { arch: 'amd64', os: os('10.0.15063'), hardwareIds: ['PCI\\VEN_10EC&DEV_8168&REV_03'] }).chosen).toBeNull();
      const raw = parseInf(read('microsoft-NetAdapter-Cx-Driver-Samples/RtEthSample.inx'), { file: 'RtEthSample.inx' });
      expect(selectDriver(raw, { arch: 'amd64', hardwareIds: ['PCI\\VEN_10EC&DEV_8168&REV_03'] }).why.join('\n')).toMatch(/not a TargetOSVersion/);
    });

    it('WinTapNetAdapterCx.inf: Standard.NTamd64 / Standard.NTarm64 → WinTap_Install (undecorated)', () => {
      const name = 'Alan-Jowett-WinTapNetAdapterCx/WinTapNetAdapterCx.inf';
      const inf = parseInf(read(name), { file: name });
      for (const arch of ['amd64', 'arm64'] as const) {
        expect(summary(selectDriver(inf, { arch, hardwareIds: ['Root\\WinTapNetAdapterCx'] }))).toEqual({
          models: `Standard.NT${arch}`,
          install: 'WinTap_Install',
          ext: '',
          id: 'Root\\WinTapNetAdapterCx',
          services: 'WinTap_Install.Services',
        });
      }
      expect(selectDriver(inf, { arch: 'x86', hardwareIds: ['Root\\WinTapNetAdapterCx'] }).chosen).toBeNull();
    });

    it('wintap_netadaptercx_driver.inx: the 19041 build decoration; two models', () => {
      const name = 'Alan-Jowett-WinTapNetAdapterCx/wintap_netadaptercx_driver.inx';
      const inf = stamped(name);
      const report = selectDriver(inf, { arch: 'amd64', os: os('10.0.19045'), hardwareIds: ['Root\\WinTapRust2'] });
      expect(summary(report)).toEqual({
        models: 'Standard.NTamd64.10.0...19041',
        install: 'WinTap_Install',
        ext: '',
        id: 'Root\\WinTapRust2',
        services: 'WinTap_Install.Services',
      });
      expect(selectDriver(inf, { arch: 'amd64', os: os('10.0.18363'), hardwareIds: ['Root\\WinTapRust'] }).chosen).toBeNull();
    });

    it('netkvm.inx: NetKVM.NTamd64 → kvmnet6.ndi; a compatible-ID match ranks 0x1000', () => {
      const inf = stamped('virtio-win-kvm-guest-drivers-windows/netkvm.inx');
      const report = selectDriver(inf, { arch: 'amd64', hardwareIds: ['PCI\\VEN_1AF4&DEV_1041&SUBSYS_11001AF4&REV_01', 'PCI\\VEN_1AF4&DEV_1041'] });
      expect(summary(report)).toEqual({
        models: 'NetKVM.NTamd64',
        install: 'kvmnet6.ndi',
        ext: '',
        id: 'PCI\\VEN_1AF4&DEV_1041',
        services: 'kvmnet6.ndi.Services',
      });
      expect(report.chosen!.companions.hw).toBe('kvmnet6.ndi.hw');
      expect(report.chosen!.identifierScore).toBe(0x1001);
    });

    it('ndisprot630.inf: Install on 25319 and later, Install_NC before (the DIRID-13 example)', () => {
      const inf = stamped('microsoft-Windows-driver-samples/ndisprot630.inf');
      expect(selectDriver(inf, { arch: 'amd64', os: os('10.0.26100'), hardwareIds: ['MS_NDISPROT'] }).chosen?.installSection).toBe('Install');
      expect(selectDriver(inf, { arch: 'amd64', os: os('10.0.22631'), hardwareIds: ['MS_NDISPROT'] }).chosen?.installSection).toBe('Install_NC');
    });

    it('netvadapter.inf: the decorated Msft.NTamd64 wins over the undecorated [Msft]', () => {
      const inf = stamped('microsoft-Windows-driver-samples/netvadapter.inf');
      const report = selectDriver(inf, { arch: 'amd64', hardwareIds: ['test\\netvadapter2'] });
      expect(report.chosen?.modelsSection).toBe('Msft.NTamd64');
      expect(report.chosen?.installSection).toBe('instance2.ndi');
    });

    it('AX88179_178a.inf: USB.NTamd64.6.1 on Windows 7 and later, nothing on Vista', () => {
      const name = 'MichaelKuo0905-Time-Recovery_undergraduate-Research/AX88179_178a.inf';
      const inf = parseInf(read(name), { file: name });
      const report = selectDriver(inf, { arch: 'amd64', os: os('6.1.7601'), hardwareIds: ['USB\\VID_0B95&PID_1790&REV_0100', 'USB\\VID_0B95&PID_1790'] });
      expect(summary(report)).toEqual({
        models: 'USB.NTamd64.6.1',
        install: 'AX88179.Ndi',
        ext: '',
        id: 'USB\\VID_0B95&PID_1790',
        services: 'AX88179.Ndi.Services',
      });
      expect(selectDriver(inf, { arch: 'amd64', os: os('6.0.6002'), hardwareIds: ['USB\\VID_0B95&PID_1790'] }).chosen).toBeNull();
    });

    it('netrtl.inf (ReactOS): undecorated Models on x86 → RTL8139_Inst.ndi.NT; not on amd64 by default', () => {
      const name = 'snykiotcubedev-reactos-0.4.13-release/netrtl.inf';
      const inf = parseInf(read(name), { file: name });
      const report = selectDriver(inf, { arch: 'x86', os: os('5.1.2600'), hardwareIds: ['PCI\\VEN_1186&DEV_1300'] });
      expect(report.models.map((m) => m.modelsSection)).toEqual(['RealtekMfg', 'AcctonMfg', 'DLinkMfg', 'LevelOneMfg', 'CompaqMfg']);
      expect(summary(report)).toEqual({
        models: 'DLinkMfg',
        install: 'RTL8139_Inst.ndi.NT',
        ext: '.NT',
        id: 'PCI\\VEN_1186&DEV_1300',
        services: 'RTL8139_Inst.ndi.NT.Services',
      });
      expect(selectDriver(inf, { arch: 'amd64', hardwareIds: ['PCI\\VEN_1186&DEV_1300'] }).chosen).toBeNull();
      expect(selectDriver(inf, { arch: 'amd64', archless: 'any', hardwareIds: ['PCI\\VEN_1186&DEV_1300'] }).chosen?.installSection).toBe('RTL8139_Inst.ndi.NT');
    });
  });
});
