import { spawnSync } from 'node:child_process';
import { cpSync, existsSync, mkdirSync, mkdtempSync, readFileSync, readdirSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

/**
 * The package as a user gets it: `npm pack` (whose prepack cleans dist/ and builds), the tarball
 * installed into an empty folder, its bin run through npx and every `exports` subpath imported from
 * there. Packing happens in a scratch copy of the project: prepack deletes dist/, which the other
 * test files run the CLI from.
 */
const ROOT = fileURLToPath(new URL('../', import.meta.url));
const MANIFEST = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')) as {
  name: string;
  version: string;
  exports: Record<string, string | { types: string; default: string }>;
  bin: Record<string, string>;
  dependencies?: Record<string, string>;
};
const SUBPATHS = Object.keys(MANIFEST.exports).filter((subpath) => subpath !== './package.json');
const specifier = (subpath: string): string => (subpath === '.' ? MANIFEST.name : `${MANIFEST.name}/${subpath.slice(2)}`);

/** Child processes get no npm_* variables from a surrounding `npm test`: they would steer npm (prefix, lifecycle). */
const ENV = Object.fromEntries(Object.entries(process.env).filter(([name]) => !/^npm_/i.test(name)));

function run(command: string, args: string[], cwd: string): { status: number; stdout: string; stderr: string } {
  const result = spawnSync(command, args, { cwd, env: ENV, encoding: 'utf8', timeout: 110_000 });
  return { status: result.status ?? -1, stdout: result.stdout ?? '', stderr: `${result.stderr ?? ''}${result.error?.message ?? ''}` };
}

let scratch = '';
let tarball = '';
let files: string[] = [];
let consumer = '';

