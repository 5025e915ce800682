import { ValueType, decodeUtf16le, encodeUtf16le } from '../hive/index.js';
import type { Hive, KeyNode } from '../hive/index.js';
import { NET_CLASS_GUID } from './default-hive.js';

/**
 * `netconfig adapter …`: the network adapters of an offline SYSTEM hive and their Advanced-tab
 * properties. Adapters are the `NNNN` subkeys of `ControlSetXXX\Control\Class\{4d36e972-…}` in the
 * control set `Select\Current` names (netadaptercx-config.md §1.2, §7); each property is described by
 * `Ndi\params\<Keyword>` (ecosystem.md §5.2) and its chosen value is a REG_SZ named `<Keyword>` in the
 * instance key.
 */

export class AdapterError extends Error {}

/** A value as text: REG_SZ/REG_EXPAND_SZ up to the first NUL, REG_DWORD in decimal; else undefined. */
export function stringOf(key: KeyNode, name: string): string | undefined {
  const value = key.value(name);
  if (value === undefined) return undefined;
  const data = value.data();
  if (value.type === ValueType.REG_DWORD && data.length === 4) return String(new DataView(data.buffer, data.byteOffset, 4).getUint32(0, true));
  if (value.type !== ValueType.REG_SZ && value.type !== ValueType.REG_EXPAND_SZ) return undefined;
  const text = decodeUtf16le(data, 0, data.length);
  const nul = text.indexOf('\0');
  return nul >= 0 ? text.slice(0, nul) : text;
}

/** The control set the hive boots with: `Select\Current` = N → `ControlSet00N`. */
export function currentControlSet(hive: Hive): KeyNode {
  const select = hive.root().subkey('Select');
  const current = select?.value('Current')?.data();
  if (current === undefined || current.length < 4) throw new AdapterError('this hive has no Select\\Current value: is it a SYSTEM hive?');
  const n = new DataView(current.buffer, current.byteOffset, 4).getUint32(0, true);
  const name = `ControlSet${String(n).padStart(3, '0')}`;
  const set = hive.root().subkey(name);
  if (set === undefined) throw new AdapterError(`Select\\Current names ${name}, which this hive does not have`);
  return set;
}

export function adapterClassKey(hive: Hive): KeyNode {
  const key = currentControlSet(hive).subkey('Control')?.subkey('Class')?.subkey(NET_CLASS_GUID);
  if (key === undefined) throw new AdapterError(`no Control\\Class\\${NET_CLASS_GUID} (network adapters) in the current control set`);
  return key;
}

export interface AdapterSummary {
  instance: string;
  description: string | null;
  netCfgInstanceId: string | null;
  componentId: string | null;
  networkAddress: string | null;
}

export function listAdapters(hive: Hive): AdapterSummary[] {
  return adapterClassKey(hive)
    .subkeys()
    .filter((key) => /^\d{4}$/.test(key.name))
    .map((key) => ({
      instance: key.name,
      description: stringOf(key, 'DriverDesc') ?? null,
      netCfgInstanceId: stringOf(key, 'NetCfgInstanceId') ?? null,
      componentId: stringOf(key, 'ComponentId') ?? null,
      networkAddress: stringOf(key, 'NetworkAddress') ?? null,
    }));
}

export function openAdapter(hive: Hive, instance: string): KeyNode {
  const name = /^\d{1,4}$/.test(instance) ? instance.padStart(4, '0') : instance;
  const key = adapterClassKey(hive).subkey(name);
  if (key === undefined) throw new AdapterError(`no adapter instance ${name} (netconfig adapter list shows them)`);
  return key;
}

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

export function adapterParameters(adapter: KeyNode): AdapterParameter[] {
  const params = adapter.subkey('Ndi')?.subkey('params');
  if (params === undefined) return [];
  return params.subkeys().map((param) => {
    const parameter: AdapterParameter = {
      keyword: param.name,
      description: stringOf(param, 'ParamDesc'),
      type: stringOf(param, 'Type')?.toLowerCase(),
      default: stringOf(param, 'Default'),
      optional: stringOf(param, 'Optional') === '1',
      current: stringOf(adapter, param.name),
    };
    for (const field of ['Min', 'Max', 'Step', 'Base', 'LimitText'] as const) {
      const value = stringOf(param, field);
      if (value !== undefined) (parameter as unknown as Record<string, string>)[field === 'LimitText' ? 'limitText' : field.toLowerCase()] = value;
    }
    if (stringOf(param, 'UpperCase') !== undefined) parameter.upperCase = stringOf(param, 'UpperCase') === '1';
    const choices = param.subkey('enum');
    if (choices !== undefined) parameter.choices = choices.values().map((v) => ({ value: v.name, text: stringOf(choices, v.name) ?? '' }));
    return parameter;
  });
}

const NUMERIC_LIMITS: Record<string, [bigint, bigint]> = {
  int: [-(2n ** 31n), 2n ** 31n - 1n],
  long: [-(2n ** 31n), 2n ** 31n - 1n],
  word: [0n, 65535n],
  dword: [0n, 2n ** 32n - 1n],
};

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
      throw new AdapterError(`NetworkAddress must be 12 hex digits, optionally as pairs separated by hyphens (001122334455 or 00-11-22-33-44-55); got "${value}"`);
    }
    if (parseInt(digits.slice(0, 2), 16) & 1) throw new AdapterError(`NetworkAddress ${value} is a multicast address (lowest bit of the first byte set); an adapter needs a unicast address`);
    // Stored as the Advanced page stores it (LimitText 12, UpperCase 1): twelve digits, no hyphens.
    value = digits.toUpperCase();
  }
  if (parameter === undefined) throw new AdapterError(`"${keyword}" is not one of this adapter's Ndi\\params keywords (netconfig adapter show lists them)`);
  const type = parameter.type ?? 'edit';
  if (type in NUMERIC_LIMITS) {
    const base = parameter.base === '16' ? 16 : 10;
    const pattern = base === 16 ? /^[0-9a-fA-F]+$/ : /^-?\d+$/;
    if (!pattern.test(value)) throw new AdapterError(`${keyword} takes a base-${base} ${type}; got "${value}"`);
    const number = base === 16 ? BigInt(`0x${value}`) : BigInt(value);
    const [low, high] = NUMERIC_LIMITS[type]!;
    const min = parameter.min !== undefined ? BigInt(base === 16 ? `0x${parameter.min}` : parameter.min) : low;
    const max = parameter.max !== undefined ? BigInt(base === 16 ? `0x${parameter.max}` : parameter.max) : high;
    if (number < min || number > max) throw new AdapterError(`${keyword} must be between ${parameter.min ?? low} and ${parameter.max ?? high}; got ${value}`);
    const step = parameter.step !== undefined ? BigInt(base === 16 ? `0x${parameter.step}` : parameter.step) : 1n;
    if (step > 0n && (number - min) % step !== 0n) throw new AdapterError(`${keyword} goes in steps of ${parameter.step} from ${parameter.min ?? low}; got ${value}`);
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
