import { execFileSync, spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { CI } from './corpus.js';

/** The independent tools of ../shared/oracles (installed from Debian's packages by .ci/run). */
export const HIVEX_DUMP = fileURLToPath(new URL('../../../shared/oracles/hivex-dump.py', import.meta.url));

function has(command: string, args: string[]): boolean {
  return spawnSync(command, args, { stdio: 'ignore' }).error === undefined;
}

const present = {
  hivexDump: spawnSync('/usr/bin/python3', ['-c', 'import hivex'], { stdio: 'ignore' }).status === 0,
  hivexml: has('hivexml', ['--help']),
  hivexsh: has('hivexsh', ['--help']),
  regfexport: has('regfexport', ['-h']),
  reglookup: has('reglookup', ['-h']),
  reged: has('reged', ['-h']),
};

export type Oracle = keyof typeof present;

/** True when the tools are installed; without them tests skip — except under CI=true, where that fails. */
export function oraclesAvailable(...tools: Oracle[]): boolean {
  const missing = tools.filter((tool) => !present[tool]);
  if (missing.length === 0) return true;
  if (CI) throw new Error(`CI=true but oracle tools are missing: ${missing.join(', ')} (run bash ../shared/oracles/install.sh)`);
  console.warn(`skipping oracle tests: missing ${missing.join(', ')} (install with: bash ../shared/oracles/install.sh)`);
  return false;
}

export interface RunResult {
  status: number;
  stdout: string;
  stderr: string;
}

export function run(command: string, args: string[], env: Record<string, string> = {}): RunResult {
  const result = spawnSync(command, args, { encoding: 'utf8', maxBuffer: 1 << 30, env: { ...process.env, ...env } });
  return { status: result.status ?? -1, stdout: result.stdout ?? '', stderr: result.stderr ?? '' };
}

/** hivex's canonical dump (python3-hivex through ../shared/oracles/hivex-dump.py). */
export function hivexDump(path: string): RunResult {
  return run('/usr/bin/python3', [HIVEX_DUMP, path]);
}

/**
 * hivexml writes through libxml2 to the path "/dev/stdout", which cannot be opened when stdout is one
 * of Node's socketpair pipes (ENXIO), so its output goes to a file beside the hive.
 */
export function hivexml(path: string): RunResult {
  return run('sh', ['-c', 'hivexml "$1" > "$1.xml"', 'hivexml', path]);
}

export function regfexport(path: string): RunResult {
  return run('regfexport', [path]);
}

export function reglookup(path: string): RunResult {
  return run('reglookup', ['-i', '-s', path]);
}

export { execFileSync };
