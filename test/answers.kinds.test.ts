/**
 * Issue 14, "stored and repo values disagree" and "a prompt against the repo": resolveAnswers, then the plan a user
 * would see (file texts, .yo-rc.json, commit subject). A prompt answer is the user speaking, like a flag; a stored
 * answer (.yo-rc.json) is a floor and a fallback, never louder than the user.
 */
import { describe, expect, test } from '@jest/globals';
import { parse } from 'yaml';
import { type ResolveOptions, clusterRefusal, resolveAnswers, unknownClusterError } from '../src/core/answers.js';
import { type Census, censusOf, ownedPaths } from '../src/core/census.js';
import type { KubePrometheusStack } from '../src/core/detect.js';
import { APPS, INFRASTRUCTURE } from '../src/core/layout.js';
import type { Answers } from '../src/core/settings.js';
import { CRDS, YO_RC, censusFor, changeOf, clusterSettings, planFor, resolve, settingsPath } from './helpers/core.js';
import { yoRc } from './helpers/core.js';

const V = 'CNPG_OPERATOR_VERSION';
const R = 'CNPG_OPERATOR_REPLICAS';
const SC = 'BLOCK_SC';
const INFRA = settingsPath('infra');
const data = (text: string | undefined): Record<string, string> => parse(text!).data;
const stored = (text: string | undefined): Record<string, unknown> => JSON.parse(text!)['generator-cnpg-operator'];

describe('the downgrade floor when only .yo-rc.json knows the last version', () => {
  const files = { [INFRA]: clusterSettings({ CLUSTER_NAME: 'infra' }), [YO_RC]: yoRc({ chartVersion: '0.27.0' }) };

  test('a lower --chart-version is refused, naming the stored version and both operator versions', () => {
    expect(() => resolve({ files, flags: { chartVersion: '0.26.0' } })).toThrow(
      '--chart-version 0.26.0 is older than 0.27.0 in the repo: a downgrade from 0.27.0 (operator 1.28.0) to 0.26.0 (operator 1.27.0); pass --allow-downgrade to do it',
    );
  });

  test('a lower prompted chart version is refused the same way', () => {
    expect(() => resolve({ files, prompted: { chartVersion: '0.26.1' } })).toThrow(/--chart-version 0\.26\.1 is older than 0\.27\.0/);
  });

  test('with --allow-downgrade the flag wins, with a warning, and the plan says downgrade', () => {
    const { resolution, plan } = planFor({ files, flags: { chartVersion: '0.26.0' }, options: { allowDowngrade: true } });
    expect(resolution.settings.chartVersion).toEqual({ value: '0.26.0', source: 'flag' });
    expect(resolution.warnings).toContain('downgrading chart 0.27.0 (operator 1.28.0) -> 0.26.0 (operator 1.27.0)');
    expect(resolution.previousVersion).toBe('0.27.0');
    expect(plan.commitMessage.split('\n')[0]).toBe('chore(databases): downgrade CloudNativePG operator chart 0.27.0 -> 0.26.0 (operator 1.28.0 -> 1.27.0)');
    expect(data(changeOf(plan, INFRA).after)[V]).toBe('0.26.0');
    expect(stored(changeOf(plan, YO_RC).after).chartVersion).toBe('0.26.0');
  });

  test('the same version or a higher one is no downgrade', () => {
    expect(resolve({ files, flags: { chartVersion: '0.27.0' } }).warnings.filter((w) => w.includes('downgrad'))).toEqual([]);
    const { resolution, plan } = planFor({ files, flags: { chartVersion: '0.27.1' } });
    expect(resolution.settings.chartVersion).toEqual({ value: '0.27.1', source: 'flag' });
    expect(plan.commitMessage.split('\n')[0]).toBe('chore(databases): bump CloudNativePG operator chart 0.27.0 -> 0.27.1 (operator 1.28.0 -> 1.28.1)');
  });

  test('without a flag the stored version is kept (not the default) and written where the repo lacks it', () => {
    const { resolution, plan } = planFor({ files });
    expect(resolution.settings.chartVersion).toEqual({ value: '0.27.0', source: 'stored' });
    expect(data(changeOf(plan, INFRA).after)[V]).toBe('0.27.0');
    expect(changeOf(plan, CRDS).after).toMatch(/^ {4}version: 0\.27\.0$/m);
    expect(plan.commitMessage.split('\n')[0]).toBe('chore(databases): update CloudNativePG operator manifests');
  });

  test('the floor is the higher of the stored and the repo version, whichever holds it', () => {
    const lowRepo = { [INFRA]: clusterSettings({ [V]: '0.26.0' }), [YO_RC]: yoRc({ chartVersion: '0.27.0' }) };
    expect(() => resolve({ files: lowRepo, flags: { chartVersion: '0.26.1' } })).toThrow(/older than 0\.27\.0 in the repo/);
    const lowStored = { [INFRA]: clusterSettings({ [V]: '0.27.0' }), [YO_RC]: yoRc({ chartVersion: '0.26.0' }) };
    expect(() => resolve({ files: lowStored, flags: { chartVersion: '0.26.1' } })).toThrow(/older than 0\.27\.0 in the repo/);
    const inCrds = { [CRDS]: `releases:\n  - name: cloudnative-pg\n    chart: oci://ghcr.io/cloudnative-pg/charts/cloudnative-pg\n    version: 0.27.1\n`, [YO_RC]: yoRc({ chartVersion: '0.27.0' }) };
    expect(() => resolve({ files: inCrds, flags: { chartVersion: '0.27.0' } })).toThrow(/older than 0\.27\.1 in the repo/);
  });

  test('--check compares with the stored answers and refuses no downgrade', () => {
    const r = resolve({ files, flags: { chartVersion: '0.26.0' }, options: { check: true } });
    expect(r.settings.chartVersion).toEqual({ value: '0.26.0', source: 'flag' });
  });
});

