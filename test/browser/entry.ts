/**
 * The core as a browser would take it: every layer that runs without Node (hive, registry, regfile, inf,
 * netadapter), each under its own name so that equal export names in two layers cannot clash.
 * bundle.test.ts bundles this file for the browser and checks what came out.
 */
export * as hive from '../../src/hive/index.js';
export * as registry from '../../src/registry/index.js';
export * as regfile from '../../src/regfile/index.js';
export * as netadapter from '../../src/netadapter/index.js';
export * as inf from '../../src/inf/index.js';
