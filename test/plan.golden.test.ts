/**
 * Issue 10, point 6: makePlan golden files, in process. Each case is a repo (file texts), flags and options; the
 * plan (warnings, commit message, every file's status and new text) must equal test/golden/plan/<case>.txt.
 * After an intended change, rewrite them with `UPDATE_GOLDEN=1 npx jest dist/test/plan.golden.test.js` and
 * read the diff.
 */
import { describe, expect, test } from '@jest/globals';
import { type ResolveOptions, resolveAnswers } from '../src/core/answers.js';
import { censusOf, ownedPaths } from '../src/core/census.js';
import { INFRASTRUCTURE as L, generatedPaths } from '../src/core/layout.js';
import { type Plan, makePlan } from '../src/core/plan.js';
import type { Answers } from '../src/core/settings.js';
import { runUpgrades, upgradeCommitLines } from '../src/core/upgrade-run.js';
import { expectGolden } from './helpers/golden.js';
import { CLUSTER_SETTINGS } from './helpers/repo.js';


const cs = (name: string, replicas: string): string =>
  `apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: cluster-settings\n  namespace: flux-system\ndata:\n  CLUSTER_NAME: "${name}"\n  CNPG_OPERATOR_VERSION: "0.26.0"\n  CNPG_OPERATOR_REPLICAS: "${replicas}"\n`;

interface Case {
  files: Record<string, string>;
  flags?: Partial<Answers>;
  options?: ResolveOptions;
}

const CASES: Record<string, Case> = {
  'empty-repo-defaults': { files: {} },
  'existing-repo-bump': {
    files: {
      [L.clusterSettingsPath('infra')]: CLUSTER_SETTINGS,
      [L.crdsHelmfile]: '---\nhelmDefaults:\n  args: ["--include-crds"]\n---\nreleases:\n  - name: cloudnative-pg-crds\n    namespace: cnpg-system\n    chart: oci://example.com/charts/cloudnative-pg-crds\n    version: "0.26.0"\n',
      [L.parentKustomization()]: '---\napiVersion: kustomize.config.k8s.io/v1beta1\nkind: Kustomization\nresources:\n  - ./dragonfly/ks.yaml\n',
    },
    flags: { chartVersion: '0.26.1', monitoring: 'prometheus-operator', dependsOn: ['infrastructure-repositories-oci'] },
  },
  // Renovate bumped the cluster to 0.28.0, .yo-rc.json still says 0.26.0: the commit body lists 0.26.0 -> 0.28.0's
  // crossings; the pacing delays and in-place updates share one config.data map.
  'renovate-aligned-rollout-delays': {
    files: {
      [L.clusterSettingsPath('infra')]: cs('infra', '2').replace('"0.26.0"', '"0.28.0"'),
      '.yo-rc.json': JSON.stringify({ 'generator-cnpg-operator': { cluster: ['infra'], chartVersion: '0.26.0', monitoring: 'none' } }),
    },
    flags: { inplaceUpdates: true, clustersRolloutDelay: 300, instancesRolloutDelay: 60 },
  },
  'fleet-all-clusters-monitoring-none': {
    files: { [L.clusterSettingsPath('a')]: cs('a', '2'), [L.clusterSettingsPath('b')]: cs('b', '3') },
    flags: { monitoring: 'none', namespace: 'databases' },
    options: { allClusters: true },
  },
};

function planOf(c: Case): Plan {
  const files = new Map<string, string | undefined>(ownedPaths(L).map((p) => [p, undefined]));
  const clusters: string[] = [];
  for (const [p, text] of Object.entries(c.files)) {
    files.set(p, text);
    const m = /^kubernetes\/clusters\/([^/]+)\/cluster-settings\.yaml$/.exec(p);
    if (m) clusters.push(m[1]);
  }
  for (const t of c.flags?.cluster ?? []) if (!clusters.includes(t)) (clusters.push(t), files.set(L.clusterSettingsPath(t), undefined));
  if (!c.flags?.cluster && !c.options?.allClusters && !clusters.includes('infra')) files.set(L.clusterSettingsPath('infra'), undefined);
  const census = censusOf(L, files, clusters);
  const resolution = resolveAnswers(c.flags ?? {}, census.stored, census, {}, c.options ?? {});
  const existing = census.stored !== undefined || generatedPaths(L).some((p) => census.files.get(p) !== undefined);
  const upgradeLines = upgradeCommitLines(runUpgrades(census, resolution, c.options ?? {}));
  const plan = makePlan({ resolution, layout: L, generatorVersion: '0.0.0-golden', files: census.files, bases: new Map(), existing, force: false, upgradeLines });
  plan.warnings.unshift(...census.warnings, ...resolution.warnings);
  return plan;
}

function show(plan: Plan): string {
  const out = ['# warnings', ...plan.warnings, '', '# commit message', plan.commitMessage.trimEnd(), ''];
  for (const c of plan.changes) {
    out.push(`# ${c.path}: ${c.status}${c.note ? ` (${c.note})` : ''}`);
    if (c.status !== 'unchanged' && c.after !== undefined) out.push(c.after.trimEnd(), '');
  }
  return out.join('\n') + '\n';
}

describe('makePlan: golden files', () => {
  test.each(Object.keys(CASES))('%s', (name) => {
    const text = show(planOf(CASES[name]));
    expectGolden('plan', name, text);
  });

  test('a plan is a function of its input: the same input plans the same bytes twice', () => {
    for (const c of Object.values(CASES)) expect(show(planOf(c))).toBe(show(planOf(c)));
  });
});
