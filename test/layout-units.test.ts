/**
 * The layout pieces in process: the apps crds.yaml patcher (name + namespace only, the file's inherit style,
 * comments kept, never a second release), removing a kustomization entry, and layout detection (pure).
 */
import { describe, expect, test } from '@jest/globals';
import { parseAllDocuments } from 'yaml';
import { chooseLayout, detectLayout } from '../src/core/census.js';
import { FileError } from '../src/core/errors.js';
import { APPS, INFRASTRUCTURE, generatedFiles } from '../src/core/layout.js';
import { addCrdsRelease, readCrdsRelease } from '../src/core/patch/crds-releases.js';
import { removeKustomizationResource } from '../src/core/patch/kustomization-list.js';

const F = 'bootstrap/helmfile/crds.yaml';
const HEAD = '---\nbases:\n  - default.yaml\n---\nhelmDefaults:\n  args:\n    - --include-crds\n    - --no-hooks\n\n';

describe('addCrdsRelease (apps crds.yaml)', () => {
  test('copies the siblings\' inherit block and keeps comments and blank-line separation', () => {
    const text = `${HEAD}releases:\n  # CRDs first\n  - name: cert-manager\n    namespace: cert-manager\n    inherit:\n      - template: default # shared\n\n  - name: kube-prometheus-stack\n    namespace: observability\n    inherit:\n      - template: default\n`;
    const out = addCrdsRelease(text, F, 'database');
    expect(out).toBe(`${text}\n  - name: cloudnative-pg\n    namespace: database\n    inherit:\n      - template: default\n`);
    expect(addCrdsRelease(out, F, 'database')).toBe(out);
  });

  test('a file with defaultInherit (releases without inherit) gets name + namespace only', () => {
    const text = `${HEAD}defaultInherit: default\nreleases:\n  - name: cert-manager\n    namespace: cert-manager\n`;
    const out = addCrdsRelease(text, F, 'cnpg-system');
    expect(out).toBe(`${text}  - name: cloudnative-pg\n    namespace: cnpg-system\n`);
    const releases = (parseAllDocuments(out)[1].toJS() as { releases: Record<string, string>[] }).releases;
    expect(releases.at(-1)).toEqual({ name: 'cloudnative-pg', namespace: 'cnpg-system' });
  });

  test('an existing cloudnative-pg release follows the namespace; never a second one', () => {
    const text = `${HEAD}releases:\n  - name: cloudnative-pg\n    namespace: cnpg-system # operator\n    inherit:\n      - template: default\n`;
    const out = addCrdsRelease(text, F, 'database');
    expect(out).toBe(text.replace('namespace: cnpg-system # operator', 'namespace: database # operator'));
    expect(readCrdsRelease(out, F)).toEqual({ namespace: 'database' });
    expect(() => addCrdsRelease(`${text}  - name: cloudnative-pg\n    namespace: x\n`, F, 'database')).toThrow(/holds 2 releases named cloudnative-pg/);
  });

  test('an empty releases list gets a block list; a file without releases is refused, naming it', () => {
    expect(addCrdsRelease(`${HEAD}releases: []\n`, F, 'db')).toBe(`${HEAD}releases:\n  - name: cloudnative-pg\n    namespace: db\n`);
    expect(() => addCrdsRelease(HEAD, F, 'db')).toThrow(FileError);
    expect(() => addCrdsRelease(HEAD, F, 'db')).toThrow(/crds\.yaml.*no releases list/);
  });
});

describe('removeKustomizationResource', () => {
  test('removes the entry line (with or without ./), keeps everything else', () => {
    const text = '---\napiVersion: kustomize.config.k8s.io/v1beta1\nkind: Kustomization\nresources:\n  # db\n  - ./redis/ks.yaml\n  - cloudnative-pg/operator/ks.yaml\n  - cloudnative-pg/monitoring/ks.yaml # scrape\n';
    expect(removeKustomizationResource(text, 'k.yaml', './cloudnative-pg/monitoring/ks.yaml')).toBe(text.replace('  - cloudnative-pg/monitoring/ks.yaml # scrape\n', ''));
    expect(removeKustomizationResource(text, 'k.yaml', 'missing/ks.yaml')).toBe(text);
  });
});

