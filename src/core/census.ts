/**
 * The census: the one place that reads the repo's files to decide answers. `readRepo` reads everything the
 * answers and the plan depend on, once, into a plain value (no methods, no I/O afterwards): the clusters with
 * their versions, replicas and storage classes, the CRD helmfile's version, the stored answers, and the text of
 * every file the generator owns or patches. resolveAnswers (answers.ts) decides from it; makePlan (plan.ts)
 * patches the texts it holds.
 */
import { existsSync, readdirSync } from 'node:fs';
import path from 'node:path';
import { type RepoScan, scanRepo } from './detect.js';
import { FileError, InputError } from './errors.js';
import { type Layout, YO_RC, generatedPaths } from './layout.js';
import { PACKAGE_NAME } from './meta.js';
import { readClusterSettings } from './patch/cluster-settings.js';
import { readCrdsHelmfileVersion } from './patch/crds-helmfile.js';
import { type Repo, git, readRepoFile, resolveInside } from './repo.js';
import { type Answers, SETTINGS, type SettingKey, parseSetting } from './settings.js';
import { EXACT_VERSION, chartsShipping } from './versions.js';

/** A chart version found in a repo file. */
export interface VersionFound {
  /** As written. */
  raw: string;
  /** The chart version it means: `raw`, or the chart that ships it when `raw` is an operator version; undefined when not an exact version. */
  chart?: string;
  /** The file it was found in. */
  file: string;
  /** Why `chart` differs from `raw` (or is missing), for a warning. */
  note?: string;
}

/** A value a cluster carries: as written, and parsed (undefined when it is not a valid value). */
export interface ValueFound<T> {
  raw: string;
  value?: T;
}

export interface ClusterCensus {
  name: string;
  /** Its settings file (layout.clusterSettingsPath). */
  file: string;
  /** Whether that file exists. */
  exists: boolean;
  /** Why the file cannot be used, when it is not a valid cluster-settings ConfigMap. */
  error?: FileError;
  /** The ConfigMap's data, as strings (empty when missing or invalid). */
  data: Record<string, string>;
  version?: VersionFound;
  replicas?: ValueFound<number>;
  storageClass?: ValueFound<string>;
}

/** Per-cluster exceptions to the shared answers, as stored in .yo-rc.json under `clusters`. */
export interface ClusterOverrides {
  replicas?: number;
  storageClass?: string;
}

/** The generator's section of .yo-rc.json, validated. */
export interface StoredAnswers {
  values: Partial<Answers>;
  /** Clusters whose replicas or storage class differ from the shared answer. */
  clusters: Record<string, ClusterOverrides>;
  /** The generator version that wrote them. */
  generatorVersion?: string;
}

export interface Census {
  layout: Layout;
  /** Every cluster found (a folder of layout.clustersDir holding a settings file), then any other cluster asked for; by name. */
  clusters: ClusterCensus[];
  /** The CloudNativePG release's version in the CRD helmfile. */
  crds?: VersionFound;
  stored?: StoredAnswers;
  /** Current text of every file the plan may touch (undefined: missing), by repo path. */
  files: Map<string, string | undefined>;
  /** Names of the repo's Flux Kustomizations, when asked for (and the repo is a git work tree). */
  fluxKustomizations?: Set<string>;
  /** Remarks about what was found (a cluster file that could not be read, say). */
  warnings: string[];
  /** What the repo's other YAML holds: existing cloudnative-pg installs, monitoring kinds, kube-prometheus-stack (detect.ts). */
  scan: RepoScan;
  /** Whether `scan` was read from the repo (see scanNeeded); when not, it is empty. */
  scanned: boolean;
}

export interface CensusOptions {
  /** Clusters to read even when they are not found by listing (named by a flag, a prompt or stored answers). */
  clusters?: readonly string[];
  /** The --depends-on flag: when it or the stored answers name Kustomizations, the repo's Flux Kustomization names are collected. */
  dependsOn?: readonly string[];
  /** The --monitoring and --monitoring-labels flags (they decide whether the kube-prometheus-stack scan is needed). */
  monitoring?: string;
  monitoringLabels?: Readonly<Record<string, string>>;
  /** Names of the Flux Kustomizations the generator writes: looked up by the same scan (detect.ts). */
  fluxNames?: readonly string[];
}

/**
 * Whether the repo scan (detect.ts: a `git grep` over every tracked YAML file, which grows with the repo) is
 * needed: on a first run (no complete stored answers, or no generated ks.yaml), when no monitoring stack is
 * stored, and when prometheus-operator runs without selector labels (the kube-prometheus-stack hint). A rerun of a
 * generated repo that settled these (a version bump, say) asks git nothing more.
 */
