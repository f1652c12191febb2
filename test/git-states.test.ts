/**
 * Issue 9: the generator's commit against repository states, side by side with a control. Each state is built
 * twice by the same function: the generator runs in one; in the other (the control) the same file contents are
 * put on disk and committed with `git add` + `git commit --only` of the same paths. Each run must either give the
 * control's commit (same tree, same index and status afterwards) or be refused before anything is written (work
 * tree, index and HEAD unchanged, the message naming the path).
 */
import { describe, expect, test } from '@jest/globals';
import { spawn, spawnSync } from 'node:child_process';
import { chmodSync, copyFileSync, existsSync, mkdirSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { BIN, CLUSTER_SETTINGS, GIT_ENV, OPERATOR, type Ran, git, read, sh, tmpDir, tmpRepo, tree, writeFile } from './helpers/repo.js';

const SETTINGS = 'kubernetes/clusters/infra/cluster-settings.yaml';
const KUSTOMIZATION = `${OPERATOR}/kustomization.yaml`;
/** The monitoring part: its own folder and Flux Kustomization beside the operator's. */
const MONITORING = OPERATOR.replace(/operator$/, 'monitoring');
const OUR_PATHS = [
  '.yo-rc.json',
  'bootstrap/helmfile.d/00-crds.yaml',
  SETTINGS,
  'kubernetes/infrastructure/databases/kustomization.yaml',
  ...['namespace', 'ocirepository', 'helmrelease', 'pdb', 'kustomization', 'ks'].map((f) => `${OPERATOR}/${f}.yaml`),
  ...['podmonitor', 'prometheusrule', 'kustomization', 'ks'].map((f) => `${MONITORING}/${f}.yaml`),
];

/** The bin, asynchronously, so states run side by side (stdin is not a TTY: it never prompts). */
function binAsync(cwd: string, args: string[], env: Record<string, string> = {}): Promise<Ran> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, [BIN, ...args], { cwd, env: { ...process.env, ...GIT_ENV, HOME: cwd, ...env } });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d) => (stdout += d));
    child.stderr.on('data', (d) => (stderr += d));
    child.on('close', (code) => resolve({ status: code ?? -1, stdout, stderr }));
  });
}

const tryGit = (cwd: string, ...args: string[]) => sh(cwd, 'git', args);

function gitOut(cwd: string, ...args: string[]): string {
  const r = spawnSync('git', args, { cwd, encoding: 'utf8', maxBuffer: 64 * 1024 * 1024, env: { ...process.env, ...GIT_ENV, HOME: cwd } });
  if (r.status !== 0) throw new Error(`git ${args.join(' ')} in ${cwd}: ${r.error?.message ?? r.stderr}`);
  return r.stdout;
}

/** Everything a user could notice about a repo's git state (HEAD's tree, the index, status). */
function gitState(dir: string) {
  const head = tryGit(dir, 'rev-parse', '-q', '--verify', 'HEAD^{tree}');
  return {
    tree: head.status === 0 ? head.stdout.trim() : '(unborn)',
    index: gitOut(dir, 'ls-files', '-s', '-v'),
    staged: tryGit(dir, 'diff', '--cached', '--name-status').stdout,
    status: gitOut(dir, 'status', '--porcelain=v1', '--untracked-files=all'),
  };
}

function headId(dir: string): string {
  const r = tryGit(dir, 'rev-parse', '-q', '--verify', 'HEAD');
  return r.status === 0 ? r.stdout.trim() : '(unborn)';
}

/** Put the generator's resulting content of our paths into the control, then commit them the plain git way. */
function commitLikeGit(gen: string, control: string, message: string): void {
  const changed: string[] = [];
  for (const p of OUR_PATHS) {
    const from = path.join(gen, p);
    const to = path.join(control, p);
    const inGen = existsSync(from);
    if (inGen) {
      mkdirSync(path.dirname(to), { recursive: true });
      copyFileSync(from, to);
    } else rmSync(to, { force: true });
    const known = tryGit(control, 'ls-files', '--error-unmatch', '--', p).status === 0;
    if (inGen || known) changed.push(p);
  }
  git(control, 'add', '--', ...changed);
  const c = spawnGitWithInput(control, ['commit', '--only', '-q', '-F', '-', '--', ...changed], message);
  if (c.status !== 0 && !/nothing (added )?to commit|no changes added/.test(c.stdout + c.stderr)) throw new Error(`control commit failed: ${c.stderr}`);
}

