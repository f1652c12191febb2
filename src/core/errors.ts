/**
 * The errors several modules throw, and what each means to the user. `guard` in run.ts maps them to one line
 * and an exit code: InputError and FileError exit 2 (invalid input, nothing written), RunFailure exits 1.
 * Anything else is a bug or an I/O failure and also exits 1.
 */

/** A value the user gave (flag, prompt answer, or a combination of them) is not valid; `message` is the one line shown. */
export class InputError extends Error {}

/** A refusal to use a file of the repo, as one line: `<file>:<line>: <problem>` (or `<file>: <problem>`). */
export class FileError extends Error {
  /** The problem alone, without the `file:line:` prefix. */
  readonly problem: string;

  constructor(
    readonly file: string,
    message: string,
    readonly line?: number,
  ) {
    const problem = message.replace(/\s*[\r\n]+\s*/g, ' ').trim();
    super(line === undefined ? `${file}: ${problem}` : `${file}:${line}: ${problem}`);
    this.name = 'FileError';
    this.problem = problem;
  }
}

/** The run cannot go on for a reason that is not invalid input (a git state, a concurrent run): exit 1. */
export class RunFailure extends Error {}

/** The exit code for an error thrown by a run: 2 for invalid input (flag, prompt or file), else 1. */
export function exitCodeOf(e: unknown): 1 | 2 {
  return e instanceof InputError || e instanceof FileError ? 2 : 1;
}
