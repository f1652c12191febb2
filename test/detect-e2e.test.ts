/**
 * Issue 12 points 3, 4, 6, 7 and issue 11's repo-driven defaults, end to end through the bin in real git repos:
 * existing installs and foreign Flux Kustomizations are refused, mistyped clusters are refused, unwritable paths
 * are found before writing, every run ends with a summary, the monitoring default follows the repo, and the CRD
 * release follows the chosen namespace. Every refusal: exit 2, one line naming the path, no byte changed
 * (tree fingerprint before/after), no commit, nothing left in the git dir.
 */
import { describe, expect, test } from '@jest/globals';
import { chmodSync, existsSync } from 'node:fs';
import path from 'node:path';
import { parse } from 'yaml';
import { appsRepo, infrastructureRepo } from './helpers/layouts.js';
import { binOrdered, yoOrdered } from './helpers/ordered.js';
import { CLUSTER_SETTINGS, MONITORING, OPERATOR, bin, commitCount, git, read, tmpRepo, tree, writeFile } from './helpers/repo.js';

const KS_NAME = 'infrastructure-databases-cnpg-operator';
/** A printed setting line (`key = value  (source)`), whatever the alignment width. */
const shown = (key: string, rest: string): RegExp => new RegExp(`^${key} +\\= ${rest.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}`, 'm');

/** Run the bin and expect a refusal: exit 2, the message, and nothing changed (files, commits, git dir record). */
function refused(repo: string, args: string[], message: string | RegExp): string {
  const before = tree(repo);
  const commits = commitCount(repo);
  const r = bin(repo, args);
  expect({ status: r.status, stderr: r.stderr }).toEqual({ status: 2, stderr: expect.stringMatching(message) });
  expect(tree(repo)).toEqual(before);
  expect(commitCount(repo)).toBe(commits);
  expect(existsSync(path.join(repo, '.git', 'cnpg-operator-pending.json'))).toBe(false);
  return r.stderr;
}

function commitAll(repo: string, message = 'add'): void {
  git(repo, 'add', '-A');
  git(repo, 'commit', '-q', '-m', message);
}

