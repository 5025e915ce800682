import { spawnSync } from 'node:child_process';
import { cpSync, existsSync, mkdirSync, mkdtempSync, readFileSync, readdirSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { shellCommands } from './support/readme.js';

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
  it('ships the built dist (JS and .d.ts, no source maps, no CLI .d.ts; the CLI bundle and its bin), README, LICENSE and package.json only', () => {
    const unexpected = files.filter(
      (file) =>
        !['LICENSE', 'README.md', 'package.json'].includes(file) &&
        !(
          /^dist\/(?!cli\/|web\/).*\.(js|d\.ts)$/.test(file) ||
          /^dist\/cli\/[^/]+\.c?js$/.test(file) ||
          /^dist\/web\/(index\.html|app\.js|app\.css)$/.test(file)
        ),
    );
    expect(unexpected).toEqual([]);
    expect(files).not.toContain('dist/removed-module.js');
    // netconfig web serves the page built by prepack (web/build.mjs).
    for (const page of ['index.html', 'app.js', 'app.css']) expect(files).toContain(`dist/web/${page}`);
    expect(files.filter((file) => file.endsWith('.map'))).toEqual([]);
    expect(files.filter((file) => file.startsWith('dist/cli/') && /\.d\.c?ts$/.test(file))).toEqual([]);
    expect(files).toContain('dist/cli/netconfig.cjs');
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

/**
 * The README's code as a user meets it: its TypeScript blocks typechecked (strict, DOM and Node types)
 * against the installed tarball, the Node ones run there, and its Install block run with the package
 * name swapped for the tarball (nothing is fetched from a registry).
 */
describe('the README, against the installed tarball', () => {
  const README = readFileSync(join(ROOT, 'README.md'), 'utf8');
  const allBlocks = [...README.matchAll(/```ts\n([\s\S]*?)```/g)].map((match) => match[1]!);
  // Whole programs start with their imports. The one block without (the line-by-line port under
  // "Porting C code", which names its imports in prose) is typechecked and run by test/readme-porting.test.ts.
  const blocks = allBlocks.filter((code) => /^import /.test(code));
  const portingSection = /## Porting C code\n([\s\S]*?)\n## /.exec(README)?.[1] ?? '';

  it('leaves no TypeScript block unchecked', () => {
    for (const code of allBlocks.filter((block) => !blocks.includes(block))) expect(portingSection).toContain(code);
  });

  it('has its install block first: npm install, then npx netconfig --help', () => {
    const commands = shellCommands(/## Install\n([\s\S]*)/.exec(README)![1]!);
    expect(commands).toEqual(['npm install netconfiguration', 'npx netconfig --help']);
    const folder = join(scratch, 'readme-install');
    mkdirSync(folder);
    writeFileSync(join(folder, 'package.json'), `${JSON.stringify({ name: 'readme-install', version: '1.0.0', private: true })}\n`);
    const installed = run('npm', ['install', '--offline', '--no-audit', '--no-fund', '--silent', tarball], folder);
    expect(installed.status, installed.stderr).toBe(0);
    const help = run('npx', ['--no', '--', 'netconfig', '--help'], folder);
    expect(help.status, help.stderr).toBe(0);
    expect(help.stdout).toMatch(/^netconfig — /);
  }, 120_000);

  it('typechecks every TypeScript block as written (strict)', () => {
    expect(blocks.length).toBeGreaterThanOrEqual(3);
    const dir = join(consumer, 'readme');
    mkdirSync(dir, { recursive: true });
    blocks.forEach((code, index) => writeFileSync(join(dir, `block${index}.ts`), code));
    writeFileSync(
      join(dir, 'tsconfig.json'),
      JSON.stringify({
        compilerOptions: {
          target: 'ES2022',
          module: 'NodeNext',
          moduleResolution: 'NodeNext',
          lib: ['ES2022', 'DOM'],
          strict: true,
          noUncheckedIndexedAccess: true,
          noEmit: true,
          skipLibCheck: false,
          typeRoots: [join(ROOT, 'node_modules/@types')],
          types: ['node'],
          // Each block is a script of its own: top-level names may repeat across blocks.
          moduleDetection: 'force',
        },
        include: ['*.ts'],
      }),
    );
    const checked = run(process.execPath, [join(ROOT, 'node_modules/typescript/bin/tsc'), '-p', dir], dir);
    expect(checked.stdout + checked.stderr).toBe('');
    expect(checked.status).toBe(0);
  }, 120_000);

  it('runs the Node blocks as written, on a SYSTEM hive with one adapter', async () => {
    const { transformSync } = await import('esbuild');
    const { createDefaultHive } = await import('../src/cli/default-hive.js');
    const dir = join(consumer, 'readme-run');
    mkdirSync(dir, { recursive: true });
    const nodeBlocks = blocks.filter((code) => !code.includes('document.'));
    expect(nodeBlocks.length).toBeGreaterThanOrEqual(2);
    const outputs = nodeBlocks.map((code, index) => {
      writeFileSync(join(dir, 'SYSTEM'), createDefaultHive().serialize());
      writeFileSync(join(dir, `block${index}.mjs`), transformSync(code, { loader: 'ts', format: 'esm' }).code);
      const result = run(process.execPath, [`block${index}.mjs`], dir);
      expect(result.status, `README block ${index}: ${result.stderr}`).toBe(0);
      return result.stdout;
    });
    // The library example lists the default hive's adapter; the C-shaped one reads back what it assigned.
    expect(outputs.join('')).toMatch(/^0000 /m);
    expect(outputs.join('')).toMatch(/^9014 false STATUS_UNSUCCESSFUL\n0\n/m);
  }, 120_000);
});
