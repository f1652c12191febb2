/** Issue 2: the generator end to end through the bin, in real temporary git repos. */
import { describe, expect, test } from '@jest/globals';
import { chmodSync, existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { parse } from 'yaml';
import { CLUSTER_SETTINGS, MONITORING, OPERATOR, bin, commitCount, git, lastCommitPaths, read, sh, tmpRepo, tree, writeFile } from './helpers/repo.js';

const OPERATOR_FILES = ['helmrelease.yaml', 'ks.yaml', 'kustomization.yaml', 'namespace.yaml', 'ocirepository.yaml', 'pdb.yaml'];
const MONITORING_FILES = ['ks.yaml', 'kustomization.yaml', 'podmonitor.yaml', 'prometheusrule.yaml'];
const ALL_PATHS = [
  '.yo-rc.json',
  'bootstrap/helmfile.d/00-crds.yaml',
  'kubernetes/clusters/infra/cluster-settings.yaml',
  'kubernetes/infrastructure/databases/kustomization.yaml',
  ...OPERATOR_FILES.map((f) => `${OPERATOR}/${f}`),
  ...MONITORING_FILES.map((f) => `${MONITORING}/${f}`),
].sort();

describe('first run on defaults', () => {
  test('writes the operator folder, patches, and makes exactly one commit with exactly those paths', () => {
    const repo = tmpRepo({ 'kubernetes/clusters/infra/cluster-settings.yaml': CLUSTER_SETTINGS, 'README.md': '# x\n' });
    const r = bin(repo, ['--yes']);
    expect(r.stderr).not.toMatch(/error/);
    expect(r.status).toBe(0);
    expect(commitCount(repo)).toBe(2);
    expect(lastCommitPaths(repo)).toEqual(ALL_PATHS);
    const message = git(repo, 'log', '-1', '--format=%B');
    expect(message.split('\n')[0]).toBe('feat(databases): add CloudNativePG operator manifests');
    expect(message).toMatch(/^Replicas: 2$/m);
    expect(message).toMatch(/^Chart: cloudnative-pg 0\.26\.0 \(operator 1\.27\.0\)$/m);
    expect(git(repo, 'status', '--porcelain')).toBe('');
    // The values the generator owns, double-quoted, under a section comment; the rest untouched.
    const settings = read(repo, 'kubernetes/clusters/infra/cluster-settings.yaml');
    expect(settings).toContain(`CLUSTER_DOMAIN: 'infra.example.com' # public zone\n`);
    expect(settings).toMatch(/# CloudNativePG Operator\n(.*\n)*  CNPG_OPERATOR_VERSION: "0\.26\.0"\n/);
    expect(settings).toContain('  CNPG_OPERATOR_REPLICAS: "2"\n');
    // The cluster's own storage class stays (the repo is the truth; only --storage-class changes it).
    expect(settings).toContain('  # Storage\n  BLOCK_SC: "local-path"\n');
    expect(settings.match(/BLOCK_SC/g)).toHaveLength(1);
    expect(r.stdout).toMatch(/storageClass\s+= local-path\s+\(repo\)/);
    expect(parse(read(repo, '.yo-rc.json'))['generator-cnpg-operator']).toMatchObject({ replicas: 2, chartVersion: '0.26.0', namespace: 'cnpg-system' });
    expect(r.stdout).toMatch(/replicas\s+= 2\s+\(default\)/);
  });

  test('a rerun with nothing new changes no byte and makes no commit', () => {
    const repo = tmpRepo();
    expect(bin(repo, ['--yes']).status).toBe(0);
    const before = tree(repo);
    const count = commitCount(repo);
    const r = bin(repo, []);
    expect(r.status).toBe(0);
    expect(r.stdout).toContain('nothing changed; no commit');
    expect(tree(repo)).toEqual(before);
    expect(commitCount(repo)).toBe(count);
  });

  test('outside a git work tree it writes the files, says the commit was skipped, exits 0', () => {
    const dir = tmpRepo({}, { git: false });
    const r = bin(dir, ['--yes']);
    expect(r.status).toBe(0);
    expect(r.stderr).toMatch(/not inside a git work tree: files written, commit skipped/);
    expect(Object.keys(tree(dir)).sort()).toEqual(ALL_PATHS);
    expect(existsSync(path.join(dir, '.git'))).toBe(false);
  });

  test('--no-commit writes and leaves staging and committing to the user', () => {
    const repo = tmpRepo();
    const r = bin(repo, ['--yes', '--no-commit']);
    expect(r.status).toBe(0);
    expect(commitCount(repo)).toBe(1);
    expect(git(repo, 'diff', '--cached', '--name-only')).toBe('');
    expect(existsSync(path.join(repo, OPERATOR, 'helmrelease.yaml'))).toBe(true);
  });

  test("a rejecting pre-commit hook: exit 1 with git's reason, files stay on disk, nothing left staged", () => {
    const repo = tmpRepo();
    writeFile(repo, '.git/hooks/pre-commit', '#!/bin/sh\necho "policy: no commits today" >&2\nexit 1\n');
    chmodSync(path.join(repo, '.git/hooks/pre-commit'), 0o755);
    const r = bin(repo, ['--yes']);
    expect(r.status).toBe(1);
    expect(r.stderr).toContain('policy: no commits today');
    expect(r.stderr).toContain('git commit failed');
    expect(commitCount(repo)).toBe(1);
    expect(existsSync(path.join(repo, OPERATOR, 'ks.yaml'))).toBe(true);
    expect(git(repo, 'diff', '--cached', '--name-only')).toBe('');
  });

  test('--replicas 1 warns that the budget blocks node drains', () => {
    const repo = tmpRepo();
    const r = bin(repo, ['--yes', '--replicas', '1']);
    expect(r.status).toBe(0);
    expect(r.stderr).toMatch(/warning: --replicas 1: the PodDisruptionBudget .* will block node drains/);
  });

  test('--monitoring none writes no scrape and no rules, and the kustomization does not list them', () => {
    const repo = tmpRepo();
    expect(bin(repo, ['--yes', '--monitoring', 'none']).status).toBe(0);
    expect(existsSync(path.join(repo, OPERATOR, 'podmonitor.yaml'))).toBe(false);
    expect(existsSync(path.join(repo, OPERATOR, 'prometheusrule.yaml'))).toBe(false);
    expect(existsSync(path.join(repo, MONITORING))).toBe(false);
    expect(parse(read(repo, `${OPERATOR}/kustomization.yaml`)).resources).toEqual(['namespace.yaml', 'ocirepository.yaml', 'helmrelease.yaml', 'pdb.yaml']);
  });

  test('an unknown chart version is accepted with a warning', () => {
    const repo = tmpRepo();
    const r = bin(repo, ['--yes', '--chart-version', '0.30.0']);
    expect(r.status).toBe(0);
    expect(r.stderr).toMatch(/warning: --chart-version 0\.30\.0 is not in this generator's table/);
    expect(read(repo, 'kubernetes/clusters/infra/cluster-settings.yaml')).toContain('CNPG_OPERATOR_VERSION: "0.30.0"');
  });

  test('--depends-on sets dependsOn and warns about a name no Flux Kustomization carries', () => {
    const repo = tmpRepo({
      'kubernetes/flux/repos.yaml': '---\napiVersion: kustomize.toolkit.fluxcd.io/v1\nkind: Kustomization\nmetadata:\n  name: infrastructure-repositories-oci\n  namespace: flux-system\nspec:\n  path: ./x\n',
    });
    const r = bin(repo, ['--yes', '--depends-on', 'infrastructure-repositories-oci,no-such-ks']);
    expect(r.status).toBe(0);
    expect(parse(read(repo, `${OPERATOR}/ks.yaml`)).spec.dependsOn).toEqual([{ name: 'infrastructure-repositories-oci' }, { name: 'no-such-ks' }]);
    expect(r.stderr).toContain('warning: --depends-on no-such-ks: no Flux Kustomization in this repo is named no-such-ks');
    expect(r.stderr).not.toContain('--depends-on infrastructure-repositories-oci:');
  });

  test(".yo-rc.json keeps other generators' sections; a CRLF cluster-settings stays CRLF", () => {
    const other = { 'generator-other': { answer: 42, list: ['a'] } };
    const repo = tmpRepo({
      '.yo-rc.json': JSON.stringify(other, null, 2) + '\n',
      'kubernetes/clusters/infra/cluster-settings.yaml': CLUSTER_SETTINGS.replace(/\n/g, '\r\n'),
    });
    expect(bin(repo, ['--yes']).status).toBe(0);
    const rc = JSON.parse(read(repo, '.yo-rc.json'));
    expect(rc['generator-other']).toEqual(other['generator-other']);
    expect(rc['generator-cnpg-operator'].chartVersion).toBe('0.26.0');
    const settings = read(repo, 'kubernetes/clusters/infra/cluster-settings.yaml');
    expect(settings.split('\r\n').length).toBe(settings.split('\n').length);
    expect(settings).toContain('  CNPG_OPERATOR_VERSION: "0.26.0"\r\n');
    expect(settings.startsWith(CLUSTER_SETTINGS.replace(/\n/g, '\r\n').trimEnd())).toBe(true);
  });

  test('the databases kustomization entry follows the file\'s ./ style', () => {
    const repo = tmpRepo({
      'kubernetes/infrastructure/databases/kustomization.yaml': '---\napiVersion: kustomize.config.k8s.io/v1beta1\nkind: Kustomization\nresources:\n  - ./dragonfly/ks.yaml\n',
    });
    expect(bin(repo, ['--yes']).status).toBe(0);
    expect(read(repo, 'kubernetes/infrastructure/databases/kustomization.yaml')).toMatch(/  - \.\/dragonfly\/ks\.yaml\n  - \.\/cloudnative-pg\/operator\/ks\.yaml\n  - \.\/cloudnative-pg\/monitoring\/ks\.yaml\n$/);
    expect(bin(repo, ['--yes']).stdout).toContain('nothing changed; no commit');
  });

  test('the databases kustomization keeps what it lists and lists ks.yaml once', () => {
    const repo = tmpRepo({
      'kubernetes/infrastructure/databases/kustomization.yaml': '---\napiVersion: kustomize.config.k8s.io/v1beta1\nkind: Kustomization\nresources:\n  # other databases\n  - redis/ks.yaml\n',
    });
    expect(bin(repo, ['--yes']).status).toBe(0);
    expect(read(repo, 'kubernetes/infrastructure/databases/kustomization.yaml')).toBe(
      '---\napiVersion: kustomize.config.k8s.io/v1beta1\nkind: Kustomization\nresources:\n  # other databases\n  - redis/ks.yaml\n  - cloudnative-pg/operator/ks.yaml\n  - cloudnative-pg/monitoring/ks.yaml\n',
    );
  });
});

// The commit is always `git add` + `git commit --only`; these run with and without a hook installed.
function withHook(dir: string): void {
  const hooks = path.resolve(dir, git(dir, 'rev-parse', '--git-common-dir').trim(), 'hooks');
  mkdirSync(hooks, { recursive: true });
  writeFileSync(path.join(hooks, 'post-commit'), '#!/bin/sh\nexit 0\n', { mode: 0o755 });
}
const COMMIT_MODES: [string, (dir: string) => void][] = [
  ['no hooks', () => {}],
  ['a post-commit hook installed', withHook],
];

for (const [mode, prepare] of COMMIT_MODES) {
  const run = (dir: string, args: string[]) => {
    prepare(dir);
    return bin(dir, args);
  };
  describe(`the commit, whatever the repo (${mode})`, () => {
    test("a user's staged work stays staged and out of the commit", () => {
      const repo = tmpRepo({ 'apps/app.yaml': 'a: 1\n' });
      writeFile(repo, 'apps/app.yaml', 'a: 2\n');
      writeFile(repo, 'apps/new.yaml', 'b: 1\n');
      git(repo, 'add', 'apps/app.yaml', 'apps/new.yaml');
      writeFile(repo, 'apps/unstaged.txt', 'u\n');
      const staged = git(repo, 'diff', '--cached', '--name-status');
      expect(run(repo, ['--yes']).status).toBe(0);
      expect(lastCommitPaths(repo)).toEqual(ALL_PATHS);
      expect(git(repo, 'diff', '--cached', '--name-status')).toBe(staged);
      expect(git(repo, 'status', '--porcelain', 'apps/unstaged.txt')).toBe('?? apps/unstaged.txt\n');
    });

    test('a sha256 repo: one commit, fsck clean, nothing left staged or modified', () => {
      const repo = tmpRepo({}, { git: false });
      git(repo, 'init', '-q', '--object-format=sha256');
      expect(run(repo, ['--yes']).status).toBe(0);
      expect(run(repo, ['--yes', '--replicas', '3']).status).toBe(0);
      expect(commitCount(repo)).toBe(2);
      expect(git(repo, 'rev-parse', 'HEAD').trim()).toHaveLength(64);
      expect(sh(repo, 'git', ['fsck', '--strict']).status).toBe(0);
      expect(git(repo, 'status', '--porcelain')).toBe('');
    });

    test('names git quotes, folders and modes of files beside ours survive; the reflog reads like git commit', () => {
      const repo = tmpRepo({ '"q\tx': 'x\n', 'b\\c': 'y\n', 'ü.txt': 'z\n', 'kubernetes/clusters/infra/run.sh': '#!/bin/sh\n' });
      chmodSync(path.join(repo, 'kubernetes/clusters/infra/run.sh'), 0o755);
      git(repo, 'add', '-A');
      git(repo, 'commit', '-q', '-m', 'more');
      const before = git(repo, 'ls-tree', '-r', 'HEAD');
      expect(run(repo, ['--yes']).status).toBe(0);
      const after = git(repo, 'ls-tree', '-r', 'HEAD');
      for (const line of before.split('\n').filter(Boolean)) expect(after).toContain(line);
      expect(git(repo, 'reflog', '-1', '--format=%gs').trim()).toBe('commit: feat(databases): add CloudNativePG operator manifests');
      expect(sh(repo, 'git', ['fsck', '--strict']).status).toBe(0);
      expect(git(repo, 'status', '--porcelain')).toBe('');
    });

    test('a linked worktree: the files and the commit land in that worktree, its branch moves', () => {
      const main = tmpRepo();
      const wt = path.join(main, '..', path.basename(main) + '-wt');
      git(main, 'worktree', 'add', '-q', '-b', 'ops', wt);
      const r = run(wt, ['--yes']);
      expect(r.status).toBe(0);
      expect(existsSync(path.join(wt, OPERATOR, 'ks.yaml'))).toBe(true);
      expect(existsSync(path.join(main, OPERATOR))).toBe(false);
      expect(git(main, 'log', '-1', '--format=%s', 'ops').trim()).toBe('feat(databases): add CloudNativePG operator manifests');
      expect(commitCount(main)).toBe(1);
      expect(git(wt, 'status', '--porcelain')).toBe('');
    });

    test('commit.gpgSign is honoured: signing is attempted and its failure stops the commit', () => {
    const repo = tmpRepo();
    git(repo, 'config', 'commit.gpgSign', 'true');
    git(repo, 'config', 'gpg.program', 'false');
    const before = git(repo, 'diff', '--cached', '--name-only');
    const r = run(repo, ['--yes']);
    expect(r.status).toBe(1);
    expect(r.stderr).toMatch(/git commit failed: .*gpg/is);
    expect(commitCount(repo)).toBe(1);
    expect(git(repo, 'diff', '--cached', '--name-only')).toBe(before);
  });

  test('commit hooks run (core.hooksPath honoured) and a passing hook lets the commit land', () => {
      const repo = tmpRepo();
      const marker = path.join(repo, '.git', 'hook-ran');
      writeFile(repo, '.githooks/pre-commit', `#!/bin/sh\ngit diff --cached --name-only > "${marker}"\n`);
      chmodSync(path.join(repo, '.githooks/pre-commit'), 0o755);
      git(repo, 'add', '.githooks');
      git(repo, 'commit', '-q', '-m', 'hooks');
      git(repo, 'config', 'core.hooksPath', '.githooks');
      const r = run(repo, ['--yes']);
      expect(r.status).toBe(0);
      expect(commitCount(repo)).toBe(3);
      // The hook saw exactly the generator's paths staged.
      expect(readFileSync(marker, 'utf8').split('\n').filter(Boolean).sort()).toEqual(ALL_PATHS);
    });
  });
}

describe('help and version', () => {
  test('--help lists every flag with its default and valid values, and two examples', () => {
    const r = bin(tmpRepo(), ['--help']);
    expect(r.status).toBe(0);
    for (const [flag, def] of [
      ['--cluster', 'infra'],
      ['--namespace, --operator-namespace', 'cnpg-system'],
      ['--replicas', '2'],
      ['--chart-version', '0.26.0'],
      ['--storage-class', 'ceph-block'],
      ['--monitoring', 'victoria-metrics'],
      ['--depends-on', '(none)'],
    ]) {
      expect(r.stdout).toMatch(new RegExp(`${flag.replace(/[-,]/g, (c) => `\\${c}`)} <value>\\n\\s+default: ${def.replace(/[().]/g, (c) => `\\${c}`)}; valid: `));
    }
    for (const f of ['--yes', '--no-commit', '--dry-run', '--check', '--force', '--all-clusters', '--allow-downgrade', '--json']) expect(r.stdout).toContain(f);
    expect(r.stdout).toMatch(/Examples:\n  cnpg-operator  .*interactive.*\n  cnpg-operator --yes .*bootstrap script/);
  });

  test('--version prints the package version', () => {
    const r = bin(tmpRepo(), ['--version']);
    expect(r.stdout.trim()).toMatch(/^\d+\.\d+\.\d+$/);
  });
});