describe('a stored answer with no value in the repo, against a flag', () => {
  test('replicas: the flag wins over the stored value and is written and stored', () => {
    const files = { [INFRA]: clusterSettings({ CLUSTER_NAME: 'infra' }), [YO_RC]: yoRc({ replicas: 3, storageClass: 'fast' }) };
    expect(resolve({ files }).settings.replicas).toEqual({ value: 3, source: 'stored' });
    const { resolution, plan } = planFor({ files, flags: { replicas: 5 } });
    expect(resolution.clusters.map((c) => [c.name, c.replicas])).toEqual([['infra', { value: 5, source: 'flag' }]]);
    expect(data(changeOf(plan, INFRA).after)).toMatchObject({ [R]: '5', [SC]: 'fast' });
    expect(stored(changeOf(plan, YO_RC).after)).toMatchObject({ replicas: 5, storageClass: 'fast' });
  });

  test('a stored per-cluster exception gives way to a flag, and the record of exceptions is cleared', () => {
    const files = {
      [settingsPath('a')]: clusterSettings({ CLUSTER_NAME: 'a' }),
      [settingsPath('b')]: clusterSettings({ CLUSTER_NAME: 'b' }),
      [YO_RC]: yoRc({ cluster: ['a', 'b'], replicas: 2, clusters: { b: { replicas: 5 } } }),
    };
    const before = resolve({ files });
    expect(before.clusters.map((c) => `${c.name}:${c.replicas.value}/${c.replicas.source}`)).toEqual(['a:2/stored', 'b:5/stored']);
    const { resolution, plan } = planFor({ files, flags: { replicas: 4 } });
    expect(resolution.clusters.map((c) => `${c.name}:${c.replicas.value}/${c.replicas.source}`)).toEqual(['a:4/flag', 'b:4/flag']);
    expect(resolution.exceptions).toEqual({});
    expect(stored(changeOf(plan, YO_RC).after)).not.toHaveProperty('clusters');
    expect(data(changeOf(plan, settingsPath('b')).after)[R]).toBe('4');
  });

  test('settings that live only in .yo-rc.json: the flag wins, the stored value beats the default', () => {
    const files = { [YO_RC]: yoRc({ namespace: 'databases', monitoring: 'none', inplaceUpdates: true }) };
    const kept = resolve({ files });
    expect([kept.settings.namespace, kept.settings.monitoring, kept.settings.inplaceUpdates]).toEqual([
      { value: 'databases', source: 'stored' },
      { value: 'none', source: 'stored' },
      { value: true, source: 'stored' },
    ]);
    const flagged = resolve({ files, flags: { namespace: 'cnpg', monitoring: 'prometheus-operator', inplaceUpdates: false } });
    expect([flagged.settings.namespace, flagged.settings.monitoring, flagged.settings.inplaceUpdates]).toEqual([
      { value: 'cnpg', source: 'flag' },
      { value: 'prometheus-operator', source: 'flag' },
      { value: false, source: 'flag' },
    ]);
  });
});

