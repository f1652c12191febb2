/**
 * Where every answer is decided: one pure function, resolveAnswers, from the parsed flags, the stored answers,
 * the census of the repo and the prompt answers to a value and a source per setting, and per target cluster.
 * No I/O here. The rules, each written once:
 *
 * 1. flag > prompt > repo > stored > default.
 * 2. A prompt answer counts as the user's only when it differs from what the prompt suggested (its prefill):
 *    pressing Enter on a suggestion takes the suggestion with the suggestion's source. So accepting the
 *    suggested replicas in a fleet does not flatten the clusters that carry their own value (rule 5).
 * 3. The chart version from the repo is the highest found in the target clusters' settings and the CRD helmfile;
 *    it wins over the stored one only when it is higher (a Renovate bump is kept), and always over the default.
 *    An operator version found in the repo is read as the chart that ships it, with a warning.
 * 4. No silent downgrade: a chart version older than the highest in the repo or the stored one throws an
 *    InputError unless allowDowngrade (then it is a warning). --check compares with the stored answers and
 *    neither takes the repo's version nor checks downgrades.
 * 5. Per cluster, replicas and storage class: a value set on this run (flag, or a prompt answer that changed the
 *    suggestion) applies to every target cluster; otherwise each cluster keeps its own valid value, then its
 *    stored exception, then the shared answer. The shared answer from the repo is the value of the first target
 *    cluster that has a settings file, when valid; the clusters that differ from it are the exceptions recorded in .yo-rc.json.
 */
import { type Census, type ClusterOverrides, type StoredAnswers, clusterOf, ociTagOf } from './census.js';
import { monitoringFromKinds } from './detect.js';
import { InputError } from './errors.js';
import type { ClusterSettingsSpec } from './layout.js';
import { suggestMonitoringLabels } from './labels.js';
import { didYouMean } from './suggest.js';
import { type Answers, DEFAULT_ANSWERS, SETTINGS, type SettingKey, appliesIn } from './settings.js';
import { compareVersions, operatorVersionOf } from './versions.js';

export type SourceKind = 'flag' | 'prompt' | 'repo' | 'stored' | 'default';

/** A decided value and where it came from; `file` names the repo file for source `repo`. */
export interface Resolved<T> {
  value: T;
  source: SourceKind;
  file?: string;
  /** Why this source gave this value, printed after it (`repo: 14 PodMonitor, 0 VMPodScrape`). */
  detail?: string;
}

export type ResolvedSettings = { [K in SettingKey]: Resolved<Answers[K]> };

/** What one target cluster's settings will carry. */
export interface ClusterResolution {
  name: string;
  /** Its settings file. */
  file: string;
  replicas: Resolved<number>;
  storageClass: Resolved<string>;
}

export interface Resolution {
  /** The shared answers (what .yo-rc.json stores, what the templates render). */
  answers: Answers;
  settings: ResolvedSettings;
  /** One per answers.cluster, in that order. */
  clusters: ClusterResolution[];
  /** Clusters whose replicas or storage class differ from the shared answer (the .yo-rc.json `clusters` record). */
  exceptions: Record<string, ClusterOverrides>;
  /** The chart version in the repo before this run (for the commit message), when known. */
  previousVersion?: string;
  /** The prompt's suggestion per setting, in the setting's `show` form: the value this resolution would take without a prompt answer. */
  prefills: Record<SettingKey, string>;
  /** Settings a prompt may ask for (a message in the table and not set by a flag). */
  askable: SettingKey[];
  warnings: string[];
}

export interface ResolveOptions {
  /** Target every cluster that carries the chart version (--all-clusters). */
  allClusters?: boolean;
  allowDowngrade?: boolean;
  /** --check: the stored answers are the reference; the repo's version is not taken and downgrades are not checked. */
  check?: boolean;
  /** --new-cluster: a cluster the repo does not have yet may be named (else it is refused when the repo has clusters). */
  newCluster?: boolean;
}

type Candidate<K extends SettingKey> = Resolved<Answers[K]> | undefined;
const same = (a: unknown, b: unknown): boolean => JSON.stringify(a) === JSON.stringify(b);
const maxVersion = (vs: string[]): string | undefined =>
  // Stryker disable next-line EqualityOperator: versions that compare equal are the same string (EXACT_VERSION has no leading zeros)
  vs.reduce<string | undefined>((m, v) => (m === undefined || compareVersions(v, m) > 0 ? v : m), undefined);

