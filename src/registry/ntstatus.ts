/**
 * NTSTATUS values the registry and NETCONFIGURATION layers return (netadaptercx-config.md §8).
 *
 * Representation: **signed 32-bit numbers**, as C's `typedef LONG NTSTATUS` is — every constant is
 * stored as `0xC0000034 | 0` (= -1073741772), every status a call returns is in that form, and
 * `NtStatusError.status` is too. So a ported `if (status < 0)` takes the same branch as in C, `NT_SUCCESS`
 * is `status >= 0`, and `status === STATUS_OBJECT_NAME_NOT_FOUND` compares like with like. Write a
 * status as hexadecimal with {@link formatNtStatus} (`0xC0000034`); {@link toNtStatus} turns an unsigned
 * number such as the literal `0xC0000034` into the signed form.
 */

/** The signed 32-bit NTSTATUS of a number written as in C (`0xC0000034` → -1073741772); already-signed values pass unchanged. */
export function toNtStatus(value: number): number {
  return value | 0;
}

/** NTSTATUS 0x00000000: the call succeeded. */
export const STATUS_SUCCESS = 0;
/** NTSTATUS 0x80000005: the data is larger than the buffer (a warning; part of it was returned). */
export const STATUS_BUFFER_OVERFLOW = 0x80000005 | 0;
/** NTSTATUS 0xC0000001: the operation failed, no more specific reason. */
export const STATUS_UNSUCCESSFUL = 0xc0000001 | 0;
/** NTSTATUS 0xC0000004: a length does not match what the call requires. */
export const STATUS_INFO_LENGTH_MISMATCH = 0xc0000004 | 0;
/** NTSTATUS 0xC000000D: an invalid parameter was passed. */
export const STATUS_INVALID_PARAMETER = 0xc000000d | 0;
/** NTSTATUS 0xC0000010: the request is not valid for this object. */
export const STATUS_INVALID_DEVICE_REQUEST = 0xc0000010 | 0;
/** NTSTATUS 0xC0000022: access denied. */
export const STATUS_ACCESS_DENIED = 0xc0000022 | 0;
/** NTSTATUS 0xC0000023: the buffer is too small for the data. */
export const STATUS_BUFFER_TOO_SMALL = 0xc0000023 | 0;
/** NTSTATUS 0xC0000024: the object (e.g. a value) is not of the type the call requires. */
export const STATUS_OBJECT_TYPE_MISMATCH = 0xc0000024 | 0;
/** NTSTATUS 0xC0000033: the object name is invalid. */
export const STATUS_OBJECT_NAME_INVALID = 0xc0000033 | 0;
/** NTSTATUS 0xC0000034: the object name (key or value) was not found. */
export const STATUS_OBJECT_NAME_NOT_FOUND = 0xc0000034 | 0;
/** NTSTATUS 0xC0000035: an object of that name already exists. */
export const STATUS_OBJECT_NAME_COLLISION = 0xc0000035 | 0;
/** NTSTATUS 0xC0000089: the requested data was not found. */
export const STATUS_RESOURCE_DATA_NOT_FOUND = 0xc0000089 | 0;
/** NTSTATUS 0xC000009A: not enough resources (e.g. memory) to complete the call. */
export const STATUS_INSUFFICIENT_RESOURCES = 0xc000009a | 0;
/** NTSTATUS 0xC00000BB: the request is not supported. */
export const STATUS_NOT_SUPPORTED = 0xc00000bb | 0;
/** NTSTATUS 0xC000017C: the key has been marked for deletion. */
export const STATUS_KEY_DELETED = 0xc000017c | 0;
/** NTSTATUS 0xC0000206: the buffer size is invalid. */
export const STATUS_INVALID_BUFFER_SIZE = 0xc0000206 | 0;
/** NTSTATUS 0xC0000225: the object was not found. */
export const STATUS_NOT_FOUND = 0xc0000225 | 0;
/** NTSTATUS 0xC020020F: a WDF object cannot be given this parent. */
export const STATUS_WDF_PARENT_ASSIGNMENT_NOT_ALLOWED = 0xc020020f | 0;

