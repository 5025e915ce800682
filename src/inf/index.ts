// The INF layer (browser-safe; imports only hive and registry). Reader and driver selection:
export { parseInf, InfFile, InfSyntaxError, infInt, INF_ERROR_CODES, DEFAULT_DIRIDS, MAX_FIELD_CHARS, MAX_SECTION_NAME_CHARS, MAX_SUBSTITUTED, MAX_INF_BYTES, LINE_LEN } from './reader.js';
export type { InfLine, InfSection, InfFinding, InfSeverity, InfErrorCode, ParseInfOptions, StringsProfile } from './reader.js';
export { decodeInfBytes, decodeWindows1252 } from './decode.js';
export type { InfEncoding, DecodedInf } from './decode.js';
export { selectDriver, resolveModels, resolveInstallSection, identifierScore, parseTargetOsVersion, decorationApplies, DEFAULT_OS, INF_ARCHES } from './select.js';
export type { InfArch, OsVersion, Platform, TargetOsVersion, ModelsChoice, DeviceIds, Selection, SelectOptions, SelectionReport } from './select.js';
export { readDriverVer } from './version.js';
export type { DriverVer } from './version.js';
export { fillInxPlaceholders, inxPlaceholders } from './inx.js';
export type { InxValues, InxResult } from './inx.js';

// ---- AddReg/DelReg/BitReg and driver-key instantiation (addreg.ts, driver-key.ts: the other helper) go below ----
