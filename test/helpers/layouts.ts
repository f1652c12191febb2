/**
 * Fixture repos in the two layouts of ../shared/LAYOUTS.md, for the layout work and the "wired in" test:
 * `infrastructureRepo` (the story's layout) and `appsRepo` (onedr0p/cluster-template and the home-ops repos).
 * Each returns a temporary git repo (one commit) built to those descriptions; the entry points that Flux applies
 * first are exported beside them (`infrastructureEntries`, `APPS_ENTRY`), as the roots for flux-graph.ts.
 */
import { tmpRepo } from './repo.js';

export interface App {
  name: string;
  /** OCI chart URL and literal tag. */
  url: string;
  tag: string;
  /** infrastructure layout: the namespace its objects go in (default: the app name). */
  namespace?: string;
}

const OCI_LAYER = `  layerSelector:
    mediaType: application/vnd.cncf.helm.chart.content.v1.tar+gzip
    operation: copy
`;

/** An OCIRepository + HelmRelease pair (no namespace: the parent kustomization or targetNamespace sets it). */
function ociRepository(app: App, namespace?: string): string {
  return `---
apiVersion: source.toolkit.fluxcd.io/v1
kind: OCIRepository
metadata:
  name: ${app.name}
${namespace ? `  namespace: ${namespace}\n` : ''}spec:
  interval: 15m
${OCI_LAYER}  ref:
    tag: ${app.tag}
  url: ${app.url}
`;
}

function helmRelease(app: App, namespace?: string, values = '  values: {}\n'): string {
  return `---
apiVersion: helm.toolkit.fluxcd.io/v2
kind: HelmRelease
metadata:
  name: ${app.name}
${namespace ? `  namespace: ${namespace}\n` : ''}spec:
  interval: 1h
  chartRef:
    kind: OCIRepository
    name: ${app.name}
${values}`;
}

function kustomization(resources: string[], extra = ''): string {
  return `---
apiVersion: kustomize.config.k8s.io/v1beta1
kind: Kustomization
${extra}resources:
${resources.map((r) => `  - ${r}\n`).join('')}`;
}

export const CNPG_CHART = { url: 'oci://ghcr.io/cloudnative-pg/charts/cloudnative-pg', tag: '0.26.0' } as const;

// ---------------------------------------------------------------------------------------------------------------
// infrastructure

export interface InfrastructureOptions {
  /** Cluster names; each gets kubernetes/clusters/<c>/{cluster-settings,infrastructure}.yaml. Default ['infra']. */
  clusters?: string[];
  /** Category → apps under kubernetes/infrastructure/<category>/<app>/app. Default: core (cert-manager), observability (victoria-metrics-operator). */
  categories?: Record<string, App[]>;
  /**
   * How the cluster entry reaches the categories: `folder` (default) is one Flux Kustomization with path
   * ./kubernetes/infrastructure and no kustomization.yaml there (Flux generates one, taking every category
   * folder); `list` adds kubernetes/infrastructure/kustomization.yaml listing today's categories; `per-category` is
   * one Flux Kustomization per category, each with path ./kubernetes/infrastructure/<category>.
   */
  entry?: 'folder' | 'list' | 'per-category';
  /** An existing cloudnative-pg install as an app of this category (…/<category>/cloudnative-pg/app, namespace cnpg-system). */
  existingCnpgCategory?: string;
}

const INFRA_CATEGORIES: Record<string, App[]> = {
  core: [{ name: 'cert-manager', url: 'oci://quay.io/jetstack/charts/cert-manager', tag: 'v1.17.2' }],
  observability: [{ name: 'victoria-metrics-operator', url: 'oci://ghcr.io/victoriametrics/helm-charts/victoria-metrics-operator', tag: '0.50.1' }],
};

export function clusterSettings(cluster: string): string {
  return `---
# Cluster-wide variables, substituted by Flux (postBuild.substituteFrom)
apiVersion: v1
kind: ConfigMap
metadata:
  name: cluster-settings
  namespace: flux-system
data:
  # Cluster
  CLUSTER_NAME: "${cluster}"
  CLUSTER_DOMAIN: "${cluster}.example.com" # public zone

  # Network
  CLUSTER_POD_CIDR: "10.42.0.0/16"

  # Storage
  BLOCK_SC: "ceph-block"
`;
}