describe('a prompted answer against the value the cluster already has', () => {
  const files = { [INFRA]: clusterSettings({ [V]: '0.26.0', [R]: '4', [SC]: 'local-path' }), [YO_RC]: yoRc({ replicas: 3 }) };

  test('the prompt suggests the cluster value', () => {
    const r = resolve({ files });
    expect(r.prefills).toMatchObject({ replicas: '4', storageClass: 'local-path', chartVersion: '0.26.0' });
    expect(r.settings.replicas).toEqual({ value: 4, source: 'repo', file: INFRA });
  });

  test('a changed prompt answer wins over the cluster, like a flag, and is written', () => {
    const { resolution, plan } = planFor({ files, prompted: { replicas: 5, storageClass: 'fast' } });
    expect(resolution.settings.replicas).toEqual({ value: 5, source: 'prompt' });
    expect(resolution.clusters[0].replicas).toEqual({ value: 5, source: 'prompt' });
    expect(resolution.clusters[0].storageClass).toEqual({ value: 'fast', source: 'prompt' });
    expect(data(changeOf(plan, INFRA).after)).toMatchObject({ [R]: '5', [SC]: 'fast' });
    expect(resolution.prefills.replicas).toBe('4');
  });

  test('a prompt answer equal to the stored value but not to the cluster is still the user speaking', () => {
    const r = resolve({ files, prompted: { replicas: 3 } });
    expect(r.settings.replicas).toEqual({ value: 3, source: 'prompt' });
    expect(r.clusters[0].replicas).toEqual({ value: 3, source: 'prompt' });
  });

  test('accepting the suggestion keeps the cluster value with the cluster as source', () => {
    const r = resolve({ files, prompted: { replicas: 4, storageClass: 'local-path', chartVersion: '0.26.0' } });
    expect(r.settings.replicas).toEqual({ value: 4, source: 'repo', file: INFRA });
    expect(r.settings.chartVersion).toEqual({ value: '0.26.0', source: 'repo', file: INFRA });
  });

  test('a flag beats a prompt answer', () => {
    const r = resolve({ files, flags: { replicas: 6 }, prompted: { replicas: 5 } });
    expect(r.settings.replicas).toEqual({ value: 6, source: 'flag' });
  });

  test('a prompted chart version above the cluster is taken; below it is refused', () => {
    expect(resolve({ files, prompted: { chartVersion: '0.27.0' } }).settings.chartVersion).toEqual({ value: '0.27.0', source: 'prompt' });
    expect(() => resolve({ files, prompted: { chartVersion: '0.25.0' } })).toThrow(/--chart-version 0\.25\.0 is older than 0\.26\.0 in the repo/);
  });

  test('in a fleet, a prompt answer that changes the suggestion applies to every cluster; the suggestion keeps each', () => {
    const fleet = { [settingsPath('a')]: clusterSettings({ [V]: '0.26.0', [R]: '2' }), [settingsPath('b')]: clusterSettings({ [V]: '0.26.0', [R]: '3' }) };
    const changed = resolve({ files: fleet, prompted: { replicas: 3 }, options: { allClusters: true } });
    expect(changed.clusters.map((c) => `${c.name}:${c.replicas.value}/${c.replicas.source}`)).toEqual(['a:3/prompt', 'b:3/prompt']);
    expect(changed.exceptions).toEqual({});
    const accepted = resolve({ files: fleet, prompted: { replicas: 2 }, options: { allClusters: true } });
    expect(accepted.clusters.map((c) => `${c.name}:${c.replicas.value}/${c.replicas.source}`)).toEqual(['a:2/repo', 'b:3/repo']);
    expect(accepted.exceptions).toEqual({ b: { replicas: 3 } });
  });
});

