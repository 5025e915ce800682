import { upcaseUnit } from '../hive/index.js';
import { STATUS_BUFFER_TOO_SMALL, STATUS_INTEGER_OVERFLOW, STATUS_INVALID_PARAMETER, STATUS_SUCCESS } from '../registry/index.js';
import { WdfCollection, WdfMemory, WdfString } from './configuration.js';
import {
  BugCheck,
  WDF_OBJECT_ATTRIBUTES_SIZE,
  WDF_VIOLATION,
  WdfExecutionLevelInheritFromParent,
  WdfSynchronizationScopeInheritFromParent,
  type WdfObject,
  attachCallbacks,
  validateObjectAttributes,
} from './wdf.js';
import type { Environment, WDF_OBJECT_ATTRIBUTES, WdfObjectType } from './wdf.js';

/**
 * The KMDF and Rtl calls C code around NETCONFIGURATION uses — UNICODE_STRING and its Rtl helpers,
 * WDF_OBJECT_ATTRIBUTES, WDFCOLLECTION, WDFSTRING, WDFMEMORY, WdfObjectDelete — with the checks KMDF
 * makes (microsoft/Windows-Driver-Frameworks at b6191d9, "WDF@b6191d9" below). Statuses are signed
 * 32-bit numbers like C's NTSTATUS; misuse C cannot detect (a length beyond the buffer given) is a
 * {@link CUsageError}; what KMDF bug-checks for is a {@link BugCheck}.
 */

// ---------------------------------------------------------------------------------------------
// C type names, so a port can keep its declarations
// ---------------------------------------------------------------------------------------------

/** NTSTATUS: a signed 32-bit number, as C's LONG (see registry/ntstatus.ts). */
export type NTSTATUS = number;
/** ULONG: an unsigned 32-bit number (0 … 0xFFFFFFFF). */
export type ULONG = number;
/** WDFOBJECT: any WDF object handle. */
export type WDFOBJECT = WdfObject;
/** WDFCOLLECTION handle. */
export type WDFCOLLECTION = WdfCollection;
/** WDFSTRING handle. */
export type WDFSTRING = WdfString;
/** WDFMEMORY handle. */
export type WDFMEMORY = WdfMemory;

// ---------------------------------------------------------------------------------------------
// Usage errors
// ---------------------------------------------------------------------------------------------

/**
 * A call whose arguments C would let through and then overrun memory with — a `bufferLength` larger
 * than the buffer passed, a UNICODE_STRING whose `Length` reaches past its `Buffer` — refused here
 * instead of silently truncated. Not a Windows status: a bug in the calling code.
 */
export class CUsageError extends Error {
  readonly code = 'C_USAGE';
  /** The function called. */
  readonly function: string;
  /** The parameter at fault, as the C prototype names it. */
  readonly parameter: string;

  constructor(fn: string, parameter: string, message: string) {
    super(`${fn}: ${parameter} ${message}`);
    this.name = 'CUsageError';
    this.function = fn;
    this.parameter = parameter;
  }
}

// ---------------------------------------------------------------------------------------------
// UNICODE_STRING
// ---------------------------------------------------------------------------------------------

/**
 * A counted UTF-16 string as C declares it. `Length` and `MaximumLength` are in **bytes** (USHORT);
 * `Buffer` is the WCHAR array, a `Uint16Array` of UTF-16 code units (or null, C's NULL). The array may
 * be longer than the string; the string is its first `Length / 2` units, NUL or not. Wherever the C
 * face takes a UNICODE_STRING it also takes a plain JS string, which is always well-formed.
 */
export interface UNICODE_STRING {
  Length: number;
  MaximumLength: number;
  Buffer: Uint16Array | null;
}

/** A value-name or value parameter of the C face: a UNICODE_STRING, or a JS string standing for a well-formed one. */
export type UnicodeStringArgument = UNICODE_STRING | string;

