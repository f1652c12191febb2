/**
 * The pure core: the resolved answers (answers.ts) + the census's file texts -> a plan (files to write, patched
 * text of existing files, statuses, warnings, commit message). No I/O here, and no answer is decided here.
 */
import type { Resolution } from './answers.js';
import type { ClusterOverrides } from './census.js';
import { crdsHelmfileOf, parseYoRc } from './census.js';
import { type Layout, YO_RC, generatedFiles, ownedGeneratedPaths } from './layout.js';
import { hasConflictMarkers, merge3, takeGeneratorSide } from './merge.js';
import { PACKAGE_NAME } from './meta.js';
import { patchClusterSettings } from './patch/cluster-settings.js';
import { patchCrdsHelmfile, readCrdsHelmfileNamespace } from './patch/crds-helmfile.js';
import { addCrdsRelease } from './patch/crds-releases.js';
import { addKustomizationResource, removeKustomizationResource } from './patch/kustomization-list.js';
import { yamlScalar } from './yaml-scalar.js';
import { renderTemplate } from './render.js';
import { type Answers, SETTINGS, appliesIn } from './settings.js';
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
  /** The CRD helmfile to patch (census.crdsHelmfile); default: the layout's first candidate that exists. */
  crdsHelmfile?: string;
  /** apps: how a new namespace folder gets its Namespace (census.namespaceStyle). */
  namespaceStyle?: 'component' | 'file';
  /** The namespace of the stored answers (its generated paths are no longer generated when it changed). */
  previousNamespace?: string;
}

/** Render every generated file for these answers: repo path -> content. */
export function renderGenerated(answers: Answers, layout: Layout): Map<string, string> {
  const parts = layout.parts(answers.namespace, answers.monitoring);
  const out = new Map<string, string>();
  for (const spec of generatedFiles(layout, answers.namespace, answers.monitoring)) {
    const part = parts.find((p) => p.name === spec.part)!;
    const operator = parts[0];
    const data = {
      namespace: answers.namespace,
      monitoring: answers.monitoring,
      dependsOn: answers.dependsOn,
      resources: part.resources,
      monitoringLabels: answers.monitoringLabels,
      inplaceUpdates: answers.inplaceUpdates,
      clustersRolloutDelay: answers.clustersRolloutDelay,
      instancesRolloutDelay: answers.instancesRolloutDelay,
      layout: layout.name,
      replicas: answers.replicas,
      chartVersion: answers.chartVersion,
      flux: (spec.holds ?? []).map((name) => {
        const p = parts.find((x) => x.name === name)!;
        return { name: p.fluxName, path: `./${p.dir}`, part: p.name, dependsOn: name === 'operator' ? answers.dependsOn : [operator.fluxName] };
      }),
    };
    out.set(spec.path, renderTemplate(`${spec.template}.ejs`, data));
  }
  return out;
}

const PSA_LABELS = ['pod-security.kubernetes.io/enforce', 'pod-security.kubernetes.io/audit', 'pod-security.kubernetes.io/warn'];

/** apps: a new namespace folder, after its siblings' pattern: kustomization.yaml (and namespace.yaml), with PSA labels. */
function namespaceFolder(layout: Layout, namespace: string, style: 'component' | 'file'): Map<string, string> {
  const nf = layout.namespaceFolder!;
  const dir = nf.dir(namespace);
  const ns = yamlScalar(namespace, 'plain-or-double');
  const labels = PSA_LABELS.map((l) => `${l}: restricted`);
  // Stryker disable next-line StringLiteral: equivalent: only apps has namespace folders, and its entries do not depend on the monitoring stack
  const entries = layout.parentEntries(namespace, 'none');
  const out = new Map<string, string>();
  if (style === 'component') {
    out.set(
      `${dir}/kustomization.yaml`,
      [
        '---',
        'apiVersion: kustomize.config.k8s.io/v1beta1',
        'kind: Kustomization',
        `namespace: ${ns}`,
        'components:',
        `  - ${nf.component}`,
        'resources:',
        ...entries.map((e) => `  - ${e}`),
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
        ...labels.map((l) => `          ${l}`),
        '',
      ].join('\n'),
    );
  } else {
    out.set(`${dir}/kustomization.yaml`, ['---', 'apiVersion: kustomize.config.k8s.io/v1beta1', 'kind: Kustomization', `namespace: ${ns}`, 'resources:', '  - ./namespace.yaml', ...entries.map((e) => `  - ${e}`), ''].join('\n'));
    out.set(
      `${dir}/namespace.yaml`,
      ['---', 'apiVersion: v1', 'kind: Namespace', 'metadata:', `  name: ${ns}`, '  annotations:', '    kustomize.toolkit.fluxcd.io/prune: disabled', '  labels:', ...labels.map((l) => `    ${l}`), ''].join('\n'),
    );
  }
  return out;
}

