/**
 * The census: the one place that reads the repo's files to decide answers. `readRepo` reads everything the
 * answers and the plan depend on, once, into a plain value (no methods, no I/O afterwards): the clusters with
 * their versions, replicas and storage classes, the CRD helmfile's version, the stored answers, and the text of
 * every file the generator owns or patches. resolveAnswers (answers.ts) decides from it; makePlan (plan.ts)
 * patches the texts it holds.
 */
import { existsSync, readdirSync, statSync } from 'node:fs';
import path from 'node:path';
import { parse as parseYaml, parseAllDocuments } from 'yaml';
import { type RepoScan, fluxKustomizationsNamed, scanRepo } from './detect.js';
import { readPending } from './git-guard.js';
import { FileError, InputError } from './errors.js';
import { LAYOUT_NAMES, type Layout, type LayoutName, YO_RC, ownedGeneratedPaths } from './layout.js';
import { PACKAGE_NAME } from './meta.js';
import { readClusterSettings } from './patch/cluster-settings.js';
import { readCrdsHelmfileVersion } from './patch/crds-helmfile.js';
import { type Repo, readRepoFile, resolveInside } from './repo.js';
import { type Answers, SETTINGS, type SettingKey, appliesIn, parseSetting } from './settings.js';
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

/** What the census found about the repo's layout (LAYOUTS.md, "Telling them apart"). */
export interface LayoutDetection {
  /** The layout the repo's files point at; undefined when they point at both, or at something else. */
  name?: LayoutName;
  /** One line: why (shown as the setting's source), or what was found when undecided. */
  reason: string;
  /** True for a repo with no Flux layout at all (it gets the default). */
  empty: boolean;
  evidence: Record<LayoutName | 'other', string[]>;
}

export interface Census {
  layout: Layout;
  /** How the layout was detected (absent in censuses built without a scan). */
  detection?: LayoutDetection;
  /** The CRD helmfile this run patches: the layout's first candidate that exists (infrastructure: created when none does). */
  crdsHelmfile?: string;
  /** apps: how the sibling namespace folders get their Namespace (default: component when the component exists). */
  namespaceStyle?: 'component' | 'file';
  /** Every cluster found (a folder of layout.clustersDir holding a settings file), then any other cluster asked for; by name. */
  clusters: ClusterCensus[];
  /** The CloudNativePG release's version in the CRD helmfile. */
  crds?: VersionFound;
  stored?: StoredAnswers;
  /** Current text of every file the plan may touch (undefined: missing), by repo path. */
  files: Map<string, string | undefined>;
  /** The --depends-on names (given or stored) that a Flux Kustomization in the repo carries, when asked for (git work trees only). */
  fluxKustomizations?: Set<string>;
  /** Remarks about what was found (a cluster file that could not be read, say). */
  warnings: string[];
  /** What the repo's other YAML holds: existing cloudnative-pg installs, monitoring kinds, kube-prometheus-stack (detect.ts). */
  scan: RepoScan;
  /** Whether `scan` was read from the repo (see scanNeeded); when not, it is empty. */
  scanned: boolean;
}

