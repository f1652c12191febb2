/**
 * What both doors do with a command line, once: parse it with node:util parseArgs against the options derived
 * from the settings table, refuse an unknown option with "did you mean", parse each setting value with
 * parseSetting (so the core gets typed answers), and map the action flags to RunOptions through the table.
 * Imports only the settings table, so the bin's --help and refusals stay cheap.
 */
import { statSync } from 'node:fs';
import path from 'node:path';
import { parseArgs, type ParseArgsConfig } from 'node:util';
import {
  type Answers,
  type Door,
  type RunOptions,
  SETTINGS,
  YEOMAN_OWN_OPTIONS,
  doorOptions,
  parseSetting,
  runOptionsFrom,
} from '../core/settings.js';
import { InputError } from '../core/errors.js';
import { didYouMean } from '../core/suggest.js';

export interface DoorArgs {
  /** Settings given on the command line, already parsed (and validated) by parseSetting. */
  flags: Partial<Answers>;
  options: RunOptions;
  /** -C/--directory as typed, with the spelling used (for messages). */
  directory?: { value: string; given: string };
  help: boolean;
  version: boolean;
  /** Yeoman door only: prompt without a TTY. */
  interactive: boolean;
}

type Config = NonNullable<ParseArgsConfig['options']>;

function configFor(door: Door): Config {
  const config: Config = {};
  for (const o of doorOptions(door)) config[o.name] = o.short ? { type: o.type, short: o.short } : { type: o.type };
  if (door === 'yeoman') {
    for (const name of YEOMAN_OWN_OPTIONS) config[name] ??= { type: name === 'log-cwd' ? 'string' : 'boolean' };
  }
  return config;
}

function unknownOption(raw: string, config: Config): InputError {
  const long = raw.startsWith('--');
  const name = raw.replace(/^--?/, '').split('=')[0];
  const names = long ? Object.keys(config) : Object.values(config).flatMap((c) => (c.short ? [c.short] : []));
  if (long && name === 'cwd') return new InputError(`Unknown option '--cwd'; to run in another folder use -C/--directory <dir>`);
  const near = long ? didYouMean(name, names) : names.find((s) => s.toLowerCase() === name.toLowerCase());
  return new InputError(`Unknown option '${long ? '--' : '-'}${name}'${near ? `; did you mean ${long ? '--' : '-'}${near}?` : ''} (see --help)`);
}

/** Parse a door's command line. Throws InputError (one line, exit 2) for anything invalid. */
export function parseDoorArgs(door: Door, args: string[]): DoorArgs {
  const config = configFor(door);
  // Unknown names and stray words first, so they get a "did you mean" whatever else is wrong.
  const { tokens = [] } = parseArgs({ args, options: config, strict: false, allowPositionals: true, tokens: true });
  for (const t of tokens) {
    if (t.kind === 'option' && !(t.name in config)) throw unknownOption(t.rawName, config);
    if (t.kind === 'positional') throw new InputError(`unexpected argument ${JSON.stringify(t.value)} (options start with --; see --help)`);
  }
  let values: Record<string, string | boolean | undefined>;
  try {
    ({ values } = parseArgs({ args, options: config, strict: true, allowPositionals: false }) as { values: Record<string, string | boolean | undefined> });
  } catch (e) {
    const message = (e as Error).message.split('\n')[0];
    const setting = SETTINGS.find((s) => [s.flag, ...(s.aliases ?? [])].some((f) => message.includes(`'--${f}`)));
    const hint = setting ? ` (a value starting with "-" needs --${setting.flag}=<value>; valid: ${setting.valid})` : ' (see --help)';
    throw new InputError(`${message}${hint}`);
  }

  const flags: Partial<Answers> = {};
  for (const s of SETTINGS) {
    const given = [s.flag, ...(s.aliases ?? [])].filter((f) => values[f] !== undefined);
    if (given.length > 1) throw new InputError(`--${given[0]} and --${given[1]} are the same setting; give one`);
    if (given.length === 1) (flags as Record<string, unknown>)[s.key] = parseSetting(s.key, values[given[0]], `--${given[0]}`);
  }
  const dirToken = tokens.filter((t) => t.kind === 'option' && t.name === 'directory').at(-1);
  return {
    flags,
    options: runOptionsFrom(values),
    ...(typeof values.directory === 'string' ? { directory: { value: values.directory, given: dirToken?.kind === 'option' ? dirToken.rawName : '--directory' } } : {}),
    help: Boolean(values.help),
    version: Boolean(values.version),
    interactive: Boolean(values.interactive),
  };
}

/** The folder a run works in: -C/--directory (relative to `base`) when given; refused unless it is a folder. */
export function workingFolder(base: string, directory: DoorArgs['directory']): string {
  if (!directory) return base;
  const dir = path.resolve(base, directory.value);
  let isDir: boolean;
  try {
    isDir = statSync(dir).isDirectory();
  } catch {
    throw new InputError(`${directory.given} ${directory.value}: no such folder`);
  }
  if (!isDir) throw new InputError(`${directory.given} ${directory.value}: not a folder`);
  return dir;
}
