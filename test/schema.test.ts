/**
 * The generated manifests against upstream truth: the real bin writes a fresh GitOps repo, every file is run
 * through Flux's postBuild substitution with the written cluster-settings, parsed, and checked against the
 * Flux (2.6.0 and 2.7.0), VictoriaMetrics and Prometheus-Operator CRDs made strict, the cloudnative-pg chart's values.yaml and
 * values.schema.json, and the metrics the operator really exports (../shared/FACTS.md).
 */
import { afterAll, beforeAll, describe, expect, test } from '@jest/globals';
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, readdirSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseAllDocuments } from 'yaml';
import {
  allowedMetrics,
  CHART_VERSIONS,
  PROM_CRDS,
  FLUX_CRDS,
  FLUX_VERSIONS,
  type Json,
  type JsonObject,
  chartSchemaValidator,
  chartValues,
  fluxSubstitute,
  fluxValidator,
  isPlainObject,
  promqlMetricNames,
  promqlSelectors,
  promValidator,
  unknownValueKeys,
  validateWith,
  vmValidator,
  SHARED_UPSTREAM_DIR,
  VENDORED_UPSTREAM_DIR,
} from './helpers/upstream.js';

/** dist/test/schema.test.js -> the repo root. */
const ROOT = fileURLToPath(new URL('../../', import.meta.url));
const BIN = path.join(ROOT, 'bin/cnpg-operator.js');

const OPERATOR_DIR = 'kubernetes/infrastructure/databases/cloudnative-pg/operator';
const MONITORING_DIR = 'kubernetes/infrastructure/databases/cloudnative-pg/monitoring';
const DATABASES_KUSTOMIZATION = 'kubernetes/infrastructure/databases/kustomization.yaml';
const CRDS_HELMFILE = 'bootstrap/helmfile.d/00-crds.yaml';
const settingsPath = (cluster: string) => `kubernetes/clusters/${cluster}/cluster-settings.yaml`;
const CHART_URL = 'oci://ghcr.io/cloudnative-pg/charts/cloudnative-pg';
const HELM_LAYER = 'application/vnd.cncf.helm.chart.content.v1.tar+gzip';
const PSA = ['enforce', 'audit', 'warn'].map((m) => `pod-security.kubernetes.io/${m}`);

type Monitoring = 'victoria-metrics' | 'prometheus-operator' | 'none';

interface Scenario {
  title: string;
  args: string[];
  clusters: string[];
  namespace: string;
  replicas: number;
  chart: (typeof CHART_VERSIONS)[number];
  storageClass: string;
  monitoring: Monitoring;
  dependsOn: string[];
  monitoringLabels: Record<string, string>;
  inplaceUpdates: boolean;
  /** --clusters-rollout-delay / --instances-rollout-delay given (seconds). */
  rolloutDelays?: { clusters?: number; instances?: number };
}

const SCENARIOS: Scenario[] = [
  {
    title: 'all defaults',
    args: [],
    clusters: ['infra'],
    namespace: 'cnpg-system',
    replicas: 2,
    chart: '0.26.0',
    storageClass: 'ceph-block',
    monitoring: 'victoria-metrics',
    dependsOn: [],
    monitoringLabels: {},
    inplaceUpdates: false,
  },
  {
    title: 'every setting changed',
    args: [
      '--cluster', 'prod,staging',
      '--namespace', 'databases',
      '--replicas', '3',
      '--chart-version', '0.29.0',
      '--storage-class', 'fast.ssd',
      '--monitoring', 'prometheus-operator',
      '--depends-on', 'infrastructure-repositories-oci,infrastructure-storage',
      '--monitoring-labels', 'release=kube-prometheus-stack,example.com/team=dba',
      '--inplace-updates', 'true',
      '--clusters-rollout-delay', '300',
      '--instances-rollout-delay', '30',
    ],
    clusters: ['prod', 'staging'],
    namespace: 'databases',
    replicas: 3,
    chart: '0.29.0',
    storageClass: 'fast.ssd',
    monitoring: 'prometheus-operator',
    dependsOn: ['infrastructure-repositories-oci', 'infrastructure-storage'],
    monitoringLabels: { 'example.com/team': 'dba', release: 'kube-prometheus-stack' },
    inplaceUpdates: true,
    rolloutDelays: { clusters: 300, instances: 30 },
  },
  {
    title: 'VictoriaMetrics with selector labels, in-place updates off',
    args: ['--monitoring-labels', 'vmagent=main', '--inplace-updates', 'false'],
    clusters: ['infra'],
    namespace: 'cnpg-system',
    replicas: 2,
    chart: '0.26.0',
    storageClass: 'ceph-block',
    monitoring: 'victoria-metrics',
    dependsOn: [],
    monitoringLabels: { vmagent: 'main' },
    inplaceUpdates: false,
  },
  {
    title: 'chart 0.26.1, monitoring none, one replica, a clusters rollout delay alone',
    args: ['--chart-version', '0.26.1', '--monitoring', 'none', '--replicas', '1', '--clusters-rollout-delay', '0'],
    clusters: ['infra'],
    namespace: 'cnpg-system',
    replicas: 1,
    chart: '0.26.1',
    storageClass: 'ceph-block',
    monitoring: 'none',
    dependsOn: [],
    monitoringLabels: {},
    inplaceUpdates: false,
    rolloutDelays: { clusters: 0 },
  },
];

// ---------------------------------------------------------------------------
// Running the bin and reading what it wrote
// ---------------------------------------------------------------------------

interface Doc {
  file: string;
  obj: JsonObject;
}

interface Output {
  dir: string;
  status: number;
  stdout: string;
  stderr: string;
  /** Names of the files in the operator folder. */
  operatorFiles: string[];
  read(rel: string): string;
  settingsText(cluster: string): string;
  /** cluster-settings `data` of one cluster. */
  settings(cluster: string): Record<string, string>;
  /** Every Kubernetes object of the operator folder (not kustomization.yaml) after Flux substitution with this cluster's settings. */
  docs(cluster: string): Doc[];
}

const tmpDirs: string[] = [];