/** flag > prompt (when it changed the suggestion) > repo > stored > default; also returns the suggestion. */
function pick<K extends SettingKey>(key: K, flags: Partial<Answers>, prompted: Partial<Answers>, repo: Candidate<K>, stored: StoredAnswers | undefined): [Resolved<Answers[K]>, Answers[K]] {
  const storedValue = stored?.values[key];
  const fallback: Resolved<Answers[K]> =
    repo ?? (storedValue !== undefined ? { value: storedValue as Answers[K], source: 'stored' } : { value: DEFAULT_ANSWERS[key], source: 'default' });
  if (flags[key] !== undefined) return [{ value: flags[key] as Answers[K], source: 'flag' }, flags[key] as Answers[K]];
  const answer = prompted[key];
  if (answer !== undefined && !same(answer, fallback.value)) return [{ value: answer as Answers[K], source: 'prompt' }, fallback.value];
  return [fallback, fallback.value];
}

/** The clusters the repo has (a folder with a settings file), sorted. */
export function knownClusters(census: Census): string[] {
  return census.clusters.filter((c) => c.exists).map((c) => c.name).sort();
}

/**
 * Refuse a target cluster the repo does not have when it has clusters (a typo would silently start a new cluster),
 * unless --new-cluster. `where` names the source (`--cluster`, `.yo-rc.json`, the default).
 */
export function unknownClusterError(census: Census, targets: readonly string[], where: string, options: ResolveOptions): InputError | undefined {
  const known = knownClusters(census);
  if (known.length === 0 || options.newCluster || !census.layout.clusterSettings) return undefined;
  const missing = targets.filter((t) => !known.includes(t));
  if (missing.length === 0) return undefined;
  const near = missing.map((m) => didYouMean(m, known)).find((n) => n !== undefined);
  return new InputError(
    `${where} ${missing.join(',')}: no such cluster in ${census.layout.clusterSettings.path('<cluster>')}; known clusters: ${known.join(', ')}` +
      `${near ? `; did you mean ${near}?` : ''} (pass --new-cluster to start a new cluster)`,
  );
}

/**
 * The refusal for the decided target clusters (run.ts calls it once the prompts are answered), or undefined.
 * Not for --check (it compares with what is stored) nor --all-clusters (every target exists).
 */
export function clusterRefusal(census: Census, r: Resolution, options: ResolveOptions): InputError | undefined {
  if (options.check || options.allClusters || !census.layout.clusterSettings) return undefined;
  const source = r.settings.cluster.source;
  const where = {
    flag: '--cluster',
    prompt: 'cluster',
    // Stryker disable next-line StringLiteral: equivalent: a cluster from the repo (the only one, or --all-clusters, which returns above) always exists
    repo: 'cluster',
    stored: '.yo-rc.json cluster',
    default: 'the default cluster',
  }[source];
  return unknownClusterError(census, r.answers.cluster, where, options);
}

/** Without --cluster or a stored cluster, a repo with exactly one cluster suggests it (rather than the default). */
function singleCluster(flags: Partial<Answers>, census: Census, stored: StoredAnswers | undefined): Candidate<'cluster'> {
  if (flags.cluster || stored?.values.cluster) return undefined;
  const known = knownClusters(census);
  const cs = census.layout.clusterSettings;
  if (known.length !== 1 || !cs) return undefined;
  return { value: known, source: 'repo', file: cs.path(known[0]), detail: `the only cluster, ${cs.path(known[0])}` };
}

/**
 * The monitoring default from the repo's kinds (detect.ts). A stored answer wins over it: it is the user's
 * earlier choice and switching stacks silently would remove and replace the generated scrape and rule objects;
 * when the repo now points the other way, a warning says so and names the flag.
 */
function repoMonitoring(census: Census, stored: StoredAnswers | undefined, flags: Partial<Answers>, warnings: string[]): Candidate<'monitoring'> {
  const found = monitoringFromKinds(census.scan.monitoringKinds, census.scan.kubePrometheusStack);
  const storedValue = stored?.values.monitoring;
  if (storedValue !== undefined) {
    if (found.value && found.value !== storedValue && flags.monitoring === undefined) {
      warnings.push(`monitoring = ${storedValue} (stored), but the repo has ${found.why}; pass --monitoring ${found.value} to switch`);
    }
    return undefined;
  }
  if (found.value) return { value: found.value, source: 'repo', detail: found.why };
  return { value: DEFAULT_ANSWERS.monitoring, source: 'default', detail: `${found.why}, so the default` };
}

function targetClusters(flags: Partial<Answers>, census: Census, cs: ClusterSettingsSpec, options: ResolveOptions, stored?: StoredAnswers): Candidate<'cluster'> {
  if (!options.allClusters) return singleCluster(flags, census, stored);
  if (flags.cluster) throw new InputError('--all-clusters and --cluster cannot be combined');
  const carriers = census.clusters.filter((c) => c.version !== undefined).map((c) => c.name);
  if (carriers.length === 0) {
    throw new InputError(`--all-clusters: no ${cs.path('*')} carries ${cs.vars.chartVersion} yet; name the clusters with --cluster`);
  }
  return { value: carriers, source: 'repo', file: cs.path('*') };
}