/** The largest byte count a UNICODE_STRING can describe (its USHORT fields). */
export const UNICODE_STRING_MAX_BYTES = 0xffff;
/** NTSTRSAFE_UNICODE_STRING_MAX_CCH: RtlUnicodeStringInit refuses strings of this many characters or more (ntstrsafe.h: 0xffff / sizeof(wchar_t)). */
export const NTSTRSAFE_UNICODE_STRING_MAX_CCH = 32767;

/** An empty UNICODE_STRING (Length 0, MaximumLength 0, Buffer NULL), as `UNICODE_STRING s = {0};` declares it. */
export function UNICODE_STRING_EMPTY(): UNICODE_STRING {
  return { Length: 0, MaximumLength: 0, Buffer: null };
}

/** A wide-string literal `L"text"`: the UTF-16 code units and a terminating NUL. */
export function wideString(text: string): Uint16Array {
  const out = new Uint16Array(text.length + 1);
  for (let i = 0; i < text.length; i++) out[i] = text.charCodeAt(i);
  return out;
}

/**
 * RTL_CONSTANT_STRING / DECLARE_CONST_UNICODE_STRING: a UNICODE_STRING over a wide literal, Length = its
 * bytes, MaximumLength = Length + 2 (the literal's NUL included). `DECLARE_CONST_UNICODE_STRING(n, L"x");`
 * ports as `const n = RTL_CONSTANT_STRING('x');`.
 */
export function RTL_CONSTANT_STRING(text: string): UNICODE_STRING {
  return { Length: text.length * 2, MaximumLength: text.length * 2 + 2, Buffer: wideString(text) };
}

/** The code units of a NUL-terminated wide string (up to the first NUL, or the end of the array). */
function wcslen(units: Uint16Array): number {
  const end = units.indexOf(0);
  return end === -1 ? units.length : end;
}

function sourceUnits(source: string | Uint16Array): Uint16Array {
  return typeof source === 'string' ? wideString(source) : source;
}

/**
 * RtlInitUnicodeString: `Buffer` = the source, `Length` = its length in bytes up to the NUL,
 * `MaximumLength` = `Length` + 2; NULL gives 0/0/NULL. A source of 32,767 characters or more is
 * described as 0xFFFC/0xFFFE bytes, as Windows does (docs `wdmsec/nf-wdmsec-wdmlibrtlinitunicodestringex`,
 * MAX_USTRING = 0xFFFE). A JS string source becomes a new NUL-terminated `Uint16Array`; a `Uint16Array`
 * source is used as is (not copied), as C stores the pointer.
 */
export function RtlInitUnicodeString(destinationString: UNICODE_STRING, sourceString: string | Uint16Array | null): void {
  if (sourceString === null) {
    destinationString.Length = 0;
    destinationString.MaximumLength = 0;
    destinationString.Buffer = null;
    return;
  }
  const units = sourceUnits(sourceString);
  const bytes = wcslen(units) * 2;
  destinationString.Buffer = units;
  if (bytes > 0xfffe - 2) {
    destinationString.Length = 0xfffc;
    destinationString.MaximumLength = 0xfffe;
  } else {
    destinationString.Length = bytes;
    destinationString.MaximumLength = bytes + 2;
  }
}

/**
 * RtlUnicodeStringInit (ntstrsafe.h): zeroes the destination, then as RtlInitUnicodeString but a source
 * of NTSTRSAFE_UNICODE_STRING_MAX_CCH (32,767) characters or more is STATUS_INVALID_PARAMETER, leaving
 * the destination 0/0/NULL (docs `ntstrsafe/nf-ntstrsafe-rtlunicodestringinit`; MaximumLength =
 * (length + 1) × 2 per the header's annotation of RtlUnicodeStringInitWorker).
 */
