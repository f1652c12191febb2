/**
 * Where things live in a GitOps repo: one value per repo layout, of ONE type. Every repo path the generator reads
 * or writes comes from here, so the two layouts (`infrastructure`, the story's; `apps`, onedr0p/cluster-template's)
 * are two values of the same type, not two copies of the generator. What only one layout has is optional in the
 * type (`clusterSettings`, `namespaceFolder`, `fluxRoot`), and what differs is a variant (`versionHome`,
 * `crds.styleOf`).
 *
 * The generated files come in parts, each a folder with its own Flux Kustomization (issue 11, "split monitoring
 * out"): `operator` (namespace when the layout writes one, OCIRepository, HelmRelease, PDB) and `monitoring`
 * (scrape + rules), whose Flux Kustomization dependsOn the operator's. `--monitoring none` has no monitoring part.
 */
import type { Monitoring } from './settings.js';

/** The names of the layouts this generator knows. */
export const LAYOUT_NAMES = ['infrastructure', 'apps'] as const;
export type LayoutName = (typeof LAYOUT_NAMES)[number];

export type PartName = 'operator' | 'monitoring';

/** Every template the generator may render (templates/<name>.ejs). */
export const TEMPLATE_FILES = [
  'namespace.yaml',
  'ocirepository.yaml',
  'helmrelease.yaml',
  'pdb.yaml',
  'podmonitor.yaml',
  'prometheusrule.yaml',
  'kustomization.yaml',
  'ks.yaml',
] as const;
export type GeneratedFile = (typeof TEMPLATE_FILES)[number];
/** @deprecated name kept for callers of the one-layout core: the template names. */
export const GENERATED_FILES = TEMPLATE_FILES;

/** One part: a folder applied by its own Flux Kustomization. */
export interface Part {
  name: PartName;
  /** The folder (repo path) the part's Flux Kustomization applies. */
  dir: string;
  /** The objects' files in the folder, in kustomization order (kustomization.yaml lists them). */
  resources: GeneratedFile[];
  /** The Flux Kustomization's name. */
  fluxName: string;
  /** The file holding the part's Flux Kustomization. */
  fluxFile: string;
}

/** One generated file: its repo path, the template that renders it, and its part. */
export interface GeneratedSpec {
  path: string;
  template: GeneratedFile;
  part: PartName;
  /** For ks.yaml: the parts whose Flux Kustomizations this file holds (one per part, or all in one file). */
  holds?: PartName[];
}

/** The per-cluster variables the generator owns in a cluster's settings, per setting. */
export interface ClusterVars {
  chartVersion: string;
  replicas: string;
  storageClass: string;
}

/** The cluster-settings ConfigMaps (infrastructure only). */
export interface ClusterSettingsSpec {
  /** Folder whose sub-folders are clusters (a sub-folder is a cluster when it holds its settings file). */
  dir: string;
  path(cluster: string): string;
  vars: ClusterVars;
}

export interface Layout {
  name: LayoutName;
  /** The app's folder for a namespace: everything generated lives below it. */
  appDir(namespace: string): string;
  /** The parts for these answers (no monitoring part with `--monitoring none`). */
  parts(namespace: string, monitoring: Monitoring): Part[];
  /** Whether the operator part writes the Namespace object itself (infrastructure) or the namespace folder does (apps). */
  writesNamespace: boolean;
  /** Whether the manifests carry Flux `${VAR}`s from cluster settings (infrastructure) or literal values (apps). */
  fluxVars: boolean;
  /** Whether the objects carry metadata.namespace (apps: the Flux Kustomization's targetNamespace sets it). */
  objectNamespace: boolean;
  /** The kustomize Kustomization that lists the Flux Kustomization file(s), and its entries. */
  parentKustomization(namespace: string): string;
  parentEntries(namespace: string, monitoring: Monitoring): string[];
  /** Files an earlier generator version wrote that this one no longer writes (removed on rerun when unedited). */
  legacyPaths(namespace: string): string[];
  /** The helmfile that seeds the CRDs: the first candidate that exists (infrastructure: created when none does). */
  /**
   * The CRD helmfiles the layout may have, first that exists wins; `styleOf` tells how a file names the chart:
   * `versioned` (chart URL + version in the release) or `name-namespace` (chart and version come from the app's
   * OCIRepository through a helmfile template).
   */
  crds: { candidates: string[]; styleOf(path: string): 'versioned' | 'name-namespace'; createWhenMissing: boolean };
  /** Where the chart version lives: the cluster settings (+ the CRD helmfile), or the OCIRepository's spec.ref.tag. */
  versionHome: 'cluster-settings' | 'ocirepository';
  clusterSettings?: ClusterSettingsSpec;
  /** apps: the namespace folders under kubernetes/apps, created when missing after their siblings' pattern. */
  namespaceFolder?: { dir(namespace: string): string; root: string; component: string };
  /** apps: the Flux root that applies the layout's tree. */
  fluxRoot?: string;
}

