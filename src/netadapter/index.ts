export { unicodeStringToInteger, parseNetworkAddress, NDIS_MAX_PHYS_ADDRESS_LENGTH } from './conversions.js';
export {
  Environment,
  WdfObject,
  BugCheck,
  RELEASES,
  PASSIVE_LEVEL,
  APC_LEVEL,
  DISPATCH_LEVEL,
  BUGCODE_NETADAPTER_DRIVER,
  WDF_VIOLATION,
  failureCodeNumber,
} from './wdf.js';
export type { Release, FailureCode, WdfObjectType } from './wdf.js';