describe('an existing cloudnative-pg install is refused (issue 12 point 3)', () => {
  test('infrastructure layout: the other folder\'s HelmRelease is named, for --yes, --force and --dry-run', () => {
    const repo = infrastructureRepo({ existingCnpgCategory: 'databases' });
    const line = refused(repo, ['--yes'], /^error: kubernetes\/infrastructure\/databases\/cloudnative-pg\/app\/helmrelease\.yaml: HelmRelease cloudnative-pg in cnpg-system already installs the cloudnative-pg chart/);
    expect(line).toContain('(also: kubernetes/infrastructure/databases/cloudnative-pg/app/ocirepository.yaml)');
    expect(line).toContain('remove it in its own commit and rerun; nothing was written');
    refused(repo, ['--yes', '--force'], /already installs the cloudnative-pg chart/);
    refused(repo, ['--dry-run'], /already installs the cloudnative-pg chart/);
  });

  test('apps layout: found under kubernetes/apps', () => {
    const repo = appsRepo({ existingCnpgNamespace: 'database' });
    refused(repo, ['--yes'], /^error: kubernetes\/apps\/database\/cloudnative-pg\/app\/helmrelease\.yaml: HelmRelease cloudnative-pg already installs/);
  });

  test('a HelmRelease from the Helm repository (https://cloudnative-pg.github.io/charts) is found too', () => {
    const repo = tmpRepo({
      'kubernetes/flux/repositories/cnpg.yaml': 'apiVersion: source.toolkit.fluxcd.io/v1\nkind: HelmRepository\nmetadata:\n  name: cnpg\n  namespace: flux-system\nspec:\n  url: https://cloudnative-pg.github.io/charts\n',
      'kubernetes/db/operator.yml': 'apiVersion: helm.toolkit.fluxcd.io/v2\nkind: HelmRelease\nmetadata:\n  name: cnpg\n  namespace: db\nspec:\n  chart:\n    spec:\n      chart: cloudnative-pg\n      sourceRef:\n        kind: HelmRepository\n        name: cnpg\n        namespace: flux-system\n',
    });
    refused(repo, ['--yes'], /^error: kubernetes\/db\/operator\.yml: HelmRelease cnpg in db already installs the cloudnative-pg chart \(chart cloudnative-pg\)/);
  });

  test('outside git the kubernetes/ folder is walked', () => {
    const repo = tmpRepo({ 'kubernetes/x/ocirepository.yaml': 'apiVersion: source.toolkit.fluxcd.io/v1\nkind: OCIRepository\nmetadata:\n  name: cnpg\nspec:\n  url: oci://ghcr.io/cloudnative-pg/charts/cloudnative-pg\n' }, { git: false });
    const before = tree(repo);
    const r = bin(repo, ['--yes']);
    expect([r.status, r.stderr]).toEqual([2, expect.stringMatching(/^error: kubernetes\/x\/ocirepository\.yaml: OCIRepository cnpg already installs/)]);
    expect(tree(repo)).toEqual(before);
  });

  test('the Barman Cloud plugin is not the operator: the run goes on', () => {
    const repo = tmpRepo({
      'kubernetes/db/plugin/ocirepository.yaml': 'apiVersion: source.toolkit.fluxcd.io/v1\nkind: OCIRepository\nmetadata:\n  name: plugin-barman-cloud\nspec:\n  url: oci://ghcr.io/cloudnative-pg/charts/plugin-barman-cloud\n',
      'kubernetes/db/plugin/helmrelease.yaml': 'apiVersion: helm.toolkit.fluxcd.io/v2\nkind: HelmRelease\nmetadata:\n  name: plugin-barman-cloud\nspec:\n  chartRef:\n    kind: OCIRepository\n    name: plugin-barman-cloud\n',
    });
    const r = bin(repo, ['--yes']);
    expect(r.status).toBe(0);
    expect(commitCount(repo)).toBe(2);
  });

  test('the generator\'s own HelmRelease is not an install: a rerun that scans works', () => {
    const repo = tmpRepo();
    expect(bin(repo, ['--yes']).status).toBe(0);
    // prometheus-operator without labels: the rerun scans the repo (for kube-prometheus-stack) and finds only its own files.
    const trace = path.join(repo, '.git', 'trace.log');
    const r = bin(repo, ['--yes', '--monitoring', 'prometheus-operator'], { GIT_TRACE: trace });
    expect(r.status).toBe(0);
    expect(read(repo, '.git/trace.log')).toMatch(/git grep -l -I -F/);
    expect(commitCount(repo)).toBe(3);
  });

  test('a first run asks git grep once (installs, kinds, kube-prometheus-stack and the Kustomization names together)', () => {
    const repo = tmpRepo();
    const trace = path.join(repo, '.git', 'trace.log');
    expect(bin(repo, ['--yes'], { GIT_TRACE: trace }).status).toBe(0);
    expect(read(repo, '.git/trace.log').match(/git grep /g)).toHaveLength(1);
  });

  test('a settled rerun (a version bump) does not scan the repo: nothing of ours grows with it', () => {
    const repo = tmpRepo();
    expect(bin(repo, ['--yes']).status).toBe(0);
    const trace = path.join(repo, '.git', 'trace.log');
    const r = bin(repo, ['--yes', '--chart-version', '0.26.1'], { GIT_TRACE: trace });
    expect(r.status).toBe(0);
    expect(read(repo, '.git/trace.log')).not.toMatch(/git grep/);
  });
});

describe('a Flux Kustomization the generator did not write is never renamed or replaced', () => {
  test('--force over a ks.yaml of the user\'s at the generator\'s path is refused', () => {
    const repo = tmpRepo({
      [`${OPERATOR}/ks.yaml`]: 'apiVersion: kustomize.toolkit.fluxcd.io/v1\nkind: Kustomization\nmetadata:\n  name: cnpg\n  namespace: flux-system\nspec:\n  path: ./kubernetes/infrastructure/databases/cloudnative-pg/operator\n  prune: true\n  sourceRef:\n    kind: GitRepository\n    name: flux-system\n',
    });
    refused(repo, ['--yes', '--force'], new RegExp(`^error: ${OPERATOR}/ks\\.yaml: holds Flux Kustomization cnpg, which this generator did not write; writing the file would rename it to ${KS_NAME}`));
  });

  test('a Flux Kustomization elsewhere with the generated name is refused', () => {
    const repo = tmpRepo({
      'kubernetes/flux/db.yaml': `apiVersion: kustomize.toolkit.fluxcd.io/v1\nkind: Kustomization\nmetadata:\n  name: ${KS_NAME}\n  namespace: flux-system\nspec:\n  path: ./somewhere\n`,
    });
    refused(repo, ['--yes', '--force'], new RegExp(`^error: kubernetes/flux/db\\.yaml: a Flux Kustomization named ${KS_NAME} already exists; the generator's ${KS_NAME} would replace it`));
    // The same name in another namespace is another object: no clash.
    const other = tmpRepo({ 'kubernetes/flux/db.yaml': `apiVersion: kustomize.toolkit.fluxcd.io/v1\nkind: Kustomization\nmetadata:\n  name: ${KS_NAME}\n  namespace: team-a\nspec:\n  path: ./somewhere\n` });
    expect(bin(other, ['--yes']).status).toBe(0);
  });
});