function spawnGitWithInput(cwd: string, args: string[], input: string): Ran {
  const r = spawnSync('git', args, { cwd, input, encoding: 'utf8', env: { ...process.env, ...GIT_ENV, HOME: cwd } });
  return { status: r.status ?? -1, stdout: r.stdout, stderr: r.stderr };
}

type Expect =
  | { kind: 'commit' }
  | { kind: 'refused'; exit: 1 | 2; message: RegExp }
  | { kind: 'failed'; message: RegExp }
  | { kind: 'no-git' };

interface State {
  name: string;
  /** Build the state in an empty temporary folder; return the folder to run in (default: dir), or { skip }. */
  build(dir: string): string | void | { skip: string };
  args?: string[];
  /** Run the generator once before the step under test (the state is then "after a first run"). */
  firstRun?: string[];
  expect: Expect;
}

function base(dir: string, files: Record<string, string> = { [SETTINGS]: CLUSTER_SETTINGS, 'apps/app.yaml': 'a: 1\n' }): void {
  for (const [rel, content] of Object.entries(files)) writeFile(dir, rel, content);
  git(dir, 'init', '-q', '-b', 'main');
  git(dir, 'add', '-A');
  git(dir, 'commit', '-q', '--allow-empty', '-m', 'initial');
}

/** The folder a build returned (builds written as `(a(), b())` return git's empty output: the folder itself). */
const where = (built: string | void | { skip: string }, dir: string) => (typeof built === 'object' ? built : built ? built : dir);

const refused = (message: RegExp, exit: 1 | 2 = 2): Expect => ({ kind: 'refused', exit, message });
const COMMIT: Expect = { kind: 'commit' };
const BUMP = ['--yes', '--chart-version', '0.26.1'];

let lib: string | undefined;
/** One submodule source for both sides (its commit id must be the same in the state and the control). */
function sharedLib(): string {
  if (!lib) {
    lib = tmpDir('cnpg-lib-');
    base(lib, { 'x.txt': 'x\n' });
  }
  return lib;
}