function fluxKustomization(name: string, path: string, opts: { namespace?: string; substitute?: boolean; dependsOn?: string[] } = {}): string {
  return `---
apiVersion: kustomize.toolkit.fluxcd.io/v1
kind: Kustomization
metadata:
  name: ${name}
${opts.namespace ? `  namespace: ${opts.namespace}\n` : ''}spec:
  interval: 30m
  path: ${path}
  prune: true
  sourceRef:
    kind: GitRepository
    name: flux-system
    namespace: flux-system
${opts.dependsOn?.length ? `  dependsOn:\n${opts.dependsOn.map((d) => `    - name: ${d}\n`).join('')}` : ''}${
    opts.substitute ? '  postBuild:\n    substituteFrom:\n      - kind: ConfigMap\n        name: cluster-settings\n' : ''
  }`;
}

/** The Flux entry files of an infrastructure fixture (what the cluster's flux-system Kustomization applies). */
export function infrastructureEntries(opts: InfrastructureOptions = {}): string[] {
  return (opts.clusters ?? ['infra']).map((c) => `kubernetes/clusters/${c}/infrastructure.yaml`);
}

export function infrastructureFiles(opts: InfrastructureOptions = {}): Record<string, string> {
  const clusters = opts.clusters ?? ['infra'];
  const categories: Record<string, App[]> = { ...(opts.categories ?? INFRA_CATEGORIES) };
  if (opts.existingCnpgCategory) {
    const cat = opts.existingCnpgCategory;
    categories[cat] = [...(categories[cat] ?? []), { name: 'cloudnative-pg', namespace: 'cnpg-system', ...CNPG_CHART }];
  }
  const entry = opts.entry ?? 'folder';
  const files: Record<string, string> = { 'README.md': '# gitops (infrastructure layout)\n' };
  for (const c of clusters) {
    files[`kubernetes/clusters/${c}/cluster-settings.yaml`] = clusterSettings(c);
    files[`kubernetes/clusters/${c}/infrastructure.yaml`] =
      entry === 'per-category'
        ? Object.keys(categories).map((cat) => fluxKustomization(`infrastructure-${cat}`, `./kubernetes/infrastructure/${cat}`, { namespace: 'flux-system', substitute: true })).join('')
        : fluxKustomization('infrastructure', './kubernetes/infrastructure', { namespace: 'flux-system', substitute: true });
  }
  if (entry === 'list') files['kubernetes/infrastructure/kustomization.yaml'] = kustomization(Object.keys(categories).map((cat) => `./${cat}`));
  for (const [cat, apps] of Object.entries(categories)) {
    const entries: string[] = [];
    for (const app of apps) {
      const dir = `kubernetes/infrastructure/${cat}/${app.name}/app`;
      entries.push(`./${app.name}/app/ks.yaml`);
      files[`${dir}/ks.yaml`] = fluxKustomization(app.name, `./${dir}`, { namespace: 'flux-system', substitute: true });
      files[`${dir}/kustomization.yaml`] = kustomization(['./ocirepository.yaml', './helmrelease.yaml']);
      files[`${dir}/ocirepository.yaml`] = ociRepository(app, app.namespace ?? app.name);
      files[`${dir}/helmrelease.yaml`] = helmRelease(app, app.namespace ?? app.name);
    }
    files[`kubernetes/infrastructure/${cat}/kustomization.yaml`] = kustomization(entries);
  }
  files['bootstrap/helmfile.d/00-crds.yaml'] = `---
# CRDs first: rendered with helmfile template, filtered to CustomResourceDefinitions
helmDefaults:
  wait: true
  timeout: 600
---
releases:
  - name: cert-manager
    namespace: cert-manager
    chart: oci://quay.io/jetstack/charts/cert-manager
    version: v1.17.2
    set:
      - name: crds.enabled
        value: true # CRDs only

  - name: prometheus-operator-crds
    namespace: observability
    chart: oci://ghcr.io/prometheus-community/charts/prometheus-operator-crds
    version: 20.0.0
`;
  return files;
}