describe('layouts and detection', () => {
  test('one type, two values: parts and generated files per layout', () => {
    expect(generatedFiles(INFRASTRUCTURE, 'cnpg-system', 'none').map((f) => f.path)).toEqual([
      'kubernetes/infrastructure/databases/cloudnative-pg/operator/namespace.yaml',
      'kubernetes/infrastructure/databases/cloudnative-pg/operator/ocirepository.yaml',
      'kubernetes/infrastructure/databases/cloudnative-pg/operator/helmrelease.yaml',
      'kubernetes/infrastructure/databases/cloudnative-pg/operator/pdb.yaml',
      'kubernetes/infrastructure/databases/cloudnative-pg/operator/kustomization.yaml',
      'kubernetes/infrastructure/databases/cloudnative-pg/operator/ks.yaml',
    ]);
    const apps = generatedFiles(APPS, 'db', 'prometheus-operator');
    expect(apps.map((f) => `${f.part} ${f.path}`)).toEqual([
      'operator kubernetes/apps/db/cloudnative-pg/app/ocirepository.yaml',
      'operator kubernetes/apps/db/cloudnative-pg/app/helmrelease.yaml',
      'operator kubernetes/apps/db/cloudnative-pg/app/pdb.yaml',
      'operator kubernetes/apps/db/cloudnative-pg/app/kustomization.yaml',
      'monitoring kubernetes/apps/db/cloudnative-pg/monitoring/podmonitor.yaml',
      'monitoring kubernetes/apps/db/cloudnative-pg/monitoring/prometheusrule.yaml',
      'monitoring kubernetes/apps/db/cloudnative-pg/monitoring/kustomization.yaml',
      'operator kubernetes/apps/db/cloudnative-pg/ks.yaml',
    ]);
    expect(apps.at(-1)!.holds).toEqual(['operator', 'monitoring']);
    expect(APPS.clusterSettings).toBeUndefined();
  });

  const ks = (p: string): string => `apiVersion: kustomize.toolkit.fluxcd.io/v1\nkind: Kustomization\nmetadata:\n  name: x\nspec:\n  path: ${p}\n`;
  test.each([
    ['empty', {}, { name: 'infrastructure', empty: true }],
    ['apps root', { 'kubernetes/flux/cluster/ks.yaml': ks('./kubernetes/apps') }, { name: 'apps', reason: 'kubernetes/flux/cluster/ks.yaml applies ./kubernetes/apps' }],
    ['apps ks files only', { 'kubernetes/apps/a/b/ks.yaml': ks('./kubernetes/apps/a/b/app') }, { name: 'apps', reason: 'kubernetes/apps/a/b/ks.yaml exists' }],
    ['cluster settings', { 'kubernetes/clusters/infra/cluster-settings.yaml': 'kind: ConfigMap\n' }, { name: 'infrastructure' }],
    ['infrastructure path', { 'kubernetes/clusters/infra/infrastructure.yaml': ks('./kubernetes/infrastructure') }, { name: 'infrastructure' }],
    ['both', { 'kubernetes/flux/cluster/ks.yaml': ks('./kubernetes/apps'), 'kubernetes/clusters/x/cluster-settings.yaml': '' }, { name: undefined }],
    ['something else', { 'kubernetes/main.yaml': ks('./deploy') }, { name: undefined, reason: 'neither layout: kubernetes/main.yaml applies ./deploy' }],
    ['flux plumbing is not evidence', { 'kubernetes/flux/repos.yaml': ks('./kubernetes/flux/repositories') }, { name: 'infrastructure', empty: true }],
  ])('%s', (_name, files, want: { name?: string; reason?: string; empty?: boolean }) => {
    const { name, ...rest } = want;
    const found = detectLayout(new Map(Object.entries(files)));
    expect(found.name).toBe(name);
    expect(found).toMatchObject(rest);
  });

  test('chooseLayout: flag > repo > stored > empty default; undecided without flag or stored is refused', () => {
    const both = detectLayout(new Map([['kubernetes/flux/cluster/ks.yaml', ks('./kubernetes/apps')], ['kubernetes/clusters/x/cluster-settings.yaml', '']]));
    expect(() => chooseLayout(undefined, undefined, both)).toThrow(/cannot tell this repo's layout.*--layout infrastructure or --layout apps/);
    expect(chooseLayout(undefined, 'apps', both)).toEqual({ value: 'apps', source: 'stored' });
    expect(chooseLayout('infrastructure', 'apps', both)).toEqual({ value: 'infrastructure', source: 'flag' });
    expect(chooseLayout(undefined, undefined, detectLayout(new Map()))).toEqual({ value: 'infrastructure', source: 'default' });
  });
});