/** NTSTATUS 0xC0000095: an integer operation overflowed (e.g. a string of 65,534 bytes plus its NUL). */
export const STATUS_INTEGER_OVERFLOW = 0xc0000095 | 0;
/** NTSTATUS 0xC0200209: a WDF_OBJECT_ATTRIBUTES field is out of range or inconsistent (KMDF wdfstatus.h). */
export const STATUS_WDF_OBJECT_ATTRIBUTES_INVALID = 0xc0200209 | 0;
/** NTSTATUS 0xC0200210: the object does not allow a SynchronizationScope (KMDF wdfstatus.h). */
export const STATUS_WDF_SYNCHRONIZATION_SCOPE_INVALID = 0xc0200210 | 0;
/** NTSTATUS 0xC0200211: the object does not allow an ExecutionLevel (KMDF wdfstatus.h). */
export const STATUS_WDF_EXECUTION_LEVEL_INVALID = 0xc0200211 | 0;
/** NTSTATUS 0xC0200212: the call requires a ParentObject (KMDF wdfstatus.h). */
export const STATUS_WDF_PARENT_NOT_SPECIFIED = 0xc0200212 | 0;

const NAMES = new Map<number, string>(
  Object.entries({
    STATUS_SUCCESS,
    STATUS_BUFFER_OVERFLOW,
    STATUS_UNSUCCESSFUL,
    STATUS_INFO_LENGTH_MISMATCH,
    STATUS_INVALID_PARAMETER,
    STATUS_INVALID_DEVICE_REQUEST,
    STATUS_ACCESS_DENIED,
    STATUS_BUFFER_TOO_SMALL,
    STATUS_OBJECT_TYPE_MISMATCH,
    STATUS_OBJECT_NAME_INVALID,
    STATUS_OBJECT_NAME_NOT_FOUND,
    STATUS_OBJECT_NAME_COLLISION,
    STATUS_RESOURCE_DATA_NOT_FOUND,
    STATUS_INSUFFICIENT_RESOURCES,
    STATUS_NOT_SUPPORTED,
    STATUS_KEY_DELETED,
    STATUS_INVALID_BUFFER_SIZE,
    STATUS_NOT_FOUND,
    STATUS_WDF_PARENT_ASSIGNMENT_NOT_ALLOWED,
    STATUS_INTEGER_OVERFLOW,
    STATUS_WDF_OBJECT_ATTRIBUTES_INVALID,
    STATUS_WDF_SYNCHRONIZATION_SCOPE_INVALID,
    STATUS_WDF_EXECUTION_LEVEL_INVALID,
    STATUS_WDF_PARENT_NOT_SPECIFIED,
  }).map(([name, value]) => [value, name]),
);

/** NT_SUCCESS: severity success or informational (0x00000000–0x7FFFFFFF), i.e. `status >= 0` as a signed LONG; unsigned input is accepted too. */
export function NT_SUCCESS(status: number): boolean {
  return (status | 0) >= 0;
}

/** An NTSTATUS as C code and WinDbg write it: `0xC0000034` (eight upper-case hex digits), whichever sign the number has. */
export function formatNtStatus(status: number): string {
  return `0x${(status >>> 0).toString(16).toUpperCase().padStart(8, '0')}`;
}

/**
 * The symbolic name of an NTSTATUS (e.g. `STATUS_OBJECT_NAME_NOT_FOUND`), or its hexadecimal form `0xC0000034` when the name is not known here.
 */
export function statusName(status: number): string {
  return NAMES.get(status | 0) ?? formatNtStatus(status);
}

/** A failed registry or NETCONFIGURATION call: the NTSTATUS Windows would return (signed, as C's NTSTATUS), and where. */
export class NtStatusError extends Error {
  readonly code = 'NTSTATUS';
  /** The status as a signed 32-bit number (`STATUS_OBJECT_NAME_NOT_FOUND`, i.e. `0xC0000034 | 0`). */
  readonly status: number;
  readonly statusName: string;
  readonly path: string | undefined;

  constructor(status: number, message: string, path?: string) {
    super(`${statusName(status)} (${formatNtStatus(status)}): ${message}${path === undefined ? '' : ` [${path}]`}`);
    this.name = 'NtStatusError';
    this.status = status | 0;
    this.statusName = statusName(status);
    this.path = path;
  }
}
