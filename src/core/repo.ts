/**
 * The repository on disk: its root (found by `git rev-parse`, as git finds it), reads that stay inside it, and
 * read-only git queries limited to the paths the generator owns (no whole-tree status). Nothing here writes git
 * objects, the index or refs: committing is git's porcelain (git-commit.ts).
 */
import { spawnSync } from 'node:child_process';
import { existsSync, lstatSync, readFileSync, readdirSync, readlinkSync, realpathSync } from 'node:fs';
import path from 'node:path';
import { FileError, InputError } from './errors.js';

export interface Repo {
  /** Absolute, real path of the repo root (the git top level, or the folder it runs in outside git). */
  root: string;
  /** Absolute git dir (per worktree), when inside a git work tree. */
  gitDir?: string;
  /** Where git takes the index lock (`git rev-parse --git-path index.lock`: follows GIT_INDEX_FILE). */
  indexLock?: string;
}

/** git refuses the repository (dubious ownership, an unknown format or extension): nothing may be written. */
export class GitRefusedError extends InputError {}

export interface GitResult {
  status: number;
  stdout: string;
  stderr: string;
}

/** git for reading: C locale (messages are parsed) and no optional locks (a reading status never writes). */
export function git(cwd: string, args: string[], input?: string): GitResult {
  const r = spawnSync('git', args, {
    cwd,
    input,
    encoding: 'utf8',
    maxBuffer: 64 * 1024 * 1024,
    env: { ...process.env, GIT_OPTIONAL_LOCKS: '0', LC_ALL: 'C' },
  });
  if (r.error) return { status: 127, stdout: '', stderr: String(r.error.message) };
  return { status: r.status ?? 1, stdout: r.stdout, stderr: r.stderr };
}

/**
 * Find the repository the way git does (`git rev-parse`): GIT_DIR and friends, `.git` files, linked worktrees,
 * GIT_CEILING_DIRECTORIES and filesystem boundaries are git's own rules. Not in a work tree (no repository, a
 * bare one, inside the git dir, git missing): the folder it runs in, without a git dir (files are written, no
 * commit). git refusing the repository throws GitRefusedError with git's reason.
 */
export function openRepo(cwd: string): Repo {
  const start = realpathSync(cwd);
  const r = git(start, ['rev-parse', '--is-inside-work-tree', '--absolute-git-dir', '--git-path', 'index.lock', '--show-toplevel']);
  if (r.status === 0) {
    const [inside, gitDir, indexLock, top] = r.stdout.replace(/\n$/, '').split('\n');
    if (inside === 'true' && gitDir && top) return { root: realpathSync(top), gitDir, indexLock: path.resolve(start, indexLock) };
    return { root: start };
  }
  const fatal = r.stderr.split('\n').filter((l) => l.startsWith('fatal:') || l.startsWith('error:'));
  if (r.status === 127 || fatal.length === 0 || /not a git repository|must be run in a work tree/.test(r.stderr)) return { root: start };
  const hint = /dubious ownership/.test(r.stderr) ? (/git config --global --add safe\.directory \S+/.exec(r.stderr)?.[0] ?? '') : '';
  // git's fatal lines, with the tab-indented detail lines that follow them (the unknown extension's name, say).
  const reason = r.stderr
    .split('\n')
    .filter((l) => /^(fatal|error): /.test(l) || (/^\t\S/.test(l) && !l.includes('safe.directory')))
    .map((l) => l.replace(/^(fatal|error): /, '').trim())
    .join(' ');
  throw new GitRefusedError(`git refuses the repository at ${start}: ${reason}${hint ? ` (if you trust it: ${hint})` : ''}; nothing was written`);
}

/**
 * Resolve a repo-relative path, refusing anything that leaves the root or passes through a symlink
 * (a link could point outside the repo, and replacing a link by a file is never what the user meant).
 */
export function resolveInside(repo: Repo, rel: string): string {
  const abs = path.resolve(repo.root, rel);
  const relToRoot = path.relative(repo.root, abs);
  if (relToRoot === '' || relToRoot.startsWith('..') || path.isAbsolute(relToRoot)) {
    throw new FileError(rel, 'resolves outside the repository root');
  }
  let cur = repo.root;
  for (const part of relToRoot.split(path.sep)) {
    cur = path.join(cur, part);
    let st;
    try {
      st = lstatSync(cur);
    } catch {
      break; // the rest does not exist yet
    }
    if (st.isSymbolicLink()) {
      const shown = path.relative(repo.root, cur);
      let target = '';
      try {
        target = readlinkSync(cur);
      } catch {
        /* unreadable link */
      }
      throw new FileError(shown, `is a symbolic link (to ${target}); refusing to read or write through it`);
    }
  }
  return abs;
}

