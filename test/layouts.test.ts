/**
 * The fixture builders and the Flux graph helper (issue 12 point 2) checked on themselves: the fixtures follow
 * ../shared/LAYOUTS.md, their existing apps are reachable from the Flux entry points, every folder kustomize must
 * build does build (`kubectl kustomize`, where kubectl is installed), and a bin run on the infrastructure fixture
 * today is reachable from the cluster's entry point.
 */
import { describe, expect, test } from '@jest/globals';
import { spawnSync } from 'node:child_process';
import path from 'node:path';
import { parseAllDocuments } from 'yaml';
import { APPS_ENTRY, type AppsOptions, type InfrastructureOptions, appsRepo, infrastructureEntries, infrastructureRepo } from './helpers/layouts.js';
import { fluxGraph, reachableFrom } from './helpers/flux-graph.js';
import { MONITORING, OPERATOR, bin, read, writeFile } from './helpers/repo.js';

const KUBECTL = spawnSync('kubectl', ['version', '--client'], { encoding: 'utf8' }).status === 0;

/** `kubectl kustomize` every folder the graph builds; returns the rendered objects per folder. */
function kustomizeAll(repo: string, folders: Iterable<string>): Map<string, { kind: string; name: string; namespace?: string }[]> {
  const out = new Map<string, { kind: string; name: string; namespace?: string }[]>();
  if (!KUBECTL) return out;
  for (const folder of folders) {
    const r = spawnSync('kubectl', ['kustomize', path.join(repo, folder)], { encoding: 'utf8' });
    expect({ folder, status: r.status, stderr: r.stderr }).toEqual({ folder, status: 0, stderr: '' });
    out.set(
      folder,
      parseAllDocuments(r.stdout).map((d) => {
        const o = d.toJS() as { kind: string; metadata: { name: string; namespace?: string } };
        return { kind: o.kind, name: o.metadata.name, ...(o.metadata.namespace ? { namespace: o.metadata.namespace } : {}) };
      }),
    );
  }
  return out;
}

describe('infrastructure fixture', () => {
  const variants: [string, InfrastructureOptions][] = [
    ['default', {}],
    ['two clusters, an existing cloudnative-pg', { clusters: ['infra', 'apps'], existingCnpgCategory: 'databases' }],
    ['categories listed', { entry: 'list' }],
    ['one entry per category', { entry: 'per-category' }],
  ];
  for (const [name, opts] of variants) {
    test(`${name}: every app is reachable from the cluster entry and every kustomization builds`, () => {
      const repo = infrastructureRepo(opts);
      const graph = fluxGraph(repo, infrastructureEntries(opts));
      expect(graph.problems).toEqual([]);
      expect(graph.files).toContain('kubernetes/infrastructure/core/cert-manager/app/helmrelease.yaml');
      expect(graph.files).toContain('kubernetes/infrastructure/observability/victoria-metrics-operator/app/ocirepository.yaml');
      if (opts.existingCnpgCategory) expect(graph.files).toContain('kubernetes/infrastructure/databases/cloudnative-pg/app/helmrelease.yaml');
      // The ks.yaml files are not listed by their own folder's kustomization (a Flux Kustomization would apply itself).
      expect(read(repo, 'kubernetes/infrastructure/core/cert-manager/app/kustomization.yaml')).not.toContain('ks.yaml');
      const built = kustomizeAll(repo, graph.kustomizations);
      if (KUBECTL) expect(built.get('kubernetes/infrastructure/core')).toEqual([{ kind: 'Kustomization', name: 'cert-manager', namespace: 'flux-system' }]);
      // 00-crds.yaml: two YAML documents, helmDefaults first.
      const crds = parseAllDocuments(read(repo, 'bootstrap/helmfile.d/00-crds.yaml')).map((d) => Object.keys(d.toJS() as object));
      expect(crds).toEqual([['helmDefaults'], ['releases']]);
    });
  }

  test("a bin run today is reachable from the cluster's entry point, HelmRelease and monitoring included", () => {
    const repo = infrastructureRepo();
    const before = reachableFrom(repo, infrastructureEntries());
    expect(before).not.toContain(`${OPERATOR}/helmrelease.yaml`);
    const r = bin(repo, ['--yes']);
    expect(r.status).toBe(0);
    const graph = fluxGraph(repo, infrastructureEntries());
    expect(graph.problems).toEqual([]);
    for (const f of ['helmrelease.yaml', 'ocirepository.yaml', 'namespace.yaml', 'pdb.yaml']) expect(graph.files).toContain(`${OPERATOR}/${f}`);
    for (const f of ['podmonitor.yaml', 'prometheusrule.yaml']) expect(graph.files).toContain(`${MONITORING}/${f}`);
    expect(graph.fluxKustomizations.map((k) => k.path)).toContain(`./${OPERATOR}`);
    kustomizeAll(repo, graph.kustomizations);
  });

  test('the graph follows only what is wired: a folder no kustomization lists is not reached', () => {
    const repo = infrastructureRepo({ entry: 'list' });
    writeFile(repo, 'kubernetes/infrastructure/orphan/app/helmrelease.yaml', 'apiVersion: helm.toolkit.fluxcd.io/v2\nkind: HelmRelease\nmetadata:\n  name: orphan\n');
    writeFile(repo, 'kubernetes/infrastructure/orphan/kustomization.yaml', 'apiVersion: kustomize.config.k8s.io/v1beta1\nkind: Kustomization\nresources:\n  - ./app/helmrelease.yaml\n');
    expect(reachableFrom(repo, infrastructureEntries())).not.toContain('kubernetes/infrastructure/orphan/app/helmrelease.yaml');
    // Without the listing kustomization.yaml, Flux generates one that takes every category folder.
    const generated = infrastructureRepo();
    writeFile(generated, 'kubernetes/infrastructure/orphan/app/helmrelease.yaml', 'apiVersion: helm.toolkit.fluxcd.io/v2\nkind: HelmRelease\nmetadata:\n  name: orphan\n');
    writeFile(generated, 'kubernetes/infrastructure/orphan/kustomization.yaml', 'apiVersion: kustomize.config.k8s.io/v1beta1\nkind: Kustomization\nresources:\n  - ./app/helmrelease.yaml\n');
    expect(reachableFrom(generated, infrastructureEntries())).toContain('kubernetes/infrastructure/orphan/app/helmrelease.yaml');
  });

  test('a kustomization resource that is a folder without a kustomization file is a problem, as for kustomize', () => {
    const repo = infrastructureRepo();
    writeFile(repo, 'kubernetes/infrastructure/core/kustomization.yaml', 'apiVersion: kustomize.config.k8s.io/v1beta1\nkind: Kustomization\nresources:\n  - ./cert-manager\n  - ./missing.yaml\n');
    expect(fluxGraph(repo, infrastructureEntries()).problems).toEqual([
      'kubernetes/infrastructure/core/kustomization.yaml: resources entry ./cert-manager is a folder without a kustomization file',
      'kubernetes/infrastructure/core/kustomization.yaml: resources entry ./missing.yaml does not exist',
    ]);
  });
});

