import type { Server } from 'node:http';
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { STATUS_OBJECT_NAME_NOT_FOUND } from '../../src/registry/index.js';
import { chromiumAvailable, closeServer, launchChromium, serveLocal } from '../support/chromium.js';
import { corpusAvailable, readCorpus } from '../support/corpus.js';
import { FIXED_TIME } from '../support/hives.js';
import { SCENARIO_ENTRY, bundleForBrowser, nodeDependencies } from './bundle.js';
import { SCENARIO_TIME, runScenario } from './scenario.js';
import type { ScenarioResult } from './scenario.js';

/** A clean NTUSER.DAT (corpus README: 1812 keys / 4094 values, one 73315-byte value). */
const HIVE = 'regipy/NTUSER.DAT';

const enabled = corpusAvailable() && chromiumAvailable('the Chromium smoke test');

interface PageRun {
  result: ScenarioResult;
  userAgent: string;
  nodeGlobals: string[];
  secureContext: boolean;
}

/**
 * Run in the page as a string, not a function: Vitest rewrites `import()` in test code, and the page must
 * load the bundle with the browser's own module loader.
 */
const PAGE_SCRIPT = `(async () => {
  const { runScenario } = await import('/scenario.js');
  const response = await fetch('/hive');
  const result = await runScenario(new Uint8Array(await response.arrayBuffer()));
  const nodeGlobals = ['process', 'Buffer', 'require', 'global'].filter((name) => name in globalThis);
  return { result, userAgent: navigator.userAgent, nodeGlobals, secureContext: isSecureContext };
})()`;

describe.skipIf(!enabled)('the core in Debian Chromium (playwright-core)', () => {
  let server: Server | undefined;
  let browser: Browser | undefined;
  let origin = '';
  const pageErrors: string[] = [];
  const hive = enabled ? readCorpus(HIVE) : new Uint8Array();

  beforeAll(async () => {
    const bundle = await bundleForBrowser(SCENARIO_ENTRY);
    expect(nodeDependencies(bundle.code)).toEqual([]);
    const routes: Record<string, { type: string; body: string | Uint8Array }> = {
      // The empty icon link keeps Chromium from asking for /favicon.ico (a 404 logged as a console error).
      '/': {
        type: 'text/html; charset=utf-8',
        body: '<!doctype html><meta charset="utf-8"><link rel="icon" href="data:,"><title>netconfiguration browser check</title>',
      },
      '/scenario.js': { type: 'text/javascript; charset=utf-8', body: bundle.code },
      '/hive': { type: 'application/octet-stream', body: hive },
    };
    ({ server, origin } = await serveLocal((request, response) => {
      const route = routes[request.url ?? ''];
      if (route === undefined) {
        response.writeHead(404).end();
        return;
      }
      response.writeHead(200, { 'content-type': route.type, 'cache-control': 'no-store' }).end(route.body);
    }));
    browser = await launchChromium();
  }, 120_000);

  afterAll(async () => {
    await browser?.close();
    await closeServer(server);
  });

  it('opens, walks, edits and serializes a corpus hive, round-trips a .reg export and runs NETCONFIGURATION with the same results and SHA-256 digests as Node', async () => {
    expect(SCENARIO_TIME, 'the scenario pins the same clock as the other tests').toBe(FIXED_TIME);
    const started = performance.now();
    const page = await browser!.newPage();
    page.on('pageerror', (error) => pageErrors.push(`pageerror: ${error.message}`));
    page.on('console', (message) => {
      if (message.type() === 'error') pageErrors.push(`console: ${message.text()}`);
    });
    await page.goto(`${origin}/`);
    const inPage = (await page.evaluate(PAGE_SCRIPT)) as PageRun;
    await page.close();
    const browserMs = performance.now() - started;

    const nodeStarted = performance.now();
    const inNode = await runScenario(hive);
    const nodeMs = performance.now() - nodeStarted;

    // It really ran in Chromium, as a page would, with nothing of Node around it.
    expect(inPage.userAgent).toMatch(/HeadlessChrome\/\d+/);
    expect(inPage.nodeGlobals).toEqual([]);
    expect(inPage.secureContext, 'crypto.subtle needs a secure context; 127.0.0.1 is one').toBe(true);
    expect(pageErrors).toEqual([]);

    // What Node computes is right in itself (so equal results are not equally wrong)...
    expect({ keys: inNode.keys, values: inNode.values }).toEqual({ keys: 1812, values: 4094 });
    expect(inNode.editedViolations).toBe(0);
    expect(inNode.importedValues).toBe(inNode.editedKeyValues);
    expect(inNode.editedKeyValues).toBeGreaterThan(1);
    expect(inNode.netconfig).toMatchObject({
      openStatus: 0,
      assignStatus: 0,
      queryStatus: 0,
      queried: 6,
      missingStatus: STATUS_OBJECT_NAME_NOT_FOUND,
      assignStringStatus: 0,
      queryStringStatus: 0,
      queriedString: '02AABBCCDDEE',
    });
    for (const digest of [inNode.walkDigest, inNode.editedDigest, inNode.regDigest, inNode.importedDigest, inNode.netconfig.digest])
      expect(digest).toMatch(/^[0-9a-f]{64}$/);
    // ...and Chromium computes exactly the same: counts, statuses, and every digest.
    expect(inPage.result).toEqual(inNode);

    console.log(
      `Chromium ${browser!.version()}: ${HIVE} ${inNode.keys} keys / ${inNode.values} values; ` +
        `edited hive SHA-256 ${inNode.editedDigest} (${inNode.editedLength} bytes), NETCONFIGURATION hive ${inNode.netconfig.digest}; ` +
        `equal in both. Page ${browserMs.toFixed(0)} ms (load, bundle import, scenario), Node ${nodeMs.toFixed(0)} ms`,
    );
  }, 120_000);
});