export function RtlUnicodeStringInit(destinationString: UNICODE_STRING, sourceString: string | Uint16Array | null): number {
  destinationString.Length = 0;
  destinationString.MaximumLength = 0;
  destinationString.Buffer = null;
  if (sourceString === null) return STATUS_SUCCESS;
  const units = sourceUnits(sourceString);
  const length = wcslen(units);
  if (length >= NTSTRSAFE_UNICODE_STRING_MAX_CCH) return STATUS_INVALID_PARAMETER;
  destinationString.Buffer = units;
  destinationString.Length = length * 2;
  destinationString.MaximumLength = length * 2 + 2;
  return STATUS_SUCCESS;
}

/**
 * The JS string a UNICODE_STRING argument describes (its first Length / 2 code units), after checking it stays
 * inside its Buffer; a JS string is returned as is. `fn` and `parameter` name the C call for the CUsageError.
 */
function readUnicodeString(fn: string, parameter: string, value: UnicodeStringArgument): string {
  if (typeof value === 'string') return value;
  const units = value.Length >>> 1;
  if (units === 0) return '';
  const buffer = value.Buffer;
  if (buffer === null) throw new CUsageError(fn, parameter, `has Length ${value.Length} and a NULL Buffer (C would dereference NULL)`);
  if (units > buffer.length) throw new CUsageError(fn, parameter, `has Length ${value.Length} bytes but its Buffer holds ${buffer.length * 2}`);
  // String.fromCharCode on large arrays would overflow the argument stack; chunk it.
  if (units <= 8192) return String.fromCharCode.apply(null, buffer.subarray(0, units) as unknown as number[]);
  let text = '';
  for (let i = 0; i < units; i += 8192) text += String.fromCharCode.apply(null, buffer.subarray(i, Math.min(units, i + 8192)) as unknown as number[]);
  return text;
}

/**
 * The text of a UNICODE_STRING (its first Length / 2 code units); a JS string is returned as is.
 * @throws {CUsageError} when Length reaches past the Buffer
 */
export function unicodeStringText(value: UnicodeStringArgument): string {
  return readUnicodeString('unicodeStringText', 'String', value);
}

/**
 * FxValidateUnicodeString, the check every KMDF call taking a PCUNICODE_STRING makes: odd Length, odd
 * MaximumLength, NULL Buffer with MaximumLength > 0, or Length > MaximumLength → STATUS_INVALID_PARAMETER
 * (WDF@b6191d9 `src/framework/shared/inc/private/common/fxvalidatefunctions.hpp:114-160`). A JS string
 * always passes. A NULL Buffer with MaximumLength 0 and a non-zero Length fails the last test.
 */
export function validateUnicodeString(value: UnicodeStringArgument): number {
  if (typeof value === 'string') return STATUS_SUCCESS;
  if (value.Length & 1) return STATUS_INVALID_PARAMETER;
  if (value.MaximumLength & 1) return STATUS_INVALID_PARAMETER;
  if (value.MaximumLength > 0 && value.Buffer === null) return STATUS_INVALID_PARAMETER;
  if (value.Length > value.MaximumLength) return STATUS_INVALID_PARAMETER;
  return STATUS_SUCCESS;
}

/**
 * RtlCopyUnicodeString: copies min(source Length, destination MaximumLength) bytes into the
 * destination's Buffer, sets its Length, and appends a NUL when room is left; a NULL source sets
 * Length to 0 (docs `wdm/nf-wdm-rtlcopyunicodestring`; the docs are silent on the NUL, which ReactOS's
 * `sdk/lib/rtl/unicode.c` and other reimplementations write).
 * @throws {CUsageError} when the destination's MaximumLength reaches past its Buffer
 */
export function RtlCopyUnicodeString(destinationString: UNICODE_STRING, sourceString: UnicodeStringArgument | null): void {
  if (sourceString === null) {
    destinationString.Length = 0;
    return;
  }
  const text = readUnicodeString('RtlCopyUnicodeString', 'SourceString', sourceString);
  const room = destinationString.MaximumLength >>> 1;
  const target = destinationString.Buffer;
  if (room > 0 && (target === null || room > target.length))
    throw new CUsageError('RtlCopyUnicodeString', 'DestinationString', `has MaximumLength ${destinationString.MaximumLength} bytes beyond its Buffer`);
  const units = Math.min(text.length, room);
  for (let i = 0; i < units; i++) target![i] = text.charCodeAt(i);
  destinationString.Length = units * 2;
  if (units < room) target![units] = 0;
}

