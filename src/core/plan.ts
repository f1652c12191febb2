/**
 * The pure core: answers + a snapshot of the repo's current files -> a plan (files to write, patched text of
 * existing files, statuses, warnings, commit message). No I/O here; both doors call this.
 */
import { renderTemplate } from './render.js';
import { type Answers, type Monitoring, type SettingKey, parseSetting } from './settings.js';
import { describeChart, operatorVersionOf, compareVersions } from './versions.js';
import { hasConflictMarkers, merge3, takeGeneratorSide } from './merge.js';
import { FileError, addKustomizationResource, patchClusterSettings, patchCrdsHelmfile, readClusterSettings } from './yaml-patch.js';

export { PACKAGE_NAME } from './meta.js';
import { PACKAGE_NAME } from './meta.js';
export const OPERATOR_DIR = 'kubernetes/infrastructure/databases/cloudnative-pg/operator';
export const DATABASES_KUSTOMIZATION = 'kubernetes/infrastructure/databases/kustomization.yaml';
export const KS_ENTRY = 'cloudnative-pg/operator/ks.yaml';
export const CRDS_HELMFILE = 'bootstrap/helmfile.d/00-crds.yaml';
export const YO_RC = '.yo-rc.json';
export const clusterSettingsPath = (cluster: string) => `kubernetes/clusters/${cluster}/cluster-settings.yaml`;

/** The cluster-settings variable that carries each setting the generator owns there. */
export const CLUSTER_VARS = { chartVersion: 'CNPG_OPERATOR_VERSION', replicas: 'CNPG_OPERATOR_REPLICAS', storageClass: 'BLOCK_SC' } as const;

/** A cluster's own replicas or storage class, parsed, or undefined when it is not a valid value. */
export function clusterValue<K extends 'replicas' | 'storageClass'>(setting: K, raw: string): Answers[K] | undefined {
  try {
    return parseSetting(setting, raw);
  } catch {
    return undefined;
  }
}

/** Every file the generator may render, in kustomization order. */
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
export const GENERATED_PATHS = GENERATED_FILES.map((f) => `${OPERATOR_DIR}/${f}`);

export type FileStatus = 'created' | 'updated' | 'merged' | 'conflicted' | 'unchanged' | 'deleted-by-user' | 'removed';

export interface FileChange {
  path: string;
  status: FileStatus;
  before: string | undefined;
  /** Content to write; undefined with status `removed` deletes the file; ignored when unchanged. */
  after: string | undefined;
  note?: string;
}

export interface Plan {
  changes: FileChange[];
  warnings: string[];
  commitMessage: string;
  /** Paths whose content changes on disk. */
  writes: FileChange[];
  conflicted: FileChange[];
}

export interface PlanInput {
  answers: Answers;
  generatorVersion: string;
  /** Current content of every file the plan may touch (undefined: missing). */
  files: ReadonlyMap<string, string | undefined>;
  /** What the generator last wrote, per generated path (3-way merge base), when known. */
  bases: ReadonlyMap<string, string>;
  /** Chart version in the repo before this run (for the commit message), when known. */
  previousVersion?: string;
  /** True when the repo already had our answers or generated files. */
  existing: boolean;
  force: boolean;
  /** Settings the user set on this run (flag or prompt). Others never overwrite a valid value a cluster already has. */
  explicit: ReadonlySet<SettingKey>;
}

function fileNamesFor(monitoring: Monitoring): string[] {
  return GENERATED_FILES.filter((f) => monitoring !== 'none' || (f !== 'podmonitor.yaml' && f !== 'prometheusrule.yaml'));
}

/** Render every generated file for these answers: repo path -> content. */
export function renderGenerated(answers: Answers): Map<string, string> {
  const names = fileNamesFor(answers.monitoring);
  const data = {
    namespace: answers.namespace,
    monitoring: answers.monitoring,
    dependsOn: answers.dependsOn,
    resources: names.filter((n) => n !== 'kustomization.yaml' && n !== 'ks.yaml'),
  };
  const out = new Map<string, string>();
  for (const name of names) out.set(`${OPERATOR_DIR}/${name}`, renderTemplate(`${name}.ejs`, data));
  return out;
}

export function storedSection(answers: Answers, generatorVersion: string): Record<string, unknown> {
  return { ...answers, generatorVersion };
}

/** Update our section of .yo-rc.json, keeping every other generator's section. */
export function patchYoRc(text: string | undefined, section: Record<string, unknown>): string {
  let obj: Record<string, unknown> = {};
  if (text !== undefined && text.trim() !== '') {
    const parsed = parseYoRc(text);
    if (JSON.stringify(parsed[PACKAGE_NAME]) === JSON.stringify(section)) return text;
    obj = parsed;
  }
  obj[PACKAGE_NAME] = section;
  return JSON.stringify(obj, null, 2) + '\n';
}

export function parseYoRc(text: string): Record<string, unknown> {
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch (e) {
    throw new FileError(YO_RC, `is not valid JSON (${(e as Error).message})`);
  }
  if (parsed === null || typeof parsed !== 'object' || Array.isArray(parsed)) throw new FileError(YO_RC, 'must hold a JSON object');
  return parsed as Record<string, unknown>;
}