/** A git repo in the infrastructure layout (one commit). */
export function infrastructureRepo(opts: InfrastructureOptions = {}): string {
  return tmpRepo(infrastructureFiles(opts));
}

// ---------------------------------------------------------------------------------------------------------------
// apps

export interface AppsOptions {
  /** Namespace → apps under kubernetes/apps/<ns>/<app>/app. Default: kube-system (coredns), cert-manager (cert-manager). */
  namespaces?: Record<string, App[]>;
  /** How a namespace folder gets its Namespace: the shared `../../components/namespace` (default) or ./namespace.yaml. */
  namespaceStyle?: 'component' | 'file';
  /** Where the CRD helmfile lives: `bootstrap/helmfile` (default; onedr0p, buroa) or `kubernetes/bootstrap/helmfile` (bjw-s). */
  helmfileDir?: 'bootstrap/helmfile' | 'kubernetes/bootstrap/helmfile';
  /** Add kube-prometheus-stack in observability (and its CRD release). */
  kubePrometheusStack?: boolean;
  /** An existing cloudnative-pg app in this namespace (kubernetes/apps/<ns>/cloudnative-pg/app). */
  existingCnpgNamespace?: string;
}

export const APPS_ENTRY = 'kubernetes/flux/cluster/ks.yaml';

const APPS_NAMESPACES: Record<string, App[]> = {
  'kube-system': [{ name: 'coredns', url: 'oci://ghcr.io/coredns/charts/coredns', tag: '1.42.1' }],
  'cert-manager': [{ name: 'cert-manager', url: 'oci://quay.io/jetstack/charts/cert-manager', tag: 'v1.17.2' }],
};

const KPS: App = { name: 'kube-prometheus-stack', url: 'oci://ghcr.io/prometheus-community/charts/kube-prometheus-stack', tag: '72.6.2' };

function appKs(ns: string, app: string): string {
  return `---
apiVersion: kustomize.toolkit.fluxcd.io/v1
kind: Kustomization
metadata:
  name: ${app}
spec:
  interval: 1h
  path: ./kubernetes/apps/${ns}/${app}/app
  prune: true
  sourceRef:
    kind: GitRepository
    name: flux-system
    namespace: flux-system
  targetNamespace: ${ns}
  wait: false
  postBuild:
    substitute:
      APP: ${app}
`;
}

const CLUSTER_APPS = `---
apiVersion: kustomize.toolkit.fluxcd.io/v1
kind: Kustomization
metadata:
  name: cluster-apps
  namespace: flux-system
spec:
  interval: 1h
  path: ./kubernetes/apps
  prune: true
  sourceRef:
    kind: GitRepository
    name: flux-system
  patches:
    # Shared defaults for every child Flux Kustomization and HelmRelease
    - patch: |-
        apiVersion: kustomize.toolkit.fluxcd.io/v1
        kind: Kustomization
        metadata:
          name: _
        spec:
          deletionPolicy: WaitForTermination
      target:
        group: kustomize.toolkit.fluxcd.io
        kind: Kustomization
    - patch: |-
        apiVersion: helm.toolkit.fluxcd.io/v2
        kind: HelmRelease
        metadata:
          name: _
        spec:
          install:
            crds: CreateReplace
            strategy:
              name: RetryOnFailure
          upgrade:
            crds: CreateReplace
            cleanupOnFail: true
            remediation:
              retries: 2
      target:
        group: helm.toolkit.fluxcd.io
        kind: HelmRelease
`;

