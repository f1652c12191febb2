/**
 * Issue 14: what the census makes of stored answers and of cluster files a user broke, by the message a user reads.
 * A bad .yo-rc.json is refused naming the file and the key; a broken cluster file that is not a target is
 * skipped with a warning. Which layout a run takes and the source it shows (--layout, stored, the repo's files, the
 * default), both layouts' files read from a repo folder (a temporary one, no git: the scan walks kubernetes/),
 * and the OCIRepository tag the apps layout keeps its chart version in.
 */
import { mkdirSync, mkdtempSync, realpathSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, test } from '@jest/globals';
import {
  type LayoutDetection,
  type StoredAnswers,
  censusOf,
  chooseLayout,
  clusterOf,
  crdsHelmfileOf,
  detectLayout,
  loadStored,
  namespaceStyleOf,
  ociTagOf,
  ownedPaths,
  readLayoutFiles,
  readRepo,
  scanNeeded,
  withClusters,
  withNamespace,
} from '../src/core/census.js';
import { FileError, InputError } from '../src/core/errors.js';
import { APPS, INFRASTRUCTURE as L, type Layout, YO_RC } from '../src/core/layout.js';
import { storedSection } from '../src/core/plan.js';
import type { Repo } from '../src/core/repo.js';
import { type Answers, DEFAULT_ANSWERS } from '../src/core/settings.js';
import { clusterSettings, yoRc } from './helpers/core.js';

const P = 'generator-cnpg-operator';
const j = (section: unknown): string => JSON.stringify({ [P]: section });

describe('loadStored', () => {
  test.each([undefined, '', ' \n', '{}', JSON.stringify({ 'generator-other': { a: 1 } })])('%j holds no answers of ours', (text) => {
    expect(loadStored(text)).toBeUndefined();
  });

  test.each([
    ['[]', '.yo-rc.json: must hold a JSON object'],
    ['null', '.yo-rc.json: must hold a JSON object'],
    ['3', '.yo-rc.json: must hold a JSON object'],
    ['"x"', '.yo-rc.json: must hold a JSON object'],
    ['x', '.yo-rc.json: is not valid JSON ('],
    [JSON.stringify({ [P]: 'x' }), `.yo-rc.json: "${P}" must be a JSON object`],
    [JSON.stringify({ [P]: [] }), `.yo-rc.json: "${P}" must be a JSON object`],
    [JSON.stringify({ [P]: null }), `.yo-rc.json: "${P}" must be a JSON object`],
    [j({ clusters: null }), `.yo-rc.json: "${P}.clusters" must be a JSON object`],
    [j({ replicas: 0 }), `.yo-rc.json: "${P}.replicas" 0: must be an integer from 1 to 10`],
    [j({ clusters: [] }), `.yo-rc.json: "${P}.clusters" must be a JSON object`],
    [j({ clusters: { 'a,b': {} } }), `.yo-rc.json: "${P}.clusters.a,b": one cluster name per key`],
    [j({ clusters: { a: 1 } }), `.yo-rc.json: "${P}.clusters.a" must be a JSON object`],
    [j({ clusters: { a: { replicas: 11 } } }), `.yo-rc.json: "${P}.clusters.a.replicas" 11: must be an integer from 1 to 10`],
    [j({ clusters: { a: { storageClass: 'Bad' } } }), `.yo-rc.json: "${P}.clusters.a.storageClass" "Bad": must be a DNS-1123 subdomain`],
  ])('%s is refused: %s', (text, message) => {
    expect(() => loadStored(text)).toThrow(FileError);
    let got = '';
    try {
      loadStored(text);
    } catch (e) {
      got = (e as Error).message;
    }
    expect(got.startsWith(message)).toBe(true);
  });

  test('values are parsed like flags, unknown keys ignored, the generator version kept only as a string', () => {
    expect(loadStored(j({ replicas: '3', cluster: 'a,b', generatorVersion: 2 }))).toEqual({ values: { cluster: ['a', 'b'], replicas: 3 }, clusters: {} });
    expect(loadStored(j({ clusters: { a: { replicas: 3, storageClass: 'x', other: 1 }, b: {} }, generatorVersion: '1.2.3', unknown: 5 }))).toEqual({
      values: {},
      clusters: { a: { replicas: 3, storageClass: 'x' }, b: {} },
      generatorVersion: '1.2.3',
    });
  });
});

describe('censusOf', () => {
  const files = new Map<string, string | undefined>(ownedPaths(L).map((p) => [p, undefined]));
  files.set(L.clusterSettingsPath('bad'), 'kind: Secret\n');
  files.set(L.clusterSettingsPath('ok'), 'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: cluster-settings\ndata:\n  CNPG_OPERATOR_VERSION: "1.27.1"\n  CNPG_OPERATOR_REPLICAS: "x"\n  BLOCK_SC: "fast"\n');
  files.set(L.crdsHelmfile, 'releases:\n  - name: cloudnative-pg-crds\n    version: latest\n');
  const c = censusOf(L, files, ['bad', 'ok', 'missing']);

  test('a broken cluster file: its error is kept and a warning says it is skipped', () => {
    const bad = clusterOf(c, 'bad');
    expect([bad.exists, bad.data, bad.version]).toEqual([true, {}, undefined]);
    expect(bad.error?.message).toBe(`${L.clusterSettingsPath('bad')}:1: is a Secret, not a ConfigMap; expected a ConfigMap named cluster-settings in namespace flux-system`);
    expect(c.warnings).toEqual([`${bad.error!.message} (skipped in the version census)`]);
  });

  test('an operator version is read as its chart with a note; an invalid value keeps only its raw text', () => {
    const ok = clusterOf(c, 'ok');
    expect(ok.version).toEqual({ raw: '1.27.1', file: ok.file, chart: '0.26.1', note: `${ok.file}: 1.27.1 is an operator version, not a chart version; corrected to chart 0.26.1` });
    expect(ok.replicas).toEqual({ raw: 'x' });
    expect(ok.storageClass).toEqual({ raw: 'fast', value: 'fast' });
  });

  test('a version that is not exact has no chart, and a note', () => {
    expect(c.crds).toEqual({ raw: 'latest', file: L.crdsHelmfile, note: `${L.crdsHelmfile}: version "latest" is not an exact chart version; it will be replaced` });
  });

  test('a missing or unknown cluster is an empty entry at its path', () => {
    expect(clusterOf(c, 'missing')).toEqual({ name: 'missing', file: L.clusterSettingsPath('missing'), exists: false, data: {} });
    expect(clusterOf(c, 'zzz')).toEqual({ name: 'zzz', file: L.clusterSettingsPath('zzz'), exists: false, data: {} });
    expect(c.clusters.map((x) => x.name)).toEqual(['bad', 'ok', 'missing']);
  });
});

// ---------------------------------------------------------------------------------------------------------------
// Which layout a run takes, and the source it prints.

const fluxKs = (p: string, name = 'x'): string => `---\napiVersion: kustomize.toolkit.fluxcd.io/v1\nkind: Kustomization\nmetadata:\n  name: ${name}\n  namespace: flux-system\nspec:\n  path: ${p}\n`;
const detect = (files: Record<string, string>): LayoutDetection => detectLayout(new Map(Object.entries(files)));
const NONE = { infrastructure: [], apps: [], other: [] };

