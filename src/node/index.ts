export { HiveFile, findLogs, writeFileAtomic } from './file.js';
