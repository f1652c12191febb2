/**
 * Issue 10, point 6: a golden table of resolveAnswers cases, in process (no spawned process, no files): each
 * case builds a census from file texts and states what is decided, from where.
 */
import { describe, expect, test } from '@jest/globals';
import { type Resolution, type ResolveOptions, resolveAnswers } from '../src/core/answers.js';
import { censusOf, ownedPaths } from '../src/core/census.js';
import { INFRASTRUCTURE as L, YO_RC } from '../src/core/layout.js';
import type { Answers } from '../src/core/settings.js';

const CRDS = L.crdsHelmfile;
const cs = (vars: Record<string, string>): string =>
  ['apiVersion: v1', 'kind: ConfigMap', 'metadata:', '  name: cluster-settings', '  namespace: flux-system', 'data:', ...Object.entries(vars).map(([k, v]) => `  ${k}: "${v}"`), ''].join('\n');
const crds = (version: string): string => `releases:\n  - name: cloudnative-pg\n    namespace: cnpg-system\n    chart: oci://ghcr.io/cloudnative-pg/charts/cloudnative-pg\n    version: ${version}\n`;
const yoRc = (section: Record<string, unknown>): string => JSON.stringify({ 'generator-cnpg-operator': section });
const V = 'CNPG_OPERATOR_VERSION';
const R = 'CNPG_OPERATOR_REPLICAS';
const SC = 'BLOCK_SC';
const file = (c: string): string => L.clusterSettingsPath(c);

interface Case {
  name: string;
  /** Repo files: cluster name -> settings vars, plus `crds` and `stored`. */
  clusters?: Record<string, Record<string, string> | string>;
  crds?: string;
  stored?: Record<string, unknown>;
  flags?: Partial<Answers>;
  prompted?: Partial<Answers>;
  options?: ResolveOptions;
  /** `setting: value (source[ file])`, for the settings named. */
  want?: Record<string, string>;
  /** `cluster: replicas/storageClass (source/source)` per target cluster. */
  perCluster?: string[];
  exceptions?: Record<string, unknown>;
  previous?: string;
  prefills?: Record<string, string>;
  warning?: RegExp;
  throws?: RegExp;
}

