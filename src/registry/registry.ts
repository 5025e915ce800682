import { HiveNameError, MAX_KEY_NAME_LENGTH, MAX_VALUE_NAME_LENGTH, NIL, ValueRecord, findValue } from '../hive/index.js';
import type { Hive, KeyNode } from '../hive/index.js';
import { NtStatusError, STATUS_INVALID_PARAMETER, STATUS_OBJECT_NAME_INVALID, STATUS_OBJECT_NAME_NOT_FOUND } from './ntstatus.js';
import type { RegistryValue } from './values.js';

/** Key tree depth below a hive root that Windows allows (regf.md §9). */
export const MAX_KEY_DEPTH = 512;

/**
 * The registry on top of one hive: keys by backslash path (case-insensitive through the Windows upcase
 * table, as the hive layer compares), values with their types and exact bytes, and the limits Windows
 * enforces, reported as NTSTATUS.
 *
 * Where the reference is silent, the statuses are what the Windows registry itself returns for the same
 * request: a missing key or value is STATUS_OBJECT_NAME_NOT_FOUND; a key-name component longer than 255
 * characters and a value name longer than 16,383 characters are STATUS_INVALID_PARAMETER (documented
 * registry element limits; NtCreateKey rejects the UNICODE_STRING); an empty component or one holding a
 * backslash is STATUS_OBJECT_NAME_INVALID; a path deeper than 512 levels is STATUS_INVALID_PARAMETER.
 */
export class Registry {
  constructor(readonly hive: Hive) {}

  /** The root key of the hive. */
  root(): RegistryKey {
    return new RegistryKey(this, this.hive.root(), '');
  }

  /** @throws {NtStatusError} STATUS_OBJECT_NAME_NOT_FOUND, STATUS_INVALID_PARAMETER, STATUS_OBJECT_NAME_INVALID */
  openKey(path: string): RegistryKey {
    return this.root().openSubkey(path);
  }

  /** Opens or creates every component of `path`. */
  createKey(path: string): RegistryKey {
    return this.root().createSubkey(path);
  }
}

/**
 * Splits a registry path at backslashes into its components, dropping empty ones (from leading, doubled or trailing backslashes).
 */
export function splitPath(path: string): string[] {
  return path.split('\\').filter((part) => part !== '');
}

function checkComponent(name: string, path: string): void {
  if (name.length > MAX_KEY_NAME_LENGTH)
    throw new NtStatusError(STATUS_INVALID_PARAMETER, `key name of ${name.length} characters (at most ${MAX_KEY_NAME_LENGTH})`, path);
}

/**
 * A key of a {@link Registry}, addressed by its path from the hive root; its methods report failures as the NTSTATUS Windows would return.
 * @throws {NtStatusError} from methods that open, create, query or delete (e.g. STATUS_OBJECT_NAME_NOT_FOUND).
 */
export class RegistryKey {
  constructor(
    readonly registry: Registry,
    readonly node: KeyNode,
    /** Path from the hive root, components joined by `\`. */
    readonly path: string,
  ) {}

  get name(): string {
    return this.node.name;
  }

  private childPath(name: string): string {
    return this.path === '' ? name : `${this.path}\\${name}`;
  }

  private depth(): number {
    return splitPath(this.path).length;
  }

  /**
   * Opens a key below this one by a relative path (backslash-separated).
   * @throws {NtStatusError} STATUS_OBJECT_NAME_NOT_FOUND when a component is missing, STATUS_INVALID_PARAMETER for a component name that is too long.
   */
  openSubkey(relative: string): RegistryKey {
    let key: RegistryKey = this;
    for (const part of splitPath(relative)) {
      checkComponent(part, key.childPath(part));
      const node = key.node.subkey(part);
      if (node === undefined) throw new NtStatusError(STATUS_OBJECT_NAME_NOT_FOUND, `no key "${part}" under "${key.path || '\\'}"`, key.childPath(part));
      key = new RegistryKey(this.registry, node, key.childPath(node.name));
    }
    return key;
  }

  /**
   * Opens a key below this one by a relative path, creating each missing component.
   * @throws {NtStatusError} STATUS_INVALID_PARAMETER (a name too long, or keys nested too deep), STATUS_OBJECT_NAME_INVALID (a name the hive refuses).
   */
  createSubkey(relative: string): RegistryKey {
    let key: RegistryKey = this;
    for (const part of splitPath(relative)) {
      checkComponent(part, key.childPath(part));
      let node = key.node.subkey(part);
      if (node === undefined) {
        if (key.depth() + 1 > MAX_KEY_DEPTH)
          throw new NtStatusError(STATUS_INVALID_PARAMETER, `keys nest at most ${MAX_KEY_DEPTH} levels deep`, key.childPath(part));
        try {
          node = key.node.addSubkey(part);
        } catch (error) {
          if (error instanceof HiveNameError) throw new NtStatusError(STATUS_OBJECT_NAME_INVALID, error.message, key.childPath(part));
          throw error;
        }
      }
      key = new RegistryKey(this.registry, node, key.childPath(node.name));
    }
    return key;
  }

  /** Deletes a subkey and everything below it. */
  deleteSubkey(name: string): void {
    if (this.node.subkey(name) === undefined) throw new NtStatusError(STATUS_OBJECT_NAME_NOT_FOUND, `no key "${name}"`, this.childPath(name));
    this.node.deleteSubkey(name);
  }

  /** The names of this key's subkeys. */
  subkeyNames(): string[] {
    return this.node.subkeys().map((k) => k.name);
  }

  /** The names of this key's values ('' is the default value). */
  valueNames(): string[] {
    return this.node.values().map((v) => v.name);
  }

  /** The value's type and a copy of its bytes, or undefined when absent. */
  tryQueryValue(name: string): RegistryValue | undefined {
    checkValueName(name, this.path);
    // findValue: KeyNode.value's lookup by cell, no KeyNode (the NETCONFIGURATION query path).
    const cell = findValue(this.node.hive, this.node.cell, name);
    if (cell === NIL) return undefined;
    const value = new ValueRecord(this.node.hive, cell);
    return { type: value.type, data: value.data() };
  }

  /** @throws {NtStatusError} STATUS_OBJECT_NAME_NOT_FOUND */
  queryValue(name: string): RegistryValue {
    const value = this.tryQueryValue(name);
    if (value === undefined) throw new NtStatusError(STATUS_OBJECT_NAME_NOT_FOUND, `no value "${name}"`, this.path);
    return value;
  }

  /**
   * Sets (creates or replaces) a value.
   * @throws {NtStatusError} STATUS_INVALID_PARAMETER for a value name longer than MAX_VALUE_NAME_LENGTH.
   */
  setValue(name: string, value: RegistryValue): void {
    checkValueName(name, this.path);
    this.node.setValue(name, value.type, value.data);
  }

  /**
   * Deletes a value.
   * @throws {NtStatusError} STATUS_OBJECT_NAME_NOT_FOUND when there is no such value.
   */
  deleteValue(name: string): void {
    if (this.node.value(name) === undefined) throw new NtStatusError(STATUS_OBJECT_NAME_NOT_FOUND, `no value "${name}"`, this.path);
    this.node.deleteValue(name);
  }
}

function checkValueName(name: string, path: string): void {
  if (name.length > MAX_VALUE_NAME_LENGTH)
    throw new NtStatusError(STATUS_INVALID_PARAMETER, `value name of ${name.length} characters (at most ${MAX_VALUE_NAME_LENGTH})`, path);
}
