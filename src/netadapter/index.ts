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
  releaseAtLeast,
  NotInReleaseError,
  SYSTEM_THREAD_EXCEPTION_NOT_HANDLED,
} from './wdf.js';
export type { Release, FailureCode, WdfObjectType, InjectableOperation } from './wdf.js';
export {
  NetConfiguration,
  NetAdapter,
  WdfDevice,
  WdfString,
  WdfMemory,
  WdfCollection,
  MULTI_STRING_LIMIT,
  openAdapterConfiguration,
  openDeviceConfiguration,
  NET_CONFIGURATION_QUERY_ULONG_NO_FLAGS,
  NET_CONFIGURATION_QUERY_ULONG_MAY_BE_STORED_AS_HEX_STRING,
  ADAPTER_BINARY_LIMIT,
} from './configuration.js';
export type { Backend } from './configuration.js';
export {
  NetAdapterOpenConfiguration,
  NetDeviceOpenConfiguration,
  NetConfigurationQueryUlong,
  NetConfigurationAssignUlong,
  NetConfigurationAssignBinary,
  NetConfigurationQueryBinary,
  NetConfigurationClose,
  NetConfigurationQueryString,
  NetConfigurationAssignUnicodeString,
  NetConfigurationOpenSubConfiguration,
  NetConfigurationQueryLinkLayerAddress,
  NetConfigurationQueryMultiString,
  NetConfigurationAssignMultiString,
  WDF_OBJECT_ATTRIBUTES_INIT,
  WDF_OBJECT_ATTRIBUTES_SIZE,
  readRssEnabledAtStart,
  NetConfigurationQueryNetworkAddress,
} from './api.js';
export type { Out, NET_ADAPTER_LINK_LAYER_ADDRESS, WDF_OBJECT_ATTRIBUTES } from './api.js';