/** Yeoman's stored answers, at the repo root in every layout. */
export const YO_RC = '.yo-rc.json';

const OPERATOR_RESOURCES: GeneratedFile[] = ['namespace.yaml', 'ocirepository.yaml', 'helmrelease.yaml', 'pdb.yaml'];
const MONITORING_RESOURCES: GeneratedFile[] = ['podmonitor.yaml', 'prometheusrule.yaml'];

const INFRA_APP_DIR = 'kubernetes/infrastructure/databases/cloudnative-pg';
const INFRA_OPERATOR_DIR = `${INFRA_APP_DIR}/operator`;
const INFRA_CLUSTER_SETTINGS: ClusterSettingsSpec = {
  dir: 'kubernetes/clusters',
  path: (cluster) => `kubernetes/clusters/${cluster}/cluster-settings.yaml`,
  vars: { chartVersion: 'CNPG_OPERATOR_VERSION', replicas: 'CNPG_OPERATOR_REPLICAS', storageClass: 'BLOCK_SC' },
};

/** Extra names of the infrastructure value, kept for the callers written when it was the only layout. */
export interface InfrastructureShortcuts {
  operatorDir: string;
  crdsHelmfile: string;
  clustersDir: string;
  clusterSettingsPath(cluster: string): string;
  clusterVars: ClusterVars;
  parentKustomization(namespace?: string): string;
  parentEntry: string;
  clusterSettings: ClusterSettingsSpec;
}

/** The story's layout; the default for an empty repo. */
export const INFRASTRUCTURE: Layout & InfrastructureShortcuts = {
  name: 'infrastructure',
  appDir: () => INFRA_APP_DIR,
  parts: (_namespace, monitoring) => [
    {
      name: 'operator',
      dir: INFRA_OPERATOR_DIR,
      resources: OPERATOR_RESOURCES,
      fluxName: 'infrastructure-databases-cnpg-operator',
      fluxFile: `${INFRA_OPERATOR_DIR}/ks.yaml`,
    },
    ...(monitoring === 'none'
      ? []
      : [
          {
            name: 'monitoring' as const,
            dir: `${INFRA_APP_DIR}/monitoring`,
            resources: MONITORING_RESOURCES,
            fluxName: 'infrastructure-databases-cnpg-monitoring',
            fluxFile: `${INFRA_APP_DIR}/monitoring/ks.yaml`,
          },
        ]),
  ],
  writesNamespace: true,
  fluxVars: true,
  objectNamespace: true,
  parentKustomization: () => 'kubernetes/infrastructure/databases/kustomization.yaml',
  parentEntries: (_namespace, monitoring) => ['cloudnative-pg/operator/ks.yaml', ...(monitoring === 'none' ? [] : ['cloudnative-pg/monitoring/ks.yaml'])],
  legacyPaths: () => [`${INFRA_OPERATOR_DIR}/podmonitor.yaml`, `${INFRA_OPERATOR_DIR}/prometheusrule.yaml`],
  crds: { candidates: ['bootstrap/helmfile.d/00-crds.yaml'], styleOf: () => 'versioned', createWhenMissing: true },
  versionHome: 'cluster-settings',
  clusterSettings: INFRA_CLUSTER_SETTINGS,
  operatorDir: INFRA_OPERATOR_DIR,
  crdsHelmfile: 'bootstrap/helmfile.d/00-crds.yaml',
  clustersDir: INFRA_CLUSTER_SETTINGS.dir,
  clusterSettingsPath: INFRA_CLUSTER_SETTINGS.path,
  clusterVars: INFRA_CLUSTER_SETTINGS.vars,
  parentEntry: 'cloudnative-pg/operator/ks.yaml',
};

