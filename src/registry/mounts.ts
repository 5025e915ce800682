import type { Hive, KeyNode } from '../hive/index.js';
import { keyAtPath } from './tree.js';
import { decodeDword } from './values.js';

/**
 * Where a registry path lives: hives mounted at registry paths the way `reg load` (or Windows at boot)
 * mounts them, with the links Windows adds on a running system resolved as it resolves them:
 * - `HKLM\SYSTEM\CurrentControlSet` is a volatile link to `ControlSet00N`, N = `Select\Current`; an
 *   offline SYSTEM hive has no such key (virt-win-reg resolves it the same way);
 * - `HKEY_CURRENT_CONFIG` is a link to `HKLM\SYSTEM\CurrentControlSet\Hardware Profiles\Current`;
 * - `HKEY_CLASSES_ROOT` merges `HKCU\Software\Classes` (the user's UsrClass.dat) over
 *   `HKLM\SOFTWARE\Classes` (Microsoft, "Merged View of HKEY_CLASSES_ROOT"): a key that exists for the
 *   user is read and written there; any other key is read from, and created under, the machine's classes.
 * Browser-safe: hives are opened through the mount's `open()` callback, only when a path reaches them.
 */

/** The predefined root keys a registry path may start with (full names). */
export type RootKey = 'HKEY_LOCAL_MACHINE' | 'HKEY_CURRENT_USER' | 'HKEY_USERS' | 'HKEY_CLASSES_ROOT' | 'HKEY_CURRENT_CONFIG';

/** The root names reg.exe accepts, short and long, upper-cased (reg.exe compares them case-insensitively). */
export const ROOT_KEYS: ReadonlyMap<string, RootKey> = new Map<string, RootKey>([
  ['HKLM', 'HKEY_LOCAL_MACHINE'],
  ['HKEY_LOCAL_MACHINE', 'HKEY_LOCAL_MACHINE'],
  ['HKCU', 'HKEY_CURRENT_USER'],
  ['HKEY_CURRENT_USER', 'HKEY_CURRENT_USER'],
  ['HKU', 'HKEY_USERS'],
  ['HKEY_USERS', 'HKEY_USERS'],
  ['HKCR', 'HKEY_CLASSES_ROOT'],
  ['HKEY_CLASSES_ROOT', 'HKEY_CLASSES_ROOT'],
  ['HKCC', 'HKEY_CURRENT_CONFIG'],
  ['HKEY_CURRENT_CONFIG', 'HKEY_CURRENT_CONFIG'],
]);

/** A path that names no registry key (no root, an unknown root, an empty component). */
export class RegistryPathError extends Error {
  readonly code = 'REG_PATH';
  constructor(
    readonly path: string,
    reason: string,
  ) {
    super(`${reason}: "${path}"`);
    this.name = 'RegistryPathError';
  }
}

/** A path outside every mounted hive, or a link that cannot be resolved in the mounted hives. */
export class MountError extends Error {
  readonly code = 'REG_MOUNT';
  constructor(
    readonly path: string,
    message: string,
  ) {
    super(message);
    this.name = 'MountError';
  }
}

/** A registry path parsed by {@link parseRegistryPath}: a root key and the components below it. */
export interface RegistryPath {
  root: RootKey;
  /** Components below the root, as written (case kept). */
  components: string[];
}

/**
 * Parses `HKLM\A\B`, `HKEY_LOCAL_MACHINE\A\B\`, `hklm`, … Empty components from doubled or trailing
 * backslashes are dropped, as reg.exe drops a trailing one.
 * @throws {RegistryPathError}
 */
export function parseRegistryPath(text: string): RegistryPath {
  const parts = text.split('\\');
  const root = ROOT_KEYS.get(parts[0]!.toUpperCase());
  if (root === undefined) {
    throw new RegistryPathError(
      text,
      parts[0] === ''
        ? 'a key path starts with a root key (HKLM, HKCU, HKU, HKCR, HKCC)'
        : `unknown root key "${parts[0]}" (HKLM, HKCU, HKU, HKCR, HKCC or their long names)`,
    );
  }
  return { root, components: parts.slice(1).filter((p) => p !== '') };
}

/**
 * Formats a parsed registry path back into text: the full root-key name and the components, joined by backslashes.
 */
export function formatRegistryPath(path: RegistryPath): string {
  return [path.root, ...path.components].join('\\');
}

/** Upper-casing for comparing path components; mount points and link names are ASCII. */
function same(a: string, b: string): boolean {
  return a.length === b.length && a.toUpperCase() === b.toUpperCase();
}

