import { builtinModules } from 'node:module';
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';
import type { Metafile } from 'esbuild';

/** The core's browser entry (all four core layers) and the Chromium smoke test's scenario. */
/** The checkout's root: esbuild names its inputs relative to it. */
export const ROOT = fileURLToPath(new URL('../../', import.meta.url));
export const CORE_ENTRY = fileURLToPath(new URL('./entry.ts', import.meta.url));
export const SCENARIO_ENTRY = fileURLToPath(new URL('./scenario.ts', import.meta.url));

export interface Bundle {
  code: string;
  metafile: Metafile;
  warnings: string[];
}

/**
 * One ES module for the browser, everything inlined (bundle: true, platform: 'browser'). esbuild fails
 * the build on an import it cannot resolve for the browser, such as node:fs, so a core file reaching for
 * Node fails here before the text checks below see it.
 */
export async function bundleForBrowser(entry: string, options: { minify?: boolean } = {}): Promise<Bundle> {
  const result = await build({
    entryPoints: [entry],
    absWorkingDir: ROOT,
    bundle: true,
    format: 'esm',
    platform: 'browser',
    target: 'es2022',
    minify: options.minify ?? false,
    write: false,
    metafile: true,
    logLevel: 'silent',
    outfile: 'out.js',
  });
  const output = result.outputFiles.find((file) => file.path.endsWith('.js'));
  if (output === undefined) throw new Error(`esbuild produced no JavaScript for ${entry}`);
  return { code: output.text, metafile: result.metafile, warnings: result.warnings.map((w) => w.text) };
}

const BUILTINS = new Set(builtinModules.flatMap((name) => [name, `node:${name}`]));

/**
 * What in bundled code would need Node: an import, export-from or dynamic import of a `node:` module or a
 * bare builtin name (`fs`, `path`…), a require() of one, and esbuild's `__require` shim, which it emits
 * only when the input calls require() and which throws in a browser.
 */
export function nodeDependencies(code: string): string[] {
  const found: string[] = [];
  for (const match of code.matchAll(/\b(?:from|import)\s*\(?\s*["'`]([^"'`]+)["'`]/g)) {
    if (match[1]!.startsWith('node:') || BUILTINS.has(match[1]!)) found.push(match[0]);
  }
  for (const match of code.matchAll(/\brequire\s*\(\s*["'`]([^"'`]+)["'`]/g)) {
    if (BUILTINS.has(match[1]!)) found.push(match[0]);
  }
  if (/\b__require\b/.test(code)) found.push('__require (esbuild shim for require())');
  return found;
}
