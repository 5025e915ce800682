#!/usr/bin/env node
/**
 * The `netconfig` command as installed (package.json `bin`): runs the one-file bundle of the CLI
 * (dist/cli/netconfig.cjs, built by esbuild from main.ts) with a V8 code cache.
 *
 * Why: a cold `netconfig reg query` was 1.9× a bare `node -e 0`; a third of that was loading ~60 ES
 * modules and another part compiling them (issue 10). One CommonJS file skips the ESM loader's
 * per-module resolution, and the code cache skips parsing and compiling: V8 accepts cached data
 * made by the same V8 version and flags for the same source, and rejects anything else (then the
 * bundle is compiled as usual and the cache rewritten). Node ≥ 22.1 has `module.enableCompileCache`,
 * Node 20 has not; `vm.Script`'s `cachedData` works on both.
 *
 * The cache lives in the OS temporary folder, one file per Node version, bundle and command word
 * (`reg`, `dump` …: V8 caches the functions a run has compiled, so each command gets its own), in a
 * folder only this user may write (checked before reading; otherwise there is no cache).
 * NODE_DISABLE_COMPILE_CACHE=1 (Node's own switch) turns it off.
 */
import fs = require('node:fs');
import os = require('node:os');
import path = require('node:path');
import vm = require('node:vm');

const bundle = path.join(__dirname, 'netconfig.cjs');
const COMMANDS = new Set(['reg', 'dump', 'stat', 'check', 'create', 'recover', 'inf', 'adapter', 'batch', 'web']);

/** A folder for the cache that only this user can write, or undefined (then no cache is used). */
function cacheFolder(): string | undefined {
  if (process.env.NODE_DISABLE_COMPILE_CACHE !== undefined && process.env.NODE_DISABLE_COMPILE_CACHE !== '') return undefined;
  try {
    const uid = typeof process.getuid === 'function' ? process.getuid() : undefined;
    const folder = path.join(os.tmpdir(), `netconfig-compile-cache${uid === undefined ? '' : `-${uid}`}`);
    fs.mkdirSync(folder, { recursive: true, mode: 0o700 });
    const stat = fs.lstatSync(folder);
    // Someone else's folder, one others may write into, or a symbolic link (planted in the shared
    // temporary folder) could hold planted code: not used.
    if (!stat.isDirectory() || (uid !== undefined && stat.uid !== uid) || (process.platform !== 'win32' && (stat.mode & 0o022) !== 0)) return undefined;
    return folder;
  } catch {
    return undefined;
  }
}

function run(): void {
  let source = fs.readFileSync(bundle, 'utf8');
  // The bundle keeps main.ts's #! line; inside the wrapper it must be a comment (same line numbers).
  if (source.startsWith('#!')) source = `//${source.slice(2)}`;
  const folder = cacheFolder();
  let cacheFile: string | undefined;
  let cachedData: Buffer | undefined;
  if (folder !== undefined) {
    const stat = fs.statSync(bundle);
    const word = process.argv[2] ?? '';
    const command = COMMANDS.has(word) ? word : 'other';
    cacheFile = path.join(folder, `${process.version}-${process.arch}-${stat.size}-${Math.trunc(stat.mtimeMs)}-${command}.v8`);
    try {
      cachedData = fs.readFileSync(cacheFile);
    } catch {
      cachedData = undefined;
    }
  }
  const script = new vm.Script(`(function (exports, require, module, __filename, __dirname) {${source}\n})`, { filename: bundle, cachedData });
  const wrapper = script.runInThisContext() as (exports: object, require: NodeJS.Require, module: object, filename: string, dirname: string) => void;
  const loaded = { exports: {} as { main?: (argv: string[]) => number } };
  wrapper(loaded.exports, require, loaded, bundle, __dirname);
  const main = loaded.exports.main;
  if (main === undefined) throw new Error(`${bundle} does not export main()`);
  process.exitCode = main(process.argv.slice(2));
  if (cacheFile !== undefined && (cachedData === undefined || script.cachedDataRejected === true)) {
    // Made after the run, so it holds every function this command compiled. Written under a
    // temporary name and renamed: a concurrent run reads the old file or the new one, never half.
    try {
      const temporary = `${cacheFile}.${process.pid}.tmp`;
      fs.writeFileSync(temporary, script.createCachedData(), { mode: 0o600 });
      fs.renameSync(temporary, cacheFile);
    } catch {
      // A cache that cannot be written only costs speed.
    }
  }
}

run();