export function appsFiles(opts: AppsOptions = {}): Record<string, string> {
  const namespaces: Record<string, App[]> = { ...(opts.namespaces ?? APPS_NAMESPACES) };
  if (opts.kubePrometheusStack) namespaces.observability = [...(namespaces.observability ?? []), KPS];
  if (opts.existingCnpgNamespace) namespaces[opts.existingCnpgNamespace] = [...(namespaces[opts.existingCnpgNamespace] ?? []), { name: 'cloudnative-pg', ...CNPG_CHART }];
  const style = opts.namespaceStyle ?? 'component';
  const helmfileDir = opts.helmfileDir ?? 'bootstrap/helmfile';
  const files: Record<string, string> = { 'README.md': '# home-ops (apps layout)\n', [APPS_ENTRY]: CLUSTER_APPS };
  if (style === 'component') {
    files['kubernetes/components/namespace/kustomization.yaml'] = `---
apiVersion: kustomize.config.k8s.io/v1alpha1
kind: Component
resources:
  - ./namespace.yaml
`;
    files['kubernetes/components/namespace/namespace.yaml'] = `---
apiVersion: v1
kind: Namespace
metadata:
  name: _ # renamed by the namespace folder's kustomization
  annotations:
    kustomize.toolkit.fluxcd.io/prune: disabled
`;
  }
  for (const [ns, apps] of Object.entries(namespaces)) {
    const resources = [...(style === 'file' ? ['./namespace.yaml'] : []), ...apps.map((a) => `./${a.name}/ks.yaml`)];
    files[`kubernetes/apps/${ns}/kustomization.yaml`] = `---
apiVersion: kustomize.config.k8s.io/v1beta1
kind: Kustomization
namespace: ${ns}
${style === 'component' ? 'components:\n  - ../../components/namespace\n' : ''}resources:
${resources.map((r) => `  - ${r}\n`).join('')}`;
    if (style === 'file') {
      files[`kubernetes/apps/${ns}/namespace.yaml`] = `---
apiVersion: v1
kind: Namespace
metadata:
  name: ${ns}
  annotations:
    kustomize.toolkit.fluxcd.io/prune: disabled
`;
    }
    for (const app of apps) {
      const dir = `kubernetes/apps/${ns}/${app.name}`;
      files[`${dir}/ks.yaml`] = appKs(ns, app.name);
      files[`${dir}/app/kustomization.yaml`] = kustomization(['./helmrelease.yaml', './ocirepository.yaml']);
      files[`${dir}/app/ocirepository.yaml`] = ociRepository(app);
      files[`${dir}/app/helmrelease.yaml`] = helmRelease(app, undefined, app === KPS ? '  values:\n    prometheus:\n      prometheusSpec:\n        podMonitorSelectorNilUsesHelmValues: false\n' : '  values: {}\n');
    }
  }
  const crdReleases = Object.entries(namespaces).flatMap(([ns, apps]) =>
    apps.filter((a) => a.name === 'cert-manager' || a === KPS).map((a) => `  - name: ${a.name}\n    namespace: ${ns}\n    inherit:\n      - template: default\n`),
  );
  files[`${helmfileDir}/crds.yaml`] = `---
bases:
  - default.yaml
---
helmDefaults:
  args:
    - --include-crds
    - --no-hooks

releases:
${crdReleases.join('\n')}`;
  const up = helmfileDir.split('/').map(() => '..').join('/');
  files[`${helmfileDir}/default.yaml`] = `---
templates:
  default:
    # chart and version come from the app's ocirepository.yaml (templates/release.yaml.gotmpl)
    chart: '{{ (fromYaml (tpl (readFile "./templates/release.yaml.gotmpl") .)).chart }}'
    version: '{{ (fromYaml (tpl (readFile "./templates/release.yaml.gotmpl") .)).version }}'
`;
  files[`${helmfileDir}/templates/release.yaml.gotmpl`] = `{{- $oci := fromYaml (readFile (printf "${up}/kubernetes/apps/%s/%s/app/ocirepository.yaml" .Release.Namespace .Release.Name)) -}}
chart: {{ $oci.spec.url }}
version: {{ $oci.spec.ref.tag }}
`;
  return files;
}

/** A git repo in the apps layout (one commit). */
export function appsRepo(opts: AppsOptions = {}): string {
  return tmpRepo(appsFiles(opts));
}