/** The chart version the repo suggests (rule 3), the highest found, and the version before this run. */
function repoVersion(census: Census, targets: string[], namespace: string, stored: StoredAnswers | undefined, options: ResolveOptions, warnings: string[]) {
  const tag = ociTagOf(census, namespace);
  const found = [...targets.map((t) => clusterOf(census, t).version), census.crds, tag].filter((v) => v !== undefined);
  for (const v of found) if (v.note) warnings.push(v.note);
  const seen = found.filter((v) => v.chart !== undefined) as { chart: string; file: string }[];
  const max = maxVersion(seen.map((v) => v.chart));
  const inClusters = maxVersion(seen.filter((v) => v.file !== census.crdsHelmfile && v.file !== tag?.file).map((v) => v.chart));
  const previous = inClusters ?? census.crds?.chart ?? tag?.chart ?? stored?.values.chartVersion;
  const storedVersion = stored?.values.chartVersion;
  let candidate: Candidate<'chartVersion'>;
  if (!options.check && max && (storedVersion === undefined || compareVersions(max, storedVersion) > 0)) {
    candidate = { value: max, source: 'repo', file: seen.find((v) => v.chart === max)!.file };
  }
  return { candidate, max, previous };
}

/**
 * The shared replicas / storage class from the repo: the value of the first target cluster that has a settings
 * file, when valid (rule 5). Every target's invalid value gets a warning (it will be replaced).
 */
function repoShared<K extends 'replicas' | 'storageClass'>(key: K, census: Census, targets: string[], warnings: string[]): Candidate<K> {
  const setting = SETTINGS.find((s) => s.key === key)!;
  for (const t of targets) {
    const c = clusterOf(census, t);
    const found = c[key];
    if (found && found.value === undefined) {
      warnings.push(`${c.file}: ${census.layout.clusterSettings!.vars[key]} ${JSON.stringify(found.raw)} is not valid (${setting.valid}); it will be replaced`);
    }
  }
  const first = targets.map((t) => clusterOf(census, t)).find((c) => c.exists);
  const value = first?.[key]?.value;
  return value === undefined ? undefined : { value: value as Answers[K], source: 'repo', file: first!.file };
}

function perCluster<K extends 'replicas' | 'storageClass'>(key: K, shared: Resolved<Answers[K]>, census: Census, name: string, stored: StoredAnswers | undefined): Resolved<Answers[K]> {
  if (shared.source === 'flag' || shared.source === 'prompt') return shared;
  const c = clusterOf(census, name);
  const own = c[key]?.value;
  if (own !== undefined) return { value: own as Answers[K], source: 'repo', file: c.file };
  const exception = stored?.clusters[name]?.[key];
  if (exception !== undefined) return { value: exception as Answers[K], source: 'stored' };
  return shared;
}

function downgradeCheck(chart: string, floor: string | undefined, options: ResolveOptions, warnings: string[]): void {
  if (options.check || !floor || compareVersions(chart, floor) >= 0) return;
  const from = `${floor} (operator ${operatorVersionOf(floor) ?? 'unknown'})`;
  const to = `${chart} (operator ${operatorVersionOf(chart) ?? 'unknown'})`;
  if (!options.allowDowngrade) {
    throw new InputError(`--chart-version ${chart} is older than ${floor} in the repo: a downgrade from ${from} to ${to}; pass --allow-downgrade to do it`);
  }
  warnings.push(`downgrading chart ${from} -> ${to}`);
}

/**
 * Decide every answer. `flags` and `prompted` hold parsed values (the doors parse flags, prepare parses prompt
 * answers); `stored` is usually census.stored. Throws InputError for a refused combination or downgrade, and a
 * target cluster's FileError when its settings file is not valid.
 */
