import { readFileSync, readdirSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

/**
 * The layers (DESIGN.md): cli → netadapter, inf, regfile → registry → hive, node → hive. Lower
 * layers never import higher ones, and nothing in the core imports node:* (it runs in browsers).
 */
const SRC = fileURLToPath(new URL('../src/', import.meta.url));
const ORDER = ['hive', 'registry', 'netadapter', 'regfile', 'inf', 'node', 'cli'];
const ALLOWED: Record<string, string[]> = {
  hive: ['hive'],
  registry: ['hive', 'registry'],
  netadapter: ['hive', 'registry', 'netadapter'],
  regfile: ['hive', 'registry', 'regfile'],
  inf: ['hive', 'registry', 'inf'],
  node: ['hive', 'node'],
  cli: ORDER,
};
const CORE = new Set(['hive', 'registry', 'netadapter', 'regfile', 'inf']);

function sources(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    return statSync(path).isDirectory() ? sources(path) : path.endsWith('.ts') ? [path] : [];
  });
}

describe('layering', () => {
  it('lower layers never import higher ones; the core never imports node:*', () => {
    const breaches: string[] = [];
    for (const file of sources(SRC)) {
      const layer = relative(SRC, file).split('/')[0]!;
      if (!(layer in ALLOWED)) continue;
      const text = readFileSync(file, 'utf8');
      for (const match of text.matchAll(/(?:from|import)\s*\(?\s*['"]([^'"]+)['"]/g)) {
        const target = match[1]!;
        if (target.startsWith('node:') || /^(fs|path|os|child_process|crypto)$/.test(target)) {
          if (CORE.has(layer)) breaches.push(`${relative(SRC, file)} imports ${target}`);
          continue;
        }
        if (!target.startsWith('.')) continue;
        const resolved = relative(SRC, join(file, '..', target)).split('/')[0]!;
        if (ORDER.includes(resolved) && !ALLOWED[layer]!.includes(resolved)) breaches.push(`${relative(SRC, file)} (${layer}) imports ${target} (${resolved})`);
      }
    }
    expect(breaches).toEqual([]);
  });
});