describe('clusters (issue 12 point 4)', () => {
  test('a mistyped cluster is refused with the known clusters and a "did you mean"; --new-cluster starts it', () => {
    const repo = infrastructureRepo({ clusters: ['infra', 'apps'] });
    refused(repo, ['--yes', '--cluster', 'prod'], /^error: --cluster prod: no such cluster in kubernetes\/clusters\/<cluster>\/cluster-settings\.yaml; known clusters: apps, infra \(pass --new-cluster to start a new cluster\)\n$/);
    refused(repo, ['--yes', '--cluster', 'infra,aps'], /; known clusters: apps, infra; did you mean apps\? \(pass --new-cluster/);
    const r = bin(repo, ['--yes', '--cluster', 'prod', '--new-cluster']);
    expect(r.status).toBe(0);
    expect(read(repo, 'kubernetes/clusters/prod/cluster-settings.yaml')).toContain('CNPG_OPERATOR_VERSION: "0.26.0"');
  });

  test('a repo with no clusters gets the first one', () => {
    const repo = tmpRepo();
    expect(bin(repo, ['--yes', '--cluster', 'prod']).status).toBe(0);
    expect(existsSync(path.join(repo, 'kubernetes/clusters/prod/cluster-settings.yaml'))).toBe(true);
  });

  test('the --help lists --new-cluster', () => {
    expect(bin(tmpRepo(), ['--help']).stdout).toMatch(/--new-cluster +allow --cluster to name a cluster the repo does not have yet/);
  });
});

describe('refuse early: a path that cannot be written (issue 12 point 6)', () => {
  test('a read-only cluster-settings.yaml: exit 2 naming it, nothing written; --dry-run says the real run would refuse', () => {
    const repo = tmpRepo({ 'kubernetes/clusters/infra/cluster-settings.yaml': CLUSTER_SETTINGS });
    const file = path.join(repo, 'kubernetes/clusters/infra/cluster-settings.yaml');
    chmodSync(file, 0o444);
    try {
      refused(repo, ['--yes'], /^error: kubernetes\/clusters\/infra\/cluster-settings\.yaml: is (read-only \(mode 444\)|not writable \(EACCES\)); this run must write it \(nothing was written\)\n$/);
      const d = bin(repo, ['--dry-run']);
      expect(d.status).toBe(2);
      expect(d.stderr).toMatch(/^error: the real run would refuse: kubernetes\/clusters\/infra\/cluster-settings\.yaml: is /m);
    } finally {
      chmodSync(file, 0o644);
    }
  });

  test('a read-only folder the operator folder would go in: exit 2 naming the folder', () => {
    const repo = tmpRepo({ 'kubernetes/infrastructure/README.md': 'x\n' });
    const dir = path.join(repo, 'kubernetes/infrastructure');
    chmodSync(dir, 0o555);
    try {
      refused(repo, ['--yes'], /^error: kubernetes\/infrastructure: folder is (read-only \(mode 555\)|not writable \(EACCES\)); this run must write kubernetes\/infrastructure\/databases\//);
    } finally {
      chmodSync(dir, 0o755);
    }
  });
});

describe('the end of a run says what happens next (issue 12 point 7)', () => {
  test('text: counts, the commit, push, reconcile, the Renovate pointer; plain without a TTY and with NO_COLOR', () => {
    const repo = tmpRepo({ 'kubernetes/clusters/infra/cluster-settings.yaml': CLUSTER_SETTINGS });
    const r = bin(repo, ['--yes'], { NO_COLOR: '1' });
    expect(r.status).toBe(0);
    const hash = git(repo, 'rev-parse', '--short', 'HEAD').trim();
    expect(r.stdout.split('\n').slice(-8)).toEqual([
      `committed ${hash}: feat(databases): add CloudNativePG operator manifests`,
      'summary: 13 created, 1 updated, 0 merged, 0 kept',
      `commit: ${hash} feat(databases): add CloudNativePG operator manifests`,
      'next:',
      '  git push',
      `  flux reconcile kustomization ${KS_NAME} --with-source`,
      `  Renovate: no Renovate config in this repo; to get chart bumps as pull requests, see the "Renovate" section of generator-cnpg-operator's README`,
      '',
    ]);
    expect(r.stdout + r.stderr).not.toMatch(/\x1b\[/);
    // A rerun with nothing to do: no commit, and no push.
    const again = bin(repo, ['--yes']);
    expect(again.stdout).toContain('summary: 0 created, 0 updated, 0 merged, 14 kept\ncommit: none (nothing changed; no commit)\n');
    expect(again.stdout).not.toContain('git push');
  });

  test('--json carries the same fields; a Renovate config naming the files drops the pointer', () => {
    const repo = tmpRepo({ 'renovate.json': '{ "customManagers": [{ "managerFilePatterns": ["/00-crds\\\\.yaml$/"] }] }\n' });
    const r = bin(repo, ['--yes', '--json']);
    expect(r.status).toBe(0);
    const out = JSON.parse(r.stdout);
    const hash = git(repo, 'rev-parse', '--short', 'HEAD').trim();
    expect(out.commit).toBe(hash);
    expect(out.summary).toMatchObject({
      exitCode: 0,
      counts: { created: 14, updated: 0, merged: 0, kept: 0 },
      commit: { hash, subject: 'feat(databases): add CloudNativePG operator manifests' },
      fluxKustomization: { name: KS_NAME, namespace: 'flux-system' },
      renovate: { config: 'renovate.json', namesOurFiles: true },
      nextSteps: ['git push', `flux reconcile kustomization ${KS_NAME} --with-source`],
    });
    expect(out.summary.files.created).toContain(`${OPERATOR}/helmrelease.yaml`);
  });

  test('--no-commit: the git add + commit to finish, then push', () => {
    const repo = tmpRepo();
    const r = bin(repo, ['--yes', '--no-commit']);
    expect(r.status).toBe(0);
    expect(r.stdout).toMatch(/commit: none \(--no-commit: files written; staging and committing are left to you\)\nnext:\n {2}git add -- .*\.yo-rc\.json && git commit\n {2}git push\n/);
  });
});

describe('the monitoring default follows the repo (issue 11)', () => {
  const podMonitors = (n: number) =>
    Array.from({ length: n }, (_, i) => `---\napiVersion: monitoring.coreos.com/v1\nkind: PodMonitor\nmetadata:\n  name: pm-${i}\nspec:\n  podMetricsEndpoints: [{ port: metrics }]\n  selector: {}\n`).join('');
  const vmScrape = '---\napiVersion: operator.victoriametrics.com/v1beta1\nkind: VMServiceScrape\nmetadata:\n  name: s\nspec:\n  endpoints: [{ port: http }]\n';

  test('PodMonitors only: prometheus-operator, printed with the counts, written as PodMonitor', () => {
    const repo = tmpRepo({ 'kubernetes/apps/monitors.yaml': podMonitors(14) });
    const r = bin(repo, ['--yes']);
    expect(r.status).toBe(0);
    expect(r.stdout).toMatch(shown('monitoring', 'prometheus-operator  (repo: 14 PodMonitor, 0 VMPodScrape)\n'));
    expect(parse(read(repo, `${MONITORING}/podmonitor.yaml`)).kind).toBe('PodMonitor');
  });

  test('VictoriaMetrics only: victoria-metrics; both: the default, saying why; a flag wins', () => {
    const vm = tmpRepo({ 'kubernetes/apps/vm.yaml': vmScrape });
    expect(bin(vm, ['--yes']).stdout).toMatch(shown('monitoring', 'victoria-metrics  (repo: 1 VMServiceScrape, 0 PodMonitor)\n'));
    const both = tmpRepo({ 'kubernetes/apps/vm.yaml': vmScrape, 'kubernetes/apps/pm.yaml': podMonitors(2) });
    expect(bin(both, ['--yes', '--dry-run']).stdout).toMatch(shown('monitoring', "victoria-metrics  (default: the repo has both stacks' objects: 1 VMServiceScrape, 2 PodMonitor, so the default)\n"));
    expect(bin(both, ['--yes', '--dry-run', '--monitoring', 'none']).stdout).toMatch(shown('monitoring', 'none  (flag)\n'));
  });

  test('a stored answer wins over a repo that changed since', () => {
    const repo = tmpRepo();
    expect(bin(repo, ['--yes']).status).toBe(0);
    writeFile(repo, 'kubernetes/apps/pm.yaml', podMonitors(3));
    commitAll(repo);
    const r = bin(repo, ['--yes']);
    expect(r.stdout).toMatch(shown('monitoring', 'victoria-metrics  (stored)\n'));
    expect(parse(read(repo, `${MONITORING}/podmonitor.yaml`)).kind).toBe('VMPodScrape');
  });

  test('when the scan runs on a rerun (stored answers of an older generator lack a setting), a disagreeing repo gets a warning naming the flag', () => {
    const repo = tmpRepo();
    expect(bin(repo, ['--yes']).status).toBe(0);
    writeFile(repo, 'kubernetes/apps/pm.yaml', podMonitors(3));
    writeFile(repo, '.yo-rc.json', read(repo, '.yo-rc.json').replace(/\n\s*"inplaceUpdates": false,?/, ''));
    commitAll(repo);
    const r = bin(repo, ['--yes']);
    expect(r.stdout).toMatch(shown('monitoring', 'victoria-metrics  (stored)\n'));
    expect(r.stderr).toContain('warning: monitoring = victoria-metrics (stored), but the repo has 3 PodMonitor, 0 VMPodScrape; pass --monitoring prometheus-operator to switch\n');
  });

  test('kube-prometheus-stack: a run without labels takes release=<its release name> from the repo; labels without it warn with the flag', () => {
    const repo = tmpRepo({
      'kubernetes/apps/pm.yaml': podMonitors(1),
      'kubernetes/apps/observability/kps/ocirepository.yaml': 'apiVersion: source.toolkit.fluxcd.io/v1\nkind: OCIRepository\nmetadata:\n  name: kube-prometheus-stack\nspec:\n  url: oci://ghcr.io/prometheus-community/charts/kube-prometheus-stack\n  ref:\n    tag: 72.6.2\n',
      'kubernetes/apps/observability/kps/helmrelease.yaml': 'apiVersion: helm.toolkit.fluxcd.io/v2\nkind: HelmRelease\nmetadata:\n  name: kube-prometheus-stack\nspec:\n  targetNamespace: observability\n  chartRef:\n    kind: OCIRepository\n    name: kube-prometheus-stack\n',
    });
    const warning =
      'warning: kubernetes/apps/observability/kps/helmrelease.yaml: kube-prometheus-stack (release observability-kube-prometheus-stack) selects PodMonitors and PrometheusRules by the label release=observability-kube-prometheus-stack by default; without it the generated objects are ignored: pass --monitoring-labels release=observability-kube-prometheus-stack\n';
    const mine = bin(repo, ['--yes', '--dry-run', '--monitoring-labels', 'team=db']);
    expect(mine.stderr).toContain(warning);
    const ok = bin(repo, ['--yes']);
    expect(ok.status).toBe(0);
    expect(ok.stderr).not.toContain('--monitoring-labels');
    expect(ok.stdout).toMatch(/^monitoringLabels += release=observability-kube-prometheus-stack {2}\(repo: kube-prometheus-stack in kubernetes\/apps\/observability\/kps\/helmrelease\.yaml selects release=observability-kube-prometheus-stack\)$/m);
    expect(parse(read(repo, `${MONITORING}/podmonitor.yaml`)).metadata.labels).toMatchObject({ release: 'observability-kube-prometheus-stack' });
  });

});

describe('00-crds.yaml (issue 11)', () => {
  test('a new release follows the chosen namespace, and the header gives the bootstrap command with --force-conflicts', () => {
    const repo = tmpRepo();
    expect(bin(repo, ['--yes', '--namespace', 'databases']).status).toBe(0);
    const text = read(repo, 'bootstrap/helmfile.d/00-crds.yaml');
    expect(text).toContain(
      "#   helmfile --file bootstrap/helmfile.d/00-crds.yaml template --quiet \\\n#     | yq eval-all 'select(.kind == \"CustomResourceDefinition\")' - \\\n#     | kubectl apply --server-side --force-conflicts -f -\n",
    );
    const releases = text.split('\n---\n').map((d) => parse(d)).find((d) => d?.releases)!.releases;
    expect(releases).toEqual([expect.objectContaining({ name: 'cloudnative-pg', namespace: 'databases' })]);
  });

  test('an existing release keeps its namespace, with a warning', () => {
    const repo = tmpRepo({
      'bootstrap/helmfile.d/00-crds.yaml': 'releases:\n  - name: cloudnative-pg\n    namespace: cnpg # mine\n    chart: oci://ghcr.io/cloudnative-pg/charts/cloudnative-pg\n    version: 0.26.0\n',
    });
    const r = bin(repo, ['--yes', '--namespace', 'databases']);
    expect(r.status).toBe(0);
    expect(read(repo, 'bootstrap/helmfile.d/00-crds.yaml')).toContain('    namespace: cnpg # mine\n');
    expect(r.stderr).toContain('warning: bootstrap/helmfile.d/00-crds.yaml: the cloudnative-pg release stays in namespace cnpg (the operator goes to databases)');
  });
});

describe('the interactive cluster prompt', () => {
  test('lists the clusters found, and refuses one the repo does not have unless --new-cluster', async () => {
    const { prepare } = await import('../src/core/run.js');
    const { DEFAULT_RUN_OPTIONS } = await import('../src/core/settings.js');
    const repo = infrastructureRepo({ clusters: ['infra', 'apps'] });
    const asked: { key: string; message: string; validate(input: string): true | string }[] = [];
    const request = (newCluster: boolean) => ({
      cwd: repo,
      generatorVersion: '0.0.0-test',
      flags: {},
      options: { ...DEFAULT_RUN_OPTIONS, newCluster },
      ask: async (questions: typeof asked) => {
        asked.push(...questions);
        return {};
      },
      out: () => {},
      err: () => {},
    });
    await prepare(request(false));
    const q = asked.find((x) => x.key === 'cluster')!;
    expect(q.message).toBe('Cluster(s) whose cluster-settings.yaml to patch (comma-separated) [found: apps, infra]');
    expect(q.validate('apps')).toBe(true);
    expect(q.validate('aps')).toBe('cluster aps: no such cluster in kubernetes/clusters/<cluster>/cluster-settings.yaml; known clusters: apps, infra; did you mean apps? (pass --new-cluster to start a new cluster)');
    asked.length = 0;
    await prepare(request(true));
    expect(asked.find((x) => x.key === 'cluster')!.validate('prod')).toBe(true);
  });
});

describe('both doors', () => {
  test('the Yeoman door refuses the same way (exit 2, same line, nothing written) and ends with the same summary', () => {
    const a = infrastructureRepo({ clusters: ['infra', 'apps'] });
    const b = infrastructureRepo({ clusters: ['infra', 'apps'] });
    const before = tree(b);
    const bn = binOrdered(a, ['--yes', '--cluster', 'aps']);
    const yo = yoOrdered(b, ['--yes', '--cluster', 'aps']);
    expect(bn.status).toBe(2);
    expect({ status: yo.status, output: yo.output }).toEqual({ status: 2, output: bn.output });
    expect(tree(b)).toEqual(before);
    const ok = yoOrdered(b, ['--yes', '--cluster', 'apps']);
    expect(ok.status).toBe(0);
    const hash = git(b, 'rev-parse', '--short', 'HEAD').trim();
    expect(ok.output).toContain(`commit: ${hash} feat(databases): add CloudNativePG operator manifests\nnext:\n  git push\n  flux reconcile kustomization ${KS_NAME} --with-source\n`);
  });
});

describe('apps layout', () => {
  test('an install already at the generator\'s own path is refused on a first run (nothing stored: it is not the generator\'s)', () => {
    const repo = appsRepo({ existingCnpgNamespace: 'cnpg-system' });
    refused(repo, ['--yes'], /^error: kubernetes\/apps\/cnpg-system\/cloudnative-pg\/app\/helmrelease\.yaml: HelmRelease cloudnative-pg already installs the cloudnative-pg chart/);
  });

  test('the summary reconciles the app\'s Flux Kustomization in its namespace', () => {
    const repo = appsRepo();
    const r = bin(repo, ['--yes', '--namespace', 'database']);
    expect(r.status).toBe(0);
    expect(r.stdout).toContain('next:\n  git push\n  flux reconcile kustomization cloudnative-pg -n database --with-source\n');
  });
});
