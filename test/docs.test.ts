// Every export that package.json `exports` publishes carries a TSDoc comment (issue 11, item 3).
// One ts.Program over all barrels; each exported symbol is followed through re-exports/aliases to
// its declarations, and counts as documented when one of them has its own leading `/** ... */` block.
import { describe, expect, it } from 'vitest';
import { readFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import ts from 'typescript';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '..');

/** Subpath → source barrel, derived from package.json `exports` (dist/X.d.ts → src/X.ts). */
function entryPoints(): Map<string, string> {
  const pkg = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')) as {
    exports: Record<string, string | { types?: string }>;
  };
  const out = new Map<string, string>();
  for (const [subpath, target] of Object.entries(pkg.exports)) {
    if (typeof target === 'string' || target.types === undefined) continue;
    out.set(subpath, join(root, target.types.replace(/^\.\/dist\//, 'src/').replace(/\.d\.ts$/, '.ts')));
  }
  return out;
}

/**
 * Whether the declaration has its own non-empty `/** … *\/` block: the last doc block before it,
 * separated from it by no blank line. The blank-line rule keeps a file's header comment from counting
 * as the doc of the file's first export (the checker would attach it; typedoc would show it).
 */
function hasOwnDocBlock(decl: ts.Declaration): boolean {
  // A variable's comment sits before its statement, not before the declarator.
  let node: ts.Node = decl;
  if (ts.isVariableDeclaration(node)) node = node.parent.parent;
  const sf = node.getSourceFile();
  const ranges = (ts.getLeadingCommentRanges(sf.text, node.getFullStart()) ?? []).filter((r) => sf.text.startsWith('/**', r.pos));
  const last = ranges[ranges.length - 1];
  if (last === undefined) return false;
  if (/\n[ \t]*\r?\n/.test(sf.text.slice(last.end, node.getStart()))) return false;
  const body = sf.text.slice(last.pos + 3, last.end - 2).replace(/^\s*\*/gm, '');
  return body.trim() !== '';
}

function undocumented(): Map<string, { total: number; missing: string[] }> {
  const entries = entryPoints();
  const program = ts.createProgram([...entries.values()], {
    target: ts.ScriptTarget.ES2022,
    module: ts.ModuleKind.NodeNext,
    moduleResolution: ts.ModuleResolutionKind.NodeNext,
    strict: true,
    noEmit: true,
    skipLibCheck: true,
    types: [],
  });
  const checker = program.getTypeChecker();
  const result = new Map<string, { total: number; missing: string[] }>();
  for (const [subpath, file] of entries) {
    const sf = program.getSourceFile(file);
    if (sf === undefined) throw new Error(`${subpath}: ${file} is not in the program`);
    const moduleSymbol = checker.getSymbolAtLocation(sf);
    if (moduleSymbol === undefined) throw new Error(`${subpath}: ${file} has no module symbol`);
    const exports = checker.getExportsOfModule(moduleSymbol);
    const missing: string[] = [];
    for (const exported of exports) {
      const symbol = exported.flags & ts.SymbolFlags.Alias ? checker.getAliasedSymbol(exported) : exported;
      const decls = symbol.getDeclarations() ?? [];
      if (decls.some(hasOwnDocBlock)) continue;
      const decl = decls[0];
      const where = decl === undefined ? '?' : `${decl.getSourceFile().fileName.slice(root.length + 1)}`;
      missing.push(`${exported.getName()} (${where})`);
    }
    result.set(subpath, { total: exports.length, missing: missing.sort() });
  }
  return result;
}

describe('API docs', () => {
  it('every published export has a TSDoc comment', () => {
    const report = undocumented();
    expect(report.size).toBeGreaterThanOrEqual(7);
    const failures: string[] = [];
    for (const [subpath, { total, missing }] of report) {
      expect(total, `${subpath} exports nothing`).toBeGreaterThan(0);
      if (missing.length > 0) failures.push(`${subpath}: ${missing.length}/${total} undocumented:\n  ${missing.join('\n  ')}`);
    }
    expect(failures, failures.join('\n')).toEqual([]);
  }, 30_000);
});

describe('typedoc', () => {
  it('generates the API docs with no warning: every type a public signature names is exported and documented', async () => {
    const { spawnSync } = await import('node:child_process');
    const result = spawnSync(process.execPath, [join(root, 'node_modules/typedoc/bin/typedoc'), '--treatWarningsAsErrors', '--emit', 'none'], {
      cwd: root,
      encoding: 'utf8',
      timeout: 110_000,
    });
    expect(`${result.stdout}${result.stderr}`).not.toMatch(/warning|error/i);
    expect(result.status).toBe(0);
  }, 120_000);
});
