// The INF layer (browser-safe; imports only hive and registry). Reader and driver selection:
export {
  parseInf,
  InfFile,
  InfSyntaxError,
  infInt,
  INF_ERROR_CODES,
  DEFAULT_DIRIDS,
  MAX_FIELD_CHARS,
  MAX_SECTION_NAME_CHARS,
  MAX_SUBSTITUTED,
  MAX_INF_BYTES,
  LINE_LEN,
} from './reader.js';
export type { InfLine, InfSection, InfFinding, InfSeverity, InfErrorCode, ParseInfOptions, StringsProfile } from './reader.js';
export { decodeInfBytes, decodeWindows1252 } from './decode.js';
export type { InfEncoding, DecodedInf } from './decode.js';
export {
  selectDriver,
  resolveModels,
  resolveInstallSection,
  identifierScore,
  parseTargetOsVersion,
  decorationApplies,
  DEFAULT_OS,
  INF_ARCHES,
} from './select.js';
export type { InfArch, OsVersion, Platform, TargetOsVersion, ModelsChoice, DeviceIds, Selection, SelectOptions, SelectionReport } from './select.js';
export { readDriverVer } from './version.js';
export type { DriverVer } from './version.js';
export { fillInxPlaceholders, inxPlaceholders } from './inx.js';
export type { InxValues, InxResult } from './inx.js';

// ---- AddReg/DelReg/BitReg and driver-key instantiation (addreg.ts, driver-key.ts: the other helper) go below ----
export {
  applyAddReg,
  applyDelReg,
  applyBitReg,
  applyRegistryDirectives,
  parseDwordText,
  parseIntField,
  parseBinaryByte,
  FLG_ADDREG_BINVALUETYPE,
  FLG_ADDREG_NOCLOBBER,
  FLG_ADDREG_DELVAL,
  FLG_ADDREG_APPEND,
  FLG_ADDREG_KEYONLY,
  FLG_ADDREG_OVERWRITEONLY,
  FLG_ADDREG_64BITKEY,
  FLG_ADDREG_KEYONLY_COMMON,
  FLG_ADDREG_32BITKEY,
  FLG_ADDREG_DELREG_BIT,
  FLG_ADDREG_TYPE_MASK,
  FLG_ADDREG_TYPE_SZ,
  FLG_ADDREG_TYPE_MULTI_SZ,
  FLG_ADDREG_TYPE_EXPAND_SZ,
  FLG_ADDREG_TYPE_BINARY,
  FLG_ADDREG_TYPE_DWORD,
  FLG_ADDREG_TYPE_NONE,
  FLG_ADDREG_TYPE_QWORD,
  FLG_DELREG_KEYONLY_COMMON,
  FLG_DELREG_32BITKEY,
  FLG_DELREG_MULTI_SZ_DELSTRING,
  FLG_BITREG_CLEARBITS,
  FLG_BITREG_SETBITS,
  FLG_BITREG_64BITKEY,
  FLG_BITREG_32BITKEY,
} from './addreg.js';
export type {
  InfProfile,
  RegRoot,
  RegView,
  InfRegFinding,
  InfRegSeverity,
  RegLineContext,
  RegLineAction,
  RegLineOutcome,
  RegSectionLine,
  RegDirective,
  RegDirectiveSections,
  RegSectionResult,
} from './addreg.js';
export {
  createAdapterInstance,
  nextInstanceName,
  nextNetLuidIndex,
  parseDriverVer,
  driverDateText,
  driverDateData,
  systemTimeBytes,
  DriverKeyError,
} from './driver-key.js';
export type { DriverKeyProfile, DriverKeyErrorCode, DriverDate, AdapterInstanceOptions, AdapterInstance } from './driver-key.js';
export {
  lintNetworkInf,
  NCF_VIRTUAL,
  NCF_SOFTWARE_ENUMERATED,
  NCF_PHYSICAL,
  NCF_HIDDEN,
  NCF_NO_SERVICE,
  NCF_NOT_USER_REMOVABLE,
  NCF_HAS_UI,
  NCF_FILTER,
  NCF_NDIS_PROTOCOL,
  NCF_LW_FILTER,
  NET_BUS_TYPES,
} from './lint.js';
export type { NetLintOptions } from './lint.js';