describe('detectLayout: what the repo points at, and the line shown as the reason', () => {
  test('an empty repo (or one with only non-Flux YAML) gets the default, marked empty', () => {
    const want = { name: 'infrastructure', reason: 'no Flux layout found: the default', empty: true, evidence: NONE };
    expect(detect({})).toEqual(want);
    expect(detect({ 'kubernetes/x.yaml': 'apiVersion: v1\nkind: ConfigMap\n', 'kubernetes/clusters/a/b/cluster-settings.yaml': '' })).toEqual(want);
  });

  test.each([
    ['kubernetes/clusters/infra/cluster-settings.yaml', 'kubernetes/clusters/infra/cluster-settings.yaml exists'],
    ['kubernetes/clusters/infra/cluster-settings.yml', 'kubernetes/clusters/infra/cluster-settings.yml exists'],
  ])('a cluster settings file %s means infrastructure', (file, reason) => {
    expect(detect({ [file]: 'kind: ConfigMap\n' })).toEqual({ name: 'infrastructure', reason, empty: false, evidence: { ...NONE, infrastructure: [reason] } });
  });

  test.each([
    ['./kubernetes/infrastructure', 'applies ./kubernetes/infrastructure'],
    ['kubernetes/infrastructure/', 'applies ./kubernetes/infrastructure'],
    ['  ./kubernetes/infrastructure/databases//', 'applies ./kubernetes/infrastructure/databases'],
  ])('a Flux Kustomization with path %j means infrastructure', (p, says) => {
    const file = 'kubernetes/clusters/infra/infrastructure.yaml';
    expect(detect({ [file]: fluxKs(JSON.stringify(p)) })).toEqual({ name: 'infrastructure', reason: `${file} ${says}`, empty: false, evidence: { ...NONE, infrastructure: [`${file} ${says}`] } });
  });

  test('one line per file: a file applying several infrastructure folders is one piece of evidence', () => {
    const file = 'kubernetes/clusters/infra/infrastructure.yaml';
    const found = detect({ [file]: fluxKs('./kubernetes/infrastructure/a') + fluxKs('./kubernetes/infrastructure/b'), 'kubernetes/clusters/z/x.yaml': fluxKs('./kubernetes/infrastructure/c') });
    expect(found.evidence.infrastructure).toEqual([`${file} applies ./kubernetes/infrastructure/a`, 'kubernetes/clusters/z/x.yaml applies ./kubernetes/infrastructure/c']);
    expect(found.reason).toBe(`${file} applies ./kubernetes/infrastructure/a`);
  });

  test.each(['./kubernetes/apps', 'kubernetes/apps', './kubernetes/apps/', ' ./kubernetes/apps '])('a Flux Kustomization with path %j means apps, even from kubernetes/flux/', (p) => {
    const file = 'kubernetes/flux/cluster/ks.yaml';
    expect(detect({ [file]: fluxKs(JSON.stringify(p)) })).toEqual({ name: 'apps', reason: `${file} applies ./kubernetes/apps`, empty: false, evidence: { ...NONE, apps: [`${file} applies ./kubernetes/apps`] } });
  });

  test('kubernetes/apps/<ns>/<app>/ks.yaml (or .yml) files mean apps: one is named, several are counted', () => {
    expect(detect({ 'kubernetes/apps/db/pg/ks.yml': '' })).toEqual({ name: 'apps', reason: 'kubernetes/apps/db/pg/ks.yml exists', empty: false, evidence: { ...NONE, apps: ['kubernetes/apps/db/pg/ks.yml exists'] } });
    const several = detect({ 'kubernetes/apps/z/b/ks.yaml': '', 'kubernetes/apps/a/b/ks.yaml': '', 'kubernetes/apps/a/ks.yaml': '', 'kubernetes/apps/a/b/c/ks.yaml': '' });
    expect(several.reason).toBe('2 kubernetes/apps/*/*/ks.yaml files (kubernetes/apps/a/b/ks.yaml, ...)');
    expect(several.evidence.apps).toEqual([several.reason]);
    // The Flux root comes first: it is pushed while reading, the ks.yaml files after.
    const both = detect({ 'kubernetes/apps/a/b/ks.yaml': '', 'kubernetes/flux/cluster/ks.yaml': fluxKs('./kubernetes/apps') });
    expect(both.evidence.apps).toEqual(['kubernetes/flux/cluster/ks.yaml applies ./kubernetes/apps', 'kubernetes/apps/a/b/ks.yaml exists']);
  });

  test('both layouts: no name, and the reason shows the first evidence of each', () => {
    const found = detect({ 'kubernetes/flux/cluster/ks.yaml': fluxKs('./kubernetes/apps'), 'kubernetes/clusters/x/cluster-settings.yaml': '' });
    expect(found).toEqual({
      reason: 'both layouts: kubernetes/flux/cluster/ks.yaml applies ./kubernetes/apps; kubernetes/clusters/x/cluster-settings.yaml exists',
      empty: false,
      evidence: { ...NONE, apps: ['kubernetes/flux/cluster/ks.yaml applies ./kubernetes/apps'], infrastructure: ['kubernetes/clusters/x/cluster-settings.yaml exists'] },
    });
  });

  test('only other Flux paths: undecided, the first two shown in file order', () => {
    const found = detect({ 'kubernetes/c.yaml': fluxKs('./deploy/c'), 'kubernetes/a.yaml': fluxKs('./deploy/a') + fluxKs('./deploy/b') });
    expect(found).toEqual({
      reason: 'neither layout: kubernetes/a.yaml applies ./deploy/a; kubernetes/a.yaml applies ./deploy/b',
      empty: false,
      evidence: { ...NONE, other: ['kubernetes/a.yaml applies ./deploy/a', 'kubernetes/a.yaml applies ./deploy/b', 'kubernetes/c.yaml applies ./deploy/c'] },
    });
    expect(detect({ 'kubernetes/one.yaml': fluxKs('./deploy') }).reason).toBe('neither layout: kubernetes/one.yaml applies ./deploy');
    // Only a leading ./ is dropped: kubernetes/./apps is not the apps root.
    expect(detect({ 'kubernetes/one.yaml': fluxKs('kubernetes/./apps') }).reason).toBe('neither layout: kubernetes/one.yaml applies ./kubernetes/./apps');
  });

  test('other Flux paths do not stop a layout from being found', () => {
    const found = detect({ 'kubernetes/a.yaml': fluxKs('./deploy'), 'kubernetes/clusters/x/cluster-settings.yaml': '' });
    expect([found.name, found.reason, found.evidence.other]).toEqual(['infrastructure', 'kubernetes/clusters/x/cluster-settings.yaml exists', ['kubernetes/a.yaml applies ./deploy']]);
  });

  test.each([
    ['Flux plumbing under kubernetes/flux/', { 'kubernetes/flux/repos.yaml': fluxKs('./somewhere/else') }],
    ['an app path', { 'kubernetes/main.yaml': fluxKs('./kubernetes/apps/db/pg/app') }],
    ['a cluster path', { 'kubernetes/main.yaml': fluxKs('./kubernetes/clusters/prod') }],
    ['a flux path', { 'kubernetes/main.yaml': fluxKs('./kubernetes/flux/config') }],
    ['a cluster settings file outside kubernetes/', { 'other/kubernetes/clusters/a/cluster-settings.yaml': '' }],
    ['a cluster settings backup', { 'kubernetes/clusters/a/cluster-settings.yaml.orig': '' }],
    ['an apps ks.yaml outside kubernetes/', { 'other/kubernetes/apps/a/b/ks.yaml': '' }],
    ['an apps ks.yaml backup', { 'kubernetes/apps/a/b/ks.yaml.orig': '' }],
    ['a path that only starts like kubernetes/infrastructure', { 'kubernetes/flux/x.yaml': fluxKs('./kubernetes/infrastructures') }],
    ['a file without the Flux API group', { 'kubernetes/main.yaml': fluxKs('./deploy').replace('kustomize.toolkit.fluxcd.io/v1', 'kustomize.config.k8s.io/v1beta1') }],
    ['another API group that mentions it', { 'kubernetes/main.yaml': fluxKs('./deploy').replace('apiVersion: kustomize.toolkit.fluxcd.io/v1', 'apiVersion: example.com/v1 # kustomize.toolkit.fluxcd.io') }],
    ['a non-string apiVersion', { 'kubernetes/main.yaml': '# kustomize.toolkit.fluxcd.io\napiVersion: 1\nkind: Kustomization\nspec:\n  path: ./deploy\n' }],
    ['another kind', { 'kubernetes/main.yaml': fluxKs('./deploy').replace('kind: Kustomization', 'kind: GitRepository') }],
    ['no spec', { 'kubernetes/main.yaml': 'apiVersion: kustomize.toolkit.fluxcd.io/v1\nkind: Kustomization\n' }],
    ['a path that is not a string', { 'kubernetes/main.yaml': 'apiVersion: kustomize.toolkit.fluxcd.io/v1\nkind: Kustomization\nspec:\n  path: [./deploy]\n' }],
    ['an empty document', { 'kubernetes/main.yaml': '# kustomize.toolkit.fluxcd.io\n---\n' }],
    ['YAML that does not parse', { 'kubernetes/main.yaml': `${fluxKs('./deploy')}  *undefined-alias\n` }],
  ])('not evidence: %s', (_what, files) => {
    expect(detect(files)).toEqual({ name: 'infrastructure', reason: 'no Flux layout found: the default', empty: true, evidence: NONE });
  });
});