const CASES: Case[] = [
  { name: 'an empty repo takes the defaults', want: { cluster: 'infra (default)', replicas: '2 (default)', chartVersion: '0.26.0 (default)', storageClass: 'ceph-block (default)' }, perCluster: ['infra: 2/ceph-block (default/default)'] },
  { name: 'flag > repo > stored', clusters: { infra: { [R]: '4' } }, stored: { replicas: 3 }, flags: { replicas: 5 }, want: { replicas: '5 (flag)' }, perCluster: ['infra: 5/ceph-block (flag/default)'] },
  { name: 'repo > stored: the cluster is the truth, and so is the record', clusters: { infra: { [R]: '4' } }, stored: { replicas: 3 }, want: { replicas: `4 (repo ${file('infra')})` }, exceptions: {} },
  { name: 'stored > default where the cluster has no value', clusters: { infra: { CLUSTER_NAME: 'x' } }, stored: { replicas: 3, storageClass: 'fast' }, want: { replicas: '3 (stored)', storageClass: 'fast (stored)' } },
  { name: 'a higher chart in a cluster wins over stored (a Renovate bump)', clusters: { infra: { [V]: '0.26.1' } }, stored: { chartVersion: '0.26.0' }, want: { chartVersion: `0.26.1 (repo ${file('infra')})` }, previous: '0.26.1' },
  { name: 'a higher stored chart wins over a lower one in the repo (no downgrade)', clusters: { infra: { [V]: '0.26.0' } }, stored: { chartVersion: '0.27.0' }, want: { chartVersion: '0.27.0 (stored)' }, previous: '0.26.0' },
  { name: 'the CRD helmfile counts; the previous version comes from the clusters first', clusters: { infra: { [V]: '0.26.0' } }, crds: '0.26.1', want: { chartVersion: `0.26.1 (repo ${CRDS})` }, previous: '0.26.0' },
  { name: 'the repo beats the default chart even when lower', clusters: { infra: { [V]: '0.24.0' } }, want: { chartVersion: `0.24.0 (repo ${file('infra')})` } },
  { name: 'no silent downgrade', clusters: { infra: { [V]: '0.26.1' } }, flags: { chartVersion: '0.26.0' }, throws: /--chart-version 0\.26\.0 is older than 0\.26\.1 in the repo: a downgrade from 0\.26\.1 \(operator 1\.27\.1\) to 0\.26\.0 \(operator 1\.27\.0\); pass --allow-downgrade/ },
  { name: 'no silent downgrade below the stored version either', stored: { chartVersion: '0.27.0' }, flags: { chartVersion: '0.26.0' }, throws: /older than 0\.27\.0/ },
  { name: 'a downgrade with allowDowngrade is a warning', clusters: { infra: { [V]: '0.26.1' } }, flags: { chartVersion: '0.26.0' }, options: { allowDowngrade: true }, want: { chartVersion: '0.26.0 (flag)' }, warning: /downgrading chart 0\.26\.1 \(operator 1\.27\.1\) -> 0\.26\.0 \(operator 1\.27\.0\)/ },
  { name: 'a downgrade prompted is refused like a flag', clusters: { infra: { [V]: '0.26.1' } }, prompted: { chartVersion: '0.26.0' }, throws: /older than 0\.26\.1/ },
  { name: 'an operator version in the chart slot is corrected', clusters: { infra: { [V]: '1.27.1' } }, want: { chartVersion: `0.26.1 (repo ${file('infra')})` }, warning: /1\.27\.1 is an operator version, not a chart version; corrected to chart 0\.26\.1/ },
  { name: 'a version that is not exact is replaced', clusters: { infra: { [V]: 'latest' } }, want: { chartVersion: '0.26.0 (default)' }, warning: /version "latest" is not an exact chart version; it will be replaced/ },
  { name: '--check keeps the stored version as the reference', clusters: { infra: { [V]: '0.26.1' } }, stored: { chartVersion: '0.26.0' }, options: { check: true }, want: { chartVersion: '0.26.0 (stored)' } },
  {
    name: 'fleet: --all-clusters over replicas 2 and 3 keeps each, records the exception',
    clusters: { a: { [V]: '0.26.0', [R]: '2' }, b: { [V]: '0.26.0', [R]: '3' }, lab: { CLUSTER_NAME: 'lab' } },
    options: { allClusters: true },
    want: { cluster: `a,b (repo ${file('*')})`, replicas: `2 (repo ${file('a')})` },
    perCluster: [`a: 2/ceph-block (repo/default)`, `b: 3/ceph-block (repo/default)`],
    exceptions: { b: { replicas: 3 } },
  },
  {
    name: 'fleet: a flag applies to every cluster',
    clusters: { a: { [V]: '0.26.0', [R]: '2' }, b: { [V]: '0.26.0', [R]: '3', [SC]: 'local-path' } },
    options: { allClusters: true },
    flags: { replicas: 4 },
    perCluster: ['a: 4/ceph-block (flag/default)', 'b: 4/local-path (flag/repo)'],
    exceptions: { b: { storageClass: 'local-path' } },
  },
  {
    name: 'fleet: a stored exception holds where the cluster carries no value',
    clusters: { a: { [R]: '2' }, b: { CLUSTER_NAME: 'b' } },
    stored: { cluster: ['a', 'b'], replicas: 2, clusters: { b: { replicas: 5 } } },
    perCluster: ['a: 2/ceph-block (repo/default)', 'b: 5/ceph-block (stored/default)'],
    exceptions: { b: { replicas: 5 } },
  },
  { name: '--all-clusters with --cluster is refused', flags: { cluster: ['a'] }, options: { allClusters: true }, throws: /--all-clusters and --cluster cannot be combined/ },
  { name: '--all-clusters with no cluster carrying the version is refused', clusters: { a: { CLUSTER_NAME: 'a' } }, options: { allClusters: true }, throws: /no kubernetes\/clusters\/\*\/cluster-settings\.yaml carries CNPG_OPERATOR_VERSION/ },
  { name: 'a prompt answer that changes the suggestion counts as set on this run', clusters: { a: { [R]: '3' }, b: { [R]: '2' } }, flags: { cluster: ['a', 'b'] }, prompted: { replicas: 5 }, want: { replicas: '5 (prompt)' }, perCluster: ['a: 5/ceph-block (prompt/default)', 'b: 5/ceph-block (prompt/default)'] },
  {
    name: 'a prompt answer equal to the suggestion keeps each cluster its own',
    clusters: { a: { [R]: '3' }, b: { [R]: '2' } },
    flags: { cluster: ['a', 'b'] },
    prompted: { replicas: 3, namespace: 'cnpg-system' },
    want: { replicas: `3 (repo ${file('a')})`, namespace: 'cnpg-system (default)' },
    perCluster: ['a: 3/ceph-block (repo/default)', 'b: 2/ceph-block (repo/default)'],
    prefills: { replicas: '3', cluster: 'a,b', chartVersion: '0.26.0' },
  },
  { name: 'the prompt for the clusters picks which clusters the repo suggestions come from', clusters: { a: { [R]: '3' }, b: { [R]: '4' } }, prompted: { cluster: ['b'] }, want: { cluster: 'b (prompt)', replicas: `4 (repo ${file('b')})` }, prefills: { cluster: 'infra', replicas: '4' } },
  { name: 'an invalid value in a cluster is replaced, with a warning', clusters: { infra: { [R]: 'many' } }, stored: { replicas: 3 }, want: { replicas: '3 (stored)' }, perCluster: ['infra: 3/ceph-block (stored/default)'], warning: /CNPG_OPERATOR_REPLICAS "many" is not valid \(an integer from 1 to 10\); it will be replaced/ },
  { name: 'a target cluster whose settings are not valid is refused', clusters: { infra: 'kind: Secret\n' }, throws: /cluster-settings\.yaml:1: is a Secret, not a ConfigMap/ },
  { name: 'another cluster whose settings are not valid is skipped', clusters: { infra: { [R]: '3' }, broken: 'kind: Secret\n' }, want: { replicas: `3 (repo ${file('infra')})` } },
  { name: '--replicas 1 warns about the budget', flags: { replicas: 1 }, warning: /--replicas 1: the PodDisruptionBudget/ },
];

