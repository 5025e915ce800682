export * from './hive/index.js';
export * from './regfile/index.js';
export * from './registry/index.js';
export * from './netadapter/index.js';
