export * from './hive/index.js';
export * from './regfile/index.js';
