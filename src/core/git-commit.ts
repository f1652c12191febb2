/**
 * Commit exactly the generator's paths, at a cost that follows those paths and not the repo's size.
 *
 * `git commit --only <paths>` refreshes the whole index and rebuilds a temporary one from HEAD: in a 20,000-file
 * repo that is most of a run. With no commit hook installed, one of two cheaper ways builds the same commit:
 *  1. In process (the common case), with no git process: HEAD's trees are read from the object database, our
 *     blobs, the edited trees and the commit are written as loose objects, our paths are staged in index.lock
 *     (git-index.ts), the branch is moved (git-ref.ts), then index.lock replaces the index. Only when git's own
 *     rules are known to give the same result: see nativeBlocker, git-store.ts and git-index.ts.
 *  2. Plumbing: our paths are staged with `update-index` (the repo's filters apply), the trees along them are read
 *     with `cat-file`, edited in memory and written with `mktree --batch`, then `commit-tree` and `update-ref`.
 * Other staged work is never touched; if the commit fails, our paths are unstaged.
 * With a hook installed, or a config the plumbing would not honour (core.hooksPath, commit.gpgSign, includes),
 * `git commit --only` runs so hooks, signing and the rest behave exactly as git does.
 */
import { accessSync, constants, existsSync, lstatSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { spawnSync } from 'node:child_process';
import { type GitConfig, configFiles, configValue, readGitConfig } from './git-config.js';
import { type IndexChange, stageInIndex } from './git-index.js';
import { moveRef } from './git-ref.js';
import { NativeUnsupported, ObjectStore, type TreeEntry, objectId, parseTree, readHead, treeBody, treeOrder } from './git-store.js';
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
  /** What this run wrote there (undefined: the file was removed). */
  content: string | undefined;
}

export function commitPaths(repo: Repo, changes: CommitPath[], message: string): CommitOutcome {
  if (repo.plumbingSafe && !hasCommitHooks(repo) && process.platform !== 'win32') {
    try {
      return commitNative(repo, changes, message);
    } catch {
      // Something the in-process objects do not cover (see git-store.ts and nativeBlocker): git's plumbing does it.
    }
    try {
      return commitWithPlumbing(repo, changes.map((c) => c.path), message);
    } catch {
      // Anything unexpected (an exotic repo layout, a git older than 2.36): `git commit --only` is always right.
    }
  }
  return commitWithPorcelain(repo, changes, message);
}

