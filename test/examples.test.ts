import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { rtAdapterReadConfiguration } from '../examples/rteth-read-configuration.js';
import { Hive } from '../src/hive/index.js';
import { Environment, NetAdapter } from '../src/netadapter/index.js';
import { Registry, openNetworkAdapter } from '../src/registry/index.js';
import { cliBuilt, netconfig } from './support/cli.js';
import { INF_CORPUS_DIR, infCorpusAvailable } from './support/corpus.js';

/**
 * The end to end a driver developer wants (issue 8): install RtEthSample.inx (placeholders filled),
 * see and set its Advanced properties against its own Ndi\params, then run the sample driver's
 * configuration read (examples/rteth-read-configuration.ts) through this project's NETCONFIGURATION API.
 */
const present = infCorpusAvailable();
const RTETH = join(INF_CORPUS_DIR, 'microsoft-NetAdapter-Cx-Driver-Samples', 'RtEthSample.inx');

describe.skipIf(!cliBuilt || !present)('RtEthSample, from its INF to what the driver reads at start', () => {
  it('defaults where nothing is set or a value is out of range, the registry where it is valid, and the NetworkAddress override', () => {
    const cwd = mkdtempSync(join(tmpdir(), 'netconfig-rteth-'));
    const installed = netconfig(cwd, 'inf', 'install', RTETH, '--hwid', 'PCI\\VEN_10EC&DEV_8168&REV_03', '--json');
    expect(installed.status, installed.stderr).toBe(0);
    const { instance } = JSON.parse(installed.stdout) as { instance: string };
    expect(netconfig(cwd, 'adapter', 'set', instance, '*SpeedDuplex', '6').status).toBe(0);
    expect(netconfig(cwd, 'adapter', 'set', instance, '*FlowControl', '0').status).toBe(0);
    // Not an Advanced property of this INF: written anyway, as a tool or an old driver version might.
    expect(netconfig(cwd, 'adapter', 'assign-ulong', instance, '*ReceiveBuffers', '4096').status).toBe(0);
    expect(netconfig(cwd, 'adapter', 'assign-ulong', instance, '*TransmitBuffers', '64').status).toBe(0);
    expect(netconfig(cwd, 'adapter', 'set', instance, 'NetworkAddress', '02AABBCCDDEE').status).toBe(0);

    const hive = Hive.open(new Uint8Array(readFileSync(join(cwd, 'netconfig.hiv'))));
    const adapter = new NetAdapter(new Environment({ release: '2100' }), openNetworkAdapter(new Registry(hive), instance));
    const read = rtAdapterReadConfiguration(adapter);
    expect(read.values).toEqual({
      '*SpeedDuplex': 6,
      '*ReceiveBuffers': 128,
      '*TransmitBuffers': 64,
      '*WakeOnMagicPacket': 1,
      '*InterruptModeration': 1,
      '*FlowControl': 0,
      '*RSS': 0,
      InterruptModerationLevel: 0,
    });
    expect(read.sources['*ReceiveBuffers']).toBe('default (out of range)');
    expect(read.sources['*SpeedDuplex']).toBe('registry');
    expect(read.sources['*RSS']).toBe('default (missing)');
    expect(read.currentAddress).toBe('02-aa-bb-cc-dd-ee');
    expect(read.overrideAddress).toBe(true);
    expect(read.numTcb).toBe(64);
  });

  it('a multicast NetworkAddress is not used', () => {
    const cwd = mkdtempSync(join(tmpdir(), 'netconfig-rteth-'));
    const { instance } = JSON.parse(netconfig(cwd, 'inf', 'install', RTETH, '--hwid', 'PCI\\VEN_10EC&DEV_8168&REV_03', '--json').stdout) as {
      instance: string;
    };
    expect(netconfig(cwd, 'adapter', 'assign-string', instance, 'NetworkAddress', '01AABBCCDDEE').status).toBe(0);
    const hive = Hive.open(new Uint8Array(readFileSync(join(cwd, 'netconfig.hiv'))));
    const read = rtAdapterReadConfiguration(new NetAdapter(new Environment({ release: '2100' }), openNetworkAdapter(new Registry(hive), instance)));
    expect(read.overrideAddress).toBe(false);
    expect(read.currentAddress).toBeUndefined();
  });
});
