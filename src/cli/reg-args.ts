/**
 * Strict parsing of `netconfig reg VERB …`: each verb takes exactly the switches of Microsoft's reg
 * command reference for that verb (learn.microsoft.com/windows-server/administration/windows-commands/reg-*)
 * plus netconfig's own `--long` options. reg.exe answers anything else — an unknown switch, a switch
 * given twice, a missing value, conflicting switches, a stray argument — with "ERROR: Invalid syntax."
 * and exit 1 (Wine's programs/reg/tests/query.c@0a95b94:118-143 pins `/v` without a name, `/v` twice,
 * `/v` with `/ve`, `/s /s` and `/reg:32 /reg:64` as failures on Windows). So do we, before any file is
 * opened.
 */

export class RegSyntaxError extends Error {
  readonly code = 'REG_SYNTAX';
  constructor(
    /** The offending argument (or the verb, when an argument is missing). */
    readonly token: string,
    readonly reason: string,
  ) {
    super(`ERROR: Invalid syntax.\n${reason}`);
    this.name = 'RegSyntaxError';
  }
}

interface VerbSpec {
  /** How many positional arguments: [min, max]. */
  positional: [number, number];
  /** Switch names (lower case, without the / or -) → takes a value. */
  switches: Record<string, boolean>;
  /** Groups of switches of which at most one may be given. */
  exclusive: string[][];
  /** Switches that only make sense with another one. */
  requires?: Record<string, string>;
  usage: string;
}

const VIEW = { 'reg:32': false, 'reg:64': false };

export const REG_VERBS: Record<string, VerbSpec> = {
  query: {
    positional: [1, 1],
    switches: { v: true, ve: false, s: false, se: true, f: true, k: false, d: false, c: false, e: false, t: true, z: false, ...VIEW },
    exclusive: [
      ['v', 've'],
      ['k', 'd'],
      ['reg:32', 'reg:64'],
    ],
    requires: { k: 'f', d: 'f', c: 'f', e: 'f' },
    usage: 'netconfig reg query KEY [/v NAME | /ve] [/s] [/se SEP] [/f DATA [/k | /d] [/c] [/e]] [/t TYPE] [/z]',
  },
  add: {
    positional: [1, 1],
    switches: { v: true, ve: false, t: true, s: true, d: true, f: false, ...VIEW },
    exclusive: [
      ['v', 've'],
      ['reg:32', 'reg:64'],
    ],
    usage: 'netconfig reg add KEY [/v NAME | /ve] [/t TYPE] [/s SEP] [/d DATA] [/f]',
  },
  delete: {
    positional: [1, 1],
    switches: { v: true, ve: false, va: false, f: false, ...VIEW },
    exclusive: [
      ['v', 've', 'va'],
      ['reg:32', 'reg:64'],
    ],
    usage: 'netconfig reg delete KEY [/v NAME | /ve | /va] /f',
  },
  copy: {
    positional: [2, 2],
    switches: { s: false, f: false, ...VIEW },
    exclusive: [['reg:32', 'reg:64']],
    usage: 'netconfig reg copy KEY1 KEY2 [/s] [/f]',
  },
  save: {
    positional: [2, 2],
    switches: { y: false, ...VIEW },
    exclusive: [['reg:32', 'reg:64']],
    usage: 'netconfig reg save KEY FILE [/y]',
  },
  restore: {
    positional: [2, 2],
    switches: { ...VIEW },
    exclusive: [['reg:32', 'reg:64']],
    usage: 'netconfig reg restore KEY FILE',
  },
  export: {
    positional: [2, 2],
    switches: { y: false, ...VIEW },
    exclusive: [['reg:32', 'reg:64']],
    usage: 'netconfig reg export KEY FILE [/y]',
  },
  import: {
    positional: [1, 1],
    switches: { ...VIEW },
    exclusive: [['reg:32', 'reg:64']],
    usage: 'netconfig reg import FILE',
  },
  compare: {
    positional: [2, 2],
    switches: { v: true, ve: false, s: false, oa: false, od: false, os: false, on: false, ...VIEW },
    exclusive: [
      ['v', 've'],
      ['oa', 'od', 'os', 'on'],
      ['reg:32', 'reg:64'],
    ],
    usage: 'netconfig reg compare KEY1 KEY2 [/v NAME | /ve] [/s] [/oa | /od | /os | /on]',
  },
};

/** netconfig's own options for `reg`, each `--name VALUE` or `--name=VALUE`, or a flag. */
export const REG_OPTIONS: Record<string, 'value' | 'flag' | 'repeat'> = {
  '--hive': 'repeat',
  '--mount': 'repeat',
  '--image': 'value',
  '--user': 'value',
  '--hive2': 'value',
  '--mount2': 'value',
  '--image2': 'value',
  '--user2': 'value',
  '--wait': 'value',
  '--encoding': 'value',
  '--dialect': 'value',
  '--json': 'flag',
  '--force': 'flag',
  '--no-recover': 'flag',
};

