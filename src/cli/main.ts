/**
 * The `cnpg-operator` bin: a thin door onto the core. It imports only the settings table until the flags are
 * valid, so --help, --version and a refused value cost little more than Node's own start-up; the core
 * (yaml, ejs) loads only for a real run, and Yeoman never loads at all.
 */
import { parseArgs, type ParseArgsConfig } from 'node:util';
import { InputError } from '../core/errors.js';
import { ACTIONS, type Answers, DEFAULT_RUN_OPTIONS, type RunOptions, SETTINGS, helpText, parseSetting } from '../core/settings.js';
import { packageVersion } from '../core/meta.js';

const PROGRAM = 'cnpg-operator';

export async function main(argv: string[]): Promise<number> {
  const options: NonNullable<ParseArgsConfig['options']> = {};
  for (const s of SETTINGS) {
    options[s.flag] = { type: 'string' };
    for (const alias of s.aliases ?? []) options[alias] = { type: 'string' };
  }
  for (const a of ACTIONS) {
    if (a.yeomanOnly) continue;
    options[a.flag] = a.short ? { type: a.type, short: a.short } : { type: a.type };
  }
  let values: Record<string, string | boolean | undefined>;
  try {
    ({ values } = parseArgs({ args: argv, options, strict: true, allowPositionals: false }) as { values: Record<string, string | boolean | undefined> });
  } catch (e) {
    const message = (e as Error).message.split('\n')[0];
    const setting = SETTINGS.find((s) => [s.flag, ...(s.aliases ?? [])].some((f) => message.includes(`'--${f}'`)));
    const hint = setting ? ` (a value starting with "-" needs --${setting.flag}=<value>; valid: ${setting.valid})` : ` (see ${PROGRAM} --help)`;
    process.stderr.write(`${PROGRAM}: error: ${message}${hint}\n`);
    return 2;
  }
  if (values.help) {
    process.stdout.write(helpText(PROGRAM));
    return 0;
  }
  if (values.version) {
    process.stdout.write(`${packageVersion()}\n`);
    return 0;
  }

  const flags: Partial<Answers> = {};
  try {
    for (const s of SETTINGS) {
      const given = [s.flag, ...(s.aliases ?? [])].filter((f) => values[f] !== undefined);
      if (given.length > 1) throw new InputError(`--${given[0]} and --${given[1]} are the same setting; give one`);
      if (given.length === 1) (flags as Record<string, unknown>)[s.key] = parseSetting(s.key, values[given[0]], `--${given[0]}`);
    }
  } catch (e) {
    if (!(e instanceof InputError)) throw e;
    process.stderr.write(`${PROGRAM}: error: ${e.message}\n`);
    return 2;
  }

  const run: RunOptions = {
    ...DEFAULT_RUN_OPTIONS,
    yes: Boolean(values.yes),
    allClusters: Boolean(values['all-clusters']),
    commit: !values['no-commit'],
    dryRun: Boolean(values['dry-run']),
    check: Boolean(values.check),
    force: Boolean(values.force),
    allowDowngrade: Boolean(values['allow-downgrade']),
    json: Boolean(values.json),
  };
  const tty = Boolean(process.stdin.isTTY && process.stdout.isTTY);
  const interactive = !run.yes && !run.check && !run.dryRun && !run.json && tty;
  if (!run.yes && !tty && !run.check && !run.json) {
    process.stderr.write('no TTY: not prompting; values come from flags, stored answers and defaults\n');
  }

  const core = await import('../core/run.js');
  const result = await core.run({
    cwd: typeof values.directory === 'string' ? values.directory : process.cwd(),
    generatorVersion: packageVersion(),
    flags,
    options: run,
    ask: interactive ? (await import('./prompt.js')).ask : undefined,
    out: (line) => process.stdout.write(line + '\n'),
    err: (line) => process.stderr.write(line + '\n'),
  });
  return result.exitCode;
}
