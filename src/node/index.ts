export { HiveFile, commitAll, findLogs, recoverHiveFile, writeFileAtomic } from './file.js';
export type { OpenOptions, OpenForWritingOptions, CommitFileOptions } from './file.js';
export {
  commitIncrementally,
  commitIncrementallyAll,
  makeRecoveryDurable,
  pendingRecoveryOf,
  recoverWithCommitRecord,
  nodeCommitFileSystem,
  nodeFileSystem,
  defaultLogPaths,
  COMMIT_RECORD_SUFFIX,
  TXN_POINTER_SUFFIX,
  LOG_LIMIT,
} from './commit.js';
export type { CommitFileSystem, CommitResult, CommitOptions, LogPaths, LogState, PendingRecovery, MultiCommitTarget, RecoveryWithRecord } from './commit.js';
export { HiveFileError, HiveLockedError, fileError } from './errors.js';
export type { LockOwner, FileRole } from './errors.js';
export { acquireHiveLock, withHiveLocks, LOCK_SUFFIX } from './lock.js';
export type { HiveLock, LockOptions } from './lock.js';
export { findLogFiles, readHiveFile, readHiveHead, replaceFileAtomically, MAX_FILE_SIZE } from './io.js';
export type { LogFileNames, FileOwnership } from './io.js';
export { locateImageHives, imageProfiles, findCaseInsensitive, missingUserReason, ImageError } from './image.js';
export type { ImageHive } from './image.js';