/**
 * RtlCompareUnicodeString: < 0, 0 or > 0 as `string1` sorts before, equal to or after `string2`, code unit
 * by code unit (upper-cased through the Windows upcase table when `caseInSensitive`), a prefix first.
 * The value is the difference of the first differing units, or of the Lengths in bytes (ReactOS
 * `sdk/lib/rtl/unicode.c@2ac49f0` RtlCompareUnicodeString, the same in Wine's ntdll).
 */
export function RtlCompareUnicodeString(string1: UnicodeStringArgument, string2: UnicodeStringArgument, caseInSensitive: boolean): number {
  const a = readUnicodeString('RtlCompareUnicodeString', 'String1', string1);
  const b = readUnicodeString('RtlCompareUnicodeString', 'String2', string2);
  const n = Math.min(a.length, b.length);
  for (let i = 0; i < n; i++) {
    let x = a.charCodeAt(i);
    let y = b.charCodeAt(i);
    if (caseInSensitive) {
      x = upcaseUnit(x);
      y = upcaseUnit(y);
    }
    if (x !== y) return x - y;
  }
  return (a.length - b.length) * 2;
}

/** RtlEqualUnicodeString: the two strings are equal (case-insensitively when asked). */
export function RtlEqualUnicodeString(string1: UnicodeStringArgument, string2: UnicodeStringArgument, caseInSensitive: boolean): boolean {
  return RtlCompareUnicodeString(string1, string2, caseInSensitive) === 0;
}

// ---------------------------------------------------------------------------------------------
// WDF_OBJECT_ATTRIBUTES
// ---------------------------------------------------------------------------------------------

/** WDF_OBJECT_ATTRIBUTES_INIT: a structure with Size set, both levels InheritFromParent and everything else NULL/0. */
export function WDF_OBJECT_ATTRIBUTES_INIT(): WDF_OBJECT_ATTRIBUTES {
  return {
    Size: WDF_OBJECT_ATTRIBUTES_SIZE,
    EvtCleanupCallback: null,
    EvtDestroyCallback: null,
    ExecutionLevel: WdfExecutionLevelInheritFromParent,
    SynchronizationScope: WdfSynchronizationScopeInheritFromParent,
    ParentObject: null,
    ContextSizeOverride: 0,
    ContextTypeInfo: null,
  };
}

/** WDF_NO_OBJECT_ATTRIBUTES: no attributes (NULL). */
export const WDF_NO_OBJECT_ATTRIBUTES = null;

// ---------------------------------------------------------------------------------------------
// Handles and driver globals
// ---------------------------------------------------------------------------------------------

/** WDF_BUGCHECK_CODES WDF_REQUIRED_PARAMETER_IS_NULL (P1 of WDF_VIOLATION; KMDF wdfbugcodes.h). */
export const WDF_REQUIRED_PARAMETER_IS_NULL = 0x4;
/** WDF_BUGCHECK_CODES WDF_INVALID_HANDLE (P1 of WDF_VIOLATION; KMDF wdfbugcodes.h). */
export const WDF_INVALID_HANDLE = 0x5;

/**
 * FxObjectHandleGetPtr: a NULL handle or one of the wrong type is bug check WDF_VIOLATION / WDF_INVALID_HANDLE
 * (WDF@b6191d9 `src/framework/shared/inc/private/common/fxhandle.h:322-357`, `handleapi.cpp:438-448`); a deleted one is
 * the model's WDF_VIOLATION (use after free is caught by WDF, reference §1.4).
 */
