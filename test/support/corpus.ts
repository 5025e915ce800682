import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, readdirSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';

/** ../shared/corpus beside the checkout: real hives from public projects, never copied into this repo. */
export const CORPUS_DIR = fileURLToPath(new URL('../../../shared/corpus/', import.meta.url));
export const CI = process.env.CI === 'true';
export const corpusPresent = existsSync(CORPUS_DIR);

/**
 * Call at the top of a corpus-dependent test file. Without the corpus the tests are skipped with a
 * message — except under CI=true, where a missing corpus is itself a failure.
 */
export function corpusAvailable(): boolean {
  if (corpusPresent) return true;
  if (CI) throw new Error(`CI=true but the test corpus is missing at ${CORPUS_DIR}`);
  console.warn(`skipping corpus tests: ${CORPUS_DIR} not found (put ../shared beside the checkout)`);
  return false;
}

/** Every corpus file (README excluded), as paths relative to the corpus root, sorted. */
export function corpusFiles(): string[] {
  const out: string[] = [];
  const visit = (dir: string): void => {
    for (const name of readdirSync(dir)) {
      const path = join(dir, name);
      if (statSync(path).isDirectory()) visit(path);
      else if (name !== 'README.md') out.push(relative(CORPUS_DIR, path));
    }
  };
  if (corpusPresent) visit(CORPUS_DIR);
  return out.sort();
}

const CACHE = join(tmpdir(), 'netconfiguration-corpus');

/** Path of a corpus file ready to read: `.xz` files are decompressed once into a temporary cache. */
export function corpusPath(name: string): string {
  const source = join(CORPUS_DIR, name);
  if (!name.endsWith('.xz')) return source;
  mkdirSync(CACHE, { recursive: true });
  const target = join(CACHE, name.slice(0, -3).replaceAll('/', '__'));
  if (!existsSync(target)) {
    const temporary = `${target}.${process.pid}.tmp`;
    writeFileSync(temporary, execFileSync('xz', ['-dc', source], { maxBuffer: 1 << 30 }));
    execFileSync('mv', [temporary, target]);
  }
  return target;
}

export function readCorpus(name: string): Uint8Array {
  return new Uint8Array(readFileSync(corpusPath(name)));
}

/** ../shared/inf-corpus beside the checkout: real INF files from public repositories (its README lists them). */
export const INF_CORPUS_DIR = fileURLToPath(new URL('../../../shared/inf-corpus/', import.meta.url));

/** Like corpusAvailable, for the INF corpus: skipped with a message when absent, a failure under CI=true. */
export function infCorpusAvailable(): boolean {
  if (existsSync(INF_CORPUS_DIR)) return true;
  if (CI) throw new Error(`CI=true but the INF corpus is missing at ${INF_CORPUS_DIR}`);
  console.warn(`skipping INF corpus tests: ${INF_CORPUS_DIR} not found (put ../shared beside the checkout)`);
  return false;
}
