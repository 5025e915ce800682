import { describe, expect, it } from 'vitest';
import { AdapterError, validateParameter } from '../../src/registry/ndi-params.js';
import type { AdapterParameter } from '../../src/registry/ndi-params.js';

/** A driver's `Ndi\params` description that is itself wrong: refused with an AdapterError naming it, never a crash. */
describe('validateParameter on a broken Ndi\\params description', () => {
  const described = (fields: Partial<AdapterParameter>): AdapterParameter => ({
    keyword: 'X',
    description: undefined,
    type: 'int',
    default: undefined,
    optional: false,
    current: undefined,
    ...fields,
  });

  it('a Min, Max or Step that is not a number in the parameter base', () => {
    expect(() => validateParameter(described({ min: 'ten' }), 'X', '5')).toThrow(
      new AdapterError(`X's Ndi\\params Min "ten" is not a base-10 number: the driver's description of it is broken`),
    );
    expect(() => validateParameter(described({ min: 'ten' }), 'X', '5')).toThrow(AdapterError);
    expect(() => validateParameter(described({ max: '1.5' }), 'X', '5')).toThrow(/^X's Ndi\\params Max "1\.5" is not a base-10 number/);
    expect(() => validateParameter(described({ base: '16', step: 'zz' }), 'X', '5')).toThrow(/^X's Ndi\\params Step "zz" is not a base-16 number/);
    // What BigInt reads stays read as before (surrounding blanks in a decimal limit).
    expect(validateParameter(described({ min: ' 1 ', max: '10' }), 'X', '5')).toBe('5');
  });

  it('a Type named like an Object property is text, not a number type', () => {
    expect(validateParameter(described({ type: 'constructor' }), 'X', 'anything')).toBe('anything');
  });
});