describe('chooseLayout: --layout, else stored, else the repo, else the default; the source printed', () => {
  const apps = detect({ 'kubernetes/flux/cluster/ks.yaml': fluxKs('./kubernetes/apps') });
  const empty = detect({});
  const both = detect({ 'kubernetes/flux/cluster/ks.yaml': fluxKs('./kubernetes/apps'), 'kubernetes/clusters/x/cluster-settings.yaml': '' });
  const other = detect({ 'kubernetes/main.yaml': fluxKs('./deploy') });

  test('the flag wins over a stored layout and the repo', () => {
    expect(chooseLayout('infrastructure', 'apps', apps)).toEqual({ value: 'infrastructure', source: 'flag' });
    expect(chooseLayout('apps', undefined, both)).toEqual({ value: 'apps', source: 'flag' });
  });

  test('a stored layout wins over the repo (a rerun does not look)', () => {
    expect(chooseLayout(undefined, 'infrastructure', apps)).toEqual({ value: 'infrastructure', source: 'stored' });
    expect(chooseLayout(undefined, 'apps', empty)).toEqual({ value: 'apps', source: 'stored' });
  });

  test('the repo: the file that decided it is shown', () => {
    expect(chooseLayout(undefined, undefined, apps)).toEqual({ value: 'apps', source: 'repo', file: 'kubernetes/flux/cluster/ks.yaml applies ./kubernetes/apps' });
    const infra = detect({ 'kubernetes/clusters/prod/cluster-settings.yaml': '' });
    expect(chooseLayout(undefined, undefined, infra)).toEqual({ value: 'infrastructure', source: 'repo', file: 'kubernetes/clusters/prod/cluster-settings.yaml exists' });
  });

  test('an empty repo: the default, with no file', () => {
    expect(chooseLayout(undefined, undefined, empty)).toEqual({ value: 'infrastructure', source: 'default' });
  });

  test.each([
    ['both', both, 'both layouts: kubernetes/flux/cluster/ks.yaml applies ./kubernetes/apps; kubernetes/clusters/x/cluster-settings.yaml exists'],
    ['other', other, 'neither layout: kubernetes/main.yaml applies ./deploy'],
  ])('undecided (%s) without flag or stored layout: refused with exit 2, naming what was found and the flag', (_what, detection, reason) => {
    expect(() => chooseLayout(undefined, undefined, detection)).toThrow(InputError);
    expect(() => chooseLayout(undefined, undefined, detection)).toThrow(
      `cannot tell this repo's layout (${reason}); looked for a Flux Kustomization with path ./kubernetes/apps or kubernetes/apps/*/*/ks.yaml (apps), ` +
        'and kubernetes/clusters/*/cluster-settings.yaml or a ./kubernetes/infrastructure path (infrastructure); rerun with --layout infrastructure or --layout apps',
    );
  });
});

// ---------------------------------------------------------------------------------------------------------------
// Reading a repo on disk (a temporary folder, no git: the scan walks kubernetes/).

const roots: string[] = [];
afterAll(() => {
  for (const r of roots) rmSync(r, { recursive: true, force: true });
});

/** A repo folder holding these files (a value of null: an empty folder). */
function repoWith(files: Record<string, string | null>): Repo {
  const root = realpathSync(mkdtempSync(path.join(tmpdir(), 'census-kinds-')));
  roots.push(root);
  for (const [p, text] of Object.entries(files)) {
    const abs = path.join(root, p);
    if (text === null) {
      mkdirSync(abs, { recursive: true });
    } else {
      mkdirSync(path.dirname(abs), { recursive: true });
      writeFileSync(abs, text);
    }
  }
  return { root };
}

