import { readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';

/**
 * The hive files of an offline Windows volume (a mounted or extracted image), found the way Windows
 * names them but matched case-insensitively, since an image copied to a Linux file system keeps
 * whatever case its tools gave it (wimlib, ntfs-3g: `Windows/System32/config` or `WINDOWS/system32/CONFIG`).
 * Machine hives: `Windows\System32\config\{SYSTEM,SOFTWARE,SAM,SECURITY,DEFAULT,COMPONENTS,DRIVERS}`
 * (hivelist of a running system; DEFAULT is HKU\.DEFAULT). A user's: `Users\NAME\NTUSER.DAT` (HKCU) and
 * `Users\NAME\AppData\Local\Microsoft\Windows\UsrClass.dat` (HKCU\Software\Classes, merged into HKCR).
 */

/**
 * A folder that is not a Windows volume, or a user profile that is not in it: the path and what to give instead.
 */
export class ImageError extends Error {
  readonly code = 'IMAGE';
  constructor(
    readonly path: string,
    message: string,
  ) {
    super(message);
    this.name = 'ImageError';
  }
}

/** A hive found in a Windows image: the registry path it mounts at and its file path. */
export interface ImageHive {
  /** The registry path it is mounted at. */
  at: string;
  file: string;
}

/** Profiles that are not a person's: the template for new users and the shared folders. */
const NOT_A_PERSON = new Set(['DEFAULT', 'DEFAULT USER', 'PUBLIC', 'ALL USERS']);

/** `dir/a/b/c`, each component matched case-insensitively; undefined when any is missing. */
export function findCaseInsensitive(dir: string, ...components: string[]): string | undefined {
  let current = dir;
  for (const component of components) {
    let entries: string[];
    try {
      entries = readdirSync(current);
    } catch {
      return undefined;
    }
    const exact = entries.find((e) => e === component);
    const match = exact ?? entries.find((e) => e.toUpperCase() === component.toUpperCase());
    if (match === undefined) return undefined;
    current = join(current, match);
  }
  return current;
}

function isFile(path: string | undefined): path is string {
  if (path === undefined) return false;
  try {
    return statSync(path).isFile();
  } catch {
    return false;
  }
}

/** Profiles with an NTUSER.DAT, people first; `Default` (the new-user template) is listed too. */
export function imageProfiles(dir: string): string[] {
  const users = findCaseInsensitive(dir, 'Users');
  if (users === undefined) return [];
  let names: string[];
  try {
    names = readdirSync(users);
  } catch {
    return [];
  }
  return names.filter((name) => isFile(findCaseInsensitive(users, name, 'NTUSER.DAT'))).sort();
}

/**
 * The hives of the image at `dir`. `user` picks the profile for HKCU; without it, the one person's
 * profile when there is exactly one.
 * @throws {ImageError} not a Windows volume, an unknown user, or several profiles and no --user
 */
export function locateImageHives(dir: string, user?: string): { hives: ImageHive[]; user: string | undefined } {
  const config = findCaseInsensitive(dir, 'Windows', 'System32', 'config');
  if (config === undefined) {
    throw new ImageError(
      dir,
      `${dir} does not look like a Windows volume: no Windows/System32/config in it (give the folder that holds Windows/, e.g. the mount point of the image's system partition)`,
    );
  }
  const hives: ImageHive[] = [];
  for (const [name, at] of [
    ['SYSTEM', 'HKEY_LOCAL_MACHINE\\SYSTEM'],
    ['SOFTWARE', 'HKEY_LOCAL_MACHINE\\SOFTWARE'],
    ['SAM', 'HKEY_LOCAL_MACHINE\\SAM'],
    ['SECURITY', 'HKEY_LOCAL_MACHINE\\SECURITY'],
    ['COMPONENTS', 'HKEY_LOCAL_MACHINE\\COMPONENTS'],
    ['DRIVERS', 'HKEY_LOCAL_MACHINE\\DRIVERS'],
    ['DEFAULT', 'HKEY_USERS\\.DEFAULT'],
  ] as const) {
    const file = findCaseInsensitive(config, name);
    if (isFile(file)) hives.push({ at, file });
  }
  const profiles = imageProfiles(dir);
  let chosen: string | undefined;
  if (user !== undefined) {
    chosen = profiles.find((p) => p === user) ?? profiles.find((p) => p.toUpperCase() === user.toUpperCase());
    if (chosen === undefined) {
      throw new ImageError(dir, `no profile "${user}" with an NTUSER.DAT under ${join(dir, 'Users')} (profiles: ${profiles.join(', ') || 'none'})`);
    }
  } else {
    const people = profiles.filter((p) => !NOT_A_PERSON.has(p.toUpperCase()));
    if (people.length === 1) chosen = people[0];
  }
  if (chosen !== undefined) {
    const users = findCaseInsensitive(dir, 'Users')!;
    hives.push({ at: 'HKEY_CURRENT_USER', file: findCaseInsensitive(users, chosen, 'NTUSER.DAT')! });
    const classes = findCaseInsensitive(users, chosen, 'AppData', 'Local', 'Microsoft', 'Windows', 'UsrClass.dat');
    if (isFile(classes)) hives.push({ at: 'HKEY_CURRENT_USER\\Software\\Classes', file: classes });
  }
  return { hives, user: chosen };
}

/** Why HKCU is not mounted for an image (for the error when a path needs it). */
export function missingUserReason(dir: string): string {
  const profiles = imageProfiles(dir).filter((p) => !NOT_A_PERSON.has(p.toUpperCase()));
  if (profiles.length === 0) return `the image has no user profile with an NTUSER.DAT (use --user Default for the new-user template)`;
  return `the image has ${profiles.length} profiles (${profiles.join(', ')}): choose one with --user NAME`;
}
