/**
 * Issue 12 points 1-2 and issue 11 "split monitoring out", end to end: the bin runs in fixture repos of both layouts
 * (LAYOUTS.md), and Flux, followed from the entry points that existed before the run, reaches the generated
 * HelmRelease in one Flux Kustomization and the monitoring objects in another that dependsOn it. Each generated
 * Flux Kustomization's folder is built with `kubectl kustomize` (when kubectl is on PATH) and the operator's build
 * holds no monitoring kind. Generated objects are checked against the Flux / monitoring CRD schemas. Reruns in
 * apps: the OCIRepository tag is the version's home (a Renovate bump is kept, --check reads it).
 */
import { describe, expect, test } from '@jest/globals';
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import path from 'node:path';
import { parseAllDocuments } from 'yaml';
import { fluxGraph } from './helpers/flux-graph.js';
import { APPS_ENTRY, type AppsOptions, appsFiles, appsRepo, infrastructureEntries, infrastructureRepo } from './helpers/layouts.js';
import { bin, git, read, tmpRepo, writeFile } from './helpers/repo.js';
import { FLUX_VERSIONS, fluxValidator, promValidator, validateWith, vmValidator } from './helpers/upstream.js';

const KUBECTL = spawnSync('kubectl', ['version', '--client'], { encoding: 'utf8' }).status === 0;
if (!KUBECTL) console.warn('kubectl is not on PATH: the `kubectl kustomize` builds of the generated folders are skipped');

const MONITORING_KINDS = ['VMPodScrape', 'VMRule', 'PodMonitor', 'PrometheusRule', 'ServiceMonitor', 'VMServiceScrape'];
type Obj = { apiVersion: string; kind: string; metadata: { name: string; namespace?: string }; spec?: Record<string, unknown> };

const objects = (repo: string, file: string): Obj[] => parseAllDocuments(read(repo, file)).map((d) => d.toJS() as Obj).filter(Boolean);

function kustomize(repo: string, folder: string): Obj[] {
  const r = spawnSync('kubectl', ['kustomize', path.join(repo, folder)], { encoding: 'utf8' });
  expect({ folder, status: r.status, stderr: r.stderr }).toEqual({ folder, status: 0, stderr: '' });
  return parseAllDocuments(r.stdout).map((d) => d.toJS() as Obj);
}

/** Schema-check one object (namespace as Flux's targetNamespace would set it). */
function schemaErrors(o: Obj, namespace: string): string[] {
  const obj = { ...o, metadata: { namespace, ...o.metadata } };
  switch (o.kind) {
    case 'HelmRelease':
    case 'OCIRepository':
      return FLUX_VERSIONS.flatMap((v) => validateWith(fluxValidator(v, o.kind as 'HelmRelease' | 'OCIRepository'), obj).map((e) => `flux ${v}: ${e}`));
    case 'Kustomization':
      return o.apiVersion.startsWith('kustomize.toolkit') ? FLUX_VERSIONS.flatMap((v) => validateWith(fluxValidator(v, 'Kustomization'), obj).map((e) => `flux ${v}: ${e}`)) : [];
    case 'VMPodScrape':
    case 'VMRule':
      return validateWith(vmValidator(o.kind), obj);
    case 'PodMonitor':
    case 'PrometheusRule':
      return validateWith(promValidator(o.kind), obj);
    default:
      return [];
  }
}

/**
 * Run the bin, then follow Flux from `roots` (which existed before the run): the HelmRelease and the monitoring
 * objects must be reached, in two different Flux Kustomizations, the monitoring one depending on the operator's.
 */
