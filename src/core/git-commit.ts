/**
 * Commit exactly the generator's paths, at a cost that follows those paths and not the repo's size.
 *
 * `git commit --only <paths>` refreshes the whole index and rebuilds a temporary one from HEAD: in a 20,000-file
 * repo that is most of a run. With no commit hook installed, the commit is built from plumbing instead: our paths
 * are staged with `update-index` (the repo's clean filters and line-ending rules apply), the trees along them are
 * edited in memory from HEAD's and written with one `mktree --batch`, then `commit-tree` and
 * `update-ref HEAD <new> <old>`. Other staged work is never touched; if the commit fails, our paths are unstaged.
 * With a hook installed, or a config the plumbing would not honour (core.hooksPath, commit.gpgSign, includes),
 * `git commit --only` runs so hooks, signing and the rest behave exactly as git does.
 */
import { createHash } from 'node:crypto';
import { accessSync, constants, existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { spawnSync } from 'node:child_process';
import { type GitResult, type Repo, catFileReader, git } from './repo.js';

export interface CommitOutcome {
  ok: boolean;
  hash?: string;
  /** True when the paths already matched HEAD: nothing was committed. */
  empty?: boolean;
  /** Why the commit failed (with ok false). */
  error?: string;
}

const COMMIT_HOOKS = ['pre-commit', 'prepare-commit-msg', 'commit-msg', 'post-commit'];

function hasCommitHooks(repo: Repo): boolean {
  if (!repo.hooksDir) return true; // unknown: let git decide
  return COMMIT_HOOKS.some((h) => {
    try {
      accessSync(path.join(repo.hooksDir!, h), constants.X_OK);
      return true;
    } catch {
      return false;
    }
  });
}

export interface CommitPath {
  path: string;
  /** The file did not exist before this run (so it is not tracked, or only as a deletion). */
  created: boolean;
}

export function commitPaths(repo: Repo, changes: CommitPath[], message: string): CommitOutcome {
  if (repo.plumbingSafe && !hasCommitHooks(repo) && process.platform !== 'win32') {
    try {
      return commitWithPlumbing(repo, changes.map((c) => c.path), message);
    } catch {
      // Anything unexpected (an exotic repo layout, a git older than 2.36): `git commit --only` is always right.
    }
  }
  return commitWithPorcelain(repo, changes, message);
}

/**
 * `git add` for the files this run created, then `git commit --only <paths>`: other staged work stays staged and
 * out of the commit. On failure the created files are unstaged again. (`maintenance.auto=false` only skips the
 * extra `git maintenance run --auto` process for this one commit.)
 */
function commitWithPorcelain(repo: Repo, changes: CommitPath[], message: string): CommitOutcome {
  let fresh = changes.filter((c) => c.created && existsSync(path.join(repo.root, c.path))).map((c) => c.path);
  const paths = changes.map((c) => c.path);
  const attempt = (): GitResult => {
    if (fresh.length > 0) {
      const add = git(repo.root, ['add', '--', ...fresh]);
      if (add.status !== 0) return add;
    }
    return git(repo.root, ['-c', 'maintenance.auto=false', 'commit', '--quiet', '--only', '--file=-', '--', ...paths], message);
  };
  let c = attempt();
  if (c.status !== 0 && /did not match any file\(s\) known to git/.test(c.stderr)) {
    // A file that existed before but was never added (e.g. after --no-commit): ask git which ones are known.
    if (fresh.length > 0) git(repo.root, ['rm', '--cached', '--quiet', '--ignore-unmatch', '--', ...fresh]);
    const known = new Set(git(repo.root, ['ls-files', '-z', '--', ...paths]).stdout.split('\0'));
    fresh = paths.filter((p) => !known.has(p) && existsSync(path.join(repo.root, p)));
    c = attempt();
  }
  if (c.status !== 0) {
    if (fresh.length > 0) git(repo.root, ['rm', '--cached', '--quiet', '--ignore-unmatch', '--', ...fresh]);
    const reason = (c.stderr.trim() || c.stdout.trim() || `exit code ${c.status}`).split('\n').slice(-6).join('\n');
    return { ok: false, error: `git commit failed: ${reason}` };
  }
  return { ok: true, hash: headShort(repo) };
}

/** HEAD's commit id, short: read from the ref file when it is a plain one, else asked of git. */
function headShort(repo: Repo): string {
  try {
    const head = readFileSync(path.join(repo.gitDir!, 'HEAD'), 'utf8').trim();
    const ref = head.startsWith('ref: ') ? readFileSync(path.join(repo.gitDir!, head.slice(5)), 'utf8').trim() : head;
    if (/^[0-9a-f]{40,64}$/.test(ref)) return ref.slice(0, 7);
  } catch {
    /* packed refs, reftable, worktrees: ask git */
  }
  return git(repo.root, ['rev-parse', '--short', 'HEAD']).stdout.trim();
}

interface Entry {
  mode: string;
  oid: string; // hex
}

class PlumbingError extends Error {}

/**
 * Run a short sh script of git commands as ONE child process. Spawning from Node costs a fork of the whole
 * process (about 8 ms from the bin, 15 ms from inside Yeoman here); git commands forked by sh cost little.
 */
function sh(repo: Repo, script: string, args: string[], input: string): { status: number; stdout: Buffer; stderr: string } {
  const r = spawnSync('sh', ['-c', script, 'sh', ...args], {
    cwd: repo.root,
    input,
    maxBuffer: 256 * 1024 * 1024,
    env: { ...process.env, LC_ALL: 'C', GIT_OPTIONAL_LOCKS: '0' },
  });
  if (r.error) throw new PlumbingError(r.error.message);
  return { status: r.status ?? 1, stdout: r.stdout, stderr: r.stderr.toString('utf8') };
}

interface Read {
  head?: string;
  headTree?: string;
  trees: Map<string, Map<string, Entry>>;
  /** Staged blob id per path; undefined for a path that is gone (a removal). */
  blobs: (string | undefined)[];
}

/**
 * Batch 1: stage exactly our paths in the user's index (`update-index` hashes them with the repo's filters), then
 * one `cat-file --batch-command` reads HEAD, the trees of `dirs` ('' = root) and the staged blob ids.
 */
function stageAndRead(repo: Repo, dirs: string[], paths: string[]): Read {
  const commands = ['contents HEAD', ...dirs.map((d) => `contents ${d === '' ? 'HEAD^{tree}' : `HEAD:${d}`}`), ...paths.map((p) => `info :${p}`)];
  const r = sh(repo, 'set -e; git update-index --add --remove -- "$@"; git cat-file --batch-command', paths, commands.join('\n') + '\n');
  if (r.status !== 0) throw new PlumbingError(r.stderr.trim());
  const next = catFileReader(r.stdout);
  let head: string | undefined;
  let headTree: string | undefined;
  const h = next();
  if (h) {
    if (h.type !== 'commit') throw new PlumbingError('HEAD is not a commit');
    head = h.oid;
    headTree = /^tree ([0-9a-f]+)$/m.exec(h.body.toString('utf8'))?.[1];
  }
  const objects = dirs.map(() => next());
  const blobs = paths.map((p) => {
    const o = next(false);
    if (o && o.type !== 'blob') throw new PlumbingError(`${p} is not a file in the index`);
    return o?.oid;
  });
  const rawLen = (blobs.find(Boolean) ?? head ?? '0'.repeat(40)).length / 2;
  const trees = new Map<string, Map<string, Entry>>();
  dirs.forEach((d, i) => {
    const obj = objects[i];
    const entries = new Map<string, Entry>();
    if (obj) {
      if (obj.type !== 'tree') throw new PlumbingError(`${d} is not a folder in HEAD`);
      const b = obj.body;
      for (let p = 0; p < b.length; ) {
        const sp = b.indexOf(32, p);
        const nul = b.indexOf(0, sp);
        entries.set(b.subarray(sp + 1, nul).toString('utf8'), { mode: b.subarray(p, sp).toString('latin1'), oid: b.subarray(nul + 1, nul + 1 + rawLen).toString('hex') });
        p = nul + 1 + rawLen;
      }
    }
    trees.set(d, entries);
  });
  return { head, headTree, trees, blobs };
}

/** Git's tree order: names compared bytewise, a folder as if its name ended in "/". */
function treeOrder(a: [string, Entry], b: [string, Entry]): number {
  const ka = Buffer.from(a[0] + (a[1].mode === '40000' ? '/' : ''), 'utf8');
  const kb = Buffer.from(b[0] + (b[1].mode === '40000' ? '/' : ''), 'utf8');
  return Buffer.compare(ka, kb);
}

function treeOid(entries: Map<string, Entry>, algo: string): string {
  const parts: Buffer[] = [];
  for (const [name, e] of [...entries].sort(treeOrder)) parts.push(Buffer.from(`${e.mode} ${name}\0`, 'utf8'), Buffer.from(e.oid, 'hex'));
  const body = Buffer.concat(parts);
  return createHash(algo).update(`tree ${body.length}\0`).update(body).digest('hex');
}

/** A name as `mktree` reads it: C-quoted when it holds characters ls-tree would quote. */
function mktreeName(name: string): string {
  if (!/["\\\t\n\r]/.test(name) && !name.startsWith('"')) return name;
  return `"${name.replace(/[\\"]/g, (c) => `\\${c}`).replace(/\t/g, '\\t').replace(/\n/g, '\\n').replace(/\r/g, '\\r')}"`;
}

const MKTREE_MISMATCH = 90;

// Batch 2 (trees on stdin; $1 expected tree ids, $2 root tree, $3 parent, $4 old HEAD, $5 reflog line, $6 message):
// write the trees, checking git computes the ids we did; commit; move HEAD from the commit we read (refused if it
// moved meanwhile).
const COMMIT_SCRIPT = [
  'set -e',
  'made=$(git mktree --batch)',
  '[ "$made" = "$1" ] || exit ' + MKTREE_MISMATCH,
  'if [ -n "$3" ]; then c=$(git commit-tree "$2" -p "$3" -m "$6"); else c=$(git commit-tree "$2" -m "$6"); fi',
  'git update-ref -m "$5" HEAD "$c" "$4"',
  'echo "$c"',
].join('\n');

function commitWithPlumbing(repo: Repo, paths: string[], message: string): CommitOutcome {
  let staged = false;
  try {
    const outcome = plumb(repo, paths, message, () => (staged = true));
    if (!outcome.ok) unstage(repo, paths);
    return outcome;
  } catch (e) {
    if (staged) unstage(repo, paths);
    throw e;
  }
}

/** Put our paths in the index back to HEAD's version (the commit did not happen). */
function unstage(repo: Repo, paths: string[]): void {
  const reset = git(repo.root, ['reset', '--quiet', '--', ...paths]);
  if (reset.status !== 0) git(repo.root, ['rm', '--cached', '--quiet', '--ignore-unmatch', '--', ...paths]);
}

function plumb(repo: Repo, paths: string[], message: string, onStaged: () => void): CommitOutcome {
  const dirsOf = (p: string) => {
    const out: string[] = [];
    for (let d = path.posix.dirname(p); ; d = path.posix.dirname(d)) {
      out.push(d === '.' ? '' : d);
      if (d === '.') break;
    }
    return out;
  };
  const dirs = [...new Set(paths.flatMap(dirsOf))];
  onStaged();
  const { head, headTree, trees, blobs } = stageAndRead(repo, dirs, paths);
  const hexLen = (blobs.find(Boolean) ?? head ?? '').length || 40;
  const algo = hexLen === 64 ? 'sha256' : 'sha1';
  const blobOf = new Map(paths.map((p, i) => [p, blobs[i]]));

  for (const p of paths) {
    const entries = trees.get(dirsOf(p)[0])!;
    const name = path.posix.basename(p);
    const oid = blobOf.get(p);
    if (oid === undefined) entries.delete(name);
    else {
      const old = entries.get(name);
      entries.set(name, { mode: old && (old.mode === '100644' || old.mode === '100755') ? old.mode : '100644', oid });
    }
  }
  // Deepest folders first, so each parent sees its children's new ids.
  const order = dirs.filter((d) => d !== '').sort((a, b) => b.split('/').length - a.split('/').length);
  order.push('');
  const batch: string[] = [];
  const expect: string[] = [];
  let rootOid = '';
  for (const d of order) {
    const entries = trees.get(d)!;
    const parent = d === '' ? undefined : trees.get(dirsOf(`${d}/x`)[1])!;
    const name = path.posix.basename(d);
    if (parent && entries.size === 0) {
      parent.delete(name);
      continue;
    }
    const oid = treeOid(entries, algo);
    batch.push(
      [...entries]
        .sort(treeOrder)
        .map(([n, e]) => `${e.mode === '40000' ? '040000' : e.mode} ${e.mode === '40000' ? 'tree' : e.mode === '160000' ? 'commit' : 'blob'} ${e.oid}\t${mktreeName(n)}`)
        .join('\n'),
    );
    expect.push(oid);
    if (parent) parent.set(name, { mode: '40000', oid });
    else rootOid = oid;
  }
  if (head && headTree === rootOid) return { ok: true, empty: true };

  const reflog = `commit${head ? '' : ' (initial)'}: ${message.split('\n')[0]}`;
  const r = sh(repo, COMMIT_SCRIPT, [expect.join('\n'), rootOid, head ?? '', head ?? '0'.repeat(hexLen), reflog, message], batch.join('\n\n') + '\n');
  const oid = r.stdout.toString('utf8').trim();
  if (r.status === MKTREE_MISMATCH) throw new PlumbingError('mktree disagrees with the computed trees');
  if (r.status !== 0) return { ok: false, error: `git commit failed: ${r.stderr.trim().split('\n').slice(-6).join('\n')}` };
  return { ok: true, hash: oid.slice(0, 7) };
}