describe('apps fixture', () => {
  const variants: [string, AppsOptions][] = [
    ['default (namespace component)', {}],
    ['namespace.yaml files, bjw-s helmfile path', { namespaceStyle: 'file', helmfileDir: 'kubernetes/bootstrap/helmfile' }],
    ['kube-prometheus-stack and an existing cloudnative-pg', { kubePrometheusStack: true, existingCnpgNamespace: 'database' }],
  ];
  for (const [name, opts] of variants) {
    test(`${name}: the existing apps are reachable from ${APPS_ENTRY} and every kustomization builds`, () => {
      const repo = appsRepo(opts);
      const graph = fluxGraph(repo, [APPS_ENTRY]);
      expect(graph.problems).toEqual([]);
      const apps = [
        'kube-system/coredns',
        'cert-manager/cert-manager',
        ...(opts.kubePrometheusStack ? ['observability/kube-prometheus-stack'] : []),
        ...(opts.existingCnpgNamespace ? [`${opts.existingCnpgNamespace}/cloudnative-pg`] : []),
      ];
      for (const app of apps) {
        for (const f of ['ks.yaml', 'app/helmrelease.yaml', 'app/ocirepository.yaml', 'app/kustomization.yaml']) expect(graph.files).toContain(`kubernetes/apps/${app}/${f}`);
        expect(graph.fluxKustomizations).toContainEqual({ file: `kubernetes/apps/${app}/ks.yaml`, name: app.split('/')[1], path: `./kubernetes/apps/${app}/app` });
      }
      const built = kustomizeAll(repo, graph.kustomizations);
      if (KUBECTL) {
        // The namespace folder yields its Namespace (the shared `_` renamed, or its own file) and the app's Flux Kustomization in it.
        expect(built.get('kubernetes/apps/kube-system')).toEqual(
          expect.arrayContaining([{ kind: 'Namespace', name: 'kube-system' }, { kind: 'Kustomization', name: 'coredns', namespace: 'kube-system' }]),
        );
      }
      const helmfile = opts.helmfileDir ?? 'bootstrap/helmfile';
      const releases = (parseAllDocuments(read(repo, `${helmfile}/crds.yaml`))[1].toJS() as { releases: Record<string, unknown>[] }).releases;
      for (const r of releases) expect(Object.keys(r).sort()).toEqual(['inherit', 'name', 'namespace']);
      expect(read(repo, `${helmfile}/templates/release.yaml.gotmpl`)).toContain(helmfile === 'bootstrap/helmfile' ? '"../../kubernetes/apps/%s/%s/app/ocirepository.yaml"' : '"../../../kubernetes/apps/%s/%s/app/ocirepository.yaml"');
    });
  }
});