const appsDir = (namespace: string): string => `kubernetes/apps/${namespace}/cloudnative-pg`;

/** onedr0p/cluster-template's layout: kubernetes/apps/<namespace>/<app>/{ks.yaml,app/}, no cluster settings. */
export const APPS: Layout = {
  name: 'apps',
  appDir: appsDir,
  parts: (namespace, monitoring) => [
    { name: 'operator', dir: `${appsDir(namespace)}/app`, resources: OPERATOR_RESOURCES.filter((f) => f !== 'namespace.yaml'), fluxName: 'cloudnative-pg', fluxFile: `${appsDir(namespace)}/ks.yaml` },
    ...(monitoring === 'none'
      ? []
      : [{ name: 'monitoring' as const, dir: `${appsDir(namespace)}/monitoring`, resources: MONITORING_RESOURCES, fluxName: 'cloudnative-pg-monitoring', fluxFile: `${appsDir(namespace)}/ks.yaml` }]),
  ],
  writesNamespace: false,
  fluxVars: false,
  objectNamespace: false,
  parentKustomization: (namespace) => `kubernetes/apps/${namespace}/kustomization.yaml`,
  parentEntries: () => ['./cloudnative-pg/ks.yaml'],
  legacyPaths: () => [],
  // onedr0p/home-ops, buroa and older cluster-template renders: crds.yaml with name + namespace releases; newer
  // cluster-template renders (and repos made from them): bootstrap/helmfile.d/00-crds.yaml with chart URL + version.
  crds: {
    candidates: ['bootstrap/helmfile/crds.yaml', 'kubernetes/bootstrap/helmfile/crds.yaml', 'bootstrap/helmfile.d/00-crds.yaml'],
    styleOf: (path) => (path.endsWith('/helmfile.d/00-crds.yaml') ? 'versioned' : 'name-namespace'),
    createWhenMissing: false,
  },
  versionHome: 'ocirepository',
  namespaceFolder: { dir: (namespace) => `kubernetes/apps/${namespace}`, root: 'kubernetes/apps', component: '../../components/namespace' },
  fluxRoot: 'kubernetes/flux/cluster/ks.yaml',
};

export const LAYOUTS: Readonly<Record<LayoutName, Layout>> = { infrastructure: INFRASTRUCTURE, apps: APPS };

export const DEFAULT_LAYOUT: Layout = INFRASTRUCTURE;

/** Every generated file for these answers, parts in order (operator first), resources then kustomization.yaml then ks.yaml. */
export function generatedFiles(layout: Layout, namespace: string, monitoring: Monitoring): GeneratedSpec[] {
  const parts = layout.parts(namespace, monitoring);
  const out: GeneratedSpec[] = [];
  for (const part of parts) {
    for (const template of part.resources) {
      if (template === 'namespace.yaml' && !layout.writesNamespace) continue;
      out.push({ path: `${part.dir}/${template}`, template, part: part.name });
    }
    out.push({ path: `${part.dir}/kustomization.yaml`, template: 'kustomization.yaml', part: part.name });
  }
  // One ks.yaml per distinct Flux file, holding the parts that name it.
  for (const file of [...new Set(parts.map((p) => p.fluxFile))]) {
    const holds = parts.filter((p) => p.fluxFile === file).map((p) => p.name);
    out.push({ path: file, template: 'ks.yaml', part: holds[0], holds });
  }
  return out;
}

/** Every generated path for these answers (default: every part). */
export function generatedPaths(layout: Layout, namespace = 'cnpg-system', monitoring: Monitoring = 'victoria-metrics'): string[] {
  return generatedFiles(layout, namespace, monitoring).map((f) => f.path);
}

/** Every path the generator may own for a namespace: all parts, and what earlier versions wrote there. */
export function ownedGeneratedPaths(layout: Layout, namespace: string): string[] {
  return [...new Set([...generatedPaths(layout, namespace, 'victoria-metrics'), ...layout.legacyPaths(namespace)])];
}
