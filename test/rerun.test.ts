/** Issue 3: reruns after a version bump keep the user's edits, never reset the repo, and --check finds drift. */
import { describe, expect, test } from '@jest/globals';
import { parse } from 'yaml';
import { CLUSTER_SETTINGS, MONITORING, OPERATOR, bin, commitCount, git, lastCommitPaths, read, tmpRepo, tree, writeFile } from './helpers/repo.js';

const HR = `${OPERATOR}/helmrelease.yaml`;
const SETTINGS = 'kubernetes/clusters/infra/cluster-settings.yaml';
const CRDS = 'bootstrap/helmfile.d/00-crds.yaml';

function generated(files: Record<string, string> = {}): string {
  const repo = tmpRepo(files);
  const r = bin(repo, ['--yes']);
  if (r.status !== 0) throw new Error(r.stderr);
  return repo;
}

function crdsVersion(repo: string): string {
  const docs = read(repo, CRDS).split(/^---$/m).map((d) => parse(d)).filter(Boolean);
  const releases = docs.find((d) => d.releases).releases;
  return String(releases.find((r: { chart: string }) => r.chart.endsWith('/cloudnative-pg')).version);
}

describe('version bump', () => {
  test('a hand edit to helmrelease.yaml survives; the version moves everywhere; one commit', () => {
    const repo = generated({ [SETTINGS]: CLUSTER_SETTINGS });
    const edited = read(repo, HR)
      .replace('    config:\n      clusterWide: true\n', '    config:\n      clusterWide: true\n      maxConcurrentReconciles: 20 # tuned by hand\n')
      .replace('spec:\n', '# owned by team-db\nspec:\n');
    writeFile(repo, HR, edited);
    git(repo, 'commit', '-q', '-am', 'tune operator');
    const count = commitCount(repo);
    const r = bin(repo, ['--yes', '--chart-version', '0.26.1']);
    expect(r.stderr).not.toMatch(/error/);
    expect(r.status).toBe(0);
    expect(commitCount(repo)).toBe(count + 1);
    expect(git(repo, 'log', '-1', '--format=%s').trim()).toBe('chore(databases): bump CloudNativePG operator chart 0.26.0 -> 0.26.1 (operator 1.27.0 -> 1.27.1)');
    expect(read(repo, HR)).toBe(edited);
    expect(read(repo, SETTINGS)).toContain('CNPG_OPERATOR_VERSION: "0.26.1"');
    expect(crdsVersion(repo)).toBe('0.26.1');
    expect(parse(read(repo, '.yo-rc.json'))['generator-cnpg-operator'].chartVersion).toBe('0.26.1');
    expect(lastCommitPaths(repo)).toEqual(['.yo-rc.json', CRDS, SETTINGS].sort());
    // And a rerun changes nothing.
    const before = tree(repo);
    expect(bin(repo, ['--yes']).stdout).toContain('nothing changed; no commit');
    expect(tree(repo)).toEqual(before);
    expect(commitCount(repo)).toBe(count + 1);
  });

  test('an edit that overlaps a template change: markers, no commit, exit 1; --force resolves it', () => {
    const repo = generated();
    writeFile(repo, HR, read(repo, HR).replace('    replicaCount: ${CNPG_OPERATOR_REPLICAS}\n', '    replicaCount: 5 # pinned\n'));
    git(repo, 'commit', '-q', '-am', 'pin replicas');
    // Changing the namespace changes helmrelease.yaml's metadata only; change replicas line via a template-affecting answer:
    const count = commitCount(repo);
    const r = bin(repo, ['--yes', '--namespace', 'databases']);
    // namespace edit touches metadata.namespace, not the pinned line: merges cleanly.
    expect(r.status).toBe(0);
    expect(read(repo, HR)).toContain('replicaCount: 5 # pinned');
    expect(read(repo, HR)).toContain('namespace: databases');
    expect(commitCount(repo)).toBe(count + 1);
    // Now an overlapping edit: the user changes the namespace line too, then the generator changes it again.
    writeFile(repo, HR, read(repo, HR).replace('  namespace: databases\n', '  namespace: team-db # mine\n'));
    git(repo, 'commit', '-q', '-am', 'own namespace');
    const c2 = commitCount(repo);
    const conflict = bin(repo, ['--yes', '--namespace', 'postgres']);
    expect(conflict.status).toBe(1);
    expect(conflict.stderr).toContain(HR);
    expect(conflict.stderr).toContain('--force');
    expect(read(repo, HR)).toMatch(/^<<<<<<< yours\n  namespace: team-db # mine\n=======\n  namespace: postgres\n>>>>>>> generator$/m);
    expect(commitCount(repo)).toBe(c2);
    const forced = bin(repo, ['--yes', '--force']);
    expect(forced.status).toBe(0);
    expect(read(repo, HR)).not.toContain('<<<<<<<');
    expect(read(repo, HR)).toContain('  namespace: postgres\n');
    expect(commitCount(repo)).toBe(c2 + 1);
  });

  test('a generated file the user deleted stays deleted (and says so) unless --force', () => {
    const repo = generated();
    git(repo, 'rm', '-q', `${OPERATOR}/pdb.yaml`);
    git(repo, 'commit', '-q', '-m', 'no pdb');
    const r = bin(repo, ['--yes', '--chart-version', '0.26.1']);
    expect(r.status).toBe(0);
    expect(r.stdout + r.stderr).toMatch(/deleted-by-user.*pdb\.yaml|pdb\.yaml: you deleted it/);
    expect(tree(repo)[`${OPERATOR}/pdb.yaml`]).toBeUndefined();
    expect(bin(repo, ['--yes', '--force']).status).toBe(0);
    expect(tree(repo)[`${OPERATOR}/pdb.yaml`]).toContain('PodDisruptionBudget');
  });

  test('a downgrade needs --allow-downgrade and names the operator version it goes back to', () => {
    const repo = generated();
    expect(bin(repo, ['--yes', '--chart-version', '0.26.1']).status).toBe(0);
    const before = tree(repo);
    const r = bin(repo, ['--yes', '--chart-version', '0.26.0']);
    expect(r.status).toBe(2);
    expect(r.stderr).toContain('operator 1.27.0');
    expect(tree(repo)).toEqual(before);
    const ok = bin(repo, ['--yes', '--chart-version', '0.26.0', '--allow-downgrade']);
    expect(ok.status).toBe(0);
    expect(git(repo, 'log', '-1', '--format=%s').trim()).toBe('chore(databases): downgrade CloudNativePG operator chart 0.26.1 -> 0.26.0 (operator 1.27.1 -> 1.27.0)');
  });
});

describe('after a generator upgrade', () => {
  test('the merge base is the last commit with the Generated-by trailer', () => {
    const repo = generated();
    // Pretend an older generator wrote this repo: its stored answers cannot be re-rendered exactly.
    // Its stored namespace is not what it wrote, so rendering the stored answers would be the wrong base here.
    writeFile(repo, '.yo-rc.json', read(repo, '.yo-rc.json').replace(/"generatorVersion": "[^"]+"/, '"generatorVersion": "0.0.1"').replace('"namespace": "cnpg-system"', '"namespace": "legacy"'));
    writeFile(repo, HR, read(repo, HR).replace('  interval: 1h\n', '  interval: 2h # slower\n'));
    git(repo, 'commit', '-q', '-am', 'edit');
    const r = bin(repo, ['--yes', '--namespace', 'db']);
    // The CRD release the first run added stays where it is (an existing release is never moved), and the run says so.
    expect(r.stderr).toBe('warning: bootstrap/helmfile.d/00-crds.yaml: the cloudnative-pg release stays in namespace cnpg-system (the operator goes to db); change it there if you want them to match\n');
    expect(r.status).toBe(0);
    expect(read(repo, HR)).toContain('  interval: 2h # slower\n');
    expect(read(repo, HR)).toContain('  namespace: db\n');
    expect(read(repo, '.yo-rc.json')).not.toContain('0.0.1');
  });

  test('files an answer no longer generates are removed when unedited, kept when edited', () => {
    const repo = generated();
    writeFile(repo, `${MONITORING}/prometheusrule.yaml`, read(repo, `${MONITORING}/prometheusrule.yaml`) + '# tuned\n');
    git(repo, 'commit', '-q', '-am', 'tune rules');
    const r = bin(repo, ['--yes', '--monitoring', 'none']);
    expect(r.status).toBe(0);
    expect(tree(repo)[`${MONITORING}/podmonitor.yaml`]).toBeUndefined();
    expect(tree(repo)[`${MONITORING}/prometheusrule.yaml`]).toContain('# tuned');
    expect(r.stderr).toContain('prometheusrule.yaml: no longer generated');
    expect(lastCommitPaths(repo)).toContain(`${MONITORING}/podmonitor.yaml`);
  });
});

describe('the repo is the truth', () => {
  test('a Renovate-style bump in the repo is kept by a flagless rerun, which aligns the rest', () => {
    const repo = generated();
    writeFile(repo, CRDS, read(repo, CRDS).replace(/version: 0\.26\.0/, 'version: 0.26.1'));
    git(repo, 'commit', '-q', '-am', 'chore(deps): update cloudnative-pg to 0.26.1');
    const r = bin(repo, ['--yes']);
    expect(r.status).toBe(0);
    expect(r.stdout).toMatch(/chartVersion\s*= 0\.26\.1\s+\(repo\)/);
    expect(read(repo, SETTINGS)).toContain('CNPG_OPERATOR_VERSION: "0.26.1"');
    expect(parse(read(repo, '.yo-rc.json'))['generator-cnpg-operator'].chartVersion).toBe('0.26.1');
    expect(crdsVersion(repo)).toBe('0.26.1');
  });

  test('an operator version sitting in CNPG_OPERATOR_VERSION is reported and corrected to its chart', () => {
    const repo = generated();
    writeFile(repo, SETTINGS, read(repo, SETTINGS).replace('CNPG_OPERATOR_VERSION: "0.26.0"', 'CNPG_OPERATOR_VERSION: "1.27.1"'));
    git(repo, 'commit', '-q', '-am', 'oops');
    const r = bin(repo, ['--yes']);
    expect(r.status).toBe(0);
    expect(r.stderr).toContain('1.27.1 is an operator version, not a chart version; corrected to chart 0.26.1');
    expect(read(repo, SETTINGS)).toContain('CNPG_OPERATOR_VERSION: "0.26.1"');
  });

  test('Renovate annotations sit on the version lines the generator owns', () => {
    const repo = generated();
    const annotation = '# renovate: datasource=docker depName=ghcr.io/cloudnative-pg/charts/cloudnative-pg';
    expect(read(repo, SETTINGS)).toContain(`  ${annotation}\n  CNPG_OPERATOR_VERSION: "0.26.0"\n`);
    expect(read(repo, CRDS)).toMatch(new RegExp(`${annotation.replace(/[.]/g, '\\.')}\\n\\s+version: "?0\\.26\\.0"?\\n`));
  });
});

describe('--dry-run, --check, --json', () => {
  test('--dry-run shows a unified diff of every change and writes nothing (not even .yo-rc.json)', () => {
    const repo = generated();
    const before = tree(repo);
    const r = bin(repo, ['--yes', '--dry-run', '--chart-version', '0.26.1', '--replicas', '3']);
    expect(r.status).toBe(0);
    expect(r.stdout).toContain(`--- a/${SETTINGS}\n+++ b/${SETTINGS}\n`);
    expect(r.stdout).toContain('\n-  CNPG_OPERATOR_VERSION: "0.26.0"\n');
    expect(r.stdout).toContain('\n+  CNPG_OPERATOR_VERSION: "0.26.1"\n');
    expect(r.stdout).toContain('+  CNPG_OPERATOR_REPLICAS: "3"');
    expect(r.stdout).toContain(`--- a/${CRDS}`);
    expect(r.stdout).toContain('--- a/.yo-rc.json');
    expect(tree(repo)).toEqual(before);
    expect(bin(tmpRepo(), ['--dry-run']).stdout).toContain(`--- /dev/null\n+++ b/${HR}`);
  });

  test('--check passes on an aligned repo and fails, naming the file, after a hand change', () => {
    const repo = generated();
    const ok = bin(repo, ['--check']);
    expect(ok.stdout).toContain('check: ok');
    expect(ok.status).toBe(0);
    writeFile(repo, SETTINGS, read(repo, SETTINGS).replace('"0.26.0"', '"0.26.1"'));
    const before = tree(repo);
    const bad = bin(repo, ['--check']);
    expect(bad.status).toBe(1);
    expect(bad.stdout).toContain(`${SETTINGS}: cluster infra is on chart 0.26.1, expected 0.26.0`);
    expect(tree(repo)).toEqual(before);
  });

  test('--check names a hand-pinned OCIRepository tag and a 00-crds.yaml on another version', () => {
    const repo = generated();
    const oci = `${OPERATOR}/ocirepository.yaml`;
    writeFile(repo, oci, read(repo, oci).replace('tag: "${CNPG_OPERATOR_VERSION}"', 'tag: "0.25.0"'));
    writeFile(repo, CRDS, read(repo, CRDS).replace('version: 0.26.0', 'version: 0.26.1'));
    git(repo, 'commit', '-q', '-am', 'hand edits');
    const r = bin(repo, ['--check']);
    expect(r.status).toBe(1);
    expect(r.stdout).toContain(`${oci}: spec.ref.tag is "0.25.0", expected "\${CNPG_OPERATOR_VERSION}" (or 0.26.0)`);
    expect(r.stdout).toContain(`${CRDS}: the cloudnative-pg release is at 0.26.1, expected 0.26.0`);
  });

  test('--json reports each file with its status', () => {
    const repo = generated();
    writeFile(repo, HR, read(repo, HR) + '# note\n');
    git(repo, 'rm', '-q', `${OPERATOR}/pdb.yaml`);
    git(repo, 'commit', '-q', '-am', 'edits');
    const r = bin(repo, ['--yes', '--json', '--namespace', 'db']);
    expect(r.status).toBe(0);
    const out = JSON.parse(r.stdout);
    const status = Object.fromEntries(out.files.map((f: { path: string; status: string }) => [f.path, f.status]));
    expect(status[HR]).toBe('merged');
    expect(status[`${OPERATOR}/pdb.yaml`]).toBe('deleted-by-user');
    expect(status[`${OPERATOR}/namespace.yaml`]).toBe('updated');
    expect(status[SETTINGS]).toBe('unchanged');
    expect(out.commit).toMatch(/^[0-9a-f]{7,}$/);
  });
});

describe('fleet', () => {
  test('--all-clusters aligns every cluster that carries the CNPG keys in one commit; a staged rollout shows in --check', () => {
    const repo = tmpRepo();
    expect(bin(repo, ['--yes', '--cluster', 'dev,staging,prod']).status).toBe(0);
    writeFile(repo, 'kubernetes/clusters/lab/cluster-settings.yaml', CLUSTER_SETTINGS);
    git(repo, 'add', '-A');
    git(repo, 'commit', '-q', '-m', 'lab cluster without CNPG');
    // Staged rollout: dev first.
    expect(bin(repo, ['--yes', '--cluster', 'dev', '--chart-version', '0.26.1']).status).toBe(0);
    const check = bin(repo, ['--check']);
    expect(check.status).toBe(1);
    expect(check.stdout).toContain('kubernetes/clusters/staging/cluster-settings.yaml: cluster staging is on chart 0.26.0, expected 0.26.1');
    expect(check.stdout).toContain('kubernetes/clusters/prod/cluster-settings.yaml: cluster prod is on chart 0.26.0, expected 0.26.1');
    expect(check.stdout).not.toContain('clusters/dev/');
    const count = commitCount(repo);
    const all = bin(repo, ['--yes', '--all-clusters']);
    expect(all.status).toBe(0);
    expect(commitCount(repo)).toBe(count + 1);
    for (const c of ['dev', 'staging', 'prod']) expect(read(repo, `kubernetes/clusters/${c}/cluster-settings.yaml`)).toContain('CNPG_OPERATOR_VERSION: "0.26.1"');
    expect(read(repo, 'kubernetes/clusters/lab/cluster-settings.yaml')).toBe(CLUSTER_SETTINGS);
    expect(bin(repo, ['--check']).status).toBe(0);
  });
});