function startsWith(path: RegistryPath, prefix: RegistryPath): boolean {
  return path.root === prefix.root && prefix.components.length <= path.components.length && prefix.components.every((c, i) => same(c, path.components[i]!));
}

/** A hive mounted into a {@link MountTable}: where, under what label, and how to open it. */
export interface Mount {
  /** Where the hive is mounted, e.g. HKEY_LOCAL_MACHINE\SYSTEM. */
  at: RegistryPath;
  /** What to call the hive in messages (its file name). */
  label: string;
  /** Opens the hive (called once, when a path first reaches it). */
  open: () => Hive;
}

/** A registry path resolved by a {@link MountTable}: the mounted hive and the components inside it. */
export interface Location {
  mount: Mount;
  hive: Hive;
  /** Components inside the hive, links resolved. */
  components: string[];
  /** The path as Windows would resolve it (links replaced), for messages. */
  resolved: RegistryPath;
}

const SYSTEM_MOUNT: RegistryPath = { root: 'HKEY_LOCAL_MACHINE', components: ['SYSTEM'] };
const MACHINE_CLASSES: RegistryPath = { root: 'HKEY_LOCAL_MACHINE', components: ['SOFTWARE', 'Classes'] };
const USER_CLASSES: RegistryPath = { root: 'HKEY_CURRENT_USER', components: ['Software', 'Classes'] };

/** ControlSet00N named by `Select\Current` of a SYSTEM hive, or undefined when it has none. */
export function currentControlSetName(hive: Hive): string | undefined {
  const value = hive.root().subkey('Select')?.value('Current');
  const n = value === undefined ? undefined : decodeDword({ type: value.type, data: value.data() });
  if (n === undefined) return undefined;
  // Windows formats the link target as ControlSet%03d (CmpCreateControlSet / CmpAddToHiveFileList).
  return `ControlSet${String(n).padStart(3, '0')}`;
}

/** The hives of one command: each mounted at a registry path, opened when first reached. */
export class MountTable {
  private readonly opened = new Map<Mount, Hive>();

  constructor(readonly mounts: readonly Mount[]) {
    for (let i = 0; i < mounts.length; i++) {
      for (let j = i + 1; j < mounts.length; j++) {
        if (same(formatRegistryPath(mounts[i]!.at), formatRegistryPath(mounts[j]!.at))) {
          throw new MountError(
            formatRegistryPath(mounts[i]!.at),
            `two hives are mounted at ${formatRegistryPath(mounts[i]!.at)} (${mounts[i]!.label} and ${mounts[j]!.label})`,
          );
        }
      }
    }
  }

  /** The hive behind a mount, opened on first use. */
  hive(mount: Mount): Hive {
    let hive = this.opened.get(mount);
    if (hive === undefined) {
      hive = mount.open();
      this.opened.set(mount, hive);
    }
    return hive;
  }

  /** Mounts opened so far. */
  openedMounts(): Mount[] {
    return [...this.opened.keys()];
  }

  /** Replaces the hive behind a mount (an import works on copies and swaps them in). */
  replace(mount: Mount, hive: Hive): void {
    this.opened.set(mount, hive);
  }

  /** The mounts as text for messages: each mount point with its label, comma-separated. */
  describe(): string {
    return this.mounts.map((m) => `${formatRegistryPath(m.at)} (${m.label})`).join(', ');
  }

  /** The innermost mount holding `path`, without opening anything (HKCR and HKCC are not expanded). */
  mountFor(path: RegistryPath): Mount | undefined {
    let best: Mount | undefined;
    for (const mount of this.mounts) {
      if (startsWith(path, mount.at) && (best === undefined || mount.at.components.length > best.at.components.length)) best = mount;
    }
    return best;
  }

  /**
   * The mounts a path may reach, without opening any hive: one, or for HKCR both the user's and the
   * machine's classes; HKCC reaches the SYSTEM hive. Writers lock these before reading.
   */
  mountsReached(path: RegistryPath): Mount[] {
    const candidates = this.expandLinks(path).map((p) => this.mountFor(p));
    return [...new Set(candidates.filter((m): m is Mount => m !== undefined))];
  }

  private expandLinks(path: RegistryPath): RegistryPath[] {
    if (path.root === 'HKEY_CURRENT_CONFIG') {
      return [{ root: 'HKEY_LOCAL_MACHINE', components: ['SYSTEM', 'CurrentControlSet', 'Hardware Profiles', 'Current', ...path.components] }];
    }
    if (path.root === 'HKEY_CLASSES_ROOT') {
      return [
        { root: USER_CLASSES.root, components: [...USER_CLASSES.components, ...path.components] },
        { root: MACHINE_CLASSES.root, components: [...MACHINE_CLASSES.components, ...path.components] },
      ];
    }
    return [path];
  }

