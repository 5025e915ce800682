export { HiveFile, writeFileAtomic } from './file.js';
