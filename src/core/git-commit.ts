/**
 * Commit exactly the generator's paths, at a cost that follows those paths and not the repo's size.
 *
 * `git commit --only <paths>` refreshes the whole index and rebuilds a temporary one from HEAD: in a 20,000-file
 * repo that is most of a run. For a large index with no commit hook installed, the commit is built from plumbing:
 * blobs with `hash-object` (clean filters and line-ending rules apply), the trees along the changed paths edited
 * in memory and written with one `mktree --batch`, then `commit-tree` and `update-ref HEAD <new> <old>`, and
 * finally the real index is updated for those paths only. Other staged work is never touched. A small index, or
 * a hook installed, takes `git commit --only`: two processes, and the hooks see exactly what git shows them.
 */
import { createHash } from 'node:crypto';
import { accessSync, constants, existsSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import { spawnSync } from 'node:child_process';
import { type GitResult, type Repo, git } from './repo.js';

export interface CommitOutcome {
  ok: boolean;
  hash?: string;
  /** True when the paths already matched HEAD: nothing was committed. */
  empty?: boolean;
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

/** Above this index size the plumbing commit is used: `git commit --only` refreshes every index entry. */
const PLUMBING_MIN_INDEX_BYTES = Number(process.env.CNPG_OPERATOR_PLUMBING_MIN_INDEX_BYTES ?? 1024 * 1024);

function indexBytes(repo: Repo): number {
  try {
    return statSync(path.join(repo.gitDir!, 'index')).size;
  } catch {
    return 0;
  }
}

export function commitPaths(repo: Repo, changes: CommitPath[], message: string): CommitOutcome {
  const paths = changes.map((c) => c.path);
  // Small index: `git add` + `git commit --only` is two processes and exact git semantics. Large index (and no
  // commit hooks, which must see what git shows them): plumbing, whose cost does not grow with the repo.
  if (indexBytes(repo) >= PLUMBING_MIN_INDEX_BYTES && !hasCommitHooks(repo) && process.platform !== 'win32') {
    try {
      return commitWithPlumbing(repo, paths, message);
    } catch {
      // Anything unexpected (an exotic repo layout, an old git): the porcelain path is always correct.
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
  blobs: string[];
}

/** Batch 1: HEAD and the trees of `dirs` ('' = root) with cat-file, and the new blobs with hash-object. */
function readAndHash(repo: Repo, dirs: string[], present: string[]): Read {
  const r = sh(
    repo,
    'set -e; git cat-file --batch; if [ $# -gt 0 ]; then git hash-object -w -- "$@"; fi',
    present,
    ['HEAD', ...dirs.map((d) => (d === '' ? 'HEAD^{tree}' : `HEAD:${d}`))].join('\n') + '\n',
  );
  if (r.status !== 0) throw new PlumbingError(r.stderr.trim());
  const out = r.stdout;
  let pos = 0;
  const next = (): { type: string; oid: string; body: Buffer } | undefined => {
    const nl = out.indexOf(10, pos);
    const header = out.subarray(pos, nl).toString('utf8');
    pos = nl + 1;
    const m = /^([0-9a-f]+) (\w+) (\d+)$/.exec(header);
    if (!m) return undefined; // "<name> missing"
    const body = out.subarray(pos, pos + Number(m[3]));
    pos += Number(m[3]) + 1;
    return { type: m[2], oid: m[1], body };
  };
  let head: string | undefined;
  let headTree: string | undefined;
  const h = next();
  if (h) {
    if (h.type !== 'commit') throw new PlumbingError('HEAD is not a commit');
    head = h.oid;
    headTree = /^tree ([0-9a-f]+)$/m.exec(h.body.toString('utf8'))?.[1];
  }
  const objects = dirs.map(() => next());
  const blobs = out.subarray(pos).toString('utf8').split('\n').filter(Boolean);
  if (blobs.length !== present.length) throw new PlumbingError('hash-object answered short');
  const rawLen = blobs[0] ? blobs[0].length / 2 : (head?.length ?? 40) / 2;
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
const INDEX_FAILED = 91;

// Batch 2 (trees on stdin; $1 expected tree ids, $2 root tree, $3 parent, $4 old HEAD, $5 reflog line,
// $6 message, then our paths): write the trees, checking git computes the ids we did; commit; move HEAD from
// the commit we read (refused if it moved meanwhile); then stage exactly our paths in the user's index.
const COMMIT_SCRIPT = [
  'set -e',
  'made=$(git mktree --batch)',
  '[ "$made" = "$1" ] || exit ' + MKTREE_MISMATCH,
  'if [ -n "$3" ]; then c=$(git commit-tree "$2" -p "$3" -m "$6"); else c=$(git commit-tree "$2" -m "$6"); fi',
  'git update-ref -m "$5" HEAD "$c" "$4"',
  'echo "$c"',
  'shift 6',
  'git update-index --add --remove -- "$@" || exit ' + INDEX_FAILED,
].join('\n');

function commitWithPlumbing(repo: Repo, paths: string[], message: string): CommitOutcome {
  const dirsOf = (p: string) => {
    const out: string[] = [];
    for (let d = path.posix.dirname(p); ; d = path.posix.dirname(d)) {
      out.push(d === '.' ? '' : d);
      if (d === '.') break;
    }
    return out;
  };
  const dirs = [...new Set(paths.flatMap(dirsOf))];
  const present = paths.filter((p) => existsSync(path.join(repo.root, p)));
  const { head, headTree, trees, blobs } = readAndHash(repo, dirs, present);
  const hexLen = (blobs[0] ?? head ?? '').length || 40;
  const algo = hexLen === 64 ? 'sha256' : 'sha1';
  const blobOf = new Map(present.map((p, i) => [p, blobs[i]]));

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
  const r = sh(repo, COMMIT_SCRIPT, [expect.join('\n'), rootOid, head ?? '', head ?? '0'.repeat(hexLen), reflog, message, ...paths], batch.join('\n\n') + '\n');
  const oid = r.stdout.toString('utf8').trim();
  if (r.status === MKTREE_MISMATCH) throw new PlumbingError('mktree disagrees with the computed trees');
  if (r.status === INDEX_FAILED) return { ok: true, hash: oid.slice(0, 7), error: `committed, but the index was not updated: ${r.stderr.trim()}` };
  if (r.status !== 0) return { ok: false, error: `git commit failed: ${r.stderr.trim().split('\n').slice(-6).join('\n')}` };
  return { ok: true, hash: oid.slice(0, 7) };
}
