/**
 * The repo scans (detect.ts), the answers they feed (monitoring default, kube-prometheus-stack labels, clusters)
 * and the end-of-run summary (summary.ts), as pure functions on texts and censuses: no process, no git.
 */
import { describe, expect, test } from '@jest/globals';
import { clusterRefusal, resolveAnswers } from '../src/core/answers.js';
import { censusOf, ownedPaths } from '../src/core/census.js';
import { type RepoScan, fluxKustomizationsIn, installRefusal, monitoringFromKinds, scanTexts } from '../src/core/detect.js';
import { INFRASTRUCTURE as L, YO_RC } from '../src/core/layout.js';

const own = (file: string): string => `kubernetes/infrastructure/databases/cloudnative-pg/operator/${file}`;
import { type RunSummary, formatSummary, renovateConfig } from '../src/core/summary.js';
import { tmpDir, writeFile } from './helpers/repo.js';

const doc = (apiVersion: string, kind: string, name: string, spec = ''): string => `---\napiVersion: ${apiVersion}\nkind: ${kind}\nmetadata:\n  name: ${name}\n${spec}`;
const oci = (name: string, url: string): string => doc('source.toolkit.fluxcd.io/v1', 'OCIRepository', name, `spec:\n  interval: 1h\n  url: ${url}\n  ref:\n    tag: 0.26.0\n`);
const hrChartRef = (name: string, ref: string, extra = ''): string =>
  doc('helm.toolkit.fluxcd.io/v2', 'HelmRelease', name, `spec:\n  interval: 1h\n  chartRef:\n    kind: OCIRepository\n    name: ${ref}\n${extra}`);
const hrChart = (name: string, chart: string, extra = ''): string =>
  doc('helm.toolkit.fluxcd.io/v2', 'HelmRelease', name, `spec:\n  interval: 1h\n  chart:\n    spec:\n      chart: ${chart}\n      sourceRef:\n        kind: HelmRepository\n        name: cnpg\n${extra}`);
const helmRepo = (name: string, url: string): string => doc('source.toolkit.fluxcd.io/v1', 'HelmRepository', name, `spec:\n  interval: 1h\n  url: ${url}\n`);
const scan = (files: Record<string, string>, own: string[] = []): RepoScan => scanTexts(new Map(Object.entries(files)), new Set(own));

describe('existing cloudnative-pg installs', () => {
  test('an OCIRepository of the chart and the HelmRelease that uses it are found, by path', () => {
    const s = scan({ 'k/db/cnpg/app/ocirepository.yaml': oci('cnpg', 'oci://ghcr.io/cloudnative-pg/charts/cloudnative-pg/'), 'k/db/cnpg/app/helmrelease.yaml': hrChartRef('cnpg', 'cnpg') });
    expect(s.installs.map((i) => `${i.path} ${i.kind} ${i.name} (${i.match})`)).toEqual([
      'k/db/cnpg/app/helmrelease.yaml HelmRelease cnpg (chartRef OCIRepository cnpg (oci://ghcr.io/cloudnative-pg/charts/cloudnative-pg))',
      'k/db/cnpg/app/ocirepository.yaml OCIRepository cnpg (url oci://ghcr.io/cloudnative-pg/charts/cloudnative-pg)',
    ]);
  });

  test('a HelmRelease of chart cloudnative-pg from the Helm repository is found', () => {
    const s = scan({ 'a/repo.yaml': helmRepo('cnpg', 'https://cloudnative-pg.github.io/charts'), 'a/hr.yaml': hrChart('operator', 'cloudnative-pg') });
    expect(s.installs).toEqual([{ path: 'a/hr.yaml', kind: 'HelmRelease', name: 'operator', match: 'chart cloudnative-pg' }]);
  });

  test('the Barman Cloud plugin chart, other charts, the generator\'s own files and broken YAML are not installs', () => {
    const s = scan(
      {
        'a/plugin-oci.yaml': oci('plugin', 'oci://ghcr.io/cloudnative-pg/charts/plugin-barman-cloud'),
        'a/plugin-hr.yaml': hrChart('plugin-barman-cloud', 'plugin-barman-cloud') + hrChartRef('plugin2', 'plugin'),
        'a/repo.yaml': helmRepo('cnpg', 'https://cloudnative-pg.github.io/charts'),
        'a/other.yaml': oci('pg', 'oci://example.com/charts/cloudnative-pg-extra'),
        'a/broken.yaml': 'kind: HelmRelease\n  bad: [\n',
        [own('ocirepository.yaml')]: oci('cloudnative-pg', 'oci://ghcr.io/cloudnative-pg/charts/cloudnative-pg'),
        [own('helmrelease.yaml')]: hrChartRef('cloudnative-pg', 'cloudnative-pg'),
      },
      [own('ocirepository.yaml'), own('helmrelease.yaml')],
    );
    expect(s.installs).toEqual([]);
  });

  test('the refusal names the first path, the others, and the way on', () => {
    const s = scan({ 'b/ocirepository.yaml': oci('cloudnative-pg', 'oci://ghcr.io/cloudnative-pg/charts/cloudnative-pg'), 'b/helmrelease.yaml': hrChartRef('cloudnative-pg', 'cloudnative-pg') });
    expect(installRefusal(s.installs)).toBe(
      'b/helmrelease.yaml: HelmRelease cloudnative-pg already installs the cloudnative-pg chart (chartRef OCIRepository cloudnative-pg (oci://ghcr.io/cloudnative-pg/charts/cloudnative-pg)) (also: b/ocirepository.yaml); ' +
        'a second install would fight it for the same CRDs and webhooks. Keep that install (this generator does not adopt it), or remove it in its own commit and rerun; nothing was written',
    );
    expect(installRefusal([])).toBeUndefined();
  });
});