function childEnv(home: string): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = {
    ...process.env,
    HOME: home,
    GIT_AUTHOR_NAME: 'Schema Test',
    GIT_AUTHOR_EMAIL: 'schema@example.com',
    GIT_COMMITTER_NAME: 'Schema Test',
    GIT_COMMITTER_EMAIL: 'schema@example.com',
    GIT_CONFIG_NOSYSTEM: '1',
  };
  delete env.NODE_OPTIONS; // jest's --experimental-vm-modules is not for the bin
  return env;
}

/** Parse every YAML document of `text`; a syntax error, a duplicate key or a warning throws. */
function parseDocs(text: string, label: string, version: '1.1' | '1.2' = '1.2'): JsonObject[] {
  const out: JsonObject[] = [];
  for (const d of parseAllDocuments(text, { version })) {
    const problems = [...d.errors, ...d.warnings];
    if (problems.length > 0) throw new Error(`${label}: ${problems.map((e) => e.message).join('; ')}`);
    const js = d.toJS() as Json;
    if (js === null) continue;
    if (!isPlainObject(js)) throw new Error(`${label}: a document is not a map`);
    out.push(js);
  }
  return out;
}

function generate(sc: Scenario): Output {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'cnpg-schema-'));
  tmpDirs.push(dir);
  const env = childEnv(dir);
  const init = spawnSync('git', ['init', '-q'], { cwd: dir, env, encoding: 'utf8' });
  if (init.status !== 0) throw new Error(`git init failed: ${init.stderr}`);
  const r = spawnSync(process.execPath, [BIN, '--yes', ...sc.args], { cwd: dir, env, encoding: 'utf8' });
  const read = (rel: string) => readFileSync(path.join(dir, rel), 'utf8');
  const opDir = path.join(dir, OPERATOR_DIR);
  const operatorFiles = existsSync(opDir) ? readdirSync(opDir).sort() : [];
  const monDir = path.join(dir, MONITORING_DIR);
  const monitoringFiles = existsSync(monDir) ? readdirSync(monDir).sort() : [];
  const settings = (cluster: string): Record<string, string> => {
    const [cm] = parseDocs(read(settingsPath(cluster)), settingsPath(cluster));
    return (cm?.data ?? {}) as Record<string, string>;
  };
  const docs = (cluster: string): Doc[] => {
    const vars = settings(cluster);
    const out: Doc[] = [];
    for (const name of operatorFiles.filter((f) => f !== 'kustomization.yaml')) {
      const file = `${OPERATOR_DIR}/${name}`;
      for (const obj of parseDocs(fluxSubstitute(read(file), vars).text, file)) out.push({ file: name, obj });
    }
    // The scrape and rules live in the monitoring part's folder (issue 11), applied by its own Flux Kustomization.
    for (const name of monitoringFiles.filter((f) => f !== 'kustomization.yaml' && f !== 'ks.yaml')) {
      const file = `${MONITORING_DIR}/${name}`;
      for (const obj of parseDocs(fluxSubstitute(read(file), vars).text, file)) out.push({ file: name, obj });
    }
    return out;
  };
  return { dir, status: r.status ?? -1, stdout: r.stdout, stderr: r.stderr, operatorFiles, read, settingsText: (c) => read(settingsPath(c)), settings, docs };
}

afterAll(() => {
  for (const d of tmpDirs) rmSync(d, { recursive: true, force: true });
});

// ---------------------------------------------------------------------------
// Small accessors
// ---------------------------------------------------------------------------

function get(obj: Json | undefined, dotted: string): Json | undefined {
  let cur: Json | undefined = obj;
  for (const k of dotted.split('.')) {
    if (!isPlainObject(cur)) return undefined;
    cur = cur[k];
  }
  return cur;
}

function ofKind(docs: Doc[], kind: string, groupPrefix?: string): Doc[] {
  return docs.filter((d) => d.obj.kind === kind && (groupPrefix === undefined || String(d.obj.apiVersion).startsWith(groupPrefix)));
}

function one(docs: Doc[], kind: string, groupPrefix?: string): Doc {
  const found = ofKind(docs, kind, groupPrefix);
  if (found.length !== 1) {
    throw new Error(`expected exactly one ${kind}${groupPrefix ? ` (${groupPrefix}…)` : ''}, found ${found.length} in [${docs.map((d) => `${d.file}:${d.obj.kind}`).join(', ')}]`);
  }
  return found[0];
}

/** The operator part's folder: the scrape and rules are in the monitoring part's folder whatever the stack. */
function expectedFiles(_monitoring: Monitoring): string[] {
  return ['namespace.yaml', 'ocirepository.yaml', 'helmrelease.yaml', 'pdb.yaml', 'kustomization.yaml', 'ks.yaml'].sort();
}

/** The Deployment name the chart gives the operator: fullnameOverride, else the release name (+ chart name). */
function deploymentName(hr: JsonObject): string {
  const override = get(hr, 'spec.values.fullnameOverride');
  if (typeof override === 'string' && override !== '') return override;
  const release = releaseName(hr);
  return release.includes('cloudnative-pg') ? release : `${release}-cloudnative-pg`;
}

/** Flux's Helm release name: spec.releaseName, else [<targetNamespace>-]<metadata.name>. */
function releaseName(hr: JsonObject): string {
  const explicit = get(hr, 'spec.releaseName');
  if (typeof explicit === 'string' && explicit !== '') return explicit;
  const target = get(hr, 'spec.targetNamespace');
  return `${typeof target === 'string' && target ? `${target}-` : ''}${get(hr, 'metadata.name')}`;
}

/** Labels the chart puts on the operator pods. */
function operatorPodLabels(hr: JsonObject): Record<string, string> {
  return { 'app.kubernetes.io/name': 'cloudnative-pg', 'app.kubernetes.io/instance': releaseName(hr) };
}

interface Rule {
  alert: string;
  expr: string;
  raw: JsonObject;
}