const STATES: State[] = [
  { name: 'a plain repo (first run)', build: (d) => base(d), expect: COMMIT },
  { name: 'a bump after a first run', build: (d) => base(d), firstRun: ['--yes'], args: BUMP, expect: COMMIT },
  {
    name: 'skip-worktree on cluster-settings.yaml',
    build: (d) => (base(d), git(d, 'update-index', '--skip-worktree', SETTINGS)),
    expect: refused(new RegExp(`${SETTINGS}: is marked skip-worktree`)),
  },
  {
    name: 'assume-unchanged on cluster-settings.yaml',
    build: (d) => (base(d), git(d, 'update-index', '--assume-unchanged', SETTINGS)),
    expect: refused(new RegExp(`${SETTINGS}: is marked assume-unchanged`)),
  },
  {
    name: 'intent-to-add on a file of the user (not ours)',
    build: (d) => (base(d), writeFile(d, 'apps/new.yaml', 'n: 1\n'), git(d, 'add', '-N', 'apps/new.yaml')),
    expect: COMMIT,
  },
  {
    name: 'intent-to-add on a path we write',
    build: (d) => (base(d), writeFile(d, 'kubernetes/infrastructure/databases/kustomization.yaml', 'resources: []\n'), git(d, 'add', '-N', 'kubernetes/infrastructure/databases/kustomization.yaml')),
    expect: refused(/kubernetes\/infrastructure\/databases\/kustomization\.yaml: has uncommitted changes \(unstaged\) that cnpg-operator did not make/),
  },
  {
    name: 'cone sparse checkout with kubernetes/clusters outside the cone',
    build: (d) => (base(d), git(d, 'sparse-checkout', 'set', '--cone', 'apps')),
    expect: refused(/: is (outside the sparse checkout|marked skip-worktree)/),
  },
  {
    name: 'cone sparse checkout that holds our folders',
    build: (d) => (base(d), git(d, 'sparse-checkout', 'set', '--cone', 'kubernetes', 'bootstrap')),
    expect: COMMIT,
  },
  {
    name: 'non-cone sparse checkout without our folders',
    build: (d) => (base(d), git(d, 'sparse-checkout', 'set', '--no-cone', '/apps/')),
    expect: refused(/: is (outside the sparse checkout|marked skip-worktree)/),
  },
  {
    // Every path of ours is new (no cluster on disk: its settings sit outside the checkout): git add --dry-run
    // cannot judge a file that does not exist yet, so the sparse patterns must.
    name: 'non-cone sparse checkout of another folder only: every path of ours new and outside',
    build: (d) => (base(d), git(d, 'sparse-checkout', 'set', '--no-cone', '/apps/'), rmSync(path.join(d, 'kubernetes'), { recursive: true, force: true })),
    expect: refused(/: is outside the sparse checkout; widen it/),
  },
  {
    name: 'cone sparse checkout of kubernetes only: the new bootstrap/helmfile.d and .yo-rc.json are outside',
    build: (d) => (base(d), git(d, 'sparse-checkout', 'set', '--cone', 'kubernetes')),
    expect: refused(/(bootstrap\/helmfile\.d\/00-crds\.yaml|\.yo-rc\.json): is outside the sparse checkout/),
  },
  {
    name: 'an ignored path (.yo-rc.json in .gitignore)',
    build: (d) => base(d, { [SETTINGS]: CLUSTER_SETTINGS, '.gitignore': '.yo-rc.json\n' }),
    expect: refused(/\.yo-rc\.json: is ignored by git/),
  },
  {
    name: 'an ignore rule that matches the new generated files',
    build: (d) => (base(d), writeFile(d, '.gitignore', '*.yaml\n'), git(d, 'add', '.gitignore'), git(d, 'commit', '-q', '-m', 'ignore')),
    expect: refused(/: is ignored by git/),
  },
  {
    name: 'an executable bit on the patched file',
    build: (d) => (base(d), chmodSync(path.join(d, SETTINGS), 0o755), git(d, 'add', SETTINGS), git(d, 'commit', '-q', '-m', 'x')),
    expect: COMMIT,
  },
  {
    name: 'a clean filter from .gitattributes',
    build: (d) => {
      base(d, { [SETTINGS]: CLUSTER_SETTINGS, '.gitattributes': '*.yaml filter=shout\n' });
      git(d, 'config', 'filter.shout.clean', "sed 's/cnpg-system/CNPG-SYSTEM/'");
      git(d, 'config', 'filter.shout.smudge', 'cat');
    },
    expect: COMMIT,
  },
  {
    name: 'a clean filter declared only in the index',
    build: (d) => {
      base(d, { [SETTINGS]: CLUSTER_SETTINGS, '.gitattributes': '*.yaml filter=shout\n' });
      git(d, 'config', 'filter.shout.clean', "sed 's/cnpg-system/CNPG-SYSTEM/'");
      git(d, 'config', 'filter.shout.smudge', 'cat');
      rmSync(path.join(d, '.gitattributes'));
    },
    expect: COMMIT,
  },
  { name: 'core.autocrlf=true', build: (d) => (base(d), git(d, 'config', 'core.autocrlf', 'true')), expect: COMMIT },
  { name: 'eol=crlf in .gitattributes', build: (d) => base(d, { [SETTINGS]: CLUSTER_SETTINGS, '.gitattributes': '*.yaml text eol=crlf\n' }), expect: COMMIT },
  {
    name: 'commit hooks (pre-commit, commit-msg)',
    build: (d) => {
      base(d);
      writeFileSync(path.join(d, '.git/hooks/pre-commit'), '#!/bin/sh\ngit diff --cached --name-only > .git/hook-saw\n', { mode: 0o755 });
      writeFileSync(path.join(d, '.git/hooks/commit-msg'), '#!/bin/sh\necho "Reviewed-by: hook" >> "$1"\n', { mode: 0o755 });
    },
    expect: COMMIT,
  },
  {
    name: 'commit.gpgSign without a key',
    build: (d) => {
      base(d);
      git(d, 'config', 'commit.gpgSign', 'true');
      git(d, 'config', 'user.signingKey', 'no-such-key@example.invalid');
      writeFile(d, 'apps/app.yaml', 'a: 2\n');
      git(d, 'add', 'apps/app.yaml'); // the user's staged work must stay staged
    },
    expect: { kind: 'failed', message: /git commit failed: .*(gpg|sign)/is },
  },
  {
    name: 'a locked branch ref (refs/heads/main.lock held)',
    build: (d) => {
      base(d);
      writeFile(d, 'apps/app.yaml', 'a: 2\n');
      git(d, 'add', 'apps/app.yaml'); // the user's staged work must stay staged
      writeFileSync(path.join(d, '.git/refs/heads/main.lock'), '');
    },
    expect: { kind: 'failed', message: /git commit failed: .*lock/is },
  },
  {
    name: 'a rejecting pre-commit hook',
    build: (d) => {
      base(d);
      writeFile(d, 'apps/app.yaml', 'a: 2\n');
      git(d, 'add', 'apps/app.yaml');
      writeFileSync(path.join(d, '.git/hooks/pre-commit'), '#!/bin/sh\necho "policy: no" >&2\nexit 1\n', { mode: 0o755 });
    },
    expect: { kind: 'failed', message: /git commit failed: .*policy: no/is },
  },
  {
    name: 'a linked worktree',
    build: (d) => {
      const main = path.join(d, 'main');
      mkdirSync(main);
      base(main);
      git(main, 'worktree', 'add', '-q', '-b', 'ops', path.join(d, 'wt'));
      return path.join(d, 'wt');
    },
    expect: COMMIT,
  },
  {
    name: 'a .git file (separate git dir)',
    build: (d) => {
      const work = path.join(d, 'work');
      mkdirSync(work);
      writeFile(work, SETTINGS, CLUSTER_SETTINGS);
      git(work, 'init', '-q', '-b', 'main', `--separate-git-dir=${path.join(d, 'gitdir')}`);
      git(work, 'add', '-A');
      git(work, 'commit', '-q', '-m', 'initial');
      return work;
    },
    expect: COMMIT,
  },
  {
    name: 'a submodule elsewhere in the repo',
    build: (d) => {
      const lib = sharedLib();
      const work = path.join(d, 'work');
      mkdirSync(work);
      base(work);
      git(work, '-c', 'protocol.file.allow=always', 'submodule', 'add', '-q', lib, 'vendor/lib');
      git(work, 'commit', '-q', '-m', 'submodule');
      return work;
    },
    expect: COMMIT,
  },
  {
    name: 'a shallow clone',
    build: (d) => {
      const src = path.join(d, 'src');
      mkdirSync(src);
      base(src);
      writeFile(src, 'apps/b.yaml', 'b: 1\n');
      git(src, 'add', '-A');
      git(src, 'commit', '-q', '-m', 'second');
      git(d, 'clone', '-q', '--depth', '1', `file://${src}`, 'work');
      return path.join(d, 'work');
    },
    expect: COMMIT,
  },
  {
    name: 'a sha256 repository',
    build: (d) => {
      writeFile(d, SETTINGS, CLUSTER_SETTINGS);
      git(d, 'init', '-q', '-b', 'main', '--object-format=sha256');
      git(d, 'add', '-A');
      git(d, 'commit', '-q', '-m', 'initial');
    },
    expect: COMMIT,
  },
  { name: 'packed refs', build: (d) => (base(d), git(d, 'pack-refs', '--all')), expect: COMMIT },
  { name: 'an unborn branch (empty repo)', build: (d) => void git(d, 'init', '-q', '-b', 'main'), expect: COMMIT },
  {
    name: 'an unborn branch with an uncommitted cluster-settings.yaml of the user',
    build: (d) => (writeFile(d, SETTINGS, CLUSTER_SETTINGS), git(d, 'init', '-q', '-b', 'main')),
    expect: refused(new RegExp(`${SETTINGS}: has uncommitted changes \\(untracked file\\)`)),
  },
  { name: 'a detached HEAD', build: (d) => (base(d), git(d, 'checkout', '-q', '--detach')), expect: refused(/HEAD is detached/, 1) },
  {
    name: "another user's repository",
    build: (d) => {
      if (process.getuid?.() !== 0) return { skip: 'needs root to give the repo to another uid' };
      base(d);
      if (sh(d, 'chown', ['-R', '12345:12345', d]).status !== 0) return { skip: 'chown failed' };
    },
    expect: refused(/git refuses the repository at .*dubious ownership/),
  },
  {
    name: 'a repository extension git does not know',
    build: (d) => (base(d), git(d, 'config', 'core.repositoryformatversion', '1'), git(d, 'config', 'extensions.frobnicate', 'true')),
    expect: refused(/git refuses the repository at .*unknown repository extension found: frobnicate/),
  },
  {
    name: 'uncommitted user edits in cluster-settings.yaml (bump)',
    build: (d) => base(d),
    firstRun: ['--yes'],
    args: BUMP,
    expect: refused(new RegExp(`${SETTINGS}: has uncommitted changes \\(unstaged\\) that cnpg-operator did not make`)),
  },
  {
    name: 'staged user edits in 00-crds.yaml (bump)',
    build: (d) => base(d),
    firstRun: ['--yes'],
    args: BUMP,
    expect: refused(/bootstrap\/helmfile\.d\/00-crds\.yaml: has uncommitted changes \(staged\)/),
  },
  {
    name: 'staged and untracked work of the user elsewhere',
    build: (d) => (base(d), writeFile(d, 'apps/app.yaml', 'a: 2\n'), writeFile(d, 'apps/new.yaml', 'n\n'), git(d, 'add', 'apps'), writeFile(d, 'apps/loose.txt', 'l\n')),
    expect: COMMIT,
  },
];

