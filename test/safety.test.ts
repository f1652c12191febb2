/** Issue 4: the repo's boundary, all-or-nothing writes, and git faults that leave the user's work as it was. */
import { describe, expect, test } from '@jest/globals';
import { spawn } from 'node:child_process';
import { chmodSync, existsSync, mkdirSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { BIN, CLUSTER_SETTINGS, GIT_ENV, OPERATOR, ROOT, bin, commitCount, git, read, sh, tmpDir, tmpRepo, tree, writeFile } from './helpers/repo.js';
import { applyWrites } from '../src/core/apply.js';

function userWork(repo: string) {
  writeFile(repo, 'apps/a.yaml', 'a: 2\n');
  git(repo, 'add', 'apps/a.yaml');
  writeFile(repo, 'apps/b.yaml', 'b: 2\n');
  return () => ({ staged: git(repo, 'diff', '--cached'), unstaged: git(repo, 'diff'), status: git(repo, 'status', '--porcelain') });
}

describe('the repo boundary', () => {
  test('runs from a subfolder: files and .yo-rc.json land at the git root', () => {
    const repo = tmpRepo({ 'kubernetes/apps/x.yaml': 'x: 1\n' });
    const r = bin(path.join(repo, 'kubernetes/apps'), ['--yes']);
    expect(r.status).toBe(0);
    expect(existsSync(path.join(repo, '.yo-rc.json'))).toBe(true);
    expect(existsSync(path.join(repo, OPERATOR, 'ks.yaml'))).toBe(true);
    expect(existsSync(path.join(repo, 'kubernetes/apps/.yo-rc.json'))).toBe(false);
  });

  test('a symlinked folder pointing outside the repo is refused; nothing written inside or outside', () => {
    const outside = tmpDir('cnpg-outside-');
    const repo = tmpRepo();
    mkdirSync(path.join(repo, 'kubernetes'));
    symlinkSync(outside, path.join(repo, 'kubernetes/clusters'));
    const before = tree(repo);
    const r = bin(repo, ['--yes']);
    expect(r.status).toBe(2);
    expect(r.stderr).toMatch(/kubernetes\/clusters: is a symbolic link/);
    expect(tree(outside)).toEqual({});
    expect(tree(repo)).toEqual(before);
    expect(commitCount(repo)).toBe(1);
  });

  test('a symlinked file pointing outside the repo is refused', () => {
    const outside = tmpDir('cnpg-outside-');
    writeFileSync(path.join(outside, 'secret.yaml'), CLUSTER_SETTINGS);
    const repo = tmpRepo();
    mkdirSync(path.join(repo, 'kubernetes/clusters/infra'), { recursive: true });
    symlinkSync(path.join(outside, 'secret.yaml'), path.join(repo, 'kubernetes/clusters/infra/cluster-settings.yaml'));
    const r = bin(repo, ['--yes']);
    expect(r.status).toBe(2);
    expect(r.stderr).toContain('cluster-settings.yaml: is a symbolic link');
    expect(readFileSync(path.join(outside, 'secret.yaml'), 'utf8')).toBe(CLUSTER_SETTINGS);
    expect(existsSync(path.join(repo, OPERATOR))).toBe(false);
  });
});

describe('all or nothing', () => {
  test('a write that fails midway (target is a folder) rolls back, keeps modes, leaves no temp files', () => {
    const repo = tmpRepo({ 'a.yaml': 'a: 1\n', 'd/placeholder': '' });
    chmodSync(path.join(repo, 'a.yaml'), 0o600);
    mkdirSync(path.join(repo, 'd/is-a-folder.yaml'));
    const before = tree(repo);
    expect(() =>
      applyWrites({ root: repo }, [
        { path: 'a.yaml', content: 'a: 2\n' },
        { path: 'b.yaml', content: 'b: 1\n' },
        { path: 'd/is-a-folder.yaml', content: 'x\n' },
      ]),
    ).toThrow(/writing failed .* 2 file\(s\) already written were restored/);
    expect(tree(repo)).toEqual(before);
    expect(sh(repo, 'stat', ['-c', '%a', 'a.yaml']).stdout.trim()).toBe('600');
    expect(Object.keys(tree(repo)).filter((f) => f.includes('.tmp'))).toEqual([]);
  });

  test('a kill at any moment leaves each file either as it was or fully written', async () => {
    const template = tmpRepo({ 'kubernetes/clusters/infra/cluster-settings.yaml': CLUSTER_SETTINGS });
    const expected = tmpRepo({ 'kubernetes/clusters/infra/cluster-settings.yaml': CLUSTER_SETTINGS });
    expect(bin(expected, ['--yes', '--no-commit']).status).toBe(0);
    const full = tree(expected);
    const old = tree(template);
    for (let i = 0; i < 16; i++) {
      const repo = tmpDir();
      sh(repo, 'cp', ['-a', `${template}/.`, repo]);
      const child = spawn(process.execPath, [BIN, '--yes', '--no-commit'], { cwd: repo, env: { ...process.env, ...GIT_ENV } });
      const closed = new Promise((r) => child.on('close', r));
      await new Promise((r) => setTimeout(r, 40 + i * 12));
      child.kill('SIGKILL');
      await closed;
      for (const [file, content] of Object.entries(tree(repo))) {
        if (/\/\.[^/]+\.cnpg-\d+-\w+\.tmp$/.test(`/${file}`)) continue; // a temp file never renamed into place
        expect({ file, ok: content === full[file] || content === old[file] }).toEqual({ file, ok: true });
      }
    }
  }, 90_000);

  test('a kill at any moment of a committing run leaves git consistent: old HEAD or the whole new commit, fsck clean', async () => {
    const template = tmpRepo({ 'kubernetes/clusters/infra/cluster-settings.yaml': CLUSTER_SETTINGS });
    const oldHead = git(template, 'rev-parse', 'HEAD').trim();
    for (let i = 0; i < 16; i++) {
      const repo = tmpDir();
      sh(repo, 'cp', ['-a', `${template}/.`, repo]);
      // Its own process group, killed whole: the git processes it runs die with it (an orphaned git would still be
      // committing while fsck looks).
      const child = spawn(process.execPath, [BIN, '--yes'], { cwd: repo, env: { ...process.env, ...GIT_ENV }, detached: true });
      const closed = new Promise((r) => child.on('close', r));
      await new Promise((r) => setTimeout(r, 60 + i * 25));
      try {
        process.kill(-child.pid!, 'SIGKILL');
      } catch {
        /* already gone */
      }
      await closed;
      const fsck = sh(repo, 'git', ['fsck', '--no-dangling']);
      expect({ status: fsck.status, out: fsck.stdout + fsck.stderr }).toEqual({ status: 0, out: expect.anything() });
      const head = git(repo, 'rev-parse', 'HEAD').trim();
      if (head !== oldHead) {
        expect(git(repo, 'rev-parse', 'HEAD~1').trim()).toBe(oldHead);
        expect(git(repo, 'ls-tree', '-r', '--name-only', 'HEAD')).toContain(`${OPERATOR}/helmrelease.yaml`);
      }
      // the index is the old one or the new one, never half of one (an index.lock may be left, as git leaves it)
      expect(sh(repo, 'git', ['ls-files', '-s'], { GIT_OPTIONAL_LOCKS: '0' }).status).toBe(0);
      // and a rerun finishes the job: what the killed run wrote is recognised as the generator's, not refused.
      // A kill inside git commit can leave git's own lock files (index, HEAD, the branch), as any killed git does;
      // the user removes them as git's message says, and so does the test.
      for (const lock of ['.git/index.lock', '.git/HEAD.lock', '.git/refs/heads/main.lock']) rmSync(path.join(repo, lock), { force: true });
      const rerun = bin(repo, ['--yes']);
      expect({ i, status: rerun.status, err: rerun.stderr }).toEqual({ i, status: 0, err: expect.not.stringContaining('error') });
      // (a temporary file the kill left before its rename stays untracked, as in the test above)
      expect(git(repo, 'status', '--porcelain').split('\n').filter((l) => l && !/(?:^\?\? |\/)\.[^/]+\.cnpg-\d+-\w+\.tmp$/.test(l))).toEqual([]);
    }
  }, 90_000);

  test('an existing file keeps its mode when rewritten', () => {
    const repo = tmpRepo({ 'kubernetes/clusters/infra/cluster-settings.yaml': CLUSTER_SETTINGS });
    chmodSync(path.join(repo, 'kubernetes/clusters/infra/cluster-settings.yaml'), 0o640);
    expect(bin(repo, ['--yes']).status).toBe(0);
    expect(sh(repo, 'stat', ['-c', '%a', 'kubernetes/clusters/infra/cluster-settings.yaml']).stdout.trim()).toBe('640');
  });

  test('two runs at once never interleave: exactly one commits, the other finds nothing to do or waits', async () => {
    const repo = tmpRepo();
    const runOne = () =>
      new Promise<{ code: number; err: string }>((resolve) => {
        const child = spawn(process.execPath, [BIN, '--yes'], { cwd: repo, env: { ...process.env, ...GIT_ENV } });
        let err = '';
        child.stderr.on('data', (d) => (err += d));
        child.on('close', (code) => resolve({ code: code ?? -1, err }));
      });
    const results = await Promise.all([runOne(), runOne(), runOne()]);
    expect(commitCount(repo)).toBe(2);
    for (const r of results) expect([0, 1]).toContain(r.code);
    for (const r of results.filter((x) => x.code === 1)) expect(r.err).toMatch(/changed while this run was planning|another cnpg-operator run/);
    expect(git(repo, 'status', '--porcelain')).toBe('');
    expect(existsSync(path.join(repo, '.git/cnpg-operator.lock'))).toBe(false);
  });
});

describe('git faults leave the user work exactly as it was', () => {
  test('no identity: files written, exit 1 with git\'s reason, user work untouched', () => {
    const repo = tmpRepo();
    const work = userWork(repo);
    const before = work();
    const r = sh(repo, process.execPath, [BIN, '--yes'], {
      GIT_AUTHOR_NAME: '',
      GIT_AUTHOR_EMAIL: '',
      GIT_COMMITTER_NAME: '',
      GIT_COMMITTER_EMAIL: '',
      EMAIL: '',
      HOME: tmpDir(),
      GIT_CONFIG_GLOBAL: '/dev/null',
    });
    expect(r.status).toBe(1);
    expect(r.stderr).toMatch(/git commit failed: .*(identity|name|email)/is);
    expect(existsSync(path.join(repo, OPERATOR, 'ks.yaml'))).toBe(true);
    expect(work().staged).toBe(before.staged);
    expect(work().unstaged).toBe(before.unstaged);
  });

  const blockers: [string, (repo: string) => void, RegExp][] = [
    ['a detached HEAD', (repo) => git(repo, 'checkout', '-q', '--detach'), /HEAD is detached/],
    ['a merge in progress', (repo) => writeFileSync(path.join(repo, '.git/MERGE_HEAD'), git(repo, 'rev-parse', 'HEAD')), /a merge is in progress/],
    ['an index lock held by another process', (repo) => writeFileSync(path.join(repo, '.git/index.lock'), ''), /index\.lock exists: another git process/],
  ];
  for (const [name, make, pattern] of blockers) {
    test(`${name}: refused before writing, work tree and index as they were`, () => {
      const repo = tmpRepo();
      const work = userWork(repo);
      make(repo);
      const before = { ...work(), files: tree(repo) };
      const r = bin(repo, ['--yes']);
      expect(r.status).toBe(1);
      expect(r.stderr).toMatch(pattern);
      expect(r.stderr).toContain('nothing was written');
      expect(r.stderr.trim().split('\n')).toHaveLength(1);
      expect(tree(repo)).toEqual(before.files);
      if (name !== 'an index lock held by another process') expect(work()).toEqual({ staged: before.staged, unstaged: before.unstaged, status: before.status });
    });
  }

  test('uncommitted edits of the user on a path we patch: --no-commit still writes; a committing run refuses, naming the path', () => {
    const repo = tmpRepo({ 'kubernetes/clusters/infra/cluster-settings.yaml': CLUSTER_SETTINGS });
    expect(bin(repo, ['--yes']).status).toBe(0);
    const settings = 'kubernetes/clusters/infra/cluster-settings.yaml';
    writeFile(repo, settings, read(repo, settings).replace('  # Storage\n', '  MINE: "1"\n  # Storage\n'));
    const before = tree(repo);
    const refused = bin(repo, ['--yes', '--chart-version', '0.26.1']);
    expect(refused.status).toBe(2);
    expect(refused.stderr.trim()).toBe(
      `error: ${settings}: has uncommitted changes (unstaged) that cnpg-operator did not make; commit or stash them first (they would go into its commit), or rerun with --no-commit; nothing was written`,
    );
    expect(tree(repo)).toEqual(before);
    expect(commitCount(repo)).toBe(2);
    const written = bin(repo, ['--yes', '--chart-version', '0.26.1', '--no-commit']);
    expect(written.status).toBe(0);
    expect(read(repo, settings)).toContain('MINE: "1"');
    expect(read(repo, settings)).toContain('CNPG_OPERATOR_VERSION: "0.26.1"');
    expect(commitCount(repo)).toBe(2);
    // The edit was the user's before the --no-commit run wrote there: still not the generator's to commit.
    const again = bin(repo, ['--yes']);
    expect(again.status).toBe(2);
    expect(again.stderr).toContain(`${settings}: has uncommitted changes`);
    expect(commitCount(repo)).toBe(2);
  });

  test('after --no-commit, a flagless run commits what that run wrote (and only that)', () => {
    const repo = tmpRepo();
    writeFile(repo, 'apps/mine.yaml', 'm: 1\n');
    expect(bin(repo, ['--yes', '--no-commit']).status).toBe(0);
    expect(commitCount(repo)).toBe(1);
    const r = bin(repo, ['--yes']);
    expect(r.status).toBe(0);
    expect(git(repo, 'log', '-1', '--format=%s').trim()).toBe('feat(databases): add CloudNativePG operator manifests');
    expect(git(repo, 'status', '--porcelain')).toBe('?? apps/\n');
  });

  test('no source file writes git objects, the index or refs: only git itself does', () => {
    const src = path.join(ROOT, 'src');
    const files = sh(src, 'grep', ['-rlE', `['"](hash-object|mktree|commit-tree|update-ref|update-index|write-tree|read-tree|fast-import|symbolic-ref)['"]|objects/|refs/heads`, '.']);
    expect(files.stdout.trim().split('\n').filter(Boolean).filter((f) => !f.endsWith('apply.ts'))).toEqual([]);
    expect(existsSync(path.join(src, 'core/git-store.ts'))).toBe(false);
  });

  test('with --no-commit a detached HEAD is no obstacle', () => {
    const repo = tmpRepo();
    git(repo, 'checkout', '-q', '--detach');
    expect(bin(repo, ['--yes', '--no-commit']).status).toBe(0);
  });
});