function alertRules(docs: Doc[]): Rule[] {
  const out: Rule[] = [];
  for (const d of docs.filter((x) => x.obj.kind === 'VMRule' || x.obj.kind === 'PrometheusRule')) {
    for (const g of (get(d.obj, 'spec.groups') ?? []) as JsonObject[]) {
      for (const r of (g.rules ?? []) as JsonObject[]) out.push({ alert: String(r.alert ?? r.record), expr: String(r.expr), raw: r });
    }
  }
  return out;
}

const norm = (s: string) => s.replace(/\s+/g, ' ').trim();

// ---------------------------------------------------------------------------
// The checks helpers rely on must be able to fail
// ---------------------------------------------------------------------------

describe('upstream helpers catch what they are meant to catch', () => {
  const hr = {
    apiVersion: 'helm.toolkit.fluxcd.io/v2',
    kind: 'HelmRelease',
    metadata: { name: 'x', namespace: 'y' },
    spec: { interval: '1h', chartRef: { kind: 'OCIRepository', name: 'x' }, values: { anything: { goes: 1 } } },
  };

  test.each(FLUX_VERSIONS)('Flux %s HelmRelease CRD: accepts a minimal release, rejects unknown fields, a missing namespace and a wrong apiVersion', (v) => {
    const validate = fluxValidator(v, 'HelmRelease');
    expect(validateWith(validate, hr)).toEqual([]);
    expect(validateWith(validate, { ...hr, spec: { ...hr.spec, bogus: true } }).join('\n')).toMatch(/additional properties "bogus"/);
    expect(validateWith(validate, { ...hr, spec: { ...hr.spec, install: { remediation: { retries: 3, bogus: 1 } } } }).join('\n')).toMatch(/\/spec\/install\/remediation.*"bogus"/);
    expect(validateWith(validate, { ...hr, metadata: { name: 'x' } }).join('\n')).toMatch(/namespace/);
    expect(validateWith(validate, { ...hr, apiVersion: 'helm.toolkit.fluxcd.io/v2beta2' }).join('\n')).toMatch(/\/apiVersion/);
  });

  test('Flux substitution: ${VAR}, defaults, undefined vars, $VAR and $${VAR}', () => {
    const r = fluxSubstitute('a: ${A}\nb: ${B:=dflt}\nc: ${C}\nd: {{ $labels.pod }} $A\ne: $${A}\nf: ${E:-x}\n', { A: '1', E: '' });
    expect(r.text).toBe('a: 1\nb: dflt\nc: \nd: {{ $labels.pod }} $A\ne: ${A}\nf: x\n');
    expect(r.undefinedVars).toEqual(['C']);
    expect(() => fluxSubstitute('a: ${A\n', {})).toThrow(/unterminated/);
  });

  test('PromQL metric extraction (from the parse tree) sees through functions, aggregations, matchers and ranges', () => {
    expect(promqlMetricNames('sum by (webhook, le) (rate(x_bucket{job="a/b",code=~"5.."}[5m])) > 0.5 and on(job) absent(up{job="{x}"}) or foo')).toEqual(['x_bucket', 'up', 'foo']);
    expect(promqlSelectors('up{job="ns/x"} == 0')[0].matchers).toEqual({ job: ['=', 'ns/x'] });
    expect(() => promqlMetricNames('rat(up[5m])')).toThrow(/does not parse/);
  });

  test('Prometheus-Operator v0.93.0 PodMonitor and PrometheusRule CRDs: reject unknown fields and a missing namespace', () => {
    const pm = { apiVersion: 'monitoring.coreos.com/v1', kind: 'PodMonitor', metadata: { name: 'x', namespace: 'y' }, spec: { selector: {}, podMetricsEndpoints: [{ port: 'metrics' }] } };
    expect(validateWith(promValidator('PodMonitor'), pm)).toEqual([]);
    expect(validateWith(promValidator('PodMonitor'), { ...pm, spec: { ...pm.spec, podMetricsEndpoints: [{ port: 'metrics', bogus: 1 }] } }).join('\n')).toMatch(/"bogus"/);
    const pr = { apiVersion: 'monitoring.coreos.com/v1', kind: 'PrometheusRule', metadata: { name: 'x', namespace: 'y' }, spec: { groups: [{ name: 'g', rules: [{ alert: 'A', expr: 'up == 0' }] }] } };
    expect(validateWith(promValidator('PrometheusRule'), pr)).toEqual([]);
    expect(validateWith(promValidator('PrometheusRule'), { ...pr, metadata: { name: 'x' } }).join('\n')).toMatch(/namespace/);
    expect(validateWith(promValidator('PrometheusRule'), { ...pr, spec: { groups: [{ name: 'g', rules: [{ alert: 'A', expr: 'up', severity: 'x' }] }] } }).join('\n')).toMatch(/"severity"/);
  });

  test('the values walk reports keys the chart does not have (the story\'s securityContext, leaderElection)', () => {
    const values = { securityContext: {}, leaderElection: { enabled: true }, resources: { limits: { cpu: '1' } }, monitoring: { podMonitorNamespace: 'x' } };
    expect(unknownValueKeys(values, chartValues('0.26.0'))).toEqual(['securityContext', 'leaderElection', 'monitoring.podMonitorNamespace']);
    expect(validateWith(chartSchemaValidator('0.26.0'), { replicaCount: '2' }).join('\n')).toMatch(/\/replicaCount: must be integer/);
  });
});

// ---------------------------------------------------------------------------
// The generated output
// ---------------------------------------------------------------------------

