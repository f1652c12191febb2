/**
 * The pure core: the resolved answers (answers.ts) + the census's file texts -> a plan (files to write, patched
 * text of existing files, statuses, warnings, commit message). No I/O here, and no answer is decided here.
 */
import type { Resolution } from './answers.js';
import type { ClusterOverrides } from './census.js';
import { parseYoRc } from './census.js';
import { GENERATED_FILES, type GeneratedFile, type Layout, YO_RC, generatedPaths } from './layout.js';
import { hasConflictMarkers, merge3, takeGeneratorSide } from './merge.js';
import { PACKAGE_NAME } from './meta.js';
import { patchClusterSettings } from './patch/cluster-settings.js';
import { patchCrdsHelmfile } from './patch/crds-helmfile.js';
import { addKustomizationResource } from './patch/kustomization-list.js';
import { renderTemplate } from './render.js';
import type { Answers, Monitoring } from './settings.js';
import type { RunUpgrade } from './upgrade-run.js';
import { compareVersions, describeChart, operatorVersionOf } from './versions.js';

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
  /** The chart moves of the run and their upgrade plans (issue 13; set by run.ts's prepare). */
  upgrades?: RunUpgrade[];
}

export interface PlanInput {
  /** The decided answers, per setting and per cluster (resolveAnswers). */
  resolution: Resolution;
  layout: Layout;
  generatorVersion: string;
  /** Current content of every file the plan may touch (undefined: missing): the census's files. */
  files: ReadonlyMap<string, string | undefined>;
  /** What the generator last wrote, per generated path (3-way merge base), when known. */
  bases: ReadonlyMap<string, string>;
  /** True when the repo already had our answers or generated files. */
  existing: boolean;
  force: boolean;
  /** Lines for the commit body under the summary: the crossed operator releases and their hazard tags (upgrade-run.ts). */
  upgradeLines?: string[];
}

function fileNamesFor(monitoring: Monitoring): GeneratedFile[] {
  return GENERATED_FILES.filter((f) => monitoring !== 'none' || (f !== 'podmonitor.yaml' && f !== 'prometheusrule.yaml'));
}

/** Render every generated file for these answers: repo path -> content. */
export function renderGenerated(answers: Answers, layout: Layout): Map<string, string> {
  const names = fileNamesFor(answers.monitoring);
  const data = {
    namespace: answers.namespace,
    monitoring: answers.monitoring,
    dependsOn: answers.dependsOn,
    resources: names.filter((n) => n !== 'kustomization.yaml' && n !== 'ks.yaml'),
    monitoringLabels: answers.monitoringLabels,
    inplaceUpdates: answers.inplaceUpdates,
    clustersRolloutDelay: answers.clustersRolloutDelay,
    instancesRolloutDelay: answers.instancesRolloutDelay,
  };
  const out = new Map<string, string>();
  for (const name of names) out.set(layout.generatedPath(name), renderTemplate(`${name}.ejs`, data));
  return out;
}

/**
 * Our section of .yo-rc.json: the shared answers, the generator version and, only when some target cluster keeps
 * other replicas or another storage class, `clusters: { <name>: { replicas?, storageClass? } }` with those
 * exceptions. The previous generator version reads the shared keys and ignores `clusters`.
 */
export function storedSection(answers: Answers, generatorVersion: string, exceptions: Record<string, ClusterOverrides> = {}): Record<string, unknown> {
  return { ...answers, generatorVersion, ...(Object.keys(exceptions).length > 0 ? { clusters: exceptions } : {}) };
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

/** `Replicas: 2`, or one line per cluster when the target clusters differ. */
function perClusterLines(label: string, clusters: Resolution['clusters'], value: (c: Resolution['clusters'][number]) => string): string[] {
  const values = clusters.map(value);
  if (values.every((v) => v === values[0])) return [`${label}: ${values[0]}`];
  return [`${label} (per cluster):`, ...clusters.map((c, i) => `  ${c.name}: ${values[i]}`)];
}

function commitMessage(input: PlanInput): string {
  const { answers, previousVersion, clusters } = input.resolution;
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
    ...perClusterLines('Replicas', clusters, (c) => String(c.replicas.value)),
    `Chart: cloudnative-pg ${describeChart(chart)}`,
    `Namespace: ${answers.namespace}`,
    `Clusters: ${answers.cluster.join(', ')}`,
    `Monitoring: ${answers.monitoring}`,
  ];
  const storage = perClusterLines('Storage class', clusters, (c) => c.storageClass.value);
  if (storage.length > 1) body.push(...storage);
  if (input.upgradeLines?.length) body.push('', ...input.upgradeLines);
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
  const { resolution, layout, files } = input;
  const { answers } = resolution;
  const warnings: string[] = [];
  const changes: FileChange[] = [];

  const rendered = renderGenerated(answers, layout);
  for (const path of generatedPaths(layout)) {
    const change = planGenerated(path, rendered.get(path), input);
    if (change) changes.push(change);
    if (change?.note && change.status !== 'conflicted') warnings.push(`${path}: ${change.note}`);
  }

  const parent = files.get(layout.parentKustomization);
  changes.push(patched(layout.parentKustomization, parent, addKustomizationResource(parent, layout.parentKustomization, layout.parentEntry)));

  const vars = layout.clusterVars;
  for (const cluster of resolution.clusters) {
    const before = files.get(cluster.file);
    const values = {
      [vars.chartVersion]: answers.chartVersion,
      [vars.replicas]: String(cluster.replicas.value),
      [vars.storageClass]: cluster.storageClass.value,
    };
    changes.push(patched(cluster.file, before, patchClusterSettings(before, cluster.file, values)));
  }

  const crds = files.get(layout.crdsHelmfile);
  changes.push(patched(layout.crdsHelmfile, crds, patchCrdsHelmfile(crds, layout.crdsHelmfile, answers.chartVersion)));

  const yoRc = files.get(YO_RC);
  changes.push(patched(YO_RC, yoRc, patchYoRc(yoRc, storedSection(answers, input.generatorVersion, resolution.exceptions))));

  const writes = changes.filter((c) => c.status !== 'unchanged' && c.status !== 'deleted-by-user' && c.after !== c.before);
  const conflicted = changes.filter((c) => c.status === 'conflicted');
  return { changes, warnings, commitMessage: commitMessage(input), writes, conflicted };
}