export function scanNeeded(layout: Layout, files: ReadonlyMap<string, string | undefined>, stored: StoredAnswers | undefined, options: CensusOptions): boolean {
  if (!stored || !SETTINGS.every((s) => s.key in stored.values)) return true;
  if (files.get(layout.generatedPath('ks.yaml')) === undefined) return true;
  const monitoring = options.monitoring ?? stored.values.monitoring;
  const labels = options.monitoringLabels ?? stored.values.monitoringLabels ?? {};
  return monitoring === 'prometheus-operator' && Object.keys(labels).length === 0;
}

/** Read the repo once. Throws FileError for an owned file that cannot be read or a bad .yo-rc.json. */
export function readRepo(repo: Repo, layout: Layout, options: CensusOptions = {}): Census {
  const files = new Map<string, string | undefined>();
  for (const p of ownedPaths(layout)) files.set(p, readRepoFile(repo, p));
  const names = [...new Set([...listClusters(repo, layout), ...(options.clusters ?? [])])];
  for (const name of names) files.set(layout.clusterSettingsPath(name), readRepoFile(repo, layout.clusterSettingsPath(name)));
  const stored = loadStored(files.get(YO_RC));
  const wantsNames = (options.dependsOn?.length ?? 0) > 0 || (stored?.values.dependsOn?.length ?? 0) > 0;
  const scan = scanNeeded(layout, files, stored, options) ? scanRepo(repo, new Set(ownedPaths(layout)), options.fluxNames) : undefined;
  return censusOf(layout, files, names, wantsNames ? fluxKustomizationNames(repo) : undefined, scan);
}

/** The files of a layout that the generator owns or patches, other than the clusters' settings. */
export function ownedPaths(layout: Layout): string[] {
  return [YO_RC, layout.crdsHelmfile, layout.parentKustomization, ...generatedPaths(layout)];
}

/**
 * The census of files already read (pure: the tests build censuses from texts). `files` holds ownedPaths and
 * each named cluster's settings file (undefined: missing).
 */
export function censusOf(
  layout: Layout,
  files: ReadonlyMap<string, string | undefined>,
  clusterNames: readonly string[],
  fluxKustomizations?: Set<string>,
  scan?: RepoScan,
): Census {
  const crdsText = files.get(layout.crdsHelmfile);
  const crdsRaw = crdsText === undefined ? undefined : readCrdsHelmfileVersion(crdsText, layout.crdsHelmfile);
  const census: Census = {
    layout,
    clusters: [],
    crds: crdsRaw === undefined ? undefined : versionFound(layout.crdsHelmfile, crdsRaw),
    stored: loadStored(files.get(YO_RC)),
    files: new Map(files),
    fluxKustomizations,
    warnings: [],
    scan: scan ?? { installs: [], monitoringKinds: {}, fluxKustomizations: [], fluxNames: [] },
    scanned: scan !== undefined,
  };
  for (const name of clusterNames) addCluster(census, name);
  return census;
}

function addCluster(census: Census, name: string): void {
  const file = census.layout.clusterSettingsPath(name);
  const c = clusterCensus(census.layout, name, file, census.files.get(file));
  if (c.error) census.warnings.push(`${c.error.message} (skipped in the version census)`);
  census.clusters.push(c);
}

/** The census with these clusters read too (those it already holds are kept as read). */
export function withClusters(census: Census, repo: Repo, names: readonly string[]): Census {
  const missing = [...new Set(names)].filter((n) => !census.clusters.some((c) => c.name === n));
  if (missing.length === 0) return census;
  const next: Census = { ...census, clusters: [...census.clusters], files: new Map(census.files), warnings: [...census.warnings] };
  for (const name of missing) {
    next.files.set(census.layout.clusterSettingsPath(name), readRepoFile(repo, census.layout.clusterSettingsPath(name)));
    addCluster(next, name);
  }
  return next;
}

/** The census entry of a cluster, or a missing one when the census did not read it. */
export function clusterOf(census: Census, name: string): ClusterCensus {
  const file = census.layout.clusterSettingsPath(name);
  return census.clusters.find((c) => c.name === name) ?? { name, file, exists: false, data: {} };
}

/** Names of the folders under the layout's clusters folder that hold a settings file, sorted. */
function listClusters(repo: Repo, layout: Layout): string[] {
  const dir = resolveInside(repo, layout.clustersDir);
  let names: string[];
  try {
    names = readdirSync(dir);
  } catch {
    return [];
  }
  return names.filter((n) => existsSync(path.join(repo.root, layout.clusterSettingsPath(n)))).sort();
}

function clusterCensus(layout: Layout, name: string, file: string, text: string | undefined): ClusterCensus {
  const c: ClusterCensus = { name, file, exists: text !== undefined, data: {} };
  if (text === undefined) return c;
  try {
    c.data = readClusterSettings(text, file);
  } catch (e) {
    if (!(e instanceof FileError)) throw e;
    c.error = e;
    return c;
  }
  const vars = layout.clusterVars;
  if (c.data[vars.chartVersion] !== undefined) c.version = versionFound(file, c.data[vars.chartVersion]);
  if (c.data[vars.replicas] !== undefined) c.replicas = valueFound('replicas', c.data[vars.replicas]);
  if (c.data[vars.storageClass] !== undefined) c.storageClass = valueFound('storageClass', c.data[vars.storageClass]);
  return c;
}