function commitMessage(input: PlanInput): string {
  const { answers, previousVersion } = input;
  const chart = answers.chartVersion;
  let subject: string;
  if (!input.existing) subject = 'feat(databases): add CloudNativePG operator manifests';
  else if (previousVersion && previousVersion !== chart) {
    const verb = compareVersions(chart, previousVersion) > 0 ? 'bump' : 'downgrade';
    subject =
      `chore(databases): ${verb} CloudNativePG operator chart ${previousVersion} -> ${chart}` +
      ` (operator ${operatorVersionOf(previousVersion) ?? 'unknown'} -> ${operatorVersionOf(chart) ?? 'unknown'})`;
  } else subject = 'chore(databases): update CloudNativePG operator manifests';
  const body = [
    `Replicas: ${answers.replicas}`,
    `Chart: cloudnative-pg ${describeChart(chart)}`,
    `Namespace: ${answers.namespace}`,
    `Clusters: ${answers.cluster.join(', ')}`,
    `Monitoring: ${answers.monitoring}`,
  ];
  return `${subject}\n\n${body.join('\n')}\n\nGenerated-by: ${PACKAGE_NAME} ${input.generatorVersion}\n`;
}

function planGenerated(path: string, theirs: string | undefined, input: PlanInput): FileChange | undefined {
  const ours = input.files.get(path);
  const base = input.bases.get(path);
  if (theirs === undefined) {
    if (ours === undefined) return undefined;
    if (input.force || (base !== undefined && ours === base)) return { path, status: 'removed', before: ours, after: undefined };
    return {
      path,
      status: 'unchanged',
      before: ours,
      after: ours,
      note: 'no longer generated for these answers, but it differs from what the generator wrote: left in place (delete it, or rerun with --force)',
    };
  }
  if (ours === undefined) {
    if (base !== undefined && !input.force) {
      return { path, status: 'deleted-by-user', before: undefined, after: undefined, note: 'you deleted it; left deleted (rerun with --force to restore it)' };
    }
    return { path, status: 'created', before: undefined, after: theirs };
  }
  if (ours === theirs) return { path, status: 'unchanged', before: ours, after: ours };
  if (hasConflictMarkers(ours)) {
    if (!input.force) return { path, status: 'conflicted', before: ours, after: ours, note: 'still holds conflict markers from an earlier run' };
    // --force: the generator's side of each block an earlier run left, then merged as usual (like git merge -X theirs).
    const resolved = takeGeneratorSide(ours);
    if (resolved === undefined) return { path, status: 'updated', before: ours, after: theirs, note: "conflict markers not well formed: replaced by the generator's version (--force)" };
    const forced = merge3(base ?? '', resolved, theirs, { favor: 'theirs' });
    return { path, status: 'merged', before: ours, after: forced.text, note: "conflicting hunks take the generator's side (--force); your other edits are kept" };
  }
  const merged = merge3(base ?? '', ours, theirs);
  if (merged.conflicts > 0) {
    if (input.force) {
      const forced = merge3(base ?? '', ours, theirs, { favor: 'theirs' });
      return { path, status: 'merged', before: ours, after: forced.text, note: `${merged.conflicts} overlapping change(s) take the generator's side (--force); your other edits are kept` };
    }
    return {
      path,
      status: 'conflicted',
      before: ours,
      after: merged.text,
      note: base === undefined ? 'exists and was not written by this generator' : `${merged.conflicts} overlapping change(s)`,
    };
  }
  if (merged.text === ours) return { path, status: 'unchanged', before: ours, after: ours };
  return { path, status: ours === base ? 'updated' : 'merged', before: ours, after: merged.text };
}

function patched(path: string, before: string | undefined, after: string): FileChange {
  if (before === after) return { path, status: 'unchanged', before, after };
  return { path, status: before === undefined ? 'created' : 'updated', before, after };
}

export function makePlan(input: PlanInput): Plan {
  const { answers, files } = input;
  const warnings: string[] = [];
  const changes: FileChange[] = [];

  const rendered = renderGenerated(answers);
  for (const path of GENERATED_PATHS) {
    const change = planGenerated(path, rendered.get(path), input);
    if (change) changes.push(change);
    if (change?.note && change.status !== 'conflicted') warnings.push(`${path}: ${change.note}`);
  }

  const dbk = files.get(DATABASES_KUSTOMIZATION);
  changes.push(patched(DATABASES_KUSTOMIZATION, dbk, addKustomizationResource(dbk, DATABASES_KUSTOMIZATION, KS_ENTRY)));

  for (const cluster of answers.cluster) {
    const path = clusterSettingsPath(cluster);
    const before = files.get(path);
    const current = before === undefined ? {} : readClusterSettings(before, path);
    // The repo is the truth: a cluster's own BLOCK_SC or replica count stays unless the user set one on this run.
    const keep = (setting: 'replicas' | 'storageClass', value: string): string => {
      const have = current[CLUSTER_VARS[setting]];
      return have === undefined || input.explicit.has(setting) || clusterValue(setting, have) === undefined ? value : have;
    };
    const values = {
      [CLUSTER_VARS.chartVersion]: answers.chartVersion,
      [CLUSTER_VARS.replicas]: keep('replicas', String(answers.replicas)),
      [CLUSTER_VARS.storageClass]: keep('storageClass', answers.storageClass),
    };
    changes.push(patched(path, before, patchClusterSettings(before, path, values)));
  }

  const crds = files.get(CRDS_HELMFILE);
  changes.push(patched(CRDS_HELMFILE, crds, patchCrdsHelmfile(crds, CRDS_HELMFILE, answers.chartVersion)));

  const yoRc = files.get(YO_RC);
  changes.push(patched(YO_RC, yoRc, patchYoRc(yoRc, storedSection(answers, input.generatorVersion))));

  const writes = changes.filter((c) => c.status !== 'unchanged' && c.status !== 'deleted-by-user' && c.after !== c.before);
  const conflicted = changes.filter((c) => c.status === 'conflicted');
  return { changes, warnings, commitMessage: commitMessage(input), writes, conflicted };
}
