export { exportRegFile, encodeRegFile, formatValue, escapeRegString, HEADER_V5, HEADER_REGEDIT4 } from './export.js';
export type { ExportOptions, ExportResult, RegFileFormat } from './export.js';
export { parseRegFile, applyRegFile, decodeRegFile, hivePathOf, RegFileSyntaxError } from './import.js';
export type { ParsedRegFile, RegOperation, ImportSummary } from './import.js';