describe('readLayoutFiles: the files detection looks at', () => {
  test('YAML under kubernetes/ (not apps/ or infrastructure/, not dot names, five levels deep), and the apps ks.yaml names', () => {
    const repo = repoWith({
      'kubernetes/flux/cluster/ks.yaml': 'a',
      'kubernetes/clusters/prod/cluster-settings.yml': 'b',
      'kubernetes/1/2/3/4/deep.yaml': 'c',
      'kubernetes/1/2/3/4/5/deeper.yaml': 'd',
      'kubernetes/README.md': 'e',
      'kubernetes/old.yaml.bak': 'e2',
      'kubernetes/.hidden.yaml': 'f',
      'kubernetes/.github/x.yaml': 'g',
      'kubernetes/folder.yaml/inner.yaml': 'h',
      'kubernetes/apps/db/pg/ks.yaml': 'i',
      'kubernetes/apps/db/pg/app/helmrelease.yaml': 'j',
      'kubernetes/apps/db/redis/ks.yml': 'k',
      'kubernetes/apps/db/none/kustomization.yaml': 'l',
      'kubernetes/apps/db/ks.yaml': 'm',
      'kubernetes/apps/.db/pg/ks.yaml': 'n',
      'kubernetes/apps/db/dir/ks.yaml/x': 'o',
      'kubernetes/infrastructure/x.yaml': 'p',
      'kubernetes/infrastructure/databases/ks.yaml': 'q',
      'other/ks.yaml': 'r',
    });
    expect(readLayoutFiles(repo)).toEqual(
      new Map([
        ['kubernetes/1/2/3/4/deep.yaml', 'c'],
        ['kubernetes/clusters/prod/cluster-settings.yml', 'b'],
        ['kubernetes/flux/cluster/ks.yaml', 'a'],
        ['kubernetes/folder.yaml/inner.yaml', 'h'],
        ['kubernetes/apps/db/pg/ks.yaml', ''],
        ['kubernetes/apps/db/redis/ks.yml', ''],
      ]),
    );
    expect([...readLayoutFiles(repo).keys()]).toEqual([
      'kubernetes/1/2/3/4/deep.yaml',
      'kubernetes/clusters/prod/cluster-settings.yml',
      'kubernetes/flux/cluster/ks.yaml',
      'kubernetes/folder.yaml/inner.yaml',
      'kubernetes/apps/db/pg/ks.yaml',
      'kubernetes/apps/db/redis/ks.yml',
    ]);
  });

  test('a repo without kubernetes/ has nothing to look at; a file of 1 MB or more and a symbolic link are not read', () => {
    expect(readLayoutFiles(repoWith({ 'README.md': 'x' }))).toEqual(new Map());
    const repo = repoWith({ 'kubernetes/big.yaml': 'x'.repeat(1_000_000), 'kubernetes/almost.yaml': 'y'.repeat(999_999), 'outside.yaml': 'z' });
    symlinkSync(path.join(repo.root, 'outside.yaml'), path.join(repo.root, 'kubernetes/link.yaml'));
    symlinkSync(path.join(repo.root, 'missing.yaml'), path.join(repo.root, 'kubernetes/dangling.yaml'));
    expect([...readLayoutFiles(repo).keys()]).toEqual(['kubernetes/almost.yaml']);
  });

  test('read and detected: the layout of a cluster-template repo and of an infrastructure repo', () => {
    const apps = repoWith({ 'kubernetes/flux/cluster/ks.yaml': fluxKs('./kubernetes/apps'), 'kubernetes/apps/db/pg/ks.yaml': fluxKs('./kubernetes/apps/db/pg/app') });
    expect(chooseLayout(undefined, undefined, detectLayout(readLayoutFiles(apps)))).toEqual({ value: 'apps', source: 'repo', file: 'kubernetes/flux/cluster/ks.yaml applies ./kubernetes/apps' });
    const infra = repoWith({ 'kubernetes/clusters/prod/cluster-settings.yaml': clusterSettings({}), 'kubernetes/infrastructure/databases/ks.yaml': fluxKs('./kubernetes/apps') });
    expect(chooseLayout(undefined, undefined, detectLayout(readLayoutFiles(infra)))).toEqual({ value: 'infrastructure', source: 'repo', file: 'kubernetes/clusters/prod/cluster-settings.yaml exists' });
  });
});

const CNPG_CHART = 'oci://ghcr.io/cloudnative-pg/charts/cloudnative-pg';
const crdsHelmfile = (version: string): string => `---\nreleases:\n  - name: cloudnative-pg\n    namespace: cnpg-system\n    chart: ${CNPG_CHART}\n    version: ${version}\n`;
const cnpgRelease = (name: string): string =>
  `---\napiVersion: helm.toolkit.fluxcd.io/v2\nkind: HelmRelease\nmetadata:\n  name: ${name}\n  namespace: cnpg-system\nspec:\n  chart:\n    spec:\n      chart: cloudnative-pg\n`;
const OP = 'kubernetes/infrastructure/databases/cloudnative-pg/operator';
const settingsOf = (cluster: string): string => L.clusterSettingsPath(cluster);
/** What a run stores for these answers (plan.ts), as .yo-rc.json. */
const storedRc = (answers: Partial<Answers> = {}): string => yoRc(storedSection({ ...DEFAULT_ANSWERS, ...answers }, '1.0.0'));