  /**
   * Where `path` lives. `intent` matters only for HKCR: a key present in the user's classes is used
   * there, any other in the machine's (reads and writes alike, per the merged-view rule).
   * @throws {MountError} a path outside every mount, or a link that cannot be resolved
   */
  locate(path: RegistryPath): Location {
    if (path.root === 'HKEY_CLASSES_ROOT') {
      const [user, machine] = this.expandLinks(path) as [RegistryPath, RegistryPath];
      const userMount = this.mountFor(user);
      const machineMount = this.mountFor(machine);
      if (userMount !== undefined) {
        const location = this.locateIn(userMount, user);
        if (keyAtPath(location.hive.root(), location.components) !== undefined || machineMount === undefined) return location;
      }
      if (machineMount !== undefined) return this.locateIn(machineMount, machine);
      throw new MountError(
        formatRegistryPath(path),
        `${formatRegistryPath(path)} needs HKLM\\SOFTWARE (or the user's classes) mounted; mounted: ${this.describe()}`,
      );
    }
    if (path.root === 'HKEY_CURRENT_CONFIG') {
      const [target] = this.expandLinks(path) as [RegistryPath];
      const mount = this.mountFor(target);
      if (mount === undefined)
        throw new MountError(formatRegistryPath(path), `HKEY_CURRENT_CONFIG is a link into HKLM\\SYSTEM, which is not mounted; mounted: ${this.describe()}`);
      const location = this.locateIn(mount, target);
      const profile = location.components.slice(0, 3);
      if (keyAtPath(location.hive.root(), profile) === undefined) {
        throw new MountError(formatRegistryPath(path), `HKEY_CURRENT_CONFIG links to HKLM\\SYSTEM\\${profile.join('\\')}, which ${mount.label} does not have`);
      }
      return location;
    }
    const mount = this.mountFor(path);
    if (mount === undefined) {
      throw new MountError(
        formatRegistryPath(path),
        `${formatRegistryPath(path)} is outside the mounted hives: ${this.describe()} (name another hive with --hive FILE --mount PATH, or use --image DIR)`,
      );
    }
    return this.locateIn(mount, path);
  }

  /**
   * For an HKCR path: every side of the merged view where the key exists, the user's first. Enumerating
   * HKCR lists the subkeys of both (Microsoft, "Merged View of HKEY_CLASSES_ROOT"); other roots: [].
   */
  classesSides(path: RegistryPath): { location: Location; key: KeyNode }[] {
    if (path.root !== 'HKEY_CLASSES_ROOT') return [];
    const sides: { location: Location; key: KeyNode }[] = [];
    for (const candidate of this.expandLinks(path)) {
      const mount = this.mountFor(candidate);
      if (mount === undefined) continue;
      const location = this.locateIn(mount, candidate);
      const key = keyAtPath(location.hive.root(), location.components);
      if (key !== undefined) sides.push({ location, key });
    }
    return sides;
  }

  private locateIn(mount: Mount, path: RegistryPath): Location {
    const hive = this.hive(mount);
    const components = path.components.slice(mount.at.components.length);
    const resolved = { root: path.root, components: [...path.components] };
    if (startsWith(mount.at, SYSTEM_MOUNT) && mount.at.components.length === 1 && components.length > 0 && same(components[0]!, 'CurrentControlSet')) {
      const target = currentControlSetName(hive);
      if (target === undefined) {
        throw new MountError(
          formatRegistryPath(path),
          `CurrentControlSet cannot be resolved in ${mount.label}: it has no Select\\Current DWORD (is it a SYSTEM hive?); name the control set, e.g. ControlSet001`,
        );
      }
      components[0] = target;
      resolved.components[mount.at.components.length] = target;
    }
    return { mount, hive, components, resolved };
  }
}

/** The kinds of hive file Windows mounts, as {@link inferMount} recognizes them. */
export type HiveKind = 'SYSTEM' | 'SOFTWARE' | 'SAM' | 'SECURITY' | 'DEFAULT' | 'NTUSER' | 'USRCLASS' | 'BCD' | 'AMCACHE' | 'COMPONENTS' | 'DRIVERS';

