/**
 * Where things live in a GitOps repo: one value per repo layout. Every repo path the generator reads or writes
 * comes from here, so a second layout (see issue 12: `apps`) is a second value of the same type, not a second
 * copy of the generator. Today there is one: `infrastructure`, the story's layout and the default.
 */

/** The names of the layouts this generator knows. Add a name here and a value to LAYOUTS for a new layout. */
export type LayoutName = 'infrastructure';

/** Every file the generator may render, in kustomization order (names inside the layout's operator folder). */
export const GENERATED_FILES = [
  'namespace.yaml',
  'ocirepository.yaml',
  'helmrelease.yaml',
  'pdb.yaml',
  'podmonitor.yaml',
  'prometheusrule.yaml',
  'kustomization.yaml',
  'ks.yaml',
] as const;
export type GeneratedFile = (typeof GENERATED_FILES)[number];

/** The per-cluster variables the generator owns in a cluster's settings, per setting. */
export interface ClusterVars {
  chartVersion: string;
  replicas: string;
  storageClass: string;
}

export interface Layout {
  name: LayoutName;
  /** The folder the generator owns: every generated file lives here. */
  operatorDir: string;
  /** The kustomize Kustomization that lists the operator's Flux Kustomization, and the entry it gets. */
  parentKustomization: string;
  parentEntry: string;
  /** The helmfile that seeds the CRDs before Flux starts. */
  crdsHelmfile: string;
  /** Folder whose sub-folders are clusters (a sub-folder is a cluster when it holds its settings file). */
  clustersDir: string;
  /** The cluster-settings file of one cluster. */
  clusterSettingsPath(cluster: string): string;
  /** The variables of a cluster's settings that carry the generator's settings. */
  clusterVars: ClusterVars;
  /** Repo path of one generated file. */
  generatedPath(file: GeneratedFile): string;
}

/** Yeoman's stored answers, at the repo root in every layout. */
export const YO_RC = '.yo-rc.json';

const INFRA_OPERATOR_DIR = 'kubernetes/infrastructure/databases/cloudnative-pg/operator';

/** The story's layout ("infrastructure" in the layouts description the tests build fixtures to); the default for an empty repo. */
export const INFRASTRUCTURE: Layout = {
  name: 'infrastructure',
  operatorDir: INFRA_OPERATOR_DIR,
  parentKustomization: 'kubernetes/infrastructure/databases/kustomization.yaml',
  parentEntry: 'cloudnative-pg/operator/ks.yaml',
  crdsHelmfile: 'bootstrap/helmfile.d/00-crds.yaml',
  clustersDir: 'kubernetes/clusters',
  clusterSettingsPath: (cluster) => `kubernetes/clusters/${cluster}/cluster-settings.yaml`,
  clusterVars: { chartVersion: 'CNPG_OPERATOR_VERSION', replicas: 'CNPG_OPERATOR_REPLICAS', storageClass: 'BLOCK_SC' },
  generatedPath: (file) => `${INFRA_OPERATOR_DIR}/${file}`,
};

export const LAYOUTS: Readonly<Record<LayoutName, Layout>> = { infrastructure: INFRASTRUCTURE };

export const DEFAULT_LAYOUT: Layout = INFRASTRUCTURE;

/** Every generated path of a layout, in kustomization order. */
export function generatedPaths(layout: Layout): string[] {
  return GENERATED_FILES.map((f) => layout.generatedPath(f));
}
