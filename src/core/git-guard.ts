/**
 * Before anything is written: what git says about our paths (and only our paths), and whether committing them
 * would take or drop something the user did not ask for. Also the record of what a run that did not commit left
 * on disk (conflicts, --no-commit, a failed commit), so that a later run can tell its own uncommitted work from
 * the user's and finish the commit.
 *
 * Every question goes to git itself, limited by pathspec to our paths: `git status`, `git ls-files -v` and
 * `git add --dry-run --ignore-missing` (which applies git's own ignore and sparse-checkout rules, including to
 * files that do not exist yet). They run as one `sh` child so the run forks once for all three.
 */
import { spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { type Repo, readRepoFile } from './repo.js';

/** What git reports for one of our paths, before this run writes anything. */
export interface PathState {
  /** In the index (git ls-files). */
  tracked: boolean;
  /** The index differs from HEAD for this path (git status X column). */
  staged: boolean;
  /** The work tree differs from the index (git status Y column). */
  unstaged: boolean;
  /** Exists in the work tree and not in the index. */
  untracked: boolean;
  skipWorktree: boolean;
  assumeUnchanged: boolean;
  /** Refused by `git add`: a .gitignore/exclude rule, or outside the sparse-checkout definition. */
  addRefusal?: 'ignored' | 'sparse';
}

export interface Inspection {
  states: Map<string, PathState>;
  /** `git add --dry-run` failed for a reason other than the ones parsed (git's own words). */
  addError?: string;
}

const SEP = '\x01';

// `git add --dry-run` runs only for paths not in the index: for tracked paths git ignores ignore rules, and sparse
// rules show as the skip-worktree bit that `git ls-files -v` reports. Our paths are plain ASCII without spaces (fixed
// names and DNS-1123 cluster names), so ls-files' line output needs no unquoting and the shell can match it.
const INSPECT_SCRIPT = `git status --porcelain=v1 -z --untracked-files=all --ignore-submodules=none -- "$@"; printf '${SEP}%s${SEP}' $?
ls=$(git ls-files -v -- "$@"); rc=$?; printf '%s${SEP}%s${SEP}' "$ls" $rc
nl='
'
n=$#
for p in "$@"; do
  case "$nl$ls$nl" in *" $p$nl"*) ;; *) set -- "$@" "$p" ;; esac
done
shift $n
if [ $# -gt 0 ]; then git add --dry-run --ignore-missing -- "$@" 2>&1 >/dev/null; rc=$?; else rc=0; fi
printf '${SEP}%s${SEP}' $rc
if [ $# -gt 0 ] && [ "$(git config --bool core.sparseCheckout)" = true ]; then
  git -c core.excludesFile="$(git rev-parse --git-path info/sparse-checkout)" check-ignore --no-index -- "$@"; rc=$?
else rc=-; fi
printf '${SEP}%s${SEP}' $rc`;

/** Ask git about `paths` (repo-relative, forward slashes). Reads only; takes no lock git would not take. */
export function inspectPaths(repo: Repo, paths: string[]): Inspection {
  const states = new Map<string, PathState>(
    paths.map((p) => [p, { tracked: false, staged: false, unstaged: false, untracked: false, skipWorktree: false, assumeUnchanged: false }]),
  );
  const r = spawnSync('sh', ['-c', INSPECT_SCRIPT, 'sh', ...paths], {
    cwd: repo.root,
    encoding: 'utf8',
    maxBuffer: 16 * 1024 * 1024,
    env: { ...process.env, GIT_OPTIONAL_LOCKS: '0', LC_ALL: 'C' },
  });
  if (r.error) throw new Error(`cannot run git: ${r.error.message}`);
  const parts = r.stdout.split(SEP);
  // parts: status, rc, ls-files, rc, add's messages, rc, the new paths inside the sparse checkout, rc, ''
  const [status, statusRc, lsFiles, lsRc, add, addRc, inSparse, sparseRc] = parts;
  if (statusRc !== '0' || lsRc !== '0') {
    const why = (r.stderr || status || '').trim().split('\n').filter(Boolean).slice(-3).join('; ');
    throw new Error(`git status failed in ${repo.root}: ${why}`);
  }
  const fields = status.split('\0');
  for (let i = 0; i < fields.length; i++) {
    const f = fields[i];
    if (f.length < 4) continue;
    const [x, y, p] = [f[0], f[1], f.slice(3)];
    if (x === 'R' || x === 'C') i++; // the rename's source follows
    const s = states.get(p);
    if (!s) continue;
    if (x === '?') s.untracked = true;
    else {
      if (x !== ' ') s.staged = true;
      if (y !== ' ') s.unstaged = true;
    }
  }
  for (const f of lsFiles.split('\n')) {
    if (f.length < 3) continue;
    const s = states.get(f.slice(2));
    if (!s) continue;
    s.tracked = true;
    const tag = f[0];
    if (tag === 'S' || tag === 's') s.skipWorktree = true;
    if (tag !== tag.toUpperCase()) s.assumeUnchanged = true;
  }
  let addError: string | undefined;
  if (addRc !== '0') {
    let mode: PathState['addRefusal'];
    let matched = false;
    for (const line of add.split('\n')) {
      if (/are ignored by one of your \.gitignore files/.test(line)) mode = 'ignored';
      else if (/sparse-checkout definition/.test(line)) mode = 'sparse';
      else if (line.startsWith('hint:')) mode = undefined;
      else if (mode && states.has(line)) {
        states.get(line)!.addRefusal = mode;
        matched = true;
      }
    }
    if (!matched) addError = add.trim().split('\n').filter((l) => !l.startsWith('hint:')).slice(0, 3).join('; ') || `git add --dry-run exited ${addRc}`;
  }
  // A new path git add --dry-run cannot judge (it does not exist yet): with a sparse checkout, git's own pattern
  // matcher over the sparse-checkout file (same syntax as an exclude file, cone or not) lists the paths inside it;
  // a new path it does not list is outside, and git add would refuse it after we wrote it.
  if (sparseRc === '0' || sparseRc === '1') {
    const inside = new Set(inSparse.split('\n').filter(Boolean));
    for (const [p, s] of states) if (!s.tracked && !s.addRefusal && !inside.has(p)) s.addRefusal = 'sparse';
  } else if (sparseRc !== '-' && sparseRc !== undefined) {
    addError ??= `git check-ignore exited ${sparseRc} while checking the sparse checkout`;
  }
  return { states, addError };
}

export interface PendingEntry {
  /** sha256 of the content this generator left there; null: it removed the file. */
  sha: string | null;
  /** Left with conflict markers: whatever the user resolved it to counts as the generator's pending work. */
  conflicted?: boolean;
  /** Written (with --no-commit) over uncommitted edits the generator did not make: never counts as its own. */
  mixed?: boolean;
}

/** What earlier runs wrote and did not commit, kept in the git dir (per worktree). */
export interface Pending {
  /** The commit message of the first run that left work pending (a bump keeps its subject). */
  message?: string;
  paths: Record<string, PendingEntry>;
}

export const PENDING_FILE = 'cnpg-operator-pending.json';
const PLAIN_PATH = /^[A-Za-z0-9._][A-Za-z0-9._/-]*$/;

function pendingFile(repo: Repo): string | undefined {
  return repo.gitDir ? path.join(repo.gitDir, PENDING_FILE) : undefined;
}

export function contentHash(content: string | undefined): string | null {
  return content === undefined ? null : createHash('sha256').update(content, 'utf8').digest('hex');
}

export function readPending(repo: Repo): Pending | undefined {
  const file = pendingFile(repo);
  if (!file) return undefined;
  try {
    const parsed = JSON.parse(readFileSync(file, 'utf8')) as Pending;
    if (parsed && typeof parsed === 'object' && parsed.paths && typeof parsed.paths === 'object') {
      // Only plain repo-relative paths (ours always are): nothing in the record can become pathspec magic or an option.
      const paths = Object.fromEntries(Object.entries(parsed.paths).filter(([p, e]) => PLAIN_PATH.test(p) && !p.split('/').includes('..') && e && typeof e === 'object'));
      return { message: typeof parsed.message === 'string' ? parsed.message : undefined, paths };
    }
  } catch {
    /* none, or unreadable: nothing pending */
  }
  return undefined;
}

/** Add this run's uncommitted writes to the record (written through a temporary file and a rename). */
export function recordPending(repo: Repo, entries: Record<string, PendingEntry>, message: string): void {
  const file = pendingFile(repo);
  if (!file || Object.keys(entries).length === 0) return;
  const old = readPending(repo);
  const next: Pending = { message: old?.message ?? message, paths: { ...(old?.paths ?? {}), ...entries } };
  const tmp = `${file}.${process.pid}.tmp`;
  writeFileSync(tmp, JSON.stringify(next, null, 2) + '\n');
  renameSync(tmp, file);
}

export function clearPending(repo: Repo): void {
  const file = pendingFile(repo);
  if (file) rmSync(file, { force: true });
}

/** True when the path's current state is what an earlier run of this generator left (see Pending). */
export function isPendingOurs(repo: Repo, p: string, state: PathState | undefined, pending: Pending | undefined): boolean {
  const entry = pending?.paths[p];
  if (!entry || entry.mixed) return false;
  if (state && state.staged && state.unstaged) return false; // the index holds something the work tree does not
  if (entry.conflicted) return true;
  let current: string | undefined;
  try {
    current = readRepoFile(repo, p);
  } catch {
    return false;
  }
  return contentHash(current) === entry.sha;
}

export function isDirty(s: PathState): boolean {
  return s.staged || s.unstaged || s.untracked;
}

const NOTHING = 'nothing was written';

/**
 * Why committing `paths` would take or drop something the user did not ask for, as one line naming the path and
 * what to do; undefined when it is safe. `paths` are the ones this run would write or commit.
 */
export function commitRefusal(repo: Repo, paths: string[], inspection: Inspection, pending: Pending | undefined): string | undefined {
  if (inspection.addError) return `git refuses to stage our paths (${inspection.addError}); ${NOTHING}`;
  for (const p of paths) {
    const s = inspection.states.get(p);
    if (!s) continue;
    if (s.addRefusal === 'ignored') {
      return `${p}: is ignored by git (a .gitignore or exclude rule; see git check-ignore -v ${p}); un-ignore it, or rerun with --no-commit; ${NOTHING}`;
    }
    if (s.addRefusal === 'sparse' && !s.skipWorktree) {
      return `${p}: is outside the sparse checkout; widen it (git sparse-checkout add ${path.posix.dirname(p)}) or rerun with --no-commit; ${NOTHING}`;
    }
    if (s.skipWorktree) {
      return `${p}: is marked skip-worktree (or outside the sparse checkout); clear it (git update-index --no-skip-worktree ${p}, or widen the sparse checkout) or rerun with --no-commit; ${NOTHING}`;
    }
    if (s.assumeUnchanged) {
      return `${p}: is marked assume-unchanged; clear it (git update-index --no-assume-unchanged ${p}) or rerun with --no-commit; ${NOTHING}`;
    }
    if (isDirty(s) && !isPendingOurs(repo, p, s, pending)) {
      const what = s.untracked ? 'untracked file' : s.staged && s.unstaged ? 'staged and unstaged' : s.staged ? 'staged' : 'unstaged';
      return `${p}: has uncommitted changes (${what}) that cnpg-operator did not make; commit or stash them first (they would go into its commit), or rerun with --no-commit; ${NOTHING}`;
    }
  }
  return undefined;
}

/** Our paths that git shows as untracked or different from HEAD (`git status`, limited to those paths). */
export function uncommittedPaths(repo: Repo, paths: string[]): { path: string; what: string }[] {
  if (!repo.gitDir || paths.length === 0) return [];
  const { states } = inspectPaths(repo, paths);
  const out: { path: string; what: string }[] = [];
  for (const [p, s] of states) {
    if (s.untracked) out.push({ path: p, what: 'untracked: generated but never committed' });
    else if (s.staged || s.unstaged) out.push({ path: p, what: 'not committed: differs from HEAD' });
  }
  return out;
}