describe('readRepo: an infrastructure repo on disk', () => {
  test('a first run: clusters listed (folders holding a settings file, sorted) plus those asked for; the CRD version; the scan', () => {
    const repo = repoWith({
      [settingsOf('prod')]: clusterSettings({ CNPG_OPERATOR_VERSION: '0.26.1', CNPG_OPERATOR_REPLICAS: '2', BLOCK_SC: 'fast' }),
      [settingsOf('dev')]: clusterSettings({}),
      'kubernetes/clusters/notes': null,
      'kubernetes/clusters/README.md': 'x',
      [L.crdsHelmfile]: crdsHelmfile('0.26.0'),
      [`${OP}/helmrelease.yaml`]: cnpgRelease('mine'),
      'kubernetes/apps/x/helmrelease.yaml': cnpgRelease('theirs'),
      'kubernetes/flux/apps.yaml': fluxKs('./kubernetes/apps', 'apps'),
    });
    const c = readRepo(repo, L, { clusters: ['staging', 'dev'], dependsOn: ['apps'] });
    expect(c.clusters.map((x) => [x.name, x.exists])).toEqual([
      ['dev', true],
      ['prod', true],
      ['staging', false],
    ]);
    expect(clusterOf(c, 'prod')).toEqual({
      name: 'prod',
      file: settingsOf('prod'),
      exists: true,
      data: { CNPG_OPERATOR_VERSION: '0.26.1', CNPG_OPERATOR_REPLICAS: '2', BLOCK_SC: 'fast' },
      version: { raw: '0.26.1', chart: '0.26.1', file: settingsOf('prod') },
      replicas: { raw: '2', value: 2 },
      storageClass: { raw: 'fast', value: 'fast' },
    });
    expect(clusterOf(c, 'dev')).toEqual({ name: 'dev', file: settingsOf('dev'), exists: true, data: {} });
    expect(c.files.has(settingsOf('staging'))).toBe(true);
    expect(c.files.get(settingsOf('staging'))).toBeUndefined();
    expect(c.files.get(YO_RC)).toBeUndefined();
    expect([...c.files.keys()].sort()).toEqual([...ownedPaths(L), settingsOf('dev'), settingsOf('prod'), settingsOf('staging')].sort());
    expect([c.crdsHelmfile, c.crds]).toEqual([L.crdsHelmfile, { raw: '0.26.0', chart: '0.26.0', file: L.crdsHelmfile }]);
    expect([c.stored, c.warnings, c.namespaceStyle]).toEqual([undefined, [], undefined]);
    // Outside git, no Flux Kustomization names are collected for --depends-on.
    expect(c.fluxKustomizations).toBeUndefined();
    // A first run: a chart install at one of the generator's paths is the user's, and counts like any other.
    expect(c.scanned).toBe(true);
    expect(c.scan.installs.map((i) => `${i.path} ${i.name}`)).toEqual(['kubernetes/apps/x/helmrelease.yaml theirs', `${OP}/helmrelease.yaml mine`]);
  });

  test('stored answers: the generator\'s own paths are no evidence; complete answers and a generated file: no scan at all', () => {
    const files = { [`${OP}/helmrelease.yaml`]: cnpgRelease('mine'), [`${OP}/podmonitor.yaml`]: cnpgRelease('legacy'), 'kubernetes/apps/x/helmrelease.yaml': cnpgRelease('theirs') };
    const partial = readRepo(repoWith({ ...files, [YO_RC]: yoRc({ replicas: 2 }) }), L);
    expect(partial.stored).toEqual({ values: { replicas: 2 }, clusters: {}, generatorVersion: undefined });
    expect([partial.scanned, partial.scan.installs.map((i) => i.name)]).toEqual([true, ['theirs']]);
    const complete = readRepo(repoWith({ ...files, [YO_RC]: storedRc({ namespace: 'db' }) }), L);
    expect(complete.stored?.values.namespace).toBe('db');
    expect([complete.scanned, complete.scan]).toEqual([false, { installs: [], monitoringKinds: {}, fluxKustomizations: [], fluxNames: [] }]);
    // The stored cluster list is not read by the census: only the clusters found and those asked for.
    expect(readRepo(repoWith({ [YO_RC]: storedRc({ cluster: ['a'] }) }), L).clusters).toEqual([]);
  });

  test('a broken cluster file is skipped with a warning; a missing kubernetes/clusters has no clusters', () => {
    const c = readRepo(repoWith({ [settingsOf('bad')]: 'data: [\n' }), L);
    expect(c.clusters.map((x) => [x.name, x.exists, x.error?.message])).toEqual([['bad', true, c.clusters[0].error?.message]]);
    expect(c.clusters[0].error).toBeInstanceOf(FileError);
    expect(c.warnings).toEqual([`${c.clusters[0].error!.message} (skipped in the version census)`]);
    expect(c.warnings[0].startsWith(`${settingsOf('bad')}:`)).toBe(true);
    expect(readRepo(repoWith({}), L).clusters).toEqual([]);
  });

  test.each([
    ['.yo-rc.json that is not JSON', { [YO_RC]: '{' }, /^\.yo-rc\.json: is not valid JSON \(/],
    ['a stored value that is not valid', { [YO_RC]: yoRc({ namespace: 'Bad_NS' }) }, /^\.yo-rc\.json: "generator-cnpg-operator\.namespace" "Bad_NS": must be a DNS-1123 label/],
    ['a folder where the CRD helmfile goes', { [L.crdsHelmfile]: null }, /^bootstrap\/helmfile\.d\/00-crds\.yaml: is a folder, expected a file$/],
    ['a CRD helmfile whose releases is not a list', { [L.crdsHelmfile]: 'releases: 3\n' }, /^bootstrap\/helmfile\.d\/00-crds\.yaml:1: releases is not a sequence$/],
    ['a folder named like a cluster settings file', { [settingsOf('prod')]: null }, /^kubernetes\/clusters\/prod\/cluster-settings\.yaml: is a folder, expected a file$/],
  ])('refused, naming the file: %s', (_what, files, message) => {
    const repo = repoWith(files);
    expect(() => readRepo(repo, L)).toThrow(FileError);
    expect(() => readRepo(repo, L)).toThrow(message);
  });

  test('a symbolic link for kubernetes/clusters is refused, naming it', () => {
    const repo = repoWith({ 'elsewhere/prod/cluster-settings.yaml': clusterSettings({}) });
    symlinkSync(path.join(repo.root, 'elsewhere'), path.join(repo.root, 'kubernetes'));
    expect(() => readRepo(repo, L)).toThrow(`kubernetes: is a symbolic link (to ${path.join(repo.root, 'elsewhere')}); refusing to read or write through it`);
  });

  test('withClusters reads the clusters asked for later; those already read are kept as read', () => {
    const repo = repoWith({ [settingsOf('prod')]: clusterSettings({ CNPG_OPERATOR_REPLICAS: '2' }), [settingsOf('old')]: 'data: [\n' });
    const c = readRepo(repo, L);
    expect(withClusters(c, repo, ['prod'])).toBe(c);
    expect(withClusters(c, repo, ['old', 'prod'])).toBe(c);
    writeFileSync(path.join(repo.root, settingsOf('prod')), clusterSettings({ CNPG_OPERATOR_REPLICAS: '3' }));
    mkdirSync(path.join(repo.root, 'kubernetes/clusters/bad'));
    writeFileSync(path.join(repo.root, settingsOf('bad')), 'kind: Secret\n');
    const next = withClusters(c, repo, ['prod', 'bad', 'new', 'bad']);
    expect(next.clusters.map((x) => [x.name, x.exists, x.replicas?.value])).toEqual([
      ['old', true, undefined],
      ['prod', true, 2],
      ['bad', true, undefined],
      ['new', false, undefined],
    ]);
    expect(next.warnings).toEqual([c.warnings[0], `${settingsOf('bad')}:1: is a Secret, not a ConfigMap; expected a ConfigMap named cluster-settings in namespace flux-system (skipped in the version census)`]);
    expect(next.files.get(settingsOf('bad'))).toBe('kind: Secret\n');
    expect([next.files.has(settingsOf('new')), next.files.get(settingsOf('new'))]).toEqual([true, undefined]);
    // The census it was given is unchanged.
    expect([c.clusters.length, c.warnings.length, c.files.has(settingsOf('bad'))]).toEqual([2, 1, false]);
    expect(c.warnings[0].startsWith(`${settingsOf('old')}:`)).toBe(true);
  });

  test('withNamespace: the infrastructure paths do not depend on the namespace', () => {
    const repo = repoWith({});
    const c = readRepo(repo, L);
    expect(withNamespace(c, repo, 'db')).toBe(c);
  });
});

describe('readRepo: an apps (cluster-template) repo on disk', () => {
  const A = (ns: string, rest: string): string => `kubernetes/apps/${ns}/cloudnative-pg/${rest}`;

  test('the namespaces read: asked for, stored and cnpg-system; no clusters; the CRD helmfile candidates in order', () => {
    const repo = repoWith({
      [YO_RC]: yoRc({ namespace: 'db', layout: 'apps' }),
      'kubernetes/bootstrap/helmfile/crds.yaml': 'releases: []\n',
      'bootstrap/helmfile.d/00-crds.yaml': crdsHelmfile('0.26.1'),
      [A('db', 'app/ocirepository.yaml')]: 'spec:\n  ref:\n    tag: 0.26.0\n',
    });
    const c = readRepo(repo, APPS, { namespaces: ['web'], clusters: ['prod'] });
    expect(c.clusters).toEqual([]);
    expect([...c.files.keys()].sort()).toEqual([...ownedPaths(APPS, ['web', 'db', 'cnpg-system'])].sort());
    expect(c.files.get(A('db', 'app/ocirepository.yaml'))).toBe('spec:\n  ref:\n    tag: 0.26.0\n');
    // The second candidate exists: it is the one patched, and its style has no version.
    expect([c.crdsHelmfile, c.crds]).toEqual(['kubernetes/bootstrap/helmfile/crds.yaml', undefined]);
    expect(ociTagOf(c, 'db')).toEqual({ raw: '0.26.0', chart: '0.26.0', file: A('db', 'app/ocirepository.yaml') });
    expect(ociTagOf(c, 'web')).toBeUndefined();
  });

  test('newer cluster-template renders: bootstrap/helmfile.d/00-crds.yaml holds the chart version', () => {
    const c = readRepo(repoWith({ 'bootstrap/helmfile.d/00-crds.yaml': crdsHelmfile('1.27.0') }), APPS);
    expect([c.crdsHelmfile, c.crds]).toEqual([
      'bootstrap/helmfile.d/00-crds.yaml',
      { raw: '1.27.0', chart: '0.26.0', file: 'bootstrap/helmfile.d/00-crds.yaml', note: 'bootstrap/helmfile.d/00-crds.yaml: 1.27.0 is an operator version, not a chart version; corrected to chart 0.26.0' },
    ]);
    // No candidate: apps does not create one. No kubernetes/apps and no component: namespace.yaml files.
    const empty = readRepo(repoWith({}), APPS);
    expect([empty.crdsHelmfile, empty.namespaceStyle]).toEqual([undefined, 'file']);
    expect(readRepo(repoWith({ 'kubernetes/components/namespace/kustomization.yaml': 'x' }), APPS).namespaceStyle).toBe('component');
  });

  test('withNamespace reads another namespace\'s paths; the census it was given is unchanged', () => {
    const repo = repoWith({ 'bootstrap/helmfile/crds.yaml': 'releases: []\n', [A('web', 'app/ocirepository.yaml')]: 'spec:\n  ref:\n    tag: "0.25.0"\n' });
    const c = readRepo(repo, APPS);
    expect(ociTagOf(c, 'web')).toBeUndefined();
    const next = withNamespace(c, repo, 'web');
    expect(ociTagOf(next, 'web')).toEqual({ raw: '0.25.0', chart: '0.25.0', file: A('web', 'app/ocirepository.yaml') });
    expect(next.crdsHelmfile).toBe('bootstrap/helmfile/crds.yaml');
    expect([...next.files.keys()].sort()).toEqual(ownedPaths(APPS, ['cnpg-system', 'web']).sort());
    expect(c.files.has(A('web', 'app/ocirepository.yaml'))).toBe(false);
    expect(withNamespace(next, repo, 'web')).toBe(next);
  });

  const ns = (entry: string): string => `apiVersion: kustomize.config.k8s.io/v1beta1\nkind: Kustomization\nresources:\n  - ${entry}\n`;
  test.each([
    ['most siblings use the component', { a: ns('../../components/namespace'), b: ns('../../components/namespace'), c: ns('./namespace.yaml') }, false, 'component'],
    ['most siblings list a namespace.yaml', { a: ns('../../components/namespace'), b: ns('./namespace.yaml'), c: ns('namespace.yml') }, true, 'file'],
    ['a tie: the component folder decides (there)', { a: ns('../../components/namespace'), b: ns('./namespace.yaml') }, true, 'component'],
    ['a tie: the component folder decides (missing)', { a: ns('../../components/namespace'), b: ns('./namespace.yaml') }, false, 'file'],
    ['no siblings, a component folder', {}, true, 'component'],
    ['no siblings, no component folder', {}, false, 'file'],
  ])('the namespace style: %s', (_what, siblings, component, style) => {
    const files: Record<string, string | null> = Object.fromEntries(Object.entries(siblings).map(([n, t]) => [`kubernetes/apps/${n}/kustomization.yaml`, t]));
    if (component) files['kubernetes/components/namespace/kustomization.yaml'] = 'x';
    files['kubernetes/apps/README.md'] = 'not a folder';
    files['kubernetes/apps/empty'] = null;
    expect(readRepo(repoWith(files), APPS).namespaceStyle).toBe(style);
  });

  test('a symbolic link for kubernetes/apps is refused, naming it; one for a namespace folder is not looked into', () => {
    const linked = repoWith({ 'elsewhere/a/kustomization.yaml': ns('./namespace.yaml'), 'kubernetes/components/namespace/kustomization.yaml': 'x' });
    symlinkSync(path.join(linked.root, 'elsewhere'), path.join(linked.root, 'kubernetes/apps'));
    expect(() => readRepo(linked, APPS)).toThrow(`kubernetes/apps: is a symbolic link (to ${path.join(linked.root, 'elsewhere')}); refusing to read or write through it`);
    const inner = repoWith({ 'elsewhere/a/kustomization.yaml': ns('./namespace.yaml'), 'kubernetes/apps/b/kustomization.yaml': ns('./namespace.yaml'), 'kubernetes/components/namespace/kustomization.yaml': 'x' });
    symlinkSync(path.join(inner.root, 'elsewhere/a'), path.join(inner.root, 'kubernetes/apps/a'));
    symlinkSync(path.join(inner.root, 'elsewhere/a'), path.join(inner.root, 'kubernetes/apps/c'));
    // Only b counts: one file against no component.
    expect(readRepo(inner, APPS).namespaceStyle).toBe('file');
  });
});

describe('namespaceStyleOf: what a namespace folder\'s kustomization.yaml counts as', () => {
  const one = (text: string): 'component' | 'file' => namespaceStyleOf(new Map([['k', text]]), false);
  test.each([
    ['components:\n  - ../../components/namespace\n', 'component'],
    ['components:\n  - ../../components/namespace # shared\n', 'component'],
    ['components:\n  - ../../components/namespace/\n', 'component'],
    ['resources:\n  - ./namespace.yaml\n', 'file'],
    ['resources:\n  - namespace.yml\n', 'file'],
    ['resources:\n- /namespace.yaml   \n', 'file'],
    ['resources:\n  -   ./namespace.yaml\n  - ./x/ks.yaml\n', 'file'],
  ])('%j alone: %s', (text, style) => {
    expect(one(text)).toBe(style);
    // The same text against one of the other style is a tie: the component folder decides.
    const other = style === 'component' ? 'resources:\n  - ./namespace.yaml\n' : 'components:\n  - ../../components/namespace\n';
    expect(namespaceStyleOf(new Map([['a', text], ['b', other]]), true)).toBe('component');
    expect(namespaceStyleOf(new Map([['a', text], ['b', other]]), false)).toBe('file');
  });

  test.each([
    ['resources:\n  - ./namespace.yaml # ours\n'],
    ['resources:\n  - ./x/namespace.yaml\n'],
    ['resources:\n  - ./namespace.yaml.bak\n'],
    ['resources: [./namespace.yaml]\n'],
    ['# - ./namespace.yaml\n'],
    ['components:\n  - ../../components/namespaces\n'],
  ])('%j counts as neither: against one of each, a tie', (text) => {
    const c = 'components:\n  - ../../components/namespace\n';
    expect(namespaceStyleOf(new Map([['a', text], ['b', c]]), false)).toBe('component');
    const f = 'resources:\n  - ./namespace.yaml\n';
    expect(namespaceStyleOf(new Map([['a', text], ['b', f]]), true)).toBe('file');
  });

  test('a folder with both counts once, as the component', () => {
    const both = 'resources:\n  - ./namespace.yaml\ncomponents:\n  - ../../components/namespace\n';
    expect(namespaceStyleOf(new Map([['a', both], ['b', 'resources:\n  - ./namespace.yaml\n']]), true)).toBe('component');
    expect(namespaceStyleOf(new Map([['a', both], ['b', 'resources:\n  - ./namespace.yaml\n']]), false)).toBe('file');
  });
});

describe('ociTagOf: the apps chart version, spec.ref.tag of the app\'s ocirepository.yaml', () => {
  const FILE = 'kubernetes/apps/db/cloudnative-pg/app/ocirepository.yaml';
  const withTag = (text: string | undefined, layout: Layout = APPS): ReturnType<typeof ociTagOf> =>
    ociTagOf(censusOf(layout, new Map([[FILE, text]]), []), 'db');
  const oci = (tag: string): string => `---\napiVersion: source.toolkit.fluxcd.io/v1\nkind: OCIRepository\nmetadata:\n  name: cloudnative-pg\nspec:\n  url: ${CNPG_CHART}\n  ref:\n    tag: ${tag}\n`;

  test.each([
    ['plain', '0.26.1', { raw: '0.26.1', chart: '0.26.1', file: FILE }],
    ['double-quoted', '"0.26.1"', { raw: '0.26.1', chart: '0.26.1', file: FILE }],
    ['single-quoted', "'0.26.1'", { raw: '0.26.1', chart: '0.26.1', file: FILE }],
    ['an operator version', '1.27.1', { raw: '1.27.1', chart: '0.26.1', file: FILE, note: `${FILE}: 1.27.1 is an operator version, not a chart version; corrected to chart 0.26.1` }],
    ['a Flux ${VAR}', '${CNPG_VERSION}', { raw: '${CNPG_VERSION}', file: FILE, note: `${FILE}: version "\${CNPG_VERSION}" is not an exact chart version; it will be replaced` }],
    ['a quoted ${VAR}', '"${CNPG_VERSION:=0.26.1}"', { raw: '${CNPG_VERSION:=0.26.1}', file: FILE, note: `${FILE}: version "\${CNPG_VERSION:=0.26.1}" is not an exact chart version; it will be replaced` }],
    ['a range', '">=0.26.0"', { raw: '>=0.26.0', file: FILE, note: `${FILE}: version ">=0.26.0" is not an exact chart version; it will be replaced` }],
  ])('%s tag', (_what, tag, want) => {
    expect(withTag(oci(tag))).toEqual(want);
  });

  test.each([
    ['a missing file', undefined],
    ['an empty file', ''],
    ['a tag YAML reads as a number', oci('0.26')],
    ['no tag', oci('x').replace('    tag: x\n', '    semver: ">=0.26.0"\n')],
    ['a ref that is not a mapping', '---\nspec:\n  ref: 0.26.1\n'],
    ['no spec', 'kind: OCIRepository\n'],
    ['YAML that does not parse', 'spec: [\n'],
  ])('no version from %s', (_what, text) => {
    expect(withTag(text)).toBeUndefined();
  });

  test('the infrastructure layout keeps its version in the cluster settings: never read from an OCIRepository', () => {
    const infraFile = `${OP}/ocirepository.yaml`;
    expect(ociTagOf(censusOf(L, new Map([[infraFile, oci('0.26.1')]]), []), 'db')).toBeUndefined();
  });
});

describe('censusOf and clusterOf per layout', () => {
  test('infrastructure without a CRD helmfile: the one to create, no version; a release without a version has none', () => {
    const none = censusOf(L, new Map(), []);
    expect([none.crdsHelmfile, none.crds, none.scanned, none.scan]).toEqual([L.crdsHelmfile, undefined, false, { installs: [], monitoringKinds: {}, fluxKustomizations: [], fluxNames: [] }]);
    const noVersion = censusOf(L, new Map([[L.crdsHelmfile, crdsHelmfile('0.26.1').replace('    version: 0.26.1\n', '')]]), []);
    expect([noVersion.crdsHelmfile, noVersion.crds]).toEqual([L.crdsHelmfile, undefined]);
  });

  test('a scan and the Flux Kustomization names are kept as given', () => {
    const scan = { installs: [], monitoringKinds: { VMRule: 2 }, fluxKustomizations: [], fluxNames: ['x'] };
    const c = censusOf(L, new Map(), [], new Set(['apps']), scan);
    expect([c.scanned, c.scan, c.fluxKustomizations]).toEqual([true, scan, new Set(['apps'])]);
  });

  test('apps: the first CRD helmfile candidate that exists; only 00-crds.yaml has a version', () => {
    const all = new Map([
      ['bootstrap/helmfile/crds.yaml', 'releases: []\n'],
      ['kubernetes/bootstrap/helmfile/crds.yaml', 'releases: []\n'],
      ['bootstrap/helmfile.d/00-crds.yaml', crdsHelmfile('0.26.1')],
    ]);
    expect(censusOf(APPS, all, []).crdsHelmfile).toBe('bootstrap/helmfile/crds.yaml');
    // A crds.yaml release takes its chart and version from the app's OCIRepository: a version there is not read.
    const named = censusOf(APPS, new Map([['bootstrap/helmfile/crds.yaml', crdsHelmfile('0.26.1')]]), []);
    expect([named.crdsHelmfile, named.crds]).toEqual(['bootstrap/helmfile/crds.yaml', undefined]);
    expect(crdsHelmfileOf(APPS, all)).toBe('bootstrap/helmfile/crds.yaml');
    all.set('bootstrap/helmfile/crds.yaml', undefined as unknown as string);
    expect(crdsHelmfileOf(APPS, all)).toBe('kubernetes/bootstrap/helmfile/crds.yaml');
    all.delete('kubernetes/bootstrap/helmfile/crds.yaml');
    const c = censusOf(APPS, all, []);
    expect([c.crdsHelmfile, c.crds]).toEqual(['bootstrap/helmfile.d/00-crds.yaml', { raw: '0.26.1', chart: '0.26.1', file: 'bootstrap/helmfile.d/00-crds.yaml' }]);
    expect(crdsHelmfileOf(APPS, new Map())).toBeUndefined();
    expect(crdsHelmfileOf(L, new Map())).toBe(L.crdsHelmfile);
  });

  test('apps has no clusters: asking for one is a bug (exit 1), not a user error', () => {
    const c = censusOf(APPS, new Map(), []);
    expect(() => clusterOf(c, 'prod')).toThrow('internal error: the apps layout has no cluster settings');
    expect(() => censusOf(APPS, new Map(), ['prod'])).toThrow('internal error: the apps layout has no cluster settings');
    expect(withClusters(c, { root: '/nonexistent' }, ['prod'])).toBe(c);
  });

  test('empty values in a cluster file: kept as found, none of them valid', () => {
    const file = settingsOf('x');
    const c = censusOf(L, new Map([[file, 'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: cluster-settings\ndata:\n  CNPG_OPERATOR_VERSION:\n  CNPG_OPERATOR_REPLICAS: ""\n  BLOCK_SC: ""\n']]), ['x']);
    expect(clusterOf(c, 'x')).toEqual({
      name: 'x',
      file,
      exists: true,
      data: { CNPG_OPERATOR_VERSION: '', CNPG_OPERATOR_REPLICAS: '', BLOCK_SC: '' },
      version: { raw: '', file, note: `${file}: version "" is not an exact chart version; it will be replaced` },
      replicas: { raw: '' },
      storageClass: { raw: '' },
    });
  });
});

describe('ownedPaths: the files a run reads besides the clusters', () => {
  test('infrastructure: the same for every namespace', () => {
    const want = [
      YO_RC,
      'bootstrap/helmfile.d/00-crds.yaml',
      'kubernetes/infrastructure/databases/kustomization.yaml',
      `${OP}/namespace.yaml`,
      `${OP}/ocirepository.yaml`,
      `${OP}/helmrelease.yaml`,
      `${OP}/pdb.yaml`,
      `${OP}/kustomization.yaml`,
      'kubernetes/infrastructure/databases/cloudnative-pg/monitoring/podmonitor.yaml',
      'kubernetes/infrastructure/databases/cloudnative-pg/monitoring/prometheusrule.yaml',
      'kubernetes/infrastructure/databases/cloudnative-pg/monitoring/kustomization.yaml',
      `${OP}/ks.yaml`,
      'kubernetes/infrastructure/databases/cloudnative-pg/monitoring/ks.yaml',
      `${OP}/podmonitor.yaml`,
      `${OP}/prometheusrule.yaml`,
    ];
    expect(ownedPaths(L)).toEqual(want);
    expect(ownedPaths(L, ['a', 'b'])).toEqual(want);
  });

  test('apps: per namespace, with its namespace folder, and the three CRD helmfile candidates once', () => {
    const app = (ns: string): string[] => [
      `kubernetes/apps/${ns}/kustomization.yaml`,
      `kubernetes/apps/${ns}/cloudnative-pg/app/ocirepository.yaml`,
      `kubernetes/apps/${ns}/cloudnative-pg/app/helmrelease.yaml`,
      `kubernetes/apps/${ns}/cloudnative-pg/app/pdb.yaml`,
      `kubernetes/apps/${ns}/cloudnative-pg/app/kustomization.yaml`,
      `kubernetes/apps/${ns}/cloudnative-pg/monitoring/podmonitor.yaml`,
      `kubernetes/apps/${ns}/cloudnative-pg/monitoring/prometheusrule.yaml`,
      `kubernetes/apps/${ns}/cloudnative-pg/monitoring/kustomization.yaml`,
      `kubernetes/apps/${ns}/cloudnative-pg/ks.yaml`,
      `kubernetes/apps/${ns}/namespace.yaml`,
    ];
    const head = [YO_RC, 'bootstrap/helmfile/crds.yaml', 'kubernetes/bootstrap/helmfile/crds.yaml', 'bootstrap/helmfile.d/00-crds.yaml'];
    expect(ownedPaths(APPS)).toEqual([...head, ...app('cnpg-system'), 'kubernetes/apps/kustomization.yaml']);
    expect(ownedPaths(APPS, ['db', 'web', 'db'])).toEqual([...head, ...app('db'), 'kubernetes/apps/kustomization.yaml', ...app('web')]);
  });
});

describe('scanNeeded: whether a run looks through the repo\'s other YAML', () => {
  const generated = new Map([[`${OP}/ks.yaml`, 'x']]);
  const stored = (answers: Partial<Answers> = {}): StoredAnswers => loadStored(storedRc(answers))!;

  test('a first run, or stored answers that are not complete: yes', () => {
    expect(scanNeeded(L, generated, undefined, {})).toBe(true);
    expect(scanNeeded(L, generated, loadStored(yoRc({ replicas: 2 })), {})).toBe(true);
  });

  test('complete answers but nothing generated (or only elsewhere): yes; a generated or a legacy file: no', () => {
    expect(scanNeeded(L, new Map([[`${OP}/ks.yaml`, undefined]]), stored(), {})).toBe(true);
    expect(scanNeeded(L, generated, stored(), {})).toBe(false);
    expect(scanNeeded(L, new Map([[`${OP}/podmonitor.yaml`, 'x']]), stored(), {})).toBe(false);
  });

  test('apps: a rerun with the answers it stores (no cluster, no storage class) and its files does not scan', () => {
    const apps = new Map([['kubernetes/apps/db/cloudnative-pg/ks.yaml', 'x']]);
    const appsStored = stored({ layout: 'apps', namespace: 'db' });
    expect(Object.keys(appsStored.values)).not.toContain('cluster');
    expect(scanNeeded(APPS, apps, appsStored, {}, ['db'])).toBe(false);
    // Its generated files are looked for in the namespaces given (default: cnpg-system).
    expect(scanNeeded(APPS, apps, appsStored, {})).toBe(true);
    expect(scanNeeded(APPS, new Map([['kubernetes/apps/cnpg-system/cloudnative-pg/ks.yaml', 'x']]), stored({ layout: 'apps' }), {})).toBe(false);
    // Answers that apply in apps still have to be there.
    const { replicas: _r, ...noReplicas } = JSON.parse(storedRc({ layout: 'apps', namespace: 'db' }))[P] as Record<string, unknown>;
    expect(scanNeeded(APPS, apps, loadStored(yoRc(noReplicas)), {}, ['db'])).toBe(true);
    // In the infrastructure layout the cluster and the storage class are answers like any other.
    const { cluster: _c, ...noCluster } = JSON.parse(storedRc())[P] as Record<string, unknown>;
    expect(scanNeeded(L, generated, loadStored(yoRc(noCluster)), {})).toBe(true);
  });

  test('prometheus-operator without selector labels (the kube-prometheus-stack hint): yes; flags count before stored answers', () => {
    expect(scanNeeded(L, generated, stored({ monitoring: 'prometheus-operator' }), {})).toBe(true);
    expect(scanNeeded(L, generated, stored({ monitoring: 'prometheus-operator', monitoringLabels: { release: 'kps' } }), {})).toBe(false);
    expect(scanNeeded(L, generated, stored({ monitoring: 'prometheus-operator' }), { monitoringLabels: { release: 'kps' } })).toBe(false);
    expect(scanNeeded(L, generated, stored({ monitoring: 'prometheus-operator', monitoringLabels: { release: 'kps' } }), { monitoringLabels: {} })).toBe(true);
    expect(scanNeeded(L, generated, stored(), { monitoring: 'prometheus-operator' })).toBe(true);
    expect(scanNeeded(L, generated, stored({ monitoring: 'prometheus-operator' }), { monitoring: 'none' })).toBe(false);
  });
});
