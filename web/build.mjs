#!/usr/bin/env node
/**
 * Builds the hive editor page into dist/web (or the folder given): index.html, app.js (one classic
 * script, everything inlined, so the page also opens from file:// and from any static file server) and
 * app.css. esbuild is a devDependency: `npm run build` and `npm pack` (prepack) run this.
 */
import { copyFileSync, mkdirSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';

const WEB = dirname(fileURLToPath(import.meta.url));

/** Builds into `out`; returns the output file names. */
export async function buildWeb(out = resolve(WEB, '../dist/web'), options = {}) {
  mkdirSync(out, { recursive: true });
  const result = await build({
    entryPoints: [join(WEB, 'src/main.ts')],
    bundle: true,
    format: 'iife',
    platform: 'browser',
    target: 'es2022',
    minify: options.minify ?? true,
    sourcemap: false,
    outfile: join(out, 'app.js'),
    logLevel: 'warning',
    legalComments: 'none',
  });
  if (result.errors.length > 0) throw new Error(`esbuild failed for the web page: ${result.errors.map((e) => e.text).join('; ')}`);
  copyFileSync(join(WEB, 'index.html'), join(out, 'index.html'));
  copyFileSync(join(WEB, 'app.css'), join(out, 'app.css'));
  return ['index.html', 'app.js', 'app.css'];
}

// Silent on success, like tsc: `npm start` and the README's commands print only what netconfig prints.
if (process.argv[1] !== undefined && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  await buildWeb(process.argv[2] === undefined ? undefined : resolve(process.argv[2]));
}
