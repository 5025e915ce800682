import { HiveFormatError, MAX_WALK_DEPTH, upcaseName } from '../hive/index.js';
import type { KeyNode } from '../hive/index.js';

/**
 * Whole-subtree operations for reg copy / save / restore / compare, each with an explicit stack (a
 * 100,000-deep chain must not overflow the JS stack) and a set of visited cells (a subkey list that
 * points back at an ancestor must end in a typed error, not loop).
 */

/**
 * The key at `components` below `root`, each name compared as the hive compares names; with `create`,
 * missing keys are created on the way. Undefined when a key is missing and not created.
 */
export function keyAtPath(root: KeyNode, components: readonly string[], create = false): KeyNode | undefined {
  let key: KeyNode | undefined = root;
  for (const part of components) {
    const next: KeyNode | undefined = key.subkey(part);
    key = next ?? (create ? key.addSubkey(part) : undefined);
    if (key === undefined) return undefined;
  }
  return key;
}

function guard(seen: Set<number>, key: KeyNode, depth: number): void {
  if (seen.has(key.cell))
    throw new HiveFormatError(
      `key at cell 0x${key.cell.toString(16)} is reached twice (a subkey list cycle or a shared key); the hive is damaged — run netconfig check`,
      key.cell,
    );
  if (depth > MAX_WALK_DEPTH)
    throw new HiveFormatError(
      `key tree deeper than ${MAX_WALK_DEPTH} levels at cell 0x${key.cell.toString(16)}; the hive is damaged — run netconfig check`,
      key.cell,
    );
  seen.add(key.cell);
}

/**
 * Copies `source`'s values (and with `recursive` its whole subtree) into `target`, creating missing
 * subkeys and overwriting values of the same name. The source subtree is listed before anything is
 * written, so copying a key into its own subtree copies the tree as it was.
 */
export function copyKeyTree(source: KeyNode, target: KeyNode, options: { recursive: boolean; classNames?: boolean }): number {
  const seen = new Set<number>();
  // Snapshot: (source key, path of names below `source`).
  const plan: { key: KeyNode; path: string[] }[] = [];
  const stack: { key: KeyNode; path: string[] }[] = [{ key: source, path: [] }];
  while (stack.length > 0) {
    const entry = stack.pop()!;
    guard(seen, entry.key, entry.path.length);
    plan.push(entry);
    if (!options.recursive) break;
    const children = entry.key.subkeys();
    for (let i = children.length - 1; i >= 0; i--) stack.push({ key: children[i]!, path: [...entry.path, children[i]!.name] });
  }
  const values = plan.map((entry) => entry.key.values().map((v) => ({ name: v.name, type: v.type, data: v.data().slice() })));
  const classNames = plan.map((entry) => (options.classNames ? entry.key.className : undefined));
  plan.forEach((entry, i) => {
    const key = keyAtPath(target, entry.path, true)!;
    for (const value of values[i]!) key.setValue(value.name, value.type, value.data);
    const className = classNames[i];
    if (className !== undefined) key.setClassName(className);
  });
  return plan.length;
}

/** Deletes every value and subkey of `key`, keeping the key itself. */
export function clearKey(key: KeyNode): void {
  for (const value of key.values()) key.deleteValue(value.name);
  for (const child of key.subkeys()) key.deleteSubkey(child.name);
}

/**
 * One difference (or, with `same`, one match) {@link compareTrees} reports between two key trees: a key or value at a path, and the keys on each side.
 */
export interface TreeDifference {
  /** Path below the compared keys ('' for the keys themselves). */
  path: string;
  kind: 'value' | 'key';
  name: string;
  left: KeyNode | undefined;
  right: KeyNode | undefined;
  same: boolean;
}

/**
 * Walks two trees side by side (keys and values matched by name as the hive matches them: Windows' upcase table) and reports every value and,
 * with `recursive`, every key present on one side only; `same` marks values equal in type and bytes.
 */
export function* compareTrees(left: KeyNode, right: KeyNode, options: { recursive: boolean; value?: string }): Generator<TreeDifference> {
  const seenLeft = new Set<number>();
  const seenRight = new Set<number>();
  const only = options.value === undefined ? undefined : upcaseName(options.value);
  const stack: { a: KeyNode; b: KeyNode; path: string; depth: number }[] = [{ a: left, b: right, path: '', depth: 0 }];
  while (stack.length > 0) {
    const { a, b, path, depth } = stack.pop()!;
    guard(seenLeft, a, depth);
    guard(seenRight, b, depth);
    const av = new Map(a.values().map((v) => [upcaseName(v.name), v]));
    const bv = new Map(b.values().map((v) => [upcaseName(v.name), v]));
    for (const name of new Set([...av.keys(), ...bv.keys()])) {
      if (only !== undefined && name !== only) continue;
      const p = av.get(name);
      const q = bv.get(name);
      const same = p !== undefined && q !== undefined && p.type === q.type && equalBytes(p.data(), q.data());
      yield { path, kind: 'value', name: (p ?? q)!.name, left: p === undefined ? undefined : a, right: q === undefined ? undefined : b, same };
    }
    if (!options.recursive || options.value !== undefined) continue;
    const ak = new Map(a.subkeys().map((k) => [upcaseName(k.name), k]));
    const bk = new Map(b.subkeys().map((k) => [upcaseName(k.name), k]));
    const pairs: { a: KeyNode; b: KeyNode; path: string; depth: number }[] = [];
    for (const name of new Set([...ak.keys(), ...bk.keys()])) {
      const p = ak.get(name);
      const q = bk.get(name);
      if (p === undefined || q === undefined) {
        yield { path, kind: 'key', name: (p ?? q)!.name, left: p, right: q, same: false };
        continue;
      }
      pairs.push({ a: p, b: q, path: `${path}\\${p.name}`, depth: depth + 1 });
    }
    for (let i = pairs.length - 1; i >= 0; i--) stack.push(pairs[i]!);
  }
}

function equalBytes(a: Uint8Array, b: Uint8Array): boolean {
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return false;
  return true;
}