/** Read a repo file, or undefined when it does not exist. */
export function readRepoFile(repo: Repo, rel: string): string | undefined {
  const abs = resolveInside(repo, rel);
  try {
    return readFileSync(abs, 'utf8');
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    if (code === 'ENOENT') return undefined;
    if (code === 'EISDIR') throw new FileError(rel, 'is a folder, expected a file');
    throw new FileError(rel, `cannot be read: ${(e as Error).message}`);
  }
}

/** Why committing cannot start (merge in progress, held index lock, detached HEAD), or undefined. */
export function gitBlocker(repo: Repo): string | undefined {
  const gitDir = repo.gitDir;
  if (!gitDir) return undefined;
  for (const [file, what] of [
    ['MERGE_HEAD', 'a merge'],
    ['CHERRY_PICK_HEAD', 'a cherry-pick'],
    ['REVERT_HEAD', 'a revert'],
    ['rebase-merge', 'a rebase'],
    ['rebase-apply', 'a rebase or am'],
  ] as const) {
    if (existsSync(path.join(gitDir, file))) {
      return `git: ${what} is in progress in ${repo.root}; finish or abort it first, or rerun with --no-commit`;
    }
  }
  const indexLock = repo.indexLock ?? path.join(gitDir, 'index.lock');
  if (existsSync(indexLock)) {
    return `git: ${indexLock} exists: another git process is running (or crashed); retry when it is done, or remove the lock if no git process is running`;
  }
  let head = '';
  try {
    head = readFileSync(path.join(gitDir, 'HEAD'), 'utf8');
  } catch {
    /* worktree layouts without HEAD here: git will tell */
  }
  if (head && !head.startsWith('ref:')) {
    return `git: HEAD is detached (${head.trim().slice(0, 12)}); check out a branch first, or rerun with --no-commit`;
  }
  return undefined;
}

export const TRAILER = 'Generated-by: generator-cnpg-operator';

/**
 * What the generator last committed for each path: the files as of the newest commit carrying our trailer
 * that touched `dir`. Returns an empty map when there is none (or outside git).
 */
export function lastGeneratedFiles(repo: Repo, dir: string, paths: string[]): Map<string, string> {
  const out = new Map<string, string>();
  if (!repo.gitDir) return out;
  const log = git(repo.root, ['log', '-1', '--format=%H', '--fixed-strings', `--grep=${TRAILER}`, '--', dir]);
  const commit = log.status === 0 ? log.stdout.trim() : '';
  if (!commit) return out;
  const r = spawnSync('git', ['cat-file', '--batch'], {
    cwd: repo.root,
    input: paths.map((p) => `${commit}:${p}\n`).join(''),
    maxBuffer: 64 * 1024 * 1024,
  });
  if (r.error || r.status !== 0) return out;
  try {
    const next = catFileReader(r.stdout);
    for (const p of paths) {
      const obj = next();
      if (obj?.type === 'blob') out.set(p, obj.body.toString('utf8'));
    }
  } catch {
    out.clear(); // a short answer: no base rather than a wrong one
  }
  return out;
}

export interface CatFileObject {
  oid: string;
  type: string;
  body: Buffer;
}

/**
 * Reads `git cat-file --batch` / `--batch-command` output, one record per request in order: returns the object,
 * or undefined for "<name> missing". `withBody: false` for `info` requests, which carry no content.
 */
export function catFileReader(out: Buffer): (withBody?: boolean) => CatFileObject | undefined {
  let pos = 0;
  return (withBody = true) => {
    const nl = out.indexOf(10, pos);
    if (nl < 0) throw new Error('git cat-file answered short');
    const header = out.subarray(pos, nl).toString('utf8');
    pos = nl + 1;
    const m = /^([0-9a-f]+) (\w+) (\d+)$/.exec(header);
    if (!m) return undefined;
    if (!withBody) return { oid: m[1], type: m[2], body: Buffer.alloc(0) };
    const size = Number(m[3]);
    const body = out.subarray(pos, pos + size);
    pos += size + 1;
    return { oid: m[1], type: m[2], body };
  };
}
