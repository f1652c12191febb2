/**
 * The Yeoman door (`yo cnpg-operator`): the same command line as the bin, parsed by the same door code
 * (src/cli/door.ts) from the same settings table, and the same core resolves, plans, writes and commits, so both
 * doors produce byte-identical files and refuse the same input with the same exit codes.
 *
 * - The command line: Yeoman hands a generator either the raw words (`env.run([ns, ...words])`, yeoman-test's
 *   withArguments) or an options object. yo 7 passes an object that meow already typed (`--chart-version 0.26`
 *   becomes the number 0.26, `--replicas 0x2` the number 2) and from which Yeoman removed `--namespace` (it sets
 *   its own), so under yo the door reads yo's own words from process.argv, after the generator's name, and
 *   only if they account for every option in the object. Otherwise the object is turned back into words.
 * - Output goes straight to stdout/stderr, in order, as in the bin; nothing goes through Yeoman's queued log.
 * - A failure never throws: the exit code goes to `process.exitCode` (yo then exits with it) and to
 *   `this.exitCode`, and the later tasks do nothing. So Yeoman adds no "An error occured" of its own.
 * - Files are written by the core's all-or-nothing writer rather than mem-fs's commit (which writes file by file
 *   and asks about conflicts on a TTY-less run), so Yeoman's conflicter is never involved.
 */
import Generator from 'yeoman-generator';
import { InputError } from '../core/errors.js';
import { ACTIONS, YEOMAN_OWN_OPTIONS, doorOptions, helpText } from '../core/settings.js';
import { packageVersion } from '../core/meta.js';
import { type Prepared, type Question, type RunRequest, type RunResult, execute, guard, prepare } from '../core/run.js';
import type { SettingKey } from '../core/settings.js';
import { type DoorArgs, parseDoorArgs, workingFolder } from '../cli/door.js';

const PROGRAM = 'yo cnpg-operator';
/** Names this generator is run by (yo's first word, or a namespace). */
const NAMES = new Set(['cnpg-operator', 'cnpg-operator:app', 'generator-cnpg-operator', 'generator-cnpg-operator:app']);
/** Keys Yeoman and yeoman-environment put in a generator's options themselves; never typed by a user. */
const INTERNAL = new Set(['env', 'resolved', 'namespace', '_meta', '_', 'sharedData', 'forwardErrorToEnvironment', 'destinationRoot', 'newErrorHandler', 'skipParseOptions']);
/** Names Yeoman declares or reserves itself: not declared again. */
const NOT_DECLARED = new Set(['namespace', 'help']);

const kebab = (key: string): string => (key.length === 1 ? key : key.replace(/[A-Z]/g, (m) => `-${m.toLowerCase()}`));
/** yo adds a kebab copy of each key; for a one-letter upper-case key (`-C`) that copy is `-c`: not an option. */
const artefact = (key: string): boolean => key.startsWith('-');

/** An options object turned back into command-line words (booleans as flags, `commit: false` as --no-commit). */
export function optionWords(options: Readonly<Record<string, unknown>>): string[] {
  const words: string[] = [];
  const seen = new Set<string>();
  for (const [key, value] of Object.entries(options)) {
    if (INTERNAL.has(key) || artefact(key) || value === undefined) continue;
    const name = kebab(key);
    if (seen.has(name)) continue;
    seen.add(name);
    const dash = name.length === 1 ? '-' : '--';
    const negated = ACTIONS.find((a) => a.negate && a.yeomanOption === name);
    if (value === false) {
      if (negated) words.push(`--${negated.flag}`);
    } else if (value === true) {
      if (!negated) words.push(`${dash}${name}`);
    } else {
      for (const v of Array.isArray(value) ? value : [value]) words.push(dash === '-' ? `-${name}${String(v)}` : `--${name}=${String(v)}`);
    }
  }
  return words;
}

/** yo's words after the generator's name in process.argv (yo 7 splits several generators at a trailing ","). */
function argvAfterName(argv: readonly string[]): string[] | undefined {
  const at = argv.findIndex((w) => NAMES.has(w));
  if (at < 0) return undefined;
  const words: string[] = [];
  for (const w of argv.slice(at + 1)) {
    if (w.endsWith(',')) {
      words.push(w.slice(0, -1));
      break;
    }
    words.push(w);
  }
  return words;
}

