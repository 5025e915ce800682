import { gzipSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { CORE_ENTRY, bundleForBrowser, nodeDependencies } from './bundle.js';

describe('the core bundled for the browser (esbuild, platform browser)', () => {
  it('builds, imports nothing from outside, and has no node: import or require of a Node builtin', async () => {
    const bundle = await bundleForBrowser(CORE_ENTRY);
    expect(bundle.warnings).toEqual([]);
    const output = Object.values(bundle.metafile.outputs)[0]!;
    // Every import resolved into the bundle: nothing left for a host to supply.
    expect(output.imports).toEqual([]);
    const inputs = Object.keys(bundle.metafile.inputs);
    const outside = inputs.filter((path) => !/^src\/(hive|registry|regfile|netadapter|inf)\/[^/]+\.ts$/.test(path) && !path.endsWith('test/browser/entry.ts'));
    expect(outside, 'only core sources are bundled').toEqual([]);
    for (const layer of ['hive', 'registry', 'regfile', 'netadapter', 'inf'])
      expect(
        inputs.some((path) => path.startsWith(`src/${layer}/`)),
        layer,
      ).toBe(true);
    expect(nodeDependencies(bundle.code)).toEqual([]);
    // The entry exports every layer (a check on the check: the bundle really holds the core).
    expect(bundle.code).toMatch(/export\s*\{[^}]*\bhive\b[^}]*\bnetadapter\b[^}]*\}|export\s*\{[^}]*\bnetadapter\b[^}]*\bhive\b[^}]*\}/s);

    const minified = await bundleForBrowser(CORE_ENTRY, { minify: true });
    expect(nodeDependencies(minified.code)).toEqual([]);
    const kb = (n: number): string => `${(n / 1024).toFixed(1)} KiB`;
    const size = (code: string): string => `${kb(Buffer.byteLength(code))} raw, ${kb(gzipSync(code).length)} gzipped`;
    console.log(`core bundle (${inputs.length - 1} modules): ${size(bundle.code)}; minified ${size(minified.code)}`);
  });

  it('the checker finds what a browser cannot load', () => {
    expect(nodeDependencies('import { readFileSync } from "node:fs";')).toHaveLength(1);
    expect(nodeDependencies('export * from "path";')).toHaveLength(1);
    expect(nodeDependencies('const m = await import("node:crypto");')).toHaveLength(1);
    expect(nodeDependencies('const fs = require("fs");')).toHaveLength(1);
    expect(nodeDependencies('var __require = () => {}; __require("x");')).toHaveLength(1);
    expect(nodeDependencies('import { x } from "./fs.js"; const fsPath = "node: a label";')).toEqual([]);
  });
});