function handle<T extends WdfObject>(object: WdfObject | null | undefined, type: WdfObjectType | undefined, name: string): T {
  if (object === null || object === undefined) throw new BugCheck(WDF_VIOLATION, [WDF_INVALID_HANDLE, 0, 0, 0], `${name}: a NULL handle`);
  object.assertValid();
  if (type !== undefined && object.type !== type)
    throw new BugCheck(WDF_VIOLATION, [WDF_INVALID_HANDLE, 0, 0, 0], `${name}: a ${object.type} handle where a ${type} is required`);
  return object as T;
}

/** FxPointerNotNull: a NULL required pointer is bug check WDF_VIOLATION / WDF_REQUIRED_PARAMETER_IS_NULL (WDF@b6191d9 `fxmacros.hpp:257-260`, `fxverifierbugcheck.cpp:97-127`). */
function notNull<T>(value: T | null | undefined, name: string): T {
  if (value === null || value === undefined)
    throw new BugCheck(WDF_VIOLATION, [WDF_REQUIRED_PARAMETER_IS_NULL, 0, 0, 0], `${name}: a required pointer is NULL`);
  return value;
}

let boundEnvironment: Environment | undefined;

/**
 * Binds the driver (its {@link Environment}) the handle-less creators — WdfCollectionCreate, WdfStringCreate,
 * WdfMemoryCreate — create objects for when the attributes name no ParentObject. In C this is the
 * WdfDriverGlobals every WDF macro passes; a port calls it once where the driver's DriverEntry would run.
 * Returns the previous binding.
 */
export function WdfBindDriverGlobals(environment: Environment | undefined): Environment | undefined {
  const previous = boundEnvironment;
  boundEnvironment = environment;
  return previous;
}

/**
 * FxValidateObjectAttributesForParentHandle then FxObjectHandleGetPtrAndGlobals, the first thing every creator
 * does: when the attributes have the right Size and a ParentObject, that handle is looked up — an invalid one
 * is a bug check before any status can be returned (e.g. fxcollectionapi.cpp:59-68).
 */
function checkParentHandle(fn: string, attributes: WDF_OBJECT_ATTRIBUTES | null | undefined): void {
  const parent = attributes?.ParentObject ?? null;
  if (parent !== null && (attributes!.Size ?? WDF_OBJECT_ATTRIBUTES_SIZE) === WDF_OBJECT_ATTRIBUTES_SIZE) handle(parent, undefined, fn);
}

/** The parent a creator gives its object once the attributes passed: their ParentObject, or the bound driver. */
function creationParent(fn: string, attributes: WDF_OBJECT_ATTRIBUTES | null | undefined): WdfObject {
  const parent = attributes?.ParentObject ?? null;
  if (parent !== null) return parent;
  if (boundEnvironment === undefined)
    throw new CUsageError(fn, 'Attributes', 'name no ParentObject and no driver is bound: call WdfBindDriverGlobals(environment) first (DriverEntry)');
  return boundEnvironment.driver;
}

// ---------------------------------------------------------------------------------------------
// WDFCOLLECTION (WDF@b6191d9 src/framework/shared/support/fxcollectionapi.cpp)
// ---------------------------------------------------------------------------------------------

/** An out-parameter (`T*`): the function stores its result in `value`. */
export interface Out<T> {
  value: T;
}

/**
 * WdfCollectionCreate: `*Collection = NULL`, then FxValidateObjectAttributes (no parent, execution-level or
 * synchronization restrictions allowed besides the defaults), then a collection parented to the attributes'
 * ParentObject or the driver (fxcollectionapi.cpp:59-103). Returns an NTSTATUS.
 * @throws {BugCheck} WDF_VIOLATION for a NULL `collection` or an invalid ParentObject
 */
export function WdfCollectionCreate(collectionAttributes: WDF_OBJECT_ATTRIBUTES | null, collection: Out<WdfCollection | null>): number {
  checkParentHandle('WdfCollectionCreate', collectionAttributes);
  notNull(collection, 'WdfCollectionCreate Collection').value = null;
  const status = validateObjectAttributes(collectionAttributes);
  if (status !== STATUS_SUCCESS) return status;
  const parent = creationParent('WdfCollectionCreate', collectionAttributes);
  const created = new WdfCollection(parent.environment, parent);
  attachCallbacks(created, collectionAttributes);
  collection.value = created;
  return STATUS_SUCCESS;
}