export interface RegCommandLine {
  verb: string;
  positional: string[];
  switches: Map<string, string | true>;
  /** Long options in order; repeatable ones keep every occurrence. */
  options: { name: string; value: string | true }[];
  help: boolean;
}

export function option(line: RegCommandLine, name: string): string | undefined {
  const found = line.options.filter((o) => o.name === name);
  const last = found[found.length - 1];
  return last === undefined || last.value === true ? undefined : last.value;
}

export function flag(line: RegCommandLine, name: string): boolean {
  return line.options.some((o) => o.name === name);
}

/**
 * Splits `reg` arguments into verb, positional arguments, reg.exe switches and netconfig options.
 * @throws {RegSyntaxError}
 */
export function parseRegCommandLine(argv: string[]): RegCommandLine {
  const options: { name: string; value: string | true }[] = [];
  const rest: string[] = [];
  let help = false;
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i]!;
    if (arg.startsWith('--')) {
      if (arg === '--help') {
        help = true;
        continue;
      }
      const eq = arg.indexOf('=');
      const name = eq < 0 ? arg : arg.slice(0, eq);
      const kind = REG_OPTIONS[name];
      if (kind === undefined) throw new RegSyntaxError(arg, `unknown option "${arg}" (netconfig's options: ${Object.keys(REG_OPTIONS).join(', ')})`);
      if (kind === 'flag') {
        if (eq >= 0) throw new RegSyntaxError(arg, `${name} takes no value`);
        options.push({ name, value: true });
        continue;
      }
      const value = eq >= 0 ? arg.slice(eq + 1) : argv[++i];
      if (value === undefined || value === '') throw new RegSyntaxError(arg, `${name} needs a value`);
      if (kind === 'value' && options.some((o) => o.name === name)) throw new RegSyntaxError(arg, `${name} is given twice`);
      options.push({ name, value });
      continue;
    }
    rest.push(arg);
  }
  const verbToken = rest.shift();
  if (verbToken === undefined) return { verb: '', positional: [], switches: new Map(), options, help: true };
  if (verbToken === '/?' || verbToken === '-?' || /^[/-]h$/i.test(verbToken)) return { verb: '', positional: [], switches: new Map(), options, help: true };
  const verb = verbToken.toLowerCase();
  const spec = REG_VERBS[verb];
  if (spec === undefined) {
    if (verb === 'load' || verb === 'unload') {
      throw new RegSyntaxError(
        verbToken,
        `reg ${verb} acts on a running registry; here a hive file is mounted for one command with --hive FILE --mount PATH (or --image DIR)`,
      );
    }
    throw new RegSyntaxError(verbToken, `unknown reg verb "${verbToken}" (query, add, delete, copy, save, restore, export, import, compare)`);
  }
  const positional: string[] = [];
  const switches = new Map<string, string | true>();
  for (let i = 0; i < rest.length; i++) {
    const arg = rest[i]!;
    if (arg === '/?' || arg === '-?' || /^[/-]h$/i.test(arg)) {
      help = true;
      continue;
    }
    const match = /^[/-]([A-Za-z][A-Za-z0-9:]*)$/.exec(arg);
    if (match === null) {
      positional.push(arg);
      continue;
    }
    const name = match[1]!.toLowerCase();
    const takesValue = spec.switches[name];
    if (takesValue === undefined) throw new RegSyntaxError(arg, `reg ${verb} has no switch "${arg}" (usage: ${spec.usage})`);
    if (switches.has(name)) throw new RegSyntaxError(arg, `"${arg}" is given twice`);
    if (takesValue) {
      const value = rest[i + 1];
      if (value === undefined) throw new RegSyntaxError(arg, `"${arg}" needs a value`);
      switches.set(name, value);
      i++;
    } else switches.set(name, true);
  }
  if (help) return { verb, positional, switches, options, help };
  if (positional.length < spec.positional[0])
    throw new RegSyntaxError(verb, `reg ${verb} needs ${spec.positional[0] === 1 ? 'a key' : 'two arguments'} (usage: ${spec.usage})`);
  if (positional.length > spec.positional[1]) {
    const stray = positional[spec.positional[1]]!;
    throw new RegSyntaxError(stray, `unexpected argument "${stray}" (usage: ${spec.usage}; a hive file is named with --hive FILE)`);
  }
  for (const group of spec.exclusive) {
    const given = group.filter((name) => switches.has(name));
    if (given.length > 1) throw new RegSyntaxError(`/${given[1]}`, `/${given[0]} and /${given[1]} cannot be used together`);
  }
  for (const [name, needed] of Object.entries(spec.requires ?? {})) {
    if (switches.has(name) && !switches.has(needed)) throw new RegSyntaxError(`/${name}`, `/${name} only works with /${needed}`);
  }
  return { verb, positional, switches, options, help };
}