function census(c: Case) {
  const files = new Map<string, string | undefined>(ownedPaths(L).map((p) => [p, undefined]));
  if (c.stored) files.set(YO_RC, yoRc(c.stored));
  if (c.crds) files.set(CRDS, crds(c.crds));
  for (const [name, vars] of Object.entries(c.clusters ?? {})) files.set(file(name), typeof vars === 'string' ? vars : cs(vars));
  const names = Object.keys(c.clusters ?? {});
  for (const t of c.flags?.cluster ?? []) if (!names.includes(t)) files.set(file(t), undefined);
  return censusOf(L, files, [...names, ...(c.flags?.cluster ?? []).filter((t) => !names.includes(t))]);
}

const shown = (v: unknown): string => (Array.isArray(v) ? v.join(',') : String(v));
const where = (r: { source: string; file?: string }): string => (r.file ? `${r.source} ${r.file}` : r.source);

describe('resolveAnswers: the golden table', () => {
  test.each(CASES.map((c) => [c.name, c] as const))('%s', (_name, c) => {
    const cen = census(c);
    const run = (): Resolution => resolveAnswers(c.flags ?? {}, cen.stored, cen, c.prompted ?? {}, c.options ?? {});
    if (c.throws) {
      expect(run).toThrow(c.throws);
      return;
    }
    const r = run();
    for (const [key, want] of Object.entries(c.want ?? {})) {
      const got = r.settings[key as keyof Answers];
      expect(`${key}: ${shown(got.value)} (${where(got)})`).toBe(`${key}: ${want}`);
    }
    if (c.perCluster) {
      expect(r.clusters.map((x) => `${x.name}: ${x.replicas.value}/${x.storageClass.value} (${x.replicas.source}/${x.storageClass.source})`)).toEqual(c.perCluster);
    }
    if (c.exceptions) expect(r.exceptions).toEqual(c.exceptions);
    if (c.previous) expect(r.previousVersion).toBe(c.previous);
    for (const [key, want] of Object.entries(c.prefills ?? {})) expect(`${key}: ${r.prefills[key as keyof Answers]}`).toBe(`${key}: ${want}`);
    if (c.warning) expect(r.warnings.join('\n')).toMatch(c.warning);
    expect(r.answers.cluster).toEqual(r.clusters.map((x) => x.name));
  });
});
