/**
 * Commit exactly the generator's paths with git's porcelain: `git add -- <paths>` (new, changed and removed
 * files), then `git commit --only -m <message> -- <paths>`, both from one `sh` child. Hooks, signing, filters, attributes, line endings, sparse rules,
 * safe.directory and the identity are git's own; nothing here writes an object, the index or a ref.
 *
 * Other staged work is never part of the commit (`--only`). If the commit fails, the index entries of our paths
 * that held nothing staged before the run are put back to HEAD's (the run refused beforehand when any of our paths
 * held staged work the generator did not make: see git-guard.ts), so the user's staged content is as it was.
 */
import { existsSync } from 'node:fs';
import path from 'node:path';
import { spawnSync } from 'node:child_process';
import type { PathState } from './git-guard.js';
import type { Repo } from './repo.js';

export interface CommitOutcome {
  ok: boolean;
  /** Short id of the new commit. */
  hash?: string;
  /** True when the paths already matched HEAD: nothing was committed. */
  empty?: boolean;
  /** Why the commit failed (with ok false), in git's words. */
  error?: string;
}

const ADD_FAILED = 101;
// The message is the script's first argument, not its stdin: a pre-commit hook that rejects makes git exit before it
// would read stdin, and writing to a pipe nobody reads fails with EPIPE (and would hide the hook's words).
// `-m` and `-F` clean up a message the same way when it is not edited (cleanup "whitespace").
const COMMIT_SCRIPT = `msg=$1\nshift\ngit add -- "$@" </dev/null || exit ${ADD_FAILED}\ngit commit -q --only -m "$msg" -- "$@" </dev/null || exit\ngit rev-parse --short HEAD`;

/** Run git as the user would (no LC_ALL or optional-lock overrides: hooks see the user's environment). */
function gitPlain(cwd: string, args: string[], input?: string, cmd = 'git'): { status: number; stdout: string; stderr: string } {
  const r = spawnSync(cmd, args, { cwd, input, encoding: 'utf8', maxBuffer: 64 * 1024 * 1024 });
  if (r.error) return { status: 127, stdout: '', stderr: r.error.message };
  return { status: r.status ?? 1, stdout: r.stdout, stderr: r.stderr };
}

/**
 * Stage and commit `paths` (repo-relative). `before` is what git said about them before this run wrote anything
 * (git-guard.ts inspectPaths), used to put the index back if the commit fails.
 */
export function commitPaths(repo: Repo, paths: string[], before: ReadonlyMap<string, PathState>, message: string): CommitOutcome {
  // A path that is neither on disk nor in the index has nothing to stage or commit (git would reject the pathspec).
  const ours = paths.filter((p) => existsSync(path.join(repo.root, p)) || before.get(p)?.tracked);
  if (ours.length === 0) return { ok: true, empty: true };
  // One child for both commands (forking this process costs more than git itself): sh runs `git add`, then
  // `git commit --only`. Exit ADD_FAILED tells which of the two failed.
  const c = gitPlain(repo.root, ['-c', COMMIT_SCRIPT, 'git-commit', message, ...ours], undefined, 'sh');
  if (c.status === ADD_FAILED) {
    restoreIndex(repo, ours, before);
    return { ok: false, error: `git add failed: ${lastLines(c)}` };
  }
  if (c.status !== 0) {
    restoreIndex(repo, ours, before);
    if (/^(nothing to commit|nothing added to commit|no changes added to commit)/m.test(c.stdout)) return { ok: true, empty: true };
    return { ok: false, error: `git commit failed: ${lastLines(c)}` };
  }
  // The script's last line: `git rev-parse --short HEAD` after the commit (hooks may print before it).
  return { ok: true, hash: c.stdout.trim().split('\n').pop() };
}

/** git's reason: its fatal/error lines when it gave some, else the last lines of the output (a hook's words). */
function lastLines(r: { status: number; stdout: string; stderr: string }): string {
  const lines = (r.stderr.trim() || r.stdout.trim() || `exit code ${r.status}`).split('\n');
  const fatal = lines.filter((l) => /^(fatal|error): /.test(l));
  return (fatal.length > 0 ? fatal : lines.slice(-6)).join('\n');
}

/**
 * After a failed commit: paths that had nothing staged before the run get HEAD's entry back (or leave the index,
 * when they were not in it). Paths that held staged content held the generator's own pending work (anything else
 * was refused before writing), so they keep what `git add` staged.
 */
function restoreIndex(repo: Repo, paths: string[], before: ReadonlyMap<string, PathState>): void {
  const untracked = paths.filter((p) => !before.get(p)?.tracked);
  const clean = paths.filter((p) => before.get(p)?.tracked && !before.get(p)?.staged);
  if (untracked.length > 0) gitPlain(repo.root, ['rm', '--cached', '-q', '--ignore-unmatch', '--', ...untracked]);
  if (clean.length > 0) gitPlain(repo.root, ['reset', '-q', '--', ...clean]);
}