describe('monitoring kinds', () => {
  test('counted per kind, only in their API groups, never in the generator\'s files', () => {
    const s = scan(
      {
        'a.yaml': doc('monitoring.coreos.com/v1', 'PodMonitor', 'a') + doc('monitoring.coreos.com/v1', 'PodMonitor', 'b') + doc('monitoring.coreos.com/v1', 'PrometheusRule', 'r'),
        'b.yaml': doc('example.com/v1', 'PodMonitor', 'not-prometheus'),
        [own('podmonitor.yaml')]: doc('operator.victoriametrics.com/v1beta1', 'VMPodScrape', 'ours'),
      },
      [own('podmonitor.yaml')],
    );
    expect(s.monitoringKinds).toEqual({ VMPodScrape: 0, VMServiceScrape: 0, VMRule: 0, PodMonitor: 2, ServiceMonitor: 0, PrometheusRule: 1 });
  });

  test.each([
    [{ PodMonitor: 14 }, 'prometheus-operator', '14 PodMonitor, 0 VMPodScrape'],
    [{ ServiceMonitor: 2, PrometheusRule: 1 }, 'prometheus-operator', '2 ServiceMonitor, 1 PrometheusRule, 0 VMPodScrape'],
    [{ VMServiceScrape: 3 }, 'victoria-metrics', '3 VMServiceScrape, 0 PodMonitor'],
    [{}, undefined, 'the repo has no VictoriaMetrics or Prometheus-Operator objects'],
    [{ VMRule: 1, PodMonitor: 2 }, undefined, "the repo has both stacks' objects: 1 VMRule, 2 PodMonitor"],
  ])('%j -> %s (%s)', (counts, value, why) => {
    expect(monitoringFromKinds(counts)).toEqual(value ? { value, why } : { why });
  });
});

describe('kube-prometheus-stack', () => {
  const kpsOci = oci('kps', 'oci://ghcr.io/prometheus-community/charts/kube-prometheus-stack');
  test.each([
    ['metadata.name', hrChartRef('kube-prometheus-stack', 'kps'), 'kube-prometheus-stack'],
    ['spec.targetNamespace-metadata.name (Flux\'s default)', hrChartRef('kube-prometheus-stack', 'kps', '  targetNamespace: observability\n'), 'observability-kube-prometheus-stack'],
    ['spec.releaseName', hrChartRef('kps', 'kps', '  targetNamespace: observability\n  releaseName: prom\n'), 'prom'],
    ['a HelmRepository chart', hrChart('monitoring', 'kube-prometheus-stack'), 'monitoring'],
  ])('its release name is %s', (_what, hr, releaseName) => {
    expect(scan({ 'o/oci.yaml': kpsOci, 'o/hr.yaml': hr }).kubePrometheusStack?.releaseName).toBe(releaseName);
  });

  test('selectors opened by its values are recognised', () => {
    const open = '  values:\n    prometheus:\n      prometheusSpec:\n        podMonitorSelectorNilUsesHelmValues: false\n        ruleSelectorNilUsesHelmValues: false\n';
    expect(scan({ 'o/oci.yaml': kpsOci, 'o/hr.yaml': hrChartRef('kps', 'kps', open) }).kubePrometheusStack?.selectorsOpen).toBe(true);
    expect(scan({ 'o/oci.yaml': kpsOci, 'o/hr.yaml': hrChartRef('kps', 'kps', open.split('\n').slice(0, 4).join('\n') + '\n') }).kubePrometheusStack?.selectorsOpen).toBe(false);
  });
});