/** Whether each option in the object was typed among `words` (so `words` is the whole story). */
function accountsFor(words: readonly string[], options: Readonly<Record<string, unknown>>): boolean {
  return Object.entries(options).every(([key, value]) => {
    if (INTERNAL.has(key) || artefact(key) || value === undefined) return true;
    const name = kebab(key);
    if (YEOMAN_OWN_OPTIONS.includes(name) && !words.some((w) => w.includes(name))) return true; // defaults the environment shares
    return words.some((w) =>
      name.length === 1 ? /^-[^-]/.test(w) && w.includes(name) : w === `--${name}` || w.startsWith(`--${name}=`) || w === `--no-${name}`,
    );
  });
}

export default class CnpgOperatorGenerator extends Generator {
  #request?: RunRequest;
  #prepared?: Prepared;
  #done = false;
  /** Exit code of the run, as the bin's: 0 ok, 1 failed, 2 invalid input (also set on process.exitCode). */
  exitCode = 0;
  result?: RunResult;

  constructor(args: string[], opts: Record<string, unknown>) {
    // customInstallTask: this generator never installs packages, so Yeoman's install step stays silent.
    super(args, opts as never, { customInstallTask: true } as never);
    this.description = 'CloudNativePG operator manifests for a Flux GitOps repo';
    // Declared for Yeoman's help and for runners that check options (yoe); the door parses the words itself.
    for (const o of doorOptions('yeoman')) {
      const name = o.action?.yeomanOption ?? o.name;
      if (NOT_DECLARED.has(name)) continue;
      this.option(name, { type: o.type === 'boolean' ? Boolean : String, description: o.description, ...(o.short ? { alias: o.short } : {}) });
    }
  }

  override help(): string {
    return helpText(PROGRAM, 'yeoman');
  }

  /** The command line as typed, whichever way the runner handed it over. */
  commandLine(): string[] {
    const self = this as unknown as { _args?: string[]; _initOptions?: Record<string, unknown> };
    const given = self._initOptions ?? {};
    const args = self._args ?? [];
    if (args.some((w) => w.startsWith('-'))) return [...args, ...optionWords(given)];
    const typed = argvAfterName(process.argv.slice(2));
    if (typed && accountsFor(typed, given)) return typed;
    return [...args, ...optionWords(given)];
  }

  #print(stream: NodeJS.WriteStream, line: string): void {
    stream.write(line + '\n');
  }

  #finish(result: RunResult): void {
    this.result = result;
    this.exitCode = result.exitCode;
    if (result.exitCode !== 0) {
      process.exitCode = result.exitCode;
      this.#done = true;
    }
  }

  async initializing(): Promise<void> {
    let door: DoorArgs;
    let cwd: string;
    try {
      door = parseDoorArgs('yeoman', this.commandLine());
      if (door.help || door.version) {
        this.#print(process.stdout, door.help ? this.help().trimEnd() : packageVersion());
        this.#done = true;
        return;
      }
      cwd = workingFolder(this.destinationRoot(), door.directory);
    } catch (e) {
      if (!(e instanceof InputError)) throw e;
      this.#print(process.stderr, `${PROGRAM}: error: ${e.message}`);
      this.#finish({ exitCode: 2 });
      return;
    }
    const { options } = door;
    const tty = Boolean(process.stdin.isTTY && process.stdout.isTTY);
    const interactive = !options.yes && !options.check && !options.dryRun && !options.json && (tty || door.interactive);
    this.#request = {
      cwd,
      generatorVersion: packageVersion(),
      flags: door.flags,
      options,
      ask: interactive ? (questions) => this.#ask(questions) : undefined,
      out: (line) => this.#print(process.stdout, line),
      err: (line) => this.#print(process.stderr, line),
    };
  }

  async prompting(): Promise<void> {
    if (this.#done || !this.#request) return;
    const request = this.#request;
    this.#finish(
      await guard(request, async () => {
        this.#prepared = await prepare(request);
        return { exitCode: 0 };
      }),
    );
  }

  async #ask(questions: Question[]): Promise<Partial<Record<SettingKey, string>>> {
    const answers = await this.prompt(
      questions.map((q) =>
        q.choices
          ? { type: 'select' as const, name: q.key, message: q.message, default: q.default, choices: [...q.choices] }
          : { type: 'input' as const, name: q.key, message: q.message, default: q.default, validate: q.validate },
      ) as never,
    );
    return answers as Partial<Record<SettingKey, string>>;
  }

  async writing(): Promise<void> {
    if (this.#done || !this.#prepared || !this.#request) return;
    const [request, prepared] = [this.#request, this.#prepared];
    this.#finish(await guard(request, () => execute(request, prepared)));
  }
}