export function resolveAnswers(
  flags: Partial<Answers>,
  stored: StoredAnswers | undefined,
  census: Census,
  prompted: Partial<Answers> = {},
  options: ResolveOptions = {},
): Resolution {
  const warnings: string[] = [];
  const settings = {} as Record<SettingKey, Resolved<unknown>>;
  const prefills = {} as Record<SettingKey, string>;
  const take = <K extends SettingKey>(key: K, repo: Candidate<K>): Resolved<Answers[K]> => {
    const [resolved, suggestion] = pick(key, flags, prompted, repo, stored);
    settings[key] = resolved;
    prefills[key] = SETTINGS.find((s) => s.key === key)!.show(suggestion as never);
    return resolved;
  };

  const detection = census.detection;
  take('layout', detection?.name && !detection.empty ? { value: detection.name, source: 'repo', file: detection.reason } : undefined);
  const cs = census.layout.clusterSettings;
  // apps: no cluster settings, so no cluster targets (the cluster setting keeps its stored/default value, unused).
  const targets = cs ? take('cluster', targetClusters(flags, census, cs, options, stored)).value : [];
  if (!cs) {
    take('cluster', undefined);
    for (const [key, flag] of [['cluster', '--cluster'], ['storageClass', '--storage-class']] as const) {
      if (flags[key] !== undefined) warnings.push(`${flag}: the ${census.layout.name} layout has no cluster settings; ignored`);
    }
    if (options.allClusters) warnings.push(`--all-clusters: the ${census.layout.name} layout has no cluster settings; ignored`);
  }
  const namespace = take('namespace', undefined).value;
  for (const t of targets) {
    const error = clusterOf(census, t).error;
    if (error) throw error;
  }
  const version = repoVersion(census, targets, namespace, stored, options, warnings);
  const chart = take('chartVersion', version.candidate).value;
  const replicas = take('replicas', repoShared('replicas', census, targets, warnings));
  const storageClass = take('storageClass', repoShared('storageClass', census, targets, warnings));
  const monitoring = take('monitoring', repoMonitoring(census, stored, flags, warnings));
  // Every other setting has no repo value: flag > prompt > stored > default.
  for (const s of SETTINGS) if (!(s.key in settings)) take(s.key, undefined);
  // kube-prometheus-stack selects by `release: <its release name>` unless its values open the selectors: with no
  // labels given or stored, the labels follow the repo (like the monitoring default), so a --yes run's objects are
  // picked up; labels set without that key get a warning.
  const kps = census.scan.kubePrometheusStack;
  const suggested = suggestMonitoringLabels(kps?.releaseName);
  if (monitoring.value === 'prometheus-operator' && kps && suggested) {
    let labels = settings.monitoringLabels as Resolved<Record<string, string>>;
    const shown = SETTINGS.find((s) => s.key === 'monitoringLabels')!.show(suggested as never);
    if (labels.source === 'default') {
      prefills.monitoringLabels = shown;
      if (!kps.selectorsOpen) {
        labels = { value: suggested, source: 'repo', file: kps.path, detail: `kube-prometheus-stack in ${kps.path} selects release=${kps.releaseName}` };
        settings.monitoringLabels = labels;
      }
    }
    if (labels.value.release !== kps.releaseName && !kps.selectorsOpen) {
      warnings.push(
        `${kps.path}: kube-prometheus-stack (release ${kps.releaseName}) selects PodMonitors and PrometheusRules by the label release=${kps.releaseName} by default; ` +
          `without it the generated objects are ignored: pass --monitoring-labels ${shown}`,
      );
    }
  }

  downgradeCheck(chart, maxVersion([version.max, stored?.values.chartVersion].filter((v) => v !== undefined)), options, warnings);
  const answers = Object.fromEntries(SETTINGS.map((s) => [s.key, settings[s.key].value])) as unknown as Answers;
  for (const s of SETTINGS) warnings.push(...(s.warn?.(answers[s.key] as never) ?? []));
  for (const name of answers.dependsOn) {
    if (census.fluxKustomizations && !census.fluxKustomizations.has(name)) warnings.push(`--depends-on ${name}: no Flux Kustomization in this repo is named ${name}`);
  }

  const clusters = targets.map<ClusterResolution>((name) => ({
    name,
    file: census.layout.clusterSettings!.path(name),
    replicas: perCluster('replicas', replicas, census, name, stored),
    storageClass: perCluster('storageClass', storageClass, census, name, stored),
  }));
  const exceptions: Record<string, ClusterOverrides> = {};
  for (const c of clusters) {
    const o: ClusterOverrides = {};
    if (c.replicas.value !== answers.replicas) o.replicas = c.replicas.value;
    if (c.storageClass.value !== answers.storageClass) o.storageClass = c.storageClass.value;
    if (Object.keys(o).length > 0) exceptions[c.name] = o;
  }
  // Stryker disable next-line MethodExpression,LogicalOperator,StringLiteral,ConditionalExpression: equivalent: the layout has no prompt message and askWhen drops apps' cluster and storageClass too
  const applicable = SETTINGS.filter((s) => s.key !== 'layout' && appliesIn(s.key, answers.layout));
  const askable = applicable
    .filter((s) => s.message && settings[s.key].source !== 'flag' && !(s.key === 'cluster' && options.allClusters) && (s.askWhen?.(answers) ?? true))
    .map((s) => s.key);
  return {
    answers,
    settings: settings as ResolvedSettings,
    clusters,
    exceptions,
    previousVersion: version.previous,
    prefills,
    askable,
    warnings,
  };
}