const CRUD = /^[\x00-\x20.,:;<>"\\']|[\x00-\x20.,:;<>"\\']$/;

/**
 * `Name <email> seconds +hhmm` for the author or committer, as git would write it, when git's own sources for it are
 * plain: GIT_<WHO>_NAME/EMAIL, <who>.name/email, user.name/email, EMAIL. Undefined (git decides) for anything else:
 * a set GIT_<WHO>_DATE, an identity git would have to guess, or one git would clean up first.
 */
export function nativeIdent(cfg: GitConfig, who: 'author' | 'committer', now: Date, env: NodeJS.ProcessEnv = process.env): string | undefined {
  const W = who.toUpperCase();
  if (env[`GIT_${W}_DATE`] !== undefined) return undefined;
  const pick = (fromEnv: string | undefined, keys: string[]): string | undefined => {
    if (fromEnv !== undefined) return fromEnv;
    for (const k of keys) {
      const v = configValue(cfg, k);
      if (v !== undefined) return v ?? undefined;
    }
    return undefined;
  };
  const name = pick(env[`GIT_${W}_NAME`], [`${who}.name`, 'user.name']);
  const email = pick(env[`GIT_${W}_EMAIL`], [`${who}.email`, 'user.email']) ?? (env.EMAIL || undefined);
  for (const v of [name, email]) if (!v || CRUD.test(v) || /[<>\n]/.test(v)) return undefined;
  const offset = -now.getTimezoneOffset();
  const abs = Math.abs(offset);
  const tz = `${offset < 0 ? '-' : '+'}${String(Math.floor(abs / 60)).padStart(2, '0')}${String(abs % 60).padStart(2, '0')}`;
  return `${name} <${email}> ${Math.floor(now.getTime() / 1000)} ${tz}`;
}

/** Why objects cannot be written in process for these paths, or undefined when they can. */
function nativeBlocker(repo: Repo, cfg: GitConfig, changes: CommitPath[]): string | undefined {
  const env = process.env;
  if (['GIT_ALTERNATE_OBJECT_DIRECTORIES', 'GIT_REPLACE_REF_BASE', 'GIT_INDEX_VERSION'].some((k) => env[k] !== undefined)) return 'git environment';
  for (const key of cfg.keys()) {
    if (key.startsWith('extensions.') && key !== 'extensions.objectformat') return key;
    // settings that change how git writes objects, the index or refs
    // (core.safecrlf: git may refuse or warn about line endings on the way in)
    if (/^core\.(fsync|sharedrepository|splitindex|untrackedcache|fsmonitor|safecrlf)|^(index|feature)\./.test(key)) return key;
  }
  const filemode = configValue(cfg, 'core.filemode');
  if (filemode !== undefined && !gitBool(filemode)) return 'core.filemode false';
  const ignorecase = configValue(cfg, 'core.ignorecase');
  if (ignorecase !== undefined && gitBool(ignorecase)) return 'core.ignorecase true';
  // hooks git would run for an index or ref update
  if (repo.hooksDir && ['reference-transaction', 'post-index-change'].some((h) => existsSync(path.join(repo.hooksDir!, h)))) return 'index or ref hook';
  const enc = configValue(cfg, 'i18n.commitencoding');
  if (enc !== undefined && !/^utf-?8$/i.test(enc ?? '')) return 'i18n.commitEncoding';
  // Content with a carriage return could be changed by line-ending rules on the way in; ours never has one.
  if (changes.some((c) => c.content?.includes('\r'))) return 'carriage return';
  const gitDir = repo.gitDir!;
  if (existsSync(path.join(gitDir, 'refs', 'replace'))) return 'replace refs';
  // Attributes that change what git stores for LF text: clean filters (LFS), ident, working-tree-encoding, macros.
  const home = env.HOME ?? '';
  const attrFile = configValue(cfg, 'core.attributesfile');
  const attributeFiles = [
    path.join(gitDir, 'info', 'attributes'),
    typeof attrFile === 'string' ? attrFile.replace(/^~(?=\/)/, home) : path.join(env.XDG_CONFIG_HOME || path.join(home, '.config'), 'git', 'attributes'),
    ...(env.GIT_ATTR_NOSYSTEM ? [] : ['/etc/gitattributes']),
  ];
  for (const c of changes) {
    for (let d = path.posix.dirname(c.path); ; d = path.posix.dirname(d)) {
      attributeFiles.push(path.join(repo.root, d === '.' ? '' : d, '.gitattributes'));
      if (d === '.') break;
    }
  }
  for (const f of new Set(attributeFiles)) {
    let text: string;
    try {
      text = readFileSync(f, 'utf8');
    } catch {
      continue;
    }
    if (/filter|ident|encoding|\[attr\]/i.test(text)) return `attributes in ${f}`;
  }
  return undefined;
}

/**
 * The commit built in process, with no git process at all: HEAD's trees read (loose or packed); our blobs, the
 * edited trees and the commit written as loose objects; our paths staged in index.lock (git-index.ts); the branch
 * moved with its reflogs (git-ref.ts); then index.lock renamed over the index. Throws before anything git can see
 * changes when the repo needs something only git knows; the caller then asks git.
 */
function commitNative(repo: Repo, changes: CommitPath[], message: string): CommitOutcome {
  const cfg = readGitConfig(configFiles(repo.gitDir!));
  const blocked = nativeBlocker(repo, cfg, changes);
  if (blocked) throw new NativeUnsupported(blocked);
  const now = new Date();
  const author = nativeIdent(cfg, 'author', now);
  const committer = nativeIdent(cfg, 'committer', now);
  if (!author || !committer) throw new NativeUnsupported('identity');
  const format = configValue(cfg, 'extensions.objectformat');
  if (format !== undefined && format !== 'sha1' && format !== 'sha256') throw new NativeUnsupported(`object format ${format}`);
  const store = new ObjectStore(path.join(repo.gitDir!, 'objects'), format === 'sha256' ? 'sha256' : 'sha1');
  const { ref, oid: head } = readHead(repo.gitDir!, repo.gitDir!);

  let headTree: string | undefined;
  if (head) {
    const c = store.read(head);
    headTree = c.type === 'commit' ? /^tree ([0-9a-f]+)\n/.exec(c.body.toString('latin1'))?.[1] : undefined;
    if (!headTree) throw new NativeUnsupported('HEAD is not a commit');
  }
  // The trees along our paths, from HEAD ('' = root); a folder HEAD does not have starts empty.
  const trees = new Map<string, Map<string, TreeEntry>>();
  const treeAt = (dir: string): Map<string, TreeEntry> => {
    const known = trees.get(dir);
    if (known) return known;
    let entries = new Map<string, TreeEntry>();
    if (dir === '') {
      if (headTree) entries = parseTree(store.read(headTree).body, store.rawLen);
    } else {
      const e = treeAt(parentDir(dir)).get(path.posix.basename(dir));
      if (e) {
        if (e.mode !== '40000') throw new NativeUnsupported(`${dir} is not a folder in HEAD`);
        const t = store.read(e.oid);
        if (t.type !== 'tree') throw new NativeUnsupported(`${dir} is not a tree`);
        entries = parseTree(t.body, store.rawLen);
      }
    }
    trees.set(dir, entries);
    return entries;
  };
  // Our files as written: git stages what is on disk, so the mode comes from the file, as `git commit --only` takes it.
  const staged: IndexChange[] = [];
  for (const c of changes) {
    const entries = treeAt(parentDir(c.path));
    const name = path.posix.basename(c.path);
    if (entries.get(name)?.mode === '40000') throw new NativeUnsupported(`${c.path} is a folder in HEAD`);
    const st = lstatSync(path.join(repo.root, c.path), { bigint: true, throwIfNoEntry: false });
    if (c.content === undefined) {
      if (st) throw new NativeUnsupported(`${c.path} is still on disk`);
      entries.delete(name);
      staged.push({ path: c.path });
      continue;
    }
    const body = Buffer.from(c.content, 'utf8');
    if (!st?.isFile() || st.size !== BigInt(body.length)) throw new NativeUnsupported(`${c.path} on disk is not what was written`);
    const mode = (st.mode & 0o100n) !== 0n ? 0o100755 : 0o100644;
    const oid = store.write('blob', body);
    entries.set(name, { mode: mode.toString(8), oid });
    staged.push({ path: c.path, staged: { oid, mode, stat: st } });
  }
  // Deepest folders first, so each parent sees its children's new ids; an emptied folder disappears.
  const dirs = [...trees.keys()].filter((d) => d !== '').sort((a, b) => b.split('/').length - a.split('/').length);
  for (const d of dirs) {
    const entries = trees.get(d)!;
    const parent = treeAt(parentDir(d));
    if (entries.size === 0) parent.delete(path.posix.basename(d));
    else parent.set(path.posix.basename(d), { mode: '40000', oid: store.write('tree', treeBody(entries)) });
  }
  const rootTree = store.write('tree', treeBody(trees.get('') ?? new Map()));
  const unchanged = head !== undefined && rootTree === headTree;

  // The index is written to index.lock first and only takes effect once the branch has moved.
  const index = stageInIndex(repo.gitDir!, store.algo, staged);
  if (unchanged) {
    index.commit();
    return { ok: true, empty: true };
  }
  let moved: string | undefined;
  let commit: string;
  try {
    const text = `tree ${rootTree}\n${head ? `parent ${head}\n` : ''}author ${author}\ncommitter ${committer}\n\n${message.endsWith('\n') ? message : `${message}\n`}`;
    commit = store.write('commit', Buffer.from(text, 'utf8'));
    const logAll = configValue(cfg, 'core.logallrefupdates');
    moved = moveRef(repo.gitDir!, {
      ref,
      old: head,
      new: commit,
      committer,
      message: `commit${head ? '' : ' (initial)'}: ${message.split('\n')[0]}`,
      logAll: logAll === 'always' ? 'always' : logAll === undefined || gitBool(logAll) ? 'true' : 'false',
    });
  } catch (e) {
    index.rollback();
    throw e;
  }
  if (moved) {
    index.rollback();
    return { ok: false, error: `git commit failed: ${moved}` };
  }
  // The branch has moved: from here on nothing may hand over to another way of committing (it would commit again).
  try {
    index.commit();
  } catch (e) {
    try {
      index.rollback();
    } catch {
      /* the lock is gone already */
    }
    return { ok: false, error: `committed ${commit.slice(0, 7)}, but the index could not be updated (${(e as Error).message}); \`git reset -q -- ${changes.map((c) => c.path).join(' ')}\` brings it in line` };
  }
  return { ok: true, hash: commit.slice(0, 7) };
}

/** A git boolean value (a bare key is true). */
function gitBool(v: string | null): boolean {
  return v === null || /^(true|yes|on|1)$/i.test(v);
}

function parentDir(p: string): string {
  const d = path.posix.dirname(p);
  return d === '.' ? '' : d;
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
  trees: Map<string, Map<string, TreeEntry>>;
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
  const trees = new Map<string, Map<string, TreeEntry>>();
  dirs.forEach((d, i) => {
    const obj = objects[i];
    if (obj && obj.type !== 'tree') throw new PlumbingError(`${d} is not a folder in HEAD`);
    trees.set(d, obj ? parseTree(obj.body, rawLen) : new Map());
  });
  return { head, headTree, trees, blobs };
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
    const oid = objectId(algo, 'tree', treeBody(entries));
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