/** Where each kind of hive is mounted on a running Windows (and so by reg load in the documentation). */
export const MOUNT_POINT_OF_KIND: Record<HiveKind, string> = {
  SYSTEM: 'HKEY_LOCAL_MACHINE\\SYSTEM',
  SOFTWARE: 'HKEY_LOCAL_MACHINE\\SOFTWARE',
  SAM: 'HKEY_LOCAL_MACHINE\\SAM',
  SECURITY: 'HKEY_LOCAL_MACHINE\\SECURITY',
  DEFAULT: 'HKEY_USERS\\.DEFAULT',
  NTUSER: 'HKEY_CURRENT_USER',
  USRCLASS: 'HKEY_CURRENT_USER\\Software\\Classes',
  BCD: 'HKEY_LOCAL_MACHINE\\BCD00000000',
  // Windows loads Amcache.hve as an application hive (no fixed path); HKLM\Amcache is a reg load name.
  AMCACHE: 'HKEY_LOCAL_MACHINE\\Amcache',
  COMPONENTS: 'HKEY_LOCAL_MACHINE\\COMPONENTS',
  DRIVERS: 'HKEY_LOCAL_MACHINE\\DRIVERS',
};

/**
 * Where {@link inferMount} would mount a hive file, what kind it takes it for (undefined when unknown), and why.
 */
export interface InferredMount {
  kind: HiveKind | undefined;
  at: string;
  /** Why: what in the file or its name decided it. */
  reason: string;
}

const NAME_KINDS: [RegExp, HiveKind][] = [
  [/^system$/i, 'SYSTEM'],
  [/^software$/i, 'SOFTWARE'],
  [/^sam$/i, 'SAM'],
  [/^security$/i, 'SECURITY'],
  [/^default$/i, 'DEFAULT'],
  [/^ntuser\.(dat|man)$/i, 'NTUSER'],
  [/^usrclass\.dat$/i, 'USRCLASS'],
  [/^bcd$/i, 'BCD'],
  [/^amcache\.hve$/i, 'AMCACHE'],
  [/^components$/i, 'COMPONENTS'],
  [/^drivers$/i, 'DRIVERS'],
];

function kindOfName(name: string): HiveKind | undefined {
  return NAME_KINDS.find(([pattern]) => pattern.test(name))?.[1];
}

/**
 * Where a hive would be mounted, from its content first (keys only that kind of hive has), then the
 * file name Windows recorded in its base block (the last 31 characters of the path it was loaded
 * from, regf.md §2), then the name of the file. Undefined kind: nothing recognisable.
 */
export function inferMount(hive: Hive, fileName: string): InferredMount {
  const has = (...path: string[]): boolean => keyAtPath(hive.root(), path) !== undefined;
  const byContent = (): [HiveKind, string] | undefined => {
    if (has('Select') && currentControlSetName(hive) !== undefined) return ['SYSTEM', 'it has Select\\Current and control sets'];
    if (has('Microsoft', 'Windows NT', 'CurrentVersion') && has('Classes')) return ['SOFTWARE', 'it has Microsoft\\Windows NT\\CurrentVersion and Classes'];
    if (has('SAM', 'Domains')) return ['SAM', 'it has SAM\\Domains'];
    if (has('Policy', 'Secrets') || has('Policy', 'PolAdtEv')) return ['SECURITY', 'it has Policy'];
    if (has('Description') && has('Objects')) return ['BCD', 'it has Description and Objects'];
    if (has('Root', 'InventoryApplicationFile') || has('Root', 'File')) return ['AMCACHE', 'it has Root\\InventoryApplicationFile'];
    if (has('Local Settings') && !has('Software')) return ['USRCLASS', 'it has Local Settings at its root'];
    return undefined;
  };
  const content = byContent();
  const nameKind = kindOfName(fileName.replace(/^.*[\\/]/, ''));
  const recorded = hive.baseBlock.fileName.replace(/\0.*$/, '');
  const recordedKind = kindOfName(recorded.replace(/^.*\\/, ''));
  // A user hive (NTUSER.DAT, DEFAULT) has no key of its own; the names decide between them.
  if (content !== undefined) return { kind: content[0], at: MOUNT_POINT_OF_KIND[content[0]], reason: content[1] };
  if (recordedKind !== undefined)
    return { kind: recordedKind, at: MOUNT_POINT_OF_KIND[recordedKind], reason: `its base block records the file name "${recorded}"` };
  if (nameKind !== undefined) return { kind: nameKind, at: MOUNT_POINT_OF_KIND[nameKind], reason: `the file is named ${fileName.replace(/^.*[\\/]/, '')}` };
  if (has('Software') && (has('Control Panel') || has('Environment')))
    return { kind: 'NTUSER', at: MOUNT_POINT_OF_KIND.NTUSER, reason: 'it has Software and Control Panel/Environment, as a user profile' };
  return { kind: undefined, at: '', reason: 'nothing in it or its name says which hive it is' };
}
