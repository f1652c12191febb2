/**
 * Issue 14: makePlan's less common combinations, by what a user sees (each file's status, note, warning and the
 * commit message): files no longer generated, files the user deleted, files that were never ours, --force, and
 * .yo-rc.json shared with other generators.
 */
import { describe, expect, test } from '@jest/globals';
import { parseAllDocuments } from 'yaml';
import { resolveAnswers } from '../src/core/answers.js';
import { censusOf, ownedPaths } from '../src/core/census.js';
import { type Plan, makePlan, patchYoRc, renderGenerated, storedSection } from '../src/core/plan.js';
import { type Answers, DEFAULT_ANSWERS } from '../src/core/settings.js';
import { APPS, generatedPaths } from '../src/core/layout.js';
import { CRDS, L, YO_RC, changeOf, clusterSettings, planFor, settingsPath, yoRc } from './helpers/core.js';

const PODMONITOR = `${L.operatorDir.replace(/operator$/, 'monitoring')}/podmonitor.yaml`;
const PDB = `${L.operatorDir}/pdb.yaml`;
const rendered = (answers = {}) => renderGenerated({ ...DEFAULT_ANSWERS, ...answers }, L);
const STORED = { [YO_RC]: yoRc({ monitoring: 'victoria-metrics' }) };

describe('generated files the answers no longer produce', () => {
  const lastWritten = rendered().get(PODMONITOR)!;

  test('as the generator wrote it: removed', () => {
    const { plan } = planFor({ files: { ...STORED, [PODMONITOR]: lastWritten }, flags: { monitoring: 'none' }, bases: { [PODMONITOR]: lastWritten } });
    const c = changeOf(plan, PODMONITOR);
    expect([c.status, c.after]).toEqual(['removed', undefined]);
    expect(plan.writes.map((w) => w.path)).toContain(PODMONITOR);
  });

  test('edited by the user: left in place with a warning; --force removes it', () => {
    const edited = lastWritten + '# mine\n';
    const files = { ...STORED, [PODMONITOR]: edited };
    const { plan } = planFor({ files, flags: { monitoring: 'none' }, bases: { [PODMONITOR]: lastWritten } });
    const c = changeOf(plan, PODMONITOR);
    expect([c.status, c.after]).toEqual(['unchanged', edited]);
    expect(plan.warnings).toContain(`${PODMONITOR}: no longer generated for these answers, but it differs from what the generator wrote: left in place (delete it, or rerun with --force)`);
    expect(plan.writes.map((w) => w.path)).not.toContain(PODMONITOR);
    expect(changeOf(planFor({ files, flags: { monitoring: 'none' }, bases: { [PODMONITOR]: lastWritten }, force: true }).plan, PODMONITOR).status).toBe('removed');
  });

  test('never there: not mentioned', () => {
    const { plan } = planFor({ files: STORED, flags: { monitoring: 'none' } });
    expect(plan.changes.some((c) => c.path === PODMONITOR)).toBe(false);
  });
});

