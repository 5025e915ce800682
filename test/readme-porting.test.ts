import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import ts from 'typescript';
import { describe, expect, it } from 'vitest';

/**
 * The README's "Porting C code" guide: the C fragment and its TypeScript port correspond line by line
 * (same lines, same API names on each), the port typechecks against the library as written, and it runs.
 */
const ROOT = fileURLToPath(new URL('../', import.meta.url));
const README = readFileSync(new URL('../README.md', import.meta.url), 'utf8');

function section(): string {
  const start = README.indexOf('## Porting C code\n');
  expect(start, 'README has a "## Porting C code" section').toBeGreaterThan(-1);
  const end = README.indexOf('\n## ', start + 1);
  return README.slice(start, end === -1 ? undefined : end);
}

function block(text: string, language: 'c' | 'ts'): string {
  const match = new RegExp(`\`\`\`${language}\\n([\\s\\S]*?)\`\`\``).exec(text);
  expect(match, `a \`\`\`${language} block`).not.toBeNull();
  return match![1]!;
}

/** The library names a line uses: NetAdapterCx, KMDF and Rtl calls, their constants and macros. */
function apiNames(line: string): string[] {
  const names =
    line.match(/\b(?:Net[A-Z]\w*|Wdf[A-Z]\w*|Rtl[A-Z]\w*|WDF_[A-Z_]+|NET_[A-Z_]+|NT_SUCCESS|RTL_CONSTANT_STRING|DECLARE_CONST_UNICODE_STRING)\b/g) ?? [];
  // DECLARE_CONST_UNICODE_STRING(n, L"x") declares a variable; TypeScript writes const n = RTL_CONSTANT_STRING('x').
  return names.map((n) => (n === 'DECLARE_CONST_UNICODE_STRING' ? 'RTL_CONSTANT_STRING' : n));
}

/** The import statements the section's prose gives, pointed at the sources. */
function imports(text: string, from: string): string {
  const statements = text.match(/import (?:type )?\{[^}]*\} from\s+'netconfiguration';/g) ?? [];
  expect(statements.length, 'the prose shows the imports').toBe(2);
  return statements.map((s) => s.replace(/\s+/g, ' ').replace("'netconfiguration'", `'${from}'`)).join('\n');
}

describe('README: porting C code', () => {
  it('the C fragment and its port correspond line by line', () => {
    const c = block(section(), 'c').split('\n');
    const port = block(section(), 'ts').split('\n');
    expect(port.length).toBe(c.length);
    for (let i = 0; i < c.length; i++) expect(apiNames(port[i]!), `line ${i + 1}: ${c[i]}`).toEqual(apiNames(c[i]!));
    // The fragment is the one on Microsoft's page: its calls, in its order.
    expect(c.flatMap(apiNames).filter((n) => /^Net(Adapter|Device|Configuration)[A-Z]/.test(n))).toEqual([
      'NetAdapterOpenConfiguration',
      'NetConfigurationQueryUlong',
      'NetConfigurationClose',
      'NetDeviceOpenConfiguration',
      'NetConfigurationQueryMultiString',
    ]);
  });

  it('the port typechecks as written against the library', () => {
    const file = `${ROOT}test/__readme_port__.ts`;
    const text = `${imports(section(), '../src/index.js')}\n${block(section(), 'ts')}\nexport { ReadConfiguration };\n`;
    const options: ts.CompilerOptions = {
      target: ts.ScriptTarget.ES2022,
      module: ts.ModuleKind.NodeNext,
      moduleResolution: ts.ModuleResolutionKind.NodeNext,
      strict: true,
      noUncheckedIndexedAccess: true,
      verbatimModuleSyntax: true,
      noEmit: true,
      skipLibCheck: true,
      types: [],
    };
    const host = ts.createCompilerHost(options);
    const getSourceFile = host.getSourceFile.bind(host);
    host.getSourceFile = (name, version, ...rest) =>
      name === file ? ts.createSourceFile(name, text, ts.ScriptTarget.ES2022, true) : getSourceFile(name, version, ...rest);
    const fileExists = host.fileExists.bind(host);
    host.fileExists = (name) => name === file || fileExists(name);
    const program = ts.createProgram([file], options, host);
    const problems = ts
      .getPreEmitDiagnostics(program, program.getSourceFile(file))
      .map((d) => `${d.start ?? ''}: ${ts.flattenDiagnosticMessageText(d.messageText, '\n')}`);
    expect(problems).toEqual([]);
  }, 60_000);

  it('the port runs: it reads *JumboPacket through the adapter and ExampleValueName through the device', async () => {
    const library = await import('../src/index.js');
    const {
      Hive,
      Environment,
      NetAdapter,
      WdfDevice,
      WdfBindDriverGlobals,
      WdfCollection,
      WdfString,
      ValueType,
      addNetworkAdapter,
      encodeMultiString,
      encodeString,
    } = library;
    const js = ts.transpileModule(block(section(), 'ts'), { compilerOptions: { target: ts.ScriptTarget.ES2022, module: ts.ModuleKind.None } }).outputText;
    const run = (values: Record<string, { type: number; data: Uint8Array }>) => {
      const key = addNetworkAdapter(Hive.create(), { description: 'Port', netCfgInstanceId: '{p}', componentId: 'c' });
      for (const [name, value] of Object.entries(values)) key.setValue(name, value);
      const environment = new Environment();
      const seen: unknown[] = [];
      const scope: Record<string, unknown> = { ...library };
      scope.NetConfigurationQueryUlong = (...args: Parameters<typeof library.NetConfigurationQueryUlong>) => {
        const status = library.NetConfigurationQueryUlong(...args);
        seen.push(['QueryUlong', status, args[3].value]);
        return status;
      };
      const ReadConfiguration = new Function(...Object.keys(scope), `${js}\nreturn ReadConfiguration;`)(...Object.values(scope));
      const previous = WdfBindDriverGlobals(environment);
      try {
        const status = ReadConfiguration(new NetAdapter(environment, key), new WdfDevice(environment, key)) as number;
        const collections = environment.driver.childObjects().filter((o): o is InstanceType<typeof WdfCollection> => o instanceof WdfCollection);
        const strings = collections.flatMap((c) => c.items.map((item) => (item as InstanceType<typeof WdfString>).value));
        return { status, seen, strings };
      } finally {
        WdfBindDriverGlobals(previous);
      }
    };
    const full = run({
      '*JumboPacket': { type: ValueType.REG_SZ, data: encodeString('9014') },
      ExampleValueName: { type: ValueType.REG_MULTI_SZ, data: encodeMultiString(['first', 'second']) },
    });
    expect(full).toEqual({ status: 0, seen: [['QueryUlong', 0, 9014]], strings: ['first', 'second'] });
    const missing = run({});
    expect(missing.status < 0).toBe(true);
    expect(library.formatNtStatus(missing.status)).toBe('0xC0000034');
    expect(missing.seen).toEqual([['QueryUlong', library.STATUS_OBJECT_NAME_NOT_FOUND, 0]]);
  });
});
