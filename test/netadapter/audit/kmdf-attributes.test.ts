import { describe, expect, it } from 'vitest';
import { WdfObject } from '../../../src/netadapter/index.js';
import {
  Environment,
  FX_VALIDATE_OPTION_ATTRIBUTES_REQUIRED,
  FX_VALIDATE_OPTION_PARENT_NOT_ALLOWED,
  validateContextAttributes,
  validateObjectAttributes,
} from '../../../src/netadapter/wdf.js';
import {
  STATUS_WDF_EXECUTION_LEVEL_INVALID,
  STATUS_WDF_OBJECT_ATTRIBUTES_INVALID,
  STATUS_WDF_PARENT_NOT_SPECIFIED,
  STATUS_WDF_SYNCHRONIZATION_SCOPE_INVALID,
} from '../../../src/registry/index.js';
import { STATUS_INFO_LENGTH_MISMATCH, STATUS_OBJECT_NAME_INVALID, STATUS_WDF_PARENT_ASSIGNMENT_NOT_ALLOWED } from '../../../src/registry/index.js';

/** KMDF's attribute checks as the model reproduces them (fxvalidatefunctions.cpp@3b9780e:45-220, handleapi.cpp@3b9780e:494-517). */
describe('validateObjectAttributes', () => {
  const type = { Size: 40, ContextName: 'CTX', ContextSize: 8 };
  it('accepts NULL and WDF_OBJECT_ATTRIBUTES_INIT values; NULL is refused when attributes are required (51-62)', () => {
    expect(validateObjectAttributes(null)).toBe(0);
    expect(validateObjectAttributes({ Size: 56, ExecutionLevel: 1, SynchronizationScope: 1 })).toBe(0);
    expect(validateObjectAttributes(undefined, FX_VALIDATE_OPTION_ATTRIBUTES_REQUIRED)).toBe(STATUS_WDF_PARENT_NOT_SPECIFIED);
  });
  it('checks in source order: Size, context type size, context name, size override, parent, levels (65-217)', () => {
    expect(validateObjectAttributes({ Size: 48, ExecutionLevel: 2 })).toBe(STATUS_INFO_LENGTH_MISMATCH);
    expect(validateObjectAttributes({ ContextTypeInfo: { ...type, Size: 24 } })).toBe(0);
    expect(validateObjectAttributes({ ContextTypeInfo: { ...type, Size: 32 } })).toBe(STATUS_INFO_LENGTH_MISMATCH);
    expect(validateObjectAttributes({ ContextTypeInfo: { ...type, ContextName: null } })).toBe(STATUS_WDF_OBJECT_ATTRIBUTES_INVALID);
    expect(validateObjectAttributes({ ContextTypeInfo: { ...type, ContextName: null, ContextSize: 0 } })).toBe(0);
    expect(validateObjectAttributes({ ContextSizeOverride: 4 })).toBe(STATUS_WDF_OBJECT_ATTRIBUTES_INVALID);
    expect(validateObjectAttributes({ ContextTypeInfo: type, ContextSizeOverride: 4 })).toBe(STATUS_WDF_OBJECT_ATTRIBUTES_INVALID);
    expect(validateObjectAttributes({ ContextTypeInfo: type, ContextSizeOverride: 16 })).toBe(0);
    expect(validateObjectAttributes({ ExecutionLevel: 0 })).toBe(STATUS_WDF_OBJECT_ATTRIBUTES_INVALID);
    expect(validateObjectAttributes({ SynchronizationScope: 5 })).toBe(STATUS_WDF_OBJECT_ATTRIBUTES_INVALID);
    expect(validateObjectAttributes({ SynchronizationScope: 4 })).toBe(0);
    expect(validateObjectAttributes({ SynchronizationScope: 3 })).toBe(STATUS_WDF_SYNCHRONIZATION_SCOPE_INVALID);
    expect(validateObjectAttributes({ ExecutionLevel: 3 })).toBe(STATUS_WDF_EXECUTION_LEVEL_INVALID);
    expect(validateObjectAttributes({ SynchronizationScope: 2, ExecutionLevel: 2 })).toBe(STATUS_WDF_SYNCHRONIZATION_SCOPE_INVALID);
  });
  it('refuses a parent only when told to (139-148)', () => {
    const parent = new WdfObject(new Environment(), 'WDFCOLLECTION', undefined);
    expect(validateObjectAttributes({ ParentObject: parent })).toBe(0);
    expect(validateObjectAttributes({ ParentObject: parent }, FX_VALIDATE_OPTION_PARENT_NOT_ALLOWED)).toBe(STATUS_WDF_PARENT_ASSIGNMENT_NOT_ALLOWED);
  });
  it('validateContextAttributes: WdfObjectAllocateContext also needs a context type (handleapi.cpp:494-517)', () => {
    const parent = new WdfObject(new Environment(), 'WDFCOLLECTION', undefined);
    expect(validateContextAttributes({ ContextTypeInfo: type })).toBe(0);
    expect(validateContextAttributes({})).toBe(STATUS_OBJECT_NAME_INVALID);
    expect(validateContextAttributes({ ContextTypeInfo: type, ParentObject: parent })).toBe(STATUS_WDF_PARENT_ASSIGNMENT_NOT_ALLOWED);
    expect(validateContextAttributes({ ParentObject: parent })).toBe(STATUS_WDF_PARENT_ASSIGNMENT_NOT_ALLOWED);
    expect(validateContextAttributes({ ContextTypeInfo: type, ExecutionLevel: 2 })).toBe(STATUS_WDF_EXECUTION_LEVEL_INVALID);
    expect(validateContextAttributes(null)).toBe(STATUS_WDF_PARENT_NOT_SPECIFIED);
  });
});