/** A version as found: an operator version is read as the chart that ships it. */
function versionFound(file: string, raw: string): VersionFound {
  if (!EXACT_VERSION.test(raw)) {
    return { raw, file, note: `${file}: version ${JSON.stringify(raw)} is not an exact chart version; it will be replaced` };
  }
  const charts = chartsShipping(raw);
  if (charts.length === 0) return { raw, file, chart: raw };
  return { raw, file, chart: charts[0], note: `${file}: ${raw} is an operator version, not a chart version; corrected to chart ${charts[0]}` };
}

function valueFound<K extends 'replicas' | 'storageClass'>(key: K, raw: string): ValueFound<Answers[K]> {
  try {
    return { raw, value: parseSetting(key, raw) };
  } catch (e) {
    if (e instanceof InputError) return { raw };
    throw e;
  }
}

/** Parse .yo-rc.json (any generator's sections). */
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

const isObject = (v: unknown): v is Record<string, unknown> => v !== null && typeof v === 'object' && !Array.isArray(v);

/** A stored value, validated like a flag; a bad one is a FileError naming .yo-rc.json and the key. */
function storedValue<K extends SettingKey>(key: K, raw: unknown, where: string): Answers[K] {
  try {
    return parseSetting(key, raw, `${YO_RC}: "${where}"`);
  } catch (e) {
    if (e instanceof InputError) throw new FileError(YO_RC, e.message.slice(YO_RC.length + 2));
    throw e;
  }
}

/** The generator's stored answers, validated; undefined when there are none. */
export function loadStored(text: string | undefined): StoredAnswers | undefined {
  if (text === undefined || text.trim() === '') return undefined;
  const section = parseYoRc(text)[PACKAGE_NAME];
  if (section === undefined) return undefined;
  if (!isObject(section)) throw new FileError(YO_RC, `"${PACKAGE_NAME}" must be a JSON object`);
  const values: Partial<Answers> = {};
  for (const s of SETTINGS) {
    if (s.key in section) (values as Record<string, unknown>)[s.key] = storedValue(s.key, section[s.key], `${PACKAGE_NAME}.${s.key}`);
  }
  const clusters: Record<string, ClusterOverrides> = {};
  if (section.clusters !== undefined) {
    if (!isObject(section.clusters)) throw new FileError(YO_RC, `"${PACKAGE_NAME}.clusters" must be a JSON object`);
    for (const [name, raw] of Object.entries(section.clusters)) {
      const where = `${PACKAGE_NAME}.clusters.${name}`;
      if (storedValue('cluster', name, where).length !== 1) throw new FileError(YO_RC, `"${where}": one cluster name per key`);
      if (!isObject(raw)) throw new FileError(YO_RC, `"${where}" must be a JSON object`);
      const o: ClusterOverrides = {};
      if (raw.replicas !== undefined) o.replicas = storedValue('replicas', raw.replicas, `${where}.replicas`);
      if (raw.storageClass !== undefined) o.storageClass = storedValue('storageClass', raw.storageClass, `${where}.storageClass`);
      clusters[name] = o;
    }
  }
  return { values, clusters, generatorVersion: typeof section.generatorVersion === 'string' ? section.generatorVersion : undefined };
}

/** Names of Flux Kustomizations in the repo's tracked files; undefined outside git. */
function fluxKustomizationNames(repo: Repo): Set<string> | undefined {
  if (!repo.gitDir) return undefined;
  const r = git(repo.root, ['grep', '-l', '-I', '-F', 'kustomize.toolkit.fluxcd.io', '--', '*.yaml', '*.yml']);
  if (r.status > 1) return undefined;
  const names = new Set<string>();
  for (const file of r.stdout.split('\n').filter(Boolean)) {
    let text: string | undefined;
    try {
      text = readRepoFile(repo, file);
    } catch {
      continue;
    }
    // Light scan: a Flux Kustomization's metadata.name (documents are small; no full YAML parse needed).
    for (const doc of (text ?? '').split(/^---\s*$/m)) {
      if (!/^apiVersion:\s*["']?kustomize\.toolkit\.fluxcd\.io\//m.test(doc) || !/^kind:\s*["']?Kustomization\b/m.test(doc)) continue;
      const m = /^metadata:\s*\n(?:[ \t]+.*\n)*?[ \t]+name:\s*["']?([A-Za-z0-9.-]+)/m.exec(doc);
      if (m) names.add(m[1]);
    }
  }
  return names;
}
