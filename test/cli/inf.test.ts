import { copyFileSync, mkdtempSync, readFileSync, readdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { Hive, checkHive, dumpHiveToString } from '../../src/hive/index.js';
import { fillInxPlaceholders, parseInf, resolveModels } from '../../src/inf/index.js';
import { HiveFile } from '../../src/node/index.js';
import { cliBuilt, netconfig } from '../support/cli.js';
import { INF_CORPUS_DIR, corpusAvailable, corpusPath, infCorpusAvailable } from '../support/corpus.js';
import { hivexDump, oraclesAvailable } from '../support/oracles.js';

/**
 * netconfig inf show | install | check, end to end on the network INFs of ../shared/inf-corpus: each
 * installs into a fresh SYSTEM-shaped hive and into a copy of a corpus SYSTEM hive, the result is clean,
 * hivex reads it back, and `adapter show` lists every keyword the INF's Ndi\params defines.
 */

const INF_CORPUS = INF_CORPUS_DIR;
const infCorpusPresent = infCorpusAvailable();

const RTETH = join(INF_CORPUS, 'microsoft-NetAdapter-Cx-Driver-Samples', 'RtEthSample.inx');
const PIN = ['--time', '2026-01-01T00:00:00Z', '--guid', '{11111111-2222-3333-4444-555555555555}'];

/** Network INFs (Class=Net) with the first hardware ID of a Models section that applies to `arch`. */
function networkInfs(): { file: string; hwid: string; arch: string }[] {
  const out: { file: string; hwid: string; arch: string }[] = [];
  for (const dir of readdirSync(INF_CORPUS)) {
    if (dir.endsWith('.md')) continue;
    for (const name of readdirSync(join(INF_CORPUS, dir))) {
      if (!/\.in[fx]$/i.test(name)) continue;
      const file = join(INF_CORPUS, dir, name);
      for (const arch of ['amd64', 'x86'] as const) {
        let bytes: Uint8Array | string = new Uint8Array(readFileSync(file));
        bytes = fillInxPlaceholders(bytes, { arch, kmdfVersion: '1.33' }).text;
        const inf = parseInf(bytes, { file, style: 'none' });
        const cls = inf.findLine('Version', 'Class');
        if (cls === undefined || inf.fieldsOf(cls)[0]?.toUpperCase() !== 'NET') break;
        const models = resolveModels(inf, { arch }).find((m) => m.modelsSection !== null && m.exists);
        const first = models === undefined ? undefined : (inf.section(models.modelsSection!) ?? [])[0];
        if (first === undefined) continue;
        const hwid = inf.fieldsOf(first)[1];
        if (hwid !== undefined && hwid !== '') {
          out.push({ file, hwid, arch });
          break;
        }
      }
    }
  }
  return out;
}

describe.skipIf(!cliBuilt || !infCorpusPresent || !corpusAvailable())('netconfig inf: from an INF to the adapter key Windows would write', () => {
  it('inf show names the Models line, the DDInstall section chosen and what an install writes, writing nothing', () => {
    const cwd = mkdtempSync(join(tmpdir(), 'netconfig-inf-'));
    const result = netconfig(cwd, 'inf', 'show', RTETH, '--hwid', 'PCI\\VEN_10EC&DEV_8168&REV_03', ...PIN);
    expect(result.status, result.stderr).toBe(0);
    expect(result.stdout).toMatch(/install {7}\[RTL8168\.ndi\.NT\] \(InfSection RTL8168\.ndi, InfSectionExt \.NT\)/);
    expect(result.stdout).toMatch(/\[NNNN\\Ndi\\params\\\*SpeedDuplex\]/);
    expect(result.stdout).toMatch(/NetCfgInstanceId \(1\) = "\{11111111-2222-3333-4444-555555555555\}"/);
    expect(readdirSync(cwd)).toEqual([]);
  });

  it('inf check: one line per finding, exit 1 on errors, --json for scripts (RtEthSample lacks NCF_HAS_UI, WinTap *HardwareLoopback)', () => {
    const cwd = mkdtempSync(join(tmpdir(), 'netconfig-inf-'));
    const rteth = netconfig(cwd, 'inf', 'check', RTETH);
    expect(rteth.status).toBe(1);
    expect(rteth.stdout).toBe(
      `${RTETH}:49: error NET_HAS_UI_MISSING [RTL8168.ndi.NT] defines 12 Ndi\\params (an Advanced page) but Characteristics 0x4 lacks NCF_HAS_UI (0x80) (inf.md §13.1, case 102)\n`,
    );
    const wintap = join(INF_CORPUS, 'Alan-Jowett-WinTapNetAdapterCx', 'WinTapNetAdapterCx.inf');
    const json = netconfig(cwd, 'inf', 'check', wintap, '--json');
    expect(json.status).toBe(1);
    const findings = JSON.parse(json.stdout) as { line: number; severity: string; code: string }[];
    expect(findings.map((f) => `${f.line} ${f.severity} ${f.code}`)).toEqual(['19 error NETCX_NO_HARDWARELOOPBACK', '19 warning NETCX_NO_KMDFSERVICE']);
    expect(netconfig(cwd, 'inf', 'check', fileURLToPath(new URL('../../examples/contoso.inf', import.meta.url))).status).toBe(0);
    expect(readdirSync(cwd)).toEqual([]);
  });

  it('an ID no Models line matches is refused with the reason, and nothing is written', () => {
    const cwd = mkdtempSync(join(tmpdir(), 'netconfig-inf-'));
    const result = netconfig(cwd, 'inf', 'install', RTETH, '--hwid', 'PCI\\VEN_FFFF&DEV_0000');
    expect(result.status).toBe(1);
    expect(result.stderr).toMatch(/has no driver for PCI\\VEN_FFFF&DEV_0000 on amd64/);
    expect(readdirSync(cwd)).toEqual([]);
  });

  it('RtEthSample.inx installs; adapter show lists its Advanced properties; adapter set checks them against its Ndi\\params', () => {
    const cwd = mkdtempSync(join(tmpdir(), 'netconfig-inf-'));
    const install = netconfig(cwd, 'inf', 'install', RTETH, '--hwid', 'PCI\\VEN_10EC&DEV_8168&REV_03', ...PIN);
    expect(install.status, install.stderr).toBe(0);
    expect(install.stdout).toMatch(/as adapter 0001 \(ControlSet001\\Control\\Class\\\{4d36e972-e325-11ce-bfc1-08002be10318\}\\0001/);
    const show = netconfig(cwd, 'adapter', 'show', '0001');
    expect(show.stdout).toMatch(/^\*SpeedDuplex\s+Speed & Duplex\s+enum\s+0\s+0=Auto Negotiation/m);
    expect(netconfig(cwd, 'adapter', 'set', '0001', '*SpeedDuplex', '99').status).toBe(1);
    expect(netconfig(cwd, 'adapter', 'set', '0001', '*SpeedDuplex', '6').stdout).toBe('*SpeedDuplex = 6\n');
    expect(netconfig(cwd, 'adapter', 'query', '0001', '*SpeedDuplex').stdout).toBe('STATUS_SUCCESS (0x00000000): 6 (0x6)\n');
    expect(checkHive(readFileSync(join(cwd, 'netconfig.hiv')))).toEqual([]);
  });

  it('the same install twice, pinned by --time and --guid, writes the same keys, values and timestamps', () => {
    const runs = [0, 1].map(() => {
      const cwd = mkdtempSync(join(tmpdir(), 'netconfig-inf-'));
      netconfig(cwd, 'create', 'SYSTEM');
      // A SYSTEM-shaped start: Select\Current = 1.
      netconfig(cwd, 'reg', 'add', 'HKLM\\SYSTEM\\Select', '/v', 'Current', '/t', 'REG_DWORD', '/d', '1', '/f', '--hive', 'SYSTEM', '--mount', 'HKLM\\SYSTEM');
      const result = netconfig(cwd, 'inf', 'install', RTETH, '--hwid', 'PCI\\VEN_10EC&DEV_8168&REV_03', '--hive', 'SYSTEM', ...PIN);
      expect(result.status, result.stderr).toBe(0);
      // Only what the install wrote: the keys under Control (created and stamped by it, --time).
      return dumpHiveToString(Hive.open(new Uint8Array(readFileSync(join(cwd, 'SYSTEM')))))
        .split('\n')
        .filter((line) => line.includes('\\\\Control'))
        .join('\n');
    });
    expect(runs[0]).toMatch(/Linkage/);
    expect(runs[1]).toBe(runs[0]);
  });

  const infs = infCorpusPresent ? networkInfs() : [];
  it('finds network INFs to install', () => expect(infs.length).toBeGreaterThanOrEqual(9));
  for (const { file, hwid, arch } of infs) {
    const name = file.slice(INF_CORPUS.length);
    it(`${name} (${hwid}, ${arch}) installs into a fresh hive and a copy of the corpus SYSTEM; both clean, hivex reads them, adapter show lists every Ndi\\params keyword`, () => {
      for (const start of ['fresh', 'corpus'] as const) {
        const cwd = mkdtempSync(join(tmpdir(), 'netconfig-inf-'));
        const hive = start === 'fresh' ? 'netconfig.hiv' : join(cwd, 'SYSTEM');
        if (start === 'corpus') copyFileSync(corpusPath('regipy/SYSTEM.xz'), hive);
        else netconfig(cwd, 'stat');
        const result = netconfig(cwd, 'inf', 'install', file, '--hwid', hwid, '--arch', arch, '--hive', hive, '--json', ...PIN);
        expect(result.status, result.stderr).toBe(0);
        const { instance, path } = JSON.parse(result.stdout) as { instance: string; path: string };
        const hivePath = hive.startsWith('/') ? hive : join(cwd, hive);
        expect(checkHive(readFileSync(hivePath)).filter((v) => v.severity === 'error')).toEqual([]);
        if (oraclesAvailable('hivexDump')) expect(hivexDump(hivePath).status).toBe(0);
        const opened = HiveFile.open(hivePath).hive;
        let key = opened.root();
        for (const part of path.split('\\')) key = key.subkey(part)!;
        const keywords =
          key
            .subkey('Ndi')
            ?.subkey('params')
            ?.subkeys()
            .map((k) => k.name) ?? [];
        const show = netconfig(cwd, 'adapter', 'show', instance, '--hive', hive, '--json');
        expect(show.status, show.stderr).toBe(0);
        const listed = (JSON.parse(show.stdout) as { keyword: string }[]).map((p) => p.keyword);
        for (const keyword of keywords) expect(listed, `${name}: ${keyword}`).toContain(keyword);
      }
    });
  }
});
