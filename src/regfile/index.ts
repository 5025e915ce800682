export { exportRegFile, encodeRegFile, formatValue, escapeRegString, HEADER_V5, HEADER_REGEDIT4, RegExportError, RegExportSkip } from './export.js';
export type { ExportOptions, ExportResult, RegFileFormat } from './export.js';
export { RegDecoder, RegDecodeProblem, detectRegEncoding, decodeRegBytes, REG_ENCODINGS } from './decode.js';
export type { RegEncoding } from './decode.js';
export { RegStreamParser, RegFileSyntaxError, parseRegChunks, parseRegChunksAsync, parseRegFile, hivePathOf } from './parse.js';
export type { ParsedRegFile, RegOperation, RegParseOptions, RegDialect } from './parse.js';
export { applyRegOperations, applyRegFile, decodeRegFile, RegImportError } from './import.js';
export type { ImportSummary, RegTarget } from './import.js';