test('Flux Kustomizations in a text, not kustomize ones', () => {
  const text = doc('kustomize.toolkit.fluxcd.io/v1', 'Kustomization', 'apps', '  namespace: flux-system\n') + doc('kustomize.config.k8s.io/v1beta1', 'Kustomization', 'x');
  expect(fluxKustomizationsIn('f.yaml', text)).toEqual([{ path: 'f.yaml', name: 'apps', namespace: 'flux-system' }]);
});

// ------------------------------------------------------------------------------------------------------------
// answers from the scan

const cs = 'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: cluster-settings\n  namespace: flux-system\ndata:\n  X: "1"\n';
function censusWith(scanned: Partial<RepoScan>, opts: { clusters?: string[]; stored?: Record<string, unknown>; extra?: string[] } = {}) {
  const files = new Map<string, string | undefined>(ownedPaths(L).map((p) => [p, undefined]));
  for (const c of opts.clusters ?? []) files.set(L.clusterSettingsPath(c), cs);
  for (const c of opts.extra ?? []) files.set(L.clusterSettingsPath(c), undefined);
  if (opts.stored) files.set(YO_RC, JSON.stringify({ 'generator-cnpg-operator': opts.stored }));
  const counts = { VMPodScrape: 0, VMServiceScrape: 0, VMRule: 0, PodMonitor: 0, ServiceMonitor: 0, PrometheusRule: 0 };
  return censusOf(L, files, [...(opts.clusters ?? []), ...(opts.extra ?? [])], undefined, {
    installs: [],
    fluxKustomizations: [],
    fluxNames: [],
    ...scanned,
    monitoringKinds: { ...counts, ...scanned.monitoringKinds },
  });
}

describe('the monitoring default follows the repo', () => {
  test('one side: that stack, with the counts as the source', () => {
    const c = censusWith({ monitoringKinds: { PodMonitor: 14 } });
    expect(resolveAnswers({}, c.stored, c).settings.monitoring).toEqual({ value: 'prometheus-operator', source: 'repo', detail: '14 PodMonitor, 0 VMPodScrape' });
  });
  test('neither or both: the default, saying why', () => {
    const c = censusWith({ monitoringKinds: { PodMonitor: 1, VMRule: 2 } });
    expect(resolveAnswers({}, c.stored, c).settings.monitoring).toEqual({ value: 'victoria-metrics', source: 'default', detail: "the repo has both stacks' objects: 2 VMRule, 1 PodMonitor, so the default" });
  });
  test('a flag wins; a stored answer wins over the repo, with a warning naming the flag', () => {
    const c = censusWith({ monitoringKinds: { PodMonitor: 3 } }, { stored: { monitoring: 'victoria-metrics' } });
    expect(resolveAnswers({ monitoring: 'none' }, c.stored, c).settings.monitoring).toEqual({ value: 'none', source: 'flag' });
    const r = resolveAnswers({}, c.stored, c);
    expect(r.settings.monitoring).toEqual({ value: 'victoria-metrics', source: 'stored' });
    expect(r.warnings).toContain('monitoring = victoria-metrics (stored), but the repo has 3 PodMonitor, 0 VMPodScrape; pass --monitoring prometheus-operator to switch');
  });
});

describe('kube-prometheus-stack labels', () => {
  const kps = { path: 'o/hr.yaml', name: 'kube-prometheus-stack', releaseName: 'kube-prometheus-stack', selectorsOpen: false };
  test('with prometheus-operator and no labels given or stored, the labels follow the repo (release=<name>); labels without it warn with the flag', () => {
    const c = censusWith({ monitoringKinds: { PodMonitor: 1 }, kubePrometheusStack: kps });
    const r = resolveAnswers({}, c.stored, c);
    expect(r.prefills.monitoringLabels).toBe('release=kube-prometheus-stack');
    expect(r.settings.monitoringLabels).toMatchObject({ value: { release: 'kube-prometheus-stack' }, source: 'repo', file: 'o/hr.yaml' });
    expect(r.warnings.join('\n')).not.toContain('--monitoring-labels');
    // Labels given without the release key: kube-prometheus-stack would ignore the objects.
    const f = resolveAnswers({ monitoringLabels: { team: 'db' } }, c.stored, c);
    expect(f.settings.monitoringLabels).toEqual({ value: { team: 'db' }, source: 'flag' });
    expect(f.warnings.join('\n')).toContain('pass --monitoring-labels release=kube-prometheus-stack');
    // A prompt answer that keeps the release label is quiet.
    const p = resolveAnswers({}, c.stored, c, { monitoringLabels: { release: 'kube-prometheus-stack' } });
    expect(p.answers.monitoringLabels).toEqual({ release: 'kube-prometheus-stack' });
    expect(p.warnings.join('\n')).not.toContain('--monitoring-labels');
  });
  test('no kinds at all, but a kube-prometheus-stack HelmRelease: the monitoring default is prometheus-operator', () => {
    const c = censusWith({ kubePrometheusStack: kps });
    expect(resolveAnswers({}, c.stored, c).settings.monitoring).toMatchObject({ value: 'prometheus-operator', source: 'repo' });
  });
  test('no suggestion or warning for victoria-metrics, or when its selectors are open', () => {
    const vm = censusWith({ monitoringKinds: { VMPodScrape: 1 }, kubePrometheusStack: kps });
    expect(resolveAnswers({}, vm.stored, vm).prefills.monitoringLabels).toBe('');
    const open = censusWith({ monitoringKinds: { PodMonitor: 1 }, kubePrometheusStack: { ...kps, selectorsOpen: true } });
    expect(resolveAnswers({}, open.stored, open).warnings.join('\n')).not.toContain('--monitoring-labels');
  });
});