beforeAll(() => {
  scratch = mkdtempSync(join(tmpdir(), 'netconfiguration-pack-'));
  const project = join(scratch, 'project');
  mkdirSync(project);
  for (const entry of ['src', 'web', 'package.json', 'tsconfig.json', 'tsconfig.build.json', 'README.md', 'LICENSE']) {
    cpSync(join(ROOT, entry), join(project, entry), { recursive: true });
  }
  symlinkSync(join(ROOT, 'node_modules'), join(project, 'node_modules'));
  // A file left in dist/ by a module that no longer exists: prepack must clean it away, not ship it.
  mkdirSync(join(project, 'dist'));
  writeFileSync(join(project, 'dist', 'removed-module.js'), 'export const stale = true;\n');

  const packed = run('npm', ['pack', '--silent', '--pack-destination', scratch], project);
  if (packed.status !== 0) throw new Error(`npm pack failed: ${packed.stderr}`);
  tarball = join(scratch, `${MANIFEST.name}-${MANIFEST.version}.tgz`);
  const listing = run('tar', ['-tzf', tarball], scratch);
  if (listing.status !== 0) throw new Error(`tar -t failed: ${listing.stderr}`);
  files = listing.stdout
    .split('\n')
    .filter((line) => line !== '')
    .map((line) => line.replace(/^package\//, ''))
    .sort();

  consumer = join(scratch, 'consumer');
  mkdirSync(consumer);
  writeFileSync(join(consumer, 'package.json'), `${JSON.stringify({ name: 'consumer', version: '1.0.0', private: true, type: 'module' })}\n`);
  // --offline: the package has no runtime dependencies, so installing it needs no registry.
  const installed = run('npm', ['install', '--offline', '--no-audit', '--no-fund', '--silent', tarball], consumer);
  if (installed.status !== 0) throw new Error(`npm install of the tarball failed: ${installed.stderr}`);
}, 120_000);

afterAll(() => {
  if (scratch !== '') rmSync(scratch, { recursive: true, force: true });
});

describe('npm pack', () => {
  it('ships the built dist (JS and .d.ts, no source maps, no CLI .d.ts), README, LICENSE and package.json only', () => {
    const unexpected = files.filter(
      (file) =>
        !['LICENSE', 'README.md', 'package.json'].includes(file) &&
        !(
          /^dist\/(?!cli\/|web\/).*\.(js|d\.ts)$/.test(file) ||
          /^dist\/cli\/[^/]+\.js$/.test(file) ||
          /^dist\/web\/(index\.html|app\.js|app\.css)$/.test(file)
        ),
    );
    expect(unexpected).toEqual([]);
    expect(files).not.toContain('dist/removed-module.js');
    // netconfig web serves the page built by prepack (web/build.mjs).
    for (const page of ['index.html', 'app.js', 'app.css']) expect(files).toContain(`dist/web/${page}`);
    expect(files.filter((file) => file.endsWith('.map'))).toEqual([]);
    expect(files.filter((file) => file.startsWith('dist/cli/') && file.endsWith('.d.ts'))).toEqual([]);
    // Every module of src/ is there, built: nothing forgotten by `files`.
    const sources = (dir: string): string[] =>
      readdirSync(join(ROOT, 'src', dir), { withFileTypes: true }).flatMap((entry) =>
        entry.isDirectory() ? sources(join(dir, entry.name)) : entry.name.endsWith('.ts') ? [join(dir, entry.name)] : [],
      );
    for (const source of sources('')) expect(files).toContain(`dist/${source.replace(/\.ts$/, '.js')}`);
  }, 120_000);

  it('has every file its exports and bin name', () => {
    expect(MANIFEST.dependencies ?? {}).toEqual({});
    for (const [subpath, target] of Object.entries(MANIFEST.exports)) {
      const targets = typeof target === 'string' ? [target] : [target.types, target.default];
      for (const path of targets) expect(files, subpath).toContain(path.replace(/^\.\//, ''));
    }
    for (const path of Object.values(MANIFEST.bin)) expect(files).toContain(path.replace(/^\.\//, ''));
  }, 120_000);
});

describe('the tarball installed into an empty folder', () => {
  it('runs `npx netconfig --help` (--no: never fetched from a registry)', () => {
    const help = run('npx', ['--no', '--', 'netconfig', '--help'], consumer);
    expect(help.status, help.stderr).toBe(0);
    expect(help.stdout).toMatch(/^netconfig — /);
    expect(existsSync(join(consumer, 'node_modules', MANIFEST.name, 'src'))).toBe(false);
  }, 120_000);

  it('imports every exports subpath; the root keeps the regf internals to ./hive', () => {
    const script = `
      const out = {};
      for (const specifier of ${JSON.stringify(SUBPATHS.map(specifier))}) out[specifier] = Object.keys(await import(specifier)).sort();
      console.log(JSON.stringify(out));
    `;
    const imported = run(process.execPath, ['--input-type=module', '-e', script], consumer);
    expect(imported.status, imported.stderr).toBe(0);
    const names = JSON.parse(imported.stdout) as Record<string, string[]>;
    expect(Object.keys(names).sort()).toEqual(SUBPATHS.map(specifier).sort());
    for (const [subpath, exported] of Object.entries(names)) expect(exported.length, subpath).toBeGreaterThan(0);
    const root = names[MANIFEST.name]!;
    const hive = names[`${MANIFEST.name}/hive`]!;
    for (const internal of ['marvin32', 'NIL', 'UPCASE', 'encodeLogFile', 'dirtyPages', 'baseBlockChecksum', 'readValueData']) {
      expect(root, internal).not.toContain(internal);
      expect(hive, internal).toContain(internal);
    }
    // What the README's library examples import from the root.
    for (const name of [
      'Hive',
      'ValueType',
      'encodeUtf16le',
      'Environment',
      'NetAdapter',
      'NetAdapterOpenConfiguration',
      'Registry',
      'openNetworkAdapter',
      'NT_SUCCESS',
      'statusName',
      'recoverHive',
      'exportRegFile',
      'parseRegFile',
    ]) {
      expect(root, name).toContain(name);
    }
    expect(names[`${MANIFEST.name}/node`]).toContain('HiveFile');
  }, 120_000);

  it('require()s every subpath too, on this Node (engines: require() of ESM needs 20.19 or 22.12)', () => {
    const script = `
      for (const specifier of ${JSON.stringify(SUBPATHS.map(specifier))}) if (Object.keys(require(specifier)).length === 0) throw new Error(specifier);
    `;
    const required = run(process.execPath, ['--no-warnings', '-e', script], consumer);
    expect(required.status, required.stderr).toBe(0);
  }, 120_000);
});