/**
 * Our section of .yo-rc.json: the shared answers, the generator version and, only when some target cluster keeps
 * other replicas or another storage class, `clusters: { <name>: { replicas?, storageClass? } }` with those
 * exceptions. The previous generator version reads the shared keys and ignores `clusters`.
 */
export function storedSection(answers: Answers, generatorVersion: string, exceptions: Record<string, ClusterOverrides> = {}): Record<string, unknown> {
  // A setting that means nothing in this layout (apps: cluster, storageClass) is not stored.
  const kept = Object.fromEntries(SETTINGS.filter((s) => appliesIn(s.key, answers.layout)).map((s) => [s.key, answers[s.key]]));
  return { ...kept, generatorVersion, ...(Object.keys(exceptions).length > 0 ? { clusters: exceptions } : {}) };
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
    // Stryker disable next-line EqualityOperator: equivalent: previousVersion !== chart, and versions that compare equal are the same string
    const verb = compareVersions(chart, previousVersion) > 0 ? 'bump' : 'downgrade';
    subject =
      `chore(databases): ${verb} CloudNativePG operator chart ${previousVersion} -> ${chart}` +
      ` (operator ${operatorVersionOf(previousVersion) ?? 'unknown'} -> ${operatorVersionOf(chart) ?? 'unknown'})`;
  } else subject = 'chore(databases): update CloudNativePG operator manifests';
  const body = [
    ...(clusters.length === 0 ? [`Replicas: ${answers.replicas}`] : perClusterLines('Replicas', clusters, (c) => String(c.replicas.value))),
    `Chart: cloudnative-pg ${describeChart(chart)}`,
    `Namespace: ${answers.namespace}`,
    ...(input.layout.clusterSettings ? [`Clusters: ${answers.cluster.join(', ')}`] : []),
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
  const mergeBase = base ?? '';
  if (theirs === undefined) {
    if (ours === undefined) return undefined;
    if (input.force || ours === base) return { path, status: 'removed', before: ours, after: undefined };
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
  // Stryker disable next-line ConditionalExpression: equivalent: a shortcut; merging two equal sides gives ours back, and that is 'unchanged' below
  if (ours === theirs) return { path, status: 'unchanged', before: ours, after: ours };
  if (hasConflictMarkers(ours)) {
    if (!input.force) return { path, status: 'conflicted', before: ours, after: ours, note: 'still holds conflict markers from an earlier run' };
    // --force: the generator's side of each block an earlier run left, then merged as usual (like git merge -X theirs).
    const resolved = takeGeneratorSide(ours);
    if (resolved === undefined) return { path, status: 'updated', before: ours, after: theirs, note: "conflict markers not well formed: replaced by the generator's version (--force)" };
    const forced = merge3(mergeBase, resolved, theirs, { favor: 'theirs' });
    return { path, status: 'merged', before: ours, after: forced.text, note: "conflicting hunks take the generator's side (--force); your other edits are kept" };
  }
  const merged = merge3(mergeBase, ours, theirs);
  if (merged.conflicts > 0) {
    if (input.force) {
      const forced = merge3(mergeBase, ours, theirs, { favor: 'theirs' });
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
  const namespaces = [answers.namespace, ...(input.previousNamespace && input.previousNamespace !== answers.namespace ? [input.previousNamespace] : [])];
  const candidates = [...new Set([...rendered.keys(), ...namespaces.flatMap((ns) => ownedGeneratedPaths(layout, ns))])];
  const gone = new Set<string>();
  for (const path of candidates) {
    const change = planGenerated(path, rendered.get(path), input);
    if (change) changes.push(change);
    if (change?.status === 'removed' || (!rendered.has(path) && files.get(path) === undefined)) gone.add(path);
    if (change?.note && change.status !== 'conflicted') warnings.push(`${path}: ${change.note}`);
  }

  // The parent kustomization lists each Flux Kustomization file; an entry whose file is gone is taken out.
  const parentPath = layout.parentKustomization(answers.namespace);
  let parent = files.get(parentPath);
  if (parent === undefined && layout.namespaceFolder) {
    // apps: a new namespace folder, after its siblings' pattern.
    for (const [p, text] of namespaceFolder(layout, answers.namespace, input.namespaceStyle ?? 'component')) {
      if (p === parentPath) parent = text;
      else if (files.get(p) === undefined) changes.push(patched(p, undefined, text));
    }
    const rootK = `${layout.namespaceFolder.root}/kustomization.yaml`;
    const rootText = files.get(rootK);
    if (rootText !== undefined) changes.push(patched(rootK, rootText, addKustomizationResource(rootText, rootK, `./${answers.namespace}`)));
  } else if (layout.namespaceFolder) {
    const nsPath = `${layout.namespaceFolder.dir(answers.namespace)}/namespace.yaml`;
    // Stryker disable next-line StringLiteral: equivalent: a missing namespace.yaml holds no label, whatever text stands for it
    const nsFile = files.get(nsPath) ?? '';
    const lacking = PSA_LABELS.filter((l) => !parent!.includes(l) && !nsFile.includes(l));
    if (lacking.length > 0) warnings.push(`namespace ${answers.namespace} (${parentPath}) lacks the Pod Security Admission label(s) ${lacking.map((l) => `${l}=restricted`).join(', ')}; add them if the operator should run under "restricted"`);
  }
  let parentAfter = parent;
  // The file an entry of a kustomization.yaml names.
  // Stryker disable next-line Regex: equivalent: an entry holds "./" only at its start
  const entryFile = (kustomization: string, entry: string): string => `${kustomization.replace(/[^/]+$/, '')}${entry.replace(/^\.\//, '')}`;
  const fileOf = (entry: string): string => entryFile(parentPath, entry);
  const exists = (p: string): boolean => {
    const c = changes.find((x) => x.path === p);
    // Stryker disable next-line ConditionalExpression: equivalent: every entry of these answers names a rendered file, which always has a change (see below)
    if (c) return c.after !== undefined;
    // Stryker disable next-line ConditionalExpression,EqualityOperator: equivalent: unreachable, every entry of these answers names a rendered file, and a rendered file always has a change
    return files.get(p) !== undefined;
  };
  // An entry is listed only when its file will exist (kustomize fails on a missing resource).
  for (const entry of layout.parentEntries(answers.namespace, answers.monitoring)) {
    if (exists(fileOf(entry))) parentAfter = addKustomizationResource(parentAfter, parentPath, entry);
  }
  // Stryker disable next-line StringLiteral: equivalent: every stack but 'none' lists the same entries
  for (const entry of layout.parentEntries(answers.namespace, 'victoria-metrics')) {
    if (gone.has(fileOf(entry))) parentAfter = removeKustomizationResource(parentAfter, parentPath, entry);
  }
  changes.push(patched(parentPath, files.get(parentPath), parentAfter!));
  for (const ns of namespaces.slice(1)) {
    // apps: the namespace moved; the old namespace folder stops listing the removed ks.yaml.
    const old = layout.parentKustomization(ns);
    const oldText = files.get(old);
    // Stryker disable next-line StringLiteral: equivalent: every stack but 'none' lists the same entries
    const entries = layout.parentEntries(ns, 'victoria-metrics').filter((e) => gone.has(entryFile(old, e)));
    if (oldText !== undefined && entries.length > 0) changes.push(patched(old, oldText, entries.reduce<string | undefined>((t, e) => removeKustomizationResource(t, old, e), oldText)!));
  }

  const vars = layout.clusterSettings?.vars;
  for (const cluster of vars ? resolution.clusters : []) {
    const before = files.get(cluster.file);
    const values = {
      [vars!.chartVersion]: answers.chartVersion,
      [vars!.replicas]: String(cluster.replicas.value),
      [vars!.storageClass]: cluster.storageClass.value,
    };
    changes.push(patched(cluster.file, before, patchClusterSettings(before, cluster.file, values)));
  }

  const crdsPath = input.crdsHelmfile ?? crdsHelmfileOf(layout, files);
  if (crdsPath === undefined) {
    warnings.push(`no CRD helmfile found (looked for ${layout.crds.candidates.join(', ')}): nothing seeds the CloudNativePG CRDs before Flux; the HelmRelease installs them`);
  } else {
    const crds = files.get(crdsPath);
    // A new release follows the chosen namespace; an existing one keeps its own (never moved silently).
    const versioned = layout.crds.styleOf(crdsPath) === 'versioned';
    const after = versioned ? patchCrdsHelmfile(crds, crdsPath, answers.chartVersion, answers.namespace) : addCrdsRelease(crds!, crdsPath, answers.namespace);
    changes.push(patched(crdsPath, crds, after));
    const crdsNamespace = crds === undefined || !versioned ? undefined : readCrdsHelmfileNamespace(crds, crdsPath);
    if (crdsNamespace !== undefined && crdsNamespace !== answers.namespace) {
      warnings.push(`${crdsPath}: the cloudnative-pg release stays in namespace ${crdsNamespace} (the operator goes to ${answers.namespace}); change it there if you want them to match`);
    }
  }

  const yoRc = files.get(YO_RC);
  changes.push(patched(YO_RC, yoRc, patchYoRc(yoRc, storedSection(answers, input.generatorVersion, resolution.exceptions))));

  // An unchanged or deleted-by-user change never differs from the file on disk: every write is a change of text.
  const writes = changes.filter((c) => c.after !== c.before);
  const conflicted = changes.filter((c) => c.status === 'conflicted');
  return { changes, warnings, commitMessage: commitMessage(input), writes, conflicted };
}