/** States git itself refuses to work in (so the test cannot ask git about them either). */
const GIT_REFUSES = new Set(["another user's repository", 'a repository extension git does not know']);

/** Edits some states make between the first run and the step under test. */
const BETWEEN: Record<string, (dir: string) => void> = {
  'uncommitted user edits in cluster-settings.yaml (bump)': (d) => writeFile(d, SETTINGS, read(d, SETTINGS).replace('  # Storage\n', '  MY_KEY: "mine"\n  # Storage\n')),
  'staged user edits in 00-crds.yaml (bump)': (d) => {
    writeFile(d, 'bootstrap/helmfile.d/00-crds.yaml', read(d, 'bootstrap/helmfile.d/00-crds.yaml') + '# mine\n');
    git(d, 'add', 'bootstrap/helmfile.d/00-crds.yaml');
  },
};

describe('each repository state: the commit git add + git commit --only makes, or a refusal before writing', () => {
  for (const state of STATES) {
    test.concurrent(state.name, async () => {
      const genDir = tmpDir('cnpg-gen-');
      const ctlDir = tmpDir('cnpg-ctl-');
      const gen = where(state.build(genDir), genDir);
      if (typeof gen === 'object') {
        console.warn(`skipped "${state.name}": ${gen.skip}`);
        return;
      }
      const ctl = where(state.build(ctlDir), ctlDir) as string;
      for (const dir of [gen, ctl]) {
        if (state.firstRun) {
          const first = await binAsync(dir, state.firstRun);
          expect({ first: first.status, err: first.stderr }).toEqual({ first: 0, err: expect.anything() });
        }
        BETWEEN[state.name]?.(dir);
      }
      const before = { files: tree(gen), head: headId(gen), git: GIT_REFUSES.has(state.name) ? undefined : gitState(gen) };
      const r = await binAsync(gen, state.args ?? ['--yes']);
      const e = state.expect;
      if (e.kind === 'refused') {
        expect({ status: r.status, stderr: r.stderr }).toEqual({ status: e.exit, stderr: expect.stringMatching(e.message) });
        expect(r.stderr).toContain('nothing was written');
        expect(r.stderr.split('\n').filter((l) => l.startsWith('error:'))).toHaveLength(1);
        expect(tree(gen)).toEqual(before.files);
        if (before.git) {
          expect(headId(gen)).toBe(before.head);
          expect(gitState(gen)).toEqual(before.git);
        }
        return;
      }
      if (e.kind === 'failed') {
        expect({ status: r.status, stderr: r.stderr }).toEqual({ status: 1, stderr: expect.stringMatching(e.message) });
        expect(r.stderr).toContain('to finish: git add -- ');
        expect(headId(gen)).toBe(before.head);
        expect(tryGit(gen, 'diff', '--cached', '--name-status').stdout).toBe(before.git!.staged);
        expect(tryGit(gen, 'diff', '--cached').stdout).toContain('+a: 2');
        expect(existsSync(path.join(gen, `${OPERATOR}/helmrelease.yaml`))).toBe(true);
        return;
      }
      expect({ status: r.status, stderr: r.stderr }).toEqual({ status: 0, stderr: expect.not.stringMatching(/error/) });
      expect(r.stdout).toMatch(/committed [0-9a-f]{7,}/);
      commitLikeGit(gen, ctl, git(gen, 'log', '-1', '--format=%B'));
      expect(gitState(gen)).toEqual(gitState(ctl));
      expect(git(gen, 'rev-list', '--count', 'HEAD')).toBe(git(ctl, 'rev-list', '--count', 'HEAD'));
      if (state.name.startsWith('commit hooks')) {
        expect(read(gen, '.git/hook-saw').split('\n').filter(Boolean).sort()).toEqual(OUR_PATHS.filter((p) => existsSync(path.join(gen, p))).sort());
        expect(git(gen, 'log', '-1', '--format=%B')).toContain('Reviewed-by: hook');
      }
    }, 60_000);
  }

  test('a folder on another filesystem inside a repo: git stops at the mount, so files are written and not committed', () => {
    const outer = tmpRepo({ 'README.md': 'outer\n' });
    const mnt = path.join(outer, 'mnt');
    mkdirSync(mnt);
    if (sh(outer, 'mount', ['-t', 'tmpfs', 'tmpfs', mnt]).status !== 0) {
      console.warn('skipped "another filesystem": cannot mount a tmpfs here');
      return;
    }
    try {
      const head = headId(outer);
      const r = sh(mnt, process.execPath, [BIN, '--yes']);
      expect(r.status).toBe(0);
      expect(r.stderr).toContain('not inside a git work tree');
      expect(existsSync(path.join(mnt, `${OPERATOR}/ks.yaml`))).toBe(true);
      expect(headId(outer)).toBe(head);
    } finally {
      sh(outer, 'umount', [mnt]);
    }
  });
});

