#!/usr/bin/env node
import { existsSync, readFileSync, realpathSync, writeSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { createRequire } from 'node:module';
import { Hive, HiveError, ValueRecord, checkHive, dumpHiveBytes, readValueData, recoverHive, walkKeys } from '../hive/index.js';
import { type HiveFile, ImageError, findLogs, locateImageHives, recoverHiveFile, writeFileAtomic } from '../node/index.js';
import { createDefaultHive } from './default-hive.js';
import { commandWeb } from './web.js';
import { AdapterError, adapterParameters, listAdapters, openAdapter, setParameter, stringOf, validateParameter } from './adapter.js';
import { REG_HELP, RegFailure, WRITING_VERBS, runRegVerb } from './reg.js';
import type { RegContext } from './reg.js';
import { RegSyntaxError, flag, option, parseRegCommandLine } from './reg-args.js';
import { RegDataError } from './reg-data.js';
import type { RegCommandLine } from './reg-args.js';
import { HiveSelectionError, OpenHives, closeHiveFile, commitHiveFile, openHiveFile, openHiveFileForWriting } from './hives.js';
import { runBatch, writeInBatch } from './batch.js';
import { InfCommandError, checkInf, describeInstall, formatFinding, installInto, readInf, select } from './inf.js';
import { DriverKeyError, InfSyntaxError } from '../inf/index.js';
import type { InfArch } from '../inf/index.js';
import type { HiveSelection } from './hives.js';
import { RegDecodeProblem, RegExportError, RegFileSyntaxError, RegImportError } from '../regfile/index.js';
import { MountError, NT_SUCCESS, NtStatusError, Registry, RegistryPathError, openNetworkAdapter, statusName } from '../registry/index.js';
import {
  Environment,
  NetAdapter,
  NetAdapterOpenConfiguration,
  NetConfigurationAssignBinary,
  NetConfigurationAssignMultiString,
  NetConfigurationAssignUlong,
  NetConfigurationAssignUnicodeString,
  NetConfigurationClose,
  NetConfigurationQueryBinary,
  NetConfigurationQueryLinkLayerAddress,
  NetConfigurationQueryMultiString,
  NetConfigurationQueryString,
  NetConfigurationQueryUlong,
  NetDeviceOpenConfiguration,
  BugCheck,
  RELEASES,
  WdfCollection,
  WdfDevice,
  WdfString,
} from '../netadapter/index.js';
import type { NetConfiguration, Out, Release, WdfMemory } from '../netadapter/index.js';

export const DEFAULT_HIVE = 'netconfig.hiv';

const HELP = `netconfig — read, write and check Windows registry hive files (regf)

Usage: netconfig COMMAND [HIVE] [options]

With no HIVE, dump, check, stat and adapter use ./${DEFAULT_HIVE}, created on first use as a
SYSTEM-shaped hive holding one sample network adapter; reg always names its hives (--hive or --image).

Commands:
  dump [HIVE]        Print every key as one JSON line: {"path", "mtime", "values": [[name, type, hex]]},
                     depth first, in on-disk order (the same bytes as hivex-dump.py prints).
  check [HIVE]       Check every invariant Windows relies on (bins, cells, lists, hashes, security,
                     counts, checksum). Prints one line per violation; exit 1 if any.
  stat [HIVE]        Read every key and value and print counts and the hive's header facts.
  create FILE        Write a new empty hive (--minor 3 or 5, default 5; --force to overwrite).
  recover HIVE       Replay the transaction logs beside a dirty hive (HIVE.LOG1/.LOG2/.LOG) into
                     HIVE.recovered (-o FILE to choose; --in-place to replace HIVE itself).
  inf check FILE     An INF's syntax findings (and network lint), FILE:LINE: error|warning CODE message.
  inf show FILE --hwid ID       The driver chosen for a hardware ID, why, and what an install writes.
  inf install FILE --hwid ID    Create the adapter key Windows would (next Class\\{4d36e972-…}\\NNNN
                     under the ControlSet Select\\Current names) in --hive SYSTEM, --image DIR or the
                     default hive; --arch amd64|arm64|x86, --time ISO and --guid {GUID} to pin the output.
  batch [FILE|-]     Many commands in one process, one per line, hives read once (--commit-once,
                     --json, --continue; see netconfig batch --help).
  reg VERB ...       reg.exe's verbs on hive files mounted at registry paths: query, add, delete,
                     copy, save, restore, export, import, compare (--hive FILE [--mount PATH], or
                     --image DIR [--user NAME] for an offline Windows volume; see netconfig reg /?).
  web                The hive editor page on 127.0.0.1 (--hive FILE or --image DIR; --port N): browse,
                     edit, find, check; Save commits through the log like every write here.
  adapter list       The network adapters of a SYSTEM hive (--hive FILE, or --image DIR for the
                     image's SYSTEM hive): instance, description, NetCfgInstanceId, NetworkAddress.
  adapter show N     Every Advanced property (Ndi\\params) of adapter N beside its current value.
  adapter get N KEYWORD          One property's current value.
  adapter set N KEYWORD VALUE    Set it, checked against Ndi\\params (range, step, choices, length,
                     NetworkAddress syntax); --force writes anyway.
  adapter assign-ulong|assign-string|assign-multistring|assign-binary N NAME VALUE...
  adapter query-ulong|query-string|query-multistring|query-binary N NAME   (query = query-ulong)
  adapter query-link-layer-address N
                     The NETCONFIGURATION calls themselves, printing the NTSTATUS by name and value:
                     --device for the device path, --release 1703|1803|1809|1903|2004|2100, --hex.

Options:
  --tolerant         Read past broken structures and report them instead of stopping (dump, stat).
  --no-recover       dump, stat, check: read a dirty hive as it is, without replaying its logs
                     (by default logs found beside a dirty hive are replayed in memory).
  --json             Machine-readable output (stat, check, adapter).
  --wait SECONDS     adapter set/assign-*: wait this long for another writer's lock (default 10).
  -h, --help         This help.   -V, --version   The version.

Examples:
  netconfig dump                       # the default hive, created if missing
  netconfig dump SYSTEM > system.jsonl
  netconfig check SYSTEM && echo clean
  netconfig create empty.hiv --minor 3
  netconfig reg query "HKLM\\SYSTEM\\Select" --hive SYSTEM
  netconfig reg import tweaks.reg --image /mnt/windows --user alice
  netconfig adapter show 0000
  netconfig adapter set 0000 *JumboPacket 9014
  netconfig adapter assign-binary 0000 MyBlob 00112233 --device
  netconfig adapter set 0000 *JumboPacket 9014 --image /mnt/windows

Exit codes: 0 success; 1 the hive is malformed, the command failed, or it was mistyped (nothing is
written then); reg compare: 2 when the keys differ.`;

class UsageError extends Error {}

interface Parsed {
  command: string | undefined;
  positional: string[];
  flags: Map<string, string | true>;
}

type OptionSpec = Record<string, { type: 'string' | 'boolean'; short?: string }>;

const COMMON: OptionSpec = { help: { type: 'boolean', short: 'h' } };
const HIVE_SELECTION: OptionSpec = { hive: { type: 'string' }, image: { type: 'string' }, user: { type: 'string' }, wait: { type: 'string' } };

/** Each command's options: anything else is refused (a typo must not silently change what is written). */
const COMMAND_OPTIONS: Record<string, { options: OptionSpec; positional: [number, number]; usage: string; verbs?: readonly string[] }> = {
  dump: {
    options: { tolerant: { type: 'boolean' }, 'no-recover': { type: 'boolean' } },
    positional: [0, 1],
    usage: 'netconfig dump [HIVE] [--tolerant] [--no-recover]',
  },
  stat: {
    options: { tolerant: { type: 'boolean' }, 'no-recover': { type: 'boolean' }, json: { type: 'boolean' } },
    positional: [0, 1],
    usage: 'netconfig stat [HIVE] [--tolerant] [--no-recover] [--json]',
  },
  check: {
    options: { 'no-recover': { type: 'boolean' }, json: { type: 'boolean' } },
    positional: [0, 1],
    usage: 'netconfig check [HIVE] [--no-recover] [--json]',
  },
  create: { options: { minor: { type: 'string' }, force: { type: 'boolean' } }, positional: [1, 1], usage: 'netconfig create FILE [--minor 3|5] [--force]' },
  recover: {
    options: { 'in-place': { type: 'boolean' }, o: { type: 'string', short: 'o' }, force: { type: 'boolean' } },
    positional: [1, 1],
    usage: 'netconfig recover HIVE [--in-place | -o FILE] [--force]',
  },
  inf: {
    options: {
      ...HIVE_SELECTION,
      hwid: { type: 'string' },
      arch: { type: 'string' },
      'kmdf-version': { type: 'string' },
      time: { type: 'string' },
      guid: { type: 'string' },
      json: { type: 'boolean' },
      force: { type: 'boolean' },
    },
    positional: [2, 2],
    verbs: ['check', 'show', 'install'],
    usage: 'netconfig inf check|show|install FILE [--hwid ID] [--arch amd64|arm64|x86] [--hive SYSTEM | --image DIR] [--time ISO] [--guid {GUID}]',
  },
  adapter: {
    options: {
      ...HIVE_SELECTION,
      json: { type: 'boolean' },
      force: { type: 'boolean' },
      device: { type: 'boolean' },
      release: { type: 'string' },
      hex: { type: 'boolean' },
    },
    positional: [1, 64],
    verbs: [
      'list',
      'show',
      'get',
      'set',
      'assign-ulong',
      'assign-string',
      'assign-multistring',
      'assign-binary',
      'query',
      'query-ulong',
      'query-string',
      'query-multistring',
      'query-binary',
      'query-link-layer-address',
    ],
    usage: 'netconfig adapter VERB ... [--hive FILE | --image DIR] (see netconfig --help)',
  },
};

function parseArguments(argv: string[]): Parsed {
  // The command comes first; before it only --help and --version are meaningful.
  const first = argv.length > 0 && !argv[0]!.startsWith('-') ? 0 : -1;
  const command = first < 0 ? undefined : argv[first];
  if (command === undefined || command === 'help') {
    const { values } = parseArgs({
      args: argv.filter((a) => a !== 'help'),
      options: { help: { type: 'boolean', short: 'h' }, version: { type: 'boolean', short: 'V' } },
      strict: true,
      allowPositionals: false,
    });
    const flags = new Map<string, string | true>();
    if (values.version) flags.set('--version', true);
    if (values.help || command === 'help') flags.set('--help', true);
    return { command: undefined, positional: [], flags };
  }
  const spec = COMMAND_OPTIONS[command];
  if (spec === undefined) throw new UsageError(`unknown command "${command}" (dump, check, stat, create, recover, reg, adapter; --help for more)`);
  const rest = [...argv.slice(0, first), ...argv.slice(first + 1)];
  let parsed;
  try {
    parsed = parseArgs({ args: rest, options: { ...COMMON, ...spec.options }, strict: true, allowPositionals: true });
  } catch (error) {
    throw new UsageError(`${(error as Error).message.replace(/\. To specify a positional argument.*$/s, '')} (usage: ${spec.usage})`);
  }
  const flags = new Map<string, string | true>();
  for (const [name, value] of Object.entries(parsed.values)) {
    if (value === undefined || value === false) continue;
    flags.set(name.length === 1 ? `-${name}` : `--${name}`, value as string | true);
  }
  const positional = parsed.positionals;
  if (!flags.has('--help')) {
    if (positional.length < spec.positional[0])
      throw new UsageError(`${command} needs ${spec.positional[0] === 1 ? 'an argument' : 'more arguments'} (usage: ${spec.usage})`);
    if (positional.length > spec.positional[1]) throw new UsageError(`unexpected argument "${positional[spec.positional[1]]}" (usage: ${spec.usage})`);
    if (spec.verbs !== undefined && !spec.verbs.includes(positional[0]!))
      throw new UsageError(`${command} needs a verb (${spec.verbs.join(', ')}), not "${positional[0]}" (usage: ${spec.usage})`);
  }
  return { command, positional, flags };
}

/**
 * Throws the error a mistyped command line reports (an unknown command, option or verb, reg's switches),
 * before anything is opened; `netconfig batch` checks every line with it before running any.
 */
function checkCommandLine(argv: string[]): void {
  if (argv[0] === 'reg') parseRegCommandLine(argv.slice(1));
  else parseArguments(argv);
}

/** --wait SECONDS: how long a writer waits for another writer's lock (default 10 s). */
function waitSeconds(text: string | undefined, refuse: (message: string, token: string) => Error): number {
  if (text === undefined) return 10;
  const wait = Number(text);
  if (!Number.isFinite(wait) || wait < 0) throw refuse(`--wait takes a number of seconds, not "${text}"`, text);
  return wait;
}

function out(text: string): void {
  process.stdout.write(text);
}

/**
 * Writes bytes to stdout synchronously, so a large dump is never queued in memory. A non-blocking pipe
 * can refuse a write (EAGAIN); then the write is retried until the reader takes it.
 */
function writeStdout(chunk: Uint8Array): void {
  if (writeInBatch(chunk)) return;
  let offset = 0;
  while (offset < chunk.length) {
    try {
      offset += writeSync(1, chunk, offset, chunk.length - offset);
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EAGAIN') throw error;
    }
  }
}

/** The named hive, or the default one (created on first use). */
function hivePath(parsed: Parsed): string {
  return hivePathOrDefault(parsed.positional[0]);
}

function hivePathOrDefault(named: string | undefined): string {
  if (named !== undefined) return named;
  if (!existsSync(DEFAULT_HIVE)) {
    writeFileAtomic(DEFAULT_HIVE, createDefaultHive().serialize());
    process.stderr.write(`netconfig: created ${DEFAULT_HIVE} (a SYSTEM-shaped hive with one sample network adapter)\n`);
  }
  return DEFAULT_HIVE;
}

function reportRecovery(file: HiveFile): void {
  if (file.recovery === undefined) return;
  const applied = file.recovery.applied.map((a) => `${a.log} (${a.entries} ${a.format === 'new' ? 'entries' : 'pages'})`).join(', ');
  process.stderr.write(`netconfig: ${file.path} was dirty; replayed ${applied} in memory (files unchanged until a write; --no-recover to read it as it is)\n`);
}

function openForReading(parsed: Parsed): HiveFile {
  const file = openHiveFile(hivePath(parsed), { tolerant: parsed.flags.has('--tolerant'), recover: !parsed.flags.has('--no-recover') });
  reportRecovery(file);
  return file;
}

function warnDirty(file: HiveFile): void {
  if (file.recovery !== undefined) return;
  const dirty = file.hive.dirty;
  if (dirty === undefined) return;
  const why = !dirty.checksumValid ? 'its base-block checksum is wrong' : `its sequence numbers differ (${dirty.primarySequence} ≠ ${dirty.secondarySequence})`;
  process.stderr.write(`netconfig: warning: ${file.path} is dirty (${why}): its transaction logs may hold newer data; showing the file as it is\n`);
}

function reportProblems(file: HiveFile): void {
  for (const problem of file.hive.problems) process.stderr.write(`netconfig: skipped: ${problem.message}\n`);
}

function commandDump(parsed: Parsed): number {
  const file = openForReading(parsed);
  warnDirty(file);
  const progress = progressLine('dumped');
  dumpHiveBytes(file.hive, writeStdout, progress === noProgress ? undefined : progress);
  if (progress !== noProgress) process.stderr.write('\n');
  reportProblems(file);
  return file.hive.problems.length > 0 ? 1 : 0;
}

function commandStat(parsed: Parsed): number {
  const file = openForReading(parsed);
  warnDirty(file);
  let keys = 0;
  let values = 0;
  let dataBytes = 0;
  let maxDepth = 0;
  // Every value's data is located and checked (as a view, not copied); paths are not needed.
  for (const { key, depth } of walkKeys(file.hive, file.hive.root(), { paths: false })) {
    keys++;
    if (depth > maxDepth) maxDepth = depth;
    for (const cell of key.valueCells()) {
      if (ValueRecord.at(file.hive, cell) === undefined) continue;
      values++;
      dataBytes += readValueData(file.hive, cell, false)?.length ?? 0;
    }
  }
  const base = file.hive.baseBlock;
  const facts = {
    path: file.path,
    version: `${base.majorVersion}.${base.minorVersion}`,
    dirty: file.hive.dirty !== undefined,
    sequence: [base.primarySequence, base.secondarySequence],
    hiveBinsSize: file.hive.hiveBinsSize,
    bins: file.hive.binStarts.length,
    keys,
    values,
    dataBytes,
    maxDepth,
    problems: file.hive.problems.length,
  };
  if (parsed.flags.has('--json')) out(`${JSON.stringify(facts)}\n`);
  else {
    out(`${facts.path}: regf ${facts.version}${facts.dirty ? ' (dirty)' : ''}, ${facts.bins} bins, ${facts.hiveBinsSize} bytes of bins\n`);
    out(`${keys} keys, ${values} values, ${dataBytes} bytes of value data, depth ${maxDepth}\n`);
  }
  reportProblems(file);
  return file.hive.problems.length > 0 ? 1 : 0;
}

function commandCheck(parsed: Parsed): number {
  const path = hivePath(parsed);
  let bytes: Uint8Array = readFileSync(path);
  if (!parsed.flags.has('--no-recover')) {
    const logs = findLogs(path);
    if (logs.log1 !== undefined || logs.log2 !== undefined || logs.log !== undefined) {
      const result = recoverHive(bytes, logs);
      if (result.recovered) {
        bytes = result.bytes;
        process.stderr.write(`netconfig: ${path} was dirty; checking it with its logs replayed (--no-recover to check the file as it is)\n`);
      }
    }
  }
  const violations = checkHive(bytes);
  const errors = violations.filter((v) => v.severity === 'error').length;
  if (parsed.flags.has('--json')) out(`${JSON.stringify(violations)}\n`);
  else
    for (const v of violations)
      out(`${v.kind === 'file' ? 'file' : 'cell'} 0x${v.offset.toString(16)}: ${v.severity === 'warning' ? 'warning: ' : ''}${v.rule}: ${v.message}\n`);
  if (!parsed.flags.has('--json')) {
    const warnings = violations.length - errors;
    process.stderr.write(
      `netconfig: ${path}: ${errors === 0 ? 'clean' : `${errors} error${errors === 1 ? '' : 's'}`}${warnings > 0 ? `, ${warnings} warning${warnings === 1 ? '' : 's'} (leaks Windows tolerates)` : ''}\n`,
    );
  }
  return errors === 0 ? 0 : 1;
}

function commandCreate(parsed: Parsed): number {
  const path = parsed.positional[0];
  if (path === undefined) throw new UsageError('create needs the file to write: netconfig create FILE');
  const minor = Number(parsed.flags.get('--minor') ?? 5);
  if (minor !== 3 && minor !== 5) throw new UsageError('--minor must be 3 or 5');
  if (existsSync(path) && !parsed.flags.has('--force')) throw new UsageError(`${path} exists; pass --force to overwrite it`);
  writeFileAtomic(path, Hive.create({ minorVersion: minor }).serialize());
  return 0;
}

function commandRecover(parsed: Parsed): number {
  const path = parsed.positional[0]!;
  const inPlace = parsed.flags.has('--in-place');
  if (inPlace && parsed.flags.has('-o')) throw new UsageError('give either --in-place or -o FILE, not both');
  const target = inPlace ? undefined : ((parsed.flags.get('-o') as string | undefined) ?? `${path}.recovered`);
  if (target !== undefined && existsSync(target) && !parsed.flags.has('--force')) throw new UsageError(`${target} exists; pass --force to overwrite it`);
  // Under the writer lock when in place; refused (nothing written) for logs of another hive or a replay
  // that does not validate.
  const { recovery, written } = recoverHiveFile(path, { output: target, wait: 10 });
  if (written === undefined) {
    process.stderr.write(`netconfig: ${path} is clean; its logs (if any) hold nothing it lacks. Nothing written.\n`);
    return 0;
  }
  for (const applied of recovery.applied) {
    out(
      `${applied.log}: ${applied.format}-format log, ${applied.entries} ${applied.format === 'new' ? 'entries' : 'pages'}, sequence ${applied.firstSequence}–${applied.lastSequence}\n`,
    );
  }
  if (recovery.baseBlockFromLog) out('the base block was rebuilt from the log\n');
  out(`recovered hive written to ${written}\n`);
  return 0;
}

/**
 * `netconfig inf check|show|install FILE`: findings of an INF; the driver chosen for --hwid and what its
 * install would write; the install itself into a SYSTEM hive (--hive, --image or the default hive),
 * committed like every other write. --time and --guid make the result reproducible.
 */
function commandInf(parsed: Parsed): number {
  const [verb, file] = parsed.positional as [string, string];
  const arch = (parsed.flags.get('--arch') as string | undefined) ?? 'amd64';
  if (!['amd64', 'arm64', 'x86'].includes(arch)) throw new UsageError(`--arch must be amd64, arm64 or x86, not "${arch}"`);
  const timeText = parsed.flags.get('--time') as string | undefined;
  const time = timeText === undefined ? undefined : new Date(timeText);
  if (time !== undefined && Number.isNaN(time.getTime())) throw new UsageError(`--time takes an ISO date and time (2026-01-31T12:00:00Z), not "${timeText}"`);
  const guid = parsed.flags.get('--guid') as string | undefined;
  if (guid !== undefined && !/^\{[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}\}$/i.test(guid))
    throw new UsageError(`--guid takes a GUID in braces ({12345678-1234-1234-1234-123456789abc}), not "${guid}"`);
  const options = {
    hwid: parsed.flags.get('--hwid') as string | undefined,
    arch: arch as InfArch,
    kmdfVersion: parsed.flags.get('--kmdf-version') as string | undefined,
  };
  if (verb !== 'install' && (parsed.flags.has('--hive') || parsed.flags.has('--image')))
    throw new UsageError(`inf ${verb} writes nothing: --hive and --image belong to inf install`);
  const note = (text: string): void => void process.stderr.write(`netconfig: ${text}\n`);
  const inf = readInf(new Uint8Array(readFileSync(file)), file, options, note);
  if (verb === 'check') {
    const findings = checkInf(inf, options);
    if (parsed.flags.has('--json')) out(`${JSON.stringify(findings)}\n`);
    else for (const finding of findings) out(`${formatFinding(finding)}\n`);
    const errors = findings.filter((f) => f.severity === 'error').length;
    process.stderr.write(`netconfig: ${file}: ${errors} error(s), ${findings.length - errors} warning(s)\n`);
    return errors > 0 ? 1 : 0;
  }
  const { report, chosen } = select(inf, options);
  if (verb === 'show') {
    out(describeInstall(inf, report, chosen, { time, guid }));
    return 0;
  }
  const target = adapterHiveFile(parsed, true);
  try {
    reportRecovery(target);
    const result = installInto(target.hive, inf, chosen, { time, guid });
    commitHiveFile(target, { force: parsed.flags.has('--force') });
    for (const finding of result.findings) process.stderr.write(`${formatFinding(finding)}\n`);
    if (parsed.flags.has('--json'))
      out(
        `${JSON.stringify({ instance: result.instance.instance, path: result.instance.path, netCfgInstanceId: result.instance.netCfgInstanceId, section: chosen.installSection })}\n`,
      );
    else
      out(
        `installed ${chosen.description} as adapter ${result.instance.instance} (${result.instance.path}; NetCfgInstanceId ${result.instance.netCfgInstanceId})\n`,
      );
    return 0;
  } finally {
    closeHiveFile(target);
  }
}

function version(): string {
  const require = createRequire(import.meta.url);
  return (require('../../package.json') as { version: string }).version;
}

const noProgress = (): void => undefined;

/** Progress on a terminal only: a line rewritten in place on stderr. */
function progressLine(what: string): (done: number) => void {
  if (!process.stderr.isTTY) return noProgress;
  return (done) => process.stderr.write(`\r${what}: ${done}`);
}

function commandReg(argv: string[]): number {
  const line = parseRegCommandLine(argv);
  if (line.help) {
    out(`${REG_HELP}\n`);
    return line.verb === '' && argv.length === 0 ? 1 : 0;
  }
  const note = (message: string): void => {
    process.stderr.write(`netconfig: ${message}\n`);
  };
  const wait = waitSeconds(option(line, '--wait'), (message, token) => new RegSyntaxError(token, message));
  const write = WRITING_VERBS.has(line.verb);
  const selection = regSelection(line, '');
  const openOptions = { write, recover: !flag(line, '--no-recover'), force: flag(line, '--force'), wait, note };
  if (line.verb !== 'compare' && (option(line, '--hive2') ?? option(line, '--image2') ?? option(line, '--user2') ?? option(line, '--mount2')) !== undefined) {
    throw new RegSyntaxError('--hive2', '--hive2, --mount2, --image2 and --user2 name the second side of reg compare only');
  }
  if (line.verb !== 'import' && (option(line, '--encoding') ?? option(line, '--dialect')) !== undefined) {
    throw new RegSyntaxError('--encoding', '--encoding and --dialect apply to reg import only');
  }
  const hives = new OpenHives(selection, openOptions);
  try {
    const second = regSelection(line, '2');
    const hives2 = second.hives.length > 0 || second.image !== undefined ? new OpenHives(second, { ...openOptions, write: false }) : hives;
    const context: RegContext = {
      hives,
      hives2,
      out,
      note,
      json: flag(line, '--json'),
      encoding: option(line, '--encoding'),
      dialect: option(line, '--dialect'),
      progress: progressLine(line.verb === 'import' ? 'imported (operations)' : 'exported (keys)'),
    };
    const result = runRegVerb(line, context);
    if (process.stderr.isTTY && (line.verb === 'export' || line.verb === 'import')) process.stderr.write('\n');
    return result;
  } finally {
    hives.close();
  }
}

/** --hive FILE [--mount PATH] (repeatable; a --mount belongs to the --hive before it) or --image DIR [--user NAME]. */
function regSelection(line: RegCommandLine, suffix: '' | '2'): HiveSelection {
  const hives: { file: string; mount?: string }[] = [];
  for (const { name, value } of line.options) {
    if (name === `--hive${suffix}`) hives.push({ file: value as string });
    else if (name === `--mount${suffix}`) {
      const last = hives[hives.length - 1];
      if (last === undefined || last.mount !== undefined)
        throw new RegSyntaxError(`--mount${suffix}`, `--mount${suffix} PATH follows the --hive${suffix} FILE it applies to`);
      last.mount = value as string;
    }
  }
  return { hives, image: option(line, `--image${suffix}`), user: option(line, `--user${suffix}`) };
}

/**
 * The SYSTEM hive the adapter verbs work on: --hive FILE, the image's Windows/System32/config/SYSTEM
 * with --image DIR, or the default hive.
 */
function adapterHiveFile(parsed: Parsed, write: boolean): HiveFile {
  const wait = waitSeconds(parsed.flags.get('--wait') as string | undefined, (message) => new UsageError(message));
  // Writers hold the hive's lock from reading to committing.
  const open = (path: string): HiveFile => (write ? openHiveFileForWriting(path, { recover: true, wait }) : openHiveFile(path, { recover: true }));
  const hive = parsed.flags.get('--hive') as string | undefined;
  const image = parsed.flags.get('--image') as string | undefined;
  if (hive !== undefined && image !== undefined) throw new UsageError('give either --image DIR or --hive FILE, not both');
  if (parsed.flags.has('--user')) throw new UsageError('--user does not apply to adapter verbs (adapters live in the SYSTEM hive)');
  if (image !== undefined) {
    const system = locateImageHives(image).hives.find((h) => h.at === 'HKEY_LOCAL_MACHINE\\SYSTEM');
    if (system === undefined) throw new UsageError(`${image} has no Windows/System32/config/SYSTEM`);
    return open(system.file);
  }
  return open(hivePathOrDefault(hive));
}

function table(rows: string[][]): string {
  const widths = rows[0]!.map((_, i) => Math.max(...rows.map((r) => r[i]!.length)));
  return rows
    .map((r) =>
      r
        .map((cell, i) => cell.padEnd(widths[i]!))
        .join('  ')
        .trimEnd(),
    )
    .join('\n');
}

function commandAdapter(parsed: Parsed): number {
  const [verb, instance, keyword, value] = parsed.positional;
  const writes = verb === 'set' || (verb?.startsWith('assign-') ?? false);
  const file = adapterHiveFile(parsed, writes);
  try {
    reportRecovery(file);
    warnDirty(file);
    return adapterVerb(parsed, file, verb, instance, keyword, value);
  } finally {
    closeHiveFile(file);
  }
}

function adapterVerb(
  parsed: Parsed,
  file: HiveFile,
  verb: string | undefined,
  instance: string | undefined,
  keyword: string | undefined,
  value: string | undefined,
): number {
  const json = parsed.flags.has('--json');
  switch (verb) {
    case 'list': {
      const adapters = listAdapters(file.hive);
      if (json) out(`${JSON.stringify(adapters)}\n`);
      else
        out(
          `${table([['INSTANCE', 'DESCRIPTION', 'NETCFGINSTANCEID', 'NETWORKADDRESS'], ...adapters.map((a) => [a.instance, a.description ?? '-', a.netCfgInstanceId ?? '-', a.networkAddress ?? '-'])])}\n`,
        );
      return 0;
    }
    case 'show': {
      if (instance === undefined) throw new UsageError('adapter show needs an instance: netconfig adapter show 0000');
      const parameters = adapterParameters(openAdapter(file.hive, instance));
      if (json) out(`${JSON.stringify(parameters)}\n`);
      else {
        const allowed = (p: (typeof parameters)[number]): string =>
          p.choices !== undefined
            ? p.choices.map((c) => `${c.value}=${c.text}`).join(', ')
            : p.min !== undefined || p.max !== undefined
              ? `${p.min ?? ''}..${p.max ?? ''}${p.step !== undefined && p.step !== '1' ? ` step ${p.step}` : ''}`
              : p.limitText !== undefined
                ? `up to ${p.limitText} chars`
                : '';
        out(
          `${table([['KEYWORD', 'DESCRIPTION', 'TYPE', 'DEFAULT', 'ALLOWED', 'CURRENT'], ...parameters.map((p) => [p.keyword, p.description ?? '-', p.type ?? '-', p.default === undefined || p.default === '' ? '-' : p.default, allowed(p) || '-', p.current ?? '(not set)'])])}\n`,
        );
      }
      return 0;
    }
    case 'get': {
      if (instance === undefined || keyword === undefined)
        throw new UsageError('adapter get needs an instance and a keyword: netconfig adapter get 0000 *JumboPacket');
      const adapter = openAdapter(file.hive, instance);
      const current = stringOf(adapter, keyword);
      if (current === undefined) throw new AdapterError(`${keyword} is not set on adapter ${adapter.name}`);
      out(json ? `${JSON.stringify({ keyword, value: current })}\n` : `${current}\n`);
      return 0;
    }
    case 'set': {
      if (instance === undefined || keyword === undefined || value === undefined)
        throw new UsageError('adapter set needs an instance, a keyword and a value: netconfig adapter set 0000 *JumboPacket 9014');
      const adapter = openAdapter(file.hive, instance);
      const parameter = adapterParameters(adapter).find((p) => p.keyword.toUpperCase() === keyword.toUpperCase());
      let stored = value;
      try {
        stored = validateParameter(parameter, parameter?.keyword ?? keyword, value);
      } catch (error) {
        if (!(error instanceof AdapterError) || !parsed.flags.has('--force')) throw error;
        process.stderr.write(`netconfig: warning: ${error.message}; written anyway (--force)\n`);
      }
      setParameter(adapter, parameter?.keyword ?? keyword, stored);
      commitHiveFile(file, { force: parsed.flags.has('--force') });
      out(`${parameter?.keyword ?? keyword} = ${stored}\n`);
      return 0;
    }
    case 'assign-ulong':
    case 'assign-string':
    case 'assign-multistring':
    case 'assign-binary':
    case 'query':
    case 'query-ulong':
    case 'query-string':
    case 'query-multistring':
    case 'query-binary':
    case 'query-link-layer-address':
      return commandAdapterApi(parsed, file, verb);
    default: // parseArguments let only COMMAND_OPTIONS.adapter.verbs through
      throw new Error(`adapter verb "${verb}" has no case`);
  }
}

/**
 * `netconfig adapter assign-*|query-* N NAME [VALUE]`: the NETCONFIGURATION calls themselves, on the
 * adapter (NDIS) path or, with --device, the device path, as the release given by --release behaves
 * (default 2100); prints the NTSTATUS by name and value, and writes the hive when an assign succeeds.
 */
function commandAdapterApi(parsed: Parsed, file: HiveFile, verb: string): number {
  const [, instance, name, ...rest] = parsed.positional;
  if (instance === undefined || (name === undefined && verb !== 'query-link-layer-address')) {
    throw new UsageError(`adapter ${verb} needs an instance and a value name: netconfig adapter ${verb} 0000 NAME${verb.startsWith('assign') ? ' VALUE' : ''}`);
  }
  const release = (parsed.flags.get('--release') as string | undefined) ?? '2100';
  if (!(RELEASES as readonly string[]).includes(release)) throw new UsageError(`--release must be one of ${RELEASES.join(', ')}`);
  const environment = new Environment({ release: release as Release });
  const key = openNetworkAdapter(new Registry(file.hive), instance);
  const device = parsed.flags.has('--device');
  const opened: Out<NetConfiguration | null> = { value: null };
  let status = device
    ? NetDeviceOpenConfiguration(new WdfDevice(environment, key), null, opened)
    : NetAdapterOpenConfiguration(new NetAdapter(environment, key), null, opened);
  const config = opened.value!;
  let shown = '';
  const valueName = name ?? '';
  switch (verb) {
    case 'assign-ulong': {
      const text = rest[0] ?? '';
      if (!/^(0x[0-9a-f]+|\d+)$/i.test(text) || Number(text) > 0xffffffff)
        throw new UsageError(`assign-ulong needs a number from 0 to 4294967295 (decimal or 0x hex), not "${text}"`);
      status = NetConfigurationAssignUlong(config, valueName, Number(text));
      break;
    }
    case 'assign-string':
      status = NetConfigurationAssignUnicodeString(config, valueName, rest[0] ?? '');
      break;
    case 'assign-multistring': {
      const collection = new WdfCollection(environment);
      for (const item of rest) collection.items.push(new WdfString(environment, collection, item));
      status = NetConfigurationAssignMultiString(config, valueName, collection);
      break;
    }
    case 'assign-binary': {
      const hex = (rest[0] ?? '').replace(/[\s,:-]/g, '');
      if (hex.length % 2 !== 0 || !/^[0-9a-f]*$/i.test(hex)) throw new UsageError('assign-binary needs hex digits in pairs, e.g. 0011aabb');
      const bytes = Uint8Array.from(hex.match(/../g) ?? [], (pair) => parseInt(pair, 16));
      status = NetConfigurationAssignBinary(config, valueName, bytes, bytes.length);
      break;
    }
    case 'query':
    case 'query-ulong': {
      const value = { value: 0 };
      status = NetConfigurationQueryUlong(config, parsed.flags.has('--hex') ? 1 : 0, valueName, value);
      shown = `${value.value} (0x${value.value.toString(16)})`;
      break;
    }
    case 'query-string': {
      const value: Out<WdfString | null> = { value: null };
      status = NetConfigurationQueryString(config, valueName, null, value);
      shown = JSON.stringify(value.value?.value ?? null);
      break;
    }
    case 'query-multistring': {
      const collection = new WdfCollection(environment);
      status = NetConfigurationQueryMultiString(config, valueName, null, collection);
      shown = JSON.stringify(collection.items.map((item) => (item as WdfString).value));
      break;
    }
    case 'query-binary': {
      const value: Out<WdfMemory | null> = { value: null };
      status = NetConfigurationQueryBinary(config, valueName, 0, null, value);
      shown = value.value === null ? '' : Array.from(value.value.buffer, (b) => b.toString(16).padStart(2, '0')).join('');
      break;
    }
    case 'query-link-layer-address': {
      const address = { Length: 0, Address: new Uint8Array(32) };
      status = NetConfigurationQueryLinkLayerAddress(config, address);
      shown = Array.from(address.Address.subarray(0, address.Length), (b) => b.toString(16).padStart(2, '0')).join('-');
      break;
    }
  }
  NetConfigurationClose(config);
  const code = `0x${(status >>> 0).toString(16).toUpperCase().padStart(8, '0')}`;
  if (parsed.flags.has('--json')) out(`${JSON.stringify({ status: statusName(status), code, value: NT_SUCCESS(status) && shown !== '' ? shown : null })}\n`);
  else out(`${statusName(status)} (${code})${NT_SUCCESS(status) && shown !== '' ? `: ${shown}` : ''}\n`);
  if (NT_SUCCESS(status) && verb.startsWith('assign')) commitHiveFile(file, { force: parsed.flags.has('--force') });
  return NT_SUCCESS(status) ? 0 : 1;
}

let stdoutGuarded = false;

/**
 * Runs one netconfig command line (without `node` and the script) and returns its exit code. Output goes
 * to process.stdout and process.stderr; tests call it in process.
 */
export function main(argv: string[]): number {
  // A reader that stops early (| head) is not an error.
  if (!stdoutGuarded) {
    stdoutGuarded = true;
    process.stdout.on('error', (error: NodeJS.ErrnoException) => {
      if (error.code === 'EPIPE') process.exit(0);
      throw error;
    });
  }
  try {
    if (argv[0] === 'reg') return commandReg(argv.slice(1));
    if (argv[0] === 'batch') return runBatch(argv.slice(1), { run: main, check: checkCommandLine });
    if (argv[0] === 'web') return commandWeb(argv.slice(1));
    const parsed = parseArguments(argv);
    if (parsed.flags.has('--help') || parsed.flags.has('-h') || parsed.command === 'help') {
      out(`${HELP}\n`);
      return 0;
    }
    if (parsed.flags.has('--version') || parsed.flags.has('-V')) {
      out(`${version()}\n`);
      return 0;
    }
    switch (parsed.command) {
      case 'dump':
        return commandDump(parsed);
      case 'stat':
        return commandStat(parsed);
      case 'check':
        return commandCheck(parsed);
      case 'create':
        return commandCreate(parsed);
      case 'adapter':
        return commandAdapter(parsed);
      case 'recover':
        return commandRecover(parsed);
      case 'inf':
        return commandInf(parsed);
      case undefined:
        out(`${HELP}\n`);
        return 1;
      default:
        throw new UsageError(`unknown command "${parsed.command}" (try: dump, check, stat, create; --help for more)`);
    }
  } catch (error) {
    return reportError(error);
  }
}

/** One line a person can act on, for every error a user can cause; exit 1. Anything else is a bug. */
function reportError(error: unknown): number {
  if (error instanceof RegSyntaxError) {
    process.stderr.write(`${error.message}\n`);
    return 1;
  }
  if (error instanceof RegFailure || error instanceof RegDataError) {
    process.stderr.write(`${error.message}\n`);
    return 1;
  }
  if (error instanceof BugCheck) {
    process.stderr.write(`netconfig: the call would stop Windows: ${error.message}\n`);
    return 1;
  }
  if (error instanceof RegImportError || error instanceof RegExportError || error instanceof RegDecodeProblem) {
    process.stderr.write(`netconfig: ${error.message} (nothing was changed)\n`);
    return 1;
  }
  if (error instanceof RegFileSyntaxError) {
    process.stderr.write(`netconfig: ${error.message} (nothing was changed)\n`);
    return 1;
  }
  if (error instanceof UsageError) {
    process.stderr.write(`netconfig: ${error.message}\n`);
    return 1;
  }
  if (error instanceof InfSyntaxError || error instanceof InfCommandError || error instanceof DriverKeyError) {
    process.stderr.write(`netconfig: ${(error as Error).message}\n`);
    return 1;
  }
  if (
    error instanceof AdapterError ||
    error instanceof HiveError ||
    error instanceof HiveSelectionError ||
    error instanceof MountError ||
    error instanceof RegistryPathError ||
    error instanceof ImageError ||
    error instanceof NtStatusError
  ) {
    process.stderr.write(`netconfig: ${(error as Error).message}\n`);
    return 1;
  }
  const code = (error as NodeJS.ErrnoException | undefined)?.code;
  if (code === 'EPIPE') return 0;
  const described = describeFileError(error as NodeJS.ErrnoException);
  if (described !== undefined) {
    process.stderr.write(`netconfig: ${described}\n`);
    return 1;
  }
  throw error;
}

/** ENOENT, EISDIR, EACCES, EROFS, ENOSPC … as one line naming the file and what to do. */
function describeFileError(error: NodeJS.ErrnoException): string | undefined {
  const file = error.path ?? 'a file';
  switch (error.code) {
    case 'ENOENT':
      return `no such file: ${file} (check the name and its folder)`;
    case 'EISDIR':
      return `${file} is a folder, not a file (name the hive file inside it, or use --image for a Windows volume)`;
    case 'ENOTDIR':
      return `${file}: a part of the path is not a folder`;
    case 'EACCES':
    case 'EPERM':
      return `permission denied: ${file} (run as a user who may ${error.syscall === 'open' ? 'open' : 'change'} it)`;
    case 'EROFS':
      return `${file} is on a read-only file system; nothing was written (mount it read-write)`;
    case 'ENOSPC':
      return `no space left on the device holding ${file}; nothing was committed (free some space and retry)`;
    case 'EMFILE':
    case 'ENFILE':
      return `too many open files while working on ${file}`;
    default:
      return undefined;
  }
}

/** True when this file is the program being run (directly, or through npm's bin link), not imported. */
function invokedDirectly(): boolean {
  const script = process.argv[1];
  if (script === undefined) return false;
  try {
    return realpathSync(script) === fileURLToPath(import.meta.url);
  } catch {
    return false;
  }
}

if (invokedDirectly()) process.exitCode = main(process.argv.slice(2));
