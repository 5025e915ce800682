import { ValueType, encodeUtf16le } from '../hive/index.js';
import type { KeyNode } from '../hive/index.js';
import { Registry, RegistryKey } from './registry.js';
import { valueText } from './system-hive.js';

/**
 * An adapter's Advanced properties as its driver describes them in `Ndi\params\<Keyword>` (ecosystem.md
 * §5.2: ParamDesc, Type, Default, Optional, Min/Max/Step/Base for numbers, LimitText/UpperCase for text,
 * an `enum` subkey for drop-downs) and the rules Device Manager's Advanced page applies to a value.
 * Shared by `netconfig adapter` and the hive editor page, so both accept and store exactly the same.
 */

/** A value refused for an adapter property (or an adapter that is not there); the message names what is allowed. */
export class AdapterError extends Error {
  readonly code = 'ADAPTER';
}

/** A value of a key as text (see valueText). */
function text(key: KeyNode, name: string): string | undefined {
  return valueText(new RegistryKey(new Registry(key.hive), key, key.name), name);
}

/** One `Ndi\params\<Keyword>` description with the adapter's current value (`current`, undefined when not present). */
export interface AdapterParameter {
  keyword: string;
  description: string | undefined;
  type: string | undefined;
  default: string | undefined;
  optional: boolean;
  min?: string;
  max?: string;
  step?: string;
  base?: string;
  limitText?: string;
  upperCase?: boolean;
  choices?: { value: string; text: string }[];
  current: string | undefined;
}

/** The optional text fields of an AdapterParameter and the `Ndi\params\<Keyword>` values they come from. */
const DESCRIBED_TEXT = [
  ['min', 'Min'],
  ['max', 'Max'],
  ['step', 'Step'],
  ['base', 'Base'],
  ['limitText', 'LimitText'],
] as const;

/** The Advanced properties of an adapter instance key, in `Ndi\params` order ([] when it has none). */
export function adapterParameters(adapter: KeyNode): AdapterParameter[] {
  const params = adapter.subkey('Ndi')?.subkey('params');
  if (params === undefined) return [];
  return params.subkeys().map((param) => {
    const parameter: AdapterParameter = {
      keyword: param.name,
      description: text(param, 'ParamDesc'),
      type: text(param, 'Type')?.toLowerCase(),
      default: text(param, 'Default'),
      optional: text(param, 'Optional') === '1',
      current: text(adapter, param.name),
    };
    for (const [field, name] of DESCRIBED_TEXT) {
      const value = text(param, name);
      if (value !== undefined) parameter[field] = value;
    }
    const upperCase = text(param, 'UpperCase');
    if (upperCase !== undefined) parameter.upperCase = upperCase === '1';
    const choices = param.subkey('enum');
    if (choices !== undefined) parameter.choices = choices.values().map((v) => ({ value: v.name, text: text(choices, v.name) ?? '' }));
    return parameter;
  });
}

/** The numeric types of `Ndi\params` and their ranges (a Map: a Type such as "constructor" is not one). */
const NUMERIC_LIMITS = new Map<string, [bigint, bigint]>([
  ['int', [-(2n ** 31n), 2n ** 31n - 1n]],
  ['long', [-(2n ** 31n), 2n ** 31n - 1n]],
  ['word', [0n, 65535n]],
  ['dword', [0n, 2n ** 32n - 1n]],
]);

/**
 * Checks a value for a keyword against its `Ndi\params` description; returns the text to store (edit
 * parameters with UpperCase=1 are stored upper-cased, as the Advanced page does).
 * @throws {AdapterError} naming what is allowed
 */
export function validateParameter(parameter: AdapterParameter | undefined, keyword: string, input: string): string {
  let value = input;
  if (keyword.toLowerCase() === 'networkaddress') {
    const digits = value.replace(/-/g, '');
    if (!/^[0-9a-fA-F]{12}$|^([0-9a-fA-F]{2}-){5}[0-9a-fA-F]{2}$/.test(value)) {
      throw new AdapterError(
        `NetworkAddress must be 12 hex digits, optionally as pairs separated by hyphens (001122334455 or 00-11-22-33-44-55); got "${value}"`,
      );
    }
    if (parseInt(digits.slice(0, 2), 16) & 1)
      throw new AdapterError(`NetworkAddress ${value} is a multicast address (lowest bit of the first byte set); an adapter needs a unicast address`);
    // Stored as the Advanced page stores it (LimitText 12, UpperCase 1): twelve digits, no hyphens.
    value = digits.toUpperCase();
  }
  if (parameter === undefined) throw new AdapterError(`"${keyword}" is not one of this adapter's Ndi\\params keywords (netconfig adapter show lists them)`);
  const type = parameter.type ?? 'edit';
  const limits = NUMERIC_LIMITS.get(type);
  if (limits !== undefined) {
    const base = parameter.base === '16' ? 16 : 10;
    const pattern = base === 16 ? /^[0-9a-fA-F]+$/ : /^-?\d+$/;
    if (!pattern.test(value)) throw new AdapterError(`${keyword} takes a base-${base} ${type}; got "${value}"`);
    const number = base === 16 ? BigInt(`0x${value}`) : BigInt(value);
    const [low, high] = limits;
    // Min, Max and Step come from the driver's description, in the parameter's base.
    const described = (field: 'min' | 'max' | 'step', absent: bigint): bigint => {
      const written = parameter[field];
      if (written === undefined) return absent;
      try {
        return BigInt(base === 16 ? `0x${written}` : written);
      } catch {
        const name = DESCRIBED_TEXT.find(([f]) => f === field)![1];
        throw new AdapterError(`${keyword}'s Ndi\\params ${name} "${written}" is not a base-${base} number: the driver's description of it is broken`);
      }
    };
    const min = described('min', low);
    const max = described('max', high);
    if (number < min || number > max) throw new AdapterError(`${keyword} must be between ${parameter.min ?? low} and ${parameter.max ?? high}; got ${value}`);
    const step = described('step', 1n);
    if (step > 0n && (number - min) % step !== 0n)
      throw new AdapterError(`${keyword} goes in steps of ${parameter.step} from ${parameter.min ?? low}; got ${value}`);
    return value;
  }
  if (type === 'enum') {
    const choices = parameter.choices ?? [];
    if (!choices.some((c) => c.value === value)) {
      throw new AdapterError(`${keyword} must be one of: ${choices.map((c) => `${c.value} (${c.text})`).join(', ')}; got "${value}"`);
    }
    return value;
  }
  const limit = parameter.limitText !== undefined ? Number(parameter.limitText) : undefined;
  if (limit !== undefined && value.length > limit) throw new AdapterError(`${keyword} is limited to ${limit} characters; got ${value.length}`);
  return parameter.upperCase ? value.toUpperCase() : value;
}

/** Writes a keyword's value as the Advanced page does: a REG_SZ in the instance key. */
export function setParameter(adapter: KeyNode, keyword: string, value: string): void {
  adapter.setValue(keyword, ValueType.REG_SZ, encodeUtf16le(`${value}\0`));
}