export interface CensusOptions {
  /** Namespaces whose generated paths to read (apps: the paths depend on it). */
  namespaces?: readonly string[];
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
export function scanNeeded(
  layout: Layout,
  files: ReadonlyMap<string, string | undefined>,
  stored: StoredAnswers | undefined,
  options: CensusOptions,
  namespaces: readonly string[] = ['cnpg-system'],
): boolean {
  // A setting that means nothing in this layout (apps: cluster, storageClass) is never stored: not missing.
  if (!stored || !SETTINGS.every((s) => !appliesIn(s.key, layout.name) || s.key in stored.values)) return true;
  const generated = namespaces.flatMap((ns) => [...ownedGeneratedPaths(layout, ns), ...layout.legacyPaths(ns)]);
  if (!generated.some((p) => files.get(p) !== undefined)) return true;
  const monitoring = options.monitoring ?? stored.values.monitoring;
  const labels = options.monitoringLabels ?? stored.values.monitoringLabels ?? {};
  return monitoring === 'prometheus-operator' && Object.keys(labels).length === 0;
}

/** Read the repo once. Throws FileError for an owned file that cannot be read or a bad .yo-rc.json. */
export function readRepo(repo: Repo, layout: Layout, options: CensusOptions = {}): Census {
  const files = new Map<string, string | undefined>();
  files.set(YO_RC, readRepoFile(repo, YO_RC));
  const stored = loadStored(files.get(YO_RC));
  const namespaces = [...new Set([...(options.namespaces ?? []), ...(stored?.values.namespace ? [stored.values.namespace] : []), 'cnpg-system'])];
  // Stryker disable next-line ConditionalExpression: equivalent: only .yo-rc.json is read before, and reading it again gives the same text
  for (const p of ownedPaths(layout, namespaces)) if (!files.has(p)) files.set(p, readRepoFile(repo, p));
  const cs = layout.clusterSettings;
  const names = cs ? [...new Set([...listClusters(repo, layout), ...(options.clusters ?? [])])] : [];
  // Stryker disable next-line ConditionalExpression: equivalent: without cluster settings `names` is empty
  if (cs) for (const name of names) files.set(cs.path(name), readRepoFile(repo, cs.path(name)));
  // The names --depends-on gives (or the stored answer holds): which of them a Flux Kustomization in the repo carries.
  const dependsOn = [...new Set([...(options.dependsOn ?? []), ...(stored?.values.dependsOn ?? [])])];
  // The generator's own paths are no evidence once it has written there (stored answers); on a first run a file at
  // one of its paths is the user's, and is scanned like any other.
  // ownedPaths includes the legacy paths (ownedGeneratedPaths).
  const owned = ownedPaths(layout, namespaces);
  // Stryker disable next-line ArrayDeclaration: equivalent: a made-up path in the empty set matches no repo file
  const own = new Set(stored ? owned : []);
  const scan = scanNeeded(layout, files, stored, options, namespaces) ? scanRepo(repo, own, options.fluxNames) : undefined;
  // Stryker disable next-line LogicalOperator: equivalent: without stored answers there is always a scan; with them the scan skips our paths (own), so no install is at one
  if (scan && !stored && scan.installs.some((i) => owned.includes(i.path))) {
    // An install at one of our paths on a first run is the user's, unless another run of ours wrote it meanwhile:
    // such a run records its paths before writing any and stores its answers before it clears that record.
    const ours = readPending(repo) !== undefined || loadStored(readRepoFile(repo, YO_RC)) !== undefined;
    if (ours) scan.installs = scan.installs.filter((i) => !owned.includes(i.path));
  }
  const census = censusOf(layout, files, names, dependsOn.length > 0 && repo.gitDir ? new Set(fluxKustomizationsNamed(repo, dependsOn, new Set()).map((k) => k.name)) : undefined, scan);
  if (layout.namespaceFolder) census.namespaceStyle = namespaceStyleOf(siblingKustomizations(repo, layout), existsSync(path.join(repo.root, 'kubernetes/components/namespace')));
  return census;
}

/** The census with the owned paths of these namespaces read too (apps: paths depend on the namespace). */
export function withNamespace(census: Census, repo: Repo, namespace: string): Census {
  const missing = ownedPaths(census.layout, [namespace]).filter((p) => !census.files.has(p));
  if (missing.length === 0) return census;
  const files = new Map(census.files);
  for (const p of missing) files.set(p, readRepoFile(repo, p));
  return { ...census, files, crdsHelmfile: crdsHelmfileOf(census.layout, files) };
}

/** The files of a layout that the generator owns or patches for these namespaces, other than the clusters' settings. */
export function ownedPaths(layout: Layout, namespaces: readonly string[] = ['cnpg-system']): string[] {
  const out = [YO_RC, ...layout.crds.candidates];
  for (const ns of namespaces) {
    out.push(layout.parentKustomization(ns), ...ownedGeneratedPaths(layout, ns));
    if (layout.namespaceFolder) out.push(`${layout.namespaceFolder.dir(ns)}/namespace.yaml`, `${layout.namespaceFolder.root}/kustomization.yaml`);
  }
  return [...new Set(out)];
}

/** The CRD helmfile a run patches: the first candidate that exists, else (when the layout creates it) the first. */
export function crdsHelmfileOf(layout: Layout, files: ReadonlyMap<string, string | undefined>): string | undefined {
  return layout.crds.candidates.find((c) => files.get(c) !== undefined) ?? (layout.crds.createWhenMissing ? layout.crds.candidates[0] : undefined);
}

/** apps: the namespace folders' pattern, from their kustomization.yaml texts (pure). */
export function namespaceStyleOf(siblings: ReadonlyMap<string, string>, hasComponent: boolean): 'component' | 'file' {
  let component = 0;
  let file = 0;
  for (const text of siblings.values()) {
    if (/components\/namespace\b/.test(text)) component++;
    else if (/^\s*-\s*\.?\/?namespace\.ya?ml\s*$/m.test(text)) file++;
  }
  // Stryker disable next-line EqualityOperator: equivalent: the counts differ here, so >= and > agree
  if (component !== file) return component > file ? 'component' : 'file';
  return hasComponent ? 'component' : 'file';
}

function siblingKustomizations(repo: Repo, layout: Layout): Map<string, string> {
  const out = new Map<string, string>();
  const root = layout.namespaceFolder!.root;
  let names: string[];
  try {
    names = readdirSync(resolveInside(repo, root));
  } catch {
    return out;
  }
  // Stryker disable next-line MethodExpression: equivalent: namespaceStyleOf counts the texts, their order does not matter
  for (const n of names.sort()) {
    const p = `${root}/${n}/kustomization.yaml`;
    try {
      const t = readRepoFile(repo, p);
      // Stryker disable next-line ConditionalExpression: equivalent: an undefined text (read as "undefined") matches neither style
      if (t !== undefined) out.set(p, t);
    } catch {
      /* not a namespace folder */
    }
  }
  return out;
}

// ---------------------------------------------------------------------------------------------------------------
// Layout detection (LAYOUTS.md "Telling them apart"): pure given the files.

const norm = (p: string): string => p.trim().replace(/^\.\//, '').replace(/\/+$/, '');

/**
 * The layout a repo's files point at. `files`: repo path -> text of the YAML files under kubernetes/ (readLayoutFiles).
 * apps: a Flux Kustomization whose path is ./kubernetes/apps, or kubernetes/apps/<ns>/<app>/ks.yaml files.
 * infrastructure: kubernetes/clusters/<c>/cluster-settings.yaml, or a Flux Kustomization path under ./kubernetes/infrastructure.
 * Neither and no other Flux Kustomization: an empty repo (the default). Both, or only other Flux paths: undecided.
 */
export function detectLayout(files: ReadonlyMap<string, string>): LayoutDetection {
  const evidence: LayoutDetection['evidence'] = { infrastructure: [], apps: [], other: [] };
  const appKs: string[] = [];
  for (const [file, text] of [...files.entries()].sort(([a], [b]) => a.localeCompare(b))) {
    if (/^kubernetes\/clusters\/[^/]+\/cluster-settings\.ya?ml$/.test(file)) evidence.infrastructure.push(`${file} exists`);
    if (/^kubernetes\/apps\/[^/]+\/[^/]+\/ks\.ya?ml$/.test(file)) appKs.push(file);
    // Stryker disable next-line ConditionalExpression,StringLiteral: equivalent: a shortcut; the parsed apiVersion check below needs that string anyway
    if (!text.includes('kustomize.toolkit.fluxcd.io')) continue;
    // Flux's own plumbing (kubernetes/flux/*: sources, repositories) is evidence only when it applies ./kubernetes/apps.
    const plumbing = file.startsWith('kubernetes/flux/');
    let docs: unknown[];
    try {
      docs = parseAllDocuments(text).map((d) => d.toJS() as unknown);
    } catch {
      continue;
    }
    for (const d of docs) {
      const o = d as { apiVersion?: unknown; kind?: unknown; spec?: { path?: unknown } } | null;
      if (!o || typeof o.apiVersion !== 'string' || !o.apiVersion.startsWith('kustomize.toolkit.fluxcd.io/') || o.kind !== 'Kustomization') continue;
      if (typeof o.spec?.path !== 'string') continue;
      const p = norm(o.spec.path);
      if (p === 'kubernetes/apps') evidence.apps.push(`${file} applies ./kubernetes/apps`);
      else if (p === 'kubernetes/infrastructure' || p.startsWith('kubernetes/infrastructure/')) {
        if (!evidence.infrastructure.some((e) => e.startsWith(`${file} `))) evidence.infrastructure.push(`${file} applies ./${p}`);
      } else if (!plumbing && !p.startsWith('kubernetes/apps/') && !p.startsWith('kubernetes/clusters/') && !p.startsWith('kubernetes/flux')) {
        evidence.other.push(`${file} applies ./${p}`);
      }
    }
  }
  if (appKs.length > 0) evidence.apps.push(appKs.length === 1 ? `${appKs[0]} exists` : `${appKs.length} kubernetes/apps/*/*/ks.yaml files (${appKs[0]}, ...)`);
  const apps = evidence.apps.length > 0;
  const infra = evidence.infrastructure.length > 0;
  if (apps && !infra) return { name: 'apps', reason: evidence.apps[0], empty: false, evidence };
  if (infra && !apps) return { name: 'infrastructure', reason: evidence.infrastructure[0], empty: false, evidence };
  // Stryker disable next-line LogicalOperator: equivalent: past the two returns above, apps and infra are both true or both false
  if (apps && infra) return { reason: `both layouts: ${evidence.apps[0]}; ${evidence.infrastructure[0]}`, empty: false, evidence };
  if (evidence.other.length > 0) return { reason: `neither layout: ${evidence.other.slice(0, 2).join('; ')}`, empty: false, evidence };
  return { name: 'infrastructure', reason: 'no Flux layout found: the default', empty: true, evidence };
}

/**
 * The files detection needs, by repo path, without reading the apps' and the infrastructure's manifests: the YAML
 * under kubernetes/ outside kubernetes/apps and kubernetes/infrastructure (the Flux entry points live there:
 * kubernetes/flux/**, kubernetes/clusters/**, or a folder of another layout), and the names (with empty text: only
 * their existence counts) of kubernetes/apps/<ns>/<app>/ks.yaml files. Only a run with no stored layout looks.
 */
export function readLayoutFiles(repo: Repo): Map<string, string> {
  const out = new Map<string, string>();
  const list = (rel: string): string[] => {
    try {
      const names = readdirSync(path.join(repo.root, rel)).filter((n) => !n.startsWith('.'));
      // Stryker disable next-line MethodExpression: equivalent: detectLayout sorts the files itself; readLayoutFiles' order is not used
      return names.sort();
    } catch {
      // Stryker disable next-line ArrayDeclaration: equivalent: a made-up name is neither a folder nor a YAML file, nor holds a ks.yaml
      return [];
    }
  };
  const isDir = (rel: string): boolean => {
    try {
      // Stryker disable BlockStatement: equivalent: the catch below without its return returns undefined, which callers read as false
      return statSync(path.join(repo.root, rel)).isDirectory();
    } catch {
      // Stryker restore BlockStatement
      // Stryker disable next-line BooleanLiteral: equivalent: what stat cannot read (a dangling link) cannot be listed as a folder nor read as a file
      return false;
    }
  };
  const walk = (rel: string, depth: number): void => {
    for (const n of list(rel)) {
      const r = `${rel}/${n}`;
      if (isDir(r)) {
        if (depth < 5 && r !== 'kubernetes/apps' && r !== 'kubernetes/infrastructure') walk(r, depth + 1);
      } else if (/\.ya?ml$/.test(n)) {
        try {
          const t = readRepoFile(repo, r);
          // Stryker disable next-line ConditionalExpression: equivalent: a listed file that vanished throws on t.length inside the same try: not read either way
          if (t !== undefined && t.length < 1_000_000) out.set(r, t);
        } catch {
          /* unreadable: not evidence */
        }
      }
    }
  };
  walk('kubernetes', 1);
  for (const ns of list('kubernetes/apps')) {
    for (const app of list(`kubernetes/apps/${ns}`)) {
      for (const ks of ['ks.yaml', 'ks.yml']) {
        const r = `kubernetes/apps/${ns}/${app}/${ks}`;
        try {
          if (statSync(path.join(repo.root, r)).isFile()) out.set(r, '');
        } catch {
          /* none */
        }
      }
    }
  }
  return out;
}

/**
 * The layout of this run: --layout, else the stored one (the repo's layout does not change between runs, and a
 * rerun must not search the repo), else what the repo points at, else the default for an empty repo. A repo that points at both layouts or at something else, with no --layout and nothing stored, is
 * refused (InputError: exit 2, nothing written).
 */
export function chooseLayout(flag: LayoutName | undefined, stored: LayoutName | undefined, detection: LayoutDetection): { value: LayoutName; source: 'flag' | 'repo' | 'stored' | 'default'; file?: string } {
  if (flag) return { value: flag, source: 'flag' };
  if (stored) return { value: stored, source: 'stored' };
  if (detection.name && !detection.empty) return { value: detection.name, source: 'repo', file: detection.reason };
  if (detection.empty) return { value: 'infrastructure', source: 'default' };
  throw new InputError(
    `cannot tell this repo's layout (${detection.reason}); looked for a Flux Kustomization with path ./kubernetes/apps or kubernetes/apps/*/*/ks.yaml (apps), ` +
      `and kubernetes/clusters/*/cluster-settings.yaml or a ./kubernetes/infrastructure path (infrastructure); rerun with --layout ${LAYOUT_NAMES.join(' or --layout ')}`,
  );
}

/** apps: the chart version in the app's ocirepository.yaml (spec.ref.tag), as found. */
export function ociTagOf(census: Census, namespace: string): VersionFound | undefined {
  if (census.layout.versionHome !== 'ocirepository') return undefined;
  // Stryker disable next-line StringLiteral: equivalent: the operator part comes first whatever the monitoring
  const part = census.layout.parts(namespace, 'none')[0];
  const file = `${part.dir}/ocirepository.yaml`;
  const text = census.files.get(file);
  // Stryker disable next-line ConditionalExpression: equivalent: parseYaml(undefined) throws, and the catch returns undefined
  if (text === undefined) return undefined;
  let tag: unknown;
  try {
    // Stryker disable BlockStatement: equivalent: the catch below without its return leaves tag undefined, and the last line returns undefined
    // Stryker disable next-line OptionalChaining: equivalent: a missing level throws inside the try, and the catch returns undefined
    tag = (parseYaml(text) as { spec?: { ref?: { tag?: unknown } } } | null)?.spec?.ref?.tag;
  } catch {
    // Stryker restore BlockStatement
    return undefined;
  }
  return typeof tag === 'string' ? versionFound(file, tag) : undefined;
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
  const crdsFile = crdsHelmfileOf(layout, files);
  const crdsText = crdsFile === undefined || layout.crds.styleOf(crdsFile) !== 'versioned' ? undefined : files.get(crdsFile);
  const crdsRaw = crdsText === undefined ? undefined : readCrdsHelmfileVersion(crdsText, crdsFile!);
  const census: Census = {
    layout,
    crdsHelmfile: crdsFile,
    clusters: [],
    crds: crdsRaw === undefined ? undefined : versionFound(crdsFile!, crdsRaw),
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

/** A cluster's settings file (only layouts with cluster settings have clusters). */
function settingsPath(layout: Layout, name: string): string {
  if (!layout.clusterSettings) throw new Error(`internal error: the ${layout.name} layout has no cluster settings`);
  return layout.clusterSettings.path(name);
}

function addCluster(census: Census, name: string): void {
  const file = settingsPath(census.layout, name);
  const c = clusterCensus(census.layout, name, file, census.files.get(file));
  if (c.error) census.warnings.push(`${c.error.message} (skipped in the version census)`);
  census.clusters.push(c);
}

/** The census with these clusters read too (those it already holds are kept as read). */
export function withClusters(census: Census, repo: Repo, names: readonly string[]): Census {
  if (!census.layout.clusterSettings) return census;
  const missing = [...new Set(names)].filter((n) => !census.clusters.some((c) => c.name === n));
  if (missing.length === 0) return census;
  const next: Census = { ...census, clusters: [...census.clusters], files: new Map(census.files), warnings: [...census.warnings] };
  for (const name of missing) {
    next.files.set(settingsPath(census.layout, name), readRepoFile(repo, settingsPath(census.layout, name)));
    addCluster(next, name);
  }
  return next;
}

/** The census entry of a cluster, or a missing one when the census did not read it. */
export function clusterOf(census: Census, name: string): ClusterCensus {
  const file = settingsPath(census.layout, name);
  return census.clusters.find((c) => c.name === name) ?? { name, file, exists: false, data: {} };
}

/** Names of the folders under the layout's clusters folder that hold a settings file, sorted. */
function listClusters(repo: Repo, layout: Layout): string[] {
  const cs = layout.clusterSettings!;
  const dir = resolveInside(repo, cs.dir);
  let names: string[];
  try {
    names = readdirSync(dir);
  } catch {
    return [];
  }
  return names.filter((n) => existsSync(path.join(repo.root, cs.path(n)))).sort();
}

function clusterCensus(layout: Layout, name: string, file: string, text: string | undefined): ClusterCensus {
  const c: ClusterCensus = { name, file, exists: text !== undefined, data: {} };
  if (text === undefined) return c;
  try {
    c.data = readClusterSettings(text, file);
  } catch (e) {
    // Stryker disable next-line ConditionalExpression: equivalent: readClusterSettings throws only FileError
    if (!(e instanceof FileError)) throw e;
    c.error = e;
    return c;
  }
  const vars = layout.clusterSettings!.vars;
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
    // Stryker disable next-line ConditionalExpression: equivalent: parseSetting throws only InputError
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
    // Stryker disable next-line ConditionalExpression: equivalent: parseSetting throws only InputError
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

