import { vi } from 'vitest';
import { main } from '../../src/cli/main.js';
import type { Run } from './cli.js';

/** main() in process (where coverage and a debugger see it), its stdout and stderr captured. */
export function runMain(...argv: string[]): Run {
  let stdout = '';
  let stderr = '';
  const out = vi.spyOn(process.stdout, 'write').mockImplementation((chunk: string | Uint8Array) => ((stdout += String(chunk)), true));
  const err = vi.spyOn(process.stderr, 'write').mockImplementation((chunk: string | Uint8Array) => ((stderr += String(chunk)), true));
  try {
    return { status: main(argv), stdout, stderr };
  } finally {
    out.mockRestore();
    err.mockRestore();
  }
}
