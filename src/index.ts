// The package root: what a user of the library needs, nothing that only the layers themselves use.
// The regf internals (cell constants, the upcase table, Marvin32, log-file encoding, base-block
// checksums, raw value-cell access) stay exported from 'netconfiguration/hive', the format layer,
// where src/node and the CLI take them from. The other layers are public as a whole.

// src/hive: the hive, its keys and values, walks, dumps, checks, log recovery, errors.
export {
  HiveError,
  NotAHiveError,
  HiveTruncatedError,
  HiveFormatError,
  HiveCycleError,
  UnsupportedHiveVersionError,
  HiveNameError,
  HiveNameExistsError,
  HiveNotFoundError,
  HiveLimitError,
  HiveUsageError,
  DirtyHiveError,
  Hive,
  MAX_PROBLEMS,
  KeyNode,
  MAX_KEY_NAME_LENGTH,
  MAX_VALUE_NAME_LENGTH,
  ValueRecord,
  ValueType,
  walkKeys,
  walkPairs,
  MAX_WALK_DEPTH,
  dumpHive,
  dumpHiveBytes,
  dumpHiveToString,
  upcaseName,
  compareNames,
  namesEqual,
  decodeUtf16le,
  encodeUtf16le,
  fileTimeFromDate,
  dateFromFileTime,
  fileTimeNow,
  checkHive,
  recoverHive,
  LogRecoveryError,
} from './hive/index.js';
export type {
  OffsetKind,
  HiveOptions,
  CreateOptions,
  HiveProblem,
  DirtyState,
  DataStorage,
  WalkEntry,
  PairEntry,
  PairOptions,
  FileTime,
  Violation,
  CheckOptions,
  TransactionLogs,
  RecoveryResult,
  AppliedLog,
} from './hive/index.js';

export * from './regfile/index.js';
export * from './registry/index.js';
export * from './netadapter/index.js';