describe('generated files the user deleted or never had', () => {
  test('deleted after the generator wrote it: left deleted, with a warning; --force restores it', () => {
    const base = rendered().get(PDB)!;
    const { plan } = planFor({ files: STORED, bases: { [PDB]: base } });
    const c = changeOf(plan, PDB);
    expect([c.status, c.after]).toEqual(['deleted-by-user', undefined]);
    expect(plan.warnings).toContain(`${PDB}: you deleted it; left deleted (rerun with --force to restore it)`);
    expect(plan.writes.map((w) => w.path)).not.toContain(PDB);
    const forced = changeOf(planFor({ files: STORED, bases: { [PDB]: base }, force: true }).plan, PDB);
    expect([forced.status, forced.after]).toEqual(['created', base]);
  });

  test('a file of the same name the generator never wrote: a conflict saying so; --force replaces it with a warning', () => {
    const theirs = 'apiVersion: policy/v1\nkind: PodDisruptionBudget\nmetadata:\n  name: mine\n';
    const { plan } = planFor({ files: { ...STORED, [PDB]: theirs } });
    const c = changeOf(plan, PDB);
    expect([c.status, c.note]).toEqual(['conflicted', 'exists and was not written by this generator']);
    expect(c.after).toContain('<<<<<<< yours');
    expect(plan.conflicted.map((x) => x.path)).toEqual([PDB]);
    const forced = planFor({ files: { ...STORED, [PDB]: theirs }, force: true }).plan;
    const f = changeOf(forced, PDB);
    // --force takes the generator's side of every conflicting hunk (git merge -X theirs); with no base, all of it.
    expect([f.status, f.after]).toEqual(['merged', rendered().get(PDB)]);
    expect(forced.warnings).toContainEqual(expect.stringMatching(/overlapping change\(s\) take the generator's side \(--force\)/));
    expect(forced.conflicted).toEqual([]);
  });

  test('a new rendering of an untouched file is "updated"; with a user edit elsewhere "merged"', () => {
    const base = rendered().get(PDB)!;
    const next = rendered({ namespace: 'db' }).get(PDB)!;
    const untouched = changeOf(planFor({ files: { ...STORED, [PDB]: base }, flags: { namespace: 'db' }, bases: { [PDB]: base } }).plan, PDB);
    expect([untouched.status, untouched.after]).toEqual(['updated', next]);
    const same = changeOf(planFor({ files: { ...STORED, [PDB]: next }, flags: { namespace: 'db' }, bases: { [PDB]: base } }).plan, PDB);
    expect(same.status).toBe('unchanged');
  });
});

describe('the patched files and .yo-rc.json', () => {
  test('a first run creates the parent kustomization, the cluster settings, the CRD helmfile and .yo-rc.json', () => {
    const { plan } = planFor({});
    for (const p of [L.parentKustomization(), settingsPath('infra'), CRDS, YO_RC]) expect([p, changeOf(plan, p).status]).toEqual([p, 'created']);
    expect(plan.commitMessage.split('\n')[0]).toBe('feat(databases): add CloudNativePG operator manifests');
  });

  test('a rerun with the same answers plans no write at all', () => {
    const first = planFor({ files: { [settingsPath('infra')]: clusterSettings({ CLUSTER_NAME: 'infra' }) } }).plan;
    const files: Record<string, string> = {};
    for (const c of first.changes) if (c.after !== undefined) files[c.path] = c.after;
    const bases = Object.fromEntries(first.changes.filter((c) => generatedPaths(L).includes(c.path)).map((c) => [c.path, c.after!]));
    const again = planFor({ files, bases }).plan;
    expect(again.writes).toEqual([]);
    expect(again.changes.every((c) => c.status === 'unchanged')).toBe(true);
    expect(again.commitMessage.split('\n')[0]).toBe('chore(databases): update CloudNativePG operator manifests');
  });

  test('.yo-rc.json keeps other generators\' sections and is untouched when our section is the same', () => {
    const other = { 'generator-other': { x: 1 } };
    const section = storedSection(DEFAULT_ANSWERS, '1.0.0');
    const text = patchYoRc(JSON.stringify(other), section);
    expect(JSON.parse(text)).toEqual({ ...other, 'generator-cnpg-operator': section });
    expect(text.endsWith('}\n')).toBe(true);
    expect(patchYoRc(text, section)).toBe(text);
    expect(patchYoRc('  \n', section)).toBe(JSON.stringify({ 'generator-cnpg-operator': section }, null, 2) + '\n');
    expect(storedSection(DEFAULT_ANSWERS, '1.0.0', { b: { replicas: 3 } })).toEqual({ ...DEFAULT_ANSWERS, generatorVersion: '1.0.0', clusters: { b: { replicas: 3 } } });
    expect(storedSection(DEFAULT_ANSWERS, '1.0.0')).not.toHaveProperty('clusters');
  });

  test('the commit message lists replicas and storage classes per cluster when they differ', () => {
    const files = {
      [settingsPath('a')]: clusterSettings({ CNPG_OPERATOR_VERSION: '0.26.0', CNPG_OPERATOR_REPLICAS: '2', BLOCK_SC: 'fast' }),
      [settingsPath('b')]: clusterSettings({ CNPG_OPERATOR_VERSION: '0.26.0', CNPG_OPERATOR_REPLICAS: '3', BLOCK_SC: 'slow' }),
    };
    const { plan } = planFor({ files, options: { allClusters: true }, flags: { namespace: 'db', monitoring: 'none' } });
    expect(plan.commitMessage).toBe(
      'feat(databases): add CloudNativePG operator manifests\n\nReplicas (per cluster):\n  a: 2\n  b: 3\nChart: cloudnative-pg 0.26.0 (operator 1.27.0)\nNamespace: db\nClusters: a, b\nMonitoring: none\nStorage class (per cluster):\n  a: fast\n  b: slow\n\nGenerated-by: generator-cnpg-operator 0.0.0-test\n',
    );
    const same = planFor({ files: { [settingsPath('a')]: files[settingsPath('a')] }, options: { allClusters: true } }).plan;
    expect(same.commitMessage).toContain('\nReplicas: 2\nChart:');
    expect(same.commitMessage).not.toContain('Storage class');
  });
});

// The apps layout (onedr0p/cluster-template): no cluster settings, a namespace folder per namespace.
const APP_ROOT = 'kubernetes/apps/kustomization.yaml';
const nsK = (ns: string): string => `kubernetes/apps/${ns}/kustomization.yaml`;
const nsFile = (ns: string): string => `kubernetes/apps/${ns}/namespace.yaml`;
const appKs = (ns: string): string => `kubernetes/apps/${ns}/cloudnative-pg/ks.yaml`;
const kustomization = (...lines: string[]): string => ['---', 'apiVersion: kustomize.config.k8s.io/v1beta1', 'kind: Kustomization', ...lines, ''].join('\n');
const appsRendered = (namespace: string, answers: Partial<Answers> = {}) => renderGenerated({ ...DEFAULT_ANSWERS, layout: 'apps', namespace, ...answers }, APPS);

interface AppsCase {
  files?: Record<string, string>;
  flags?: Partial<Answers>;
  bases?: Record<string, string>;
  namespaceStyle?: 'component' | 'file';
  previousNamespace?: string;
  force?: boolean;
}

function appsPlan(c: AppsCase): Plan {
  const files = new Map<string, string | undefined>(ownedPaths(APPS, ['cnpg-system', 'db']).map((p) => [p, undefined]));
  for (const [p, t] of Object.entries(c.files ?? {})) files.set(p, t);
  const census = censusOf(APPS, files, []);
  const resolution = resolveAnswers({ layout: 'apps', ...c.flags }, census.stored, census);
  return makePlan({
    resolution,
    layout: APPS,
    generatorVersion: '0.0.0-test',
    files: census.files,
    bases: new Map(Object.entries(c.bases ?? {})),
    existing: census.stored !== undefined,
    force: c.force ?? false,
    namespaceStyle: c.namespaceStyle,
    previousNamespace: c.previousNamespace,
  });
}

const NO_CRDS =
  'no CRD helmfile found (looked for bootstrap/helmfile/crds.yaml, kubernetes/bootstrap/helmfile/crds.yaml, bootstrap/helmfile.d/00-crds.yaml): nothing seeds the CloudNativePG CRDs before Flux; the HelmRelease installs them';
const PSA_PATCH = [
  'patches:',
  '  # Pod Security Admission "restricted": the operator needs no privileged containers.',
  '  - target:',
  '      kind: Namespace',
  '    patch: |-',
  '      apiVersion: v1',
  '      kind: Namespace',
  '      metadata:',
  '        name: _',
  '        labels:',
  '          pod-security.kubernetes.io/enforce: restricted',
  '          pod-security.kubernetes.io/audit: restricted',
  '          pod-security.kubernetes.io/warn: restricted',
];

describe('apps: a namespace folder the repo does not have yet', () => {
  const root = kustomization('resources:', '  - ./flux-system');

  test('after the component pattern: its kustomization.yaml with the PSA patch, listed in the apps root', () => {
    const plan = appsPlan({ files: { [APP_ROOT]: root }, flags: { namespace: 'db' } });
    const k = changeOf(plan, nsK('db'));
    expect([k.status, k.after]).toEqual(['created', kustomization('namespace: db', 'components:', '  - ../../components/namespace', 'resources:', '  - ./cloudnative-pg/ks.yaml', ...PSA_PATCH)]);
    expect(plan.changes.some((c) => c.path === nsFile('db'))).toBe(false);
    const r = changeOf(plan, APP_ROOT);
    expect([r.status, r.after]).toEqual(['updated', kustomization('resources:', '  - ./flux-system', '  - ./db')]);
    expect(plan.warnings).toEqual([NO_CRDS]);
    expect(plan.writes.map((w) => w.path)).toEqual(expect.arrayContaining([nsK('db'), APP_ROOT, appKs('db')]));
  });

  test('after the namespace.yaml pattern: a Namespace file that Flux never prunes, with the PSA labels', () => {
    const plan = appsPlan({ files: { [APP_ROOT]: root }, flags: { namespace: 'db' }, namespaceStyle: 'file' });
    expect(changeOf(plan, nsK('db')).after).toBe(kustomization('namespace: db', 'resources:', '  - ./namespace.yaml', '  - ./cloudnative-pg/ks.yaml'));
    const ns = changeOf(plan, nsFile('db'));
    expect([ns.status, ns.after]).toEqual([
      'created',
      [
        '---',
        'apiVersion: v1',
        'kind: Namespace',
        'metadata:',
        '  name: db',
        '  annotations:',
        '    kustomize.toolkit.fluxcd.io/prune: disabled',
        '  labels:',
        '    pod-security.kubernetes.io/enforce: restricted',
        '    pod-security.kubernetes.io/audit: restricted',
        '    pod-security.kubernetes.io/warn: restricted',
        '',
      ].join('\n'),
    ]);
  });

  test('a namespace.yaml already there is not overwritten; a namespace YAML would misread is quoted', () => {
    const mine = 'apiVersion: v1\nkind: Namespace\nmetadata:\n  name: db\n';
    const plan = appsPlan({ files: { [APP_ROOT]: root, [nsFile('db')]: mine }, flags: { namespace: 'db' }, namespaceStyle: 'file' });
    expect(plan.changes.some((c) => c.path === nsFile('db'))).toBe(false);
    const quoted = appsPlan({ files: { [APP_ROOT]: root }, flags: { namespace: 'yes' } });
    expect(changeOf(quoted, nsK('yes')).after).toContain('\nnamespace: "yes"\n');
  });

  test('no apps root kustomization: nothing to list the folder in, and nothing created there', () => {
    const plan = appsPlan({ flags: { namespace: 'db' } });
    expect(plan.changes.some((c) => c.path === APP_ROOT)).toBe(false);
    expect(changeOf(plan, nsK('db')).status).toBe('created');
  });

  test('the root already lists the folder: unchanged', () => {
    const plan = appsPlan({ files: { [APP_ROOT]: kustomization('resources:', '  - ./db') }, flags: { namespace: 'db' } });
    expect(changeOf(plan, APP_ROOT).status).toBe('unchanged');
  });

  test('the commit message has no Clusters line (apps has no cluster settings)', () => {
    expect(appsPlan({ flags: { namespace: 'db' } }).commitMessage).toBe(
      'feat(databases): add CloudNativePG operator manifests\n\nReplicas: 2\nChart: cloudnative-pg 0.26.0 (operator 1.27.0)\nNamespace: db\nMonitoring: victoria-metrics\n\nGenerated-by: generator-cnpg-operator 0.0.0-test\n',
    );
  });
});

describe('apps: what is rendered', () => {
  test('one ks.yaml holds both parts\' Flux Kustomizations; monitoring waits for the operator, the operator for --depends-on', () => {
    const files = appsRendered('db', { dependsOn: ['flux-repos'] });
    const docs = parseAllDocuments(files.get(appKs('db'))!).map((d) => d.toJS());
    expect(docs.map((d) => [d.metadata.name, d.spec.path, d.spec.targetNamespace, d.spec.dependsOn])).toEqual([
      ['cloudnative-pg', './kubernetes/apps/db/cloudnative-pg/app', 'db', [{ name: 'flux-repos' }]],
      ['cloudnative-pg-monitoring', './kubernetes/apps/db/cloudnative-pg/monitoring', 'db', [{ name: 'cloudnative-pg' }]],
    ]);
    expect(files.get('kubernetes/apps/db/cloudnative-pg/app/kustomization.yaml')).toBe(kustomization('resources:', '  - ocirepository.yaml', '  - helmrelease.yaml', '  - pdb.yaml'));
    expect(files.get('kubernetes/apps/db/cloudnative-pg/monitoring/kustomization.yaml')).toBe(kustomization('resources:', '  - podmonitor.yaml', '  - prometheusrule.yaml'));
    expect([...files.keys()].some((p) => p.endsWith('namespace.yaml'))).toBe(false);
  });

  test('infrastructure: the operator part writes its Namespace and lists it first', () => {
    expect(rendered().get(`${L.operatorDir}/kustomization.yaml`)).toBe(kustomization('namespace: cnpg-system', 'resources:', '  - namespace.yaml', '  - ocirepository.yaml', '  - helmrelease.yaml', '  - pdb.yaml'));
  });
});

describe('apps: a namespace folder the repo has', () => {
  const labelled = (...labels: string[]) => kustomization('namespace: db', 'resources:', '  - ./x/ks.yaml', ...labels.map((l) => `# ${l}: restricted`));

  test('it gets our ks.yaml listed; Pod Security labels it lacks are named in a warning', () => {
    const plan = appsPlan({ files: { [nsK('db')]: labelled('pod-security.kubernetes.io/enforce') }, flags: { namespace: 'db' } });
    const k = changeOf(plan, nsK('db'));
    expect([k.status, k.after]).toEqual(['updated', labelled('pod-security.kubernetes.io/enforce').replace('  - ./x/ks.yaml\n', '  - ./x/ks.yaml\n  - ./cloudnative-pg/ks.yaml\n')]);
    expect(plan.warnings).toEqual([
      'namespace db (kubernetes/apps/db/kustomization.yaml) lacks the Pod Security Admission label(s) pod-security.kubernetes.io/audit=restricted, pod-security.kubernetes.io/warn=restricted; add them if the operator should run under "restricted"',
      NO_CRDS,
    ]);
  });

  test('labels in the folder\'s namespace.yaml count; all three: no warning', () => {
    const files = { [nsK('db')]: labelled('pod-security.kubernetes.io/enforce'), [nsFile('db')]: 'pod-security.kubernetes.io/audit: restricted\npod-security.kubernetes.io/warn: restricted\n' };
    expect(appsPlan({ files, flags: { namespace: 'db' } }).warnings).toEqual([NO_CRDS]);
    const all = labelled('pod-security.kubernetes.io/enforce', 'pod-security.kubernetes.io/audit', 'pod-security.kubernetes.io/warn');
    expect(appsPlan({ files: { [nsK('db')]: all }, flags: { namespace: 'db' } }).warnings).toEqual([NO_CRDS]);
  });
});

describe('apps: the namespace moved (stored cnpg-system, now db)', () => {
  const old = appsRendered('cnpg-system');
  const oldFolder = kustomization('namespace: cnpg-system', 'resources:', '  - ./namespace.yaml', '  - ./other/ks.yaml', '  - ./cloudnative-pg/ks.yaml');
  const base = { ...Object.fromEntries(old), [nsK('cnpg-system')]: oldFolder, [nsK('db')]: kustomization('namespace: db', 'resources:', '  - ./x/ks.yaml', ...PSA_PATCH) };

  test('the old files as the generator wrote them are removed and the old folder stops listing them', () => {
    const plan = appsPlan({ files: base, flags: { namespace: 'db' }, bases: Object.fromEntries(old), previousNamespace: 'cnpg-system' });
    for (const p of old.keys()) expect([p, changeOf(plan, p).status]).toEqual([p, 'removed']);
    const o = changeOf(plan, nsK('cnpg-system'));
    expect([o.status, o.after]).toEqual(['updated', kustomization('namespace: cnpg-system', 'resources:', '  - ./namespace.yaml', '  - ./other/ks.yaml')]);
    expect(changeOf(plan, nsK('db')).after).toContain('  - ./x/ks.yaml\n  - ./cloudnative-pg/ks.yaml\n');
    expect(changeOf(plan, appKs('db')).status).toBe('created');
    expect(plan.warnings).toEqual([NO_CRDS]);
  });

  test('an old ks.yaml the user edited stays, with a warning, and the old folder keeps listing it', () => {
    const edited = { ...base, [appKs('cnpg-system')]: old.get(appKs('cnpg-system')) + '# mine\n' };
    const plan = appsPlan({ files: edited, flags: { namespace: 'db' }, bases: Object.fromEntries(old), previousNamespace: 'cnpg-system' });
    expect(changeOf(plan, appKs('cnpg-system')).status).toBe('unchanged');
    expect(plan.changes.some((c) => c.path === nsK('cnpg-system'))).toBe(false);
    expect(plan.warnings).toContain(`${appKs('cnpg-system')}: no longer generated for these answers, but it differs from what the generator wrote: left in place (delete it, or rerun with --force)`);
  });

  test('the old folder\'s kustomization.yaml deleted: nothing to patch there', () => {
    const { [nsK('cnpg-system')]: _gone, ...rest } = base;
    const plan = appsPlan({ files: rest, flags: { namespace: 'db' }, bases: Object.fromEntries(old), previousNamespace: 'cnpg-system' });
    expect(plan.changes.some((c) => c.path === nsK('cnpg-system'))).toBe(false);
    expect(changeOf(plan, appKs('cnpg-system')).status).toBe('removed');
  });

  test('the same namespace as stored: the other namespace\'s files are not looked at', () => {
    const plan = appsPlan({ files: base, flags: { namespace: 'cnpg-system' }, bases: Object.fromEntries(old), previousNamespace: 'cnpg-system' });
    expect(plan.changes.filter((c) => c.path.startsWith('kubernetes/apps/db/')).map((c) => c.path)).toEqual([]);
    expect(plan.writes.map((w) => w.path)).toEqual([YO_RC]);
  });
});

describe('apps: the CRD helmfile', () => {
  test('a name + namespace helmfile gets a cloudnative-pg release in the chosen namespace', () => {
    const crds = 'bootstrap/helmfile/crds.yaml';
    const text = '---\nreleases:\n  - name: external-secrets\n    namespace: external-secrets\n';
    const plan = appsPlan({ files: { [crds]: text }, flags: { namespace: 'db' } });
    const c = changeOf(plan, crds);
    expect([c.status, c.after]).toEqual(['updated', text + '  - name: cloudnative-pg\n    namespace: db\n']);
    expect(plan.warnings).toEqual([]);
  });

  test('a versioned helmfile whose release lives in another namespace keeps it, with a warning', () => {
    const crds = 'bootstrap/helmfile.d/00-crds.yaml';
    const text = 'releases:\n  - name: cloudnative-pg\n    namespace: cnpg-system\n    chart: oci://ghcr.io/cloudnative-pg/charts/cloudnative-pg\n    # renovate: datasource=docker depName=ghcr.io/cloudnative-pg/charts/cloudnative-pg\n    version: 0.26.0\n';
    const plan = appsPlan({ files: { [crds]: text }, flags: { namespace: 'db' } });
    expect(changeOf(plan, crds).after).toBe(text);
    expect(plan.warnings).toEqual([`${crds}: the cloudnative-pg release stays in namespace cnpg-system (the operator goes to db); change it there if you want them to match`]);
    expect(appsPlan({ files: { [crds]: text }, flags: { namespace: 'cnpg-system' } }).warnings).toEqual([]);
  });
});

describe('moving between layout parts and removing monitoring (infrastructure)', () => {
  const MON_KS = `${L.operatorDir.replace(/operator$/, 'monitoring')}/ks.yaml`;
  const OP_KS = `${L.operatorDir}/ks.yaml`;
  const parent = (...entries: string[]) => kustomization('resources:', '  - ./dragonfly/ks.yaml', ...entries.map((e) => `  - ${e}`));
  const written = rendered();
  const all = Object.fromEntries(written);

  test('--monitoring none: the monitoring part as written is removed and the parent stops listing it', () => {
    const files = { ...STORED, ...all, [L.parentKustomization()]: parent('cloudnative-pg/operator/ks.yaml', 'cloudnative-pg/monitoring/ks.yaml') };
    const { plan } = planFor({ files, flags: { monitoring: 'none' }, bases: all });
    const removed = plan.changes.filter((c) => c.status === 'removed').map((c) => c.path);
    expect(removed.sort()).toEqual([...written.keys()].filter((p) => p.includes('/monitoring/')).sort());
    const p = changeOf(plan, L.parentKustomization());
    expect([p.status, p.after]).toEqual(['updated', parent('cloudnative-pg/operator/ks.yaml')]);
    expect(plan.commitMessage).toContain('\nMonitoring: none\n');
  });

  test('--monitoring none with an edited monitoring ks.yaml: it stays listed, so kustomize still finds it', () => {
    const files = { ...STORED, ...all, [MON_KS]: all[MON_KS] + '# mine\n', [L.parentKustomization()]: parent('cloudnative-pg/operator/ks.yaml', 'cloudnative-pg/monitoring/ks.yaml') };
    const { plan } = planFor({ files, flags: { monitoring: 'none' }, bases: all });
    expect(changeOf(plan, L.parentKustomization()).status).toBe('unchanged');
    expect(changeOf(plan, MON_KS).status).toBe('unchanged');
  });

  test('a listed entry whose file is missing and no longer generated is taken out', () => {
    const files = { ...STORED, [L.parentKustomization()]: parent('cloudnative-pg/monitoring/ks.yaml') };
    const p = changeOf(planFor({ files, flags: { monitoring: 'none' } }).plan, L.parentKustomization());
    expect(p.after).toBe(parent('cloudnative-pg/operator/ks.yaml'));
  });

  test('a generated ks.yaml the user deleted is not listed (kustomize would fail on it)', () => {
    const files = { ...STORED, [L.parentKustomization()]: parent() };
    const { plan } = planFor({ files, bases: { [MON_KS]: all[MON_KS] } });
    expect(changeOf(plan, MON_KS).status).toBe('deleted-by-user');
    expect(changeOf(plan, L.parentKustomization()).after).toBe(parent('./cloudnative-pg/operator/ks.yaml'));
    expect(changeOf(plan, OP_KS).status).toBe('created');
  });

  test('the scrape objects an earlier version kept in the operator folder move to the monitoring part', () => {
    const legacy = `${L.operatorDir}/podmonitor.yaml`;
    const files = { ...STORED, [legacy]: 'old podmonitor\n' };
    const { plan } = planFor({ files, bases: { [legacy]: 'old podmonitor\n' } });
    expect([changeOf(plan, legacy).status, changeOf(plan, PODMONITOR).status]).toEqual(['removed', 'created']);
    expect(plan.writes.map((w) => w.path)).toEqual(expect.arrayContaining([legacy, PODMONITOR]));
  });
});

describe('the CRD helmfile (infrastructure)', () => {
  test('an existing release in another namespace keeps its namespace, with a warning naming both', () => {
    const text = 'releases:\n  - name: cloudnative-pg\n    namespace: databases\n    chart: oci://ghcr.io/cloudnative-pg/charts/cloudnative-pg\n    # renovate: datasource=docker depName=ghcr.io/cloudnative-pg/charts/cloudnative-pg\n    version: 0.26.0\n';
    const plan = planFor({ files: { ...STORED, [CRDS]: text } }).plan;
    expect(changeOf(plan, CRDS).after).toBe(text);
    expect(plan.warnings).toEqual([`${CRDS}: the cloudnative-pg release stays in namespace databases (the operator goes to cnpg-system); change it there if you want them to match`]);
    expect(planFor({ files: { ...STORED, [CRDS]: text }, flags: { namespace: 'databases' } }).plan.warnings).toEqual([]);
  });
});

describe('reruns: edits kept, and what the commit message says', () => {
  test('a user edit to a generated file whose rendering did not change: unchanged, nothing written, no warning', () => {
    const base = rendered().get(PDB)!;
    const edited = base + '# reviewed by the DBA team\n';
    const { plan } = planFor({ files: { ...STORED, [PDB]: edited }, bases: { [PDB]: base } });
    const c = changeOf(plan, PDB);
    expect([c.status, c.after, c.note]).toEqual(['unchanged', edited, undefined]);
    expect(plan.writes.map((w) => w.path)).not.toContain(PDB);
    expect(plan.warnings).toEqual([]);
  });

  test('a bump to a chart outside the table says the operator is unknown', () => {
    const files = { [settingsPath('infra')]: clusterSettings({ CNPG_OPERATOR_VERSION: '0.27.0' }), ...STORED };
    expect(planFor({ files, flags: { chartVersion: '0.40.0' } }).plan.commitMessage.split('\n')[0]).toBe(
      'chore(databases): bump CloudNativePG operator chart 0.27.0 -> 0.40.0 (operator 1.28.0 -> unknown)',
    );
    const from = { [settingsPath('infra')]: clusterSettings({ CNPG_OPERATOR_VERSION: '0.40.0' }), ...STORED };
    expect(planFor({ files: from, flags: { chartVersion: '0.40.1' } }).plan.commitMessage.split('\n')[0]).toBe(
      'chore(databases): bump CloudNativePG operator chart 0.40.0 -> 0.40.1 (operator unknown -> unknown)',
    );
  });

  test('the upgrade lines go in the body after a blank line, before Generated-by', () => {
    const { resolution, census } = planFor({ files: STORED });
    const plan = makePlan({ resolution, layout: L, generatorVersion: '1.2.3', files: census.files, bases: new Map(), existing: true, force: false, upgradeLines: ['Crosses: 1.27 -> 1.28', '  hazard: x'] });
    expect(plan.commitMessage).toBe(
      'chore(databases): update CloudNativePG operator manifests\n\nReplicas: 2\nChart: cloudnative-pg 0.26.0 (operator 1.27.0)\nNamespace: cnpg-system\nClusters: infra\nMonitoring: victoria-metrics\n\nCrosses: 1.27 -> 1.28\n  hazard: x\n\nGenerated-by: generator-cnpg-operator 1.2.3\n',
    );
    const none = makePlan({ resolution, layout: L, generatorVersion: '1.2.3', files: census.files, bases: new Map(), existing: true, force: false, upgradeLines: [] });
    expect(none.commitMessage).toContain('\nMonitoring: victoria-metrics\n\nGenerated-by:');
  });

  test('apps: .yo-rc.json stores no cluster or storage class (they mean nothing there)', () => {
    const section = JSON.parse(changeOf(appsPlan({ flags: { namespace: 'db' } }), YO_RC).after!)['generator-cnpg-operator'];
    expect(Object.keys(section)).toEqual(['namespace', 'replicas', 'chartVersion', 'monitoring', 'dependsOn', 'monitoringLabels', 'inplaceUpdates', 'clustersRolloutDelay', 'instancesRolloutDelay', 'layout', 'generatorVersion']);
    expect(section).toMatchObject({ layout: 'apps', namespace: 'db', generatorVersion: '0.0.0-test' });
  });
});

describe('conflicts, as the plan reports them', () => {
  const theirs = rendered().get(PDB)!;
  const mine = 'apiVersion: policy/v1\nkind: PodDisruptionBudget\nmetadata:\n  name: mine\n';

  test('a file the generator never wrote: the whole of yours against the whole of the generator\'s', () => {
    const c = changeOf(planFor({ files: { ...STORED, [PDB]: mine } }).plan, PDB);
    expect(c.after).toBe(`<<<<<<< yours\n${mine}=======\n${theirs}>>>>>>> generator\n`);
  });

  test('a file still holding markers: conflicted, not written, not warned; --force takes the generator\'s side and says so', () => {
    const marked = theirs.replace('  minAvailable: 1\n', '<<<<<<< yours\n  minAvailable: 3\n=======\n  minAvailable: 1\n>>>>>>> generator\n');
    const files = { ...STORED, [PDB]: marked };
    const { plan } = planFor({ files, bases: { [PDB]: theirs } });
    expect(plan.conflicted.map((c) => c.path)).toEqual([PDB]);
    expect(plan.writes.map((w) => w.path)).not.toContain(PDB);
    expect(plan.warnings).toEqual([]);
    const forced = planFor({ files, bases: { [PDB]: theirs }, force: true }).plan;
    expect(changeOf(forced, PDB).after).toBe(theirs);
    expect(forced.warnings).toEqual([`${PDB}: conflicting hunks take the generator's side (--force); your other edits are kept`]);
    expect(forced.writes.map((w) => w.path)).toContain(PDB);
  });
});

describe('each path once', () => {
  test('--monitoring none on a generated repo: exactly the monitoring part removed and the parent patched', () => {
    const all = Object.fromEntries(rendered());
    const parent = kustomization('resources:', '  - ./cloudnative-pg/operator/ks.yaml', '  - ./cloudnative-pg/monitoring/ks.yaml');
    const { plan } = planFor({ files: { ...STORED, ...all, [L.parentKustomization()]: parent }, flags: { monitoring: 'none' }, bases: all });
    const paths = plan.changes.map((c) => c.path);
    expect(paths.length).toBe(new Set(paths).size);
    const mon = [...rendered().keys()].filter((p) => p.includes('/monitoring/'));
    // The HelmRelease too: its values stop enabling the chart's monitoring.
    expect(plan.writes.map((w) => w.path).sort()).toEqual([...mon, `${L.operatorDir}/helmrelease.yaml`, L.parentKustomization(), settingsPath('infra'), CRDS, YO_RC].sort());
  });

  test('the stored namespace is the same as the answer: one change per path', () => {
    const all = Object.fromEntries(rendered());
    const parent = kustomization('resources:', '  - ./cloudnative-pg/operator/ks.yaml', '  - ./cloudnative-pg/monitoring/ks.yaml');
    const { census, resolution } = planFor({ files: { ...STORED, ...all, [L.parentKustomization()]: parent }, flags: { monitoring: 'none' }, bases: all });
    const plan = makePlan({ resolution, layout: L, generatorVersion: '0', files: census.files, bases: new Map(Object.entries(all)), existing: true, force: false, previousNamespace: 'cnpg-system' });
    const paths = plan.changes.map((c) => c.path);
    expect(paths.length).toBe(new Set(paths).size);
    expect(changeOf(plan, L.parentKustomization()).after).toBe(kustomization('resources:', '  - ./cloudnative-pg/operator/ks.yaml'));
  });

  test('no stored namespace (previousNamespace undefined): one change per path', () => {
    const plan = appsPlan({ flags: { namespace: 'db' } });
    const paths = plan.changes.map((c) => c.path);
    expect(paths.length).toBe(new Set(paths).size);
    expect(paths.some((p) => p.includes('cnpg-system'))).toBe(false);
  });
});

test('.yo-rc.json written by hand in another format is left byte for byte when our section is the same', () => {
  const section = storedSection(DEFAULT_ANSWERS, '1.0.0');
  const compact = JSON.stringify({ 'generator-cnpg-operator': section, 'generator-other': {} });
  expect(patchYoRc(compact, section)).toBe(compact);
  expect(patchYoRc(compact, { ...section, replicas: 3 })).toBe(JSON.stringify({ 'generator-cnpg-operator': { ...section, replicas: 3 }, 'generator-other': {} }, null, 2) + '\n');
});