function runAndFollow(repo: string, roots: string[], args: string[], namespace: string): { operatorKs: string; monitoringKs: string; files: string[] } {
  for (const r of roots) expect(existsSync(path.join(repo, r))).toBe(true);
  const before = git(repo, 'rev-parse', 'HEAD').trim();
  const r = bin(repo, ['--yes', ...args]);
  expect({ status: r.status, stderr: r.stderr.split('\n').filter((l) => l.startsWith('error')) }).toEqual({ status: 0, stderr: [] });
  // A first run names what told it the layout (a rerun takes the stored one).
  if (!args.includes('--layout')) expect(r.stdout).toMatch(/^layout += (infrastructure|apps) +\(repo: kubernetes\/.+\)$/m);
  // The manifests Flux applies (the cluster settings and the CRD helmfile are read by Flux's substitution and by the bootstrap).
  const files = git(repo, 'diff', '--name-only', before, 'HEAD')
    .trim()
    .split('\n')
    .filter((f) => f.startsWith('kubernetes/') && !f.includes('/bootstrap/') && !f.endsWith('/cluster-settings.yaml'));
  const graph = fluxGraph(repo, roots);
  expect(graph.problems).toEqual([]);
  // Every generated file is reachable from the entry points (.yo-rc.json and the CRD helmfile are not Flux's).
  for (const f of files.filter((f) => f.startsWith('kubernetes/'))) expect(graph.files).toContain(f);
  // The Flux Kustomization whose folder holds the HelmRelease, and the one whose folder holds the scrape object.
  const holding = (kind: string): { name: string; path: string; file: string } => {
    const file = files.find((f) => f.startsWith('kubernetes/') && objects(repo, f).some((o) => o.kind === kind))!;
    expect(file).toBeDefined();
    const ks = graph.fluxKustomizations.find((k) => path.posix.dirname(file) === k.path.replace(/^\.\//, ''));
    expect(ks).toBeDefined();
    return ks!;
  };
  const operator = holding('HelmRelease');
  const monitoring = holding(args.includes('prometheus-operator') ? 'PodMonitor' : 'VMPodScrape');
  expect(monitoring.name).not.toBe(operator.name);
  // The monitoring Kustomization dependsOn the operator's; both retry sooner than their interval.
  const ksObjs = [...new Set([operator.file, monitoring.file])].flatMap((f) => objects(repo, f));
  const mon = ksObjs.find((o) => o.metadata.name === monitoring.name)!;
  const op = ksObjs.find((o) => o.metadata.name === operator.name)!;
  expect(mon.spec!.dependsOn).toEqual([{ name: operator.name }]);
  expect(op.spec!.retryInterval).toBe('2m');
  expect(mon.spec!.retryInterval).toBe('2m');
  // Schemas of every generated object.
  const errors = files.filter((f) => f.startsWith('kubernetes/')).flatMap((f) => objects(repo, f).flatMap((o) => schemaErrors(o, namespace).map((e) => `${f} ${o.kind}: ${e}`)));
  expect(errors).toEqual([]);
  if (KUBECTL) {
    const opKinds = kustomize(repo, operator.path).map((o) => o.kind);
    expect(opKinds).toEqual(expect.arrayContaining(['HelmRelease', 'OCIRepository', 'PodDisruptionBudget']));
    expect(opKinds.filter((k) => MONITORING_KINDS.includes(k))).toEqual([]);
    const monKinds = kustomize(repo, monitoring.path).map((o) => o.kind);
    expect(monKinds.sort()).toEqual(args.includes('prometheus-operator') ? ['PodMonitor', 'PrometheusRule'] : ['VMPodScrape', 'VMRule']);
    for (const k of graph.kustomizations) kustomize(repo, k);
  }
  return { operatorKs: operator.path, monitoringKs: monitoring.path, files };
}

describe('infrastructure layout', () => {
  test('operator and monitoring in two Flux Kustomizations, both listed in the databases kustomization', () => {
    const repo = infrastructureRepo();
    const roots = infrastructureEntries();
    const out = runAndFollow(repo, roots, [], 'cnpg-system');
    expect(out.operatorKs).toBe('./kubernetes/infrastructure/databases/cloudnative-pg/operator');
    expect(out.monitoringKs).toBe('./kubernetes/infrastructure/databases/cloudnative-pg/monitoring');
    expect(read(repo, 'kubernetes/infrastructure/databases/kustomization.yaml')).toContain('  - cloudnative-pg/operator/ks.yaml\n  - cloudnative-pg/monitoring/ks.yaml\n');
    // a rerun takes the stored layout and looks at nothing
    expect(bin(repo, ['--yes']).stdout).toMatch(/layout += infrastructure +\(stored\)/);
  });

  test('a repo generated by the one-folder version upgrades through a rerun: unedited moved files removed, edited ones reported', () => {
    const repo = infrastructureRepo();
    expect(bin(repo, ['--yes']).status).toBe(0);
    // Rebuild the previous version's shape: scrape and rules in operator/, listed there; no monitoring part.
    const op = 'kubernetes/infrastructure/databases/cloudnative-pg/operator';
    const mon = 'kubernetes/infrastructure/databases/cloudnative-pg/monitoring';
    for (const f of ['podmonitor.yaml', 'prometheusrule.yaml']) writeFile(repo, `${op}/${f}`, read(repo, `${mon}/${f}`));
    writeFile(repo, `${op}/kustomization.yaml`, read(repo, `${op}/kustomization.yaml`) + '  - podmonitor.yaml\n  - prometheusrule.yaml\n');
    writeFile(repo, 'kubernetes/infrastructure/databases/kustomization.yaml', read(repo, 'kubernetes/infrastructure/databases/kustomization.yaml').replace('  - cloudnative-pg/monitoring/ks.yaml\n', ''));
    writeFile(repo, '.yo-rc.json', read(repo, '.yo-rc.json').replace(/"generatorVersion": "[^"]+"/, '"generatorVersion": "0.0.1"'));
    git(repo, 'rm', '-rq', mon);
    git(repo, 'add', '-A');
    git(repo, 'commit', '-qm', 'feat(databases): add CloudNativePG operator manifests\n\nGenerated-by: generator-cnpg-operator 0.0.1');
    writeFile(repo, `${op}/prometheusrule.yaml`, read(repo, `${op}/prometheusrule.yaml`) + '# tuned\n');
    git(repo, 'commit', '-qam', 'tune rules');
    const r = bin(repo, ['--yes']);
    expect(r.status).toBe(0);
    expect(r.stdout).toMatch(new RegExp(`removed +${op}/podmonitor\\.yaml`));
    expect(r.stderr).toContain(`${op}/prometheusrule.yaml: no longer generated for these answers, but it differs from what the generator wrote`);
    expect(existsSync(path.join(repo, op, 'podmonitor.yaml'))).toBe(false);
    expect(read(repo, `${op}/prometheusrule.yaml`)).toContain('# tuned');
    expect(read(repo, `${op}/kustomization.yaml`)).not.toContain('prometheusrule.yaml');
    expect(read(repo, 'kubernetes/infrastructure/databases/kustomization.yaml')).toContain('  - cloudnative-pg/monitoring/ks.yaml\n');
    for (const f of ['ks.yaml', 'kustomization.yaml', 'podmonitor.yaml', 'prometheusrule.yaml']) expect(existsSync(path.join(repo, mon, f))).toBe(true);
    expect(fluxGraph(repo, infrastructureEntries()).problems).toEqual([]);
    if (KUBECTL) expect(kustomize(repo, op).map((o) => o.kind).filter((k) => MONITORING_KINDS.includes(k))).toEqual([]);
  });

  test('--monitoring none writes no monitoring part and unlists it', () => {
    const repo = infrastructureRepo();
    expect(bin(repo, ['--yes']).status).toBe(0);
    const r = bin(repo, ['--yes', '--monitoring', 'none']);
    expect(r.status).toBe(0);
    expect(git(repo, 'ls-files', 'kubernetes/infrastructure/databases/cloudnative-pg/monitoring')).toBe('');
    expect(read(repo, 'kubernetes/infrastructure/databases/kustomization.yaml')).not.toContain('monitoring');
    expect(fluxGraph(repo, infrastructureEntries()).problems).toEqual([]);
  });

  test('an empty repo gets the infrastructure layout by default', () => {
    const repo = tmpRepo();
    const r = bin(repo, ['--yes']);
    expect(r.status).toBe(0);
    expect(r.stdout).toMatch(/layout += infrastructure +\(default\)/);
    expect(existsSync(path.join(repo, 'kubernetes/infrastructure/databases/cloudnative-pg/operator/helmrelease.yaml'))).toBe(true);
  });
});

describe('apps layout', () => {
  const variants: [string, AppsOptions, string[]][] = [
    ['namespace component', {}, []],
    ['namespace.yaml files, bjw-s helmfile path', { namespaceStyle: 'file', helmfileDir: 'kubernetes/bootstrap/helmfile' }, []],
    ['kube-prometheus-stack, prometheus-operator, namespace database', { kubePrometheusStack: true }, ['--monitoring', 'prometheus-operator', '--namespace', 'database']],
  ];
  for (const [name, opts, args] of variants) {
    test(`${name}: wired from ${APPS_ENTRY}, version literal in ocirepository.yaml, CRD release name+namespace`, () => {
      const repo = appsRepo(opts);
      const ns = args.includes('--namespace') ? args[args.indexOf('--namespace') + 1] : 'cnpg-system';
      const out = runAndFollow(repo, [APPS_ENTRY], args, ns);
      const dir = `kubernetes/apps/${ns}/cloudnative-pg`;
      expect(out.operatorKs).toBe(`./${dir}/app`);
      expect(out.monitoringKs).toBe(`./${dir}/monitoring`);
      // One ks.yaml with both Flux Kustomizations: no metadata.namespace, targetNamespace, the flux-system source.
      const ks = objects(repo, `${dir}/ks.yaml`);
      expect(ks.map((k) => k.metadata)).toEqual([{ name: 'cloudnative-pg' }, { name: 'cloudnative-pg-monitoring' }]);
      for (const k of ks) {
        expect(k.spec!.targetNamespace).toBe(ns);
        expect(k.spec!.sourceRef).toEqual({ kind: 'GitRepository', name: 'flux-system', namespace: 'flux-system' });
      }
      // No Flux variable anywhere, no cluster settings, no helmfile.d.
      for (const f of out.files) expect({ f, vars: read(repo, f).match(/\$\{[^}]*\}/g) }).toEqual({ f, vars: null });
      expect(out.files.filter((f) => f.startsWith('kubernetes/clusters/') || f.startsWith('bootstrap/helmfile.d/'))).toEqual([]);
      const [oci] = objects(repo, `${dir}/app/ocirepository.yaml`);
      expect(oci.spec!.ref).toEqual({ tag: '0.26.0' });
      const [hr] = objects(repo, `${dir}/app/helmrelease.yaml`);
      expect(hr.metadata).toEqual({ name: 'cloudnative-pg' });
      expect(hr.spec!.chartRef).toEqual({ kind: 'OCIRepository', name: 'cloudnative-pg' });
      expect((hr.spec!.values as { replicaCount: unknown }).replicaCount).toBe(2);
      // The namespace folder: the parent lists ./cloudnative-pg/ks.yaml, after the siblings' pattern.
      const parent = read(repo, `kubernetes/apps/${ns}/kustomization.yaml`);
      expect(parent).toContain('  - ./cloudnative-pg/ks.yaml\n');
      if (opts.namespaceStyle === 'file') expect(parent).toContain('  - ./namespace.yaml\n');
      else expect(parent).toContain('  - ../../components/namespace\n');
      if (KUBECTL) {
        const nsObj = kustomize(repo, `kubernetes/apps/${ns}`).find((o) => o.kind === 'Namespace') as Obj & { metadata: { labels?: Record<string, string> } };
        expect(nsObj.metadata.name).toBe(ns);
        expect(nsObj.metadata.labels?.['pod-security.kubernetes.io/enforce']).toBe('restricted');
      }
      // The repo's own crds.yaml gets name + namespace, in the siblings' inherit style, and nothing else.
      const helmfile = `${opts.helmfileDir ?? 'bootstrap/helmfile'}/crds.yaml`;
      const releases = (parseAllDocuments(read(repo, helmfile))[1].toJS() as { releases: Record<string, unknown>[] }).releases;
      expect(releases.filter((r) => r.name === 'cloudnative-pg')).toEqual([{ name: 'cloudnative-pg', namespace: ns, inherit: [{ template: 'default' }] }]);
      // .yo-rc.json stores the layout and no cluster noise.
      const stored = JSON.parse(read(repo, '.yo-rc.json'))['generator-cnpg-operator'];
      expect(stored.layout).toBe('apps');
      expect(stored).not.toHaveProperty('cluster');
      expect(stored).not.toHaveProperty('storageClass');
      // A rerun changes nothing; --check is clean.
      const again = bin(repo, ['--yes']);
      expect(again.stdout).toContain('nothing changed; no commit');
      expect(again.stdout).toMatch(/layout += apps +\(stored\)/);
      expect(again.stdout).not.toMatch(/^(cluster|storageClass) /m);
      expect(bin(repo, ['--check']).status).toBe(0);
    });
  }

  test('an existing namespace folder gets only the ks.yaml entry, with a warning for missing PSA labels', () => {
    const repo = appsRepo();
    const before = read(repo, 'kubernetes/apps/cert-manager/kustomization.yaml');
    const r = bin(repo, ['--yes', '--namespace', 'cert-manager']);
    expect(r.status).toBe(0);
    expect(read(repo, 'kubernetes/apps/cert-manager/kustomization.yaml')).toBe(before + '  - ./cloudnative-pg/ks.yaml\n');
    expect(r.stderr).toMatch(/namespace cert-manager .* lacks the Pod Security Admission label\(s\) pod-security\.kubernetes\.io\/enforce=restricted/);
  });

  test('a rerun with --monitoring none and another namespace moves the app; the old folder stops listing it', () => {
    const repo = appsRepo();
    expect(bin(repo, ['--yes']).status).toBe(0);
    const r = bin(repo, ['--yes', '--namespace', 'database', '--monitoring', 'none']);
    expect(r.status).toBe(0);
    expect(git(repo, 'ls-files', 'kubernetes/apps/cnpg-system/cloudnative-pg')).toBe('');
    expect(git(repo, 'ls-files', 'kubernetes/apps/database/cloudnative-pg/monitoring')).toBe('');
    expect(objects(repo, 'kubernetes/apps/database/cloudnative-pg/ks.yaml').map((k) => k.metadata.name)).toEqual(['cloudnative-pg']);
    expect(read(repo, 'kubernetes/apps/cnpg-system/kustomization.yaml')).not.toContain('cloudnative-pg');
    expect(read(repo, 'bootstrap/helmfile/crds.yaml').match(/name: cloudnative-pg\n +namespace: (\S+)/g)).toEqual(['name: cloudnative-pg\n    namespace: database']);
    const graph = fluxGraph(repo, [APPS_ENTRY]);
    expect(graph.problems).toEqual([]);
    expect(graph.files).toContain('kubernetes/apps/database/cloudnative-pg/app/helmrelease.yaml');
    if (KUBECTL) for (const k of graph.kustomizations) kustomize(repo, k);
  });

  test('--cluster and --storage-class do not apply: a warning, nothing under kubernetes/clusters/, nothing stored', () => {
    const repo = appsRepo();
    const r = bin(repo, ['--yes', '--cluster', 'prod', '--storage-class', 'fast']);
    expect(r.status).toBe(0);
    expect(r.stderr).toContain('warning: --cluster: the apps layout has no cluster settings; ignored');
    expect(r.stderr).toContain('warning: --storage-class: the apps layout has no cluster settings; ignored');
    expect(existsSync(path.join(repo, 'kubernetes/clusters'))).toBe(false);
    expect(Object.keys(JSON.parse(read(repo, '.yo-rc.json'))['generator-cnpg-operator'])).not.toEqual(expect.arrayContaining(['cluster']));
  });

  test('a Renovate bump of ref.tag is kept and aligned; --check reads the tag', () => {
    const repo = appsRepo();
    expect(bin(repo, ['--yes']).status).toBe(0);
    const oci = 'kubernetes/apps/cnpg-system/cloudnative-pg/app/ocirepository.yaml';
    writeFile(repo, oci, read(repo, oci).replace('tag: 0.26.0', 'tag: 0.26.1'));
    git(repo, 'commit', '-qam', 'chore(deps): update chart cloudnative-pg to 0.26.1');
    // --check compares with the stored answers: the tag moved.
    const check = bin(repo, ['--check']);
    expect(check.status).toBe(1);
    expect(check.stdout).toContain(`${oci}: spec.ref.tag is "0.26.1", expected 0.26.0`);
    // A rerun keeps the higher tag (no downgrade) and stores it.
    const r = bin(repo, ['--yes']);
    expect(r.status).toBe(0);
    expect(r.stdout).toMatch(/chartVersion +\= 0\.26\.1 +\(repo\)/);
    expect(read(repo, oci)).toContain('tag: 0.26.1\n');
    expect(JSON.parse(read(repo, '.yo-rc.json'))['generator-cnpg-operator'].chartVersion).toBe('0.26.1');
    expect(bin(repo, ['--check']).status).toBe(0);
    // An explicit older version is a downgrade: refused.
    expect(bin(repo, ['--yes', '--chart-version', '0.26.0']).status).toBe(2);
  });
});

describe('detection', () => {
  test('a repo with both layouts is refused (exit 2, nothing written), naming what was found and --layout', () => {
    const repo = appsRepo();
    writeFile(repo, 'kubernetes/clusters/infra/cluster-settings.yaml', 'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: cluster-settings\n  namespace: flux-system\ndata: {}\n');
    git(repo, 'add', '-A');
    git(repo, 'commit', '-qm', 'both');
    const head = git(repo, 'rev-parse', 'HEAD');
    const r = bin(repo, ['--yes']);
    expect(r.status).toBe(2);
    expect(r.stderr).toMatch(/cannot tell this repo's layout \(both layouts: kubernetes\/flux\/cluster\/ks\.yaml applies \.\/kubernetes\/apps; kubernetes\/clusters\/infra\/cluster-settings\.yaml exists\).*--layout infrastructure or --layout apps/);
    expect(git(repo, 'rev-parse', 'HEAD')).toBe(head);
    expect(git(repo, 'status', '--porcelain')).toBe('');
    // --layout is the way on, and is stored.
    const ok = bin(repo, ['--yes', '--layout', 'apps']);
    expect(ok.status).toBe(0);
    expect(ok.stdout).toMatch(/layout += apps +\(flag\)/);
    expect(bin(repo, ['--yes']).stdout).toMatch(/layout += apps +\(stored\)/);
  });

  test('a repo whose Flux paths are neither layout is refused', () => {
    const repo = tmpRepo({ 'kubernetes/main/ks.yaml': 'apiVersion: kustomize.toolkit.fluxcd.io/v1\nkind: Kustomization\nmetadata:\n  name: main\n  namespace: flux-system\nspec:\n  path: ./deploy\n' });
    const r = bin(repo, ['--yes']);
    expect(r.status).toBe(2);
    expect(r.stderr).toMatch(/neither layout: kubernetes\/main\/ks\.yaml applies \.\/deploy/);
  });

  test('--layout with an unknown value is refused', () => {
    const r = bin(tmpRepo(), ['--yes', '--layout', 'flat']);
    expect(r.status).toBe(2);
    expect(r.stderr).toMatch(/--layout "flat": must be one of infrastructure, apps/);
  });
});

describe('apps layout with a versioned CRD helmfile (newer cluster-template renders)', () => {
  // bootstrap/helmfile.d/00-crds.yaml as onedr0p/cluster-template renders it: releases name their chart by URL and
  // carry a version, and a post-renderer keeps only the CRDs.
  const CRDS = 'bootstrap/helmfile.d/00-crds.yaml';
  const TEXT = [
    '---',
    '# This helmfile is for extracting and installing Custom Resource Definitions (CRDs) from Helm charts.',
    '',
    'helmDefaults:',
    '  args:',
    '    - --include-crds',
    '    - --no-hooks',
    '  postRenderer: bash',
    '  postRendererArgs:',
    '    - -c',
    "    - yq eval-all --exit-status 'select(.kind == \"CustomResourceDefinition\")'",
    '',
    'releases:',
    '  - name: kube-prometheus-stack',
    '    namespace: observability',
    '    chart: oci://ghcr.io/prometheus-community/charts/kube-prometheus-stack',
    '    version: 77.12.0',
    '',
  ].join('\n');

  test('the release is added with the chart URL and version, bumped with the OCIRepository tag, and --check reads both', () => {
    const files = appsFilesWithout('bootstrap/helmfile/');
    const repo = tmpRepo({ ...files, [CRDS]: TEXT });
    const r = bin(repo, ['--yes']);
    expect({ status: r.status, err: r.stderr.split('\n').filter((l) => l.startsWith('error')) }).toEqual({ status: 0, err: [] });
    const after = read(repo, CRDS);
    expect(after.startsWith(TEXT.trimEnd())).toBe(true); // the user's lines stay, byte for byte
    const releases = parseAllDocuments(after).map((d) => d.toJS()).find((d) => d?.releases).releases;
    expect(releases).toEqual([
      { name: 'kube-prometheus-stack', namespace: 'observability', chart: 'oci://ghcr.io/prometheus-community/charts/kube-prometheus-stack', version: '77.12.0' },
      expect.objectContaining({ namespace: 'cnpg-system', chart: 'oci://ghcr.io/cloudnative-pg/charts/cloudnative-pg', version: '0.26.0' }),
    ]);
    expect(existsSync(path.join(repo, 'bootstrap/helmfile'))).toBe(false);
    const bump = bin(repo, ['--yes', '--chart-version', '0.26.1']);
    expect(bump.status).toBe(0);
    expect(read(repo, CRDS)).toMatch(/chart: oci:\/\/ghcr\.io\/cloudnative-pg\/charts\/cloudnative-pg\n(\s+# renovate: .*\n)?\s+version: "?0\.26\.1"?\n/);
    expect(read(repo, 'kubernetes/apps/cnpg-system/cloudnative-pg/app/ocirepository.yaml')).toContain('tag: 0.26.1\n');
    expect(bin(repo, ['--check']).status).toBe(0);
    // Renovate bumps the helmfile's version alone: --check names it
    writeFile(repo, CRDS, read(repo, CRDS).replace(/(charts\/cloudnative-pg\n(\s+# renovate: .*\n)?\s+version: "?)0\.26\.1/, '$10.29.0'));
    const drift = bin(repo, ['--check']);
    expect(drift.status).toBe(1);
    expect(drift.stdout).toContain(`${CRDS}: the cloudnative-pg release is at 0.29.0, expected 0.26.1`);
  });
});

/** The apps fixture's files without those under `prefix`. */
function appsFilesWithout(prefix: string): Record<string, string> {
  return Object.fromEntries(Object.entries(appsFiles({})).filter(([p]) => !p.startsWith(prefix)));
}
