/**
 * The `cnpg-operator` bin: a thin door onto the core. It imports only the settings table until the flags are
 * valid, so --help, --version and a refused value cost little more than Node's own start-up; the core
 * (yaml, ejs) loads only for a real run, and Yeoman never loads at all.
 */
import { InputError } from '../core/errors.js';
import { helpText } from '../core/settings.js';
import { packageVersion } from '../core/meta.js';
import { type DoorArgs, parseDoorArgs, workingFolder } from './door.js';

const PROGRAM = 'cnpg-operator';

export async function main(argv: string[]): Promise<number> {
  // A reader that stops early (`cnpg-operator --plan | head`) closes stdout: the run goes on to its end (a run is never
  // cut short between its writes and its commit by a pipe), its remaining output is dropped, and no stack trace is printed.
  for (const stream of [process.stdout, process.stderr]) {
    stream.on('error', (e: NodeJS.ErrnoException) => {
      if (e.code !== 'EPIPE') throw e;
    });
  }
  let args: DoorArgs;
  let cwd: string;
  try {
    args = parseDoorArgs('bin', argv);
    if (args.help || args.version) {
      process.stdout.write(args.help ? helpText(PROGRAM) : `${packageVersion()}\n`);
      return 0;
    }
    cwd = workingFolder(process.cwd(), args.directory);
  } catch (e) {
    if (!(e instanceof InputError)) throw e;
    process.stderr.write(`${PROGRAM}: error: ${e.message}\n`);
    return 2;
  }

  const { options } = args;
  const tty = Boolean(process.stdin.isTTY && process.stdout.isTTY);
  const interactive = !options.yes && !options.check && !options.dryRun && !options.json && !options.plan && tty;
  if (!options.yes && !tty && !options.check && !options.json && !options.plan) {
    process.stderr.write('no TTY: not prompting; values come from flags, stored answers and defaults\n');
  }

  const core = await import('../core/run.js');
  const result = await core.run({
    cwd,
    generatorVersion: packageVersion(),
    flags: args.flags,
    options,
    ask: interactive ? (await import('./prompt.js')).ask : undefined,
    out: (line) => process.stdout.write(line + '\n'),
    err: (line) => process.stderr.write(line + '\n'),
  });
  return result.exitCode;
}
