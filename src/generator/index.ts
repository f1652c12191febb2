/**
 * The Yeoman door (`yo cnpg-operator`): options and prompts come from the same settings table as the bin,
 * and the same core resolves, plans, writes and commits, so both doors produce byte-identical files.
 * Files are written by the core's all-or-nothing writer rather than mem-fs's commit (which writes file by file
 * and asks about conflicts on a TTY-less run), so Yeoman's conflicter is never involved.
 */
import Generator from 'yeoman-generator';
import { InputError } from '../core/errors.js';
import { ACTIONS, type Answers, DEFAULT_RUN_OPTIONS, type RunOptions, SETTINGS, type SettingKey, helpText, parseSetting } from '../core/settings.js';
import { packageVersion } from '../core/meta.js';
import { type Prepared, type Question, type RunRequest, type RunResult, execute, guard, prepare } from '../core/run.js';

export default class CnpgOperatorGenerator extends Generator {
  #request?: RunRequest;
  #prepared?: Prepared;
  /** Exit code of the run: 0 ok, 1 failed, 2 invalid input (also thrown as an error so `yo` exits non-zero). */
  exitCode = 0;
  result?: RunResult;

  constructor(args: string[], opts: Record<string, unknown>) {
    super(args, opts as never);
    this.description = 'CloudNativePG operator manifests for a Flux GitOps repo';
    for (const s of SETTINGS) {
      this.option(s.yeomanOption, { type: String, description: `${s.valid} (default: ${s.show(s.default as never) || 'none'})` });
    }
    for (const a of ACTIONS) {
      if (a.yeomanBuiltin || a.flag === 'directory' || a.flag === 'version') continue;
      this.option(a.yeomanOption, {
        type: a.type === 'boolean' ? Boolean : String,
        description: a.description,
        ...(a.short ? { alias: a.short } : {}),
      });
    }
  }

  override help(): string {
    return helpText('yo cnpg-operator', 'yeoman');
  }

  #opt(name: string): unknown {
    const camel = name.replace(/-([a-z])/g, (_, c: string) => c.toUpperCase());
    const all = this.options as Record<string, unknown>;
    return all[name] ?? all[camel];
  }

  async prompting(): Promise<void> {
    if (this.#opt('help')) {
      // `yo` prints help itself; a run through yeoman-environment with --help must not generate anything.
      this.log(this.help());
      return;
    }
    const flags: Partial<Answers> = {};
    const options: RunOptions = {
      ...DEFAULT_RUN_OPTIONS,
      yes: Boolean(this.#opt('yes')),
      allClusters: Boolean(this.#opt('all-clusters')),
      commit: this.#opt('commit') !== false,
      dryRun: Boolean(this.#opt('dry-run')),
      check: Boolean(this.#opt('check')),
      force: Boolean(this.#opt('force')),
      allowDowngrade: Boolean(this.#opt('allow-downgrade')),
      json: Boolean(this.#opt('json')),
    };
    const tty = Boolean(process.stdin.isTTY && process.stdout.isTTY);
    const interactive = !options.yes && !options.check && !options.dryRun && !options.json && (tty || Boolean(this.#opt('interactive')));
    this.#request = {
      cwd: this.destinationRoot(),
      generatorVersion: packageVersion(),
      flags,
      options,
      ask: interactive ? (questions) => this.#ask(questions) : undefined,
      out: (line) => this.log(line),
      err: (line) => process.stderr.write(line + '\n'),
    };
    const request = this.#request;
    const result = await guard(request, async () => {
      // Each flag is parsed once, here at the door (`--replicas` with no value: refused as empty).
      for (const s of SETTINGS) {
        const v = this.#opt(s.yeomanOption);
        if (v !== undefined) (flags as Record<string, unknown>)[s.key] = parseSetting(s.key, v === true ? '' : v, `--${s.yeomanOption}`);
      }
      this.#prepared = await prepare(request);
      return { exitCode: 0 };
    });
    this.#fail(result);
  }

  async #ask(questions: Question[]): Promise<Partial<Record<SettingKey, string>>> {
    const answers = await this.prompt(
      // eslint-disable-next-line @typescript-eslint/no-explicit-any
      questions.map((q) =>
        q.choices
          ? { type: 'select' as const, name: q.key, message: q.message, default: q.default, choices: [...q.choices] }
          : { type: 'input' as const, name: q.key, message: q.message, default: q.default, validate: q.validate },
      ) as never,
    );
    return answers as Partial<Record<SettingKey, string>>;
  }

  async writing(): Promise<void> {
    if (!this.#prepared || !this.#request) return;
    const prepared = this.#prepared;
    this.#fail(await guard(this.#request, () => execute(this.#request!, prepared)));
  }

  #fail(result: RunResult): void {
    this.result = result;
    this.exitCode = result.exitCode;
    if (result.exitCode !== 0) {
      process.exitCode = result.exitCode;
      throw new InputError(`cnpg-operator failed (exit code ${result.exitCode}); see the messages above`);
    }
  }
}
