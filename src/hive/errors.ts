/**
 * Every failure the hive layer reports is one of these classes. Each carries a stable `code`, the
 * offset it concerns (a cell index, i.e. relative to the hive-bins start at file offset 4096, unless
 * `offsetKind` says "file"), and a message that says what to do.
 */
export type OffsetKind = 'cell' | 'file';

/**
 * Base class of every error the hive layer throws: a stable `code`, and the offending `offset` (a cell offset relative to the hive bins, or a file offset, as `offsetKind` says) when there is one.
 */
export abstract class HiveError extends Error {
  abstract readonly code: string;
  readonly offset: number | undefined;
  readonly offsetKind: OffsetKind;

  constructor(message: string, offset?: number, offsetKind: OffsetKind = 'cell') {
    super(offset === undefined ? message : `${message} (at ${offsetKind} offset 0x${offset.toString(16)})`);
    this.name = new.target.name;
    this.offset = offset;
    this.offsetKind = offsetKind;
  }
}

/** The bytes are not a regf hive at all (a PE file, a Windows 9x CREG file, a lone hbin, a log …). */
export class NotAHiveError extends HiveError {
  readonly code = 'NOT_A_HIVE';
  constructor(message: string) {
    super(message, 0, 'file');
  }
}

/** The hive claims more bins than the file holds. */
export class HiveTruncatedError extends HiveError {
  readonly code = 'HIVE_TRUNCATED';
}

/** A structure inside the hive is malformed: bad signature, bad size, pointer out of range, cycle … */
export class HiveFormatError extends HiveError {
  readonly code = 'HIVE_FORMAT';
}

/**
 * The key tree is not a tree: a subkey list leads back to an ancestor or to a key reached another way.
 * `offset` is the cell of the key reached twice. Operations that would follow the loop (deleting,
 * copying, comparing) refuse before changing anything. Its code stays HIVE_FORMAT: it is one kind of
 * malformed hive, and every handler of HiveFormatError handles it.
 */
export class HiveCycleError extends HiveFormatError {}

/** A regf version this engine does not handle (minor < 3 uses another cell layout). */
export class UnsupportedHiveVersionError extends HiveError {
  readonly code = 'HIVE_VERSION';
  constructor(major: number, minor: number) {
    super(`regf version ${major}.${minor} is not supported: only 1.3 to 1.6 are (1.1/1.2 are NT 3.x hives with a different cell layout)`, 20, 'file');
  }
}

/** A name breaks the format's rules (empty key name, backslash in a key name, too long for the field). */
export class HiveNameError extends HiveError {
  readonly code = 'HIVE_NAME';
}

/** A key or value with that name (compared case-insensitively through the Windows upcase table) already exists. */
export class HiveNameExistsError extends HiveError {
  readonly code = 'HIVE_NAME_EXISTS';
}

/** No key or value of that name. */
export class HiveNotFoundError extends HiveError {
  readonly code = 'HIVE_NOT_FOUND';
}

/** A size limit of the format or of this engine would be exceeded (value too large, hive over 2 GiB, too many subkeys). */
export class HiveLimitError extends HiveError {
  readonly code = 'HIVE_LIMIT';
}

/** The operation is not allowed on this object (deleting the root, using a key after it was deleted). */
export class HiveUsageError extends HiveError {
  readonly code = 'HIVE_USAGE';
}

/** Saving a dirty hive (bad checksum or unequal sequence numbers) over itself was refused. */
export class DirtyHiveError extends HiveError {
  readonly code = 'HIVE_DIRTY';
  constructor(message: string) {
    super(message, 0, 'file');
  }
}
