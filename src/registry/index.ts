export * from './ntstatus.js';
export { Registry, RegistryKey, MAX_KEY_DEPTH, splitPath } from './registry.js';
export { encodeString, decodeString, encodeMultiString, decodeMultiString, encodeDword, decodeDword, encodeQword, decodeQword } from './values.js';
export type { RegistryValue } from './values.js';
export { NET_CLASS_GUID, valueText, currentControlSet, adapterClassKey, listNetworkAdapters, openNetworkAdapter, addNetworkAdapter } from './system-hive.js';
export type { NetworkAdapter, NewAdapter } from './system-hive.js';
export {
  MountTable,
  MountError,
  RegistryPathError,
  ROOT_KEYS,
  MOUNT_POINT_OF_KIND,
  parseRegistryPath,
  formatRegistryPath,
  currentControlSetName,
  inferMount,
} from './mounts.js';
export type { Mount, Location, RegistryPath, RootKey, HiveKind, InferredMount } from './mounts.js';
export { copyKeyTree, clearKey, compareTrees, keyAtPath } from './tree.js';
export type { TreeDifference } from './tree.js';
