export { HiveFile, findLogs, writeFileAtomic } from './file.js';
export { commitIncrementally, nodeCommitFileSystem } from './commit.js';
export type { CommitFileSystem, CommitResult } from './commit.js';
export { locateImageHives, imageProfiles, findCaseInsensitive, missingUserReason, ImageError } from './image.js';
export type { ImageHive } from './image.js';