describe('clusters', () => {
  const refusal = (flags: { cluster?: string[] }, clusters: string[], options = {}) => {
    const c = censusWith({}, { clusters, extra: (flags.cluster ?? []).filter((x) => !clusters.includes(x)) });
    return clusterRefusal(c, resolveAnswers(flags, c.stored, c, {}, options), options)?.message;
  };
  test('a cluster the repo lacks is refused, listing the known ones, with "did you mean" for a near name', () => {
    expect(refusal({ cluster: ['prod'] }, ['infra', 'apps'])).toBe(
      '--cluster prod: no such cluster in kubernetes/clusters/<cluster>/cluster-settings.yaml; known clusters: apps, infra (pass --new-cluster to start a new cluster)',
    );
    expect(refusal({ cluster: ['infr'] }, ['infra', 'apps'])).toBe(
      '--cluster infr: no such cluster in kubernetes/clusters/<cluster>/cluster-settings.yaml; known clusters: apps, infra; did you mean infra? (pass --new-cluster to start a new cluster)',
    );
    expect(refusal({}, ['a', 'b'])).toMatch(/^the default cluster infra: no such cluster/);
  });
  test('--new-cluster, a repo without clusters, and a known cluster pass', () => {
    expect(refusal({ cluster: ['prod'] }, ['infra'], { newCluster: true })).toBeUndefined();
    expect(refusal({ cluster: ['prod'] }, [])).toBeUndefined();
    expect(refusal({ cluster: ['apps'] }, ['infra', 'apps'])).toBeUndefined();
  });
  test('a repo with one cluster suggests it when nothing names one', () => {
    const c = censusWith({}, { clusters: ['home'] });
    expect(resolveAnswers({}, c.stored, c).settings.cluster).toMatchObject({ value: ['home'], source: 'repo' });
  });
});

// ------------------------------------------------------------------------------------------------------------
// summary

describe('summary', () => {
  const base: RunSummary = {
    result: 'committed abc1234: feat(databases): add CloudNativePG operator manifests',
    exitCode: 0,
    files: { created: ['a'], updated: ['b', 'c'], merged: [], kept: ['d'], conflicted: [], removed: [], 'deleted-by-user': [] },
    counts: { created: 1, updated: 2, merged: 0, kept: 1, conflicted: 0, removed: 0, 'deleted-by-user': 0 },
    commit: { hash: 'abc1234', subject: 'feat(databases): add CloudNativePG operator manifests' },
    renovate: { namesOurFiles: true },
    nextSteps: ['git push', 'flux reconcile kustomization x --with-source'],
  };
  test('plain lines: counts, the commit, next steps', () => {
    expect(formatSummary(base)).toEqual([
      'summary: 1 created, 2 updated, 0 merged, 1 kept',
      'commit: abc1234 feat(databases): add CloudNativePG operator manifests',
      'next:',
      '  git push',
      '  flux reconcile kustomization x --with-source',
    ]);
    const { commit: _c, ...noCommit } = base;
    expect(formatSummary({ ...noCommit, noCommit: 'nothing changed; no commit', nextSteps: [] })).toEqual(['summary: 1 created, 2 updated, 0 merged, 1 kept', 'commit: none (nothing changed; no commit)']);
  });
  test('a Renovate config counts when it names the chart or the files', () => {
    const dir = tmpDir();
    expect(renovateConfig({ root: dir }, L)).toEqual({ namesOurFiles: false });
    writeFile(dir, '.github/renovate.json5', '{ extends: ["config:recommended"] }\n');
    expect(renovateConfig({ root: dir }, L)).toEqual({ config: '.github/renovate.json5', namesOurFiles: false });
    writeFile(dir, '.github/renovate.json5', '{ customManagers: [{ managerFilePatterns: ["/00-crds\\\\.yaml$/"] }] }\n');
    expect(renovateConfig({ root: dir }, L)).toEqual({ config: '.github/renovate.json5', namesOurFiles: true });
  });
});