/** WdfCollectionGetCount: the number of items (deleted objects still in it count: the collection holds a reference). */
export function WdfCollectionGetCount(collection: WdfCollection): number {
  return handle<WdfCollection>(collection, 'WDFCOLLECTION', 'WdfCollectionGetCount').items.length;
}

/**
 * WdfCollectionAdd: appends the object (any type; the collection takes a reference, it does not become the
 * parent). STATUS_SUCCESS (KMDF's STATUS_UNSUCCESSFUL is for an allocation failure) (fxcollectionapi.cpp:136-169).
 */
export function WdfCollectionAdd(collection: WdfCollection, object: WdfObject): number {
  const target = handle<WdfCollection>(collection, 'WDFCOLLECTION', 'WdfCollectionAdd');
  target.items.push(handle(object, undefined, 'WdfCollectionAdd'));
  return STATUS_SUCCESS;
}

/** WdfCollectionGetItem: the object at `index`, or null past the end (fxcollectionapi.cpp:286-318). */
export function WdfCollectionGetItem(collection: WdfCollection, index: number): WdfObject | null {
  return handle<WdfCollection>(collection, 'WDFCOLLECTION', 'WdfCollectionGetItem').items[index >>> 0] ?? null;
}

/** WdfCollectionGetFirstItem: the first object, or null when empty. */
export function WdfCollectionGetFirstItem(collection: WdfCollection): WdfObject | null {
  return handle<WdfCollection>(collection, 'WDFCOLLECTION', 'WdfCollectionGetFirstItem').items[0] ?? null;
}

/** WdfCollectionGetLastItem: the last object, or null when empty. */
export function WdfCollectionGetLastItem(collection: WdfCollection): WdfObject | null {
  const items = handle<WdfCollection>(collection, 'WDFCOLLECTION', 'WdfCollectionGetLastItem').items;
  return items[items.length - 1] ?? null;
}

/**
 * WdfCollectionRemove: takes `item` out of the collection (the object is not deleted). An item not in it
 * changes nothing — KMDF only breaks into an attached debugger (fxcollectionapi.cpp:228-282).
 */
export function WdfCollectionRemove(collection: WdfCollection, item: WdfObject): void {
  const items = handle<WdfCollection>(collection, 'WDFCOLLECTION', 'WdfCollectionRemove').items;
  const at = items.indexOf(handle(item, undefined, 'WdfCollectionRemove'));
  if (at !== -1) items.splice(at, 1);
}

/** WdfCollectionRemoveItem: takes the item at `index` out (not deleted); an index past the end changes nothing (fxcollectionapi.cpp:173-224). */
export function WdfCollectionRemoveItem(collection: WdfCollection, index: number): void {
  const items = handle<WdfCollection>(collection, 'WDFCOLLECTION', 'WdfCollectionRemoveItem').items;
  if (index >>> 0 < items.length) items.splice(index >>> 0, 1);
}

// ---------------------------------------------------------------------------------------------
// WDFSTRING (WDF@b6191d9 src/framework/shared/support/fxstringapi.cpp, stringutil.cpp)
// ---------------------------------------------------------------------------------------------

/** WDFSTRINGs created from NULL and never assigned: their UNICODE_STRING is 0/0/NULL (FxString constructor, fxstring.cpp:33). */
const unassigned = new WeakSet<WdfObject>();

/**
 * WdfStringCreate: `*String = NULL`; FxValidateObjectAttributes; FxValidateUnicodeString when a string is
 * given; a Length of 65,534 bytes overflows the copy's USHORT size (+ NUL) → STATUS_INTEGER_OVERFLOW
 * (stringutil.cpp:221-233); then a WDFSTRING parented to ParentObject or the driver (fxstringapi.cpp:36-115).
 * @throws {BugCheck} WDF_VIOLATION for a NULL `string` or an invalid ParentObject
 * @throws {CUsageError} when the UNICODE_STRING's Length reaches past its Buffer
 */