describe.each(SCENARIOS)('generated manifests: $title', (sc) => {
  let out: Output;

  beforeAll(() => {
    out = generate(sc);
  });

  const docs = (cluster = sc.clusters[0]) => out.docs(cluster);

  test('the bin exits 0 and writes the operator folder, the parent kustomization, cluster-settings per cluster and 00-crds.yaml', () => {
    expect({ status: out.status, stderr: out.stderr }).toEqual({ status: 0, stderr: expect.any(String) });
    expect(out.operatorFiles).toEqual(expectedFiles(sc.monitoring));
    for (const rel of [DATABASES_KUSTOMIZATION, CRDS_HELMFILE, '.yo-rc.json', ...sc.clusters.map(settingsPath)]) {
      expect(existsSync(path.join(out.dir, rel)) ? rel : `missing: ${rel}`).toBe(rel);
    }
  });

  test('every generated file parses after Flux substitution from each cluster-settings, with every ${VAR} defined, the same under YAML 1.1 and 1.2', () => {
    const files = [...out.operatorFiles.map((f) => `${OPERATOR_DIR}/${f}`), DATABASES_KUSTOMIZATION];
    const problems: string[] = [];
    for (const cluster of sc.clusters) {
      const vars = out.settings(cluster);
      for (const file of files) {
        const sub = fluxSubstitute(out.read(file), vars);
        if (sub.undefinedVars.length > 0) problems.push(`${file}: \${${sub.undefinedVars.join('}, ${')}} not in ${settingsPath(cluster)} (Flux substitutes "")`);
        if (sub.text.includes('${')) problems.push(`${file}: a "\${" survives substitution`);
        try {
          const v12 = parseDocs(sub.text, file, '1.2');
          const v11 = parseDocs(sub.text, file, '1.1');
          if (v12.length === 0) problems.push(`${file}: no YAML document`);
          if (JSON.stringify(v11) !== JSON.stringify(v12)) problems.push(`${file}: reads differently under YAML 1.1 (Kubernetes) and 1.2`);
        } catch (e) {
          problems.push(`${cluster}: ${(e as Error).message}`);
        }
      }
    }
    expect(problems).toEqual([]);
  });

  test.each(FLUX_VERSIONS)('HelmRelease, OCIRepository and the Flux Kustomization (ks.yaml) pass the Flux %s CRDs, strictly', (fluxVersion) => {
    for (const cluster of sc.clusters) {
      const all = docs(cluster);
      const errors: string[] = [];
      for (const kind of Object.keys(FLUX_CRDS) as (keyof typeof FLUX_CRDS)[]) {
        const found = ofKind(all, kind, kind === 'Kustomization' ? 'kustomize.toolkit.fluxcd.io/' : undefined);
        if (found.length !== 1) errors.push(`${kind}: ${found.length} documents`);
        for (const d of found) errors.push(...validateWith(fluxValidator(fluxVersion, kind), d.obj).map((e) => `${d.file} ${kind} ${e}`));
      }
      // CEL rule of spec (x-kubernetes-validations): "either chart or chartRef must be set".
      const hr = one(all, 'HelmRelease').obj;
      if ((get(hr, 'spec.chart') === undefined) === (get(hr, 'spec.chartRef') === undefined)) errors.push('HelmRelease: exactly one of spec.chart, spec.chartRef must be set');
      expect(errors).toEqual([]);
    }
  });

  test('every object lives in the chosen namespace (Flux Kustomization in flux-system)', () => {
    const where = docs().map((d) => `${d.file} ${d.obj.kind}: ${String(get(d.obj, 'metadata.namespace') ?? get(d.obj, 'metadata.name'))}`);
    const expected = docs().map((d) =>
      `${d.file} ${d.obj.kind}: ${d.obj.kind === 'Namespace' ? sc.namespace : String(d.obj.apiVersion).startsWith('kustomize.toolkit.fluxcd.io/') ? 'flux-system' : sc.namespace}`,
    );
    expect(where).toEqual(expected);
  });

  test('HelmRelease pulls the chart through an OCIRepository in its own namespace; OCIRepository is the Helm chart layer of the cloudnative-pg chart at the chosen version', () => {
    for (const cluster of sc.clusters) {
      const all = docs(cluster);
      const hr = one(all, 'HelmRelease').obj;
      const oci = one(all, 'OCIRepository').obj;
      expect(get(hr, 'spec.chartRef.kind')).toBe('OCIRepository');
      expect(get(hr, 'spec.chartRef.name')).toBe(get(oci, 'metadata.name'));
      expect(get(hr, 'spec.chartRef.namespace') ?? get(hr, 'metadata.namespace')).toBe(get(oci, 'metadata.namespace'));
      expect(get(oci, 'spec.url')).toBe(CHART_URL);
      expect(get(oci, 'spec.ref.tag')).toBe(sc.chart);
      expect(get(oci, 'spec.layerSelector')).toEqual({ mediaType: HELM_LAYER, operation: 'copy' });
    }
  });

  test('the VictoriaMetrics objects pass the operator v0.74.1 CRDs strictly (and exist only with --monitoring victoria-metrics)', () => {
    const all = docs();
    const vm = all.filter((d) => String(d.obj.apiVersion).startsWith('operator.victoriametrics.com/'));
    if (sc.monitoring !== 'victoria-metrics') {
      expect(vm.map((d) => `${d.file} ${d.obj.kind}`)).toEqual([]);
      return;
    }
    const errors: string[] = [];
    for (const kind of ['VMPodScrape', 'VMRule'] as const) {
      const found = ofKind(all, kind);
      if (found.length !== 1) errors.push(`${kind}: ${found.length} documents`);
      for (const d of found) errors.push(...validateWith(vmValidator(kind), d.obj).map((e) => `${d.file} ${kind} ${e}`));
    }
    expect(errors).toEqual([]);
  });

  test('the Prometheus-Operator objects pass the v0.93.0 CRDs strictly (and exist only with --monitoring prometheus-operator)', () => {
    const all = docs();
    const prom = all.filter((d) => String(d.obj.apiVersion).startsWith('monitoring.coreos.com/'));
    if (sc.monitoring !== 'prometheus-operator') {
      expect(prom.map((d) => `${d.file} ${d.obj.kind}`)).toEqual([]);
      return;
    }
    const errors: string[] = [];
    for (const kind of Object.keys(PROM_CRDS) as (keyof typeof PROM_CRDS)[]) {
      const found = ofKind(all, kind);
      if (found.length !== 1) errors.push(`${kind}: ${found.length} documents`);
      for (const d of found) errors.push(...validateWith(promValidator(kind), d.obj).map((e) => `${d.file} ${kind} ${e}`));
    }
    expect(errors).toEqual([]);
  });

  test('--monitoring-labels are on the scrape and the rule object (with the generator\'s own label), nowhere else', () => {
    const all = docs();
    const monitoringKinds = ['VMPodScrape', 'VMRule', 'PodMonitor', 'PrometheusRule'];
    for (const d of all) {
      const labels = (get(d.obj, 'metadata.labels') ?? {}) as Record<string, string>;
      if (monitoringKinds.includes(String(d.obj.kind))) {
        expect({ kind: d.obj.kind, labels }).toEqual({ kind: d.obj.kind, labels: { 'app.kubernetes.io/name': 'cloudnative-pg', ...sc.monitoringLabels } });
      } else {
        for (const k of Object.keys(sc.monitoringLabels)) expect({ kind: d.obj.kind, has: k in labels }).toEqual({ kind: d.obj.kind, has: false });
      }
    }
    expect(all.filter((d) => monitoringKinds.includes(String(d.obj.kind)))).toHaveLength(sc.monitoring === 'none' ? 0 : 2);
  });

  test('Namespace: PSA enforce/audit/warn = restricted', () => {
    const ns = one(docs(), 'Namespace').obj;
    expect(ns.apiVersion).toBe('v1');
    expect(get(ns, 'metadata.name')).toBe(sc.namespace);
    const labels = (get(ns, 'metadata.labels') ?? {}) as Record<string, string>;
    expect(Object.fromEntries(PSA.map((k) => [k, labels[k]]))).toEqual(Object.fromEntries(PSA.map((k) => [k, 'restricted'])));
  });

  test('PodDisruptionBudget: policy/v1, minAvailable 1, selecting the operator pods the chart labels', () => {
    const all = docs();
    const pdb = one(all, 'PodDisruptionBudget').obj;
    const hr = one(all, 'HelmRelease').obj;
    expect(pdb.apiVersion).toBe('policy/v1');
    expect(get(pdb, 'metadata.name')).toEqual(expect.any(String));
    expect(get(pdb, 'spec.minAvailable')).toBe(1);
    expect(get(pdb, 'spec.maxUnavailable')).toBeUndefined();
    expect(get(pdb, 'spec.selector.matchLabels')).toEqual({ 'app.kubernetes.io/name': 'cloudnative-pg', 'app.kubernetes.io/instance': 'cloudnative-pg' });
    expect(get(pdb, 'spec.selector.matchLabels')).toEqual(operatorPodLabels(hr));
  });

  test('scrape config: VMPodScrape or PodMonitor on port metrics, /metrics, every 30s with a 10s timeout, selecting the operator pods', () => {
    const all = docs();
    const scrapes = all.filter((d) => d.obj.kind === 'VMPodScrape' || d.obj.kind === 'PodMonitor');
    if (sc.monitoring === 'none') {
      expect(scrapes.map((d) => d.file)).toEqual([]);
      return;
    }
    const [expectedApi, expectedKind] =
      sc.monitoring === 'victoria-metrics' ? ['operator.victoriametrics.com/v1beta1', 'VMPodScrape'] : ['monitoring.coreos.com/v1', 'PodMonitor'];
    expect(scrapes.map((d) => `${d.obj.apiVersion} ${d.obj.kind}`)).toEqual([`${expectedApi} ${expectedKind}`]);
    const s = scrapes[0].obj;
    expect(get(s, 'metadata.name')).toBe('cloudnative-pg-metrics'); // the alerts' job="<ns>/cloudnative-pg-metrics"
    expect(get(s, 'metadata.namespace')).toBe(sc.namespace);
    expect(get(s, 'spec.selector.matchLabels')).toEqual({ 'app.kubernetes.io/name': 'cloudnative-pg', 'app.kubernetes.io/instance': 'cloudnative-pg' });
    expect(get(s, 'spec.selector.matchLabels')).toEqual(operatorPodLabels(one(all, 'HelmRelease').obj));
    const endpoints = get(s, 'spec.podMetricsEndpoints') as JsonObject[];
    expect(endpoints).toHaveLength(1);
    expect(endpoints[0]).toMatchObject({ port: 'metrics', path: '/metrics', interval: '30s', scrapeTimeout: '10s' });
    // PodMonitor: a key the Prometheus-Operator v1 PodMetricsEndpoint does not have would be rejected by its CRD.
    const podMonitorEndpointKeys = ['port', 'portNumber', 'targetPort', 'path', 'scheme', 'params', 'interval', 'scrapeTimeout', 'honorLabels', 'honorTimestamps', 'trackTimestampsStaleness', 'metricRelabelings', 'relabelings', 'proxyUrl', 'followRedirects', 'enableHttp2', 'filterRunning', 'bearerTokenSecret', 'basicAuth', 'oauth2', 'authorization', 'tlsConfig', 'noProxy', 'proxyFromEnvironment', 'proxyConnectHeader'];
    if (expectedKind === 'PodMonitor') expect(Object.keys(endpoints[0]).filter((k) => !podMonitorEndpointKeys.includes(k))).toEqual([]);
  });

  describe('Helm values (spec.values after substitution)', () => {
    const values = () => get(one(docs(), 'HelmRelease').obj, 'spec.values') as JsonObject;

    test('every key exists in the chosen chart\'s values.yaml', () => {
      expect(unknownValueKeys(values(), chartValues(sc.chart))).toEqual([]);
    });

    test('the values pass the chosen chart\'s values.schema.json', () => {
      expect(validateWith(chartSchemaValidator(sc.chart), values())).toEqual([]);
    });

    test.each(CHART_VERSIONS)('the same HelmRelease also fits chart %s (values.yaml keys and values.schema.json)', (chart) => {
      expect({ unknownKeys: unknownValueKeys(values(), chartValues(chart)), schema: validateWith(chartSchemaValidator(chart), values()) }).toEqual({ unknownKeys: [], schema: [] });
    });

    test('the pod anti-affinity selects the operator pods the chart labels (else replicas may share a node)', () => {
      const hr = one(docs(), 'HelmRelease').obj;
      const terms = [
        ...((get(hr, 'spec.values.affinity.podAntiAffinity.preferredDuringSchedulingIgnoredDuringExecution') ?? []) as JsonObject[]).map((t) => t.podAffinityTerm as JsonObject),
        ...((get(hr, 'spec.values.affinity.podAntiAffinity.requiredDuringSchedulingIgnoredDuringExecution') ?? []) as JsonObject[]),
      ];
      expect(terms.length).toBeGreaterThan(0);
      for (const t of terms) {
        expect(t.topologyKey).toBe('kubernetes.io/hostname');
        expect(get(t, 'labelSelector.matchLabels')).toEqual(operatorPodLabels(hr));
      }
    });

    test('--inplace-updates and the rollout delays share one config.data map of strings (ENABLE_INSTANCE_MANAGER_INPLACE_UPDATES, CLUSTERS_ROLLOUT_DELAY, INSTANCES_ROLLOUT_DELAY: chart keys rendered into the operator ConfigMap), else no config.data', () => {
      const v = values();
      const expected: Record<string, string> = {};
      if (sc.inplaceUpdates) expected.ENABLE_INSTANCE_MANAGER_INPLACE_UPDATES = 'true';
      if (sc.rolloutDelays?.clusters !== undefined) expected.CLUSTERS_ROLLOUT_DELAY = String(sc.rolloutDelays.clusters);
      if (sc.rolloutDelays?.instances !== undefined) expected.INSTANCES_ROLLOUT_DELAY = String(sc.rolloutDelays.instances);
      if (Object.keys(expected).length > 0) expect(get(v, 'config.data')).toEqual(expected);
      else expect(get(v, 'config.data')).toBeUndefined();
      for (const chart of CHART_VERSIONS) {
        // config.data exists with a free-form default ({}), and the chart keeps a ConfigMap (not a Secret) by default.
        expect({ chart, data: get(chartValues(chart), 'config.data'), create: get(chartValues(chart), 'config.create'), secret: get(chartValues(chart), 'config.secret') }).toEqual({ chart, data: {}, create: true, secret: false });
      }
      // Every ConfigMap value must be a string: a YAML boolean would make the chart render `true`, which the API server refuses.
      expect(Object.values((get(v, 'config.data') ?? {}) as JsonObject).filter((x) => typeof x !== 'string')).toEqual([]);
    });

    test('a failed upgrade is never rolled back or uninstalled (templated CRDs would be downgraded); a failed install is retried', () => {
      const hr = one(docs(), 'HelmRelease').obj;
      expect(get(hr, 'spec.upgrade.remediation')).toEqual({ retries: 0, remediateLastFailure: false });
      expect(get(hr, 'spec.install.remediation.retries')).toBe(3);
      expect(get(hr, 'spec.rollback')).toBeUndefined();
      expect(get(hr, 'spec.uninstall')).toBeUndefined();
    });

    test('replicaCount is an integer equal to --replicas, the chart\'s own PodMonitor stays off, CRDs stay templated', () => {
      for (const cluster of sc.clusters) {
        const v = get(one(docs(cluster), 'HelmRelease').obj, 'spec.values') as JsonObject;
        expect(v.replicaCount).toBe(sc.replicas);
        expect(Number.isInteger(v.replicaCount)).toBe(true);
        expect(get(v, 'monitoring.podMonitorEnabled')).not.toBe(true);
        expect(get(v, 'crds.create')).not.toBe(false);
      }
    });
  });

  test('cluster-settings: a ConfigMap cluster-settings in flux-system whose values are all double-quoted strings with the chosen settings', () => {
    for (const cluster of sc.clusters) {
      const text = out.settingsText(cluster);
      const [cm, ...rest] = parseDocs(text, settingsPath(cluster));
      expect(rest).toEqual([]);
      expect({ apiVersion: cm.apiVersion, kind: cm.kind, name: get(cm, 'metadata.name'), namespace: get(cm, 'metadata.namespace') }).toEqual({
        apiVersion: 'v1',
        kind: 'ConfigMap',
        name: 'cluster-settings',
        namespace: 'flux-system',
      });
      for (const version of ['1.1', '1.2'] as const) {
        const data = parseDocs(text, settingsPath(cluster), version)[0].data as JsonObject;
        expect(Object.entries(data).filter(([, v]) => typeof v !== 'string')).toEqual([]);
      }
      expect(out.settings(cluster)).toMatchObject({
        CNPG_OPERATOR_VERSION: sc.chart,
        CNPG_OPERATOR_REPLICAS: String(sc.replicas),
        BLOCK_SC: sc.storageClass,
      });
      expect(text).toMatch(new RegExp(`^[ ]+CNPG_OPERATOR_VERSION: "${sc.chart.replace(/\./g, '\\.')}"[ ]*(#.*)?$`, 'm'));
      expect(text).toMatch(new RegExp(`^[ ]+CNPG_OPERATOR_REPLICAS: "${sc.replicas}"[ ]*(#.*)?$`, 'm'));
      expect(text).toMatch(new RegExp(`^[ ]+BLOCK_SC: "${sc.storageClass.replace(/\./g, '\\.')}"[ ]*(#.*)?$`, 'm'));
      const dataLines = text.split(/\r?\n/).filter((l) => /^[ ]+[A-Z][A-Z0-9_]*:/.test(l));
      expect(dataLines.filter((l) => !/^[ ]+[A-Z][A-Z0-9_]*: "[^"]*"[ ]*(#.*)?$/.test(l))).toEqual([]);
    }
  });

  test('bootstrap/helmfile.d/00-crds.yaml renders the one cloudnative-pg chart release at the chosen version', () => {
    const releases = parseDocs(out.read(CRDS_HELMFILE), CRDS_HELMFILE).flatMap((d) => (Array.isArray(d.releases) ? (d.releases as JsonObject[]) : []));
    const cnpg = releases.filter((r) => typeof r.chart === 'string' && /cloudnative-pg\/?$/.test(r.chart.replace(/^oci:\/\//, '')));
    expect(cnpg.map((r) => ({ chart: r.chart, version: String(r.version) }))).toEqual([{ chart: CHART_URL, version: sc.chart }]);
  });

  test('operator kustomization.yaml lists exactly the written manifests (never ks.yaml); the parent lists operator/ks.yaml once', () => {
    const ktext = out.read(`${OPERATOR_DIR}/kustomization.yaml`);
    // kustomize reads one document; an empty leading one fails the build with "kustomization.yaml is empty".
    expect(parseAllDocuments(ktext).map((d) => d.contents === null ? 'empty document' : 'document')).toEqual(['document']);
    const [k] = parseDocs(ktext, 'kustomization.yaml');
    expect(k.apiVersion).toBe('kustomize.config.k8s.io/v1beta1');
    expect(k.kind).toBe('Kustomization');
    const resources = (k.resources ?? []) as string[];
    expect([...resources].sort()).toEqual(out.operatorFiles.filter((f) => f !== 'kustomization.yaml' && f !== 'ks.yaml'));
    expect(new Set(resources).size).toBe(resources.length);
    expect(resources).not.toContain('ks.yaml');
    for (const r of resources) expect(existsSync(path.join(out.dir, OPERATOR_DIR, r)) ? r : `missing ${r}`).toBe(r);
    if (k.namespace !== undefined) expect(k.namespace).toBe(sc.namespace);

    const [parent] = parseDocs(out.read(DATABASES_KUSTOMIZATION), DATABASES_KUSTOMIZATION);
    const entries = ((parent.resources ?? []) as string[]).map((r) => r.replace(/^\.\//, ''));
    expect(entries.filter((r) => r === 'cloudnative-pg/operator/ks.yaml')).toEqual(['cloudnative-pg/operator/ks.yaml']);
    expect(entries.filter((r) => r.startsWith('cloudnative-pg/operator') && r !== 'cloudnative-pg/operator/ks.yaml')).toEqual([]);
  });

  test('ks.yaml: healthChecks without wait: true, substitution from cluster-settings, the operator path, health checks on the HelmRelease and CRDs, dependsOn = --depends-on', () => {
    const all = docs();
    const ks = one(all, 'Kustomization', 'kustomize.toolkit.fluxcd.io/');
    expect(ks.file).toBe('ks.yaml');
    const spec = ks.obj.spec as JsonObject;
    const checks = (spec.healthChecks ?? []) as JsonObject[];
    expect(checks.length).toBeGreaterThan(0);
    expect(spec.wait).not.toBe(true); // wait: true makes Flux ignore healthChecks
    expect(spec.path).toBe(`./${OPERATOR_DIR}`);
    const from = (get(spec, 'postBuild.substituteFrom') ?? []) as JsonObject[];
    expect(from.filter((f) => f.kind === 'ConfigMap' && f.name === 'cluster-settings')).toHaveLength(1);
    expect(from.filter((f) => f.kind === 'ConfigMap' && f.name === 'cluster-settings')[0].optional).not.toBe(true);
    // substituteFrom is read from the Flux Kustomization's own namespace.
    for (const cluster of sc.clusters) expect(get(parseDocs(out.settingsText(cluster), cluster)[0], 'metadata.namespace')).toBe(get(ks.obj, 'metadata.namespace'));

    const hr = one(all, 'HelmRelease').obj;
    const show = (c: JsonObject) => `${c.apiVersion} ${c.kind} ${c.namespace ? `${c.namespace}/` : ''}${c.name}`;
    expect(checks.map(show)).toEqual(
      expect.arrayContaining([
        `helm.toolkit.fluxcd.io/v2 HelmRelease ${get(hr, 'metadata.namespace')}/${get(hr, 'metadata.name')}`,
        ...['clusters', 'poolers', 'backups'].map((p) => `apiextensions.k8s.io/v1 CustomResourceDefinition ${p}.postgresql.cnpg.io`),
      ]),
    );
    expect(((spec.dependsOn ?? []) as JsonObject[]).map((d) => d.name)).toEqual(sc.dependsOn);
  });

  describe('alerts', () => {
    const rulesOf = (cluster: string) => alertRules(docs(cluster));
    const scrapeJob = () => {
      const s = docs().find((d) => d.obj.kind === 'VMPodScrape' || d.obj.kind === 'PodMonitor')!.obj;
      return `${get(s, 'metadata.namespace')}/${get(s, 'metadata.name')}`;
    };

    if (sc.monitoring === 'none') {
      test('no rule object is written with --monitoring none', () => {
        expect(docs().filter((d) => d.obj.kind === 'VMRule' || d.obj.kind === 'PrometheusRule').map((d) => d.file)).toEqual([]);
      });
      return;
    }

    test(`the rule object is a ${sc.monitoring === 'victoria-metrics' ? 'VMRule' : 'PrometheusRule'} with alerting rules that each carry alert, expr and a severity`, () => {
      const kinds = docs().filter((d) => d.obj.kind === 'VMRule' || d.obj.kind === 'PrometheusRule').map((d) => `${d.obj.apiVersion} ${d.obj.kind}`);
      expect(kinds).toEqual([sc.monitoring === 'victoria-metrics' ? 'operator.victoriametrics.com/v1beta1 VMRule' : 'monitoring.coreos.com/v1 PrometheusRule']);
      const rules = rulesOf(sc.clusters[0]);
      expect(rules.length).toBeGreaterThan(0);
      for (const r of rules) {
        expect(r.raw.alert).toEqual(expect.stringMatching(/^\S+$/));
        expect(r.raw.expr).toEqual(expect.any(String));
        expect(get(r.raw, 'labels.severity')).toEqual(expect.stringMatching(/^(critical|warning|info)$/));
      }
    });

    test('every expr uses only metrics the operator (controller-runtime), the API server and kube-state-metrics export; no cnpg_* metric', () => {
      for (const cluster of sc.clusters) {
        const bad: string[] = [];
        for (const r of rulesOf(cluster)) {
          for (const m of promqlMetricNames(r.expr)) if (!allowedMetrics().has(m)) bad.push(`${r.alert}: ${m}`);
          if (/cnpg_/.test(r.expr.replace(/"[^"]*"/g, '""'))) bad.push(`${r.alert}: cnpg_ metric in ${r.expr}`);
        }
        expect(bad).toEqual([]);
      }
    });

    test('operator metrics are scoped to the operator scrape job; kube-state-metrics ones to the namespace and the chart\'s Deployment', () => {
      const job = scrapeJob();
      const hr = one(docs(), 'HelmRelease').obj;
      const deployment = deploymentName(hr);
      const bad: string[] = [];
      for (const r of rulesOf(sc.clusters[0])) {
        for (const sel of promqlSelectors(r.expr)) {
          const m = sel.matchers;
          if (sel.metric.startsWith('apiserver_')) {
            // The API server is its own scrape job; its series are the operator's by webhook name.
            if (m.job) bad.push(`${r.alert}: ${sel.metric} carries a job matcher ${JSON.stringify(m.job)}`);
            if (m.name?.[0] !== '=~' || !new RegExp(`^(?:${m.name[1]})$`).test('vcluster.cnpg.io')) bad.push(`${r.alert}: ${sel.metric} name matcher ${JSON.stringify(m.name)} does not select the operator's webhooks`);
          } else if (sel.metric.startsWith('kube_')) {
            if (JSON.stringify(m.namespace) !== JSON.stringify(['=', sc.namespace])) bad.push(`${r.alert}: ${sel.metric} namespace ${JSON.stringify(m.namespace)}`);
            if (m.job?.[1] === job) bad.push(`${r.alert}: ${sel.metric} carries the operator's job label (kube-state-metrics is another job)`);
            if (sel.metric.startsWith('kube_deployment_') && JSON.stringify(m.deployment) !== JSON.stringify(['=', deployment])) {
              bad.push(`${r.alert}: deployment ${JSON.stringify(m.deployment)}, the chart's Deployment is ${deployment}`);
            }
            if (m.pod && !(m.pod[0] === '=~' && new RegExp(`^(?:${m.pod[1]})$`).test(`${deployment}-6d4cf56db6-x7k2p`))) {
              bad.push(`${r.alert}: pod matcher ${JSON.stringify(m.pod)} does not match operator pods (${deployment}-<hash>-<id>)`);
            }
          } else if (JSON.stringify(m.job) !== JSON.stringify(['=', job])) {
            bad.push(`${r.alert}: ${sel.metric} job ${JSON.stringify(m.job)}, expected ["=","${job}"]`);
          }
        }
      }
      expect(bad).toEqual([]);
    });

    test('there is an up == 0 rule and an absent(up) rule for the operator scrape job', () => {
      const job = scrapeJob();
      const exprs = rulesOf(sc.clusters[0]).map((r) => norm(r.expr));
      expect(exprs).toContain(`up{job="${job}"} == 0`);
      expect(exprs.filter((e) => e.startsWith('absent(') && promqlSelectors(e).some((s) => s.metric === 'up' && s.matchers.job?.[1] === job))).toHaveLength(1);
    });

    test('a replicas rule compares available replicas with the Deployment\'s wanted replicas (= --replicas through replicaCount)', () => {
      for (const cluster of sc.clusters) {
        const found = rulesOf(cluster).filter((r) => promqlMetricNames(r.expr).includes('kube_deployment_status_replicas_available'));
        expect(found.map((r) => promqlMetricNames(r.expr))).toEqual([['kube_deployment_status_replicas_available', 'kube_deployment_spec_replicas']]);
        const [available, wanted] = promqlSelectors(found[0].expr);
        expect(available.matchers).toEqual(wanted.matchers); // the same Deployment on both sides
        expect(norm(found[0].expr)).toMatch(/^kube_deployment_status_replicas_available\{[^}]*\} < kube_deployment_spec_replicas\{[^}]*\}$/);
        expect(get(one(docs(cluster), 'HelmRelease').obj, 'spec.values.replicaCount')).toBe(sc.replicas);
      }
    });

    test('reconcile errors are alerted per controller; there are API-server webhook rules and a leader-election rule', () => {
      const rules = rulesOf(sc.clusters[0]);
      const reconcile = rules.filter((r) => promqlMetricNames(r.expr).includes('controller_runtime_reconcile_errors_total'));
      expect(reconcile.map((r) => r.alert)).toHaveLength(1);
      expect(reconcile[0].expr).toMatch(/\bby\s*\([^)]*\bcontroller\b[^)]*\)/);

      const webhook = rules.filter((r) => promqlMetricNames(r.expr).some((m) => m.startsWith('controller_runtime_webhook_') || m.startsWith('apiserver_admission_webhook_')));
      expect(webhook.length).toBeGreaterThan(0);
      expect(rules.filter((r) => promqlMetricNames(r.expr).includes('apiserver_admission_webhook_rejection_count')).map((r) => r.alert)).toHaveLength(1);
      for (const r of webhook) {
        for (const s of promqlSelectors(r.expr)) expect(Object.keys(s.matchers)).not.toContain('result'); // no such label
      }

      const leader = rules.filter((r) => promqlMetricNames(r.expr).includes('leader_election_master_status'));
      expect(leader).toHaveLength(1);
      for (const s of promqlSelectors(leader[0].expr)) {
        if (s.metric === 'leader_election_master_status' && s.matchers.name) expect(s.matchers.name).toEqual(['=', 'db9c8771.cnpg.io']);
      }
    });
  });
});

describe('the vendored upstream data', () => {
  const shared = existsSync(SHARED_UPSTREAM_DIR);
  (shared ? test : test.skip)('is byte-identical to ../shared/upstream (when that is beside the repo)', () => {
    const list = (dir: string): string[] =>
      readdirSync(dir, { recursive: true, withFileTypes: true })
        .filter((e) => e.isFile())
        .map((e) => path.relative(dir, path.join(e.parentPath ?? (e as unknown as { path: string }).path, e.name)))
        .sort();
    expect(list(VENDORED_UPSTREAM_DIR)).toEqual(list(SHARED_UPSTREAM_DIR));
    for (const f of list(SHARED_UPSTREAM_DIR)) {
      expect({ f, same: readFileSync(path.join(VENDORED_UPSTREAM_DIR, f)).equals(readFileSync(path.join(SHARED_UPSTREAM_DIR, f))) }).toEqual({ f, same: true });
    }
  });
});
