export * from './hive/index.js';