export function WdfStringCreate(
  unicodeString: UnicodeStringArgument | null,
  stringAttributes: WDF_OBJECT_ATTRIBUTES | null,
  string: Out<WdfString | null>,
): number {
  checkParentHandle('WdfStringCreate', stringAttributes);
  notNull(string, 'WdfStringCreate String').value = null;
  let status = validateObjectAttributes(stringAttributes);
  if (status !== STATUS_SUCCESS) return status;
  let text = '';
  if (unicodeString !== null) {
    status = validateUnicodeString(unicodeString);
    if (status !== STATUS_SUCCESS) return status;
    text = readUnicodeString('WdfStringCreate', 'UnicodeString', unicodeString);
    if (text.length * 2 + 2 > UNICODE_STRING_MAX_BYTES) return STATUS_INTEGER_OVERFLOW;
  }
  const parent = creationParent('WdfStringCreate', stringAttributes);
  const created = new WdfString(parent.environment, parent, text);
  if (unicodeString === null) unassigned.add(created);
  attachCallbacks(created, stringAttributes);
  string.value = created;
  return STATUS_SUCCESS;
}

/**
 * WdfStringGetUnicodeString: fills `unicodeString` in place with the WDFSTRING's counted string — Length =
 * its bytes, MaximumLength = Length + 2, Buffer = a NUL-terminated copy of its units; 0/0/NULL for a string
 * created from NULL and never assigned (fxstringapi.cpp:120-151). In KMDF Buffer points into the object;
 * here it is a copy, so writing into it does not change the WDFSTRING.
 * @throws {BugCheck} WDF_VIOLATION for an invalid handle or a NULL `unicodeString`
 */
export function WdfStringGetUnicodeString(string: WdfString, unicodeString: UNICODE_STRING): void {
  const source = handle<WdfString>(string, 'WDFSTRING', 'WdfStringGetUnicodeString');
  const target = notNull(unicodeString, 'WdfStringGetUnicodeString UnicodeString');
  if (unassigned.has(source) && source.value === '') {
    target.Length = 0;
    target.MaximumLength = 0;
    target.Buffer = null;
    return;
  }
  target.Buffer = wideString(source.value);
  target.Length = source.value.length * 2;
  target.MaximumLength = target.Length + 2;
}

// ---------------------------------------------------------------------------------------------
// WDFMEMORY (WDF@b6191d9 src/framework/shared/core/fxmemorybufferapi.cpp, fxmemoryobject.cpp)
// ---------------------------------------------------------------------------------------------

/** POOL_TYPE NonPagedPoolNx (512), what NetAdapterCx's samples pass. */
export const NonPagedPoolNx = 512;
/** POOL_TYPE PagedPool (1). */
export const PagedPool = 1;

/**
 * WdfMemoryCreate: BufferSize 0 → STATUS_INVALID_PARAMETER with `*Memory` untouched (checked before it is
 * cleared); then `*Memory = NULL`, FxValidateObjectAttributes, and a zero-filled WDFMEMORY of BufferSize bytes
 * parented to ParentObject or the driver; `buffer` (optional) receives its bytes — the same array
 * WdfMemoryGetBuffer returns, so writes through it land in the object (fxmemorybufferapi.cpp:38-163). The pool
 * type and tag are accepted and ignored.
 * @throws {BugCheck} WDF_VIOLATION for a NULL `memory` or an invalid ParentObject
 */