describe('conflicts never lead to a broken commit (the sequences of issue 9)', () => {
  const HR = `${OPERATOR}/helmrelease.yaml`;
  const PARENT = 'kubernetes/infrastructure/databases/kustomization.yaml';
  /** A hand edit of the generated HelmRelease where --inplace-updates writes (after `clusterWide: true`). */
  const handEdit = (dir: string) => writeFile(dir, HR, read(dir, HR).replace('      clusterWide: true\n', '      clusterWide: true\n      maxConcurrentReconciles: 20\n'));
  /** --monitoring none, a committed hand edit of the generated helmrelease.yaml, then a rerun that conflicts there and adds the monitoring part. */
  async function conflicted(dir: string): Promise<Ran> {
    base(dir);
    expect((await binAsync(dir, ['--yes', '--monitoring', 'none'])).status).toBe(0);
    handEdit(dir);
    git(dir, 'commit', '-q', '-am', 'mine');
    return binAsync(dir, ['--yes', '--monitoring', 'prometheus-operator', '--inplace-updates', 'true']);
  }
  /** Every file a generated or patched kustomization.yaml lists (the parent's ks.yaml entries, each part's files). */
  const listed = (dir: string) => {
    const entries = (file: string, folder: string) => [...read(dir, file).matchAll(/^ {2}- (\S+)$/gm)].map((m) => path.posix.normalize(`${folder}/${m[1]}`));
    return [...entries(PARENT, path.posix.dirname(PARENT)), ...entries(KUSTOMIZATION, OPERATOR), ...entries(`${MONITORING}/kustomization.yaml`, MONITORING)];
  };
  const inHead = (dir: string) => git(dir, 'ls-tree', '-r', '--name-only', 'HEAD').split('\n').filter(Boolean);
  const ourStatus = (dir: string) => git(dir, 'status', '--porcelain', '--untracked-files=all', '--', ...OUR_PATHS);

  test.concurrent('--dry-run exits 1 when the real run would conflict, and writes nothing', async () => {
    const dir = tmpDir();
    base(dir);
    expect((await binAsync(dir, ['--yes', '--monitoring', 'none'])).status).toBe(0);
    handEdit(dir);
    git(dir, 'commit', '-q', '-am', 'mine');
    const before = tree(dir);
    const r = await binAsync(dir, ['--dry-run', '--yes', '--monitoring', 'prometheus-operator', '--inplace-updates', 'true']);
    expect(r.status).toBe(1);
    expect(r.stderr).toMatch(new RegExp(`would conflict[\\s\\S]*${HR}`));
    expect(tree(dir)).toEqual(before);
  });

  test.concurrent('after a conflict, --check reports the uncommitted generated files; --force commits every listed file and .yo-rc.json, as git would', async () => {
    const gen = tmpDir('cnpg-gen-');
    const ctl = tmpDir('cnpg-ctl-');
    for (const dir of [gen, ctl]) expect((await conflicted(dir)).status).toBe(1);
    expect(read(gen, HR)).toContain('<<<<<<< yours');
    const check = await binAsync(gen, ['--check']);
    expect(check.status).toBe(1);
    expect(check.stdout).toContain(`${MONITORING}/podmonitor.yaml: untracked`);
    expect(check.stdout).toContain('.yo-rc.json: not committed');
    const head = headId(gen);
    const forced = await binAsync(gen, ['--yes', '--force']);
    expect(forced.status).toBe(0);
    expect(git(gen, 'rev-parse', 'HEAD~1').trim()).toBe(head);
    expect(read(gen, HR)).not.toContain('<<<<<<<');
    for (const p of [...listed(gen), '.yo-rc.json']) expect({ p, committed: inHead(gen).includes(p) }).toEqual({ p, committed: true });
    expect(ourStatus(gen)).toBe('');
    commitLikeGit(gen, ctl, git(gen, 'log', '-1', '--format=%B'));
    expect(gitState(gen)).toEqual(gitState(ctl));
    expect((await binAsync(gen, ['--check'])).status).toBe(0);
  });

  test.concurrent('after resolving the markers by hand, a flagless rerun commits what is pending on our paths, as git would', async () => {
    const gen = tmpDir('cnpg-gen-');
    const ctl = tmpDir('cnpg-ctl-');
    for (const dir of [gen, ctl]) {
      expect((await conflicted(dir)).status).toBe(1);
      // keep both sides
      writeFile(dir, HR, read(dir, HR).replace(/^(<<<<<<< yours|=======|>>>>>>> generator)\n/gm, ''));
    }
    const r = await binAsync(gen, ['--yes']);
    expect(r.status).toBe(0);
    expect(r.stdout).toMatch(/committed [0-9a-f]{7,}/);
    expect(git(gen, 'show', `HEAD:${HR}`)).toContain('      maxConcurrentReconciles: 20\n');
    for (const p of [...listed(gen), '.yo-rc.json']) expect(inHead(gen)).toContain(p);
    expect(ourStatus(gen)).toBe('');
    commitLikeGit(gen, ctl, git(gen, 'log', '-1', '--format=%B'));
    expect(gitState(gen)).toEqual(gitState(ctl));
    // and nothing is left pending
    expect((await binAsync(gen, ['--yes'])).stdout).toContain('nothing changed; no commit');
  });

  test.concurrent('--force takes the generator side of the conflicting hunk only: a non-overlapping hand edit stays (directly and after a conflicted run)', async () => {
    for (const twoSteps of [false, true]) {
      const dir = tmpDir();
      base(dir);
      expect((await binAsync(dir, ['--yes'])).status).toBe(0);
      writeFile(
        dir,
        HR,
        read(dir, HR)
          .replace('    replicaCount: ${CNPG_OPERATOR_REPLICAS}\n', '    replicaCount: 5 # pinned\n')
          .replace('  namespace: cnpg-system\n', '  namespace: team-db # mine\n'),
      );
      git(dir, 'commit', '-q', '-am', 'hand edits');
      if (twoSteps) expect((await binAsync(dir, ['--yes', '--namespace', 'postgres'])).status).toBe(1);
      const r = await binAsync(dir, twoSteps ? ['--yes', '--force'] : ['--yes', '--namespace', 'postgres', '--force']);
      expect({ twoSteps, status: r.status }).toEqual({ twoSteps, status: 0 });
      const hr = git(dir, 'show', `HEAD:${HR}`);
      expect(hr).toContain('replicaCount: 5 # pinned');
      expect(hr).toContain('  namespace: postgres\n');
      expect(hr).not.toContain('team-db');
      expect(hr).not.toContain('<<<<<<<');
      expect(ourStatus(dir)).toBe('');
    }
  });

  test.concurrent('after a failed commit (signing), the files stay pending; the next run commits them all', async () => {
    const dir = tmpDir();
    base(dir);
    git(dir, 'config', 'commit.gpgSign', 'true');
    git(dir, 'config', 'gpg.program', 'false');
    const failed = await binAsync(dir, ['--yes']);
    expect(failed.status).toBe(1);
    expect(git(dir, 'diff', '--cached', '--name-only')).toBe('');
    git(dir, 'config', 'commit.gpgSign', 'false');
    const r = await binAsync(dir, ['--yes']);
    expect(r.status).toBe(0);
    expect(r.stdout).toContain('committed');
    expect(git(dir, 'log', '-1', '--format=%s').trim()).toBe('feat(databases): add CloudNativePG operator manifests');
    expect(ourStatus(dir)).toBe('');
    expect(inHead(dir)).toEqual(expect.arrayContaining(OUR_PATHS));
  });
});