describe('the less common combinations of resolveAnswers', () => {
  test('a repo version equal to the stored one keeps the stored source (only a higher one is a Renovate bump)', () => {
    const files = { [INFRA]: clusterSettings({ [V]: '0.26.1' }), [YO_RC]: yoRc({ chartVersion: '0.26.1' }) };
    expect(resolve({ files }).settings.chartVersion).toEqual({ value: '0.26.1', source: 'stored' });
  });

  test('the previous version: clusters first, then the CRD helmfile, then the stored answer', () => {
    const crds = `releases:\n  - name: cloudnative-pg\n    chart: oci://ghcr.io/cloudnative-pg/charts/cloudnative-pg\n    version: 0.26.1\n`;
    expect(resolve({ files: { [CRDS]: crds, [YO_RC]: yoRc({ chartVersion: '0.26.0' }) } }).previousVersion).toBe('0.26.1');
    expect(resolve({ files: { [CRDS]: crds, [INFRA]: clusterSettings({ [V]: '0.25.0' }) } }).previousVersion).toBe('0.25.0');
    expect(resolve({ files: { [YO_RC]: yoRc({ chartVersion: '0.25.0' }) } }).previousVersion).toBe('0.25.0');
    expect(resolve({}).previousVersion).toBeUndefined();
  });

  test('a downgrade from or to a chart outside the table names the operator as unknown', () => {
    const files = { [YO_RC]: yoRc({ chartVersion: '0.40.0' }) };
    expect(() => resolve({ files, flags: { chartVersion: '0.29.0' } })).toThrow(
      '--chart-version 0.29.0 is older than 0.40.0 in the repo: a downgrade from 0.40.0 (operator unknown) to 0.29.0 (operator 1.30.0); pass --allow-downgrade to do it',
    );
    const r = resolve({ files: { [YO_RC]: yoRc({ chartVersion: '0.40.1' }) }, flags: { chartVersion: '0.40.0' }, options: { allowDowngrade: true } });
    expect(r.warnings).toContain('downgrading chart 0.40.1 (operator unknown) -> 0.40.0 (operator unknown)');
  });

  test('the shared replicas come from the first target cluster that has a file; invalid values warn per cluster', () => {
    const files = { [settingsPath('b')]: clusterSettings({ [R]: '7' }), [settingsPath('c')]: clusterSettings({ [R]: 'x', [SC]: 'Bad_SC' }) };
    const r = resolve({ files, flags: { cluster: ['a', 'b', 'c'] } });
    expect(r.settings.replicas).toEqual({ value: 7, source: 'repo', file: settingsPath('b') });
    expect(r.clusters.map((c) => `${c.name}:${c.replicas.value}/${c.replicas.source}`)).toEqual(['a:7/repo', 'b:7/repo', 'c:7/repo']);
    expect(r.warnings).toEqual([
      `${settingsPath('c')}: CNPG_OPERATOR_REPLICAS "x" is not valid (an integer from 1 to 10); it will be replaced`,
      `${settingsPath('c')}: BLOCK_SC "Bad_SC" is not valid (a DNS-1123 subdomain (a StorageClass name)); it will be replaced`,
    ]);
  });

  test('storage class exceptions are recorded like replicas', () => {
    const files = { [settingsPath('a')]: clusterSettings({ [V]: '0.26.0', [SC]: 'fast' }), [settingsPath('b')]: clusterSettings({ [V]: '0.26.0', [SC]: 'slow', [R]: '3' }) };
    const r = resolve({ files, options: { allClusters: true } });
    expect(r.exceptions).toEqual({ b: { storageClass: 'slow', replicas: 3 } });
  });

  test('what is asked: not what a flag set, not the clusters with --all-clusters, no labels without monitoring, never --depends-on', () => {
    expect(resolve({}).askable).toEqual(['cluster', 'namespace', 'replicas', 'chartVersion', 'storageClass', 'monitoring', 'monitoringLabels', 'inplaceUpdates']);
    expect(resolve({ flags: { replicas: 3, monitoring: 'none' } }).askable).toEqual(['cluster', 'namespace', 'chartVersion', 'storageClass', 'inplaceUpdates']);
    const fleet = { [settingsPath('a')]: clusterSettings({ [V]: '0.26.0' }) };
    expect(resolve({ files: fleet, options: { allClusters: true } }).askable).toEqual(['namespace', 'replicas', 'chartVersion', 'storageClass', 'monitoring', 'monitoringLabels', 'inplaceUpdates']);
  });

  test('prefills are in the form the prompt shows: lists comma-joined, labels key=value', () => {
    const files = { [YO_RC]: yoRc({ cluster: ['a', 'b'], monitoringLabels: { release: 'kps', team: 'db' }, dependsOn: ['x', 'y'], inplaceUpdates: true }) };
    expect(resolve({ files }).prefills).toMatchObject({ cluster: 'a,b', monitoringLabels: 'release=kps,team=db', dependsOn: 'x,y', inplaceUpdates: 'true', replicas: '2' });
  });

  test('a prompt answer equal to the suggestion, as a list, keeps the suggestion source', () => {
    const r = resolve({ files: { [YO_RC]: yoRc({ cluster: ['infra'] }) }, prompted: { cluster: ['infra'], monitoringLabels: {} } });
    expect(r.settings.cluster).toEqual({ value: ['infra'], source: 'stored' });
    expect(r.settings.monitoringLabels).toEqual({ value: {}, source: 'default' });
  });

  test('warnings of the chosen values: one replica, a chart outside the table', () => {
    expect(resolve({ flags: { replicas: 1 } }).warnings).toEqual(['--replicas 1: the PodDisruptionBudget (minAvailable: 1) will block node drains while the single operator pod runs there']);
    expect(resolve({ flags: { chartVersion: '0.40.0' } }).warnings[0]).toMatch(/^--chart-version 0\.40\.0 is not in this generator's table of known charts \(0\.22\.0\.\.0\.29\.0\)/);
  });
});

describe('--depends-on against the Flux Kustomizations of the repo', () => {
  test('a name no Kustomization carries warns; a known one does not; without the list nothing is said', async () => {
    const { censusOf, ownedPaths } = await import('../src/core/census.js');
    const { resolveAnswers } = await import('../src/core/answers.js');
    const { INFRASTRUCTURE } = await import('../src/core/layout.js');
    const files = new Map<string, string | undefined>(ownedPaths(INFRASTRUCTURE).map((p) => [p, undefined]));
    const known = censusOf(INFRASTRUCTURE, files, ['infra'], new Set(['infra-repos']));
    const r = resolveAnswers({ dependsOn: ['infra-repos', 'typo-repos'] }, undefined, known);
    expect(r.warnings).toEqual(['--depends-on typo-repos: no Flux Kustomization in this repo is named typo-repos']);
    const unknown = censusOf(INFRASTRUCTURE, files, ['infra']);
    expect(resolveAnswers({ dependsOn: ['typo-repos'] }, undefined, unknown).warnings).toEqual([]);
  });
});

/** A census of these file texts with what the repo scan found (monitoring kinds, kube-prometheus-stack). */
function scanned(files: Record<string, string>, scan: { kinds?: Record<string, number>; kps?: KubePrometheusStack }, clusters = ['infra']): Census {
  const m = new Map<string, string | undefined>(ownedPaths(INFRASTRUCTURE).map((p) => [p, undefined]));
  for (const [p, t] of Object.entries(files)) m.set(p, t);
  for (const c of clusters) if (!m.has(settingsPath(c))) m.set(settingsPath(c), undefined);
  return censusOf(INFRASTRUCTURE, m, clusters, undefined, { installs: [], monitoringKinds: scan.kinds ?? {}, fluxKustomizations: [], fluxNames: [], ...(scan.kps ? { kubePrometheusStack: scan.kps } : {}) });
}
const resolveIn = (census: Census, flags: Partial<Answers> = {}, prompted: Partial<Answers> = {}, options: ResolveOptions = {}) => resolveAnswers(flags, census.stored, census, prompted, options);
const KPS: KubePrometheusStack = { path: 'kubernetes/monitoring/kps/helmrelease.yaml', name: 'kube-prometheus-stack', releaseName: 'kps', selectorsOpen: false };

describe('the monitoring stack from the repo\'s objects', () => {
  test('PodMonitors in the repo: prometheus-operator, the counts printed as the source\'s reason', () => {
    const r = resolveIn(scanned({}, { kinds: { PodMonitor: 14 } }));
    expect(r.settings.monitoring).toEqual({ value: 'prometheus-operator', source: 'repo', detail: '14 PodMonitor, 0 VMPodScrape' });
    expect(r.prefills.monitoring).toBe('prometheus-operator');
  });

  test('no monitoring objects: the default, saying why', () => {
    expect(resolveIn(scanned({}, {})).settings.monitoring).toEqual({
      value: 'victoria-metrics',
      source: 'default',
      detail: 'the repo has no VictoriaMetrics or Prometheus-Operator objects, so the default',
    });
  });

  test('a stored stack wins over the repo\'s objects, with a warning naming the flag; none when they agree or a flag decides', () => {
    const files = { [YO_RC]: yoRc({ monitoring: 'victoria-metrics' }) };
    const r = resolveIn(scanned(files, { kinds: { PodMonitor: 3, PrometheusRule: 1 } }));
    expect(r.settings.monitoring).toEqual({ value: 'victoria-metrics', source: 'stored' });
    expect(r.warnings).toEqual(['monitoring = victoria-metrics (stored), but the repo has 3 PodMonitor, 1 PrometheusRule, 0 VMPodScrape; pass --monitoring prometheus-operator to switch']);
    expect(resolveIn(scanned(files, { kinds: { PodMonitor: 3 } }), { monitoring: 'none' }).warnings).toEqual([]);
    expect(resolveIn(scanned(files, { kinds: { VMPodScrape: 2 } })).warnings).toEqual([]);
    expect(resolveIn(scanned(files, {})).warnings).toEqual([]);
  });
});

describe('kube-prometheus-stack and the monitoring labels', () => {
  test('no labels given: the labels its Prometheus selects by, from the repo, and the prompt suggests them', () => {
    const r = resolveIn(scanned({}, { kps: KPS }));
    expect(r.settings.monitoring).toEqual({ value: 'prometheus-operator', source: 'repo', detail: 'a kube-prometheus-stack HelmRelease (kubernetes/monitoring/kps/helmrelease.yaml), 0 PodMonitor, 0 VMPodScrape' });
    expect(r.settings.monitoringLabels).toEqual({ value: { release: 'kps' }, source: 'repo', file: KPS.path, detail: `kube-prometheus-stack in ${KPS.path} selects release=kps` });
    expect(r.prefills.monitoringLabels).toBe('release=kps');
    expect(r.answers.monitoringLabels).toEqual({ release: 'kps' });
    expect(r.warnings).toEqual([]);
  });

  test('selectors opened in its values: no label needed, none taken, but the prompt still suggests it', () => {
    const r = resolveIn(scanned({}, { kps: { ...KPS, selectorsOpen: true } }));
    expect(r.settings.monitoringLabels).toEqual({ value: {}, source: 'default' });
    expect(r.prefills.monitoringLabels).toBe('release=kps');
    expect(r.warnings).toEqual([]);
  });

  test('labels given without its release label: a warning with the flag to pass; with it: none', () => {
    const r = resolveIn(scanned({}, { kps: KPS }), { monitoringLabels: { team: 'db' } });
    expect(r.settings.monitoringLabels).toEqual({ value: { team: 'db' }, source: 'flag' });
    expect(r.prefills.monitoringLabels).toBe('team=db');
    expect(r.warnings).toEqual([
      `${KPS.path}: kube-prometheus-stack (release kps) selects PodMonitors and PrometheusRules by the label release=kps by default; without it the generated objects are ignored: pass --monitoring-labels release=kps`,
    ]);
    expect(resolveIn(scanned({}, { kps: KPS }), { monitoringLabels: { release: 'kps', team: 'db' } }).warnings).toEqual([]);
    const stored = resolveIn(scanned({ [YO_RC]: yoRc({ monitoringLabels: { release: 'other' } }) }, { kps: KPS }));
    expect(stored.settings.monitoringLabels).toEqual({ value: { release: 'other' }, source: 'stored' });
    expect(stored.warnings).toHaveLength(1);
  });

  test('another stack, or a release name that makes no label: the labels are left alone', () => {
    const vm = resolveIn(scanned({}, { kps: KPS }), { monitoring: 'victoria-metrics' });
    expect([vm.settings.monitoringLabels, vm.prefills.monitoringLabels, vm.warnings]).toEqual([{ value: {}, source: 'default' }, '', []]);
    const unnamed = resolveIn(scanned({}, { kps: { ...KPS, releaseName: '' } }));
    expect([unnamed.settings.monitoringLabels, unnamed.warnings]).toEqual([{ value: {}, source: 'default' }, []]);
  });
});

describe('which clusters, and the refusal of an unknown one', () => {
  // Listed out of order: the known clusters are printed sorted.
  const two = { [settingsPath('staging')]: clusterSettings({ CLUSTER_NAME: 'staging' }), [settingsPath('prod')]: clusterSettings({ CLUSTER_NAME: 'prod' }) };

  test('a repo with one cluster targets it, saying so; with two, the default; a stored or given cluster wins', () => {
    const one = { [settingsPath('prod')]: clusterSettings({ CLUSTER_NAME: 'prod' }) };
    const r = resolveIn(scanned(one, {}, ['prod']));
    expect(r.settings.cluster).toEqual({ value: ['prod'], source: 'repo', file: settingsPath('prod'), detail: `the only cluster, ${settingsPath('prod')}` });
    expect(r.prefills.cluster).toBe('prod');
    expect(resolveIn(scanned(two, {}, ['prod', 'staging'])).settings.cluster).toEqual({ value: ['infra'], source: 'default' });
    expect(resolve({ files: { ...one, [YO_RC]: yoRc({ cluster: ['edge'] }) } }).settings.cluster).toEqual({ value: ['edge'], source: 'stored' });
    expect(resolve({ files: one, flags: { cluster: ['edge'] } }).settings.cluster).toEqual({ value: ['edge'], source: 'flag' });
  });

  const refusal = (c: Parameters<typeof censusFor>[0]) => {
    const census = censusFor(c);
    const r = resolveAnswers(c.flags ?? {}, census.stored, census, c.prompted ?? {}, c.options ?? {});
    return clusterRefusal(census, r, c.options ?? {})?.message;
  };

  test('an unknown target is refused naming where it came from, the known clusters and a near name', () => {
    const tail = `: no such cluster in kubernetes/clusters/<cluster>/cluster-settings.yaml; known clusters: prod, staging`;
    expect(refusal({ files: two, flags: { cluster: ['prd'] } })).toBe(`--cluster prd${tail}; did you mean prod? (pass --new-cluster to start a new cluster)`);
    expect(refusal({ files: two, prompted: { cluster: ['edge'] } })).toBe(`cluster edge${tail} (pass --new-cluster to start a new cluster)`);
    expect(refusal({ files: { ...two, [YO_RC]: yoRc({ cluster: ['prod', 'edge'] }) } })).toBe(`.yo-rc.json cluster edge${tail} (pass --new-cluster to start a new cluster)`);
    expect(refusal({ files: two })).toBe(`the default cluster infra${tail} (pass --new-cluster to start a new cluster)`);
    // Several unknown: all named; the first near name is suggested, even when an earlier one has none.
    expect(refusal({ files: two, flags: { cluster: ['edge', 'prd'] } })).toBe(`--cluster edge,prd${tail}; did you mean prod? (pass --new-cluster to start a new cluster)`);
  });

  test('no refusal: known targets, --new-cluster, --check, --all-clusters, a repo without clusters', () => {
    expect(refusal({ files: two, flags: { cluster: ['prod', 'staging'] } })).toBeUndefined();
    expect(refusal({ files: two, flags: { cluster: ['edge'] }, options: { newCluster: true } })).toBeUndefined();
    expect(refusal({ files: two, flags: { cluster: ['edge'] }, options: { check: true } })).toBeUndefined();
    expect(refusal({ flags: { cluster: ['edge'] } })).toBeUndefined();
    // The prompt's own check of a typed answer (run.ts) goes through the same message.
    expect(unknownClusterError(censusFor({ files: two }), ['prod', 'stagin'], 'cluster', {})?.message).toBe(
      'cluster stagin: no such cluster in kubernetes/clusters/<cluster>/cluster-settings.yaml; known clusters: prod, staging; did you mean staging? (pass --new-cluster to start a new cluster)',
    );
    expect(unknownClusterError(censusFor({ files: two }), ['x'], 'cluster', { newCluster: true })).toBeUndefined();
    const carried = { [settingsPath('prod')]: clusterSettings({ [V]: '0.26.0' }), [settingsPath('staging')]: clusterSettings({ CLUSTER_NAME: 'staging' }) };
    const census = censusFor({ files: carried, options: { allClusters: true } });
    const r = resolveAnswers({}, census.stored, census, {}, { allClusters: true });
    expect(r.answers.cluster).toEqual(['prod']);
    expect(r.settings.cluster).toEqual({ value: ['prod'], source: 'repo', file: 'kubernetes/clusters/*/cluster-settings.yaml' });
    expect(clusterRefusal(census, r, { allClusters: true })).toBeUndefined();
  });

  test('--all-clusters is refused with --cluster, and when no cluster carries the chart version', () => {
    expect(() => resolve({ files: two, flags: { cluster: ['prod'] }, options: { allClusters: true } })).toThrow('--all-clusters and --cluster cannot be combined');
    expect(() => resolve({ files: two, options: { allClusters: true } })).toThrow(
      '--all-clusters: no kubernetes/clusters/*/cluster-settings.yaml carries CNPG_OPERATOR_VERSION yet; name the clusters with --cluster',
    );
  });
});

describe('versions the repo holds in another form', () => {
  test('an exact chart version in the repo: no warning', () => {
    const crds = `releases:\n  - name: cloudnative-pg\n    chart: oci://ghcr.io/cloudnative-pg/charts/cloudnative-pg\n    version: 0.26.1\n`;
    expect(resolve({ files: { [INFRA]: clusterSettings({ [V]: '0.26.1', [R]: '2' }), [CRDS]: crds } }).warnings).toEqual([]);
  });

  test('an operator version in the cluster settings is read as its chart, with a warning', () => {
    const r = resolve({ files: { [INFRA]: clusterSettings({ [V]: '1.27.0' }) } });
    expect(r.settings.chartVersion).toEqual({ value: '0.26.0', source: 'repo', file: INFRA });
    expect(r.warnings).toEqual([`${INFRA}: 1.27.0 is an operator version, not a chart version; corrected to chart 0.26.0`]);
  });

  test('the highest version names its file: the CRD helmfile when it is ahead of the cluster', () => {
    const crds = `releases:\n  - name: cloudnative-pg\n    chart: oci://ghcr.io/cloudnative-pg/charts/cloudnative-pg\n    version: 0.27.0\n`;
    const r = resolve({ files: { [INFRA]: clusterSettings({ [V]: '0.26.0' }), [CRDS]: crds } });
    expect(r.settings.chartVersion).toEqual({ value: '0.27.0', source: 'repo', file: CRDS });
    expect(r.previousVersion).toBe('0.26.0');
  });

  test('--check does not take the repo\'s version: the stored one is the reference', () => {
    const files = { [INFRA]: clusterSettings({ [V]: '0.27.0' }), [YO_RC]: yoRc({ chartVersion: '0.26.0' }) };
    expect(resolve({ files, options: { check: true } }).settings.chartVersion).toEqual({ value: '0.26.0', source: 'stored' });
    expect(resolve({ files }).settings.chartVersion).toEqual({ value: '0.27.0', source: 'repo', file: INFRA });
  });

  test('a cluster settings file that is not valid YAML stops the run with its FileError', () => {
    expect(() => resolve({ files: { [INFRA]: 'data: [\n' } })).toThrow(/kubernetes\/clusters\/infra\/cluster-settings\.yaml/);
  });
});

describe('the apps layout', () => {
  const OCI = 'kubernetes/apps/cnpg-system/cloudnative-pg/app/ocirepository.yaml';
  const appsCensus = (files: Record<string, string>): Census => {
    const m = new Map<string, string | undefined>(ownedPaths(APPS).map((p) => [p, undefined]));
    for (const [p, t] of Object.entries(files)) m.set(p, t);
    return censusOf(APPS, m, []);
  };

  test('--cluster and --storage-class mean nothing there: ignored with a warning each; neither is asked', () => {
    const r = resolveIn(appsCensus({}), { layout: 'apps', cluster: ['prod'], storageClass: 'fast' });
    expect(r.warnings).toEqual(['--cluster: the apps layout has no cluster settings; ignored', '--storage-class: the apps layout has no cluster settings; ignored']);
    expect(r.clusters).toEqual([]);
    expect(resolveIn(appsCensus({}), { layout: 'apps' }).warnings).toEqual([]);
    // --all-clusters too (it used to be ignored without a word).
    expect(resolveIn(appsCensus({}), { layout: 'apps' }, {}, { allClusters: true }).warnings).toEqual(['--all-clusters: the apps layout has no cluster settings; ignored']);
    expect(resolveIn(appsCensus({}), { layout: 'apps' }).askable).toEqual(['namespace', 'replicas', 'chartVersion', 'monitoring', 'monitoringLabels', 'inplaceUpdates']);
  });

  test('the chart version comes from the OCIRepository\'s tag', () => {
    const text = '---\napiVersion: source.toolkit.fluxcd.io/v1\nkind: OCIRepository\nmetadata:\n  name: cloudnative-pg\nspec:\n  ref:\n    tag: 0.27.0\n';
    const r = resolveIn(appsCensus({ [OCI]: text }), { layout: 'apps' });
    expect(r.settings.chartVersion).toEqual({ value: '0.27.0', source: 'repo', file: OCI });
    expect(r.previousVersion).toBe('0.27.0');
    expect(() => resolveIn(appsCensus({ [OCI]: text }), { layout: 'apps', chartVersion: '0.26.0' })).toThrow(/older than 0\.27\.0 in the repo/);
  });

  test('with a versioned CRD helmfile too: the highest is taken, the CRD helmfile\'s is the version before the run', () => {
    const crds = 'bootstrap/helmfile.d/00-crds.yaml';
    const release = 'releases:\n  - name: cloudnative-pg\n    namespace: cnpg-system\n    chart: oci://ghcr.io/cloudnative-pg/charts/cloudnative-pg\n    version: 0.26.0\n';
    const text = '---\napiVersion: source.toolkit.fluxcd.io/v1\nkind: OCIRepository\nmetadata:\n  name: cloudnative-pg\nspec:\n  ref:\n    tag: 0.27.0\n';
    const r = resolveIn(appsCensus({ [OCI]: text, [crds]: release }), { layout: 'apps' });
    expect(r.settings.chartVersion).toEqual({ value: '0.27.0', source: 'repo', file: OCI });
    expect(r.previousVersion).toBe('0.26.0');
  });

  test('the layout the repo\'s files point at is the answer, with the reason as its source', () => {
    const census = appsCensus({});
    const detected: Census = { ...census, detection: { name: 'apps', reason: 'kubernetes/apps/*/*/ks.yaml', empty: false, evidence: { apps: [], infrastructure: [], other: [] } } };
    expect(resolveIn(detected).settings.layout).toEqual({ value: 'apps', source: 'repo', file: 'kubernetes/apps/*/*/ks.yaml' });
    const empty: Census = { ...detected, detection: { ...detected.detection!, empty: true } };
    expect(resolveIn(empty).settings.layout).toEqual({ value: 'infrastructure', source: 'default' });
  });
});
