import { Hive } from '../hive/index.js';
import type { KeyNode } from '../hive/index.js';
import { RegDecodeProblem, RegDecoder, decodeRegBytes, detectRegEncoding } from './decode.js';
import type { RegEncoding } from './decode.js';
import { keyAtPath } from '../registry/index.js';
import { RegFileSyntaxError, hivePathOf } from './parse.js';
import type { ParsedRegFile, RegOperation } from './parse.js';

/**
 * Applying parsed .reg operations to hives. Routing is the caller's: each operation carries the key path as
 * written (`keyPath`), and `resolve` says which hive root and which path under it that is — so one file may
 * touch several mounted hives, and the caller, who holds copies of them, decides when to commit (all or
 * nothing across hives stays the caller's job).
 */

/**
 * An operation of a .reg file that cannot be applied: a deletion of a hive's root key (REG_DELETE_ROOT) or a key path that cannot be routed to a hive, e.g. one naming no root key (REG_NOT_ROUTED), with the key path and line.
 */
export class RegImportError extends Error {
  constructor(
    readonly code: 'REG_DELETE_ROOT' | 'REG_NOT_ROUTED',
    readonly keyPath: string,
    readonly line: number,
    message: string,
  ) {
    super(message);
    this.name = 'RegImportError';
  }
}

/** Counts of what an import did: keys created or opened, keys deleted, values set and values deleted. */
export interface ImportSummary {
  keysCreatedOrOpened: number;
  keysDeleted: number;
  valuesSet: number;
  valuesDeleted: number;
}

/** Where a key path lands: a hive's root key and the path of names under it ([] is the root itself). */
export interface RegTarget {
  root: KeyNode;
  path: string[];
}

/**
 * Applies operations in order, each to the hive `resolve` names for its key path. `resolve` is called once per
 * [key] line (values under it reuse the answer) and may throw to refuse a path (outside every mount, say).
 * Deleting a key that resolves to a hive's root (`[-HKEY_LOCAL_MACHINE\SYSTEM]` on the SYSTEM hive) throws:
 * a hive cannot lose its root, and regedit refuses too (regproc.c delete_registry_key: "cannot delete" for a
 * path with no subkey part). Deleting a missing key or value is not an error (regedit ignores it).
 * @throws {RegImportError} code REG_DELETE_ROOT; whatever `resolve` or the hive throws (a name too long, …)
 */
export function applyRegOperations(
  operations: Iterable<RegOperation>,
  resolve: (keyPath: string, line: number) => RegTarget,
  onProgress?: (operationsDone: number) => void,
): ImportSummary {
  const summary: ImportSummary = { keysCreatedOrOpened: 0, keysDeleted: 0, valuesSet: 0, valuesDeleted: 0 };
  // The key opened for the last [key] line: its values follow it and reuse it.
  let cachedKeyPath: string | undefined;
  let cachedKey: KeyNode | undefined;
  let done = 0;
  for (const operation of operations) {
    if (onProgress !== undefined && ++done % 1000 === 0) onProgress(done);
    switch (operation.kind) {
      case 'key': {
        const target = resolve(operation.keyPath, operation.line);
        cachedKey = keyAtPath(target.root, target.path, true)!;
        cachedKeyPath = operation.keyPath;
        summary.keysCreatedOrOpened++;
        break;
      }
      case 'deleteKey': {
        cachedKeyPath = undefined;
        cachedKey = undefined;
        const target = resolve(operation.keyPath, operation.line);
        if (target.path.length === 0) {
          throw new RegImportError(
            'REG_DELETE_ROOT',
            operation.keyPath,
            operation.line,
            `line ${operation.line}: [-${operation.keyPath}] would delete the root key of a hive, which a hive cannot lose; delete its subkeys instead`,
          );
        }
        const parent = keyAtPath(target.root, target.path.slice(0, -1), false);
        const name = target.path[target.path.length - 1]!;
        if (parent?.subkey(name) !== undefined) {
          parent.deleteSubkey(name);
          summary.keysDeleted++;
        }
        break;
      }
      case 'value': {
        if (operation.keyPath !== cachedKeyPath || cachedKey === undefined) {
          const target = resolve(operation.keyPath, operation.line);
          cachedKey = keyAtPath(target.root, target.path, true)!;
          cachedKeyPath = operation.keyPath;
        }
        cachedKey.setValue(operation.name, operation.type, operation.data);
        summary.valuesSet++;
        break;
      }
      case 'deleteValue': {
        const target = resolve(operation.keyPath, operation.line);
        const key = keyAtPath(target.root, target.path, false);
        if (key?.value(operation.name) !== undefined) {
          key.deleteValue(operation.name);
          summary.valuesDeleted++;
        }
        break;
      }
    }
  }
  onProgress?.(done);
  return summary;
}

/**
 * Applies parsed operations to a copy of `hive`, every key path mapped by hivePathOf (the hive is what is
 * mounted at HKEY_xxx\MOUNT), and returns the copy: if any operation fails the error propagates and the
 * original hive is untouched — all or nothing.
 * @throws {RegImportError} REG_DELETE_ROOT for `[-HKEY_xxx\MOUNT]`
 */
export function applyRegFile(hive: Hive, parsed: ParsedRegFile, onProgress?: (operationsDone: number) => void): { hive: Hive; summary: ImportSummary } {
  const copy = Hive.open(hive.bytes.subarray(0, 4096 + hive.hiveBinsSize), { clock: hive.clock });
  const root = copy.root();
  const summary = applyRegOperations(
    parsed.operations,
    (keyPath, line) => {
      const path = hivePathOf(keyPath);
      if (path === undefined) throw new RegImportError('REG_NOT_ROUTED', keyPath, line, `line ${line}: "${keyPath}" names no root key`);
      return { root, path };
    },
    onProgress,
  );
  return { hive: copy, summary };
}

/**
 * Decodes .reg bytes held in memory: UTF-16LE/BE with or without BOM, UTF-8 with or without BOM, otherwise
 * Windows-1252 (decode.ts). `encoding` overrides the detection.
 * @throws {RegFileSyntaxError} naming `file`, the line and column, for an odd trailing byte of UTF-16 or
 *   invalid UTF-8 after a UTF-8 BOM or with encoding 'utf-8'
 */
export function decodeRegFile(bytes: Uint8Array, encoding?: RegEncoding, file = '<reg>'): string {
  try {
    return decodeRegBytes(bytes, encoding).text;
  } catch (error) {
    if (!(error instanceof RegDecodeProblem)) throw error;
    // Where the problem is, in lines: the text before it, read leniently.
    const before = new RegDecoder(encoding ?? detectRegEncoding([bytes]));
    let text: string;
    try {
      text = before.push(bytes.subarray(0, error.byteOffset));
    } catch {
      text = '';
    }
    const lines = text.split(/\r\n|\n|\r/);
    throw new RegFileSyntaxError(file, lines.length, lines[lines.length - 1]!.length + 1, `${error.reason} (byte offset ${error.byteOffset})`);
  }
}