export function WdfMemoryCreate(
  attributes: WDF_OBJECT_ATTRIBUTES | null,
  _poolType: number,
  _poolTag: number,
  bufferSize: number,
  memory: Out<WdfMemory | null>,
  buffer: Out<Uint8Array | null> | null = null,
): number {
  checkParentHandle('WdfMemoryCreate', attributes);
  notNull(memory, 'WdfMemoryCreate Memory');
  if (bufferSize === 0) return STATUS_INVALID_PARAMETER;
  memory.value = null;
  const status = validateObjectAttributes(attributes);
  if (status !== STATUS_SUCCESS) return status;
  const parent = creationParent('WdfMemoryCreate', attributes);
  const created = new WdfMemory(parent.environment, parent, new Uint8Array(bufferSize));
  attachCallbacks(created, attributes);
  memory.value = created;
  if (buffer !== null) buffer.value = created.buffer;
  return STATUS_SUCCESS;
}

/**
 * WdfMemoryGetBuffer: the object's bytes (the live array: writes change the WDFMEMORY); `bufferSize`
 * (optional) receives their count (fxmemorybufferapi.cpp:168-205).
 * @throws {BugCheck} WDF_VIOLATION for an invalid handle
 */
export function WdfMemoryGetBuffer(memory: WdfMemory, bufferSize: Out<number> | null = null): Uint8Array {
  const source = handle<WdfMemory>(memory, 'WDFMEMORY', 'WdfMemoryGetBuffer');
  if (bufferSize !== null) bufferSize.value = source.buffer.length;
  return source.buffer;
}

/**
 * WdfMemoryCopyToBuffer: copies `numBytesToCopyTo` bytes from `sourceOffset` of the WDFMEMORY into `buffer`.
 * 0 bytes → STATUS_INVALID_PARAMETER; a non-zero offset at or past the end, or more bytes than remain after
 * it → STATUS_BUFFER_TOO_SMALL, nothing copied (fxmemorybufferapi.cpp:211-283, fxmemoryobject.cpp:243-318).
 * @throws {CUsageError} when `numBytesToCopyTo` is larger than `buffer` (C would write past it)
 * @throws {BugCheck} WDF_VIOLATION for an invalid handle or a NULL buffer
 */
export function WdfMemoryCopyToBuffer(sourceMemory: WdfMemory, sourceOffset: number, buffer: Uint8Array, numBytesToCopyTo: number): number {
  const source = handle<WdfMemory>(sourceMemory, 'WDFMEMORY', 'WdfMemoryCopyToBuffer');
  const target = notNull(buffer, 'WdfMemoryCopyToBuffer Buffer');
  if (numBytesToCopyTo === 0) return STATUS_INVALID_PARAMETER;
  if (numBytesToCopyTo > target.length)
    throw new CUsageError('WdfMemoryCopyToBuffer', 'NumBytesToCopyTo', `is ${numBytesToCopyTo} but Buffer holds ${target.length} bytes`);
  const size = source.buffer.length;
  if (sourceOffset !== 0 && sourceOffset >= size) return STATUS_BUFFER_TOO_SMALL;
  if (numBytesToCopyTo > size - sourceOffset) return STATUS_BUFFER_TOO_SMALL;
  target.set(source.buffer.subarray(sourceOffset, sourceOffset + numBytesToCopyTo));
  return STATUS_SUCCESS;
}

// ---------------------------------------------------------------------------------------------
// WdfObjectDelete (WDF@b6191d9 src/framework/shared/object/fxobjectapi.cpp:287-319)
// ---------------------------------------------------------------------------------------------

/**
 * WdfObjectDelete: deletes the object and, children first, everything parented to it, running each one's
 * cleanup then destroy callbacks. The driver and device objects do not allow the DDI: KMDF only breaks
 * into a debugger and nothing is deleted. A deleted or NULL handle is a WDF_VIOLATION bug check.
 * On a NETCONFIGURATION it is NetConfigurationClose without the IRQL check (reference §1.4).
 */
export function WdfObjectDelete(object: WdfObject): void {
  const target = handle(object, undefined, 'WdfObjectDelete');
  if (target.type === 'WDFDRIVER' || target.type === 'WDFDEVICE') return;
  target.delete();
}
